/** The report's formats and their file names (./render.ts renders them; ./write.ts writes them to disk). */

export type ReportFormat = "md" | "html" | "json" | "prov" | "cyclonedx" | "spdx";

/** Every format, in the order files are written. */
export const REPORT_FORMATS: readonly ReportFormat[] = ["md", "html", "json", "prov", "cyclonedx", "spdx"];

/** What is written when no format is asked for: the dossier; the bills of materials are asked for by name. */
export const DEFAULT_REPORT_FORMATS: readonly ReportFormat[] = ["md", "html", "json", "prov"];

const EXTENSION: Record<ReportFormat, string> = { md: ".md", html: ".html", json: ".json", prov: ".prov.json", cyclonedx: ".cdx.json", spdx: ".spdx.json" };

/** The file name of a format: `model-version-<id>.md`, `.html`, `.json`, `.prov.json`, `.cdx.json` or `.spdx.json`. */
export function reportFileName(versionId: string, format: ReportFormat): string {
  return `model-version-${versionId}${EXTENSION[format]}`;
}
