/**
 * Loads a built subgraph (the `build/subgraph.yaml` that `graph build` writes): data sources, templates, their
 * mappings, ABIs and handlers, and the schema. Paths are resolved relative to the manifest.
 */
import { readFileSync, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { EventFragment, Interface, id as keccakText } from "ethers";
import { parseSchema, type SubgraphSchema } from "../schema/schema.ts";
import { BigDecimal } from "../values.ts";
import { ManifestError } from "./errors.ts";
import { eventSignatureWithIndexed } from "./eth-abi.ts";
import type { StoreValue } from "./asc.ts";
import { StoreValueKind as SK } from "./type-ids.ts";
import { decimalFromString } from "./bigdecimal.ts";
import { parseBigIntDecimal } from "./bigint.ts";

/** An ABI named in a mapping's `abis:` list. */
export interface AbiSpec {
  name: string;
  /** Absolute path of the JSON file. */
  file: string;
  iface: Interface;
}

/** One `eventHandlers:` entry. */
export interface EventHandlerSpec {
  /** The event signature as written in the manifest, e.g. `Transfer(indexed address,indexed address,uint256)`. */
  event: string;
  handler: string;
  /** keccak256 of the signature without `indexed ` and spaces (or the manifest's explicit `topic0`), lowercase 0x-hex. */
  topic0: string;
  /** Optional filters on the indexed topics: the log's topic must be one of these (lowercase, 32-byte 0x-hex). */
  topic1: string[] | null;
  topic2: string[] | null;
  topic3: string[] | null;
  /** Whether the handler receives the transaction receipt (`receipt: true`). */
  receipt: boolean;
  /** The event in the data source's ABI that decodes the log. */
  fragment: EventFragment;
}

/** `blockHandlers:` filters. Without a filter the handler runs on every block. */
export type BlockHandlerFilter = { kind: "once" } | { kind: "polling"; every: number };

export interface BlockHandlerSpec {
  handler: string;
  filter: BlockHandlerFilter | null;
}

export interface MappingSpec {
  kind: string;
  /** e.g. "0.0.9" */
  apiVersion: string;
  language: string;
  entities: string[];
  abis: AbiSpec[];
  eventHandlers: EventHandlerSpec[];
  blockHandlers: BlockHandlerSpec[];
  /** Absolute path of the compiled .wasm. */
  file: string;
}

/** A DataSourceContext: typed values by key, as `dataSource.context()` returns them. */
export type ContextEntries = [string, StoreValue][];

export interface DataSourceSpec {
  kind: string;
  name: string;
  network: string;
  /** Lowercase 0x-hex, or null for a data source that matches every address. */
  address: string | null;
  /** Name of the ABI (in mapping.abis) describing the contract. */
  abi: string;
  startBlock: bigint;
  endBlock: bigint | null;
  context: ContextEntries | null;
  mapping: MappingSpec;
}

export interface TemplateSpec {
  kind: string;
  name: string;
  network: string;
  abi: string;
  mapping: MappingSpec;
}

export interface SubgraphManifest {
  /** Absolute path of subgraph.yaml. */
  path: string;
  specVersion: string;
  /** Absolute path of schema.graphql. */
  schemaFile: string;
  schema: SubgraphSchema;
  dataSources: DataSourceSpec[];
  templates: TemplateSpec[];
  features: string[];
}

type Yaml = Record<string, unknown>;

/** keccak256 of an event signature as graph-node computes topic0: `indexed ` and spaces removed. */
export function eventTopic0(signature: string): string {
  return keccakText(signature.replaceAll("indexed ", "").replaceAll(" ", "")).toLowerCase();
}

/**
 * Reads and checks a built subgraph manifest, its ABIs and its schema.
 *
 * @example
 * const manifest = loadManifest("build/subgraph.yaml");
 * manifest.dataSources[0].mapping.eventHandlers[0].topic0; // "0x…"
 * @throws ManifestError for a missing file, an unknown ABI or event, or a feature this runtime lacks (call handlers,
 * call-filtered block handlers, non-Ethereum data sources).
 */
export function loadManifest(manifestPath: string): SubgraphManifest {
  const path = resolve(manifestPath);
  const fail = (message: string, cause?: unknown): never => {
    throw new ManifestError(path, message, cause === undefined ? undefined : { cause });
  };
  let doc: Yaml;
  try {
    doc = parseYaml(readFileSync(path, "utf8")) as Yaml;
  } catch (error) {
    return fail(`cannot read the manifest: ${(error as Error).message}`, error);
  }
  if (!doc || typeof doc !== "object") return fail("the manifest is empty");
  const dir = dirname(path);
  const file = (relative: unknown, what: string): string => {
    if (typeof relative !== "string") return fail(`${what}: missing file`);
    const absolute = resolve(dir, relative);
    if (!existsSync(absolute)) return fail(`${what}: file ${absolute} does not exist (run \`graph build\`?)`);
    return absolute;
  };

  const schemaFile = file((doc.schema as Yaml | undefined)?.file, "schema");
  let schema: SubgraphSchema;
  try {
    schema = parseSchema(readFileSync(schemaFile, "utf8"), { specVersion: doc.specVersion === undefined ? undefined : String(doc.specVersion) });
  } catch (error) {
    return fail(`schema ${schemaFile}: ${(error as Error).message}`, error);
  }

  const abiCache = new Map<string, Interface>();
  const loadAbi = (abiFile: string, name: string): Interface => {
    let iface = abiCache.get(abiFile);
    if (!iface) {
      try {
        const json = JSON.parse(readFileSync(abiFile, "utf8")) as unknown;
        const abi = Array.isArray(json) ? json : (json as { abi?: unknown }).abi;
        iface = new Interface(abi as never);
      } catch (error) {
        return fail(`ABI ${name} (${abiFile}) cannot be parsed: ${(error as Error).message}`, error);
      }
      abiCache.set(abiFile, iface);
    }
    return iface;
  };

  const parseMapping = (raw: unknown, owner: string, sourceAbi: string): MappingSpec => {
    const m = (raw ?? {}) as Yaml;
    const where = `${owner}.mapping`;
    const kind = String(m.kind ?? "");
    if (kind !== "ethereum/events") fail(`${where}: mapping kind ${JSON.stringify(kind)} is not supported (only ethereum/events)`);
    const language = String(m.language ?? "");
    if (language !== "wasm/assemblyscript") fail(`${where}: language ${JSON.stringify(language)} is not supported`);
    const apiVersion = String(m.apiVersion ?? "");
    if (!/^\d+\.\d+\.\d+$/.test(apiVersion)) fail(`${where}: apiVersion ${JSON.stringify(apiVersion)} is not a version`);
    if (Array.isArray(m.callHandlers) && m.callHandlers.length > 0) {
      fail(`${where}: callHandlers need call traces, which this runtime does not support`);
    }
    const abis: AbiSpec[] = ((m.abis ?? []) as Yaml[]).map((a) => {
      const name = String(a.name);
      const abiFile = file(a.file, `${where}.abis.${name}`);
      return { name, file: abiFile, iface: loadAbi(abiFile, name) };
    });
    const source = abis.find((a) => a.name === sourceAbi);
    if (!source) return fail(`${owner}: source ABI ${sourceAbi} is not listed in mapping.abis`);
    const events = [...iterEvents(source.iface)];

    const eventHandlers: EventHandlerSpec[] = ((m.eventHandlers ?? []) as Yaml[]).map((h) => {
      const event = String(h.event ?? "").replace(/\s+/g, " ").trim();
      const handler = String(h.handler ?? "");
      if (!handler) fail(`${where}: event handler for ${event} has no handler`);
      const fragment = findEvent(events, event);
      if (!fragment) {
        return fail(`${where}: event with the signature "${event}" not found in contract "${sourceAbi}" of data source "${owner}"`);
      }
      const topics = (key: string): string[] | null => {
        const list = h[key];
        if (list === undefined || list === null) return null;
        if (!Array.isArray(list)) return fail(`${where}: ${handler}.${key} must be a list`);
        return list.map((t) => `0x${String(t).toLowerCase().replace(/^0x/, "").padStart(64, "0")}`);
      };
      const explicitTopic0 = typeof h.topic0 === "string" ? `0x${h.topic0.toLowerCase().replace(/^0x/, "").padStart(64, "0")}` : null;
      return {
        event,
        handler,
        topic0: explicitTopic0 ?? eventTopic0(event),
        topic1: topics("topic1"),
        topic2: topics("topic2"),
        topic3: topics("topic3"),
        receipt: h.receipt === true,
        fragment,
      };
    });

    const blockHandlers: BlockHandlerSpec[] = ((m.blockHandlers ?? []) as Yaml[]).map((b) => {
      const handler = String(b.handler ?? "");
      const filter = b.filter as Yaml | undefined;
      if (!filter) return { handler, filter: null };
      if (filter.kind === "once") return { handler, filter: { kind: "once" } };
      if (filter.kind === "polling") {
        const every = Number(filter.every);
        if (!Number.isInteger(every) || every <= 0) fail(`${where}: ${handler}: polling filter needs a positive 'every'`);
        return { handler, filter: { kind: "polling", every } };
      }
      return fail(`${where}: block handler ${handler} has filter kind ${JSON.stringify(filter.kind)}; only once and polling are supported (call filters need traces)`);
    });

    return {
      kind,
      apiVersion,
      language,
      entities: ((m.entities ?? []) as unknown[]).map(String),
      abis,
      eventHandlers,
      blockHandlers,
      file: file(m.file, `${where}.file`),
    };
  };

  const checkKind = (kind: unknown, owner: string): string => {
    const k = String(kind ?? "");
    if (k !== "ethereum" && k !== "ethereum/contract") fail(`${owner}: data source kind ${JSON.stringify(k)} is not supported (only ethereum)`);
    return k;
  };

  const dataSources: DataSourceSpec[] = ((doc.dataSources ?? []) as Yaml[]).map((ds) => {
    const name = String(ds.name ?? "");
    if (!name) fail("a data source has no name");
    const source = (ds.source ?? {}) as Yaml;
    const abi = String(source.abi ?? "");
    const address = typeof source.address === "string" ? source.address.toLowerCase() : null;
    if (address !== null && !/^0x[0-9a-f]{40}$/.test(address)) fail(`${name}: source.address ${address} is not an address`);
    return {
      kind: checkKind(ds.kind, name),
      name,
      network: String(ds.network ?? ""),
      address,
      abi,
      startBlock: BigInt(String(source.startBlock ?? 0)),
      endBlock: source.endBlock === undefined || source.endBlock === null ? null : BigInt(String(source.endBlock)),
      context: ds.context ? parseManifestContext(ds.context as Yaml, (m) => fail(`${name}.context: ${m}`)) : null,
      mapping: parseMapping(ds.mapping, name, abi),
    };
  });

  const templates: TemplateSpec[] = ((doc.templates ?? []) as Yaml[]).map((t) => {
    const name = String(t.name ?? "");
    if (!name) fail("a template has no name");
    const abi = String(((t.source ?? {}) as Yaml).abi ?? "");
    return { kind: checkKind(t.kind, name), name, network: String(t.network ?? ""), abi, mapping: parseMapping(t.mapping, name, abi) };
  });

  const names = new Set<string>();
  for (const n of [...dataSources.map((d) => d.name), ...templates.map((t) => t.name)]) {
    if (names.has(n)) fail(`duplicate data source or template name ${n}`);
    names.add(n);
  }

  const features = ((doc.features ?? []) as unknown[]).map(String);
  // graph-node `validate_subgraph_features` (graph/src/data/subgraph/features.rs): a schema with @fulltext needs the
  // feature declared.
  if (schema.fulltext.size > 0 && !features.includes("fullTextSearch")) {
    fail("The feature `fullTextSearch` is used by the subgraph but it is not declared in the manifest.");
  }
  return { path, specVersion: String(doc.specVersion ?? ""), schemaFile, schema, dataSources, templates, features };
}

function* iterEvents(iface: Interface): Generator<EventFragment> {
  for (const fragment of iface.fragments) if (fragment instanceof EventFragment) yield fragment;
}

/**
 * graph-node's lookup of a manifest event in the ABI: an exact match of the signature with `indexed` markers, else
 * the only event of that name whose signature without `indexed` matches.
 */
function findEvent(events: EventFragment[], signature: string): EventFragment | null {
  const compact = signature.replace(/\s+/g, " ").replace(/,\s*/g, ",").replace(/\(\s*/g, "(").replace(/\s*\)/g, ")");
  const exact = events.find((e) => eventSignatureWithIndexed(e) === compact);
  if (exact) return exact;
  const name = compact.slice(0, Math.max(compact.indexOf("("), 0));
  const sameName = events.filter((e) => e.name === name);
  if (sameName.length === 1 && sameName[0]!.format("sighash") === compact) return sameName[0]!;
  return null;
}

/**
 * A manifest `context:` block (`key: { type: String|Bool|Int|Int8|BigInt|BigDecimal|Bytes|List, data: … }`) as
 * typed context entries.
 */
export function parseManifestContext(raw: Yaml, fail: (message: string) => never): ContextEntries {
  const convert = (entry: unknown, key: string): StoreValue => {
    const { type, data } = (entry ?? {}) as { type?: unknown; data?: unknown };
    switch (type) {
      case "Bool":
        if (typeof data !== "boolean") fail(`${key}: Bool needs true or false`);
        return { kind: SK.BOOL, value: data as boolean };
      case "String":
        return { kind: SK.STRING, value: String(data) };
      case "Int":
        if (!Number.isInteger(Number(data))) fail(`${key}: Int needs an integer`);
        return { kind: SK.INT, value: Number(data) | 0 };
      case "Int8": {
        const v = parseBigIntDecimal(String(data));
        if (v === null) return fail(`${key}: Int8 needs an integer`);
        return { kind: SK.INT8, value: v };
      }
      case "BigInt": {
        const v = parseBigIntDecimal(String(data));
        if (v === null) return fail(`${key}: BigInt needs an integer`);
        return { kind: SK.BIGINT, value: v };
      }
      case "BigDecimal": {
        let v: BigDecimal;
        try {
          v = decimalFromString(String(data));
        } catch {
          return fail(`${key}: BigDecimal needs a decimal number`);
        }
        return { kind: SK.BIGDECIMAL, value: v };
      }
      case "Bytes": {
        const hex = String(data).replace(/^0x/, "");
        if (!/^([0-9a-fA-F]{2})*$/.test(hex)) fail(`${key}: Bytes needs hex`);
        return { kind: SK.BYTES, value: new Uint8Array(Buffer.from(hex, "hex")) };
      }
      case "List":
        if (!Array.isArray(data)) fail(`${key}: List needs a list`);
        return { kind: SK.ARRAY, value: (data as unknown[]).map((item, i) => convert(item, `${key}[${i}]`)) };
      default:
        return fail(`${key}: unknown context type ${JSON.stringify(type)}`);
    }
  };
  return Object.entries(raw).map(([key, entry]): [string, StoreValue] => [key, convert(entry, key)]);
}

// The matching of logs and blocks to handlers lives in matching.ts; re-exported here for convenience.
export { matchLog, matchBlock, logFilters, type ActiveDataSource, type LogMatch, type LogFilter } from "./matching.ts";
