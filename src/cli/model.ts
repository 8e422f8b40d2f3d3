/**
 * `pedigree model …`: register models, publish versions with their training runs, let others fine-tune them, set
 * release policies, approve; commit to weights and prove it (./claims.ts).
 */
import type { Command } from "commander";
import {
  approveVersion,
  grantDerivation,
  publishModelVersion,
  registerModel,
  setReleasePolicy,
  toComputeProvider,
  toRegion,
} from "../sdk/index.ts";
import { RELEASE_APPROVAL_KIND, kindName } from "../core/constants.ts";
import { parseAddress, parseBytes32 } from "../core/hex.ts";
import { parseId } from "../core/ids.ts";
import { REGION_CODES } from "../core/regions.ts";
import { registerClaimCommands } from "./claims.ts";
import {
  addPrivateFieldsOptions,
  privateFieldsJson,
  privateFieldsOf,
  privateFieldsRow,
  writeSecrets,
  type PrivateFields,
  type PrivateFieldsOptions,
} from "./private-fields.ts";
import { run, type Context } from "./context.ts";
import { CliError } from "./errors.ts";
import { assertNewFile } from "./files.ts";
import { FORCE_MANIFEST_HELP, fingerprintWithProgress, writeManifest } from "./fingerprint.ts";
import { addGlobalOptions } from "./options.ts";
import { block, txRow } from "./output.ts";
import { collect, parseDataUse, parseHashOrFile, parseKind, parseText, parseTime, requirePath } from "./parse.ts";

interface RegisterOptions extends PrivateFieldsOptions {
  uri?: string;
  metadataHash?: string;
  privateFields?: string;
  commercial?: boolean;
}

interface PublishOptions {
  weights?: string;
  weightsHash?: string;
  uri?: string;
  manifestRoot?: string;
  configHash?: string;
  parent?: string;
  data?: string[];
  codeHash?: string;
  hyperparametersHash?: string;
  privateHyperparameters?: string;
  secretsOut?: string;
  started?: string;
  ended?: string;
  region?: string;
  computeProvider?: string;
  manifestOut?: string;
  force?: boolean;
  skipSymlinks?: boolean;
  progress: boolean;
}

export function registerModelCommands(program: Command): void {
  const model = program
    .command("model")
    .description("register models, publish versions with their training data, grant derivation, set release policies, approve versions")
    .addHelpText("after", "\nExample:\n  $ pedigree model register --uri ipfs://bafymodelcard --commercial");
  registerModelRegister(model);
  registerModelPublish(model);
  registerModelPolicy(model);
  registerModelGrantDerivation(model);
  registerModelApprove(model);
  registerClaimCommands(model, "models");
}

/** The `register` subcommand: register a model owned by the signer (its release policy starts as: release-approval). */
function registerModelRegister(model: Command): void {
  const register = model
    .command("register")
    .description("register a model owned by the signer (its release policy starts as: release-approval)")
    .option("--uri <uri>", "where the model card lives")
    .option("--metadata-hash <hash|file>", "hash of the model card, or the card file (hashed with SHA-256)")
    .option("--commercial", "its versions are used commercially: their training licences must allow commercial use")
    .option("--no-commercial", "non-commercial model (default)")
    .addHelpText("after", "\nExample:\n  $ pedigree model register --uri ipfs://bafytriagecard --metadata-hash ./MODEL_CARD.md --commercial");
  addPrivateFieldsOptions(register, "--private-fields", "--metadata-hash", "model card fields");
  addGlobalOptions(register, ["output", "chain", "key"]).action(
    run(async (ctx, _args, options: RegisterOptions) => {
      const uri = parseText(options.uri, "--uri (where the model card lives)");
      const plainHash = options.metadataHash === undefined ? undefined : await parseHashOrFile(options.metadataHash, "--metadata-hash");
      const card = await privateFieldsOf(options.privateFields, options, { flag: "--private-fields", hashFlag: "--metadata-hash", hash: plainHash });
      const commercial = options.commercial === true;
      const client = await ctx.client({ sign: true });
      const metadataHash = card ? await writeSecrets(card) : plainHash;
      const result = await registerModel(client, { commercial, metadataHash, uri, onSubmitted: ctx.submitted });
      ctx.out.result(
        {
          modelId: result.modelId,
          owner: result.owner,
          commercial,
          releasePolicy: result.releasePolicy.map((kind) => kindName(kind)),
          ...privateFieldsJson(card),
          hash: result.hash,
          blockNumber: result.blockNumber,
        },
        () =>
          block(`model ${result.modelId} registered`, [
            ["owner", result.owner],
            ["commercial", commercial],
            ["release policy", result.releasePolicy.map((kind) => kindName(kind)).join(", ")],
            privateFieldsRow(card, "model card"),
            txRow(result),
          ]),
      );
    }),
  );
}

/** The `publish` subcommand: publish a model version with the training run that produced it (every dataset version under a licence). */
function registerModelPublish(model: Command): void {
  const publish = model
    .command("publish")
    .description("publish a model version with the training run that produced it (every dataset version under a licence)")
    .argument("<modelId>", "the model")
    .option("--weights <path>", "the weights (file or directory): fingerprinted here")
    .option("--weights-hash <hash>", "the weights' fingerprint, if computed already (`pedigree fingerprint`)")
    .option("--uri <uri>", "where the weights live")
    .option("--manifest-root <hash>", "Merkle root of the release files (default with --weights: the computed root)")
    .option("--config-hash <hash|file>", "hash (or file) of the config / architecture description")
    .option("--parent <versionId>", "the model version it was fine-tuned from: your own model's, or one whose owner granted you derivation")
    .option(
      "--data <datasetVersionId:licenceId>",
      "a dataset version trained on and the licence it was used under, held by the model owner (repeatable)",
      collect,
    )
    .option("--code-hash <hash|file>", "hash (or archive file) of the training code")
    .option("--hyperparameters-hash <hash|file>", "hash (or file) of the hyperparameters")
    .option("--started <time>", "when training started (ISO 8601, e.g. 2026-01-02T08:00:00Z)")
    .option("--ended <time>", "when training ended (ISO 8601)")
    .option("--region <code>", "where training was computed: the ISO 3166-1 alpha-2 code of one country, e.g. DE (required)")
    .option("--compute-provider <name|id>", "who computed it: a name of at most 31 bytes (e.g. aws:eu-central-1) or a 32-byte hex id")
    .option("--manifest-out <file>", "with --weights: also write the manifest JSON here")
    .option("--force", FORCE_MANIFEST_HELP)
    .option("--skip-symlinks", "with --weights: leave symbolic links out instead of refusing them")
    .option("--no-progress", "with --weights: no progress bar")
    .addHelpText(
      "after",
      `
The registry refuses a dataset version the model owner holds no valid licence for (DatasetVersionNotUsable, with
the reason: UnknownLicence, Expired, DerivativesForbidden, …); acquire one with \`pedigree licence acquire\`. It
refuses a parent of another owner's model that did not grant you derivation (ParentNotDerivable), and a --region
outside the training territory of a licence of the run or of an ancestor's run (TrainingOutsideTerritory, naming the
licence and the regions it allows). A version whose run, or an ancestor's, names no dataset is marked as not declaring
its training data.

Example:
  $ pedigree model publish 1 --weights ./checkpoints/v1 --uri s3://acme/triage/v1 --data 2:1 --data 4:3 \\
      --code-hash ./train.tar.gz --hyperparameters-hash ./hparams.yaml \\
      --started 2026-01-02T08:00:00Z --ended 2026-01-02T16:00:00Z --region DE --compute-provider aws:eu-central-1`,
    );
  addPrivateFieldsOptions(publish, "--private-hyperparameters", "--hyperparameters-hash", "hyperparameters");
  addGlobalOptions(publish, ["output", "chain", "key"]).action(
    run(async (ctx, [modelIdText], options: PublishOptions) => publishVersion(ctx, await publishInputOf(modelIdText!, options), options)),
  );
}

/** What `model publish` was asked to publish. */
interface PublishInput {
  modelId: bigint;
  weightsHash?: string;
  uri: string;
  manifestRoot?: string;
  configHash?: string;
  parentVersionId?: bigint;
  data: { datasetVersionId: bigint; licenceId: bigint }[];
  codeHash?: string;
  hyperparametersHash?: string;
  /** With --private-hyperparameters: their commitment, whose root is sent as the hyperparameters hash. */
  privateHyperparameters?: PrivateFields;
  startedAt: Date;
  endedAt: Date;
  region: string;
  computeProvider?: string;
}

/** The version and training run `model publish` sends, from its options; bad input is refused before anything is read or sent. */
async function publishInputOf(modelIdText: string, options: PublishOptions): Promise<PublishInput> {
  const modelId = parseId(modelIdText, "modelId");
  if (options.weights === undefined && options.weightsHash === undefined) {
    throw new CliError("give the weights with --weights <file or directory> (fingerprinted here) or their --weights-hash <hash>");
  }
  if (options.weights !== undefined && options.weightsHash !== undefined) throw new CliError("give either --weights or --weights-hash, not both");
  if (options.manifestOut !== undefined && options.weights === undefined) throw new CliError("--manifest-out needs --weights");
  if (options.weights !== undefined) await requirePath(options.weights, "--weights");
  if (options.manifestOut !== undefined) await assertNewFile(options.manifestOut, "--manifest-out", options.force);
  const weightsHash = options.weightsHash === undefined ? undefined : parseBytes32(options.weightsHash, "--weights-hash", { nonZero: true });
  const uri = parseText(options.uri, "--uri (where the weights live)");
  const manifestRoot = options.manifestRoot === undefined ? undefined : parseBytes32(options.manifestRoot, "--manifest-root");
  const configHash = options.configHash === undefined ? undefined : await parseHashOrFile(options.configHash, "--config-hash");
  const parentVersionId = options.parent === undefined ? undefined : parseId(options.parent, "--parent");
  const data = (options.data ?? []).map((use) => parseDataUse(use));
  const codeHash = options.codeHash === undefined ? undefined : await parseHashOrFile(options.codeHash, "--code-hash");
  const hyperparametersHash =
    options.hyperparametersHash === undefined ? undefined : await parseHashOrFile(options.hyperparametersHash, "--hyperparameters-hash");
  const privateHyperparameters = await privateFieldsOf(options.privateHyperparameters, options, {
    flag: "--private-hyperparameters",
    hashFlag: "--hyperparameters-hash",
    hash: options.hyperparametersHash,
  });
  if (options.started === undefined || options.ended === undefined) {
    throw new CliError("give the training window with --started <time> and --ended <time> (ISO 8601, e.g. 2026-01-02T08:00:00Z)");
  }
  const startedAt = parseTime(options.started, "--started");
  const endedAt = parseTime(options.ended, "--ended");
  if (endedAt < startedAt) throw new CliError(`--ended ${options.ended} is before --started ${options.started}`);
  const region = REGION_CODES[Number(toRegion(options.region, "--region"))]!;
  toComputeProvider(options.computeProvider, "--compute-provider"); // refused here, before anything is read or sent
  const { computeProvider } = options;
  return { modelId, weightsHash, uri, manifestRoot, configHash, parentVersionId, data, codeHash, hyperparametersHash, privateHyperparameters, startedAt, endedAt, region, computeProvider };
}

/** Fingerprints the weights when given as files, publishes the version with its training run, and prints it. */
async function publishVersion(ctx: Context, input: PublishInput, options: PublishOptions): Promise<void> {
  const { modelId, uri, configHash, parentVersionId, data, codeHash, privateHyperparameters, startedAt, endedAt, region, computeProvider } = input;
  let { weightsHash, manifestRoot } = input;
  const client = await ctx.client({ sign: true });
  let files: { fileCount: number; totalBytes: number } | undefined;
  if (options.weights !== undefined) {
    const fp = await fingerprintWithProgress(ctx, options.weights, options);
    if (options.manifestOut) await writeManifest(options.manifestOut, fp, options.force);
    weightsHash = fp.fingerprint;
    manifestRoot ??= fp.root;
    files = { fileCount: fp.fileCount, totalBytes: fp.totalBytes };
  }
  const hyperparametersHash = privateHyperparameters ? await writeSecrets(privateHyperparameters) : input.hyperparametersHash;
  const result = await publishModelVersion(client, {
    modelId,
    version: { weightsHash: weightsHash!, manifestRoot, configHash, parentVersionId, uri },
    trainingRun: { data, codeHash, hyperparametersHash, startedAt, endedAt, region, computeProvider },
    onSubmitted: ctx.submitted,
  });
  ctx.out.result(
    {
      versionId: result.versionId,
      modelId: result.modelId,
      number: result.number,
      trainingRunId: result.versionId,
      dataDeclared: result.dataDeclared,
      commercialData: result.commercialData,
      weightsHash,
      manifestRoot,
      files,
      data,
      region,
      computeProvider: computeProvider ?? null,
      ...privateFieldsJson(privateHyperparameters),
      hash: result.hash,
      blockNumber: result.blockNumber,
    },
    () =>
      block(`model version ${result.versionId} published (version ${result.number} of model ${result.modelId})`, [
        ["weights", weightsHash],
        ["manifest root", manifestRoot],
        ["fine-tuned from", parentVersionId],
        ["trained on", data.length > 0 ? data.map((use) => `dataset version ${use.datasetVersionId} (licence ${use.licenceId})`).join(", ") : "no dataset"],
        ["computed in", computeProvider === undefined ? region : `${region}, by ${computeProvider}`],
        privateFieldsRow(privateHyperparameters, "hyperparameters"),
        ["training data", result.dataDeclared ? "declared along its lineage" : "NOT declared along its lineage"],
        ["commercial data", result.commercialData],
        txRow(result),
      ]),
  );
}

/** The `policy` subcommand: set the attestation kinds a release of the model requires (release-approval is always included). */
function registerModelPolicy(model: Command): void {
  const policy = model
    .command("policy")
    .description("set the attestation kinds a release of the model requires (release-approval is always included)")
    .argument("<modelId>", "the model")
    .requiredOption(
      "--require <kind...>",
      "kinds: safety-evaluation, bias-check, red-team-report, consent, licence-compliance, release-approval, or a number",
    )
    .option("--require-declared-data", "approve only versions whose training run, and every ancestor's, names registered data")
    .addHelpText(
      "after",
      "\nExample:\n  $ pedigree model policy 1 --require safety-evaluation bias-check release-approval --require-declared-data",
    );
  addGlobalOptions(policy, ["output", "chain", "key"]).action(
    run(async (ctx, [modelIdText], options: { require: string[]; requireDeclaredData?: boolean }) => {
      const modelId = parseId(modelIdText, "modelId");
      const kinds = options.require.map((kind) => parseKind(kind, "--require"));
      if (!kinds.includes(RELEASE_APPROVAL_KIND)) kinds.push(RELEASE_APPROVAL_KIND);
      const requireDeclaredData = options.requireDeclaredData === true;
      const client = await ctx.client({ sign: true });
      const result = await setReleasePolicy(client, { modelId, kinds, requireDeclaredData, onSubmitted: ctx.submitted });
      const names = result.kinds.map((kind) => kindName(kind));
      ctx.out.result(
        {
          modelId: result.modelId,
          kinds: names,
          requireDeclaredData: result.requireDeclaredData,
          requiredKinds: result.requiredKinds,
          hash: result.hash,
          blockNumber: result.blockNumber,
        },
        () =>
          block(`release policy of model ${result.modelId} set`, [
            ["requires", names.join(", ")],
            ["declared data", result.requireDeclaredData ? "required" : "not required"],
            txRow(result),
          ]),
      );
    }),
  );
}

/** The `grant-derivation` subcommand: let an account (or anyone) publish versions fine-tuned from this model's versions, or stop it. */
function registerModelGrantDerivation(model: Command): void {
  const grant = model
    .command("grant-derivation")
    .description("let an account (or anyone) publish versions fine-tuned from this model's versions, or stop it")
    .argument("<modelId>", "the model")
    .option("--to <address|anyone>", "who may fine-tune it")
    .option("--revoke", "take the grant back (versions already fine-tuned stay)")
    .addHelpText(
      "after",
      `
Without a grant only the model's owner may fine-tune its versions; \`--to anyone\` opens them to every account.

Example:
  $ pedigree model grant-derivation 1 --to 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65
  $ pedigree model grant-derivation 1 --to anyone --revoke`,
    );
  addGlobalOptions(grant, ["output", "chain", "key"]).action(
    run(async (ctx, [modelIdText], options: { to?: string; revoke?: boolean }) => {
      const modelId = parseId(modelIdText, "modelId");
      if (options.to === undefined) throw new CliError("name who may fine-tune the model with --to <address>, or --to anyone");
      const grantee = options.to.trim().toLowerCase() === "anyone" ? "anyone" : parseAddress(options.to, "--to", { nonZero: true });
      const allowed = options.revoke !== true;
      const client = await ctx.client({ sign: true });
      const result = await grantDerivation(client, { modelId, grantee, allowed, onSubmitted: ctx.submitted });
      const who = grantee === "anyone" ? "anyone" : result.grantee;
      ctx.out.result(
        {
          modelId: result.modelId,
          grantee: who,
          allowed: result.allowed,
          grantedBy: result.grantedBy,
          hash: result.hash,
          blockNumber: result.blockNumber,
        },
        () =>
          block(
            result.allowed ? `${who} may now fine-tune model ${result.modelId}` : `${who} may no longer fine-tune model ${result.modelId}`,
            [["by", result.grantedBy], txRow(result)],
          ),
      );
    }),
  );
}

/** The `approve` subcommand: pass a model version through its release gate with attestations covering its model's policy. */
function registerModelApprove(model: Command): void {
  const approve = model
    .command("approve")
    .description("pass a model version through its release gate with attestations covering its model's policy")
    .argument("<versionId>", "the model version")
    .requiredOption("--attestation <id...>", "attestations about this version (repeatable, or several after one flag)")
    .addHelpText("after", "\nExample:\n  $ pedigree model approve 1 --attestation 3 4 5");
  addGlobalOptions(approve, ["output", "chain", "key"]).action(
    run(async (ctx, [versionIdText], options: { attestation: string[] }) => {
      const versionId = parseId(versionIdText!, "versionId");
      const attestationIds = options.attestation.map((id) => parseId(id, "--attestation"));
      const client = await ctx.client({ sign: true });
      const result = await approveVersion(client, { versionId, attestationIds, onSubmitted: ctx.submitted });
      ctx.out.result(
        {
          versionId: result.versionId,
          modelId: result.modelId,
          attestationIds: result.attestationIds,
          hash: result.hash,
          blockNumber: result.blockNumber,
        },
        () =>
          block(`model version ${result.versionId} of model ${result.modelId} approved`, [
            ["attestations", result.attestationIds.join(", ")],
            txRow(result),
          ]),
      );
    }),
  );
}
