/**
 * graph-ts 0.38's yaml.fromBytes / yaml.try_fromBytes: the yamlcheck fixture's mapping parses an event's text and
 * stores the YAMLValue tree it got back (so every kind crosses the WASM boundary as graph-ts reads it), and the
 * parser's serde_yaml rules (src/indexer/runtime/yaml.ts) case by case.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Interface } from "ethers";
import { SubgraphRuntime } from "../../../src/indexer/runtime/runtime.ts";
import { HandlerError } from "../../../src/indexer/runtime/errors.ts";
import type { LogLevel } from "../../../src/indexer/runtime/host/index.ts";
import { MAX_YAML_SIZE, formatF64, parseYamlBytes, parseYamlText } from "../../../src/indexer/runtime/yaml.ts";
import { block, encodeLog, eventTrigger, transaction, txHash } from "./helpers.ts";
import { ensureFixtureBuilt } from "./fixture-build.ts";

const ADDRESS = "0x00000000000000000000000000000000000000ae";
let manifest: string;
let iface: Interface;
beforeAll(() => {
  manifest = ensureFixtureBuilt("yamlcheck");
  iface = new Interface(JSON.parse(readFileSync(join(dirname(manifest), "YamlSource", "YamlSource.json"), "utf8")));
});

/** Runs the handler of `event` on `text`; returns the stored YamlDoc and the warnings logged. */
async function runYaml(event: "Yaml" | "YamlStrict", text: string) {
  const warnings: string[] = [];
  const logger = { log: (level: LogLevel, message: string) => void (level === "warning" && warnings.push(message)) };
  const runtime = await SubgraphRuntime.load(manifest, { logger });
  const cache = runtime.createEntityCache();
  const blk = block(3n);
  const log = encodeLog(iface, event, [text], { address: ADDRESS, block: blk, txHash: txHash(9), logIndex: 0n });
  runtime.runTrigger(eventTrigger("YamlSource", `handle${event}`, log, blk, transaction(txHash(9))), cache);
  return { doc: cache.get("YamlDoc", `${txHash(9)}-0`), warnings };
}

describe("yaml host functions through a graph-ts 0.38 mapping", () => {
  it("returns every YAMLValue kind, as graph-ts reads them", async () => {
    const text = [
      "name: Pedigree",
      "count: 0x10",
      "ratio: 2.50",
      "on: yes",
      "flags: [true, ~, '', 007, 1e21, 0.000001, .inf]",
      "tagged: !license MIT",
      "base: &b {k: v}",
      "copy: *b",
      "<<: *b",
      "? [1, 2]",
      ": complex key",
      "text: |",
      "  two",
      "  lines",
    ].join("\n");
    const { doc } = await runYaml("Yaml", text);
    expect(doc).toMatchObject({
      ok: true,
      count: 16n,
      rendered:
        '{s:"name":s:"Pedigree",s:"count":n:16,s:"ratio":n:2.5,s:"on":s:"yes",' +
        's:"flags":[true,null,s:"",s:"007",n:1e21,n:1e-6,n:.inf],s:"tagged":!license(s:"MIT"),' +
        's:"base":{s:"k":s:"v"},s:"copy":{s:"k":s:"v"},s:"<<":{s:"k":s:"v"},[n:1,n:2]:s:"complex key",' +
        's:"text":s:"two\nlines\n"}',
    });
  });

  it("try_fromBytes: invalid YAML is Result.error, with a warning naming the bytes", async () => {
    const { doc, warnings } = await runYaml("Yaml", "a: 1\na: 2");
    expect(doc).toMatchObject({ ok: false, rendered: "" });
    expect(warnings).toEqual([
      `Failed to parse YAML from byte array: failed to parse YAML from bytes: duplicate entry with key "a" (bytes: 0x${Buffer.from("a: 1\na: 2").toString("hex")})`,
    ]);
  });

  it("fromBytes: invalid YAML fails the handler with graph-node's message", async () => {
    const error = await runYaml("YamlStrict", "list: [1, 2\nother: x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandlerError);
    expect((error as Error).message).toMatch(/failed to parse YAML from bytes: /);
    expect((await runYaml("YamlStrict", "a: [1]")).doc).toMatchObject({ ok: true, rendered: '{s:"a":[n:1]}' });
  });
});

describe("serde_yaml's rules (yaml.ts)", () => {
  const scalar = (text: string) => parseYamlText(`- ${text}`);
  const number = (value: string) => ({ kind: 4, value: [{ kind: 2, value }] });
  const string = (value: string) => ({ kind: 4, value: [{ kind: 3, value }] });

  it("resolves plain scalars as YAML 1.2 core with serde_yaml's integer and float forms", () => {
    expect(scalar("+12")).toEqual(number("12"));
    expect(scalar("-0x1F")).toEqual(number("-31"));
    expect(scalar("0o17")).toEqual(number("15"));
    expect(scalar("0b101")).toEqual(number("5"));
    expect(scalar("18446744073709551615")).toEqual(number("18446744073709551615"));
    expect(scalar("-9223372036854775808")).toEqual(number("-9223372036854775808"));
    expect(scalar("1_000")).toEqual(string("1_000"));
    expect(scalar("-007")).toEqual(string("-007"));
    expect(scalar("0x")).toEqual(string("0x"));
    expect(scalar("1." )).toEqual(number("1.0"));
    expect(scalar(".5")).toEqual(number("0.5"));
    expect(scalar("-.INF")).toEqual(number("-.inf"));
    expect(scalar(".NaN")).toEqual(number(".nan"));
    expect(scalar("nan")).toEqual(string("nan"));
    expect(scalar("1e400")).toEqual(string("1e400"));
    expect(scalar("123456789012345678901234567890123456789012")).toEqual(number("1.2345678901234568e41"));
    expect(scalar("off")).toEqual(string("off"));
    expect(scalar("FALSE")).toEqual({ kind: 4, value: [{ kind: 1, value: false }] });
    expect(scalar('"12"')).toEqual(string("12"));
  });

  it("prints floats as Rust's ryu does", () => {
    const cases: [number, string][] = [
      [1, "1.0"], [-0, "-0.0"], [0.1, "0.1"], [123.456, "123.456"], [1e15, "1000000000000000.0"], [1e16, "1e16"],
      [1.5e16, "1.5e16"], [0.0001, "0.0001"], [0.00001, "0.00001"], [0.000001, "1e-6"], [1.25e-7, "1.25e-7"], [5e-324, "5e-324"],
      [1.7976931348623157e308, "1.7976931348623157e308"], [-2.5, "-2.5"],
    ];
    for (const [f, text] of cases) expect(formatF64(f)).toBe(text);
  });

  it("refuses integers only 128 bits hold, as serde_yaml's Value does", () => {
    expect(() => parseYamlText("x: 18446744073709551616")).toThrow(
      "x: invalid type: integer `18446744073709551616` as u128, expected any YAML value at line 1 column 4",
    );
    expect(() => parseYamlText("- -9223372036854775809")).toThrow("as i128, expected any YAML value");
  });

  it("checks the core tags, keeps global tags' text and turns local tags into tagged values", () => {
    expect(parseYamlText("!!str 5")).toEqual({ kind: 3, value: "5" });
    expect(parseYamlText("!!int '7'")).toEqual({ kind: 2, value: "7" });
    expect(parseYamlText("!!float 1")).toEqual({ kind: 2, value: "1.0" });
    expect(() => parseYamlText("x: !!bool yes")).toThrow('x: invalid value: string "yes", expected a boolean');
    expect(parseYamlText("!point {x: 1}")).toEqual({ kind: 6, tag: "!point", value: { kind: 5, value: [[{ kind: 3, value: "x" }, { kind: 2, value: "1" }]] } });
  });

  it("reports duplicate keys the way serde_yaml's Mapping does, comparing keys by kind", () => {
    expect(() => parseYamlText("a: 1\na: 2")).toThrow(/^duplicate entry with key "a"$/);
    expect(() => parseYamlText("top:\n  - x: 1\n    x: 2")).toThrow(/^top\[0\]: duplicate entry with key "x" at line 2 column 5$/);
    expect(() => parseYamlText("1: a\n0x1: b")).toThrow("duplicate entry with key 1");
    expect(() => parseYamlText("true: a\nTrue: b")).toThrow("duplicate entry with key `true`");
    expect(() => parseYamlText("~: a\nnull: b")).toThrow("duplicate entry with null key");
    expect(parseYamlText("1: a\n'1': b\n1.0: c")).toMatchObject({ kind: 5 });
  });

  it("expands aliases up to serde_yaml's repetition limit, and limits nesting to 128", () => {
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) laughs.push(`${"abcdefghi"[i]}: &${"abcdefghi"[i]} [${Array(10).fill(`*${"abcdefghi"[i - 1]}`).join(", ")}]`);
    expect(() => parseYamlText(laughs.join("\n"))).toThrow(/^repetition limit exceeded$/);
    expect(parseYamlText(`${"[".repeat(128)}${"]".repeat(128)}`)).toMatchObject({ kind: 4 });
    expect(() => parseYamlText(`${"[".repeat(129)}${"]".repeat(129)}`)).toThrow("recursion limit exceeded");
  });

  it("accepts one document (an empty stream is null) within graph-node's size limit", () => {
    expect(parseYamlText("")).toEqual({ kind: 0 });
    expect(parseYamlText("# only a comment\n")).toEqual({ kind: 0 });
    expect(() => parseYamlText("a\n---\nb")).toThrow("deserializing from YAML containing more than one document is not supported");
    expect(() => parseYamlBytes(new Uint8Array(MAX_YAML_SIZE + 1))).toThrow("YAML size exceeds max size of 10000000 bytes");
    expect(() => parseYamlBytes(new Uint8Array([0x61, 0xff]))).toThrow("invalid UTF-8");
  });
});
