/**
 * `pedigree system …`: system versions — a model version plus its prompt, retrieval index, policy and tools. Publish
 * one (a configuration change needs no new weights), pass it through its release gate, and check what an agent checks
 * before trusting it, comparing what it runs with what was released. Deploying one and anchoring its decisions are
 * `release deploy --system` and `decisions anchor --system`.
 */
import type { Command } from "commander";
import { approveSystemVersion, publishSystemVersion, systemStatus, type SystemConfig, type SystemConfigInput } from "../sdk/index.ts";
import { parseId } from "../core/ids.ts";
import { run, type Context } from "./context.ts";
import { CliError } from "./errors.ts";
import { fingerprintWithProgress } from "./fingerprint.ts";
import { addGlobalOptions } from "./options.ts";
import { block, txRow, type Row } from "./output.ts";
import { collect, parseDataUse, parseHashOrFile, parseText, requirePath } from "./parse.ts";
import { CHECK_NAMES, failedChecks, parseChecks } from "./status-checks.ts";

/** The configuration options, by the digest each gives. */
const CONFIG_OPTIONS = {
  promptHash: { flag: "--prompt", what: "prompt" },
  retrievalIndex: { flag: "--retrieval-index", what: "retrieval index" },
  policyHash: { flag: "--policy", what: "policy" },
  toolsHash: { flag: "--tools", what: "tool list" },
} as const satisfies Record<keyof SystemConfig, { flag: string; what: string }>;
type ConfigField = keyof typeof CONFIG_OPTIONS;
const FIELDS = Object.keys(CONFIG_OPTIONS) as ConfigField[];

interface ConfigOptions {
  prompt?: string;
  retrievalIndex?: string;
  policy?: string;
  tools?: string;
  skipSymlinks?: boolean;
  progress: boolean;
}

interface PublishOptions extends ConfigOptions {
  parent?: string;
  retrievalData?: string[];
  uri?: string;
}

const OPTION_OF: Record<ConfigField, keyof ConfigOptions> = {
  promptHash: "prompt",
  retrievalIndex: "retrievalIndex",
  policyHash: "policy",
  toolsHash: "tools",
};

export function registerSystemCommands(program: Command): void {
  const system = program
    .command("system")
    .description("system versions — a model version plus its prompt, retrieval index, policy and tools: publish, approve, check status")
    .addHelpText("after", "\nExample:\n  $ pedigree system publish 4 --parent 1 --prompt ./prompts/triage-v2.md --uri ipfs://bafysystemcard2");
  registerSystemPublish(system);
  registerSystemApprove(system);
  registerSystemStatus(system);
}

/** Adds the options naming the configuration digests, each a file or a hash (the retrieval index also a directory). */
function addConfigOptions(command: Command, none: string): Command {
  return command
    .option("--prompt <file|hash>", `the prompt / system instructions: a file (hashed with SHA-256) or its 32-byte hash${none}`)
    .option("--retrieval-index <path|hash>", `the retrieval index: a file or directory (fingerprinted here) or its fingerprint${none}`)
    .option("--policy <file|hash>", `the policy / guardrail configuration: a file or its hash${none}`)
    .option("--tools <file|hash>", `the list of tools it may call: a file or its hash${none}`)
    .option("--skip-symlinks", "with a --retrieval-index directory: leave symbolic links out instead of refusing them")
    .option("--no-progress", "with a --retrieval-index directory: no progress bar");
}

/** The `publish` subcommand: publish a system version of a model version, changing a parent or not. */
function registerSystemPublish(system: Command): void {
  const publish = system
    .command("publish")
    .description("publish a system version: a model version with its prompt, retrieval index, policy and tools")
    .argument("<modelVersionId>", "the model version it runs")
    .option("--parent <systemId>", "the system version it changes (of the same model): the options left out keep its values")
    .option("--retrieval-data <datasetVersionId:licenceId>", "a dataset version the retrieval index was built from and the licence it is used under, held by the model owner (repeatable)", collect)
    .option("--uri <uri>", "where the system card lives");
  addConfigOptions(publish, ", or none").addHelpText(
    "after",
    `
A prompt, retrieval or policy change is a new system version of the same weights, with --parent the one it changes;
the registry refuses one that changes nothing (NothingChanged). Give --retrieval-data exactly when there is a
retrieval index. The registry refuses retrieval data the model owner holds no valid licence for
(RetrievalDataNotUsable, with the reason) or from a withdrawn dataset (RetrievalDataWithdrawn); the deployment
territories of its licences bind where the system may be deployed.

Example:
  $ pedigree system publish 4 --prompt ./prompts/triage.md --policy ./guardrails.yaml --tools ./tools.json \\
      --retrieval-index ./index/ --retrieval-data 2:1 --uri ipfs://bafysystemcard
  $ pedigree system publish 4 --parent 1 --prompt ./prompts/triage-v2.md --uri ipfs://bafysystemcard2`,
  );
  addGlobalOptions(publish, ["output", "chain", "key"]).action(
    run(async (ctx, [modelVersionIdText], options: PublishOptions) => publishSystem(ctx, modelVersionIdText!, options)),
  );
}

/** Checks the options (exit 2 before anything is read or sent), fingerprints a retrieval index path, publishes, prints. */
async function publishSystem(ctx: Context, modelVersionIdText: string, options: PublishOptions): Promise<void> {
  const modelVersionId = parseId(modelVersionIdText, "modelVersionId");
  const parentId = options.parent === undefined ? undefined : parseId(options.parent, "--parent");
  const config = await configOf(options, { allowNone: true });
  const retrievalData = options.retrievalData?.map((use) => parseDataUse(use, "--retrieval-data"));
  if (retrievalData !== undefined && config.retrievalIndex === undefined && options.retrievalIndex === undefined) {
    throw new CliError("--retrieval-data needs the index built from it: give --retrieval-index <path|hash>");
  }
  const uri = parseText(options.uri, "--uri (where the system card lives)");
  const client = await ctx.client({ sign: true });
  if (options.retrievalIndex !== undefined && config.retrievalIndex === undefined) {
    config.retrievalIndex = (await fingerprintWithProgress(ctx, options.retrievalIndex, options)).fingerprint;
  }
  const result = await publishSystemVersion(client, { modelVersionId, parentId, config, retrievalData, uri, onSubmitted: ctx.submitted });
  ctx.out.result(
    {
      systemId: result.systemId,
      modelId: result.modelId,
      modelVersionId: result.modelVersionId,
      parentId: result.parentId === 0n ? null : result.parentId,
      config: result.config,
      retrievalData: result.retrievalData,
      uri,
      hash: result.hash,
      blockNumber: result.blockNumber,
    },
    () =>
      block(`system version ${result.systemId} published (model ${result.modelId}, model version ${result.modelVersionId})`, [
        ["changes", result.parentId === 0n ? undefined : `system version ${result.parentId}`],
        ...configRows(result.config),
        ["retrieves", result.retrievalData.map((use) => `dataset version ${use.datasetVersionId} (licence ${use.licenceId})`).join(", ") || undefined],
        txRow(result),
      ]),
  );
}

/**
 * The digests the options give: a 32-byte hash as given, a file's SHA-256, `none` (with `allowNone`) for none; the
 * retrieval index is left undefined when it is a path to fingerprint once the node is known to answer.
 */
async function configOf(options: ConfigOptions, { allowNone }: { allowNone: boolean }): Promise<SystemConfigInput> {
  const config: SystemConfigInput = {};
  for (const field of FIELDS) {
    const value = options[OPTION_OF[field]];
    if (typeof value !== "string") continue;
    const { flag } = CONFIG_OPTIONS[field];
    if (value.trim().toLowerCase() === "none") {
      if (!allowNone) throw new CliError(`${flag} must be a file or a 32-byte hash`);
      config[field] = null;
    } else if (field === "retrievalIndex" && !/^0x/i.test(value.trim())) {
      await requirePath(value, flag);
    } else {
      config[field] = await parseHashOrFile(value, flag);
    }
  }
  return config;
}

/** One row per digest of a configuration ("none" for zero). */
function configRows(config: SystemConfig): Row[] {
  return FIELDS.map((field) => [CONFIG_OPTIONS[field].what, /^0x0{64}$/.test(config[field]) ? "none" : config[field]] as const);
}

/** The `approve` subcommand: pass a system version through its release gate with attestations about it. */
function registerSystemApprove(system: Command): void {
  const approve = system
    .command("approve")
    .description("pass a system version through its release gate with attestations about it covering its model's policy")
    .argument("<systemId>", "the system version")
    .requiredOption("--attestation <id...>", "attestations about this system version (`pedigree attest --subject system-version:<id>`)")
    .addHelpText("after", "\nExample:\n  $ pedigree attest --subject system-version:2 --kind release-approval --evidence ./sign-off.md\n  $ pedigree system approve 2 --attestation 7");
  addGlobalOptions(approve, ["output", "chain", "key"]).action(
    run(async (ctx, [systemIdText], options: { attestation: string[] }) => {
      const systemId = parseId(systemIdText!, "systemId");
      const attestationIds = options.attestation.map((id) => parseId(id, "--attestation"));
      const client = await ctx.client({ sign: true });
      const result = await approveSystemVersion(client, { systemId, attestationIds, onSubmitted: ctx.submitted });
      ctx.out.result(
        { systemId: result.systemId, modelId: result.modelId, attestationIds: result.attestationIds, hash: result.hash, blockNumber: result.blockNumber },
        () =>
          block(`system version ${result.systemId} of model ${result.modelId} approved`, [
            ["attestations", result.attestationIds.join(", ")],
            txRow(result),
          ]),
      );
    }),
  );
}

/** The `status` subcommand: what an agent checks before trusting a system version, and whether it runs what was released. */
function registerSystemStatus(system: Command): void {
  const status = system
    .command("status")
    .description("what an agent checks before trusting a system version: exists, approved, releasable, live, its configuration (read-only)")
    .argument("<systemId>", "the system version")
    .option("--env <name>", "the environment, e.g. production")
    .option("--check <state...>", `exit 1 unless the system version is in these states: ${CHECK_NAMES.join(", ")}`);
  addConfigOptions(status, ": exit 1 unless it is the released one").addHelpText(
    "after",
    `
Releasable means approved, every approving attestation still valid, and its model version releasable too. The
configuration options compare what runs with what was released: a different prompt, policy, tool list or retrieval
index fails the check. Exit code 0 when the status could be read (and every check holds), 1 when one fails.

Example:
  $ pedigree system status 2 --env production --check releasable live --prompt ./prompts/triage-v2.md --json`,
  );
  addGlobalOptions(status, ["output", "chain"]).action(
    run(async (ctx, [systemIdText], options: ConfigOptions & { env?: string; check?: string[] }) => {
      const systemId = parseId(systemIdText!, "systemId");
      const environment = parseText(options.env, "--env (the environment, e.g. production)");
      const checks = parseChecks(options.check);
      const running = await configOf(options, { allowNone: false });
      const client = await ctx.client({ sign: false });
      if (options.retrievalIndex !== undefined && running.retrievalIndex === undefined) {
        running.retrievalIndex = (await fingerprintWithProgress(ctx, options.retrievalIndex, options)).fingerprint;
      }
      const result = await systemStatus(client, { systemId, environment });
      const differing = FIELDS.filter((field) => typeof running[field] === "string" && running[field] !== result.config?.[field]);
      const failed = [...failedChecks(checks, result), ...differing.map((field) => `running another ${CONFIG_OPTIONS[field].what} than released`)];
      ctx.out.result({ systemId, environment, ...result, differing, ok: failed.length === 0 }, () =>
        block(`system version ${systemId} in "${environment}"`, [
          ["exists", result.exists],
          ["model version", result.exists ? result.modelVersionId : undefined],
          ["approved", result.approved],
          ["releasable", result.releasable],
          ["live", result.live],
          ["deployment", result.deploymentId === 0n ? "none" : result.deploymentId],
          ...(result.config ? configRows(result.config) : []),
          ["WARNING", result.liveButNotReleasable ? "live but no longer releasable: an approval was revoked or expired" : undefined],
          ["DIFFERS", differing.length > 0 ? differing.map((field) => CONFIG_OPTIONS[field].what).join(", ") : undefined],
        ]),
      );
      if (failed.length > 0) {
        throw new CliError(`system version ${systemId} is ${failed.join(", ")} in "${environment}"`, { code: "CHECK_FAILED", resultPrinted: true });
      }
    }),
  );
}
