/**
 * The explorer's shell: the search box, time travel (the graph as of a block), the permalink of the view, and the
 * page the location hash names.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { blockAtTime } from "../../audit/blockTime.ts";
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
  const [travelError, setTravelError] = useState<string | null>(null);
  useEffect(() => void subgraphUrl().then(setUrl), []);
  const client = useMemo(() => (url ? clientFor(url, route.block) : null), [url, route.block]);
  const link: Link = (page, id) => routeHash({ page, id, block: route.block });
  if (url === undefined) return <p aria-busy="true">Starting…</p>;
  if (url === null || !client) {
    return <p role="alert">No subgraph to read: open this page with ?subgraph=&lt;GraphQL URL of a Pedigree subgraph&gt;.</p>;
  }
  const go = (next: Partial<Route>) => (location.hash = routeHash({ ...route, ...next }));
  /** Time travel to a block, or to a date (the last block with a provenance entry by then); a message if it fails. */
  const travel = async (text: string): Promise<string | null> => {
    const input = text.trim();
    if (input === "" || /^\d+$/.test(input)) return go({ block: input === "" ? null : Number(input) }), null;
    const time = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(input) ? input : `${input.replace(" ", "T")}Z`);
    if (Number.isNaN(time)) return `"${input}" is neither a block number nor a date (e.g. 2026-12-04 19:05, UTC)`;
    const at = await blockAtTime(clientFor(url, null), time / 1000);
    if (!at) return `Nothing was recorded by ${new Date(time).toISOString()}.`;
    go({ block: at.blockNumber });
    return null;
  };
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
          void travel(String(new FormData(e.currentTarget).get("when") ?? "")).then(setTravelError);
        }}>
          <label for="when">As of</label>
          <input id="when" name="when" placeholder="block or date (UTC)" title="A block number, or a date and time in UTC: 2026-12-04 19:05" value={route.block ?? ""} />
          <button type="submit">View</button>
          {route.block !== null ? <button type="button" onClick={() => go({ block: null })}>Latest</button> : null}
        </form>
        <a class="permalink" href={location.href.split("#")[0] + routeHash(route)}>Permalink</a>
      </header>
      {travelError ? <p role="alert" class="travel-error">{travelError}</p> : null}
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
