/** 9. Deployments and rollbacks: this version's deployments, the rollbacks from or to it, and every environment's timeline. */
import { formatTime } from "../format.ts";
import { SECTIONS } from "../limitations.ts";
import type { DeploymentRecord, EnvironmentChange, EnvironmentRecord, RollbackRecord, VersionDossier } from "../types.ts";
import { badge, code, heading, paragraph, strong, table, tx, type Block, type Cell, type Section } from "./blocks.ts";

export function deploymentsSection(d: VersionDossier): Section {
  return {
    spec: SECTIONS.deployments,
    blocks: [
      heading("Deployments of this version"),
      table(["Deployment", "Environment", "Deployer", "Replaced deployment", "Status", "Ended", "Deployed"], d.deployments.map(deploymentRow), "Never deployed."),
      heading("Rollbacks from or to this version"),
      table(["Environment", "From", "To", "Reason", "By", "When"], d.rollbacks.map(rollbackRow)),
      heading("Environments of the model (full timeline)"),
      ...(d.environments.length === 0 ? [paragraph("The model has no environments.")] : d.environments.flatMap((env) => environmentBlocks(d, env))),
    ],
  };
}

function deploymentRow(dep: DeploymentRecord): Cell[] {
  return [
    [dep.id],
    [code(dep.environment)],
    [code(dep.deployer)],
    [dep.previousId ?? "—"],
    [dep.active ? badge("live", "ok") : badge("not live", "muted")],
    [dep.endedAt ? formatTime(dep.endedAt) : "—"],
    [tx(dep.tx)],
  ];
}

function rollbackRow(r: RollbackRecord): Cell[] {
  return [
    [code(r.environment)],
    [`version ${r.fromVersionId} (deployment ${r.fromDeploymentId})`],
    [r.toVersionId ? `version ${r.toVersionId} (deployment ${r.toDeploymentId})` : "nothing live"],
    [r.reason],
    [code(r.by)],
    [tx(r.tx)],
  ];
}

/** What is live in an environment now, and its timeline of deployments and rollbacks. */
function environmentBlocks(d: VersionDossier, env: EnvironmentRecord): Block[] {
  const notReleasable = d.summary.liveButNotReleasable.includes(env.name);
  return [
    paragraph(
      strong("Environment ", code(env.name)),
      " — live now: ",
      env.liveVersionId ? `model version ${env.liveVersionId} (deployment ${env.liveDeploymentId})` : "nothing",
      env.versionLive ? " " : "",
      env.versionLive ? badge("this version", "ok") : "",
      notReleasable ? " " : "",
      notReleasable ? badge("live but not releasable", "bad") : "",
    ),
    table(["Change", "Version live after", "By", "Reason", "When"], env.timeline.map((c) => changeRow(d, c))),
  ];
}

function changeRow(d: VersionDossier, c: EnvironmentChange): Cell[] {
  const live = c.versionId ? (c.versionId === d.version.id ? strong(`version ${c.versionId} (this one)`) : `version ${c.versionId}`) : "nothing";
  return [
    [c.kind === "deployed" ? `deployed (deployment ${c.deploymentId})` : `rolled back from version ${c.fromVersionId}`],
    [live],
    [code(c.by)],
    [c.reason ?? "—"],
    [tx(c.tx)],
  ];
}
