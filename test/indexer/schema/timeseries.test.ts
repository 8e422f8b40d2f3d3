/**
 * Schema validation of timeseries and aggregations against graph-node's own test schemas
 * (graph/src/schema/test_schemas/ts_*.graphql, copied into fixtures/timeseries with their `# valid` / `# fail`
 * headers) and graph-node's messages (graph/src/schema/mod.rs `SchemaValidationError`). graph-node validates them
 * at its latest spec version; `no_aggregations.graphql` at 0.0.9.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";

const dir = new URL("./fixtures/timeseries/", import.meta.url);
const schema = (name: string) => readFileSync(new URL(name, dir), "utf8");

/** graph-node's error (variant in the file's header) as its Display prints it. */
const FAILURES: Record<string, string> = {
  "no_aggregations.graphql": "Aggregations are not supported with spec version 0.0.9; please migrate the subgraph to the latest version",
  "ts_data_mutable.graphql": "Timeseries Data is marked as mutable, it must be immutable",
  "ts_data_no_id.graphql": "Type Data is missing an `id` field",
  "ts_data_no_timestamp.graphql": "Timeseries Data is missing a `timestamp` field",
  "ts_data_not_timeseries.graphql": "Aggregation Stats uses Data as the source, but that type is not a timeseries",
  "ts_derived_from.graphql": "Aggregation Stats has a derived field token but fields in aggregations can not be derived",
  "ts_empty_intervals.graphql": "Aggregation Stats has an invalid argument for `intervals`: it must be a non-empty list of strings",
  "ts_id_type_mismatch.graphql": "Timeseries `Data` must have an `id` field of type `Int8`",
  "ts_invalid_arg.graphql": "Field max in aggregation Stats has arg `token` but that is not a numeric field in Data",
  "ts_invalid_cumulative.graphql": "Field sum in aggregation Stats has an invalid value for `cumulative`. It needs to be a boolean",
  "ts_invalid_first_type_reference.graphql": "Type `Stats`, field `firstBlockNumber`: type `BlockNumber` is not defined",
  "ts_invalid_fn.graphql": "Field doit in aggregation Stats uses the unknown aggregation function `doit`",
  "ts_invalid_interval.graphql": "Aggregation Stats: the interval fortnight is not supported",
  "ts_invalid_last_type_reference.graphql": "Type `Stats`, field `lastBlockNumber`: type `BlockNumber` is not defined",
  "ts_invalid_timestamp_aggregation.graphql": "Type Stats has a `timestamp` field of type Int8, but it must be of type Timestamp",
  "ts_invalid_timestamp_timeseries.graphql": "Type Data has a `timestamp` field of type Int8, but it must be of type Timestamp",
  "ts_missing_arg.graphql": "Field max in aggregation Stats is missing the `arg` argument since the function max requires it",
  "ts_missing_fn.graphql": "Field max in aggregation Stats is missing the `fn` argument",
  "ts_missing_type.graphql": "Type `Data`, field `token`: type `Token` is not defined",
  "ts_no_aggregate.graphql": "Aggregation Stats has no @aggregate fields",
  "ts_no_id.graphql": "Type Stats does not have an `id` field",
  "ts_no_interval.graphql": "Aggregation Stats is missing an `intervals` argument for the timeseries directive",
  "ts_no_timeseries.graphql": "@entity directive missing on the following types: `Stats`",
  "ts_no_timestamp.graphql": "Timeseries Stats is missing a `timestamp` field",
  "ts_wrong_interval.graphql": "Aggregation Stats has an invalid argument for `intervals`: it must be a non-empty list of strings",
  // graph-node parses `arg` as SQL; this runtime takes a field name only (docs/ lists it as a difference).
  "ts_expr_random.graphql": 'Field max_price in aggregation Stats has `arg` "random()": expressions are not supported by this runtime, only the name of a field of Data',
  "ts_expr_syntax_err.graphql": 'Field max_price in aggregation Stats has `arg` "greatest(price0,": expressions are not supported by this runtime, only the name of a field of Data',
};
/** Valid for graph-node and here. ts_expr_simple.graphql is valid for graph-node but uses expressions. */
const VALID = ["ts_valid.graphql", "ts_valid_cumulative.graphql", "ts_valid_minimal.graphql", "ts_valid_non_numeric_first_last.graphql"];

describe("graph-node's timeseries test schemas", () => {
  it("covers every copied schema", () => {
    const files = readdirSync(dir).sort();
    expect(files).toEqual([...Object.keys(FAILURES), ...VALID, "ts_expr_simple.graphql"].sort());
  });

  for (const [file, message] of Object.entries(FAILURES)) {
    it(`refuses ${file}: ${message}`, () => {
      expect(schema(file).split("\n")[0]).toMatch(/^# fail/);
      const specVersion = file === "no_aggregations.graphql" ? "0.0.9" : "1.3.0";
      expect(() => parseSchema(schema(file), { specVersion })).toThrow(message);
    });
  }

  for (const file of VALID) {
    it(`accepts ${file}`, () => {
      expect(schema(file).split("\n")[0]).toMatch(/^# valid/);
      const parsed = parseSchema(schema(file), { specVersion: "1.1.0" });
      const stats = parsed.entities.get("Stats")!;
      expect(stats.aggregation?.source).toBe("Data");
      expect(stats.aggregation?.intervals).toEqual(["hour", "day"]);
      expect(parsed.entities.get("Data")).toMatchObject({ timeseries: true, immutable: true, idType: "Int8" });
    });
  }

  it("reads dimensions, functions and the cumulative flag", () => {
    const stats = parseSchema(schema("ts_valid.graphql")).entities.get("Stats")!.aggregation!;
    expect(stats.dimensions).toEqual(["token"]);
    expect(stats.aggregates).toEqual([
      { field: "max", fn: "max", arg: "price", cumulative: false },
      { field: "sum", fn: "sum", arg: "price", cumulative: false },
    ]);
    expect(parseSchema(schema("ts_valid_cumulative.graphql")).entities.get("Stats")!.aggregation!.aggregates[0]!.cumulative).toBe(true);
  });

  it("needs spec version 1.1.0 for Int8 ids", () => {
    expect(() => parseSchema("type A @entity { id: Int8! }", { specVersion: "1.0.0" })).toThrow(
      "Using Int8 as the type for the `id` field is not supported with spec version 1.0.0; please migrate the subgraph to the latest version",
    );
  });
});
