/**
 * Privacy-preserving provenance on the command line: disclose chosen fields of a privately committed record
 * (`dataset register|version --private-fields`) to an auditor, verify such a package against the chain, and encrypt
 * an artifact or evidence URI to recipients' public keys — decrypted with a key from the keystore, never from argv.
 */
import type { Command } from "commander";
import { disclose, loadSecrets, parseDisclosure, verifyDisclosure } from "../core/commitments.ts";
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
    .description("write a disclosure package: chosen fields of a privately committed record, with their salts and proofs (offline)")
    .option("--secrets <file>", "the secrets file `dataset register|version --secrets-out` wrote")
    .option("--fields <names>", "the fields to disclose, comma-separated")
    .option("--subject <type:id>", `the record the fields were committed for: ${Object.keys(COMMITTED).map((type) => `${type}:<id>`).join(", ")}`)
    .option("--out <file>", "the package to write")
    .option("--force", "overwrite --out if it exists")
    .addHelpText(
      "after",
      `
A dataset version's datasheet fields come from \`dataset register|version --private-fields\`, a model's card fields
from \`model register --private-fields\`, an attestation's evidence from \`attest --private-evidence\`, a training run's hyperparameters (its id is the model version's) from
\`model publish --private-hyperparameters\`. The other fields stay hidden: the package holds only the named ones.

Example:
  $ pedigree disclose --secrets notes-v1.secrets.json --fields consentBasis,piiPresent --subject dataset-version:1 --out for-auditor.json`,
    );
  addGlobalOptions(command, ["output"]).action(
    run(async (ctx, _args, options: OutOptions & { secrets?: string; fields?: string; subject?: string }) => {
      const secrets = loadSecrets(await readJsonFile(parseText(options.secrets, "--secrets (the secrets file)"), "--secrets file"));
      const names = parseText(options.fields, "--fields (the fields to disclose)").split(",").map((name) => name.trim()).filter(Boolean);
      const subject = parseCommittedSubject(options.subject);
      const pkg = disclose(secrets, names, subject);
      const file = await writeJson(options.out, pkg, "the package", options.force);
      ctx.out.result({ file, root: pkg.root, disclosed: names, hidden: pkg.fieldCount - names.length }, () =>
        block(`${names.length} of ${pkg.fieldCount} fields of ${subject.type} ${subject.id} disclosed in ${file}`, [
          ["fields", names.join(", ")],
          ["commitment", pkg.root],
          ["check with", `pedigree verify-disclosure ${file}`],
        ]),
      );
    }),
  );
}

/** The root the chain records for a subject, and the block it was recorded in. */
interface RecordedRoot {
  root: string;
  block: number;
}

/** Where each kind of record keeps a committed root: the hash the commitment took the place of. */
const COMMITTED: Record<string, (ctx: Context, id: bigint) => Promise<RecordedRoot>> = {
  /** A dataset version's metadata hash (DatasetVersionPublished); refused once its dataset is withdrawn. */
  "dataset-version": async (ctx, versionId) => {
    const client = await ctx.client({ sign: false });
    const datasetId = await ctx.view("DatasetRegistry.datasetOfVersion", () => client.datasets.datasetOfVersion(versionId));
    const dataset = await ctx.view("DatasetRegistry.getDataset", () => client.datasets.getDataset(datasetId));
    if (dataset.withdrawn) {
      throw new CliError(`dataset ${datasetId} of dataset version ${versionId} was withdrawn${dataset.consentRevoked ? " and consent to use it revoked" : ""}: the package opens a revoked record`, { code: "REVOKED_RECORD" });
    }
    const version = (await datasetVersions(client, { datasetId })).find((v) => v.versionId === versionId)!;
    return { root: version.metadataHash, block: version.blockNumber };
  },
  /** An attestation's evidence hash (Attested); refused once the attestation is revoked. */
  attestation: async (ctx, attestationId) => {
    const client = await ctx.client({ sign: false });
    const [attested] = await ctx.view("AttestationRegistry.Attested", () => client.attestations.queryFilter(client.attestations.filters.Attested(attestationId)));
    if (attested === undefined) throw new CliError(`attestation ${attestationId} does not exist on chain: check the id`, { code: "UNKNOWN_RECORD" });
    const stored = await ctx.view("AttestationRegistry.getAttestation", () => client.attestations.getAttestation(attestationId));
    if (stored.revoked) throw new CliError(`attestation ${attestationId} was revoked: the package opens a revoked record`, { code: "REVOKED_RECORD" });
    return { root: attested.args.evidenceHash, block: attested.blockNumber };
  },
  /** A model's card hash (ModelRegistered). */
  model: async (ctx, modelId) => {
    const client = await ctx.client({ sign: false });
    const [registered] = await ctx.view("ModelRegistry.ModelRegistered", () => client.models.queryFilter(client.models.filters.ModelRegistered(modelId)));
    if (registered === undefined) throw new CliError(`model ${modelId} does not exist on chain: check the id`, { code: "UNKNOWN_RECORD" });
    return { root: registered.args.metadataHash, block: registered.blockNumber };
  },
  /** A training run's hyperparameters hash (TrainingRunRecorded; the run's id is its model version's). */
  "training-run": async (ctx, versionId) => {
    const client = await ctx.client({ sign: false });
    const [recorded] = await ctx.view("ModelRegistry.TrainingRunRecorded", () => client.models.queryFilter(client.models.filters.TrainingRunRecorded(versionId)));
    if (recorded === undefined) throw new CliError(`training run ${versionId} does not exist on chain: check the id (a model version's id)`, { code: "UNKNOWN_RECORD" });
    return { root: recorded.args.hyperparametersHash, block: recorded.blockNumber };
  },
};

/** `--subject <type>:<id>` of a record kind that can be committed privately. */
function parseCommittedSubject(value: string | undefined): { type: string; id: string } {
  const text = parseText(value, "--subject (the record, e.g. dataset-version:1)");
  const match = /^\s*([a-z-]+):(\S+)\s*$/.exec(text);
  if (!match || COMMITTED[match[1]!] === undefined) {
    throw new CliError(`--subject must be one of ${Object.keys(COMMITTED).map((type) => `${type}:<id>`).join(", ")}, got ${JSON.stringify(text)}`);
  }
  return { type: match[1]!, id: parseId(match[2]!, "--subject id").toString() };
}

/** The `verify-disclosure` command. */
function registerVerifyDisclosure(program: Command): void {
  const command = program
    .command("verify-disclosure")
    .description("check a disclosure package against the commitment the chain records for its record")
    .argument("<package>", "the package `pedigree disclose` wrote")
    .addHelpText("after", "\nExit code 0 when every field opens the commitment on chain; 1 naming each field that does not, or for a withdrawn dataset.\n\nExample:\n  $ pedigree verify-disclosure for-auditor.json --json");
  addGlobalOptions(command, ["output", "chain"]).action(
    run(async (ctx, [file]) => {
      const pkg = parseDisclosure(await readJsonFile(file!, "package"));
      const recorded = COMMITTED[pkg.subject.type];
      if (recorded === undefined) throw new CliError(`the package opens a ${pkg.subject.type}; committed records are ${Object.keys(COMMITTED).join(", ")}`);
      const onChain = await recorded(ctx, parseId(pkg.subject.id, "package.subject.id"));
      const root = onChain.root.toLowerCase();
      if (pkg.root !== root) {
        throw new CliError(`the package is for commitment ${pkg.root}, but ${pkg.subject.type} ${pkg.subject.id} records ${root} on chain: it opens another record`, { code: "DISCLOSURE_MISMATCH" });
      }
      const disclosed = verifyDisclosure(pkg, root);
      ctx.out.result({ subject: pkg.subject, root, committedAtBlock: onChain.block, verified: disclosed, hidden: pkg.fieldCount - pkg.fields.length }, () =>
        block(`${pkg.fields.length} fields of ${pkg.subject.type} ${pkg.subject.id} verified against its commitment on chain (block ${onChain.block})`, [
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
