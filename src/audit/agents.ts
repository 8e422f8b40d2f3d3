/**
 * "Which agent acted, under which policy, on which model version?" — an agent of AgentRegistry as the subgraph
 * recorded it: identity and owner, operator wallets, bindings over time (system version, model version, policy, from
 * and to), the action batches it anchored (each with the binding in force), and its validations (attestations on the
 * agent, revoked or expired); and the agents that acted on a model version, for its report.
 */
import type { AuditClient } from "./client.ts";
import {
  ActionBatchesPageDocument,
  AgentBindingsPageDocument,
  AgentOfDocument,
  AgentsActingOnDocument,
  HistoryPageDocument,
  type ActionBatchFieldsFragment,
  type AgentBindingFieldsFragment,
  type AgentOfQuery,
  type BoundSystemFragment,
} from "./generated/graphql.ts";
import { releaseStatusOf, type ReleaseStatus } from "./releasable.ts";
import {
  asOfOf,
  attestationOf,
  compareIds,
  compareStamps,
  createdStamp,
  eventOf,
  fetchAll,
  modelVersionOf,
  notFound,
  pinned,
  stamp,
  systemVersionOf,
  toId,
  uniqueEntries,
  type IdInput,
} from "./shared.ts";
import type { AsOf, AttestationInfo, ModelVersionInfo, ProvenanceEntry, SystemVersionInfo, TxStamp } from "./types.ts";

/** An agent's identity. */
export interface AgentInfo {
  id: string;
  /** Who registered it. */
  creator: string;
  owner: string;
  /** Its agent card (ERC-8004 registration file); empty when not set. */
  agentURI: string;
  registered: TxStamp;
}

/** A wallet that acts (or acted) for an agent. */
export interface OperatorWalletInfo {
  wallet: string;
  /** Acts for the agent now. */
  active: boolean;
  /** Who last set or unset it. */
  setBy: string;
  /** Why it stopped acting: unset by a manager, or the agent changed hands; null while active. */
  endedBy: "unset" | "transfer" | null;
  /** Block and unix time of its last change. */
  updatedAtBlock: number;
  updatedAt: number;
}

/** One binding of an agent: the system version it ran, and the policy it acted under, from `bound` to `replaced`. */
export interface AgentBindingInfo {
  id: string;
  agentId: string;
  systemId: string;
  modelId: string;
  modelVersionId: string;
  policyHash: string;
  /** The policy is the system version's own (bound without a policy of its own). */
  systemPolicy: boolean;
  /** The binding it replaced; null = the agent's first. */
  previousBindingId: string | null;
  by: string;
  bound: TxStamp;
  /** When the next binding replaced it; null while in force. */
  replaced: (TxStamp & { bindingId: string }) | null;
  inForce: boolean;
}

/** A batch of action records an operator wallet anchored, with the binding in force then. */
export interface ActionBatchInfo extends TxStamp {
  agentId: string;
  root: string;
  bindingId: string;
  systemId: string;
  modelId: string;
  modelVersionId: string;
  policyHash: string;
  count: number;
  /** Unix seconds of its first and last action. */
  windowStart: number;
  windowEnd: number;
  uri: string;
  /** The operator wallet that sent or signed it. */
  signer: string;
  /** The relayer of the signer's EIP-712 signature; null when the signer sent it. */
  relayedBy: string | null;
  logIndex: number;
}

/** The system version an agent is bound to now, and whether it may act on it. */
export interface BoundSystemInfo {
  binding: AgentBindingInfo;
  system: SystemVersionInfo;
  modelVersion: ModelVersionInfo;
  /** The system version passed its release gate. */
  systemApproved: boolean;
  /** SystemRegistry.isReleasable as the subgraph sees it: approved, approvals still valid, model version releasable. */
  releasable: ReleaseStatus;
  /** The environments where a deployment of the bound system version is live. */
  liveIn: Array<{ environment: string; deploymentId: string }>;
}

/** The answer of {@link agentOf}. */
export interface AgentResult {
  asOf: AsOf;
  agent: AgentInfo;
  /** Every wallet ever set, active ones first, then by address. */
  wallets: OperatorWalletInfo[];
  /** Bindings in chain order (the history; the last one in force). */
  bindings: AgentBindingInfo[];
  /** The binding in force with its system version's state; null when never bound. */
  current: BoundSystemInfo | null;
  /** Anchored batches in chain order. */
  actionBatches: ActionBatchInfo[];
  /** Attestations on the agent (subject type Agent), in chain order, with revocation and expiry. */
  validations: AttestationInfo[];
  /** Every provenance entry of the agent, in chain order. */
  timeline: ProvenanceEntry[];
}

/** An agent that acted on a model version: its bindings to system versions running it, and the batches anchored under them. */
export interface AgentOnVersion {
  agentId: string;
  owner: string;
  agentURI: string;
  /** Its bindings to a system version running the model version, in chain order. */
  bindings: AgentBindingInfo[];
  actionBatches: ActionBatchInfo[];
  /** Records in those batches. */
  actionCount: number;
  /** It is bound to a system version running the model version now. */
  boundNow: boolean;
}

/** The answer of {@link agentsActingOn}. */
export interface AgentsActingOnResult {
  asOf: AsOf;
  versionId: string;
  /** By agent id. */
  agents: AgentOnVersion[];
}

const bindingOrder = (a: AgentBindingInfo, b: AgentBindingInfo) => compareIds(a.id, b.id);
const batchOrder = (a: ActionBatchInfo, b: ActionBatchInfo) => compareStamps(a, b) || a.logIndex - b.logIndex;

function bindingOf(raw: AgentBindingFieldsFragment): AgentBindingInfo {
  return {
    id: raw.id,
    agentId: raw.agent.id,
    systemId: raw.systemVersion.id,
    modelId: raw.modelVersion.model.id,
    modelVersionId: raw.modelVersion.id,
    policyHash: raw.policyHash,
    systemPolicy: raw.policyHash === raw.systemVersion.policyHash,
    previousBindingId: raw.previous?.id ?? null,
    by: raw.by.id,
    bound: stamp(raw),
    replaced: raw.replacedBy ? { bindingId: raw.replacedBy.id, ...stamp(raw.replacedBy) } : null,
    inForce: raw.agent.currentBinding?.id === raw.id,
  };
}

function actionBatchOf(raw: ActionBatchFieldsFragment): ActionBatchInfo {
  return {
    agentId: raw.agent.id,
    root: raw.root,
    bindingId: raw.binding.id,
    systemId: raw.systemVersion.id,
    modelId: raw.modelVersion.model.id,
    modelVersionId: raw.modelVersion.id,
    policyHash: raw.policyHash,
    count: Number(raw.count),
    windowStart: Number(raw.windowStart),
    windowEnd: Number(raw.windowEnd),
    uri: raw.uri,
    signer: raw.signer.id,
    relayedBy: raw.viaSignature ? raw.submitter.id : null,
    logIndex: Number(raw.logIndex),
    ...stamp(raw),
  };
}

function walletOf(raw: NonNullable<AgentOfQuery["agent"]>["wallets"][number]): OperatorWalletInfo {
  const endedBy = raw.endedBy === "unset" || raw.endedBy === "transfer" ? raw.endedBy : null;
  return {
    wallet: raw.wallet.id,
    active: raw.active,
    setBy: raw.setBy.id,
    endedBy: raw.active ? null : endedBy,
    updatedAtBlock: Number(raw.updatedAtBlock),
    updatedAt: Number(raw.updatedAt),
  };
}

/** SystemRegistry.isReleasable from the subgraph: the system version's approvals, then its model version's. */
function systemReleaseStatus(raw: BoundSystemFragment, now: number | null): ReleaseStatus {
  const system = releaseStatusOf(raw, now);
  const model = releaseStatusOf(raw.modelVersion, now);
  const verdicts = [system.releasable, model.releasable];
  return {
    releasable: verdicts.includes(false) ? false : verdicts.includes(null) ? null : true,
    reasons: [
      ...system.reasons.map((r) => `system version ${raw.id}: ${r}`),
      ...model.reasons.map((r) => `model version ${raw.modelVersion.id}: ${r}`),
    ],
  };
}

function boundSystemOf(raw: BoundSystemFragment, binding: AgentBindingInfo, now: number | null): BoundSystemInfo {
  return {
    binding,
    system: systemVersionOf(raw),
    modelVersion: modelVersionOf(raw.modelVersion),
    systemApproved: raw.approved,
    releasable: systemReleaseStatus(raw, now),
    liveIn: raw.liveDeployments
      .map((d) => ({ environment: d.environment.name, deploymentId: d.id }))
      .sort((a, b) => (a.environment < b.environment ? -1 : a.environment > b.environment ? 1 : 0)),
  };
}

/** The bindings and batches of one answer. */
interface FirstPages {
  bindings: readonly AgentBindingFieldsFragment[];
  batches: readonly ActionBatchFieldsFragment[];
}

/** Every binding and batch matching `where`, from the first pages of an answer on (`client` pinned to its block). */
async function allOf(client: AuditClient, where: { agent: string } | { modelVersion: string }, first: FirstPages): Promise<FirstPages> {
  const [bindings, batches] = await Promise.all([
    fetchAll(client, AgentBindingsPageDocument, { where }, (data) => data.page, first.bindings),
    fetchAll(client, ActionBatchesPageDocument, { where }, (data) => data.page, first.batches),
  ]);
  return { bindings, batches };
}

/**
 * An agent: who owns it, which wallets act for it, every binding (system version, model version, policy, from/to),
 * every action batch with the binding in force, and its validations. One GraphQL round trip, more only past 1 000
 * bindings, batches or log entries.
 *
 * @example
 * const { current, bindings, actionBatches, validations } = await agentOf(client, 1n);
 * current?.system.id, current?.binding.policyHash, current?.releasable.releasable; // "2", "0x…", true
 * validations.filter((v) => v.revocation || v.expired).map((v) => v.id);
 * @throws NotInSubgraphError for an agent the subgraph does not know (at the client's block).
 */
export async function agentOf(client: AuditClient, agentId: IdInput): Promise<AgentResult> {
  const id = toId(agentId, "agentId");
  const data = await client.request(AgentOfDocument, { id });
  const raw = data.agent;
  if (!raw) throw notFound(client, "agent", id);
  const asOf = asOfOf(client, data._meta);
  const now = asOf.timestamp;
  const same = pinned(client, asOf);
  const [all, history] = await Promise.all([
    allOf(same, { agent: id }, { bindings: raw.bindings, batches: raw.actionBatches }),
    fetchAll(same, HistoryPageDocument, { where: { agent: id } }, (page) => page.events, raw.history),
  ]);
  const bindings = all.bindings.map(bindingOf).sort(bindingOrder);
  const inForce = bindings.find((b) => b.inForce);
  return {
    asOf,
    agent: { id: raw.id, creator: raw.creator.id, owner: raw.owner.id, agentURI: raw.agentURI, registered: createdStamp(raw) },
    wallets: raw.wallets.map(walletOf).sort((a, b) => Number(b.active) - Number(a.active) || (a.wallet < b.wallet ? -1 : 1)),
    bindings,
    current: raw.currentBinding && inForce ? boundSystemOf(raw.currentBinding.systemVersion, inForce, now) : null,
    actionBatches: all.batches.map(actionBatchOf).sort(batchOrder),
    validations: raw.attestations.map((a) => attestationOf(a, now)).sort((a, b) => compareStamps(a.attested, b.attested)),
    timeline: uniqueEntries(history.map(eventOf)),
  };
}

/**
 * The agents that acted on a model version: those bound (now or before) to a system version running it, with their
 * bindings and the batches anchored under them. One GraphQL round trip, more only past 1 000 bindings or batches.
 *
 * @example
 * const { agents } = await agentsActingOn(client, 3n);
 * agents.map((a) => `${a.agentId}: ${a.actionCount} actions${a.boundNow ? " (bound now)" : ""}`);
 * @throws NotInSubgraphError for a version the subgraph does not know (at the client's block).
 */
export async function agentsActingOn(client: AuditClient, versionId: IdInput): Promise<AgentsActingOnResult> {
  const id = toId(versionId, "versionId");
  const data = await client.request(AgentsActingOnDocument, { id });
  const raw = data.modelVersion;
  if (!raw) throw notFound(client, "model version", id);
  const asOf = asOfOf(client, data._meta);
  const all = await allOf(pinned(client, asOf), { modelVersion: id }, { bindings: raw.agentBindings, batches: raw.actionBatches });
  return { asOf, versionId: id, agents: byAgent(all) };
}

/** Bindings and batches grouped by agent (every batch was anchored under one of the bindings), by agent id. */
function byAgent({ bindings, batches }: FirstPages): AgentOnVersion[] {
  const agents = new Map<string, AgentOnVersion>();
  for (const raw of bindings) {
    const { id, owner, agentURI } = raw.agent;
    const agent = agents.get(id) ?? { agentId: id, owner: owner.id, agentURI, bindings: [], actionBatches: [], actionCount: 0, boundNow: false };
    const binding = bindingOf(raw);
    agent.bindings.push(binding);
    agent.boundNow ||= binding.inForce;
    agents.set(id, agent);
  }
  for (const batch of batches.map(actionBatchOf)) {
    const agent = agents.get(batch.agentId);
    if (!agent) continue; // cannot happen: the batch's binding is one of `bindings`, read at the same block
    agent.actionBatches.push(batch);
    agent.actionCount += batch.count;
  }
  for (const agent of agents.values()) {
    agent.bindings.sort(bindingOrder);
    agent.actionBatches.sort(batchOrder);
  }
  return [...agents.values()].sort((a, b) => compareIds(a.agentId, b.agentId));
}
