/**
 * The one validator of the hex values every side takes as input: Ethereum addresses and 32-byte hashes. Bad input
 * throws an {@link InvalidInputError} naming the field.
 */
import { ZeroAddress, ZeroHash, decodeBytes32String, getAddress } from "ethers";
import { InvalidInputError } from "./errors.ts";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** How a value is shown in a message: as JSON, so that strings are quoted and nothing else passes as one. */
function shown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * A checksummed address. Mixed case must be a valid EIP-55 checksum; all lower or all upper case is taken as is.
 * With `nonZero`, the zero address is refused.
 *
 * @example
 * parseAddress("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "--for"); // "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
 * parseAddress("0x1234", "recipient"); // throws: recipient must be an Ethereum address (0x followed by 40 hex digits), got "0x1234"
 */
export function parseAddress(value: unknown, field: string, { nonZero = false } = {}): string {
  const text = typeof value === "string" ? value.trim() : "";
  if (!ADDRESS.test(text)) {
    throw new InvalidInputError(field, `${field} must be an Ethereum address (0x followed by 40 hex digits), got ${shown(value)}`);
  }
  let address: string;
  try {
    address = getAddress(text);
  } catch {
    throw new InvalidInputError(field, `${field} ${text} has a wrong checksum: check it, or write it all in lower case`);
  }
  if (nonZero && address === ZeroAddress) throw new InvalidInputError(field, `${field} must not be the zero address`);
  return address;
}

/**
 * A 32-byte hash (a fingerprint, a root, a record), in lower case. With `nonZero`, zero is refused.
 *
 * @example
 * parseBytes32("0xAB…", "--fingerprint"); // "0xab…"
 */
export function parseBytes32(value: unknown, field: string, { nonZero = false } = {}): string {
  const text = typeof value === "string" ? value.trim() : "";
  if (!BYTES32.test(text)) {
    throw new InvalidInputError(field, `${field} must be a 32-byte hash (0x followed by 64 hex digits), got ${shown(value)}`);
  }
  if (nonZero && /^0x0{64}$/.test(text)) throw new InvalidInputError(field, `${field} must not be zero`);
  return text.toLowerCase();
}

/**
 * How a bytes32 label (a compute provider) reads: the text it was encoded from when it is a printable bytes32 string
 * (ethers' `encodeBytes32String`), else the hex id itself; null for zero (not declared).
 *
 * @example
 * bytes32Label(encodeBytes32String("aws:eu-central-1")); // "aws:eu-central-1"
 * bytes32Label("0x" + "ab".repeat(32)); // "0xabab…ab"
 */
export function bytes32Label(value: string): string | null {
  if (value === ZeroHash) return null;
  try {
    const text = decodeBytes32String(value);
    if (/^[\x20-\x7e\u00a0-\uffff]+$/u.test(text)) return text;
  } catch {
    // not a bytes32 string: an id
  }
  return value;
}
