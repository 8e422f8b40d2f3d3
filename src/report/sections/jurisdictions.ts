/**
 * 11. Where, and under which conditions: where the version and its fine-tune ancestors were trained, the territories
 * of the licences behind them and what they leave together, the system versions it runs as (prompt, retrieval, policy,
 * tools), where it served and decided and under which policy, and conflicts.
 */
import { describeRegionCodes as regions } from "../../core/regions.ts";
import { formatTime } from "../format.ts";
import { SECTIONS } from "../limitations.ts";
import type { VersionDossier } from "../types.ts";
import { badge, code, hash, heading, note, paragraph, strong, table, tx, type Block, type Cell, type Section } from "./blocks.ts";

export function jurisdictionsSection(d: VersionDossier): Section {
  const j = d.jurisdictions;
  return {
    spec: SECTIONS.jurisdictions,
    blocks: [
      paragraph(
        strong("Territory left by the licences: "),
        `training in ${regions(j.territory.training)}; deployment in ${regions(j.territory.deployment)}.`,
      ),
      ...conflictBlocks(d),
      heading("Where the data comes from, and how it must be handled"),
      table(
        ["Dataset version", "Dataset", "Used for", "Origin", "Handling policy"],
        j.data.map((x) => [[x.datasetVersionId], [x.datasetId], [x.use], [x.origin.length ? regions(x.origin) : "— (not declared)"], policyCell(x.handlingPolicy)]),
        "No registered data behind this version.",
      ),
      heading("Training runs of the fine-tune chain"),
      table(
        ["Model version", "Computed in", "Compute provider", "Training allowed in"],
        j.runs.map((r) => [[r.versionId === d.version.id ? strong(`${r.versionId} (this one)`) : r.versionId], [r.region], [r.computeProvider ? code(r.computeProvider) : "— (not declared)"], [regions(r.allowed)]]),
        "No training run recorded.",
      ),
      heading("Licence territories"),
      table(
        ["Licence", "Dataset", "Training in", "Deployment in"],
        j.licences.map((l) => [[l.licenceId], [l.datasetId], [regions(l.training)], [regions(l.deployment)]]),
        "No licence behind this version.",
      ),
      heading("System versions (the configuration it runs with)"),
      table(["System version", "Changes", "Prompt", "Retrieval index", "Policy", "Tools", "Retrieval data", "May serve in", "Release gate", "Published"], systemRows(d), "No system version runs this model version: it is deployed bare."),
      heading("Where it served and decided"),
      table(
        ["Deployment", "Environment", "System version", "Regions", "Status", "Deployed"],
        d.deployments.map((dep) => [[dep.id], [code(dep.environment)], [dep.systemId ?? "— (bare)"], [regions(dep.regions)], [dep.active ? badge("live", "ok") : badge("not live", "muted")], [tx(dep.tx)]]),
        "Never deployed.",
      ),
      table(
        ["Decision batch", "Decisions", "Made in", "System version", "Policy", "Window", "Anchored"],
        d.decisionBatches.map((b) => [[code(b.root)], [b.count], [regions(b.regions)], [b.systemId ?? "— (bare)"], [hash(b.policyHash)], [`${formatTime(b.windowStart)} – ${formatTime(b.windowEnd)}`], [tx(b.tx)]]),
        "No decision batches anchored for this version.",
      ),
    ],
  };
}

function systemRows(d: VersionDossier): Cell[][] {
  return d.systems.map((s) => {
    const territory = d.jurisdictions.systems.find((j) => j.systemId === s.id)?.deployment ?? d.jurisdictions.territory.deployment;
    const retrieval = s.retrieval.map((r) => `dataset version ${r.datasetVersionId} under licence ${r.licenceId}`).join("; ") || "—";
    const gate = s.approvalRevoked ? badge("approval revoked", "bad") : s.approved ? badge("approved", "ok") : badge("not approved", "muted");
    return [[s.id], [s.parentId ? `changes system version ${s.parentId}` : "first"], [hash(s.promptHash)], [hash(s.retrievalIndex)], [hash(s.policyHash)], [hash(s.toolsHash)], [retrieval], [regions(territory)], [gate], [tx(s.tx)]];
  });
}

function policyCell(policy: { hash: string; uri: string } | null): Cell {
  if (!policy) return ["— (not declared)"];
  return policy.uri ? [code(policy.uri), " ", hash(policy.hash)] : [hash(policy.hash)];
}

function conflictBlocks(d: VersionDossier): Block[] {
  const { conflicts } = d.jurisdictions;
  if (conflicts.length === 0) return [note("ok", "Every training run, deployment and decision batch lies inside its territory.")];
  return [note("bad", `${conflicts.length} record(s) outside their territory:`), table(["Record", "Outside", "Finding"], conflicts.map((c) => [[code(c.subject)], [c.regions.join(", ")], [c.message]]))];
}
