/**
 * Hand-built blocks of the Pedigree lineage schema for the GraphQL tests, a real PGlite store to commit them to, and
 * small HTTP helpers. The data is small and every value is chosen so that a test can state its expected answer.
 *
 * Block 1: accounts ALICE (data creator), BOB (ML team), CAROL (auditor); datasets 1 (ALICE) and 2 (BOB); dataset
 *          versions 1, 2 (dataset 1; 2 derives from 1) and 3 (dataset 2; derives from 1); licence terms 1.
 * Block 2: licences 1 and 2; model 1 with version 1 and its training run on versions [3, 1, 2] under licences
 *          [1, 2]; attestation kinds 0 and 1; attestations 1-4; a decision batch whose model version is missing.
 * Block 3: dataset 1 gets version 4 (from 2), owner BOB, versionCount 3; attestation 2 is revoked.
 * Block 4: dataset 2 is withdrawn.
 */
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { parseSchema, type SubgraphSchema } from "../../../src/indexer/schema/schema.ts";
import { createStore } from "../../../src/indexer/store/index.ts";
import type { BlockPtr, EntityChange, Store } from "../../../src/indexer/store/types.ts";
import { hexToBytes, type Entity } from "../../../src/indexer/values.ts";
import { WORLDWIDE } from "../../../src/core/regions.ts";

export const SCHEMA_SOURCE = readFileSync(new URL("../../../schema.graphql", import.meta.url), "utf8");
export const schema: SubgraphSchema = parseSchema(SCHEMA_SOURCE);

export const ALICE = "0x00000000000000000000000000000000000a11ce";
export const BOB = "0x0000000000000000000000000000000000000b0b";
export const CAROL = "0x000000000000000000000000000000000000ca01";
export const ZERO_ADDRESS = `0x${"00".repeat(20)}`;

/** Block hashes: block n has hash 0x…nn (32 bytes). */
export const hashOf = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
export const TIMESTAMP = (n: number) => 1_700_000_000 + 12 * n;

export function blockPtr(number: number): BlockPtr {
  return { number, hash: hashOf(number), parentHash: hashOf(number - 1), timestamp: TIMESTAMP(number) };
}

const bytes = hexToBytes;
const change = (entityType: string, id: string, data: Entity | null): EntityChange => ({ entityType, id, data });

function datasetVersion(id: string, dataset: string, number: number, uri: string, parents: string[], publisher: string, block: number): Entity {
  return {
    id,
    versionId: BigInt(id),
    dataset,
    number,
    fingerprint: bytes(`0xf${id}`),
    content: bytes(`0xf${id}`),
    manifestRoot: bytes(`0x0${id}`),
    metadataHash: bytes("0x1234"),
    uri,
    parents,
    parentLicenceIds: parents.map(() => 0n),
    transformationHash: bytes("0x00"),
    publisher: bytes(publisher),
    originRegions: 0n,
    handlingPolicyHash: null,
    handlingPolicyURI: null,
    inheritedTrainingTerritories: WORLDWIDE,
    inheritedDeploymentTerritories: WORLDWIDE,
    claimant: bytes(publisher),
    priorityCommittedAt: null,
    priorityCommitmentBlock: null,
    createdAtBlock: BigInt(block),
    createdAt: BigInt(TIMESTAMP(block)),
    createdTx: bytes(`0xee0${block}`),
    createdLogIndex: 0n,
  };
}

function dataset(id: string, creator: string, owner: string, versionCount: number, extra: Partial<Entity> = {}): Entity {
  return {
    id,
    datasetId: BigInt(id),
    creator: bytes(creator),
    owner: bytes(owner),
    withdrawn: false,
    withdrawnAt: null,
    withdrawalReason: null,
    consentRevoked: false,
    consentRevokedAt: null,
    consentRevocationReason: null,
    consentRevokedBy: null,
    versionCount,
    currentTerms: id === "1" ? "1" : null,
    createdAtBlock: 1n,
    createdAt: BigInt(TIMESTAMP(1)),
    createdTx: bytes(`0xaa0${id}`),
    ...extra,
  };
}

function attestation(id: string, kind: string, subjectType: string, subject: Partial<Entity>, block: number, extra: Partial<Entity> = {}): Entity {
  return {
    id,
    attestationId: BigInt(id),
    attester: bytes(CAROL),
    submitter: bytes(CAROL),
    viaSignature: false,
    kind,
    subjectType,
    subjectId: 1n,
    datasetVersion: null,
    modelVersion: null,
    trainingRun: null,
    licence: null,
    deployment: null,
    expiresAt: 0n,
    ref: null,
    evidenceHash: bytes("0xe0"),
    evidenceURI: `ipfs://evidence-${id}`,
    revoked: false,
    revokedBy: null,
    revokedAt: null,
    revocationReason: null,
    createdAtBlock: BigInt(block),
    createdAt: BigInt(TIMESTAMP(block)),
    createdTx: bytes(`0xcc0${id}`),
    ...subject,
    ...extra,
  };
}

function provenanceEvent(id: string, action: string, actor: string, block: number, subject: Partial<Entity>): Entity {
  return {
    id,
    action,
    actor: bytes(actor),
    description: `${action} at block ${block}`,
    dataset: null,
    datasetVersion: null,
    licence: null,
    model: null,
    modelVersion: null,
    attestation: null,
    deployment: null,
    decisionBatch: null,
    blockNumber: BigInt(block),
    timestamp: BigInt(TIMESTAMP(block)),
    transactionHash: bytes(`0xdd0${block}`),
    logIndex: 0n,
    ...subject,
  };
}

/** The four blocks described at the top of this file. */
export function lineageBlocks(): { block: BlockPtr; changes: EntityChange[] }[] {
  const block1: EntityChange[] = [
    change("Account", ALICE, { id: bytes(ALICE) }),
    change("Account", BOB, { id: bytes(BOB) }),
    change("Account", CAROL, { id: bytes(CAROL) }),
    change("Dataset", "1", dataset("1", ALICE, ALICE, 2)),
    change("Dataset", "2", dataset("2", BOB, BOB, 1)),
    change("DatasetVersion", "1", datasetVersion("1", "1", 1, "ipfs://Alpha", [], ALICE, 1)),
    change("DatasetVersion", "2", datasetVersion("2", "1", 2, "ipfs://beta-v2", ["1"], ALICE, 1)),
    change("DatasetVersion", "3", datasetVersion("3", "2", 1, "ar://gamma", ["1"], BOB, 1)),
    change("LicenceTerms", "1", {
      id: "1",
      termsId: 1n,
      dataset: "1",
      currency: bytes(ZERO_ADDRESS),
      price: 1000n,
      duration: 0n,
      commercialUse: true,
      derivativesAllowed: false,
      documentHash: bytes("0xd1"),
      documentURI: "ipfs://terms-1",
      trainingTerritories: WORLDWIDE,
      deploymentTerritories: WORLDWIDE,
      unitPrice: 0n,
      unit: "",
      derivativeRoyaltyBps: 0,
      setBy: bytes(ALICE),
      createdAtBlock: 1n,
      createdAt: BigInt(TIMESTAMP(1)),
      createdTx: bytes("0xab01"),
    }),
    change("ProvenanceEvent", "0x01-0", provenanceEvent("0x01-0", "DatasetRegistered", ALICE, 1, { dataset: "1" })),
    change("ProvenanceEvent", "0x01-1", provenanceEvent("0x01-1", "DatasetRegistered", BOB, 1, { dataset: "2" })),
  ];
  const licence = (id: string, datasetId: string, amount: bigint): Entity => ({
    id,
    licenceId: BigInt(id),
    dataset: datasetId,
    terms: "1",
    licensee: bytes(BOB),
    payer: bytes(BOB),
    currency: bytes(ZERO_ADDRESS),
    amount,
    expiresAt: 0n,
    createdAtBlock: 2n,
    createdAt: BigInt(TIMESTAMP(2)),
    createdTx: bytes(`0xbb0${id}`),
  });
  const block2: EntityChange[] = [
    change("Licence", "1", licence("1", "1", 1000n)),
    change("Licence", "2", licence("2", "2", 250n)),
    change("Model", "1", {
      id: "1",
      modelId: 1n,
      creator: bytes(BOB),
      owner: bytes(BOB),
      commercial: true,
      metadataHash: bytes("0x99"),
      uri: "ipfs://model-1",
      requiredKinds: 3n,
      requiredKindIds: [0, 1],
      requiresDeclaredData: false,
      versionCount: 1,
      createdAtBlock: 2n,
      createdAt: BigInt(TIMESTAMP(2)),
      createdTx: bytes("0x9901"),
    }),
    change("ModelVersion", "1", {
      id: "1",
      versionId: 1n,
      model: "1",
      number: 1,
      weightsHash: bytes("0x77"),
      manifestRoot: bytes("0x78"),
      configHash: bytes("0x79"),
      uri: "ipfs://model-1-v1",
      parent: null,
      publisher: bytes(BOB),
      content: bytes("0x77"),
      claimant: bytes(BOB),
      priorityCommittedAt: null,
      priorityCommitmentBlock: null,
      trainingRun: "1",
      dataDeclared: true,
      commercialData: true,
      approved: false,
      approval: null,
      approvalRevoked: false,
      createdAtBlock: 2n,
      createdAt: BigInt(TIMESTAMP(2)),
      createdTx: bytes("0x9902"),
      createdLogIndex: 0n,
    }),
    change("TrainingRun", "1", {
      id: "1",
      modelVersion: "1",
      model: "1",
      datasetVersions: ["3", "1", "2"],
      licences: ["1", "2"],
      codeHash: bytes("0xc0de"),
      hyperparametersHash: bytes("0x4411"),
      startedAt: 10n,
      endedAt: 20n,
      region: 56,
      computeProvider: bytes("0xc1"),
      createdAtBlock: 2n,
      createdAt: BigInt(TIMESTAMP(2)),
      createdTx: bytes("0x9903"),
    }),
    ...["1", "2", "3"].map((version, index) =>
      change("TrainingDatasetUse", `1-${index}`, {
        id: `1-${index}`,
        trainingRun: "1",
        modelVersion: "1",
        dataset: version === "3" ? "2" : "1",
        datasetVersion: version,
        licence: version === "3" ? "2" : "1",
      }),
    ),
    change("AttestationKind", "0", { id: "0", kind: 0, role: bytes("0x0e"), name: "Evaluation" }),
    change("AttestationKind", "1", { id: "1", kind: 1, role: bytes("0x0a"), name: "Audit" }),
    change("Attestation", "1", attestation("1", "0", "DatasetVersion", { datasetVersion: "1" }, 2)),
    change("Attestation", "2", attestation("2", "1", "DatasetVersion", { datasetVersion: "2" }, 2)),
    change("Attestation", "3", attestation("3", "1", "Licence", { licence: "1" }, 2)),
    change("Attestation", "4", attestation("4", "0", "ModelVersion", { modelVersion: "1", trainingRun: "1" }, 2, { viaSignature: true, submitter: bytes(BOB) })),
    change("DecisionBatch", "0xdb01", {
      id: bytes("0xdb01"),
      root: bytes("0xdb01"),
      decisionRoot: bytes("0xdb01"),
      version: "999",
      model: "1",
      count: 10n,
      windowStart: 0n,
      windowEnd: 10n,
      policyHash: bytes("0x00"),
      regions: 1n << 56n,
      uri: "ipfs://decisions",
      operator: bytes(BOB),
      blockNumber: 2n,
      timestamp: BigInt(TIMESTAMP(2)),
      transactionHash: bytes("0xdb"),
      logIndex: 0n,
    }),
    change("ProvenanceEvent", "0x02-0", provenanceEvent("0x02-0", "ModelVersionPublished", BOB, 2, { modelVersion: "1" })),
    change("ProvenanceEvent", "0x02-1", provenanceEvent("0x02-1", "Attested", CAROL, 2, { attestation: "4", modelVersion: "1" })),
  ];
  const block3: EntityChange[] = [
    change("Dataset", "1", dataset("1", ALICE, BOB, 3)),
    change("DatasetVersion", "4", datasetVersion("4", "1", 3, "ipfs://delta", ["2"], ALICE, 3)),
    change("Attestation", "2", attestation("2", "1", "DatasetVersion", { datasetVersion: "2" }, 2, {
      revoked: true,
      revokedBy: bytes(CAROL),
      revokedAt: 3n,
      revocationReason: "wrong fingerprint",
    })),
    change("ProvenanceEvent", "0x03-0", provenanceEvent("0x03-0", "DatasetVersionPublished", ALICE, 3, { datasetVersion: "4", dataset: "1" })),
  ];
  const block4: EntityChange[] = [
    change("Dataset", "2", dataset("2", BOB, BOB, 1, { withdrawn: true, withdrawnAt: 4n, withdrawalReason: "Takedown request" })),
    change("ProvenanceEvent", "0x04-0", provenanceEvent("0x04-0", "DatasetWithdrawn", BOB, 4, { dataset: "2" })),
  ];
  return [block1, block2, block3, block4].map((changes, i) => ({ block: blockPtr(i + 1), changes }));
}

/**
 * A bigger lineage for latency measurements, committed in one block: `models` models with `versionsPerModel`
 * versions each; every version's training run uses `perRun` dataset versions (of `datasets` datasets with 3 versions
 * each) under `perRun` licences; every dataset version has 2 attestations, every licence and model version 1.
 */
export function scaledLineageBlock(options: { datasets: number; models: number; versionsPerModel: number; perRun: number }): {
  block: BlockPtr;
  changes: EntityChange[];
  modelVersionIds: string[];
} {
  const changes: EntityChange[] = [
    change("Account", ALICE, { id: bytes(ALICE) }),
    change("Account", BOB, { id: bytes(BOB) }),
    change("Account", CAROL, { id: bytes(CAROL) }),
    change("AttestationKind", "0", { id: "0", kind: 0, role: bytes("0x0e"), name: "Evaluation" }),
    change("AttestationKind", "1", { id: "1", kind: 1, role: bytes("0x0a"), name: "Audit" }),
  ];
  let attestationId = 1;
  const attest = (subjectType: string, subject: Partial<Entity>) => {
    const id = String(attestationId++);
    changes.push(change("Attestation", id, attestation(id, String(attestationId % 2), subjectType, subject, 1, { createdTx: bytes("0xcc") })));
  };
  const versionIds: string[] = [];
  for (let d = 1; d <= options.datasets; d++) {
    const id = String(d);
    changes.push(change("Dataset", id, { ...dataset(id, d % 2 ? ALICE : BOB, ALICE, 3), currentTerms: id, createdTx: bytes("0xaa") }));
    changes.push(
      change("LicenceTerms", id, {
        id,
        termsId: BigInt(d),
        dataset: id,
        currency: bytes(ZERO_ADDRESS),
        price: BigInt(d * 100),
        duration: 0n,
        commercialUse: true,
        derivativesAllowed: true,
        documentHash: bytes("0xd1"),
        documentURI: `ipfs://terms-${id}`,
        trainingTerritories: WORLDWIDE,
        deploymentTerritories: WORLDWIDE,
        unitPrice: 0n,
        unit: "",
        derivativeRoyaltyBps: 0,
        setBy: bytes(ALICE),
        createdAtBlock: 1n,
        createdAt: BigInt(TIMESTAMP(1)),
        createdTx: bytes("0xab"),
      }),
    );
    for (let n = 1; n <= 3; n++) {
      const versionId = String((d - 1) * 3 + n);
      versionIds.push(versionId);
      changes.push(
        change("DatasetVersion", versionId, {
          ...datasetVersion("1", id, n, `ipfs://dataset-${id}-v${n}`, n > 1 ? [String((d - 1) * 3 + n - 1)] : [], ALICE, 1),
          id: versionId,
          versionId: BigInt(versionId),
          fingerprint: bytes("0xf0"),
          content: bytes("0xf0"),
        }),
      );
      attest("DatasetVersion", { datasetVersion: versionId });
      attest("DatasetVersion", { datasetVersion: versionId });
    }
    changes.push(
      change("Licence", id, {
        id,
        licenceId: BigInt(d),
        dataset: id,
        terms: id,
        licensee: bytes(BOB),
        payer: bytes(BOB),
        currency: bytes(ZERO_ADDRESS),
        amount: BigInt(d * 100),
        expiresAt: 0n,
        createdAtBlock: 1n,
        createdAt: BigInt(TIMESTAMP(1)),
        createdTx: bytes("0xbb"),
      }),
    );
    attest("Licence", { licence: id });
  }
  const modelVersionIds: string[] = [];
  for (let m = 1; m <= options.models; m++) {
    const modelId = String(m);
    changes.push(
      change("Model", modelId, {
        id: modelId,
        modelId: BigInt(m),
        creator: bytes(BOB),
        owner: bytes(BOB),
        commercial: true,
        metadataHash: bytes("0x99"),
        uri: `ipfs://model-${m}`,
        requiredKinds: 3n,
        requiredKindIds: [0, 1],
        requiresDeclaredData: false,
        versionCount: options.versionsPerModel,
        createdAtBlock: 1n,
        createdAt: BigInt(TIMESTAMP(1)),
        createdTx: bytes("0x99"),
      }),
    );
    for (let v = 1; v <= options.versionsPerModel; v++) {
      const id = String((m - 1) * options.versionsPerModel + v);
      modelVersionIds.push(id);
      const start = ((m * 7 + v * 3) * 3) % Math.max(1, versionIds.length - options.perRun);
      const used = versionIds.slice(start, start + options.perRun);
      const licences = [...new Set(used.map((versionId) => String(Math.ceil(Number(versionId) / 3))))];
      changes.push(
        change("ModelVersion", id, {
          id,
          versionId: BigInt(id),
          model: modelId,
          number: v,
          weightsHash: bytes("0x77"),
          manifestRoot: bytes("0x78"),
          configHash: bytes("0x79"),
          uri: `ipfs://model-${m}-v${v}`,
          parent: v > 1 ? String(Number(id) - 1) : null,
          publisher: bytes(BOB),
          content: bytes("0x77"),
          claimant: bytes(BOB),
          priorityCommittedAt: null,
          priorityCommitmentBlock: null,
          trainingRun: id,
          dataDeclared: true,
          commercialData: true,
          approved: false,
          approval: null,
          approvalRevoked: false,
          createdAtBlock: 1n,
          createdAt: BigInt(TIMESTAMP(1)),
          createdTx: bytes("0x99"),
          createdLogIndex: 0n,
        }),
      );
      changes.push(
        change("TrainingRun", id, {
          id,
          modelVersion: id,
          model: modelId,
          datasetVersions: used,
          licences,
          codeHash: bytes("0xc0de"),
          hyperparametersHash: bytes("0x4411"),
          startedAt: 10n,
          endedAt: 20n,
          region: 56,
          computeProvider: bytes("0xc1"),
          createdAtBlock: 1n,
          createdAt: BigInt(TIMESTAMP(1)),
          createdTx: bytes("0x99"),
        }),
      );
      attest("ModelVersion", { modelVersion: id, trainingRun: id });
    }
  }
  return { block: blockPtr(1), changes, modelVersionIds };
}

/** The address of the `i`-th account of {@link ownershipBlock}. */
export const ownerAddress = (i: number) => `0x${(i + 1).toString(16).padStart(40, "0")}`;

/**
 * `accounts` accounts owning `datasetsPerAccount` datasets each (dataset ids 1, 2, …; each created by its owner), with
 * `versionsPerDataset` versions each forming a chain (version n derives from version n − 1): the relation cycles
 * (`Account.datasetsOwned` ↔ `Dataset.owner`, `DatasetVersion.parents`) that attack queries go around.
 */
export function ownershipBlock(accounts: number, datasetsPerAccount: number, versionsPerDataset = 0): { block: BlockPtr; changes: EntityChange[] } {
  const changes: EntityChange[] = [];
  let versionId = 0;
  for (let a = 0; a < accounts; a++) {
    const owner = ownerAddress(a);
    changes.push(change("Account", owner, { id: bytes(owner) }));
    for (let d = 0; d < datasetsPerAccount; d++) {
      const id = String(a * datasetsPerAccount + d + 1);
      changes.push(change("Dataset", id, dataset(id, owner, owner, versionsPerDataset)));
      for (let n = 1; n <= versionsPerDataset; n++) {
        const vid = String(++versionId);
        const version = datasetVersion(vid, id, n, `ipfs://d${id}-v${n}`, n > 1 ? [String(versionId - 1)] : [], owner, 1);
        changes.push(change("DatasetVersion", vid, { ...version, fingerprint: bytes("0xf0"), manifestRoot: bytes("0x0f") }));
      }
    }
  }
  return { block: blockPtr(1), changes };
}

/** A fresh in-memory PGlite store for `source` (the project's schema by default). */
export async function openStore(source: SubgraphSchema = schema): Promise<Store> {
  return createStore({ schema: source });
}

/** A store holding {@link lineageBlocks}. */
export async function lineageStore(): Promise<Store> {
  const store = await openStore();
  for (const { block, changes } of lineageBlocks()) await store.commitBlock(block, changes);
  return store;
}

/** A store whose every `find` answers `ms` later (a busy store), and what was asked of it. */
export interface SlowStore {
  store: Store;
  /** `find` calls so far. */
  calls(): number;
  /** The most `find` calls that were waiting for their answer at once. */
  mostInFlight(): number;
}

/** `inner` with every `find` answering `ms` later, for tests of the server's and clients' limits. */
export function slowStore(inner: Store, ms: number): SlowStore {
  let calls = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === "find") {
        return async (...args: Parameters<Store["find"]>) => {
          calls++;
          mostInFlight = Math.max(mostInFlight, ++inFlight);
          try {
            await new Promise((resolve) => setTimeout(resolve, ms));
            return await target.find(...args);
          } finally {
            inFlight--;
          }
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { store, calls: () => calls, mostInFlight: () => mostInFlight };
}

/** A raw HTTP answer. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

/** POSTs a GraphQL request with fetch and returns the parsed body (data and errors as graph-node sends them). */
export async function post(url: string, query: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Sends an arbitrary HTTP request with node:http (full control over headers, unlike fetch). */
export function raw(
  url: string,
  options: { method: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, method: options.method, path: options.path ?? target.pathname, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
