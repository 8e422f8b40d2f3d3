/**
 * Fingerprinting real files in temporary directories: digests against openssl / sha256sum and against the documented
 * shard scheme recomputed here with node:crypto, manifests (order, sizes, nesting, empty files, unicode names), the
 * manifest root against @openzeppelin/merkle-tree, the fingerprint formula, item proofs, the worker pool, progress,
 * and the errors.
 */
import { execFile, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, symlink, writeFile, chmod, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { threadId } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";
import {
  computeFingerprint,
  DEFAULT_SHARD_SIZE,
  EmptyDirectoryError,
  fingerprint,
  FINGERPRINT_DOMAIN,
  InvalidOptionError,
  ItemNotInManifestError,
  manifestLeafHash,
  PathNotFoundError,
  proveItem,
  SymlinkError,
  UnreadableFileError,
  UnsupportedFileTypeError,
  verifyItem,
  type Fingerprint,
  type FingerprintProgress,
} from "../../src/core/fingerprint.ts";

const run = promisify(execFile);
const sha256 = (data: Uint8Array): string => `0x${createHash("sha256").update(data).digest("hex")}`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pedigree-fingerprint-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function makeDir(name: string, files: Record<string, Uint8Array | string>): Promise<string> {
  const root = join(dir, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), content);
  }
  await mkdir(root, { recursive: true });
  return root;
}

/** uid and gid of `nobody`, whom root can run a child process as. */
const NOBODY = 65534;

/**
 * The error `fingerprint(root)` fails with, run by a user without root's rights: root reads any file whatever its
 * mode, so as root the fingerprinting runs in a child process as `nobody` (the directories on the way made
 * traversable for it); otherwise in this process.
 */
async function fingerprintAsUnprivileged(root: string): Promise<{ isUnreadableFileError: boolean; message: string }> {
  if (process.getuid?.() !== 0) {
    const error = await fingerprint(root).catch((e: unknown) => e);
    return { isUnreadableFileError: error instanceof UnreadableFileError, message: String((error as Error).message) };
  }
  for (const path of [dir, root]) await chmod(path, 0o755);
  const script = `
    const { fingerprint, UnreadableFileError } = await import(${JSON.stringify(join(import.meta.dirname, "../../src/core/fingerprint.ts"))});
    const error = await fingerprint(process.argv[1]).catch((e) => e);
    process.stdout.write(JSON.stringify({ isUnreadableFileError: error instanceof UnreadableFileError, message: String(error?.message) }));`;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, root], {
    cwd: join(import.meta.dirname, "../.."),
    uid: NOBODY,
    gid: NOBODY,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, HOME: tmpdir() },
  });
  if (child.status !== 0) throw new Error(`the child process as nobody failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as { isUnreadableFileError: boolean; message: string };
}

describe("single files", () => {
  for (const size of [0, 1, 1000, 1024 * 1024 + 3]) {
    it(`a ${size}-byte file's digest is what openssl dgst -sha256 and sha256sum print`, async () => {
      const path = join(dir, `single-${size}.bin`);
      await writeFile(path, randomBytes(size));
      const fp = await fingerprint(path);
      const { stdout: openssl } = await run("openssl", ["dgst", "-sha256", "-r", path]);
      const { stdout: sum } = await run("sha256sum", [path]);
      const entry = fp.manifest.entries[0]!;
      expect(fp.manifest.entries).toHaveLength(1);
      expect(entry.path).toBe(`single-${size}.bin`);
      expect(entry.size).toBe(size);
      expect(entry.shards).toBeUndefined();
      expect(entry.digest).toBe(`0x${openssl.split(" ")[0]}`);
      expect(entry.digest).toBe(`0x${sum.split(" ")[0]}`);
    });
  }

  it("a file fingerprints exactly like a directory holding only that file", async () => {
    const content = randomBytes(5000);
    const root = await makeDir("alone", { "weights.safetensors": content });
    const [asFile, asDir] = await Promise.all([fingerprint(join(root, "weights.safetensors")), fingerprint(root)]);
    expect(asFile.manifest).toEqual(asDir.manifest);
    expect(asFile.root).toBe(asDir.root);
    expect(asFile.fingerprint).toBe(asDir.fingerprint);
  });
});

describe("sharded files", () => {
  const shardSize = 64 * 1024;

  it("hashes each shard, then SHA-256 over the concatenated shard digests", async () => {
    const content = randomBytes(5 * shardSize + 12_345);
    const path = join(dir, "sharded.bin");
    await writeFile(path, content);
    const fp = await fingerprint(path, { shardSize, inlineBelowBytes: 0, concurrency: 2 });
    const expectedShards: Buffer[] = [];
    for (let offset = 0; offset < content.length; offset += shardSize) {
      expectedShards.push(createHash("sha256").update(content.subarray(offset, offset + shardSize)).digest());
    }
    const entry = fp.manifest.entries[0]!;
    expect(expectedShards).toHaveLength(6);
    expect(entry.shards).toEqual(expectedShards.map((d) => `0x${d.toString("hex")}`));
    expect(entry.digest).toBe(sha256(Buffer.concat(expectedShards)));
    expect(entry.digest).not.toBe(sha256(content));
    expect(fp.manifest.shardSize).toBe(shardSize);
  });

  it("a file of exactly one shard is hashed whole (plain SHA-256), one byte more is sharded", async () => {
    const exact = randomBytes(shardSize);
    const over = Buffer.concat([exact, Buffer.from([7])]);
    const root = await makeDir("boundary", { "exact.bin": exact, "over.bin": over });
    const fp = await fingerprint(root, { shardSize });
    const [exactEntry, overEntry] = fp.manifest.entries;
    expect(exactEntry!.digest).toBe(sha256(exact));
    expect(exactEntry!.shards).toBeUndefined();
    expect(overEntry!.shards).toEqual([sha256(exact), sha256(Buffer.from([7]))]);
  });

  it("the default shard size is 1 GiB and is recorded in the manifest", async () => {
    const fp = await fingerprint(await makeDir("default-shard", { a: "a" }));
    expect(DEFAULT_SHARD_SIZE).toBe(2 ** 30);
    expect(fp.manifest.shardSize).toBe(2 ** 30);
  });
});

describe("directories", () => {
  const files: Record<string, Uint8Array | string> = {
    "b.txt": "bee",
    "a/z.bin": randomBytes(3000),
    "a/b/c/deep.txt": "deep",
    "a/empty.txt": "",
    "A-upper.txt": "upper",
    "données/été.csv": "x,y\n1,2\n",
    "日本語/ファイル.txt": "こんにちは",
    "emoji-🎉.json": "{}",
    "emoji-ｆ.txt": "UTF-8 order puts this before the emoji; UTF-16 order would not",
    "Z/.hidden": "hidden",
  };
  let root: string;
  let fp: Fingerprint;
  beforeAll(async () => {
    root = await makeDir("tree", files);
    await mkdir(join(root, "empty-dir/nested"), { recursive: true });
    fp = await fingerprint(root);
  });

  it("lists every file once, with POSIX relative paths sorted by UTF-8 bytes, sizes and digests right", () => {
    const expectedPaths = Object.keys(files).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(fp.manifest.entries.map((e) => e.path)).toEqual(expectedPaths);
    for (const entry of fp.manifest.entries) {
      const content = Buffer.from(files[entry.path]!);
      expect(entry.size, entry.path).toBe(content.length);
      expect(entry.digest, entry.path).toBe(sha256(content));
    }
    expect(fp.fileCount).toBe(expectedPaths.length);
    expect(fp.totalBytes).toBe(Object.values(files).reduce((s, c) => s + Buffer.from(c).length, 0));
    expect(fp.manifest.entries.find((e) => e.path === "a/empty.txt")!.digest).toBe(sha256(new Uint8Array(0)));
  });

  it("has the root StandardMerkleTree.of(entries, [string, uint256, bytes32]) has", () => {
    const oz = StandardMerkleTree.of(
      fp.manifest.entries.map((e) => [e.path, e.size, e.digest]),
      ["string", "uint256", "bytes32"],
    );
    expect(fp.root).toBe(oz.root);
  });

  it("derives the fingerprint as documented: keccak256(abi.encode(domain, shardSize, fileCount, totalBytes, root))", () => {
    expect(FINGERPRINT_DOMAIN).toBe(keccak256(toUtf8Bytes("pedigree.fingerprint.v1:sha256")));
    const expected = keccak256(
      AbiCoder.defaultAbiCoder().encode(
        ["bytes32", "uint256", "uint256", "uint256", "bytes32"],
        [FINGERPRINT_DOMAIN, fp.manifest.shardSize, fp.fileCount, fp.totalBytes, fp.root],
      ),
    );
    expect(fp.fingerprint).toBe(expected);
    const again = computeFingerprint(JSON.parse(JSON.stringify(fp.manifest)));
    expect(again.fingerprint).toBe(fp.fingerprint);
    expect(again.root).toBe(fp.root);
  });

  it("changes when any byte, name or the shard size changes, not when nothing does", async () => {
    expect((await fingerprint(root)).fingerprint).toBe(fp.fingerprint);
    const renamed = await makeDir("tree-renamed", { ...files, "b2.txt": files["b.txt"]! });
    await rm(join(renamed, "b.txt"));
    expect((await fingerprint(renamed)).fingerprint).not.toBe(fp.fingerprint);
    const edited = await makeDir("tree-edited", { ...files, "b.txt": "bee!" });
    expect((await fingerprint(edited)).fingerprint).not.toBe(fp.fingerprint);
    expect((await fingerprint(root, { shardSize: 1 << 20 })).fingerprint).not.toBe(fp.fingerprint);
  });

  it("proves an item in, and nothing else", () => {
    const { entry, leaf, proof } = proveItem(fp.manifest, "a/b/c/deep.txt");
    expect(entry.path).toBe("a/b/c/deep.txt");
    expect(leaf).toBe(manifestLeafHash(entry));
    expect(verifyItem(fp.root, entry, proof)).toBe(true);
    expect(StandardMerkleTree.verify(fp.root, ["string", "uint256", "bytes32"], [entry.path, entry.size, entry.digest], proof)).toBe(true);
    expect(verifyItem(fp.root, { ...entry, digest: sha256(Buffer.from("other")) }, proof)).toBe(false);
    expect(verifyItem(fp.root, { ...entry, size: entry.size + 1 }, proof)).toBe(false);
    expect(verifyItem(fp.root, { ...entry, path: "a/b/c/other.txt" }, proof)).toBe(false);
    expect(() => proveItem(fp.manifest, "not/there.txt")).toThrow(ItemNotInManifestError);
    expect(() => proveItem(fp.manifest, "a\\b\\c\\deep.txt")).toThrow(ItemNotInManifestError);
  });

  it("leaves out directories (even empty ones) and lets a filter skip paths", async () => {
    expect(fp.manifest.entries.some((e) => e.path.startsWith("empty-dir"))).toBe(false);
    const filtered = await fingerprint(root, { filter: (path) => !path.startsWith(".") && !path.endsWith("/.hidden") && path !== "a" });
    expect(filtered.manifest.entries.map((e) => e.path)).not.toContain("Z/.hidden");
    expect(filtered.manifest.entries.some((e) => e.path.startsWith("a/"))).toBe(false);
  });
});

describe("worker pool", () => {
  it("spreads files over the workers (every worker hashes some), with the same digests as inline hashing", async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 12; i++) files[`part-${String(i).padStart(2, "0")}.bin`] = randomBytes(200_000 + i);
    const root = await makeDir("pool", files);
    const pooled = await fingerprint(root, { concurrency: 2, inlineBelowBytes: 0, batchBytes: 1 });
    const inline = await fingerprint(root);
    const workerThreads = pooled.stats.threads;
    expect(workerThreads).toHaveLength(2);
    expect(new Set(workerThreads.map((t) => t.threadId)).size).toBe(2);
    for (const t of workerThreads) {
      expect(t.threadId).not.toBe(threadId);
      expect(t.items).toBeGreaterThan(0);
    }
    expect(workerThreads.reduce((s, t) => s + t.items, 0)).toBe(12);
    expect(inline.stats.threads).toEqual([{ threadId, items: 12, bytes: inline.totalBytes }]);
    expect(pooled.manifest).toEqual(inline.manifest);
    expect(pooled.fingerprint).toBe(inline.fingerprint);
  });

  it("hashes the shards of one file on several workers", async () => {
    const path = join(dir, "shards-pool.bin");
    await writeFile(path, randomBytes(8 * 65536));
    const fp = await fingerprint(path, { shardSize: 65536, concurrency: 2, inlineBelowBytes: 0, batchBytes: 65536 });
    expect(fp.stats.threads).toHaveLength(2);
    expect(fp.stats.threads.every((t) => t.items > 0 && t.threadId !== threadId)).toBe(true);
  });

  it("reports progress from 0 to the total, never backwards", async () => {
    const path = join(dir, "progress.bin");
    await writeFile(path, randomBytes(3 * 1024 * 1024));
    const seen: FingerprintProgress[] = [];
    await fingerprint(path, { inlineBelowBytes: 0, shardSize: 256 * 1024, onProgress: (p) => seen.push(p), progressIntervalMs: 1 });
    expect(seen[0]).toEqual({ bytesDone: 0, bytesTotal: 3 * 1024 * 1024, filesTotal: 1 });
    expect(seen.at(-1)).toEqual({ bytesDone: 3 * 1024 * 1024, bytesTotal: 3 * 1024 * 1024, filesTotal: 1 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytesDone).toBeGreaterThanOrEqual(seen[i - 1]!.bytesDone);
  });
});

describe("errors", () => {
  it("a missing path: PathNotFoundError naming it", async () => {
    const missing = join(dir, "no-such-dir");
    const error = await fingerprint(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PathNotFoundError);
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message.split("\n")).toHaveLength(1);
  });

  it("a symbolic link inside: SymlinkError by default, left out with symlinks: skip", async () => {
    const root = await makeDir("links", { "real.txt": "real" });
    await symlink(join(root, "real.txt"), join(root, "link.txt"));
    const error = await fingerprint(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SymlinkError);
    expect((error as Error).message).toContain(join(root, "link.txt"));
    const skipped = await fingerprint(root, { symlinks: "skip" });
    expect(skipped.manifest.entries.map((e) => e.path)).toEqual(["real.txt"]);
    expect(skipped.stats.skippedSymlinks).toEqual(["link.txt"]);
  });

  it("a FIFO inside: UnsupportedFileTypeError naming it", async () => {
    const root = await makeDir("fifo", { "a.txt": "a" });
    await run("mkfifo", [join(root, "pipe")]);
    const error = await fingerprint(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedFileTypeError);
    expect((error as Error).message).toContain(join(root, "pipe"));
  });

  it("an unreadable file: UnreadableFileError naming it (as root, checked by a child process without root's rights)", async () => {
    const root = await makeDir("unreadable", { "secret.bin": "x" });
    await chmod(join(root, "secret.bin"), 0o000);
    const error = await fingerprintAsUnprivileged(root);
    expect(error.isUnreadableFileError).toBe(true);
    expect(error.message).toContain(join(root, "secret.bin"));
  });

  it("a path below a regular file (ENOTDIR): PathNotFoundError naming it", async () => {
    const root = await makeDir("not-a-dir", { "f.txt": "f" });
    const error = await fingerprint(join(root, "f.txt", "inside")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PathNotFoundError);
    expect((error as Error).message).toContain(join(root, "f.txt", "inside"));
    expect(await readFile(join(root, "f.txt"), "utf8")).toBe("f");
  });

  it("an empty directory: EmptyDirectoryError", async () => {
    const root = await makeDir("empty", {});
    await expect(fingerprint(root)).rejects.toThrow(EmptyDirectoryError);
  });

  it("bad options: InvalidOptionError", async () => {
    const root = await makeDir("options", { a: "a" });
    await expect(fingerprint(root, { shardSize: 0 })).rejects.toThrow(InvalidOptionError);
    await expect(fingerprint(root, { concurrency: 1.5 })).rejects.toThrow(InvalidOptionError);
    await expect(fingerprint(root, { symlinks: "follow" as "skip" })).rejects.toThrow(InvalidOptionError);
  });
});
