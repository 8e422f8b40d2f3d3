/** 6. Licences and terms: each licence the training run declared (payment, expiry, refund) and the terms it was sold under. */
import { formatAmount, formatBps, formatDuration, formatTime } from "../format.ts";
import { SECTIONS } from "../limitations.ts";
import type { LicenceRecord, VersionDossier } from "../types.ts";
import { badge, code, fields, hash, heading, join, table, tx, type Block, type Cell, type Section } from "./blocks.ts";

export function licencesSection(d: VersionDossier): Section {
  return {
    spec: SECTIONS.licences,
    blocks: [
      table(["Licence", "Dataset", "Licensee", "Payer", "Paid", "Expires", "Terms", "Acquired"], d.licences.map(licenceRow)),
      ...d.licences.flatMap(termsBlocks),
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
