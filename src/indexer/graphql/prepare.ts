/**
 * Turns a parsed query document into graph-node's executable form (`graphql/src/execution/query.rs`, `Query::new`):
 * picks the single operation, coerces variables, measures the query against the operator's limits (depth, fields,
 * complexity, fragment cycles; see query-shape.ts), reports unknown fields, then
 * expands fragments, applies `@skip`/`@include`, coerces arguments and builds {@link SelectionSet}s keyed by concrete
 * object type.
 *
 * graph-node runs with GraphQL validation off by default (`ENABLE_GRAPHQL_VALIDATIONS=false`), so this does what it
 * does instead of spec validation: unknown arguments are dropped, a non-leaf field without a selection set is left out
 * of the result, a selection set on a leaf field is ignored, and the first occurrence of a response key wins.
 */
import {
  getNamedType,
  isAbstractType,
  isInputType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  typeFromAST,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { coerceArgument, coerceVariable } from "./coercion.ts";
import { QueryErrors, QueryExecutionError, type SourcePosition } from "./errors.ts";
import { rvalueFromAst, rvalueFromJson, type RValue } from "./input-values.ts";
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from "./limits.ts";
import { checkQueryShape } from "./query-shape.ts";

const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;

/** A field ready to execute: variables interpolated, arguments coerced (defaults applied), fragments expanded. */
export class PreparedField {
  constructor(
    readonly name: string,
    readonly alias: string | undefined,
    readonly position: SourcePosition,
    /** Coerced arguments of the field's definition; absent optional arguments are missing. */
    readonly args: ReadonlyMap<string, RValue>,
    /** Sub-selection by concrete object type; empty for leaf fields. */
    readonly selection: SelectionSet,
    /** The field nodes of the query this field was built from (used to run introspection with graphql-js). */
    readonly nodes: FieldNode[],
  ) {}

  /** Alias if present, else name: the key in the response. */
  get responseKey(): string {
    return this.alias ?? this.name;
  }

  /** A deep copy (selection sets are merged into in place). */
  clone(): PreparedField {
    return new PreparedField(this.name, this.alias, this.position, this.args, this.selection.clone(), [...this.nodes]);
  }
}

/**
 * The fields to select per concrete object type (graph-node's `a::SelectionSet`). For a field of interface type there
 * is one entry per implementation; otherwise one.
 */
export class SelectionSet {
  readonly items: { typeName: string; fields: PreparedField[] }[];

  constructor(typeNames: readonly string[]) {
    this.items = typeNames.map((typeName) => ({ typeName, fields: [] }));
  }

  /** A selection set for the same types without fields. */
  static emptyFrom(other: SelectionSet): SelectionSet {
    return new SelectionSet(other.items.map((item) => item.typeName));
  }

  get isEmpty(): boolean {
    return this.items.every((item) => item.fields.length === 0);
  }

  /** The fields selected for `typeName`. */
  fieldsFor(typeName: string): PreparedField[] {
    const item = this.items.find((entry) => entry.typeName === typeName);
    if (!item) throw new QueryExecutionError(`invalid query: no fields for type \`${typeName}\``, { attestable: false });
    return item.fields;
  }

  /**
   * Adds `field` for every type of the set (merging sub-selections with an existing field of the same key). The set
   * takes ownership of `field`; further types get copies.
   */
  push(field: PreparedField): void {
    this.items.forEach((item, index) => SelectionSet.mergeField(item.fields, index === 0 ? field : field.clone()));
  }

  /** Merges (and takes ownership of) the fields of `other`, whose types must be a subset of this set's types. */
  merge(other: SelectionSet): void {
    for (const otherItem of other.items) {
      const item = this.items.find((entry) => entry.typeName === otherItem.typeName);
      if (!item) {
        throw new QueryExecutionError(
          `invalid query: can not merge fields because type \`${otherItem.typeName}\` showed up unexpectedly`,
          { attestable: false },
        );
      }
      for (const field of otherItem.fields) SelectionSet.mergeField(item.fields, field);
    }
  }

  private static mergeField(fields: PreparedField[], field: PreparedField): void {
    const existing = fields.find((f) => f.responseKey === field.responseKey);
    if (!existing) {
      fields.push(field);
      return;
    }
    existing.selection.merge(field.selection);
    existing.nodes.push(...field.nodes);
  }

  /** A deep copy. */
  clone(): SelectionSet {
    const copy = new SelectionSet([]);
    for (const item of this.items) copy.items.push({ typeName: item.typeName, fields: item.fields.map((f) => f.clone()) });
    return copy;
  }
}

/** A query after preparation. */
export interface PreparedQuery {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** Coerced variables by name. */
  variables: ReadonlyMap<string, RValue>;
  /** The root selection set (for type `Query`). */
  selection: SelectionSet;
}

/** The position graph-node reports for a node (1-based line and column of its start). */
export function positionOf(node: { loc?: { startToken: { line: number; column: number } } }): SourcePosition {
  const token = node.loc?.startToken;
  return token ? { line: token.line, column: token.column } : { line: 0, column: 0 };
}

type CompositeType = GraphQLObjectType | GraphQLInterfaceType;

/** The definition of `name` on `type`, including `__typename` and (on Query) `__schema` / `__type`. */
export function fieldDefinition(schema: GraphQLSchema, type: CompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === "__typename") return TypeNameMetaFieldDef;
  if (type === schema.getQueryType()) {
    if (name === "__schema") return SchemaMetaFieldDef;
    if (name === "__type") return TypeMetaFieldDef;
  }
  return type.getFields()[name];
}

const asComposite = (type: GraphQLNamedType | undefined): CompositeType | undefined =>
  type && (isObjectType(type) || isInterfaceType(type)) ? type : undefined;

/**
 * Prepares a parsed document for execution against the API schema.
 *
 * @throws QueryExecutionError[] (an array) with graph-node's errors: "Operation name required", variable errors,
 *   "query has fragment cycle including `F`", the limits of {@link checkQueryShape}, "Type `Query` has no field `x`",
 *   argument coercion errors (a `first` or `skip` beyond Int gets the range error of `maxFirst` / `maxSkip`).
 */
export function prepareQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  variablesJson: unknown,
  limits: QueryLimits = DEFAULT_QUERY_LIMITS,
): PreparedQuery {
  let operation: OperationDefinitionNode | undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      if (operation) throw [QueryErrors.operationNameRequired()];
      operation = definition;
    } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  if (!operation) throw [QueryErrors.operationNameRequired()];

  const variables = coerceVariables(schema, operation, variablesJson);
  if (operation.operation === "subscription") throw [QueryErrors.notSupported("Subscriptions are not supported")];
  if (operation.operation === "mutation") throw [QueryErrors.notSupported("Mutations are not supported")];

  const queryType = schema.getQueryType()!;
  // Measured first, so that nothing below walks a query that is too deep, too large or cyclic.
  checkQueryShape(schema, operation.selectionSet, fragments, variables, limits);
  const unknown = validateFields(schema, queryType, operation.selectionSet, fragments, new Set());
  if (unknown.length > 0) throw unknown;

  const expander = new Expander(schema, fragments, variables, limits);
  const selection = expander.expandSelectionSet(operation.selectionSet, [queryType.name], queryType);
  return { document, operation, variables, selection };
}

/** graph-node's `coerce_variables`. */
function coerceVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, json: unknown): Map<string, RValue> {
  const provided =
    json !== null && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const coerced = new Map<string, RValue>();
  const errors: QueryExecutionError[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const position = positionOf(definition);
    const type = typeFromAST(schema, definition.type as never);
    if (!type || !isInputType(type)) {
      errors.push(QueryErrors.invalidVariableType(position, name));
      continue;
    }
    let value: RValue | undefined = Object.prototype.hasOwnProperty.call(provided, name)
      ? rvalueFromJson(provided[name])
      : undefined;
    if (value === undefined && definition.defaultValue) value = rvalueFromAst(definition.defaultValue, new Map());
    if (value === undefined) {
      if (definition.type.kind === Kind.NON_NULL_TYPE) errors.push(QueryErrors.missingVariable(position, name));
      continue;
    }
    try {
      coerced.set(name, coerceVariable(value, type, name, position));
    } catch (error) {
      throw [error];
    }
  }
  if (errors.length > 0) throw errors;
  return coerced;
}

/** graph-node's `validate_fields`: unknown fields, unknown fragments, unknown fragment types. */
function validateFields(
  schema: GraphQLSchema,
  type: CompositeType,
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  path: ReadonlySet<string>,
): QueryExecutionError[] {
  const errors: QueryExecutionError[] = [];
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const def = fieldDefinition(schema, type, selection.name.value);
      if (!def) {
        errors.push(QueryErrors.unknownField(positionOf(selection), type.name, selection.name.value));
        continue;
      }
      const child = asComposite(getNamedType(def.type));
      if (child && selection.selectionSet) errors.push(...validateFields(schema, child, selection.selectionSet, fragments, path));
    } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment) {
        errors.push(QueryErrors.undefinedFragment(name));
        continue;
      }
      if (path.has(name)) {
        errors.push(QueryErrors.cyclicalFragment(name));
        continue;
      }
      const fragmentType = asComposite(schema.getType(fragment.typeCondition.name.value));
      if (!fragmentType) {
        errors.push(QueryErrors.namedType(fragment.typeCondition.name.value));
        continue;
      }
      errors.push(...validateFields(schema, fragmentType, fragment.selectionSet, fragments, new Set([...path, name])));
    } else {
      const conditionName = selection.typeCondition?.name.value;
      const conditionType = conditionName === undefined ? type : asComposite(schema.getType(conditionName));
      if (!conditionType) {
        errors.push(QueryErrors.namedType(conditionName!));
        continue;
      }
      errors.push(...validateFields(schema, conditionType, selection.selectionSet, fragments, path));
    }
  }
  return errors;
}

/** Expands selections into {@link SelectionSet}s (graph-node's `Transform`). */
class Expander {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly variables: ReadonlyMap<string, RValue>,
    private readonly limits: Pick<QueryLimits, "maxFirst" | "maxSkip">,
  ) {}

  /** Concrete object types a value of `type` can have. */
  private concreteTypes(type: GraphQLNamedType): string[] {
    if (isAbstractType(type)) return this.schema.getPossibleTypes(type).map((t) => t.name);
    return [type.name];
  }

  /** `@skip(if: true)` / `@include(if: false)` (a non-boolean `if` counts as false, like graph-node). */
  private skipped(directives: readonly DirectiveNode[] | undefined): boolean {
    for (const directive of directives ?? []) {
      const name = directive.name.value;
      if (name !== "skip" && name !== "include") continue;
      const arg = directive.arguments?.find((a) => a.name.value === "if");
      const value = arg ? rvalueFromAst(arg.value, this.variables) : true;
      const condition = arg === undefined ? true : value === true;
      if (name === "skip" ? condition : !condition) return true;
    }
    return false;
  }

  expandSelectionSet(set: SelectionSetNode, typeNames: readonly string[], type: CompositeType): SelectionSet {
    const result = new SelectionSet(typeNames);
    const visitedFragments = new Set<string>();
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = this.expandField(selection, type);
        if (field) result.push(field);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        if (visitedFragments.has(name)) continue;
        visitedFragments.add(name);
        const fragment = this.fragments.get(name)!;
        this.expandFragment(fragment.directives, fragment.typeCondition.name.value, typeNames, fragment.selectionSet, type, result);
      } else {
        this.expandFragment(selection.directives, selection.typeCondition?.name.value, typeNames, selection.selectionSet, type, result);
      }
    }
    return result;
  }

  private expandFragment(
    directives: readonly DirectiveNode[] | undefined,
    condition: string | undefined,
    typeNames: readonly string[],
    set: SelectionSetNode,
    type: CompositeType,
    into: SelectionSet,
  ): void {
    if (this.skipped(directives)) return;
    const conditionType = condition === undefined ? type : (asComposite(this.schema.getType(condition)) as CompositeType);
    const allowed = condition === undefined ? typeNames : this.concreteTypes(conditionType);
    const intersection = typeNames.filter((name) => allowed.includes(name));
    into.merge(this.expandSelectionSet(set, intersection, conditionType));
  }

  /**
   * `first` / `skip` beyond GraphQL's Int get the range error they would get within Int, instead of graph-node's
   * "Invalid value provided for argument `skip`: Int(Number(-1))" (its i32 conversion of the value).
   */
  private checkRangeArgument(name: string, value: RValue | undefined): void {
    if (typeof value !== "number" || (value >= I32_MIN && value <= I32_MAX)) return;
    if (name === "first") throw QueryErrors.range("first", this.limits.maxFirst, value);
    if (name === "skip") throw QueryErrors.range("skip", this.limits.maxSkip, value);
  }

  private expandField(node: FieldNode, parent: CompositeType): PreparedField | undefined {
    const name = node.name.value;
    const position = positionOf(node);
    const alias = node.alias?.value;
    const make = (args: ReadonlyMap<string, RValue>, selection: SelectionSet) =>
      new PreparedField(name, alias, position, args, selection, [node]);
    if (name === "__typename") return make(new Map(), new SelectionSet([]));
    const def = fieldDefinition(this.schema, parent, name);
    if (!def) throw [QueryErrors.unknownField(position, parent.name, name)];
    if (this.skipped(node.directives)) return undefined;

    const args = new Map<string, RValue>();
    const errors: QueryExecutionError[] = [];
    for (const argDef of def.args) {
      const argNode = node.arguments?.find((a) => a.name.value === argDef.name);
      try {
        const raw = argNode ? rvalueFromAst(argNode.value, this.variables) : undefined;
        this.checkRangeArgument(argDef.name, raw);
        const value = coerceArgument(raw, argDef);
        if (value !== undefined) args.set(argDef.name, value);
      } catch (error) {
        errors.push(error as QueryExecutionError);
      }
    }
    if (errors.length > 0) throw errors;

    const namedType = getNamedType(def.type);
    const hasSelection = (node.selectionSet?.selections.length ?? 0) > 0;
    if (isLeafType(namedType)) return make(args, new SelectionSet([]));
    if (!hasSelection) return undefined;
    // Introspection selections are executed by graphql-js from the original nodes.
    if (name === "__schema" || name === "__type") return make(args, new SelectionSet([]));
    const composite = asComposite(namedType)!;
    return make(args, this.expandSelectionSet(node.selectionSet!, this.concreteTypes(composite), composite));
  }
}
