/**
 * The closing sections: 15. what the chain does not prove, 16. the Annex IV items this dossier does not cover, and
 * 17. its source and method (how to verify a fact and reproduce the dossier).
 */
import { NOT_COVERED, SECTIONS } from "../limitations.ts";
import type { VersionDossier } from "../types.ts";
import { code, fields, list, paragraph, yes, type Section } from "./blocks.ts";

export function limitationsSection(d: VersionDossier): Section {
  return { spec: SECTIONS.limitations, blocks: [list(d.limitations.map((l) => [l]))] };
}

export function notCoveredSection(_d: VersionDossier): Section {
  return {
    spec: SECTIONS.notCovered,
    blocks: [paragraph("Annex IV items the chain holds nothing (or only hashes) about — document them elsewhere:"), list(NOT_COVERED.map((l) => [l]))],
  };
}

export function methodSection(d: VersionDossier): Section {
  const g = d.generatedAt;
  return {
    spec: SECTIONS.method,
    blocks: [
      fields([
        ["Subgraph URL", code(g.subgraphUrl)],
        ["Subgraph deployment", code(g.deployment)],
        ["Block read", g.block.hash ? [String(g.block.number), " ", code(g.block.hash)] : [String(g.block.number)]],
        ["Block time", g.block.time ?? "unknown (no event recorded in that block)"],
        ["Requested block", g.requestedBlock === null ? "— (the subgraph's head)" : String(g.requestedBlock)],
        ["Indexing errors", yes(g.hasIndexingErrors)],
        ["GraphQL requests", String(g.requests)],
        ["Dossier format", code(d.format)],
      ]),
      paragraph(
        "To verify a fact, fetch the receipt of its transaction from a node of the chain (",
        code("eth_getTransactionReceipt"),
        ") and decode the registry's event. To reproduce this dossier, generate the report of model version ",
        code(d.version.id),
        ` as of block ${g.block.number} from the same subgraph deployment: the facts are the same.`,
      ),
    ],
  };
}
