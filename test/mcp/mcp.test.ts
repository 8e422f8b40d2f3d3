/**
 * The MCP server as an agent uses it: the SDK's own Client, connected in memory to createMcpServer and over stdio to
 * `pedigree mcp` in a child process, asking every tool about the demo scenario indexed by the embedded indexer on a
 * real local chain — real ids, real answers, one-line errors, and a server that keeps answering after a failure.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { id as keccakText } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprint, type Manifest } from "../../src/core/fingerprint.ts";
import { DecisionTree } from "../../src/core/merkle.ts";
import { regionCodes, regionSet } from "../../src/core/regions.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";
import type { ScenarioResult } from "../../src/dev/scenario.ts";
import { createMcpServer, type PedigreeMcpOptions } from "../../src/mcp/index.ts";
import { createPedigreeClient, createRpcProvider, publishDatasetVersion } from "../../src/sdk/index.ts";
import { playAgentAct, type AgentAct } from "../helpers/agent-act.ts";

const TOOL_NAMES = [
  "check_model_version",
  "agent_status",
  "what_trained_this",
  "who_acted_on",
  "was_data_used",
  "which_version_produced",
  "where",
  "live_at",
  "changes_since",
  "verify_artifact",
];
const DOWN = "http://127.0.0.1:9/subgraphs/name/pedigree";
const exec = promisify(execFile);

let fixture: IndexedScenario;
let result: ScenarioResult;
let dir: string;
let treeFile: string;
let dataDir: string;
let manifestFile: string;
let manifest: Manifest;
let datasetVersionId: bigint;
let agent: Client;
/** A support agent bound to the assistant system version, then to its prompt update (test/helpers/agent-act.ts). */
let act: AgentAct;
const id = (value: bigint) => value.toString();
const who = (signer: { address: string }) => signer.address.toLowerCase();
/** Everything the servers of this file logged (they must log nothing on a normal call). */
const logged: string[] = [];

/** A read-only chain connection to the scenario's registries, through the SDK (`url`: the node to try). */
function connectTo(url: string): () => ReturnType<NonNullable<PedigreeMcpOptions["connectChain"]>> {
  return async () => createPedigreeClient({ runner: await createRpcProvider(url, { timeoutMs: 5_000 }), addresses: fixture.deployment.addresses });
}

/** A client connected in memory to a server made with these options. */
async function connect(options: PedigreeMcpOptions): Promise<Client> {
  const server = createMcpServer({ log: (line) => logged.push(line), ...options });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "pedigree-test-agent", version: "1.0.0" });
  await client.connect(clientSide);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The structured answer of a call that must succeed, with its one-line summary. */
async function ask(name: string, args: Record<string, unknown>, client = agent): Promise<{ answer: any; summary: string }> {
  const answer = await call(client, name, args);
  const [summary, json] = answer.content as Array<{ type: "text"; text: string }>;
  expect(answer.isError, summary?.text).toBeFalsy();
  expect(summary!.text).not.toContain("\n");
  expect(JSON.parse(json!.text)).toEqual(answer.structuredContent);
  return { answer: answer.structuredContent, summary: summary!.text };
}

/** The one line of a call that must fail. */
async function refusal(name: string, args: Record<string, unknown>, client = agent): Promise<string> {
  const answer = await call(client, name, args);
  expect(answer.isError).toBe(true);
  expect(answer.structuredContent).toBeUndefined();
  expect(answer.content).toHaveLength(1);
  const text = (answer.content[0] as { text: string }).text;
  expect(text.split("\n")).toHaveLength(1);
  return text;
}

async function write(path: string, content: string): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, content);
}

beforeAll(async () => {
  fixture = await indexedScenario();
  result = fixture.result;
  dir = await mkdtemp(join(tmpdir(), "pedigree-mcp-"));
  treeFile = join(dir, "decisions.tree.json");
  await writeFile(treeFile, JSON.stringify(DecisionTree.build(result.decisions.records).dump()));
  await writeFile(join(dir, "addresses.json"), JSON.stringify(fixture.deployment.addresses));
  // Local files, fingerprinted and published by Alice as a dataset version, for verify_artifact.
  dataDir = join(dir, "notes-v4");
  await write(join(dataDir, "README.md"), "de-identified clinical notes, fourth cut\n");
  await write(join(dataDir, "train/part-0.jsonl"), '{"note":"patient stable"}\n');
  const data = await fingerprint(dataDir);
  manifestFile = join(dir, "notes-v4.manifest.json");
  manifest = data.manifest;
  await writeFile(manifestFile, JSON.stringify(manifest));
  const alice = createPedigreeClient({ runner: fixture.cast.alice, addresses: fixture.deployment.addresses });
  const published = await publishDatasetVersion(alice, {
    datasetId: result.datasets.clinicalNotes,
    version: { fingerprint: data.fingerprint, manifestRoot: data.root, uri: `file://${dataDir}` },
    parents: [result.datasetVersions.clinicalNotesV2],
    transformationHash: keccakText("fourth cut"),
  });
  datasetVersionId = published.versionId;
  await fixture.indexer.waitForBlock(published.blockNumber);
  act = await playAgentAct(fixture);
  agent = await connect({ subgraphUrl: fixture.url, connectChain: connectTo(fixture.chain.url) });
}, 180_000);

afterAll(async () => {
  await agent?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  await fixture?.close();
});

describe("the tools an agent sees", () => {
  it("lists every tool with a description, described inputs and an output schema", async () => {
    const { tools } = await agent.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
    for (const tool of tools) {
      expect(tool.description!.length, tool.name).toBeGreaterThan(60);
      expect(tool.annotations).toMatchObject({ readOnlyHint: true });
      expect(tool.outputSchema?.type, tool.name).toBe("object");
      const properties = tool.inputSchema.properties as Record<string, { description?: string }>;
      for (const [name, property] of Object.entries(properties)) expect(property.description, `${tool.name}.${name}`).toBeTruthy();
    }
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get("what_trained_this")!.inputSchema.required).toEqual(["versionId"]);
    expect(Object.keys(byName.get("what_trained_this")!.inputSchema.properties!)).toEqual(["versionId", "block"]);
    expect(byName.get("check_model_version")!.inputSchema.required).toEqual(["versionId", "environment"]);
    expect(byName.get("verify_artifact")!.inputSchema.required).toEqual(["path"]);
    // Every audit question can be asked as of a block; the on-chain check answers for the chain's head.
    for (const name of TOOL_NAMES.filter((n) => n !== "check_model_version")) expect(byName.get(name)!.inputSchema.properties, name).toHaveProperty("block");
  });
});

describe("each tool, on the scenario", () => {
  it("check_model_version: triage v1 is releasable and live in production, and the subgraph agrees", async () => {
    const { answer, summary } = await ask("check_model_version", { versionId: id(result.modelVersions.triageV1), environment: "production" });
    expect(answer).toMatchObject({
      versionId: id(result.modelVersions.triageV1),
      exists: true,
      modelId: id(result.models.triage),
      approved: true,
      releasable: true,
      live: true,
      deploymentId: id(result.deployments.triageV1),
      liveButNotReleasable: false,
      subgraph: { answered: true, approved: true, approvalRevoked: false, approvalProblems: [], agreesWithChain: true },
    });
    expect(answer.subgraph.liveIn).toEqual([
      expect.objectContaining({ environment: "production", deploymentId: id(result.deployments.triageV1) }),
      expect.objectContaining({ environment: "assistant", deploymentId: id(result.deployments.assistantV1) }),
    ]);
    expect(summary).toContain("approved, releasable, live in \"production\"");
  });

  it("check_model_version: triage v2 lost its bias check, so it is approved but not releasable, and says why", async () => {
    const { answer, summary } = await ask("check_model_version", { versionId: Number(result.modelVersions.triageV2), environment: "production" });
    expect(answer).toMatchObject({ exists: true, approved: true, releasable: false, live: false, subgraph: { answered: true, approvalRevoked: true, liveIn: [] } });
    expect(answer.subgraph.approvalProblems).toEqual([expect.stringMatching(new RegExp(`^attestation ${result.attestations.revoked} \\(bias-check\\) was revoked by 0x[0-9a-f]{40}: bias regression found`))]);
    expect(summary).toContain("NOT releasable");
    const unknown = await ask("check_model_version", { versionId: 999, environment: "production" });
    expect(unknown.answer).toMatchObject({ exists: false, releasable: false, subgraph: { answered: false } });
    expect(unknown.summary).toBe("model version 999 does not exist on chain: do not trust it");
  });

  it("agent_status: the agent runs the assistant's first system version, live again since the rollback; the chain agrees; one validation was revoked", async () => {
    const { answer, summary } = await ask("agent_status", { agentId: id(act.agentId), environment: "assistant" });
    expect(answer).toMatchObject({
      agentId: id(act.agentId),
      owner: act.newOwner,
      environment: "assistant",
      bound: true,
      binding: { id: id(act.bindings.second), systemId: id(result.systems.assistant), modelVersionId: id(result.modelVersions.triageV1), systemPolicy: true },
      systemApproved: true,
      releasable: true,
      notReleasableBecause: [],
      live: true,
      liveIn: [{ environment: "assistant", deploymentId: id(result.deployments.assistantV1) }],
      liveButNotReleasable: false,
      activeWallets: [],
      chain: { answered: true, bindingId: id(act.bindings.second), systemId: id(result.systems.assistant), releasable: true, live: true, agreesWithSubgraph: true },
    });
    expect(summary).toMatch(/; the chain agrees$/);
    expect(answer.validations.map((v: any) => [v.id, v.revocation?.reason ?? null])).toEqual([
      [id(act.validations.kept), null],
      [id(act.validations.revoked), act.revocationReason],
    ]);
    expect(answer.validationProblems).toEqual([`validation ${act.validations.revoked} (safety-evaluation) by ${who(fixture.cast.evaluator)} was revoked by ${who(fixture.cast.evaluator)}: ${act.revocationReason}`]);
    expect(summary).toMatch(new RegExp(`^agent ${act.agentId} runs system version ${result.systems.assistant} \\(model version ${result.modelVersions.triageV1}\\) under policy 0x[0-9a-f]{64}: approved, releasable, live in "assistant"; 2 validation\\(s\\); validation ${act.validations.revoked} `));
    // Not live in production (triage v1 runs bare there); the block before the rebinding, the first binding was in force.
    expect((await ask("agent_status", { agentId: Number(act.agentId), environment: "production" })).answer).toMatchObject({ live: false, liveButNotReleasable: false });
    const anywhere = (await ask("agent_status", { agentId: id(act.agentId) })).answer;
    expect([anywhere.environment, anywhere.live, anywhere.chain]).toEqual([null, true, undefined]);
    const before = await ask("agent_status", { agentId: id(act.agentId), block: anywhere.binding.bound.blockNumber - 1 });
    expect(before.answer.binding.id).toBe(id(act.bindings.first));
    expect(before.answer.activeWallets).toEqual([act.wallet]);
  });

  it("what_trained_this: the radiology fine-tune was trained on dataset versions 1 to 4, through its parent", async () => {
    const { answer, summary } = await ask("what_trained_this", { versionId: id(result.modelVersions.radiologyTriageV1) });
    expect(answer.datasetVersions.map((entry: any) => entry.datasetVersion.id).sort()).toEqual(["1", "2", "3", "4"]);
    expect(answer.lineage.map((v: any) => v.id)).toEqual([result.modelVersions.radiologyTriageV1, result.modelVersions.triageV1].map(id));
    expect(summary).toMatch(/^model version \d+ \(model \d+ v1\) as of block \d+: trained on dataset versions /);
  });

  it("who_acted_on: who revoked v2's bias check and rolled it back, and as of the block before, nothing of that", async () => {
    const now = await ask("who_acted_on", { versionId: id(result.modelVersions.triageV2) });
    expect(now.answer.rollbacks).toEqual([expect.objectContaining({ direction: "from", environment: "production", reason: "bias regression in v2" })]);
    expect(now.answer.timeline.map((e: any) => e.action)).toContain("AttestationRevoked");
    const before = await ask("who_acted_on", { versionId: id(result.modelVersions.triageV2), block: result.blocks.beforeRollback });
    expect(before.answer.asOf.blockNumber).toBe(result.blocks.beforeRollback);
    expect(before.answer.rollbacks).toEqual([]);
    expect(before.answer.deployments[0].active).toBe(true);
  });

  it("was_data_used: clinical notes v1 trained triage v1, v2 and the fine-tune; triage v1 is live", async () => {
    const { answer, summary } = await ask("was_data_used", { datasetVersionId: id(result.datasetVersions.clinicalNotesV1) });
    expect(answer.modelVersions.map((user: any) => user.version.id).sort()).toEqual(["1", "2", "3"]);
    expect(answer.liveVersionIds).toEqual([id(result.modelVersions.triageV1)]);
    expect(summary).toContain("3 model version(s) trained on it");
    expect(await refusal("was_data_used", { datasetId: 1, datasetVersionId: 1 })).toBe("give exactly one of datasetId, datasetVersionId, or itemHash (with manifestPath)");
  });

  it("was_data_used: a single file is found in the dataset version whose manifest lists it, which trained nothing yet", async () => {
    const readme = manifest.entries.find((entry) => entry.path === "README.md")!;
    const { answer, summary } = await ask("was_data_used", { itemHash: readme.digest, manifestPath: manifestFile });
    expect(answer).toMatchObject({ matchedBy: "manifest", startingVersionIds: [id(datasetVersionId)], modelVersions: [], anyLive: false });
    expect(summary).toMatch(/^no model version was trained on it \(as of block \d+\)$/);
    const missing = join(dir, "no-such-manifest.json");
    expect(await refusal("was_data_used", { itemHash: readme.digest, manifestPath: missing })).toBe(`cannot read the manifest ${missing} (ENOENT); check the path`);
  });

  it("which_version_produced: the chain proves triage v1 produced decision 421, from the tree file or the records", async () => {
    const record = result.decisions.records[421]!;
    const fromFile = await ask("which_version_produced", { recordHash: record, treeFile });
    expect(fromFile.answer).toMatchObject({ verified: true, competing: false, root: result.decisions.root, producedBy: { id: id(result.modelVersions.triageV1) } });
    expect(fromFile.answer.anchors[0].batch.regions).toEqual(["DE", "FR", "NL"]);
    expect(fromFile.summary).toMatch(/^VERIFIED on chain: The chain verifies the record in the batch 0x[0-9a-f]{64} that model version 1/);
    const fromRecords = await ask("which_version_produced", { recordHash: record, records: result.decisions.records });
    expect(fromRecords.answer.proof).toEqual(fromFile.answer.proof);
    const stranger = await ask("which_version_produced", { recordHash: keccakText("not a decision of this batch"), treeFile });
    expect(stranger.answer).toMatchObject({ verified: false, producedBy: null });
  });

  it("where: triage v1 was trained in IE, may be deployed in the EU, and decided in DE, FR and NL", async () => {
    const { answer, summary } = await ask("where", { versionId: id(result.modelVersions.triageV1) });
    expect(answer.training).toEqual([expect.objectContaining({ versionId: id(result.modelVersions.triageV1), region: "IE", computeProvider: "eu-gpu-cloud:dublin" })]);
    expect(answer.territory.deployment).toEqual(regionCodes(regionSet("EU", "regions")));
    expect(answer.decisions).toEqual([
      expect.objectContaining({ root: result.decisions.root, regions: ["DE", "FR", "NL"] }),
      expect.objectContaining({ root: result.systems.decisionsRoot, regions: ["DE"], systemId: id(result.systems.promptUpdate) }),
    ]);
    expect(summary).toContain("trained version 1 in IE by eu-gpu-cloud:dublin; licences allow training in EEA and deployment in EU; no conflicts");
  });

  it("live_at: v1 is live in production now, v2 was before the rollback, and at that time too", async () => {
    const model = id(result.models.triage);
    const now = await ask("live_at", { modelId: model, environment: "production" });
    expect(now.answer.live.version.id).toBe(id(result.modelVersions.triageV1));
    const before = await ask("live_at", { modelId: model, environment: "production", block: result.blocks.beforeRollback });
    expect(before.answer.live.version.id).toBe(id(result.modelVersions.triageV2));
    const v2Deployed = before.answer.live.deployed.timestamp as number;
    const then = await ask("live_at", { modelId: model, environment: "production", time: new Date(v2Deployed * 1000).toISOString() });
    expect(then.answer).toMatchObject({ at: { resolvedFrom: "timestamp" }, live: { version: { id: id(result.modelVersions.triageV2) } } });
    expect(await refusal("live_at", { modelId: model, environment: "production", time: "yesterday" })).toBe(
      'time must be an ISO 8601 time like 2026-01-31T12:00:00Z (or unix seconds), got "yesterday"',
    );
  });

  it("changes_since: v2 against the release it replaced, v1, lost its bias check", async () => {
    const { answer, summary } = await ask("changes_since", { versionId: id(result.modelVersions.triageV2) });
    expect(answer).toMatchObject({ basis: "previous-release", environment: "production", previous: { id: id(result.modelVersions.triageV1) } });
    expect(answer.attestations.revoked.map((a: any) => a.id)).toEqual([id(result.attestations.revoked)]);
    expect(summary).toContain("attestation kinds lost: bias-check, licence-compliance");
    const before = await ask("changes_since", { versionId: id(result.modelVersions.triageV2), block: result.blocks.beforeRollback });
    expect(before.answer.attestations.revoked).toEqual([]);
  });

  it("verify_artifact: the published files match their dataset version; a changed file is named", async () => {
    const match = await ask("verify_artifact", { path: dataDir, datasetVersionId: id(datasetVersionId), manifestPath: manifestFile });
    expect(match.answer).toMatchObject({ matches: true, fingerprintMatches: true, manifestRootMatches: true, subject: { type: "dataset-version", id: id(datasetVersionId) } });
    expect(match.summary).toMatch(/^MATCH: /);
    await writeFile(join(dataDir, "train/part-0.jsonl"), '{"note":"patient critical"}\n');
    const changed = await ask("verify_artifact", { path: dataDir, datasetVersionId: id(datasetVersionId), manifestPath: manifestFile });
    expect(changed.answer.matches).toBe(false);
    expect(changed.answer.manifest.differences).toEqual([expect.objectContaining({ path: "train/part-0.jsonl", change: "modified" })]);
    expect(changed.summary).toContain("train/part-0.jsonl (modified)");
    expect(await refusal("verify_artifact", { path: dataDir })).toBe("give exactly one of modelVersionId or datasetVersionId");
  });
});

describe("errors", () => {
  it("refuses a malformed, negative or unknown id with one line naming the field", async () => {
    expect(await refusal("what_trained_this", { versionId: "abc" })).toBe('versionId must be a positive whole number (an id), got "abc"');
    expect(await refusal("who_acted_on", { versionId: -1 })).toBe("versionId must be a positive whole number (an id), got -1");
    expect(await refusal("check_model_version", { versionId: "0", environment: "production" })).toBe("versionId must be a positive id; ids start at 1");
    expect(await refusal("where", { versionId: 999 })).toBe(`model version 999 is not in the subgraph at ${fixture.url}; check the id or wait for the indexer to catch up`);
    expect(await refusal("agent_status", { agentId: 999 })).toBe(`agent 999 is not in the subgraph at ${fixture.url}; check the id or wait for the indexer to catch up`);
    expect(await refusal("agent_status", { agentId: "one" })).toBe('agentId must be a positive whole number (an id), got "one"');
    expect(await refusal("which_version_produced", { recordHash: "0x1234", treeFile })).toBe('recordHash must be a 32-byte hash (0x followed by 64 hex digits), got "0x1234"');
    expect(await refusal("what_trained_this", { versionId: 1, block: -5 })).toBe("block -5 is not a block number; give a non-negative integer");
    // A value of the wrong JSON type is refused by the input schema, still in one line naming the field.
    expect(await refusal("what_trained_this", { versionId: true })).toMatch(/versionId must be the id of the model version: a positive whole number such as 3/);
    expect(await refusal("what_trained_this", {})).toMatch(/versionId must be the id of the model version/);
    expect(logged).toEqual([]);
  });

  it("says the subgraph is down in one line, and the same server answers the next call from the chain", async () => {
    const cut = await connect({ subgraphUrl: DOWN, connectChain: connectTo(fixture.chain.url) });
    try {
      expect(await refusal("what_trained_this", { versionId: 1 }, cut)).toMatch(/^cannot reach the subgraph at http:\/\/127\.0\.0\.1:9\/subgraphs\/name\/pedigree \(.+\); check the URL and that the indexer or graph-node is running$/);
      const { answer, summary } = await ask("check_model_version", { versionId: 1, environment: "production" }, cut);
      expect(answer).toMatchObject({ exists: true, releasable: true, live: true, subgraph: { answered: false, error: expect.stringContaining("cannot reach the subgraph") } });
      expect(summary).toContain("the subgraph could not answer");
    } finally {
      await cut.close();
    }
  });

  it("says the node is down in one line, and connects on a later call once it answers", async () => {
    let attempts = 0;
    const nodes = ["http://127.0.0.1:9", fixture.chain.url];
    const flaky = await connect({ subgraphUrl: fixture.url, connectChain: () => connectTo(nodes[Math.min(attempts++, 1)]!)() });
    const noChain = await connect({ subgraphUrl: fixture.url });
    try {
      expect(await refusal("check_model_version", { versionId: 1, environment: "production" }, flaky)).toMatch(/http:\/\/127\.0\.0\.1:9/);
      expect((await ask("check_model_version", { versionId: 1, environment: "production" }, flaky)).answer.live).toBe(true);
      await ask("check_model_version", { versionId: 1, environment: "production" }, flaky);
      expect(attempts).toBe(2);
      expect(await refusal("check_model_version", { versionId: 1, environment: "production" }, noChain)).toBe(
        "this Pedigree MCP server has no chain connection. Start it with --rpc and --network or --addresses (createMcpServer: connectChain).",
      );
    } finally {
      await flaky.close();
      await noChain.close();
    }
  });
});

describe("pedigree mcp over stdio", () => {
  it("serves the tools to a client that spawns it, writing nothing but the protocol on stdout", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["bin/pedigree.mjs", "mcp", "--subgraph", fixture.url, "--rpc", fixture.chain.url, "--addresses", join(dir, "addresses.json")],
      cwd: process.cwd(),
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: "pedigree-stdio-agent", version: "1.0.0" });
    const protocolErrors: Error[] = [];
    client.onerror = (error) => protocolErrors.push(error);
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
      const { answer } = await ask("check_model_version", { versionId: id(result.modelVersions.triageV1), environment: "production" }, client);
      expect(answer).toMatchObject({ releasable: true, live: true, subgraph: { answered: true, agreesWithChain: true } });
      expect(await refusal("what_trained_this", { versionId: "abc" }, client)).toBe('versionId must be a positive whole number (an id), got "abc"');
    } finally {
      await client.close();
    }
    // A line on stdout that is not a JSON-RPC message would have reached the client as an error.
    expect(protocolErrors).toEqual([]);
    expect(stderr).toContain(`pedigree mcp: serving ${TOOL_NAMES.length} tools over stdio`);
  });

  it("answers every request of a batch piped in before it stops at the end of its input", async () => {
    const request = (id: number, method: string, params: object) => JSON.stringify({ jsonrpc: "2.0", id, method, params });
    const batch = [
      request(1, "initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "printf", version: "1" } }),
      JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
      request(2, "tools/call", { name: "where", arguments: { versionId: id(result.modelVersions.triageV1) } }),
      request(3, "tools/call", { name: "check_model_version", arguments: { versionId: id(result.modelVersions.triageV2), environment: "production" } }),
    ];
    const run = exec(process.execPath, ["bin/pedigree.mjs", "mcp", "--subgraph", fixture.url, "--rpc", fixture.chain.url, "--addresses", join(dir, "addresses.json")]);
    run.child.stdin!.end(`${batch.join("\n")}\n`);
    const { stdout } = await run;
    const answers = stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
    // Every line on stdout is a JSON-RPC answer, one per request (the two calls may finish in either order).
    expect(answers.every((answer) => answer.jsonrpc === "2.0")).toBe(true);
    expect(answers.map((answer) => answer.id).sort()).toEqual([1, 2, 3]);
    const byId = new Map(answers.map((answer) => [answer.id, answer.result]));
    expect(byId.get(2).structuredContent.training[0].region).toBe("IE");
    expect(byId.get(3).structuredContent).toMatchObject({ approved: true, releasable: false });
  });

  it("refuses to start without a subgraph or with a missing addresses file, in one line and exit 2", async () => {
    const start = (...args: string[]) => exec(process.execPath, ["bin/pedigree.mjs", "mcp", ...args], { env: { ...process.env, PEDIGREE_SUBGRAPH_URL: "" } }).catch((error) => error);
    const [noSubgraph, noAddresses] = await Promise.all([start(), start("--subgraph", fixture.url, "--addresses", join(dir, "missing.json"))]);
    expect(noSubgraph).toMatchObject({ code: 2, stdout: "" });
    expect(noSubgraph.stderr).toBe("pedigree: name the subgraph's GraphQL endpoint with --subgraph <url> (or PEDIGREE_SUBGRAPH_URL); `pedigree node` serves one\n");
    expect(noAddresses).toMatchObject({ code: 2, stdout: "", stderr: `pedigree: --addresses file ${join(dir, "missing.json")} does not exist: check the path\n` });
  });
});

