/** 5. Training data provenance: the dataset versions (used, then their derivation ancestors) and their datasets. */
import { datasetVersionLabel } from "../format.ts";
import { SECTIONS } from "../limitations.ts";
import type { DatasetRecord, DatasetVersionRecord, DisclosureRecord, VersionDossier } from "../types.ts";
import { claimsBlocks } from "./claims.ts";
import { badge, code, hash, heading, paragraph, table, tx, txOrTime, type Block, type Cell, type Inline, type Section } from "./blocks.ts";

export function dataSection(d: VersionDossier): Section {
  return {
    spec: SECTIONS.data,
    blocks: [
      heading("Dataset versions (used in training, then their derivation ancestors)"),
      table(
        ["Dataset version", "Role", "Derived from", "Fingerprint", "Manifest root", "Datasheet hash", "Transformation hash", "URI", "Publisher", "Published"],
        d.datasetVersions.map(datasetVersionRow),
      ),
      heading("Datasets"),
      table(["Dataset", "Creator", "Owner", "Versions", "Current terms", "Withdrawn", "Registered"], d.datasets.map(datasetRow)),
      ...claimsBlocks(d, "dataset-fingerprint", "Competing claims of these fingerprints"),
      ...disclosureBlocks(d.disclosures),
    ],
  };
}

const DISCLOSURE_STATUS: Record<DisclosureRecord["status"], Inline> = {
  verified: badge("verified", "ok"),
  mismatch: badge("does not open the recorded commitment", "bad"),
  outside: badge("not a record of this report", "warn"),
};

/**
 * The private fields the owner disclosed to this report, each checked against the recorded commitment; the fields not
 * disclosed stay "committed, not disclosed". Nothing when no package was given.
 */
function disclosureBlocks(disclosures: readonly DisclosureRecord[]): Block[] {
  if (disclosures.length === 0) return [];
  const rows = disclosures.flatMap((r): Cell[][] => {
    const record = `${r.subject.type} ${r.subject.id}`;
    const hidden: Cell[] = r.hidden > 0 ? [[record], [hash(r.root)], [`${r.hidden} more field${r.hidden > 1 ? "s" : ""}`], ["—"], [badge("committed, not disclosed", "muted")]] : [];
    if (r.status === "outside") return [[[record], [hash(r.root)], ["—"], ["—"], [DISCLOSURE_STATUS.outside]]];
    return [
      ...r.fields.map((f): Cell[] => [[record], [hash(r.root)], [code(f.name)], [f.value], [f.verified ? DISCLOSURE_STATUS.verified : DISCLOSURE_STATUS.mismatch]]),
      ...(hidden.length > 0 ? [hidden] : []),
    ];
  });
  return [
    heading("Private fields disclosed to this report"),
    paragraph("Committed under per-field salts (the root is the record's datasheet, model card or hyperparameters hash); each disclosed value, salt and proof is checked against the root the chain recorded."),
    table(["Record", "Commitment", "Field", "Value", "Status"], rows),
  ];
}

function datasetVersionRow(v: DatasetVersionRecord): Cell[] {
  const derivedFrom = v.parentIds.map((p, i) => `dataset version ${p}${v.parentLicenceIds[i] ? ` under licence ${v.parentLicenceIds[i]}` : ""}`);
  return [
    [datasetVersionLabel(v)],
    [v.usedInTraining ? badge("used in training", "ok") : badge(`ancestor (depth ${v.derivationDepth})`, "muted")],
    [derivedFrom.length ? derivedFrom.join(", ") : "— (original)"],
    [hash(v.fingerprint)],
    [hash(v.manifestRoot)],
    [hash(v.metadataHash)],
    [hash(v.transformationHash)],
    [code(v.uri)],
    [code(v.publisher)],
    [tx(v.tx)],
  ];
}

function datasetRow(ds: DatasetRecord): Cell[] {
  const withdrawal: Cell = ds.withdrawal ? [badge("withdrawn", "bad"), " ", ds.withdrawal.reason, " — ", txOrTime(ds.withdrawal)] : ["no"];
  const consent: Cell = ds.consentRevocation
    ? ["; ", badge("consent revoked", "bad"), " ", ds.consentRevocation.reason, " — ", txOrTime(ds.consentRevocation)]
    : [];
  return [
    [ds.id],
    [code(ds.creator)],
    [code(ds.owner)],
    [String(ds.versionCount)],
    ds.currentTermsId !== null ? [ds.currentTermsId] : termsCleared(ds),
    [...withdrawal, ...consent],
    [tx(ds.tx)],
  ];
}

/** "— (terms N cleared by the transfer to 0x…, tx)" for a dataset whose terms a transfer cleared, else "—". */
function termsCleared(ds: DatasetRecord): Cell {
  const last = ds.termsClearances.at(-1);
  return last ? ["— (terms ", last.previousTermsId, " cleared by the transfer to ", code(last.newOwner), " — ", tx(last.tx), ")"] : ["—"];
}
