/**
 * "Where, and under which conditions?" — for a model version: where its training and retrieval data come from and the
 * data-handling policies that apply to them, where each run of its fine-tune chain was computed,
 * the training and deployment territories of every licence behind it (and the territory they leave together), where
 * it was deployed over time, where its decisions were made, and every conflict between them.
 *
 * The chain refuses a training run or a deployment outside a licence's territory, so a conflict there means the
 * record and the rules disagree (a licence restricted after the fact cannot happen: terms never change). Decision
 * batches are evidence and never refused: a batch made outside the deployment territory, or in a region no deployment
 * of the version had served by the time it was anchored, is reported here.
 */
import { REGION_CODES } from "../core/regions.ts";
import type { AuditClient } from "./client.ts";
import type { IdInput } from "./shared.ts";
import type { AsOf, DataContextInfo, LicenceInfo, SystemVersionInfo, TxStamp } from "./types.ts";
import { whatTrainedThis, type WhatTrainedThisResult } from "./whatTrainedThis.ts";
import { whoActedOn, type WhoActedOnResult } from "./whoActedOn.ts";

/** Where one run of the fine-tune chain was computed, and the training territory it had to stay in. */
export interface RunJurisdiction {
  versionId: string;
  region: string;
  computeProvider: string | null;
  /** Codes where the licences of this run and of its fine-tune ancestors all allow training. */
  allowed: string[];
  recorded: TxStamp;
}

/** A dataset version behind the model — training data (transitively) or retrieval data — with its origin and policy. */
export interface DataJurisdiction {
  datasetVersionId: string;
  datasetId: string;
  use: "training" | "retrieval";
  /** Where its data comes from (empty = not declared). */
  origin: string[];
  handlingPolicy: { hash: string; uri: string } | null;
}

/** A licence in the lineage with its effective territories (its terms narrowed by what the data inherited). */
export interface LicenceJurisdiction {
  licenceId: string;
  datasetId: string;
  training: string[];
  deployment: string[];
}

/** A system version of the model version: the licences of its retrieval data, and where it may therefore serve. */
export interface SystemJurisdiction {
  systemId: string;
  retrieval: LicenceJurisdiction[];
  /** The lineage's deployment territory narrowed by every retrieval licence's. */
  deployment: string[];
}

/** One deployment of the version: where it served, and from when until when. */
export interface DeploymentJurisdiction {
  deploymentId: string;
  environment: string;
  /** The system version it runs (null = the bare model version). */
  systemId: string | null;
  regions: string[];
  deployed: TxStamp;
  /** Unix seconds it stopped being live; null while live. */
  endedAt: number | null;
}

/** One anchored decision batch: where its decisions were made. */
export interface DecisionJurisdiction {
  root: string;
  count: number;
  /** The system version that made them (null = the bare model version) and its governance policy digest. */
  systemId: string | null;
  policyHash: string;
  regions: string[];
  windowStart: number;
  windowEnd: number;
  anchored: TxStamp;
}

/** A record that leaves a territory. */
export interface JurisdictionConflict {
  kind: "training-outside-territory" | "deployment-outside-territory" | "decisions-outside-territory" | "decisions-outside-deployments";
  /** The record: a model version (training), a deployment id, or a decision batch root. */
  subject: string;
  /** The codes outside. */
  regions: string[];
  /** One sentence saying what is outside what. */
  message: string;
}

/** The answer of {@link jurisdictionsOf}. */
export interface JurisdictionsResult {
  asOf: AsOf;
  versionId: string;
  modelId: string;
  /** The training runs of the fine-tune chain, the audited version's first. */
  training: RunJurisdiction[];
  /** Every dataset version behind it — training data through fine-tunes and derivations, then retrieval data. */
  data: DataJurisdiction[];
  /** Every licence the chain's runs used, by id. */
  licences: LicenceJurisdiction[];
  /** Where the licences together allow training and deployment (every code when there is none). */
  territory: { training: string[]; deployment: string[] };
  /** The system versions running the model version, by id. */
  systems: SystemJurisdiction[];
  /** In chain order. */
  deployments: DeploymentJurisdiction[];
  /** In chain order. */
  decisions: DecisionJurisdiction[];
  /** Empty when every record lies inside its territory. */
  conflicts: JurisdictionConflict[];
}

/** The codes every list holds (every code for none). */
function intersect(lists: readonly string[][]): string[] {
  return lists.reduce<string[]>((kept, list) => kept.filter((code) => list.includes(code)), [...REGION_CODES]);
}

const outside = (regions: readonly string[], allowed: readonly string[]) => regions.filter((code) => !allowed.includes(code));

/** A licence's effective territories: its terms narrowed by what each dataset version it was used on inherited. */
function licenceOf(licence: LicenceInfo, usedOn: DataContextInfo[]): LicenceJurisdiction {
  const { trainingTerritories, deploymentTerritories } = licence.terms;
  return {
    licenceId: licence.id,
    datasetId: licence.datasetId,
    training: intersect([trainingTerritories, ...usedOn.map((c) => c.inherited.training)]),
    deployment: intersect([deploymentTerritories, ...usedOn.map((c) => c.inherited.deployment)]),
  };
}

/** Training data (transitively), then each system's retrieval data, once each. */
function dataOf(actors: WhoActedOnResult, lineage: WhatTrainedThisResult): DataJurisdiction[] {
  const entry = (use: DataJurisdiction["use"], id: string, datasetId: string, c: DataContextInfo) => ({ datasetVersionId: id, datasetId, use, origin: c.origin, handlingPolicy: c.handlingPolicy });
  const training = lineage.datasetVersions.map((e) => entry("training", e.datasetVersion.id, e.datasetVersion.datasetId, e.datasetVersion.context));
  const retrieval = actors.systems.flatMap((s) => s.retrieval).map((r) => entry("retrieval", r.datasetVersionId, r.datasetId, r.context));
  return [...new Map([...training, ...retrieval].map((d) => [`${d.use}-${d.datasetVersionId}`, d])).values()];
}

/** A system version with its retrieval licences and the deployment territory they narrow `lineageDeployment` to. */
function systemOf(system: SystemVersionInfo, lineageDeployment: string[]): SystemJurisdiction {
  const retrieval = system.retrieval.map((r) => licenceOf(r.licence, [r.context]));
  return { systemId: system.id, retrieval, deployment: intersect([lineageDeployment, ...retrieval.map((l) => l.deployment)]) };
}

/** Each run with the training territory of its own licences and of its fine-tune ancestors' (as the chain checks). */
function runsOf(lineage: WhatTrainedThisResult, licences: Map<string, LicenceJurisdiction>): RunJurisdiction[] {
  const chain = lineage.lineage.map((version) => version.id);
  return lineage.trainingRuns.map((run) => {
    const ancestors = new Set(chain.slice(chain.indexOf(run.versionId)));
    const used = lineage.trainingRuns.filter((r) => ancestors.has(r.versionId)).flatMap((r) => r.uses);
    const allowed = intersect(used.map((use) => licences.get(use.licenceId)!.training));
    return { versionId: run.versionId, region: run.region, computeProvider: run.computeProvider, allowed, recorded: run.recorded };
  });
}

function conflictsOf(result: Omit<JurisdictionsResult, "conflicts">): JurisdictionConflict[] {
  const allowedFor = (systemId: string | null) => result.systems.find((s) => s.systemId === systemId)?.deployment ?? result.territory.deployment;
  const conflicts: JurisdictionConflict[] = [];
  const add = (kind: JurisdictionConflict["kind"], subject: string, regions: string[], message: string) => {
    if (regions.length > 0) conflicts.push({ kind, subject, regions, message: `${message}: ${regions.join(", ")}` });
  };
  for (const run of result.training) {
    add("training-outside-territory", run.versionId, outside([run.region], run.allowed), `model version ${run.versionId} was trained outside its licences' training territory`);
  }
  for (const d of result.deployments) {
    add("deployment-outside-territory", d.deploymentId, outside(d.regions, allowedFor(d.systemId)), `deployment ${d.deploymentId} (${d.environment}) serves outside the licences' deployment territory`);
  }
  for (const batch of result.decisions) {
    add("decisions-outside-territory", batch.root, outside(batch.regions, allowedFor(batch.systemId)), `decision batch ${batch.root} was made outside the licences' deployment territory`);
    const served = result.deployments.filter((d) => d.deployed.blockNumber <= batch.anchored.blockNumber).flatMap((d) => d.regions);
    add("decisions-outside-deployments", batch.root, outside(batch.regions, served), `decision batch ${batch.root} was made where no deployment of the version had served`);
  }
  return conflicts;
}

/**
 * The jurisdiction answer from the two answers it is built on (the report reuses them: no extra round trip).
 *
 * @example
 * const actors = await whoActedOn(client, 3n);
 * const where = jurisdictionsFrom(actors, await whatTrainedThis(client.at(actors.asOf.blockNumber), 3n));
 */
export function jurisdictionsFrom(actors: WhoActedOnResult, lineage: WhatTrainedThisResult): JurisdictionsResult {
  const contextOf = new Map(lineage.datasetVersions.map((e) => [e.datasetVersion.id, e.datasetVersion.context]));
  const usedOn = (licenceId: string) =>
    lineage.trainingRuns.flatMap((r) => r.uses).filter((u) => u.licenceId === licenceId).map((u) => contextOf.get(u.datasetVersionId)!);
  const licences = lineage.licences.map((licence) => licenceOf(licence, usedOn(licence.id)));
  const byId = new Map(licences.map((licence) => [licence.licenceId, licence]));
  const territory = { training: intersect(licences.map((l) => l.training)), deployment: intersect(licences.map((l) => l.deployment)) };
  const result = {
    asOf: actors.asOf,
    versionId: actors.version.id,
    modelId: actors.model.id,
    training: runsOf(lineage, byId),
    data: dataOf(actors, lineage),
    licences,
    territory,
    systems: actors.systems.map((system) => systemOf(system, territory.deployment)),
    deployments: actors.deployments.map((d) => ({
      deploymentId: d.id,
      environment: d.environment,
      systemId: d.systemId,
      regions: d.regions,
      deployed: d.deployed,
      endedAt: d.endedAt,
    })),
    decisions: actors.decisionBatches.map((b) => ({
      root: b.root,
      count: b.count,
      systemId: b.systemId,
      policyHash: b.policyHash,
      regions: b.regions,
      windowStart: b.windowStart,
      windowEnd: b.windowEnd,
      anchored: { blockNumber: b.blockNumber, timestamp: b.timestamp, transactionHash: b.transactionHash },
    })),
  };
  return { ...result, conflicts: conflictsOf(result) };
}

/**
 * Where a model version was trained, deployed and used, under which licences' territories, and what conflicts with
 * them. Both answers it reads are asked at one block (the first's).
 *
 * @example
 * const where = await jurisdictionsOf(client, 3n);
 * where.territory.deployment; // ["AT", "BE", …] — where the licences let it serve
 * where.conflicts; // [] when every record is inside
 */
export async function jurisdictionsOf(client: AuditClient, versionId: IdInput): Promise<JurisdictionsResult> {
  const actors = await whoActedOn(client, versionId);
  return jurisdictionsFrom(actors, await whatTrainedThis(client.at(actors.asOf.blockNumber), versionId));
}
