/**
 * What a dossier covers: the version's own training data (the dataset versions its run used and their derivation
 * ancestors — a fine-tune parent's data is in the parent's own dossier), the licences its run used, and the
 * attestations on the version, its run, its deployments, that data and those licences.
 */
import type { AttestationInfo, DatasetInfo, LicenceInfo } from "../audit/types.ts";
import type { TrainingDataEntry, WhatTrainedThisResult } from "../audit/whatTrainedThis.ts";
import type { WhoActedOnResult } from "../audit/whoActedOn.ts";
import { compareNumeric } from "./time.ts";

export interface DossierScope {
  /** The dataset versions the version's own run reached (directly or by derivation). */
  data: TrainingDataEntry[];
  datasetVersionIds: string[];
  datasets: DatasetInfo[];
  datasetIds: string[];
  /** The licences its own run used. */
  licences: LicenceInfo[];
  licenceIds: string[];
  /** By id. */
  attestations: AttestationInfo[];
}

export function scopeOf(versionId: string, lineage: WhatTrainedThisResult, actors: WhoActedOnResult): DossierScope {
  const data = lineage.datasetVersions.filter((e) => e.paths.some((p) => p.trainedBy === versionId));
  const datasetVersionIds = data.map((e) => e.datasetVersion.id);
  const datasets = [...new Map(data.map((e) => [e.dataset.id, e.dataset])).values()].sort((a, b) => compareNumeric(a.id, b.id));
  const ownUses = lineage.trainingRuns.find((r) => r.versionId === versionId)?.uses ?? [];
  const licenceIds = new Set(ownUses.map((u) => u.licenceId));
  const licences = lineage.licences.filter((l) => licenceIds.has(l.id));
  const inScope = (a: AttestationInfo): boolean =>
    (a.subject.type === "DatasetVersion" && datasetVersionIds.includes(a.subject.id)) ||
    (a.subject.type === "Licence" && licenceIds.has(a.subject.id)) ||
    (a.subject.type === "TrainingRun" && a.subject.id === versionId);
  const attestations = new Map([...actors.attestations, ...lineage.attestations.filter(inScope)].map((a) => [a.id, a]));
  return {
    data,
    datasetVersionIds,
    datasets,
    datasetIds: datasets.map((d) => d.id),
    licences,
    licenceIds: licences.map((l) => l.id),
    attestations: [...attestations.values()].sort((a, b) => compareNumeric(a.id, b.id)),
  };
}
