/** Competing claims of a digest (a model's weights or a dataset version's fingerprint), shown in the sections that name it. */
import { formatTime } from "../format.ts";
import type { ClaimRecord, CompetingClaimsRecord, VersionDossier } from "../types.ts";
import { badge, code, heading, paragraph, table, tx, type Block, type Cell } from "./blocks.ts";

/** A heading and a table of every claim of each competing digest of `kind`; nothing when there is none. */
export function claimsBlocks(d: VersionDossier, kind: CompetingClaimsRecord["kind"], title: string): Block[] {
  const competing = d.competingClaims.filter((c) => c.kind === kind);
  if (competing.length === 0) return [];
  return [
    heading(title),
    paragraph(
      "Several accounts registered the same digest: the registries let each claimant keep its own record, so every claim is listed in chain order. The earliest claim is the one with the earliest proven commitment (commit–reveal), else the earliest registration; neither proves authorship.",
    ),
    table(
      ["Digest", "Version", "Claimant", "Commitment proven", "Attestations", "Order", "Registered"],
      competing.flatMap((c) => c.claims.map((claim) => claimRow(c, claim))),
    ),
  ];
}

function claimRow(c: CompetingClaimsRecord, claim: ClaimRecord): Cell[] {
  const asset = c.kind === "model-weights" ? "model" : "dataset";
  const inDossier = claim.versionId === c.subjectVersionId;
  const first = claim.versionId === c.firstRegistered;
  const earliest = claim.versionId === c.earliestPriority;
  return [
    [code(c.digest)],
    [`${asset} ${claim.assetId} version ${claim.number} (id ${claim.versionId})`, inDossier ? " " : "", inDossier ? badge("in this dossier", "muted") : ""],
    [code(claim.claimant)],
    claim.priority ? [formatTime(claim.priority.committedAt), claim.priority.commitmentBlock === null ? "" : ` (block ${claim.priority.commitmentBlock})`] : ["—"],
    [claim.attestationIds.join(", ") || "—"],
    [first ? "registered first" : "", first && earliest ? "; " : "", earliest ? badge("earliest claim", "ok") : ""],
    [tx(claim.tx)],
  ];
}
