/**
 * The gather step of the report: the audit questions about one model version, asked at one pinned block so that the
 * dossier is one consistent snapshot — of the subgraph's head, or of an earlier block (time travel). The report holds
 * no GraphQL: every answer comes from src/audit/.
 */
import type { DisclosurePackage } from "../core/commitments.ts";
import { agentsActingOn, type AgentsActingOnResult } from "../audit/agents.ts";
import { blockTime } from "../audit/blockTime.ts";
import { createAuditClient, type AuditClient, type SubgraphMeta } from "../audit/client.ts";
import { datasetRoyalties, type DatasetRoyaltiesResult } from "../audit/datasetRoyalties.ts";
import { environmentsOf, type EnvironmentsOfResult } from "../audit/environments.ts";
import { combinedHistory, type HistorySubject } from "../audit/history.ts";
import { toId } from "../audit/shared.ts";
import type { AsOf, ProvenanceEntry } from "../audit/types.ts";
import { whatTrainedThis, type WhatTrainedThisResult } from "../audit/whatTrainedThis.ts";
import { whoActedOn, type WhoActedOnResult } from "../audit/whoActedOn.ts";
import { UntrustedVersionIdError } from "./errors.ts";
import { scopeOf, type DossierScope } from "./scope.ts";

export interface FetchDossierOptions {
  /** GraphQL endpoint of the Pedigree subgraph, e.g. http://localhost:8000/subgraphs/name/pedigree. */
  url: string;
  /** On-chain model version id. */
  versionId: string | number | bigint;
  /** Read the subgraph as of this block (time travel); default: its head. */
  block?: number;
  /** Extra HTTP headers (e.g. an API key of a hosted subgraph). */
  headers?: Record<string, string>;
  /** Give up on each answer after this many milliseconds (default 30 000); the connection is closed then. */
  timeoutMs?: number;
  /** Disclosure packages of private fields in the lineage (`pedigree disclose`), checked and shown in section 5. */
  disclosures?: DisclosurePackage[];
}

/** The answers a dossier is built from, all at one block. */
export interface Gathered {
  url: string;
  versionId: string;
  requestedBlock: number | null;
  /** The block of the first answer (with its hash and time at the head). */
  asOf: AsOf;
  meta: SubgraphMeta;
  /** The block's time when known, and the best lower bound of it (for expiry checks). */
  time: { timestamp: number | null; atLeast: number };
  actors: WhoActedOnResult;
  lineage: WhatTrainedThisResult;
  environments: EnvironmentsOfResult;
  /** The agents bound to a system version running the version, and their batches. */
  agents: AgentsActingOnResult;
  scope: DossierScope;
  history: ProvenanceEntry[];
  /** The royalties of each dataset in scope, by dataset id. */
  royalties: DatasetRoyaltiesResult[];
  /** The client pinned to the dossier's block (its stats count every request of the dossier). */
  client: AuditClient;
}

/** The subjects whose provenance log the dossier shows. */
function historySubjects(versionId: string, actors: WhoActedOnResult, scope: DossierScope): HistorySubject[] {
  return [
    { type: "model-version", id: versionId },
    { type: "model", id: actors.model.id },
    ...scope.datasetIds.map((id) => ({ type: "dataset" as const, id })),
    ...scope.datasetVersionIds.map((id) => ({ type: "dataset-version" as const, id })),
    ...scope.licenceIds.map((id) => ({ type: "licence" as const, id })),
    ...scope.attestations.map((a) => ({ type: "attestation" as const, id: a.id })),
    ...actors.deployments.map((d) => ({ type: "deployment" as const, id: d.id })),
  ];
}

/**
 * Asks the audit questions of a dossier: who acted on the version (which pins the block), then at that block what
 * trained it, where its model is deployed, which agents acted on it, the block's time and the subgraph's meta, then the provenance log of
 * everything in scope. The roles of the accounts come last (./dossier.ts), once the records name them.
 */
export async function gather(options: FetchDossierOptions): Promise<Gathered> {
  const versionId = toId(options.versionId, "versionId");
  const requestedBlock = options.block ?? null;
  const client = createAuditClient({ url: options.url, headers: options.headers, timeoutMs: options.timeoutMs, block: options.block });
  const actors = await whoActedOn(client, versionId);
  if (actors.version.id !== versionId) throw new UntrustedVersionIdError(actors.version.id, versionId, options.url);
  const pinned = client.at(requestedBlock ?? actors.asOf.blockNumber);
  const [lineage, environments, agents, meta, time] = await Promise.all([
    whatTrainedThis(pinned, versionId),
    environmentsOf(pinned, actors.model.id),
    agentsActingOn(pinned, versionId),
    pinned.meta(),
    // The head's time came with the first answer; only a block asked for needs looking up (which reads the whole log).
    actors.asOf.timestamp === null ? blockTime(pinned) : null,
  ]);
  const scope = scopeOf(versionId, lineage, actors);
  const [history, royalties] = await Promise.all([
    combinedHistory(pinned, historySubjects(versionId, actors, scope)),
    Promise.all(scope.datasetIds.map((id) => datasetRoyalties(pinned, id))),
  ]);
  const timestamp = actors.asOf.timestamp ?? time?.timestamp ?? null;
  return {
    url: options.url,
    versionId,
    requestedBlock,
    asOf: actors.asOf,
    meta,
    time: { timestamp, atLeast: timestamp ?? time?.atLeast ?? 0 },
    actors,
    lineage,
    environments,
    agents,
    scope,
    history,
    royalties,
    client: pinned,
  };
}
