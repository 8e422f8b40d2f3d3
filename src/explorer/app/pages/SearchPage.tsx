/** Search by id, address, digest or name (src/audit/search.ts), each hit a link to its page. */
import type { AuditClient } from "../../../audit/client.ts";
import { search } from "../../../audit/search.ts";
import { useLoad, type Link } from "../load.ts";

export function SearchPage({ client, query, link }: { client: AuditClient; query: string; link: Link }) {
  const state = useLoad(() => (query ? search(client, query) : Promise.resolve(null)), [client, query]);
  if (!query) {
    return (
      <article>
        <h1>Lineage explorer</h1>
        <p>
          Search a model version, dataset or dataset version by id, an account by address, a dataset fingerprint or
          model weights, config or manifest digest (0x + 64 hex digits), or a name in a URI or environment.
        </p>
      </article>
    );
  }
  if (state.error) return <p role="alert">{state.error}</p>;
  if (!state.data) return <p aria-busy="true">Searching…</p>;
  const { hits, kind } = state.data;
  return (
    <article>
      <h1>Search: {query}</h1>
      <p>Read as {kind === "id" ? "an id" : kind === "account" ? "an address" : kind === "digest" ? "a digest" : "text"}; {hits.length} found.</p>
      <ul class="hits">
        {hits.map((hit) => (
          <li data-hit={`${hit.page}:${hit.id}`}>
            <a href={link(hit.page, hit.id)}>{hit.label}</a> <small>({hit.why})</small>
          </li>
        ))}
      </ul>
    </article>
  );
}
