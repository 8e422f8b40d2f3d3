/**
 * The HTTP endpoint: graph-node's routes, graph-node's CORS headers when every origin is allowed, its 400 answers for
 * unusable requests, the offline query console, and 404 for unknown paths. (What the server refuses — foreign hosts
 * and origins, non-JSON and oversized bodies, bursts — is in http-security.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphQLServer, type GraphQLServer } from "../../../src/indexer/graphql/server.ts";
import type { Store } from "../../../src/indexer/store/types.ts";
import { lineageStore, post, raw, schema, SCHEMA_SOURCE } from "./fixtures.ts";

let store: Store;
let server: GraphQLServer;
let origin: string;
const PATH = "/subgraphs/name/pedigree/lineage";

beforeAll(async () => {
  store = await lineageStore();
  server = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: "QmServerTest", port: 0 });
  origin = new URL(server.url).origin;
});

afterAll(async () => {
  await server?.close();
  await store?.close();
});

const json = (body: unknown) => ({ "content-type": "application/json", "content-length": String(Buffer.byteLength(JSON.stringify(body))) });

describe("routes", () => {
  it("serves the subgraph at http://127.0.0.1:<port>/subgraphs/name/<name>, by name and by deployment id", async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}${PATH}`);
    expect(await post(server.url, '{ dataset(id: "1") { id } }')).toEqual({ data: { dataset: { id: "1" } } });
    expect(await post(`${origin}/subgraphs/id/QmServerTest`, '{ dataset(id: "1") { id } }')).toEqual({ data: { dataset: { id: "1" } } });
  });

  it("answers for other subgraphs like graph-node does for unknown names", async () => {
    expect(await post(`${origin}/subgraphs/name/someone/else`, "{ datasets { id } }")).toEqual({
      errors: [{ message: "deployment `someone/else` does not exist" }],
    });
  });

  it("sends graph-node's CORS headers on answers and preflights when every origin is allowed", async () => {
    const open = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: "QmServerTest", corsOrigins: ["*"] });
    try {
      await expectGraphNodeCors(open.url);
    } finally {
      await open.close();
    }
  });

  async function expectGraphNodeCors(url: string): Promise<void> {
    const preflight = await raw(url, {
      method: "OPTIONS",
      headers: { origin: "https://dapp.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers["access-control-allow-origin"]).toBe("*");
    expect(preflight.headers["access-control-allow-methods"]).toBe("GET, OPTIONS, POST");
    expect(preflight.headers["access-control-allow-headers"]).toBe("Content-Type, User-Agent");
    const headers = { ...json({ query: "{ _meta { deployment } }" }), origin: "https://dapp.example" };
    const answer = await raw(url, { method: "POST", headers, body: JSON.stringify({ query: "{ _meta { deployment } }" }) });
    expect(answer.status).toBe(200);
    expect(answer.headers["access-control-allow-origin"]).toBe("*");
    expect(answer.headers["content-type"]).toBe("application/json");
    expect(answer.json()).toEqual({ data: { _meta: { deployment: "QmServerTest" } } });
  }

  it("redirects GET on the subgraph path to the query console, which loads nothing from the network", async () => {
    const redirect = await raw(server.url, { method: "GET" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe(`${PATH}/graphql`);
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await page.text();
    expect(html).toContain("Offline query console");
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect((await raw(server.url, { method: "GET", path: `${PATH}?query=mutation%20{x}` })).json()).toEqual({
      error: "Can't use mutations with GET method",
    });
  });

  it("answers GET / with graph-node's index message and unknown paths with 404", async () => {
    expect((await raw(origin, { method: "GET", path: "/" })).json()).toEqual({
      message: "Access deployed subgraphs by deployment ID at /subgraphs/id/<ID> or by name at /subgraphs/name/<NAME>",
    });
    for (const path of ["/graphql", "/subgraphs", "/subgraphs/name", "/favicon.ico"]) {
      const response = await raw(origin, { method: "GET", path });
      expect(response.status).toBe(404);
      expect(response.json()).toEqual({ message: "Not found" });
    }
    expect((await raw(origin, { method: "POST", path: "/graphql", headers: json({ query: "{}" }), body: '{"query":"{}"}' })).status).toBe(404);
  });
});

describe("unusable requests", () => {
  const ask = (headers: Record<string, string>, body?: string) => raw(server.url, { method: "POST", headers, body });

  it("answers 400 with graph-node's messages", async () => {
    const cases: [Record<string, string>, string | undefined, string][] = [
      [{ "content-length": "2" }, "{}", "Content-Type header is required"],
      [{ "content-type": "application/json", "content-length": "0" }, undefined, "Body is required"],
      [json({}), "{}", 'The "query" field is missing in request data'],
      [json({ query: 5 }), JSON.stringify({ query: 5 }), 'The "query" field is not a string'],
      [json([1]), JSON.stringify([1]), "Request data is not an object"],
      [json({ query: "{ datasets { id } }", variables: [1] }), JSON.stringify({ query: "{ datasets { id } }", variables: [1] }), "Invalid query variables provided"],
    ];
    for (const [headers, body, error] of cases) {
      const response = await ask(headers, body);
      expect(response.status).toBe(400);
      // No CORS headers unless origins are configured (graph-node sends `*`).
      expect(response.headers["access-control-allow-origin"]).toBeUndefined();
      expect(response.json()).toEqual({ error });
    }
    const broken = await ask({ "content-type": "application/json", "content-length": "5" }, "{nope");
    expect(broken.status).toBe(400);
    expect(typeof broken.json().error).toBe("string");
  });

  it("accepts a schema given as text and ignores operationName like graph-node", async () => {
    const other = await startGraphQLServer({ store, schema: SCHEMA_SOURCE, subgraphName: "/text/schema/", deployment: "QmText" });
    try {
      expect(other.url.endsWith("/subgraphs/name/text/schema")).toBe(true);
      const response = await fetch(other.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "query Named { accounts(first: 1) { id } }", operationName: "Other" }),
      });
      expect(((await response.json()) as { data: { accounts: unknown[] } }).data.accounts).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});
