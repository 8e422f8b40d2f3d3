// Shared helpers of the Pedigree mappings: accounts, ids, and the provenance log every handler writes to.
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { Account, ClaimCommitmentBlock, ClaimPriorityProof, Content, ProvenanceEvent, RoyaltyBalance } from "../../generated/schema";

/** The account entity of `address`, created on first sight. */
export function getOrCreateAccount(address: Address): Account {
  let account = Account.load(address);
  if (account == null) {
    account = new Account(address);
    account.save();
  }
  return account;
}

/** Deterministic id of an event entity: txHash-logIndex. */
export function eventId(event: ethereum.Event): string {
  return event.transaction.hash.toHexString() + "-" + event.logIndex.toString();
}

/** Decimal string id of an on-chain uint id. */
export function idOf(value: BigInt): string {
  return value.toString();
}

/** Entity ids of on-chain ids, in order (e.g. the attestations an approval rested on). */
export function idsOf(values: Array<BigInt>): Array<string> {
  let ids = new Array<string>();
  for (let i = 0; i < values.length; i++) ids.push(idOf(values[i]));
  return ids;
}

/**
 * Starts a provenance log entry for `event`. `part` distinguishes several entries written for one log (one per
 * subject); the caller sets the subject references and saves it.
 */
export function provenance(
  event: ethereum.Event,
  action: string,
  actor: Bytes,
  description: string,
  part: i32 = -1,
): ProvenanceEvent {
  let id = eventId(event);
  if (part >= 0) id = id + "-" + part.toString();
  let entry = new ProvenanceEvent(id);
  entry.action = action;
  entry.actor = actor;
  entry.description = description;
  entry.blockNumber = event.block.number;
  entry.timestamp = event.block.timestamp;
  entry.transactionHash = event.transaction.hash;
  entry.logIndex = event.logIndex;
  return entry;
}

/** Ids of the set bits of `mask` (bit k = attestation kind k). */
export function bitsOf(mask: BigInt): Array<i32> {
  let ids = new Array<i32>();
  let hex = mask.toHexString().slice(2);
  // Walk nibbles from the least significant end so that no BigInt arithmetic is needed per bit.
  for (let nibble = 0; nibble < hex.length; nibble++) {
    let code = hex.charCodeAt(hex.length - 1 - nibble);
    let value = code <= 57 ? code - 48 : (code | 32) - 87; // '0'-'9', 'a'-'f'
    for (let bit = 0; bit < 4; bit++) {
      if ((value >> bit) & 1) ids.push(nibble * 4 + bit);
    }
  }
  return ids;
}

export const ZERO_ADDRESS = Address.zero();
/** The zero bytes32: "none" for an optional hash. */
export const ZERO_HASH = Bytes.fromHexString("0x0000000000000000000000000000000000000000000000000000000000000000");

/** DigestKind values of the schema. */
export const DATASET_FINGERPRINT = "DatasetFingerprint";
export const MODEL_WEIGHTS = "ModelWeights";

/** The Content entity of `digest`, created on first sight. */
export function getOrCreateContent(digest: Bytes): Content {
  let content = Content.load(digest);
  if (content == null) {
    content = new Content(digest);
    content.save();
  }
  return content;
}

/** 8 big-endian bytes of an unsigned id or time. */
export function uint64Bytes(value: BigInt): Bytes {
  let hex = value.toHexString().slice(2);
  while (hex.length < 16) hex = "0" + hex;
  return Bytes.fromHexString(hex);
}

/** Id of the ClaimCommitmentBlock of `registry` at `committedAt`. */
function commitmentBlockId(registry: Bytes, committedAt: BigInt): Bytes {
  return registry.concat(uint64Bytes(committedAt));
}

/** Records a ClaimCommitted event of either registry (`kind` names which digests it claims). */
export function recordCommitment(event: ethereum.Event, kind: string, commitment: Bytes, committer: Address, committedAt: BigInt): void {
  let account = getOrCreateAccount(committer);
  let id = commitmentBlockId(event.address, committedAt);
  if (ClaimCommitmentBlock.load(id) == null) {
    let block = new ClaimCommitmentBlock(id);
    block.kind = kind;
    block.committedAt = committedAt;
    block.blockNumber = event.block.number;
    block.transactionHash = event.transaction.hash;
    block.save();
  }

  let entry = provenance(event, "ClaimCommitted", account.id, "claim commitment " + commitment.toHexString() + " by " + committer.toHexString());
  entry.save();
}

/** Starts the record of a ClaimPriorityProven event; the caller links the version and saves it. */
export function priorityProof(event: ethereum.Event, kind: string, claimant: Address, digest: Bytes, committedAt: BigInt): ClaimPriorityProof {
  let proof = new ClaimPriorityProof(eventId(event));
  proof.kind = kind;
  proof.digest = digest;
  proof.claimant = getOrCreateAccount(claimant).id;
  proof.committedAt = committedAt;
  let block = ClaimCommitmentBlock.load(commitmentBlockId(event.address, committedAt));
  if (block != null) proof.commitmentBlock = block.blockNumber;
  proof.prover = getOrCreateAccount(event.transaction.from).id;
  proof.blockNumber = event.block.number;
  proof.timestamp = event.block.timestamp;
  proof.transactionHash = event.transaction.hash;
  return proof;
}

/** Whether a newly proven priority time beats the recorded one (null = none recorded). */
export function isEarlier(proven: BigInt, recorded: BigInt | null): boolean {
  return recorded === null || proven.lt(recorded as BigInt);
}

/** What `account` has earned, been refunded and withdrawn in `currency`, created at zero on first sight. */
export function getOrCreateBalance(account: Bytes, currency: Bytes): RoyaltyBalance {
  let id = account.toHexString() + "-" + currency.toHexString();
  let balance = RoyaltyBalance.load(id);
  if (balance == null) {
    balance = new RoyaltyBalance(id);
    balance.account = account;
    balance.currency = currency;
    balance.credited = BigInt.zero();
    balance.refunded = BigInt.zero();
    balance.surplus = BigInt.zero();
    balance.released = BigInt.zero();
    balance.withdrawn = BigInt.zero();
    balance.balance = BigInt.zero();
  }
  return balance;
}
