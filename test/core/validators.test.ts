/**
 * The one validator of ids, whole numbers, addresses and hashes (src/core/ids.ts, src/core/hex.ts) that the SDK, the
 * CLI, the audit client and the report share: what each accepts, and the one-line InvalidInputError naming the field
 * for what it refuses.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError, PedigreeError } from "../../src/core/errors.ts";
import { bytes32Label, parseAddress, parseBytes32 } from "../../src/core/hex.ts";
import { encodeBytes32String } from "ethers";
import { MAX_ID, parseId, parseIds, parseUint } from "../../src/core/ids.ts";
import { parseTime } from "../../src/core/time.ts";

/** The InvalidInputError `action` throws. */
function refusal(action: () => unknown): InvalidInputError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toBeInstanceOf(PedigreeError);
    return error as InvalidInputError;
  }
  throw new Error("nothing was refused");
}

describe("parseId", () => {
  it("takes a bigint, a safe integer, or a decimal or 0x string, spaces around", () => {
    for (const value of [3n, 3, "3", " 3 ", "0x3", "0x03"]) expect(parseId(value, "versionId")).toBe(3n);
    expect(parseId(MAX_ID, "versionId")).toBe(2n ** 64n - 1n);
    expect(parseId("0", "refId", { allowZero: true })).toBe(0n);
  });

  it("refuses what is not a positive uint64, naming the field and what to give", () => {
    const cases: [unknown, string][] = [
      ["abc", 'versionId must be a positive whole number (an id), got "abc"'],
      ["1.5", 'versionId must be a positive whole number (an id), got "1.5"'],
      [1.5, "versionId must be a positive whole number (an id), got 1.5"],
      [-1, "versionId must be a positive whole number (an id), got -1"],
      [-1n, "versionId must be a positive whole number (an id), got -1"],
      [2 ** 53, "versionId must be a positive whole number (an id), got 9007199254740992"],
      ["", 'versionId must be a positive whole number (an id), got ""'],
      [0n, "versionId must be a positive id; ids start at 1"],
      [MAX_ID + 1n, "versionId 18446744073709551616 is too large for an id (at most 2^64 - 1)"],
    ];
    for (const [value, message] of cases) {
      const error = refusal(() => parseId(value as bigint, "versionId"));
      expect(error.message, String(value)).toBe(message);
      expect(error.field).toBe("versionId");
      expect(error.code).toBe("INVALID_INPUT");
    }
  });

  it("names the index of a bad id in a list", () => {
    expect(parseIds([1, "2", 3n], "parents")).toEqual([1n, 2n, 3n]);
    expect(refusal(() => parseIds([1, "x"], "parents")).field).toBe("parents[1]");
  });
});

describe("parseUint", () => {
  it("takes any whole number that fits the bits, 0 included", () => {
    expect(parseUint(0, "price")).toBe(0n);
    expect(parseUint("0xffffffff", "duration", 32)).toBe(0xffffffffn);
    expect(refusal(() => parseUint(2n ** 32n, "duration", 32)).message).toBe("duration must be between 0 and 2^32 - 1, got 4294967296");
    expect(refusal(() => parseUint("ten", "price")).message).toBe('price must be a whole number, got "ten"');
  });
});

describe("parseAddress", () => {
  const lower = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
  const checksummed = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

  it("checksums an address given in one case, and keeps a right checksum", () => {
    expect(parseAddress(lower, "--for")).toBe(checksummed);
    expect(parseAddress(checksummed, "--for")).toBe(checksummed);
    expect(parseAddress(`0x${"0".repeat(40)}`, "currency")).toBe(`0x${"0".repeat(40)}`);
  });

  it("refuses a malformed address, a wrong checksum, and the zero address where it means nobody", () => {
    expect(refusal(() => parseAddress("0x1234", "--for")).message).toBe('--for must be an Ethereum address (0x followed by 40 hex digits), got "0x1234"');
    expect(refusal(() => parseAddress(undefined, "recipient")).message).toBe("recipient must be an Ethereum address (0x followed by 40 hex digits), got undefined");
    const wrongChecksum = checksummed.replace("0xf39Fd6", "0xF39Fd6");
    expect(refusal(() => parseAddress(wrongChecksum, "--to")).message).toBe(`--to ${wrongChecksum} has a wrong checksum: check it, or write it all in lower case`);
    expect(refusal(() => parseAddress(`0x${"0".repeat(40)}`, "--to", { nonZero: true })).message).toBe("--to must not be the zero address");
  });
});

describe("parseBytes32", () => {
  it("takes 0x and 64 hex digits in either case, as lower case", () => {
    expect(parseBytes32(`0x${"AB".repeat(32)}`, "root")).toBe(`0x${"ab".repeat(32)}`);
    expect(parseBytes32(`0x${"0".repeat(64)}`, "salt")).toBe(`0x${"0".repeat(64)}`);
  });

  it("refuses another length, non-hex digits, and zero where zero means nothing", () => {
    expect(refusal(() => parseBytes32("0x1234", "--fingerprint")).message).toBe('--fingerprint must be a 32-byte hash (0x followed by 64 hex digits), got "0x1234"');
    expect(refusal(() => parseBytes32(`0x${"zz".repeat(32)}`, "root")).field).toBe("root");
    expect(refusal(() => parseBytes32(`0x${"0".repeat(64)}`, "digest", { nonZero: true })).message).toBe("digest must not be zero");
  });
});

describe("bytes32Label", () => {
  it("reads a name back, keeps an id as hex, and says null for zero", () => {
    expect(bytes32Label(encodeBytes32String("aws:eu-central-1"))).toBe("aws:eu-central-1");
    expect(bytes32Label(encodeBytes32String("rechenzentrum-köln"))).toBe("rechenzentrum-köln");
    const id = `0x${"ab".repeat(32)}`;
    expect(bytes32Label(id)).toBe(id);
    const control = encodeBytes32String("gpu\u001b[2J");
    expect(bytes32Label(control)).toBe(control);
    expect(bytes32Label(`0x${"0".repeat(64)}`)).toBeNull();
  });
});

describe("parseTime", () => {
  it("takes ISO 8601 and unix seconds alike", () => {
    expect(parseTime(" 2026-01-31T12:00:00Z ", "--expires").getTime()).toBe(Date.UTC(2026, 0, 31, 12));
    expect(parseTime("1769860800", "time").getTime()).toBe(Date.UTC(2026, 0, 31, 12));
  });

  it("refuses anything else, and times before 1970, naming the field", () => {
    const error = refusal(() => parseTime("yesterday", "--deadline"));
    expect(error.field).toBe("--deadline");
    expect(error.message).toBe('--deadline must be an ISO 8601 time like 2026-01-31T12:00:00Z (or unix seconds), got "yesterday"');
    expect(refusal(() => parseTime("1969-12-31", "time")).message).toBe("time must not be before 1970");
  });
});
