/**
 * "Who claims this content?" — every claim of a content digest, in chain order: the dataset versions registered with a
 * fingerprint, or the model versions registered with a weights hash, each with its claimant (the dataset's or model's
 * owner when it was published), the commit–reveal priority proven for it, and the attestations on it.
 *
 * The registries let several accounts claim one digest, so that nobody can lock a creator out of their own record by
 * registering its fingerprint first. An audit therefore never picks one claim silently: it lists them all and says
 * which is whose, which was registered first, and which holds the earliest proven commitment.
 */
import { InvalidInputError } from "../core/errors.ts";
import type { AuditClient } from "./client.ts";
import {
  FingerprintClaimsOfDocument,
  WeightsClaimsOfDocument,
  type DatasetClaimFieldsFragment,
  type FingerprintClaimsFragment,
  type ModelClaimFieldsFragment,
  type WeightsClaimsFragment,
} from "./generated/graphql.ts";
import { asOfOf, attestationOf, createdStamp, stamp, toBytes32 } from "./shared.ts";
import type { AsOf, AttestationInfo, TxStamp } from "./types.ts";

/** What a digest identifies: a dataset version's fingerprint or a model version's weights hash. */
export type DigestKind = "dataset-fingerprint" | "model-weights";

/** One claim of a digest: a version registered with it. */
export interface ClaimInfo {
  versionId: string;
  /** The dataset (for a fingerprint) or model (for weights) the version belongs to, and that asset's owner now. */
  assetId: string;
  assetOwner: string;
  /** The version's number within its dataset or model. */
  number: number;
  /** Who claims the digest: the asset's owner when the version was published. */
  claimant: string;
  /** Who sent the transaction (the claimant or an operator of its tokens). */
  publisher: string;
  uri: string;
  registered: TxStamp & { logIndex: number };
  /** The earliest commitment proven for the claim (commit–reveal), and its block when indexed; null if none. */
  priority: { committedAt: number; commitmentBlock: number | null; proven: TxStamp } | null;
  /** Attestations on the version (e.g. a data steward's consent): who vouches for this claim. */
  attestations: AttestationInfo[];
}

/** Every claim of one digest. */
export interface DigestClaims {
  kind: DigestKind;
  digest: string;
  /** In chain order: block, then log index. */
  claims: ClaimInfo[];
  /** More than one account claims the digest. */
  competing: boolean;
  /** The version registered first; null when nothing claims the digest. */
  firstRegistered: string | null;
  /** The version known earliest: the earliest proven commitment time, or else registration time; null when none. */
  earliestPriority: string | null;
  /** One plain sentence: who claims it, in order, and who was first. */
  statement: string;
}

/** The answer of {@link claimsOf}. */
export interface ClaimsOfResult extends DigestClaims {
  asOf: AsOf;
}

/** One claim as the subgraph answers it: a dataset version or a model version registered with the digest. */
type RawClaim = DatasetClaimFieldsFragment | ModelClaimFieldsFragment;

function claimOf(raw: RawClaim, now: number | null): ClaimInfo {
  const proof = raw.priorityProofs[0];
  return {
    versionId: raw.id,
    assetId: raw.asset.id,
    assetOwner: raw.asset.owner.id,
    number: raw.number,
    claimant: raw.claimant.id,
    publisher: raw.publisher.id,
    uri: raw.uri,
    registered: { ...createdStamp(raw), logIndex: Number(raw.createdLogIndex) },
    priority:
      raw.priorityCommittedAt !== null && proof
        ? {
            committedAt: Number(raw.priorityCommittedAt),
            commitmentBlock: raw.priorityCommitmentBlock === null ? null : Number(raw.priorityCommitmentBlock),
            proven: stamp(proof),
          }
        : null,
    attestations: raw.attestations.map((a) => attestationOf(a, now)),
  };
}

const chainOrder = (a: ClaimInfo, b: ClaimInfo): number =>
  a.registered.blockNumber - b.registered.blockNumber || a.registered.logIndex - b.registered.logIndex;

/** When the claimant is known to have had the digest: its proven commitment, else its registration. */
const knownSince = (c: ClaimInfo): number => c.priority?.committedAt ?? c.registered.timestamp;

function label(kind: DigestKind): string {
  return kind === "dataset-fingerprint" ? "fingerprint" : "weights hash";
}

/** "0xA (dataset 1 version 2, block 10, committed earlier at block 8)". */
export function describeClaim(kind: DigestKind, claim: ClaimInfo): string {
  const asset = kind === "dataset-fingerprint" ? "dataset" : "model";
  const where = `${asset} ${claim.assetId} version ${claim.number} (id ${claim.versionId}), block ${claim.registered.blockNumber}`;
  const priority = claim.priority
    ? `, committed earlier at ${claim.priority.commitmentBlock === null ? `unix time ${claim.priority.committedAt}` : `block ${claim.priority.commitmentBlock}`}`
    : "";
  return `${claim.claimant} (${where}${priority})`;
}

function statementOf(kind: DigestKind, digest: string, claims: ClaimInfo[], first: ClaimInfo | undefined, earliest: ClaimInfo | undefined): string {
  const what = `${label(kind)} ${digest}`;
  if (!first || !earliest) return `No ${kind === "dataset-fingerprint" ? "dataset" : "model"} version is registered with ${what}.`;
  if (claims.length === 1) return `${what} is claimed by ${describeClaim(kind, first)} alone.`;
  const listed = claims.map((c) => describeClaim(kind, c));
  const list = `${listed.slice(0, -1).join(", ")} and ${listed.at(-1)}`;
  const firstly =
    first === earliest
      ? `${first.claimant} registered first and holds the earliest claim.`
      : `${first.claimant} registered first; ${earliest.claimant} holds the earliest claim (its commitment predates ${first.claimant}'s ${first.priority ? "commitment" : "registration"}).`;
  return `${what} is claimed by ${claims.length} accounts, in chain order: ${list}. ${firstly}`;
}

/** Every claim of `digest`, in chain order, with who was first; `now` (unix seconds) decides attestation expiry. */
export function digestClaimsOf(kind: DigestKind, digest: string, raws: readonly RawClaim[], now: number | null): DigestClaims {
  const claims = raws.map((r) => claimOf(r, now)).sort(chainOrder);
  const first = claims[0];
  const earliest = [...claims].sort((a, b) => knownSince(a) - knownSince(b) || chainOrder(a, b))[0];
  return {
    kind,
    digest,
    claims,
    competing: new Set(claims.map((c) => c.claimant)).size > 1,
    firstRegistered: first?.versionId ?? null,
    earliestPriority: earliest?.versionId ?? null,
    statement: statementOf(kind, digest, claims, first, earliest),
  };
}

/** The claims of one digest from a `content { ...FingerprintClaims }` or `{ ...WeightsClaims }` selection (null: none). */
export function claimsFromContent(
  kind: DigestKind,
  digest: string,
  content: FingerprintClaimsFragment | WeightsClaimsFragment | null,
  now: number | null,
): DigestClaims {
  return digestClaimsOf(kind, digest, content?.claims ?? [], now);
}

/** Asks the subgraph for every claim of `digest`, with the answer's block. */
export async function fetchClaims(client: AuditClient, kind: DigestKind, digest: string): Promise<{ asOf: AsOf; claims: DigestClaims }> {
  const data =
    kind === "dataset-fingerprint"
      ? await client.request(FingerprintClaimsOfDocument, { digest })
      : await client.request(WeightsClaimsOfDocument, { digest });
  const asOf = asOfOf(client, data._meta);
  return { asOf, claims: claimsFromContent(kind, digest, data.content, asOf.timestamp) };
}

/**
 * Every claim of a dataset fingerprint or a model weights hash, in chain order, with each claimant, its proven
 * commit–reveal priority and the attestations on each claimed version, and a plain statement of who was first. One
 * GraphQL round trip.
 *
 * @example
 * const { claims, competing, statement } = await claimsOf(client, { fingerprint: "0x9f…" });
 * // "fingerprint 0x9f… is claimed by 2 accounts, in chain order: 0xb0… (dataset 4 version 1 (id 6), block 12) and
 * //  0xa1… (dataset 1 version 1 (id 1), block 14, committed earlier at block 9). 0xb0… registered first; 0xa1… holds
 * //  the earliest claim (its commitment predates 0xb0…'s registration)."
 * @throws InvalidInputError when neither a fingerprint nor a weights hash (bytes32) is given.
 */
export async function claimsOf(client: AuditClient, digest: { fingerprint: string } | { weightsHash: string }): Promise<ClaimsOfResult> {
  if (digest === null || typeof digest !== "object" || (!("fingerprint" in digest) && !("weightsHash" in digest))) {
    throw new InvalidInputError("digest", "give { fingerprint } of a dataset version or { weightsHash } of a model version");
  }
  const { asOf, claims } =
    "fingerprint" in digest
      ? await fetchClaims(client, "dataset-fingerprint", toBytes32(digest.fingerprint, "fingerprint"))
      : await fetchClaims(client, "model-weights", toBytes32(digest.weightsHash, "weightsHash"));
  return { asOf, ...claims };
}
