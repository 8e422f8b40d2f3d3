/**
 * Conversions of user input the core validators (src/core/ids.ts, src/core/hex.ts) leave to the SDK: optional
 * hashes, points in time and texts, refused before anything is sent.
 */
import { ZeroHash } from "ethers";
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

/** A non-empty string (or any string, with `allowEmpty`). */
export function toText(value: string | undefined, field: string, { allowEmpty = false } = {}): string {
  if (typeof value !== "string" || (!allowEmpty && value.trim().length === 0)) {
    throw new InvalidInputError(field, `${field} must be a non-empty string`);
  }
  return value;
}
