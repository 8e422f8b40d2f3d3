/** Summary: the version's status at a glance and the notices an auditor should read first. */
import { versionLabel } from "../format.ts";
import { SECTIONS } from "../limitations.ts";
import type { VersionDossier } from "../types.ts";
import { badge, code, fields, heading, join, list, note, tx, yes, type Block, type Cell, type Section } from "./blocks.ts";

export function summarySection(d: VersionDossier): Section {
  const blocks: Block[] = [];
  if (d.generatedAt.hasIndexingErrors) blocks.push(note("bad", "The subgraph reports indexing errors: facts may be missing."));
  blocks.push(
    summaryFields(d),
    heading("Notices"),
    list(
      d.summary.notices.map((n) => [n]),
      "No notices: nothing revoked, rolled back, withdrawn, expired or claimed by another account.",
    ),
  );
  return { spec: SECTIONS.summary, blocks };
}

function summaryFields(d: VersionDossier): Block {
  const s = d.summary;
  const environments = (names: string[]) => join(names.map((e) => [code(e)]), ", ");
  const releasable: [string, Cell][] = s.liveButNotReleasable.length
    ? [["Releasable", [badge("live but not releasable", "bad"), " in ", ...environments(s.liveButNotReleasable)]]]
    : [];
  return fields([
    ["Subject", versionLabel(d.version)],
    ["Release approval", s.approved ? [badge("approved", "ok"), " ", tx(d.approval?.tx)] : [badge("not approved", "bad")]],
    ["Live now in", s.liveIn.length ? [badge("live", "ok"), " ", ...environments(s.liveIn)] : [badge("not live", "muted"), " in any environment"]],
    ...releasable,
    ["Ever deployed", yes(s.everDeployed)],
    ["Rolled back", s.rolledBack ? [badge(`rolled back ${s.rolledBack}×`, "bad")] : ["no"]],
    ["Revoked attestations", s.revokedAttestationIds.length ? [badge(`revoked: ${s.revokedAttestationIds.join(", ")}`, "bad")] : ["none"]],
    ["Training data", trainingDataSummary(d)],
    ["Fine-tuned from", d.parents.length ? d.parents.map((p) => versionLabel(p)).join(" ← ") : "— (a base model)"],
    ["Decision batches anchored", `${d.decisionBatches.length} (${d.decisionBatches.reduce((n, b) => n + BigInt(b.count), 0n)} decisions)`],
  ]);
}

/** "2 dataset version(s) from 2 dataset(s) under 2 licence(s); 1 derivation ancestor(s)", or a bad badge. */
function trainingDataSummary(d: VersionDossier): Cell {
  if (!d.training) return [badge("no training run recorded", "bad")];
  const uses = d.training.uses;
  const datasets = new Set(uses.map((u) => u.datasetId)).size;
  return [`${uses.length} dataset version(s) from ${datasets} dataset(s) under ${d.licences.length} licence(s); ${d.datasetVersions.length - uses.length} derivation ancestor(s)`];
}
