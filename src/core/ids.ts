/**
 * The one validator of ids and whole numbers, for every side: the SDK before it sends, the CLI on its arguments, the
 * audit client and the report on what they are asked. Bad input throws an {@link InvalidInputError} naming the field.
 */
import { InvalidInputError } from "./errors.ts";

/** An id or whole number: a bigint, a safe integer number, or a decimal / 0x string (as read from a command line). */
export type IdInput = bigint | number | string;

/** The largest registry id: ids are uint64 in every registry. */
export const MAX_ID = (1n << 64n) - 1n;

const WHOLE_NUMBER = /^\s*(0x[0-9a-fA-F]+|\d+)\s*$/;

/** The value as a bigint, or undefined when it is not a whole number ≥ 0. */
function wholeNumber(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value >= 0n ? value : undefined;
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  if (typeof value === "string" && WHOLE_NUMBER.test(value)) return BigInt(value.trim());
  return undefined;
}

/** How a value is shown in a message: strings quoted, as given. */
function shown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * An unsigned integer of `bits` bits.
 *
 * @example
 * parseUint("0x10", "terms.duration", 32); // 16n
 * parseUint(-1, "price"); // throws: price must be a whole number, got -1
 */
export function parseUint(value: IdInput, field: string, bits = 256): bigint {
  const number = wholeNumber(value);
  if (number === undefined) throw new InvalidInputError(field, `${field} must be a whole number, got ${shown(value)}`);
  if (number >= 1n << BigInt(bits)) {
    throw new InvalidInputError(field, `${field} must be between 0 and 2^${bits} - 1, got ${number}`);
  }
  return number;
}

/**
 * A registry id: a whole number from 1 to 2^64 − 1 (every registry numbers its records from 1). With `allowZero`,
 * 0 is accepted too, where it means "none" (an own-data parent's licence, an attestation without a reference).
 *
 * @example
 * parseId("3", "datasetId"); // 3n
 * parseId("0", "versionId"); // throws: versionId must be a positive id; ids start at 1
 * parseId(0n, "refId", { allowZero: true }); // 0n
 */
export function parseId(value: IdInput, field: string, { allowZero = false } = {}): bigint {
  const id = wholeNumber(value);
  if (id === undefined) {
    throw new InvalidInputError(field, `${field} must be a positive whole number (an id), got ${shown(value)}`);
  }
  if (id === 0n && !allowZero) throw new InvalidInputError(field, `${field} must be a positive id; ids start at 1`);
  if (id > MAX_ID) throw new InvalidInputError(field, `${field} ${id} is too large for an id (at most 2^64 - 1)`);
  return id;
}

/**
 * A list of ids.
 *
 * @example
 * parseIds([1, "2", 3n], "parents"); // [1n, 2n, 3n]
 */
export function parseIds(values: readonly IdInput[] | undefined, field: string): bigint[] {
  if (values === undefined) return [];
  if (!Array.isArray(values)) throw new InvalidInputError(field, `${field} must be a list of ids`);
  return values.map((value, index) => parseId(value, `${field}[${index}]`));
}
