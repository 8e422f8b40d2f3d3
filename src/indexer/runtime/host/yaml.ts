/**
 * `yaml.fromBytes` and `yaml.try_fromBytes` (graph-ts 0.38 common/yaml.ts), as graph-node's module/context.rs
 * `yaml_from_bytes` / `yaml_try_from_bytes` and host_exports.rs `yaml_from_bytes` implement them: the parse (and
 * size limit) of yaml.ts; fromBytes fails the handler, try_fromBytes turns every failure of the parse into
 * `Result.error` and logs a warning with the first 1024 bytes in hex.
 */
import { TypeId } from "../type-ids.ts";
import { parseYamlBytes, YamlSyntaxError } from "../yaml.ts";
import type { HostContext, HostFunctions } from "./context.ts";
import { HostError } from "../errors.ts";
import { YAML_FROM_BYTES } from "../gas-costs.ts";

/** graph-node's `truncate_yaml_bytes_for_logging`. */
function bytesForLog(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.subarray(0, 1024)).toString("hex");
  return bytes.length > 1024 ? `(truncated) 0x${hex}` : `0x${hex}`;
}

/** graph-node's error: anyhow's context "failed to parse YAML from bytes" over serde_yaml's message. */
function parseError(error: unknown): HostError {
  return new HostError("invalid-argument", `failed to parse YAML from bytes: ${(error as Error).message}`);
}

export function yamlHostFunctions(ctx: HostContext): HostFunctions {
  const heap = ctx.heap;
  return {
    "yaml.fromBytes"(ptr) {
      heap.refresh();
      const bytes = heap.readBytes(ptr >>> 0);
      ctx.gas.charge(bytes.length * YAML_FROM_BYTES.perSize);
      let value;
      try {
        value = parseYamlBytes(bytes);
      } catch (error) {
        throw error instanceof YamlSyntaxError ? parseError(error) : error;
      }
      return heap.writeYamlValue(value);
    },

    "yaml.try_fromBytes"(ptr) {
      heap.refresh();
      const bytes = heap.readBytes(ptr >>> 0);
      ctx.gas.charge(bytes.length * YAML_FROM_BYTES.perSize);
      let valuePtr: number | null;
      try {
        valuePtr = heap.writeYamlValue(parseYamlBytes(bytes));
      } catch (error) {
        if (!(error instanceof YamlSyntaxError)) throw error;
        const state = ctx.state;
        ctx.env.logger?.log("warning", `Failed to parse YAML from byte array: ${parseError(error).message} (bytes: ${bytesForLog(bytes)})`, {
          dataSource: state.dataSource.id,
          handler: state.handler,
          blockNumber: state.blockNumber,
        });
        valuePtr = null;
      }
      return heap.writeResult(TypeId.YamlResultValueBool, TypeId.YamlWrappedValue, valuePtr);
    },
  };
}
