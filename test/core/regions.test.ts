/**
 * Region sets (src/core/regions.ts): the frozen ISO 3166-1 list against the `iso-3166` package, groups, parsing with
 * one-line errors, the reading of a set, and agreement with contracts/common/Regions.sol.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { iso31661 } from "iso-3166";
import { InvalidInputError } from "../../src/core/errors.ts";
import {
  REGION_CODES,
  REGION_GROUPS,
  WORLDWIDE,
  checkRegionSet,
  describeRegions,
  holdsRegion,
  regionCodes,
  regionIndex,
  regionSet,
} from "../../src/core/regions.ts";

const errorOf = (action: () => unknown): InvalidInputError => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).not.toContain("\n");
    return error as InvalidInputError;
  }
  throw new Error("nothing was thrown");
};

describe("the region list", () => {
  it("holds every assigned ISO 3166-1 alpha-2 code once, and nothing else (append new codes at the end)", () => {
    const assigned = iso31661.filter((c) => c.state === "assigned").map((c) => c.alpha2);
    expect(new Set(REGION_CODES).size).toBe(REGION_CODES.length);
    expect([...REGION_CODES].sort()).toEqual([...assigned].sort());
  });

  it("keeps its order: a code's bit never moves (the chain stores the bits)", () => {
    expect(REGION_CODES.slice(0, 3)).toEqual(["AD", "AE", "AF"]);
    expect([regionIndex("DE", "r"), regionIndex("FR", "r"), regionIndex("US", "r"), regionIndex("ZW", "r")]).toEqual([56, 74, 232, 248]);
  });

  it("has as many regions as the contracts' Regions.COUNT", () => {
    const solidity = readFileSync("contracts/common/Regions.sol", "utf8");
    expect(solidity).toContain(`uint256 internal constant COUNT = ${REGION_CODES.length};`);
    expect(WORLDWIDE).toBe((1n << 249n) - 1n);
  });

  it("has groups made of listed codes: the 27 EU states, and the EEA = EU + Iceland, Liechtenstein, Norway", () => {
    expect(REGION_GROUPS.EU).toHaveLength(27);
    expect(REGION_GROUPS.EEA).toEqual(expect.arrayContaining([...REGION_GROUPS.EU!, "IS", "LI", "NO"]));
    for (const codes of Object.values(REGION_GROUPS)) for (const code of codes) expect(REGION_CODES).toContain(code);
  });
});

describe("regionSet", () => {
  it("reads codes and groups, case-insensitive, from a list or a comma-separated string", () => {
    const set = regionSet("eu, CH", "--territories");
    expect(regionCodes(set)).toEqual([...REGION_GROUPS.EU!, "CH"].sort());
    expect(regionSet(["EU", "CH"], "t")).toBe(set);
    expect(regionSet("WORLDWIDE", "t")).toBe(WORLDWIDE);
    expect(regionSet("*", "t")).toBe(WORLDWIDE);
    expect(holdsRegion(set, regionIndex("DE", "r"))).toBe(true);
    expect(holdsRegion(set, regionIndex("US", "r"))).toBe(false);
  });

  it("refuses unknown codes and empty sets with one line naming the option", () => {
    expect(errorOf(() => regionSet("DE,XX", "--territories")).message).toBe(
      '--territories: "XX" is not an ISO 3166-1 alpha-2 country code (e.g. DE, FR, US) nor a group (EU, EEA, WORLDWIDE)',
    );
    expect(errorOf(() => regionSet(" , ", "--territories")).message).toBe("--territories is empty: give regions such as EU,CH or WORLDWIDE");
    expect(errorOf(() => regionIndex("GER", "--region")).field).toBe("--region");
  });
});

describe("checkRegionSet and describeRegions", () => {
  it("accepts known non-empty sets, refuses empty ones and unknown bits", () => {
    expect(checkRegionSet(WORLDWIDE, "t")).toBe(WORLDWIDE);
    expect(errorOf(() => checkRegionSet(0n, "terms.trainingTerritories")).message).toBe("terms.trainingTerritories is empty: give at least one region");
    expect(errorOf(() => checkRegionSet(1n << 249n, "t")).message).toBe(`t has bits that name no region: 0x${(1n << 249n).toString(16)}`);
  });

  it("reads a set back as groups and codes", () => {
    expect(describeRegions(WORLDWIDE)).toBe("worldwide");
    expect(describeRegions(regionSet("EEA,CH", "t"))).toBe("EEA, CH");
    expect(describeRegions(regionSet("EU", "t"))).toBe("EU");
    expect(describeRegions(regionSet("DE,US", "t"))).toBe("DE, US");
    expect(describeRegions(0n)).toBe("none");
  });
});
