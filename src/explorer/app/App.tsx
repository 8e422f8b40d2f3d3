/**
 * The explorer's shell: the search box, time travel (the graph as of a block), the permalink of the view, and the
 * page the location hash names.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { clientFor, subgraphUrl } from "./api.ts";
import type { Link } from "./load.ts";
import { parseRoute, routeHash, type Route } from "./route.ts";
import { ModelVersionPage } from "./pages/ModelVersionPage.tsx";
import { SearchPage } from "./pages/SearchPage.tsx";
import { DatasetPage } from "./pages/DatasetPage.tsx";
import { AccountPage } from "./pages/AccountPage.tsx";

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}

export function App() {
  const route = useRoute();
  const [url, setUrl] = useState<string | null | undefined>(undefined);
  useEffect(() => void subgraphUrl().then(setUrl), []);
  const client = useMemo(() => (url ? clientFor(url, route.block) : null), [url, route.block]);
  const link: Link = (page, id) => routeHash({ page, id, block: route.block });
  if (url === undefined) return <p aria-busy="true">Starting…</p>;
  if (url === null || !client) {
    return <p role="alert">No subgraph to read: open this page with ?subgraph=&lt;GraphQL URL of a Pedigree subgraph&gt;.</p>;
  }
  const go = (next: Partial<Route>) => (location.hash = routeHash({ ...route, ...next }));
  return (
    <>
      <header>
        <a class="home" href="#/search">Pedigree lineage explorer</a>
        <form role="search" onSubmit={(e) => {
          e.preventDefault();
          const text = new FormData(e.currentTarget).get("q");
          go({ page: "search", id: String(text ?? "").trim() });
        }}>
          <label for="q">Search</label>
          <input id="q" name="q" placeholder="id, address, digest or name" value={route.page === "search" ? route.id : ""} />
          <button type="submit">Go</button>
        </form>
        <form class="travel" onSubmit={(e) => {
          e.preventDefault();
          const text = String(new FormData(e.currentTarget).get("block") ?? "").trim();
          go({ block: /^\d+$/.test(text) ? Number(text) : null });
        }}>
          <label for="block">As of block</label>
          <input id="block" name="block" inputMode="numeric" placeholder="latest" value={route.block ?? ""} />
          <button type="submit">View</button>
          {route.block !== null ? <button type="button" onClick={() => go({ block: null })}>Latest</button> : null}
        </form>
        <a class="permalink" href={location.href.split("#")[0] + routeHash(route)}>Permalink</a>
      </header>
      <main>
        {route.page === "model-version" ? <ModelVersionPage client={client} id={route.id} link={link} block={route.block} />
          : route.page === "dataset" ? <DatasetPage client={client} id={route.id} link={link} />
          : route.page === "account" ? <AccountPage client={client} id={route.id} link={link} />
          : <SearchPage client={client} query={route.id} link={link} />}
      </main>
      <footer>Reading {url}{route.block !== null ? ` as of block ${route.block}` : ""}.</footer>
    </>
  );
}
