/**
 * "Who earned what from the data?" — per creator (royalty recipient): what they were credited, from which licences
 * of which datasets and paid by whom, what they withdrew, and their balance, per currency. A licensee whose licence
 * was voided after the dataset's consent was revoked is listed too, with the refund credited to the same balance.
 */
import type { AuditClient } from "./client.ts";
import {
  META,
  PAGE,
  asOfOf,
  compareIds,
  fetchAll,
  notFound,
  stamp,
  toAccount,
  type RawMeta,
  type Ref,
} from "./shared.ts";
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
  withdrawn: string;
  /** credited + refunded + surplus − withdrawn. */
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

/** One royalty credit: a share of a licence payment. */
export interface RoyaltyCreditInfo extends TxStamp {
  id: string;
  recipient: string;
  currency: string;
  amount: string;
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

interface RawBalance {
  id: string;
  account: Ref;
  currency: string;
  credited: string;
  refunded: string;
  surplus: string;
  withdrawn: string;
  balance: string;
}

interface RawRefund {
  id: string;
  licensee: Ref;
  dataset: Ref;
  currency: string;
  amount: string;
  refundedBy: Ref;
  blockNumber: string;
  timestamp: string;
  transactionHash: string;
}

interface RawCredit {
  id: string;
  recipient: Ref;
  currency: string;
  amount: string;
  blockNumber: string;
  timestamp: string;
  transactionHash: string;
  licence: {
    id: string;
    dataset: Ref;
    payer: Ref;
    licensee: Ref;
    terms: { id: string; documentURI: string; splits: Array<{ recipient: Ref; bps: number }> };
  };
}

interface RawWithdrawal {
  id: string;
  recipient: Ref;
  currency: string;
  to: string;
  amount: string;
  blockNumber: string;
  timestamp: string;
  transactionHash: string;
}

const BALANCE = `id account { id } currency credited refunded surplus withdrawn balance`;
const REFUND = `id licensee { id } dataset { id } currency amount refundedBy { id } blockNumber timestamp transactionHash`;
const CREDIT = `id recipient { id } currency amount blockNumber timestamp transactionHash licence { id dataset { id } payer { id } licensee { id } terms { id documentURI splits(orderBy: index) { recipient { id } bps } } }`;
const WITHDRAWAL = `id recipient { id } currency to amount blockNumber timestamp transactionHash`;

function query(forAccount: boolean): string {
  const by = (field: string) => (forAccount ? `${field}: $account, ` : "");
  return `query Royalties(${forAccount ? "$account: String!, $accountId: ID!, " : ""}$after: ID!) {
    ${forAccount ? "account(id: $accountId) { id }" : ""}
    balances: royaltyBalances(where: { ${by("account")}id_gt: $after }, orderBy: id, first: ${PAGE}) { ${BALANCE} }
    credits: royaltyCredits(where: { ${by("recipient")}id_gt: $after }, orderBy: id, first: ${PAGE}) { ${CREDIT} }
    withdrawals: royaltyWithdrawals(where: { ${by("recipient")}id_gt: $after }, orderBy: id, first: ${PAGE}) { ${WITHDRAWAL} }
    refunds: licenceRefunds(where: { ${by("licensee")}id_gt: $after }, orderBy: id, first: ${PAGE}) { ${REFUND} }
    ${META}
  }`;
}

function pageQuery(field: "balances" | "credits" | "withdrawals" | "refunds", forAccount: boolean): string {
  const entity = { balances: "royaltyBalances", credits: "royaltyCredits", withdrawals: "royaltyWithdrawals", refunds: "licenceRefunds" }[field];
  const selection = { balances: BALANCE, credits: CREDIT, withdrawals: WITHDRAWAL, refunds: REFUND }[field];
  const filterField = { balances: "account", credits: "recipient", withdrawals: "recipient", refunds: "licensee" }[field];
  return `query RoyaltiesPage(${forAccount ? "$account: String!, " : ""}$after: ID!) {
    ${field}: ${entity}(where: { ${forAccount ? `${filterField}: $account, ` : ""}id_gt: $after }, orderBy: id, first: ${PAGE}) { ${selection} }
  }`;
}

const add = (a: string, b: string) => (BigInt(a) + BigInt(b)).toString();

/**
 * Royalties per creator: credited per licence (with dataset, payer and the creator's split), withdrawn, and balance per
 * currency. One GraphQL round trip (more only past 1 000 credits, withdrawals or balances).
 *
 * @example
 * const { creators } = await royalties(client, { account: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" });
 * creators[0].balances;   // [{ currency: "0x000…", native: true, credited: "350000000000000000", withdrawn: "3500…", balance: "0" }]
 * creators[0].byLicence;  // [{ licenceId: "1", datasetId: "1", payer: "0x…", shareBps: 7000, amount: "3500…", … }]
 * @throws NotInSubgraphError for an account the subgraph has never seen; InvalidAuditInputError for a malformed one.
 */
export async function royalties(client: AuditClient, parameters: RoyaltiesParameters = {}): Promise<RoyaltiesResult> {
  const account = parameters.account === undefined ? undefined : toAccount(parameters.account, "account");
  const forAccount = account !== undefined;
  const variables = forAccount ? { account, accountId: account } : {};
  const data = await client.request<{
    account?: Ref | null;
    balances: RawBalance[];
    credits: RawCredit[];
    withdrawals: RawWithdrawal[];
    refunds: RawRefund[];
    _meta: RawMeta;
  }>(query(forAccount), { ...variables, after: "" });
  if (forAccount && !data.account) throw notFound(client, "account", account);
  const asOf = asOfOf(data._meta);
  const same = client.block ? client : client.at({ number: asOf.blockNumber });
  const pageVars = forAccount ? { account } : {};
  const [balances, credits, withdrawals, refunds] = await Promise.all([
    fetchAll<RawBalance>(same, pageQuery("balances", forAccount), "balances", pageVars, data.balances),
    fetchAll<RawCredit>(same, pageQuery("credits", forAccount), "credits", pageVars, data.credits),
    fetchAll<RawWithdrawal>(same, pageQuery("withdrawals", forAccount), "withdrawals", pageVars, data.withdrawals),
    fetchAll<RawRefund>(same, pageQuery("refunds", forAccount), "refunds", pageVars, data.refunds),
  ]);

  const accounts = new Set<string>([
    ...balances.map((b) => b.account.id),
    ...credits.map((c) => c.recipient.id),
    ...withdrawals.map((w) => w.recipient.id),
    ...refunds.map((r) => r.licensee.id),
  ]);
  const creators: CreatorRoyalties[] = [...accounts].sort().map((who) => {
    const mine = credits
      .filter((c) => c.recipient.id === who)
      .map((c): RoyaltyCreditInfo => ({
        id: c.id,
        recipient: who,
        currency: c.currency,
        amount: c.amount,
        licenceId: c.licence.id,
        datasetId: c.licence.dataset.id,
        termsId: c.licence.terms.id,
        payer: c.licence.payer.id,
        licensee: c.licence.licensee.id,
        ...stamp(c),
      }))
      .sort((a, b) => a.blockNumber - b.blockNumber || (a.id < b.id ? -1 : 1));
    const byLicence = new Map<string, LicenceEarning>();
    for (const c of credits.filter((c) => c.recipient.id === who)) {
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
    const byDataset = new Map<string, { datasetId: string; currency: string; amount: string }>();
    for (const e of byLicence.values()) {
      const key = `${e.datasetId}-${e.currency}`;
      const existing = byDataset.get(key);
      if (existing) existing.amount = add(existing.amount, e.amount);
      else byDataset.set(key, { datasetId: e.datasetId, currency: e.currency, amount: e.amount });
    }
    return {
      account: who,
      balances: balances
        .filter((b) => b.account.id === who)
        .map((b) => ({
          currency: b.currency,
          native: b.currency === ZERO_ADDRESS,
          credited: b.credited,
          refunded: b.refunded,
          surplus: b.surplus,
          withdrawn: b.withdrawn,
          balance: b.balance,
        }))
        .sort((a, b) => (a.currency < b.currency ? -1 : 1)),
      byLicence: [...byLicence.values()].sort((a, b) => compareIds(a.licenceId, b.licenceId)),
      byDataset: [...byDataset.values()].sort((a, b) => compareIds(a.datasetId, b.datasetId)),
      credits: mine,
      refunds: refunds
        .filter((r) => r.licensee.id === who)
        .map((r) => ({
          licenceId: r.id,
          datasetId: r.dataset.id,
          licensee: who,
          currency: r.currency,
          amount: r.amount,
          refundedBy: r.refundedBy.id,
          ...stamp(r),
        }))
        .sort((a, b) => a.blockNumber - b.blockNumber || compareIds(a.licenceId, b.licenceId)),
      withdrawals: withdrawals
        .filter((w) => w.recipient.id === who)
        .map((w) => ({ id: w.id, recipient: who, currency: w.currency, to: w.to, amount: w.amount, ...stamp(w) }))
        .sort((a, b) => a.blockNumber - b.blockNumber),
    };
  });

  const totals = new Map<string, CurrencyAmounts>();
  for (const creator of creators) {
    for (const b of creator.balances) {
      const t = totals.get(b.currency);
      if (t) {
        t.credited = add(t.credited, b.credited);
        t.refunded = add(t.refunded, b.refunded);
        t.surplus = add(t.surplus, b.surplus);
        t.withdrawn = add(t.withdrawn, b.withdrawn);
        t.balance = add(t.balance, b.balance);
      } else totals.set(b.currency, { ...b });
    }
  }
  return { asOf, creators, totals: [...totals.values()] };
}
