/** 5. Training data provenance: the dataset versions (used, then their derivation ancestors) and their datasets. */
import { datasetVersionLabel } from "../format.ts";
import { SECTIONS } from "../limitations.ts";
import type { DatasetRecord, DatasetVersionRecord, VersionDossier } from "../types.ts";
import { claimsBlocks } from "./claims.ts";
import { badge, code, hash, heading, table, tx, txOrTime, type Cell, type Section } from "./blocks.ts";

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
    ],
  };
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
