/**
 * Fingerprints of datasets and model weights: a file or a directory tree becomes a manifest of per-file SHA-256
 * digests, the manifest's Merkle root (the `manifestRoot` of IDatasetRegistry, OpenZeppelin MerkleProof-compatible)
 * and one bytes32 `fingerprint` derived from it.
 *
 * The exact scheme (version 1):
 *
 *  1. Files. A directory is walked recursively; every regular file is an entry whose `path` is relative to the
 *     directory, with "/" separators. A single file is an entry named by its base name (a file fingerprints exactly
 *     like a directory holding only that file). Entries are sorted by the UTF-8 bytes of their paths. Directories
 *     themselves, empty or not, are not entries. Names must be valid UTF-8.
 *  2. Symbolic links inside a directory are refused by default ({@link SymlinkError}); with `symlinks: "skip"` they
 *     are left out (and listed in `stats.skippedSymlinks`). They are never followed. The path given to
 *     {@link fingerprint} itself may be a link: you named it. FIFOs, sockets and devices are refused.
 *  3. File digest, with shard size S (default 1 GiB, recorded in the manifest as `shardSize`):
 *       size ≤ S: digest = SHA-256(content) — what `sha256sum` / `openssl dgst -sha256` print;
 *       size > S: the file is cut into k = ⌈size / S⌉ shards, shard i = bytes [i·S, min((i+1)·S, size)); each shard
 *                 is hashed, shards[i] = SHA-256(shard i), and digest = SHA-256(shards[0] ‖ … ‖ shards[k−1]) over the
 *                 concatenated 32-byte shard digests. The entry lists `shards`. Shards are hashed in parallel.
 *     A digest is only meaningful with its size and S (a sharded digest is the plain digest of a different, 32k-byte
 *     string); both are in the leaf and the fingerprint.
 *  4. Manifest leaf of an entry: the OpenZeppelin StandardMerkleTree leaf of (string path, uint256 size, bytes32
 *     digest), i.e. in Solidity `keccak256(bytes.concat(keccak256(abi.encode(path, size, digest))))`.
 *  5. Manifest root: the StandardMerkleTree root of those leaves (sorted leaves, sorted-pair keccak256), so
 *     `MerkleProof.verify(proof, manifestRoot, leaf)` proves one file's (path, size, digest) on-chain.
 *  6. Fingerprint: keccak256(abi.encode(bytes32 domain, uint256 shardSize, uint256 fileCount, uint256 totalBytes,
 *     bytes32 manifestRoot)) with domain = keccak256("pedigree.fingerprint.v1:sha256") ({@link FINGERPRINT_DOMAIN}).
 *
 * Hashing runs on a pool of worker threads (one per core): files and shards are spread over them, small files in
 * batches. Inputs under `inlineBelowBytes` are hashed on the calling thread (workers would cost more to start).
 */
import { lstat, readdir, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, join, resolve } from "node:path";
import { createHash } from "node:crypto";
import { InvalidInputError, PedigreeError } from "./errors.ts";
import { keccak256Bytes } from "./hashing/keccak/wasm.ts";
import { toHex } from "./hashing/bytes.ts";
import { hashInline, HashPool } from "./hashing/sha256-pool.ts";
import type { HashResult, ThreadStats } from "./hashing/sha256-pool.ts";
import { HashItemError } from "./hashing/sha256-file.ts";
import type { HashItem } from "./hashing/sha256-file.ts";
import { manifestLeaf, standardTree, StandardTree, verifyProof } from "./merkle.ts";
import type { Bytes32 } from "./merkle.ts";

export type { ThreadStats } from "./hashing/sha256-pool.ts";

// ------------------------------------------------------------------ types

/** One file of a manifest. */
export interface ManifestEntry {
  /** Path relative to the fingerprinted directory, "/"-separated (a single file: its base name). */
  path: string;
  /** Size in bytes. */
  size: number;
  /** SHA-256 of the content (size ≤ shardSize) or of the concatenated shard digests (size > shardSize); 0x hex. */
  digest: string;
  /** The shard digests, for files larger than one shard. */
  shards?: string[];
}

/** The manifest: everything the root and the fingerprint are computed from. */
export interface Manifest {
  format: "pedigree-manifest-v1";
  algorithm: "sha256";
  /** Shard size in bytes the digests were computed with. */
  shardSize: number;
  /** Entries sorted by the UTF-8 bytes of `path`. */
  entries: ManifestEntry[];
}

/** Progress of a {@link fingerprint} call. */
export interface FingerprintProgress {
  bytesDone: number;
  bytesTotal: number;
  filesTotal: number;
}

/** The result of {@link fingerprint}. */
export interface Fingerprint {
  /** bytes32, derived from the manifest (scheme step 6): the dataset / model `fingerprint`. */
  fingerprint: string;
  /** bytes32 Merkle root over the manifest leaves (scheme steps 4–5): the `manifestRoot`. */
  root: string;
  manifest: Manifest;
  fileCount: number;
  totalBytes: number;
  /** How the work was done. */
  stats: {
    /** Threads that hashed, with what each did (threadId 0 = the calling thread). */
    threads: ThreadStats[];
    /** Links left out under `symlinks: "skip"`, relative paths. */
    skippedSymlinks: string[];
    elapsedMs: number;
  };
}

/** Options of {@link fingerprint}. */
export interface FingerprintOptions {
  /** Shard size in bytes (default {@link DEFAULT_SHARD_SIZE}, 1 GiB). Files larger than this are hashed in shards. */
  shardSize?: number;
  /** Worker threads (default: os.availableParallelism()). */
  concurrency?: number;
  /** Called with bytes done / total, at most every `progressIntervalMs`, first with 0 and last with the total. */
  onProgress?: (progress: FingerprintProgress) => void;
  /** Default 100 ms. */
  progressIntervalMs?: number;
  /** Symbolic links inside a directory: "refuse" (default, SymlinkError) or "skip". */
  symlinks?: "refuse" | "skip";
  /** Leave out some paths: return false to skip a file or a whole directory (relative path, "/"-separated). */
  filter?: (path: string, kind: "file" | "directory") => boolean;
  /** Inputs of fewer bytes (and at most 64 files) are hashed on the calling thread. Default 8 MiB; 0 = always workers. */
  inlineBelowBytes?: number;
  /** Small files are sent to workers in batches of about this many bytes (default 8 MiB). */
  batchBytes?: number;
  /** Stops the work (workers are terminated) and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Default shard size: 1 GiB. */
export const DEFAULT_SHARD_SIZE = 2 ** 30;

const utf8 = new TextEncoder();

/** keccak256("pedigree.fingerprint.v1:sha256"): the domain word of the fingerprint (scheme step 6). */
export const FINGERPRINT_DOMAIN: string = toHex(keccak256Bytes(utf8.encode("pedigree.fingerprint.v1:sha256")));

// ------------------------------------------------------------------ errors

/** Base class of the errors below (code `BAD_PATH`: the path cannot be fingerprinted as it is); `path` is the file or directory concerned. */
export class FingerprintError extends PedigreeError {
  override name = "FingerprintError";
  readonly path: string;
  constructor(path: string, message: string) {
    super(message, { code: "BAD_PATH" });
    this.path = path;
  }
}

/** The path does not exist. */
export class PathNotFoundError extends FingerprintError {
  override name = "PathNotFoundError";
  constructor(path: string) {
    super(path, `${path} does not exist; check the path`);
  }
}

/** A file or directory cannot be read. */
export class UnreadableFileError extends FingerprintError {
  override name = "UnreadableFileError";
  /** The file system's error code, e.g. `EACCES`. */
  readonly fsCode: string;
  constructor(path: string, fsCode: string) {
    super(path, `cannot read ${path} (${fsCode}); check that it exists and that you may read it`);
    this.fsCode = fsCode;
  }
}

/** A symbolic link inside the directory (links are never followed). */
export class SymlinkError extends FingerprintError {
  override name = "SymlinkError";
  constructor(path: string) {
    super(path, `${path} is a symbolic link; replace it with what it points to, or pass { symlinks: "skip" } to leave links out`);
  }
}

/** A FIFO, socket or device. */
export class UnsupportedFileTypeError extends FingerprintError {
  override name = "UnsupportedFileTypeError";
  constructor(path: string, kind: string) {
    super(path, `${path} is a ${kind}, not a regular file or directory; move it out or skip it with the filter option`);
  }
}

/** A file name that is not valid UTF-8 (its manifest path would be ambiguous). */
export class InvalidFileNameError extends FingerprintError {
  override name = "InvalidFileNameError";
  constructor(path: string) {
    super(path, `a name in ${path} is not valid UTF-8; rename it so that its path can be recorded exactly`);
  }
}

/** A file changed size between listing and hashing. */
export class FileChangedError extends FingerprintError {
  override name = "FileChangedError";
  constructor(path: string) {
    super(path, `${path} changed while it was being hashed; fingerprint again once nothing is writing to it`);
  }
}

/** A directory with no files (after skipped links and the filter). */
export class EmptyDirectoryError extends FingerprintError {
  override name = "EmptyDirectoryError";
  constructor(path: string) {
    super(path, `${path} contains no files to fingerprint; check the path, the filter and the symlinks option`);
  }
}

/** An option out of range. */
export class InvalidOptionError extends InvalidInputError {
  override name = "InvalidOptionError";
  constructor(option: string, value: unknown, expected: string) {
    super(option, `option ${option} is ${String(value)}; it must be ${expected}`);
  }
}

/** A path not listed in the manifest. */
export class ItemNotInManifestError extends PedigreeError {
  override name = "ItemNotInManifestError";
  readonly path: string;
  constructor(path: string) {
    super(`${JSON.stringify(path)} is not in the manifest; paths are relative to the fingerprinted directory with "/" separators`, {
      code: "NOT_IN_MANIFEST",
    });
    this.path = path;
  }
}

function fsError(error: unknown, path: string): Error {
  const code = (error as { code?: string })?.code ?? (error instanceof HashItemError ? error.code : "EIO");
  if (code === "ENOENT" || code === "ENOTDIR") return new PathNotFoundError(path);
  if (code === "ECHANGED") return new FileChangedError(path);
  if (error instanceof FingerprintError) return error;
  return new UnreadableFileError(path, code);
}

// ------------------------------------------------------------------ listing

interface ListedFile {
  /** Relative POSIX path. */
  path: string;
  absolute: string;
  size: number;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

async function listDirectory(
  root: string,
  options: FingerprintOptions,
  skipped: string[],
  onFile: (file: ListedFile) => void,
): Promise<ListedFile[]> {
  const files: ListedFile[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let names: Buffer[];
    try {
      names = await readdir(dir, { encoding: "buffer" });
    } catch (error) {
      throw fsError(error, dir);
    }
    const children = await Promise.all(
      names.map(async (raw) => {
        let name: string;
        try {
          name = strictUtf8.decode(raw);
        } catch {
          throw new InvalidFileNameError(dir);
        }
        const absolute = join(dir, name);
        const rel = prefix + name;
        let info;
        try {
          info = await lstat(absolute);
        } catch (error) {
          throw fsError(error, absolute);
        }
        return { name, absolute, rel, info };
      }),
    );
    for (const { absolute, rel, info } of children) {
      if (info.isSymbolicLink()) {
        if (options.symlinks === "skip") skipped.push(rel);
        else throw new SymlinkError(absolute);
      } else if (info.isDirectory()) {
        if (!options.filter || options.filter(rel, "directory")) await walk(absolute, `${rel}/`);
      } else if (info.isFile()) {
        if (!options.filter || options.filter(rel, "file")) {
          const file = { path: rel, absolute, size: info.size };
          files.push(file);
          onFile(file);
        }
      } else {
        throw new UnsupportedFileTypeError(absolute, fileKind(info));
      }
    }
  };
  await walk(root, "");
  return files;
}

function fileKind(info: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean }): string {
  if (info.isFIFO()) return "FIFO";
  if (info.isSocket()) return "socket";
  if (info.isBlockDevice()) return "block device";
  return "character device";
}

// ------------------------------------------------------------------ hashing plan

interface PlannedItem extends HashItem {
  file: number;
  /** Shard index, or −1 for a whole file. */
  shard: number;
}

function plan(files: ListedFile[], shardSize: number): PlannedItem[] {
  const items: PlannedItem[] = [];
  files.forEach((f, file) => {
    if (f.size <= shardSize) {
      items.push({ path: f.absolute, offset: 0, length: f.size, checkEof: true, file, shard: -1 });
      return;
    }
    const shards = Math.ceil(f.size / shardSize);
    for (let shard = 0; shard < shards; shard++) {
      const offset = shard * shardSize;
      const length = Math.min(shardSize, f.size - offset);
      items.push({ path: f.absolute, offset, length, checkEof: shard === shards - 1, file, shard });
    }
  });
  return items;
}

/** Largest first (so the big ones start early and the pool ends evenly); small ones grouped up to batchBytes. */
function batch(items: PlannedItem[], batchBytes: number): PlannedItem[][] {
  const sorted = [...items].sort((a, b) => b.length - a.length);
  const batches: PlannedItem[][] = [];
  let current: PlannedItem[] = [];
  let bytes = 0;
  for (const item of sorted) {
    if (item.length >= batchBytes) {
      batches.push([item]);
      continue;
    }
    current.push(item);
    bytes += item.length + 4096; // a per-file cost: opening and closing
    if (bytes >= batchBytes || current.length >= 256) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function positiveInteger(option: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw new InvalidOptionError(option, value, `an integer ≥ ${min}`);
  return value;
}

// ------------------------------------------------------------------ fingerprint

/** The options with their defaults, checked. */
function settingsOf(options: FingerprintOptions) {
  const settings = {
    shardSize: positiveInteger("shardSize", options.shardSize, DEFAULT_SHARD_SIZE),
    concurrency: positiveInteger("concurrency", options.concurrency, availableParallelism()),
    inlineBelow: positiveInteger("inlineBelowBytes", options.inlineBelowBytes, 8 * 2 ** 20, 0),
    batchBytes: positiveInteger("batchBytes", options.batchBytes, 8 * 2 ** 20),
    interval: positiveInteger("progressIntervalMs", options.progressIntervalMs, 100),
  };
  if (options.symlinks !== undefined && options.symlinks !== "refuse" && options.symlinks !== "skip") {
    throw new InvalidOptionError("symlinks", options.symlinks, '"refuse" or "skip"');
  }
  return settings;
}

/** The digests back onto the files: whole files directly, shards collected then combined. */
function manifestEntries(files: ListedFile[], batches: PlannedItem[][], hashed: HashResult): ManifestEntry[] {
  const digests: Uint8Array[] = new Array(files.length);
  const shardDigests: Uint8Array[][] = files.map(() => []);
  batches.forEach((b, bi) => {
    b.forEach((item, i) => {
      const digest = hashed.digests[bi]!.subarray(32 * i, 32 * i + 32);
      if (item.shard < 0) digests[item.file] = digest;
      else shardDigests[item.file]![item.shard] = digest;
    });
  });
  return files.map((f, i) => {
    const shards = shardDigests[i]!;
    if (shards.length === 0) return { path: f.path, size: f.size, digest: toHex(digests[i]!) };
    return { path: f.path, size: f.size, digest: toHex(combineShards(shards)), shards: shards.map((s) => toHex(s)) };
  });
}

/**
 * Fingerprints a file or a directory (see the module comment for the exact scheme).
 *
 * @example
 * import { SingleBar, Presets } from "cli-progress";
 * const bar = new SingleBar({}, Presets.shades_classic);
 * bar.start(1, 0);
 * const fp = await fingerprint("./datasets/reviews-v3", {
 *   onProgress: ({ bytesDone, bytesTotal }) => { bar.setTotal(bytesTotal); bar.update(bytesDone); },
 * });
 * bar.stop();
 * await datasets.publishVersion(id, { fingerprint: fp.fingerprint, manifestRoot: fp.root, … });
 * await writeFile("manifest.json", JSON.stringify(fp.manifest, null, 2));
 * @throws PathNotFoundError, UnreadableFileError, SymlinkError, UnsupportedFileTypeError, InvalidFileNameError,
 *   FileChangedError, EmptyDirectoryError, InvalidOptionError — each with a one-line message naming the path.
 */
export async function fingerprint(path: string, options: FingerprintOptions = {}): Promise<Fingerprint> {
  const started = performance.now();
  const { shardSize, concurrency, inlineBelow, batchBytes, interval } = settingsOf(options);
  const absolute = resolve(path);
  const info = await stat(absolute).catch((error: unknown) => Promise.reject(fsError(error, absolute)));

  // Workers are started as soon as the input is known to be large enough (for a directory: while it is still being
  // listed), so that their start-up overlaps the listing.
  const progress = new BigInt64Array(new SharedArrayBuffer(8 * (concurrency + 1)));
  let pool: HashPool | undefined;
  const startPool = (workers: number): void => {
    pool ??= HashPool.start(workers, progress);
  };
  const skippedSymlinks: string[] = [];
  let files: ListedFile[];
  let timer: ReturnType<typeof setInterval> | undefined;
  let hashed: HashResult;
  let batches: PlannedItem[][];
  let totalBytes = 0;
  try {
    if (info.isDirectory()) {
      let count = 0;
      files = await listDirectory(absolute, options, skippedSymlinks, (file) => {
        totalBytes += file.size;
        if (totalBytes >= inlineBelow || ++count > 64) startPool(concurrency);
      });
      if (files.length === 0) throw new EmptyDirectoryError(absolute);
      options.signal?.throwIfAborted();
    } else if (info.isFile()) {
      files = [{ path: basename(absolute), absolute, size: info.size }];
      totalBytes = info.size;
      if (totalBytes >= inlineBelow) startPool(Math.min(concurrency, Math.max(1, Math.ceil(info.size / shardSize))));
    } else {
      throw new UnsupportedFileTypeError(absolute, fileKind(info));
    }
    files.sort((a, b) => compareUtf8(a.path, b.path));
    batches = batch(plan(files, shardSize), batchBytes);

    const report = (): void => {
      let done = 0;
      for (let i = 0; i < progress.length; i++) done += Number(Atomics.load(progress, i));
      options.onProgress?.({ bytesDone: done, bytesTotal: totalBytes, filesTotal: files.length });
    };
    report();
    if (options.onProgress) timer = setInterval(report, interval);
    hashed = pool ? await pool.run(batches, options.signal) : hashInline(batches, progress, concurrency);
    report();
  } catch (error) {
    if (error instanceof HashItemError) throw fsError(error, error.path);
    throw error;
  } finally {
    if (timer) clearInterval(timer);
    (pool as HashPool | undefined)?.close();
  }

  const entries = manifestEntries(files, batches, hashed);
  const manifest: Manifest = { format: "pedigree-manifest-v1", algorithm: "sha256", shardSize, entries };
  const { root, fingerprint: fp } = computeFingerprint(manifest);
  return {
    fingerprint: fp,
    root,
    manifest,
    fileCount: files.length,
    totalBytes,
    stats: { threads: hashed.threads, skippedSymlinks, elapsedMs: performance.now() - started },
  };
}

/**
 * The digest of a sharded file: SHA-256 over its shard digests concatenated (scheme step 3).
 *
 * @example
 * combineShards([sha256(shard0), sha256(shard1)]); // Uint8Array(32)
 */
export function combineShards(shardDigests: readonly Uint8Array[]): Uint8Array {
  const hash = createHash("sha256");
  for (const d of shardDigests) hash.update(d);
  return new Uint8Array(hash.digest());
}

function word(value: number): Uint8Array {
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  view.setUint32(24, Math.floor(value / 2 ** 32));
  view.setUint32(28, value >>> 0);
  return out;
}

function bytes32(value: string): Uint8Array {
  return Buffer.from(value.slice(2), "hex");
}

/**
 * Recomputes the manifest root and the fingerprint from a manifest (e.g. one shipped beside a dataset), without
 * reading any file.
 *
 * @example
 * const { root, fingerprint } = computeFingerprint(JSON.parse(await readFile("manifest.json", "utf8")));
 * @throws EmptyTreeError for a manifest without entries.
 */
export function computeFingerprint(manifest: Manifest): { root: string; fingerprint: string; fileCount: number; totalBytes: number } {
  const tree = manifestTree(manifest);
  const fileCount = manifest.entries.length;
  const totalBytes = manifest.entries.reduce((sum, e) => sum + e.size, 0);
  const encoded = Buffer.concat([
    bytes32(FINGERPRINT_DOMAIN),
    word(manifest.shardSize),
    word(fileCount),
    word(totalBytes),
    bytes32(tree.root),
  ]);
  return { root: tree.root, fingerprint: toHex(keccak256Bytes(encoded)), fileCount, totalBytes };
}

// ------------------------------------------------------------------ item proofs

/**
 * The manifest leaf of an entry: StandardMerkleTree leaf of (string path, uint256 size, bytes32 digest).
 *
 * @example
 * manifestLeafHash({ path: "train/0001.parquet", size: 1048576, digest: "0x…" }); // "0x…"
 */
export function manifestLeafHash(entry: Pick<ManifestEntry, "path" | "size" | "digest">): string {
  return standardTree(manifestLeaf).leafHash(entry);
}

/**
 * Proof that the file at `path` is in the manifest: its entry, its leaf and the sibling hashes for
 * `MerkleProof.verify(proof, manifestRoot, leaf)`. Pass a {@link manifestTree} to prove many paths.
 *
 * @example
 * const { entry, leaf, proof } = proveItem(fp.manifest, "train/0001.parquet");
 * verifyItem(fp.root, entry, proof); // true
 * @throws ItemNotInManifestError when no entry has that path.
 */
export function proveItem(
  manifest: Manifest | StandardTree<ManifestEntry>,
  path: string,
): { entry: ManifestEntry; leaf: string; proof: string[] } {
  const tree = manifest instanceof StandardTree ? manifest : manifestTree(manifest);
  const index = tree.values.findIndex((e) => e.path === path);
  if (index < 0) throw new ItemNotInManifestError(path);
  return { entry: tree.values[index]!, leaf: tree.tree.leaf(index), proof: tree.tree.proofAt(index) };
}

/**
 * The manifest's Merkle tree, to prove many items without rebuilding it each time.
 *
 * @example
 * const tree = manifestTree(fp.manifest);
 * const proofs = paths.map((p) => proveItem(tree, p));
 */
export function manifestTree(manifest: Manifest): StandardTree<ManifestEntry> {
  return standardTree(manifestLeaf).of(manifest.entries, { threads: 1 });
}

/**
 * Checks that (path, size, digest) is in the manifest with root `root`, as `MerkleProof.verify` does on-chain.
 * False for an entry that is not in it (another digest, size or path) or a proof for another entry.
 *
 * @example
 * verifyItem(version.manifestRoot, { path: "a.txt", size: 3, digest: "0x…" }, proof); // true or false
 */
export function verifyItem(root: Bytes32, entry: Pick<ManifestEntry, "path" | "size" | "digest">, proof: readonly Bytes32[]): boolean {
  return verifyProof(root, manifestLeafHash(entry), proof);
}
