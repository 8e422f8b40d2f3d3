/** Public API of the WASM host (see runtime.ts for the entry point). */
export { SubgraphRuntime, type RuntimeOptions, type TriggerResult } from "./runtime.ts";
export { DEFAULT_HANDLER_TIMEOUT_SECONDS } from "./host/deadline.ts";
export { EntityCache } from "./entity-cache.ts";
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
} from "./manifest.ts";
export { matchLog, matchBlock, logFilters, needsEveryBlock, type ActiveDataSource, type LogMatch, type BlockMatch, type LogFilter } from "./matching.ts";
export { ManifestError, ModuleLoadError, HostError, HandlerError, TriggerError, type HostErrorCode } from "./errors.ts";
export { CONTEXT_ENTRIES } from "./host/datasource.ts";
export type { RuntimeLogger, LogLevel } from "./host/context.ts";
export type { HostStore, HostChain, CreatedDataSource, EntityChange } from "./types.ts";
