/**
 * Conversions of user input the core validators (src/core/ids.ts, src/core/hex.ts) leave to the SDK: optional
 * hashes, points in time, texts and documents to hash, refused before anything is sent.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ZeroHash, isHexString } from "ethers";
import { InvalidInputError } from "../../core/errors.ts";
import { parseBytes32 } from "../../core/hex.ts";
import { parseUint } from "../../core/ids.ts";
import type { TimestampInput } from "../types.ts";

/** A 32-byte hash, or zero when omitted. */
export function hashOrZero(value: string | undefined, field: string): string {
  return value === undefined ? ZeroHash : parseBytes32(value, field);
}

/** Unix seconds from a Date, or a number / bigint already in seconds. */
export function toTimestamp(value: TimestampInput, field: string, bits = 64): bigint {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new InvalidInputError(field, `${field} is an invalid date`);
    return parseUint(Math.floor(ms / 1000), field, bits);
  }
  return parseUint(value, field, bits);
}

/** An unsigned integer of a JSON document: a decimal string (or a number or bigint), at most `bits` wide. */
export function fromDocument(raw: unknown, field: string, bits = 256): bigint {
  if (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "bigint") {
    throw new InvalidInputError(field, `${field} must be a decimal string`);
  }
  return parseUint(raw, field, bits);
}

/** A non-empty string (or any string, with `allowEmpty`). */
export function toText(value: string | undefined, field: string, { allowEmpty = false } = {}): string {
  if (typeof value !== "string" || (!allowEmpty && value.trim().length === 0)) {
    throw new InvalidInputError(field, `${field} must be a non-empty string`);
  }
  return value;
}

/** The SHA-256 of a file (what `sha256sum` prints), as a 0x-prefixed hash; a one-line error when it cannot be read. */
export async function sha256OfFile(path: string, field: string): Promise<string> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    const why = code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a directory, not a file" : `cannot be read (${code})`;
    throw new InvalidInputError(field, `${field} ${path} ${why}: check the path`);
  }
  return `0x${createHash("sha256").update(content).digest("hex")}`;
}

/** A signed document's envelope, checked: its fields, the object `inner` names (its request or report), its signature. */
export interface SignedEnvelope {
  signed: Record<string, unknown>;
  inner: Record<string, unknown>;
  signature: string;
}

/**
 * Checks the envelope every signed document shares (a signed attestation, action batch or usage report): an object
 * or its JSON text, with the `format` tag expected, an object under `inner`, and a hex signature. `what` names the
 * document in messages ("the signed usage report").
 */
export function signedEnvelope(value: unknown, format: string, what: string, inner: string): SignedEnvelope {
  let document = value;
  if (typeof value === "string") {
    try {
      document = JSON.parse(value);
    } catch (error) {
      throw new InvalidInputError("signed", `${what} is not valid JSON`, { cause: error });
    }
  }
  const signed = objectOf(document, "signed", what);
  if (signed.format !== format) {
    throw new InvalidInputError("signed.format", `${what}'s format is ${JSON.stringify(signed.format)}, expected ${format}`);
  }
  const innerObject = objectOf(signed[inner], `signed.${inner}`, `signed.${inner}`);
  if (typeof signed.signature !== "string" || !isHexString(signed.signature) || signed.signature.length < 4) {
    throw new InvalidInputError("signed.signature", "signed.signature must be a hex string");
  }
  return { signed, inner: innerObject, signature: signed.signature };
}

function objectOf(value: unknown, field: string, what: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new InvalidInputError(field, `${what} must be an object`);
  return value as Record<string, unknown>;
}
