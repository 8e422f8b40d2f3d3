/**
 * The HTTP endpoint under attack (issue 17, findings 1 and 2), over real HTTP:
 * - an oversized body is refused with 413 before it is read, and the server keeps answering;
 * - only JSON bodies are accepted (browsers send text/plain and form bodies cross-site without a preflight);
 * - no CORS headers by default; configured origins (or `*`) get them; other sites' pages get 403;
 * - on a loopback bind, a foreign Host header (DNS rebinding) gets 403;
 * - the query console keeps working from its own origin;
 * - a burst beyond the running and waiting slots gets graph-node's "service is overloaded" error with 503.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpPolicy, HttpPolicyError } from "../../../src/indexer/graphql/http-policy.ts";
import { startGraphQLServer, type GraphQLServer, type GraphQLServerOptions } from "../../../src/indexer/graphql/server.ts";
import type { Store } from "../../../src/indexer/store/types.ts";
import { lineageStore, post, raw, schema, slowStore } from "./fixtures.ts";

let store: Store;
let server: GraphQLServer;
let port: string;
const META = JSON.stringify({ query: "{ _meta { deployment } }" });
const META_ANSWER = { data: { _meta: { deployment: "QmSecurity" } } };

beforeAll(async () => {
  store = await lineageStore();
  server = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: "QmSecurity" });
  port = String(server.port);
});

afterAll(async () => {
  await server?.close();
  await store?.close();
});

const jsonHeaders = (body: string, extra: Record<string, string> = {}) => ({
  "content-type": "application/json",
  "content-length": String(Buffer.byteLength(body)),
  ...extra,
});

/** POSTs `body` with `headers` (Host defaults to the server's address, like any client sends). */
const ask = (url: string, headers: Record<string, string>, body = META) => raw(url, { method: "POST", headers, body });

async function withServer<T>(options: Partial<GraphQLServerOptions>, run: (server: GraphQLServer) => Promise<T>): Promise<T> {
  const other = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: "QmSecurity", ...options });
  try {
    return await run(other);
  } finally {
    await other.close();
  }
}

describe("request bodies", () => {
  it("answers 413 to a 10 MB body before it is sent, and keeps answering", async () => {
    const started = performance.now();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const target = new URL(server.url);
      const req = httpRequest(
        { host: target.hostname, port: target.port, method: "POST", path: target.pathname, headers: { "content-type": "application/json", "content-length": String(10 * 1024 * 1024) } },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on("error", reject);
      // Only the first 64 KiB are ever sent: the answer must not wait for the rest.
      req.write(Buffer.alloc(64 * 1024, 0x20));
      setTimeout(() => reject(new Error("no answer within 5 s: the server waits for the whole body")), 5000).unref();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      error: "Request body is larger than the limit of 262144 bytes: send a smaller query, or start the node with a larger --max-body-bytes",
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect((await ask(server.url, jsonHeaders(META))).json()).toEqual(META_ANSWER);
  });

  it("answers 413 to fetch sending a large body, and takes bodies up to maxBodyBytes", async () => {
    const big = JSON.stringify({ query: `{ _meta { deployment } } # ${"x".repeat(10 * 1024 * 1024)}` });
    const response = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: big });
    expect(response.status).toBe(413);
    await withServer({ maxBodyBytes: 1024 }, async (small) => {
      const padded = (length: number) => {
        const body = JSON.stringify({ query: "{ _meta { deployment } } #" });
        return JSON.stringify({ query: `{ _meta { deployment } } #${" ".repeat(length - body.length)}` });
      };
      expect(Buffer.byteLength(padded(1024))).toBe(1024);
      expect((await ask(small.url, jsonHeaders(padded(1024)), padded(1024))).json()).toEqual(META_ANSWER);
      const refused = await ask(small.url, jsonHeaders(padded(1025)), padded(1025));
      expect(refused.status).toBe(413);
    });
    await expect(startGraphQLServer({ store, schema, subgraphName: "x", deployment: "x", maxBodyBytes: 0 })).rejects.toThrow(
      "maxBodyBytes must be a whole number ≥ 1, not 0",
    );
  });

  it("accepts only JSON bodies: text/plain and form bodies get 415", async () => {
    for (const type of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const response = await ask(server.url, { "content-type": type, "content-length": String(META.length) });
      expect(response.status).toBe(415);
      expect(response.json()).toEqual({ error: `Content-Type must be application/json, not ${type}: send the query as JSON` });
    }
    const withCharset = await ask(server.url, jsonHeaders(META, { "content-type": "application/json; charset=utf-8" }));
    expect(withCharset.json()).toEqual(META_ANSWER);
  });
});

describe("CORS and other sites' pages", () => {
  const preflight = (url: string, origin: string) =>
    raw(url, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });

  it("sends no CORS headers by default and refuses requests from other sites' pages", async () => {
    const plain = await ask(server.url, jsonHeaders(META));
    expect(plain.json()).toEqual(META_ANSWER);
    expect(plain.headers["access-control-allow-origin"]).toBeUndefined();
    const error = "Origin https://evil.example is not allowed to query this server; start it with --cors-origin https://evil.example to allow it";
    const cross = await ask(server.url, jsonHeaders(META, { origin: "https://evil.example" }));
    expect(cross.status).toBe(403);
    expect(cross.json()).toEqual({ error });
    expect(cross.headers["access-control-allow-origin"]).toBeUndefined();
    const asked = await preflight(server.url, "https://evil.example");
    expect(asked.status).toBe(403);
    expect(asked.headers["access-control-allow-origin"]).toBeUndefined();
    expect((await ask(server.url, jsonHeaders(META, { origin: "null" }))).status).toBe(403);
  });

  it("answers configured origins with CORS headers for that origin only", async () => {
    await withServer({ corsOrigins: ["https://dapp.example"] }, async (cors) => {
      const asked = await preflight(cors.url, "https://dapp.example");
      expect(asked.status).toBe(200);
      expect(asked.headers["access-control-allow-origin"]).toBe("https://dapp.example");
      expect(asked.headers.vary).toBe("Origin");
      expect(asked.headers["access-control-allow-methods"]).toBe("GET, OPTIONS, POST");
      expect(asked.headers["access-control-allow-headers"]).toBe("Content-Type, User-Agent");
      const answer = await ask(cors.url, jsonHeaders(META, { origin: "https://dapp.example" }));
      expect(answer.json()).toEqual(META_ANSWER);
      expect(answer.headers["access-control-allow-origin"]).toBe("https://dapp.example");
      expect((await ask(cors.url, jsonHeaders(META, { origin: "https://evil.example" }))).status).toBe(403);
    });
  });

  it("answers every origin with graph-node's `*` only when configured so", async () => {
    await withServer({ corsOrigins: ["*"] }, async (open) => {
      const answer = await ask(open.url, jsonHeaders(META, { origin: "https://anyone.example" }));
      expect(answer.json()).toEqual(META_ANSWER);
      expect(answer.headers["access-control-allow-origin"]).toBe("*");
      expect((await preflight(open.url, "https://anyone.example")).headers["access-control-allow-origin"]).toBe("*");
    });
  });

  it("refuses a CORS origin that is not an origin", async () => {
    await expect(startGraphQLServer({ store, schema, subgraphName: "x", deployment: "x", corsOrigins: ["https://dapp.example/app"] })).rejects.toThrow(
      HttpPolicyError,
    );
    expect(() => new HttpPolicy({ bindHost: "127.0.0.1", corsOrigins: ["dapp.example"], allowedHosts: [] })).toThrow(
      'CORS origin "dapp.example" is not an origin',
    );
  });
});

describe("Host header (DNS rebinding) on a loopback bind", () => {
  it("refuses foreign host names with 403 and serves localhost, 127.0.0.1 and [::1] on any port", async () => {
    for (const host of [`evil.example:${port}`, "evil.example", `localhost.evil.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
      const refused = await ask(server.url, jsonHeaders(META, { host }));
      expect(refused.status).toBe(403);
      const name = host.split(":")[0];
      expect(refused.json()).toEqual({
        error: `Host "${host}" is not served: this server listens on a loopback address; use http://localhost or http://127.0.0.1, or start it with --allowed-host ${name}`,
      });
      expect((await raw(server.url, { method: "GET", headers: { host } })).status).toBe(403);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "LOCALHOST"]) {
      expect((await ask(server.url, jsonHeaders(META, { host }))).json()).toEqual(META_ANSWER);
    }
  });

  it("serves the configured extra host names", async () => {
    await withServer({ allowedHosts: ["pedigree.test"] }, async (named) => {
      const host = `pedigree.test:${named.port}`;
      expect((await ask(named.url, jsonHeaders(META, { host }))).json()).toEqual(META_ANSWER);
      expect((await ask(named.url, jsonHeaders(META, { host: "evil.example" }))).status).toBe(403);
    });
  });

  it("does not check host names when listening on a public interface (no loopback to rebind to)", () => {
    const policy = new HttpPolicy({ bindHost: "0.0.0.0", corsOrigins: [], allowedHosts: [] });
    expect(policy.refusal({ host: "indexer.example.org" })).toBeUndefined();
    expect(new HttpPolicy({ bindHost: "::1", corsOrigins: [], allowedHosts: [] }).refusal({ host: "evil.example" })?.status).toBe(403);
  });
});

describe("the query console", () => {
  it("works from its own origin: the page loads and its POST (with the page's Origin) is answered", async () => {
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      const host = new URL(origin).host;
      const page = await raw(server.url, { method: "GET", path: `${new URL(server.url).pathname}/graphql`, headers: { host } });
      expect(page.status).toBe(200);
      expect(page.text).toContain("Offline query console");
      // What the page's fetch sends: same origin, JSON.
      const answer = await ask(server.url, jsonHeaders(META, { host, origin }));
      expect(answer.json()).toEqual(META_ANSWER);
      expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    }
  });
});

describe("bursts", () => {
  it("runs maxConcurrentQueries at once, queues maxQueuedQueries and answers the rest 503", async () => {
    const slow = slowStore(store, 200).store;
    const limited = await startGraphQLServer({
      store: slow,
      schema,
      subgraphName: "pedigree/lineage",
      deployment: "QmSecurity",
      maxConcurrentQueries: 1,
      maxQueuedQueries: 1,
      cacheResults: false,
    });
    try {
      const query = JSON.stringify({ query: "{ datasets { id } }" });
      const answers = await Promise.all(Array.from({ length: 4 }, () => ask(limited.url, jsonHeaders(query), query)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 200, 503, 503]);
      const refused = answers.find((a) => a.status === 503)!;
      expect(refused.json()).toEqual({
        errors: [{ message: "service is overloaded and can not run the query right now. Please try again in a few minutes" }],
      });
      expect(refused.headers["retry-after"]).toBe("1");
      expect((await ask(limited.url, jsonHeaders(query), query)).json()).toEqual({ data: { datasets: [{ id: "1" }, { id: "2" }] } });
    } finally {
      await limited.close();
    }
  });
});

it("answers plain clients (no Origin) as before", async () => {
  expect(await post(server.url, '{ dataset(id: "1") { id } }')).toEqual({ data: { dataset: { id: "1" } } });
});
