/**
 * `check_model_version`: what an agent checks before trusting a model version — the on-chain view
 * (ReleaseRegistry.versionStatus through the SDK: exists, approved, releasable, live in an environment, live but no
 * longer releasable), and what the indexed subgraph adds when it can be reached: where the version is live, which
 * approving attestations were revoked or expired, and whether the index agrees with the chain.
 */
import * as z from "zod/v4";
import { whoActedOn, type AuditClient, type WhoActedOnResult } from "../../audit/index.ts";
import { PedigreeError } from "../../core/errors.ts";
import { parseId } from "../../core/ids.ts";
import { versionStatus, type VersionStatus } from "../../sdk/index.ts";
import { asOfOutput, environmentInput, idInput } from "../schemas.ts";
import { defineTool, type ToolAnswer } from "../tool.ts";

/** What the subgraph says about the version, or why it could not say. */
type SubgraphView =
  | {
      answered: true;
      asOf: WhoActedOnResult["asOf"];
      approved: boolean;
      approvalRevoked: boolean;
      liveIn: Array<{ environment: string; deploymentId: string; regions: string[] }>;
      approvalProblems: string[];
      agreesWithChain: boolean;
    }
  | { answered: false; error: string };

/** The approving attestations that no longer hold: revoked, or expired at the answer's block. */
function approvalProblemsOf(actors: WhoActedOnResult): string[] {
  return (actors.approval?.attestations ?? []).flatMap((a) => {
    const what = `attestation ${a.id} (${a.kindName})`;
    if (a.revocation) return [`${what} was revoked by ${a.revocation.by}: ${a.revocation.reason}`];
    if (a.expired) return [`${what} expired at unix time ${a.expiresAt}`];
    return [];
  });
}

/** The subgraph's view of the version, compared with the chain's; a subgraph that cannot answer is reported, not thrown. */
async function subgraphView(client: AuditClient, versionId: bigint, environment: string, chain: VersionStatus): Promise<SubgraphView> {
  let actors: WhoActedOnResult;
  try {
    actors = await whoActedOn(client, versionId);
  } catch (error) {
    if (error instanceof PedigreeError) return { answered: false, error: error.message };
    throw error;
  }
  const liveIn = actors.deployments
    .filter((d) => d.active)
    .map((d) => ({ environment: d.environment, deploymentId: d.id, regions: d.regions }));
  const liveHere = liveIn.some((d) => d.environment === environment);
  return {
    answered: true,
    asOf: actors.asOf,
    approved: actors.version.approved,
    approvalRevoked: actors.version.approvalRevoked,
    liveIn,
    approvalProblems: approvalProblemsOf(actors),
    agreesWithChain: actors.version.approved === chain.approved && liveHere === chain.live,
  };
}

/** What the subgraph adds to the summary: whether it agrees with the chain, and the approving attestations that failed. */
function indexNote(subgraph: SubgraphView): string {
  if (!subgraph.answered) return "the subgraph could not answer";
  const agreement = subgraph.agreesWithChain ? "agrees" : "does not agree yet (it may lag the chain)";
  const problems = subgraph.approvalProblems.length > 0 ? `: ${subgraph.approvalProblems.join("; ")}` : "";
  return `the subgraph at block ${subgraph.asOf.blockNumber} ${agreement}${problems}`;
}

function summaryOf(versionId: bigint, environment: string, chain: VersionStatus, subgraph: SubgraphView): string {
  if (!chain.exists) return `model version ${versionId} does not exist on chain: do not trust it`;
  const flags = [
    chain.approved ? "approved" : "not approved",
    chain.releasable ? "releasable" : "NOT releasable",
    chain.live ? `live in "${environment}" (deployment ${chain.deploymentId})` : `not live in "${environment}"`,
  ];
  const warning = chain.liveButNotReleasable ? "; WARNING: live without a valid approval, roll it back" : "";
  return `model version ${versionId} (model ${chain.modelId}) on chain: ${flags.join(", ")}${warning}; ${indexNote(subgraph)}`;
}

const liveInOutput = z.looseObject({ environment: z.string(), deploymentId: z.string(), regions: z.array(z.string()) });

export const checkModelVersionTool = defineTool({
  name: "check_model_version",
  title: "Check a model version before trusting it",
  description:
    "Call this before relying on a model version: reads on chain, at its latest block, whether it exists, is approved, is still releasable (no approving attestation revoked or expired) and is live in an environment, and adds what the indexed subgraph says (where it is live, which approving attestations failed, whether the index agrees with the chain).",
  input: {
    versionId: idInput("versionId", "the model version"),
    environment: environmentInput,
  },
  output: z.looseObject({
    versionId: z.string(),
    environment: z.string(),
    exists: z.boolean(),
    modelId: z.string(),
    approved: z.boolean(),
    releasable: z.boolean(),
    live: z.boolean(),
    deploymentId: z.string().describe("the deployment live in the environment; 0 for none"),
    liveButNotReleasable: z.boolean().describe("live although an approving attestation was revoked or expired: roll it back"),
    subgraph: z.union([
      z.looseObject({
        answered: z.literal(true),
        asOf: asOfOutput,
        approved: z.boolean(),
        approvalRevoked: z.boolean(),
        liveIn: z.array(liveInOutput),
        approvalProblems: z.array(z.string()).describe("approving attestations revoked or expired"),
        agreesWithChain: z.boolean().describe("approved and live in the environment as on chain (false while the index lags)"),
      }),
      z.looseObject({ answered: z.literal(false), error: z.string() }),
    ]),
  }),
  async answer(args, sources): Promise<ToolAnswer> {
    const versionId = parseId(args.versionId, "versionId");
    const chain = await versionStatus(await sources.chain(), { versionId, environment: args.environment });
    const subgraph: SubgraphView = chain.exists
      ? await subgraphView(sources.subgraph(), versionId, args.environment, chain)
      : { answered: false, error: `model version ${versionId} does not exist on chain` };
    return {
      result: { versionId, environment: args.environment, ...chain, subgraph },
      summary: summaryOf(versionId, args.environment, chain, subgraph),
    };
  },
});
