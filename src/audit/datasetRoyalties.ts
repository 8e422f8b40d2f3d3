/**
 * "What did this dataset earn, and from what?" — for one dataset: what its recipients were credited by sale, by use
 * (metered usage reports), by derivation (from datasets derived from it) and as contributor shares; what its own
 * payments paid up its lineage; the royalty parents and contributors of each version; and metered usage per licence,
 * with the reports an auditor disputed.
 */
import type { AuditClient } from "./client.ts";
import {
  DatasetRoyaltiesDocument,
  DerivationRoyaltiesPageDocument,
  RoyaltyCreditsPageDocument,
  type DatasetRoyaltiesQuery,
  type DerivationRoyaltyFieldsFragment,
  type UsageReportFieldsFragment,
} from "./generated/graphql.ts";
import { add, creditOf, type RoyaltyCreditInfo } from "./royalties.ts";
import { asOfOf, compareIds, compareStamps, fetchAll, notFound, pinned, stamp, toId, type IdInput } from "./shared.ts";
import type { AsOf, TxStamp } from "./types.ts";

/** How a share reached the dataset. */
export type RoyaltyChannel = "sale" | "use" | "derivation" | "contribution";

/** Amounts of one currency by channel (decimal strings in its smallest unit). */
export interface ChannelAmounts {
  currency: string;
  sale: string;
  use: string;
  derivation: string;
  contribution: string;
  total: string;
}

/** One hop of a payment up the lineage. */
export interface DerivationHop extends TxStamp {
  paymentId: string;
  /** licenceId-reportId (report 0: the licence's sale). What the payment was for, and the licence paid under. */
  source: "sale" | "use";
  licenceId: string;
  childVersionId: string;
  childDatasetId: string;
  parentVersionId: string;
  parentDatasetId: string;
  termsId: string;
  bps: number;
  currency: string;
  amount: string;
}

/** A dataset version's royalty shape. */
export interface VersionRoyaltyInfo {
  versionId: string;
  number: number;
  royaltyParents: Array<{ versionId: string; datasetId: string; termsId: string; bps: number }>;
  contributors: Array<{ account: string; bps: number; roleHash: string }>;
}

/** A usage report, and whether an auditor disputes it (a usage-dispute attestation neither revoked nor expired). */
export interface UsageReportInfo extends TxStamp {
  reportId: string;
  versionId: string;
  units: string;
  cost: string;
  fromDeposit: string;
  reportHash: string;
  reportURI: string;
  submittedBy: string;
  viaSignature: boolean;
  disputed: boolean;
  disputes: Array<{ attestationId: string; attester: string; revoked: boolean; evidenceURI: string }>;
}

/** Metered usage of one licence. */
export interface LicenceUsageInfo {
  licenceId: string;
  licensee: string;
  currency: string;
  unit: string;
  unitPrice: string;
  units: string;
  reportCount: number;
  paid: string;
  deposited: string;
  /** Deposit left. */
  deposit: string;
  reports: UsageReportInfo[];
}

/** The answer of {@link datasetRoyalties}. */
export interface DatasetRoyaltiesResult {
  asOf: AsOf;
  datasetId: string;
  owner: string;
  /** The current terms' pricing; null when none are set. */
  terms: { termsId: string; currency: string; price: string; unitPrice: string; unit: string; derivativeRoyaltyBps: number; documentURI: string } | null;
  /** Credited to the dataset's recipients, per currency and channel. */
  earned: ChannelAmounts[];
  /** The same per recipient, by recipient then currency. */
  byRecipient: Array<ChannelAmounts & { recipient: string }>;
  /** What payments to this dataset paid its royalty parents. */
  paidUpstream: DerivationHop[];
  /** What datasets derived from it paid it. */
  earnedByDerivation: DerivationHop[];
  versions: VersionRoyaltyInfo[];
  /** Licences under metered terms, or with usage or a deposit. */
  usage: LicenceUsageInfo[];
  credits: Array<RoyaltyCreditInfo & { channel: RoyaltyChannel }>;
}

/** The channel a credit settled at this dataset came through. */
export function channelOf(credit: Pick<RoyaltyCreditInfo, "kind" | "viaDerivation" | "source">): RoyaltyChannel {
  if (credit.kind === "contribution") return "contribution";
  if (credit.viaDerivation) return "derivation";
  return credit.source;
}

/**
 * A dataset's royalties: earned by sale, by use, by derivation and by contribution, per currency and recipient; what
 * it paid up its lineage and what derived datasets paid it; royalty parents and contributors per version; metered
 * usage per licence with disputed reports. One GraphQL round trip (more only past 1 000 credits or hops).
 *
 * @example
 * const { earned, earnedByDerivation, usage } = await datasetRoyalties(client, 1n);
 * earned[0]; // { currency: "0x000…", sale: "…", use: "…", derivation: "…", contribution: "…", total: "…" }
 * usage.flatMap((u) => u.reports).filter((r) => r.disputed).map((r) => r.reportId);
 * @throws NotInSubgraphError for a dataset the subgraph does not know (at the client's block).
 */
export async function datasetRoyalties(client: AuditClient, datasetId: IdInput): Promise<DatasetRoyaltiesResult> {
  const id = toId(datasetId, "datasetId");
  const where = { credits: { dataset: id }, paid: { childDataset: id }, earned: { parentDataset: id } };
  const data = await client.request(DatasetRoyaltiesDocument, { id, ...where });
  const raw = data.dataset;
  if (!raw) throw notFound(client, "dataset", id);
  const asOf = asOfOf(client, data._meta);
  const same = pinned(client, asOf);
  const [credits, paidUp, earnedFrom] = await Promise.all([
    fetchAll(same, RoyaltyCreditsPageDocument, { where: where.credits }, (page) => page.page, data.credits),
    fetchAll(same, DerivationRoyaltiesPageDocument, { where: where.paid }, (page) => page.page, data.paidUp),
    fetchAll(same, DerivationRoyaltiesPageDocument, { where: where.earned }, (page) => page.page, data.earnedFrom),
  ]);
  const channelled = credits.map(creditOf).map((c) => ({ ...c, channel: channelOf(c) })).sort((a, b) => a.blockNumber - b.blockNumber || compareIds(a.id, b.id));
  const now = asOf.timestamp;
  return {
    asOf,
    datasetId: id,
    owner: raw.owner.id,
    terms: termsOf(raw.currentTerms),
    earned: totalsBy(channelled, () => ""),
    byRecipient: totalsBy(channelled, (c) => c.recipient).map(({ key, ...amounts }) => ({ recipient: key, ...amounts })),
    paidUpstream: paidUp.map(hopOf).sort(byPayment),
    earnedByDerivation: earnedFrom.map(hopOf).sort(byPayment),
    versions: raw.versions.map(versionOf),
    usage: raw.licences.filter((l) => l.usage || BigInt(l.terms.unitPrice) > 0n).map((l) => usageOf(l, now)),
    credits: channelled,
  };
}

type RawDataset = NonNullable<DatasetRoyaltiesQuery["dataset"]>;

function termsOf(raw: RawDataset["currentTerms"]): DatasetRoyaltiesResult["terms"] {
  if (!raw) return null;
  const { id: termsId, currency, price, unitPrice, unit, derivativeRoyaltyBps, documentURI } = raw;
  return { termsId, currency, price, unitPrice, unit, derivativeRoyaltyBps, documentURI };
}

/** Credits summed per (key, currency) and channel, sorted by key then currency. */
function totalsBy(
  credits: ReadonlyArray<RoyaltyCreditInfo & { channel: RoyaltyChannel }>,
  keyOf: (credit: RoyaltyCreditInfo) => string,
): Array<ChannelAmounts & { key: string }> {
  const totals = new Map<string, ChannelAmounts & { key: string }>();
  for (const c of credits) {
    const key = keyOf(c);
    const id = `${key}-${c.currency}`;
    let t = totals.get(id);
    if (!t) {
      t = { key, currency: c.currency, sale: "0", use: "0", derivation: "0", contribution: "0", total: "0" };
      totals.set(id, t);
    }
    t[c.channel] = add(t[c.channel], c.amount);
    t.total = add(t.total, c.amount);
  }
  return [...totals.values()].sort((a, b) => (a.key === b.key ? (a.currency < b.currency ? -1 : 1) : a.key < b.key ? -1 : 1));
}

/** In the order the payments were made. */
const byPayment = (a: DerivationHop, b: DerivationHop) => compareStamps(a, b) || compareIds(a.parentVersionId, b.parentVersionId);

function hopOf(raw: DerivationRoyaltyFieldsFragment): DerivationHop {
  return {
    paymentId: raw.payment.id,
    source: raw.payment.kind as DerivationHop["source"],
    licenceId: raw.payment.licence.id,
    childVersionId: raw.child.id,
    childDatasetId: raw.child.dataset.id,
    parentVersionId: raw.parent.id,
    parentDatasetId: raw.parent.dataset.id,
    termsId: raw.terms.id,
    bps: raw.bps,
    currency: raw.currency,
    amount: raw.amount,
    ...stamp(raw),
  };
}

function versionOf(raw: RawDataset["versions"][number]): VersionRoyaltyInfo {
  return {
    versionId: raw.id,
    number: raw.number,
    royaltyParents: raw.royaltyParents.map((p) => ({ versionId: p.parent.id, datasetId: p.parent.dataset.id, termsId: p.terms.id, bps: p.bps })),
    contributors: raw.contributors.map((c) => ({ account: c.account.id, bps: c.bps, roleHash: c.roleHash })),
  };
}

function usageOf(raw: RawDataset["licences"][number], now: number | null): LicenceUsageInfo {
  const usage = raw.usage ?? { units: "0", reports: 0, paid: "0", deposited: "0", deposit: "0" };
  return {
    licenceId: raw.id,
    licensee: raw.licensee.id,
    currency: raw.terms.currency,
    unit: raw.terms.unit,
    unitPrice: raw.terms.unitPrice,
    units: usage.units,
    reportCount: usage.reports,
    paid: usage.paid,
    deposited: usage.deposited,
    deposit: usage.deposit,
    reports: raw.usageReports.map((r) => reportOf(r, now)).sort((a, b) => compareIds(a.reportId, b.reportId)),
  };
}

function reportOf(raw: UsageReportFieldsFragment, now: number | null): UsageReportInfo {
  const disputes = raw.attestations.filter((a) => a.kind.name === "usage-dispute");
  const inForce = (a: (typeof disputes)[number]) => !a.revoked && (a.expiresAt === "0" || now === null || Number(a.expiresAt) > now);
  return {
    reportId: raw.id,
    versionId: raw.version.id,
    units: raw.units,
    cost: raw.cost,
    fromDeposit: raw.fromDeposit,
    reportHash: raw.reportHash,
    reportURI: raw.reportURI,
    submittedBy: raw.submittedBy.id,
    viaSignature: raw.viaSignature,
    disputed: disputes.some(inForce),
    disputes: disputes.map((a) => ({ attestationId: a.id, attester: a.attester.id, revoked: a.revoked, evidenceURI: a.evidenceURI })),
    ...stamp(raw),
  };
}
