/** 2. Lineage overview (the drawing) and 3. the fine-tune lineage: the pre-trained parents and the versions tuned from this one. */
import { versionLabel } from "../format.ts";
import { SECTIONS } from "../limitations.ts";
import type { VersionDossier } from "../types.ts";
import { code, hash, heading, paragraph, table, tx, yes, type Block, type Section } from "./blocks.ts";

export function lineageSection(_d: VersionDossier): Section {
  return {
    spec: SECTIONS.lineage,
    blocks: [
      paragraph(
        "Datasets → their versions (derivations left to right) → the training run → this model version, with the fine-tune parents above it and its deployments and decision batches to the right. Revoked, withdrawn and rolled-back items are marked (red in the HTML diagram).",
      ),
      { kind: "lineage" },
    ],
  };
}

export function parentsSection(d: VersionDossier): Section {
  const blocks: Block[] = [
    table(
      ["Depth", "Model version", "Weights hash", "URI", "Approved", "Trained on (dataset versions)", "Published"],
      d.parents.map((p) => [
        [String(p.depth)],
        [versionLabel(p)],
        [hash(p.weightsHash)],
        [code(p.uri)],
        [yes(p.approved)],
        [p.training ? p.training.datasetVersionIds.join(", ") || "—" : "no training run recorded"],
        [tx(p.tx)],
      ]),
      "None: a base model (not fine-tuned from another version).",
    ),
  ];
  if (d.parents.length) blocks.push(paragraph("Each parent's own data, licences and attestations are in its own dossier."));
  if (d.fineTunes.length) {
    blocks.push(heading("Versions fine-tuned from this one"), table(["Model version", "Published"], d.fineTunes.map((f) => [[versionLabel(f)], [tx(f.tx)]])));
  }
  return { spec: SECTIONS.parents, blocks };
}
