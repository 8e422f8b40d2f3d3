/**
 * The whole Pedigree story in one command:
 *
 *   npm run demo            (keeps the chain, the indexer and GraphiQL running until Ctrl-C)
 *   npm run demo -- --once  (exits when done; used by the tests)
 *
 * Starts a local chain (Hardhat EDR) served on 127.0.0.1, deploys the protocol with Ignition, starts the embedded
 * graph-node-compatible indexer and its GraphQL API, plays the scenario of src/demo/scenario.ts through the SDK,
 * prints the answers to the audit questions from the subgraph, and writes an audit report.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { formatEther } from "ethers";
import { deployLocally, startLocalChain, type LocalChain } from "../src/sdk/local-chain.ts";
import { playScenario, type ScenarioResult } from "../src/demo/scenario.ts";
import { startIndexer, type Indexer } from "../src/indexer/indexer.ts";
import {
  createAuditClient,
  liveAt,
  royalties,
  wasDataUsed,
  whatTrainedThis,
  whichVersionProduced,
  whoActedOn,
  changesSince,
} from "../src/audit/index.ts";
import { writeReport } from "../src/report/index.ts";
import { DecisionTree } from "../src/core/merkle.ts";
import { indexerOverrides } from "../src/sdk/networks.ts";

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
  const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

  print("Pedigree demo: on-chain provenance for AI models and their training data\n");
  const chain = await startLocalChain(options.rpcPort ?? 8545).catch(() => startLocalChain(0));
  const [admin, alice, bob, carol, curator, mlTeam, evaluator, auditor, approver, steward, relayer, mallory] = chain.signers;
  const cast = { alice, bob, carol, curator, mlTeam, evaluator, auditor, approver, steward, relayer, mallory };
  const names = new Map<string, string>(
    Object.entries({ admin, ...cast }).map(([name, signer]) => [
      signer.address.toLowerCase(),
      name === "mlTeam" ? "ML team" : name,
    ]),
  );
  const who = (address: string) => names.get(address.toLowerCase()) ?? short(address);
  const deployment = await deployLocally(chain, {
    admin: admin.address,
    evaluators: [evaluator.address],
    auditors: [auditor.address],
    releaseApprovers: [approver.address],
    dataStewards: [steward.address],
  });
  print(`Chain      ${chain.url}  (Hardhat EDR, chain id 31337)`);
  for (const [name, { address, startBlock }] of Object.entries(deployment.locations)) {
    print(`           ${name.padEnd(20)} ${address}  (block ${startBlock})`);
  }

  const indexerOptions = {
    subgraph: "build",
    rpcUrl: chain.url,
    ...indexerOverrides(deployment.locations),
    pollIntervalMs: 200,
    log: () => {},
  };
  const indexer = await startIndexer({ ...indexerOptions, port: options.graphqlPort ?? 8000 }).catch(() => startIndexer({ ...indexerOptions, port: 0 }));
  print(`Indexer    ${indexer.url}  (embedded graph-node-compatible runtime, PGlite)\n`);

  print("The story");
  let step = 0;
  const scenario = await playScenario(deployment.addresses, cast, (line) =>
    print(`  ${String(++step).padStart(2)}. ${line}`),
  );
  await indexer.waitForBlock(scenario.blocks.end);
  print(`\nIndexed up to block ${scenario.blocks.end}. Audit answers, from the subgraph over GraphQL:\n`);

  const audit = createAuditClient({ url: indexer.url });
  const { modelVersions, datasetVersions, models } = scenario;

  const trained = await whatTrainedThis(audit, modelVersions.radiologyTriageV1);
  print(`What trained the radiology-triage model (version id ${modelVersions.radiologyTriageV1})?`);
  for (const entry of trained.datasetVersions) {
    const how = entry.paths.map((path) => path.description).join("; ");
    print(`  - dataset ${entry.dataset.id} version ${entry.datasetVersion.number} (${entry.datasetVersion.uri}): ${how}`);
  }
  for (const licence of trained.licences) {
    print(`  - licence ${licence.id} of dataset ${licence.datasetId}: ${formatEther(licence.amount)} ETH, ${licence.terms.documentURI}, held by ${who(licence.licensee)}`);
  }

  const acted = await whoActedOn(audit, modelVersions.triageV2);
  print(`\nWho attested, approved, deployed and rolled back triage version 2 (version id ${modelVersions.triageV2})?`);
  for (const attestation of acted.attestations) {
    const revoked = attestation.revocation ? `, revoked by ${who(attestation.revocation.by)}: "${attestation.revocation.reason}"` : "";
    print(`  - ${attestation.kindName} by ${who(attestation.attester)} at block ${attestation.attested.blockNumber}${revoked}`);
  }
  if (acted.approval) print(`  - approved by ${who(acted.approval.approvedBy)} at block ${acted.approval.blockNumber} (tx ${short(acted.approval.transactionHash)})`);
  for (const deployed of acted.deployments) print(`  - deployed to ${deployed.environment} by ${who(deployed.deployer)} at block ${deployed.deployed.blockNumber}`);
  for (const rollback of acted.rollbacks) print(`  - rolled back by ${who(rollback.by)} at block ${rollback.blockNumber}: "${rollback.reason}"`);

  const record = scenario.decisions.records[421];
  const produced = await whichVersionProduced(audit, {
    recordHash: record,
    root: scenario.decisions.root,
    records: DecisionTree.build(scenario.decisions.records),
    provider: chain.connection.ethers.provider,
    releases: deployment.addresses.releases,
  });
  print(`\nWhich version produced decision #421 (${short(record)})?`);
  for (const anchor of produced.anchors) {
    print(`  - model ${anchor.model.id} version ${anchor.version.number} (id ${anchor.version.id}) anchored its root; proof verified on chain: ${anchor.verified}`);
  }

  const liveNow = await liveAt(audit, { modelId: models.triage, environment: "production" });
  const liveBefore = await liveAt(audit, { modelId: models.triage, environment: "production", block: scenario.blocks.beforeRollback });
  print(`\nWhich version is live in production?`);
  print(`  - now: version id ${liveNow.live?.version.id ?? "none"}; at block ${scenario.blocks.beforeRollback} (before the rollback): version id ${liveBefore.live?.version.id ?? "none"}`);
  const changes = await changesSince(audit, modelVersions.triageV2, { environment: "production" });
  print(`  - what changed in version id ${modelVersions.triageV2} since the previous release: ${changes.changed.join(", ") || "no hashes"}; ${describeDataChanges(changes)}`);

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

  const report = await writeReport({ url: indexer.url, versionId: modelVersions.triageV2, outDir: resolve(options.reportDir ?? "reports") });
  print(`\nAudit report of triage version 2 (version id ${modelVersions.triageV2}):`);
  for (const file of report.files) print(`  ${file}`);

  const stop = async () => {
    await indexer.stop();
    await chain.close();
  };
  if (!options.once) {
    print(`\nGraphiQL: ${indexer.url}  · JSON-RPC: ${chain.url}  · Ctrl-C to stop`);
  }
  return { chain, indexer, scenario, reportFiles: report.files, lines, stop };
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
