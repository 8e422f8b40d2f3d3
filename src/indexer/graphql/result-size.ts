/**
 * Measures the answer a prefetched tree would make, before it is built. Prefetching loads each entity once, but the
 * answer repeats an entity under every parent that refers to it: a query around a relation cycle
 * (`accounts → datasetsOwned → owner → datasetsOwned → …`) loads a few hundred entities and would answer with
 * gigabytes. The size of each entity's part of the answer is computed once per selection and reused wherever the
 * entity appears, so measuring costs what the loaded tree holds, not what the answer would repeat; it stops as soon
 * as the answer is known to exceed `errorResultSize`.
 */
import { BigDecimal, type Value } from "../values.ts";
import type { QueryBudget } from "./budget.ts";
import { QueryErrors } from "./errors.ts";
import type { Node } from "./prefetch.ts";
import type { SelectionSet } from "./prepare.ts";

/** Approximate bytes of a store value in an answer (hex for bytes, digits for big numbers). */
function valueBytes(value: Value | undefined): number {
  if (value === null || value === undefined) return 4;
  if (typeof value === "string") return value.length + 2;
  if (typeof value === "number" || typeof value === "boolean") return 8;
  if (typeof value === "bigint") return 24;
  if (value instanceof Uint8Array) return 2 * value.length + 4;
  if (value instanceof BigDecimal) return 40;
  let total = 2;
  for (const item of value) total += valueBytes(item) + 1;
  return total;
}

/** How often (in entities measured) the deadline is checked. */
const DEADLINE_EVERY = 1 << 14;

/**
 * Approximate bytes of the JSON answer for `selection` on `root` (keys, values, punctuation).
 *
 * @throws QueryExecutionError graph-node's "the result size of N is larger than the allowed limit of M" (also
 *   recorded in `budget`; N is the size measured when the limit was crossed), or the budget's timeout.
 */
export function measureResult(root: Node, selection: SelectionSet, budget: QueryBudget): number {
  const sizes = new Map<SelectionSet, Map<Node, number>>();
  // Bytes of the distinct parts measured: the answer holds each at least once, so it is at least this large.
  let distinct = 0;
  let measured = 0;
  const check = (size: number) => {
    if (size > budget.maxBytes) budget.fail(QueryErrors.resultTooBig(size, budget.maxBytes));
  };
  const object = (node: Node, set: SelectionSet): number => {
    let known = sizes.get(set);
    if (!known) sizes.set(set, (known = new Map()));
    const size = known.get(node);
    if (size !== undefined) return size;
    if (++measured % DEADLINE_EVERY === 0) budget.check();
    let own = 2;
    let nested = 0;
    const fields = set.items.find((item) => item.typeName === node.typename)?.fields ?? [];
    for (const field of fields) {
      own += field.responseKey.length + 4;
      const children = node.children.get(field.responseKey);
      if (field.name === "__typename") own += node.typename.length + 2;
      else if (!children) own += valueBytes(node.entity[field.name]);
      else {
        own += 2 + children.length;
        for (const child of children) {
          nested += object(child, field.selection);
          check(own + nested);
        }
      }
    }
    distinct += own;
    check(distinct);
    check(own + nested);
    known.set(node, own + nested);
    return own + nested;
  };
  return object(root, selection);
}
