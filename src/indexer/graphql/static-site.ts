/**
 * A static web site served beside the GraphQL API under one path (the lineage explorer at `/explorer/`): files from
 * a directory (a `vite build` output), never outside it, and `config.json` telling the page which subgraph URL to
 * read. Built files are content-hashed, so everything under `assets/` may be cached for good.
 */
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

export interface StaticSite {
  /** Where it is served, e.g. `/explorer`. */
  path: string;
  /** The directory of its files (index.html at the top). */
  dir: string;
}

export interface StaticAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

/**
 * The answer to GET `pathname` if it lies under the site's path: a redirect to the trailing slash, the generated
 * `config.json`, a file, or 404; null for any other path.
 */
export async function staticAnswer(site: StaticSite, pathname: string, subgraphPath: string): Promise<StaticAnswer | null> {
  if (pathname === site.path) return { status: 301, headers: { Location: `${site.path}/` }, body: "" };
  if (!pathname.startsWith(`${site.path}/`)) return null;
  const relative = decodeURIComponent(pathname.slice(site.path.length + 1)) || "index.html";
  if (relative === "config.json") {
    return { status: 200, headers: { "Content-Type": TYPES[".json"]!, "Cache-Control": "no-cache" }, body: JSON.stringify({ subgraph: subgraphPath }) };
  }
  const root = resolve(site.dir);
  const file = resolve(root, relative);
  if (!file.startsWith(root + sep)) return { status: 404, headers: { "Content-Type": "text/plain" }, body: "Not found" };
  try {
    if (!(await stat(file)).isFile()) throw new Error("not a file");
    const cache = relative.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    return { status: 200, headers: { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Cache-Control": cache }, body: await readFile(file) };
  } catch {
    return { status: 404, headers: { "Content-Type": "text/plain" }, body: `Not found: ${join(site.path, relative)}` };
  }
}
