/**
 * Streaming SHA-256 of a byte range of a file, synchronously with one reusable buffer: the inner loop of the hashing
 * workers (sha256-worker.ts), also used on the calling thread for small inputs. Node's OpenSSL SHA-256 uses the CPU's
 * SHA extensions where present, so this runs at about the speed of `openssl dgst -sha256`. Erasable TypeScript only.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { createHash } from "node:crypto";

/** Bytes read per read(2) call: measured fastest on Linux among 64 KiB … 16 MiB (fits in L2, few syscalls). */
export const READ_CHUNK = 1 << 20;

/** One range to hash: a whole file (offset 0, its full size) or one shard of it. */
export interface HashItem {
  /** Absolute path. */
  path: string;
  offset: number;
  length: number;
  /** After `length` bytes the file must end (whole files and last shards): a longer file has changed. */
  checkEof: boolean;
}

/** Why a range could not be hashed, as it crosses from a worker: an errno-style code, the path, a message. */
export interface HashFailure {
  code: string;
  path: string;
  message: string;
}

/** An error with the path it is about and an errno-style code ("ENOENT", "EACCES", …, or "ECHANGED"). */
export class HashItemError extends Error {
  readonly code: string;
  readonly path: string;
  constructor(failure: HashFailure) {
    super(failure.message);
    this.code = failure.code;
    this.path = failure.path;
  }
}

/**
 * SHA-256 of `item`'s range, checking the file is still the size it was listed with.
 *
 * @example
 * const digest = hashItemSync({ path: "/data/a.bin", offset: 0, length: 1024, checkEof: true }, Buffer.alloc(READ_CHUNK));
 * @throws HashItemError with code ECHANGED when the file is shorter or longer than expected, or the fs error's code.
 */
export function hashItemSync(item: HashItem, buffer: Buffer, onBytes?: (bytes: number) => void): Uint8Array {
  let fd: number;
  try {
    fd = openSync(item.path, "r");
  } catch (error) {
    throw toItemError(error, item.path);
  }
  try {
    const hash = createHash("sha256");
    let position = item.offset;
    const end = item.offset + item.length;
    while (position < end) {
      const want = Math.min(buffer.length, end - position);
      const got = readSync(fd, buffer, 0, want, position);
      if (got === 0) throw changed(item.path);
      hash.update(got === buffer.length ? buffer : buffer.subarray(0, got));
      position += got;
      onBytes?.(got);
    }
    if (item.checkEof && readSync(fd, buffer, 0, 1, end) !== 0) throw changed(item.path);
    return new Uint8Array(hash.digest());
  } catch (error) {
    throw toItemError(error, item.path);
  } finally {
    closeSync(fd);
  }
}

function changed(path: string): HashItemError {
  return new HashItemError({ code: "ECHANGED", path, message: `${path} changed size while it was being hashed` });
}

/** Any error thrown while hashing `path`, as a HashItemError. */
export function toItemError(error: unknown, path: string): HashItemError {
  if (error instanceof HashItemError) return error;
  const code = typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "EIO";
  return new HashItemError({ code, path, message: error instanceof Error ? error.message : String(error) });
}
