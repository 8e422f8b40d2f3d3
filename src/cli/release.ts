/**
 * `pedigree release …`: deploy an approved model version to an environment, roll back, take down, and the checks an
 * agent makes before trusting a version (`status`, `live`).
 */
import type { Command } from "commander";
import { deploySystem, deployVersion, liveVersion, rollback, takeDown, toRequiredRegionSet, versionStatus } from "../sdk/index.ts";
import { parseId } from "../core/ids.ts";
import { describeRegions, regionCodes } from "../core/regions.ts";
import { run } from "./context.ts";
import { CliError } from "./errors.ts";
import { addGlobalOptions } from "./options.ts";
import { block, txRow } from "./output.ts";
import { parseText, versionOrSystem } from "./parse.ts";
import { CHECK_NAMES, failedChecks, parseChecks } from "./status-checks.ts";

export function registerReleaseCommands(program: Command): void {
  const release = program
    .command("release")
    .description("deploy approved model versions (bare or as system versions) to environments, roll back, take down, check status")
    .addHelpText("after", "\nExample:\n  $ pedigree release deploy 1 --env production --regions EU");
  registerReleaseDeploy(release);
  registerReleaseRollbackAndTakedown(release);
  registerReleaseStatus(release);
  registerReleaseLive(release);
}

/** The `deploy` subcommand: make an approved model version — bare, or as a system version — live in an environment. */
function registerReleaseDeploy(release: Command): void {
  const deploy = release
    .command("deploy")
    .description("make an approved model version, or an approved system version (--system), the live version of its model in an environment")
    .argument("[versionId]", "the model version (bare); leave it out with --system")
    .option("--system <systemId>", "deploy this system version: its model version with its prompt, retrieval index, policy and tools")
    .option("--env <name>", "the environment, e.g. production")
    .option("--regions <regions>", "the regions it serves: ISO 3166-1 alpha-2 codes and groups, e.g. EU or DE,FR, or WORLDWIDE (required)")
    .addHelpText(
      "after",
      `
The registry refuses a region outside the deployment territory of a licence in the version's lineage, or, for a
system version, of a licence of its retrieval data (DeploymentOutsideTerritory, naming the licence and the regions it
allows). A system version deploys only when it and its model version are releasable.

Example:
  $ pedigree release deploy 1 --env production --regions EU
  $ pedigree release deploy --system 2 --env production --regions DE,AT`,
    );
  addGlobalOptions(deploy, ["output", "chain", "key"]).action(
    run(async (ctx, [versionIdText], options: { system?: string; env?: string; regions?: string }) => {
      const target = versionOrSystem(versionIdText, options.system);
      const environment = parseText(options.env, "--env (the environment, e.g. production)");
      const regions = toRequiredRegionSet(options.regions, "--regions", "the regions the deployment serves");
      const client = await ctx.client({ sign: true });
      const common = { environment, regions, onSubmitted: ctx.submitted };
      const result =
        "systemId" in target
          ? await deploySystem(client, { systemId: target.systemId, ...common })
          : { ...(await deployVersion(client, { versionId: target.versionId, ...common })), systemId: 0n };
      const what = result.systemId === 0n ? `model version ${result.versionId}` : `system version ${result.systemId} (model version ${result.versionId})`;
      ctx.out.result(
        {
          deploymentId: result.deploymentId,
          modelId: result.modelId,
          versionId: result.versionId,
          systemId: result.systemId === 0n ? null : result.systemId,
          environment: result.environment,
          regions: regionCodes(result.regions),
          previousDeploymentId: result.previousDeploymentId,
          hash: result.hash,
          blockNumber: result.blockNumber,
        },
        () =>
          block(`${what} live in "${result.environment}" (deployment ${result.deploymentId})`, [
            ["model", result.modelId],
            ["serves", describeRegions(result.regions)],
            ["replaced", result.previousDeploymentId === 0n ? "nothing" : `deployment ${result.previousDeploymentId}`],
            txRow(result),
          ]),
      );
    }),
  );
}

/** The `rollback` and `takedown` subcommands: roll an environment back, or take what is live in it down. */
function registerReleaseRollbackAndTakedown(release: Command): void {
  for (const kind of ["rollback", "takedown"] as const) {
    const command = release
      .command(kind)
      .description(
        kind === "rollback"
          ? "roll an environment back to what was live before its current deployment"
          : "take whatever is live in an environment down, leaving nothing live there",
      )
      .argument("<modelId>", "the model")
      .option("--env <name>", "the environment, e.g. production")
      .option("--reason <text>", "why, recorded on chain")
      .addHelpText("after", `\nExample:\n  $ pedigree release ${kind} 1 --env production --reason "bias regression in v2"`);
    addGlobalOptions(command, ["output", "chain", "key"]).action(
      run(async (ctx, [modelIdText], options: { env?: string; reason?: string }) => {
        const modelId = parseId(modelIdText!, "modelId");
        const environment = parseText(options.env, "--env (the environment, e.g. production)");
        const reason = parseText(options.reason, "--reason");
        const client = await ctx.client({ sign: true });
        if (kind === "rollback") {
          const result = await rollback(client, { modelId, environment, reason, onSubmitted: ctx.submitted });
          ctx.out.result({ ...result, reason }, () =>
            block(`"${result.environment}" of model ${result.modelId} rolled back`, [
              ["from", `version ${result.fromVersionId} (deployment ${result.fromDeploymentId})`],
              ["now live", result.liveVersionId === 0n ? "nothing" : `version ${result.liveVersionId} (deployment ${result.liveDeploymentId})`],
              ["reason", reason],
              txRow(result),
            ]),
          );
        } else {
          const result = await takeDown(client, { modelId, environment, reason, onSubmitted: ctx.submitted });
          ctx.out.result({ ...result, reason }, () =>
            block(`"${result.environment}" of model ${result.modelId} taken down`, [
              ["was live", `version ${result.fromVersionId} (deployment ${result.fromDeploymentId})`],
              ["reason", reason],
              txRow(result),
            ]),
          );
        }
      }),
    );
  }
}

/** The `status` subcommand: what an agent checks before trusting a model version: exists, approved, releasable, live (read-only). */
function registerReleaseStatus(release: Command): void {
  const status = release
    .command("status")
    .description("what an agent checks before trusting a model version: exists, approved, releasable, live (read-only)")
    .argument("<versionId>", "the model version")
    .option("--env <name>", "the environment, e.g. production")
    .option("--check <state...>", `exit 1 unless the version is in these states: ${CHECK_NAMES.join(", ")}`)
    .addHelpText(
      "after",
      `
"live but not releasable" means the version is live although an approving attestation was revoked or has expired
since: roll it back. Exit code 0 when the status could be read (and every --check holds), 1 when a --check fails.

Example:
  $ pedigree release status 1 --env production --check releasable live --json
  $ pedigree release status 1 --env production --check not-live-but-unreleasable`,
    );
  addGlobalOptions(status, ["output", "chain"]).action(
    run(async (ctx, [versionIdText], options: { env?: string; check?: string[] }) => {
      const versionId = parseId(versionIdText!, "versionId");
      const environment = parseText(options.env, "--env (the environment, e.g. production)");
      const checks = parseChecks(options.check);
      const client = await ctx.client({ sign: false });
      const result = await versionStatus(client, { versionId, environment });
      const failed = failedChecks(checks, result);
      ctx.out.result({ versionId, environment, ...result, ok: failed.length === 0 }, () =>
        block(`model version ${versionId} in "${environment}"`, [
          ["exists", result.exists],
          ["model", result.exists ? result.modelId : undefined],
          ["approved", result.approved],
          ["releasable", result.releasable],
          ["live", result.live],
          ["deployment", result.deploymentId === 0n ? "none" : result.deploymentId],
          ["WARNING", result.liveButNotReleasable ? "live but no longer releasable: an approving attestation was revoked or expired" : undefined],
        ]),
      );
      if (failed.length > 0) {
        throw new CliError(`model version ${versionId} is ${failed.join(", ")} in "${environment}"`, { code: "CHECK_FAILED", resultPrinted: true });
      }
    }),
  );
}

/** The `live` subcommand: the model version live in an environment (read-only). */
function registerReleaseLive(release: Command): void {
  const live = release
    .command("live")
    .description("the model version live in an environment (read-only)")
    .argument("<modelId>", "the model")
    .option("--env <name>", "the environment, e.g. production")
    .addHelpText("after", "\nExample:\n  $ pedigree release live 1 --env production");
  addGlobalOptions(live, ["output", "chain"]).action(
    run(async (ctx, [modelIdText], options: { env?: string }) => {
      const modelId = parseId(modelIdText!, "modelId");
      const environment = parseText(options.env, "--env (the environment, e.g. production)");
      const client = await ctx.client({ sign: false });
      const versionId = await liveVersion(client, { modelId, environment });
      ctx.out.result({ modelId, environment, versionId }, () => [
        versionId === null
          ? `nothing of model ${modelId} is live in "${environment}"`
          : `model version ${versionId} of model ${modelId} is live in "${environment}"`,
      ]);
    }),
  );
}
