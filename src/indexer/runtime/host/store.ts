/** `store.get`, `store.get_in_block`, `store.loadRelated`, `store.set`, `store.remove` with graph-node's semantics. */
import type { Entity } from "../../values.ts";
import type { EntityType, SubgraphSchema } from "../../schema/schema.ts";
import type { HostStore } from "../types.ts";
import { HostError } from "../errors.ts";
import { STORE_GET, STORE_REMOVE, STORE_SET } from "../gas-costs.ts";
import { entityGasSize } from "./gas.ts";
import { TypeId } from "../type-ids.ts";
import { mergeForSet, parseEntityId, idString, idStoreValue } from "../entity.ts";
import type { HostContext, HostFunctions, TriggerState } from "./context.ts";
import { bytesToHex } from "../../values.ts";
import type { StoreValue } from "../asc.ts";
import { StoreValueKind as SK } from "../type-ids.ts";

/**
 * The id graph-node generates for `store.set` with id `"auto"` and for every timeseries point (host_exports.rs
 * `store_set`, graph/src/data/store/id.rs `IdType::generate_id`): Int8 ids are `block << 32 | seq`, Bytes ids the
 * block then the sequence number, both big-endian 4 bytes; String ids cannot be generated.
 */
function generatedId(type: EntityType, state: TriggerState): string {
  if (type.idType === "String") throw new HostError("invalid-id", "String does not support generating ids");
  const seq = BigInt(state.store.nextIdSeq());
  if (type.idType === "Int8") return String(BigInt.asIntN(64, (state.blockNumber << 32n) | seq));
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32BE(Number(state.blockNumber), 0);
  bytes.writeUInt32BE(Number(seq), 4);
  return bytesToHex(new Uint8Array(bytes));
}

/** A timeseries point's data with graph-node's overrides: the generated id, and the block's time as `timestamp`. */
function timeseriesData(data: [string, StoreValue][], type: EntityType, id: string, state: TriggerState): [string, StoreValue][] {
  const kept = data.filter(([field]) => field !== "id" && field !== "timestamp");
  return [...kept, ["id", idStoreValue(type, id)], ["timestamp", { kind: SK.TIMESTAMP, value: state.blockTimestamp * 1_000_000n }]];
}

function compareIds(type: EntityType, a: string, b: string): number {
  if (type.idType === "Int8") {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Entity types implementing an interface `type` implements, `type` left out (graph-node's `share_interfaces`). */
export function typesSharingInterface(schema: SubgraphSchema, type: EntityType): string[] {
  const shared = new Set<string>();
  for (const name of type.interfaces) {
    for (const other of schema.interfaces.get(name)?.implementations ?? []) if (other !== type.name) shared.add(other);
  }
  return [...shared].sort();
}

/**
 * graph-node refuses to store an entity whose id another type sharing an interface with it already uses
 * (`check_intf_uniqueness` in store/postgres/src/deployment_store.rs; `StoreError::ConflictingId`'s message in
 * graph/src/components/store/err.rs, a deterministic error). Ids print as Postgres' `id::text`.
 */
function checkInterfaceIdUnique(sharing: readonly string[], store: HostStore, type: EntityType, key: string): void {
  for (const other of sharing) {
    if (store.get(other, key) === null) continue;
    const id = type.idType === "Bytes" ? `\\x${key.slice(2)}` : key;
    throw new HostError(
      "conflicting-id",
      `tried to set entity of type \`${type.name}\` with ID "${id}" but an entity of type \`${other}\`, which has an interface in common with \`${type.name}\`, exists with the same ID`,
    );
  }
}

export function storeHostFunctions(ctx: HostContext): HostFunctions {
  const heap = ctx.heap;
  const info = ctx.env.schema;
  const sharingByType = new Map<EntityType, string[]>();
  const sharing = (type: EntityType) => {
    let names = sharingByType.get(type);
    if (!names) sharingByType.set(type, (names = typesSharingInterface(info.schema, type)));
    return names;
  };

  const get = (entityPtr: number, idPtr: number, inBlock: boolean): number => {
    heap.refresh();
    const typeName = heap.readString(entityPtr >>> 0);
    const id = heap.readString(idPtr >>> 0);
    const type = info.entityType(typeName, "get");
    const key = parseEntityId(type, id);
    const store = ctx.state.store;
    const entity = inBlock ? store.getInBlock(typeName, key) : store.get(typeName, key);
    const keySize = Buffer.byteLength(typeName) + Buffer.byteLength(id);
    if (entity === null) {
      ctx.gas.charge(keySize * STORE_GET.perSize);
      return 0;
    }
    ctx.gas.charge((keySize + entityGasSize(entity)) * STORE_GET.perSize);
    return heap.writeEntity(info.entityEntries(type, entity));
  };

  return {
    "store.get"(entityPtr, idPtr) {
      return get(entityPtr, idPtr, false);
    },

    "store.get_in_block"(entityPtr, idPtr) {
      return get(entityPtr, idPtr, true);
    },

    "store.loadRelated"(entityPtr, idPtr, fieldPtr) {
      heap.refresh();
      const typeName = heap.readString(entityPtr >>> 0);
      const id = heap.readString(idPtr >>> 0);
      const fieldName = heap.readString(fieldPtr >>> 0);
      const type = info.entityType(typeName, "loadRelated");
      const key = parseEntityId(type, id);
      const field = type.fieldsByName.get(fieldName);
      if (!field) {
        throw new HostError("invalid-argument", `Entity ${typeName}[${key}]: unknown field \`${fieldName}\``);
      }
      if (field.derivedFrom === undefined) {
        throw new HostError("invalid-argument", `Entity ${typeName}[${key}]: field \`${fieldName}\` is not a @derivedFrom field`);
      }
      const schema = info.schema;
      const targets =
        field.type.kind === "interface"
          ? [...(schema.interfaces.get(field.type.name)?.implementations ?? [])].sort()
          : [field.type.name];
      const store = ctx.state.store;
      const ptrs: number[] = [];
      for (const targetName of targets) {
        const target = schema.entities.get(targetName)!;
        const found = store
          .findReferencing(targetName, field.derivedFrom, key)
          .map((entity): [string, Entity] => [idString(entity.id!), entity])
          .sort((a, b) => compareIds(target, a[0], b[0]));
        for (const [, entity] of found) ptrs.push(heap.writeEntity(info.entityEntries(target, entity)));
      }
      return heap.writeArray(ptrs, TypeId.ArrayTypedMapStringStoreValue);
    },

    "store.set"(entityPtr, idPtr, dataPtr) {
      heap.refresh();
      const typeName = heap.readString(entityPtr >>> 0);
      const given = heap.readString(idPtr >>> 0);
      let data = heap.readEntity(dataPtr >>> 0);
      const type = info.entityType(typeName, "set");
      const state = ctx.state;
      const generate = given === "auto" || type.timeseries;
      const id = generate ? generatedId(type, state) : given;
      if (generate) {
        data = type.timeseries ? timeseriesData([...data], type, id, state) : [...data.filter(([f]) => f !== "id"), ["id", idStoreValue(type, id)]];
      }
      const key = parseEntityId(type, id);
      const store = state.store;
      const merged = mergeForSet(info, type, key, data, store.get(typeName, key), ctx.env.apiVersion);
      const gasSize = entityGasSize(merged);
      ctx.gas.charge((Buffer.byteLength(typeName) + Buffer.byteLength(id) + gasSize) * STORE_SET.perSize);
      if (type.immutable && store.existedBeforeBlock(typeName, key)) {
        throw new HostError(
          "immutable",
          `entity ${typeName}[${key}] is immutable; it was inserted in an earlier block and cannot be written again at block ${ctx.state.blockNumber}`,
        );
      }
      checkInterfaceIdUnique(sharing(type), store, type, key);
      store.set(typeName, key, merged, gasSize);
    },

    "store.remove"(entityPtr, idPtr) {
      heap.refresh();
      const typeName = heap.readString(entityPtr >>> 0);
      const id = heap.readString(idPtr >>> 0);
      ctx.gas.charge((Buffer.byteLength(typeName) + Buffer.byteLength(id)) * STORE_REMOVE.perSize);
      const type = info.entityType(typeName, "remove");
      const key = parseEntityId(type, id);
      const store = ctx.state.store;
      if (type.immutable && store.existedBeforeBlock(typeName, key)) {
        throw new HostError(
          "immutable",
          `entities of type \`${typeName}\` can not be deleted since they are immutable. Entity ids are [${key}]`,
        );
      }
      store.remove(typeName, key);
    },
  };
}
