/**
 * The explanation table: for each custom error of the registries, RoyaltySplits, OpenZeppelin and ERC-20, the readable
 * sentence its arguments make and the next step, naming SDK functions (never commands: a program built on the SDK
 * words its own hints). Also how each argument is shown: enum values, kinds and roles by name, amounts in ETH, times
 * in ISO 8601.
 */
import { formatEther, getAddress, ZeroAddress } from "ethers";
import {
  REQUIRE_DECLARED_DATA,
  bitmapToKinds,
  describeRole,
  kindName,
  licenceStatusName,
  roleName,
  subjectTypeName,
} from "../../core/constants.ts";
import { REGION_CODES, describeRegions } from "../../core/regions.ts";
import type { ContractErrorArgs } from "./contract.ts";

function address(value: unknown): string {
  try {
    return getAddress(String(value));
  } catch {
    return String(value);
  }
}

function eth(value: unknown): string {
  return `${formatEther(BigInt(value as bigint))} ETH`;
}

function currencyName(currency: unknown): string {
  return address(currency) === ZeroAddress ? "ETH" : `token ${address(currency)}`;
}

function time(value: unknown): string {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 8.64e12) return String(value);
  return `${value} (${new Date(seconds * 1000).toISOString().replace(".000Z", "Z")})`;
}

/** One region index as its code ("DE"); an index that names no region as itself. */
function region(value: unknown): string {
  const code = REGION_CODES[Number(value)];
  return code === undefined ? `region ${String(value)}` : code;
}

/** A subject as people say it: "system version 3"; "system version" without an id. */
function subject(subjectType: unknown, subjectId?: unknown): string {
  const name = subjectTypeName(subjectType as bigint).replace(/-/g, " ");
  return subjectId === undefined ? name : `${name} ${String(subjectId)}`;
}

/** A region set read shortly: "worldwide", groups and codes ("EU, CH"). */
function regions(value: unknown): string {
  return describeRegions(BigInt(value as bigint));
}

function kindList(bitmap: unknown): string {
  const value = BigInt(bitmap as bigint);
  const names = bitmapToKinds(value).map((kind) => kindName(kind));
  if ((value & REQUIRE_DECLARED_DATA) !== 0n) names.push("declared training data");
  return names.length === 0 ? "none" : names.join(", ");
}

const PANIC_REASONS: Readonly<Record<number, string>> = {
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division by zero",
  0x21: "invalid enum value",
  0x22: "invalid storage byte array",
  0x31: "pop on an empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to an uninitialised function",
};

/** Per-argument formatting by the argument's name, where the name says more than the type. */
export function formatArg(errorName: string, name: string, type: string, value: unknown): string {
  if (name === "status") return licenceStatusName(value as bigint);
  if (name === "subjectType") return subjectTypeName(value as bigint);
  if (name === "kind") return `${kindName(value as bigint)} (${value})`;
  if (name === "role" || name === "neededRole") return describeRole(String(value));
  if (name === "missingKinds" || name === "requiredKinds") return kindList(value);
  if (name === "currency") return currencyName(value);
  if (name === "region" && errorName !== "UnknownRegion") return region(value);
  if (name === "regions" || name === "allowed") return regions(value);
  if (errorName === "WrongPayment" || errorName === "UnexpectedEther") return eth(value);
  if (name === "digest" || name === "commitment" || name === "root") return String(value);
  if (name === "expiresAt" || name === "deadline" || name.startsWith("window")) return time(value);
  if (type === "address") return address(value);
  return String(value);
}

/** What an error means, as a sentence, and the next step. */
export interface Explanation {
  text: string;
  hint?: string;
}

type Explain = (args: ContractErrorArgs) => Explanation;

const grantHint = (roleHash: unknown, account: unknown): string => {
  const name = roleName(String(roleHash));
  if (name === "admin") return "Only an admin may do this; send from an admin account.";
  return `Ask an admin to grant ${address(account)} the ${name ?? String(roleHash)} role (grantRole).`;
};

const LICENCE_STATUS_HINTS: Readonly<Record<string, string>> = {
  UnknownDatasetVersion: "Check the dataset version id.",
  LicenceRefunded:
    "The dataset's owner revoked consent and refunded this licence; withdraw the refund (withdrawRoyalties) and use other data.",
  UnknownLicence: "Acquire a licence of the dataset (acquireLicence).",
  WrongDataset: "That licence is for another dataset; acquire one for this dataset (acquireLicence).",
  WrongLicensee: "The model's owner must hold the licence; acquire one with the model owner as licensee (acquireLicence).",
  Expired: "Acquire a new licence (acquireLicence).",
  DerivativesForbidden: "Its terms forbid derivatives; ask the dataset owner for terms that allow training (setTerms).",
  CommercialUseForbidden:
    "The model is commercial but the licence is not; acquire a licence under commercial terms, or use a non-commercial model.",
};

/** The readable sentence and next step of each custom error; unlisted errors fall back to `Name(arg: value, …)`. */
export const EXPLAIN: Readonly<Record<string, Explain>> = {
  // ---------------------------------------------------------------- DatasetRegistry
  UnknownDataset: (a) => ({ text: `dataset ${a.datasetId} does not exist.`, hint: "Check the dataset id." }),
  UnknownDatasetVersion: (a) => ({
    text: `dataset version ${a.versionId} does not exist.`,
    hint: "Check the dataset version id.",
  }),
  UnknownLicence: (a) => ({
    text: `licence ${a.licenceId} does not exist.`,
    hint: "Check the licence id, or acquire a licence (acquireLicence).",
  }),
  NotDatasetOwner: (a) => ({
    text: `${address(a.account)} is neither the owner of dataset ${a.datasetId} nor an operator for all its owner's tokens.`,
    hint: "Send from the dataset owner's account, or have the owner make this account an operator (setApprovalForAll); approving a single token is not enough.",
  }),
  DatasetIsWithdrawn: (a) => ({
    text: `dataset ${a.datasetId} was withdrawn by its creator; it takes no new versions, terms or licences (licences already sold stay valid).`,
    hint: "Use another dataset, or a licence bought before the withdrawal.",
  }),
  ConsentIsRevoked: (a) => ({
    text: `consent to use dataset ${a.datasetId} was revoked.`,
    hint: "Its data may not be used again, nor its consent revoked twice; use other data.",
  }),
  ConsentNotRevoked: (a) => ({
    text: `consent to use dataset ${a.datasetId} has not been revoked, so its licences cannot be refunded.`,
    hint: "Licences are only voided after a consent revocation: revoke consent first (revokeConsent).",
  }),
  ZeroFingerprint: () => ({ text: "the dataset fingerprint is zero.", hint: "Fingerprint the data and pass its hash." }),
  TooManyParents: (a) => ({
    text: `${a.count} parent versions given; at most ${a.max} are allowed.`,
    hint: "Name the direct parents only; their own parents are already on-chain.",
  }),
  ParentLengthMismatch: (a) => ({
    text: `${a.parents} parent versions were given with ${a.licences} parent licences.`,
    hint: "Give one licence per parent (0 for the owner's own data).",
  }),
  ParentNotUsable: (a) => {
    const status = licenceStatusName(a.status as bigint);
    const own = BigInt(a.licenceId as bigint) === 0n;
    return {
      text: own
        ? `dataset version ${a.parentVersionId} is not the owner's own data, and no licence was given for it.`
        : `dataset version ${a.parentVersionId} cannot be derived from under licence ${a.licenceId} (${status}).`,
      hint: own
        ? "Acquire a licence of its dataset that allows derivatives (acquireLicence) and name it with the parent: { versionId, licenceId }."
        : LICENCE_STATUS_HINTS[status],
    };
  },
  LicenceAlreadyRefunded: (a) => ({ text: `licence ${a.licenceId} was already refunded.`, hint: "Nothing is left to do for it." }),
  LicenceExpired: (a) => ({
    text: `licence ${a.licenceId} expired at ${time(a.expiresAt)}: nothing is left to refund.`,
    hint: "An expired licence grants nothing more; no refund is needed.",
  }),
  NoTermsSet: (a) => ({
    text: `dataset ${a.datasetId} has no licence terms: never set, or cleared when it changed hands.`,
    hint: "Ask the dataset owner to set terms (setTerms).",
  }),
  TermsChanged: (a) => ({
    text: `the terms of dataset ${a.datasetId} changed: you agreed to terms ${a.expectedTermsId} but terms ${a.currentTermsId} are current.`,
    hint: `Review terms ${a.currentTermsId} and acquire again (acquireLicence).`,
  }),
  ZeroLicensee: () => ({ text: "the licensee is the zero address.", hint: "Name the account that will hold the licence." }),
  WrongPayment: (a) => ({
    text: `${eth(a.expected)} is due but ${eth(a.sent)} was sent.`,
    hint: "Send the price of the current terms, what the deposit leaves of a usage report, or at least the refund due (acquireLicence, reportUsage and refundLicence read it for you).",
  }),
  UnexpectedEther: (a) => ({
    text: `${eth(a.sent)} was sent but the terms are priced in an ERC-20 token.`,
    hint: "Send no ETH; the treasury (RoyaltyRegistry) collects the token through an allowance.",
  }),
  TransferShortfall: (a) => ({
    text: `token ${address(a.currency)} delivered ${a.received} of the ${a.expected} units due (a fee-on-transfer token?).`,
    hint: "Such tokens cannot pay for licences; ask the dataset owner to price the terms in another currency.",
  }),
  NothingToWithdraw: (a) => ({
    text: `${address(a.account)} has no ${currencyName(a.currency)} royalties or refunds to withdraw.`,
    hint: "Check the balance first (royaltiesOf).",
  }),
  ZeroDestination: () => ({ text: "the withdrawal destination is the zero address.", hint: "Name a destination address." }),
  EtherTransferFailed: (a) => ({
    text: `sending ${eth(a.amount)} to ${address(a.to)} failed: the recipient does not accept ETH.`,
    hint: "Withdraw to an address that accepts ETH.",
  }),
  // ---------------------------------------------------------------- Claims (DatasetRegistry and ModelRegistry)
  AlreadyClaimed: (a) => ({
    text: `${address(a.claimant)} already claimed ${a.digest}, as version ${a.versionId}.`,
    hint: `An owner claims the same data or weights once; refer to version ${a.versionId} instead.`,
  }),
  UnknownClaim: (a) => ({
    text: `${address(a.claimant)} has not claimed ${a.digest}.`,
    hint: "Publish the version first, then prove its priority (proveClaimPriority).",
  }),
  ZeroCommitment: () => ({ text: "the claim commitment is zero.", hint: "Compute it from the digest and a salt (commitClaim)." }),
  AlreadyCommitted: (a) => ({
    text: `commitment ${a.commitment} was already made; its first time stands.`,
    hint: "Nothing to do: prove it after publishing, or commit with a new salt.",
  }),
  UnknownCommitment: (a) => ({
    text: `no commitment ${a.commitment} was made for this claimant, digest and salt on this registry.`,
    hint: "Pass the salt file written when committing, for the same registry (datasets or models) and claimant.",
  }),
  // ---------------------------------------------------------------- Regions (licence territories)
  EmptyRegionSet: () => ({
    text: "a territory names no region.",
    hint: "Give ISO 3166-1 alpha-2 codes or groups such as EU,CH, or WORLDWIDE.",
  }),
  UnknownRegions: (a) => ({
    text: `a territory has bits that name no region: 0x${BigInt(a.unknownBits as bigint).toString(16)}.`,
    hint: "Build region sets with regionSet (src/core/regions.ts): only its 249 bits are regions.",
  }),
  UnknownRegion: (a) => ({
    text: `region ${a.region} names no region: there are ${REGION_CODES.length} (0 to ${REGION_CODES.length - 1}).`,
    hint: 'Give the ISO 3166-1 alpha-2 code of one country, e.g. "DE" (toRegion converts it).',
  }),
  // ---------------------------------------------------------------- RoyaltySplits
  EmptySplits: () => ({
    text: "priced terms need at least one royalty recipient.",
    hint: "Add splits whose shares sum to 10 000 bps.",
  }),
  TooManySplits: (a) => ({ text: `${a.count} royalty recipients given; at most ${a.max} are allowed.` }),
  SplitRecipientIsZero: (a) => ({
    text: `royalty split ${a.index} pays the zero address.`,
    hint: "Give every split a recipient.",
  }),
  SplitShareIsZero: (a) => ({ text: `royalty split ${a.index} has a zero share.`, hint: "Remove it or give it a share." }),
  SplitsDoNotSumTo10000: (a) => ({
    text: `royalty shares add up to ${a.totalBps} bps, not 10 000 (100 %).`,
    hint: "Adjust the shares so they sum to 10 000 bps.",
  }),
  // ---------------------------------------------------------------- AttestationRegistry
  InvalidKind: (a) => ({ text: `kind ${a.kind} cannot be defined: it is 0, already defined, or has no role.` }),
  UnknownKind: (a) => ({
    text: `attestation kind ${a.kind} is not defined.`,
    hint: "Use safety-evaluation, bias-check, red-team-report, consent, licence-compliance, release-approval, or a kind the admin defined.",
  }),
  MissingAttesterRole: (a) => ({
    text: `${address(a.account)} cannot issue ${kindName(a.kind as bigint)} attestations (kind ${a.kind}): that needs the ${describeRole(String(a.role))} role.`,
    hint: grantHint(a.role, a.account),
  }),
  RegistriesAlreadySet: () => ({ text: "the subject registries are already wired." }),
  ZeroRegistry: () => ({ text: "a subject registry address is zero." }),
  ZeroAdmin: () => ({ text: "the admin or a role holder is the zero address." }),
  UnknownSubject: (a) => ({
    text: `${subjectTypeName(a.subjectType as bigint)} ${a.subjectId} does not exist.`,
    hint: "Check the subject type and id.",
  }),
  ExpiryInPast: (a) => ({
    text: `the expiry ${time(a.expiresAt)} is not in the future.`,
    hint: "Give a future expiry, or 0 for none.",
  }),
  UnknownReference: (a) => ({ text: `referenced attestation ${a.refId} does not exist.`, hint: "Check refId, or pass 0." }),
  UnknownAttestation: (a) => ({ text: `attestation ${a.id} does not exist.`, hint: "Check the attestation id." }),
  AlreadyRevoked: (a) => ({ text: `attestation ${a.id} is already revoked.` }),
  NotAttesterOrAdmin: (a) => ({
    text: `${address(a.account)} is neither the attester of attestation ${a.id} nor an admin.`,
    hint: "Only its attester or an admin may revoke it.",
  }),
  DeadlineTooFar: (a) => ({
    text: `the signature's deadline ${time(a.deadline)} lies beyond ${time(a.latest)}, the latest a signature may wait (30 days).`,
    hint: "Ask the signer to sign again with a nearer deadline (signAttestation, signActionBatch, signUsageReport).",
  }),
  SignatureExpired: (a) => ({
    text: `the signature's deadline ${time(a.deadline)} has passed.`,
    hint: "Ask the signer to sign again with a later deadline (signAttestation, signActionBatch, signUsageReport).",
  }),
  InvalidSignature: (a) => ({
    text: `the signature is not ${address(a.attester)}'s signature of this request on this registry.`,
    hint: "Relay the signed attestation unchanged (relaySignedAttestation), on the network it was signed for.",
  }),
  EmptyBatch: () => ({ text: "the batch of attestations is empty.", hint: "Pass at least one request." }),
  InvalidAccountNonce: (a) => ({
    text: `the signed request's nonce is not the next nonce of ${address(a.account)} (current nonce ${a.currentNonce}): it was already relayed or superseded.`,
    hint: "A signature can be relayed only once, and not after its signer cancelled its nonce; ask the signer to sign again (signAttestation, signActionBatch, signUsageReport).",
  }),
  AccessControlUnauthorizedAccount: (a) => ({
    text: `${address(a.account)} lacks the ${describeRole(String(a.neededRole))} role this action needs.`,
    hint: grantHint(a.neededRole, a.account),
  }),
  AccessControlBadConfirmation: () => ({ text: "an account may only renounce its own roles." }),
  // ---------------------------------------------------------------- ModelRegistry
  UnknownModel: (a) => ({ text: `model ${a.modelId} does not exist.`, hint: "Check the model id." }),
  UnknownModelVersion: (a) => ({ text: `model version ${a.versionId} does not exist.`, hint: "Check the model version id." }),
  NotModelOwner: (a) => ({
    text: `${address(a.account)} is neither the owner of model ${a.modelId} nor an operator for all its owner's tokens.`,
    hint: "Send from the model owner's account, or have the owner make this account an operator (setApprovalForAll); approving a single token is not enough.",
  }),
  ZeroWeightsHash: () => ({ text: "the weights hash is zero.", hint: "Fingerprint the weights and pass their hash." }),
  ParentNotDerivable: (a) => ({
    text: `${address(a.account)} may not fine-tune model version ${a.parentVersionId}: its model belongs to someone else, who has not granted derivation.`,
    hint: "Ask that model's owner to grant you derivation (grantDerivation).",
  }),
  ParentDataNotCommercial: (a) => ({
    text: `model version ${a.parentVersionId} was trained on data not licensed for commercial use, so a commercial model cannot fine-tune it.`,
    hint: "Fine-tune it in a non-commercial model, or pick a parent whose training data is licensed commercially.",
  }),
  UndeclaredTrainingData: (a) => ({
    text: `model version ${a.versionId} does not declare its training data (its run, or an ancestor's, names no registered dataset), which its release policy requires.`,
    hint: "Publish a version whose training run names its licensed datasets, or change the release policy.",
  }),
  TrainingDataLengthMismatch: (a) => ({
    text: `the training run lists ${a.datasetVersions} dataset versions but ${a.licences} licences.`,
    hint: "Give one licence per dataset version.",
  }),
  InvalidTrainingWindow: (a) => ({
    text: `the training run ends at ${time(a.endedAt)}, before it starts at ${time(a.startedAt)}.`,
    hint: "Check startedAt and endedAt.",
  }),
  DatasetVersionNotUsable: (a) => {
    const status = licenceStatusName(a.status as bigint);
    return {
      text: `dataset version ${a.datasetVersionId} cannot be used under licence ${a.licenceId} (${status}).`,
      hint: LICENCE_STATUS_HINTS[status],
    };
  },
  PolicyMissingReleaseApproval: (a) => ({
    text: `a release policy must include release-approval; it asked for: ${kindList(a.requiredKinds)}.`,
    hint: "Add release-approval to the kinds.",
  }),
  PolicyKindUndefined: (a) => ({
    text: `the policy requires kind ${a.kind}, which the attestation registry does not define.`,
    hint: "Use defined kinds only.",
  }),
  AlreadyApproved: (a) => ({ text: `model version ${a.versionId} is already approved.` }),
  AttestationNotForSubject: (a) => ({
    text: `attestation ${a.attestationId} is not about ${subject(a.subjectType, a.subjectId)}.`,
    hint: `Pass attestations whose subject is this ${subject(a.subjectType)}.`,
  }),
  AttestationNotValid: (a) => ({
    text: `attestation ${a.attestationId} is revoked or expired.`,
    hint: "Ask its attester for a new attestation.",
  }),
  RequiredAttestationsMissing: (a) => ({
    text: `${subject(a.subjectType, a.subjectId)} lacks attestations its release policy requires: ${kindList(a.missingKinds)}.`,
    hint: "Have the attesters attest (attest, multiAttest) and pass their attestation ids.",
  }),
  TrainingOutsideTerritory: (a) => ({
    text: `the training run was computed in ${region(a.region)}, outside the training territory of licence ${a.licenceId} (${regions(a.allowed)}), used by this run or an ancestor's.`,
    hint: "Train in a region that licence allows, or on data licensed for training where you compute.",
  }),
  // ---------------------------------------------------------------- ReleaseRegistry
  NotModelOperator: (a) => ({
    text: `${address(a.account)} is neither the owner of model ${a.modelId} nor an operator for all its owner's tokens.`,
    hint: "Send from the model owner's account, or have the owner make this account an operator (setApprovalForAll); approving a single token is not enough.",
  }),
  VersionNotApproved: (a) => ({
    text: `model version ${a.versionId} has not passed its release gate, so it can be neither deployed nor anchor decisions.`,
    hint: "Approve it first (approveVersion).",
  }),
  ApprovalNoLongerValid: (a) => ({
    text: `an attestation that approved model version ${a.versionId} has been revoked or has expired.`,
    hint: "The version may not run any longer; deploy another approved version (deployVersion).",
  }),
  EmptyEnvironment: () => ({ text: "the environment name is empty.", hint: 'Name an environment, e.g. "production".' }),
  AlreadyLive: (a) => ({
    text:
      BigInt(a.systemId as bigint) === 0n
        ? `model version ${a.versionId} is already live in "${a.environment}".`
        : `system version ${a.systemId} (model version ${a.versionId}) is already live in "${a.environment}".`,
  }),
  NothingLive: (a) => ({ text: `nothing of model ${a.modelId} is live in "${a.environment}".` }),
  ZeroRoot: () => ({ text: "the Merkle root is zero." }),
  BatchAlreadyAnchored: (a) => ({
    text: `model version ${a.versionId} already anchored decision batch ${a.root}.`,
    hint: "Nothing to do: the batch is on-chain.",
  }),
  EmptyDecisionBatch: () => ({ text: "the decision batch is empty.", hint: "Anchor at least one decision." }),
  InvalidWindow: (a) => ({
    text: `the batch window ends at ${time(a.windowEnd)}, before it starts at ${time(a.windowStart)}.`,
  }),
  UnknownBatch: (a) => ({
    text: `model version ${a.versionId} anchored no decision batch ${a.root}.`,
    hint: "Check the root and the version that made the decisions.",
  }),
  DeploymentOutsideTerritory: (a) => {
    const outside = BigInt(a.regions as bigint) & ~BigInt(a.allowed as bigint);
    return {
      text: `the deployment would serve ${regions(outside)}, outside the deployment territory of licence ${a.licenceId} (${regions(a.allowed)}), of the version's lineage or the system's retrieval data.`,
      hint: "Serve only regions inside it (deployVersion, deploySystem regions), or deploy what was trained, or retrieves, on data licensed for those regions.",
    };
  },
  SystemNotApproved: (a) => ({
    text: `system version ${a.systemId} has not passed its release gate, so it can be neither deployed nor anchor decisions.`,
    hint: "Approve it first (approveSystemVersion).",
  }),
  SystemApprovalNoLongerValid: (a) => ({
    text: `an attestation that approved system version ${a.systemId} has been revoked or has expired.`,
    hint: "The system version may not run any longer; deploy another approved system version (deploySystem).",
  }),
  // ---------------------------------------------------------------- SystemRegistry
  UnknownSystemVersion: (a) => ({ text: `system version ${a.systemId} does not exist.`, hint: "Check the system version id." }),
  ParentOfAnotherModel: (a) => ({
    text: `system version ${a.parentId} belongs to another model than model ${a.modelId}.`,
    hint: "Name as parent a system version of the same model, or none.",
  }),
  NothingChanged: (a) => ({
    text: `the new system version would run the same weights with the same configuration as system version ${a.parentId}.`,
    hint: `Change the prompt, retrieval index, policy, tools or model version, or keep running system version ${a.parentId}.`,
  }),
  RetrievalDataLengthMismatch: (a) => ({
    text: `the retrieval index lists ${a.datasetVersions} dataset versions but ${a.licences} licences.`,
    hint: "Give one licence per dataset version.",
  }),
  RetrievalIndexMismatch: (a) =>
    BigInt(a.datasetVersions as bigint) === 0n
      ? { text: `retrieval index ${a.retrievalIndex} is declared without the dataset versions it was built from.`, hint: "List its dataset versions with their licences, or declare no index." }
      : { text: `${a.datasetVersions} retrieval dataset versions are listed without a retrieval index.`, hint: "Give the index's fingerprint, or list no retrieval data." },
  RetrievalDataNotUsable: (a) => {
    const status = licenceStatusName(a.status as bigint);
    return {
      text: `dataset version ${a.datasetVersionId} cannot be used for retrieval under licence ${a.licenceId} (${status}).`,
      hint: LICENCE_STATUS_HINTS[status],
    };
  },
  RetrievalDataWithdrawn: (a) => ({
    text: `dataset version ${a.datasetVersionId} belongs to dataset ${a.datasetId}, which its creator withdrew${a.consentRevoked ? " and revoked consent to use" : ""}: a retrieval index serves the data itself, so it may not be built from it.`,
    hint: "Rebuild the retrieval index without that dataset.",
  }),
  SystemAlreadyApproved: (a) => ({ text: `system version ${a.systemId} is already approved.` }),
  // ---------------------------------------------------------------- AgentRegistry
  UnknownAgent: (a) => ({ text: `agent ${a.agentId} does not exist.`, hint: "Check the agent id (registerAgent returns it)." }),
  NotAgentManager: (a) => ({
    text: `${address(a.account)} neither owns agent ${a.agentId} nor operates all its owner's tokens.`,
    hint: "Send it from the agent's owner, or from an account the owner approved for all its tokens (setApprovalForAll).",
  }),
  ZeroWallet: () => ({ text: "the zero address cannot act for an agent.", hint: "Give the wallet's address." }),
  SystemNotReleasable: (a) => ({
    text: `system version ${a.systemId} is not releasable (not approved, an approval revoked or expired, or its model version no longer releasable): an agent binds only to a version cleared for release.`,
    hint: "Bind the agent to a system version that passed its release gate (systemStatus tells which).",
  }),
  AlreadyBound: (a) => ({ text: `agent ${a.agentId} is already bound so (binding ${a.bindingId}).`, hint: "Nothing to do, or give another system version or policy." }),
  UnknownBinding: (a) => ({ text: `binding ${a.bindingId} does not exist.`, hint: "Check the binding id." }),
  NotOperatorWallet: (a) => ({
    text: `${address(a.account)} is not an operator wallet of agent ${a.agentId}.`,
    hint: "Anchor (or sign) from a wallet the agent's owner set (setOperatorWallet).",
  }),
  AgentNotBound: (a) => ({
    text: `agent ${a.agentId} was never bound to a system version, so its actions cannot say what they ran on.`,
    hint: "Bind it first (bindAgent).",
  }),
  EmptyActionBatch: () => ({ text: "the batch has a zero root or no records.", hint: "Anchor the root of at least one action record (actionBatch builds it)." }),
  ActionBatchAlreadyAnchored: (a) => ({ text: `agent ${a.agentId} already anchored the batch with root ${a.root}.`, hint: "Nothing to do: it is on chain." }),
  UnknownActionBatch: (a) => ({
    text: `agent ${a.agentId} anchored no batch with root ${a.root}.`,
    hint: "Check the agent id and the root: the record may come from another agent's batch, or the batch was never anchored.",
  }),
  SignatureNotBySigner: (a) => ({
    text: `the signature is not ${address(a.signer)}'s signature of this batch on this registry.`,
    hint: "Relay the signed batch unchanged (relayActionBatch), on the network it was signed for.",
  }),
  // ---------------------------------------------------------------- RoyaltyRegistry (and the terms it reads)
  DerivativeRoyaltyTooLarge: (a) => ({ text: `terms cannot ask ${a.bps} bps of derived datasets' payments: at most 10 000 (100 %).`, hint: "Give a derivative royalty from 0 to 10 000 bps." }),
  NotTreasury: (a) => ({ text: `${address(a.caller)} is not the RoyaltyRegistry: licences are sold by the treasury, which records them here.`, hint: "Buy licences with acquireLicence (RoyaltyRegistry.acquireLicence)." }),
  NotDatasetRegistry: (a) => ({ text: `${address(a.caller)} is not the DatasetRegistry: only it feeds sales and refunds to the treasury.`, hint: "Refund licences with refundLicence; buy them with acquireLicence." }),
  NotVersionOwner: (a) => ({
    text: `${address(a.account)} neither owns the dataset of version ${a.versionId} nor operates all its owner's tokens.`,
    hint: "Send it from the dataset's owner, or from an account the owner approved for all its tokens (setApprovalForAll).",
  }),
  NotLicensee: (a) => ({ text: `${address(a.account)} does not hold licence ${a.licenceId}.`, hint: "Report usage (or release a deposit) as the licensee, or relay a report the licensee signed (signUsageReport)." }),
  NotMetered: (a) => ({ text: `licence ${a.licenceId} was granted under terms without a unit price: its use is not metered.`, hint: "Report usage only under metered terms (usageOf shows the unit price)." }),
  LicenceVoided: (a) => ({ text: `licence ${a.licenceId} was voided by a refund after its dataset's consent was revoked.`, hint: "Usage cannot be reported under it any more; release its deposit (releaseDeposit)." }),
  VersionNotLicensed: (a) => ({ text: `dataset version ${a.versionId} is not a version of the dataset licence ${a.licenceId} covers.`, hint: "Report the version of the licensed dataset that was used." }),
  ZeroUnits: () => ({ text: "a usage report of zero units.", hint: "Report at least one unit." }),
  RoyaltySharesExceedTotal: (a) => ({
    text: `the royalty parents of dataset version ${a.versionId} would ask ${a.bps} bps of its payments, more than the whole (10 000).`,
    hint: "Derive from fewer datasets whose terms ask a share of derivatives, or license them under terms asking less.",
  }),
  RoyaltyLineageTooDeep: (a) => ({
    text: `dataset version ${a.versionId} would have ${a.depth} levels of royalty ancestors; at most ${a.max} are paid up a lineage.`,
    hint: "Derive from data nearer the source, or from data whose terms ask no derivative royalty.",
  }),
  RoyaltyLineageTooWide: (a) => ({
    text: `a payment to dataset version ${a.versionId} would pay ${a.ancestors} ancestors; at most ${a.max} are paid per payment.`,
    hint: "Derive from fewer datasets that ask a derivative royalty.",
  }),
  ContributorsAlreadySet: (a) => ({ text: `the contributors of dataset version ${a.versionId} were already named; they cannot be changed.`, hint: "Name contributors on a new version." }),
  ContributorCountOutOfRange: (a) => ({ text: `${a.count} contributors named; from 1 to ${a.max} may be.` }),
  InvalidContributor: (a) => ({ text: `contributor ${a.index} has the zero address or a zero share.`, hint: "Give every contributor an account and a share of at least 1 bps." }),
  ContributorSharesExceedTotal: (a) => ({ text: `the contributors' shares add up to ${a.bps} bps, more than 10 000 (100 %).`, hint: "Lower the shares." }),
  DepositTooSmall: (a) => ({ text: `licence ${a.licenceId}'s deposit holds ${a.available}, less than the ${a.amount} asked.`, hint: "Release at most what is left (usageOf shows it)." }),
  ZeroAmount: () => ({ text: "the amount is zero.", hint: "Give an amount above 0." }),
  SafeCastOverflowedUintDowncast: (a) => ({
    text: `a value of ${a.value} does not fit in ${a.bits} bits (a usage report costing 2^128 or more).`,
    hint: "Report the usage in smaller reports.",
  }),
  SignatureNotByLicensee: (a) => ({
    text: `the signature is not the licensee's (${address(a.licensee)}) signature of this usage report on this treasury.`,
    hint: "Relay the signed report unchanged (relayUsageReport), on the network it was signed for; only the licensee signs its reports.",
  }),
  // ---------------------------------------------------------------- OpenZeppelin ERC-721, ERC-20, utilities
  ERC721NonexistentToken: (a) => ({ text: `token ${a.tokenId} does not exist.` }),
  ERC721IncorrectOwner: (a) => ({ text: `${address(a.sender)} does not own token ${a.tokenId}; ${address(a.owner)} does.` }),
  ERC721InsufficientApproval: (a) => ({ text: `${address(a.operator)} is not approved for token ${a.tokenId}.` }),
  ERC721InvalidApprover: (a) => ({ text: `${address(a.approver)} cannot approve.` }),
  ERC721InvalidOperator: (a) => ({ text: `${address(a.operator)} cannot be an operator.` }),
  ERC721InvalidOwner: (a) => ({ text: `${address(a.owner)} cannot own tokens.` }),
  ERC721InvalidReceiver: (a) => ({ text: `${address(a.receiver)} cannot receive tokens.` }),
  ERC721InvalidSender: (a) => ({ text: `${address(a.sender)} cannot send tokens.` }),
  ERC20InsufficientAllowance: (a) => ({
    text: `${address(a.spender)} may spend ${a.allowance} token units but needs ${a.needed}.`,
    hint: "Approve the treasury (RoyaltyRegistry) for the amount due first (acquireLicence, reportUsage and depositForUsage do it for you).",
  }),
  ERC20InsufficientBalance: (a) => ({
    text: `${address(a.sender)} holds ${a.balance} token units but ${a.needed} are needed.`,
    hint: "Top up the account's token balance.",
  }),
  ERC20InvalidApprover: (a) => ({ text: `${address(a.approver)} cannot approve tokens.` }),
  ERC20InvalidReceiver: (a) => ({ text: `${address(a.receiver)} cannot receive tokens.` }),
  ERC20InvalidSender: (a) => ({ text: `${address(a.sender)} cannot send tokens.` }),
  ERC20InvalidSpender: (a) => ({ text: `${address(a.spender)} cannot be a spender.` }),
  SafeERC20FailedOperation: (a) => ({
    text: `the ERC-20 token ${address(a.token)} refused the transfer.`,
    hint: "Check the token balance and the allowance given to the treasury (RoyaltyRegistry).",
  }),
  ReentrancyGuardReentrantCall: () => ({ text: "a re-entrant call was refused." }),
  StringTooLong: () => ({ text: "a string is too long." }),
  InvalidShortString: () => ({ text: "a short string is invalid." }),
};

/**
 * What a decoded error means: `Error(string)` and `Panic(uint256)` by their reason, custom errors by the table, any
 * other error by its call as given (`call`, e.g. `Name(arg: value)`).
 *
 * @example
 * explain("UnknownDataset", { datasetId: 9n }, "UnknownDataset(datasetId: 9)");
 * // { text: "dataset 9 does not exist.", hint: "Check the dataset id." }
 */
export function explain(errorName: string, args: ContractErrorArgs, call: string): Explanation {
  if (errorName === "Error") return { text: `the contract reverted: ${String(args.message ?? args.arg0)}` };
  if (errorName === "Panic") {
    const code = Number(args.code ?? args.arg0);
    return { text: `the contract panicked with code 0x${code.toString(16)} (${PANIC_REASONS[code] ?? "unknown"}).` };
  }
  return EXPLAIN[errorName]?.(args) ?? { text: `${call}.` };
}
