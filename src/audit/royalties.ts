/**
 * "Who earned what from the data?" — per creator (royalty recipient): what they were credited, from which licences
 * of which datasets and paid by whom, what they withdrew, and their balance, per currency. A licensee whose licence
 * was voided after the dataset's consent was revoked is listed too, with the refund credited to the same balance.
 */
import { InvalidInputError } from "../core/errors.ts";
import type { AuditClient } from "./client.ts";
import {
  LicenceRefundsPageDocument,
  RoyaltiesDocument,
  RoyaltiesOfDocument,
  RoyaltyBalancesPageDocument,
  RoyaltyCreditsPageDocument,
  RoyaltyWithdrawalsPageDocument,
  type LicenceRefundFieldsFragment,
  type RoyaltiesQueryVariables,
  type RoyaltyBalanceFieldsFragment,
  type RoyaltyCreditFieldsFragment,
  type RoyaltyFirstPagesFragment,
  type RoyaltyWithdrawalFieldsFragment,
} from "./generated/graphql.ts";
import { asOfOf, compareIds, fetchAll, notFound, pinned, stamp, toAccount } from "./shared.ts";
import { ZERO_ADDRESS, type AsOf, type TxStamp } from "./types.ts";

/** Parameters of {@link royalties}. */
export interface RoyaltiesParameters {
  /** Only this account; every recipient when omitted. */
  account?: string;
}

/** Amounts of one currency (decimal strings in its smallest unit). */
export interface CurrencyAmounts {
  /** Zero address for native ETH. */
  currency: string;
  native: boolean;
  /** Royalties credited. */
  credited: string;
  /** Refunds of voided licences credited (withdrawn together with royalties). */
  refunded: string;
  /** ETH paid above a refund's due, credited back to the payer. */
  surplus: string;
  /** Usage deposits the licensee released back to its balance. */
  released: string;
  withdrawn: string;
  /** credited + refunded + surplus + released − withdrawn. */
  balance: string;
}

/** A licence voided after its dataset's consent was revoked, refunded to its licensee. */
export interface RefundInfo extends TxStamp {
  licenceId: string;
  datasetId: string;
  licensee: string;
  currency: string;
  amount: string;
  /** Who sent the refund (the dataset's owner or its operator). */
  refundedBy: string;
}

/** One royalty credit: a share of a payment (a licence sale or a usage report) settled at one dataset version. */
export interface RoyaltyCreditInfo extends TxStamp {
  id: string;
  recipient: string;
  currency: string;
  amount: string;
  /** A creator split of the terms paid under, or a contributor share of the version. */
  kind: "split" | "contribution";
  /** What the payment was for. */
  source: "sale" | "use";
  /** Reached this version through derivation royalties from the version the payment was for. */
  viaDerivation: boolean;
  /** The dataset version (and its dataset) the share was settled at. */
  versionId: string;
  settledDatasetId: string;
  /** The licence paid under, and its dataset (another one when the share came by derivation). */
  licenceId: string;
  datasetId: string;
  termsId: string;
  payer: string;
  licensee: string;
}

/** One withdrawal. */
export interface RoyaltyWithdrawalInfo extends TxStamp {
  id: string;
  recipient: string;
  currency: string;
  /** Where the funds were sent. */
  to: string;
  amount: string;
}

/** What one licence paid one recipient. */
export interface LicenceEarning {
  licenceId: string;
  datasetId: string;
  termsId: string;
  documentURI: string;
  payer: string;
  licensee: string;
  currency: string;
  amount: string;
  /** The recipient's share in the terms' splits, in basis points (null if not listed there). */
  shareBps: number | null;
}

/** One recipient's royalties. */
export interface CreatorRoyalties {
  account: string;
  /** Per currency: credited, withdrawn, balance. */
  balances: CurrencyAmounts[];
  /** Per licence that paid them, by licence id. */
  byLicence: LicenceEarning[];
  /** Per dataset: the sum over its licences, per currency. */
  byDataset: Array<{ datasetId: string; currency: string; amount: string }>;
  credits: RoyaltyCreditInfo[];
  /** Refunds credited to this account as a licensee. */
  refunds: RefundInfo[];
  withdrawals: RoyaltyWithdrawalInfo[];
}

/** The answer of {@link royalties}. */
export interface RoyaltiesResult {
  asOf: AsOf;
  /** By account. */
  creators: CreatorRoyalties[];
  /** Sums over all creators listed, per currency. */
  totals: CurrencyAmounts[];
}

/** Every royalty record asked about, all pages, at one block. */
interface RoyaltyRecords {
  balances: RoyaltyBalanceFieldsFragment[];
  credits: RoyaltyCreditFieldsFragment[];
  withdrawals: RoyaltyWithdrawalFieldsFragment[];
  refunds: LicenceRefundFieldsFragment[];
}

/** The filter of each collection: one account's records, or every record. */
function scopesOf(account: string | undefined): RoyaltiesQueryVariables {
  if (account === undefined) return { balances: {}, credits: {}, withdrawals: {}, refunds: {} };
  return { balances: { account }, credits: { recipient: account }, withdrawals: { recipient: account }, refunds: { licensee: account } };
}

/** The first page of each collection (and the account, when one is asked about) in one round trip. */
async function firstPages(client: AuditClient, account: string | undefined, scopes: RoyaltiesQueryVariables): Promise<RoyaltyFirstPagesFragment> {
  if (account === undefined) return client.request(RoyaltiesDocument, scopes);
  const data = await client.request(RoyaltiesOfDocument, { account, ...scopes });
  if (!data.account) throw notFound(client, "account", account);
  return data;
}

/** Every record, the pages after the first fetched at the first page's block. */
async function fetchRecords(client: AuditClient, account: string | undefined): Promise<{ asOf: AsOf; records: RoyaltyRecords }> {
  const scopes = scopesOf(account);
  const first = await firstPages(client, account, scopes);
  const asOf = asOfOf(client, first._meta);
  const same = pinned(client, asOf);
  const [balances, credits, withdrawals, refunds] = await Promise.all([
    fetchAll(same, RoyaltyBalancesPageDocument, { where: scopes.balances }, (data) => data.page, first.balances),
    fetchAll(same, RoyaltyCreditsPageDocument, { where: scopes.credits }, (data) => data.page, first.credits),
    fetchAll(same, RoyaltyWithdrawalsPageDocument, { where: scopes.withdrawals }, (data) => data.page, first.withdrawals),
    fetchAll(same, LicenceRefundsPageDocument, { where: scopes.refunds }, (data) => data.page, first.refunds),
  ]);
  return { asOf, records: { balances, credits, withdrawals, refunds } };
}

export const add = (a: string, b: string) => (BigInt(a) + BigInt(b)).toString();

export function creditOf(c: RoyaltyCreditFieldsFragment): RoyaltyCreditInfo {
  return {
    id: c.id,
    recipient: c.recipient.id,
    currency: c.currency,
    amount: c.amount,
    kind: c.kind as RoyaltyCreditInfo["kind"],
    source: c.source as RoyaltyCreditInfo["source"],
    viaDerivation: c.viaDerivation,
    versionId: c.version.id,
    settledDatasetId: c.dataset.id,
    licenceId: c.licence.id,
    datasetId: c.licence.dataset.id,
    termsId: c.licence.terms.id,
    payer: c.licence.payer.id,
    licensee: c.licence.licensee.id,
    ...stamp(c),
  };
}

/** What each licence paid `who`, per currency, by licence id. */
function earningsByLicence(who: string, credits: readonly RoyaltyCreditFieldsFragment[]): LicenceEarning[] {
  const byLicence = new Map<string, LicenceEarning>();
  for (const c of credits) {
    const key = `${c.licence.id}-${c.currency}`;
    const existing = byLicence.get(key);
    if (existing) {
      existing.amount = add(existing.amount, c.amount);
      continue;
    }
    byLicence.set(key, {
      licenceId: c.licence.id,
      datasetId: c.licence.dataset.id,
      termsId: c.licence.terms.id,
      documentURI: c.licence.terms.documentURI,
      payer: c.licence.payer.id,
      licensee: c.licence.licensee.id,
      currency: c.currency,
      amount: c.amount,
      shareBps: c.licence.terms.splits.find((s) => s.recipient.id === who)?.bps ?? null,
    });
  }
  return [...byLicence.values()].sort((a, b) => compareIds(a.licenceId, b.licenceId));
}

/** The earnings summed per dataset and currency, by dataset id. */
function earningsByDataset(byLicence: readonly LicenceEarning[]): CreatorRoyalties["byDataset"] {
  const byDataset = new Map<string, { datasetId: string; currency: string; amount: string }>();
  for (const e of byLicence) {
    const key = `${e.datasetId}-${e.currency}`;
    const existing = byDataset.get(key);
    if (existing) existing.amount = add(existing.amount, e.amount);
    else byDataset.set(key, { datasetId: e.datasetId, currency: e.currency, amount: e.amount });
  }
  return [...byDataset.values()].sort((a, b) => compareIds(a.datasetId, b.datasetId));
}

function balanceOf(b: RoyaltyBalanceFieldsFragment): CurrencyAmounts {
  return {
    currency: b.currency,
    native: b.currency === ZERO_ADDRESS,
    credited: b.credited,
    refunded: b.refunded,
    surplus: b.surplus,
    released: b.released,
    withdrawn: b.withdrawn,
    balance: b.balance,
  };
}

function refundOf(r: LicenceRefundFieldsFragment): RefundInfo {
  return {
    licenceId: r.id,
    datasetId: r.dataset.id,
    licensee: r.licensee.id,
    currency: r.currency,
    amount: r.amount,
    refundedBy: r.refundedBy.id,
    ...stamp(r),
  };
}

/** One account's royalties from the records. */
function creatorOf(who: string, records: RoyaltyRecords): CreatorRoyalties {
  const credits = records.credits.filter((c) => c.recipient.id === who);
  const byLicence = earningsByLicence(who, credits);
  return {
    account: who,
    balances: records.balances
      .filter((b) => b.account.id === who)
      .map(balanceOf)
      .sort((a, b) => (a.currency < b.currency ? -1 : 1)),
    byLicence,
    byDataset: earningsByDataset(byLicence),
    credits: credits.map(creditOf).sort((a, b) => a.blockNumber - b.blockNumber || (a.id < b.id ? -1 : 1)),
    refunds: records.refunds
      .filter((r) => r.licensee.id === who)
      .map(refundOf)
      .sort((a, b) => a.blockNumber - b.blockNumber || compareIds(a.licenceId, b.licenceId)),
    withdrawals: records.withdrawals
      .filter((w) => w.recipient.id === who)
      .map((w) => ({ id: w.id, recipient: who, currency: w.currency, to: w.to, amount: w.amount, ...stamp(w) }))
      .sort((a, b) => a.blockNumber - b.blockNumber),
  };
}

/** The sums of every creator's balances, per currency. */
function totalsOf(creators: readonly CreatorRoyalties[]): CurrencyAmounts[] {
  const totals = new Map<string, CurrencyAmounts>();
  for (const b of creators.flatMap((creator) => creator.balances)) {
    const t = totals.get(b.currency);
    if (!t) {
      totals.set(b.currency, { ...b });
      continue;
    }
    t.credited = add(t.credited, b.credited);
    t.refunded = add(t.refunded, b.refunded);
    t.surplus = add(t.surplus, b.surplus);
    t.released = add(t.released, b.released);
    t.withdrawn = add(t.withdrawn, b.withdrawn);
    t.balance = add(t.balance, b.balance);
  }
  return [...totals.values()];
}

/**
 * Royalties per creator: credited per licence (with dataset, payer and the creator's split), withdrawn, and balance per
 * currency. One GraphQL round trip (more only past 1 000 credits, withdrawals or balances).
 *
 * @example
 * const { creators } = await royalties(client, { account: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" });
 * creators[0].balances;   // [{ currency: "0x000…", native: true, credited: "350000000000000000", withdrawn: "3500…", balance: "0" }]
 * creators[0].byLicence;  // [{ licenceId: "1", datasetId: "1", payer: "0x…", shareBps: 7000, amount: "3500…", … }]
 * @throws NotInSubgraphError for an account the subgraph has never seen; InvalidInputError for a malformed one.
 */
export async function royalties(client: AuditClient, parameters: RoyaltiesParameters = {}): Promise<RoyaltiesResult> {
  const account = parameters.account === undefined ? undefined : toAccount(parameters.account, "account");
  const { asOf, records } = await fetchRecords(client, account);
  const accounts = new Set<string>([
    ...records.balances.map((b) => b.account.id),
    ...records.credits.map((c) => c.recipient.id),
    ...records.withdrawals.map((w) => w.recipient.id),
    ...records.refunds.map((r) => r.licensee.id),
  ]);
  const creators = [...accounts].sort().map((who) => creatorOf(who, records));
  return { asOf, creators, totals: totalsOf(creators) };
}
