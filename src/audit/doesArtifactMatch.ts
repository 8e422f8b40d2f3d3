/**
 * "Are these the weights / the data that were registered?" — fingerprint local files with src/sdk/fingerprint.ts and
 * compare with the indexed record: weightsHash and manifestRoot of a model version, fingerprint and manifestRoot of a
 * dataset version. Given the published manifest, also name the files that differ.
 */
import { readFile } from "node:fs/promises";
import { computeFingerprint, fingerprint, type FingerprintOptions, type Manifest, type ManifestEntry } from "../core/fingerprint.ts";
import { describeClaim, fetchClaims, type DigestClaims } from "./claims.ts";
import type { AuditClient } from "./client.ts";
import { InvalidAuditInputError } from "./errors.ts";
import { META, asOfOf, notFound, pinned, toId, type IdInput, type RawMeta, type Ref } from "./shared.ts";
import { ZERO_HASH, type AsOf } from "./types.ts";

/** The record to compare with. */
export type ArtifactSubject = { modelVersionId: IdInput } | { datasetVersionId: IdInput };

/** Options of {@link doesArtifactMatch}. */
export interface DoesArtifactMatchOptions {
  /**
   * The published manifest (object or path to its JSON file): files are compared entry by entry, and its shard size
   * is used for the local fingerprint.
   */
  manifest?: Manifest | string;
  /** Passed to fingerprint() (shardSize, concurrency, onProgress, symlinks, filter, signal). */
  fingerprint?: FingerprintOptions;
}

/** A file that differs from the manifest. */
export interface FileDifference {
  path: string;
  /** "modified": same path, other size or digest; "missing": in the manifest, not here; "added": here, not in it. */
  change: "modified" | "missing" | "added";
  expected: { size: number; digest: string } | null;
  actual: { size: number; digest: string } | null;
}

/** The answer of {@link doesArtifactMatch}. */
export interface DoesArtifactMatchResult {
  asOf: AsOf;
  path: string;
  subject: { type: "model-version" | "dataset-version"; id: string; uri: string };
  /** What the registry recorded: `fingerprint` is the weightsHash of a model version. */
  recorded: { fingerprint: string; manifestRoot: string };
  local: { fingerprint: string; manifestRoot: string; fileCount: number; totalBytes: number; shardSize: number };
  fingerprintMatches: boolean;
  /** Null when no manifestRoot was recorded (zero). */
  manifestRootMatches: boolean | null;
  /** The files are the registered ones: the fingerprint matches and the manifest root does not contradict. */
  matches: boolean;
  /** With a manifest: whether it is the recorded one (its root), and the files that differ from it; else null. */
  manifest: { rootMatchesRecord: boolean; differences: FileDifference[] } | null;
  /**
   * Every registered claim of the local files' fingerprint (weights hash for a model), in chain order: which versions,
   * of which accounts, hold exactly these files — the subject version among them when they match.
   */
  claims: DigestClaims;
  /** One line for a report. */
  summary: string;
}

async function loadManifest(manifest: Manifest | string): Promise<Manifest> {
  let value: unknown = manifest;
  if (typeof manifest === "string") {
    try {
      value = JSON.parse(await readFile(manifest, "utf8"));
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new InvalidAuditInputError("manifest", code ? `cannot read the manifest ${manifest} (${code}); check the path` : `the manifest ${manifest} is not JSON; give the manifest fingerprint() produced`);
    }
  }
  const m = value as Manifest;
  if (!m || m.format !== "pedigree-manifest-v1" || !Array.isArray(m.entries) || !Number.isSafeInteger(m.shardSize)) {
    throw new InvalidAuditInputError("manifest", "the manifest is not a fingerprint manifest (format pedigree-manifest-v1); give the manifest fingerprint() produced");
  }
  return m;
}

/** Differences between the expected manifest and the local one, sorted by path. */
export function diffManifests(expected: readonly ManifestEntry[], actual: readonly ManifestEntry[]): FileDifference[] {
  const want = new Map(expected.map((e) => [e.path, e]));
  const have = new Map(actual.map((e) => [e.path, e]));
  const differences: FileDifference[] = [];
  const pick = (e: ManifestEntry) => ({ size: e.size, digest: e.digest.toLowerCase() });
  for (const [path, e] of want) {
    const a = have.get(path);
    if (!a) differences.push({ path, change: "missing", expected: pick(e), actual: null });
    else if (a.size !== e.size || a.digest.toLowerCase() !== e.digest.toLowerCase()) {
      differences.push({ path, change: "modified", expected: pick(e), actual: pick(a) });
    }
  }
  for (const [path, a] of have) if (!want.has(path)) differences.push({ path, change: "added", expected: null, actual: pick(a) });
  return differences.sort((x, y) => Buffer.compare(Buffer.from(x.path), Buffer.from(y.path)));
}

/**
 * Fingerprints a local file or directory and compares it with a registered model version (weightsHash, manifestRoot)
 * or dataset version (fingerprint, manifestRoot). With the published manifest, names the files that differ. Lists
 * every claim of the local fingerprint, so that a competing claim of the same files is seen. Two GraphQL round trips
 * (the record first, so an unknown id fails before any hashing; the claims after it).
 *
 * @example
 * const check = await doesArtifactMatch(client, "./weights/triage-v1", { modelVersionId: 1n }, { manifest: "./weights/manifest.json" });
 * check.matches;                              // false
 * check.manifest?.differences;                // [{ path: "model-00002.safetensors", change: "modified", … }]
 * @throws NotInSubgraphError for an unknown version; the fingerprint errors of src/sdk/fingerprint.ts (PathNotFoundError,
 *   …) for unreadable files; InvalidAuditInputError for a malformed manifest.
 */
export async function doesArtifactMatch(
  client: AuditClient,
  path: string,
  subject: ArtifactSubject,
  options: DoesArtifactMatchOptions = {},
): Promise<DoesArtifactMatchResult> {
  if (typeof path !== "string" || path.length === 0) throw new InvalidAuditInputError("path", "path is required; give the file or directory to check");
  if (subject === null || typeof subject !== "object" || (!("modelVersionId" in subject) && !("datasetVersionId" in subject))) {
    throw new InvalidAuditInputError("subject", "give { modelVersionId } or { datasetVersionId }");
  }
  const isModel = "modelVersionId" in subject;
  const id = isModel ? toId(subject.modelVersionId, "modelVersionId") : toId(subject.datasetVersionId, "datasetVersionId");
  const query = isModel
    ? `query ArtifactRecord($id: ID!) { record: modelVersion(id: $id) { id fingerprint: weightsHash manifestRoot uri } ${META} }`
    : `query ArtifactRecord($id: ID!) { record: datasetVersion(id: $id) { id fingerprint manifestRoot uri } ${META} }`;
  const manifest = options.manifest === undefined ? undefined : await loadManifest(options.manifest);

  const data = await client.request<{ record: (Ref & { fingerprint: string; manifestRoot: string; uri: string }) | null; _meta: RawMeta }>(query, { id });
  if (!data.record) throw notFound(client, isModel ? "model version" : "dataset version", id);
  const record = data.record;

  const local = await fingerprint(path, { ...options.fingerprint, ...(manifest ? { shardSize: manifest.shardSize } : {}) });
  const fingerprintMatches = local.fingerprint === record.fingerprint;
  const manifestRootMatches = record.manifestRoot === ZERO_HASH ? null : local.root === record.manifestRoot;
  const matches = fingerprintMatches && manifestRootMatches !== false;

  let manifestCheck: DoesArtifactMatchResult["manifest"] = null;
  if (manifest) {
    let rootMatchesRecord = false;
    try {
      rootMatchesRecord = computeFingerprint(manifest).root === record.manifestRoot;
    } catch {
      rootMatchesRecord = false;
    }
    manifestCheck = { rootMatchesRecord, differences: diffManifests(manifest.entries, local.manifest.entries) };
  }

  const asOf = asOfOf(data._meta);
  const kind = isModel ? "model-weights" : "dataset-fingerprint";
  const { claims } = await fetchClaims(pinned(client, asOf), kind, local.fingerprint);
  const others = claims.claims.filter((c) => c.versionId !== id);
  const alsoClaimed = others.length > 0 ? `; the same files are also claimed by ${others.map((c) => describeClaim(kind, c)).join(", ")}` : "";

  const label = `${isModel ? "model" : "dataset"} version ${id}`;
  let summary: string;
  if (matches) {
    summary = `${path} matches ${label}: ${isModel ? "weightsHash" : "fingerprint"} ${record.fingerprint}${manifestRootMatches ? ` and manifestRoot ${record.manifestRoot}` : ""}`;
  } else if (manifestCheck && manifestCheck.differences.length > 0) {
    const named = manifestCheck.differences.slice(0, 5).map((d) => `${d.path} (${d.change})`).join(", ");
    const more = manifestCheck.differences.length > 5 ? ` and ${manifestCheck.differences.length - 5} more` : "";
    summary = `${path} differs from ${label}: ${named}${more}${manifestCheck.rootMatchesRecord ? "" : " (compared with a manifest that is not the recorded one)"}`;
  } else {
    summary = `${path} differs from ${label}: fingerprint ${local.fingerprint}, recorded ${record.fingerprint}${manifest ? "" : "; pass the published manifest to see which files differ"}`;
  }
  summary += alsoClaimed;

  return {
    asOf,
    path,
    subject: { type: isModel ? "model-version" : "dataset-version", id, uri: record.uri },
    recorded: { fingerprint: record.fingerprint, manifestRoot: record.manifestRoot },
    local: { fingerprint: local.fingerprint, manifestRoot: local.root, fileCount: local.fileCount, totalBytes: local.totalBytes, shardSize: local.manifest.shardSize },
    fingerprintMatches,
    manifestRootMatches,
    matches,
    manifest: manifestCheck,
    claims,
    summary,
  };
}
