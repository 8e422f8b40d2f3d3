/**
 * The audit dossier of one model version (pedigree-dossier/1): the answers of the audit questions (./gather.ts),
 * written as the dossier's records, with the accounts' roles and the summary. Renderers read only the dossier.
 */
import { disclosuresOf } from "./disclosures.ts";
import { InvalidInputError } from "../core/errors.ts";
import { jurisdictionsFrom } from "../audit/jurisdictions.ts";
import { rolesOf } from "../audit/roles.ts";
import { LIMITATIONS } from "./limitations.ts";
import { describeAccounts } from "./accounts.ts";
import { gather, type FetchDossierOptions, type Gathered } from "./gather.ts";
import {
  agentRecord,
  attestationRecord,
  competingClaimsRecord,
  datasetRecord,
  datasetVersionRecord,
  decisionBatchRecord,
  deploymentRecord,
  environmentRecord,
  eventRecord,
  licenceRecord,
  modelRecord,
  rollbackRecord,
  systemVersionRecord,
  trainingRecord,
  versionRecord,
} from "./records.ts";
import { summarise } from "./summary.ts";
import { byNumericId, compareNumeric, compareTx, isoTime, txRef as txOf } from "./time.ts";
import { DOSSIER_FORMAT, type CompetingClaimsRecord, type ParentVersionRecord, type RoyaltyRecord, type VersionDossier } from "./types.ts";
import type { DatasetRoyaltiesResult } from "../audit/datasetRoyalties.ts";
import type { DossierScope } from "./scope.ts";

export { isoTime };
export type { FetchDossierOptions };

/**
 * Derivation depth of each dataset version: the longest chain of derivations from it to a version with no derived
 * version in the set (the versions used in training, unless one is itself a parent of another). Parents are always
 * deeper than their children, so a layout by depth draws every derivation left to right.
 */
function derivationDepths(parentsOf: Map<string, string[]>): Map<string, number> {
  const children = new Map<string, string[]>();
  for (const [id, parents] of parentsOf) for (const parent of parents) children.set(parent, [...(children.get(parent) ?? []), id]);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const of = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle cannot happen on chain; never loop on bad data
    visiting.add(id);
    const value = Math.max(-1, ...(children.get(id) ?? []).filter((c) => parentsOf.has(c)).map(of)) + 1;
    visiting.delete(id);
    depth.set(id, value);
    return value;
  };
  for (const id of parentsOf.keys()) of(id);
  return depth;
}

function datasetVersionRecords(g: Gathered): VersionDossier["datasetVersions"] {
  const used = new Set(g.lineage.trainingRuns.find((r) => r.versionId === g.versionId)?.uses.map((u) => u.datasetVersionId));
  const depth = derivationDepths(new Map(g.scope.data.map((e) => [e.datasetVersion.id, e.datasetVersion.parentIds])));
  return g.scope.data
    .map((e) => datasetVersionRecord(e.datasetVersion, used.has(e.datasetVersion.id), depth.get(e.datasetVersion.id) ?? 0))
    .sort((a, b) => a.derivationDepth - b.derivationDepth || compareNumeric(a.id, b.id));
}

function parentRecords(g: Gathered): ParentVersionRecord[] {
  return g.lineage.lineage.slice(1).map((p, i) => {
    const run = g.lineage.trainingRuns.find((r) => r.versionId === p.id);
    return {
      ...versionRecord(p),
      depth: i + 1,
      training: run
        ? { datasetVersionIds: run.uses.map((u) => u.datasetVersionId), licenceIds: run.uses.map((u) => u.licenceId), codeHash: run.codeHash, tx: trainingRecord(run).tx }
        : null,
    };
  });
}

/** The version's weights and its data's fingerprints that more than one account claims, with every claim. */
function competingClaims(g: Gathered): CompetingClaimsRecord[] {
  const find = (kind: string, digest: string) => g.lineage.competingClaims.find((c) => c.kind === kind && c.digest === digest);
  const version = g.actors.version;
  const weights = find("model-weights", version.weightsHash);
  const data = [...g.scope.data].sort((a, b) => compareNumeric(a.datasetVersion.id, b.datasetVersion.id));
  return [
    weights ? competingClaimsRecord(weights, version.id) : null,
    ...data.map((e) => {
      const claims = find("dataset-fingerprint", e.datasetVersion.fingerprint);
      return claims ? competingClaimsRecord(claims, e.datasetVersion.id) : null;
    }),
  ].filter((c): c is CompetingClaimsRecord => c !== null);
}

/** Deployments, rollbacks about the version and environments, with the environment ids the deployments name. */
function deploymentParts(g: Gathered): Pick<VersionDossier, "environments" | "deployments" | "rollbacks"> {
  const environments = g.environments.environments;
  const idOf = new Map(environments.map((e) => [e.name, e.id]));
  const rollbacks = environments
    .flatMap((e) => e.timeline.flatMap((c) => (c.kind === "rolled-back" ? [rollbackRecord(c.rollback, e.id)] : [])))
    .filter((r) => r.fromVersionId === g.versionId || r.toVersionId === g.versionId)
    .sort((a, b) => compareTx(a.tx, b.tx) || (a.id < b.id ? -1 : 1));
  return {
    environments: environments.map((e) => environmentRecord(e, g.versionId)),
    deployments: g.actors.deployments.map((d) => deploymentRecord(d, idOf.get(d.environment) ?? "")).sort(byNumericId((d) => d.id)),
    rollbacks,
  };
}

/** Where the lineage was trained and the licences' territories, from the answers already gathered. */
function jurisdictionsRecord(g: Gathered): VersionDossier["jurisdictions"] {
  const { training, data, licences, territory, systems, conflicts } = jurisdictionsFrom(g.actors, g.lineage);
  return {
    data,
    runs: training.map(({ versionId, region, computeProvider, allowed }) => ({ versionId, region, computeProvider, allowed })),
    systems: systems.map((s) => ({
      systemId: s.systemId,
      retrieval: s.retrieval.map(({ licenceId, datasetId, deployment }) => ({ licenceId, datasetId, deployment })),
      deployment: s.deployment,
    })),
    licences,
    territory,
    conflicts,
  };
}

/** A dataset's royalties, narrowed to the versions and licences of the lineage. */
function royaltyRecord(r: DatasetRoyaltiesResult, scope: DossierScope): RoyaltyRecord {
  const versions = r.versions.filter((v) => scope.datasetVersionIds.includes(v.versionId));
  const licenceIds = new Set(scope.licenceIds);
  return {
    datasetId: r.datasetId,
    terms: r.terms && { termsId: r.terms.termsId, currency: r.terms.currency, unitPrice: r.terms.unitPrice, unit: r.terms.unit, derivativeRoyaltyBps: r.terms.derivativeRoyaltyBps },
    earned: r.earned.map(({ currency, sale, use, derivation, contribution, total }) => ({ currency, sale, use, derivation, contribution, total })),
    royaltyParents: versions.flatMap((v) => v.royaltyParents.map((p) => ({ versionId: v.versionId, parentVersionId: p.versionId, parentDatasetId: p.datasetId, bps: p.bps }))),
    contributors: versions.flatMap((v) => v.contributors.map((c) => ({ versionId: v.versionId, account: c.account, bps: c.bps }))),
    usage: r.usage
      .filter((u) => licenceIds.has(u.licenceId))
      .map((u) => ({ licenceId: u.licenceId, currency: u.currency, unit: u.unit, units: u.units, reports: u.reportCount, paid: u.paid, disputedReportIds: u.reports.filter((rep) => rep.disputed).map((rep) => rep.reportId) })),
  };
}

/** The dossier's records from the gathered answers; accounts without roles yet, summary empty. */
function assemble(g: Gathered): VersionDossier {
  const { actors, lineage, asOf, meta } = g;
  const now = g.time.atLeast;
  const approvalIds = new Set(actors.approval?.attestationIds ?? []);
  const ownRun = lineage.trainingRuns.find((r) => r.versionId === g.versionId);
  const version = versionRecord(actors.version);
  const records = {
    model: modelRecord(actors.model),
    version,
    parents: parentRecords(g),
    fineTunes: actors.fineTunes.map((f) => ({ id: f.id, modelId: f.modelId, number: f.number, tx: txOf(f.published) })),
    training: ownRun ? trainingRecord(ownRun) : null,
    datasets: g.scope.datasets.map(datasetRecord),
    datasetVersions: datasetVersionRecords(g),
    licences: g.scope.licences.map((l) => licenceRecord(l, now)),
    attestations: g.scope.attestations.map((a) => attestationRecord(a, approvalIds.has(a.id))),
    approval: actors.approval ? { approvedBy: actors.approval.approvedBy, attestationIds: actors.approval.attestationIds, tx: txOf(actors.approval) } : null,
    ...deploymentParts(g),
    decisionBatches: actors.decisionBatches.map(decisionBatchRecord).sort((a, b) => compareTx(a.tx, b.tx) || (a.root < b.root ? -1 : 1)),
    agents: g.agents.agents.map(agentRecord),
    history: g.history
      // Events of other model versions reached through a shared licence or dataset version (e.g. their TrainedOn).
      .filter((e) => e.subjects.modelVersion === null || e.subjects.modelVersion === g.versionId)
      .map((e) => eventRecord(e, g.versionId))
      .sort((a, b) => compareTx(a.tx, b.tx) || compareNumeric(a.logIndex, b.logIndex) || (a.id < b.id ? -1 : 1)),
  };
  const timestamp = g.time.timestamp === null ? null : String(g.time.timestamp);
  return {
    format: DOSSIER_FORMAT,
    generatedAt: {
      block: { number: asOf.blockNumber, hash: asOf.blockHash, timestamp, time: isoTime(timestamp) },
      requestedBlock: g.requestedBlock,
      subgraphUrl: g.url,
      deployment: meta.deployment,
      hasIndexingErrors: meta.hasIndexingErrors,
      requests: g.client.stats.requests,
    },
    subject: { modelId: records.model.id, versionId: g.versionId, number: version.number },
    summary: { approved: false, liveIn: [], everDeployed: false, rolledBack: 0, revokedAttestationIds: [], notReleasableBecause: [], liveButNotReleasable: [], notices: [] },
    model: records.model,
    version,
    parents: records.parents,
    fineTunes: records.fineTunes,
    training: records.training,
    datasets: records.datasets,
    datasetVersions: records.datasetVersions,
    licences: records.licences,
    attestations: records.attestations,
    approval: records.approval,
    environments: records.environments,
    deployments: records.deployments,
    rollbacks: records.rollbacks,
    decisionBatches: records.decisionBatches,
    systems: g.actors.systems.map(systemVersionRecord),
    jurisdictions: jurisdictionsRecord(g),
    agents: records.agents,
    competingClaims: competingClaims(g),
    disclosures: [],
    royalties: g.royalties.map((r) => royaltyRecord(r, g.scope)),
    accounts: describeAccounts(records, new Map()),
    history: records.history,
    limitations: [...LIMITATIONS],
  };
}

/**
 * Gathers the dossier of model version `versionId`: the audit questions at one block, the records, the roles of the
 * accounts they name, the summary.
 *
 * @example
 * const dossier = await fetchDossier({ url: "http://127.0.0.1:8000/subgraphs/name/pedigree", versionId: 3 });
 * @throws NotInSubgraphError for an unknown version (at the requested block), InvalidInputError for a malformed
 * id, block or timeout, SubgraphUnreachableError / SubgraphQueryError / BlockNotIndexedError when the subgraph cannot
 * answer.
 */
export async function fetchDossier(options: FetchDossierOptions): Promise<VersionDossier> {
  const gathered = await gather(options);
  const dossier = assemble(gathered);
  const roles = await rolesOf(gathered.client, dossier.accounts.map((a) => a.address));
  dossier.accounts = describeAccounts(dossier, roles);
  dossier.generatedAt.requests = gathered.client.stats.requests;
  dossier.disclosures = disclosuresOf(dossier, options.disclosures ?? []);
  dossier.summary = summarise(dossier, BigInt(gathered.time.atLeast));
  return dossier;
}
