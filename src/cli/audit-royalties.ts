/**
 * The human answers of `pedigree audit royalties [account | dataset]`: what each creator earned and withdrew, or what a
 * dataset earned by sale, by use, by derivation and for its contributors, what it paid up its lineage, and its metered
 * usage with disputed reports.
 */
import type { ChannelAmounts, DatasetRoyaltiesResult, RoyaltiesResult } from "../audit/index.ts";
import { formatAmount } from "./output.ts";

const amount = (value: string, currency: string) => formatAmount(BigInt(value), currency);

function channelLine(label: string, t: ChannelAmounts): string {
  const part = (name: keyof ChannelAmounts) => `${name} ${amount(t[name], t.currency)}`;
  return `${label}${part("sale")}, ${part("use")}, ${part("derivation")}, ${part("contribution")}; total ${amount(t.total, t.currency)}`;
}

/** The human answer for a dataset: terms, earnings by channel and recipient, lineage hops, versions, usage. */
export function datasetRoyaltyLines(r: DatasetRoyaltiesResult): string[] {
  const t = r.terms;
  const terms = t
    ? `terms ${t.termsId}: price ${amount(t.price, t.currency)}${BigInt(t.unitPrice) > 0n ? `, ${amount(t.unitPrice, t.currency)} per ${t.unit}` : ", not metered"}, derivative royalty ${t.derivativeRoyaltyBps} bps`
    : "no current terms";
  const hop = (h: DatasetRoyaltiesResult["paidUpstream"][number], other: string) =>
    `  payment ${h.paymentId} (${h.source} under licence ${h.licenceId}): ${amount(h.amount, h.currency)} ${other} (${h.bps} bps)`;
  return [
    `dataset ${r.datasetId} (owner ${r.owner}), ${terms}`,
    ...(r.earned.length === 0 ? ["nothing earned yet"] : r.earned.map((e) => channelLine("earned: ", e))),
    ...r.byRecipient.map((e) => channelLine(`  ${e.recipient}: `, e)),
    ...(r.paidUpstream.length ? ["paid up the lineage:", ...r.paidUpstream.map((h) => hop(h, `from version ${h.childVersionId} to dataset ${h.parentDatasetId} version ${h.parentVersionId}`))] : []),
    ...(r.earnedByDerivation.length ? ["earned by derivation:", ...r.earnedByDerivation.map((h) => hop(h, `from dataset ${h.childDatasetId} version ${h.childVersionId} to version ${h.parentVersionId}`))] : []),
    ...r.versions.flatMap((v) => versionLines(v)),
    ...r.usage.flatMap((u) => [
      `licence ${u.licenceId} (${u.licensee}): ${u.units} ${u.unit || "units"} in ${u.reportCount} report(s), paid ${amount(u.paid, u.currency)}, deposit left ${amount(u.deposit, u.currency)}`,
      ...u.reports.map((rep) => `  report ${rep.reportId}: ${rep.units} on version ${rep.versionId}, ${amount(rep.cost, u.currency)}${rep.viaSignature ? ", relayed" : ""}${rep.disputed ? `, DISPUTED by ${rep.disputes.filter((d) => !d.revoked).map((d) => d.attester).join(", ")}` : ""}`),
    ]),
  ];
}

function versionLines(v: DatasetRoyaltiesResult["versions"][number]): string[] {
  if (v.royaltyParents.length === 0 && v.contributors.length === 0) return [];
  return [
    `version ${v.versionId} (#${v.number})`,
    ...v.royaltyParents.map((p) => `  pays dataset ${p.datasetId} version ${p.versionId}: ${p.bps} bps (terms ${p.termsId})`),
    ...v.contributors.map((c) => `  contributor ${c.account}: ${c.bps} bps (role ${c.roleHash})`),
  ];
}

/** The human answer by account: each creator's balances and the licences that paid it. */
export function creatorRoyaltyLines(result: RoyaltiesResult): string[] {
  return result.creators.flatMap((creator) => [
    `${creator.account}`,
    ...creator.balances.map((b) => `  ${b.native ? "ETH" : b.currency}: credited ${b.credited}, withdrawn ${b.withdrawn}, balance ${b.balance} (wei / base units)`),
    ...creator.byLicence.map((l) => `  licence ${l.licenceId} of dataset ${l.datasetId} paid by ${l.payer}`),
  ]);
}
