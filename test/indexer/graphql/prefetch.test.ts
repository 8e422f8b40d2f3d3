/**
 * The store queries of one GraphQL request (StoreQueue): up to 3 at once while the request is the only one loading,
 * one at a time while others load too, always started in the order they were handed in.
 */
import { describe, expect, it } from "vitest";
import { StoreQueue } from "../../../src/indexer/graphql/prefetch.ts";

/** Lets the queue start what it may (microtasks and a turn of the event loop). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("StoreQueue", () => {
  it("runs 3 tasks at once while its request loads alone, and one at a time once others load", async () => {
    let alone = true;
    const queue = new StoreQueue(() => alone);
    const started: number[] = [];
    const finish = new Map<number, () => void>();
    const task = (i: number) => () => {
      started.push(i);
      return new Promise<number>((resolve) => finish.set(i, () => resolve(i)));
    };
    const results = [0, 1, 2, 3].map((i) => queue.run(task(i)));
    await settle();
    expect(started).toEqual([0, 1, 2]);

    alone = false; // another request started loading: the next task handed in makes this queue run one at a time
    results.push(queue.run(task(4)));
    finish.get(0)!();
    finish.get(1)!();
    await settle();
    expect(started).toEqual([0, 1, 2]); // task 2 still runs
    finish.get(2)!();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    finish.get(3)!();
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    finish.get(4)!();
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4]);
  });
});
