/**
 * `pedigree agent …`: agents — an on-chain identity bound to the system version it runs and the policy it acts under,
 * with the operator wallets that act for it. Register one, let wallets act for it, bind it, anchor batches of its
 * action records (sent, or signed for a relayer), prove one record, and check its status. `pedigree audit action`
 * checks a proven record on chain.
 */
import type { Command } from "commander";
import {
  actionBatch,
  actionBatchFile,
  actionProof,
  loadActionBatch,
  parseActionProof,
  type ActionBatch,
} from "../core/actions.ts";
import { parseAddress } from "../core/hex.ts";
import { parseId } from "../core/ids.ts";
import {
  agentStatus,
  anchorActions,
  bindAgent,
  cancelActionNonce,
  registerAgent,
  relayActionBatch,
  setAgentURI,
  setOperatorWallet,
  signActionBatch,
  verifyAction,
  type AnchorActionsResult,
  type SignedActionBatch,
} from "../sdk/index.ts";
import { run, type Context } from "./context.ts";
import { CliError } from "./errors.ts";
import { assertNewFile, writeOutputFile } from "./files.ts";
import { addGlobalOptions } from "./options.ts";
import { block, formatTime, txRow } from "./output.ts";
import { parseHashOrFile, parseText, parseTime, readJsonFile } from "./parse.ts";
import { CHECK_NAMES, failedChecks, parseChecks } from "./status-checks.ts";

export function registerAgentCommands(program: Command): void {
  const agent = program
    .command("agent")
    .description("agents: register one, let wallets act for it, bind it to a system version and policy, anchor and prove its actions, check its status")
    .addHelpText("after", "\nExample:\n  $ pedigree agent anchor 1 --actions actions-0001.json --uri s3://acme/agents/1/0001.json --out batch-0001.json");
  registerAgentRegister(agent);
  registerAgentUri(agent);
  registerAgentWallet(agent);
  registerAgentBind(agent);
  registerAgentAnchor(agent);
  registerAgentSign(agent);
  registerAgentRelay(agent);
  registerAgentCancelNonce(agent);
  registerAgentProve(agent);
  registerAgentStatus(agent);
}

/** The `register` subcommand. */
function registerAgentRegister(agent: Command): void {
  const register = agent
    .command("register")
    .description("register an agent owned by you (an ERC-721 token), with its agent card")
    .option("--uri <uri>", "where its agent card (ERC-8004 registration file) lives; may be set later", "")
    .addHelpText("after", "\nExample:\n  $ pedigree agent register --uri ipfs://bafyagentcard");
  addGlobalOptions(register, ["output", "chain", "key"]).action(
    run(async (ctx, _args, options: { uri: string }) => {
      const client = await ctx.client({ sign: true });
      const result = await registerAgent(client, { agentURI: options.uri, onSubmitted: ctx.submitted });
      ctx.out.result({ ...result, agentURI: options.uri }, () =>
        block(`agent ${result.agentId} registered`, [["owner", result.owner], ["agent card", options.uri || "none yet"], txRow(result)]),
      );
    }),
  );
}

/** The `uri` subcommand. */
function registerAgentUri(agent: Command): void {
  const uri = agent
    .command("uri")
    .description("move an agent's card (owner, or an operator for all the owner's tokens)")
    .argument("<agentId>", "the agent")
    .argument("<uri>", "where its agent card lives now")
    .addHelpText("after", "\nExample:\n  $ pedigree agent uri 1 ipfs://bafyagentcardv2");
  addGlobalOptions(uri, ["output", "chain", "key"]).action(
    run(async (ctx, [agentIdText, agentURI]) => {
      const agentId = parseId(agentIdText!, "agentId");
      const client = await ctx.client({ sign: true });
      const result = await setAgentURI(client, { agentId, agentURI: agentURI!, onSubmitted: ctx.submitted });
      ctx.out.result({ agentId, agentURI, ...result }, () => block(`agent ${agentId}'s card moved to ${agentURI}`, [txRow(result)]));
    }),
  );
}

/** The `wallet` subcommand. */
function registerAgentWallet(agent: Command): void {
  const wallet = agent
    .command("wallet")
    .description("let a wallet act for an agent (anchor or sign its action batches), or stop it with --remove")
    .argument("<agentId>", "the agent")
    .argument("<address>", "the wallet")
    .option("--remove", "the wallet no longer acts for the agent")
    .addHelpText("after", "\nA transfer of the agent ends every wallet its previous owner set.\n\nExample:\n  $ pedigree agent wallet 1 0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  addGlobalOptions(wallet, ["output", "chain", "key"]).action(
    run(async (ctx, [agentIdText, addressText], options: { remove?: boolean }) => {
      const agentId = parseId(agentIdText!, "agentId");
      const address = parseAddress(addressText!, "address", { nonZero: true });
      const allowed = options.remove !== true;
      const client = await ctx.client({ sign: true });
      const result = await setOperatorWallet(client, { agentId, wallet: address, allowed, onSubmitted: ctx.submitted });
      ctx.out.result({ agentId, wallet: address, allowed, ...result }, () =>
        block(`${address} ${allowed ? "acts" : "no longer acts"} for agent ${agentId}`, [txRow(result)]),
      );
    }),
  );
}

/** The `bind` subcommand. */
function registerAgentBind(agent: Command): void {
  const bind = agent
    .command("bind")
    .description("bind an agent to a releasable system version under a policy (every earlier binding is kept)")
    .argument("<agentId>", "the agent")
    .option("--system <systemId>", "the system version it runs from now on (required)")
    .option("--policy <file|hash>", "the policy it acts under: a file (hashed with SHA-256) or its hash; default: the system version's own")
    .addHelpText("after", "\nExample:\n  $ pedigree agent bind 1 --system 2 --policy ./agent-policy.yaml");
  addGlobalOptions(bind, ["output", "chain", "key"]).action(
    run(async (ctx, [agentIdText], options: { system?: string; policy?: string }) => {
      const agentId = parseId(agentIdText!, "agentId");
      const systemId = parseId(parseText(options.system, "--system (the system version the agent runs)"), "--system");
      const policyHash = options.policy === undefined ? undefined : await parseHashOrFile(options.policy, "--policy");
      const client = await ctx.client({ sign: true });
      const result = await bindAgent(client, { agentId, systemId, policyHash, onSubmitted: ctx.submitted });
      ctx.out.result(result, () =>
        block(`agent ${agentId} bound to system version ${result.systemId} (binding ${result.bindingId})`, [
          ["model version", result.modelVersionId],
          ["policy", result.policyHash],
          txRow(result),
        ]),
      );
    }),
  );
}

/** The action records of a file: a JSON array of records, or an object with `records`. */
async function readActions(file: string): Promise<ActionBatch> {
  const parsed = await readJsonFile(file, "--actions file");
  const records = Array.isArray(parsed) ? parsed : (parsed as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) throw new CliError(`--actions file ${file} must hold a JSON array of action records`);
  return actionBatch(records);
}

interface BatchOptions {
  actions?: string;
  uri: string;
  out?: string;
  force?: boolean;
}

/** The batch of --actions and the file to write, checked before anything is sent. */
async function batchOf(options: BatchOptions, what: string): Promise<{ batch: ActionBatch; out: string }> {
  if (options.actions === undefined) throw new CliError("name the file of action records with --actions <file> (a JSON array)");
  if (options.out === undefined) throw new CliError(`name the file to write ${what} to with --out <file>`);
  await assertNewFile(options.out, "--out", options.force);
  return { batch: await readActions(options.actions), out: options.out };
}

function addBatchOptions(command: Command, out: string): Command {
  return command
    .argument("<agentId>", "the agent")
    .option("--actions <file>", "the action records: a JSON array of {actionId, intentHash, reference, policyCheck, timestamp}")
    .option("--uri <uri>", "where the records live", "")
    .option("--out <file>", out)
    .option("--force", "overwrite --out if it exists");
}

function anchoredRows(result: AnchorActionsResult, batch: ActionBatch) {
  return [
    ["root", result.root],
    ["binding in force", result.bindingId],
    ["window", `${formatTime(batch.windowStart)} … ${formatTime(batch.windowEnd)}`],
    ["signed by", result.signer],
    txRow(result),
  ] as const;
}

/** The `anchor` subcommand. */
function registerAgentAnchor(agent: Command): void {
  const anchor = addBatchOptions(agent.command("anchor"), "the batch file to write (records and root; `agent prove` reads it)")
    .description("anchor the Merkle root of a batch of the agent's action records, as one of its operator wallets")
    .addHelpText(
      "after",
      `
The batch remembers the binding in force: the system version, model version and policy the actions were taken
under, whatever the agent is bound to later. Keep the batch file: \`pedigree agent prove\` reads it.

Example:
  $ pedigree agent anchor 1 --actions actions-0001.json --uri s3://acme/agents/1/0001.json --out batch-0001.json`,
    );
  addGlobalOptions(anchor, ["output", "chain", "key"]).action(
    run(async (ctx, [agentIdText], options: BatchOptions) => {
      const agentId = parseId(agentIdText!, "agentId");
      const { batch, out } = await batchOf(options, "the batch");
      const client = await ctx.client({ sign: true });
      const result = await anchorActions(client, { agentId, batch, uri: options.uri, onSubmitted: ctx.submitted });
      await writeOutputFile(out, `${JSON.stringify(actionBatchFile(agentId, batch), null, 2)}\n`, "--out", true);
      ctx.out.result({ ...result, count: batch.count, file: out }, () =>
        block(`${batch.count} actions of agent ${agentId} anchored; batch written to ${out}`, anchoredRows(result, batch)),
      );
    }),
  );
}

/** The `sign` subcommand. */
function registerAgentSign(agent: Command): void {
  const sign = addBatchOptions(agent.command("sign"), "the signed batch file to write (`agent relay` sends it)")
    .description("sign a batch of the agent's action records offline (EIP-712), for anyone to relay (`pedigree agent relay`)")
    .option("--batch-out <file>", "the batch file to write (records and root; `agent prove` reads it)")
    .option("--deadline <time>", "until when it may be relayed (ISO 8601; at most 30 days ahead; default: 7 days from now)")
    .addHelpText("after", "\nNothing is sent. A signature can be relayed once; `pedigree agent cancel-nonce` cancels it.\n\nExample:\n  $ pedigree agent sign 1 --actions actions-0002.json --out signed-0002.json --batch-out batch-0002.json");
  addGlobalOptions(sign, ["output", "chain", "key"]).action(
    run(async (ctx, [agentIdText], options: BatchOptions & { batchOut?: string; deadline?: string }) => {
      const agentId = parseId(agentIdText!, "agentId");
      const { batch, out } = await batchOf(options, "the signed batch");
      if (options.batchOut === undefined) throw new CliError("name the batch file to write with --batch-out <file> (`agent prove` reads it)");
      await assertNewFile(options.batchOut, "--batch-out", options.force);
      const deadline = options.deadline === undefined ? undefined : parseTime(options.deadline, "--deadline");
      const client = await ctx.client({ sign: true });
      const signed = await signActionBatch(client, { agentId, batch, uri: options.uri, deadline });
      await writeOutputFile(out, `${JSON.stringify(signed, null, 2)}\n`, "--out", options.force);
      await writeOutputFile(options.batchOut, `${JSON.stringify(actionBatchFile(agentId, batch), null, 2)}\n`, "--batch-out", options.force);
      ctx.out.result({ file: out, batchFile: options.batchOut, ...signed }, () =>
        block(`batch of ${batch.count} actions of agent ${agentId} signed; written to ${out}`, [
          ["root", batch.root],
          ["signer", signed.signer],
          ["relay until", formatTime(BigInt(signed.deadline))],
          ["relay with", `pedigree agent relay ${out}`],
        ]),
      );
    }),
  );
}

/** The `relay` subcommand. */
function registerAgentRelay(agent: Command): void {
  const relay = agent
    .command("relay")
    .description("relay a batch signed with `pedigree agent sign` (any account can; it pays the gas)")
    .argument("<file>", "the signed batch file")
    .addHelpText("after", "\nExample:\n  $ pedigree agent relay signed-0002.json");
  addGlobalOptions(relay, ["output", "chain", "key"]).action(
    run(async (ctx, [file]) => {
      const document = (await readJsonFile(file!, "signed batch file")) as SignedActionBatch;
      const client = await ctx.client({ sign: true });
      const result = await relayActionBatch(client, document, { onSubmitted: ctx.submitted });
      ctx.out.result(result, () =>
        block(`${result.count} actions of agent ${result.agentId} anchored`, [
          ["root", result.root],
          ["binding in force", result.bindingId],
          ["signed by", result.signer],
          ["relayed by", result.submitter],
          txRow(result),
        ]),
      );
    }),
  );
}

/** The `cancel-nonce` subcommand. */
function registerAgentCancelNonce(agent: Command): void {
  const cancel = agent
    .command("cancel-nonce")
    .description("cancel your unrelayed signed action batches (`pedigree agent sign`) by using up your current nonce")
    .addHelpText("after", "\nExample:\n  $ pedigree agent cancel-nonce");
  addGlobalOptions(cancel, ["output", "chain", "key"]).action(
    run(async (ctx) => {
      const client = await ctx.client({ sign: true });
      const result = await cancelActionNonce(client, { onSubmitted: ctx.submitted });
      ctx.out.result(result, () => block(`nonce ${result.nonce} of ${result.signer} used up: no batch signed with it can be relayed`, [txRow(result)]));
    }),
  );
}

/** The `prove` subcommand. */
function registerAgentProve(agent: Command): void {
  const prove = agent
    .command("prove")
    .description("write the proof that one action record is in an anchored batch (offline), for `pedigree audit action`")
    .argument("<batchFile>", "the batch file `agent anchor` or `agent sign --batch-out` wrote")
    .option("--action <actionId>", "the action to prove (required)")
    .option("--out <file>", "the record file to write (record, root, proof)")
    .option("--force", "overwrite --out if it exists")
    .addHelpText("after", "\nExample:\n  $ pedigree agent prove batch-0001.json --action refund-42 --out refund-42.json\n  $ pedigree audit action refund-42.json");
  addGlobalOptions(prove, ["output"]).action(
    run(async (ctx, [file], options: { action?: string; out?: string; force?: boolean }) => {
      const actionId = parseText(options.action, "--action (the action id to prove)");
      if (options.out === undefined) throw new CliError("name the record file to write with --out <file>");
      await assertNewFile(options.out, "--out", options.force);
      const { agentId, batch } = loadActionBatch(await readJsonFile(file!, "batch file"));
      const proven = actionProof(agentId, batch, actionId);
      await writeOutputFile(options.out, `${JSON.stringify(proven, null, 2)}\n`, "--out", options.force);
      ctx.out.result({ file: options.out, ...proven }, () =>
        block(`action ${JSON.stringify(actionId)} of agent ${agentId} proven; written to ${options.out}`, [
          ["root", proven.root],
          ["record hash", proven.recordHash],
          ["proof", `${proven.proof.length} hashes`],
          ["check with", `pedigree audit action ${options.out}`],
        ]),
      );
    }),
  );
}

/** The `status` subcommand. */
function registerAgentStatus(agent: Command): void {
  const status = agent
    .command("status")
    .description("what to check before trusting an agent: its binding, whether that system version is approved, releasable and live (read-only)")
    .argument("<agentId>", "the agent")
    .option("--env <name>", "the environment, e.g. production (required)")
    .option("--check <state...>", `exit 1 unless the bound system version is in these states: ${CHECK_NAMES.join(", ")}`)
    .addHelpText("after", "\nExit code 0 when the status could be read (and every check holds), 1 when one fails.\n\nExample:\n  $ pedigree agent status 1 --env assistant --check releasable live");
  addGlobalOptions(status, ["output", "chain"]).action(
    run(async (ctx, [agentIdText], options: { env?: string; check?: string[] }) => {
      const agentId = parseId(agentIdText!, "agentId");
      const environment = parseText(options.env, "--env (the environment, e.g. production)");
      const checks = parseChecks(options.check);
      const client = await ctx.client({ sign: false });
      const result = await agentStatus(client, { agentId, environment });
      const state = { ...result, approved: result.systemApproved, exists: result.exists && result.bindingId !== 0n };
      const failed = failedChecks(checks, state);
      ctx.out.result({ agentId, environment, ...result, ok: failed.length === 0 }, () => statusLines(agentId, environment, result));
      if (failed.length > 0) {
        throw new CliError(`agent ${agentId}'s system version is ${failed.join(", ")} in "${environment}"`, { code: "CHECK_FAILED", resultPrinted: true });
      }
    }),
  );
}

function statusLines(agentId: bigint, environment: string, result: Awaited<ReturnType<typeof agentStatus>>): string[] {
  if (!result.exists) return [`agent ${agentId} does not exist`];
  if (result.bindingId === 0n) return block(`agent ${agentId} in "${environment}"`, [["owner", result.owner], ["bound", "never: it may not act"]]);
  return block(`agent ${agentId} in "${environment}"`, [
    ["owner", result.owner],
    ["binding", result.bindingId],
    ["system version", `${result.systemId} (model ${result.modelId}, model version ${result.modelVersionId})`],
    ["policy", result.policyHash],
    ["approved", result.systemApproved],
    ["releasable", result.releasable],
    ["live", result.live],
    ["deployment", result.deploymentId === 0n ? "none" : result.deploymentId],
    ["WARNING", result.liveButNotReleasable ? "live but no longer releasable: an approval was revoked or expired" : undefined],
  ]);
}

/**
 * `pedigree audit action <record.json>`: which agent, policy, system and model version produced an action record,
 * with its proof checked on chain (not through the subgraph).
 */
export function registerAuditAction(audit: Command): void {
  const action = audit
    .command("action")
    .description("which agent, under which policy, system and model version, produced an action record — its proof checked on chain")
    .argument("<recordFile>", "the record file `pedigree agent prove` wrote")
    .addHelpText("after", "\nExit code 0 when the record is in a batch the agent anchored, 1 when it is not.\n\nExample:\n  $ pedigree audit action refund-42.json --json");
  addGlobalOptions(action, ["output", "chain"]).action(run((ctx, [file]) => auditAction(ctx, file!)));
}

async function auditAction(ctx: Context, file: string): Promise<void> {
  const proven = parseActionProof(await readJsonFile(file, "record file"));
  const client = await ctx.client({ sign: false });
  const verified = await verifyAction(client, proven);
  const owner = await ctx.view("AgentRegistry.ownerOf", () => client.agents.ownerOf(proven.agentId));
  const agentURI = await ctx.view("AgentRegistry.tokenURI", () => client.agents.tokenURI(proven.agentId));
  const data = { agentId: proven.agentId, owner, agentURI, record: proven.record, recordHash: proven.recordHash, root: proven.root, ...verified };
  if (!verified.included) {
    if (ctx.out.json) ctx.out.result(data, () => []);
    throw new CliError(`action ${JSON.stringify(proven.record.actionId)} is NOT in batch ${proven.root} of agent ${proven.agentId}: its proof does not verify`, {
      code: "NOT_INCLUDED",
      resultPrinted: ctx.out.json,
    });
  }
  ctx.out.result(data, () =>
    block(`action ${JSON.stringify(proven.record.actionId)} verified on chain: agent ${proven.agentId} anchored it`, [
      ["agent", `${proven.agentId} (owner ${owner}${agentURI ? `, card ${agentURI}` : ""})`],
      ["policy", verified.policyHash],
      ["system version", verified.systemId],
      ["model version", verified.modelVersionId],
      ["binding", verified.bindingId],
      ["acted at", formatTime(proven.record.timestamp)],
      ["policy check", proven.record.policyCheck],
      ["batch", `${proven.root}: ${verified.count} actions, ${formatTime(verified.windowStart)} … ${formatTime(verified.windowEnd)}`],
    ]),
  );
}
