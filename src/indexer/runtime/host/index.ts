/** All host functions by import field name; graph-node matches imports by field name only. */
import type { HostContext, HostFunctions } from "./context.ts";
import { coreHostFunctions } from "./core.ts";
import { storeHostFunctions } from "./store.ts";
import { conversionHostFunctions } from "./conversion.ts";
import { numbersHostFunctions } from "./numbers.ts";
import { jsonHostFunctions } from "./json.ts";
import { yamlHostFunctions } from "./yaml.ts";
import { ethereumHostFunctions } from "./ethereum.ts";
import { dataSourceHostFunctions } from "./datasource.ts";
import { unsupportedHostFunctions } from "./unsupported.ts";
import { chargingGas, gasHostFunctions } from "./gas.ts";
import { HOST_BASE_COSTS } from "../gas-costs.ts";

/** Builds every host function bound to `ctx` (once per compiled module), each charging its gas when `metered`. */
export function hostFunctions(ctx: HostContext, metered = true): HostFunctions {
  const functions: HostFunctions = {
    ...coreHostFunctions(ctx),
    ...storeHostFunctions(ctx),
    ...conversionHostFunctions(ctx),
    ...numbersHostFunctions(ctx),
    ...jsonHostFunctions(ctx),
    ...yamlHostFunctions(ctx),
    ...ethereumHostFunctions(ctx),
    ...dataSourceHostFunctions(ctx),
    ...unsupportedHostFunctions(ctx),
    ...gasHostFunctions(ctx),
  };
  return metered ? chargingGas(ctx, functions, HOST_BASE_COSTS) : functions;
}

export { HostContext } from "./context.ts";
export type { HandlerDeadline, HostEnvironment, HostFunction, HostFunctions, LogLevel, RuntimeLogger, TriggerState } from "./context.ts";
