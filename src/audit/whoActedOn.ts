/**
 * "Who did what to this model version, and when?" — its publication, training run, attestations (with signature relays,
 * revocations and expiry), approval, deployments, rollbacks and anchored decisions, each with the account, block time
 * and transaction, and the whole provenance log in chain order.
 */
import type { AuditClient } from "./client.ts";
import { WhoActedOnDocument, type RollbackFieldsFragment, type WhoActedOnQuery } from "./generated/graphql.ts";
import {
  approvalOf,
  asOfOf,
  attestationOf,
  compareIds,
  compareStamps,
  createdStamp,
  decisionBatchOf,
  deploymentOf,
  eventOf,
  modelVersionOf,
  notFound,
  rollbackOf,
  systemVersionOf,
  stamp,
  toId,
  uniqueEntries,
  type IdInput,
} from "./shared.ts";
import type {
  ApprovalInfo,
  AsOf,
  AttestationInfo,
  DecisionBatchInfo,
  DeploymentInfo,
  ModelVersionInfo,
  ProvenanceEntry,
  RollbackInfo,
  SystemVersionInfo,
  TxStamp,
} from "./types.ts";

/** A rollback that concerns the audited version. */
export interface VersionRollback extends RollbackInfo {
  /**
   * "from": the version was rolled back (taken out); "to": the environment was rolled back to it; "within": from one
   * system version of it to another (a prompt or policy change undone, the weights unchanged).
   */
  direction: "from" | "to" | "within";
}

/** The rollbacks from and to the version, one entry each: a rollback between two of its system versions is "within". */
function rollbacksOf(from: RollbackFieldsFragment[], to: RollbackFieldsFragment[]): VersionRollback[] {
  const toIds = new Set(to.map((r) => r.id));
  const fromIds = new Set(from.map((r) => r.id));
  return [
    ...from.map((r) => ({ ...rollbackOf(r), direction: toIds.has(r.id) ? ("within" as const) : ("from" as const) })),
    ...to.filter((r) => !fromIds.has(r.id)).map((r) => ({ ...rollbackOf(r), direction: "to" as const })),
  ].sort(compareStamps);
}

/** An account that acted on the version, with what it did. */
export interface Actor {
  account: string;
  /** The provenance actions it performed, in chain order without repeats (e.g. ["Attested", "AttestationRevoked"]). */
  actions: string[];
}

/** The model of the version, with its release policy. */
export interface ModelInfo {
  id: string;
  creator: string;
  owner: string;
  commercial: boolean;
  metadataHash: string;
  uri: string;
  /** Attestation kinds the release policy requires, with their names and the role an attester must hold. */
  requiredKindIds: number[];
  requiredKinds: Array<{ id: number; name: string; role: string }>;
  /** The policy requires the training data to be declared. */
  requiresDeclaredData: boolean;
  versionCount: number;
  registered: TxStamp;
}

/** Another version's batch anchored with the same Merkle root. */
export interface OtherAnchor extends TxStamp {
  versionId: string;
  modelId: string;
  modelOwner: string;
  logIndex: number;
}

/** The answer of {@link whoActedOn}. */
export interface WhoActedOnResult {
  asOf: AsOf;
  version: ModelVersionInfo;
  model: ModelInfo;
  /** Versions fine-tuned from it, by id. */
  fineTunes: Array<{ id: string; modelId: string; number: number; published: TxStamp }>;
  /** Attestations on the version, its training run and its deployments, in chain order. */
  attestations: AttestationInfo[];
  /** The approval that opened the release gate; null when not approved. */
  approval: (ApprovalInfo & { attestations: AttestationInfo[] }) | null;
  /** The system versions that run it (a prompt, retrieval or policy change on its weights), by id, with their attestations. */
  systems: Array<SystemVersionInfo & { attestations: AttestationInfo[] }>;
  /** Its deployments, in chain order. */
  deployments: DeploymentInfo[];
  /** Rollbacks from or to it, in chain order. */
  rollbacks: VersionRollback[];
  /** Decision batches it produced, each with the other versions that anchored the same root (squatting shows here). */
  decisionBatches: Array<DecisionBatchInfo & { otherAnchors: OtherAnchor[] }>;
  /** Every provenance entry of the version, of its deployments and of rollbacks to it, in chain order. */
  timeline: ProvenanceEntry[];
  /** Every account that acted, in order of first action. */
  actors: Actor[];
}

type RawVersion = NonNullable<WhoActedOnQuery["modelVersion"]>;

function modelOf(raw: RawVersion, kinds: WhoActedOnQuery["kinds"]): ModelInfo {
  const names = new Map(kinds.map((k) => [k.kind, k]));
  const m = raw.model;
  return {
    id: m.id,
    creator: m.creator.id,
    owner: m.owner.id,
    commercial: m.commercial,
    metadataHash: m.metadataHash,
    uri: m.uri,
    requiredKindIds: [...m.requiredKindIds],
    requiredKinds: [...m.requiredKindIds].sort((a, b) => a - b).map((id) => ({ id, name: names.get(id)?.name ?? `kind ${id}`, role: names.get(id)?.role ?? "" })),
    requiresDeclaredData: m.requiresDeclaredData,
    versionCount: m.versionCount,
    registered: createdStamp(m),
  };
}

function decisionBatchesOf(raw: RawVersion): WhoActedOnResult["decisionBatches"] {
  return raw.decisionBatches
    .map((b) => ({
      ...decisionBatchOf(b),
      otherAnchors: b.decisionRoot.batches
        .filter((o) => o.version.id !== raw.id)
        .map((o) => ({ versionId: o.version.id, modelId: o.model.id, modelOwner: o.model.owner.id, ...stamp(o), logIndex: Number(o.logIndex) }))
        .sort((x, y) => x.blockNumber - y.blockNumber || x.logIndex - y.logIndex),
    }))
    .sort(compareStamps);
}

/** Every account that acted, in order of first action, with its actions in chain order without repeats. */
function actorsOf(timeline: ProvenanceEntry[]): Actor[] {
  const actors = new Map<string, string[]>();
  for (const entry of timeline) {
    const actions = actors.get(entry.actor) ?? [];
    if (!actions.includes(entry.action)) actions.push(entry.action);
    actors.set(entry.actor, actions);
  }
  return [...actors.entries()].map(([account, actions]) => ({ account, actions }));
}

/**
 * Who acted on a model version: attestations (kind, attester, submitter, relayed by signature or not, revoked by whom
 * and why, expiry), the approval (by whom, on which attestations), deployments and rollbacks (by whom, environment,
 * reason), anchored decisions — each with block, time and transaction — and the full time-ordered log. One GraphQL
 * round trip.
 *
 * @example
 * const { attestations, approval, rollbacks, timeline } = await whoActedOn(client, 2n);
 * for (const a of attestations) {
 *   console.log(a.kindName, a.attester, a.relayedBy ?? "", a.revocation?.reason ?? "");
 * }
 * console.log(approval?.approvedBy, rollbacks[0]?.reason); // "0x…", "bias regression in v2"
 * @throws NotInSubgraphError for a version the subgraph does not know (at the client's block).
 */
export async function whoActedOn(client: AuditClient, versionId: IdInput): Promise<WhoActedOnResult> {
  const id = toId(versionId, "versionId");
  const data = await client.request(WhoActedOnDocument, { id, ref: id });
  const raw = data.modelVersion;
  if (!raw) throw notFound(client, "model version", id);
  const asOf = asOfOf(client, data._meta);
  const now = asOf.timestamp;
  // The log: the version's own entries (a rollback that restored it logs an entry on it too) and its deployments'.
  const timeline = uniqueEntries([...raw.history, ...raw.deployments.flatMap((d) => d.history), ...raw.systems.flatMap((s) => s.history)].map(eventOf));
  const rawAttestations = [
    ...raw.attestations,
    ...(raw.trainingRun?.attestations ?? []),
    ...raw.deployments.flatMap((d) => d.attestations),
    ...raw.systems.flatMap((s) => s.attestations),
  ];
  const attestations = [...new Map(rawAttestations.map((a) => [a.id, attestationOf(a, now)])).values()];
  return {
    asOf,
    version: modelVersionOf(raw),
    model: modelOf(raw, data.kinds),
    fineTunes: raw.fineTunes
      .map((f) => ({ id: f.id, modelId: f.model.id, number: f.number, published: createdStamp(f) }))
      .sort((a, b) => compareIds(a.id, b.id)),
    attestations: attestations.sort((a, b) => compareStamps(a.attested, b.attested)),
    approval: raw.approval
      ? {
          ...approvalOf({ ...raw.approval, attestations: raw.approval.attestations }),
          attestations: raw.approval.attestations.map((a) => attestationOf(a, now)),
        }
      : null,
    systems: raw.systems.map((s) => ({ ...systemVersionOf(s), attestations: s.attestations.map((a) => attestationOf(a, now)) })),
    deployments: raw.deployments.map(deploymentOf).sort((a, b) => compareStamps(a.deployed, b.deployed)),
    rollbacks: rollbacksOf(data.rolledBackFrom, data.rolledBackTo),
    decisionBatches: decisionBatchesOf(raw),
    timeline,
    actors: actorsOf(timeline),
  };
}
