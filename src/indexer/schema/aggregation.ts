/**
 * Timeseries (`@entity(timeseries: true)`) and aggregations (`@aggregation(intervals, source)` with
 * `@aggregate(fn, arg, cumulative)` fields): their model and graph-node's validation of them.
 *
 * Spec: graph-node docs/aggregations.md. Checks, their order and their messages: graph-node
 * graph/src/schema/input/mod.rs (`validate_entity_directives`, `validate_entity_type_ids`, `validate_fields`,
 * `validate_aggregations`) and graph/src/schema/mod.rs (`SchemaValidationError`). Like graph-node, every error found is
 * reported (joined with "; ").
 */
import { Kind, type ConstValueNode, type DocumentNode, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from "graphql";

/** Aggregation intervals graph-node supports, in increasing size, with their length in seconds (`AggregationInterval`). */
export const AGGREGATION_INTERVALS = { hour: 3600, day: 86400 } as const;
export type AggregationInterval = keyof typeof AGGREGATION_INTERVALS;

/** graph-node's `AggregateFn`. */
export const AGGREGATE_FNS = ["sum", "max", "min", "count", "first", "last"] as const;
export type AggregateFn = (typeof AGGREGATE_FNS)[number];

/** One `@aggregate` field. */
export interface AggregateDef {
  /** The aggregation's field that holds the aggregate. */
  field: string;
  fn: AggregateFn;
  /** The source (timeseries) field aggregated; null for `count`. */
  arg: string | null;
  /** Aggregates over the whole series up to the bucket's end instead of over the bucket alone. */
  cumulative: boolean;
}

/** What an `@aggregation` type adds to its entity type. */
export interface AggregationDef {
  /** The timeseries type the data points come from. */
  source: string;
  intervals: AggregationInterval[];
  /** Fields without `@aggregate` other than id and timestamp: the rollup groups by them. */
  dimensions: string[];
  aggregates: AggregateDef[];
}

/** The first spec version with timeseries, aggregations and Int8 ids (graph-node `SPEC_VERSION_1_1_0`). */
export const SPEC_VERSION_1_1_0 = "1.1.0";

const NUMERIC = ["Int", "Int8", "BigInt", "BigDecimal"];
/** graph-node's `PartialOrd for ValueType` on numeric types: an arg may be narrower than its aggregate, not wider. */
const NUMERIC_WIDTH: Record<string, number> = { Int: 0, Int8: 1, BigInt: 2, BigDecimal: 3 };
const SCALAR_NAMES = new Set(["ID", "String", "Int", "Int8", "BigInt", "BigDecimal", "Boolean", "Bytes", "Timestamp"]);

/** Compares dotted versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const baseType = (field: FieldDefinitionNode): string => {
  let type = field.type;
  while (type.kind !== Kind.NAMED_TYPE) type = type.type;
  return type.name.value;
};
const fieldNamed = (type: ObjectTypeDefinitionNode, name: string) => type.fields?.find((f) => f.name.value === name);
const directive = (node: ObjectTypeDefinitionNode | FieldDefinitionNode, name: string) => node.directives?.find((d) => d.name.value === name);
const argument = (node: ReturnType<typeof directive>, name: string): ConstValueNode | undefined =>
  node?.arguments?.find((a) => a.name.value === name)?.value as ConstValueNode | undefined;
const printed = (value: ConstValueNode): string =>
  value.kind === Kind.STRING || value.kind === Kind.ENUM ? value.value : value.kind === Kind.INT ? value.value : value.kind;

/** `IdType::try_from(obj_type)`: the id type, or graph-node's error text. */
function idTypeOf(type: ObjectTypeDefinitionNode): { idType?: "String" | "Bytes" | "Int8"; error?: string } {
  const id = fieldNamed(type, "id");
  if (!id) return { error: `Type ${type.name.value} does not have an \`id\` field` };
  const base = baseType(id);
  if (base === "ID" || base === "String") return { idType: "String" };
  if (base === "Bytes" || base === "Int8") return { idType: base };
  return { error: `Entity type ${type.name.value} uses illegal type ${base} for id column` };
}

/** `valid_timestamp_field`. */
function timestampError(type: ObjectTypeDefinitionNode): string | null {
  const field = fieldNamed(type, "timestamp");
  if (!field) return `Timeseries ${type.name.value} is missing a \`timestamp\` field`;
  const base = baseType(field);
  if (base !== "Timestamp") return `Type ${type.name.value} has a \`timestamp\` field of type ${base}, but it must be of type Timestamp`;
  return null;
}

/**
 * graph-node's validation of object types, timeseries and aggregations, as far as it concerns them: the errors in
 * graph-node's order and text (one per type and check; graph-node may list several per aggregation). `specVersion` undefined: the latest (no version checks).
 */
export function validateTimeseriesSchema(document: DocumentNode, specVersion: string | undefined): string[] {
  const errors: string[] = [];
  const before110 = specVersion !== undefined && compareVersions(specVersion, SPEC_VERSION_1_1_0) < 0;
  const objects = document.definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION);
  const entities = objects.filter((o) => directive(o, "entity"));
  const aggregations = objects.filter((o) => directive(o, "aggregation"));
  const extra = objects.filter((o) => !directive(o, "entity") && !directive(o, "aggregation") && o.name.value !== "_Schema_");
  if (extra.length > 0) errors.push(`@entity directive missing on the following types: \`${extra.map((o) => o.name.value).join(", ")}\``);
  for (const entity of entities) {
    const error = entityDirectiveError(entity);
    if (error) errors.push(error);
  }
  for (const entity of entities) {
    if (!fieldNamed(entity, "id")) {
      errors.push(`Type ${entity.name.value} is missing an \`id\` field`);
      continue;
    }
    const { idType, error } = idTypeOf(entity);
    if (error) errors.push(error);
    if (idType === "Int8" && before110) {
      errors.push(`Using Int8 as the type for the \`id\` field is not supported with spec version ${specVersion}; please migrate the subgraph to the latest version`);
    }
  }
  const named = document.definitions.filter((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION || d.kind === Kind.ENUM_TYPE_DEFINITION);
  const known = new Set(named.map((d) => d.name.value));
  for (const type of document.definitions) {
    if (type.kind !== Kind.OBJECT_TYPE_DEFINITION && type.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const field of type.fields ?? []) {
      const base = baseType(field);
      if (!SCALAR_NAMES.has(base) && !known.has(base)) errors.push(`Type \`${type.name.value}\`, field \`${field.name.value}\`: type \`${base}\` is not defined`);
    }
  }
  if (aggregations.length > 0 && before110) {
    errors.push(`Aggregations are not supported with spec version ${specVersion}; please migrate the subgraph to the latest version`);
    return errors;
  }
  for (const aggregation of aggregations) {
    const error = aggregationError(aggregation, entities);
    if (error) errors.push(error);
  }
  return errors;
}

/** `validate_entity_directives` for one type. */
function entityDirectiveError(type: ObjectTypeDefinitionNode): string | null {
  const entity = directive(type, "entity");
  const flag = (name: string): boolean | undefined | string => {
    const value = argument(entity, name);
    if (value === undefined) return undefined;
    return value.kind === Kind.BOOLEAN ? value.value : `The \`${name}\` argument of the @entity directive must be a boolean`;
  };
  const timeseries = flag("timeseries");
  if (typeof timeseries === "string") return timeseries;
  const immutable = flag("immutable");
  if (typeof immutable === "string") return immutable;
  if (!timeseries) return null;
  if (immutable === false) return `Timeseries ${type.name.value} is marked as mutable, it must be immutable`;
  const id = fieldNamed(type, "id");
  if (!id) return `Type ${type.name.value} is missing an \`id\` field`;
  if (baseType(id) !== "Int8") return `Timeseries \`${type.name.value}\` must have an \`id\` field of type \`Int8\``;
  return timestampError(type);
}

/** `validate_aggregations` for one aggregation type. */
function aggregationError(agg: ObjectTypeDefinitionNode, entities: ObjectTypeDefinitionNode[]): string | null {
  const name = agg.name.value;
  const timestamp = timestampError(agg);
  if (timestamp) return timestamp;
  for (const field of agg.fields ?? []) {
    if (directive(field, "derivedFrom")) return `Aggregation ${name} has a derived field ${field.name.value} but fields in aggregations can not be derived`;
  }
  const isEntity = (type: string) => entities.some((e) => e.name.value === type);
  for (const field of agg.fields ?? []) {
    const aggregate = directive(field, "aggregate");
    if (!aggregate) continue;
    const fn = argument(aggregate, "fn");
    const firstLast = (fn?.kind === Kind.STRING || fn?.kind === Kind.ENUM) && (fn.value === "first" || fn.value === "last");
    const base = baseType(field);
    if (NUMERIC.includes(base)) continue;
    if (SCALAR_NAMES.has(base)) {
      if (firstLast && (base === "Bytes" || base === "String" || base === "ID")) continue;
      return firstLast
        ? `Aggregation '${name}', field '${field.name.value}': first/last aggregates must use a numeric, byte array, string or a reference type`
        : `Aggregation ${name}, field${field.name.value}: aggregates must use a numeric type, one of Int, Int8, BigInt, and BigDecimal`;
    }
    if (firstLast && isEntity(base)) continue;
    return `Type \`${name}\`, field \`${field.name.value}\`: type \`${base}\` is not defined`;
  }
  return aggregateDirectiveError(agg, entities) ?? intervalsError(agg);
}

/** `aggregate_directive`: the source, the id type, every aggregate and dimension. */
function aggregateDirectiveError(agg: ObjectTypeDefinitionNode, entities: ObjectTypeDefinitionNode[]): string | null {
  const name = agg.name.value;
  const sourceArg = argument(directive(agg, "aggregation"), "source");
  if (sourceArg === undefined) return `Aggregation ${name} is missing the \`source\` argument`;
  if (sourceArg.kind !== Kind.STRING) return `Aggregation ${name} has an invalid argument for \`source\`: it must be the name of a timeseries`;
  const source = entities.find((e) => e.name.value === sourceArg.value);
  if (!source) return `Aggregaton ${name} uses ${sourceArg.value} as the source, but there is no timeseries of that name`;
  const timeseries = argument(directive(source, "entity"), "timeseries");
  if (timeseries?.kind !== Kind.BOOLEAN || !timeseries.value) {
    return `Aggregation ${name} uses ${source.name.value} as the source, but that type is not a timeseries`;
  }
  const sourceId = idTypeOf(source);
  if (sourceId.error) return sourceId.error;
  const aggId = idTypeOf(agg);
  if (aggId.error) return aggId.error;
  if (aggId.idType !== sourceId.idType) {
    return `The type of the \`id\` field for aggregation ${name} must be ${sourceId.idType}, the same as in the source, but is ${aggId.idType}`;
  }
  let hasAggregate = false;
  for (const field of agg.fields ?? []) {
    const fieldName = field.name.value;
    if (fieldName === "id" || fieldName === "timestamp") continue;
    const aggregate = directive(field, "aggregate");
    if (!aggregate) {
      const sourceField = fieldNamed(source, fieldName);
      if (!sourceField) return `Aggregation ${name} uses ${source.name.value} as the source, but that does not have a field ${fieldName}`;
      if (baseType(field) !== baseType(sourceField)) {
        return `Field ${fieldName} in aggregation ${name} has type ${baseType(field)} but its type in the source is ${baseType(sourceField)}`;
      }
      continue;
    }
    hasAggregate = true;
    const error = aggregateError(agg, field, source);
    if (error) return error;
  }
  return hasAggregate ? null : `Aggregation ${name} has no @aggregate fields`;
}

/** The checks of one `@aggregate(fn, arg, cumulative)`. */
function aggregateError(agg: ObjectTypeDefinitionNode, field: FieldDefinitionNode, source: ObjectTypeDefinitionNode): string | null {
  const [name, fieldName] = [agg.name.value, field.name.value];
  const aggregate = directive(field, "aggregate");
  const fn = argument(aggregate, "fn");
  if (fn === undefined) return `Field ${fieldName} in aggregation ${name} is missing the \`fn\` argument`;
  const fnName = fn.kind === Kind.STRING || fn.kind === Kind.ENUM ? fn.value : printed(fn);
  if (!(AGGREGATE_FNS as readonly string[]).includes(fnName)) return `Field ${fieldName} in aggregation ${name} uses the unknown aggregation function \`${fnName}\``;
  const arg = argument(aggregate, "arg");
  if (arg === undefined) {
    return fnName === "count" ? null : `Field ${fieldName} in aggregation ${name} is missing the \`arg\` argument since the function ${fnName} requires it`;
  }
  if (arg.kind !== Kind.STRING) return `Field ${fieldName} in aggregation ${name} has an invalid argument for \`arg\`: it must be a string`;
  const cumulative = argument(aggregate, "cumulative");
  if (cumulative !== undefined && cumulative.kind !== Kind.BOOLEAN) {
    return `Field ${fieldName} in aggregation ${name} has an invalid value for \`cumulative\`. It needs to be a boolean`;
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg.value)) {
    return `Field ${fieldName} in aggregation ${name} has \`arg\` "${arg.value}": expressions are not supported by this runtime, only the name of a field of ${source.name.value}`;
  }
  const argField = fieldNamed(source, arg.value);
  if (!argField) return `Field ${fieldName} in aggregation ${name} has \`arg\` ${arg.value} but the source type does not have such a field`;
  const argType = baseType(argField);
  const firstLast = fnName === "first" || fnName === "last";
  if (!NUMERIC.includes(argType)) {
    if (firstLast && (argType === "Bytes" || argType === "String" || argType === "ID" || argType === baseType(field))) return null;
    return `Field ${fieldName} in aggregation ${name} has arg \`${arg.value}\` but that is not a numeric field in ${source.name.value}`;
  }
  const fieldType = baseType(field);
  if (!NUMERIC.includes(fieldType)) return `Aggregation ${name}, field${fieldName}: aggregates must use a numeric type, one of Int, Int8, BigInt, and BigDecimal`;
  if (NUMERIC_WIDTH[argType]! > NUMERIC_WIDTH[fieldType]!) {
    return `Field ${fieldName} in aggregation ${name} has \`arg\` ${arg.value} of type ${argType} but it is of the wider type ${fieldType} in the source`;
  }
  return null;
}

/** `aggregation_intervals`. */
function intervalsError(agg: ObjectTypeDefinitionNode): string | null {
  const name = agg.name.value;
  const intervals = argument(directive(agg, "aggregation"), "intervals");
  if (intervals === undefined) return `Aggregation ${name} is missing an \`intervals\` argument for the timeseries directive`;
  const wrong = `Aggregation ${name} has an invalid argument for \`intervals\`: it must be a non-empty list of strings`;
  if (intervals.kind !== Kind.LIST || intervals.values.length === 0) return wrong;
  if (intervals.values.some((v) => v.kind !== Kind.STRING)) return wrong;
  for (const value of intervals.values) {
    const interval = (value as { value: string }).value;
    if (!(interval in AGGREGATION_INTERVALS)) return `Aggregation ${name}: the interval ${interval} is not supported`;
  }
  return null;
}

/** The model of a validated `@aggregation` type. */
export function aggregationDef(agg: ObjectTypeDefinitionNode): AggregationDef {
  const dir = directive(agg, "aggregation");
  const intervals = (argument(dir, "intervals") as unknown as { values: { value: string }[] }).values.map((v) => v.value as AggregationInterval);
  const dimensions: string[] = [];
  const aggregates: AggregateDef[] = [];
  for (const field of agg.fields ?? []) {
    const fieldName = field.name.value;
    if (fieldName === "id" || fieldName === "timestamp") continue;
    const aggregate = directive(field, "aggregate");
    if (!aggregate) {
      dimensions.push(fieldName);
      continue;
    }
    const arg = argument(aggregate, "arg");
    const cumulative = argument(aggregate, "cumulative");
    aggregates.push({
      field: fieldName,
      fn: (argument(aggregate, "fn") as { value: string }).value as AggregateFn,
      arg: arg?.kind === Kind.STRING ? arg.value : null,
      cumulative: cumulative?.kind === Kind.BOOLEAN ? cumulative.value : false,
    });
  }
  // graph-node's rollups run in increasing interval size (AggregationMapping's order).
  const sorted = [...new Set(intervals)].sort((a, b) => AGGREGATION_INTERVALS[a] - AGGREGATION_INTERVALS[b]);
  return { source: (argument(dir, "source") as { value: string }).value, intervals: sorted, dimensions, aggregates };
}
