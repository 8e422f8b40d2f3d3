/**
 * Privacy-preserving provenance on the command line: disclose chosen fields of a privately committed record
 * (`dataset register|version --private-fields`) to an auditor, verify such a package against the chain, and encrypt
 * an artifact or evidence URI to recipients' public keys — decrypted with a key from the keystore, never from argv.
 */
import type { Command } from "commander";
import { disclose, loadSecrets, parseDisclosure, verifyDisclosure, type DisclosurePackage } from "../core/commitments.ts";
import { addRecipient, decryptUri, encryptUri, parseEnvelope, publicKeyOf } from "../core/envelope.ts";
import { parseBytes32 } from "../core/hex.ts";
import { parseId } from "../core/ids.ts";
import { datasetVersions } from "../sdk/index.ts";
import { run, type Context } from "./context.ts";
import { CliError } from "./errors.ts";
import { assertNewFile, writeOutputFile } from "./files.ts";
import { loadSigner } from "./keys.ts";
import { addGlobalOptions } from "./options.ts";
import { block } from "./output.ts";
import { collect, parseText, readJsonFile } from "./parse.ts";

export function registerPrivacyCommands(program: Command): void {
  registerDisclose(program);
  registerVerifyDisclosure(program);
  registerEncryptUri(program);
  registerDecrypt(program);
}

interface OutOptions {
  out?: string;
  force?: boolean;
}

async function writeJson(file: string | undefined, value: unknown, what: string, force?: boolean): Promise<string> {
  if (file === undefined) throw new CliError(`name the file to write ${what} to with --out <file>`);
  await assertNewFile(file, "--out", force);
  await writeOutputFile(file, `${JSON.stringify(value, null, 2)}\n`, "--out", force);
  return file;
}

/** The `disclose` command. */
function registerDisclose(program: Command): void {
  const command = program
    .command("disclose")
    .description("write a disclosure package: chosen fields of a privately committed dataset version, with their salts and proofs (offline)")
    .option("--secrets <file>", "the secrets file `dataset register|version --secrets-out` wrote")
    .option("--fields <names>", "the fields to disclose, comma-separated")
    .option("--dataset-version <id>", "the dataset version the fields were committed for")
    .option("--out <file>", "the package to write")
    .option("--force", "overwrite --out if it exists")
    .addHelpText("after", "\nThe other fields stay hidden: the package holds only the named ones.\n\nExample:\n  $ pedigree disclose --secrets notes-v1.secrets.json --fields consentBasis,piiPresent --dataset-version 1 --out for-auditor.json");
  addGlobalOptions(command, ["output"]).action(
    run(async (ctx, _args, options: OutOptions & { secrets?: string; fields?: string; datasetVersion?: string }) => {
      const secrets = loadSecrets(await readJsonFile(parseText(options.secrets, "--secrets (the secrets file)"), "--secrets file"));
      const names = parseText(options.fields, "--fields (the fields to disclose)").split(",").map((name) => name.trim()).filter(Boolean);
      const id = parseId(parseText(options.datasetVersion, "--dataset-version"), "--dataset-version");
      const pkg = disclose(secrets, names, { type: "dataset-version", id: id.toString() });
      const file = await writeJson(options.out, pkg, "the package", options.force);
      ctx.out.result({ file, root: pkg.root, disclosed: names, hidden: pkg.fieldCount - names.length }, () =>
        block(`${names.length} of ${pkg.fieldCount} fields of dataset version ${id} disclosed in ${file}`, [
          ["fields", names.join(", ")],
          ["commitment", pkg.root],
          ["check with", `pedigree verify-disclosure ${file}`],
        ]),
      );
    }),
  );
}

/** The root the chain records for the package's subject; refused for a withdrawn dataset. */
async function rootOnChain(ctx: Context, pkg: DisclosurePackage): Promise<{ root: string; block: number }> {
  if (pkg.subject.type !== "dataset-version") throw new CliError(`the package opens a ${pkg.subject.type}; only dataset versions are committed privately so far`);
  const versionId = parseId(pkg.subject.id, "package.subject.id");
  const client = await ctx.client({ sign: false });
  const datasetId = await ctx.view("DatasetRegistry.datasetOfVersion", () => client.datasets.datasetOfVersion(versionId));
  const dataset = await ctx.view("DatasetRegistry.getDataset", () => client.datasets.getDataset(datasetId));
  if (dataset.withdrawn) {
    throw new CliError(`dataset ${datasetId} of dataset version ${versionId} was withdrawn${dataset.consentRevoked ? " and consent to use it revoked" : ""}: the package opens a revoked record`, { code: "REVOKED_RECORD" });
  }
  const version = (await datasetVersions(client, { datasetId })).find((v) => v.versionId === versionId)!;
  return { root: version.metadataHash.toLowerCase(), block: version.blockNumber };
}

/** The `verify-disclosure` command. */
function registerVerifyDisclosure(program: Command): void {
  const command = program
    .command("verify-disclosure")
    .description("check a disclosure package against the commitment the chain records for its dataset version")
    .argument("<package>", "the package `pedigree disclose` wrote")
    .addHelpText("after", "\nExit code 0 when every field opens the commitment on chain; 1 naming each field that does not, or for a withdrawn dataset.\n\nExample:\n  $ pedigree verify-disclosure for-auditor.json --json");
  addGlobalOptions(command, ["output", "chain"]).action(
    run(async (ctx, [file]) => {
      const pkg = parseDisclosure(await readJsonFile(file!, "package"));
      const onChain = await rootOnChain(ctx, pkg);
      if (pkg.root !== onChain.root) {
        throw new CliError(`the package is for commitment ${pkg.root}, but dataset version ${pkg.subject.id} records ${onChain.root} on chain: it opens another record`, { code: "DISCLOSURE_MISMATCH" });
      }
      const disclosed = verifyDisclosure(pkg, onChain.root);
      ctx.out.result({ subject: pkg.subject, root: onChain.root, committedAtBlock: onChain.block, verified: disclosed, hidden: pkg.fieldCount - pkg.fields.length }, () =>
        block(`${pkg.fields.length} fields of dataset version ${pkg.subject.id} verified against its commitment on chain (block ${onChain.block})`, [
          ...Object.entries(disclosed).map(([name, value]) => [name, value] as const),
          ["not disclosed", `${pkg.fieldCount - pkg.fields.length} fields`],
        ]),
      );
    }),
  );
}

/** The `encrypt-uri` command. */
function registerEncryptUri(program: Command): void {
  const command = program
    .command("encrypt-uri")
    .description("encrypt an artifact or evidence URI to recipients' public keys (ECIES over secp256k1), or add a recipient to an envelope")
    .argument("[uri]", "the URI to encrypt (leave out with --add-recipient)")
    .option("--to <publicKey>", "a recipient's secp256k1 public key, 0x-hex (repeatable)", collect)
    .option("--add-recipient <publicKey>", "add this recipient to --envelope, with your key (a current recipient's) from the keystore")
    .option("--envelope <file>", "with --add-recipient: the envelope to extend")
    .option("--out <file>", "the envelope to write")
    .option("--force", "overwrite --out if it exists")
    .addHelpText(
      "after",
      `
The envelope holds the URI's keccak256 (what a record commits to) and can be published: only the recipients decrypt it.
Adding a recipient re-wraps the key: the ciphertext and the committed hash do not change.

Example:
  $ pedigree encrypt-uri s3://acme/evidence/bias-report.pdf --to 0x02ab… --to 0x03cd… --out evidence.envelope.json
  $ pedigree encrypt-uri --add-recipient 0x02ef… --envelope evidence.envelope.json --out evidence.envelope.v2.json`,
    );
  addGlobalOptions(command, ["output", "key"]).action(
    run(async (ctx, [uri], options: OutOptions & { to?: string[]; addRecipient?: string; envelope?: string }) => {
      if (options.addRecipient !== undefined) {
        if (uri !== undefined || options.to !== undefined) throw new CliError("--add-recipient extends an --envelope: give no URI and no --to");
        const envelope = parseEnvelope(await readJsonFile(parseText(options.envelope, "--envelope (the envelope to extend)"), "--envelope file"));
        const wallet = await loadSigner(ctx.options);
        const wider = addRecipient(envelope, wallet.privateKey, options.addRecipient);
        const file = await writeJson(options.out, wider, "the envelope", options.force);
        ctx.out.result({ file, uriHash: wider.uriHash, recipients: wider.recipients.map((r) => r.publicKey) }, () =>
          block(`recipient added; ${wider.recipients.length} recipients in ${file}`, [["URI hash", `${wider.uriHash} (unchanged)`]]),
        );
        return;
      }
      const envelope = encryptUri(parseText(uri, "the URI to encrypt"), options.to ?? []);
      const file = await writeJson(options.out, envelope, "the envelope", options.force);
      ctx.out.result({ file, uriHash: envelope.uriHash, recipients: envelope.recipients.map((r) => r.publicKey) }, () =>
        block(`URI encrypted to ${envelope.recipients.length} recipients in ${file}`, [["URI hash", envelope.uriHash]]),
      );
    }),
  );
}

/** The `decrypt` command. */
function registerDecrypt(program: Command): void {
  const command = program
    .command("decrypt")
    .description("decrypt an encrypted URI with your key (keystore or PEDIGREE_PRIVATE_KEY, never the command line)")
    .argument("<envelope>", "the envelope `pedigree encrypt-uri` wrote")
    .option("--committed <hash>", "the URI hash the record commits to: refuse a URI that does not hash to it")
    .addHelpText("after", "\nExample:\n  $ pedigree decrypt evidence.envelope.json --keystore auditor.json");
  addGlobalOptions(command, ["output", "key"]).action(
    run(async (ctx, [file], options: { committed?: string }) => {
      const envelope = parseEnvelope(await readJsonFile(file!, "envelope"));
      const committed = options.committed === undefined ? undefined : parseBytes32(options.committed, "--committed");
      const wallet = await loadSigner(ctx.options);
      const uri = decryptUri(envelope, wallet.privateKey, committed);
      ctx.out.result({ uri, uriHash: envelope.uriHash, recipient: publicKeyOf(wallet.privateKey) }, () => [uri]);
    }),
  );
}
