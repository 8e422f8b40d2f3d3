/** The host side of the deadline checks wasm-deadline.ts injects into every mapping, and the timeout setting. */
import { HostError } from "../errors.ts";
import { CHECK_INTERVAL, DEADLINE_IMPORT } from "../wasm-deadline.ts";
import type { HostContext, HostFunctions } from "./context.ts";

/**
 * graph-node has no handler timeout unless GRAPH_MAPPING_HANDLER_TIMEOUT is set; this runtime has one by default,
 * because a handler that never returns would hold its thread (and the GraphQL API it serves) forever. Handlers run in
 * milliseconds (the project's take ~0.3 ms per event), so 10 s only stops a handler that is stuck, and the API is
 * back within seconds. Handlers that make slow chain calls may need more.
 */
export const DEFAULT_HANDLER_TIMEOUT_SECONDS = 10;

/** `seconds` if it is a usable handler timeout. @throws RangeError otherwise. */
export function checkedHandlerTimeout(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`the handler timeout must be a number of seconds ≥ 0 (0: no limit), not ${seconds}`);
  }
  return seconds;
}

export function deadlineHostFunctions(ctx: HostContext): HostFunctions {
  return {
    /**
     * Called every CHECK_INTERVAL loop iterations and function entries: the budget until the next call, or a
     * non-deterministic failure once the running handler's deadline has passed (a slower machine could have
     * finished in time on another run).
     */
    [DEADLINE_IMPORT.name]() {
      const deadline = ctx.deadline;
      if (deadline !== null && performance.now() >= deadline.at) {
        throw new HostError(
          "timeout",
          `Handler '${ctx.state.handler}' hit the timeout of ${deadline.seconds} seconds (${deadline.setting ?? "GRAPH_MAPPING_HANDLER_TIMEOUT"} sets it)`,
          { deterministic: false },
        );
      }
      return CHECK_INTERVAL;
    },
  };
}
