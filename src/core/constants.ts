/**
 * Names the protocol gives to its numbers: attestation kinds, subject types, licence statuses and roles, with the
 * conversions the actions and the error decoder use (names accepted in any case, with `-`, `_` or camelCase).
 */
import { ZeroAddress, ZeroHash, id } from "ethers";
import { InvalidInputError } from "./errors.ts";

/** The address that stands for native ETH wherever the registries take a currency. */
export const ETH_CURRENCY: string = ZeroAddress;

/** Basis points that royalty splits must add up to. */
export const TOTAL_BPS = 10_000;
/** Most royalty recipients one set of terms may have (RoyaltySplits.MAX_RECIPIENTS). */
export const MAX_SPLIT_RECIPIENTS = 16;

/** Built-in attestation kinds (AttestationRegistry), by name. The admin may define more, numbered 8-255. */
export const ATTESTATION_KINDS = {
  "safety-evaluation": 1,
  "bias-check": 2,
  "red-team-report": 3,
  consent: 4,
  "licence-compliance": 5,
  "release-approval": 6,
  "usage-dispute": 7,
} as const;
export type AttestationKindName = keyof typeof ATTESTATION_KINDS;
/** A kind by name (`"safety-evaluation"`) or number (`1`, up to 255 for kinds the admin defined). */
export type AttestationKindInput = AttestationKindName | number;

/** The kind every release policy must include. */
export const RELEASE_APPROVAL_KIND = ATTESTATION_KINDS["release-approval"];

/**
 * Release-policy flag in bit 0 (ModelRegistry.REQUIRE_DECLARED_DATA; kind 0 is never defined): only versions whose
 * training run, and every ancestor's, names registered training data may be approved.
 */
export const REQUIRE_DECLARED_DATA = 1n;

/** Most levels of royalty ancestors above a dataset version (RoyaltyRegistry.MAX_ROYALTY_DEPTH). */
export const MAX_ROYALTY_DEPTH = 4;
/** Most ancestors one payment pays, counted along every path (RoyaltyRegistry.MAX_ROYALTY_ANCESTORS). */
export const MAX_ROYALTY_ANCESTORS = 16;
/** Most contributors a dataset version names (RoyaltyRegistry.MAX_CONTRIBUTORS). */
export const MAX_CONTRIBUTORS = 8;

/** Most parent versions one dataset version may name (DatasetRegistry.MAX_PARENTS). */
export const MAX_PARENTS = 32;

/** How far ahead a signed attestation's deadline may lie (AttestationRegistry.MAX_SIGNATURE_LIFETIME), in seconds. */
export const MAX_SIGNATURE_LIFETIME = 30 * 24 * 3600;

/** What an attestation can be about (contracts/common/Subjects.sol), by name. */
export const SUBJECT_TYPES = {
  "dataset-version": 1,
  "model-version": 2,
  "training-run": 3,
  licence: 4,
  deployment: 5,
  "system-version": 6,
  agent: 7,
  "usage-report": 8,
} as const;
export type SubjectTypeName = keyof typeof SUBJECT_TYPES;
/** A subject type by name (`"model-version"`) or number (1-8). */
export type SubjectTypeInput = SubjectTypeName | number;

/**
 * IDatasetRegistry.LicenceStatus, indexed by its value. A withdrawn dataset's licences stay `Valid`; a licence is
 * `LicenceRefunded` once the dataset's owner revoked consent and paid its unused part back.
 */
export const LICENCE_STATUSES = [
  "Valid",
  "UnknownDatasetVersion",
  "LicenceRefunded",
  "UnknownLicence",
  "WrongDataset",
  "WrongLicensee",
  "Expired",
  "DerivativesForbidden",
  "CommercialUseForbidden",
] as const;
export type LicenceStatusName = (typeof LICENCE_STATUSES)[number];

/** AccessControl roles of the AttestationRegistry, by the short name the CLI uses. */
export const ROLES = {
  admin: ZeroHash,
  evaluator: id("EVALUATOR_ROLE"),
  auditor: id("AUDITOR_ROLE"),
  "release-approver": id("RELEASE_APPROVER_ROLE"),
  "data-steward": id("DATA_STEWARD_ROLE"),
} as const;
export type RoleName = keyof typeof ROLES;
/** A role by short name (`"evaluator"`), Solidity constant name (`"EVALUATOR_ROLE"`) or 32-byte id. */
export type RoleInput = RoleName | string;

/** The Solidity constant name of each role. */
const ROLE_CONSTANTS: Readonly<Record<RoleName, string>> = {
  admin: "DEFAULT_ADMIN_ROLE",
  evaluator: "EVALUATOR_ROLE",
  auditor: "AUDITOR_ROLE",
  "release-approver": "RELEASE_APPROVER_ROLE",
  "data-steward": "DATA_STEWARD_ROLE",
};

/** `SafetyEvaluation`, `SAFETY_EVALUATION`, `safety evaluation` → `safety-evaluation`. */
function normaliseName(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[\s_]+/g, "-")
    .toLowerCase();
}

const KIND_BY_NUMBER = new Map<number, AttestationKindName>(
  Object.entries(ATTESTATION_KINDS).map(([name, kind]) => [kind, name as AttestationKindName]),
);
const SUBJECT_BY_NUMBER = new Map<number, SubjectTypeName>(
  Object.entries(SUBJECT_TYPES).map(([name, type]) => [type, name as SubjectTypeName]),
);

/**
 * The number of an attestation kind given by name or number.
 *
 * @example
 * toKind("bias-check"); // 2
 * toKind("RELEASE_APPROVAL"); // 6
 * toKind(9); // 9 (a kind the admin defined)
 */
export function toKind(kind: AttestationKindInput | string, field = "kind"): number {
  if (typeof kind === "number") {
    if (!Number.isInteger(kind) || kind < 1 || kind > 255) {
      throw new InvalidInputError(field, `${field} must be a kind name or a number from 1 to 255, got ${kind}`, {
        hint: `Use one of: ${Object.keys(ATTESTATION_KINDS).join(", ")}.`,
      });
    }
    return kind;
  }
  const normalised = normaliseName(kind);
  if (/^\d+$/.test(normalised)) return toKind(Number(normalised), field);
  const known = (ATTESTATION_KINDS as Record<string, number>)[normalised];
  if (known === undefined) {
    throw new InvalidInputError(field, `${field}: unknown attestation kind "${kind}"`, {
        hint: `Use one of: ${Object.keys(ATTESTATION_KINDS).join(", ")}, or the number of a kind the admin defined.`,
      });
  }
  return known;
}

/**
 * The name of an attestation kind (`"kind 9"` for kinds without a built-in name).
 *
 * @example
 * kindName(1); // "safety-evaluation"
 */
export function kindName(kind: number | bigint): string {
  return KIND_BY_NUMBER.get(Number(kind)) ?? `kind ${kind}`;
}

/**
 * The number of a subject type given by name or number.
 *
 * @example
 * toSubjectType("model-version"); // 2
 */
export function toSubjectType(subjectType: SubjectTypeInput | string, field = "subjectType"): number {
  if (typeof subjectType === "number") {
    if (!SUBJECT_BY_NUMBER.has(subjectType)) {
      throw new InvalidInputError(field, `${field} must be a subject type from 1 to 6, got ${subjectType}`, {
        hint: `Use one of: ${Object.keys(SUBJECT_TYPES).join(", ")}.`,
      });
    }
    return subjectType;
  }
  const normalised = normaliseName(subjectType);
  if (/^\d+$/.test(normalised)) return toSubjectType(Number(normalised), field);
  const known = (SUBJECT_TYPES as Record<string, number>)[normalised];
  if (known === undefined) {
    throw new InvalidInputError(field, `${field}: unknown subject type "${subjectType}"`, {
        hint: `Use one of: ${Object.keys(SUBJECT_TYPES).join(", ")}.`,
      });
  }
  return known;
}

/**
 * The name of a subject type (`"none"` for 0, `"subject type 9"` for values the contracts do not define).
 *
 * @example
 * subjectTypeName(5); // "deployment"
 */
export function subjectTypeName(subjectType: number | bigint): string {
  if (Number(subjectType) === 0) return "none";
  return SUBJECT_BY_NUMBER.get(Number(subjectType)) ?? `subject type ${subjectType}`;
}

/**
 * The name of a LicenceStatus value.
 *
 * @example
 * licenceStatusName(6); // "Expired"
 */
export function licenceStatusName(status: number | bigint): string {
  return LICENCE_STATUSES[Number(status)] ?? `status ${status}`;
}

/**
 * The 32-byte id of a role given by short name, Solidity constant name or id.
 *
 * @example
 * roleId("evaluator"); // keccak256("EVALUATOR_ROLE")
 * roleId("DEFAULT_ADMIN_ROLE"); // 0x000…0
 */
export function roleId(role: RoleInput, field = "role"): string {
  if (/^0x[0-9a-fA-F]{64}$/.test(role)) return role.toLowerCase();
  const normalised = normaliseName(role).replace(/-role$/, "");
  if (normalised === "default-admin" || normalised === "admin") return ROLES.admin;
  const known = (ROLES as Record<string, string>)[normalised];
  if (known === undefined) {
    throw new InvalidInputError(field, `${field}: unknown role "${role}"`, {
        hint: `Use one of: ${Object.keys(ROLES).join(", ")}, or a 32-byte role id.`,
      });
  }
  return known;
}

/**
 * A readable name of a role id: `evaluator (EVALUATOR_ROLE)`, or the id itself when it is not a known role.
 *
 * @example
 * describeRole(roleId("auditor")); // "auditor (AUDITOR_ROLE)"
 */
export function describeRole(role: string): string {
  const name = roleName(role);
  return name ? `${name} (${ROLE_CONSTANTS[name]})` : `role ${role}`;
}

/**
 * The short name of a role id, or undefined when the id is not one of the built-in roles.
 *
 * @example
 * roleName("0x0000000000000000000000000000000000000000000000000000000000000000"); // "admin"
 */
export function roleName(role: string): RoleName | undefined {
  const lower = role.toLowerCase();
  for (const [name, value] of Object.entries(ROLES)) if (value === lower) return name as RoleName;
  return undefined;
}

/**
 * A release-policy bitmap (bit k = kind k) from a list of kinds.
 *
 * @example
 * kindsToBitmap(["safety-evaluation", "release-approval"]); // 0b1000010n = 66n
 */
export function kindsToBitmap(kinds: readonly (AttestationKindInput | string)[]): bigint {
  let bitmap = 0n;
  kinds.forEach((kind, index) => {
    bitmap |= 1n << BigInt(toKind(kind, `kinds[${index}]`));
  });
  return bitmap;
}

/**
 * The kinds set in a bitmap (bit k = kind k), in increasing order. Bit 0 is not a kind but the
 * {@link REQUIRE_DECLARED_DATA} flag of a release policy, and is left out.
 *
 * @example
 * bitmapToKinds(66n); // [1, 6]
 * bitmapToKinds(67n); // [1, 6] (bit 0: declared training data required)
 */
export function bitmapToKinds(bitmap: bigint): number[] {
  const kinds: number[] = [];
  for (let kind = 1; bitmap >> BigInt(kind) !== 0n; kind += 1) {
    if (((bitmap >> BigInt(kind)) & 1n) === 1n) kinds.push(kind);
  }
  return kinds;
}
