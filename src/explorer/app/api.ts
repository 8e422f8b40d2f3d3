/**
 * Which subgraph the explorer reads: `?subgraph=<url>` on the page's address, else the `subgraph` of ./config.json
 * (written by `pedigree node` next to the files it serves), resolved against the page. Every read goes through the
 * audit read model (src/audit), over graph-node's GraphQL API: the embedded indexer, graph-node or Subgraph Studio.
 */
import { createAuditClient, type AuditClient } from "../../audit/client.ts";

export async function subgraphUrl(): Promise<string | null> {
  const fromPage = new URLSearchParams(location.search).get("subgraph");
  if (fromPage) return new URL(fromPage, location.href).href;
  try {
    const response = await fetch(new URL("./config.json", location.href));
    if (!response.ok) return null;
    const config = (await response.json()) as { subgraph?: unknown };
    return typeof config.subgraph === "string" ? new URL(config.subgraph, location.href).href : null;
  } catch {
    return null;
  }
}

/** The read model's client for `url`, reading at `block` when given. */
export function clientFor(url: string, block: number | null): AuditClient {
  const client = createAuditClient({ url });
  return block === null ? client : client.at(block);
}
