/**
 * `agent_status`: what an agent (or whoever deals with one) checks before trusting it — from the audit read model
 * (../../audit/agents.ts): the system version and model version it is bound to and the policy it acts under, whether
 * that system version is approved, still releasable (its approvals and its model version's) and live, and the agent's
 * validations with the revoked or expired ones named. Asked about now (no block) in an environment, it also reads the
 * chain's AgentRegistry.agentStatus view through the SDK and says whether the index agrees with it.
 */
import * as z from "zod/v4";
import { agentOf, type AgentResult, type AttestationInfo } from "../../audit/index.ts";
import { PedigreeError } from "../../core/errors.ts";
import { parseId } from "../../core/ids.ts";
import { agentStatus, type AgentStatus } from "../../sdk/index.ts";
import { asOfOutput, attestationOutput, blockInput, idInput, stampOutput } from "../schemas.ts";
import { defineTool, type ToolSources } from "../tool.ts";

/** The validations that no longer count: revoked, or expired at the answer's block. */
function validationProblemsOf(validations: AttestationInfo[]): string[] {
  return validations.flatMap((v) => {
    const what = `validation ${v.id} (${v.kindName}) by ${v.attester}`;
    if (v.revocation) return [`${what} was revoked by ${v.revocation.by}: ${v.revocation.reason}`];
    if (v.expired) return [`${what} expired at unix time ${v.expiresAt}`];
    return [];
  });
}

/** The status of the agent in `environment` (any environment when null), from its read-model answer. */
function statusOf(answer: AgentResult, environment: string | null) {
  const current = answer.current;
  const liveIn = current?.liveIn ?? [];
  const here = environment === null ? liveIn : liveIn.filter((l) => l.environment === environment);
  const releasable = current?.releasable.releasable ?? false;
  return {
    agentId: answer.agent.id,
    owner: answer.agent.owner,
    agentURI: answer.agent.agentURI,
    environment,
    bound: current !== null,
    binding: current?.binding ?? null,
    systemApproved: current?.systemApproved ?? false,
    releasable,
    notReleasableBecause: current?.releasable.reasons ?? [],
    live: here.length > 0,
    liveIn,
    liveButNotReleasable: here.length > 0 && releasable === false,
    activeWallets: answer.wallets.filter((w) => w.active).map((w) => w.wallet),
    validations: answer.validations,
    validationProblems: validationProblemsOf(answer.validations),
    asOf: answer.asOf,
  };
}

type AgentStatusResult = ReturnType<typeof statusOf>;

/** What the chain says now, compared with the index; a chain that cannot be asked is reported, not thrown. */
type ChainView =
  | { answered: true; bindingId: string; systemId: string; releasable: boolean; live: boolean; deploymentId: string; agreesWithSubgraph: boolean }
  | { answered: false; error: string };

async function chainView(sources: ToolSources, agentId: bigint, environment: string, status: AgentStatusResult): Promise<ChainView> {
  let chain: AgentStatus;
  try {
    chain = await agentStatus(await sources.chain(), { agentId, environment });
  } catch (error) {
    if (error instanceof PedigreeError) return { answered: false, error: error.message };
    throw error;
  }
  const agrees = chain.bindingId.toString() === (status.binding?.id ?? "0") && chain.live === status.live;
  return {
    answered: true,
    bindingId: chain.bindingId.toString(),
    systemId: chain.systemId.toString(),
    releasable: chain.releasable,
    live: chain.live,
    deploymentId: chain.deploymentId.toString(),
    agreesWithSubgraph: agrees,
  };
}

function summaryOf(status: AgentStatusResult): string {
  const b = status.binding;
  if (!b) return `agent ${status.agentId} (owner ${status.owner}) is not bound to any system version: do not trust its actions`;
  const where = status.environment === null ? "anywhere" : `in "${status.environment}"`;
  const flags = [
    status.systemApproved ? "approved" : "not approved",
    status.releasable === true ? "releasable" : status.releasable === false ? "NOT releasable" : "releasability unknown",
    status.live ? `live ${where}` : `not live ${where}`,
  ];
  const warning = status.liveButNotReleasable ? "; WARNING: live without a valid approval" : "";
  const problems = status.validationProblems.length > 0 ? `; ${status.validationProblems.join("; ")}` : "";
  return (
    `agent ${status.agentId} runs system version ${b.systemId} (model version ${b.modelVersionId}) under policy ${b.policyHash}: ` +
    `${flags.join(", ")}${warning}; ${status.validations.length} validation(s)${problems} (block ${status.asOf.blockNumber})`
  );
}

export const agentStatusTool = defineTool({
  name: "agent_status",
  title: "Check an agent before trusting it",
  description:
    "Call this before relying on an agent of AgentRegistry: answers which system version and model version it is bound to and under which policy, whether that system version is approved, still releasable and live (in an environment when given), and which of the agent's validations were revoked or expired.",
  input: {
    agentId: idInput("agentId", "the agent"),
    environment: z
      .string({ error: "environment must be the name of an environment, e.g. production" })
      .optional()
      .describe("the environment to check liveness in, e.g. production; any environment when left out"),
    block: blockInput,
  },
  output: z.looseObject({
    agentId: z.string(),
    owner: z.string(),
    environment: z.string().nullable(),
    bound: z.boolean(),
    binding: z
      .looseObject({ id: z.string(), systemId: z.string(), modelId: z.string(), modelVersionId: z.string(), policyHash: z.string(), systemPolicy: z.boolean(), bound: stampOutput })
      .nullable()
      .describe("the binding in force; null when the agent was never bound"),
    systemApproved: z.boolean(),
    releasable: z.boolean().nullable().describe("the bound system version's approvals and its model version's still hold; null when an expiry cannot be judged"),
    notReleasableBecause: z.array(z.string()),
    live: z.boolean().describe("a deployment of the bound system version is live (in the environment, when given)"),
    liveIn: z.array(z.looseObject({ environment: z.string(), deploymentId: z.string() })),
    liveButNotReleasable: z.boolean().describe("live although no longer releasable: act on it"),
    activeWallets: z.array(z.string()).describe("the operator wallets that act for the agent now"),
    validations: z.array(attestationOutput),
    validationProblems: z.array(z.string()).describe("validations revoked or expired"),
    asOf: asOfOutput,
    chain: z
      .union([
        z.looseObject({
          answered: z.literal(true),
          bindingId: z.string(),
          systemId: z.string(),
          releasable: z.boolean(),
          live: z.boolean(),
          deploymentId: z.string(),
          agreesWithSubgraph: z.boolean().describe("the same binding in force and the same liveness (false while the index lags)"),
        }),
        z.looseObject({ answered: z.literal(false), error: z.string() }),
      ])
      .optional()
      .describe("AgentRegistry.agentStatus on chain now; only when asked about now and in an environment"),
  }),
  async answer(args, sources) {
    const agentId = parseId(args.agentId, "agentId");
    const answer = await agentOf(sources.subgraph(args.block), agentId);
    const status = statusOf(answer, args.environment ?? null);
    const chain = args.block === undefined && args.environment !== undefined ? await chainView(sources, agentId, args.environment, status) : undefined;
    const note = chain === undefined ? "" : chain.answered ? `; the chain ${chain.agreesWithSubgraph ? "agrees" : "does not agree yet (the index may lag)"}` : "; the chain could not be asked";
    return { result: { ...status, chain }, summary: `${summaryOf(status)}${note}` };
  },
});
