/**
 * `which_version_produced`: which model version produced a decision record — every batch anchored with the record's
 * root, found in the subgraph, with the record's Merkle proof checked on chain (ReleaseRegistry.verifyDecision) for
 * each version that anchored it.
 */
import * as z from "zod/v4";
import { whichVersionProduced, type WhichVersionProducedParameters } from "../../audit/index.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { DecisionTree } from "../../core/merkle.ts";
import { asOfOutput, blockInput, bytes32Input, modelVersionOutput, pathInput } from "../schemas.ts";
import { defineTool } from "../tool.ts";

/** The records to build the proof from: the tree file's path, or the batch's record hashes; neither with a proof. */
function recordsOf(args: { treeFile?: string; records?: string[] }): WhichVersionProducedParameters["records"] {
  if (args.treeFile !== undefined && args.records !== undefined) throw new InvalidInputError("records", "give treeFile or records, not both");
  return args.records !== undefined ? DecisionTree.build(args.records) : args.treeFile;
}

export const whichVersionProducedTool = defineTool({
  name: "which_version_produced",
  title: "Which model version produced a decision",
  description:
    "Proves on chain which model version produced a decision record: give the record's hash and the batch's decision tree file (written by `pedigree decisions anchor`), or the batch's record hashes, or its root with a Merkle proof; every version that anchored the root is listed with the chain's verdict.",
  input: {
    recordHash: bytes32Input("recordHash", "the decision record's hash"),
    treeFile: pathInput("the path of the batch's decision tree file (JSON, format pedigree-decisions-v1)").optional(),
    records: z
      .array(z.string(), { error: "records must be a list of record hashes (0x followed by 64 hex digits)" })
      .optional()
      .describe("the batch's record hashes, in the order they were anchored (instead of treeFile)"),
    root: bytes32Input("root", "the batch's Merkle root (optional with treeFile or records)").optional(),
    proof: z
      .array(z.string(), { error: "proof must be a list of 32-byte hashes" })
      .optional()
      .describe("a Merkle proof of the record in the batch with that root (instead of treeFile or records)"),
    block: blockInput,
  },
  output: z.looseObject({
    asOf: asOfOutput,
    recordHash: z.string(),
    root: z.string(),
    verified: z.boolean().describe("the chain verifies the record in at least one anchored batch"),
    competing: z.boolean().describe("several versions anchored the same root"),
    producedBy: modelVersionOutput.nullable(),
    anchors: z.array(
      z.looseObject({
        version: modelVersionOutput,
        model: z.looseObject({ id: z.string(), owner: z.string() }),
        batch: z.looseObject({ root: z.string(), count: z.number(), regions: z.array(z.string()), blockNumber: z.number() }),
        verified: z.boolean(),
      }),
    ),
    statement: z.string(),
    proof: z.array(z.string()),
    registry: z.string(),
  }),
  async answer(args, sources) {
    const records = recordsOf(args);
    const chain = await sources.chain();
    const result = await whichVersionProduced(sources.subgraph(args.block), {
      recordHash: args.recordHash,
      root: args.root,
      records,
      proof: args.proof,
      provider: chain.provider,
      releases: chain.addresses.releases,
    });
    return { result, summary: `${result.verified ? "VERIFIED" : "NOT VERIFIED"} on chain: ${result.statement}` };
  },
});
