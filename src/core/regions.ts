/**
 * Regions for jurisdictions, licence territories and deployment regions — chain-free, shared by the SDK, the CLI, the
 * audit and the report, and mirrored on chain by contracts/common/Regions.sol.
 *
 * A region is an ISO 3166-1 alpha-2 country code; a region set is a uint256 bit mask in which bit i stands for
 * {@link REGION_CODES}[i]. The list is frozen — the 249 codes assigned in ISO 3166-1 when Pedigree adopted it, in
 * alphabetical order — because the chain stores the bits: a code ISO assigns later is appended, never inserted, and a
 * withdrawn code keeps its bit (test/core/regions.test.ts compares the list with the `iso-3166` package). Named groups
 * (EU, EEA, WORLDWIDE) are shorthands expanded here; the chain only sees bits.
 */
import { InvalidInputError } from "./errors.ts";

/** Bit i of a region set is REGION_CODES[i]. Frozen: append new codes, never reorder. */
export const REGION_CODES: readonly string[] = Object.freeze([
  "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE",
  "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD",
  "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
  "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
  "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU",
  "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
  "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME",
  "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
  "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
  "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI",
  "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK",
  "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
  "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
]);

/** Every region: the set a worldwide licence territory holds. */
export const WORLDWIDE: bigint = (1n << BigInt(REGION_CODES.length)) - 1n;

/** The 27 member states of the European Union. */
const EU = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"];

/** Named groups a region set may use; `WORLDWIDE` (or `*`) is every region. */
export const REGION_GROUPS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  EU,
  EEA: [...EU, "IS", "LI", "NO"],
});

const INDEX = new Map(REGION_CODES.map((code, index) => [code, index]));

/**
 * The bit index of one region code (case-insensitive).
 *
 * @example
 * regionIndex("de", "--region"); // 56
 * @throws InvalidInputError for a code that is not an ISO 3166-1 alpha-2 country code.
 */
export function regionIndex(code: string, field: string): number {
  const index = typeof code === "string" ? INDEX.get(code.trim().toUpperCase()) : undefined;
  if (index === undefined) {
    throw new InvalidInputError(field, `${field}: ${JSON.stringify(code)} is not an ISO 3166-1 alpha-2 country code (e.g. DE, FR, US) nor a group (${groupNames()})`);
  }
  return index;
}

function groupNames(): string {
  return [...Object.keys(REGION_GROUPS), "WORLDWIDE"].join(", ");
}

/**
 * A region set from codes and groups, as a list or one comma-separated string.
 *
 * @example
 * regionSet("EU,CH", "--territories"); // the 27 EU bits and Switzerland's
 * regionSet("worldwide", "--territories") === WORLDWIDE;
 * @throws InvalidInputError for an unknown code or group, or an empty set.
 */
export function regionSet(regions: string | readonly string[], field: string): bigint {
  const items = (typeof regions === "string" ? regions.split(",") : [...regions]).map((r) => String(r).trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidInputError(field, `${field} is empty: give regions such as EU,CH or WORLDWIDE`);
  let set = 0n;
  for (const item of items) {
    const name = item.toUpperCase();
    if (name === "WORLDWIDE" || name === "*") return WORLDWIDE;
    const group = REGION_GROUPS[name];
    for (const code of group ?? [item]) set |= 1n << BigInt(regionIndex(code, field));
  }
  return set;
}

/**
 * Checks a region set read from the chain or given as a number: non-empty, and only bits of known regions.
 *
 * @throws InvalidInputError naming the unknown bits.
 */
export function checkRegionSet(set: bigint, field: string): bigint {
  if (typeof set !== "bigint" || set <= 0n) throw new InvalidInputError(field, `${field} is empty: give at least one region`);
  if ((set & ~WORLDWIDE) !== 0n) throw new InvalidInputError(field, `${field} has bits that name no region: 0x${(set & ~WORLDWIDE).toString(16)}`);
  return set;
}

/** The codes of a region set, in list order. */
export function regionCodes(set: bigint): string[] {
  return REGION_CODES.filter((_code, index) => ((set >> BigInt(index)) & 1n) === 1n);
}

/** Whether `set` holds the region with bit `index`. */
export function holdsRegion(set: bigint, index: number): boolean {
  return ((set >> BigInt(index)) & 1n) === 1n;
}

/** A short reading of a list of region codes (see {@link describeRegions}); "none" for an empty list. */
export function describeRegionCodes(codes: readonly string[]): string {
  return codes.length === 0 ? "none" : describeRegions(regionSet(codes, "regions"));
}

/**
 * A short reading of a region set: "worldwide", or its groups and codes ("EU, CH"); "none" for the empty set.
 *
 * @example
 * describeRegions(regionSet("EEA", "t")); // "EEA"
 */
export function describeRegions(set: bigint): string {
  if (set === 0n) return "none";
  if ((set & WORLDWIDE) === WORLDWIDE) return "worldwide";
  let rest = set;
  const parts: string[] = [];
  for (const [name, codes] of Object.entries(REGION_GROUPS).sort((a, b) => b[1].length - a[1].length)) {
    const group = regionSet(codes, name);
    if ((rest & group) === group) {
      parts.push(name);
      rest &= ~group;
    }
  }
  return [...parts, ...regionCodes(rest)].join(", ");
}
