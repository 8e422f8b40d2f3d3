/** SchemaInfo.entityEntries: an entity as the typed entries graph-node hands to WASM. */
import { describe, expect, it } from "vitest";
import { SchemaInfo } from "../../../src/indexer/runtime/entity.ts";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";

const schema = parseSchema(`
  type Item @entity(immutable: true) {
    id: ID!
    zeta: String
    alpha: Int
    constructor: String
    owner: Owner
  }
  type Owner @entity(immutable: true) {
    id: ID!
    items: [Item!]! @derivedFrom(field: "owner")
  }
`);
const info = new SchemaInfo(schema);
const item = schema.entities.get("Item")!;
const owner = schema.entities.get("Owner")!;

describe("SchemaInfo.entityEntries", () => {
  it("gives the stored fields that have a value, sorted by name", () => {
    const entries = info.entityEntries(item, { zeta: "z", id: "i1", alpha: 3, owner: "o1", constructor: null });
    expect(entries.map(([name]) => name)).toEqual(["alpha", "id", "owner", "zeta"]);
    expect(entries[0]![1]).toEqual({ kind: 1, value: 3 });
  });

  it("leaves out fields an entity does not have, a field named like Object.prototype's among them", () => {
    expect(info.entityEntries(item, { id: "i2" }).map(([name]) => name)).toEqual(["id"]);
    expect(info.entityEntries(item, { id: "i3", constructor: "c" }).map(([name]) => name)).toEqual(["constructor", "id"]);
  });

  it("leaves out derived fields and keys the schema does not store", () => {
    expect(info.entityEntries(owner, { id: "o1", items: ["i1"], stray: 1 }).map(([name]) => name)).toEqual(["id"]);
  });
});
