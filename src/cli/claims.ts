/**
 * `pedigree dataset|model commit` and `prove-priority`: commit to a fingerprint (or weights hash) before publishing it,
 * keeping the salt in a file, then prove the commitment once published, so that a squatter who registers the same
 * digest first cannot claim to have come first.
 */
import { rm } from "node:fs/promises";
import type { Command } from "commander";
import { commitClaim, prepareClaim, proveClaimPriority, type ClaimRegistry, type ClaimSecret } from "../sdk/index.ts";
import { parseAddress, parseBytes32 } from "../core/hex.ts";
import { run, type Context } from "./context.ts";
import { CliError } from "./errors.ts";
import { writeOutputFile } from "./files.ts";
import { fingerprintWithProgress } from "./fingerprint.ts";
import { addGlobalOptions } from "./options.ts";
import { block, formatTime, txRow } from "./output.ts";
import { readJsonFile, requirePath } from "./parse.ts";

/** How each registry names the digest and where it comes from. */
const DIGESTS = {
  datasets: { group: "dataset", noun: "fingerprint", pathFlag: "--path", hashFlag: "--fingerprint", thing: "the data" },
  models: { group: "model", noun: "weights hash", pathFlag: "--weights", hashFlag: "--weights-hash", thing: "the weights" },
} as const;

interface CommitOptions {
  path?: string;
  weights?: string;
  fingerprint?: string;
  weightsHash?: string;
  out?: string;
  force?: boolean;
  claimant?: string;
  skipSymlinks?: boolean;
  progress: boolean;
}

/** The digest to commit to: hashed from the path given, or as given. */
async function digestOf(ctx: Context, registry: ClaimRegistry, options: CommitOptions): Promise<string> {
  const { pathFlag, hashFlag, thing } = DIGESTS[registry];
  const path = registry === "datasets" ? options.path : options.weights;
  const hash = registry === "datasets" ? options.fingerprint : options.weightsHash;
  if (path === undefined && hash === undefined) throw new CliError(`give ${thing} with ${pathFlag} <file or directory> or its ${hashFlag} <hash>`);
  if (path !== undefined && hash !== undefined) throw new CliError(`give either ${pathFlag} or ${hashFlag}, not both`);
  if (hash !== undefined) return parseBytes32(hash, hashFlag, { nonZero: true });
  await requirePath(path!, pathFlag);
  return (await fingerprintWithProgress(ctx, path!, options)).fingerprint;
}

/** Writes the secret, readable by its owner only; refuses to overwrite (an earlier commitment's salt) unless `force`. */
const writeSecret = (file: string, secret: ClaimSecret, force: boolean) =>
  writeOutputFile(file, `${JSON.stringify(secret, null, 2)}\n`, "--out", force, 0o600);

/** Adds `commit` and `prove-priority` to the `dataset` or `model` command group. */
export function registerClaimCommands(group: Command, registry: ClaimRegistry): void {
  registerCommit(group, registry);
  registerProvePriority(group, registry);
}

/** `… commit`: commit to a digest before publishing it, keeping the salt in a file. */
function registerCommit(group: Command, registry: ClaimRegistry): void {
  const { group: name, noun, pathFlag, hashFlag, thing } = DIGESTS[registry];
  const commit = group
    .command("commit")
    .description(`commit to ${thing}'s ${noun} before publishing it, without revealing it; the salt goes to a file you keep`)
    .option(`${pathFlag} <path>`, `${thing} (file or directory): fingerprinted here`)
    .option(`${hashFlag} <hash>`, `the ${noun}, if computed already (\`pedigree fingerprint\`)`)
    .option("--out <file>", "where to write the salt file (readable by you only); keep it secret until you prove")
    .option("--force", "overwrite --out if it exists (it may hold the salt of an earlier commitment)")
    .option("--claimant <address>", `who will publish it: the ${name}'s owner (default: the signer)`)
    .option("--skip-symlinks", `with ${pathFlag}: leave symbolic links out instead of refusing them`)
    .option("--no-progress", `with ${pathFlag}: no progress bar`)
    .addHelpText(
      "after",
      `
Only the commitment goes on chain. Publish the ${name} version afterwards, then run
\`pedigree ${name} prove-priority <file>\`: the registry records that your claim was committed at this time, before
anyone who registers the same ${noun} in between. The salt is printed only with --json.

Example:
  $ pedigree ${name} commit ${pathFlag} ./${registry === "datasets" ? "clinical-notes-v3" : "checkpoints/v3"} --out v3.claim.json`,
    );
  addGlobalOptions(commit, ["output", "chain", "key"]).action(
    run((ctx, _args, options: CommitOptions) => commitDigest(ctx, registry, options)),
  );
}

/** Commits to the digest (the salt file is written first, and removed again if nothing reached the chain), and prints it. */
async function commitDigest(ctx: Context, registry: ClaimRegistry, options: CommitOptions): Promise<void> {
  const { group: name, noun } = DIGESTS[registry];
  if (options.out === undefined) throw new CliError("name the salt file to write with --out <file>");
  const out = options.out;
  const claimant = options.claimant === undefined ? undefined : parseAddress(options.claimant, "--claimant", { nonZero: true });
  const digest = await digestOf(ctx, registry, options);
  const client = await ctx.client({ sign: true });
  const secret = await prepareClaim(client, { registry, digest, claimant });
  await writeSecret(out, secret, options.force === true);
  let sent = false;
  let result;
  try {
    result = await commitClaim(client, {
      registry,
      digest,
      claimant,
      salt: secret.salt,
      onSubmitted: (hash) => {
        sent = true;
        ctx.submitted(hash);
      },
    });
  } catch (error) {
    // Nothing reached the chain: the file would only stand for a commitment that does not exist.
    if (!sent) await rm(out, { force: true });
    throw error;
  }
  ctx.out.result({ file: out, ...secret, committedAt: result.committedAt, hash: result.hash, blockNumber: result.blockNumber }, () =>
    block(`committed to ${noun} ${digest}`, [
      ["commitment", secret.commitment],
      ["claimant", secret.claimant],
      ["committed at", formatTime(result.committedAt)],
      ["salt file", `${out} (keep it secret until you prove)`],
      ["next", `publish, then: pedigree ${name} prove-priority ${out}`],
      txRow(result),
    ]),
  );
}

/** `… prove-priority`: reveal a commitment once the version is published. */
function registerProvePriority(group: Command, registry: ClaimRegistry): void {
  const { group: name, noun } = DIGESTS[registry];
  const prove = group
    .command("prove-priority")
    .description(`reveal a commitment made with \`pedigree ${name} commit\`, once the version is published (anyone may send it)`)
    .argument("<file>", "the salt file written by commit")
    .addHelpText(
      "after",
      `
The salt becomes public. Exit code 1 when the registry refuses: the ${noun} not yet published by the claimant
(UnknownClaim), or no matching commitment (UnknownCommitment).

Example:
  $ pedigree ${name} prove-priority v3.claim.json`,
    );
  addGlobalOptions(prove, ["output", "chain", "key"]).action(
    run((ctx, [file]) => provePriority(ctx, registry, file!)),
  );
}

/** Proves the priority of the commitment in the salt file, and prints it. */
async function provePriority(ctx: Context, registry: ClaimRegistry, file: string): Promise<void> {
  const { group: name, noun } = DIGESTS[registry];
  const document = (await readJsonFile(file, "salt file")) as ClaimSecret;
  const kind = (document as { registry?: unknown } | null)?.registry;
  if ((kind === "datasets" || kind === "models") && kind !== registry) {
    throw new CliError(`${file} holds a commitment to a ${DIGESTS[kind].noun}: prove it with \`pedigree ${DIGESTS[kind].group} prove-priority ${file}\``);
  }
  const client = await ctx.client({ sign: true });
  const result = await proveClaimPriority(client, document, { onSubmitted: ctx.submitted });
  ctx.out.result(
    {
      versionId: result.versionId,
      claimant: result.claimant,
      digest: result.digest,
      committedAt: result.committedAt,
      hash: result.hash,
      blockNumber: result.blockNumber,
    },
    () =>
      block(`${name} version ${result.versionId}: claim proven committed at ${formatTime(result.committedAt)}`, [
        ["claimant", result.claimant],
        [noun, result.digest],
        txRow(result),
      ]),
  );
}
