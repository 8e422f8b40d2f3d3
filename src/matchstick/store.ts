/**
 * matchstick's mock store: entities by type and id, each the list of fields `store.set` was given. Its rules are
 * matchstick's, not graph-node's, so that a test passes or fails as under `graph test`: `set` replaces the whole
 * entity and checks only that the schema's non-null, non-derived fields are present and not null; `remove` of a
 * missing entity is an error; there is no type check and no immutability check.
 */
import type { StoreValue } from "../indexer/runtime/asc.ts";
import { displayStoreValue } from "../indexer/runtime/entity.ts";
import { HostError } from "../indexer/runtime/errors.ts";
import { StoreValueKind as SK } from "../indexer/runtime/type-ids.ts";
import type { SubgraphSchema } from "../indexer/schema/schema.ts";
import { MatchstickCritical } from "./errors.ts";

/** An entity as the mapping sent it: field name → value, in the order of the fields. */
export type MockEntity = Map<string, StoreValue>;

export class MockStore {
  private readonly types = new Map<string, Map<string, MockEntity>>();

  constructor(private readonly schema: SubgraphSchema) {}

  get(type: string, id: string): MockEntity | null {
    return this.types.get(type)?.get(id) ?? null;
  }

  /** Stores `fields` as the whole entity. @throws HostError for a missing or null required field. */
  set(type: string, id: string, fields: MockEntity): void {
    for (const name of this.requiredFields(type)) {
      const value = fields.get(name);
      if (value === undefined) {
        throw new HostError("invalid-argument", `Missing value for non-nullable field '${name}' for an entity of type '${type}'.`);
      }
      if (value.kind === SK.NULL) {
        throw new HostError("invalid-argument", `The required field '${name}' for an entity of type '${type}' is null.`);
      }
    }
    let entities = this.types.get(type);
    if (!entities) this.types.set(type, (entities = new Map()));
    entities.set(id, fields);
  }

  /** @throws HostError when there is no such entity. */
  remove(type: string, id: string): void {
    if (!this.types.get(type)?.delete(id)) {
      throw new HostError("invalid-argument", `(store.remove) Entity with type '${type}' and id '${id}' does not exist.`);
    }
  }

  has(type: string, id: string): boolean {
    return this.types.get(type)?.has(id) ?? false;
  }

  /** Whether some entity of `type` was ever stored (matchstick's "No entities with type …" check). */
  hasType(type: string): boolean {
    return this.types.has(type);
  }

  count(type: string): number {
    return this.types.get(type)?.size ?? 0;
  }

  clear(): void {
    this.types.clear();
  }

  /**
   * The entities a `@derivedFrom` field of `type` lists for `id`: those of the field's type (every implementation of
   * an interface) whose backing field is `id`, or a list holding it, compared as matchstick compares them (as text).
   */
  related(type: string, id: string, field: string): MockEntity[] {
    const def = this.schema.entities.get(type)?.fieldsByName.get(field);
    if (def?.derivedFrom === undefined) return [];
    const backing = def.derivedFrom;
    const targets = this.schema.interfaces.get(def.type.name)?.implementations ?? [def.type.name];
    const found: MockEntity[] = [];
    for (const target of targets) {
      for (const entity of this.types.get(target)?.values() ?? []) {
        const value = entity.get(backing);
        if (value === undefined) continue;
        const ids = value.kind === SK.ARRAY ? value.value : value.kind === SK.STRING || value.kind === SK.BYTES ? [value] : [];
        if (ids.some((item) => displayStoreValue(item) === id)) found.push(entity);
      }
    }
    return found;
  }

  /** The store as JSON text, for `logStore`. */
  toJson(): string {
    const out: Record<string, Record<string, Record<string, unknown>>> = {};
    for (const [type, entities] of this.types) {
      out[type] = {};
      for (const [id, entity] of entities) out[type][id] = entityJson(entity);
    }
    return JSON.stringify(out, null, 2);
  }

  private requiredFields(type: string): string[] {
    const entity = this.schema.entities.get(type);
    if (!entity) throw new MatchstickCritical("Something went wrong! Could not find the entity defined in the GraphQL schema.");
    return entity.fields.filter((f) => f.type.nonNull && f.derivedFrom === undefined).map((f) => f.name);
  }
}

/** An entity's fields as JSON: numbers and strings as they are, everything else as graph-node displays it. */
export function entityJson(entity: MockEntity): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of entity) fields[name] = valueJson(value);
  return fields;
}

function valueJson(value: StoreValue): unknown {
  switch (value.kind) {
    case SK.STRING:
    case SK.INT:
    case SK.BOOL:
      return value.value;
    case SK.NULL:
      return null;
    case SK.ARRAY:
      return value.value.map(valueJson);
    default:
      return displayStoreValue(value);
  }
}
