/**
 * The project's own build (build/subgraph.yaml): manifest loading, topic0s and log matching, and a real
 * DatasetRegistered → DatasetVersionPublished → TermsSet sequence run through the DatasetRegistry mapping, with the
 * resulting entities checked field by field.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { Interface } from "ethers";
import { SubgraphRuntime } from "../../../src/indexer/runtime/runtime.ts";
import { EntityCache } from "../../../src/indexer/runtime/entity-cache.ts";
import { loadManifest, eventTopic0 } from "../../../src/indexer/runtime/manifest.ts";
import { takeParams } from "../../../src/indexer/runtime/matching.ts";
import type { Entity } from "../../../src/indexer/values.ts";
import { block, encodeLog, eventTrigger, hex, projectManifest, transaction, txHash } from "./helpers.ts";
import { WORLDWIDE, regionSet } from "../../../src/core/regions.ts";

/** The territories of the terms the mapping indexes: training in the EEA, deployment in the EU. */
const EEA = regionSet("EEA", "training");
const EU = regionSet("EU", "deployment");

const DATASETS = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const ATTESTATIONS = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
const b = (h: string) => new Uint8Array(Buffer.from(h.replace(/^0x/, ""), "hex"));

let runtime: SubgraphRuntime;
let iface: Interface;
beforeAll(async () => {
  const manifest = projectManifest();
  runtime = await SubgraphRuntime.load(manifest, { addresses: { DatasetRegistry: DATASETS, AttestationRegistry: ATTESTATIONS } });
  iface = new Interface(JSON.parse(readFileSync(manifest.replace("subgraph.yaml", "DatasetRegistry/DatasetRegistry.json"), "utf8")));
});

describe("the project's manifest", () => {
  it("loads data sources, handlers and ABIs, with topic0 = keccak of the signature without `indexed `", () => {
    const manifest = loadManifest(projectManifest());
    expect(manifest.dataSources.map((d) => d.name)).toEqual(["DatasetRegistry", "RoyaltyRegistry", "AttestationRegistry", "ModelRegistry", "ReleaseRegistry", "SystemRegistry", "AgentRegistry"]);
    const ds = manifest.dataSources[0]!;
    expect(ds.mapping.apiVersion).toBe("0.0.9");
    expect(ds.mapping.file).toMatch(/build\/DatasetRegistry\/DatasetRegistry\.wasm$/);
    expect(ds.mapping.eventHandlers.map((h) => h.handler)).toContain("handleTermsSet");
    for (const handler of ds.mapping.eventHandlers) {
      // The ABI's own topic hash is computed independently by ethers from the event fragment.
      expect(handler.topic0, handler.event).toBe(iface.getEvent(handler.fragment.name)!.topicHash);
      expect(handler.receipt).toBe(false);
    }
    const terms = ds.mapping.eventHandlers.find((h) => h.handler === "handleTermsSet")!;
    expect(terms.event).toBe(
      "TermsSet(indexed uint64,indexed uint64,address,uint96,uint32,bool,bool,bytes32,string,(address,uint16)[],uint256,uint256,uint96,string,uint16,address)",
    );
    expect(eventTopic0("Transfer(indexed address,indexed address,indexed uint256)")).toBe(iface.getEvent("Transfer")!.topicHash);
    expect(manifest.schema.entities.get("LicenceTerms")!.immutable).toBe(true);
  });

  it("gives the chain follower one log filter per address, with address overrides applied", () => {
    const filters = runtime.logFilters();
    const datasets = filters.find((f) => f.address === DATASETS)!;
    expect(datasets.topic0s).toHaveLength(11); // its money events are the RoyaltyRegistry's
    expect(datasets.topic0s).toContain(iface.getEvent("DatasetRegistered")!.topicHash);
    expect(filters.find((f) => f.address === ATTESTATIONS)!.topic0s).toHaveLength(6);
    // RoyaltyRegistry (9 events), ModelRegistry, ReleaseRegistry, SystemRegistry and AgentRegistry keep the manifest's
    // placeholder address (one filter, so the ERC-721 Transfer topic both the model and the agent registries listen to
    // counts once).
    expect(filters.find((f) => f.address === "0x0000000000000000000000000000000000000000")!.topic0s).toHaveLength(30);
    expect(runtime.startBlock).toBe(0n);
    expect(runtime.needsEveryBlock).toBe(false);
  });

  it("matches logs by address and topic0 only", () => {
    const blk = block(1n);
    const log = encodeLog(iface, "DatasetRegistered", [1n, hex(0xcc, 20)], { address: DATASETS, block: blk, txHash: txHash(1), logIndex: 0n });
    expect(runtime.matchLog(log).map((m) => `${m.dataSource.id}.${m.handler.handler}`)).toEqual(["DatasetRegistry.handleDatasetRegistered"]);
    expect(runtime.matchLog({ ...log, address: ATTESTATIONS })).toEqual([]);
    expect(runtime.matchLog({ ...log, topics: [hex(0x01, 32), ...log.topics.slice(1)] })).toEqual([]);
    // A log whose topics do not fit the event's indexed parameters does not decode and is skipped.
    expect(runtime.matchLog({ ...log, topics: log.topics.slice(0, 2) })).toEqual([]);
  });

  it("hands the parameters it decoded to the trigger once, so that they do not live on with the log", () => {
    const blk = block(1n);
    const log = encodeLog(iface, "DatasetRegistered", [7n, hex(0xcc, 20)], { address: DATASETS, block: blk, txHash: txHash(1), logIndex: 0n });
    const [match] = runtime.matchLog(log);
    expect(takeParams(log, match!.handler)).toBe(match!.params);
    expect(match!.params.map((p) => p.name)).toEqual(["datasetId", "owner"]);
    expect(takeParams(log, match!.handler)).toBeUndefined();
    // Running the trigger then decodes the log again.
    const cache = runtime.createEntityCache();
    cache.beginBlock();
    runtime.runTrigger(eventTrigger(match!.dataSource.id, match!.handler.handler, log, blk, transaction(txHash(1))), cache);
    expect(cache.get("Dataset", "7")?.owner).toEqual(Uint8Array.from(Buffer.from("cc".repeat(20), "hex")));
  });
});

describe("DatasetRegistry handlers on the project's build", () => {
  const owner = hex(0xc1, 20);
  const publisher = hex(0xc2, 20);
  const setBy = hex(0xc3, 20);
  const recipient1 = hex(0xd1, 20);
  const recipient2 = hex(0xd2, 20);
  const fingerprint = hex(0xf0, 32);
  const block42 = block(42n);
  const block43 = block(43n);
  const tx = [txHash(0xa1), txHash(0xa2), txHash(0xa3), txHash(0xa4)];
  let cache: EntityCache;
  let block42Changes: ReturnType<EntityCache["changes"]>;
  let block43Changes: ReturnType<EntityCache["changes"]>;
  /** Gas of each handler run, in order. */
  let gasUsed: number[];

  /** Runs the two blocks' events through `target` into a new cache. */
  const play = (target: SubgraphRuntime) => {
    const into = target.createEntityCache();
    const gas: number[] = [];
    const run = (event: string, args: unknown[], blk: typeof block42, hash: string, logIndex: bigint) => {
      const log = encodeLog(iface, event, args, { address: DATASETS, block: blk, txHash: hash, logIndex });
      const matches = target.matchLog(log);
      expect(matches).toHaveLength(1);
      const result = target.runTrigger(eventTrigger(matches[0]!.dataSource.id, matches[0]!.handler.handler, log, blk, transaction(hash)), into);
      expect(result.createdDataSources).toEqual([]);
      gas.push(result.gasUsed);
    };
    into.beginBlock();
    run("DatasetRegistered", [1n, owner], block42, tx[0]!, 0n);
    run(
      "DatasetVersionPublished",
      [10n, 1n, 1, fingerprint, hex(0xe1, 32), hex(0xe2, 32), "ipfs://v1", [], [], hex(0xe3, 32), publisher, EU, hex(0xe7, 32), "ipfs://policy", WORLDWIDE, WORLDWIDE],
      block42,
      tx[1]!,
      1n,
    );
    const changes42 = into.changes();
    into.commitBlock();

    into.beginBlock();
    run(
      "DatasetVersionPublished",
      [11n, 1n, 2, hex(0xf1, 32), hex(0xe4, 32), hex(0xe5, 32), "ipfs://v2", [10n], [0n], hex(0xe6, 32), publisher, 0n, hex(0, 32), "", EEA, EU],
      block43,
      tx[2]!,
      2n,
    );
    run(
      "TermsSet",
      [1n, 5n, "0x0000000000000000000000000000000000000000", 10n ** 18n, 86400, true, false, hex(0xdd, 32), "ipfs://terms", [
        [recipient1, 7000],
        [recipient2, 3000],
      ], EEA, EU, 5_000n, "samples", 1_500, setBy],
      block43,
      tx[3]!,
      3n,
    );
    const changes43 = into.changes();
    into.commitBlock();
    return { cache: into, changes: [changes42, changes43], gas };
  };
  const get = (type: string, id: string): Entity => {
    const entity = cache.get(type, id);
    expect(entity, `${type}[${id}]`).not.toBeNull();
    return entity!;
  };

  beforeAll(() => {
    ({ cache, changes: [block42Changes, block43Changes], gas: gasUsed } = play(runtime));
  });

  it("stores the same and uses the same gas with a new instance per trigger (graph-node's way) as with restored ones", async () => {
    const fresh = await SubgraphRuntime.load(projectManifest(), { addresses: { DatasetRegistry: DATASETS }, reuseInstances: false });
    const again = play(fresh);
    expect(again.changes).toEqual([block42Changes, block43Changes]);
    expect(again.gas).toEqual(gasUsed);
    expect(new Set(gasUsed).size).toBe(gasUsed.length); // four different handler runs, not one figure repeated
  });

  it("creates the Dataset and keeps it current", () => {
    expect(get("Dataset", "1")).toEqual({
      id: "1",
      datasetId: 1n,
      creator: b(owner),
      owner: b(owner),
      withdrawn: false,
      consentRevoked: false,
      versionCount: 2,
      currentTerms: "5",
      createdAtBlock: 42n,
      createdAt: block42.timestamp,
      createdTx: b(tx[0]!),
    });
  });

  it("creates both DatasetVersions with lineage", () => {
    expect(get("DatasetVersion", "10")).toEqual({
      id: "10",
      versionId: 10n,
      dataset: "1",
      number: 1,
      fingerprint: b(fingerprint),
      content: b(fingerprint),
      // The dataset's owner when the version was published claims the fingerprint, not the publisher.
      claimant: b(owner),
      manifestRoot: b(hex(0xe1, 32)),
      metadataHash: b(hex(0xe2, 32)),
      uri: "ipfs://v1",
      parents: [],
      parentLicenceIds: [],
      transformationHash: b(hex(0xe3, 32)),
      publisher: b(publisher),
      originRegions: EU,
      handlingPolicyHash: b(hex(0xe7, 32)),
      handlingPolicyURI: "ipfs://policy",
      inheritedTrainingTerritories: WORLDWIDE,
      inheritedDeploymentTerritories: WORLDWIDE,
      createdAtBlock: 42n,
      createdAt: block42.timestamp,
      createdTx: b(tx[1]!),
      createdLogIndex: 1n,
    });
    expect(get("Content", fingerprint)).toEqual({ id: b(fingerprint) });
    const v2 = get("DatasetVersion", "11");
    expect(v2.parents).toEqual(["10"]);
    expect(v2.parentLicenceIds).toEqual([0n]);
    // An undeclared policy is left unset (null in GraphQL); what the lineage restricts is indexed as emitted.
    expect([v2.originRegions, v2.handlingPolicyHash, v2.handlingPolicyURI]).toEqual([0n, undefined, undefined]);
    expect([v2.inheritedTrainingTerritories, v2.inheritedDeploymentTerritories]).toEqual([EEA, EU]);
    expect(v2.number).toBe(2);
    expect(v2.createdAtBlock).toBe(43n);
  });

  it("creates the immutable LicenceTerms and its RoyaltySplits", () => {
    expect(get("LicenceTerms", "5")).toEqual({
      id: "5",
      termsId: 5n,
      dataset: "1",
      currency: new Uint8Array(20),
      price: 10n ** 18n,
      duration: 86400n,
      commercialUse: true,
      derivativesAllowed: false,
      documentHash: b(hex(0xdd, 32)),
      documentURI: "ipfs://terms",
      trainingTerritories: EEA,
      deploymentTerritories: EU,
      unitPrice: 5_000n,
      unit: "samples",
      derivativeRoyaltyBps: 1_500,
      setBy: b(setBy),
      createdAtBlock: 43n,
      createdAt: block43.timestamp,
      createdTx: b(tx[3]!),
    });
    expect(get("RoyaltySplit", "5-0")).toEqual({ id: "5-0", terms: "5", index: 0, recipient: b(recipient1), bps: 7000 });
    expect(get("RoyaltySplit", "5-1")).toEqual({ id: "5-1", terms: "5", index: 1, recipient: b(recipient2), bps: 3000 });
  });

  it("creates an Account for every address that acted", () => {
    for (const address of [owner, publisher, setBy, recipient1, recipient2]) {
      expect(get("Account", address)).toEqual({ id: b(address) });
    }
    expect(cache.count("Account")).toBe(5);
  });

  it("writes the provenance log entries", () => {
    expect(get("ProvenanceEvent", `${tx[0]}-0`)).toEqual({
      id: `${tx[0]}-0`,
      action: "DatasetRegistered",
      actor: b(owner),
      description: "dataset 1 registered",
      dataset: "1",
      blockNumber: 42n,
      timestamp: block42.timestamp,
      transactionHash: b(tx[0]!),
      logIndex: 0n,
    });
    expect(get("ProvenanceEvent", `${tx[1]}-1-0`)).toMatchObject({
      action: "DatasetVersionPublished",
      description: `dataset 1 version 1 (${fingerprint})`,
      dataset: "1",
      datasetVersion: "10",
      actor: b(publisher),
    });
    expect(get("ProvenanceEvent", `${tx[2]}-2-1`)).toMatchObject({
      action: "DatasetDerived",
      description: "dataset version 11 derived from 10 (the owner's own data)",
      datasetVersion: "10",
      logIndex: 2n,
    });
    expect(get("ProvenanceEvent", `${tx[3]}-3`)).toMatchObject({
      action: "TermsSet",
      description: "terms 5 for dataset 1: price 1000000000000000000, ipfs://terms",
      dataset: "1",
    });
  });

  it("reports each block's changes once per entity, sorted, unchanged entities left out", () => {
    expect(block42Changes.map((c) => `${c.entityType}:${c.id}`)).toEqual([
      `Account:${owner}`,
      `Account:${publisher}`,
      `Content:${fingerprint}`,
      "Dataset:1",
      "DatasetVersion:10",
      `ProvenanceEvent:${tx[0]}-0`,
      `ProvenanceEvent:${tx[1]}-1-0`,
    ]);
    // Block 43: the publisher's Account already exists and is not written again; the Dataset changed.
    const ids = block43Changes.map((c) => `${c.entityType}:${c.id}`);
    expect(ids).not.toContain(`Account:${publisher}`);
    expect(ids).toContain("Dataset:1");
    expect(ids).toContain("LicenceTerms:5");
    expect(block43Changes.find((c) => c.id === "1" && c.entityType === "Dataset")!.data).toMatchObject({ versionCount: 2, currentTerms: "5" });
  });
});
