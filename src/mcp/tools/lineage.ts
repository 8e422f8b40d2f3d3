/**
 * The data questions: what trained a model version (`what_trained_this`), which model versions used some data
 * (`was_data_used`), and where a version was trained, may serve, served and decided (`where`). Each is one audit
 * function of ../../audit, asked as of a block when one is given.
 */
import { readFile } from "node:fs/promises";
import * as z from "zod/v4";
import { jurisdictionsOf, wasDataUsed, whatTrainedThis, type WasDataUsedParameters } from "../../audit/index.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { parseBytes32 } from "../../core/hex.ts";
import { parseId } from "../../core/ids.ts";
import { describeRegionCodes } from "../../core/regions.ts";
import type { Manifest } from "../../core/fingerprint.ts";
import { asOfOutput, blockInput, bytes32Input, idInput, modelVersionOutput, pathInput, stampOutput } from "../schemas.ts";
import { defineTool } from "../tool.ts";

const ids = (values: readonly { id: string }[]): string => values.map((v) => v.id).join(", ") || "none";

export const whatTrainedThisTool = defineTool({
  name: "what_trained_this",
  title: "What trained this model version",
  description:
    "Lists every dataset version, dataset and licence behind a model version, through its fine-tune parents and dataset derivations, with the training runs and their attestations; use it to answer what data a model was trained on.",
  input: { versionId: idInput("versionId", "the model version"), block: blockInput },
  output: z.looseObject({
    asOf: asOfOutput,
    version: modelVersionOutput,
    lineage: z.array(modelVersionOutput).describe("this version, its fine-tune parent, …, the base version"),
    datasetVersions: z.array(
      z.looseObject({
        datasetVersion: z.looseObject({ id: z.string(), datasetId: z.string(), number: z.number(), fingerprint: z.string(), uri: z.string() }),
        dataset: z.looseObject({ id: z.string(), owner: z.string(), withdrawn: z.boolean() }),
        licenceIds: z.array(z.string()),
        paths: z.array(z.looseObject({ description: z.string() })),
      }),
    ),
    licences: z.array(z.looseObject({ id: z.string(), datasetId: z.string(), licensee: z.string(), amount: z.string() })),
    trainingRuns: z.array(z.looseObject({ versionId: z.string(), region: z.string(), computeProvider: z.string().nullable() })),
    undeclaredData: z.array(z.string()).describe("versions of the lineage whose training data is not on chain"),
  }),
  async answer(args, sources) {
    const result = await whatTrainedThis(sources.subgraph(args.block), parseId(args.versionId, "versionId"));
    const datasets = [...new Set(result.datasetVersions.map((entry) => entry.dataset.id))];
    const undeclared = result.undeclaredData.length > 0 ? `; versions ${result.undeclaredData.join(", ")} declare no training data` : "";
    const { version } = result;
    return {
      result,
      summary:
        `model version ${version.id} (model ${version.modelId} v${version.number}) as of block ${result.asOf.blockNumber}: ` +
        `trained on dataset versions ${ids(result.datasetVersions.map((e) => e.datasetVersion))} of datasets ${datasets.join(", ") || "none"}, ` +
        `under licences ${ids(result.licences)}${undeclared}`,
    };
  },
});

/** The fingerprint manifest in a JSON file (its shape is checked by wasDataUsed; its text is never echoed). */
async function readManifest(path: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InvalidInputError("manifestPath", `cannot read the manifest ${path} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}); check the path`);
  }
  try {
    return JSON.parse(text) as Manifest;
  } catch {
    throw new InvalidInputError("manifestPath", `the manifest ${path} is not JSON; give the file written by \`pedigree fingerprint --manifest-out\``);
  }
}

interface DataArgs {
  datasetId?: string | number;
  datasetVersionId?: string | number;
  itemHash?: string;
  manifestPath?: string;
}

/** The data asked about: exactly one of a dataset, a dataset version, or an item with its manifest. */
async function dataOf(args: DataArgs): Promise<WasDataUsedParameters> {
  const given = [args.datasetId, args.datasetVersionId, args.itemHash].filter((value) => value !== undefined).length;
  if (given !== 1) throw new InvalidInputError("datasetId", "give exactly one of datasetId, datasetVersionId, or itemHash (with manifestPath)");
  if (args.datasetId !== undefined) return { datasetId: parseId(args.datasetId, "datasetId") };
  if (args.datasetVersionId !== undefined) return { datasetVersionId: parseId(args.datasetVersionId, "datasetVersionId") };
  if (args.manifestPath === undefined) throw new InvalidInputError("manifestPath", "give manifestPath, the manifest that lists the item");
  return { itemHash: parseBytes32(args.itemHash, "itemHash"), manifest: await readManifest(args.manifestPath) };
}

export const wasDataUsedTool = defineTool({
  name: "was_data_used",
  title: "Was this data used to train a model",
  description:
    "Finds every model version trained on a dataset, a dataset version or a single file (directly, through derived datasets or through fine-tunes), and whether any of them is live now; give exactly one of datasetId, datasetVersionId, or itemHash with manifestPath.",
  input: {
    datasetId: idInput("datasetId", "a dataset").optional(),
    datasetVersionId: idInput("datasetVersionId", "a dataset version").optional(),
    itemHash: bytes32Input("itemHash", "a file's SHA-256 digest as listed in a fingerprint manifest").optional(),
    manifestPath: pathInput("the path of the fingerprint manifest (JSON) that lists the file, with itemHash").optional(),
    block: blockInput,
  },
  output: z.looseObject({
    asOf: asOfOutput,
    matchedBy: z.enum(["dataset", "dataset-version", "manifest"]),
    startingVersionIds: z.array(z.string()),
    modelVersions: z.array(
      z.looseObject({
        version: modelVersionOutput,
        paths: z.array(z.looseObject({ how: z.enum(["direct", "derived", "fine-tune"]), description: z.string() })),
        live: z.boolean(),
        liveIn: z.array(z.looseObject({ environment: z.string(), deploymentId: z.string() })),
      }),
    ),
    anyLive: z.boolean(),
    liveVersionIds: z.array(z.string()),
  }),
  async answer(args, sources) {
    const result = await wasDataUsed(sources.subgraph(args.block), await dataOf(args));
    const users = result.modelVersions.map((user) => user.version);
    return {
      result,
      summary:
        users.length === 0
          ? `no model version was trained on it (as of block ${result.asOf.blockNumber})`
          : `${users.length} model version(s) trained on it as of block ${result.asOf.blockNumber}: ${ids(users)}; live now: ${result.liveVersionIds.join(", ") || "none"}`,
    };
  },
});

export const whereTool = defineTool({
  name: "where",
  title: "Where a model version was trained, may serve and served",
  description:
    "Answers where a model version and its fine-tune parents were trained (country, compute provider), the territories its licences allow for training and deployment, where it was deployed and where its decisions were made, and every record outside its territory (conflicts); regions are ISO 3166-1 alpha-2 codes.",
  input: { versionId: idInput("versionId", "the model version"), block: blockInput },
  output: z.looseObject({
    asOf: asOfOutput,
    versionId: z.string(),
    modelId: z.string(),
    training: z.array(z.looseObject({ versionId: z.string(), region: z.string(), computeProvider: z.string().nullable(), allowed: z.array(z.string()), recorded: stampOutput })),
    licences: z.array(z.looseObject({ licenceId: z.string(), datasetId: z.string(), training: z.array(z.string()), deployment: z.array(z.string()) })),
    territory: z.looseObject({ training: z.array(z.string()), deployment: z.array(z.string()) }),
    deployments: z.array(z.looseObject({ deploymentId: z.string(), environment: z.string(), regions: z.array(z.string()), endedAt: z.number().nullable() })),
    decisions: z.array(z.looseObject({ root: z.string(), count: z.number(), regions: z.array(z.string()) })),
    conflicts: z.array(z.looseObject({ kind: z.string(), subject: z.string(), regions: z.array(z.string()), message: z.string() })),
  }),
  async answer(args, sources) {
    const result = await jurisdictionsOf(sources.subgraph(args.block), parseId(args.versionId, "versionId"));
    const trained = result.training.map((run) => `version ${run.versionId} in ${run.region}${run.computeProvider ? ` by ${run.computeProvider}` : ""}`);
    const { territory, conflicts } = result;
    return {
      result,
      summary:
        `model version ${result.versionId} as of block ${result.asOf.blockNumber}: trained ${trained.join(", ") || "nowhere on record"}; ` +
        `licences allow training in ${describeRegionCodes(territory.training)} and deployment in ${describeRegionCodes(territory.deployment)}; ` +
        (conflicts.length === 0 ? "no conflicts" : `${conflicts.length} conflict(s): ${conflicts[0]!.message}`),
    };
  },
});
