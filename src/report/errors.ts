/**
 * The report's own error: the reading errors (unknown version, malformed input, subgraph unreachable) are the audit
 * client's, since the report reads through it. Each `message` is one line: what went wrong and what to do next.
 */
import { AuditError } from "../audit/errors.ts";

/**
 * The dossier names a model version id that no file name may be built from: not a canonical decimal id, or not the
 * version the dossier is about (a lying or broken subgraph). Nothing was written.
 */
export class UntrustedVersionIdError extends AuditError {
  override name = "UntrustedVersionIdError";
  constructor(
    readonly answeredId: string,
    readonly subjectId: string,
    readonly subgraphUrl: string,
  ) {
    super(
      "SUBGRAPH_QUERY",
      `the subgraph at ${subgraphUrl} answered model version ${subjectId} with the id ${JSON.stringify(answeredId)}: ` +
        "refusing to name a report file after it; check that --subgraph points at a Pedigree subgraph you trust",
    );
  }
}
