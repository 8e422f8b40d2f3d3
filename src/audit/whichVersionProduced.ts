/**
 * "Which model version produced this decision?" — given a decision record hash and its batch (a Merkle root, or the
 * batch's records file), find the anchored DecisionBatch in the subgraph and check the record's Merkle proof on-chain
 * with ReleaseRegistry.verifyDecision, which also names the version that produced the batch.
 */
import { readFile } from "node:fs/promises";
import { JsonRpcProvider, getAddress, type Provider } from "ethers";
import { ReleaseRegistry__factory } from "../../types/index.js";
import { decodeError } from "../sdk/errors.ts";
import { DecisionTree, type DecisionTreeDump } from "../sdk/merkle.ts";
import type { AuditClient } from "./client.ts";
import { ChainReadError, InvalidAuditInputError, ProofUnavailableError } from "./errors.ts";
import {
  DECISION_BATCH,
  META,
  MODEL_VERSION,
  asOfOf,
  decisionBatchOf,
  modelVersionOf,
  notFound,
  toBytes32,
  type RawDecisionBatch,
  type RawMeta,
  type RawModelVersion,
  type Ref,
} from "./shared.ts";
import type { AsOf, DecisionBatchInfo, ModelVersionInfo } from "./types.ts";

/** Parameters of {@link whichVersionProduced}. */
export interface WhichVersionProducedParameters {
  /** The decision record's hash (bytes32): the value the batch's Merkle tree was built from. */
  recordHash: string;
  /** The batch's Merkle root; optional when `records` is given (its root is used). */
  root?: string;
  /**
   * The batch's records: a records file in the DecisionTree dump format (`pedigree-decisions-v1`, see
   * src/sdk/merkle.ts) as an object or a path to the JSON file, or a built {@link DecisionTree}. The proof is built
   * from it.
   */
  records?: DecisionTreeDump | DecisionTree | string;
  /** A Merkle proof to check instead of building one from `records`. */
  proof?: string[];
  /** A provider of the chain the registry is on (e.g. `new JsonRpcProvider(rpcUrl)`). */
  provider: Provider;
  /** The ReleaseRegistry's address. */
  releases: string;
}

/** The answer of {@link whichVersionProduced}. */
export interface WhichVersionProducedResult {
  asOf: AsOf;
  recordHash: string;
  root: string;
  /** The on-chain verdict: ReleaseRegistry.verifyDecision(root, recordHash, proof). */
  verified: boolean;
  /** The version that produced the record: the batch's version when verified, else null. */
  producedBy: ModelVersionInfo | null;
  /** The anchored batch (from the subgraph) and the version that produced it. */
  batch: DecisionBatchInfo;
  version: ModelVersionInfo;
  model: { id: string; creator: string; owner: string };
  /** The leaf of the record: keccak256(bytes.concat(keccak256(abi.encode(recordHash)))). */
  leaf: string;
  /** The proof checked on-chain (empty when the record is not in the records file). */
  proof: string[];
  /** Position of the record in the records file; null when no file was given or the record is not in it. */
  recordIndex: number | null;
  /** Whether the record is in the records file; null when no file was given. */
  inRecordsFile: boolean | null;
  /** The same proof checked off-chain (must agree with `verified`). */
  verifiedOffChain: boolean;
  onChain: {
    registry: string;
    included: boolean;
    /** The version the registry names for the batch. */
    versionId: string;
    /** Whether the registry and the subgraph agree on the batch's version. */
    agreesWithSubgraph: boolean;
  };
}

const QUERY = `query WhichVersionProduced($root: ID!) {
  decisionBatch(id: $root) { ${DECISION_BATCH} version { ${MODEL_VERSION} } model { id creator { id } owner { id } } }
  ${META}
}`;

interface RawBatch extends Omit<RawDecisionBatch, "version" | "model"> {
  version: RawModelVersion;
  model: Ref & { creator: Ref; owner: Ref };
}

async function loadRecords(records: DecisionTreeDump | DecisionTree | string): Promise<DecisionTree> {
  if (records instanceof DecisionTree) return records;
  let dump: unknown = records;
  if (typeof records === "string") {
    let text: string;
    try {
      text = await readFile(records, "utf8");
    } catch (error) {
      const code = (error as { code?: string }).code ?? "unreadable";
      throw new InvalidAuditInputError("records", `cannot read the records file ${records} (${code}); check the path`);
    }
    try {
      dump = JSON.parse(text);
    } catch {
      throw new InvalidAuditInputError("records", `the records file ${records} is not JSON; give a DecisionTree dump (pedigree-decisions-v1)`);
    }
  }
  try {
    return DecisionTree.load(dump as DecisionTreeDump);
  } catch (error) {
    const where = typeof records === "string" ? `the records file ${records}` : "the records";
    throw new InvalidAuditInputError("records", `${where}: ${(error as Error).message}`);
  }
}

function rpcUrlOf(provider: Provider): string | undefined {
  return provider instanceof JsonRpcProvider ? provider._getConnection().url : undefined;
}

/**
 * Which model version produced a decision: finds the decision's anchored batch in the subgraph and verifies the
 * record's Merkle proof on-chain with ReleaseRegistry.verifyDecision. With a records file the proof is built locally;
 * a record that is not in the file is still checked (with an empty proof) so that the verdict always comes from the
 * chain. One GraphQL round trip and one eth_call.
 *
 * @example
 * import { JsonRpcProvider } from "ethers";
 * const answer = await whichVersionProduced(client, {
 *   recordHash: "0x3c…",
 *   records: "./decisions/batch-0001.json",   // DecisionTree.dump() output
 *   provider: new JsonRpcProvider("http://127.0.0.1:8545"),
 *   releases: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 * });
 * answer.verified;             // true: the chain confirms the record is in the batch
 * answer.producedBy?.id;       // "1": model version 1 produced it
 * @throws NotInSubgraphError when no batch with that root is indexed; ProofUnavailableError when neither records nor a
 *   proof are given; InvalidAuditInputError for a malformed hash or records file; ChainReadError when the chain
 *   cannot be read.
 */
export async function whichVersionProduced(
  client: AuditClient,
  parameters: WhichVersionProducedParameters,
): Promise<WhichVersionProducedResult> {
  if (parameters === null || typeof parameters !== "object") {
    throw new InvalidAuditInputError("parameters", "give { recordHash, root or records, provider, releases }");
  }
  const recordHash = toBytes32(parameters.recordHash, "recordHash");
  let registry: string;
  try {
    registry = getAddress(parameters.releases);
  } catch {
    throw new InvalidAuditInputError("releases", `releases ${JSON.stringify(String(parameters.releases))} is not an address; give the ReleaseRegistry's address`);
  }
  if (!parameters.provider || typeof (parameters.provider as Provider).call !== "function") {
    throw new InvalidAuditInputError("provider", "provider is required; give an ethers provider of the chain the ReleaseRegistry is on");
  }

  const tree = parameters.records === undefined ? undefined : await loadRecords(parameters.records);
  const givenRoot = parameters.root === undefined ? undefined : toBytes32(parameters.root, "root");
  if (tree && givenRoot && tree.root !== givenRoot) {
    throw new InvalidAuditInputError("root", `the records build to root ${tree.root}, not ${givenRoot}; give the records file of that batch, or leave out root`);
  }
  const root = givenRoot ?? tree?.root;
  if (!root) throw new InvalidAuditInputError("root", "give the batch's root or its records file");

  let proof: string[];
  let recordIndex: number | null = null;
  let inRecordsFile: boolean | null = null;
  if (parameters.proof !== undefined) {
    if (!Array.isArray(parameters.proof)) throw new InvalidAuditInputError("proof", "proof must be a list of bytes32 hashes");
    proof = parameters.proof.map((node, i) => toBytes32(node, `proof[${i}]`));
  } else if (tree) {
    const index = tree.indexOf(recordHash);
    inRecordsFile = index >= 0;
    recordIndex = index >= 0 ? index : null;
    proof = index >= 0 ? tree.proofAt(index) : [];
  } else {
    throw new ProofUnavailableError(
      `no proof for record ${recordHash} in batch ${root}; pass the batch's records file (DecisionTree dump) or a proof`,
    );
  }
  if (tree && parameters.proof !== undefined) {
    const index = tree.indexOf(recordHash);
    inRecordsFile = index >= 0;
    recordIndex = index >= 0 ? index : null;
  }

  const [data, onChain] = await Promise.all([
    client.request<{ decisionBatch: RawBatch | null; _meta: RawMeta }>(QUERY, { root }),
    (async () => {
      const releases = ReleaseRegistry__factory.connect(registry, parameters.provider);
      try {
        const [included, versionId] = await releases.verifyDecision(root, recordHash, proof);
        return { included, versionId: versionId.toString() };
      } catch (error) {
        return { error };
      }
    })(),
  ]);
  if (!data.decisionBatch) throw notFound(client, "decision batch", root);
  if ("error" in onChain) {
    const decoded = decodeError(onChain.error, { rpcUrl: rpcUrlOf(parameters.provider), action: "ReleaseRegistry.verifyDecision" });
    throw new ChainReadError(`ReleaseRegistry.verifyDecision at ${registry} failed: ${decoded.message}`, { cause: onChain.error });
  }

  const raw = data.decisionBatch;
  const version = modelVersionOf(raw.version);
  return {
    asOf: asOfOf(data._meta),
    recordHash,
    root,
    verified: onChain.included,
    producedBy: onChain.included ? version : null,
    batch: decisionBatchOf({ ...raw, version: { id: raw.version.id }, model: { id: raw.model.id } }),
    version,
    model: { id: raw.model.id, creator: raw.model.creator.id, owner: raw.model.owner.id },
    leaf: DecisionTree.leafHash(recordHash),
    proof,
    recordIndex,
    inRecordsFile,
    verifiedOffChain: DecisionTree.verify(root, recordHash, proof),
    onChain: {
      registry,
      included: onChain.included,
      versionId: onChain.versionId,
      agreesWithSubgraph: onChain.versionId === raw.version.id,
    },
  };
}
