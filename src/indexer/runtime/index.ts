/** Public API of the WASM host (see runtime.ts for the entry point). */
export { SubgraphRuntime, type RuntimeOptions, type TriggerResult } from "./runtime.js";
export { DEFAULT_HANDLER_TIMEOUT_SECONDS } from "./host/deadline.js";
export { EntityCache } from "./entity-cache.js";
export {
  loadManifest,
  eventTopic0,
  type SubgraphManifest,
  type DataSourceSpec,
  type TemplateSpec,
  type MappingSpec,
  type AbiSpec,
  type EventHandlerSpec,
  type BlockHandlerSpec,
  type BlockHandlerFilter,
  type ContextEntries,
} from "./manifest.js";
export { matchLog, matchBlock, logFilters, needsEveryBlock, type ActiveDataSource, type LogMatch, type BlockMatch, type LogFilter } from "./matching.js";
export { ManifestError, ModuleLoadError, HostError, HandlerError, TriggerError, type HostErrorCode } from "./errors.js";
export { CONTEXT_ENTRIES } from "./host/datasource.js";
export type { RuntimeLogger, LogLevel } from "./host/context.js";
export type { HostStore, HostChain, CreatedDataSource, EntityChange } from "./types.js";
