/** Helpers of the indexer's end-to-end tests: whole-store dumps through GraphQL, chain control, indexer options. */
import { readFileSync } from "node:fs";
import { parseSchema } from "../../src/indexer/schema/schema.ts";
import { camelCasedNames } from "../../src/indexer/graphql/naming.ts";
import type { LocalChain } from "../../src/dev/local-chain.ts";

const schema = parseSchema(readFileSync("schema.graphql", "utf8"));

/** Every entity of every type, all stored fields (references as ids), sorted by id: comparable across indexers. */
export async function dumpAll(url: string, block?: number): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const entity of schema.entities.values()) {
    const selection = entity.fields
      .filter((f) => !f.derivedFrom)
      .map((f) => (f.type.kind === "entity" || f.type.kind === "interface" ? `${f.name} { id }` : f.name))
      .join(" ");
    const [, plural] = camelCasedNames(entity.name);
    const rows: unknown[] = [];
    for (let skip = 0; ; skip += 1000) {
      const blockArg = block === undefined ? "" : `, block: { number: ${block} }`;
      const body = await post(url, `{ page: ${plural}(first: 1000, skip: ${skip}, orderBy: id${blockArg}) { ${selection} } }`);
      const page = (body.data as { page: unknown[] }).page;
      rows.push(...page);
      if (page.length < 1000) break;
    }
    dump[entity.name] = rows;
  }
  return dump;
}

export async function post(url: string, query: string): Promise<{ data?: unknown; errors?: { message: string }[] }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  if (body.errors) throw new Error(`GraphQL error: ${body.errors.map((e) => e.message).join("; ")}`);
  return body;
}

/** The indexed head according to _meta, or null while nothing is indexed. */
export async function indexedHead(url: string): Promise<number | null> {
  try {
    const body = await post(url, "{ _meta { block { number } } }");
    return (body.data as { _meta: { block: { number: number } } })._meta.block.number;
  } catch {
    return null;
  }
}

/** Raw JSON-RPC through the chain's own provider. */
export function rpc<T>(chain: LocalChain, method: string, params: unknown[] = []): Promise<T> {
  return chain.connection.ethers.provider.send(method, params) as Promise<T>;
}
