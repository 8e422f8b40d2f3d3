/**
 * Writes the report files of one model version: Markdown, HTML, JSON dossier and PROV-JSON lineage by default, and on
 * request its bills of materials (CycloneDX 1.6 ML-BOM, SPDX 3.0.1 JSON-LD).
 */
import type { DisclosurePackage } from "../core/commitments.ts";
import { InvalidInputError } from "../core/errors.ts";
import { mkdir, writeFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { fetchDossier } from "./dossier.ts";
import { UntrustedVersionIdError } from "./errors.ts";
import { REPORT_FORMATS, DEFAULT_REPORT_FORMATS, reportFileName, type ReportFormat } from "./formats.ts";
import { renderReport } from "./render.ts";

export { REPORT_FORMATS, DEFAULT_REPORT_FORMATS, reportFileName, type ReportFormat };
import type { VersionDossier } from "./types.ts";

export interface WriteReportOptions {
  /** GraphQL endpoint of the Pedigree subgraph. */
  url: string;
  /** On-chain model version id. */
  versionId: string | number | bigint;
  /** Directory to write into (created if missing). */
  outDir: string;
  /** Which files to write; default {@link DEFAULT_REPORT_FORMATS}. */
  formats?: ReportFormat[];
  /** Read the subgraph as of this block (time travel). */
  block?: number;
  /** Extra HTTP headers for the subgraph. */
  headers?: Record<string, string>;
  /** Give up on each answer of the subgraph after this many milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Disclosure packages of private fields in the lineage, checked and shown in the training data section. */
  disclosures?: DisclosurePackage[];
}

export interface WriteReportResult {
  /** Absolute paths of the files written, in the order of {@link REPORT_FORMATS} (of those asked for). */
  files: string[];
  dossier: VersionDossier;
}

/** A model version id as the subgraph writes it (decimal, no leading zero): the only thing a file name is built from. */
const CANONICAL_ID = /^[1-9][0-9]*$/;


/**
 * The id to name the files of `dossier` after. The version id comes from the subgraph's answer: it must be a
 * canonical id and the very version the dossier was asked for, or the files are not written at all.
 */
function trustedVersionId(dossier: VersionDossier): string {
  const answered = String(dossier.version.id);
  const subject = String(dossier.subject.versionId);
  if (!CANONICAL_ID.test(answered) || answered !== subject) {
    throw new UntrustedVersionIdError(answered, subject, dossier.generatedAt.subgraphUrl);
  }
  return answered;
}

/** `dir/name`, refused unless it stays inside `dir` (a second line of defence after {@link trustedVersionId}). */
function pathInside(dir: string, name: string): string {
  const path = resolve(dir, name);
  const rel = relative(dir, path);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
    throw new InvalidInputError("outDir", `the report file name ${JSON.stringify(name)} leads outside ${dir}: refusing to write it`);
  }
  return path;
}

/** Renders an already fetched dossier into `outDir`. */
export async function writeDossier(dossier: VersionDossier, outDir: string, formats: readonly ReportFormat[] = DEFAULT_REPORT_FORMATS): Promise<string[]> {
  const unknown = formats.filter((f) => !REPORT_FORMATS.includes(f));
  if (unknown.length) throw new InvalidInputError("formats", `unknown report format ${unknown.map((f) => `"${f}"`).join(", ")} — choose from ${REPORT_FORMATS.join(", ")}`);
  const dir = resolve(outDir);
  const versionId = trustedVersionId(dossier);
  const targets = REPORT_FORMATS.filter((f) => formats.includes(f)).map((format) => ({ format, path: pathInside(dir, reportFileName(versionId, format)) }));
  await mkdir(dir, { recursive: true });
  for (const { format, path } of targets) await writeFile(path, renderReport(dossier, format), "utf8");
  return targets.map((target) => target.path);
}

/** Fetches the dossier of a model version and writes the requested formats. */
export async function writeReport(options: WriteReportOptions): Promise<WriteReportResult> {
  const formats = options.formats ?? [...DEFAULT_REPORT_FORMATS];
  if (formats.length === 0) throw new InvalidInputError("formats", `no report format asked for — choose from ${REPORT_FORMATS.join(", ")}`);
  const { url, versionId, block, headers, timeoutMs, disclosures } = options;
  const dossier = await fetchDossier({ url, versionId, block, headers, timeoutMs, disclosures });
  const files = await writeDossier(dossier, options.outDir, formats);
  return { files, dossier };
}
