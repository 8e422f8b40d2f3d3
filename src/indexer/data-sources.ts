/**
 * Data sources created by handlers through templates, as JSON the store keeps with the block that created them, so
 * that a restarted indexer follows them again. The context keeps its value kinds (Int8, BigInt, Bytes, … are not
 * distinguishable from plain JS values alone).
 */
import type { StoreValue } from "./runtime/asc.ts";
import { contextEntity, contextEntriesOf } from "./runtime/host/datasource.ts";
import type { ContextEntries } from "./runtime/manifest.ts";
import type { CreatedDataSource } from "./runtime/types.ts";
import { BigDecimal, bytesToHex, hexToBytes } from "./values.ts";

type JsonValue = { kind: number; value?: unknown };

interface DataSourceJson {
  template: string;
  params: string[];
  startBlock: string;
  context: [string, JsonValue][] | null;
}

function encodeValue(value: StoreValue): JsonValue {
  if (!("value" in value)) return { kind: value.kind };
  const v = value.value as unknown;
  if (typeof v === "bigint") return { kind: value.kind, value: v.toString() };
  if (v instanceof Uint8Array) return { kind: value.kind, value: bytesToHex(v) };
  if (v instanceof BigDecimal) return { kind: value.kind, value: v.toString() };
  if (Array.isArray(v)) return { kind: value.kind, value: (v as StoreValue[]).map(encodeValue) };
  return { kind: value.kind, value: v };
}

function decodeValue(json: JsonValue): StoreValue {
  const { kind, value } = json;
  if (value === undefined) return { kind } as StoreValue;
  if (Array.isArray(value)) return { kind, value: (value as JsonValue[]).map(decodeValue) } as StoreValue;
  if (typeof value === "string") {
    // Kinds as numbered by graph-ts's ValueKind: BIGDECIMAL 2, BYTES 6, BIGINT 7, INT8 8, TIMESTAMP 9.
    if (kind === 2) return { kind, value: BigDecimal.parse(value) } as StoreValue;
    if (kind === 6) return { kind, value: hexToBytes(value) } as StoreValue;
    if (kind === 7 || kind === 8 || kind === 9) return { kind, value: BigInt(value) } as StoreValue;
  }
  return { kind, value } as StoreValue;
}

/** The JSON the store keeps for a created data source. */
export function dataSourceToJson(created: CreatedDataSource): DataSourceJson {
  const entries = created.context ? contextEntriesOf(created.context) : undefined;
  return {
    template: created.template,
    params: created.params,
    startBlock: created.startBlock.toString(),
    context: entries ? entries.map(([key, value]) => [key, encodeValue(value)]) : null,
  };
}

/** The created data source back from its stored JSON. */
export function dataSourceFromJson(data: unknown): CreatedDataSource {
  const json = data as DataSourceJson;
  const entries: ContextEntries | null = json.context ? json.context.map(([key, value]) => [key, decodeValue(value)]) : null;
  return {
    template: json.template,
    params: json.params,
    startBlock: BigInt(json.startBlock),
    context: entries ? contextEntity(entries) : null,
  };
}
