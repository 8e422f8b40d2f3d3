/**
 * Measures the answer a prefetched tree would make, before it is built. Prefetching loads each entity once, but the
 * answer repeats an entity under every parent that refers to it: a query around a relation cycle
 * (`accounts → datasetsOwned → owner → datasetsOwned → …`) loads a few hundred entities and would answer with
 * hundreds of megabytes. Counting stops as soon as the answer is known to exceed `errorResultSize`, so measuring
 * costs at most about that many steps / 4 (every step adds at least four bytes), whatever the query.
 */
import { valueBytes, type QueryBudget } from "./budget.js";
import { QueryErrors } from "./errors.js";
import type { Node } from "./prefetch.js";
import type { SelectionSet } from "./prepare.js";

/** How often (in steps) the deadline is checked while measuring. */
const DEADLINE_EVERY = 1 << 16;

/**
 * Approximate bytes of the JSON answer for `selection` on `root` (keys, values, punctuation).
 *
 * @throws QueryExecutionError graph-node's "the result size of N is larger than the allowed limit of M" (also
 *   recorded in `budget`), or the budget's timeout.
 */
export function measureResult(root: Node, selection: SelectionSet, budget: QueryBudget): number {
  let total = 0;
  let steps = 0;
  const add = (bytes: number) => {
    total += bytes;
    if (total > budget.maxBytes) budget.fail(QueryErrors.resultTooBig(total, budget.maxBytes));
    if (++steps % DEADLINE_EVERY === 0) budget.check();
  };
  const object = (node: Node, set: SelectionSet) => {
    add(2);
    const fields = set.items.find((item) => item.typeName === node.typename)?.fields ?? [];
    for (const field of fields) {
      add(field.responseKey.length + 4);
      const children = node.children.get(field.responseKey);
      if (field.name === "__typename") add(node.typename.length + 2);
      else if (!children) add(valueBytes(node.entity[field.name]));
      else {
        add(2);
        for (const child of children) object(child, field.selection);
      }
    }
  };
  object(root, selection);
  return total;
}
