/**
 * `pedigree audit …` and `pedigree report …`: who / what / when questions answered from the indexed subgraph
 * (the embedded indexer or any graph-node), each optionally "as of block N", and the audit dossier of a model version.
 */
import { readFile } from "node:fs/promises";
import { formatEther } from "ethers";
import type { Command } from "commander";
import {
  agentOf,
  changesSince,
  createAuditClient,
  doesArtifactMatch,
  history,
  jurisdictionsOf,
  liveAt,
  royalties,
  datasetRoyalties,
  wasDataUsed,
  whatTrainedThis,
  whichVersionProduced,
  whoActedOn,
  type AgentResult,
  type AuditClient,
  type HistorySubjectType,
  type JurisdictionsResult,
} from "../audit/index.ts";
import { DEFAULT_REPORT_FORMATS, REPORT_FORMATS, writeReport, type ReportFormat } from "../report/index.ts";
import type { Manifest } from "../core/fingerprint.ts";
import { parseAddress, parseBytes32 } from "../core/hex.ts";
import { parseId } from "../core/ids.ts";
import { describeRegionCodes } from "../core/regions.ts";
import { parseDisclosure } from "../core/commitments.ts";
import { registerAuditAction } from "./agent.ts";
import { creatorRoyaltyLines, datasetRoyaltyLines } from "./audit-royalties.ts";
import { run, type Context } from "./context.ts";
import { CliError } from "./errors.ts";
import { addGlobalOptions } from "./options.ts";
import { block, formatTime } from "./output.ts";
import { collect, parseCount, parseText, parseTime, readJsonFile } from "./parse.ts";

const SUBJECT_TYPES: readonly HistorySubjectType[] = [
  "dataset",
  "dataset-version",
  "licence",
  "model",
  "model-version",
  "attestation",
  "deployment",
  "account",
  "decision-batch",
  "agent",
];

interface AsOfOptions {
  block?: string;
}

/** The audit client for the subgraph named by --subgraph, giving up after --timeout. */
function subgraphClient(ctx: Context): AuditClient {
  return createAuditClient({ url: ctx.subgraphUrl(), timeoutMs: ctx.timeoutMs });
}

/** The audit client for the subgraph named by --subgraph, at --block when given. */
function auditClient(ctx: Context, options: AsOfOptions): AuditClient {
  const client = subgraphClient(ctx);
  return options.block === undefined ? client : client.at(parseCount(options.block, "--block"));
}

/** Adds a subcommand with the global output + subgraph options (and chain options when it reads the chain) and --block. */
function auditCommand(parent: Command, name: string, description: string, example: string, readsChain = false): Command {
  const command = parent
    .command(name)
    .description(description)
    .option("--block <number>", "answer as of this block (time travel)")
    .addHelpText("after", `\nExample:\n  $ ${example}`);
  return addGlobalOptions(command, readsChain ? ["output", "subgraph", "chain"] : ["output", "subgraph"]);
}

async function readManifest(file: string): Promise<Manifest> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as Manifest;
  } catch (error) {
    throw new CliError(`cannot read the manifest ${file}: ${(error as Error).message}; write one with \`pedigree fingerprint <path> --manifest-out <file>\``);
  }
}

export function registerAuditCommands(program: Command): void {
  const audit = program
    .command("audit")
    .description("answer who / what / when questions from the indexed subgraph (any question can be asked as of a block)")
    .addHelpText("after", "\nExample:\n  $ pedigree audit trained 3 --subgraph http://127.0.0.1:8000/subgraphs/name/pedigree");
  registerAuditTrained(audit);
  registerAuditActors(audit);
  registerAuditDecision(audit);
  registerAuditLive(audit);
  registerAuditChanges(audit);
  registerAuditWhere(audit);
  registerAuditUsed(audit);
  registerAuditArtifact(audit);
  registerAuditRoyalties(audit);
  registerAuditHistory(audit);
  registerAuditAgent(audit);
  registerAuditAction(audit);
}

/** The `trained` subcommand: what trained a model version: datasets, versions, licences, through fine-tunes and derivations. */
function registerAuditTrained(audit: Command): void {
  auditCommand(audit, "trained", "what trained a model version: datasets, versions, licences, through fine-tunes and derivations", "pedigree audit trained 3")
    .argument("<versionId>", "the model version")
    .action(
      run(async (ctx, [versionId], options: AsOfOptions) => {
        const result = await whatTrainedThis(auditClient(ctx, options), parseId(versionId!, "versionId"));
        ctx.out.result(result, () => [
          `model version ${result.version.id} (model ${result.version.modelId} v${result.version.number}) as of block ${result.asOf.blockNumber}`,
          ...result.datasetVersions.map(
            (entry) =>
              `  dataset ${entry.dataset.id} version ${entry.datasetVersion.number} (id ${entry.datasetVersion.id}, ${entry.datasetVersion.uri}): ${entry.paths.map((p) => p.description).join("; ")}`,
          ),
          ...result.licences.map(
            (licence) => `  licence ${licence.id} of dataset ${licence.datasetId}: ${formatEther(licence.amount)} paid by ${licence.payer}, ${licence.terms.documentURI}`,
          ),
        ]);
      }),
    );
}

/** The `actors` subcommand: who attested, approved, deployed and rolled back a model version, and when. */
function registerAuditActors(audit: Command): void {
  auditCommand(audit, "actors", "who attested, approved, deployed and rolled back a model version, and when", "pedigree audit actors 3")
    .argument("<versionId>", "the model version")
    .action(
      run(async (ctx, [versionId], options: AsOfOptions) => {
        const result = await whoActedOn(auditClient(ctx, options), parseId(versionId!, "versionId"));
        ctx.out.result(result, () => [
          `model version ${result.version.id} as of block ${result.asOf.blockNumber}`,
          ...result.timeline.map((entry) => `  block ${entry.blockNumber}  ${entry.action.padEnd(22)} ${entry.actor}  ${entry.description}  (tx ${entry.transactionHash})`),
        ]);
      }),
    );
}

/** The `decision` subcommand: which model version produced a decision record, proven on chain. */
function registerAuditDecision(audit: Command): void {
  auditCommand(audit, "decision", "which model version produced a decision record, proven on chain", "pedigree audit decision 0x1d20…bfe9 --tree decisions.txt.tree.json --network localhost", true)
    .argument("<recordHash>", "the decision record's hash (bytes32)")
    .option("--tree <file>", "the decision tree file written by `pedigree decisions anchor`")
    .option("--root <root>", "the batch root (with the tree file, or to look the batch up)")
    .action(
      run(async (ctx, [recordHash], options: AsOfOptions & { tree?: string; root?: string }) => {
        if (options.tree === undefined) throw new CliError("give --tree <file> (written by `pedigree decisions anchor`) so the proof can be built");
        const client = await ctx.client({ sign: false });
        const result = await whichVersionProduced(auditClient(ctx, options), {
          recordHash: parseBytes32(recordHash!, "recordHash"),
          root: options.root === undefined ? undefined : parseBytes32(options.root, "--root"),
          records: options.tree,
          provider: client.provider,
          releases: client.addresses.releases,
        });
        ctx.out.result(result, () =>
          block(`decision ${result.recordHash}`, [
            ["batch", result.root],
            ["produced by", result.producedBy ? `model ${result.producedBy.modelId} version ${result.producedBy.number} (id ${result.producedBy.id})` : "not proven"],
            ["verified on chain", String(result.verified)],
            ...result.anchors.map((a): [string, string] => [
              "anchored by",
              `model ${a.model.id} version ${a.version.number} (id ${a.version.id}, owner ${a.model.owner}) at block ${a.batch.blockNumber}, made in ${describeRegionCodes(a.batch.regions)}${a.batch.systemId ? ` by system version ${a.batch.systemId} under policy ${a.batch.policyHash}` : ""}: ${a.verified ? "verified" : "not verified"}`,
            ]),
            ["statement", result.statement],
          ]),
        );
        if (!result.verified) throw new CliError("the proof does not verify on chain", { code: "FAILED", resultPrinted: true });
      }),
    );
}

/** The `live` subcommand: which model version was live in an environment (now, at --block, or at --time). */
function registerAuditLive(audit: Command): void {
  auditCommand(audit, "live", "which model version was live in an environment (now, at --block, or at --time)", "pedigree audit live 1 --env production --time 2026-01-03T12:00:00Z")
    .argument("<modelId>", "the model")
    .option("--env <name>", "the environment, e.g. production")
    .option("--time <iso>", "the moment to answer at")
    .action(
      run(async (ctx, [modelId], options: AsOfOptions & { env?: string; time?: string }) => {
        const environment = parseText(options.env, "--env (the environment, e.g. production)");
        const result = await liveAt(subgraphClient(ctx), {
          modelId: parseId(modelId!, "modelId"),
          environment,
          block: options.block === undefined ? undefined : parseCount(options.block, "--block"),
          timestamp: options.time === undefined ? undefined : parseTime(options.time, "--time"),
        });
        ctx.out.result(result, () => [
          `"${environment}" of model ${result.modelId} at block ${result.at.blockNumber}: ${result.live ? `model version ${result.live.version.id} (v${result.live.version.number}, deployment ${result.live.deploymentId})` : "nothing live"}`,
        ]);
      }),
    );
}

/** The `changes` subcommand: what changed in a model version since the previous release in an environment. */
function registerAuditChanges(audit: Command): void {
  auditCommand(audit, "changes", "what changed in a model version since the previous release in an environment", "pedigree audit changes 3 --env production")
    .argument("<versionId>", "the model version")
    .option("--env <name>", "the environment whose previous release to compare with")
    .action(
      run(async (ctx, [versionId], options: AsOfOptions & { env?: string }) => {
        const result = await changesSince(auditClient(ctx, options), parseId(versionId!, "versionId"), { environment: options.env });
        ctx.out.result(result, () => [
          `model version ${result.version.id} vs ${result.previous ? `version ${result.previous.id}` : "nothing (first release)"} (${result.basis})`,
          `  changed hashes: ${result.changed.join(", ") || "none"}`,
          `  training data: ${result.trainingData.added.length} added, ${result.trainingData.removed.length} removed`,
          `  system configuration: ${result.system.changed.join(", ") || "unchanged"} (system version ${result.system.from?.id ?? "none"} → ${result.system.to?.id ?? "none"})`,
        ]);
      }),
    );
}

/** The human answer of `audit where`: runs, licences, the territory they leave, deployments, decisions, conflicts. */
function whereLines(result: JurisdictionsResult): string[] {
  const regions = describeRegionCodes;
  return [
    `model version ${result.versionId} (model ${result.modelId}) as of block ${result.asOf.blockNumber}`,
    ...result.data.map(
      (d) =>
        `  ${d.use} data: dataset version ${d.datasetVersionId} (dataset ${d.datasetId}) from ${d.origin.length ? regions(d.origin) : "an undeclared origin"}` +
        (d.handlingPolicy ? `, handling policy ${d.handlingPolicy.uri || d.handlingPolicy.hash}` : ""),
    ),
    ...result.training.map((run) => `  trained: version ${run.versionId} in ${run.region}${run.computeProvider ? ` by ${run.computeProvider}` : ""} (allowed: ${regions(run.allowed)})`),
    ...result.licences.map((l) => `  licence ${l.licenceId} of dataset ${l.datasetId}: training in ${regions(l.training)}, deployment in ${regions(l.deployment)}`),
    `  territory: training in ${regions(result.territory.training)}, deployment in ${regions(result.territory.deployment)}`,
    ...result.deployments.map(
      (d) => `  deployment ${d.deploymentId} (${d.environment}): ${regions(d.regions)} from ${formatTime(d.deployed.timestamp)}${d.endedAt === null ? ", live" : ` to ${formatTime(d.endedAt)}`}`,
    ),
    ...result.decisions.map((b) => `  decisions ${b.root}: ${b.count} in ${regions(b.regions)}, ${formatTime(b.windowStart)} to ${formatTime(b.windowEnd)}`),
    ...(result.conflicts.length === 0 ? ["  conflicts: none"] : result.conflicts.map((c) => `  CONFLICT ${c.message}`)),
  ];
}

/** The `where` subcommand: where a model version was trained, may serve, served and decided, and every conflict. */
function registerAuditWhere(audit: Command): void {
  auditCommand(audit, "where", "where a model version was trained and deployed, its licences' territories, where its decisions were made, and conflicts", "pedigree audit where 3")
    .argument("<versionId>", "the model version")
    .option("--fail-on-conflict", "exit 1 when any record lies outside its territory")
    .action(
      run(async (ctx, [versionId], options: AsOfOptions & { failOnConflict?: boolean }) => {
        const result = await jurisdictionsOf(auditClient(ctx, options), parseId(versionId!, "versionId"));
        ctx.out.result(result, () => whereLines(result));
        if (options.failOnConflict && result.conflicts.length > 0) {
          throw new CliError(`${result.conflicts.length} record(s) outside their territory: ${result.conflicts[0]!.message}`, { code: "FAILED", resultPrinted: true });
        }
      }),
    );
}

/** The `used` subcommand: every model version trained on a dataset, a dataset version or an item, and whether any is live. */
function registerAuditUsed(audit: Command): void {
  auditCommand(audit, "used", "every model version trained on a dataset, a dataset version or an item, and whether any is live", "pedigree audit used --dataset 1")
    .option("--dataset <id>", "a dataset")
    .option("--dataset-version <id>", "a dataset version")
    .option("--item <hash>", "an item's sha256 digest, with --manifest")
    .option("--manifest <file>", "the manifest the item is in (from `pedigree fingerprint --manifest-out`)")
    .action(
      run(async (ctx, _args, options: AsOfOptions & { dataset?: string; datasetVersion?: string; item?: string; manifest?: string }) => {
        const client = auditClient(ctx, options);
        const result = options.dataset
          ? await wasDataUsed(client, { datasetId: parseId(options.dataset, "--dataset") })
          : options.datasetVersion
            ? await wasDataUsed(client, { datasetVersionId: parseId(options.datasetVersion, "--dataset-version") })
            : options.item && options.manifest
              ? await wasDataUsed(client, { itemHash: parseBytes32(options.item, "--item"), manifest: await readManifest(options.manifest) })
              : (() => {
                  throw new CliError("give --dataset <id>, --dataset-version <id>, or --item <hash> with --manifest <file>");
                })();
        ctx.out.result(result, () => [
          result.modelVersions.length === 0 ? "no model version was trained on it" : `${result.modelVersions.length} model version(s) trained on it${result.anyLive ? ", some live" : ""}:`,
          ...result.modelVersions.map(
            (user) => `  model ${user.version.modelId} v${user.version.number} (id ${user.version.id})${user.live ? ` live in ${user.liveIn.map((l) => l.environment).join(", ")}` : ""}: ${user.paths.map((p) => p.description).join("; ")}`,
          ),
        ]);
      }),
    );
}

/** The `artifact` subcommand: does a local file or directory match the on-chain record of a model or dataset version. */
function registerAuditArtifact(audit: Command): void {
  auditCommand(audit, "artifact", "does a local file or directory match the on-chain record of a model or dataset version", "pedigree audit artifact ./weights --model-version 3")
    .argument("<path>", "the file or directory to fingerprint")
    .option("--model-version <id>", "compare with a model version's weights")
    .option("--dataset-version <id>", "compare with a dataset version's data")
    .option("--manifest <file>", "the manifest recorded at publication, to name the files that differ")
    .action(
      run(async (ctx, [path], options: AsOfOptions & { modelVersion?: string; datasetVersion?: string; manifest?: string }) => {
        const subject = options.modelVersion
          ? { modelVersionId: parseId(options.modelVersion, "--model-version") }
          : options.datasetVersion
            ? { datasetVersionId: parseId(options.datasetVersion, "--dataset-version") }
            : undefined;
        if (!subject) throw new CliError("give --model-version <id> or --dataset-version <id>");
        const manifest = options.manifest ? await readManifest(options.manifest) : undefined;
        const result = await doesArtifactMatch(auditClient(ctx, options), path!, subject, { manifest });
        ctx.out.result(result, () => [
          `${result.matches ? "MATCH" : "MISMATCH"}: ${result.summary}`,
          ...(result.manifest?.differences ?? []).map((d) => `  ${d.change} ${d.path}`),
        ]);
        if (!result.matches) throw new CliError(`${path} does not match the on-chain record`, { code: "FAILED", resultPrinted: true });
      }),
    );
}

/** The `royalties` subcommand: by account (0x…), by dataset (a decimal id), or every creator when neither is given. */
function registerAuditRoyalties(audit: Command): void {
  auditCommand(audit, "royalties", "what creators earned and withdrew, or what a dataset earned by sale, use, derivation and contribution", "pedigree audit royalties 3")
    .argument("[account-or-dataset]", "an account (0x…), or a dataset id")
    .action(
      run(async (ctx, [subject], options: AsOfOptions) => {
        const client = auditClient(ctx, options);
        if (subject !== undefined && /^\d+$/.test(subject)) {
          const result = await datasetRoyalties(client, parseId(subject, "dataset"));
          ctx.out.result(result, () => datasetRoyaltyLines(result));
          return;
        }
        if (subject !== undefined && !/^0x/i.test(subject)) throw new CliError(`${JSON.stringify(subject)} is neither an account (0x…) nor a dataset id`);
        const result = await royalties(client, subject ? { account: parseAddress(subject, "account", { nonZero: true }) } : {});
        ctx.out.result(result, () => creatorRoyaltyLines(result));
      }),
    );
}

/** The `history` subcommand: what happened to a subject, when and by whom. */
function registerAuditHistory(audit: Command): void {
  auditCommand(audit, "history", `what happened to a subject, when and by whom (${SUBJECT_TYPES.join(", ")})`, "pedigree audit history model-version 3")
    .argument("<type>", "the subject type")
    .argument("<id>", "its id (an address for accounts, the root for decision batches)")
    .action(
      run(async (ctx, [type, id], options: AsOfOptions) => {
        if (!SUBJECT_TYPES.includes(type as HistorySubjectType)) {
          throw new CliError(`unknown subject type ${JSON.stringify(type)}; use one of ${SUBJECT_TYPES.join(", ")}`);
        }
        const result = await history(auditClient(ctx, options), { type: type as HistorySubjectType, id: id! });
        ctx.out.result(result, () =>
          result.events.map((event) => `block ${event.blockNumber}  ${event.action.padEnd(22)} ${event.actor}  ${event.description}`),
        );
      }),
    );
}

/** Whether the bound system version may act: approved, releasable (or why not), and where it is live. */
function boundLines(current: NonNullable<AgentResult["current"]>): string[] {
  const { binding, releasable, liveIn } = current;
  const verdict = releasable.releasable === true ? "releasable" : releasable.releasable === false ? "NOT releasable" : "releasable unknown";
  const live = liveIn.length > 0 ? `live in ${liveIn.map((l) => `"${l.environment}" (deployment ${l.deploymentId})`).join(", ")}` : "not live anywhere";
  return [
    `  bound to system version ${binding.systemId} (model ${binding.modelId}, model version ${binding.modelVersionId}) since block ${binding.bound.blockNumber}`,
    `  policy ${binding.policyHash}${binding.systemPolicy ? " (the system version's own)" : ""}`,
    `  ${current.systemApproved ? "approved" : "not approved"}, ${verdict}, ${live}`,
    ...releasable.reasons.map((reason) => `    ${reason}`),
  ];
}

/** The human answer of `audit agent`: identity, binding in force, wallets, bindings over time, batches, validations. */
function agentLines(result: AgentResult): string[] {
  const { agent } = result;
  const validation = (v: AgentResult["validations"][number]) =>
    v.revocation ? `REVOKED by ${v.revocation.by}: ${v.revocation.reason}` : v.expired ? `EXPIRED at ${formatTime(v.expiresAt!)}` : "valid";
  return [
    `agent ${agent.id} as of block ${result.asOf.blockNumber}: owner ${agent.owner}, card ${agent.agentURI || "(none)"}`,
    ...(result.current ? boundLines(result.current) : ["  never bound to a system version"]),
    ...result.wallets.map((w) => `  wallet ${w.wallet}: ${w.active ? "acts for it" : `ended (${w.endedBy ?? "unset"})`}, set by ${w.setBy}`),
    `  bindings (${result.bindings.length}):`,
    ...result.bindings.map(
      (b) =>
        `    ${b.id}: system version ${b.systemId} (model version ${b.modelVersionId}), policy ${b.policyHash}, from block ${b.bound.blockNumber}` +
        (b.replaced ? ` to block ${b.replaced.blockNumber} (replaced by ${b.replaced.bindingId})` : ", in force"),
    ),
    `  action batches (${result.actionBatches.length}):`,
    ...result.actionBatches.map(
      (b) =>
        `    ${b.root}: ${b.count} actions ${formatTime(b.windowStart)} to ${formatTime(b.windowEnd)} under binding ${b.bindingId} (system version ${b.systemId}), by ${b.signer}` +
        (b.relayedBy ? ` relayed by ${b.relayedBy}` : "") + `, block ${b.blockNumber}`,
    ),
    `  validations (${result.validations.length}):`,
    ...result.validations.map((v) => `    attestation ${v.id} (${v.kindName}) by ${v.attester}: ${validation(v)}`),
  ];
}

/** The `agent` subcommand: an agent's binding in force, bindings over time, anchored actions and validations. */
function registerAuditAgent(audit: Command): void {
  auditCommand(audit, "agent", "an agent: owner, wallets, the system version and policy it is bound to (and whether that may act), bindings over time, anchored actions, validations", "pedigree audit agent 1")
    .argument("<agentId>", "the agent")
    .action(
      run(async (ctx, [agentId], options: AsOfOptions) => {
        const result = await agentOf(auditClient(ctx, options), parseId(agentId!, "agentId"));
        ctx.out.result(result, () => agentLines(result));
      }),
    );
}

export function registerReportCommand(program: Command): void {
  const command = program
    .command("report")
    .description(
      "write the audit dossier of a model version: Markdown, self-contained HTML with a lineage diagram, JSON, PROV-JSON; and on request its bills of materials (CycloneDX 1.6 ML-BOM, SPDX 3.0.1)",
    )
    .argument("<versionId>", "the model version")
    .option("--out <dir>", "where to write the files", "reports")
    .option("--format <formats>", `comma-separated, of ${REPORT_FORMATS.join(",")}`, DEFAULT_REPORT_FORMATS.join(","))
    .option("--block <number>", "the dossier as of this block (time travel)")
    .option("--disclosure <file>", "a disclosure package of private fields in the lineage (`pedigree disclose`), checked and shown (repeatable)", collect)
    .addHelpText(
      "after",
      `
Files: model-version-<id>.md, .html, .json, .prov.json (W3C PROV), .cdx.json (cyclonedx), .spdx.json (spdx).

Example:
  $ pedigree report 3 --subgraph http://127.0.0.1:8000/subgraphs/name/pedigree --out reports
  $ pedigree report 3 --format cyclonedx,spdx --out boms`,
    );
  addGlobalOptions(command, ["output", "subgraph"]).action(
    run(async (ctx, [versionId], options: { out: string; format: string; block?: string; disclosure?: string[] }) => {
      const disclosures = await Promise.all((options.disclosure ?? []).map(async (file) => parseDisclosure(await readJsonFile(file, "--disclosure file"))));
      const formats = options.format.split(",").map((f) => f.trim()) as ReportFormat[];
      for (const format of formats) {
        if (!REPORT_FORMATS.includes(format as ReportFormat)) throw new CliError(`unknown --format ${JSON.stringify(format)}; use ${REPORT_FORMATS.join(", ")} (comma-separated)`);
      }
      const result = await writeReport({
        url: ctx.subgraphUrl(),
        versionId: parseId(versionId!, "versionId"),
        outDir: options.out,
        formats: formats as ReportFormat[],
        block: options.block === undefined ? undefined : parseCount(options.block, "--block"),
        timeoutMs: ctx.timeoutMs,
        disclosures,
      });
      ctx.out.result({ files: result.files }, () => [`audit dossier of model version ${versionId}:`, ...result.files.map((f) => `  ${f}`)]);
    }),
  );
}
