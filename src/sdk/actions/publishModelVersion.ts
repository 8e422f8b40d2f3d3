import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseBytes32 } from "../../core/hex.ts";
import { parseId } from "../../core/ids.ts";
import { hashOrZero, toText, toTimestamp } from "../internal/validate.ts";
import { toComputeProvider, toRegion } from "../inputs.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TimestampInput, TransactionOptions, TransactionResult } from "../types.ts";

/** The artifacts of a model version. */
export interface ModelVersionInput {
  /** Fingerprint of the weights; non-zero, claimed once per model owner (others may claim the same weights too). */
  weightsHash: string;
  /** Merkle root over per-file hashes of the release (zero when omitted). */
  manifestRoot?: string;
  /** Hash of the config / architecture description (zero when omitted). */
  configHash?: string;
  /**
   * The version it was fine-tuned from: of the owner's own model, or of a model whose owner granted derivation
   * (`grantDerivation`); trained from scratch when omitted.
   */
  parentVersionId?: IdInput;
  /** Where the weights live. */
  uri: string;
}

/** One dataset version the run trained on, and the licence it was used under (held by the model owner). */
export interface TrainingDataUse {
  datasetVersionId: IdInput;
  licenceId: IdInput;
}

/** How and where the version was trained. */
export interface TrainingRunInput {
  /** The dataset versions used, each with its licence. */
  data: TrainingDataUse[];
  /**
   * Where the run was computed: the ISO 3166-1 alpha-2 code of one country, e.g. "DE". It must lie in the training
   * territory of every licence of the run and of its fine-tune ancestors' runs (else `TrainingOutsideTerritory`).
   */
  region: string;
  /**
   * Who computed it: a name of at most 31 bytes (e.g. "aws:eu-central-1", stored as a bytes32 string) or a 32-byte
   * hex id; not declared when omitted.
   */
  computeProvider?: string;
  /** Commit or archive hash of the training code (zero when omitted). */
  codeHash?: string;
  /** Hash of the hyperparameter file (zero when omitted). */
  hyperparametersHash?: string;
  startedAt: TimestampInput;
  endedAt: TimestampInput;
}

export interface PublishModelVersionParameters extends TransactionOptions {
  /** The model; the signer must own it or operate all its owner's tokens (setApprovalForAll). */
  modelId: IdInput;
  version: ModelVersionInput;
  trainingRun: TrainingRunInput;
}

export interface PublishModelVersionResult extends TransactionResult {
  /** The new version's id (registry-wide); also the id of its training run. */
  versionId: bigint;
  modelId: bigint;
  /** Its 1-based number within the model. */
  number: number;
  /** Its training run, and every ancestor's, names registered training data. */
  dataDeclared: boolean;
  /** Every dataset in its lineage is licensed for commercial use. */
  commercialData: boolean;
}

/**
 * Publishes a model version with the training run that produced it. The registry checks every dataset version is
 * used under a licence the model owner holds, valid now, allowing derivatives (and commercial use for a commercial
 * model), that the parent may be fine-tuned, and that the run's region lies in the training territory of every
 * licence in the lineage; otherwise the error says which version or licence and why (e.g.
 * `DatasetVersionNotUsable: … (Expired)`, `ParentNotDerivable`, `TrainingOutsideTerritory`). The result tells whether
 * the version's lineage declares its training data and whether all of it is licensed commercially.
 *
 * @example
 * const { versionId } = await publishModelVersion(client, {
 *   modelId: 1n,
 *   version: { weightsHash: "0x…", uri: "s3://models/triage/v1" },
 *   trainingRun: {
 *     data: [{ datasetVersionId: 1n, licenceId: 1n }],
 *     codeHash: id("git:3f2a9c1"),
 *     region: "DE",
 *     computeProvider: "aws:eu-central-1",
 *     startedAt: new Date("2026-01-01"),
 *     endedAt: new Date("2026-01-02"),
 *   },
 * });
 */
export async function publishModelVersion(
  client: PedigreeClient,
  parameters: PublishModelVersionParameters,
): Promise<PublishModelVersionResult> {
  const modelId = parseId(parameters.modelId, "modelId");
  const input = parameters.version;
  if (input === null || typeof input !== "object") throw new InvalidInputError("version", "version is required");
  const version = {
    weightsHash: parseBytes32(input.weightsHash, "version.weightsHash", { nonZero: true }),
    manifestRoot: hashOrZero(input.manifestRoot, "version.manifestRoot"),
    configHash: hashOrZero(input.configHash, "version.configHash"),
    parentVersionId: input.parentVersionId === undefined ? 0n : parseId(input.parentVersionId, "version.parentVersionId", { allowZero: true }),
    uri: toText(input.uri, "version.uri"),
  };
  const runInput = parameters.trainingRun;
  if (runInput === null || typeof runInput !== "object" || !Array.isArray(runInput.data)) {
    throw new InvalidInputError("trainingRun.data", "trainingRun.data must list the dataset versions used and their licences");
  }
  const run = {
    datasetVersionIds: runInput.data.map((use, i) => parseId(use.datasetVersionId, `trainingRun.data[${i}].datasetVersionId`)),
    licenceIds: runInput.data.map((use, i) => parseId(use.licenceId, `trainingRun.data[${i}].licenceId`)),
    codeHash: hashOrZero(runInput.codeHash, "trainingRun.codeHash"),
    hyperparametersHash: hashOrZero(runInput.hyperparametersHash, "trainingRun.hyperparametersHash"),
    startedAt: toTimestamp(runInput.startedAt, "trainingRun.startedAt"),
    endedAt: toTimestamp(runInput.endedAt, "trainingRun.endedAt"),
    region: toRegion(runInput.region, "trainingRun.region"),
    computeProvider: toComputeProvider(runInput.computeProvider, "trainingRun.computeProvider"),
  };
  if (run.endedAt < run.startedAt) {
    throw new InvalidInputError("trainingRun.endedAt", `trainingRun ends (${run.endedAt}) before it starts (${run.startedAt})`);
  }
  const mined = await sendTransaction(
    client,
    "ModelRegistry.publishVersion",
    (signer, overrides) => client.models.connect(signer).publishVersion(modelId, version, run, overrides),
    parameters,
  );
  const published = eventOf(mined.receipt, client.models, "ModelVersionPublished");
  const recorded = eventOf(mined.receipt, client.models, "TrainingRunRecorded");
  return {
    versionId: published.versionId,
    modelId: published.modelId,
    number: Number(published.number),
    dataDeclared: recorded.dataDeclared,
    commercialData: recorded.commercialData,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
