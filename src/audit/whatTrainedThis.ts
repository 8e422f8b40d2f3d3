/**
 * "What was this model trained on?" — every dataset, dataset version, licence and licence terms behind a model version,
 * transitively: through its fine-tune parents (ModelVersion.parent, up to the base model) and through dataset
 * derivations (DatasetVersion.parents, back to the original data), with the path by which each was reached.
 */
import { claimsFromContent, contentClaims, type DigestClaims, type RawContent } from "./claims.ts";
import type { AuditClient } from "./client.ts";
import {
  DATASET_VERSION_NO_PARENTS,
  LICENCE,
  META,
  MODEL_VERSION_NO_PARENT,
  asOfOf,
  compareIds,
  createdStamp,
  datasetOf,
  datasetVersionOf,
  licenceOf,
  modelVersionOf,
  notFound,
  pinned,
  toId,
  type IdInput,
  type RawDatasetVersion,
  type RawLicence,
  type RawMeta,
  type RawModelVersion,
  continuationQuery,
  type Ref,
} from "./shared.ts";
import type { AsOf, DatasetInfo, DatasetVersionInfo, LicenceInfo, ModelVersionInfo, TxStamp } from "./types.ts";

/** How a dataset version was reached from the audited model version. */
export interface LineagePath {
  /**
   * - "direct": the audited version's own training run used it;
   * - "fine-tune": the training run of a version it was fine-tuned from (transitively) used it;
   * - "derivation": it is an ancestor (DatasetVersion.parents, transitively) of a dataset version a run used.
   */
  how: "direct" | "fine-tune" | "derivation";
  /** The model version whose training run used `derivationChain[0]` (or this dataset version itself). */
  trainedBy: string;
  /** Fine-tune ancestors from the audited version's parent up to `trainedBy`; empty for the audited version's own run. */
  fineTuneChain: string[];
  /** Dataset versions from the one the run used down to this one's child; empty when the run used this one. */
  derivationChain: string[];
  /** The licence the run used (for `derivationChain[0]`, or this version when the chain is empty). */
  licenceId: string;
  /** "direct", or e.g. "via fine-tune of model version 1, via derivation into dataset version 2". */
  description: string;
}

/** One dataset version behind the model, with every path that reaches it. */
export interface TrainingDataEntry {
  datasetVersion: DatasetVersionInfo;
  dataset: DatasetInfo;
  /** Licences under which a run in the lineage used this very version (empty when only reached by derivation). */
  licenceIds: string[];
  /** Shortest first. */
  paths: LineagePath[];
}

/** A recorded training run of a version in the lineage. */
export interface TrainingRunInfo {
  versionId: string;
  codeHash: string;
  hyperparametersHash: string;
  /** Unix seconds, as declared by the publisher. */
  startedAt: number;
  endedAt: number;
  /** The dataset versions used, each under a licence. */
  uses: Array<{ datasetVersionId: string; datasetId: string; licenceId: string }>;
  recorded: TxStamp;
}

/** The answer of {@link whatTrainedThis}. */
export interface WhatTrainedThisResult {
  asOf: AsOf;
  version: ModelVersionInfo;
  /** The fine-tune chain: [this version, its parent, …, the base version]. */
  lineage: ModelVersionInfo[];
  /** The training runs of the versions in `lineage` that recorded one, in lineage order. */
  trainingRuns: TrainingRunInfo[];
  /** Every dataset version reached, direct ones first, then by id. */
  datasetVersions: TrainingDataEntry[];
  /** The datasets of those versions, by id. */
  datasets: DatasetInfo[];
  /** The licences the runs used, with their terms (and refund, if voided), by id. */
  licences: LicenceInfo[];
  /**
   * Versions of the fine-tune chain whose own training run names no registered data (their training data is not on
   * chain); empty when everything is declared. The audited version's `dataDeclared` covers its whole lineage.
   */
  undeclaredData: string[];
  /**
   * Digests in the lineage that several accounts claim: the weights of the versions in `lineage` and the fingerprints
   * of the dataset versions, each with every claim in chain order (a model trained on a squatter's claim shows here).
   */
  competingClaims: DigestClaims[];
}

/** Levels of fine-tune parents and of dataset parents fetched per round trip. */
const MODEL_DEPTH = 3;
const DATA_DEPTH = 3;
/** Paths kept per dataset version (beyond, a dense derivation graph would multiply them). */
const MAX_PATHS = 16;

interface RawUse {
  id: string;
  datasetVersion: RawDVNode;
  licence: RawLicence;
}

interface RawRun {
  id: string;
  codeHash: string;
  hyperparametersHash: string;
  startedAt: string;
  endedAt: string;
  createdAtBlock: string;
  createdAt: string;
  createdTx: string;
  datasetUses: RawUse[];
}

interface RawMVNode extends RawModelVersion {
  content: RawContent;
  trainingRun: RawRun | null;
  parent?: RawMVNode | Ref | null;
}

interface RawDVNode extends RawDatasetVersion {
  content: RawContent;
  parents: Array<RawDVNode | Ref>;
}

const isFull = <T extends object>(node: T | Ref): node is T => "number" in node;

function dataLevel(depth: number): string {
  return `${DATASET_VERSION_NO_PARENTS} ${contentClaims("dataset-fingerprint")} parents(first: 1000) { ${depth > 0 ? dataLevel(depth - 1) : "id"} }`;
}

function modelLevel(depth: number): string {
  const run = `trainingRun { id codeHash hyperparametersHash startedAt endedAt createdAtBlock createdAt createdTx datasetUses(first: 1000, orderBy: id) { id datasetVersion { ${dataLevel(DATA_DEPTH)} } licence { ${LICENCE} } } }`;
  return `${MODEL_VERSION_NO_PARENT} ${contentClaims("model-weights")} ${run} parent { ${depth > 0 ? modelLevel(depth - 1) : "id"} }`;
}

const FIRST_QUERY = `query WhatTrainedThis($id: ID!) { modelVersion(id: $id) { ${modelLevel(MODEL_DEPTH)} } ${META} }`;

function moreQuery(models: boolean, data: boolean): string {
  return continuationQuery("WhatTrainedThisMore", models ? modelLevel(MODEL_DEPTH) : null, data ? dataLevel(DATA_DEPTH) : null);
}

/**
 * What trained a model version: every dataset, dataset version, licence and licence terms behind it, through
 * fine-tunes and dataset derivations, each with how it was reached; which versions declare no training data; and every
 * digest of the lineage that other accounts claim too. Usually one GraphQL round trip (one more per
 * four further levels of fine-tunes or derivations).
 *
 * @example
 * const client = createAuditClient({ url: "http://127.0.0.1:8000/subgraphs/name/pedigree" });
 * const { datasetVersions, licences } = await whatTrainedThis(client, 3n);
 * for (const entry of datasetVersions) {
 *   console.log(entry.dataset.id, entry.datasetVersion.number, entry.paths[0].description);
 *   // "1 2 via fine-tune of model version 1"
 *   // "1 1 via fine-tune of model version 1, via derivation into dataset version 2"
 * }
 * @throws NotInSubgraphError for a version the subgraph does not know (at the client's block).
 */
export async function whatTrainedThis(client: AuditClient, versionId: IdInput): Promise<WhatTrainedThisResult> {
  const id = toId(versionId, "versionId");
  const first = await client.request<{ modelVersion: RawMVNode | null; _meta: RawMeta }>(FIRST_QUERY, { id });
  if (!first.modelVersion) throw notFound(client, "model version", id);
  const asOf = asOfOf(first._meta);
  const same = pinned(client, asOf);

  const models = new Map<string, RawMVNode>();
  const data = new Map<string, RawDVNode>();
  const wantModels = new Set<string>();
  const wantData = new Set<string>();

  const visitData = (node: RawDVNode): void => {
    if (data.has(node.id)) return;
    data.set(node.id, node);
    for (const parent of node.parents) {
      if (isFull<RawDVNode>(parent)) visitData(parent);
      else wantData.add(parent.id);
    }
  };
  const visitModel = (node: RawMVNode): void => {
    if (models.has(node.id)) return;
    models.set(node.id, node);
    for (const use of node.trainingRun?.datasetUses ?? []) visitData(use.datasetVersion);
    const parent = node.parent;
    if (parent) {
      if (isFull<RawMVNode>(parent)) visitModel(parent);
      else wantModels.add(parent.id);
    }
  };
  visitModel(first.modelVersion);

  // Deeper lineages than one query reaches: fetch the open ends (all of them at once) until none are left.
  for (;;) {
    const modelIds = [...wantModels].filter((m) => !models.has(m));
    const dataIds = [...wantData].filter((d) => !data.has(d));
    wantModels.clear();
    wantData.clear();
    if (modelIds.length === 0 && dataIds.length === 0) break;
    const more = await same.request<{ modelVersions?: RawMVNode[]; datasetVersions?: RawDVNode[] }>(
      moreQuery(modelIds.length > 0, dataIds.length > 0),
      { ...(modelIds.length > 0 ? { models: modelIds } : {}), ...(dataIds.length > 0 ? { data: dataIds } : {}) },
    );
    for (const node of more.modelVersions ?? []) visitModel(node);
    for (const node of more.datasetVersions ?? []) visitData(node);
  }

  // The fine-tune chain, from this version up.
  const chain: RawMVNode[] = [];
  for (let node: RawMVNode | undefined = models.get(id); node && !chain.includes(node); ) {
    chain.push(node);
    node = node.parent ? models.get(node.parent.id) : undefined;
  }

  // Every path to every dataset version.
  const paths = new Map<string, LineagePath[]>();
  const licences = new Map<string, LicenceInfo>();
  const usedUnder = new Map<string, Set<string>>();
  const addPath = (dvId: string, path: Omit<LineagePath, "how" | "description">): boolean => {
    const how: LineagePath["how"] =
      path.derivationChain.length > 0 ? "derivation" : path.fineTuneChain.length > 0 ? "fine-tune" : "direct";
    const parts: string[] = [];
    const [parent, ...older] = path.fineTuneChain;
    if (parent) parts.push(`via fine-tune of model version ${parent}${older.map((v) => `, itself a fine-tune of ${v}`).join("")}`);
    const [child, ...later] = [...path.derivationChain].reverse();
    if (child) parts.push(`via derivation into dataset version ${child}${later.map((v) => `, then into ${v}`).join("")}`);
    const list = paths.get(dvId) ?? [];
    if (list.length >= MAX_PATHS) return false;
    list.push({ how, ...path, description: parts.length > 0 ? parts.join(", ") : "direct" });
    paths.set(dvId, list);
    return true;
  };
  const walkParents = (dv: RawDVNode, base: Omit<LineagePath, "how" | "description">): void => {
    for (const parent of dv.parents) {
      if (base.derivationChain.includes(parent.id) || parent.id === dv.id) continue;
      const node = data.get(parent.id);
      if (!node) continue;
      const path = { ...base, derivationChain: [...base.derivationChain, dv.id] };
      if (addPath(node.id, path)) walkParents(node, path);
    }
  };
  chain.forEach((version, k) => {
    for (const use of version.trainingRun?.datasetUses ?? []) {
      licences.set(use.licence.id, licenceOf(use.licence));
      const dv = data.get(use.datasetVersion.id)!;
      const set = usedUnder.get(dv.id) ?? new Set<string>();
      set.add(use.licence.id);
      usedUnder.set(dv.id, set);
      const base = {
        trainedBy: version.id,
        fineTuneChain: chain.slice(1, k + 1).map((v) => v.id),
        derivationChain: [] as string[],
        licenceId: use.licence.id,
      };
      addPath(dv.id, base);
      walkParents(dv, base);
    }
  });

  const rank = (p: LineagePath) => p.fineTuneChain.length + p.derivationChain.length;
  const entries: TrainingDataEntry[] = [...paths.entries()].map(([dvId, list]) => {
    const node = data.get(dvId)!;
    const sorted = list.sort((a, b) => rank(a) - rank(b) || a.derivationChain.length - b.derivationChain.length);
    return {
      datasetVersion: datasetVersionOf(node, node.parents.map((p) => p.id)),
      dataset: datasetOf(node.dataset),
      licenceIds: [...(usedUnder.get(dvId) ?? [])].sort(compareIds),
      paths: sorted,
    };
  });
  entries.sort((a, b) => rank(a.paths[0]!) - rank(b.paths[0]!) || compareIds(a.datasetVersion.id, b.datasetVersion.id));

  const datasets = new Map<string, DatasetInfo>();
  for (const entry of entries) datasets.set(entry.dataset.id, entry.dataset);

  const competingClaims = [
    ...chain.map((v) => claimsFromContent("model-weights", v.weightsHash, v.content, asOf.timestamp)),
    ...entries.map((e) => claimsFromContent("dataset-fingerprint", e.datasetVersion.fingerprint, data.get(e.datasetVersion.id)!.content, asOf.timestamp)),
  ].filter((c, i, all) => c.competing && all.findIndex((o) => o.kind === c.kind && o.digest === c.digest) === i);

  return {
    asOf,
    version: modelVersionOf(chain[0]!),
    lineage: chain.map(modelVersionOf),
    trainingRuns: chain
      .filter((v) => v.trainingRun)
      .map((v) => {
        const run = v.trainingRun!;
        return {
          versionId: v.id,
          codeHash: run.codeHash,
          hyperparametersHash: run.hyperparametersHash,
          startedAt: Number(run.startedAt),
          endedAt: Number(run.endedAt),
          uses: run.datasetUses.map((u) => ({
            datasetVersionId: u.datasetVersion.id,
            datasetId: u.datasetVersion.dataset.id,
            licenceId: u.licence.id,
          })),
          recorded: createdStamp(run),
        };
      }),
    datasetVersions: entries,
    datasets: [...datasets.values()].sort((a, b) => compareIds(a.id, b.id)),
    licences: [...licences.values()].sort((a, b) => compareIds(a.id, b.id)),
    undeclaredData: chain.filter((v) => (v.trainingRun?.datasetUses.length ?? 0) === 0).map((v) => v.id),
    competingClaims,
  };
}
