/**
 * "What was this model trained on?" — every dataset, dataset version, licence and licence terms behind a model version,
 * transitively: through its fine-tune parents (ModelVersion.parent, up to the base model) and through dataset
 * derivations (DatasetVersion.parents, back to the original data), with the path by which each was reached.
 */
import { bytes32Label } from "../core/hex.ts";
import { REGION_CODES } from "../core/regions.ts";
import { claimsFromContent, type DigestClaims } from "./claims.ts";
import type { AuditClient } from "./client.ts";
import { LineageStartDocument, LineageUpDocument, type LineageDataFragment, type LineageModelFragment } from "./generated/graphql.ts";
import { closeLineage, type LineageGraph } from "./lineage.ts";
import {
  asOfOf,
  attestationOf,
  compareIds,
  createdStamp,
  datasetOf,
  datasetVersionOf,
  licenceOf,
  modelVersionOf,
  notFound,
  olderFineTunes,
  pinned,
  toId,
  useIndex,
  type IdInput,
} from "./shared.ts";
import type { AsOf, AttestationInfo, DatasetInfo, DatasetVersionInfo, LicenceInfo, ModelVersionInfo, TxStamp } from "./types.ts";

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
  /**
   * Fine-tunes from `trainedBy` down to the audited version: `trainedBy` is `lineage[fineTuneDepth]` of the answer,
   * the versions between are `lineage[1 … fineTuneDepth - 1]`; 0 for the audited version's own run. A number rather
   * than the list, so that a deep chain's answer grows with its length, not its square.
   */
  fineTuneDepth: number;
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
  /** The ISO 3166-1 alpha-2 code of the country where it was computed. */
  region: string;
  /** Who computed it: the name it was declared under (e.g. "aws:eu-central-1"), its 32-byte id, or null if undeclared. */
  computeProvider: string | null;
  /** The dataset versions used, each under a licence, in the order the run declared them (`index`). */
  uses: Array<{ index: number; datasetVersionId: string; datasetId: string; licenceId: string }>;
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
  /** Attestations on the dataset versions, licences and training runs of the lineage, by id. */
  attestations: AttestationInfo[];
}

/** Paths kept per dataset version (beyond, a dense derivation graph would multiply them). */
const MAX_PATHS = 16;

type Path = Omit<LineagePath, "how" | "description">;

/** The upward lineage of a model version, closed, with the block it was read at. */
export interface UpwardLineage {
  asOf: AsOf;
  graph: LineageGraph<LineageModelFragment, LineageDataFragment>;
  /** The fine-tune chain: [the version, its parent, …, the base version]. */
  chain: LineageModelFragment[];
}

/**
 * Fetches a model version and everything upward of it — fine-tune parents, their training runs, the data and licences
 * they used, the data's derivation parents — until the graph is closed, all at the block of the first answer.
 */
export async function upwardLineage(client: AuditClient, id: string): Promise<UpwardLineage> {
  const first = await client.request(LineageStartDocument, { id });
  if (!first.modelVersion) throw notFound(client, "model version", id);
  const asOf = asOfOf(client, first._meta);
  const same = pinned(client, asOf);
  const graph = await closeLineage<LineageModelFragment, LineageDataFragment>(
    { models: withAncestors(first.modelVersion), data: [] },
    {
      fromModel: (m) => ({
        models: m.parent ? [m.parent.id] : [],
        data: (m.trainingRun?.datasetUses ?? []).map((u) => u.datasetVersion.id),
      }),
      fromData: (d) => ({ models: [], data: d.parents.map((p) => p.id) }),
      fetch: async (ids) => {
        const page = await same.request(LineageUpDocument, ids);
        return { models: page.modelVersions.flatMap(withAncestors), data: page.datasetVersions };
      },
    },
  );
  const chain: LineageModelFragment[] = [];
  for (let node: LineageModelFragment | undefined = first.modelVersion; node && !chain.includes(node); node = node.parent ? graph.models.get(node.parent.id) : undefined) {
    chain.push(node);
  }
  return { asOf, graph, chain };
}

/**
 * A version and the fine-tune ancestors its answer nests (LineageAncestors), nearest first. The deepest one names only
 * its parent's id (ModelVersionFields), which the traversal asks for next.
 */
function withAncestors(version: LineageModelFragment): LineageModelFragment[] {
  const versions: LineageModelFragment[] = [];
  for (let node: unknown = version; isLineageModel(node); node = node.parent) versions.push(node);
  return versions;
}

const isLineageModel = (node: unknown): node is LineageModelFragment => typeof node === "object" && node !== null && "trainingRun" in node;

/**
 * "via fine-tune of model version 1, via derivation into dataset version 2"; `parent` is the audited version's parent.
 * A fine-tune chain is named by its ends, whatever its length: "via fine-tune of model version 9, itself fine-tuned
 * from 1 in 8 steps".
 */
function describePath(path: Path, parent: string | undefined): LineagePath {
  const depth = path.fineTuneDepth;
  const how: LineagePath["how"] = path.derivationChain.length > 0 ? "derivation" : depth > 0 ? "fine-tune" : "direct";
  const parts: string[] = [];
  if (depth > 0) parts.push(`via fine-tune of model version ${parent}${olderFineTunes(path.trainedBy, depth)}`);
  const [child, ...later] = [...path.derivationChain].reverse();
  if (child) parts.push(`via derivation into dataset version ${child}${later.map((v) => `, then into ${v}`).join("")}`);
  return { how, ...path, description: parts.length > 0 ? parts.join(", ") : "direct" };
}

/** Every path (at most {@link MAX_PATHS} each) from the chain's training runs to every dataset version reached. */
function pathsOf(chain: LineageModelFragment[], data: Map<string, LineageDataFragment>): Map<string, LineagePath[]> {
  const paths = new Map<string, LineagePath[]>();
  const addPath = (dvId: string, path: Path): boolean => {
    const list = paths.get(dvId) ?? [];
    if (list.length >= MAX_PATHS) return false;
    list.push(describePath(path, chain[1]?.id));
    paths.set(dvId, list);
    return true;
  };
  const walkParents = (dv: LineageDataFragment, base: Path): void => {
    for (const parent of dv.parents) {
      const node = data.get(parent.id);
      if (!node || base.derivationChain.includes(parent.id) || parent.id === dv.id) continue;
      const path = { ...base, derivationChain: [...base.derivationChain, dv.id] };
      if (addPath(node.id, path)) walkParents(node, path);
    }
  };
  chain.forEach((version, k) => {
    for (const use of version.trainingRun?.datasetUses ?? []) {
      const dv = data.get(use.datasetVersion.id);
      if (!dv) continue;
      const base = { trainedBy: version.id, fineTuneDepth: k, derivationChain: [], licenceId: use.licence.id };
      addPath(dv.id, base);
      walkParents(dv, base);
    }
  });
  return paths;
}

const rank = (p: LineagePath) => p.fineTuneDepth + p.derivationChain.length;

/** The dataset versions reached, each with its paths (shortest first), direct ones first, then by id. */
function entriesOf(chain: LineageModelFragment[], data: Map<string, LineageDataFragment>): TrainingDataEntry[] {
  const usedUnder = new Map<string, Set<string>>();
  for (const use of chain.flatMap((v) => v.trainingRun?.datasetUses ?? [])) {
    usedUnder.set(use.datasetVersion.id, (usedUnder.get(use.datasetVersion.id) ?? new Set()).add(use.licence.id));
  }
  const entries = [...pathsOf(chain, data).entries()].map(([dvId, list]) => {
    const node = data.get(dvId)!;
    return {
      datasetVersion: datasetVersionOf(node),
      dataset: datasetOf(node.dataset),
      licenceIds: [...(usedUnder.get(dvId) ?? [])].sort(compareIds),
      paths: list.sort((a, b) => rank(a) - rank(b) || a.derivationChain.length - b.derivationChain.length),
    };
  });
  return entries.sort((a, b) => rank(a.paths[0]!) - rank(b.paths[0]!) || compareIds(a.datasetVersion.id, b.datasetVersion.id));
}

/** The position of a use in its run: its id is `runId-index`. */

function trainingRunOf(version: LineageModelFragment): TrainingRunInfo | null {
  const run = version.trainingRun;
  if (!run) return null;
  return {
    versionId: version.id,
    codeHash: run.codeHash,
    hyperparametersHash: run.hyperparametersHash,
    startedAt: Number(run.startedAt),
    endedAt: Number(run.endedAt),
    region: REGION_CODES[run.region]!,
    computeProvider: bytes32Label(run.computeProvider),
    uses: run.datasetUses
      .map((u) => ({ index: useIndex(u.id), datasetVersionId: u.datasetVersion.id, datasetId: u.datasetVersion.dataset.id, licenceId: u.licence.id }))
      .sort((a, b) => a.index - b.index),
    recorded: createdStamp(run),
  };
}

/** Attestations on the lineage's dataset versions, licences and training runs, by id. */
function lineageAttestations(lineage: UpwardLineage): AttestationInfo[] {
  const now = lineage.asOf.timestamp;
  const raws = [
    ...[...lineage.graph.data.values()].flatMap((d) => d.attestations),
    ...lineage.chain.flatMap((v) => [...(v.trainingRun?.attestations ?? []), ...(v.trainingRun?.datasetUses ?? []).flatMap((u) => u.licence.attestations)]),
  ];
  const byId = new Map(raws.map((a) => [a.id, attestationOf(a, now)]));
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}

/** Digests of the lineage that several accounts claim: the chain's weights and the data's fingerprints. */
function competingClaimsOf(chain: LineageModelFragment[], entries: TrainingDataEntry[], data: Map<string, LineageDataFragment>, now: number | null): DigestClaims[] {
  return [
    ...chain.map((v) => claimsFromContent("model-weights", v.weightsHash, v.content, now)),
    ...entries.map((e) => claimsFromContent("dataset-fingerprint", e.datasetVersion.fingerprint, data.get(e.datasetVersion.id)!.content, now)),
  ].filter((c, i, all) => c.competing && all.findIndex((o) => o.kind === c.kind && o.digest === c.digest) === i);
}

/**
 * What trained a model version: every dataset, dataset version, licence and licence terms behind it, through
 * fine-tunes and dataset derivations, each with how it was reached; which versions declare no training data; every
 * digest of the lineage that other accounts claim too; and the attestations on the data, licences and runs. One GraphQL
 * round trip per level of the lineage (fine-tunes, then derivations), all at the block of the first answer.
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
  const lineage = await upwardLineage(client, toId(versionId, "versionId"));
  const { asOf, chain, graph } = lineage;
  const entries = entriesOf(chain, graph.data);
  const datasets = new Map(entries.map((e) => [e.dataset.id, e.dataset]));
  const licences = new Map(chain.flatMap((v) => v.trainingRun?.datasetUses ?? []).map((u) => [u.licence.id, licenceOf(u.licence)]));
  return {
    asOf,
    version: modelVersionOf(chain[0]!),
    lineage: chain.map(modelVersionOf),
    trainingRuns: chain.map(trainingRunOf).filter((run): run is TrainingRunInfo => run !== null),
    datasetVersions: entries,
    datasets: [...datasets.values()].sort((a, b) => compareIds(a.id, b.id)),
    licences: [...licences.values()].sort((a, b) => compareIds(a.id, b.id)),
    undeclaredData: chain.filter((v) => (v.trainingRun?.datasetUses.length ?? 0) === 0).map((v) => v.id),
    competingClaims: competingClaimsOf(chain, entries, graph.data, asOf.timestamp),
    attestations: lineageAttestations(lineage),
  };
}
