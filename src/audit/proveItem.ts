/**
 * "Was this file in that dataset version?" — a Merkle membership proof of a manifest entry against the manifestRoot
 * recorded for a dataset version, or, for an entry that is absent, the honest account of what can be shown.
 *
 * What the proof rests on: the recorded manifestRoot is the StandardMerkleTree root of the version's manifest leaves
 * (path, size, SHA-256 digest), see src/sdk/fingerprint.ts.
 * - "in": the entry's leaf plus its sibling hashes rebuild the recorded root — a compact proof anyone can check
 *   (off-chain with verifyItem, on-chain with OpenZeppelin's MerkleProof.verify) without the rest of the manifest.
 * - "not in": Merkle trees have no compact proof of absence. What can be shown is that the manifest you hold builds
 *   to exactly the recorded root and does not list the entry; since the root commits to one set of leaves (barring a
 *   keccak256 collision), the version did not contain it. That argument needs the whole manifest.
 * - A manifest that builds to another root is not that version's manifest: nothing can be shown from it.
 */
import {
  computeFingerprint,
  manifestTree,
  proveItem as proveManifestItem,
  verifyItem,
  type Manifest,
  type ManifestEntry,
} from "../core/fingerprint.ts";
import { claimsFromContent, claimsSelection, type DigestClaims, type RawContent } from "./claims.ts";
import type { AuditClient } from "./client.ts";
import { InvalidAuditInputError } from "./errors.ts";
import { META, asOfOf, notFound, toBytes32, toId, type IdInput, type RawMeta, type Ref } from "./shared.ts";
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

const QUERY = `query ProveItem($id: ID!, $fingerprint: ID!) {
  datasetVersion(id: $id) { id number dataset { id } manifestRoot fingerprint uri }
  content(id: $fingerprint) { ${claimsSelection("dataset-fingerprint")} }
  ${META}
}`;

function toItem(item: ItemQuery): { path?: string; size?: number; digest?: string } {
  if (typeof item === "string") {
    if (item.length === 0) throw new InvalidAuditInputError("item", "item is empty; give a path relative to the dataset's root");
    return { path: item };
  }
  if (item === null || typeof item !== "object" || (item.path === undefined && item.digest === undefined)) {
    throw new InvalidAuditInputError("item", "item must be a path, or { path?, size?, digest? } with a path or a digest");
  }
  return {
    path: item.path,
    size: item.size,
    digest: item.digest === undefined ? undefined : toBytes32(item.digest, "item.digest"),
  };
}

function describeItem(q: { path?: string; size?: number; digest?: string }): string {
  const parts = [q.path !== undefined ? JSON.stringify(q.path) : undefined, q.size !== undefined ? `${q.size} bytes` : undefined, q.digest !== undefined ? `sha256 ${q.digest}` : undefined];
  return parts.filter(Boolean).join(", ");
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
 * @throws NotInSubgraphError for an unknown dataset version; InvalidAuditInputError for a malformed manifest or item.
 */
export async function proveItem(client: AuditClient, parameters: ProveItemParameters): Promise<ProveItemResult> {
  if (parameters === null || typeof parameters !== "object") {
    throw new InvalidAuditInputError("parameters", "give { datasetVersionId, manifest, item }");
  }
  const id = toId(parameters.datasetVersionId, "datasetVersionId");
  const manifest = parameters.manifest;
  if (!manifest || manifest.format !== "pedigree-manifest-v1" || !Array.isArray(manifest.entries) || manifest.entries.length === 0) {
    throw new InvalidAuditInputError("manifest", "manifest must be a fingerprint manifest (format pedigree-manifest-v1) with at least one entry");
  }
  const query = toItem(parameters.item);

  let computed: ReturnType<typeof computeFingerprint>;
  try {
    computed = computeFingerprint(manifest);
  } catch (error) {
    throw new InvalidAuditInputError("manifest", `the manifest cannot be hashed (${(error as Error).message}); give the manifest fingerprint() produced`);
  }

  const data = await client.request<{
    datasetVersion: { id: string; number: number; dataset: Ref; manifestRoot: string; fingerprint: string; uri: string } | null;
    content: RawContent | null;
    _meta: RawMeta;
  }>(QUERY, { id, fingerprint: computed.fingerprint });
  const dv = data.datasetVersion;
  if (!dv) throw notFound(client, "dataset version", id);

  const rootMatches = computed.root === dv.manifestRoot;
  const asOf = asOfOf(data._meta);
  const base = {
    asOf,
    claims: claimsFromContent("dataset-fingerprint", computed.fingerprint, data.content, asOf.timestamp),
    datasetVersion: { id: dv.id, datasetId: dv.dataset.id, number: dv.number, manifestRoot: dv.manifestRoot, fingerprint: dv.fingerprint, uri: dv.uri },
    manifest: {
      root: computed.root,
      fingerprint: computed.fingerprint,
      fileCount: computed.fileCount,
      totalBytes: computed.totalBytes,
      rootMatches,
      fingerprintMatches: computed.fingerprint === dv.fingerprint,
    },
  };
  const label = `dataset version ${dv.id}`;
  // Other accounts' claims of the same data are stated, never hidden behind the asked version.
  const withClaims = (answer: ProveItemResult): ProveItemResult =>
    answer.claims.competing ? { ...answer, statement: `${answer.statement} ${answer.claims.statement}` } : answer;
  const what = describeItem(query);

  const matches = (e: ManifestEntry) =>
    (query.path === undefined || e.path === query.path) &&
    (query.size === undefined || e.size === query.size) &&
    (query.digest === undefined || e.digest.toLowerCase() === query.digest);
  const entry = manifest.entries.find(matches) ?? null;
  const similar = entry ? null : (manifest.entries.find((e) => (query.path !== undefined && e.path === query.path) || (query.digest !== undefined && e.digest.toLowerCase() === query.digest)) ?? null);

  if (dv.manifestRoot === ZERO_HASH) {
    return withClaims({
      ...base,
      verdict: "unknown",
      entry: entry ?? similar,
      leaf: null,
      proof: null,
      proofValid: null,
      statement: `${label} was published without a manifestRoot, so nothing about its files can be proven from the chain.`,
    });
  }
  if (!rootMatches) {
    return withClaims({
      ...base,
      verdict: "unknown",
      entry: entry ?? similar,
      leaf: null,
      proof: null,
      proofValid: null,
      statement: `The given manifest builds to root ${computed.root}, not to the manifestRoot ${dv.manifestRoot} recorded for ${label}; it is not that version's manifest, so it shows nothing about the version's files.`,
    });
  }
  if (entry) {
    const { leaf, proof } = proveManifestItem(manifestTree(manifest), entry.path);
    const valid = verifyItem(dv.manifestRoot, entry, proof);
    return withClaims({
      ...base,
      verdict: valid ? "included" : "unknown",
      entry,
      leaf,
      proof,
      proofValid: valid,
      statement: valid
        ? `${JSON.stringify(entry.path)} (${entry.size} bytes, sha256 ${entry.digest}) is in ${label}: its leaf and ${proof.length} sibling hashes rebuild the recorded manifestRoot ${dv.manifestRoot} (MerkleProof.verify holds on-chain too).`
        : `The proof of ${JSON.stringify(entry.path)} does not rebuild the recorded manifestRoot; the manifest is inconsistent.`,
    });
  }
  const other = similar
    ? ` The manifest lists ${JSON.stringify(similar.path)} with ${similar.size} bytes and sha256 ${similar.digest} instead: the version holds other content there.`
    : "";
  return withClaims({
    ...base,
    verdict: "not-included",
    entry: similar,
    leaf: null,
    proof: null,
    proofValid: null,
    statement: `No entry matching ${what} is in the given manifest, which builds to exactly the manifestRoot recorded for ${label}; as the root commits to that one set of entries (barring a keccak256 collision), the version did not contain it. This rests on the whole manifest: Merkle trees have no compact proof of absence.${other}`,
  });
}
