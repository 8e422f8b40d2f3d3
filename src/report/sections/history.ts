/** 13. Provenance log: every event the subgraph logged about the version and its lineage, oldest first. */
import { SECTIONS } from "../limitations.ts";
import type { VersionDossier } from "../types.ts";
import { code, paragraph, table, tx, type Section } from "./blocks.ts";

export function historySection(d: VersionDossier): Section {
  return {
    spec: SECTIONS.history,
    blocks: [
      paragraph(
        "Every event the subgraph logged about this version, its model, data, licences, attestations and deployments, oldest first. Descriptions are the indexer's, built from on-chain values.",
      ),
      table(
        ["When", "Action", "Scope", "Actor", "Description"],
        d.history.map((e) => [[tx(e.tx)], [e.action], [e.aboutVersion ? "this version" : "lineage"], [code(e.actor)], [e.description]]),
      ),
    ],
  };
}
