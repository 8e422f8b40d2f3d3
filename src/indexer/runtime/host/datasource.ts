/** `dataSource.create | createWithContext | address | network | context`. */
import type { Entity } from "../../values.ts";
import { hexToBytes } from "../../values.ts";
import { HostError } from "../errors.ts";
import { fromStoreValue } from "../entity.ts";
import type { StoreValue } from "../asc.ts";
import type { ContextEntries } from "../manifest.ts";
import type { HostContext, HostFunctions } from "./context.ts";

/**
 * Key of a non-enumerable property on `CreatedDataSource.context` that keeps the context's typed values (so that
 * Int8 / Timestamp / BigInt survive until the created data source reads its context). Persist it if you persist
 * created data sources and want those kinds back; without it, kinds are inferred from the JS values.
 */
export const CONTEXT_ENTRIES: unique symbol = Symbol("pedigree.contextEntries");

/** Builds the `Entity` of a created data source's context, remembering the typed entries. */
export function contextEntity(entries: ContextEntries): Entity {
  const entity: Entity = {};
  for (const [key, value] of entries) entity[key] = fromStoreValue(value);
  Object.defineProperty(entity, CONTEXT_ENTRIES, { value: entries, enumerable: false });
  return entity;
}

/** The typed entries behind a context entity, if it carries them. */
export function contextEntriesOf(entity: Entity): ContextEntries | undefined {
  return (entity as unknown as Record<symbol, ContextEntries | undefined>)[CONTEXT_ENTRIES];
}

export function dataSourceHostFunctions(ctx: HostContext): HostFunctions {
  const heap = ctx.heap;

  const create = (namePtr: number, paramsPtr: number, context: [string, StoreValue][] | null): void => {
    const name = heap.readString(namePtr >>> 0);
    const params = heap.readStringArray(paramsPtr >>> 0);
    const state = ctx.state;
    if (!ctx.env.templates.includes(name)) {
      throw new HostError(
        "data-source",
        `Failed to create data source from name \`${name}\`: No template with this name in parent data source \`${state.dataSource.name}\`. ` +
          `Available names: ${ctx.env.templates.join(", ")}.`,
      );
    }
    let entries: ContextEntries | null = null;
    if (context !== null) {
      const byKey = new Map(context); // a repeated key keeps its last value, as graph-node's HashMap does
      entries = [...byKey.entries()];
    }
    state.created.push({
      template: name,
      params,
      context: entries === null ? null : contextEntity(entries),
      startBlock: state.blockNumber,
    });
  };

  return {
    "dataSource.create"(namePtr, paramsPtr) {
      heap.refresh();
      create(namePtr, paramsPtr, null);
    },

    "dataSource.createWithContext"(namePtr, paramsPtr, contextPtr) {
      heap.refresh();
      create(namePtr, paramsPtr, heap.readEntity(contextPtr >>> 0));
    },

    "dataSource.address"() {
      heap.refresh();
      const address = ctx.state.dataSource.address;
      return heap.writeBytes(address === null ? new Uint8Array(0) : hexToBytes(address));
    },

    "dataSource.network"() {
      heap.refresh();
      return heap.writeString(ctx.state.dataSource.network);
    },

    "dataSource.context"() {
      heap.refresh();
      const entries = ctx.state.dataSource.context ?? [];
      const sorted = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return heap.writeEntity(sorted);
    },
  };
}
