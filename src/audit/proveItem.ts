/**
 * "Was this file in that dataset version?" — a Merkle membership proof of a manifest entry against the manifestRoot
 * recorded for a dataset version, or, for an entry that is absent, the honest account of what can be shown.
 *
 * What the proof rests on: the recorded manifestRoot is the StandardMerkleTree root of the version's manifest leaves
 * (path, size, SHA-256 digest), see src/core/fingerprint.ts.
 * - "in": the entry's leaf plus its sibling hashes rebuild the recorded root — a compact proof anyone can check
 *   (off-chain with verifyItem, on-chain with OpenZeppelin's MerkleProof.verify) without the rest of the manifest.
 * - "not in": Merkle trees have no compact proof of absence. What can be shown is that the manifest you hold builds
 *   to exactly the recorded root and does not list the entry; since the root commits to one set of leaves (barring a
 *   keccak256 collision), the version did not contain it. That argument needs the whole manifest.
 * - A manifest that builds to another root is not that version's manifest: nothing can be shown from it.
 */
import { InvalidInputError } from "../core/errors.ts";
import {
  computeFingerprint,
  manifestTree,
  proveItem as proveManifestItem,
  verifyItem,
  type Manifest,
  type ManifestEntry,
} from "../core/fingerprint.ts";
import { claimsFromContent, type DigestClaims } from "./claims.ts";
import type { AuditClient } from "./client.ts";
import { ProveItemDocument, type ProveItemQuery } from "./generated/graphql.ts";
import { asOfOf, notFound, toBytes32, toId, type IdInput } from "./shared.ts";
import { ZERO_HASH, type AsOf } from "./types.ts";

/** The item to prove: a path, a digest, or a full entry (path, size, digest must all match). */
export type ItemQuery = string | { path: string; size?: number; digest?: string } | { digest: string; path?: string; size?: number };

/** Parameters of {@link proveItem}. */
export interface ProveItemParameters {
  datasetVersionId: IdInput;
  /** The version's fingerprint manifest (as {@link fingerprint} produced it and the publisher shipped it). */
  manifest: Manifest;
  /** A path ("train/0001.parquet"), or `{ path?, size?, digest? }` with at least a path or a digest. */
  item: ItemQuery;
}

/** The answer of {@link proveItem}. */
export interface ProveItemResult {
  asOf: AsOf;
  datasetVersion: { id: string; datasetId: string; number: number; manifestRoot: string; fingerprint: string; uri: string };
  /** The given manifest: its root and fingerprint, and whether they are the recorded ones. */
  manifest: { root: string; fingerprint: string; fileCount: number; totalBytes: number; rootMatches: boolean; fingerprintMatches: boolean };
  /** "included": proven by a Merkle proof; "not-included": absent from a manifest whose root matches; "unknown". */
  verdict: "included" | "not-included" | "unknown";
  /** The manifest entry found (for "not-included", an entry with the same path or digest but other content, if any). */
  entry: ManifestEntry | null;
  /** The entry's manifest leaf and its proof against the recorded root (verdict "included"). */
  leaf: string | null;
  proof: string[] | null;
  /** The proof checked against the recorded root. */
  proofValid: boolean | null;
  /** What was shown and on what it rests, in one or two sentences. */
  statement: string;
  /**
   * Every registered claim of the manifest's fingerprint, in chain order: the versions, of any account, that hold
   * exactly this data (the asked version among them when the manifest is its own).
   */
  claims: DigestClaims;
}

/** The item as matched against manifest entries: every given part must match. */
type ItemMatch = { path?: string; size?: number; digest?: string };

/** The dataset version as recorded in the subgraph. */
type RecordedVersion = NonNullable<ProveItemQuery["datasetVersion"]>;

/** The manifest's root, fingerprint and totals, as {@link computeFingerprint} builds them. */
type ComputedManifest = ReturnType<typeof computeFingerprint>;

/** What the proof shows about the item. */
type Verdict = Pick<ProveItemResult, "verdict" | "entry" | "leaf" | "proof" | "proofValid" | "statement">;

function toItem(item: ItemQuery): ItemMatch {
  if (typeof item === "string") {
    if (item.length === 0) throw new InvalidInputError("item", "item is empty; give a path relative to the dataset's root");
    return { path: item };
  }
  if (item === null || typeof item !== "object" || (item.path === undefined && item.digest === undefined)) {
    throw new InvalidInputError("item", "item must be a path, or { path?, size?, digest? } with a path or a digest");
  }
  return {
    path: item.path,
    size: item.size,
    digest: item.digest === undefined ? undefined : toBytes32(item.digest, "item.digest"),
  };
}

function describeItem(q: ItemMatch): string {
  const parts = [q.path !== undefined ? JSON.stringify(q.path) : undefined, q.size !== undefined ? `${q.size} bytes` : undefined, q.digest !== undefined ? `sha256 ${q.digest}` : undefined];
  return parts.filter(Boolean).join(", ");
}

/** The manifest, checked and hashed, or an error saying what to give instead. */
function hashedManifest(manifest: Manifest): ComputedManifest {
  if (!manifest || manifest.format !== "pedigree-manifest-v1" || !Array.isArray(manifest.entries) || manifest.entries.length === 0) {
    throw new InvalidInputError("manifest", "manifest must be a fingerprint manifest (format pedigree-manifest-v1) with at least one entry");
  }
  try {
    return computeFingerprint(manifest);
  } catch (error) {
    throw new InvalidInputError("manifest", `the manifest cannot be hashed (${(error as Error).message}); give the manifest fingerprint() produced`);
  }
}

/** The entry matching every given part of the item; else an entry with the same path or digest but other content. */
function entriesFor(manifest: Manifest, item: ItemMatch): { entry: ManifestEntry | null; similar: ManifestEntry | null } {
  const matches = (e: ManifestEntry) =>
    (item.path === undefined || e.path === item.path) &&
    (item.size === undefined || e.size === item.size) &&
    (item.digest === undefined || e.digest.toLowerCase() === item.digest);
  const entry = manifest.entries.find(matches) ?? null;
  const samePathOrDigest = (e: ManifestEntry) =>
    (item.path !== undefined && e.path === item.path) || (item.digest !== undefined && e.digest.toLowerCase() === item.digest);
  return { entry, similar: entry ? null : (manifest.entries.find(samePathOrDigest) ?? null) };
}

const unknown = (entry: ManifestEntry | null, statement: string): Verdict => ({
  verdict: "unknown",
  entry,
  leaf: null,
  proof: null,
  proofValid: null,
  statement,
});

/** The Merkle proof of an entry of a manifest whose root is the recorded one. */
function included(dv: RecordedVersion, manifest: Manifest, entry: ManifestEntry): Verdict {
  const { leaf, proof } = proveManifestItem(manifestTree(manifest), entry.path);
  const valid = verifyItem(dv.manifestRoot, entry, proof);
  return {
    verdict: valid ? "included" : "unknown",
    entry,
    leaf,
    proof,
    proofValid: valid,
    statement: valid
      ? `${JSON.stringify(entry.path)} (${entry.size} bytes, sha256 ${entry.digest}) is in dataset version ${dv.id}: its leaf and ${proof.length} sibling hashes rebuild the recorded manifestRoot ${dv.manifestRoot} (MerkleProof.verify holds on-chain too).`
      : `The proof of ${JSON.stringify(entry.path)} does not rebuild the recorded manifestRoot; the manifest is inconsistent.`,
  };
}

/** What the manifest shows about the item against the version's recorded manifestRoot. */
function verdictOf(dv: RecordedVersion, manifest: Manifest, computed: ComputedManifest, item: ItemMatch): Verdict {
  const label = `dataset version ${dv.id}`;
  const { entry, similar } = entriesFor(manifest, item);
  if (dv.manifestRoot === ZERO_HASH) {
    return unknown(entry ?? similar, `${label} was published without a manifestRoot, so nothing about its files can be proven from the chain.`);
  }
  if (computed.root !== dv.manifestRoot) {
    return unknown(
      entry ?? similar,
      `The given manifest builds to root ${computed.root}, not to the manifestRoot ${dv.manifestRoot} recorded for ${label}; it is not that version's manifest, so it shows nothing about the version's files.`,
    );
  }
  if (entry) return included(dv, manifest, entry);
  const other = similar
    ? ` The manifest lists ${JSON.stringify(similar.path)} with ${similar.size} bytes and sha256 ${similar.digest} instead: the version holds other content there.`
    : "";
  return {
    verdict: "not-included",
    entry: similar,
    leaf: null,
    proof: null,
    proofValid: null,
    statement: `No entry matching ${describeItem(item)} is in the given manifest, which builds to exactly the manifestRoot recorded for ${label}; as the root commits to that one set of entries (barring a keccak256 collision), the version did not contain it. This rests on the whole manifest: Merkle trees have no compact proof of absence.${other}`,
  };
}

/**
 * Proves that an item (a file entry) was — or was not — in a dataset version's manifest, against the manifestRoot the
 * subgraph recorded for that version. One GraphQL round trip; hashing is local.
 *
 * @example
 * const manifest = JSON.parse(await readFile("manifest.json", "utf8"));
 * const answer = await proveItem(client, { datasetVersionId: 7n, manifest, item: "train/0001.parquet" });
 * answer.verdict;   // "included"
 * answer.proof;     // ["0x…", …]: MerkleProof.verify(proof, manifestRoot, leaf) is true on-chain too
 * @throws NotInSubgraphError for an unknown dataset version; InvalidInputError for a malformed manifest or item.
 */
export async function proveItem(client: AuditClient, parameters: ProveItemParameters): Promise<ProveItemResult> {
  if (parameters === null || typeof parameters !== "object") {
    throw new InvalidInputError("parameters", "give { datasetVersionId, manifest, item }");
  }
  const id = toId(parameters.datasetVersionId, "datasetVersionId");
  const manifest = parameters.manifest;
  const computed = hashedManifest(manifest);
  const item = toItem(parameters.item);

  const data = await client.request(ProveItemDocument, { id, fingerprint: computed.fingerprint });
  const dv = data.datasetVersion;
  if (!dv) throw notFound(client, "dataset version", id);
  const asOf = asOfOf(client, data._meta);
  const claims = claimsFromContent("dataset-fingerprint", computed.fingerprint, data.content, asOf.timestamp);
  const verdict = verdictOf(dv, manifest, computed, item);
  return {
    asOf,
    claims,
    datasetVersion: { id: dv.id, datasetId: dv.dataset.id, number: dv.number, manifestRoot: dv.manifestRoot, fingerprint: dv.fingerprint, uri: dv.uri },
    manifest: {
      root: computed.root,
      fingerprint: computed.fingerprint,
      fileCount: computed.fileCount,
      totalBytes: computed.totalBytes,
      rootMatches: computed.root === dv.manifestRoot,
      fingerprintMatches: computed.fingerprint === dv.fingerprint,
    },
    ...verdict,
    // Other accounts' claims of the same data are stated, never hidden behind the asked version.
    statement: claims.competing ? `${verdict.statement} ${claims.statement}` : verdict.statement,
  };
}
