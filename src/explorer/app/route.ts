/**
 * Permalinks: every page is a hash route, so the static build works from any host and every view can be shared —
 * `#/model-version/3`, `#/dataset/1`, `#/account/0xabc…`, `#/search?q=…`, each with `?block=N` to see the graph as
 * of block N (time travel).
 */
export type Page = "search" | "model-version" | "dataset" | "account";

export interface Route {
  page: Page;
  /** The record's id (an account's address), or the search text. */
  id: string;
  /** Time travel: the block to read at; null for the latest. */
  block: number | null;
}

const PAGES: readonly Page[] = ["search", "model-version", "dataset", "account"];

/** The route of a location hash; the search page when the hash names no page. */
export function parseRoute(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#\/?/, "").split("?");
  const params = new URLSearchParams(query);
  const blockText = params.get("block");
  const block = blockText !== null && /^\d+$/.test(blockText) ? Number(blockText) : null;
  const [page, ...rest] = path.split("/");
  if (PAGES.includes(page as Page) && page !== "search") return { page: page as Page, id: decodeURIComponent(rest.join("/")), block };
  return { page: "search", id: params.get("q") ?? "", block };
}

/** The hash of a route: the inverse of {@link parseRoute}. */
export function routeHash(route: Route): string {
  const params = new URLSearchParams();
  if (route.page === "search" && route.id !== "") params.set("q", route.id);
  if (route.block !== null) params.set("block", String(route.block));
  const query = params.toString();
  const path = route.page === "search" ? "#/search" : `#/${route.page}/${encodeURIComponent(route.id)}`;
  return query ? `${path}?${query}` : path;
}
