/** `abort` (env), `log.log`, and `gas` (graph-node's metering import, in a module metered before it was deployed). */
import { HostError } from "../errors.ts";
import { LOG_OP } from "../gas-costs.ts";
import type { HostContext, HostFunctions, LogLevel } from "./context.ts";

const LEVELS: LogLevel[] = ["critical", "error", "warning", "info", "debug"];

/** The message graph-node reports for `abort(message, file, line, column)`. */
export function abortMessage(message: string | null, file: string | null, line: number, column: number): string {
  const what = message === null ? "no message" : `message: ${message}`;
  let where: string;
  if (file === null) where = "an unknown location";
  else if (line === 0) where = file;
  else if (column === 0) where = `${file}, line ${line}`;
  else where = `${file}, line ${line}, column ${column}`;
  return `Mapping aborted at ${where}, with ${what}`;
}

export function coreHostFunctions(ctx: HostContext): HostFunctions {
  const heap = ctx.heap;
  return {
    abort(messagePtr, filePtr, line, column) {
      heap.refresh();
      const message = messagePtr ? heap.readString(messagePtr >>> 0) : null;
      const file = filePtr ? heap.readString(filePtr >>> 0) : null;
      throw new HostError("abort", abortMessage(message, file, line >>> 0, column >>> 0));
    },

    "log.log"(level, messagePtr) {
      heap.refresh();
      const message = heap.readString(messagePtr >>> 0);
      ctx.gas.charge(Buffer.byteLength(message) * LOG_OP.perSize);
      const name = LEVELS[level >>> 0] ?? "debug";
      const state = ctx.state;
      ctx.env.logger?.log(name, message, { dataSource: state.dataSource.id, handler: state.handler, blockNumber: state.blockNumber });
      if (name === "critical") {
        throw new HostError("critical-log", `Critical error logged in mapping with log message: ${message}`);
      }
    },

    /** Charged like graph-node's `gas` import (the module's own metering, on top of the runtime's). */
    gas(amount) {
      ctx.gas.charge(Number(amount));
    },
  };
}
