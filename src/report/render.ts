/**
 * A dossier in each report format. Browser-safe (no Node API), so the lineage explorer exports from the page the same
 * files `pedigree report` writes to disk (./write.ts).
 */
import { renderCycloneDx } from "./cyclonedx.ts";
import type { ReportFormat } from "./formats.ts";
import { renderHtml } from "./html.ts";
import { renderJson } from "./json.ts";
import { renderMarkdown } from "./markdown.ts";
import { renderProvJson } from "./prov.ts";
import { renderSpdx } from "./spdx.ts";
import type { VersionDossier } from "./types.ts";

const RENDER: Record<ReportFormat, (d: VersionDossier) => string> = {
  md: renderMarkdown,
  html: renderHtml,
  json: renderJson,
  prov: renderProvJson,
  cyclonedx: renderCycloneDx,
  spdx: renderSpdx,
};

/** The dossier in `format`. */
export function renderReport(dossier: VersionDossier, format: ReportFormat): string {
  return RENDER[format](dossier);
}
