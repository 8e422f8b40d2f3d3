/** All host functions by import field name; graph-node matches imports by field name only. */
import type { HostContext, HostFunctions } from "./context.js";
import { coreHostFunctions } from "./core.js";
import { storeHostFunctions } from "./store.js";
import { conversionHostFunctions } from "./conversion.js";
import { numbersHostFunctions } from "./numbers.js";
import { jsonHostFunctions } from "./json.js";
import { ethereumHostFunctions } from "./ethereum.js";
import { dataSourceHostFunctions } from "./datasource.js";
import { unsupportedHostFunctions } from "./unsupported.js";
import { deadlineHostFunctions } from "./deadline.js";

/** Builds every host function bound to `ctx` (once per compiled module). */
export function hostFunctions(ctx: HostContext): HostFunctions {
  return {
    ...coreHostFunctions(ctx),
    ...storeHostFunctions(ctx),
    ...conversionHostFunctions(ctx),
    ...numbersHostFunctions(ctx),
    ...jsonHostFunctions(ctx),
    ...ethereumHostFunctions(ctx),
    ...dataSourceHostFunctions(ctx),
    ...unsupportedHostFunctions(ctx),
    ...deadlineHostFunctions(ctx),
  };
}

export { HostContext } from "./context.js";
export type { HandlerDeadline, HostEnvironment, HostFunction, HostFunctions, LogLevel, RuntimeLogger, TriggerState } from "./context.js";
