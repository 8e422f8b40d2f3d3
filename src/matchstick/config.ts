/**
 * Where a subgraph's tests, libraries and manifest are: `matchstick.yaml` in the subgraph's directory (optional;
 * `testsFolder`, `libsFolder`, `manifestPath`, each relative to that directory), with matchstick's defaults, and
 * what the runner needs of the manifest: the schema, the templates and the event and call handlers.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { parseSchema, type SubgraphSchema } from "../indexer/schema/schema.ts";
import { MatchstickCritical } from "./errors.ts";

export interface MatchstickConfig {
  /** The subgraph's directory: relative paths in tests (readFile, mockIpfsFile) start here, as in matchstick. */
  root: string;
  testsFolder: string;
  libsFolder: string;
  manifestPath: string;
}

const DEFAULTS = { testsFolder: "./tests", libsFolder: "./node_modules", manifestPath: "./subgraph.yaml" };

function readYaml(file: string, what: string): Record<string, unknown> {
  try {
    const doc = parseYaml(readFileSync(file, "utf8")) as unknown;
    return doc !== null && typeof doc === "object" ? (doc as Record<string, unknown>) : {};
  } catch (error) {
    throw new MatchstickCritical(`Could not read ${what} ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** The configuration of the subgraph in `root`. */
export function loadConfig(root: string): MatchstickConfig {
  const dir = resolve(root);
  const file = resolve(dir, "matchstick.yaml");
  const yaml = existsSync(file) ? readYaml(file, "the configuration") : {};
  const pick = (key: keyof typeof DEFAULTS): string => resolve(dir, typeof yaml[key] === "string" ? yaml[key] : DEFAULTS[key]);
  return { root: dir, testsFolder: pick("testsFolder"), libsFolder: pick("libsFolder"), manifestPath: pick("manifestPath") };
}

/** An event or call handler of a data source or template. */
export interface HandlerRef {
  /** The data source or template. */
  source: string;
  /** The mapping file, absolute. */
  file: string;
  handler: string;
}

export interface SubgraphSource {
  schema: SubgraphSchema;
  /** The highest mapping apiVersion: host functions behave as for it. */
  apiVersion: string;
  templates: { name: string; kind: string }[];
  handlers: HandlerRef[];
}

type Yaml = Record<string, unknown>;

const list = (value: unknown): Yaml[] => (Array.isArray(value) ? (value as Yaml[]) : []);

function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if ((x![i] ?? 0) !== (y![i] ?? 0)) return (x![i] ?? 0) - (y![i] ?? 0);
  return 0;
}

/** Reads the source manifest (`subgraph.yaml`, not a build output) and its schema. */
export function loadSubgraphSource(manifestPath: string): SubgraphSource {
  if (!existsSync(manifestPath)) throw new MatchstickCritical(`No manifest at ${manifestPath}: set manifestPath in matchstick.yaml`);
  const doc = readYaml(manifestPath, "the manifest");
  const dir = dirname(manifestPath);
  const schemaFile = (doc.schema as Yaml | undefined)?.file;
  if (typeof schemaFile !== "string") throw new MatchstickCritical(`The manifest ${manifestPath} names no schema file`);
  const schemaPath = resolve(dir, schemaFile);
  if (!existsSync(schemaPath)) throw new MatchstickCritical(`Could not find schema at \`${schemaFile}\``);
  let schema: SubgraphSchema;
  try {
    schema = parseSchema(readFileSync(schemaPath, "utf8"));
  } catch (error) {
    throw new MatchstickCritical(`Something went wrong when trying to parse \`${schemaFile}\`: ${(error as Error).message}`, { cause: error });
  }
  let apiVersion = "0.0.6";
  const handlers: HandlerRef[] = [];
  const sources = [...list(doc.dataSources), ...list(doc.templates)];
  for (const source of sources) {
    const mapping = (source.mapping ?? {}) as Yaml;
    if (typeof mapping.apiVersion === "string" && compareVersions(mapping.apiVersion, apiVersion) > 0) apiVersion = mapping.apiVersion;
    const file = typeof mapping.file === "string" ? resolve(dir, mapping.file) : "";
    for (const entry of [...list(mapping.eventHandlers), ...list(mapping.callHandlers)]) {
      if (typeof entry.handler === "string") handlers.push({ source: String(source.name), file, handler: entry.handler });
    }
  }
  const templates = list(doc.templates).map((t) => ({ name: String(t.name), kind: String(t.kind) }));
  return { schema, apiVersion, templates, handlers };
}
