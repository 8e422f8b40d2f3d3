/**
 * The lineage explorer in a real browser: Chromium (Debian's, driven by playwright-core) against the demo scenario
 * on a real chain and the embedded indexer, which serves the built explorer (`npm run build`) at /explorer/. The test
 * clicks through search → model version → dataset → account, checks the lineage graph's nodes and edges against the
 * audit client's answer, exports the audit dossier, travels back in time, and saves screenshots to reports/explorer/.
 */
import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockAtTime } from "../../src/audit/blockTime.ts";
import { createAuditClient, type AuditClient } from "../../src/audit/client.ts";
import { history } from "../../src/audit/history.ts";
import { whatTrainedThis } from "../../src/audit/whatTrainedThis.ts";
import { whoActedOn } from "../../src/audit/whoActedOn.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";
import { EXPLORER_BUILD, explorerUrl } from "../../src/explorer/site.ts";
import { fetchDossier } from "../../src/report/dossier.ts";
import { renderJson } from "../../src/report/json.ts";

const CHROMIUM = process.env.PEDIGREE_CHROMIUM ?? "/usr/bin/chromium";
const SHOTS = resolve(import.meta.dirname, "../../reports/explorer");
/** The flags a root user on a closed network needs (see the README). */
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** The actions the account page lists as "Created". */
const CREATED = ["DatasetRegistered", "DatasetVersionPublished", "TermsSet", "ModelRegistered", "ModelVersionPublished", "SystemVersionPublished", "AgentRegistered"];

let fixture: IndexedScenario;
let browser: Browser;
let page: Page;
let client: AuditClient;
let base: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set PEDIGREE_CHROMIUM to a Chromium binary)`);
  if (!existsSync(join(EXPLORER_BUILD, "index.html"))) throw new Error("The explorer is not built: npm run build");
  fixture = await indexedScenario();
  await fixture.indexer.waitForBlock(fixture.result.blocks.end);
  client = createAuditClient({ url: fixture.url });
  base = explorerUrl(fixture.url);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  mkdirSync(SHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

/** The lineage graph on the page: its node ids and `from>to` edges. */
async function drawnGraph(): Promise<{ nodes: string[]; edges: string[] }> {
  await page.locator("figure.lineage[data-ready]").waitFor();
  const nodes = await page.locator("[data-node]").evaluateAll((els) => els.map((el) => el.getAttribute("data-node")!));
  const edges = await page.locator("[data-from]").evaluateAll((els) => els.map((el) => `${el.getAttribute("data-from")}>${el.getAttribute("data-to")}`));
  return { nodes: nodes.sort(), edges: edges.sort() };
}

/** The lineage graph the audit client's answers describe, built here independently of the explorer's code. */
async function expectedGraph(versionId: string): Promise<{ nodes: string[]; edges: string[] }> {
  const [trained, acted] = await Promise.all([whatTrainedThis(client, versionId), whoActedOn(client, versionId)]);
  const nodes = new Set<string>();
  const edges = new Set<string>();
  for (const v of trained.lineage) {
    nodes.add(`mv:${v.id}`);
    if (v.parentId) edges.add(`mv:${v.parentId}>mv:${v.id}`);
  }
  for (const { datasetVersion } of trained.datasetVersions) {
    nodes.add(`dv:${datasetVersion.id}`);
    for (const parent of datasetVersion.parentIds) edges.add(`dv:${parent}>dv:${datasetVersion.id}`);
  }
  for (const licence of trained.licences) nodes.add(`lic:${licence.id}`);
  for (const run of trained.trainingRuns) {
    nodes.add(`run:${run.versionId}`);
    edges.add(`run:${run.versionId}>mv:${run.versionId}`);
    for (const use of run.uses) edges.add(`dv:${use.datasetVersionId}>lic:${use.licenceId}`).add(`lic:${use.licenceId}>run:${run.versionId}`);
  }
  for (const system of acted.systems) {
    nodes.add(`sv:${system.id}`);
    edges.add(`mv:${versionId}>sv:${system.id}`);
  }
  return { nodes: [...nodes].sort(), edges: [...edges].sort() };
}

describe("the lineage explorer", () => {
  it("searches, then shows a model version's lineage as the audit client answers it", async () => {
    const versionId = fixture.result.modelVersions.triageV2.toString();
    await page.goto(`${base}#/search`);
    await page.getByLabel("Search").fill(versionId);
    await page.getByLabel("Search").press("Enter");
    const hit = page.locator(`[data-hit="model-version:${versionId}"] a`);
    await hit.waitFor();
    await page.screenshot({ path: join(SHOTS, "search.png") });
    await hit.click();
    expect(page.url()).toContain(`#/model-version/${versionId}`);
    const drawn = await drawnGraph();
    const expected = await expectedGraph(versionId);
    expect(drawn.nodes).toEqual(expected.nodes);
    expect(drawn.edges).toEqual(expected.edges);
    expect(expected.nodes.length).toBeGreaterThan(5);
    const acted = await whoActedOn(client, versionId);
    expect(await page.locator("[data-attestation]").count()).toBe(acted.attestations.length);
    expect(await page.locator("[data-entry]").count()).toBe(acted.timeline.length);
    await page.screenshot({ path: join(SHOTS, "model-version.png"), fullPage: true });
  }, 120_000);

  it("exports the version's audit dossier from the page, as pedigree report makes it", async () => {
    const versionId = fixture.result.modelVersions.triageV2.toString();
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator('[data-format="json"]').click()]);
    expect(download.suggestedFilename()).toBe(`model-version-${versionId}.json`);
    const exported = JSON.parse(await readFile(await download.path(), "utf8")) as Record<string, unknown>;
    const expected = JSON.parse(renderJson(await fetchDossier({ url: fixture.url, versionId }))) as Record<string, unknown>;
    for (const dossier of [exported, expected]) delete dossier.generatedAt;
    expect(exported).toEqual(expected);
    await expect.poll(() => page.getByRole("status").textContent()).toBe(`Downloaded model-version-${versionId}.json.`);
  }, 120_000);

  it("goes from the graph to a dataset, and from the dataset to its owner's account", async () => {
    const datasetNode = page.locator('a:has([data-node^="dv:"])').first();
    await datasetNode.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/dataset\//);
    const datasetId = decodeURIComponent(page.url().split("#/dataset/")[1]!);
    await page.locator("[data-version]").first().waitFor();
    const timeline = await history(client, { type: "dataset", id: datasetId });
    expect(await page.locator("[data-entry]").count()).toBe(timeline.events.length);
    expect(await page.locator(`[data-model-version="${fixture.result.modelVersions.triageV2}"]`).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, "dataset.png"), fullPage: true });

    await page.locator(".badges a").first().click();
    await page.waitForURL(/#\/account\/0x/);
    const account = page.url().split("#/account/")[1]!;
    await page.locator("h1").filter({ hasText: "Account" }).waitFor();
    const acted = await history(client, { type: "account", id: account });
    await expect.poll(() => page.locator("[data-entry]").count()).toBe(acted.events.length);
    const created = acted.events.filter((e) => CREATED.includes(e.action)).length;
    expect(created).toBeGreaterThan(0);
    expect(await page.locator('[data-group="Created"]').textContent()).toBe(`Created (${created})`);
    await page.screenshot({ path: join(SHOTS, "account.png"), fullPage: true });
  }, 120_000);

  it("travels back to a block before the rollback, with a permalink to that view", async () => {
    const versionId = fixture.result.modelVersions.triageV2.toString();
    const block = fixture.result.blocks.beforeRollback;
    await page.goto(`${base}#/model-version/${versionId}`);
    await page.locator("figure.lineage[data-ready]").waitFor();
    const rollbacksNow = (await whoActedOn(client, versionId)).rollbacks.length;
    expect(await page.locator('[data-event^="r"]').count()).toBe(rollbacksNow);

    await page.getByLabel("As of").fill(String(block));
    await page.getByLabel("As of").press("Enter");
    await page.waitForURL(new RegExp(`block=${block}`));
    await page.locator(".badges", { hasText: `as of block ${block}` }).waitFor();
    await page.locator("figure.lineage[data-ready]").waitFor();
    const then = await whoActedOn(client.at(block), versionId);
    expect(then.rollbacks.length).toBeLessThan(rollbacksNow);
    expect(await page.locator('[data-event^="r"]').count()).toBe(then.rollbacks.length);
    expect(await page.locator('[data-event^="d"]').count()).toBe(then.deployments.length);
    expect(await page.locator("footer").textContent()).toContain(`as of block ${block}`);
    const permalink = await page.getByRole("link", { name: "Permalink" }).getAttribute("href");
    expect(permalink).toContain(`#/model-version/${versionId}?block=${block}`);
    await page.screenshot({ path: join(SHOTS, "time-travel.png"), fullPage: true });
  }, 120_000);

  it("travels to a date: the last block with a provenance entry by then", async () => {
    const versionId = fixture.result.modelVersions.triageV2.toString();
    const rollback = (await whoActedOn(client, versionId)).rollbacks[0]!;
    const justBefore = new Date((rollback.timestamp - 1) * 1000).toISOString().slice(0, 19).replace("T", " ");
    const expected = await blockAtTime(client, rollback.timestamp - 1);
    await page.getByLabel("As of").fill(justBefore);
    await page.getByLabel("As of").press("Enter");
    await page.waitForURL(new RegExp(`block=${expected!.blockNumber}$`));
    expect(expected!.blockNumber).toBeLessThan(rollback.blockNumber);
    await page.getByLabel("As of").fill("not a date");
    await page.getByLabel("As of").press("Enter");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain('"not a date" is neither a block number nor a date');
  }, 120_000);
});
