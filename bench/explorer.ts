/**
 * The lineage explorer's two figures of issue 15, from one run:
 * 1. First page ready: the demo scenario on a local chain and the embedded indexer, the model version page opened in
 *    Chromium (Debian's, through playwright-core) until its lineage graph is drawn; beside it, the baseline: the same
 *    read-model answers fetched from Node (the GraphQL round trips alone). Goal ≤ 1 s.
 * 2. Layout: ELK laying out synthetic Pedigree-shaped lineages of 100 and 1 000 nodes with the explorer's options,
 *    beside ELK's default options (the baseline). Goal ≤ 2 s for 1 000 nodes. Node runs the same V8 as Chromium.
 *
 *   npm run bench:explorer
 */
import os from "node:os";
import { chromium } from "playwright-core";
import { createAuditClient } from "../src/audit/client.ts";
import { changesSince } from "../src/audit/changesSince.ts";
import { whatTrainedThis } from "../src/audit/whatTrainedThis.ts";
import { whoActedOn } from "../src/audit/whoActedOn.ts";
import { indexedScenario } from "../src/dev/indexed-scenario.ts";
import { syntheticLineage } from "../src/dev/lineage-workload.ts";
import { layoutGraph, layoutGraphWith } from "../src/explorer/graph/layout.ts";
import { explorerUrl } from "../src/explorer/site.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CHROMIUM = process.env.PEDIGREE_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function firstPage(): Promise<void> {
  const fixture = await indexedScenario();
  try {
    await fixture.indexer.waitForBlock(fixture.result.blocks.end);
    const id = fixture.result.modelVersions.triageV2.toString();
    const client = createAuditClient({ url: fixture.url });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const page: number[] = [];
    const data: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const tab = await context.newPage();
      page.push(await timed(async () => {
        await tab.goto(`${explorerUrl(fixture.url)}#/model-version/${id}`);
        await tab.locator("figure.lineage[data-ready]").waitFor();
      }));
      await context.close();
      data.push(await timed(() => Promise.all([whatTrainedThis(client, id), whoActedOn(client, id), changesSince(client, id, { environment: "production" })])));
    }
    await browser.close();
    const ready = median(page);
    console.log(`\nFirst page ready (model version ${id} of the demo, fresh browser context, median of ${ROUNDS}):`);
    console.log(`  explorer in Chromium   ${ms(ready)}   goal ≤ 1 000 ms: ${ready <= 1000 ? "PASS" : "FAIL"}`);
    console.log(`  read model from Node   ${ms(median(data))}   (baseline: the GraphQL answers alone; page / baseline ${(ready / median(data)).toFixed(2)}×)`);
  } finally {
    await fixture.close();
  }
}

async function layouts(): Promise<void> {
  console.log(`\nLayout of synthetic lineages (ELK layered, median of ${ROUNDS}):`);
  for (const size of [100, 1000]) {
    const { nodes, edges } = syntheticLineage(size);
    const ours: number[] = [];
    const defaults: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ours.push(await timed(() => layoutGraph(nodes, edges)));
      defaults.push(await timed(() => layoutGraphWith(nodes, edges, { "elk.algorithm": "layered", "elk.direction": "RIGHT" })));
    }
    const goal = size === 1000 ? `   goal ≤ 2 000 ms: ${median(ours) <= 2000 ? "PASS" : "FAIL"}` : "";
    console.log(`  ${String(size).padStart(5)} nodes, ${String(edges.length).padStart(5)} edges: explorer ${ms(median(ours))}, ELK defaults ${ms(median(defaults))} (${(median(ours) / median(defaults)).toFixed(2)}×)${goal}`);
  }
}

console.log(`bench:explorer — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}, Chromium at ${CHROMIUM}`);
await firstPage();
await layouts();
