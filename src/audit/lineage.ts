/**
 * The one lineage traversal of the audit: "fetch the open ends until the graph is closed". Every question that walks
 * lineage — up from a model version to the data behind it, or down from data to the models trained on it — describes
 * its nodes and edges here and lets {@link closeLineage} fetch them.
 *
 * Each round trip fetches every open end of the graph at once by id (`id_in`, a page of 1 000 ids per collection), so a
 * lineage of depth d takes d round trips whatever its width. The documents nest no collection inside another beyond
 * one level: graph-node refuses queries whose complexity (the product of nested `first` values) overflows, which
 * deeply nested lineage selections reach quickly. Single references may nest: the upward walk's answers carry each
 * model version's next seven fine-tune ancestors (documents/lineage.graphql), so its fetch returns them as nodes too.
 */
import type { Ref } from "./shared.ts";

/** Model versions and dataset versions, as one answer returns them. */
export interface LineageNodes<M extends Ref, D extends Ref> {
  models: readonly M[];
  data: readonly D[];
}

/** Ids of model versions and dataset versions. */
export interface LineageIds {
  models: string[];
  data: string[];
}

/** How to walk one kind of lineage. */
export interface LineageWalk<M extends Ref, D extends Ref> {
  /** The neighbours to explore from a model version (e.g. its fine-tune parent and its training data). */
  fromModel(node: M): LineageIds;
  /** The neighbours to explore from a dataset version (e.g. its derivation parents). */
  fromData(node: D): LineageIds;
  /** Fetches the given versions (at most 1 000 of each kind) in one round trip. */
  fetch(ids: LineageIds): Promise<LineageNodes<M, D>>;
}

/** The closed lineage graph: every node reached, by id. */
export interface LineageGraph<M extends Ref, D extends Ref> {
  models: Map<string, M>;
  data: Map<string, D>;
}

const PAGE = 1000;

/**
 * Walks from `start` until no neighbour is left unfetched; ids the subgraph does not know are not asked for twice.
 *
 * @example
 * // up from a model version: its fine-tune parent and its training data, then the data's derivation parents
 * const graph = await closeLineage({ models: [root], data: [] }, {
 *   fromModel: (m) => ({ models: m.parent ? [m.parent.id] : [], data: m.trainingRun?.datasetUses.map((u) => u.datasetVersion.id) ?? [] }),
 *   fromData: (d) => ({ models: [], data: d.parents.map((p) => p.id) }),
 *   fetch: async (ids) => { const page = await client.request(LineageUpDocument, ids); return { models: page.modelVersions, data: page.datasetVersions }; },
 * });
 */
export async function closeLineage<M extends Ref, D extends Ref>(start: LineageNodes<M, D>, walk: LineageWalk<M, D>): Promise<LineageGraph<M, D>> {
  const graph: LineageGraph<M, D> = { models: new Map(), data: new Map() };
  const asked = { models: new Set<string>(), data: new Set<string>() };
  for (let nodes = start; ; ) {
    for (const node of nodes.models) graph.models.set(node.id, node);
    for (const node of nodes.data) graph.data.set(node.id, node);
    const open = openEnds(graph, walk, asked);
    if (open.models.length === 0 && open.data.length === 0) return graph;
    const ids = { models: open.models.slice(0, PAGE), data: open.data.slice(0, PAGE) };
    for (const id of ids.models) asked.models.add(id);
    for (const id of ids.data) asked.data.add(id);
    nodes = await walk.fetch(ids);
  }
}

/** Neighbours not fetched and not asked for yet, in order of discovery. */
function openEnds<M extends Ref, D extends Ref>(
  graph: LineageGraph<M, D>,
  walk: LineageWalk<M, D>,
  asked: { models: Set<string>; data: Set<string> },
): LineageIds {
  const models = new Set<string>();
  const data = new Set<string>();
  const collect = (ids: LineageIds) => {
    for (const id of ids.models) if (!graph.models.has(id) && !asked.models.has(id)) models.add(id);
    for (const id of ids.data) if (!graph.data.has(id) && !asked.data.has(id)) data.add(id);
  };
  for (const node of graph.models.values()) collect(walk.fromModel(node));
  for (const node of graph.data.values()) collect(walk.fromData(node));
  return { models: [...models], data: [...data] };
}
