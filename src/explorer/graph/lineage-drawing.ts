/**
 * The lineage graph of a model version, as the explorer draws it, from the read model's answer to "what trained
 * this" (src/audit/whatTrainedThis.ts): the fine-tune chain, each version's training run, the licences the runs used
 * and the dataset versions under them, and the dataset versions' derivation parents. Edges point from an input to
 * what was made from it.
 */
import type { WhatTrainedThisResult } from "../../audit/whatTrainedThis.ts";
import type { GraphEdge, GraphNode } from "./layout.ts";

export interface LineageDrawing {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Node ids: the kind's prefix and the record's id, e.g. `mv:3`, `dv:1`, `run:3`, `lic:2`. */
export const nodeId = {
  modelVersion: (id: string) => `mv:${id}`,
  datasetVersion: (id: string) => `dv:${id}`,
  trainingRun: (versionId: string) => `run:${versionId}`,
  licence: (id: string) => `lic:${id}`,
};

export function lineageDrawing(answer: WhatTrainedThisResult): LineageDrawing {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const add = (node: GraphNode) => nodes.set(node.id, node);
  const link = (from: string, to: string) => edges.set(`${from}>${to}`, { from, to });

  for (const version of answer.lineage) {
    const status = version.approvalRevoked ? "approval revoked" : version.approved ? "approved" : "not approved";
    add({ id: nodeId.modelVersion(version.id), kind: "model-version", label: `Model ${version.modelId} · v${version.number}`, detail: status });
    if (version.parentId !== null) link(nodeId.modelVersion(version.parentId), nodeId.modelVersion(version.id));
  }
  for (const entry of answer.datasetVersions) {
    const v = entry.datasetVersion;
    const withdrawn = entry.dataset.withdrawn ? "withdrawn" : `version ${v.number}`;
    add({ id: nodeId.datasetVersion(v.id), kind: "dataset-version", label: `Dataset ${v.datasetId} · v${v.number}`, detail: withdrawn });
  }
  for (const entry of answer.datasetVersions) {
    for (const parent of entry.datasetVersion.parentIds) {
      if (nodes.has(nodeId.datasetVersion(parent))) link(nodeId.datasetVersion(parent), nodeId.datasetVersion(entry.datasetVersion.id));
    }
  }
  for (const licence of answer.licences) {
    const detail = licence.refund ? "refunded" : licence.terms.commercialUse ? "commercial use" : "non-commercial";
    add({ id: nodeId.licence(licence.id), kind: "licence", label: `Licence ${licence.id}`, detail });
  }
  for (const run of answer.trainingRuns) {
    const id = nodeId.trainingRun(run.versionId);
    add({ id, kind: "training-run", label: `Training run`, detail: `of model version ${run.versionId} · ${run.region}` });
    link(id, nodeId.modelVersion(run.versionId));
    for (const use of run.uses) {
      link(nodeId.datasetVersion(use.datasetVersionId), nodeId.licence(use.licenceId));
      link(nodeId.licence(use.licenceId), id);
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
