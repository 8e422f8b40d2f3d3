/** The handler timeout: its setting, and the check the gas host function makes each time it refills the allowance. */
import { HostError } from "../errors.ts";
import type { HostContext } from "./context.ts";

/**
 * graph-node has no handler timeout unless GRAPH_MAPPING_HANDLER_TIMEOUT is set; this runtime has one by default,
 * because a handler that never returns would hold its thread (and the GraphQL API it serves) forever. Handlers run in
 * milliseconds (the project's take ~0.3 ms per event), so 10 s only stops a handler that is stuck, and the API is
 * back within seconds. Handlers that make slow chain calls may need more. The gas limit stops a runaway handler
 * too, deterministically, but only after graph-node's 10^15 gas: about a day.
 */
export const DEFAULT_HANDLER_TIMEOUT_SECONDS = 10;

/** `seconds` if it is a usable handler timeout. @throws RangeError otherwise. */
export function checkedHandlerTimeout(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`the handler timeout must be a number of seconds ≥ 0 (0: no limit), not ${seconds}`);
  }
  return seconds;
}

/**
 * Fails the running handler once its deadline has passed, with graph-node's message — not deterministically (a
 * faster machine could have finished in time).
 */
export function checkDeadline(ctx: HostContext): void {
  const deadline = ctx.deadline;
  if (deadline !== null && performance.now() >= deadline.at) {
    throw new HostError(
      "timeout",
      `Handler '${ctx.state.handler}' hit the timeout of '${deadline.seconds}' seconds (${deadline.setting ?? "GRAPH_MAPPING_HANDLER_TIMEOUT"} sets it)`,
      { deterministic: false },
    );
  }
}
