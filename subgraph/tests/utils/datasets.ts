// Event builders for the DatasetRegistry tests: one function per event, parameters in the ABI's order.
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { newMockEvent } from "matchstick-as/assembly/index";
import { uint, uints } from "./events";
import {
  ClaimCommitted,
  ClaimPriorityProven,
  ConsentRevoked,
  DatasetRegistered,
  DatasetVersionPublished,
  DatasetWithdrawn,
  LicenceAcquired,
  LicenceRefunded,
  TermsCleared,
  TermsSet,
  Transfer,
} from "../../../generated/DatasetRegistry/DatasetRegistry";

export const OWNER = Address.fromString("0xaaaa000000000000000000000000000000000001");
export const NEW_OWNER = Address.fromString("0xbbbb000000000000000000000000000000000002");
export const OPERATOR = Address.fromString("0xcccc000000000000000000000000000000000003");
export const LICENSEE = Address.fromString("0xdddd000000000000000000000000000000000004");
export const PAYER = Address.fromString("0xeeee000000000000000000000000000000000005");
export const PROVER = Address.fromString("0xffff000000000000000000000000000000000006");
export const SPLIT_A = Address.fromString("0x1111000000000000000000000000000000000007");
export const SPLIT_B = Address.fromString("0x2222000000000000000000000000000000000008");
export const TOKEN = Address.fromString("0x3333000000000000000000000000000000000009");
export const ETH = Address.zero();
/** The address newMockEvent gives every event: the DatasetRegistry's, as far as the mappings can tell. */
export const REGISTRY = Address.fromString("0xa16081f360e3847006db660bae1c6d1b2e17ec2a");
export const OTHER_REGISTRY = Address.fromString("0x4444000000000000000000000000000000000010");

/** A bytes32 made of one repeated byte (two hex digits), e.g. hash32("f1"). */
export function hash32(byte: string): Bytes {
  return Bytes.fromHexString("0x" + byte.repeat(32));
}

/** The unix time of `block` in these tests: 12-second blocks from 1,700,000,000. */
export function timeOf(block: i32): i32 {
  return 1700000000 + block * 12;
}

/** Hex of transaction number `tx` (32 bytes whose low digits are tx's decimal digits). */
export function txHex(tx: i32): string {
  return "0x" + tx.toString().padStart(64, "0");
}

/** The id of an entity keyed by event (txHash-logIndex), for the event at (`tx`, `logIndex`). */
export function eventKey(tx: i32, logIndex: i32): string {
  return txHex(tx) + "-" + logIndex.toString();
}

/** Places `event` at log `logIndex` of block `block`, in transaction number `tx` (default: one tx per block). */
export function at<T>(event: T, block: i32, logIndex: i32, tx: i32 = -1): T {
  let placed = changetype<ethereum.Event>(event);
  placed.block.number = BigInt.fromI32(block);
  placed.block.timestamp = BigInt.fromI32(timeOf(block));
  placed.transaction.hash = Bytes.fromHexString(txHex(tx < 0 ? block : tx));
  placed.logIndex = BigInt.fromI32(logIndex);
  return event;
}

/** Sets who sent the event's transaction (what TermsCleared and ClaimPriorityProven take as their actor). */
export function sentBy<T>(event: T, sender: Address): T {
  changetype<ethereum.Event>(event).transaction.from = sender;
  return event;
}

function param(name: string, value: ethereum.Value): ethereum.EventParam {
  return new ethereum.EventParam(name, value);
}

function mockEvent(params: Array<ethereum.EventParam>): ethereum.Event {
  let event = newMockEvent();
  event.parameters = params;
  return event;
}

export function datasetRegistered(datasetId: i32, owner: Address): DatasetRegistered {
  return changetype<DatasetRegistered>(
    mockEvent([param("datasetId", uint(datasetId)), param("owner", ethereum.Value.fromAddress(owner))]),
  );
}

export function transfer(from: Address, to: Address, tokenId: i32): Transfer {
  return changetype<Transfer>(
    mockEvent([
      param("from", ethereum.Value.fromAddress(from)),
      param("to", ethereum.Value.fromAddress(to)),
      param("tokenId", uint(tokenId)),
    ]),
  );
}

/**
 * Version `number` of `datasetId` with `fingerprint`, derived from `parents` under `parentLicences` (0 = the owner's own
 * data); no handling policy (see withHandlingPolicy). Its other fields are fixed: manifest 0x11…, metadata 0x22…,
 * transformation 0x33…, uri ipfs://dataset-version-<id>, origin regions 5, territories 255 (training) and 15 (deployment).
 */
export function versionPublished(
  versionId: i32,
  datasetId: i32,
  number: i32,
  fingerprint: Bytes,
  publisher: Address,
  parents: Array<i32> = [],
  parentLicences: Array<i32> = [],
): DatasetVersionPublished {
  let uri = "ipfs://dataset-version-" + versionId.toString();
  return changetype<DatasetVersionPublished>(
    mockEvent([
      param("versionId", uint(versionId)),
      param("datasetId", uint(datasetId)),
      param("number", uint(number)),
      param("fingerprint", ethereum.Value.fromFixedBytes(fingerprint)),
      param("manifestRoot", ethereum.Value.fromFixedBytes(hash32("11"))),
      param("metadataHash", ethereum.Value.fromFixedBytes(hash32("22"))),
      param("uri", ethereum.Value.fromString(uri)),
      param("parentVersionIds", uints(parents)),
      param("parentLicenceIds", uints(parentLicences)),
      param("transformationHash", ethereum.Value.fromFixedBytes(hash32("33"))),
      param("publisher", ethereum.Value.fromAddress(publisher)),
      param("originRegions", uint(5)),
      param("handlingPolicyHash", ethereum.Value.fromFixedBytes(hash32("00"))),
      param("handlingPolicyURI", ethereum.Value.fromString("")),
      param("inheritedTrainingTerritories", uint(255)),
      param("inheritedDeploymentTerritories", uint(15)),
    ]),
  );
}

/** `event` declaring the handling policy `hash` at `uri`. */
export function withHandlingPolicy(event: DatasetVersionPublished, hash: Bytes, uri: string): DatasetVersionPublished {
  event.parameters[12] = param("handlingPolicyHash", ethereum.Value.fromFixedBytes(hash));
  event.parameters[13] = param("handlingPolicyURI", ethereum.Value.fromString(uri));
  return event;
}

export function datasetWithdrawn(datasetId: i32, by: Address, reason: string): DatasetWithdrawn {
  return changetype<DatasetWithdrawn>(
    mockEvent([
      param("datasetId", uint(datasetId)),
      param("by", ethereum.Value.fromAddress(by)),
      param("reason", ethereum.Value.fromString(reason)),
    ]),
  );
}

export function consentRevoked(datasetId: i32, by: Address, reason: string): ConsentRevoked {
  return changetype<ConsentRevoked>(
    mockEvent([
      param("datasetId", uint(datasetId)),
      param("by", ethereum.Value.fromAddress(by)),
      param("reason", ethereum.Value.fromString(reason)),
    ]),
  );
}

/**
 * Terms `termsId` of `datasetId` at `price` in `currency`, with royalty splits (recipients[i] gets bps[i]). Its other
 * fields are fixed: 30 days, commercial use, no derivatives, document 0xd0… at `documentURI`, territories 3 (training)
 * and 1 (deployment), 7 per "samples", 250 bps derivative royalty.
 */
export function termsSet(
  datasetId: i32,
  termsId: i32,
  currency: Address,
  price: i32,
  documentURI: string,
  recipients: Array<Address>,
  bps: Array<i32>,
  setBy: Address,
): TermsSet {
  let splits = new Array<ethereum.Value>();
  for (let i = 0; i < recipients.length; i++) {
    let split = changetype<ethereum.Tuple>([ethereum.Value.fromAddress(recipients[i]), uint(bps[i])]);
    splits.push(ethereum.Value.fromTuple(split));
  }
  return changetype<TermsSet>(
    mockEvent([
      param("datasetId", uint(datasetId)),
      param("termsId", uint(termsId)),
      param("currency", ethereum.Value.fromAddress(currency)),
      param("price", uint(price)),
      param("duration", uint(30 * 86400)),
      param("commercialUse", ethereum.Value.fromBoolean(true)),
      param("derivativesAllowed", ethereum.Value.fromBoolean(false)),
      param("documentHash", ethereum.Value.fromFixedBytes(hash32("d0"))),
      param("documentURI", ethereum.Value.fromString(documentURI)),
      param("splits", ethereum.Value.fromArray(splits)),
      param("trainingTerritories", uint(3)),
      param("deploymentTerritories", uint(1)),
      param("unitPrice", uint(7)),
      param("unit", ethereum.Value.fromString("samples")),
      param("derivativeRoyaltyBps", uint(250)),
      param("setBy", ethereum.Value.fromAddress(setBy)),
    ]),
  );
}

export function termsCleared(datasetId: i32, previousTermsId: i32, newOwner: Address): TermsCleared {
  return changetype<TermsCleared>(
    mockEvent([
      param("datasetId", uint(datasetId)),
      param("previousTermsId", uint(previousTermsId)),
      param("newOwner", ethereum.Value.fromAddress(newOwner)),
    ]),
  );
}

export function licenceAcquired(
  licenceId: i32,
  datasetId: i32,
  termsId: i32,
  licensee: Address,
  payer: Address,
  currency: Address,
  amount: i32,
  expiresAt: i32,
): LicenceAcquired {
  return changetype<LicenceAcquired>(
    mockEvent([
      param("licenceId", uint(licenceId)),
      param("datasetId", uint(datasetId)),
      param("termsId", uint(termsId)),
      param("licensee", ethereum.Value.fromAddress(licensee)),
      param("payer", ethereum.Value.fromAddress(payer)),
      param("currency", ethereum.Value.fromAddress(currency)),
      param("amount", uint(amount)),
      param("expiresAt", uint(expiresAt)),
    ]),
  );
}

export function licenceRefunded(
  licenceId: i32,
  datasetId: i32,
  licensee: Address,
  currency: Address,
  amount: i32,
  refundedBy: Address,
  surplus: i32,
): LicenceRefunded {
  return changetype<LicenceRefunded>(
    mockEvent([
      param("licenceId", uint(licenceId)),
      param("datasetId", uint(datasetId)),
      param("licensee", ethereum.Value.fromAddress(licensee)),
      param("currency", ethereum.Value.fromAddress(currency)),
      param("amount", uint(amount)),
      param("refundedBy", ethereum.Value.fromAddress(refundedBy)),
      param("surplus", uint(surplus)),
    ]),
  );
}

export function claimCommitted(commitment: Bytes, committer: Address, committedAt: i32): ClaimCommitted {
  return changetype<ClaimCommitted>(
    mockEvent([
      param("commitment", ethereum.Value.fromFixedBytes(commitment)),
      param("committer", ethereum.Value.fromAddress(committer)),
      param("committedAt", uint(committedAt)),
    ]),
  );
}

export function claimPriorityProven(versionId: i32, claimant: Address, digest: Bytes, committedAt: i32): ClaimPriorityProven {
  return changetype<ClaimPriorityProven>(
    mockEvent([
      param("versionId", uint(versionId)),
      param("claimant", ethereum.Value.fromAddress(claimant)),
      param("digest", ethereum.Value.fromFixedBytes(digest)),
      param("committedAt", uint(committedAt)),
    ]),
  );
}
