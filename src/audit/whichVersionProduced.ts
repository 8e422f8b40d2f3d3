/**
 * "Which model version produced this decision?" — given a decision record hash and its batch (a Merkle root, or the
 * batch's records file), find every DecisionBatch anchored with that root in the subgraph and check the record's
 * Merkle proof on-chain with ReleaseRegistry.verifyDecision(versionId, root, …) for each. Batches are keyed by
 * (version, root): another team may anchor a copied root with its own approved version, so every anchoring is shown,
 * in chain order, and the answer names a producer only when one version alone anchored the root.
 */
import { InvalidInputError } from "../core/errors.ts";
import { readFile } from "node:fs/promises";
import { JsonRpcProvider, getAddress, type Provider } from "ethers";
import { ReleaseRegistry__factory } from "../../types/index.ts";
import { decodeError } from "../sdk/errors/index.ts";
import { DecisionTree, type DecisionTreeDump } from "../core/merkle.ts";
import type { AuditClient } from "./client.ts";
import { ChainReadError, ProofUnavailableError } from "./errors.ts";
import { WhichVersionProducedDocument, type WhichVersionProducedQuery } from "./generated/graphql.ts";
import { asOfOf, decisionBatchOf, modelVersionOf, notFound, toBytes32 } from "./shared.ts";
import type { AsOf, DecisionBatchInfo, ModelVersionInfo } from "./types.ts";

/** Parameters of {@link whichVersionProduced}. */
export interface WhichVersionProducedParameters {
  /** The decision record's hash (bytes32): the value the batch's Merkle tree was built from. */
  recordHash: string;
  /** The batch's Merkle root; optional when `records` is given (its root is used). */
  root?: string;
  /**
   * The batch's records: a records file in the DecisionTree dump format (`pedigree-decisions-v1`, see
   * src/core/merkle.ts) as an object or a path to the JSON file, or a built {@link DecisionTree}. The proof is built
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

/** One anchoring of the batch's root: a version that anchored it, and whether the chain verifies the record in it. */
export interface DecisionAnchor {
  batch: DecisionBatchInfo;
  version: ModelVersionInfo;
  model: { id: string; creator: string; owner: string };
  /** The on-chain verdict: ReleaseRegistry.verifyDecision(versionId, root, recordHash, proof). */
  verified: boolean;
}

/** The answer of {@link whichVersionProduced}. */
export interface WhichVersionProducedResult {
  asOf: AsOf;
  recordHash: string;
  root: string;
  /**
   * Every batch anchored with this root, in chain order (block, log index). The same root may be anchored by several
   * versions (of other owners too): each is listed with the chain's verdict, none is picked silently.
   */
  anchors: DecisionAnchor[];
  /** The chain verifies the record in at least one anchored batch. */
  verified: boolean;
  /** Several versions anchored the root. */
  competing: boolean;
  /** The version that produced the record: the one version that anchored the root, verified; null otherwise. */
  producedBy: ModelVersionInfo | null;
  /** The version that anchored the root first (chain order), or null. */
  firstAnchoredBy: string | null;
  /** One plain sentence: who anchored the root, in order, and what the chain says. */
  statement: string;
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
  /** The ReleaseRegistry asked. */
  registry: string;
}

/** One batch anchored with the root, as the subgraph answers it. */
type AnchoredBatch = WhichVersionProducedQuery["decisionBatches"][number];

/** The proof to check on-chain, and where the record is in the records file. */
interface RecordProof {
  proof: string[];
  recordIndex: number | null;
  inRecordsFile: boolean | null;
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
      throw new InvalidInputError("records", `cannot read the records file ${records} (${code}); check the path`);
    }
    try {
      dump = JSON.parse(text);
    } catch {
      throw new InvalidInputError("records", `the records file ${records} is not JSON; give a DecisionTree dump (pedigree-decisions-v1)`);
    }
  }
  try {
    return DecisionTree.load(dump as DecisionTreeDump);
  } catch (error) {
    const where = typeof records === "string" ? `the records file ${records}` : "the records";
    throw new InvalidInputError("records", `${where}: ${(error as Error).message}`);
  }
}

/** "model version 1 (model 1, owner 0x…), block 30". */
function describeAnchor(anchor: DecisionAnchor): string {
  return `model version ${anchor.version.id} (model ${anchor.model.id}, owner ${anchor.model.owner}), block ${anchor.batch.blockNumber}`;
}

function statementOf(root: string, anchors: DecisionAnchor[]): string {
  const [first] = anchors;
  if (anchors.length === 1) {
    return first!.verified
      ? `The chain verifies the record in the batch ${root} that ${describeAnchor(first!)} anchored: that version produced it.`
      : `The chain does not verify the record in the batch ${root} that ${describeAnchor(first!)} anchored.`;
  }
  const listed = anchors.map(describeAnchor);
  const verdict = anchors.every((a) => a.verified)
    ? "The chain verifies the record in each of their batches, so the root alone cannot tell which version produced it"
    : anchors.some((a) => a.verified)
      ? `The chain verifies the record only in the batches of ${anchors.filter((a) => a.verified).map((a) => `model version ${a.version.id}`).join(", ")}`
      : "The chain verifies the record in none of their batches";
  return `Root ${root} was anchored by ${anchors.length} versions, in chain order: ${listed.slice(0, -1).join("; ")} and ${listed.at(-1)}. ${verdict}; model version ${first!.version.id} anchored it first.`;
}

function rpcUrlOf(provider: Provider): string | undefined {
  return provider instanceof JsonRpcProvider ? provider._getConnection().url : undefined;
}

/** The record and the registry asked about, checked. */
function checkedTarget(parameters: WhichVersionProducedParameters): { recordHash: string; registry: string } {
  if (parameters === null || typeof parameters !== "object") {
    throw new InvalidInputError("parameters", "give { recordHash, root or records, provider, releases }");
  }
  const recordHash = toBytes32(parameters.recordHash, "recordHash");
  let registry: string;
  try {
    registry = getAddress(parameters.releases);
  } catch {
    throw new InvalidInputError("releases", `releases ${JSON.stringify(String(parameters.releases))} is not an address; give the ReleaseRegistry's address`);
  }
  if (!parameters.provider || typeof (parameters.provider as Provider).call !== "function") {
    throw new InvalidInputError("provider", "provider is required; give an ethers provider of the chain the ReleaseRegistry is on");
  }
  return { recordHash, registry };
}

/** The batch's root: the one given, or the records' (they must agree when both are given). */
function rootOf(given: string | undefined, tree: DecisionTree | undefined): string {
  const root = given === undefined ? undefined : toBytes32(given, "root");
  if (tree && root && tree.root !== root) {
    throw new InvalidInputError("root", `the records build to root ${tree.root}, not ${root}; give the records file of that batch, or leave out root`);
  }
  const found = root ?? tree?.root;
  if (!found) throw new InvalidInputError("root", "give the batch's root or its records file");
  return found;
}

/** The proof given, or the one built from the records file (empty for a record not in it). */
function proofOf(given: string[] | undefined, tree: DecisionTree | undefined, recordHash: string, root: string): RecordProof {
  const index = tree ? tree.indexOf(recordHash) : -1;
  const position = { recordIndex: index >= 0 ? index : null, inRecordsFile: tree ? index >= 0 : null };
  if (given !== undefined) {
    if (!Array.isArray(given)) throw new InvalidInputError("proof", "proof must be a list of bytes32 hashes");
    return { proof: given.map((node, i) => toBytes32(node, `proof[${i}]`)), ...position };
  }
  if (!tree) {
    throw new ProofUnavailableError(
      `no proof for record ${recordHash} in batch ${root}; pass the batch's records file (DecisionTree dump) or a proof`,
    );
  }
  return { proof: index >= 0 ? tree.proofAt(index) : [], ...position };
}

/** The chain's verdict on the record for one version that anchored the root. */
type Verify = (versionId: string) => Promise<boolean>;

/** ReleaseRegistry.verifyDecision(versionId, root, recordHash, proof) on chain, for each version. */
function onChainVerifier(provider: Provider, registry: string, root: string, recordHash: string, proof: string[]): Verify {
  const releases = ReleaseRegistry__factory.connect(registry, provider);
  return async (versionId: string): Promise<boolean> => {
    try {
      return await releases.verifyDecision(versionId, root, recordHash, proof);
    } catch (error) {
      const decoded = decodeError(error, { rpcUrl: rpcUrlOf(provider), action: "ReleaseRegistry.verifyDecision" });
      throw new ChainReadError(`ReleaseRegistry.verifyDecision at ${registry} failed: ${decoded.message}`, { cause: error });
    }
  };
}

/** Every anchoring in chain order (block, log index), each with the chain's verdict. */
async function anchorsOf(batches: readonly AnchoredBatch[], verify: Verify): Promise<DecisionAnchor[]> {
  const ordered = batches
    .map((raw) => ({ raw, batch: decisionBatchOf(raw) }))
    .sort((a, b) => a.batch.blockNumber - b.batch.blockNumber || a.batch.logIndex - b.batch.logIndex);
  const verdicts = await Promise.all(ordered.map(({ raw }) => verify(raw.version.id)));
  return ordered.map(({ raw, batch }, i) => ({
    batch,
    version: modelVersionOf(raw.version),
    model: { id: raw.model.id, creator: raw.model.creator.id, owner: raw.model.owner.id },
    verified: verdicts[i]!,
  }));
}

/**
 * Which model version produced a decision: finds every batch anchored with the decision's root in the subgraph and
 * verifies the record's Merkle proof on-chain with ReleaseRegistry.verifyDecision for each (version, root). With a
 * records file the proof is built locally; a record that is not in the file is still checked (with an empty proof) so
 * that the verdict always comes from the chain. One GraphQL round trip and one eth_call per anchoring.
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
 * answer.producedBy?.id;       // "1": model version 1 alone anchored the root
 * answer.anchors;              // every version that anchored the root, in chain order, each verified on chain
 * @throws NotInSubgraphError when no batch with that root is indexed; ProofUnavailableError when neither records nor a
 *   proof are given; InvalidInputError for a malformed hash or records file; ChainReadError when the chain
 *   cannot be read.
 */
export async function whichVersionProduced(
  client: AuditClient,
  parameters: WhichVersionProducedParameters,
): Promise<WhichVersionProducedResult> {
  const { recordHash, registry } = checkedTarget(parameters);
  const tree = parameters.records === undefined ? undefined : await loadRecords(parameters.records);
  const root = rootOf(parameters.root, tree);
  const { proof, recordIndex, inRecordsFile } = proofOf(parameters.proof, tree, recordHash, root);

  const data = await client.request(WhichVersionProducedDocument, { root });
  if (data.decisionBatches.length === 0) throw notFound(client, "decision batch", root);
  const anchors = await anchorsOf(data.decisionBatches, onChainVerifier(parameters.provider, registry, root, recordHash, proof));

  const competing = new Set(anchors.map((a) => a.version.id)).size > 1;
  return {
    asOf: asOfOf(client, data._meta),
    recordHash,
    root,
    anchors,
    verified: anchors.some((a) => a.verified),
    competing,
    producedBy: !competing && anchors[0]!.verified ? anchors[0]!.version : null,
    firstAnchoredBy: anchors[0]!.version.id,
    statement: statementOf(root, anchors),
    leaf: DecisionTree.leafHash(recordHash),
    proof,
    recordIndex,
    inRecordsFile,
    verifiedOffChain: DecisionTree.verify(root, recordHash, proof),
    registry,
  };
}
