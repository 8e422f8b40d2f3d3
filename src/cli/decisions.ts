/**
 * `pedigree decisions …`: anchor a batch of decision records (their Merkle root) for the model version that made
 * them, prove a record is in a batch, and verify on chain that it is in the batch a given version anchored.
 */
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { anchorDecisions, anchorSystemDecisions, toRequiredRegionSet, verifyDecision } from "../sdk/index.ts";
import { describeRegions, regionCodes } from "../core/regions.ts";
import { DecisionTree, type DecisionTreeDump } from "../core/merkle.ts";
import { parseBytes32 } from "../core/hex.ts";
import { parseId } from "../core/ids.ts";
import { run, type Context } from "./context.ts";
import { CliError } from "./errors.ts";
import { addGlobalOptions } from "./options.ts";
import { block, formatTime, txRow } from "./output.ts";
import { parseTime, readInputFile, readJsonFile, versionOrSystem } from "./parse.ts";

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/**
 * Record hashes from a file: one per line (blank lines and `#` comments skipped), a JSON array of hashes, or a tree
 * dump (`{ "format": "pedigree-decisions-v1", "records": [...] }`).
 */
async function readRecords(file: string): Promise<string[]> {
  const text = (await readInputFile(file, "--records file")).toString("utf8");
  const trimmed = text.trim();
  let records: unknown[];
  let where: (index: number) => string;
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new CliError(`--records file ${file} is not valid JSON (${(error as Error).message.split("\n")[0]})`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { records?: unknown }).records;
    if (!Array.isArray(list)) throw new CliError(`--records file ${file} must hold a JSON array of record hashes`);
    records = list;
    where = (index) => `entry ${index + 1}`;
  } else {
    const lines = text.split(/\r?\n/);
    const kept: { value: string; line: number }[] = [];
    lines.forEach((line, index) => {
      const value = line.trim();
      if (value !== "" && !value.startsWith("#")) kept.push({ value, line: index + 1 });
    });
    records = kept.map((entry) => entry.value);
    where = (index) => `line ${kept[index]!.line}`;
  }
  if (records.length === 0) throw new CliError(`--records file ${file} holds no record hashes: put one 32-byte hash per line`);
  records.forEach((record, index) => {
    if (typeof record !== "string" || !BYTES32.test(record)) {
      throw new CliError(`--records file ${file}, ${where(index)}: ${JSON.stringify(record)} is not a 32-byte hash (0x + 64 hex digits)`);
    }
  });
  return records as string[];
}

/** A tree dump written by `decisions anchor`, rebuilt and checked against its root. */
async function loadTree(file: string): Promise<DecisionTree> {
  const dump = (await readJsonFile(file, "--tree file")) as DecisionTreeDump;
  return DecisionTree.load(dump);
}

/** The proof of a record in a tree; a failed operation (exit 1) when the record is not in it. */
function proofOf(tree: DecisionTree, recordHash: string, file: string): { index: number; proof: string[] } {
  const index = tree.indexOf(recordHash);
  if (index < 0) throw new CliError(`record ${recordHash} is not in the batch of ${file} (root ${tree.root})`, { code: "NOT_IN_BATCH" });
  return { index, proof: tree.proofAt(index) };
}

async function writeTree(file: string, tree: DecisionTree): Promise<void> {
  try {
    await writeFile(file, `${JSON.stringify(tree.dump())}\n`);
  } catch (error) {
    throw new CliError(`the batch is anchored, but ${file} cannot be written (${(error as NodeJS.ErrnoException).code ?? "error"}); rebuild it with the same --records`, { code: "FAILED" });
  }
}

interface AnchorOptions {
  system?: string;
  records?: string;
  from?: string;
  to?: string;
  uri?: string;
  regions?: string;
  treeOut?: string;
}

export function registerDecisionsCommands(program: Command): void {
  const decisions = program
    .command("decisions")
    .description("anchor batches of decision records, prove and verify that a decision came from a model version")
    .addHelpText("after", "\nExample:\n  $ pedigree decisions verify 0x… --version 1 --tree decisions-2026-01-03.txt.tree.json");
  registerDecisionsAnchor(decisions);
  registerDecisionsProve(decisions);
  registerDecisionsVerify(decisions);
}

/** The `anchor` subcommand: anchor the Merkle root of a batch of decision records made by an approved model or system version. */
function registerDecisionsAnchor(decisions: Command): void {
  const anchor = decisions
    .command("anchor")
    .description("anchor the Merkle root of a batch of decision records made by an approved model version or system version (--system)")
    .argument("[versionId]", "the model version that made the decisions; leave it out with --system")
    .option("--system <systemId>", "the system version that made them: the batch is anchored for its model version, with its policy digest")
    .option("--records <file>", "record hashes: one 32-byte hash per line, or a JSON array")
    .option("--from <time>", "when the first decision was made (ISO 8601)")
    .option("--to <time>", "when the last decision was made (ISO 8601)")
    .option("--uri <uri>", "where the records live", "")
    .option("--regions <regions>", "where the decisions were made: ISO 3166-1 alpha-2 codes and groups, e.g. EU or DE,AT (required)")
    .option("--tree-out <file>", "where to write the tree (default: <records file>.tree.json)")
    .addHelpText(
      "after",
      `
The tree (records and root) is written next to the records file; \`decisions prove\` and \`decisions verify\` read it.
The regions are recorded as evidence: a batch made outside the version's deployment territory is not refused. A
system version's batch is anchored for its model version (verify with \`--version <its model version>\`); the event
names the system version and the policy digest its decisions were produced under.

Example:
  $ pedigree decisions anchor 1 --records decisions-2026-01-03.txt --regions DE,AT \\
      --from 2026-01-03T00:00:00Z --to 2026-01-03T23:59:59Z --uri s3://acme/decisions/2026-01-03.jsonl
  $ pedigree decisions anchor --system 2 --records decisions-2026-01-04.txt --regions DE \\
      --from 2026-01-04T00:00:00Z --to 2026-01-04T23:59:59Z`,
    );
  addGlobalOptions(anchor, ["output", "chain", "key"]).action(
    run((ctx, [versionIdText], options: AnchorOptions) => anchorBatch(ctx, versionIdText, options)),
  );
}

/** Builds the tree of the records file, anchors its root for the version, writes the tree next to it, and prints it. */
async function anchorBatch(ctx: Context, versionIdText: string | undefined, options: AnchorOptions): Promise<void> {
  const target = versionOrSystem(versionIdText, options.system);
  if (options.records === undefined) throw new CliError("name the file of record hashes with --records <file>");
  if (options.from === undefined || options.to === undefined) {
    throw new CliError("give the batch's time window with --from <time> and --to <time> (ISO 8601)");
  }
  const windowStart = parseTime(options.from, "--from");
  const windowEnd = parseTime(options.to, "--to");
  if (windowEnd < windowStart) throw new CliError(`--to ${options.to} is before --from ${options.from}`);
  const regions = toRequiredRegionSet(options.regions, "--regions", "where the decisions were made");
  const records = await readRecords(options.records);
  const tree = DecisionTree.build(records);
  const treeFile = options.treeOut ?? `${options.records}.tree.json`;
  const client = await ctx.client({ sign: true });
  const batch = { root: tree.root, count: tree.size, windowStart, windowEnd, regions, uri: options.uri ?? "", onSubmitted: ctx.submitted };
  const result =
    "systemId" in target
      ? await anchorSystemDecisions(client, { systemId: target.systemId, ...batch })
      : { ...(await anchorDecisions(client, { versionId: target.versionId, ...batch })), systemId: 0n, policyHash: undefined };
  await writeTree(treeFile, tree);
  const by = result.systemId === 0n ? `model version ${result.versionId}` : `system version ${result.systemId} (model version ${result.versionId})`;
  ctx.out.result(
    {
      root: result.root,
      count: result.count,
      versionId: result.versionId,
      systemId: result.systemId === 0n ? null : result.systemId,
      policyHash: result.policyHash,
      modelId: result.modelId,
      windowStart,
      windowEnd,
      regions: regionCodes(regions),
      uri: options.uri ?? "",
      treeFile,
      hash: result.hash,
      blockNumber: result.blockNumber,
    },
    () =>
      block(`${result.count} decisions of ${by} anchored`, [
        ["root", result.root],
        ["policy", result.policyHash],
        ["window", `${formatTime(BigInt(Math.floor(windowStart.getTime() / 1000)))} … ${formatTime(BigInt(Math.floor(windowEnd.getTime() / 1000)))}`],
        ["made in", describeRegions(regions)],
        ["tree", treeFile],
        txRow(result),
      ]),
  );
}

/** The `prove` subcommand: the Merkle proof that a decision record is in an anchored batch (offline). */
function registerDecisionsProve(decisions: Command): void {
  const prove = decisions
    .command("prove")
    .description("the Merkle proof that a decision record is in an anchored batch (offline)")
    .argument("<recordHash>", "the decision record's 32-byte hash")
    .option("--tree <file>", "the tree written by `pedigree decisions anchor`")
    .addHelpText("after", "\nExample:\n  $ pedigree decisions prove 0x8f3c… --tree decisions-2026-01-03.txt.tree.json --json");
  addGlobalOptions(prove, ["output"]).action(
    run(async (ctx, [recordText], options: { tree?: string }) => {
      const recordHash = parseBytes32(recordText!, "recordHash");
      if (options.tree === undefined) throw new CliError("name the tree file with --tree <file> (written by `pedigree decisions anchor`)");
      const tree = await loadTree(options.tree);
      const { index, proof } = proofOf(tree, recordHash, options.tree);
      ctx.out.result({ root: tree.root, recordHash, index, count: tree.size, proof }, () => [
        ...block(`record ${recordHash} is #${index + 1} of ${tree.size} in batch ${tree.root}`, [["proof", `${proof.length} hashes`]]),
        ...proof.map((node) => `  ${node}`),
      ]);
    }),
  );
}

/** The `verify` subcommand: verify on chain that a decision record is in the batch a model version anchored. */
function registerDecisionsVerify(decisions: Command): void {
  const verify = decisions
    .command("verify")
    .description("verify on chain that a decision record is in the batch a model version anchored")
    .argument("<recordHash>", "the decision record's 32-byte hash")
    .option("--version <versionId>", "the model version that anchored the batch (each version's batches are its own)")
    .option("--tree <file>", "the tree written by `pedigree decisions anchor`")
    .option("--root <hash>", "without --tree: the batch root")
    .option("--proof <hashes>", "without --tree: the proof, comma-separated (from `pedigree decisions prove`)")
    .addHelpText(
      "after",
      `
The same root may be anchored by several versions; the answer is about --version only. Exit code 0 when the record
is in that version's batch, 1 when it is not or the version anchored no such batch (UnknownBatch).

Example:
  $ pedigree decisions verify 0x8f3c… --version 1 --tree decisions-2026-01-03.txt.tree.json`,
    );
  addGlobalOptions(verify, ["output", "chain"]).action(
    run((ctx: Context, [recordText], options: VerifyOptions) => verifyRecord(ctx, recordText!, options)),
  );
}

interface VerifyOptions {
  version?: string;
  tree?: string;
  root?: string;
  proof?: string;
}

/** The batch root and the record's proof: from the tree file, or as given. */
async function rootAndProof(recordHash: string, options: VerifyOptions): Promise<{ root: string; proof: string[] }> {
  if (options.tree !== undefined) {
    if (options.root !== undefined || options.proof !== undefined) throw new CliError("give either --tree, or --root with --proof, not both");
    const tree = await loadTree(options.tree);
    return { root: tree.root, proof: proofOf(tree, recordHash, options.tree).proof };
  }
  if (options.root === undefined) throw new CliError("name the tree file with --tree <file>, or give --root <hash> and --proof <hashes>");
  const proof = (options.proof ?? "")
    .split(",")
    .map((node) => node.trim())
    .filter((node) => node !== "")
    .map((node, index) => parseBytes32(node, `--proof hash ${index + 1}`));
  return { root: parseBytes32(options.root, "--root"), proof };
}

/** Verifies on chain that the record is in the version's batch, and prints the batch (exit 1 when it is not). */
async function verifyRecord(ctx: Context, recordText: string, options: VerifyOptions): Promise<void> {
  const recordHash = parseBytes32(recordText, "recordHash");
  if (options.version === undefined) throw new CliError("name the model version that anchored the batch with --version <versionId>");
  const versionId = parseId(options.version, "--version");
  const { root, proof } = await rootAndProof(recordHash, options);
  const client = await ctx.client({ sign: false });
  const { included } = await verifyDecision(client, { versionId, root, recordHash, proof });
  const batch = await ctx.view("ReleaseRegistry.getDecisionBatch", () => client.releases.getDecisionBatch(versionId, root));
  const { modelId } = await ctx.view("ModelRegistry.getVersion", () => client.models.getVersion(versionId));
  const data = {
    recordHash,
    root,
    included,
    versionId,
    modelId,
    count: batch.count,
    windowStart: batch.windowStart,
    windowEnd: batch.windowEnd,
    anchoredAt: batch.anchoredAt,
  };
  if (!included) {
    if (ctx.out.json) ctx.out.result(data, () => []);
    throw new CliError(
      `record ${recordHash} is NOT in batch ${root} of model version ${versionId}: its proof does not verify`,
      { code: "NOT_INCLUDED", resultPrinted: ctx.out.json },
    );
  }
  ctx.out.result(data, () =>
    block(`record ${recordHash} verified on chain`, [
      ["produced by", `model version ${versionId} (model ${modelId})`],
      ["batch root", root],
      ["batch", `${batch.count} decisions, ${formatTime(batch.windowStart)} … ${formatTime(batch.windowEnd)}`],
      ["anchored at", formatTime(batch.anchoredAt)],
    ]),
  );
}
