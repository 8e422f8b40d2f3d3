/**
 * Errors of the Pedigree SDK and the decoder that turns anything a call can throw (a contract revert of any of the
 * four registries, an OpenZeppelin or ERC-20 error bubbled up through them, a node or wallet failure) into one of
 * them, each with a one-line `message`: what went wrong, with names and readable values, and what to do next.
 */
import { ErrorFragment, Interface, formatEther, getAddress, type ErrorDescription } from "ethers";
import { factories } from "../../types/index.ts";
import {
  REQUIRE_DECLARED_DATA,
  bitmapToKinds,
  describeRole,
  kindName,
  licenceStatusName,
  roleName,
  subjectTypeName,
} from "./constants.ts";
import { noAnswerWithin } from "./timeouts.ts";

/** Machine-readable category of a {@link PedigreeError}. */
export type PedigreeErrorCode =
  | "CONTRACT_REVERT"
  | "VALIDATION"
  | "INSUFFICIENT_FUNDS"
  | "NONCE_TOO_LOW"
  | "WRONG_NETWORK"
  | "WRONG_CONTRACT"
  | "NODE_UNREACHABLE"
  | "NO_CONTRACT"
  | "NO_SIGNER"
  | "TRANSACTION_FAILED"
  | "TRANSACTION_OUTCOME_UNKNOWN"
  | "REJECTED"
  | "UNKNOWN";

/** What every Pedigree error carries besides its message. */
export interface PedigreeErrorOptions {
  /** More detail than the one-line message: raw values, the call that failed, the node's own words. */
  details?: string;
  /** What the user can do next. Appended to the message. */
  hint?: string;
  /** The error this one was decoded from. */
  cause?: unknown;
}

/**
 * Base class of every error the SDK throws. `message` is one line: `shortMessage` followed by `hint`.
 *
 * @example
 * try {
 *   await acquireLicence(client, { datasetId: 1n });
 * } catch (error) {
 *   const decoded = decodeError(error);
 *   console.error(decoded.message); // one line, ready for a terminal
 *   if (decoded.details) console.error(decoded.details);
 * }
 */
export class PedigreeError extends Error {
  override name = "PedigreeError";
  /** Category, for programs that branch on the kind of failure. */
  readonly code: PedigreeErrorCode;
  /** What went wrong, without the hint. */
  readonly shortMessage: string;
  /** More detail: raw values, the failing call, the node's own message. */
  readonly details?: string;
  /** What the user can do next. */
  readonly hint?: string;

  constructor(code: PedigreeErrorCode, shortMessage: string, options: PedigreeErrorOptions = {}) {
    const sentence = /[.!?]$/.test(shortMessage.trim()) ? shortMessage.trim() : `${shortMessage.trim()}.`;
    super(oneLine(options.hint ? `${sentence} ${options.hint}` : sentence), { cause: options.cause });
    this.code = code;
    this.shortMessage = sentence;
    this.details = options.details;
    this.hint = options.hint;
  }
}

/** Values of a decoded custom error, by argument name (positional `arg0`… for unnamed arguments). */
export type ContractErrorArgs = Record<string, unknown>;

/**
 * A transaction or call reverted with a known custom error, `Error(string)` or `Panic(uint256)`.
 *
 * @example
 * const error = decodeError(caught);
 * if (error instanceof PedigreeContractError && error.errorName === "TermsChanged") {
 *   console.log(`terms are now ${error.args.currentTermsId}`);
 * }
 */
export class PedigreeContractError extends PedigreeError {
  override name = "PedigreeContractError";
  /** The Solidity error name, e.g. `DatasetVersionNotUsable`. */
  readonly errorName: string;
  /** Decoded arguments by name, with their ABI types (bigint for integers, checksummed strings for addresses). */
  readonly args: ContractErrorArgs;
  /** The same arguments formatted for people: enum values by name, amounts in ETH, roles and kinds by name. */
  readonly formattedArgs: Record<string, string>;
  /** The error's signature, e.g. `TermsChanged(uint64,uint64,uint64)`. */
  readonly signature: string;
  /** The raw revert data. */
  readonly data: string;

  constructor(
    init: {
      errorName: string;
      args: ContractErrorArgs;
      formattedArgs: Record<string, string>;
      signature: string;
      data: string;
      shortMessage: string;
    },
    options: PedigreeErrorOptions = {},
  ) {
    super("CONTRACT_REVERT", init.shortMessage, options);
    this.errorName = init.errorName;
    this.args = init.args;
    this.formattedArgs = init.formattedArgs;
    this.signature = init.signature;
    this.data = init.data;
  }
}

/**
 * Input refused by the SDK before anything was sent (bad royalty splits, malformed hashes, a price above the limit
 * the buyer set, ...). No transaction was sent and no gas was spent.
 *
 * @example
 * try {
 *   await setTerms(client, { datasetId, terms: { price: 1n, splits: [{ recipient, bps: 5_000 }] } });
 * } catch (error) {
 *   if (error instanceof PedigreeValidationError) console.error(error.field, error.message);
 * }
 */
export class PedigreeValidationError extends PedigreeError {
  override name = "PedigreeValidationError";
  /** The parameter at fault, as a path (`terms.splits[1].recipient`). */
  readonly field?: string;

  constructor(shortMessage: string, options: PedigreeErrorOptions & { field?: string } = {}) {
    super("VALIDATION", shortMessage, options);
    this.field = options.field;
  }
}

/** The sending account cannot pay for the gas and value of the transaction. */
export class InsufficientFundsError extends PedigreeError {
  override name = "InsufficientFundsError";
  constructor(readonly account: string | undefined, options: PedigreeErrorOptions = {}) {
    super(
      "INSUFFICIENT_FUNDS",
      `Insufficient funds: ${account ?? "the sending account"} cannot pay for the gas and value of this transaction.`,
      { hint: "Fund the account with ETH on this network and try again.", ...options },
    );
  }
}

/** The transaction's nonce was already used (another transaction of the account was mined first). */
export class NonceTooLowError extends PedigreeError {
  override name = "NonceTooLowError";
  constructor(
    readonly expectedNonce: bigint | undefined,
    readonly usedNonce: bigint | undefined,
    options: PedigreeErrorOptions = {},
  ) {
    super(
      "NONCE_TOO_LOW",
      expectedNonce !== undefined && usedNonce !== undefined
        ? `Nonce too low: the transaction used nonce ${usedNonce} but the account's next nonce is ${expectedNonce}.`
        : "Nonce too low: the account already used this transaction's nonce.",
      {
        hint: "Another transaction from this account was mined first; retry without setting a nonce.",
        ...options,
      },
    );
  }
}

/** The node serves another chain than the one expected (the client's, or the one a signature was made for). */
export class WrongNetworkError extends PedigreeError {
  override name = "WrongNetworkError";
  constructor(
    readonly expectedChainId: bigint,
    readonly actualChainId: bigint,
    options: PedigreeErrorOptions = {},
  ) {
    super(
      "WRONG_NETWORK",
      `Wrong network: expected chain id ${expectedChainId} but the node is on chain id ${actualChainId}.`,
      { hint: "Point the RPC URL at the right network, or pick the matching network.", ...options },
    );
  }
}

/** A signed request or a configuration names a different registry contract than the client's. */
export class WrongContractError extends PedigreeError {
  override name = "WrongContractError";
  constructor(
    readonly expected: string,
    readonly actual: string,
    shortMessage: string,
    options: PedigreeErrorOptions = {},
  ) {
    super("WRONG_CONTRACT", shortMessage, options);
  }
}

/** The JSON-RPC node could not be reached (refused, timed out, unknown host, HTTP error). */
export class NodeUnreachableError extends PedigreeError {
  override name = "NodeUnreachableError";
  constructor(readonly url: string | undefined, readonly reason: string, options: PedigreeErrorOptions = {}) {
    super("NODE_UNREACHABLE", `Cannot reach the Ethereum node at ${url ?? "the configured RPC URL"} (${reason}).`, {
      hint: "Check the RPC URL and that the node is running and reachable.",
      ...options,
    });
  }
}

/** A call returned no data: there is no contract at the address on this network. */
export class NoContractError extends PedigreeError {
  override name = "NoContractError";
  constructor(readonly address: string | undefined, options: PedigreeErrorOptions = {}) {
    super("NO_CONTRACT", `No contract answered at ${address ?? "the registry address"} on this network.`, {
      hint: "Check the deployment addresses and that the RPC URL points at the network they were deployed on.",
      ...options,
    });
  }
}

/** The action sends a transaction or signs, but the client was created with a provider only. */
export class MissingSignerError extends PedigreeError {
  override name = "MissingSignerError";
  constructor(readonly action: string) {
    super("NO_SIGNER", `${action} needs an account to sign with, but the client has only a provider.`, {
      hint: "Create the client with a signer, or call client.connect(signer).",
    });
  }
}

/** A transaction was mined but failed, and the node gave no revert data to explain it. */
export class TransactionFailedError extends PedigreeError {
  override name = "TransactionFailedError";
  constructor(readonly hash: string | undefined, shortMessage: string, options: PedigreeErrorOptions = {}) {
    super("TRANSACTION_FAILED", shortMessage, options);
  }
}

/**
 * The transaction was sent, but the node stopped answering before its receipt could be read: it may or may not be
 * mined. Sending it again could do the action twice.
 */
export class TransactionOutcomeUnknownError extends PedigreeError {
  override name = "TransactionOutcomeUnknownError";
  constructor(
    readonly hash: string,
    readonly action: string,
    readonly reason: string,
    options: PedigreeErrorOptions = {},
  ) {
    super("TRANSACTION_OUTCOME_UNKNOWN", `Transaction ${hash} of ${action} was sent, but ${reason}: it may still be mined.`, {
      hint: "Check its receipt (a block explorer, or eth_getTransactionReceipt) before sending it again.",
      ...options,
    });
  }
}

/** Anything else, with the original error as `cause`. */
export class UnknownPedigreeError extends PedigreeError {
  override name = "UnknownPedigreeError";
  constructor(shortMessage: string, options: PedigreeErrorOptions = {}) {
    super("UNKNOWN", shortMessage, options);
  }
}

// ------------------------------------------------------------------ the error interface

/** Every custom error of every contract the project compiles (registries, RoyaltySplits, OpenZeppelin, ERC-20). */
function collectErrorFragments(): ErrorFragment[] {
  const bySelector = new Map<string, ErrorFragment>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || (typeof value !== "object" && typeof value !== "function")) return;
    const abi = (value as { abi?: unknown }).abi;
    if (typeof value === "function" && Array.isArray(abi)) {
      for (const item of abi as { type?: string }[]) {
        if (item.type !== "error") continue;
        const fragment = ErrorFragment.from(item);
        if (!bySelector.has(fragment.selector)) bySelector.set(fragment.selector, fragment);
      }
      return;
    }
    if (typeof value === "object") for (const child of Object.values(value)) visit(child, depth + 1);
  };
  visit(factories, 0);
  return [...bySelector.values()];
}

/**
 * One ethers Interface holding the custom errors of all the project's contracts: the four registries, RoyaltySplits,
 * OpenZeppelin's AccessControl, Nonces, ERC-721, SafeERC20, ReentrancyGuard and the ERC-20 errors (IERC20Errors).
 */
export const PEDIGREE_ERRORS_INTERFACE: Interface = new Interface(collectErrorFragments());

// ------------------------------------------------------------------ formatting

const ZERO = "0x0000000000000000000000000000000000000000";

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
  return address(currency) === ZERO ? "ETH" : `token ${address(currency)}`;
}

function time(value: unknown): string {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 8.64e12) return String(value);
  return `${value} (${new Date(seconds * 1000).toISOString().replace(".000Z", "Z")})`;
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
function formatArg(errorName: string, name: string, type: string, value: unknown): string {
  if (name === "status") return licenceStatusName(value as bigint);
  if (name === "subjectType") return subjectTypeName(value as bigint);
  if (name === "kind") return `${kindName(value as bigint)} (${value})`;
  if (name === "role" || name === "neededRole") return describeRole(String(value));
  if (name === "missingKinds" || name === "requiredKinds") return kindList(value);
  if (name === "currency") return currencyName(value);
  if (errorName === "WrongPayment" || errorName === "UnexpectedEther") return eth(value);
  if (name === "digest" || name === "commitment" || name === "root") return String(value);
  if (name === "expiresAt" || name === "deadline" || name.startsWith("window")) return time(value);
  if (type === "address") return address(value);
  return String(value);
}

interface Explanation {
  text: string;
  hint?: string;
}

type Explain = (args: ContractErrorArgs) => Explanation;

const grantHint = (roleHash: unknown, account: unknown): string => {
  const name = roleName(String(roleHash));
  if (name === "admin") return "Only an admin may do this; send from an admin account.";
  return `Ask an admin to grant it: \`pedigree role grant ${name ?? String(roleHash)} ${address(account)}\`.`;
};

const LICENCE_STATUS_HINTS: Readonly<Record<string, string>> = {
  UnknownDatasetVersion: "Check the dataset version id.",
  LicenceRefunded:
    "The dataset's owner revoked consent and refunded this licence; withdraw the refund with `pedigree royalties withdraw` and use other data.",
  UnknownLicence: "Acquire a licence with `pedigree licence acquire`.",
  WrongDataset: "That licence is for another dataset; acquire one for this dataset with `pedigree licence acquire`.",
  WrongLicensee:
    "The model's owner must hold the licence; acquire one for the model owner with `pedigree licence acquire <datasetId> --for <model owner>`.",
  Expired: "Acquire a new licence with `pedigree licence acquire`.",
  DerivativesForbidden:
    "Its terms forbid derivatives; ask the dataset owner for terms that allow training (`pedigree dataset terms <datasetId> --derivatives …`).",
  CommercialUseForbidden:
    "The model is commercial but the licence is not; acquire a licence under commercial terms, or use a non-commercial model.",
};

/** The readable sentence and next step of each custom error; unlisted errors fall back to `Name(arg: value, …)`. */
const EXPLAIN: Readonly<Record<string, Explain>> = {
  // ---------------------------------------------------------------- DatasetRegistry
  UnknownDataset: (a) => ({ text: `dataset ${a.datasetId} does not exist.`, hint: "Check the dataset id." }),
  UnknownDatasetVersion: (a) => ({
    text: `dataset version ${a.versionId} does not exist.`,
    hint: "Check the dataset version id.",
  }),
  UnknownLicence: (a) => ({
    text: `licence ${a.licenceId} does not exist.`,
    hint: "Check the licence id, or acquire one with `pedigree licence acquire`.",
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
    hint: "Licences are only voided after a consent revocation: `pedigree dataset consent-revoke <datasetId> --reason …` first.",
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
        ? "Acquire a licence of its dataset that allows derivatives (`pedigree licence acquire <datasetId>`) and name it: `--parent <versionId>:<licenceId>`."
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
    hint: "Ask the dataset owner to set terms with `pedigree dataset terms`.",
  }),
  TermsChanged: (a) => ({
    text: `the terms of dataset ${a.datasetId} changed: you agreed to terms ${a.expectedTermsId} but terms ${a.currentTermsId} are current.`,
    hint: `Review terms ${a.currentTermsId} and acquire again with \`pedigree licence acquire\`.`,
  }),
  ZeroLicensee: () => ({ text: "the licensee is the zero address.", hint: "Name the account that will hold the licence." }),
  WrongPayment: (a) => ({
    text: `${eth(a.expected)} is due but ${eth(a.sent)} was sent.`,
    hint: "Send the price of the current terms, or at least the refund due (`pedigree licence acquire` and `pedigree licence refund` read it for you).",
  }),
  UnexpectedEther: (a) => ({
    text: `${eth(a.sent)} was sent but the licence is priced in an ERC-20 token.`,
    hint: "Send no ETH; the registry collects the token through an allowance.",
  }),
  TransferShortfall: (a) => ({
    text: `token ${address(a.currency)} delivered ${a.received} of the ${a.expected} units due (a fee-on-transfer token?).`,
    hint: "Such tokens cannot pay for licences; ask the dataset owner to price the terms in another currency.",
  }),
  NothingToWithdraw: (a) => ({
    text: `${address(a.account)} has no ${currencyName(a.currency)} royalties or refunds to withdraw.`,
    hint: "Check the balance with `pedigree royalties show`.",
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
    hint: "Publish the version first, then prove its priority (`pedigree dataset prove-priority`).",
  }),
  ZeroCommitment: () => ({ text: "the claim commitment is zero.", hint: "Compute it with `pedigree dataset commit`." }),
  AlreadyCommitted: (a) => ({
    text: `commitment ${a.commitment} was already made; its first time stands.`,
    hint: "Nothing to do: prove it after publishing, or commit with a new salt.",
  }),
  UnknownCommitment: (a) => ({
    text: `no commitment ${a.commitment} was made for this claimant, digest and salt on this registry.`,
    hint: "Pass the salt file written when committing, for the same registry (datasets or models) and claimant.",
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
    hint: "Ask the attester to sign again with a nearer deadline (`pedigree attest sign --deadline <time>`).",
  }),
  SignatureExpired: (a) => ({
    text: `the signature's deadline ${time(a.deadline)} has passed.`,
    hint: "Ask the attester to sign again with a later deadline (`pedigree attest sign --deadline <time>`).",
  }),
  InvalidSignature: (a) => ({
    text: `the signature is not ${address(a.attester)}'s signature of this request on this registry.`,
    hint: "Relay the signed file unchanged (`pedigree attest relay <file>`), on the network it was signed for.",
  }),
  EmptyBatch: () => ({ text: "the batch of attestations is empty.", hint: "Pass at least one request." }),
  InvalidAccountNonce: (a) => ({
    text: `the signed request's nonce is not the next nonce of ${address(a.account)} (current nonce ${a.currentNonce}): it was already relayed or superseded.`,
    hint: "A signature can be relayed only once; ask the attester to sign again (`pedigree attest sign`).",
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
    hint: "Ask that model's owner to run `pedigree model grant-derivation <modelId> --to <your address>`.",
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
  AttestationNotForVersion: (a) => ({
    text: `attestation ${a.attestationId} is not about model version ${a.versionId}.`,
    hint: "Pass attestations whose subject is this model version.",
  }),
  AttestationNotValid: (a) => ({
    text: `attestation ${a.attestationId} is revoked or expired.`,
    hint: "Ask its attester for a new attestation.",
  }),
  RequiredAttestationsMissing: (a) => ({
    text: `model version ${a.versionId} lacks attestations its release policy requires: ${kindList(a.missingKinds)}.`,
    hint: "Have the attesters attest (`pedigree attest`) and pass their attestation ids.",
  }),
  // ---------------------------------------------------------------- ReleaseRegistry
  NotModelOperator: (a) => ({
    text: `${address(a.account)} is neither the owner of model ${a.modelId} nor an operator for all its owner's tokens.`,
    hint: "Send from the model owner's account, or have the owner make this account an operator (setApprovalForAll); approving a single token is not enough.",
  }),
  VersionNotApproved: (a) => ({
    text: `model version ${a.versionId} has not passed its release gate, so it can be neither deployed nor anchor decisions.`,
    hint: "Approve it first with `pedigree model approve`.",
  }),
  ApprovalNoLongerValid: (a) => ({
    text: `an attestation that approved model version ${a.versionId} has been revoked or has expired.`,
    hint: "The version may not run any longer; deploy another approved version (`pedigree release deploy <versionId> --env <name>`).",
  }),
  EmptyEnvironment: () => ({ text: "the environment name is empty.", hint: 'Name an environment, e.g. "production".' }),
  AlreadyLive: (a) => ({ text: `model version ${a.versionId} is already live in "${a.environment}".` }),
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
    hint: "Check the root and the version that made the decisions (`pedigree decisions verify --version <versionId>`).",
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
    hint: "Approve the registry for the price first (`pedigree licence acquire` does it for you).",
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
    hint: "Check the token balance and the allowance given to the registry.",
  }),
  ReentrancyGuardReentrantCall: () => ({ text: "a re-entrant call was refused." }),
  StringTooLong: () => ({ text: "a string is too long." }),
  InvalidShortString: () => ({ text: "a short string is invalid." }),
};

/** Named arguments of a decoded error (`arg0`… for unnamed ones). */
function namedArgs(description: ErrorDescription): ContractErrorArgs {
  const args: ContractErrorArgs = {};
  description.fragment.inputs.forEach((input, index) => {
    args[input.name || `arg${index}`] = description.args[index];
  });
  return args;
}

/**
 * Decodes revert data into a {@link PedigreeContractError}, or undefined when the selector is unknown.
 *
 * @example
 * const error = decodeRevertData("0x0dd32d1c…");
 * error?.message; // "WrongPayment: the licence costs 1.0 ETH but 0.5 ETH was sent. Send exactly the price …"
 */
export function decodeRevertData(data: string, options: PedigreeErrorOptions = {}): PedigreeContractError | undefined {
  let description: ErrorDescription | null = null;
  try {
    description = PEDIGREE_ERRORS_INTERFACE.parseError(data);
  } catch {
    return undefined;
  }
  if (!description) return undefined;
  const errorName = description.name;
  const args = namedArgs(description);
  const formattedArgs: Record<string, string> = {};
  description.fragment.inputs.forEach((input, index) => {
    const key = input.name || `arg${index}`;
    formattedArgs[key] = formatArg(errorName, key, input.type, args[key]);
  });
  const signature = description.signature;
  const call = `${errorName}(${Object.entries(formattedArgs)
    .map(([key, value]) => `${key}: ${value}`)
    .join(", ")})`;

  let explanation: Explanation;
  if (errorName === "Error") explanation = { text: `the contract reverted: ${String(args.message ?? args.arg0)}` };
  else if (errorName === "Panic") {
    const code = Number(args.code ?? args.arg0);
    explanation = { text: `the contract panicked with code 0x${code.toString(16)} (${PANIC_REASONS[code] ?? "unknown"}).` };
  } else explanation = EXPLAIN[errorName]?.(args) ?? { text: `${call}.` };

  const prefix = errorName === "Error" || errorName === "Panic" ? "Revert" : errorName;
  return new PedigreeContractError(
    { errorName, args, formattedArgs, signature, data, shortMessage: `${prefix}: ${explanation.text}` },
    {
      hint: explanation.hint,
      details: [call, options.details].filter(Boolean).join("; "),
      cause: options.cause,
    },
  );
}

/**
 * The error a registry would revert with, built locally: actions use it to refuse, before sending anything, what the
 * chain would refuse after an approval or a fee was already spent.
 *
 * @example
 * throw registryError("ConsentNotRevoked", [2n]); // "ConsentNotRevoked: consent to use dataset 2 has not been revoked, …"
 */
export function registryError(errorName: string, args: readonly unknown[]): PedigreeContractError {
  const data = PEDIGREE_ERRORS_INTERFACE.encodeErrorResult(errorName, args);
  return decodeRevertData(data, { details: "refused before sending" })!;
}

// ------------------------------------------------------------------ decodeError

/** What the caller knows that the error may not say. */
export interface DecodeErrorContext {
  /** The RPC URL the client talks to, named in unreachable-node errors. */
  rpcUrl?: string;
  /** The call that failed, e.g. `DatasetRegistry.acquireLicence`, added to `details`. */
  action?: string;
  /** The account that sent the transaction, named in funding errors. */
  account?: string;
}

/** Every nested error object ethers, Hardhat and JSON-RPC nodes wrap around the original. */
function nestedErrors(error: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const item = queue.shift();
    if (item === null || typeof item !== "object" || seen.has(item)) continue;
    seen.add(item);
    const record = item as Record<string, unknown>;
    found.push(record);
    for (const key of ["error", "info", "cause", "data", "revert", "errors"]) {
      const child = record[key];
      if (Array.isArray(child)) queue.push(...child);
      else queue.push(child);
    }
  }
  return found;
}

/**
 * Revert data in the error, if any (`0x` for a revert without data), wherever ethers, Hardhat or the node nested it.
 *
 * @example
 * findRevertData({ code: "CALL_EXCEPTION", info: { error: { code: 3, data: "0x0dd32d1c…" } } }); // "0x0dd32d1c…"
 */
export function findRevertData(error: unknown): string | undefined {
  for (const record of nestedErrors(error)) {
    const data = record.data;
    if (typeof data === "string" && /^0x([0-9a-fA-F]{2})*$/.test(data) && (data.length >= 10 || data === "0x")) {
      // `data` on a transaction request is calldata, not revert data: those objects carry `to`.
      if ("to" in record && "from" in record) continue;
      return data;
    }
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0].trim();
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

const UNREACHABLE_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  ETIMEDOUT: "connection timed out",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EPIPE: "connection closed",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  TIMEOUT: "request timed out",
};

/**
 * Turns anything a Pedigree call can throw into a {@link PedigreeError} with a one-line message.
 *
 * Contract reverts become {@link PedigreeContractError} (custom errors of the four registries, RoyaltySplits,
 * OpenZeppelin AccessControl / Nonces / ERC-721 / SafeERC20 and ERC-20 errors, `Error(string)`, `Panic`); node and
 * wallet failures become {@link InsufficientFundsError}, {@link NonceTooLowError}, {@link WrongNetworkError},
 * {@link NodeUnreachableError}, {@link NoContractError}; anything else an {@link UnknownPedigreeError}.
 * A {@link PedigreeError} is returned as it is.
 *
 * @example
 * try {
 *   await publishModelVersion(client, { modelId, version, trainingRun });
 * } catch (error) {
 *   console.error(decodeError(error, { rpcUrl }).message);
 *   // DatasetVersionNotUsable: dataset version 3 cannot be used under licence 7 (Expired). Acquire a new licence …
 * }
 */
export function decodeError(error: unknown, context: DecodeErrorContext = {}): PedigreeError {
  if (error instanceof PedigreeError) return error;
  const nested = nestedErrors(error);
  const messages = nested
    .flatMap((record) => [record.shortMessage, record.message, record.reason])
    .filter((value): value is string => typeof value === "string" && value.length > 0);
  const codes = nested.map((record) => record.code).filter((code) => code !== undefined && code !== null);
  const text = messages.join("\n");
  const original = messages[0] ?? String(error);
  const details = [context.action ? `while calling ${context.action}` : undefined, firstLine(original)]
    .filter(Boolean)
    .join(": ");
  const options: PedigreeErrorOptions = { cause: error, details };

  // Funding and nonce failures are checked before revert data: some nodes attach `data` to them too.
  if (codes.includes("INSUFFICIENT_FUNDS") || /insufficient funds|doesn't have enough funds|not enough funds/i.test(text)) {
    return new InsufficientFundsError(context.account, options);
  }
  if (codes.includes("NONCE_EXPIRED") || /nonce too low|nonce has already been used|nonce is too low/i.test(text)) {
    const match = /expected nonce to be (\d+) but got (\d+)/i.exec(text);
    return new NonceTooLowError(match ? BigInt(match[1]) : undefined, match ? BigInt(match[2]) : undefined, options);
  }

  const data = findRevertData(error);
  if (data !== undefined && data !== "0x") {
    const decoded = decodeRevertData(data, { cause: error, details: context.action ? `while calling ${context.action}` : undefined });
    if (decoded) return decoded;
    return new PedigreeContractError(
      {
        errorName: "UnknownError",
        args: {},
        formattedArgs: {},
        signature: data.slice(0, 10),
        data,
        shortMessage: `Revert: the contract reverted with an unknown error (selector ${data.slice(0, 10)}).`,
      },
      { ...options, hint: "Check that the addresses point at Pedigree registries of this SDK's version." },
    );
  }

  const networkChanged = /network changed: (\d+) => (\d+)/.exec(text);
  if (networkChanged) return new WrongNetworkError(BigInt(networkChanged[1]), BigInt(networkChanged[2]), options);

  for (const code of codes) {
    if (typeof code === "string" && UNREACHABLE_CODES[code]) {
      const reason = code === "TIMEOUT" ? timeoutReason(nested) : UNREACHABLE_CODES[code];
      return new NodeUnreachableError(context.rpcUrl ?? urlOf(nested), reason, options);
    }
  }
  if (codes.includes("SERVER_ERROR")) {
    const status = nested.map((record) => (record.response as { statusCode?: number } | undefined)?.statusCode).find(Boolean);
    return new NodeUnreachableError(context.rpcUrl ?? urlOf(nested), status ? `HTTP ${status}` : "server error", options);
  }
  if (/fetch failed|socket hang up|failed to detect network|ECONNREFUSED|getaddrinfo/i.test(text)) {
    return new NodeUnreachableError(context.rpcUrl ?? urlOf(nested), "connection failed", options);
  }
  if (codes.includes("ACTION_REJECTED")) {
    return new PedigreeError("REJECTED", "The wallet refused to sign.", options);
  }
  if (codes.includes("BAD_DATA") && /value="0x"/.test(text)) {
    return new NoContractError(contractOf(nested), options);
  }
  if (codes.includes("CALL_EXCEPTION")) {
    const receipt = nested.map((record) => record.receipt as { hash?: string } | undefined).find(Boolean);
    return new TransactionFailedError(
      receipt?.hash,
      receipt?.hash
        ? `Transaction ${receipt.hash} reverted without a reason.`
        : "The call reverted without a reason.",
      { ...options, hint: "It may have run out of gas, or the address may not be a Pedigree registry." },
    );
  }
  return new UnknownPedigreeError(firstLine(original), options);
}

/** "no answer within 30 s" when the timeout is known (the SDK's transport records it), else "request timed out". */
function timeoutReason(nested: Record<string, unknown>[]): string {
  const timeoutMs = nested.map((record) => record.timeoutMs).find((value): value is number => typeof value === "number");
  return timeoutMs === undefined ? UNREACHABLE_CODES.TIMEOUT! : noAnswerWithin(timeoutMs);
}

function urlOf(nested: Record<string, unknown>[]): string | undefined {
  for (const record of nested) {
    const request = record.request as { url?: unknown } | undefined;
    if (request && typeof request.url === "string") return request.url;
    if (typeof record.address === "string" && typeof record.port === "number") return `${record.address}:${record.port}`;
  }
  return undefined;
}

function contractOf(nested: Record<string, unknown>[]): string | undefined {
  for (const record of nested) {
    const info = record.info as { transaction?: { to?: unknown } } | undefined;
    const to = info?.transaction?.to ?? (record.transaction as { to?: unknown } | undefined)?.to;
    if (typeof to === "string") return to;
  }
  return undefined;
}
