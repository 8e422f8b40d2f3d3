/**
 * "Which version was live in this environment at that moment?" — at a block (time travel on the subgraph's
 * Environment entity), or at a unix time.
 *
 * From a time to a block, using only the indexed data: an environment's live version changes only through the
 * ReleaseRegistry's Deployed and RolledBack events, and the subgraph logs each as a ProvenanceEvent of the model with
 * its block number and block timestamp. The last such event at or before the time T fixes the block B of the last
 * change; the environment's state as of B is its state at T (nothing changed it between B and T). No archive node and
 * no block-by-timestamp search on the chain are needed. If no deployment of the model happened by T, nothing was live.
 */
import { InvalidInputError } from "../core/errors.ts";
import type { AuditClient } from "./client.ts";
import { LastDeploymentChangeDocument, LiveAtDocument, ModelExistsDocument, type LiveAtQuery } from "./generated/graphql.ts";
import { releaseStatusOf } from "./releasable.ts";
import { asOfOf, createdStamp, modelVersionOf, notFound, stamp, toId, type IdInput } from "./shared.ts";
import type { AsOf, ModelVersionInfo, TxStamp } from "./types.ts";

/** Parameters of {@link liveAt}. */
export interface LiveAtParameters {
  modelId: IdInput;
  /** The environment's name, e.g. "production". */
  environment: string;
  /** The block to answer at. */
  block?: number | bigint;
  /** The moment to answer at: unix seconds or a Date (see the module comment for how it becomes a block). */
  timestamp?: number | bigint | Date;
}

/** The answer of {@link liveAt}. */
export interface LiveAtResult {
  modelId: string;
  environment: string;
  /** The block the answer reflects, and how it was chosen. */
  at: {
    blockNumber: number;
    /** "block": given; "timestamp": the block of the last deployment change at or before `timestamp`; "latest": now. */
    resolvedFrom: "block" | "timestamp" | "latest";
    /** The time asked for (resolvedFrom "timestamp"). */
    timestamp: number | null;
    /** The last Deployed / RolledBack event at or before the time (resolvedFrom "timestamp"); null if none. */
    lastChange: (TxStamp & { action: "Deployed" | "RolledBack" }) | null;
  };
  /** Whether the environment existed (had seen a deployment) then. */
  environmentExists: boolean;
  /** What was live; null when nothing was (never deployed yet, or taken down). */
  live: {
    version: ModelVersionInfo;
    deploymentId: string;
    deployer: string;
    deployed: TxStamp;
    /**
     * Approved and every attestation of its approval still valid then (ModelRegistry.isReleasable); null when an
     * expiry cannot be judged because the time of the block is unknown.
     */
    releasable: boolean | null;
    /** Why it is not (or may not be) releasable; empty when it is. */
    notReleasableBecause: string[];
  } | null;
  /** Live although no longer releasable (an approving attestation revoked or expired): act on it. */
  liveButNotReleasable: boolean;
  asOf: AsOf;
}

/** An environment of the model as the subgraph answers it. */
type Environment = NonNullable<LiveAtQuery["model"]>["environments"][number];

/** The model and environment asked about, checked. */
function checked(parameters: LiveAtParameters): { modelId: string; environment: string } {
  if (parameters === null || typeof parameters !== "object") {
    throw new InvalidInputError("parameters", "give { modelId, environment, block? or timestamp? }");
  }
  const modelId = toId(parameters.modelId, "modelId");
  const environment = parameters.environment;
  if (typeof environment !== "string" || environment.length === 0) {
    throw new InvalidInputError("environment", "environment is required; give its name, e.g. production");
  }
  if (parameters.block !== undefined && parameters.timestamp !== undefined) {
    throw new InvalidInputError("block", "give either block or timestamp, not both");
  }
  return { modelId, environment };
}

function toTime(value: number | bigint | Date): number {
  const seconds = value instanceof Date ? Math.floor(value.getTime() / 1000) : Number(value);
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new InvalidInputError("timestamp", `timestamp ${String(value)} is not a time; give unix seconds or a Date`);
  }
  return seconds;
}

/**
 * The block of the model's last deployment change at or before `time` (`lastChange` null when nothing was deployed by
 * then; the block is then the latest one, as `asOf`).
 */
async function lastChangeBy(client: AuditClient, modelId: string, time: number): Promise<{ at: LiveAtResult["at"]; asOf: AsOf }> {
  const found = await client.request(LastDeploymentChangeDocument, { model: modelId, modelRef: modelId, time: String(time) });
  if (!found.model) throw notFound(client, "model", modelId);
  const asOf = asOfOf(client, found._meta);
  const last = found.provenanceEvents[0];
  if (!last) return { at: { blockNumber: asOf.blockNumber, resolvedFrom: "timestamp", timestamp: time, lastChange: null }, asOf };
  const lastChange = { action: last.action === "RolledBack" ? ("RolledBack" as const) : ("Deployed" as const), ...stamp(last) };
  return { at: { blockNumber: lastChange.blockNumber, resolvedFrom: "timestamp", timestamp: time, lastChange }, asOf };
}

/** What was live in the environment; `now` (unix seconds) decides whether approving attestations had expired. */
function liveOf(env: Environment | undefined, now: number | null): LiveAtResult["live"] {
  if (!env?.liveVersion || !env.liveDeployment) return null;
  const status = releaseStatusOf(env.liveVersion, now);
  return {
    version: modelVersionOf(env.liveVersion),
    deploymentId: env.liveDeployment.id,
    deployer: env.liveDeployment.deployer.id,
    deployed: createdStamp(env.liveDeployment),
    releasable: status.releasable,
    notReleasableBecause: status.reasons,
  };
}

function nothingLive(modelId: string, environment: string, at: LiveAtResult["at"], asOf: AsOf): LiveAtResult {
  return { modelId, environment, at, environmentExists: false, live: null, liveButNotReleasable: false, asOf };
}

/**
 * Which version of a model was live in an environment at a block or a time (see the module comment for how a time is
 * mapped to a block). One GraphQL round trip for a block, two for a time.
 *
 * @example
 * const before = await liveAt(client, { modelId: 1n, environment: "production", block: 31 });
 * before.live?.version.id;                 // "3" (v2, before the rollback)
 * const then = await liveAt(client, { modelId: 1n, environment: "production", timestamp: new Date("2026-01-05") });
 * then.at.blockNumber;                      // the block of the last deployment change before that date
 * @throws NotInSubgraphError for an unknown model; InvalidInputError for both or malformed block/timestamp;
 *   BlockNotIndexedError for a block the subgraph has not indexed.
 */
export async function liveAt(client: AuditClient, parameters: LiveAtParameters): Promise<LiveAtResult> {
  const { modelId, environment } = checked(parameters);
  let at: LiveAtResult["at"];
  let view: AuditClient = client;
  if (parameters.timestamp !== undefined) {
    const found = await lastChangeBy(client, modelId, toTime(parameters.timestamp));
    if (!found.at.lastChange) return nothingLive(modelId, environment, found.at, found.asOf);
    at = found.at;
    view = client.at({ number: at.blockNumber });
  } else if (parameters.block !== undefined) {
    view = client.at(parameters.block);
    at = { blockNumber: view.block && "number" in view.block ? view.block.number : 0, resolvedFrom: "block", timestamp: null, lastChange: null };
  } else {
    at = { blockNumber: 0, resolvedFrom: "latest", timestamp: null, lastChange: null };
  }

  const state = await view.request(LiveAtDocument, { model: modelId, environment });
  const asOf = asOfOf(view, state._meta);
  if (at.resolvedFrom === "latest") at.blockNumber = asOf.blockNumber;
  if (!state.model) {
    // Not registered at that block: unknown altogether, or just not yet.
    const exists = await client.request(ModelExistsDocument, { model: modelId });
    if (!exists.model) throw notFound(client, "model", modelId);
    return nothingLive(modelId, environment, at, asOf);
  }
  const env = state.model.environments.find((e) => e.name === environment);
  // The time of the answer: the time asked for, or the block's when the endpoint reports it.
  const live = liveOf(env, at.timestamp ?? asOf.timestamp);
  return { modelId, environment, at, environmentExists: env !== undefined, live, liveButNotReleasable: live?.releasable === false, asOf };
}
