/** loadManifest on the hostcheck fixture: templates, block handler filters, receipts, event lookup rules, contexts. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { id as keccakId } from "ethers";
import { loadManifest, parseManifestContext, eventTopic0 } from "../../../src/indexer/runtime/manifest.ts";
import { ManifestError } from "../../../src/indexer/runtime/errors.ts";
import { StoreValueKind as SK } from "../../../src/indexer/runtime/type-ids.ts";
import { BigDecimal } from "../../../src/indexer/values.ts";
import { hostcheckManifest } from "./helpers.ts";
import { ensureFixtureBuilt } from "./fixture-build.ts";

let manifestPath: string;
beforeAll(() => {
  manifestPath = hostcheckManifest();
});

/** A copy of the fixture's built manifest with absolute file paths, edited. */
function edited(edit: (yaml: string) => string): string {
  const dir = dirname(manifestPath);
  const yaml = readFileSync(manifestPath, "utf8").replace(/file: (\S+)/g, (_, f: string) => `file: ${join(dir, f)}`);
  const path = join(mkdtempSync(join(tmpdir(), "manifest-")), "subgraph.yaml");
  writeFileSync(path, edit(yaml));
  return path;
}

describe("loadManifest", () => {
  it("reads data sources, templates, handlers and resolves files next to the manifest", () => {
    const m = loadManifest(manifestPath);
    expect(m.specVersion).toBe("1.3.0");
    const ds = m.dataSources[0]!;
    expect([ds.name, ds.network, ds.address, ds.abi, ds.startBlock, ds.endBlock, ds.context]).toEqual([
      "Factory",
      "testnet",
      "0x00000000000000000000000000000000000000fa",
      "Factory",
      10n,
      null,
      null,
    ]);
    expect(ds.mapping.blockHandlers).toEqual([
      { handler: "handleOnce", filter: { kind: "once" } },
      { handler: "handleBlock", filter: { kind: "polling", every: 2 } },
    ]);
    const receipted = ds.mapping.eventHandlers.find((h) => h.handler === "handleReceipted")!;
    expect(receipted.receipt).toBe(true);
    expect(receipted.topic0).toBe(keccakId("Receipted(uint256)"));
    const mixed = ds.mapping.eventHandlers.find((h) => h.handler === "handleMixed")!;
    expect(mixed.topic0).toBe(keccakId("Mixed(string,int32,(address,uint96)[],bytes4,uint8[3],bool)"));
    expect(m.templates.map((t) => [t.name, t.abi, t.network])).toEqual([["Child", "Child", "testnet"]]);
    expect(m.templates[0]!.mapping.file).toBe(join(dirname(manifestPath), "templates/Child/Child.wasm"));
    expect(m.schema.entities.has("PingRecord")).toBe(true);
  });

  it("computes topic0 without `indexed ` and spaces", () => {
    expect(eventTopic0("Transfer(indexed address, indexed address, uint256)")).toBe(keccakId("Transfer(address,address,uint256)"));
  });

  it("accepts a signature without `indexed` when exactly one event has that name, and an explicit topic0 and topic filters", () => {
    const path = edited((y) =>
      y
        .replace("event: ChildCreated(indexed address,string,bool)", "event: ChildCreated(address,string,bool)")
        .replace("handler: handleReceipted", `handler: handleReceipted\n          topic0: "${"ab".repeat(32)}"\n          topic1: ["0x01"]`),
    );
    const ds = loadManifest(path).dataSources[0]!;
    const created = ds.mapping.eventHandlers.find((h) => h.handler === "handleChildCreated")!;
    expect(created.fragment.name).toBe("ChildCreated");
    expect(created.topic0).toBe(keccakId("ChildCreated(address,string,bool)"));
    const receipted = ds.mapping.eventHandlers.find((h) => h.handler === "handleReceipted")!;
    expect(receipted.topic0).toBe(`0x${"ab".repeat(32)}`);
    expect(receipted.topic1).toEqual([`0x${"0".repeat(63)}1`]);
  });

  it("rejects unknown events, unsupported kinds and missing files", () => {
    const bad: [(y: string) => string, RegExp][] = [
      [(y) => y.replace("event: Receipted(uint256)", "event: Receipted(uint128)"), /event with the signature "Receipted\(uint128\)" not found/],
      [(y) => y.replace("kind: ethereum\n    name: Factory", "kind: near\n    name: Factory"), /data source kind "near" is not supported/],
      [(y) => y.replace(/file: \S+schema\.graphql/, "file: /nonexistent/schema.graphql"), /schema: file \/nonexistent\/schema\.graphql does not exist/],
      [(y) => y.replace("name: Child\n", "name: Factory\n"), /duplicate data source or template name Factory/],
    ];
    for (const [edit, message] of bad) {
      const error = (() => {
        try {
          loadManifest(edited(edit));
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(ManifestError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it("refuses @fulltext without the fullTextSearch feature, with graph-node's message (graph/src/data/subgraph/features.rs)", () => {
    const fulltext = ensureFixtureBuilt("fulltext");
    expect(loadManifest(fulltext).schema.fulltext.has("noteSearch")).toBe(true);
    const dir = dirname(fulltext);
    const yaml = readFileSync(fulltext, "utf8")
      .replace(/file: (\S+)/g, (_, f: string) => `file: ${join(dir, f)}`)
      .replace(/features:\n(\s+- \w+\n)+/, "");
    const path = join(mkdtempSync(join(tmpdir(), "manifest-")), "subgraph.yaml");
    writeFileSync(path, yaml);
    expect(() => loadManifest(path)).toThrow(
      `${path}: The feature \`fullTextSearch\` is used by the subgraph but it is not declared in the manifest.`,
    );
  }, 300_000);

  it("parses data source contexts with their types", () => {
    const fail = (m: string): never => {
      throw new Error(m);
    };
    expect(
      parseManifestContext(
        {
          a: { type: "Bool", data: true },
          b: { type: "String", data: "x" },
          c: { type: "Int", data: 7 },
          d: { type: "Int8", data: "-9" },
          e: { type: "BigInt", data: "123456789012345678901234567890" },
          f: { type: "BigDecimal", data: "1.50" },
          g: { type: "Bytes", data: "0x0a0b" },
          h: { type: "List", data: [{ type: "Int", data: 1 }] },
        },
        fail,
      ),
    ).toEqual([
      ["a", { kind: SK.BOOL, value: true }],
      ["b", { kind: SK.STRING, value: "x" }],
      ["c", { kind: SK.INT, value: 7 }],
      ["d", { kind: SK.INT8, value: -9n }],
      ["e", { kind: SK.BIGINT, value: 123456789012345678901234567890n }],
      ["f", { kind: SK.BIGDECIMAL, value: new BigDecimal(15n, -1) }],
      ["g", { kind: SK.BYTES, value: new Uint8Array([10, 11]) }],
      ["h", { kind: SK.ARRAY, value: [{ kind: SK.INT, value: 1 }] }],
    ]);
    expect(() => parseManifestContext({ x: { type: "Float", data: 1 } }, fail)).toThrow('x: unknown context type "Float"');
  });
});
