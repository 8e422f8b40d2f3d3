/** Conversions of user input into the exact values the contracts take, refusing bad input before anything is sent. */
import { ZeroAddress, ZeroHash, getAddress, isHexString } from "ethers";
import { PedigreeValidationError } from "../errors.ts";
import type { IdInput, TimestampInput } from "../types.ts";

/** An unsigned integer of `bits` bits from a bigint, safe integer number or decimal string. */
export function toUint(value: IdInput, field: string, bits = 256): bigint {
  let result: bigint;
  if (typeof value === "bigint") result = value;
  else if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new PedigreeValidationError(`${field} must be a whole number, got ${value}`, { field });
    result = BigInt(value);
  } else if (typeof value === "string" && /^\s*(0x[0-9a-fA-F]+|\d+)\s*$/.test(value)) result = BigInt(value.trim());
  else throw new PedigreeValidationError(`${field} must be a whole number, got ${JSON.stringify(value)}`, { field });
  if (result < 0n || result >= 1n << BigInt(bits)) {
    throw new PedigreeValidationError(`${field} must be between 0 and 2^${bits} - 1, got ${result}`, { field });
  }
  return result;
}

/** A registry id (uint64). With `nonZero`, 0 is refused, since every registry numbers its records from 1. */
export function toId(value: IdInput, field: string, nonZero = true): bigint {
  const id = toUint(value, field, 64);
  if (nonZero && id === 0n) {
    throw new PedigreeValidationError(`${field} must be a positive id, got 0`, { field, hint: "Ids start at 1." });
  }
  return id;
}

/** A 32-byte hex value; undefined becomes zero when `optional`. */
export function toBytes32(value: string | undefined, field: string, { optional = false, nonZero = false } = {}): string {
  if (value === undefined && optional) return ZeroHash;
  if (typeof value !== "string" || !isHexString(value, 32)) {
    throw new PedigreeValidationError(`${field} must be a 32-byte hex string (0x + 64 hex digits), got ${JSON.stringify(value)}`, {
      field,
    });
  }
  if (nonZero && BigInt(value) === 0n) throw new PedigreeValidationError(`${field} must not be zero`, { field });
  return value.toLowerCase();
}

/** A checksummed address. With `nonZero`, the zero address is refused. */
export function toAddress(value: string | undefined, field: string, { nonZero = false } = {}): string {
  let address: string;
  try {
    address = getAddress(String(value));
  } catch {
    throw new PedigreeValidationError(`${field} must be an Ethereum address, got ${JSON.stringify(value)}`, { field });
  }
  if (nonZero && address === ZeroAddress) throw new PedigreeValidationError(`${field} must not be the zero address`, { field });
  return address;
}

/** Unix seconds from a Date, or a number / bigint already in seconds. */
export function toTimestamp(value: TimestampInput, field: string, bits = 64): bigint {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new PedigreeValidationError(`${field} is an invalid date`, { field });
    return toUint(Math.floor(ms / 1000), field, bits);
  }
  return toUint(value, field, bits);
}

/** A non-empty string. */
export function toText(value: string | undefined, field: string, { allowEmpty = false } = {}): string {
  if (typeof value !== "string" || (!allowEmpty && value.trim().length === 0)) {
    throw new PedigreeValidationError(`${field} must be a non-empty string`, { field });
  }
  return value;
}
