/**
 * The whole Pedigree story in one command:
 *
 *   npm run demo            (keeps the chain, the indexer and GraphiQL running until Ctrl-C)
 *   npm run demo -- --once  (exits when done; used by the tests)
 *
 * Runs the indexed scenario of the development tools (src/dev/indexed-scenario.ts): a local chain (Hardhat EDR) served
 * on 127.0.0.1, the protocol deployed with Ignition, the embedded graph-node-compatible indexer and its GraphQL API,
 * the story of src/dev/scenario.ts played through the SDK. Then prints the answers to the audit questions from the
 * subgraph and writes an audit report.
 */
import { resolve } from "node:path";
import { explorerUrl } from "../src/explorer/site.ts";
import { pathToFileURL } from "node:url";
import { formatEther } from "ethers";
import { indexedScenario, type IndexedScenario, type ScenarioChain } from "../src/dev/indexed-scenario.ts";
import type { LocalChain } from "../src/dev/local-chain.ts";
import type { ScenarioResult } from "../src/dev/scenario.ts";
import type { Indexer } from "../src/indexer/indexer.ts";
import {
  agentOf,
  createAuditClient,
  jurisdictionsOf,
  liveAt,
  royalties,
  datasetRoyalties,
  wasDataUsed,
  whatTrainedThis,
  whichVersionProduced,
  whoActedOn,
  changesSince,
  type AuditClient,
  type JurisdictionsResult,
} from "../src/audit/index.ts";
import { REPORT_FORMATS, writeReport } from "../src/report/index.ts";
import { DecisionTree } from "../src/core/merkle.ts";
import { actionProof } from "../src/core/actions.ts";
import { disclose } from "../src/core/commitments.ts";
import { createPedigreeClient, verifyAction } from "../src/sdk/index.ts";
import { describeRegionCodes } from "../src/core/regions.ts";

export interface DemoOptions {
  /** Exit when done instead of serving until Ctrl-C. */
  once?: boolean;
  /** Preferred ports (fall back to any free port when taken). */
  rpcPort?: number;
  graphqlPort?: number;
  /** Where the report goes. */
  reportDir?: string;
  print?: (line: string) => void;
}

export interface DemoResult {
  chain: LocalChain;
  indexer: Indexer;
  scenario: ScenarioResult;
  reportFiles: string[];
  /** The printed lines. */
  lines: string[];
  stop(): Promise<void>;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const lines: string[] = [];
  const print = (line = "") => {
    lines.push(line);
    (options.print ?? console.log)(line);
  };
  print("Pedigree demo: on-chain provenance for AI models and their training data\n");
  let step = 0;
  const fixture = await indexedScenario({
    rpcPort: options.rpcPort ?? 8545,
    graphqlPort: options.graphqlPort ?? 8000,
    pollIntervalMs: 200,
    onReady: (setup) => printSetup(setup, print),
    onStep: (line) => print(`  ${String(++step).padStart(2)}. ${line}`),
  });
  const { chain, indexer, result: scenario } = fixture;
  print(`\nIndexed up to block ${scenario.blocks.end}. Audit answers, from the subgraph over GraphQL:\n`);
  const answers = await auditAnswers(fixture, namesOf(fixture.cast));
  answers.forEach((line) => print(line));

  // Alice discloses two fields of clinical notes v1's private datasheet to the auditor; the report checks them.
  const notesV1 = { type: "dataset-version", id: scenario.datasetVersions.clinicalNotesV1.toString() };
  const report = await writeReport({
    url: indexer.url,
    versionId: scenario.modelVersions.triageV2,
    outDir: resolve(options.reportDir ?? "reports"),
    formats: [...REPORT_FORMATS],
    disclosures: [disclose(scenario.privateDatasheet, ["consentBasis", "piiPresent"], notesV1)],
  });
  print(`\nAudit report of triage version 2 (version id ${scenario.modelVersions.triageV2}), with 2 of the 4 private datasheet fields of clinical notes v1 disclosed:`);
  for (const file of report.files) print(`  ${file}`);
  print(`\nLineage explorer: ${explorerUrl(indexer.url)}#/model-version/${scenario.modelVersions.triageV2}`);
  if (!options.once) print(`\nGraphiQL: ${indexer.url}  · JSON-RPC: ${chain.url}  · Ctrl-C to stop`);
  return { chain, indexer, scenario, reportFiles: report.files, lines, stop: fixture.close };
}

/** The chain, the registries and the indexer, printed before the story. */
function printSetup({ chain, deployment, indexer }: ScenarioChain & { indexer: Indexer }, print: (line?: string) => void): void {
  print(`Chain      ${chain.url}  (Hardhat EDR, chain id 31337)`);
  for (const [name, { address, startBlock }] of Object.entries(deployment.locations)) {
    print(`           ${name.padEnd(20)} ${address}  (block ${startBlock})`);
  }
  print(`Indexer    ${indexer.url}  (embedded graph-node-compatible runtime, PGlite)\n`);
  print("The story");
}

/** Who an address is: the part its account plays, or the address shortened. */
function namesOf(cast: ScenarioChain["cast"]): (address: string) => string {
  const names = new Map(Object.entries(cast).map(([name, signer]) => [signer.address.toLowerCase(), name === "mlTeam" ? "ML team" : name]));
  return (address) => names.get(address.toLowerCase()) ?? short(address);
}

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** The answers to the audit questions, from the subgraph, one line each. */
async function auditAnswers({ indexer, chain, deployment, result: scenario }: IndexedScenario, who: (address: string) => string): Promise<string[]> {
  const audit = createAuditClient({ url: indexer.url });
  const { modelVersions, datasetVersions } = scenario;
  const lines: string[] = [];
  const print = (line = "") => lines.push(line);

  const trained = await whatTrainedThis(audit, modelVersions.radiologyTriageV1);
  print(`What trained the radiology-triage model (version id ${modelVersions.radiologyTriageV1})?`);
  for (const entry of trained.datasetVersions) {
    const how = entry.paths.map((path) => path.description).join("; ");
    print(`  - dataset ${entry.dataset.id} version ${entry.datasetVersion.number} (${entry.datasetVersion.uri}): ${how}`);
  }
  for (const licence of trained.licences) {
    print(`  - licence ${licence.id} of dataset ${licence.datasetId}: ${formatEther(licence.amount)} ETH, ${licence.terms.documentURI}, held by ${who(licence.licensee)}`);
  }

  lines.push(...whereLines(await jurisdictionsOf(audit, modelVersions.triageV1)));

  const acted = await whoActedOn(audit, modelVersions.triageV2);
  print(`\nWho attested, approved, deployed and rolled back triage version 2 (version id ${modelVersions.triageV2})?`);
  for (const attestation of acted.attestations) {
    const revoked = attestation.revocation ? `, revoked by ${who(attestation.revocation.by)}: "${attestation.revocation.reason}"` : "";
    print(`  - ${attestation.kindName} by ${who(attestation.attester)} at block ${attestation.attested.blockNumber}${revoked}`);
  }
  if (acted.approval) print(`  - approved by ${who(acted.approval.approvedBy)} at block ${acted.approval.blockNumber} (tx ${short(acted.approval.transactionHash)})`);
  for (const deployed of acted.deployments) print(`  - deployed to ${deployed.environment} by ${who(deployed.deployer)} at block ${deployed.deployed.blockNumber}`);
  for (const rollback of acted.rollbacks) print(`  - rolled back by ${who(rollback.by)} at block ${rollback.blockNumber}: "${rollback.reason}"`);

  lines.push(...(await decisionAndReleaseAnswers(audit, { chain, deployment, scenario })));
  lines.push(...(await agentAnswers(audit, { chain, deployment, scenario }, who)));

  const used = await wasDataUsed(audit, { datasetVersionId: datasetVersions.clinicalNotesV1 });
  print(`\nWas clinical notes version 1 used?`);
  for (const user of used.modelVersions) {
    print(`  - model ${user.version.modelId} version ${user.version.number} (id ${user.version.id})${user.live ? `, live in ${user.liveIn.map((l) => l.environment).join(", ")}` : ""}: ${user.paths.map((p) => p.description).join("; ")}`);
  }

  const earned = await royalties(audit, {});
  print(`\nWhat did each creator earn?`);
  for (const creator of earned.creators) {
    const total = creator.balances.map((b) => `${formatEther(b.credited)} ETH credited, ${formatEther(b.withdrawn)} withdrawn`).join("; ");
    print(`  - ${who(creator.account)}: ${total} (licences ${creator.byLicence.map((l) => l.licenceId).join(", ")})`);
  }
  lines.push(...(await royaltyAnswers(audit, scenario)));
  return lines;
}

/** What clinical notes earned by sale, by use and by derivation; the metered usage of its licences, and disputes. */
async function royaltyAnswers(audit: Parameters<typeof royalties>[0], scenario: ScenarioResult): Promise<string[]> {
  const notes = await datasetRoyalties(audit, scenario.datasets.clinicalNotes);
  const eth = (wei: string) => `${formatEther(wei)} ETH`;
  return [
    `\nWhat did clinical notes earn, and from what?`,
    ...notes.earned.map((e) => `  - by sale ${eth(e.sale)}, by use ${eth(e.use)}, by derivation ${eth(e.derivation)}, to contributors ${eth(e.contribution)}`),
    ...notes.earnedByDerivation.map((h) => `  - ${eth(h.amount)} (${h.bps / 100} %) from dataset ${h.childDatasetId}, derived from version ${h.parentVersionId}`),
    ...notes.usage.map((u) => `  - licence ${u.licenceId}: ${u.units} ${u.unit} reported, ${eth(u.paid)} paid${u.reports.some((r) => r.disputed) ? `; report ${u.reports.filter((r) => r.disputed).map((r) => r.reportId).join(", ")} disputed by an auditor` : ""}`),
  ];
}

/** Where triage v1 was trained, may serve, served and decided; conflicts. */
function whereLines(where: JurisdictionsResult): string[] {
  const regions = describeRegionCodes;
  return [
    `\nWhere was triage version 1 (version id ${where.versionId}) trained, and where may it serve?`,
    ...where.training.map((run) => `  - trained in ${run.region} by ${run.computeProvider ?? "an undeclared provider"} (version id ${run.versionId}; its licences allow training in ${regions(run.allowed)})`),
    `  - its licences allow deployment in ${regions(where.territory.deployment)}`,
    ...where.deployments.map((d) => `  - deployed to ${d.environment}, serving ${regions(d.regions)}${d.endedAt === null ? " (live)" : ""}`),
    ...where.decisions.map((b) => `  - ${b.count} decisions made in ${regions(b.regions)}`),
    `  - conflicts: ${where.conflicts.map((c) => c.message).join("; ") || "none"}`,
  ];
}

/** Which version produced a decision, which version is live (now and before the rollback), and what changed. */
async function decisionAndReleaseAnswers(
  audit: AuditClient,
  { chain, deployment, scenario }: { chain: LocalChain; deployment: ScenarioChain["deployment"]; scenario: ScenarioResult },
): Promise<string[]> {
  const lines: string[] = [];
  const record = scenario.decisions.records[421]!;
  const produced = await whichVersionProduced(audit, {
    recordHash: record,
    root: scenario.decisions.root,
    records: DecisionTree.build(scenario.decisions.records),
    provider: chain.connection.ethers.provider,
    releases: deployment.addresses.releases,
  });
  lines.push(`\nWhich version produced decision #421 (${short(record)})?`);
  for (const anchor of produced.anchors) {
    lines.push(`  - model ${anchor.model.id} version ${anchor.version.number} (id ${anchor.version.id}) anchored its root; proof verified on chain: ${anchor.verified}`);
  }

  const { models, modelVersions, blocks } = scenario;
  const liveNow = await liveAt(audit, { modelId: models.triage, environment: "production" });
  const liveBefore = await liveAt(audit, { modelId: models.triage, environment: "production", block: blocks.beforeRollback });
  lines.push(`\nWhich version is live in production?`);
  lines.push(`  - now: version id ${liveNow.live?.version.id ?? "none"}; at block ${blocks.beforeRollback} (before the rollback): version id ${liveBefore.live?.version.id ?? "none"}`);
  const changes = await changesSince(audit, modelVersions.triageV2, { environment: "production" });
  lines.push(`  - what changed in version id ${modelVersions.triageV2} since the previous release: ${changes.changed.join(", ") || "no hashes"}; ${describeDataChanges(changes)}`);
  const assistant = await changesSince(audit, modelVersions.triageV1, { environment: "assistant" });
  lines.push(
    `  - what changed in the assistant's last release: same weights (version id ${assistant.version.id}), system version ` +
      `${assistant.system.from?.id} → ${assistant.system.to?.id}: ${assistant.system.changed.join(", ")} changed`,
  );
  return lines;
}

/**
 * Which agent acted, under which policy, on which version: one action of each of the support agent's batches, proven
 * on chain, before and after the assistant's rollback; and whether what it is bound to now may act.
 */
async function agentAnswers(
  audit: AuditClient,
  { chain, deployment, scenario }: { chain: LocalChain; deployment: ScenarioChain["deployment"]; scenario: ScenarioResult },
  who: (address: string) => string,
): Promise<string[]> {
  const { agentId, batches } = scenario.agent;
  const agent = await agentOf(audit, agentId);
  const client = createPedigreeClient({ runner: chain.connection.ethers.provider, addresses: deployment.addresses });
  const lines = [`\nWhich agent acted, under which policy, on which version — before and after the assistant's rollback?`];
  for (const [when, batch] of [["before", batches.beforeRollback], ["after", batches.afterRollback]] as const) {
    const proof = actionProof(agentId, batch, batch.records[0]!.actionId);
    const verified = await verifyAction(client, proof);
    lines.push(
      `  - action "${proof.record.actionId}" (${when} the rollback): agent ${agentId} of ${who(agent.agent.owner)}, system version ` +
        `${verified.systemId} on model version ${verified.modelVersionId}, policy ${short(verified.policyHash)}; proof verified on chain: ${verified.included}`,
    );
  }
  const now = agent.current;
  const live = now?.liveIn.map((l) => l.environment).join(", ") || "no environment";
  lines.push(`  - bound now to system version ${now?.system.id ?? "none"}: ${now?.releasable.releasable ? "releasable" : "NOT releasable"}, live in ${live}`);
  return lines;
}

function describeDataChanges(changes: Awaited<ReturnType<typeof changesSince>>): string {
  const added = changes.trainingData?.added?.length ?? 0;
  const removed = changes.trainingData?.removed?.length ?? 0;
  return `${added} dataset version(s) added, ${removed} removed`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const once = process.argv.includes("--once");
  const demo = await runDemo({ once });
  if (once) {
    await demo.stop();
  } else {
    await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
    await demo.stop();
  }
}
