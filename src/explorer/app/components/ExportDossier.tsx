/**
 * Export of the model version's audit dossier from the page: the same files `pedigree report` writes (Markdown,
 * self-contained HTML, JSON, PROV-JSON, CycloneDX ML-BOM, SPDX), rendered in the browser from the read model's answers
 * at the block the page shows, and downloaded.
 */
import { useState } from "preact/hooks";
import { REPORT_FORMATS, reportFileName, type ReportFormat } from "../../../report/formats.ts";

const LABELS: Record<ReportFormat, string> = { md: "Markdown", html: "HTML", json: "JSON", prov: "PROV-JSON", cyclonedx: "CycloneDX ML-BOM", spdx: "SPDX 3.0" };
const TYPES: Record<ReportFormat, string> = { md: "text/markdown", html: "text/html", json: "application/json", prov: "application/json", cyclonedx: "application/json", spdx: "application/ld+json" };

function download(name: string, type: string, text: string): void {
  const href = URL.createObjectURL(new Blob([text], { type }));
  const anchor = Object.assign(document.createElement("a"), { href, download: name });
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}

export function ExportDossier({ url, versionId, block }: { url: string; versionId: string; block: number | null }) {
  const [status, setStatus] = useState<string>("");
  const exportAs = async (format: ReportFormat) => {
    setStatus(`Preparing the ${LABELS[format]} dossier…`);
    try {
      // Loaded on first use: the report's renderers are most of the bundle and no page needs them to show.
      const [{ fetchDossier }, { renderReport }] = await Promise.all([import("../../../report/dossier.ts"), import("../../../report/render.ts")]);
      const dossier = await fetchDossier({ url, versionId, block: block ?? undefined });
      download(reportFileName(versionId, format), TYPES[format], renderReport(dossier, format));
      setStatus(`Downloaded ${reportFileName(versionId, format)}.`);
    } catch (error) {
      setStatus(`The dossier could not be made: ${(error as Error).message}`);
    }
  };
  return (
    <div class="export" role="group" aria-label="Export the audit dossier">
      {REPORT_FORMATS.map((format) => (
        <button type="button" data-format={format} onClick={() => void exportAs(format)}>{LABELS[format]}</button>
      ))}
      <span role="status">{status}</span>
    </div>
  );
}
