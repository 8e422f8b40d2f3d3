/**
 * The audit report generator: the dossier of a model version (lineage, licences, attestations, approval, deployments,
 * decisions, provenance log — each fact with its transaction) as Markdown, self-contained HTML, JSON and PROV-JSON.
 */
export { fetchDossier, isoTime, type FetchDossierOptions } from "./dossier.ts";
export { renderMarkdown, mdCode, mdText, lineageOutline } from "./markdown.ts";
export { renderHtml } from "./html.ts";
export { renderJson } from "./json.ts";
export { toProvJson, renderProvJson, provId, PEDIGREE_NAMESPACE, type ProvDocument, type ProvAttributes, type ProvRecords } from "./prov.ts";
export { layoutLineage, renderLineageSvg, lineageSvgString, NODE_SIZE, type DiagramLayout, type DiagramNode } from "./diagram.ts";
export { buildDocument, SECTION_BUILDERS, type DossierDocument, type Section, type SectionBuilder, type Block, type Inline } from "./document.ts";
export { escapeHtml } from "./escape.ts";
export {
  writeReport,
  writeDossier,
  reportFileName,
  REPORT_FORMATS,
  type ReportFormat,
  type WriteReportOptions,
  type WriteReportResult,
} from "./write.ts";
export { UntrustedVersionIdError } from "./errors.ts";
export { LIMITATIONS, NOT_COVERED, SECTIONS, type SectionSpec } from "./limitations.ts";
export * from "./types.ts";
