/**
 * The audit report generator: the dossier of a model version (lineage, licences, attestations, approval, deployments,
 * decisions, provenance log — each fact with its transaction) as Markdown, self-contained HTML, JSON and PROV-JSON, and
 * its bills of materials as a CycloneDX 1.6 ML-BOM and SPDX 3.0.1 JSON-LD (AI and Dataset profiles).
 */
export { fetchDossier, isoTime, type FetchDossierOptions } from "./dossier.ts";
export { renderMarkdown, mdCode, mdText, lineageOutline } from "./markdown.ts";
export { renderHtml } from "./html.ts";
export { renderJson } from "./json.ts";
export { toProvJson, renderProvJson, provId, PEDIGREE_NAMESPACE, type ProvDocument, type ProvAttributes, type ProvRecords } from "./prov.ts";
export {
  toCycloneDx,
  renderCycloneDx,
  cdxRef,
  cdxSerialNumber,
  type CycloneDxBom,
  type CdxComponent,
  type CdxDependency,
  type CdxLicence,
  type CdxProperty,
} from "./cyclonedx.ts";
export { toSpdx, renderSpdx, spdxIds, SPDX_CONTEXT, type SpdxDocumentJson, type SpdxNode, type SpdxJson } from "./spdx.ts";
export { layoutLineage, renderLineageSvg, lineageSvgString, NODE_SIZE, type DiagramLayout, type DiagramNode } from "./diagram.ts";
export { buildDocument, SECTION_BUILDERS, type DossierDocument, type Section, type SectionBuilder, type Block, type Inline } from "./document.ts";
export { escapeHtml } from "./escape.ts";
export { renderReport } from "./render.ts";
export {
  writeReport,
  writeDossier,
  reportFileName,
  REPORT_FORMATS,
  DEFAULT_REPORT_FORMATS,
  type ReportFormat,
  type WriteReportOptions,
  type WriteReportResult,
} from "./write.ts";
export { UntrustedVersionIdError } from "./errors.ts";
export { LIMITATIONS, NOT_COVERED, SECTIONS, type SectionSpec } from "./limitations.ts";
export * from "./types.ts";
