/**
 * Private fields disclosed to a report: the disclosure packages an owner handed the auditor (`pedigree disclose`),
 * each checked against the root the dossier records for its record — a dataset version's datasheet hash, the model's
 * card hash, a training run's hyperparameters hash. The chain cannot tell a commitment from a plain hash; a package says which it is.
 */
import { openedFields, type DisclosurePackage } from "../core/commitments.ts";
import type { DisclosureRecord, VersionDossier } from "./types.ts";

/** The root the dossier records for a package's subject, or null when the record is not in the dossier. */
function recordedRoot(d: VersionDossier, subject: DisclosurePackage["subject"]): string | null {
  if (subject.type === "dataset-version") return d.datasetVersions.find((v) => v.id === subject.id)?.metadataHash ?? null;
  if (subject.type === "training-run") return d.training?.id === subject.id ? d.training.hyperparametersHash : null;
  if (subject.type === "model") return d.model.id === subject.id ? d.model.metadataHash : null;
  if (subject.type === "attestation") return d.attestations.find((a) => a.id === subject.id)?.evidenceHash ?? null;
  return null;
}

/** Each package, checked: verified fields, fields that do not open the recorded root, or a record outside the report. */
export function disclosuresOf(d: VersionDossier, packages: readonly DisclosurePackage[]): DisclosureRecord[] {
  return packages.map((pkg) => {
    const root = recordedRoot(d, pkg.subject);
    const hidden = Math.max(0, pkg.fieldCount - pkg.fields.length);
    if (root === null) return { subject: pkg.subject, root: pkg.root, status: "outside", fields: [], hidden };
    const fields = openedFields(pkg, root).map((f) => ({ name: f.name, value: f.value, verified: f.opens }));
    return { subject: pkg.subject, root: root.toLowerCase(), status: fields.every((f) => f.verified) ? "verified" : "mismatch", fields, hidden };
  });
}
