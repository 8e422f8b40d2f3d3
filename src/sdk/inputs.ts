/**
 * Inputs several actions share (dataset versions, licence terms with royalty splits, attestation requests), and their
 * validation into the exact structs the contracts take. Everything here runs before a transaction is built: bad
 * input throws an InvalidInputError and nothing is sent.
 */
import { ZeroAddress, ZeroHash, encodeBytes32String, toUtf8Bytes } from "ethers";
import {
  MAX_PARENTS,
  MAX_SPLIT_RECIPIENTS,
  TOTAL_BPS,
  toKind,
  toSubjectType,
  type AttestationKindInput,
  type SubjectTypeInput,
} from "../core/constants.ts";
import { InvalidInputError } from "../core/errors.ts";
import { REGION_GROUPS, WORLDWIDE, checkRegionSet, regionIndex, regionSet } from "../core/regions.ts";
import { parseAddress, parseBytes32 } from "../core/hex.ts";
import { parseId, parseUint } from "../core/ids.ts";
import { hashOrZero, sha256OfFile, toText, toTimestamp } from "./internal/validate.ts";
import type { IdInput } from "../core/ids.ts";
import type { TimestampInput } from "./types.ts";

/** One published version of a dataset. */
export interface DatasetVersionInput {
  /** Hash of the data itself; non-zero, claimed once per dataset owner (others may claim the same data too). */
  fingerprint: string;
  /** Merkle root over per-item hashes (zero when omitted). */
  manifestRoot?: string;
  /** Hash of the metadata document: datasheet, card (zero when omitted). */
  metadataHash?: string;
  /** Where the data lives: ipfs://, s3://, https://. */
  uri: string;
  /** Regions the data comes from: codes and groups ("EU", ["DE", "AT"]) or a mask; undeclared when omitted or 0n. */
  origin?: RegionSetInput;
  /** The data-handling policy that applies to it (GDPR special category, PII present, consent basis…); none when omitted. */
  handlingPolicy?: HandlingPolicyInput;
}

/**
 * A data-handling policy document: its 32-byte `hash`, or the `file` to hash here with SHA-256 (as the CLI hashes
 * evidence and licence files), and where it lives. Recorded as evidence in the version's event, never enforced.
 */
export interface HandlingPolicyInput {
  /** The policy document's 32-byte hash; give it or `file`. */
  hash?: string;
  /** The policy document, hashed with SHA-256 (what `sha256sum` prints); give it or `hash`. */
  file?: string;
  /** Where the policy document lives (none when omitted). */
  uri?: string;
}

/**
 * A dataset version a new version derives from, and the licence it is used under: a licence of the dataset's owner
 * that allows derivatives, or none (omitted or 0) for the owner's own data. A bare id stands for own data.
 */
export type DatasetParentInput = IdInput | { versionId: IdInput; licenceId?: IdInput };

/** {@link DatasetParentInput}s as the registry takes them: two lists of the same length. */
export interface DatasetParentsStruct {
  parentVersionIds: bigint[];
  parentLicenceIds: bigint[];
}

/** One royalty recipient and its share, in basis points (1 bps = 0.01 %). */
export interface RoyaltySplitInput {
  recipient: string;
  bps: number;
}

/** Licence terms as a dataset owner sets them. */
export interface LicenceTermsInput {
  /** ERC-20 token the price is in; ETH when omitted or the zero address. */
  currency?: string;
  /** Price per licence in the currency's smallest unit (wei for ETH); 0 makes licences free. */
  price: bigint;
  /** Seconds a licence lasts; 0 or omitted = perpetual. */
  duration?: number | bigint;
  /** Whether licensees may use the data commercially. */
  commercialUse: boolean;
  /** Whether licensees may make derivatives, such as trained models. */
  derivativesAllowed: boolean;
  /** Hash of the licence text (zero when omitted). */
  documentHash?: string;
  /** SPDX identifier (`spdx:CC-BY-4.0`) or URI of the licence text. */
  documentURI: string;
  /** Who is paid; required when the price is not 0, shares summing to 10 000 bps. */
  splits?: RoyaltySplitInput[];
  /** Where the data may be used for training and where models derived from it may be deployed; worldwide by default. */
  territories?: TerritoriesInput;
  /** Metering: a price per unit of use, paid with each usage report; not metered when omitted. */
  usage?: { unitPrice: bigint; unit: string };
  /** Share of every payment to a dataset derived under these terms, in bps (0-10 000); none when omitted. */
  derivativeRoyaltyBps?: number;
}

/**
 * A set of regions: ISO 3166-1 alpha-2 codes and groups (EU, EEA, WORLDWIDE) as a list or one comma-separated string
 * ("EU,CH"), or a bit mask as src/core/regions.ts defines it.
 */
export type RegionSetInput = string | readonly string[] | bigint;

/**
 * The territories a dataset version inherits from the licences its parents were used under, as region masks: where it
 * may be used for training and where models derived from it may be deployed, on top of any licence's own terms.
 */
export interface InheritedTerritories {
  training: bigint;
  deployment: bigint;
}

/** Licence territories; each one worldwide when omitted. */
export interface TerritoriesInput {
  /** Where licensed data may be used for training. */
  training?: RegionSetInput;
  /** Where models derived from the data may be deployed. */
  deployment?: RegionSetInput;
}

/** What an attester states about a subject. */
export interface AttestationRequestInput {
  /** What the subject is: `dataset-version`, `model-version`, `training-run`, `licence`, `deployment`, `system-version`, `agent` (or 1-7). */
  subjectType: SubjectTypeInput;
  /** The subject's id in its registry. */
  subjectId: IdInput;
  /** The attestation kind, e.g. `safety-evaluation`, or its number. */
  kind: AttestationKindInput;
  /** When it stops counting; never when omitted. */
  expiresAt?: TimestampInput;
  /** An earlier attestation this one refers to (e.g. a re-evaluation); none when omitted. */
  refId?: IdInput;
  /** Hash of the evidence document (zero when omitted). */
  evidenceHash?: string;
  /** Where the evidence lives. */
  evidenceURI?: string;
}

/** {@link DatasetVersionInput} as the contract takes it. */
export interface DatasetVersionStruct {
  fingerprint: string;
  manifestRoot: string;
  metadataHash: string;
  uri: string;
  originRegions: bigint;
  handlingPolicyHash: string;
  handlingPolicyURI: string;
}

/** {@link LicenceTermsInput} as the contract takes it. */
export interface LicenceTermsStruct {
  currency: string;
  price: bigint;
  duration: bigint;
  commercialUse: boolean;
  derivativesAllowed: boolean;
  documentHash: string;
  documentURI: string;
  splits: { recipient: string; bps: number }[];
  trainingTerritories: bigint;
  deploymentTerritories: bigint;
  unitPrice: bigint;
  unit: string;
  derivativeRoyaltyBps: number;
}

/** {@link AttestationRequestInput} as the contract takes it. */
export interface AttestationRequestStruct {
  subjectType: number;
  subjectId: bigint;
  kind: number;
  expiresAt: bigint;
  refId: bigint;
  evidenceHash: string;
  evidenceURI: string;
}

/**
 * Validates a dataset version into the struct the registry takes (missing hashes become zero, an omitted origin 0:
 * undeclared), hashing the handling policy's file when one is given.
 *
 * @example
 * await toDatasetVersion({ fingerprint: id("data"), uri: "ipfs://bafy…", origin: "EU", handlingPolicy: { file: "./dpia.pdf" } });
 * @throws InvalidInputError for a bad hash, an unknown region code, or a policy given both or neither ways.
 */
export async function toDatasetVersion(version: DatasetVersionInput, field = "version"): Promise<DatasetVersionStruct> {
  if (version === null || typeof version !== "object") {
    throw new InvalidInputError(field, `${field} is required`);
  }
  const struct = {
    fingerprint: parseBytes32(version.fingerprint, `${field}.fingerprint`, { nonZero: true }),
    manifestRoot: hashOrZero(version.manifestRoot, `${field}.manifestRoot`),
    metadataHash: hashOrZero(version.metadataHash, `${field}.metadataHash`),
    uri: toText(version.uri, `${field}.uri`),
    originRegions: version.origin === undefined || version.origin === 0n ? 0n : toRegionSet(version.origin, `${field}.origin`),
  };
  return { ...struct, ...(await toHandlingPolicy(version.handlingPolicy, `${field}.handlingPolicy`)) };
}

/** A handling policy as the registry takes it: its hash (given, or the SHA-256 of its file) and URI; zero and "" when omitted. */
async function toHandlingPolicy(
  policy: HandlingPolicyInput | undefined,
  field: string,
): Promise<{ handlingPolicyHash: string; handlingPolicyURI: string }> {
  if (policy === undefined) return { handlingPolicyHash: ZeroHash, handlingPolicyURI: "" };
  if (policy === null || typeof policy !== "object") {
    throw new InvalidInputError(field, `${field} must be { hash, uri } or { file, uri }`);
  }
  if ((policy.hash === undefined) === (policy.file === undefined)) {
    throw new InvalidInputError(field, `${field} needs exactly one of hash (32 bytes) or file (hashed with SHA-256)`);
  }
  const handlingPolicyHash =
    policy.hash !== undefined
      ? parseBytes32(policy.hash, `${field}.hash`, { nonZero: true })
      : await sha256OfFile(toText(policy.file, `${field}.file`), `${field}.file`);
  return { handlingPolicyHash, handlingPolicyURI: policy.uri === undefined ? "" : toText(policy.uri, `${field}.uri`) };
}

/**
 * Checks royalty splits the way the registry will, so that bad splits never cost a transaction: at least one
 * recipient when the terms are priced (a price, a unit price or a derivative royalty), at most 16, no zero address, no
 * zero share, shares summing to 10 000 bps.
 *
 * @example
 * validateSplits([{ recipient: creator, bps: 8_000 }, { recipient: curator, bps: 2_000 }], true);
 * validateSplits([{ recipient: creator, bps: 8_000 }], true); // throws: shares add up to 8000 bps, not 10 000
 */
export function validateSplits(
  splits: readonly RoyaltySplitInput[] | undefined,
  priced: boolean,
  field = "terms.splits",
): { recipient: string; bps: number }[] {
  const list = splits ?? [];
  if (!Array.isArray(list)) throw new InvalidInputError(field, `${field} must be a list`);
  if (list.length === 0) {
    if (!priced) return [];
    throw new InvalidInputError(field, `${field}: priced terms (a price, a unit price or a derivative royalty) need at least one royalty recipient`, { hint: "Add splits whose shares sum to 10 000 bps (100 %)." });
  }
  if (list.length > MAX_SPLIT_RECIPIENTS) {
    throw new InvalidInputError(field, `${field}: ${list.length} recipients given, at most ${MAX_SPLIT_RECIPIENTS} are allowed`);
  }
  let total = 0;
  const result = list.map((split, index) => {
    const at = `${field}[${index}]`;
    if (split === null || typeof split !== "object") throw new InvalidInputError(at, `${at} must be { recipient, bps }`);
    let recipient: string;
    try {
      recipient = parseAddress(split.recipient, `${at}.recipient`);
    } catch (error) {
      throw new InvalidInputError(`${at}.recipient`, `${at}.recipient is not an Ethereum address: ${JSON.stringify(split.recipient)}`, { cause: error });
    }
    if (recipient === ZeroAddress) {
      throw new InvalidInputError(`${at}.recipient`, `${at}.recipient is the zero address; royalties sent there would be lost`, { hint: "Give every split a real recipient." });
    }
    const bps = toBps(split.bps, `${at}.bps`);
    total += bps;
    return { recipient, bps };
  });
  if (total !== TOTAL_BPS) {
    throw new InvalidInputError(field, `${field}: royalty shares add up to ${total} bps, not 10 000 (100 %)`, { hint: `Adjust the shares so they sum to exactly 10 000 bps (${total < TOTAL_BPS ? `${TOTAL_BPS - total} bps missing` : `${total - TOTAL_BPS} bps too many`}).` });
  }
  return result;
}

/**
 * Validates licence terms into the struct the registry takes.
 *
 * @example
 * const struct = toLicenceTerms({ price: parseEther("0.5"), commercialUse: true, derivativesAllowed: true,
 *   documentURI: "spdx:CC-BY-4.0", splits: [{ recipient: creator, bps: 10_000 }] });
 */
export function toLicenceTerms(terms: LicenceTermsInput, field = "terms"): LicenceTermsStruct {
  if (terms === null || typeof terms !== "object") throw new InvalidInputError(field, `${field} is required`);
  const price = parseUint(terms.price, `${field}.price`, 96);
  if (typeof terms.commercialUse !== "boolean") {
    throw new InvalidInputError(`${field}.commercialUse`, `${field}.commercialUse must be true or false`);
  }
  if (typeof terms.derivativesAllowed !== "boolean") {
    throw new InvalidInputError(`${field}.derivativesAllowed`, `${field}.derivativesAllowed must be true or false`);
  }
  const { unitPrice, unit } = toUsagePricing(terms.usage, `${field}.usage`);
  const derivativeRoyaltyBps = toBps(terms.derivativeRoyaltyBps ?? 0, `${field}.derivativeRoyaltyBps`, { zero: true });
  return {
    currency: terms.currency === undefined ? ZeroAddress : parseAddress(terms.currency, `${field}.currency`),
    price,
    duration: parseUint(terms.duration ?? 0, `${field}.duration`, 32),
    commercialUse: terms.commercialUse,
    derivativesAllowed: terms.derivativesAllowed,
    documentHash: hashOrZero(terms.documentHash, `${field}.documentHash`),
    documentURI: toText(terms.documentURI, `${field}.documentURI`),
    splits: validateSplits(terms.splits, price !== 0n || unitPrice !== 0n || derivativeRoyaltyBps !== 0, `${field}.splits`),
    trainingTerritories: toRegionSet(terms.territories?.training, `${field}.territories.training`),
    deploymentTerritories: toRegionSet(terms.territories?.deployment, `${field}.territories.deployment`),
    unitPrice,
    unit,
    derivativeRoyaltyBps,
  };
}

/** Usage pricing as the registry takes it: a unit price (uint96) and the unit's name; 0 and "" when not metered. */
function toUsagePricing(usage: LicenceTermsInput["usage"], field: string): { unitPrice: bigint; unit: string } {
  if (usage === undefined) return { unitPrice: 0n, unit: "" };
  if (usage === null || typeof usage !== "object") throw new InvalidInputError(field, `${field} must be { unitPrice, unit }`);
  const unitPrice = parseUint(usage.unitPrice, `${field}.unitPrice`, 96);
  if (unitPrice === 0n) throw new InvalidInputError(`${field}.unitPrice`, `${field}.unitPrice must be above 0; omit usage for terms that are not metered`);
  const unit = toText(usage.unit, `${field}.unit`);
  if (unit.trim() === "") throw new InvalidInputError(`${field}.unit`, `${field}.unit must name what is counted, e.g. "samples", "tokens-trained" or "inference-calls"`);
  return { unitPrice, unit };
}

/**
 * A share in basis points: a whole number from 1 (or 0 when `zero`) to 10 000.
 *
 * @example
 * toBps(1_500, "terms.derivativeRoyaltyBps"); // 1500
 */
export function toBps(value: unknown, field: string, options: { zero?: boolean } = {}): number {
  const low = options.zero ? 0 : 1;
  if (typeof value !== "number" || !Number.isInteger(value) || value < low || value > TOTAL_BPS) {
    throw new InvalidInputError(field, `${field} must be a whole number of basis points from ${low} to 10 000, got ${String(value)}`);
  }
  return value;
}

/**
 * A region set as the registries take it (a bit mask); WORLDWIDE when omitted.
 *
 * @example
 * toRegionSet("EU,CH", "territories.training"); // the 27 EU bits and Switzerland's
 * @throws InvalidInputError for an unknown code, an empty set or bits that name no region.
 */
export function toRegionSet(regions: RegionSetInput | undefined, field: string): bigint {
  if (regions === undefined) return WORLDWIDE;
  if (typeof regions === "bigint") return checkRegionSet(regions, field);
  if (typeof regions === "string" || Array.isArray(regions)) return regionSet(regions, field);
  throw new InvalidInputError(field, `${field} must be region codes such as "EU,CH", a list of them, or a bigint mask`);
}

/**
 * A region set that must be given — where a deployment serves, where decisions were made — as the registries take it.
 *
 * @example
 * toRequiredRegionSet("EU,CH", "regions", "the regions the deployment serves"); // the 27 EU bits and Switzerland's
 * @throws InvalidInputError when omitted (saying what the regions are), for an unknown code, an empty set or bits
 * that name no region.
 */
export function toRequiredRegionSet(regions: RegionSetInput | undefined, field: string, what: string): bigint {
  if (regions === undefined) throw new InvalidInputError(field, `${field} is required: ${what}, e.g. "EU", "DE,FR" or "WORLDWIDE"`);
  return toRegionSet(regions, field);
}

/**
 * One region as the registries take it (its index, see src/core/regions.ts), from an ISO 3166-1 alpha-2 code.
 *
 * @example
 * toRegion("de", "trainingRun.region"); // 56n
 * @throws InvalidInputError when omitted, for a group such as EU (one country is needed) or an unknown code.
 */
export function toRegion(code: string | undefined, field: string): bigint {
  if (typeof code !== "string" || code.trim() === "") {
    throw new InvalidInputError(field, `${field} is required: the ISO 3166-1 alpha-2 code of one country, e.g. "DE"`);
  }
  const name = code.trim().toUpperCase();
  if (name in REGION_GROUPS || name === "WORLDWIDE" || name === "*") {
    throw new InvalidInputError(field, `${field} must be one country, not the group ${name}: give a code such as DE`);
  }
  return BigInt(regionIndex(name, field));
}

/**
 * A compute provider id as the registry takes it (bytes32): a 32-byte hex id as given, or a name of at most 31 bytes
 * (e.g. "aws:eu-central-1") stored as a bytes32 string, which ethers' `decodeBytes32String` reads back; zero when
 * omitted (not declared).
 *
 * @example
 * toComputeProvider("ovh:gra", "trainingRun.computeProvider"); // "0x6f76683a677261000…"
 * @throws InvalidInputError for an empty name or one longer than 31 bytes.
 */
export function toComputeProvider(value: string | undefined, field: string): string {
  if (value === undefined) return ZeroHash;
  if (typeof value === "string" && /^0x[0-9a-fA-F]{64}$/.test(value.trim())) return parseBytes32(value, field);
  if (typeof value !== "string" || value.trim() === "" || toUtf8Bytes(value).length > 31) {
    throw new InvalidInputError(field, `${field} must be a name of 1 to 31 bytes (e.g. "aws:eu-central-1") or a 32-byte hex id`);
  }
  return encodeBytes32String(value);
}

/**
 * Validates an attestation request into the struct the registry takes (names become numbers, dates unix seconds).
 *
 * @example
 * toAttestationRequest({ subjectType: "model-version", subjectId: 4n, kind: "bias-check" });
 * // { subjectType: 2, subjectId: 4n, kind: 2, expiresAt: 0n, refId: 0n, evidenceHash: ZeroHash, evidenceURI: "" }
 */
export function toAttestationRequest(request: AttestationRequestInput, field = "request"): AttestationRequestStruct {
  if (request === null || typeof request !== "object") throw new InvalidInputError(field, `${field} is required`);
  return {
    subjectType: toSubjectType(request.subjectType, `${field}.subjectType`),
    subjectId: parseId(request.subjectId, `${field}.subjectId`),
    kind: toKind(request.kind, `${field}.kind`),
    expiresAt: request.expiresAt === undefined ? 0n : toTimestamp(request.expiresAt, `${field}.expiresAt`),
    refId: request.refId === undefined ? 0n : parseId(request.refId, `${field}.refId`, { allowZero: true }),
    evidenceHash: hashOrZero(request.evidenceHash, `${field}.evidenceHash`),
    evidenceURI: toText(request.evidenceURI ?? "", `${field}.evidenceURI`, { allowEmpty: true }),
  };
}

/**
 * Validates the parents of a dataset version into the registry's two lists (at most {@link MAX_PARENTS}).
 *
 * @example
 * toParents([1n, { versionId: 4n, licenceId: 2n }]); // { parentVersionIds: [1n, 4n], parentLicenceIds: [0n, 2n] }
 */
export function toParents(parents: readonly DatasetParentInput[] | undefined, field = "parents"): DatasetParentsStruct {
  const list = parents ?? [];
  if (!Array.isArray(list)) throw new InvalidInputError(field, `${field} must be a list of dataset versions`);
  if (list.length > MAX_PARENTS) {
    throw new InvalidInputError(field, `${field}: ${list.length} parents given, at most ${MAX_PARENTS} are allowed`, { hint: "Name the direct parents only; their own parents are already on-chain." });
  }
  const parentVersionIds: bigint[] = [];
  const parentLicenceIds: bigint[] = [];
  list.forEach((parent, index) => {
    const at = `${field}[${index}]`;
    const isObject = parent !== null && typeof parent === "object";
    parentVersionIds.push(parseId(isObject ? parent.versionId : parent, isObject ? `${at}.versionId` : at));
    parentLicenceIds.push(isObject && parent.licenceId !== undefined ? parseId(parent.licenceId, `${at}.licenceId`, { allowZero: true }) : 0n);
  });
  return { parentVersionIds, parentLicenceIds };
}
