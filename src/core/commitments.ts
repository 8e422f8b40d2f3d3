/**
 * Salted field-level commitments and selective disclosure. A record's metadata (a datasheet's fields: source,
 * collection method, consent basis, …) is committed field by field: each field gets its own 32-byte random salt, and
 * the leaves (name, salt, value) make an OpenZeppelin StandardMerkleTree whose root goes on chain where a plain
 * metadata hash would. Nothing guessable reaches the chain: a low-entropy value ("yes", a country) hides behind its
 * salt, and equal values under different salts commit differently.
 *
 * The owner keeps the secrets file (every value and salt). To show an auditor some fields, the owner hands over a
 * disclosure package: those fields' values, salts and Merkle proofs, and the root; the other fields stay hidden (the
 * auditor learns only how many there are). The package verifies against the root recorded on chain.
 *
 * Leaves are `StandardMerkleTree.of([[name, salt, value], …], ["string", "bytes32", "string"])` leaves, so any
 * OpenZeppelin tooling (or `MerkleProof.verify` on chain) checks a disclosed field.
 */
import { randomBytes } from "node:crypto";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { InvalidInputError, PedigreeError } from "./errors.ts";
import { parseBytes32 } from "./hex.ts";

const LEAF_TYPES = ["string", "bytes32", "string"];
export const COMMITMENT_SECRETS_FORMAT = "pedigree-commitment-secrets-v1";
export const DISCLOSURE_FORMAT = "pedigree-disclosure-v1";
/** Longest field name and value accepted (UTF-8 bytes): values are metadata, documents are committed by their hash. */
export const MAX_FIELD_NAME = 64;
export const MAX_FIELD_VALUE = 4096;

/** One committed field: its value and the salt that hides it. */
export interface CommittedField {
  name: string;
  value: string;
  salt: string;
}

/** What the owner keeps: every field with its salt, and the root on chain. Never published. */
export interface CommitmentSecrets {
  format: typeof COMMITMENT_SECRETS_FORMAT;
  root: string;
  fields: CommittedField[];
}

/** What a record's subject is, so that a package names the record it opens. */
export interface DisclosureSubject {
  /** e.g. "dataset-version". */
  type: string;
  id: string;
}

/** What an auditor receives: some fields, each with its salt and proof, the root, and the record it belongs to. */
export interface DisclosurePackage {
  format: typeof DISCLOSURE_FORMAT;
  subject: DisclosureSubject;
  root: string;
  /** How many fields the record commits, disclosed or not. */
  fieldCount: number;
  fields: (CommittedField & { proof: string[] })[];
}

/** Thrown when a disclosed field does not open the commitment: a wrong salt, a changed value, a proof of another root. */
export class DisclosureMismatchError extends PedigreeError {
  override name = "DisclosureMismatchError";
  readonly fields: string[];
  constructor(fields: string[], root: string) {
    super(`field${fields.length > 1 ? "s" : ""} ${fields.map((f) => JSON.stringify(f)).join(", ")} do${fields.length > 1 ? "" : "es"} not open commitment ${root}: a wrong salt, a changed value, or a proof for another record`, {
      code: "DISCLOSURE_MISMATCH",
      hint: "Ask the owner for the package written from the secrets of this record.",
    });
    this.fields = fields;
  }
}

function checkField(name: unknown, value: unknown, where: string): void {
  if (typeof name !== "string" || name.trim() === "" || Buffer.byteLength(name) > MAX_FIELD_NAME) {
    throw new InvalidInputError(`${where}.name`, `${where}.name must be a non-empty string of at most ${MAX_FIELD_NAME} bytes, got ${JSON.stringify(name)}`);
  }
  if (typeof value !== "string" || Buffer.byteLength(value) > MAX_FIELD_VALUE) {
    throw new InvalidInputError(`${where}.value`, `field ${JSON.stringify(name)} must be a string of at most ${MAX_FIELD_VALUE} bytes; commit a document by its hash`);
  }
}

function treeOf(fields: readonly CommittedField[]): StandardMerkleTree<string[]> {
  return StandardMerkleTree.of(
    fields.map((f) => [f.name, f.salt, f.value]),
    LEAF_TYPES,
  );
}

/**
 * Commits the fields of a record (an object of strings), each under a fresh 32-byte salt.
 *
 * @example
 * const secrets = commitFields({ source: "St Mary's EHR export", consentBasis: "Art. 9(2)(a)", piiPresent: "yes" });
 * // put secrets.root where the metadata hash goes; keep the secrets file
 */
export function commitFields(fields: Record<string, unknown>): CommitmentSecrets {
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) {
    throw new InvalidInputError("fields", "the private fields must be a JSON object of names to string values");
  }
  const entries = Object.entries(fields);
  if (entries.length === 0) throw new InvalidInputError("fields", "commit at least one field");
  const committed = entries.map(([name, value]) => {
    checkField(name, value, `fields.${name}`);
    return { name, value: value as string, salt: `0x${randomBytes(32).toString("hex")}` };
  });
  return { format: COMMITMENT_SECRETS_FORMAT, root: treeOf(committed).root, fields: committed };
}

/** Reads a secrets file back, refusing one whose fields do not make its root. */
export function loadSecrets(value: unknown): CommitmentSecrets {
  const file = value as Partial<CommitmentSecrets> | null;
  if (file === null || typeof file !== "object" || file.format !== COMMITMENT_SECRETS_FORMAT || !Array.isArray(file.fields)) {
    throw new InvalidInputError("secrets", `not a secrets file: expected "format": "${COMMITMENT_SECRETS_FORMAT}" with its fields`);
  }
  const fields = file.fields.map((f, i) => {
    checkField(f?.name, f?.value, `secrets.fields[${i}]`);
    return { name: f.name, value: f.value, salt: parseBytes32(f.salt, `secrets.fields[${i}].salt`).toLowerCase() };
  });
  const root = treeOf(fields).root;
  if (root !== String(file.root).toLowerCase()) {
    throw new InvalidInputError("secrets.root", `the fields rebuild to root ${root}, not the recorded ${String(file.root)}; the secrets file is corrupt or was edited`);
  }
  return { format: COMMITMENT_SECRETS_FORMAT, root, fields };
}

/**
 * The package disclosing `names` of a committed record to an auditor; every other field stays hidden.
 *
 * @example
 * const pkg = disclose(secrets, ["consentBasis", "piiPresent"], { type: "dataset-version", id: "4" });
 */
export function disclose(secrets: CommitmentSecrets, names: readonly string[], subject: DisclosureSubject): DisclosurePackage {
  if (names.length === 0) throw new InvalidInputError("fields", "name at least one field to disclose");
  const tree = treeOf(secrets.fields);
  const fields = names.map((name) => {
    const index = secrets.fields.findIndex((f) => f.name === name);
    if (index < 0) {
      throw new InvalidInputError("fields", `the record has no field ${JSON.stringify(name)}; its fields are ${secrets.fields.map((f) => f.name).join(", ")}`);
    }
    return { ...secrets.fields[index]!, proof: tree.getProof(index) };
  });
  return { format: DISCLOSURE_FORMAT, subject, root: tree.root, fieldCount: secrets.fields.length, fields };
}

/** Reads a disclosure package, checking its shape (not yet its proofs: see {@link verifyDisclosure}). */
export function parseDisclosure(value: unknown): DisclosurePackage {
  const pkg = value as Partial<DisclosurePackage> | null;
  if (pkg === null || typeof pkg !== "object" || pkg.format !== DISCLOSURE_FORMAT) {
    throw new InvalidInputError("package", `not a disclosure package: expected "format": "${DISCLOSURE_FORMAT}" (written by pedigree disclose)`);
  }
  if (!pkg.subject || typeof pkg.subject.type !== "string" || typeof pkg.subject.id !== "string") {
    throw new InvalidInputError("package.subject", "the package names no subject (type and id of the record it opens)");
  }
  if (!Array.isArray(pkg.fields) || pkg.fields.length === 0) throw new InvalidInputError("package.fields", "the package discloses no field");
  const fields = pkg.fields.map((f, i) => {
    checkField(f?.name, f?.value, `package.fields[${i}]`);
    if (!Array.isArray(f.proof)) throw new InvalidInputError(`package.fields[${i}].proof`, "each disclosed field needs its proof (an array of 32-byte hashes)");
    return {
      name: f.name,
      value: f.value,
      salt: parseBytes32(f.salt, `package.fields[${i}].salt`).toLowerCase(),
      proof: f.proof.map((node, j) => parseBytes32(node, `package.fields[${i}].proof[${j}]`).toLowerCase()),
    };
  });
  const root = parseBytes32(pkg.root, "package.root", { nonZero: true }).toLowerCase();
  return { format: DISCLOSURE_FORMAT, subject: pkg.subject, root, fieldCount: Number(pkg.fieldCount), fields };
}

/** Each disclosed field, and whether it opens `root` (its value, salt and proof lead to that root). */
export function openedFields(pkg: DisclosurePackage, root: string): { name: string; value: string; opens: boolean }[] {
  const expected = parseBytes32(root, "root").toLowerCase();
  return pkg.fields.map((f) => ({ name: f.name, value: f.value, opens: StandardMerkleTree.verify(expected, LEAF_TYPES, [f.name, f.salt, f.value], f.proof) }));
}

/**
 * Checks every disclosed field against `root` — the root recorded on chain for the subject, not the package's own —
 * and returns the disclosed values; throws {@link DisclosureMismatchError} naming every field that does not open it.
 */
export function verifyDisclosure(pkg: DisclosurePackage, root: string): Record<string, string> {
  const opened = openedFields(pkg, root);
  const failed = opened.filter((f) => !f.opens).map((f) => f.name);
  if (failed.length > 0) throw new DisclosureMismatchError(failed, root.toLowerCase());
  return Object.fromEntries(opened.map((f) => [f.name, f.value]));
}
