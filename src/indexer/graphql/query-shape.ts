/**
 * Measures a query before anything runs (graph-node's `check_complexity` in `graphql/src/execution/query.rs`):
 * - depth: nesting of selection sets, a fragment spread or inline fragment counting as one level;
 * - complexity: graph-node's estimate of the entities a query could return — a collection field counts
 *   `first + first × (its selection's complexity)` with `first` defaulting to 100, other fields pass their selection's
 *   complexity through. Unlike graph-node, a `first` given by a variable counts with the variable's value (graph-node
 *   counts it as 100);
 * - fields: the fields the query selects once every fragment is expanded, aliases included (not a graph-node
 *   measure; it bounds what expanding the query, validating it and running it cost).
 * Fragments are measured once each, so a query whose fragments spread each other many times costs no more to measure
 * than its text. Unknown fields, fragments and types are counted as leaves and reported afterwards by validation
 * (graph-node stops measuring there instead, which would leave the rest of such a query unmeasured).
 */
import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { QueryErrors } from "./errors.ts";
import type { RValue } from "./input-values.ts";
import type { QueryLimits } from "./limits.ts";
import { fieldDefinition } from "./prepare.ts";

/** graph-node's `EntityRange::FIRST`: what a collection returns without `first`. */
const DEFAULT_FIRST = 100n;
/** Complexities from 2^64 up overflow graph-node's u64 measure. */
export const U64_MAX = 2n ** 64n - 1n;

/** What a selection set (or the whole query) measures. */
export interface QueryShape {
  /** Levels of selection sets below this one (0 when it selects only leaves). */
  depth: number;
  /** Fields once fragments are expanded. */
  fields: number;
  /** graph-node's complexity (may exceed {@link U64_MAX}). */
  complexity: bigint;
}

const LEAF: QueryShape = { depth: 0, fields: 1, complexity: 0n };

/** Measures selection sets of one query, remembering each fragment's measure. */
class ShapeMeter {
  private readonly measured = new Map<string, QueryShape>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly variables: ReadonlyMap<string, RValue>,
    private readonly maxDepth: number,
  ) {}

  /** Measures `set` on `type`, entered at `depth`. Throws graph-node's "too deep" and fragment-cycle errors. */
  selectionSet(type: GraphQLNamedType | undefined, set: SelectionSetNode, depth: number, visiting: ReadonlySet<string>): QueryShape {
    if (depth >= this.maxDepth) throw [QueryErrors.tooDeep(this.maxDepth)];
    const total: QueryShape = { depth: 0, fields: 0, complexity: 0n };
    const add = (part: QueryShape, levels: number) => {
      total.depth = Math.max(total.depth, part.depth + levels);
      total.fields += part.fields;
      total.complexity += part.complexity;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        add(this.field(type, selection, depth, visiting), 0);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        add(this.fragment(selection.name.value, depth, visiting), 1);
      } else {
        const condition = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : type;
        add(this.selectionSet(condition, selection.selectionSet, depth + 1, visiting), 1);
      }
    }
    return total;
  }

  private field(parent: GraphQLNamedType | undefined, node: FieldNode, depth: number, visiting: ReadonlySet<string>): QueryShape {
    const composite = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent : undefined;
    const def = composite ? fieldDefinition(this.schema, composite, node.name.value) : undefined;
    const child = def ? getNamedType(def.type) : undefined;
    const hasSelection = (node.selectionSet?.selections.length ?? 0) > 0;
    // Leaves, and selections on leaves or unknown fields (ignored or reported later), count as one field.
    if (!hasSelection || !child || !(isObjectType(child) || isInterfaceType(child))) return LEAF;
    const inner = this.selectionSet(child, node.selectionSet!, depth + 1, visiting);
    const shape = { depth: inner.depth + 1, fields: inner.fields + 1, complexity: inner.complexity };
    if (!isListType(getNullableType(def!.type))) return shape;
    const first = this.first(node);
    return { ...shape, complexity: first + first * inner.complexity };
  }

  /** The `first` argument as graph-node reads it for complexity (literal, or here also a variable). */
  private first(node: FieldNode): bigint {
    const value = node.arguments?.find((arg) => arg.name.value === "first")?.value;
    let first: RValue | undefined;
    if (value?.kind === Kind.INT) first = Number(value.value);
    else if (value?.kind === Kind.VARIABLE) first = this.variables.get(value.name.value);
    return typeof first === "number" && Number.isInteger(first) && first >= 0 ? BigInt(first) : DEFAULT_FIRST;
  }

  /** A fragment spread entered at `depth` (its selection set is one level deeper). */
  private fragment(name: string, depth: number, visiting: ReadonlySet<string>): QueryShape {
    if (visiting.has(name)) throw [QueryErrors.cyclicalFragment(name)];
    const known = this.measured.get(name);
    if (known) {
      if (depth + 1 + known.depth >= this.maxDepth) throw [QueryErrors.tooDeep(this.maxDepth)];
      return known;
    }
    const fragment = this.fragments.get(name);
    if (!fragment) return { depth: 0, fields: 0, complexity: 0n };
    const type = this.schema.getType(fragment.typeCondition.name.value);
    const shape = this.selectionSet(type, fragment.selectionSet, depth + 1, new Set([...visiting, name]));
    this.measured.set(name, shape);
    return shape;
  }
}

/**
 * Measures the operation's selection set and enforces `maxDepth`, `maxFields` and `maxComplexity`.
 *
 * @throws QueryExecutionError[] with graph-node's "query has a depth that exceeds the limit", "query potentially
 *   returns `N` entities or more …" (also when the complexity overflows graph-node's u64, like graph-node) and
 *   "query has fragment cycle including" errors, or the fields error.
 */
export function checkQueryShape(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: ReadonlyMap<string, RValue>,
  limits: Pick<QueryLimits, "maxDepth" | "maxFields" | "maxComplexity">,
): QueryShape {
  const meter = new ShapeMeter(schema, fragments, variables, limits.maxDepth);
  const shape = meter.selectionSet(schema.getQueryType()!, selectionSet, 0, new Set());
  if (shape.fields > limits.maxFields) throw [QueryErrors.tooManyFields(shape.fields, limits.maxFields)];
  if (limits.maxComplexity !== null && shape.complexity > BigInt(limits.maxComplexity)) {
    throw [QueryErrors.tooComplex(shape.complexity > U64_MAX ? U64_MAX : shape.complexity, limits.maxComplexity)];
  }
  return shape;
}
