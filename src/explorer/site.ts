/**
 * Where the built lineage explorer is served: `/explorer/` beside the GraphQL API of `pedigree node` and the demo,
 * from `build/explorer` (`npm run build`).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { StaticSite } from "../indexer/graphql/static-site.ts";

export const EXPLORER_PATH = "/explorer";

/** The build output of `npm run build:explorer`, from the repository root. */
export const EXPLORER_BUILD = resolve(import.meta.dirname, "../../build/explorer");

/** The explorer site to serve from `dir`, or undefined when it has not been built there. */
export function explorerSite(dir: string = EXPLORER_BUILD): StaticSite | undefined {
  return existsSync(join(dir, "index.html")) ? { path: EXPLORER_PATH, dir } : undefined;
}

/** The explorer's address on the server whose subgraph URL is `subgraphUrl`. */
export function explorerUrl(subgraphUrl: string): string {
  return new URL(`${EXPLORER_PATH}/`, subgraphUrl).href;
}
