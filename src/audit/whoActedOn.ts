/**
 * "Who did what to this model version, and when?" — its publication, training run, attestations (with signature relays,
 * revocations and expiry), approval, deployments, rollbacks and anchored decisions, each with the account, block time
 * and transaction, and the whole provenance log in chain order.
 */
import type { AuditClient } from "./client.ts";
import {
  ATTESTATION,
  DECISION_BATCH,
  DEPLOYMENT,
  EVENT,
  META,
  MODEL_VERSION,
  ROLLBACK,
  approvalOf,
  asOfOf,
  attestationOf,
  compareStamps,
  decisionBatchOf,
  deploymentOf,
  eventOf,
  modelVersionOf,
  notFound,
  rollbackOf,
  toId,
  uniqueEntries,
  type IdInput,
  type RawApproval,
  type RawAttestation,
  type RawDecisionBatch,
  type RawDeployment,
  type RawEvent,
  type RawMeta,
  type RawModelVersion,
  type RawRollback,
  type Ref,
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
} from "./types.ts";

/** A rollback that concerns the audited version. */
export interface VersionRollback extends RollbackInfo {
  /** "from": the version was rolled back (taken out); "to": the environment was rolled back to it. */
  direction: "from" | "to";
}

/** An account that acted on the version, with what it did. */
export interface Actor {
  account: string;
  /** The provenance actions it performed, in chain order without repeats (e.g. ["Attested", "AttestationRevoked"]). */
  actions: string[];
}

/** The answer of {@link whoActedOn}. */
export interface WhoActedOnResult {
  asOf: AsOf;
  version: ModelVersionInfo;
  model: { id: string; creator: string; owner: string; requiredKindIds: number[] };
  /** Attestations on the version, its training run and its deployments, in chain order. */
  attestations: AttestationInfo[];
  /** The approval that opened the release gate; null when not approved. */
  approval: (ApprovalInfo & { attestations: AttestationInfo[] }) | null;
  /** Its deployments, in chain order. */
  deployments: DeploymentInfo[];
  /** Rollbacks from or to it, in chain order. */
  rollbacks: VersionRollback[];
  /** Decision batches it produced. */
  decisionBatches: DecisionBatchInfo[];
  /** Every provenance entry of the version, of its deployments and of rollbacks to it, in chain order. */
  timeline: ProvenanceEntry[];
  /** Every account that acted, in order of first action. */
  actors: Actor[];
}

interface RawVersionActors extends RawModelVersion {
  model: Ref & { creator: Ref; owner: Ref; requiredKindIds: number[]; rollbackEvents: RawEvent[] };
  approval: (Omit<RawApproval, "attestations"> & { attestations: RawAttestation[] }) | null;
  attestations: RawAttestation[];
  trainingRun: { attestations: RawAttestation[] } | null;
  deployments: Array<RawDeployment & { attestations: RawAttestation[]; history: RawEvent[] }>;
  decisionBatches: RawDecisionBatch[];
  history: RawEvent[];
}

const QUERY = `query WhoActedOn($id: ID!, $ref: String!) {
  modelVersion(id: $id) {
    ${MODEL_VERSION}
    model { id creator { id } owner { id } requiredKindIds rollbackEvents: history(where: { action: RolledBack }, first: 1000, orderBy: id) { ${EVENT} } }
    approval { version { id } approvedBy { id } blockNumber timestamp transactionHash attestations { ${ATTESTATION} } }
    attestations(first: 1000, orderBy: id) { ${ATTESTATION} }
    trainingRun { attestations(first: 1000, orderBy: id) { ${ATTESTATION} } }
    deployments(first: 1000, orderBy: id) {
      ${DEPLOYMENT}
      attestations(first: 1000, orderBy: id) { ${ATTESTATION} }
      history(first: 1000, orderBy: id) { ${EVENT} }
    }
    decisionBatches(first: 1000, orderBy: id) { ${DECISION_BATCH} }
    history(first: 1000, orderBy: id) { ${EVENT} }
  }
  rolledBackFrom: rollbacks(where: { fromVersion: $ref }, first: 1000, orderBy: id) { ${ROLLBACK} }
  rolledBackTo: rollbacks(where: { toVersion: $ref }, first: 1000, orderBy: id) { ${ROLLBACK} }
  ${META}
}`;

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
  const data = await client.request<{
    modelVersion: RawVersionActors | null;
    rolledBackFrom: RawRollback[];
    rolledBackTo: RawRollback[];
    _meta: RawMeta;
  }>(QUERY, { id, ref: id });
  const raw = data.modelVersion;
  if (!raw) throw notFound(client, "model version", id);
  const asOf = asOfOf(data._meta);

  // The log: the version's own entries, its deployments' entries, and the rollbacks that restored it (logged on the
  // deployment rolled back from; a Rollback's id is its log entry's id).
  const restoredBy = new Set(data.rolledBackTo.map((r) => r.id));
  const timeline = uniqueEntries(
    [...raw.history, ...raw.deployments.flatMap((d) => d.history), ...raw.model.rollbackEvents.filter((e) => restoredBy.has(e.id))].map(eventOf),
  );
  const now = asOf.timestamp;
  const attestationsById = new Map<string, AttestationInfo>();
  const rawAttestations = [
    ...raw.attestations,
    ...(raw.trainingRun?.attestations ?? []),
    ...raw.deployments.flatMap((d) => d.attestations),
  ];
  for (const a of rawAttestations) attestationsById.set(a.id, attestationOf(a, now, timeline));
  const attestations = [...attestationsById.values()].sort((a, b) => compareStamps(a.attested, b.attested));

  const rollbacks: VersionRollback[] = [
    ...data.rolledBackFrom.map((r) => ({ ...rollbackOf(r), direction: "from" as const })),
    ...data.rolledBackTo.map((r) => ({ ...rollbackOf(r), direction: "to" as const })),
  ].sort(compareStamps);

  const actors = new Map<string, string[]>();
  for (const entry of timeline) {
    const actions = actors.get(entry.actor) ?? [];
    if (!actions.includes(entry.action)) actions.push(entry.action);
    actors.set(entry.actor, actions);
  }

  return {
    asOf,
    version: modelVersionOf(raw),
    model: {
      id: raw.model.id,
      creator: raw.model.creator.id,
      owner: raw.model.owner.id,
      requiredKindIds: [...raw.model.requiredKindIds],
    },
    attestations,
    approval: raw.approval
      ? {
          ...approvalOf({ ...raw.approval, attestations: raw.approval.attestations }),
          attestations: raw.approval.attestations.map((a) => attestationsById.get(a.id) ?? attestationOf(a, now, timeline)),
        }
      : null,
    deployments: raw.deployments.map(deploymentOf).sort((a, b) => compareStamps(a.deployed, b.deployed)),
    rollbacks,
    decisionBatches: raw.decisionBatches.map(decisionBatchOf).sort(compareStamps),
    timeline,
    actors: [...actors.entries()].map(([account, actions]) => ({ account, actions })),
  };
}
