/**
 * The release questions: who acted on a model version (`who_acted_on`), which version was live in an environment at
 * a block or a time (`live_at`), and what changed since the release it replaced (`changes_since`). Each is one audit
 * function of ../../audit, asked as of a block when one is given.
 */
import * as z from "zod/v4";
import { changesSince, liveAt, whoActedOn } from "../../audit/index.ts";
import { parseId } from "../../core/ids.ts";
import { parseTime } from "../../core/time.ts";
import { asOfOutput, attestationOutput, blockInput, environmentInput, idInput, modelVersionOutput, stampOutput } from "../schemas.ts";
import { defineTool } from "../tool.ts";

const deploymentOutput = z.looseObject({ id: z.string(), environment: z.string(), regions: z.array(z.string()), deployer: z.string(), active: z.boolean(), deployed: stampOutput });

export const whoActedOnTool = defineTool({
  name: "who_acted_on",
  title: "Who acted on a model version",
  description:
    "Lists who published, attested, approved, deployed, rolled back and anchored decisions of a model version, with each account, block time and transaction, in chain order; use it for accountability questions about a version.",
  input: { versionId: idInput("versionId", "the model version"), block: blockInput },
  output: z.looseObject({
    asOf: asOfOutput,
    version: modelVersionOutput,
    model: z.looseObject({ id: z.string(), owner: z.string() }),
    attestations: z.array(attestationOutput),
    approval: z.looseObject({ approvedBy: z.string(), attestationIds: z.array(z.string()) }).nullable(),
    deployments: z.array(deploymentOutput),
    rollbacks: z.array(z.looseObject({ direction: z.enum(["from", "to", "within"]), environment: z.string(), by: z.string(), reason: z.string() })),
    timeline: z.array(z.looseObject({ action: z.string(), actor: z.string(), description: z.string(), blockNumber: z.number(), transactionHash: z.string() })),
    actors: z.array(z.looseObject({ account: z.string(), actions: z.array(z.string()) })),
  }),
  async answer(args, sources) {
    const result = await whoActedOn(sources.subgraph(args.block), parseId(args.versionId, "versionId"));
    const actors = result.actors.map((actor) => `${actor.account} (${actor.actions.join(", ")})`);
    return {
      result,
      summary: `model version ${result.version.id} as of block ${result.asOf.blockNumber}: ${result.timeline.length} recorded action(s) by ${actors.join("; ") || "nobody"}`,
    };
  },
});

export const liveAtTool = defineTool({
  name: "live_at",
  title: "Which version was live",
  description:
    "Answers which version of a model was live in an environment now, at a block, or at a moment in time, and whether it was releasable then; give at most one of block or time.",
  input: {
    modelId: idInput("modelId", "the model"),
    environment: environmentInput,
    block: blockInput,
    time: z
      .string({ error: "time must be an ISO 8601 time like 2026-01-31T12:00:00Z, or unix seconds" })
      .optional()
      .describe("answer at this moment: an ISO 8601 time like 2026-01-31T12:00:00Z, or unix seconds"),
  },
  output: z.looseObject({
    modelId: z.string(),
    environment: z.string(),
    at: z.looseObject({ blockNumber: z.number(), resolvedFrom: z.enum(["block", "timestamp", "latest"]) }),
    environmentExists: z.boolean(),
    live: z
      .looseObject({ version: modelVersionOutput, deploymentId: z.string(), deployer: z.string(), releasable: z.boolean().nullable(), notReleasableBecause: z.array(z.string()) })
      .nullable(),
    liveButNotReleasable: z.boolean(),
    asOf: asOfOutput,
  }),
  async answer(args, sources) {
    const result = await liveAt(sources.subgraph(), {
      modelId: parseId(args.modelId, "modelId"),
      environment: args.environment,
      block: args.block,
      timestamp: args.time === undefined ? undefined : parseTime(args.time, "time"),
    });
    const live = result.live ? `model version ${result.live.version.id} (v${result.live.version.number}, deployment ${result.live.deploymentId})` : "nothing live";
    return { result, summary: `"${result.environment}" of model ${result.modelId} at block ${result.at.blockNumber}: ${live}${result.liveButNotReleasable ? "; WARNING: live but not releasable" : ""}` };
  },
});

export const changesSinceTool = defineTool({
  name: "changes_since",
  title: "What changed since the previous release",
  description:
    "Compares a model version with the release it replaced in an environment (or with another version given as against): changed hashes, training data and licences added or removed, attestations gained, lost or revoked, and whether it is still releasable.",
  input: {
    versionId: idInput("versionId", "the model version"),
    environment: environmentInput.optional().describe("the environment whose previous release to compare with; needed when the version was deployed to several"),
    against: idInput("against", "another model version to compare with instead of the previous release").optional(),
    block: blockInput,
  },
  output: z.looseObject({
    asOf: asOfOutput,
    version: modelVersionOutput,
    previous: modelVersionOutput.nullable(),
    basis: z.enum(["previous-release", "against", "first-release"]),
    environment: z.string().nullable(),
    changed: z.array(z.string()),
    status: z.looseObject({ releasable: z.boolean().nullable(), reasons: z.array(z.string()), liveIn: z.array(z.string()), liveButNotReleasable: z.boolean() }),
    trainingData: z.looseObject({ added: z.array(z.looseObject({ datasetVersionId: z.string() })), removed: z.array(z.looseObject({ datasetVersionId: z.string() })) }),
    licences: z.looseObject({ added: z.array(z.string()), removed: z.array(z.string()) }),
    attestations: z.looseObject({ kindsGained: z.array(z.string()), kindsLost: z.array(z.string()), revoked: z.array(attestationOutput) }),
  }),
  async answer(args, sources) {
    const result = await changesSince(sources.subgraph(args.block), parseId(args.versionId, "versionId"), {
      environment: args.environment,
      against: args.against === undefined ? undefined : parseId(args.against, "against"),
    });
    const { trainingData: data, attestations } = result;
    return {
      result,
      summary: `model version ${result.version.id} vs ${result.previous ? `version ${result.previous.id}` : "nothing (first release)"} (${result.basis}) as of block ${result.asOf.blockNumber}: changed ${result.changed.join(", ") || "no hashes"}; training data ${data.added.length} added, ${data.removed.length} removed; attestation kinds lost: ${attestations.kindsLost.join(", ") || "none"}, revoked: ${attestations.revoked.map((a) => a.id).join(", ") || "none"}`,
    };
  },
});
