/**
 * `verify_artifact`: do local files match a model or dataset version's record — fingerprinted here and compared with
 * the weights hash (or dataset fingerprint) and manifest root the registry recorded; with the published manifest, the
 * files that differ are named. Every other registered claim of the same files is listed.
 */
import * as z from "zod/v4";
import { doesArtifactMatch, type ArtifactSubject } from "../../audit/index.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { parseId } from "../../core/ids.ts";
import { asOfOutput, blockInput, idInput, pathInput } from "../schemas.ts";
import { defineTool } from "../tool.ts";

/** The version to compare with: exactly one of a model version or a dataset version. */
function subjectOf(args: { modelVersionId?: string | number; datasetVersionId?: string | number }): ArtifactSubject {
  if ((args.modelVersionId === undefined) === (args.datasetVersionId === undefined)) {
    throw new InvalidInputError("modelVersionId", "give exactly one of modelVersionId or datasetVersionId");
  }
  return args.modelVersionId !== undefined
    ? { modelVersionId: parseId(args.modelVersionId, "modelVersionId") }
    : { datasetVersionId: parseId(args.datasetVersionId!, "datasetVersionId") };
}

const digestOutput = z.looseObject({ fingerprint: z.string(), manifestRoot: z.string() });

export const verifyArtifactTool = defineTool({
  name: "verify_artifact",
  title: "Verify local files against the on-chain record",
  description:
    "Fingerprints a local file or directory and says whether it is exactly the model weights or dataset recorded for a model version or dataset version (give exactly one), naming the files that differ when the published manifest is given, and who else registered the same files.",
  input: {
    path: pathInput("the local file or directory to fingerprint"),
    modelVersionId: idInput("modelVersionId", "the model version whose weights to compare with").optional(),
    datasetVersionId: idInput("datasetVersionId", "the dataset version whose data to compare with").optional(),
    manifestPath: pathInput("the path of the manifest recorded at publication (JSON), to name the files that differ").optional(),
    block: blockInput,
  },
  output: z.looseObject({
    asOf: asOfOutput,
    path: z.string(),
    subject: z.looseObject({ type: z.enum(["model-version", "dataset-version"]), id: z.string(), uri: z.string() }),
    recorded: digestOutput,
    local: digestOutput.extend({ fileCount: z.number(), totalBytes: z.number() }),
    matches: z.boolean(),
    fingerprintMatches: z.boolean(),
    manifestRootMatches: z.boolean().nullable(),
    manifest: z
      .looseObject({ rootMatchesRecord: z.boolean(), differences: z.array(z.looseObject({ path: z.string(), change: z.enum(["modified", "missing", "added"]) })) })
      .nullable(),
    summary: z.string(),
  }),
  async answer(args, sources, signal) {
    const subject = subjectOf(args);
    const result = await doesArtifactMatch(sources.subgraph(args.block), args.path, subject, {
      manifest: args.manifestPath,
      fingerprint: { signal },
    });
    return { result, summary: `${result.matches ? "MATCH" : "MISMATCH"}: ${result.summary}` };
  },
});
