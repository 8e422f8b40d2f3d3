/**
 * 6. Licences and terms: each licence the training run declared (payment, expiry, refund), the terms it was sold under,
 * and the royalties of the lineage's datasets: by sale, by use, by derivation and to contributors.
 */
import { formatAmount, formatBps, formatDuration, formatTime } from "../format.ts";
import { SECTIONS } from "../limitations.ts";
import type { LicenceRecord, RoyaltyRecord, VersionDossier } from "../types.ts";
import { badge, code, fields, hash, heading, join, table, tx, type Block, type Cell, type Section } from "./blocks.ts";

export function licencesSection(d: VersionDossier): Section {
  return {
    spec: SECTIONS.licences,
    blocks: [
      table(["Licence", "Dataset", "Licensee", "Payer", "Paid", "Expires", "Terms", "Acquired"], d.licences.map(licenceRow)),
      ...d.licences.flatMap(termsBlocks),
      ...royaltyBlocks(d.royalties),
    ],
  };
}

function licenceRow(l: LicenceRecord): Cell[] {
  const paid = formatAmount(l.amount, l.currency);
  const expires = formatTime(l.expiresAt, "perpetual");
  return [
    [l.id],
    [l.datasetId],
    [code(l.licensee)],
    [code(l.payer)],
    l.refund ? [paid, " ", badge("voided", "bad"), ` ${formatAmount(l.refund.amount, l.refund.currency)} refunded — `, tx(l.refund.tx)] : [paid],
    l.expiredAtReportBlock ? [expires, " ", badge("expired", "bad")] : [expires],
    [l.terms.id],
    [tx(l.tx)],
  ];
}

/** The heading and fields of the terms a licence was sold under. */
function termsBlocks(l: LicenceRecord): Block[] {
  const t = l.terms;
  return [
    heading(`Terms ${t.id} (dataset ${t.datasetId}, licence ${l.id})`),
    fields([
      ["Price", formatAmount(t.price, t.currency)],
      ["Price per unit of use", BigInt(t.unitPrice) > 0n ? `${formatAmount(t.unitPrice, t.currency)} per ${t.unit}` : "— (not metered)"],
      ["Derivative royalty", t.derivativeRoyaltyBps > 0 ? formatBps(t.derivativeRoyaltyBps) : "— (none)"],
      ["Duration", formatDuration(t.duration)],
      ["Commercial use", t.commercialUse ? "allowed" : badge("not allowed", "bad")],
      ["Derivatives", t.derivativesAllowed ? "allowed" : badge("not allowed", "bad")],
      ["Training territories", t.trainingTerritories],
      ["Deployment territories", t.deploymentTerritories],
      ["Licence document URI", code(t.documentURI)],
      ["Licence document hash", hash(t.documentHash)],
      ["Royalty splits", t.splits.length ? join(t.splits.map((sp) => [code(sp.recipient), ` ${formatBps(sp.bps)}`]), "; ") : ["— (none)"]],
      ["Set by", code(t.setBy)],
      ["Set", tx(t.tx)],
    ]),
  ];
}

/** Royalties of the lineage's datasets: earned by channel, royalty parents, contributors, metered usage and disputes. */
function royaltyBlocks(royalties: readonly RoyaltyRecord[]): Block[] {
  const earned = royalties.flatMap((r) => r.earned.map((e) => ({ datasetId: r.datasetId, ...e })));
  const parents = royalties.flatMap((r) => r.royaltyParents);
  const contributors = royalties.flatMap((r) => r.contributors);
  const usage = royalties.flatMap((r) => r.usage.map((u) => ({ datasetId: r.datasetId, ...u })));
  const amount = (value: string, currency: string): Cell => [formatAmount(value, currency)];
  return [
    heading("Royalties by use and down the lineage"),
    earned.length
      ? table(["Earned by dataset", "By sale", "By use", "By derivation", "To contributors", "Total"], earned.map((e) => [[e.datasetId], amount(e.sale, e.currency), amount(e.use, e.currency), amount(e.derivation, e.currency), amount(e.contribution, e.currency), amount(e.total, e.currency)]))
      : fields([["Earned", "— (nothing credited yet)"]]),
    ...(parents.length ? [table(["Derived version", "Pays on every payment", "Share"], parents.map((p) => [[p.versionId], [`dataset ${p.parentDatasetId} version ${p.parentVersionId}`], [formatBps(p.bps)]]))] : []),
    ...(contributors.length ? [table(["Contributed to version", "Contributor", "Share"], contributors.map((c) => [[c.versionId], [code(c.account)], [formatBps(c.bps)]]))] : []),
    ...(usage.length
      ? [table(["Metered licence", "Dataset", "Units used", "Reports", "Paid", "Disputed reports"], usage.map((u) => [[u.licenceId], [u.datasetId], [`${u.units} ${u.unit}`], [String(u.reports)], amount(u.paid, u.currency), u.disputedReportIds.length ? [badge(`disputed: ${u.disputedReportIds.join(", ")}`, "bad")] : ["none"]]))]
      : []),
  ];
}
