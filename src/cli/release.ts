/**
 * `pedigree release …`: deploy an approved model version to an environment, roll back, take down, and the checks an
 * agent makes before trusting a version (`status`, `live`).
 */
import type { Command } from "commander";
import { deployVersion, liveVersion, rollback, takeDown, versionStatus } from "../sdk/index.ts";
import { run } from "./context.ts";
import { CliError, EXIT_FAILED } from "./errors.ts";
import { addGlobalOptions } from "./options.ts";
import { block, txRow } from "./output.ts";
import { parseId, parseText } from "./parse.ts";

const CHECKS = ["exists", "approved", "releasable", "live"] as const;
type Check = (typeof CHECKS)[number];

export function registerReleaseCommands(program: Command): void {
  const release = program
    .command("release")
    .description("deploy approved model versions to environments, roll back, take down, check status")
    .addHelpText("after", "\nExample:\n  $ pedigree release deploy 1 --env production");

  const deploy = release
    .command("deploy")
    .description("make an approved model version the live version of its model in an environment")
    .argument("<versionId>", "the model version")
    .option("--env <name>", "the environment, e.g. production")
    .addHelpText("after", "\nExample:\n  $ pedigree release deploy 1 --env production");
  addGlobalOptions(deploy, ["output", "chain", "key"]).action(
    run(async (ctx, [versionIdText], options: { env?: string }) => {
      const versionId = parseId(versionIdText!, "versionId");
      const environment = parseText(options.env, "--env (the environment, e.g. production)");
      const client = await ctx.client({ sign: true });
      const result = await deployVersion(client, { versionId, environment, onSubmitted: ctx.submitted });
      ctx.out.result(
        {
          deploymentId: result.deploymentId,
          modelId: result.modelId,
          versionId: result.versionId,
          environment: result.environment,
          previousDeploymentId: result.previousDeploymentId,
          hash: result.hash,
          blockNumber: result.blockNumber,
        },
        () =>
          block(`model version ${result.versionId} live in "${result.environment}" (deployment ${result.deploymentId})`, [
            ["model", result.modelId],
            ["replaced", result.previousDeploymentId === 0n ? "nothing" : `deployment ${result.previousDeploymentId}`],
            txRow(result),
          ]),
      );
    }),
  );

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

  const status = release
    .command("status")
    .description("what an agent checks before trusting a model version: exists, approved, releasable, live (read-only)")
    .argument("<versionId>", "the model version")
    .option("--env <name>", "the environment, e.g. production")
    .option("--check <state...>", `exit 1 unless the version is in these states: ${CHECKS.join(", ")}`)
    .addHelpText(
      "after",
      `
Exit code 0 when the status could be read (and every --check holds), 1 when a --check fails.

Example:
  $ pedigree release status 1 --env production --check releasable live --json`,
    );
  addGlobalOptions(status, ["output", "chain"]).action(
    run(async (ctx, [versionIdText], options: { env?: string; check?: string[] }) => {
      const versionId = parseId(versionIdText!, "versionId");
      const environment = parseText(options.env, "--env (the environment, e.g. production)");
      const checks = (options.check ?? []).map((check) => {
        if (!(CHECKS as readonly string[]).includes(check)) throw new CliError(`--check must be one of ${CHECKS.join(", ")}, got ${JSON.stringify(check)}`);
        return check as Check;
      });
      const client = await ctx.client({ sign: false });
      const result = await versionStatus(client, { versionId, environment });
      const failed = checks.filter((check) => !result[check]);
      ctx.out.result({ versionId, environment, ...result, ok: failed.length === 0 }, () =>
        block(`model version ${versionId} in "${environment}"`, [
          ["exists", result.exists],
          ["model", result.exists ? result.modelId : undefined],
          ["approved", result.approved],
          ["releasable", result.releasable],
          ["live", result.live],
          ["deployment", result.deploymentId === 0n ? "none" : result.deploymentId],
        ]),
      );
      if (failed.length > 0) {
        throw new CliError(`model version ${versionId} is not ${failed.join(", not ")} in "${environment}"`, EXIT_FAILED, "CHECK_FAILED", true);
      }
    }),
  );

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
