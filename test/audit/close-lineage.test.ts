/**
 * closeLineage, the audit's one lineage traversal, over lineage graphs held in memory: which ids each round trip asks
 * for, and how often it looks at each node. (The audit journeys run it against the real subgraph: lineage.test.ts,
 * fine-tune-chain.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { closeLineage, type LineageIds } from "../../src/audit/index.ts";

interface Model {
  id: string;
  fineTunes: string[];
  data: string[];
}
interface Data {
  id: string;
}

/** A walk down a store of models and data; `extra` adds nodes an answer carries beyond those asked for. */
function walkOver(models: Map<string, Model>, data: Set<string>, extra: (ids: LineageIds) => Model[] = () => []) {
  const asked: LineageIds[] = [];
  const looked = new Map<string, number>();
  const walk = {
    fromModel(node: Model): LineageIds {
      looked.set(node.id, (looked.get(node.id) ?? 0) + 1);
      return { models: node.fineTunes, data: node.data };
    },
    fromData: (): LineageIds => ({ models: [], data: [] }),
    async fetch(ids: LineageIds) {
      asked.push(ids);
      const found = ids.models.flatMap((id) => (models.has(id) ? [models.get(id)!] : []));
      return { models: [...found, ...extra(ids)], data: ids.data.filter((id) => data.has(id)).map((id): Data => ({ id })) };
    },
  };
  return { walk, asked, looked };
}

/** Model versions 1..n, each fine-tuned by the next. */
function chain(n: number): Map<string, Model> {
  return new Map(Array.from({ length: n }, (_, i) => [String(i + 1), { id: String(i + 1), fineTunes: i + 1 < n ? [String(i + 2)] : [], data: [] }]));
}

describe("closeLineage", () => {
  it("walks a chain of 5 000 levels one level per round trip, looking at each node once", async () => {
    const models = chain(5000);
    const { walk, asked, looked } = walkOver(models, new Set());
    const graph = await closeLineage({ models: [models.get("1")!], data: [] }, walk);
    expect(graph.models.size).toBe(5000);
    expect(asked).toHaveLength(4999);
    expect(asked[0]).toEqual({ models: ["2"], data: [] });
    expect([...looked.values()].every((times) => times === 1)).toBe(true);
    expect(looked.size).toBe(5000);
  });

  it("asks for 1 000 ids of a kind per round trip, in order of discovery, and for an unknown id once", async () => {
    const ids = Array.from({ length: 2500 }, (_, i) => `d${i}`);
    const root: Model = { id: "1", fineTunes: ["404"], data: ids };
    // Fine-tune 404 and dataset version d0 are not in the subgraph: asked for once, and missing from the graph.
    const models = new Map([["1", root]]);
    const { walk, asked } = walkOver(models, new Set(ids.slice(1)));
    const graph = await closeLineage({ models: [root], data: [] }, walk);
    expect(asked.map((a) => [a.models, a.data.length])).toEqual([[["404"], 1000], [[], 1000], [[], 500]]);
    expect(asked.flatMap((a) => a.data)).toEqual(ids);
    expect(graph.data.size).toBe(2499);
    expect(graph.models.has("404")).toBe(false);
  });

  it("does not ask for nodes an answer already carried", async () => {
    const models = chain(30);
    // Each answer also carries the next seven versions, as the upward walk's answers carry ancestors.
    const next = (ids: LineageIds) => ids.models.flatMap((id) => Array.from({ length: 7 }, (_, k) => models.get(String(Number(id) + k + 1))).filter((m) => m !== undefined));
    const { walk, asked } = walkOver(models, new Set(), next);
    const graph = await closeLineage({ models: [models.get("1")!], data: [] }, walk);
    expect(graph.models.size).toBe(30);
    expect(asked.map((a) => a.models)).toEqual([["2"], ["10"], ["18"], ["26"]]);
  });
});
