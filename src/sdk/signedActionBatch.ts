/**
 * Batches of agent action records signed off-chain (EIP-712) by one of the agent's operator wallets and relayed later
 * by anyone: the typed data the AgentRegistry verifies, and the portable JSON document the signature travels in.
 */
import { pedigreeDomain } from "./eip712.ts";
import { getAddress, type TypedDataDomain, type TypedDataField } from "ethers";
import { InvalidInputError } from "../core/errors.ts";
import { parseAddress, parseBytes32 } from "../core/hex.ts";
import { fromDocument, signedEnvelope } from "./internal/validate.ts";

/** The `format` tag of a {@link SignedActionBatch} document. */
export const SIGNED_ACTION_BATCH_FORMAT = "pedigree-signed-actions/v1";

/** The EIP-712 types of a signed batch (AgentRegistry.ANCHOR_ACTIONS_TYPEHASH). */
export const ANCHOR_ACTIONS_TYPES: Record<string, TypedDataField[]> = {
  AnchorActions: [
    { name: "agentId", type: "uint64" },
    { name: "count", type: "uint64" },
    { name: "windowStart", type: "uint64" },
    { name: "windowEnd", type: "uint64" },
    { name: "root", type: "bytes32" },
    { name: "uri", type: "string" },
    { name: "signer", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The EIP-712 domain of the AgentRegistry at `contract` on `chainId`. */
export function agentsDomain(chainId: bigint, contract: string): TypedDataDomain {
  return pedigreeDomain("Pedigree Agents", chainId, contract);
}

/** A batch as the registry takes it (`ActionBatchRequest`). */
export interface ActionBatchRequest {
  agentId: bigint;
  count: bigint;
  windowStart: bigint;
  windowEnd: bigint;
  root: string;
  uri: string;
}

/** A signed batch with its values as the contract takes them. */
export interface DecodedSignedActionBatch {
  chainId: bigint;
  contract: string;
  signer: string;
  nonce: bigint;
  deadline: bigint;
  request: ActionBatchRequest;
  signature: string;
}

/** A signed batch as a JSON-safe document: integers as decimal strings. */
export interface SignedActionBatch {
  format: typeof SIGNED_ACTION_BATCH_FORMAT;
  chainId: string;
  contract: string;
  signer: string;
  nonce: string;
  deadline: string;
  request: { agentId: string; count: string; windowStart: string; windowEnd: string; root: string; uri: string };
  signature: string;
}

/** The EIP-712 message of a signed batch. */
export function anchorActionsMessage(decoded: Omit<DecodedSignedActionBatch, "signature" | "chainId" | "contract">): Record<string, unknown> {
  return { ...decoded.request, signer: decoded.signer, nonce: decoded.nonce, deadline: decoded.deadline };
}

/** Encodes decoded values into the portable document. */
export function encodeSignedActionBatch(decoded: DecodedSignedActionBatch): SignedActionBatch {
  const { request } = decoded;
  return {
    format: SIGNED_ACTION_BATCH_FORMAT,
    chainId: decoded.chainId.toString(),
    contract: getAddress(decoded.contract),
    signer: getAddress(decoded.signer),
    nonce: decoded.nonce.toString(),
    deadline: decoded.deadline.toString(),
    request: {
      agentId: request.agentId.toString(),
      count: request.count.toString(),
      windowStart: request.windowStart.toString(),
      windowEnd: request.windowEnd.toString(),
      root: request.root,
      uri: request.uri,
    },
    signature: decoded.signature,
  };
}

/**
 * Checks a signed-batch document (an object, or the JSON text of a file) and decodes its values; an InvalidInputError
 * names the first bad field.
 */
export function parseSignedActionBatch(value: unknown): DecodedSignedActionBatch {
  const { signed, inner: request, signature } = signedEnvelope(value, SIGNED_ACTION_BATCH_FORMAT, "the signed action batch", "request");
  if (typeof request.uri !== "string") throw new InvalidInputError("signed.request.uri", "signed.request.uri must be a string");
  return {
    chainId: fromDocument(signed.chainId, "signed.chainId"),
    contract: parseAddress(signed.contract as string, "signed.contract", { nonZero: true }),
    signer: parseAddress(signed.signer as string, "signed.signer", { nonZero: true }),
    nonce: fromDocument(signed.nonce, "signed.nonce"),
    deadline: fromDocument(signed.deadline, "signed.deadline"),
    request: {
      agentId: fromDocument(request.agentId, "signed.request.agentId", 64),
      count: fromDocument(request.count, "signed.request.count", 64),
      windowStart: fromDocument(request.windowStart, "signed.request.windowStart", 64),
      windowEnd: fromDocument(request.windowEnd, "signed.request.windowEnd", 64),
      root: parseBytes32(request.root as string, "signed.request.root", { nonZero: true }),
      uri: request.uri,
    },
    signature,
  };
}
