/**
 * The dossier laid out as a document — sections (one per Annex IV-relevant topic), tables, lists, paragraphs — that
 * the Markdown and HTML renderers both render, so both formats state the same facts in the same order. Each section
 * has its own builder in sections/; the document model and its constructors are in sections/blocks.ts.
 */
import { subjectTitle } from "./format.ts";
import { SECTIONS } from "./limitations.ts";
import type { VersionDossier } from "./types.ts";
import { accountsSection } from "./sections/accounts.ts";
import { agentsSection } from "./sections/agents.ts";
import { approvalSection } from "./sections/approval.ts";
import { attestationsSection } from "./sections/attestations.ts";
import { code, strong, type Inline, type Section, type SectionBuilder } from "./sections/blocks.ts";
import { limitationsSection, methodSection, notCoveredSection } from "./sections/closing.ts";
import { dataSection } from "./sections/data.ts";
import { decisionsSection } from "./sections/decisions.ts";
import { deploymentsSection } from "./sections/deployments.ts";
import { historySection } from "./sections/history.ts";
import { jurisdictionsSection } from "./sections/jurisdictions.ts";
import { identificationSection } from "./sections/identification.ts";
import { licencesSection } from "./sections/licences.ts";
import { lineageSection, parentsSection } from "./sections/lineage.ts";
import { summarySection } from "./sections/summary.ts";
import { trainingSection } from "./sections/training.ts";

export type { Block, Cell, Inline, Section, SectionBuilder, Tone } from "./sections/blocks.ts";

export interface DossierDocument {
  title: string;
  intro: Inline[];
  sections: Section[];
}

/** The builders of the document's sections, in the document's order. */
export const SECTION_BUILDERS: readonly SectionBuilder[] = [
  summarySection,
  identificationSection,
  lineageSection,
  parentsSection,
  trainingSection,
  dataSection,
  licencesSection,
  attestationsSection,
  approvalSection,
  deploymentsSection,
  decisionsSection,
  jurisdictionsSection,
  agentsSection,
  historySection,
  accountsSection,
  limitationsSection,
  notCoveredSection,
  methodSection,
];

/** Builds the document of a dossier. */
export function buildDocument(d: VersionDossier): DossierDocument {
  return { title: `Audit dossier: ${subjectTitle(d)}`, intro: intro(d), sections: SECTION_BUILDERS.map((build) => build(d)) };
}

/** Where the facts come from, as of which block, and where to read the caveats. */
function intro(d: VersionDossier): Inline[] {
  const g = d.generatedAt;
  return [
    "Facts read from the Pedigree subgraph ",
    code(g.subgraphUrl),
    " (deployment ",
    code(g.deployment),
    ") as of block ",
    strong(String(g.block.number)),
    g.block.time ? ` (${g.block.time})` : "",
    g.requestedBlock !== null ? " — a historical view (time travel), not the latest state" : "",
    ". Each fact carries its transaction reference (block · time · transaction hash), checkable against any node of the chain. Read ",
    { ref: SECTIONS.limitations.id, text: SECTIONS.limitations.title },
    " before relying on any of it.",
  ];
}
