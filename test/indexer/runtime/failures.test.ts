/**
 * Failing handlers (HandlerError with handler, data source, block and transaction; nothing kept after
 * discardBlock), load-time refusal of modules importing unknown host functions, and manifest errors.
 */
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Interface } from "ethers";
import { SubgraphRuntime } from "../../../src/indexer/runtime/runtime.ts";
import { HandlerError, HostError, ManifestError, ModuleLoadError, TriggerError } from "../../../src/indexer/runtime/errors.ts";
import type { LogLevel } from "../../../src/indexer/runtime/host/context.ts";
import { block, encodeLog, eventTrigger, hostcheckManifest, transaction, txHash } from "./helpers.ts";

const FACTORY = "0x00000000000000000000000000000000000000fa";
let manifestPath: string;
let factory: Interface;
beforeAll(() => {
  manifestPath = hostcheckManifest();
  factory = new Interface(JSON.parse(readFileSync(manifestPath.replace("subgraph.yaml", "Factory/Factory.json"), "utf8")));
});

describe("a failing handler", () => {
  const logs: [LogLevel, string][] = [];
  let runtime: SubgraphRuntime;
  beforeAll(async () => {
    runtime = await SubgraphRuntime.load(manifestPath, { logger: { log: (level, message) => logs.push([level, message]) } });
  });

  function fail(how: string): HandlerError {
    const cache = runtime.createEntityCache();
    cache.beginBlock();
    const blk = block(77n);
    const hash = txHash(0x77);
    const log = encodeLog(factory, "Fail", [how], { address: FACTORY, block: blk, txHash: hash, logIndex: 3n });
    let error: unknown;
    try {
      runtime.runTrigger(eventTrigger("Factory", "handleFail", log, blk, transaction(hash)), cache);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HandlerError);
    // The handler wrote an entity before failing; discarding the block keeps nothing of it.
    expect(cache.get("Thing", "written-before-failure")).not.toBeNull();
    cache.discardBlock();
    expect(cache.get("Thing", "written-before-failure")).toBeNull();
    expect(cache.changes()).toEqual([]);
    expect(cache.hasPendingWrites()).toBe(false);
    return error as HandlerError;
  }

  it("carries handler, data source, block, transaction and the abort message with its location", () => {
    const error = fail("abort");
    expect(error.handler).toBe("handleFail");
    expect(error.dataSource).toBe("Factory");
    expect(error.blockNumber).toBe(77n);
    expect(error.blockHash).toBe(block(77n).hash);
    expect(error.transactionHash).toBe(txHash(0x77));
    expect(error.deterministic).toBe(true);
    expect(error.reason).toMatch(/^Mapping aborted at src\/factory\.ts, line \d+, column \d+, with message: boom: abort$/);
    expect(error.message).toContain(`transaction ${txHash(0x77).slice(2)}: Mapping aborted at src/factory.ts`);
    expect(error.message).toContain("handler handleFail of data source Factory failed at block #77");
    expect(logs).toContainEqual(["info", "about to fail with abort"]);
  });

  it("fails on log.critical", () => {
    expect(fail("critical").reason).toBe("Critical error logged in mapping with log message: critical failure critical");
  });

  it("fails on a host error (BigInt division by zero)", () => {
    const error = fail("divzero");
    expect(error.reason).toBe("attempted to divide BigInt `1` by zero");
    expect((error.cause as HostError).code).toBe("division-by-zero");
  });

  it("fails on a null assertion inside the mapping", () => {
    expect(fail("null").reason).toMatch(/^Mapping aborted at .*, line \d+, column \d+, with message: /);
  });

  it("fails clearly when the mapping uses IPFS", () => {
    expect(fail("ipfs").reason).toMatch(/^`ipfs\.cat` is not available: this runtime has no IPFS node/);
  });

  it("leaves the runtime usable for the next trigger", () => {
    fail("abort");
    const cache = runtime.createEntityCache();
    cache.beginBlock();
    const blk = block(78n);
    const log = encodeLog(factory, "StoreOp", ["thing.create", "after", "ok"], { address: FACTORY, block: blk, txHash: txHash(0x78), logIndex: 0n });
    runtime.runTrigger(eventTrigger("Factory", "handleStoreOp", log, blk, transaction(txHash(0x78))), cache);
    expect(cache.get("Thing", "after")).toMatchObject({ name: "ok" });
  });

  it("rejects triggers for unknown data sources or handlers without running anything", () => {
    const cache = runtime.createEntityCache();
    const blk = block(79n);
    const log = encodeLog(factory, "Fail", ["abort"], { address: FACTORY, block: blk, txHash: txHash(1), logIndex: 0n });
    expect(() => runtime.runTrigger(eventTrigger("Nope", "handleFail", log, blk, transaction(txHash(1))), cache)).toThrow(TriggerError);
    expect(() => runtime.runTrigger(eventTrigger("Factory", "handleNope", log, blk, transaction(txHash(1))), cache)).toThrow(
      "data source Factory has no event handler handleNope",
    );
    expect(cache.hasPendingWrites()).toBe(false);
  });
});

/** A minimal wasm module importing the given (module, field) functions of type () -> (). */
function wasmImporting(imports: [string, string][]): Uint8Array {
  const u32 = (n: number) => {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
    return out;
  };
  const name = (s: string) => [...u32(Buffer.byteLength(s)), ...Buffer.from(s)];
  const section = (id: number, body: number[]) => [id, ...u32(body.length), ...body];
  const types = section(1, [1, 0x60, 0, 0]);
  const importBody = [...u32(imports.length), ...imports.flatMap(([m, f]) => [...name(m), ...name(f), 0x00, 0x00])];
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...section(2, importBody)]);
}

function manifestWithWasm(wasm: Uint8Array, edit: (yaml: string) => string = (y) => y): string {
  const dir = mkdtempSync(join(tmpdir(), "runtime-load-"));
  const buildDir = dirname(manifestPath);
  writeFileSync(join(dir, "Factory.wasm"), wasm);
  copyFileSync(join(buildDir, "schema.graphql"), join(dir, "schema.graphql"));
  copyFileSync(join(buildDir, "Factory/Factory.json"), join(dir, "Factory.json"));
  copyFileSync(join(buildDir, "templates/Child/Child.wasm"), join(dir, "Child.wasm"));
  copyFileSync(join(buildDir, "Child/Child.json"), join(dir, "Child.json"));
  const yaml = readFileSync(manifestPath, "utf8")
    .replace("file: Factory/Factory.wasm", "file: Factory.wasm")
    .replace("file: Factory/Factory.json", "file: Factory.json")
    .replace("file: templates/Child/Child.wasm", "file: Child.wasm")
    .replace("file: Child/Child.json", "file: Child.json");
  writeFileSync(join(dir, "subgraph.yaml"), edit(yaml));
  return join(dir, "subgraph.yaml");
}

describe("loading", () => {
  it("refuses, at load time, a mapping that imports host functions this runtime lacks, naming them", async () => {
    const wasm = wasmImporting([
      ["env", "abort"],
      ["index", "store.mystery"],
      ["numbers", "bigInt.sqrt"],
    ]);
    const error = await SubgraphRuntime.load(manifestWithWasm(wasm)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect((error as ModuleLoadError).unsupportedImports).toEqual(["index.store.mystery", "numbers.bigInt.sqrt"]);
    expect((error as Error).message).toContain("the mapping imports host functions this runtime does not provide: index.store.mystery, numbers.bigInt.sqrt");
  });

  it("refuses a mapping that lacks a handler the manifest names", async () => {
    const error = await SubgraphRuntime.load(manifestWithWasm(readFileSync(join(dirname(manifestPath), "Factory/Factory.wasm")), (y) => y.replace("handler: handleMixed", "handler: handleMissing"))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect((error as Error).message).toContain("Factory: handlers handleMissing are not exported by the mapping");
  });

  it("refuses manifests it cannot serve, with the reason", async () => {
    const wasm = readFileSync(join(dirname(manifestPath), "Factory/Factory.wasm"));
    const cases: [(y: string) => string, RegExp][] = [
      [(y) => y.replace("event: Fail(string)", "event: Fail(uint256)"), /event with the signature "Fail\(uint256\)" not found in contract "Factory"/],
      [(y) => y.replace("      blockHandlers:", "      callHandlers:\n        - function: answer(uint256)\n          handler: handleX\n      blockHandlers:"), /callHandlers need call traces/],
      [(y) => y.replace("kind: polling\n            every: 2", "kind: call"), /only once and polling are supported/],
      [(y) => y.replace("file: Factory.json", "file: Missing.json"), /Missing\.json does not exist/],
      [(y) => y.replace("apiVersion: 0.0.9", "apiVersion: 0.0.3"), /apiVersion 0\.0\.3 is not supported \(0\.0\.4 or later\)/],
      [(y) => y.replaceAll("apiVersion: 0.0.9", "apiVersion: 0.0.4"), /lacks the exports memory\.allocate \(apiVersion 0\.0\.4 mappings are built by graph-cli < 0\.22\)/],
    ];
    for (const [edit, message] of cases) {
      const error = await SubgraphRuntime.load(manifestWithWasm(wasm, edit)).catch((e: unknown) => e);
      expect(error instanceof ManifestError || error instanceof ModuleLoadError, String(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });
});
