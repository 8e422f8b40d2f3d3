/**
 * Agent action records: what an agent did, in a form both paths share. The agent (write path) hashes its records and
 * anchors the Merkle root of a batch with `AgentRegistry.anchorActions`; an auditor (read path) holds one record and
 * its proof and asks the registry which agent anchored it, under which binding.
 *
 * A record hash is keccak256(abi.encode(string actionId, bytes32 intentHash, string reference, uint8 policyCheck,
 * uint64 timestamp)); a batch is a {@link DecisionTree} over record hashes (OpenZeppelin StandardMerkleTree leaves of
 * `bytes32`), the tree `AgentRegistry.verifyAction` checks proofs against.
 */
import { AbiCoder, keccak256 } from "ethers";
import { InvalidInputError } from "./errors.ts";
import { parseBytes32 } from "./hex.ts";
import { parseId, type IdInput } from "./ids.ts";
import { DecisionTree } from "./merkle.ts";

/** The outcome of the policy check the agent ran before acting, as the record states it. */
export const POLICY_CHECKS = ["skipped", "passed", "failed"] as const;
export type PolicyCheck = (typeof POLICY_CHECKS)[number];

/** One action of an agent. */
export interface ActionRecord {
  /** The agent's own id for the action (unique within the agent's records). */
  actionId: string;
  /** keccak256 or sha256 of what the agent was asked to do (the intent is kept off chain). */
  intentHash: string;
  /** What came of it: a transaction hash, or an external reference (URI, ticket id). May be empty. */
  reference: string;
  /** The policy check before acting. */
  policyCheck: PolicyCheck;
  /** When the agent acted, unix seconds. */
  timestamp: number;
}

/** A batch of action records as `pedigree agent anchor` writes it: the records, their root, the agent. */
export interface ActionBatchFile {
  format: typeof ACTION_BATCH_FORMAT;
  agentId: string;
  root: string;
  records: ActionRecord[];
}

/** One record with its proof, as `pedigree agent prove` writes it and `pedigree audit action` reads it. */
export interface ActionProofFile {
  format: typeof ACTION_PROOF_FORMAT;
  agentId: string;
  root: string;
  record: ActionRecord;
  recordHash: string;
  proof: string[];
}

export const ACTION_BATCH_FORMAT = "pedigree-actions-v1";
export const ACTION_PROOF_FORMAT = "pedigree-action-proof-v1";

/** Longest action id and reference accepted (bytes of UTF-8), so a record stays cheap to hash and to show. */
export const MAX_ACTION_TEXT = 1024;
const MAX_UINT64 = 2n ** 64n - 1n;
const abi = AbiCoder.defaultAbiCoder();

function field(where: string, name: string): string {
  return where === "" ? name : `${where}.${name}`;
}

function parseText(value: unknown, name: string, { allowEmpty }: { allowEmpty: boolean }): string {
  if (typeof value !== "string") throw new InvalidInputError(name, `${name} must be a string, got ${typeof value}`);
  if (!allowEmpty && value.trim() === "") throw new InvalidInputError(name, `${name} must not be empty`);
  if (Buffer.byteLength(value, "utf8") > MAX_ACTION_TEXT) {
    throw new InvalidInputError(name, `${name} is longer than ${MAX_ACTION_TEXT} bytes; keep long text off chain and put its hash or URI here`);
  }
  return value;
}

function parseTimestamp(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || BigInt(value) > MAX_UINT64) {
    throw new InvalidInputError(name, `${name} must be unix seconds (a whole number ≥ 0), got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Checks one action record (from JSON or code); `where` prefixes the field names in errors (`records[3]`).
 *
 * @example
 * parseActionRecord({ actionId: "a-1", intentHash: "0x…", reference: "", policyCheck: "passed", timestamp: 1760000000 });
 */
export function parseActionRecord(value: unknown, where = "record"): ActionRecord {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidInputError(where, `${where} must be an object with actionId, intentHash, reference, policyCheck and timestamp`);
  }
  const input = value as Record<string, unknown>;
  const policyCheck = input.policyCheck;
  if (!POLICY_CHECKS.includes(policyCheck as PolicyCheck)) {
    const name = field(where, "policyCheck");
    throw new InvalidInputError(name, `${name} must be one of ${POLICY_CHECKS.join(", ")}, got ${JSON.stringify(policyCheck)}`);
  }
  return {
    actionId: parseText(input.actionId, field(where, "actionId"), { allowEmpty: false }),
    intentHash: parseBytes32(input.intentHash, field(where, "intentHash")).toLowerCase(),
    reference: parseText(input.reference ?? "", field(where, "reference"), { allowEmpty: true }),
    policyCheck: policyCheck as PolicyCheck,
    timestamp: parseTimestamp(input.timestamp, field(where, "timestamp")),
  };
}

/** The hash of a record, the value its batch's Merkle tree holds. */
export function actionRecordHash(record: ActionRecord): string {
  return keccak256(
    abi.encode(
      ["string", "bytes32", "string", "uint8", "uint64"],
      [record.actionId, record.intentHash, record.reference, POLICY_CHECKS.indexOf(record.policyCheck), record.timestamp],
    ),
  );
}

/** A batch ready to anchor: the tree, and the arguments `anchorActions` takes besides the agent and the URI. */
export interface ActionBatch {
  records: ActionRecord[];
  tree: DecisionTree;
  root: string;
  count: number;
  windowStart: number;
  windowEnd: number;
}

/**
 * Builds the batch of `records` (checked, each action id once), its window spanning their timestamps.
 *
 * @example
 * const batch = actionBatch(records);
 * await anchorActions(client, { agentId, root: batch.root, count: batch.count, windowStart: batch.windowStart, … });
 */
export function actionBatch(records: readonly unknown[]): ActionBatch {
  if (!Array.isArray(records) || records.length === 0) {
    throw new InvalidInputError("records", "a batch needs at least one action record");
  }
  const checked = records.map((record, index) => parseActionRecord(record, `records[${index}]`));
  const seen = new Map<string, number>();
  checked.forEach((record, index) => {
    const first = seen.get(record.actionId);
    if (first !== undefined) {
      throw new InvalidInputError(`records[${index}].actionId`, `action id ${JSON.stringify(record.actionId)} appears twice (records[${first}] and records[${index}]); action ids are unique within a batch`);
    }
    seen.set(record.actionId, index);
  });
  const tree = DecisionTree.build(checked.map(actionRecordHash));
  let windowStart = Number.MAX_SAFE_INTEGER;
  let windowEnd = 0;
  for (const { timestamp } of checked) {
    windowStart = Math.min(windowStart, timestamp);
    windowEnd = Math.max(windowEnd, timestamp);
  }
  return { records: checked, tree, root: tree.root, count: checked.length, windowStart, windowEnd };
}

/** The file form of a batch anchored for `agentId`. */
export function actionBatchFile(agentId: IdInput, batch: ActionBatch): ActionBatchFile {
  return { format: ACTION_BATCH_FORMAT, agentId: parseId(agentId, "agentId").toString(), root: batch.root, records: batch.records };
}

/** Reads a batch file back, rebuilding its tree and refusing one whose records do not make its root. */
export function loadActionBatch(value: unknown): { agentId: bigint; batch: ActionBatch } {
  const file = value as Partial<ActionBatchFile> | null;
  if (file === null || typeof file !== "object" || file.format !== ACTION_BATCH_FORMAT) {
    throw new InvalidInputError("batch", `not an action batch file: expected "format": "${ACTION_BATCH_FORMAT}" (written by pedigree agent anchor)`);
  }
  const agentId = parseId(file.agentId as IdInput, "batch.agentId");
  const root = parseBytes32(file.root, "batch.root", { nonZero: true }).toLowerCase();
  const batch = actionBatch(file.records as unknown[]);
  if (batch.root !== root) {
    throw new InvalidInputError("batch.root", `the records rebuild to root ${batch.root}, not the recorded ${root}; the batch file is corrupt or was edited`);
  }
  return { agentId, batch };
}

/**
 * The proof that the action `actionId` is in the batch anchored for `agentId`.
 *
 * @example
 * const file = actionProof(agentId, batch, "a-42"); // write it as JSON, hand it to an auditor
 */
export function actionProof(agentId: IdInput, batch: ActionBatch, actionId: string): ActionProofFile {
  const index = batch.records.findIndex((record) => record.actionId === actionId);
  if (index < 0) throw new InvalidInputError("actionId", `action ${JSON.stringify(actionId)} is not in this batch; check the id, or use the batch that holds it`);
  const record = batch.records[index]!;
  return {
    format: ACTION_PROOF_FORMAT,
    agentId: parseId(agentId, "agentId").toString(),
    root: batch.root,
    record,
    recordHash: actionRecordHash(record),
    proof: batch.tree.proofAt(index),
  };
}

/** The checked content of an action proof file: the record hash is recomputed, never taken from the file. */
export interface ActionProof {
  agentId: bigint;
  root: string;
  record: ActionRecord;
  recordHash: string;
  proof: string[];
}

/**
 * Reads an action proof file (`pedigree agent prove`'s output), recomputing the record hash; a file whose stated hash
 * differs from its record is refused, naming both.
 */
export function parseActionProof(value: unknown): ActionProof {
  const file = value as Partial<ActionProofFile> | null;
  if (file === null || typeof file !== "object" || file.format !== ACTION_PROOF_FORMAT) {
    throw new InvalidInputError("record", `not an action proof file: expected "format": "${ACTION_PROOF_FORMAT}" (written by pedigree agent prove)`);
  }
  const agentId = parseId(file.agentId as IdInput, "agentId");
  const root = parseBytes32(file.root, "root", { nonZero: true }).toLowerCase();
  const record = parseActionRecord(file.record, "record");
  const recordHash = actionRecordHash(record);
  if (file.recordHash !== undefined && String(file.recordHash).toLowerCase() !== recordHash) {
    throw new InvalidInputError("recordHash", `the record hashes to ${recordHash}, not the stated ${String(file.recordHash)}; the record was edited`);
  }
  if (!Array.isArray(file.proof)) throw new InvalidInputError("proof", "proof must be an array of 32-byte hashes");
  const proof = file.proof.map((node, index) => parseBytes32(node, `proof[${index}]`).toLowerCase());
  return { agentId, root, record, recordHash, proof };
}
