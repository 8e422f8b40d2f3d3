/** 10. Anchored decision records: the Merkle roots of decision batches, and other versions that anchored the same roots. */
import { formatTime } from "../format.ts";
import { SECTIONS } from "../limitations.ts";
import type { VersionDossier } from "../types.ts";
import { code, heading, note, table, tx, type Block, type Cell, type Section } from "./blocks.ts";

export function decisionsSection(d: VersionDossier): Section {
  return {
    spec: SECTIONS.decisions,
    blocks: [
      table(
        ["Merkle root", "Decisions", "Window", "Records URI", "Operator", "Anchored"],
        d.decisionBatches.map((b) => [
          [code(b.root)],
          [b.count],
          [`${formatTime(b.windowStart)} – ${formatTime(b.windowEnd)}`],
          [code(b.uri)],
          [code(b.operator)],
          [tx(b.tx)],
        ]),
        "No decision batches anchored for this version.",
      ),
      ...otherAnchorsBlocks(d),
    ],
  };
}

/** Other versions that anchored this version's decision roots, when there are any. */
function otherAnchorsBlocks(d: VersionDossier): Block[] {
  const rows = d.decisionBatches.flatMap((b) =>
    b.otherAnchors.map((o): Cell[] => [[code(b.root)], [`model version ${o.versionId} (model ${o.modelId})`], [code(o.modelOwner)], [tx(o.tx)]]),
  );
  if (rows.length === 0) return [];
  return [
    heading("The same roots anchored by other versions"),
    note("bad", "A root anchored by several versions does not by itself show which version produced a decision: each anchoring is listed."),
    table(["Merkle root", "Also anchored by", "Model owner", "Anchored"], rows),
  ];
}
