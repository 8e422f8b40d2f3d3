/**
 * The audit client without a chain: time travel added to every root field, and the one-line errors for an endpoint
 * that is down, answers HTTP errors, is not GraphQL, rejects the query, or has not indexed the block asked for.
 */
import { InvalidInputError } from "../../src/core/errors.ts";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { startGraphQLServer } from "../../src/indexer/graphql/server.ts";
import { lineageStore, schema, slowStore } from "../indexer/graphql/fixtures.ts";
import {
  BlockNotIndexedError,
  SubgraphQueryError,
  type AuditClient,
  SubgraphUnreachableError,
  createAuditClient,
  history,
  royalties,
  whatTrainedThis,
  withBlock,
} from "../../src/audit/index.ts";
import { PedigreeError } from "../../src/core/errors.ts";
import { rejectionOf } from "../helpers/assertions.ts";

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let server: Server;
let base: string;
const seen: Array<{ query: string; variables: unknown }> = [];

beforeAll(async () => {
  // A fake endpoint: /404 → HTTP 404 page, /html → 200 HTML, /errors → GraphQL errors, /ahead → graph-node's
  // "not yet indexed" error, /echo → records the query and answers an empty model version.
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      switch (req.url) {
        case "/404":
          res.writeHead(404, { "content-type": "text/html" });
          res.end("<html>not found</html>");
          return;
        case "/html":
          res.writeHead(200, { "content-type": "text/html" });
          res.end("<html>hello</html>");
          return;
        case "/errors":
          json(200, { errors: [{ message: "Type `Query` has no field `modelVersion`\nsecond line" }] });
          return;
        case "/ahead":
          json(200, {
            errors: [
              {
                message:
                  "Failed to decode `block.number` value: `subgraph QmX has only indexed up to block number 37 and data for block number 500 is therefore not yet available`",
              },
            ],
          });
          return;
        default:
          seen.push({ query: body.query, variables: body.variables });
          json(200, { data: { modelVersion: null, _meta: { block: { number: 12, hash: null, timestamp: null } } } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const oneLine = (error: unknown) => {
  expect(error).toBeInstanceOf(PedigreeError);
  expect((error as Error).message).not.toContain("\n");
  return (error as Error).message;
};


describe("time travel", () => {
  it("adds the block to every root field, but not to nested fields or introspection", () => {
    const document = parse(`query ($id: ID!) { modelVersion(id: $id) { id parent { id } } things: datasets(first: 5) { id } _meta { block { number } } __typename }`);
    const printed = print(withBlock(document, { number: 42 }));
    expect(printed).toContain("modelVersion(id: $id, block: {number: 42})");
    expect(printed).toContain("datasets(first: 5, block: {number: 42})");
    expect(printed).toContain("_meta(block: {number: 42})");
    expect(printed).toContain("parent {");
    expect(printed).not.toContain("parent(block");
    expect(printed).not.toContain("__typename(block");
  });

  it("sends every query of a pinned client with the block, and names the block when an id is missing", async () => {
    const client = createAuditClient({ url: `${base}/echo` });
    const then = client.at(12);
    expect(then.block).toEqual({ number: 12 });
    expect(client.block).toBeUndefined();
    const error = await rejectionOf(whatTrainedThis(then, 7n));
    expect(seen.at(-1)!.query).toContain("modelVersion(id: $id, block: {number: 12})");
    expect(seen.at(-1)!.query).toContain("_meta(block: {number: 12})");
    expect(oneLine(error)).toBe(`model version 7 is not in the subgraph at ${base}/echo as of block 12; check the id or wait for the indexer to catch up`);
    expect(then.stats.requests).toBe(1);
    // A client without a block sends the query unchanged.
    await rejectionOf(whatTrainedThis(client, 7n));
    expect(seen.at(-1)!.query).not.toContain("block: {");
  });

  it("accepts a block hash and rejects a malformed block", () => {
    const hash = `0x${"ab".repeat(32)}`;
    expect(createAuditClient({ url: base, block: { hash } }).block).toEqual({ hash });
    expect(() => createAuditClient({ url: base, block: -1 })).toThrow(InvalidInputError);
    expect(() => createAuditClient({ url: base, block: { hash: "0x12" } })).toThrow(/not a block hash/);
  });
});

describe("requests in flight", () => {
  it("sends at most maxConcurrentRequests at once, across derived clients, each timed from when it is sent", async () => {
    let inFlight = 0;
    let most = 0;
    // Each answer takes 60 ms; with 3 in flight, 40 requests take about 14 turns, far beyond the 200 ms timeout of one.
    const slow = createServer((req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      req.resume();
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ data: { _meta: { block: { number: 12, hash: null, timestamp: null }, deployment: "Qm", hasIndexingErrors: false } } }));
      }, 60);
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    try {
      const client = createAuditClient({ url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`, maxConcurrentRequests: 3, timeoutMs: 200 });
      const pinned = client.at(12);
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? pinned : client).meta()));
      expect(answers.every((a) => a.blockNumber === 12)).toBe(true);
      expect(most).toBe(3);
      expect(client.stats.requests).toBe(40);
    } finally {
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it("keeps a burst within what the embedded server runs and queues; beyond, it answers \"service is overloaded\" (503)", async () => {
    const store = await lineageStore();
    // Each store read takes 50 ms; the server runs 1 query at a time and queues 2 more.
    const slow = slowStore(store, 50).store;
    const server = await startGraphQLServer({ store: slow, schema, subgraphName: "pedigree/lineage", deployment: "Qm", maxConcurrentQueries: 1, maxQueuedQueries: 2, cacheResults: false });
    const datasets = parse("{ datasets { id } }") as TypedDocumentNode<{ datasets: Array<{ id: string }> }, Record<string, never>>;
    const burst = (client: AuditClient) => Promise.allSettled(Array.from({ length: 12 }, () => client.request(datasets, {})));
    try {
      const within = await burst(createAuditClient({ url: server.url, maxConcurrentRequests: 3 }));
      expect(within.map((r) => r.status)).toEqual(Array(12).fill("fulfilled"));
      const beyond = await burst(createAuditClient({ url: server.url, maxConcurrentRequests: 12 }));
      const refused = beyond.filter((r) => r.status === "rejected");
      expect(refused.length).toBeGreaterThan(0);
      expect(String(refused[0]!.reason)).toContain("service is overloaded");
    } finally {
      await server.close();
      await store.close();
    }
  });

  it("refuses a limit that is not a whole number of at least 1", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => createAuditClient({ url: "http://127.0.0.1:1/", maxConcurrentRequests: bad })).toThrow(`maxConcurrentRequests ${bad} must be a whole number ≥ 1`);
    }
  });
});

describe("one-line errors", () => {
  it("names the URL of an endpoint that is down", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/subgraphs/name/pedigree`;
    const error = await rejectionOf(whatTrainedThis(createAuditClient({ url }), 1n));
    expect(error).toBeInstanceOf(SubgraphUnreachableError);
    expect(oneLine(error)).toBe(
      `cannot reach the subgraph at ${url} (connection refused); check the URL and that the indexer or graph-node is running`,
    );
  });

  it("says so for an HTTP error page and for an answer that is not GraphQL", async () => {
    const notFound = await rejectionOf(royalties(createAuditClient({ url: `${base}/404` })));
    expect(notFound).toBeInstanceOf(SubgraphUnreachableError);
    expect(oneLine(notFound)).toContain(`${base}/404 (HTTP 404)`);
    const html = await rejectionOf(history(createAuditClient({ url: `${base}/html` }), { type: "model", id: 1 }));
    expect(html).toBeInstanceOf(SubgraphUnreachableError);
    expect(oneLine(html)).toContain(`${base}/html`);
  });

  it("reports a rejected query and a block not yet indexed", async () => {
    const rejected = await rejectionOf(whatTrainedThis(createAuditClient({ url: `${base}/errors` }), 1n));
    expect(rejected).toBeInstanceOf(SubgraphQueryError);
    expect(oneLine(rejected)).toBe(
      `the subgraph at ${base}/errors rejected the query (Type \`Query\` has no field \`modelVersion\`); check that the URL serves the Pedigree subgraph (schema.graphql)`,
    );
    const ahead = await rejectionOf(whatTrainedThis(createAuditClient({ url: `${base}/ahead`, block: 500 }), 1n));
    expect(ahead).toBeInstanceOf(BlockNotIndexedError);
    expect((ahead as BlockNotIndexedError).indexedUpTo).toBe(37);
    expect(oneLine(ahead)).toContain("block 500 is not available in the subgraph");
  });

  it("gives up after the timeout with the URL in the message", async () => {
    const slow = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`;
    try {
      const error = await rejectionOf(whatTrainedThis(createAuditClient({ url, timeoutMs: 200 }), 1n));
      expect(error).toBeInstanceOf(SubgraphUnreachableError);
      expect(oneLine(error)).toContain(`${url} (no answer within 200 ms)`);
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it("refuses malformed input before sending anything", async () => {
    expect(() => createAuditClient({ url: "not a url" })).toThrow(/is not a URL/);
    expect(() => createAuditClient({ url: "ftp://example.org/x" })).toThrow(/must use http or https/);
    const client = createAuditClient({ url: `${base}/echo` });
    const before = seen.length;
    const error = await rejectionOf(whatTrainedThis(client, "abc"));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(oneLine(error)).toBe('versionId must be a positive whole number (an id), got "abc"');
    await expect(history(client, { type: "account", id: "0x12" })).rejects.toThrow(/must be an Ethereum address/);
    await expect(history(client, { type: "planet" as never, id: 1 })).rejects.toThrow(/subject type "planet" is not known/);
    expect(seen.length).toBe(before);
  });
});
