/**
 * `pedigree dataset …`: register a dataset (with its first version and, optionally, licence terms), publish versions,
 * set terms, show a dataset, withdraw it, revoke consent to it; commit to a fingerprint and prove it (./claims.ts).
 */
import { Contract, ZeroAddress } from "ethers";
import type { Command } from "commander";
import {
  datasetVersions,
  publishDatasetVersion,
  registerDataset,
  revokeConsent,
  setContributors,
  unitOfTerms,
  setTerms,
  toContributors,
  toRegionSet,
  validateSplits,
  withdrawDataset,
  type ContributorInput,
  type LicenceTermsInput,
  type PedigreeClient,
  type RegionSetInput,
} from "../sdk/index.ts";
import { parseBytes32 } from "../core/hex.ts";
import { parseId } from "../core/ids.ts";
import { describeRegions, regionCodes } from "../core/regions.ts";
import { registerClaimCommands } from "./claims.ts";
import { royaltiesJson, royaltiesOfVersions, royaltyRows } from "./dataset-royalties.ts";
import {
  addDataContextOptions,
  contextOf,
  dataContextJson,
  dataContextRows,
  parseDataContext,
  versionRows,
  type DataContext,
  type DataContextOptions,
} from "./data-context.ts";
import { run, type Context } from "./context.ts";
import { CliError } from "./errors.ts";
import { assertNewFile } from "./files.ts";
import { addPrivateFieldsOptions, privateFieldsJson, privateFieldsOf, privateFieldsRow, writeSecrets, type PrivateFields } from "./private-fields.ts";
import { FORCE_MANIFEST_HELP, fingerprintWithProgress, writeManifest } from "./fingerprint.ts";
import { addGlobalOptions } from "./options.ts";
import { block, formatAmount, txRow, type Row } from "./output.ts";
import {
  checkAmountSyntax,
  collect,
  parseAmount,
  parseCurrency,
  parseDays,
  parseHashOrFile,
  parseParent,
  parseSplit,
  parseText,
  requirePath,
} from "./parse.ts";

// ------------------------------------------------------------------ currencies

/** Decimals and symbol of a currency (18 / ETH for ETH), read from the token. */
export async function currencyInfo(ctx: Context, client: PedigreeClient, currency: string): Promise<{ decimals: number; symbol: string }> {
  if (currency === ZeroAddress) return { decimals: 18, symbol: "ETH" };
  const token = new Contract(
    currency,
    ["function decimals() view returns (uint8)", "function symbol() view returns (string)"],
    client.provider,
  );
  let decimals: number;
  try {
    decimals = Number(await token.getFunction("decimals")());
  } catch {
    throw new CliError(`currency ${currency} does not answer decimals(): is it an ERC-20 token on this chain?`);
  }
  const symbol = await (token.getFunction("symbol")() as Promise<string>).catch(() => `of token ${currency}`);
  return { decimals, symbol };
}

// ------------------------------------------------------------------ terms options

export interface TermsOptions {
  price?: string;
  currency?: string;
  duration?: string;
  commercial?: boolean;
  derivatives?: boolean;
  licenceUri?: string;
  licenceHash?: string;
  split?: string[];
  trainingTerritories?: string;
  deploymentTerritories?: string;
  unitPrice?: string;
  unit?: string;
  derivativeRoyalty?: string;
}

/** Adds the licence-terms options. */
export function addTermsOptions(command: Command): Command {
  return command
    .option("--price <amount>", "price of one licence in ETH, or in whole tokens of --currency (default 0: free)")
    .option("--currency <address>", "ERC-20 token the price is in (default: ETH)")
    .option("--duration <days>", "how long a licence lasts, in days (default 0: perpetual)")
    .option("--commercial", "licensees may use the data commercially")
    .option("--no-commercial", "licensees may not use the data commercially (default)")
    .option("--derivatives", "licensees may make derivatives, such as trained models")
    .option("--no-derivatives", "licensees may not make derivatives (default)")
    .option("--licence-uri <uri>", "SPDX identifier (spdx:CC-BY-4.0) or URI of the licence text")
    .option("--licence-hash <hash|file>", "hash of the licence text, or the licence file (hashed with SHA-256)")
    .option(
      "--split <address:bps>",
      "royalty recipient and share in basis points (10000 = 100 %), repeatable; default: all to the signer",
      collect,
    )
    .option("--training-territories <regions>", "where the data may be used for training: ISO 3166-1 alpha-2 codes and groups, e.g. EEA or EU,CH (default WORLDWIDE)")
    .option("--deployment-territories <regions>", "where models derived from the data may be deployed, e.g. EU (default WORLDWIDE)")
    .option("--unit-price <amount>", "metering: price of one unit of use, in ETH or whole tokens of --currency, paid with each usage report (needs --unit)")
    .option("--unit <name>", "what a unit of use is: samples, tokens-trained, inference-calls")
    .option("--derivative-royalty <share>", "share of every payment to datasets derived under these terms: a percentage (15, 15%) or basis points (1500bps); default 0");
}

/** Whether any terms option was given. */
export function termsGiven(options: TermsOptions): boolean {
  return (
    options.price !== undefined ||
    options.currency !== undefined ||
    options.duration !== undefined ||
    options.commercial !== undefined ||
    options.derivatives !== undefined ||
    options.licenceUri !== undefined ||
    options.licenceHash !== undefined ||
    options.trainingTerritories !== undefined ||
    options.deploymentTerritories !== undefined ||
    options.unitPrice !== undefined ||
    options.unit !== undefined ||
    options.derivativeRoyalty !== undefined ||
    (options.split?.length ?? 0) > 0
  );
}

/** Terms checked locally; the price waits for the currency's decimals. */
interface ParsedTerms {
  price: string;
  currency: string;
  duration: number;
  commercialUse: boolean;
  derivativesAllowed: boolean;
  documentURI: string;
  documentHash?: string;
  splits?: { recipient: string; bps: number }[];
  trainingTerritories: bigint;
  deploymentTerritories: bigint;
  unitPrice?: string;
  unit?: string;
  derivativeRoyaltyBps: number;
}

/** A share given as a percentage ("15", "15%", "2.5") or in basis points ("1500bps"), in basis points. */
export function parsePercentBps(text: string, flag: string): number {
  const trimmed = text.trim();
  const inBps = /^(\d{1,5})\s*bps$/i.exec(trimmed);
  const percent = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%?$/.exec(trimmed);
  const bps = inBps ? Number(inBps[1]) : percent ? Number(percent[1]) * 100 + Number((percent[2] ?? "").padEnd(2, "0")) : Number.NaN;
  if (!Number.isInteger(bps) || bps > 10_000) {
    throw new CliError(`${flag} must be a percentage from 0 to 100 with at most two decimals (15, 2.5%) or basis points up to 10000 (1500bps); got ${JSON.stringify(text)}`);
  }
  return bps;
}

/** Checks the terms options without the chain (syntax, files, split shares). */
export async function parseTerms(options: TermsOptions): Promise<ParsedTerms> {
  const price = options.price ?? "0";
  checkAmountSyntax(price, "--price");
  if (options.licenceUri === undefined) {
    throw new CliError("licence terms need --licence-uri (an SPDX identifier like spdx:CC-BY-4.0, or the URI of the licence text)");
  }
  const splits = options.split?.map((split) => parseSplit(split));
  if (splits && splits.length > 0) validateSplits(splits, true, "--split");
  if ((options.unitPrice === undefined) !== (options.unit === undefined)) throw new CliError("metered terms need both --unit-price and --unit");
  if (options.unitPrice !== undefined) checkAmountSyntax(options.unitPrice, "--unit-price");
  return {
    price,
    currency: parseCurrency(options.currency),
    duration: options.duration === undefined ? 0 : parseDays(options.duration, "--duration"),
    commercialUse: options.commercial === true,
    derivativesAllowed: options.derivatives === true,
    documentURI: parseText(options.licenceUri, "--licence-uri"),
    documentHash: options.licenceHash === undefined ? undefined : await parseHashOrFile(options.licenceHash, "--licence-hash"),
    splits,
    trainingTerritories: toRegionSet(options.trainingTerritories, "--training-territories"),
    deploymentTerritories: toRegionSet(options.deploymentTerritories, "--deployment-territories"),
    unitPrice: options.unitPrice,
    unit: options.unit === undefined ? undefined : parseText(options.unit, "--unit"),
    derivativeRoyaltyBps: options.derivativeRoyalty === undefined ? 0 : parsePercentBps(options.derivativeRoyalty, "--derivative-royalty"),
  };
}

/** The terms as the SDK takes them: the price in the currency's smallest unit, splits defaulting to the signer. */
export async function finishTerms(ctx: Context, client: PedigreeClient, parsed: ParsedTerms): Promise<LicenceTermsInput & { display: Row[] }> {
  const { decimals, symbol } = await currencyInfo(ctx, client, parsed.currency);
  const price = parseAmount(parsed.price, "--price", decimals, symbol);
  const unitPrice = parsed.unitPrice === undefined ? 0n : parseAmount(parsed.unitPrice, "--unit-price", decimals, symbol);
  const priced = price > 0n || unitPrice > 0n || parsed.derivativeRoyaltyBps > 0;
  const splits = parsed.splits && parsed.splits.length > 0 ? parsed.splits : priced ? [{ recipient: await client.account(), bps: 10_000 }] : [];
  return {
    price,
    currency: parsed.currency,
    duration: parsed.duration,
    commercialUse: parsed.commercialUse,
    derivativesAllowed: parsed.derivativesAllowed,
    documentURI: parsed.documentURI,
    documentHash: parsed.documentHash,
    splits,
    territories: { training: parsed.trainingTerritories, deployment: parsed.deploymentTerritories },
    ...(unitPrice > 0n ? { usage: { unitPrice, unit: parsed.unit! } } : {}),
    derivativeRoyaltyBps: parsed.derivativeRoyaltyBps,
    display: [
      ["price", formatAmount(price, parsed.currency, decimals, symbol)],
      ["price per unit of use", unitPrice > 0n ? `${formatAmount(unitPrice, parsed.currency, decimals, symbol)} per ${parsed.unit}` : "not metered"],
      ["derivative royalty", `${parsed.derivativeRoyaltyBps / 100} %`],
      ["duration", parsed.duration === 0 ? "perpetual" : `${parsed.duration / 86_400} days`],
      ["commercial use", parsed.commercialUse],
      ["derivatives", parsed.derivativesAllowed],
      ["licence", parsed.documentURI],
      ["royalties", splits.length === 0 ? "none (free)" : splits.map((s) => `${s.recipient} ${s.bps / 100} %`).join(", ")],
      ["training territories", describeRegions(parsed.trainingTerritories)],
      ["deployment territories", describeRegions(parsed.deploymentTerritories)],
    ],
  };
}

function termsJson(terms: LicenceTermsInput): Record<string, unknown> {
  return {
    price: terms.price,
    currency: terms.currency,
    duration: terms.duration,
    commercialUse: terms.commercialUse,
    derivativesAllowed: terms.derivativesAllowed,
    documentURI: terms.documentURI,
    documentHash: terms.documentHash,
    splits: terms.splits,
    trainingTerritories: codesOf(terms.territories?.training),
    deploymentTerritories: codesOf(terms.territories?.deployment),
    unitPrice: terms.usage?.unitPrice ?? 0n,
    unit: terms.usage?.unit ?? "",
    derivativeRoyaltyBps: terms.derivativeRoyaltyBps ?? 0,
  };
}

/** The region codes of a territory (worldwide when not given). */
function codesOf(territory: RegionSetInput | undefined): string[] {
  return regionCodes(toRegionSet(territory, "territories"));
}

// ------------------------------------------------------------------ version content options

interface ContentOptions extends DataContextOptions {
  path?: string;
  fingerprint?: string;
  uri?: string;
  manifestRoot?: string;
  metadataHash?: string;
  privateFields?: string;
  secretsOut?: string;
  parent?: string[];
  transformationHash?: string;
  manifestOut?: string;
  force?: boolean;
  skipSymlinks?: boolean;
  progress: boolean;
}

function addContentOptions(command: Command): Command {
  addPrivateFieldsOptions(command, "--private-fields", "--metadata-hash", "datasheet fields");
  return addDataContextOptions(command
    .option("--path <path>", "the data (file or directory): fingerprinted here")
    .option("--fingerprint <hash>", "the data's fingerprint, if computed already (`pedigree fingerprint`)")
    .option("--uri <uri>", "where the data lives: ipfs://, s3://, https://")
    .option("--manifest-root <hash>", "Merkle root of the data's manifest (default with --path: the computed root)")
    .option("--metadata-hash <hash|file>", "hash of the datasheet, or the datasheet file (hashed with SHA-256)")
    .option(
      "--parent <versionId[:licenceId]>",
      "dataset version this one derives from: yours as <versionId>, someone else's as <versionId>:<licenceId> under your licence allowing derivatives (repeatable, at most 32)",
      collect,
    )
    .option("--transformation-hash <hash|file>", "hash (or file) of the transformation that derived it from its parents")
    .option("--manifest-out <file>", "with --path: also write the manifest JSON here")
    .option("--force", FORCE_MANIFEST_HELP)
    .option("--skip-symlinks", "with --path: leave symbolic links out instead of refusing them")
    .option("--no-progress", "with --path: no progress bar"));
}

interface ParsedContent {
  path?: string;
  fingerprint?: string;
  uri: string;
  manifestRoot?: string;
  metadataHash?: string;
  /** With --private-fields: the commitment and where its secrets go (written before anything is sent). */
  secrets?: PrivateFields;
  parents: { versionId: bigint; licenceId: bigint }[];
  transformationHash?: string;
  context: DataContext;
}

async function parseContent(options: ContentOptions): Promise<ParsedContent> {
  if (options.path === undefined && options.fingerprint === undefined) {
    throw new CliError("give the data with --path <file or directory> (fingerprinted here) or its --fingerprint <hash>");
  }
  if (options.path !== undefined && options.fingerprint !== undefined) throw new CliError("give either --path or --fingerprint, not both");
  if (options.manifestOut !== undefined && options.path === undefined) throw new CliError("--manifest-out needs --path");
  if (options.path !== undefined) await requirePath(options.path, "--path");
  if (options.manifestOut !== undefined) await assertNewFile(options.manifestOut, "--manifest-out", options.force);
  return {
    path: options.path,
    fingerprint: options.fingerprint === undefined ? undefined : parseBytes32(options.fingerprint, "--fingerprint", { nonZero: true }),
    uri: parseText(options.uri ?? "", "--uri (where the data lives)"),
    manifestRoot: options.manifestRoot === undefined ? undefined : parseBytes32(options.manifestRoot, "--manifest-root"),
    metadataHash: options.metadataHash === undefined ? undefined : await parseHashOrFile(options.metadataHash, "--metadata-hash"),
    secrets: await privateFieldsOf(options.privateFields, options, { flag: "--private-fields", hashFlag: "--metadata-hash", hash: options.metadataHash }),
    parents: (options.parent ?? []).map((parent) => parseParent(parent)),
    transformationHash:
      options.transformationHash === undefined ? undefined : await parseHashOrFile(options.transformationHash, "--transformation-hash"),
    context: await parseDataContext(options),
  };
}

/** The version input, fingerprinting `--path` when given. */
async function versionOf(ctx: Context, content: ParsedContent, options: ContentOptions) {
  let fingerprint = content.fingerprint;
  let manifestRoot = content.manifestRoot;
  let files: { fileCount: number; totalBytes: number } | undefined;
  if (content.path !== undefined) {
    const fp = await fingerprintWithProgress(ctx, content.path, options);
    if (options.manifestOut) await writeManifest(options.manifestOut, fp, options.force);
    fingerprint = fp.fingerprint;
    manifestRoot ??= fp.root;
    files = { fileCount: fp.fileCount, totalBytes: fp.totalBytes };
  }
  const metadataHash = content.secrets ? await writeSecrets(content.secrets) : content.metadataHash;
  return {
    version: { fingerprint: fingerprint!, manifestRoot, metadataHash, uri: content.uri, ...content.context },
    files,
  };
}

/** `4 (yours)` or `4 (licence 2)`. */
function describeParent(parent: { versionId: bigint; licenceId: bigint }): string {
  return parent.licenceId === 0n ? `${parent.versionId} (yours)` : `${parent.versionId} (licence ${parent.licenceId})`;
}

// ------------------------------------------------------------------ commands

interface RegisterOptions extends ContentOptions, TermsOptions {}

export function registerDatasetCommands(program: Command): void {
  const dataset = program
    .command("dataset")
    .description("register datasets, publish versions, set licence terms, withdraw, revoke consent, prove claim priority")
    .addHelpText("after", "\nExample:\n  $ pedigree dataset register --path ./data --uri ipfs://bafy… --price 0.5 --licence-uri spdx:CC-BY-4.0 --derivatives");
  registerDatasetRegister(dataset);
  registerDatasetVersion(dataset);
  registerDatasetTerms(dataset);
  registerDatasetContributors(dataset);
  registerDatasetShow(dataset);
  registerDatasetWithdraw(dataset);
  registerDatasetConsentRevoke(dataset);
  registerClaimCommands(dataset, "datasets");
}

/** A contributor `<address>:<bps>:<role>`. */
function parseContributor(value: string): ContributorInput {
  const match = /^\s*([^:\s]+):(\d+):(.+?)\s*$/.exec(value);
  if (!match) throw new CliError(`--contributor must be <address>:<bps>:<role> (e.g. 0x…:1000:labelling), got ${JSON.stringify(value)}`);
  return { account: match[1]!, bps: Number(match[2]), role: match[3]! };
}

/** The `contributors` subcommand: name the contributors of a dataset version and their shares of its payments, once. */
function registerDatasetContributors(dataset: Command): void {
  const contributors = dataset
    .command("contributors")
    .description("name the contributors of a dataset version (labelling, cleaning, verification) and their shares of its payments, once")
    .argument("<versionId>", "the dataset version")
    .requiredOption("--contributor <address:bps:role>", "a contributor, its share in basis points (10000 = 100 %) and what it did; repeatable (at most 8)", collect)
    .addHelpText(
      "after",
      "\nEach share is taken from every payment to the version (sale or use) after what it owes up its lineage.\n\nExample:\n  $ pedigree dataset contributors 4 --contributor 0x90F7…b906:1000:labelling --contributor 0x15d3…6A65:500:verification",
    );
  addGlobalOptions(contributors, ["output", "chain", "key"]).action(
    run(async (ctx, [versionIdText], options: { contributor: string[] }) => {
      const versionId = parseId(versionIdText!, "versionId");
      const given = options.contributor.map(parseContributor);
      toContributors(given); // refused here, before the key is read or anything sent
      const client = await ctx.client({ sign: true });
      const result = await setContributors(client, { versionId, contributors: given, onSubmitted: ctx.submitted });
      ctx.out.result(result, () =>
        block(`${result.contributors.length} contributor(s) of dataset version ${versionId} named`, [
          ...result.contributors.map((c, i): Row => [`contributor ${i + 1}`, `${c.account} ${c.bps / 100} % (${given[i]!.role})`]),
          txRow(result),
        ]),
      );
    }),
  );
}

/** The `register` subcommand: register a dataset with its first version and, optionally, its licence terms (one transaction). */
function registerDatasetRegister(dataset: Command): void {
  const register = dataset
    .command("register")
    .description("register a dataset with its first version and, optionally, its licence terms (one transaction)");
  addTermsOptions(addContentOptions(register)).addHelpText(
    "after",
    `
Terms are set when any terms option is given (--licence-uri is then required). A priced licence pays the --split
recipients; without --split everything goes to the signer. Territories (where the data may be used for training, and
where models derived from it may be deployed) are ISO 3166-1 alpha-2 codes and groups (EU, EEA), worldwide by default.
--origin (where the data comes from) and the data-handling policy are recorded as evidence with the version; a version
derived from another owner's data inherits the territories of the licence it was used under, whatever its own terms.

Example:
  $ pedigree dataset register --path ./clinical-notes --uri ipfs://bafybeiclinicalnotes \\
      --origin EU --handling-policy ./gdpr-special-category.md --handling-policy-uri ipfs://bafybeipolicy \\
      --price 0.5 --duration 365 --commercial --derivatives --licence-uri spdx:CC-BY-4.0 \\
      --split 0x70997970C51812dc3A010C7d01b50e0d17dc79C8:7000 --split 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC:3000 \\
      --training-territories EEA --deployment-territories EU`,
  );
  addGlobalOptions(register, ["output", "chain", "key"]).action(
    run(async (ctx, _args, options: RegisterOptions) => {
      const content = await parseContent(options);
      const parsedTerms = termsGiven(options) ? await parseTerms(options) : undefined;
      const client = await ctx.client({ sign: true });
      const terms = parsedTerms ? await finishTerms(ctx, client, parsedTerms) : undefined;
      const { version, files } = await versionOf(ctx, content, options);
      const result = await registerDataset(client, {
        version,
        parents: content.parents,
        transformationHash: content.transformationHash,
        terms,
        onSubmitted: ctx.submitted,
      });
      ctx.out.result(
        {
          datasetId: result.datasetId,
          versionId: result.versionId,
          termsId: result.termsId,
          owner: result.owner,
          fingerprint: version.fingerprint,
          manifestRoot: version.manifestRoot,
          ...privateFieldsJson(content.secrets),
          ...dataContextJson(content.context, result.inheritedTerritories),
          files,
          terms: terms ? termsJson(terms) : undefined,
          hash: result.hash,
          blockNumber: result.blockNumber,
        },
        () =>
          block(`dataset ${result.datasetId} registered`, [
            ["version", result.versionId],
            ["terms", result.termsId ?? "none (set them with `pedigree dataset terms`)"],
            ["owner", result.owner],
            ["fingerprint", version.fingerprint],
            ["manifest root", version.manifestRoot],
            privateFieldsRow(content.secrets, "metadata"),
            ...dataContextRows(content.context, result.inheritedTerritories),
            ...(terms?.display ?? []),
            txRow(result),
          ]),
      );
    }),
  );
}

/** The `version` subcommand: publish a new version of a dataset. */
function registerDatasetVersion(dataset: Command): void {
  const version = dataset
    .command("version")
    .description("publish a new version of a dataset")
    .argument("<datasetId>", "the dataset");
  addContentOptions(version).addHelpText(
    "after",
    `
A parent is your own dataset version (--parent 1), or another owner's used under your licence that allows derivatives
(--parent 4:2 = version 4 under licence 2); the registry refuses anything else (ParentNotUsable). The version inherits
the territories of each parent's licence and each parent's own inherited territories: models trained on it are held
to them, whatever terms the dataset is sold under.

Example:
  $ pedigree dataset version 1 --path ./clinical-notes-v2 --uri ipfs://bafybeiv2 --parent 1 --parent 4:2 \
      --transformation-hash ./pipeline.py --origin DE,AT --handling-policy ./pii-policy.md`,
  );
  addGlobalOptions(version, ["output", "chain", "key"]).action(
    run(async (ctx, [datasetIdText], options: ContentOptions) => {
      const datasetId = parseId(datasetIdText!, "datasetId");
      const content = await parseContent(options);
      const client = await ctx.client({ sign: true });
      const { version: input, files } = await versionOf(ctx, content, options);
      const result = await publishDatasetVersion(client, {
        datasetId,
        version: input,
        parents: content.parents,
        transformationHash: content.transformationHash,
        onSubmitted: ctx.submitted,
      });
      ctx.out.result(
        {
          versionId: result.versionId,
          datasetId: result.datasetId,
          number: result.number,
          fingerprint: input.fingerprint,
          manifestRoot: input.manifestRoot,
          ...privateFieldsJson(content.secrets),
          ...dataContextJson(content.context, result.inheritedTerritories),
          files,
          hash: result.hash,
          blockNumber: result.blockNumber,
        },
        () =>
          block(`dataset version ${result.versionId} published (version ${result.number} of dataset ${result.datasetId})`, [
            ["fingerprint", input.fingerprint],
            ["manifest root", input.manifestRoot],
            ["parents", content.parents.length > 0 ? content.parents.map(describeParent).join(", ") : undefined],
            privateFieldsRow(content.secrets, "metadata"),
            ...dataContextRows(content.context, result.inheritedTerritories),
            txRow(result),
          ]),
      );
    }),
  );
}

/** The `terms` subcommand: set the licence terms new licences of a dataset are granted under (existing licences keep theirs). */
function registerDatasetTerms(dataset: Command): void {
  const terms = dataset
    .command("terms")
    .description("set the licence terms new licences of a dataset are granted under (existing licences keep theirs)")
    .argument("<datasetId>", "the dataset");
  addTermsOptions(terms).addHelpText(
    "after",
    `
Example:
  $ pedigree dataset terms 1 --price 0.8 --duration 365 --commercial --derivatives --licence-uri spdx:CC-BY-4.0 \\
      --split 0x70997970C51812dc3A010C7d01b50e0d17dc79C8:10000 --training-territories EU,CH --deployment-territories EU`,
  );
  addGlobalOptions(terms, ["output", "chain", "key"]).action(
    run(async (ctx, [datasetIdText], options: TermsOptions) => {
      const datasetId = parseId(datasetIdText!, "datasetId");
      const parsed = await parseTerms(options);
      const client = await ctx.client({ sign: true });
      const input = await finishTerms(ctx, client, parsed);
      const result = await setTerms(client, { datasetId, terms: input, onSubmitted: ctx.submitted });
      ctx.out.result(
        { termsId: result.termsId, datasetId: result.datasetId, terms: termsJson(input), hash: result.hash, blockNumber: result.blockNumber },
        () => block(`terms ${result.termsId} set on dataset ${result.datasetId}`, [...input.display, txRow(result)]),
      );
    }),
  );
}

/** The current terms of a dataset as `dataset show` prints them: the `--json` object and the rows. */
async function currentTermsView(ctx: Context, client: PedigreeClient, termsId: bigint): Promise<{ current: Record<string, unknown>; rows: Row[] }> {
  const [t, splits] = await ctx.view("DatasetRegistry.getTerms", () => client.datasets.getTerms(termsId));
  const { decimals, symbol } = await currencyInfo(ctx, client, t.currency);
  const unit = t.unitPrice > 0n ? await unitOfTerms(client, termsId) : "";
  const current = {
    termsId,
    currency: t.currency,
    price: t.price,
    duration: Number(t.duration),
    commercialUse: t.commercialUse,
    derivativesAllowed: t.derivativesAllowed,
    splits: splits.map((s) => ({ recipient: s.recipient, bps: Number(s.bps) })),
    trainingTerritories: regionCodes(t.trainingTerritories),
    deploymentTerritories: regionCodes(t.deploymentTerritories),
    unitPrice: t.unitPrice,
    unit,
    derivativeRoyaltyBps: Number(t.derivativeRoyaltyBps),
  };
  const rows: Row[] = [
    ["terms", termsId],
    ["price", formatAmount(t.price, t.currency, decimals, symbol)],
    ["price per unit of use", t.unitPrice > 0n ? `${formatAmount(t.unitPrice, t.currency, decimals, symbol)} per ${unit || "unit"}` : "not metered"],
    ["derivative royalty", `${Number(t.derivativeRoyaltyBps) / 100} %`],
    ["duration", t.duration === 0n ? "perpetual" : `${Number(t.duration) / 86_400} days`],
    ["commercial use", t.commercialUse],
    ["derivatives", t.derivativesAllowed],
    ["royalties", splits.length === 0 ? "none (free)" : splits.map((s) => `${s.recipient} ${Number(s.bps) / 100} %`).join(", ")],
    ["training territories", describeRegions(t.trainingTerritories)],
    ["deployment territories", describeRegions(t.deploymentTerritories)],
  ];
  return { current, rows };
}

/** The `show` subcommand: show a dataset: owner, versions, withdrawal, consent, current licence terms. */
function registerDatasetShow(dataset: Command): void {
  const show = dataset
    .command("show")
    .description("show a dataset: owner, versions with their data-handling context, royalty parents and contributors, withdrawal, consent, current licence terms")
    .argument("<datasetId>", "the dataset")
    .addHelpText("after", "\nExample:\n  $ pedigree dataset show 1");
  addGlobalOptions(show, ["output", "chain"]).action(
    run(async (ctx, [datasetIdText]) => {
      const datasetId = parseId(datasetIdText!, "datasetId");
      const client = await ctx.client({ sign: false });
      const record = await ctx.view("DatasetRegistry.getDataset", () => client.datasets.getDataset(datasetId));
      const owner = await ctx.view("DatasetRegistry.ownerOf", () => client.datasets.ownerOf(datasetId));
      const versions = await datasetVersions(client, { datasetId });
      const royalties = await royaltiesOfVersions(client, versions.map((version) => version.versionId));
      const termsId = record.currentTermsId;
      const { current, rows } = termsId === 0n ? { current: undefined, rows: [] } : await currentTermsView(ctx, client, termsId);
      ctx.out.result(
        {
          datasetId,
          owner,
          versionCount: Number(record.versionCount),
          withdrawn: record.withdrawn,
          consentRevoked: record.consentRevoked,
          versions: versions.map((version, i) => ({
            versionId: version.versionId,
            number: version.number,
            fingerprint: version.fingerprint,
            metadataHash: version.metadataHash,
            uri: version.uri,
            ...dataContextJson(contextOf(version), version.inheritedTerritories),
            ...royaltiesJson(royalties[i]!),
          })),
          terms: current,
        },
        () =>
          block(`dataset ${datasetId}`, [
            ["owner", owner],
            ["versions", Number(record.versionCount)],
            ["withdrawn", record.withdrawn],
            ["consent revoked", record.consentRevoked],
            ...versions.flatMap((version, i) => [...versionRows(version), ...royaltyRows(royalties[i]!)]),
            ...(termsId === 0n ? ([["terms", "none (never set, or cleared by a transfer)"]] as Row[]) : rows),
          ]),
      );
    }),
  );
}

/** The `withdraw` subcommand: withdraw a dataset for good: no new versions, terms or licences; licences already sold stay valid. */
function registerDatasetWithdraw(dataset: Command): void {
  const withdraw = dataset
    .command("withdraw")
    .description("withdraw a dataset for good: no new versions, terms or licences; licences already sold stay valid")
    .argument("<datasetId>", "the dataset")
    .requiredOption("--reason <text>", "why, recorded on chain")
    .addHelpText(
      "after",
      `
To void the licences sold as well, revoke consent instead (\`pedigree dataset consent-revoke\`) and refund them.

Example:
  $ pedigree dataset withdraw 1 --reason "superseded by clinical notes v3"`,
    );
  addGlobalOptions(withdraw, ["output", "chain", "key"]).action(
    run(async (ctx, [datasetIdText], options: { reason: string }) => {
      const datasetId = parseId(datasetIdText!, "datasetId");
      const reason = parseText(options.reason, "--reason");
      const client = await ctx.client({ sign: true });
      const result = await withdrawDataset(client, { datasetId, reason, onSubmitted: ctx.submitted });
      ctx.out.result({ datasetId: result.datasetId, by: result.by, reason, hash: result.hash, blockNumber: result.blockNumber }, () =>
        block(`dataset ${result.datasetId} withdrawn`, [["by", result.by], ["reason", reason], txRow(result)]),
      );
    }),
  );
}

/** The `consent-revoke` subcommand: record that consent to use a dataset is revoked, and withdraw it; its licences can then be refunded. */
function registerDatasetConsentRevoke(dataset: Command): void {
  const consent = dataset
    .command("consent-revoke")
    .description("record that consent to use a dataset is revoked, and withdraw it; its licences can then be refunded")
    .argument("<datasetId>", "the dataset")
    .requiredOption("--reason <text>", "why, recorded on chain")
    .addHelpText(
      "after",
      `
Licences already sold stay valid until you void each one with \`pedigree licence refund <licenceId>\`, which pays its
licensee back the unused part of its price. This cannot be undone.

Example:
  $ pedigree dataset consent-revoke 2 --reason "patients withdrew consent (ticket 4521)"`,
    );
  addGlobalOptions(consent, ["output", "chain", "key"]).action(
    run(async (ctx, [datasetIdText], options: { reason: string }) => {
      const datasetId = parseId(datasetIdText!, "datasetId");
      const reason = parseText(options.reason, "--reason");
      const client = await ctx.client({ sign: true });
      const result = await revokeConsent(client, { datasetId, reason, onSubmitted: ctx.submitted });
      ctx.out.result(
        { datasetId: result.datasetId, by: result.by, withdrawn: result.withdrawn, reason, hash: result.hash, blockNumber: result.blockNumber },
        () =>
          block(`consent to dataset ${result.datasetId} revoked`, [
            ["by", result.by],
            ["reason", reason],
            ["withdrawn", result.withdrawn ? "now" : "before"],
            ["next", "refund each licence sold: pedigree licence refund <licenceId>"],
            txRow(result),
          ]),
      );
    }),
  );
}
