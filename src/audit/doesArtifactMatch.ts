/**
 * "Are these the weights / the data that were registered?" — fingerprint local files with src/core/fingerprint.ts and
 * compare with the indexed record: weightsHash and manifestRoot of a model version, fingerprint and manifestRoot of a
 * dataset version. Given the published manifest, also name the files that differ.
 */
import { InvalidInputError } from "../core/errors.ts";
import { readFile } from "node:fs/promises";
import { computeFingerprint, fingerprint, type FingerprintOptions, type Manifest, type ManifestEntry } from "../core/fingerprint.ts";
import { describeClaim, fetchClaims, type DigestClaims, type DigestKind } from "./claims.ts";
import type { AuditClient } from "./client.ts";
import { DatasetArtifactDocument, ModelArtifactDocument, type ModelArtifactQuery } from "./generated/graphql.ts";
import { asOfOf, notFound, pinned, toId, type IdInput } from "./shared.ts";
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
      throw new InvalidInputError("manifest", code ? `cannot read the manifest ${manifest} (${code}); check the path` : `the manifest ${manifest} is not JSON; give the manifest fingerprint() produced`);
    }
  }
  const m = value as Manifest;
  if (!m || m.format !== "pedigree-manifest-v1" || !Array.isArray(m.entries) || !Number.isSafeInteger(m.shardSize)) {
    throw new InvalidInputError("manifest", "the manifest is not a fingerprint manifest (format pedigree-manifest-v1); give the manifest fingerprint() produced");
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

/** The registry's record of a version: its fingerprint (a model version's weightsHash), manifestRoot and uri. */
type ArtifactRecord = NonNullable<ModelArtifactQuery["record"]>;

/** The version to compare with, checked. */
interface Subject {
  type: DoesArtifactMatchResult["subject"]["type"];
  kind: DigestKind;
  id: string;
  /** "model version 1". */
  label: string;
}

function subjectOf(subject: ArtifactSubject): Subject {
  if (subject === null || typeof subject !== "object" || (!("modelVersionId" in subject) && !("datasetVersionId" in subject))) {
    throw new InvalidInputError("subject", "give { modelVersionId } or { datasetVersionId }");
  }
  if ("modelVersionId" in subject) {
    const id = toId(subject.modelVersionId, "modelVersionId");
    return { type: "model-version", kind: "model-weights", id, label: `model version ${id}` };
  }
  const id = toId(subject.datasetVersionId, "datasetVersionId");
  return { type: "dataset-version", kind: "dataset-fingerprint", id, label: `dataset version ${id}` };
}

/** The subject's record, with the block of the answer. */
async function recordOf(client: AuditClient, subject: Subject): Promise<{ record: ArtifactRecord; asOf: AsOf }> {
  const isModel = subject.type === "model-version";
  const data = isModel
    ? await client.request(ModelArtifactDocument, { id: subject.id })
    : await client.request(DatasetArtifactDocument, { id: subject.id });
  if (!data.record) throw notFound(client, isModel ? "model version" : "dataset version", subject.id);
  return { record: data.record, asOf: asOfOf(client, data._meta) };
}

/** Whether the manifest is the recorded one (its root), and the local files that differ from it. */
function manifestCheckOf(manifest: Manifest, record: ArtifactRecord, local: readonly ManifestEntry[]): NonNullable<DoesArtifactMatchResult["manifest"]> {
  let rootMatchesRecord = false;
  try {
    rootMatchesRecord = computeFingerprint(manifest).root === record.manifestRoot;
  } catch {
    rootMatchesRecord = false;
  }
  return { rootMatchesRecord, differences: diffManifests(manifest.entries, local) };
}

/** One line: whether the files match, else which differ (up to five named), and who else claims the same files. */
function summaryOf(path: string, subject: Subject, answer: Omit<DoesArtifactMatchResult, "summary">, manifestGiven: boolean): string {
  const { recorded, manifest: check } = answer;
  let summary: string;
  if (answer.matches) {
    const root = answer.manifestRootMatches ? ` and manifestRoot ${recorded.manifestRoot}` : "";
    summary = `${path} matches ${subject.label}: ${subject.type === "model-version" ? "weightsHash" : "fingerprint"} ${recorded.fingerprint}${root}`;
  } else if (check && check.differences.length > 0) {
    const named = check.differences.slice(0, 5).map((d) => `${d.path} (${d.change})`).join(", ");
    const more = check.differences.length > 5 ? ` and ${check.differences.length - 5} more` : "";
    summary = `${path} differs from ${subject.label}: ${named}${more}${check.rootMatchesRecord ? "" : " (compared with a manifest that is not the recorded one)"}`;
  } else {
    const hint = manifestGiven ? "" : "; pass the published manifest to see which files differ";
    summary = `${path} differs from ${subject.label}: fingerprint ${answer.local.fingerprint}, recorded ${recorded.fingerprint}${hint}`;
  }
  const others = answer.claims.claims.filter((c) => c.versionId !== subject.id);
  return others.length > 0 ? `${summary}; the same files are also claimed by ${others.map((c) => describeClaim(subject.kind, c)).join(", ")}` : summary;
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
 * @throws NotInSubgraphError for an unknown version; the fingerprint errors of src/core/fingerprint.ts (PathNotFoundError,
 *   …) for unreadable files; InvalidInputError for a malformed manifest.
 */
export async function doesArtifactMatch(
  client: AuditClient,
  path: string,
  subject: ArtifactSubject,
  options: DoesArtifactMatchOptions = {},
): Promise<DoesArtifactMatchResult> {
  if (typeof path !== "string" || path.length === 0) throw new InvalidInputError("path", "path is required; give the file or directory to check");
  const checked = subjectOf(subject);
  const manifest = options.manifest === undefined ? undefined : await loadManifest(options.manifest);
  const { record, asOf } = await recordOf(client, checked);

  const local = await fingerprint(path, { ...options.fingerprint, ...(manifest ? { shardSize: manifest.shardSize } : {}) });
  const fingerprintMatches = local.fingerprint === record.fingerprint;
  const manifestRootMatches = record.manifestRoot === ZERO_HASH ? null : local.root === record.manifestRoot;
  const { claims } = await fetchClaims(pinned(client, asOf), checked.kind, local.fingerprint);
  const answer = {
    asOf,
    path,
    subject: { type: checked.type, id: checked.id, uri: record.uri },
    recorded: { fingerprint: record.fingerprint, manifestRoot: record.manifestRoot },
    local: { fingerprint: local.fingerprint, manifestRoot: local.root, fileCount: local.fileCount, totalBytes: local.totalBytes, shardSize: local.manifest.shardSize },
    fingerprintMatches,
    manifestRootMatches,
    matches: fingerprintMatches && manifestRootMatches !== false,
    manifest: manifest ? manifestCheckOf(manifest, record, local.manifest.entries) : null,
    claims,
  };
  return { ...answer, summary: summaryOf(path, checked, answer, manifest !== undefined) };
}
