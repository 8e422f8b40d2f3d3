import { ZeroHash } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { registryError } from "../errors/index.ts";
import { eventOf, readView, sendTransaction } from "../internal/transactions.ts";
import { parseBytes32 } from "../../core/hex.ts";
import { parseId } from "../../core/ids.ts";
import { toText } from "../internal/validate.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

/** What a system version runs its model version with, as 32-byte digests; the zero hash stands for none. */
export interface SystemConfig {
  /** The prompt / system instructions. */
  promptHash: string;
  /** Fingerprint of the retrieval index (zero: no retrieval). */
  retrievalIndex: string;
  /** The policy / guardrail configuration. */
  policyHash: string;
  /** The list of tools it may call. */
  toolsHash: string;
}

/**
 * A configuration to publish: each digest as 32-byte hex, `null` for none, or omitted — none, or with a parent the
 * parent's (so a prompt update names only the new prompt).
 */
export type SystemConfigInput = { [Field in keyof SystemConfig]?: string | null };

/** One dataset version the retrieval index was built from, and the licence it is used under (held by the model owner). */
export interface RetrievalDataUse {
  datasetVersionId: IdInput;
  licenceId: IdInput;
}

export interface PublishSystemVersionParameters extends TransactionOptions {
  /** The model version it runs; the signer must own its model or operate all its owner's tokens. */
  modelVersionId: IdInput;
  /** The system version it changes: of the same model (it may run other weights); none when omitted or 0. */
  parentId?: IdInput;
  config: SystemConfigInput;
  /**
   * The dataset versions the retrieval index was built from, with their licences: given exactly when there is a
   * retrieval index. With a parent, omitting both the index and this list keeps the parent's.
   */
  retrievalData?: RetrievalDataUse[];
  /** Where the system card lives. */
  uri: string;
}

export interface PublishSystemVersionResult extends TransactionResult {
  /** The new system version's id. */
  systemId: bigint;
  modelId: bigint;
  modelVersionId: bigint;
  /** The system version it changes (0 = none). */
  parentId: bigint;
  /** The configuration published (inherited digests filled in). */
  config: SystemConfig;
  retrievalData: { datasetVersionId: bigint; licenceId: bigint }[];
}

type Parsed = { [Field in keyof SystemConfig]: string | undefined };
type RetrievalData = PublishSystemVersionResult["retrievalData"];

const FIELDS = ["promptHash", "retrievalIndex", "policyHash", "toolsHash"] as const;

/**
 * Publishes a system version: a model version plus its prompt, retrieval index, policy and tools. A prompt, retrieval
 * or policy change is recorded without new weights, as a new system version with its parent; with a parent, the
 * digests left out are the parent's. Refused before sending: an unknown parent (`UnknownSystemVersion`), a parent of
 * another model (`ParentOfAnotherModel`), a version that changes nothing (`NothingChanged`), a retrieval index without
 * its data or data without an index. The registry refuses retrieval data the model owner holds no valid licence for
 * (`RetrievalDataNotUsable`, with the reason) or whose dataset was withdrawn (`RetrievalDataWithdrawn`).
 *
 * @example
 * const { systemId } = await publishSystemVersion(client, {
 *   modelVersionId: 4n,
 *   config: { promptHash: "0x…", retrievalIndex: "0x…", policyHash: "0x…" },
 *   retrievalData: [{ datasetVersionId: 2n, licenceId: 1n }],
 *   uri: "ipfs://bafy…system-card",
 * });
 * // A prompt update: everything else is the parent's.
 * await publishSystemVersion(client, { modelVersionId: 4n, parentId: systemId, config: { promptHash: "0x…" }, uri: "…" });
 */
export async function publishSystemVersion(
  client: PedigreeClient,
  parameters: PublishSystemVersionParameters,
): Promise<PublishSystemVersionResult> {
  const modelVersionId = parseId(parameters.modelVersionId, "modelVersionId");
  const parentId = parameters.parentId === undefined ? 0n : parseId(parameters.parentId, "parentId", { allowZero: true });
  const uri = toText(parameters.uri, "uri");
  const given = parseConfig(parameters.config);
  let retrievalData = parseRetrievalData(parameters.retrievalData);
  if (given.retrievalIndex === undefined && retrievalData !== undefined) {
    throw new InvalidInputError("config.retrievalIndex", "retrievalData was given without the retrieval index built from it", {
      hint: "Give config.retrievalIndex, the index's fingerprint, with its data.",
    });
  }
  let config: SystemConfig;
  if (parentId === 0n) {
    config = withDefaults(given, {});
  } else {
    const parent = await parentOf(client, parentId, modelVersionId);
    config = withDefaults(given, parent.config);
    if (given.retrievalIndex === undefined) retrievalData = await retrievalDataOf(client, parentId, config.retrievalIndex);
    if (parent.modelVersionId === modelVersionId && FIELDS.every((field) => config[field] === parent.config[field])) {
      throw registryError("NothingChanged", [parentId]);
    }
  }
  return sendPublication(client, parameters, { modelVersionId, parentId, config, retrievalData: retrievalData ?? [], uri });
}

/** Checks the retrieval data matches the index, sends the publication and reads what it recorded. */
async function sendPublication(
  client: PedigreeClient,
  options: TransactionOptions,
  input: { modelVersionId: bigint; parentId: bigint; config: SystemConfig; retrievalData: RetrievalData; uri: string },
): Promise<PublishSystemVersionResult> {
  const { modelVersionId, parentId, config, retrievalData, uri } = input;
  if ((config.retrievalIndex === ZeroHash) !== (retrievalData.length === 0)) {
    throw new InvalidInputError(
      "retrievalData",
      config.retrievalIndex === ZeroHash
        ? "retrievalData lists dataset versions but there is no retrieval index"
        : `retrieval index ${config.retrievalIndex} needs the dataset versions it was built from, with their licences (retrievalData)`,
    );
  }
  const versionIds = retrievalData.map((use) => use.datasetVersionId);
  const licenceIds = retrievalData.map((use) => use.licenceId);
  const mined = await sendTransaction(
    client,
    "SystemRegistry.publishSystemVersion",
    (signer, overrides) =>
      client.systems.connect(signer).publishSystemVersion(modelVersionId, parentId, config, versionIds, licenceIds, uri, overrides),
    options,
  );
  const published = eventOf(mined.receipt, client.systems, "SystemVersionPublished");
  return {
    systemId: published.systemId,
    modelId: published.modelId,
    modelVersionId: published.modelVersionId,
    parentId: published.parentId,
    config: { promptHash: published.promptHash, retrievalIndex: published.retrievalIndex, policyHash: published.policyHash, toolsHash: published.toolsHash },
    retrievalData: published.retrievalDatasetVersions.map((datasetVersionId, i) => ({ datasetVersionId, licenceId: published.retrievalLicences[i]! })),
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}

function parseConfig(input: SystemConfigInput | undefined): Parsed {
  if (input === null || typeof input !== "object") {
    throw new InvalidInputError("config", "config must name the digests of the prompt, retrieval index, policy and tools (or {} with a parent)");
  }
  const parsed = {} as Parsed;
  for (const field of FIELDS) {
    const value = input[field];
    parsed[field] = value === undefined ? undefined : value === null ? ZeroHash : parseBytes32(value, `config.${field}`);
  }
  return parsed;
}

function parseRetrievalData(data: RetrievalDataUse[] | undefined): RetrievalData | undefined {
  if (data === undefined) return undefined;
  if (!Array.isArray(data)) throw new InvalidInputError("retrievalData", "retrievalData must list { datasetVersionId, licenceId } pairs");
  return data.map((use, i) => ({
    datasetVersionId: parseId(use?.datasetVersionId, `retrievalData[${i}].datasetVersionId`),
    licenceId: parseId(use?.licenceId, `retrievalData[${i}].licenceId`),
  }));
}

function withDefaults(given: Parsed, inherited: Partial<SystemConfig>): SystemConfig {
  const config = {} as SystemConfig;
  for (const field of FIELDS) config[field] = given[field] ?? inherited[field] ?? ZeroHash;
  return config;
}

/** The parent, read before sending: it must exist and belong to the model of `modelVersionId`. */
async function parentOf(client: PedigreeClient, parentId: bigint, modelVersionId: bigint) {
  const [system, stored] = await readView(client, "SystemRegistry.getSystemVersion", () => client.systems.getSystemVersion(parentId));
  const { modelId } = await readView(client, "ModelRegistry.getVersion", () => client.models.getVersion(modelVersionId));
  if (system.modelId !== modelId) throw registryError("ParentOfAnotherModel", [parentId, modelId]);
  const config: SystemConfig = {
    promptHash: stored.promptHash,
    retrievalIndex: stored.retrievalIndex,
    policyHash: stored.policyHash,
    toolsHash: stored.toolsHash,
  };
  return { modelVersionId: system.modelVersionId, config };
}

/** The retrieval data the parent's index was built from, from its SystemVersionPublished event. */
async function retrievalDataOf(client: PedigreeClient, parentId: bigint, retrievalIndex: string): Promise<RetrievalData> {
  if (retrievalIndex === ZeroHash) return [];
  const [event] = await readView(client, "SystemRegistry.SystemVersionPublished", () =>
    client.systems.queryFilter(client.systems.filters.SystemVersionPublished(parentId)),
  );
  if (event === undefined) {
    throw new InvalidInputError("retrievalData", `the node returned no SystemVersionPublished event of system version ${parentId}, so its retrieval data cannot be kept`, {
      hint: "Give config.retrievalIndex and retrievalData explicitly.",
    });
  }
  return event.args.retrievalDatasetVersions.map((datasetVersionId, i) => ({ datasetVersionId, licenceId: event.args.retrievalLicences[i]! }));
}
