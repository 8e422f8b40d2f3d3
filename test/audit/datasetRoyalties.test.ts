/**
 * Royalties by use and down the lineage, end to end: the story of test/helpers/royalty-act.ts played on a real chain,
 * indexed by the embedded runtime from the built subgraph, read over GraphQL — the subgraph's royalty-flow entities and
 * `datasetRoyalties` — and checked against amounts computed independently of the contracts, and against the chain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphQLClient, gql } from "graphql-request";
import { ZeroAddress } from "ethers";
import { createAuditClient, datasetRoyalties } from "../../src/audit/index.ts";
import { indexedProtocol, type IndexedProtocol } from "../helpers/indexed-protocol.ts";
import { playRoyaltyAct, type RoyaltyAct } from "../helpers/royalty-act.ts";

let p: IndexedProtocol;
let act: RoyaltyAct;

beforeAll(async () => {
  p = await indexedProtocol();
  act = await playRoyaltyAct(p);
}, 180_000);

afterAll(async () => {
  await p?.close();
});

describe("the subgraph's royalty flows", () => {
  it("records each payment, the hop up the lineage it paid, and every credit with its kind and channel", async () => {
    const graph = new GraphQLClient(p.url);
    const data = await graph.request<{
      payments: Array<{ id: string; kind: string; licence: { id: string }; version: { id: string }; amount: string; derivations: Array<{ parent: { id: string }; bps: number; amount: string }> }>;
      royaltyCredits: Array<{ recipient: { id: string }; kind: string; viaDerivation: boolean; source: string; amount: string; dataset: { id: string } }>;
    }>(gql`
      {
        payments(orderBy: blockNumber) { id kind licence { id } version { id } amount derivations { parent { id } bps amount } }
        royaltyCredits(first: 1000) { recipient { id } kind viaDerivation source amount dataset { id } }
      }
    `);
    const { derived, parent } = act;
    expect(data.payments.map((x) => [x.kind, x.version.id])).toEqual([
      ["sale", String(parent.versionId)],
      ["sale", String(derived.versionId)],
      ["use", String(derived.versionId)],
      ["use", String(derived.versionId)],
      ["sale", String(derived.secondVersionId)],
    ]);
    for (const payment of data.payments.slice(1)) {
      expect(payment.derivations.map((d) => [d.parent.id, d.bps, d.amount])).toEqual([[String(parent.versionId), 2_000, String((BigInt(payment.amount) * 2_000n) / 10_000n)]]);
    }
    const credited = (who: string) => data.royaltyCredits.filter((c) => c.recipient.id === who).reduce((sum, c) => sum + BigInt(c.amount), 0n);
    expect(credited(p.address.creator)).toBe(act.expected.creator);
    expect(credited(p.address.steward)).toBe(act.expected.steward);
    expect(credited(p.address.approver)).toBe(act.expected.approver);
    expect(credited(p.address.stranger)).toBe(act.expected.stranger);
    expect(data.royaltyCredits.reduce((sum, c) => sum + BigInt(c.amount), 0n)).toBe(act.paid); // zero dust
    expect(data.royaltyCredits.filter((c) => c.recipient.id === p.address.approver).every((c) => c.kind === "contribution")).toBe(true);
    expect(data.royaltyCredits.filter((c) => c.dataset.id === String(parent.datasetId) && c.viaDerivation).length).toBe(8);
  });

  it("agrees with the treasury's balances on chain", async () => {
    const treasury = p.as("admin").royalties;
    for (const role of ["creator", "steward", "approver", "stranger"] as const) {
      expect(await treasury.royaltiesOf(p.signers[role].address, ZeroAddress), role).toBe(act.expected[role]);
    }
    const usage = await treasury.usageOf(act.derived.licenceId);
    expect([usage.units, usage.reports, usage.paid]).toEqual([450n, 2n, 45_000n]);
    expect(await treasury.depositOf(act.derived.licenceId)).toBe(5_000n);
  });
});

describe("datasetRoyalties", () => {
  it("splits what the parent earned into sale and derivation, and shows the hops that paid it", async () => {
    const answer = await datasetRoyalties(createAuditClient({ url: p.url }), act.parent.datasetId);
    const [eth] = answer.earned;
    expect(eth).toMatchObject({ currency: ZeroAddress, sale: String(10n ** 18n), use: "0", contribution: "0", derivation: String(act.parentByDerivation) });
    expect(answer.earnedByDerivation.map((h) => [h.source, h.childDatasetId, h.parentVersionId])).toEqual([
      ["sale", String(act.derived.datasetId), String(act.parent.versionId)],
      ["use", String(act.derived.datasetId), String(act.parent.versionId)],
      ["use", String(act.derived.datasetId), String(act.parent.versionId)],
      ["sale", String(act.derived.datasetId), String(act.parent.versionId)],
    ]);
    expect(answer.terms).toMatchObject({ unitPrice: "1000", unit: "tokens-trained", derivativeRoyaltyBps: 2_000 });
  });

  it("shows the derived dataset's use, contributors, royalty parents (inherited by v2), usage and the disputed report", async () => {
    const answer = await datasetRoyalties(createAuditClient({ url: p.url }), act.derived.datasetId);
    const [eth] = answer.earned;
    expect(BigInt(eth!.contribution)).toBe(act.expected.approver);
    expect(BigInt(eth!.total)).toBe(act.expected.approver + act.expected.stranger);
    expect(answer.paidUpstream).toHaveLength(4);
    expect(answer.versions.map((v) => v.royaltyParents.map((r) => r.versionId))).toEqual([[String(act.parent.versionId)], [String(act.parent.versionId)]]);
    expect(answer.versions[0]!.contributors).toEqual([{ account: p.address.approver, bps: 1_000, roleHash: expect.stringMatching(/^0x/) }]);
    const [usage] = answer.usage.filter((u) => u.licenceId === String(act.derived.licenceId));
    expect(usage).toMatchObject({ units: "450", reportCount: 2, paid: "45000", deposited: "50000", deposit: "5000", unit: "inference-calls" });
    expect(usage!.reports.map((r) => [r.reportId, r.viaSignature, r.disputed])).toEqual([
      [String(act.reports.direct), false, true],
      [String(act.reports.relayed), true, false],
    ]);
  });

  it("answers as of a block before the second sale (time travel)", async () => {
    const sales = await p.as("admin").datasets.queryFilter(p.as("admin").datasets.filters.LicenceAcquired());
    const before = sales.at(-1)!.blockNumber - 1;
    const answer = await datasetRoyalties(createAuditClient({ url: p.url }).at(before), act.parent.datasetId);
    expect(answer.earnedByDerivation).toHaveLength(3);
  });
});
