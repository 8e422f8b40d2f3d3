/**
 * "Where is it?" — the explorer's search: an on-chain id (a model version, a dataset, a dataset version), an account
 * address, a digest (a dataset fingerprint or manifest root, a model version's weights, config or manifest), or text
 * (in dataset, model and model version URIs and environment names). One round trip.
 */
import { InvalidInputError } from "../core/errors.ts";
import type { AuditClient } from "./client.ts";
import { SearchByAccountDocument, SearchByDigestDocument, SearchByIdDocument, SearchByTextDocument } from "./generated/graphql.ts";
import { asOfOf } from "./shared.ts";
import type { AsOf } from "./types.ts";

/** Pages a hit leads to. */
export type SearchPage = "model-version" | "dataset" | "account";

export interface SearchHit {
  page: SearchPage;
  /** The id on that page: a model version or dataset id, or an address. */
  id: string;
  /** e.g. "Model 1 · version 2". */
  label: string;
  /** Why it matched, e.g. "weights hash", "id", "environment name". */
  why: string;
}

export interface SearchResult {
  asOf: AsOf;
  query: string;
  /** What the query was read as. */
  kind: "id" | "account" | "digest" | "text";
  hits: SearchHit[];
}

type Version = { id: string; number: number };

const modelVersionHit = (v: Version & { model: { id: string } }, why: string): SearchHit => ({
  page: "model-version",
  id: v.id,
  label: `Model ${v.model.id} · version ${v.number}`,
  why,
});

const datasetVersionHit = (v: Version & { dataset: { id: string } }, why: string): SearchHit => ({
  page: "dataset",
  id: v.dataset.id,
  label: `Dataset ${v.dataset.id} · version ${v.number}`,
  why,
});

async function byId(client: AuditClient, id: string) {
  const data = await client.request(SearchByIdDocument, { id });
  const hits: SearchHit[] = [];
  if (data.modelVersion) hits.push(modelVersionHit(data.modelVersion, "model version id"));
  if (data.dataset) hits.push({ page: "dataset", id, label: `Dataset ${id}${data.dataset.withdrawn ? " (withdrawn)" : ""}`, why: "dataset id" });
  if (data.datasetVersion) hits.push(datasetVersionHit(data.datasetVersion, "dataset version id"));
  return { meta: data._meta, hits };
}

async function byAccount(client: AuditClient, address: string) {
  const data = await client.request(SearchByAccountDocument, { id: address });
  const hits: SearchHit[] = data.account ? [{ page: "account", id: address, label: `Account ${address}`, why: "address" }] : [];
  return { meta: data._meta, hits };
}

async function byDigest(client: AuditClient, digest: string) {
  const data = await client.request(SearchByDigestDocument, { digest });
  const hits = [
    ...data.byFingerprint.map((v) => datasetVersionHit(v, "fingerprint")),
    ...data.byDataManifest.map((v) => datasetVersionHit(v, "manifest root")),
    ...data.byWeights.map((v) => modelVersionHit(v, "weights hash")),
    ...data.byModelManifest.map((v) => modelVersionHit(v, "manifest root")),
    ...data.byConfig.map((v) => modelVersionHit(v, "config hash")),
  ];
  return { meta: data._meta, hits };
}

/**
 * `text` as a LIKE pattern that matches itself: graph-node hands `_contains` values to LIKE, where `%` and `_` are
 * wildcards and `\` escapes (store/postgres relational_queries.rs). (A text ending in `%` then matches whole values only:
 * graph-node does not wrap a pattern that ends with `%` in `%…%`.)
 */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

async function byText(client: AuditClient, text: string) {
  const data = await client.request(SearchByTextDocument, { text: likeLiteral(text) });
  const hits: SearchHit[] = [
    ...data.datasetVersions.map((v) => datasetVersionHit(v, `URI ${v.uri}`)),
    ...data.models.flatMap((m) => (m.versions[0] ? [modelVersionHit({ ...m.versions[0], model: m }, `model URI ${m.uri}`)] : [])),
    ...data.modelVersions.map((v) => modelVersionHit(v, `URI ${v.uri}`)),
    ...data.environments.flatMap((e) =>
      e.liveVersion ? [{ page: "model-version" as const, id: e.liveVersion.id, label: `Model ${e.model.id} in ${e.name}`, why: "environment name (live version)" }] : [],
    ),
  ];
  return { meta: data._meta, hits };
}

/**
 * Finds what `query` names.
 *
 * @example
 * const { hits } = await search(client, "0x1c8a…"); // [{ page: "model-version", id: "3", label: "Model 1 · version 3", why: "weights hash" }]
 * @throws InvalidInputError for an empty query or text of one character.
 */
export async function search(client: AuditClient, query: string): Promise<SearchResult> {
  const text = query.trim();
  if (text.length < 2 && !/^\d$/.test(text)) {
    throw new InvalidInputError("query", "type an id, an address, a digest (0x + 64 hex digits) or at least 2 characters of a name");
  }
  let kind: SearchResult["kind"];
  let found: Awaited<ReturnType<typeof byId>>;
  if (/^\d+$/.test(text)) [kind, found] = ["id", await byId(client, text)];
  else if (/^0x[0-9a-fA-F]{40}$/.test(text)) [kind, found] = ["account", await byAccount(client, text.toLowerCase())];
  else if (/^0x[0-9a-fA-F]{64}$/.test(text)) [kind, found] = ["digest", await byDigest(client, text.toLowerCase())];
  else [kind, found] = ["text", await byText(client, text)];
  return { asOf: asOfOf(client, found.meta), query: text, kind, hits: found.hits };
}
