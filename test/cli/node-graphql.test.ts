/**
 * `pedigree node`'s GraphQL protections reach the running server: limits from flags and from graph-node's
 * environment variables (a flag wins), CORS origins, and one-line errors (exit 2) for unusable values.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlSettings } from "../../src/cli/graphql-options.ts";
import { DEFAULT_QUERY_LIMITS, HTTP_DEFAULTS } from "../../src/indexer/graphql/limits.ts";
import { cleanEnv, failureShape, runPedigree, startCliChain, type CliChain } from "./cli-chain.ts";

const LAUNCHER = join(resolve(import.meta.dirname, "../.."), "bin/pedigree.mjs");

describe("settings from flags and environment", () => {
  it("takes graph-node's variables, lets flags win, and keeps the defaults otherwise", () => {
    const settings = graphqlSettings(
      { maxDepth: "12", queryTimeout: "1.5", corsOrigin: ["https://dapp.example"] },
      { GRAPH_GRAPHQL_MAX_DEPTH: "30", GRAPH_GRAPHQL_MAX_SKIP: "10", GRAPH_GRAPHQL_ERROR_RESULT_SIZE: "1_000_000" },
      "127.0.0.1",
    );
    expect(settings).toEqual({
      queryLimits: { ...DEFAULT_QUERY_LIMITS, maxDepth: 12, maxSkip: 10, errorResultSize: 1_000_000, queryTimeoutMs: 1500 },
      http: { maxBodyBytes: HTTP_DEFAULTS.maxBodyBytes, maxConcurrentQueries: HTTP_DEFAULTS.maxConcurrentQueries, corsOrigins: ["https://dapp.example"], allowedHosts: [] },
    });
  });

  it("names the flag and variable of an unusable value", () => {
    expect(() => graphqlSettings({ maxDepth: "300" }, {}, "127.0.0.1")).toThrow(
      "--max-depth / GRAPH_GRAPHQL_MAX_DEPTH: maxDepth must be a whole number from 1 to 255, not 300",
    );
    expect(() => graphqlSettings({}, { GRAPH_GRAPHQL_MAX_FIRST: "lots" }, "127.0.0.1")).toThrow(
      '--max-first / GRAPH_GRAPHQL_MAX_FIRST: GRAPH_GRAPHQL_MAX_FIRST must be a number, not "lots"',
    );
    expect(() => graphqlSettings({ queryTimeout: "0" }, {}, "127.0.0.1")).toThrow("--query-timeout must be a number of seconds > 0, not 0");
    expect(() => graphqlSettings({ maxBodyBytes: "1k" }, {}, "127.0.0.1")).toThrow("--max-body-bytes must be a whole number ≥ 1, not 1k");
    expect(() => graphqlSettings({ corsOrigin: ["dapp.example"] }, {}, "127.0.0.1")).toThrow('--cors-origin: CORS origin "dapp.example" is not an origin');
  });

  it("exits 2 with one line before connecting to anything", async () => {
    const result = await runPedigree(["node", "--rpc", "http://127.0.0.1:9", "--max-fields", "0"], cleanEnv());
    expect(failureShape(result)).toEqual({ code: 2, lines: 1, stackTrace: false });
    expect(result.stderr).toContain("--max-fields / GRAPH_GRAPHQL_MAX_FIELDS: maxFields must be a whole number from 1");
  });
});

describe("a running node", () => {
  let fixture: CliChain;
  let node: ChildProcess;
  let url: string;

  beforeAll(async () => {
    fixture = await startCliChain();
    const env = { ...cleanEnv(), GRAPH_GRAPHQL_MAX_SKIP: "10", GRAPH_GRAPHQL_MAX_DEPTH: "40" };
    const args = ["node", "--rpc", fixture.chain.url, "--network", "localhost", "--networks-file", fixture.networksFile, "--port", "0", "--no-progress"];
    node = spawn(process.execPath, [LAUNCHER, ...args, "--max-depth", "3", "--cors-origin", "https://dapp.example"], { env, stdio: ["ignore", "pipe", "pipe"] });
    url = await new Promise<string>((resolveUrl, reject) => {
      let out = "";
      node.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
        const match = /GraphQL API: (\S+)/.exec(out);
        if (match) resolveUrl(match[1]!);
      });
      node.once("exit", (code) => reject(new Error(`pedigree node exited with ${code}`)));
    });
    // Queries answer once the first blocks are indexed.
    for (let tries = 0; (await ask("{ _meta { deployment } }")).body.errors && tries < 100; tries++) {
      await new Promise((done) => setTimeout(done, 200));
    }
  }, 60_000);

  afterAll(async () => {
    if (node && node.exitCode === null) {
      const exited = new Promise((done) => node.once("exit", done));
      node.kill("SIGTERM");
      await exited;
    }
    await fixture?.close();
  });

  const ask = async (query: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query }) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: unknown; errors?: { message: string }[] } };
  };

  it("serves with the limits of its flags and of graph-node's variables", async () => {
    expect((await ask("{ _meta { deployment } }")).body.errors).toBeUndefined();
    expect((await ask("{ datasets { owner { datasetsOwned { id } } } }")).body.errors).toEqual([
      { message: "query has a depth that exceeds the limit of `3`" },
    ]);
    expect((await ask("{ datasets(skip: 11) { id } }")).body.errors).toEqual([{ message: "The `skip` argument must be between 0 and 10, but is 11" }]);
  });

  it("answers the configured CORS origin and refuses others", async () => {
    const allowed = await ask("{ _meta { deployment } }", { origin: "https://dapp.example" });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://dapp.example");
    expect((await ask("{ _meta { deployment } }", { origin: "https://evil.example" })).status).toBe(403);
  });
});
