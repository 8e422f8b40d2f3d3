/**
 * "Where was this model deployed, and when?" — every environment of a model with the version live in it now, and its
 * timeline of deployments and rollbacks in chain order.
 */
import type { AuditClient } from "./client.ts";
import { EnvironmentsDocument, type EnvironmentsQuery } from "./generated/graphql.ts";
import { asOfOf, compareIds, deploymentOf, rollbackOf, toId, type IdInput } from "./shared.ts";
import type { AsOf, DeploymentInfo, RollbackInfo } from "./types.ts";

/** One change of an environment: a deployment, or a rollback to an earlier deployment (or to nothing). */
export type EnvironmentChange = { kind: "deployed"; deployment: DeploymentInfo } | { kind: "rolled-back"; rollback: RollbackInfo };

/** An environment of a model (e.g. "production"). */
export interface EnvironmentInfo {
  id: string;
  name: string;
  /** keccak256 of the name, as the registry keys it. */
  key: string;
  liveVersionId: string | null;
  liveDeploymentId: string | null;
  /** Deployments and rollbacks in block order (a deployment before a rollback of the same block, then by deployment id). */
  timeline: EnvironmentChange[];
}

/** The answer of {@link environmentsOf}. */
export interface EnvironmentsOfResult {
  asOf: AsOf;
  modelId: string;
  /** By name. */
  environments: EnvironmentInfo[];
}

const stampOf = (change: EnvironmentChange) => (change.kind === "deployed" ? change.deployment.deployed : change.rollback);
/** The deployment a change made live (none for a take-down). */
const deploymentIdOf = (change: EnvironmentChange) => (change.kind === "deployed" ? change.deployment.id : (change.rollback.toDeploymentId ?? ""));

function environmentOf(raw: EnvironmentsQuery["environments"][number]): EnvironmentInfo {
  const changes: EnvironmentChange[] = [
    ...raw.deployments.map((d) => ({ kind: "deployed" as const, deployment: deploymentOf(d) })),
    ...raw.rollbacks.map((r) => ({ kind: "rolled-back" as const, rollback: rollbackOf(r) })),
  ];
  const order = (c: EnvironmentChange) => (c.kind === "deployed" ? 0 : 1);
  return {
    id: raw.id,
    name: raw.name,
    key: raw.key,
    liveVersionId: raw.liveVersion?.id ?? null,
    liveDeploymentId: raw.liveDeployment?.id ?? null,
    timeline: changes.sort(
      (a, b) => stampOf(a).blockNumber - stampOf(b).blockNumber || order(a) - order(b) || compareIds(deploymentIdOf(a), deploymentIdOf(b)),
    ),
  };
}

/**
 * Every environment of a model, with what is live in it and every deployment and rollback. One GraphQL round trip.
 *
 * @example
 * const { environments } = await environmentsOf(client, 1n);
 * environments.map((e) => `${e.name}: ${e.liveVersionId ?? "nothing"} live, ${e.timeline.length} changes`);
 */
export async function environmentsOf(client: AuditClient, modelId: IdInput): Promise<EnvironmentsOfResult> {
  const model = toId(modelId, "modelId");
  const data = await client.request(EnvironmentsDocument, { model });
  const environments = data.environments.map(environmentOf).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { asOf: asOfOf(client, data._meta), modelId: model, environments };
}
