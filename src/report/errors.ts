/** Errors of the report generator; each `message` is one line: what went wrong and what to do next. */
import { PedigreeError } from "../core/errors.ts";

/** Base class of every error the report generator throws on purpose. */
export class ReportError extends PedigreeError {
  override name = "ReportError";
}

/** The model version does not exist in the subgraph (at the requested block). */
export class VersionNotFoundError extends ReportError {
  override name = "VersionNotFoundError";
  constructor(
    readonly versionId: string,
    readonly subgraphUrl: string,
    readonly block: number | null,
  ) {
    super(
      `model version ${versionId} is not in the subgraph at ${subgraphUrl}` +
        (block === null ? "" : ` as of block ${block}`) +
        ` — check the id (model version ids are global, not per-model version numbers)` +
        (block === null ? " or wait for the indexer to catch up" : " or pick a later block"),
    );
  }
}

/** The version id is not a positive decimal integer. */
export class InvalidVersionIdError extends ReportError {
  override name = "InvalidVersionIdError";
  constructor(readonly input: unknown) {
    super(`"${String(input)}" is not a model version id — pass the on-chain id as a positive decimal integer, e.g. 3`);
  }
}

/**
 * The dossier names a model version id that no file name may be built from: not a canonical decimal id, or not the
 * version the dossier is about (a lying or broken subgraph). Nothing was written.
 */
export class UntrustedVersionIdError extends ReportError {
  override name = "UntrustedVersionIdError";
  constructor(
    readonly answeredId: string,
    readonly subjectId: string,
    readonly subgraphUrl: string,
  ) {
    super(
      `the subgraph at ${subgraphUrl} answered model version ${subjectId} with the id ${JSON.stringify(answeredId)}: ` +
        "refusing to name a report file after it; check that --subgraph points at a Pedigree subgraph you trust",
    );
  }
}

/** The subgraph could not be reached or refused the query. */
export class SubgraphQueryError extends ReportError {
  override name = "SubgraphQueryError";
  constructor(
    readonly subgraphUrl: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`subgraph query to ${subgraphUrl} failed: ${oneLine(detail)}`, options);
  }
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}
