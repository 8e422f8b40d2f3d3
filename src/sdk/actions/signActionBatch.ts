import { verifyTypedData } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { decodeError } from "../errors/index.ts";
import { requireSignatureOf, requireSignedForThis, signatureDeadline } from "../internal/signatures.ts";
import { eventOf, readView, sendTransaction } from "../internal/transactions.ts";
import {
  ANCHOR_ACTIONS_TYPES,
  agentsDomain,
  anchorActionsMessage,
  encodeSignedActionBatch,
  parseSignedActionBatch,
  type SignedActionBatch,
} from "../signedActionBatch.ts";
import type { TimestampInput, TransactionOptions, TransactionResult } from "../types.ts";
import { anchoredIn, toActionBatchRequest, type AnchorActionsParameters, type AnchorActionsResult } from "./anchorActions.ts";

export interface SignActionBatchParameters extends Pick<AnchorActionsParameters, "agentId" | "batch" | "uri"> {
  /** Until when it may be relayed: in the future, at most 30 days ahead; seven days from now when omitted. */
  deadline?: TimestampInput;
}

/**
 * Signs a batch of action records off-chain (EIP-712) as one of the agent's operator wallets, with its current nonce;
 * nothing is sent. Anyone relays the document later with {@link relayActionBatch}, paying the gas.
 *
 * @example
 * const signed = await signActionBatch(walletClient, { agentId: 1n, batch: actionBatch(records), uri: "s3://…" });
 * await writeFile("batch-signed.json", JSON.stringify(signed, null, 2));
 */
export async function signActionBatch(client: PedigreeClient, parameters: SignActionBatchParameters): Promise<SignedActionBatch> {
  const wallet = client.requireSigner("signActionBatch");
  const request = toActionBatchRequest(parameters.agentId, parameters.batch, parameters.uri);
  const signer = await client.account();
  await client.assertNetwork();
  const deadline = await signatureDeadline(client, parameters.deadline);
  const chainId = await client.getChainId();
  const nonce = await readView(client, "AgentRegistry.nonces", () => client.agents.nonces(signer));
  const contract = client.addresses.agents;
  let signature: string;
  try {
    signature = await wallet.signTypedData(agentsDomain(chainId, contract), ANCHOR_ACTIONS_TYPES, anchorActionsMessage({ signer, nonce, deadline, request }));
  } catch (error) {
    throw decodeError(error, { action: "signTypedData", rpcUrl: client.rpcUrl });
  }
  return encodeSignedActionBatch({ chainId, contract, signer, nonce, deadline, request, signature });
}

/**
 * Relays a batch signed with {@link signActionBatch} (the document or its JSON text), as any account, after checking
 * it names this network and AgentRegistry and carries the signer's signature; the registry refuses an expired or
 * already-relayed one.
 *
 * @example
 * const { bindingId } = await relayActionBatch(relayerClient, JSON.parse(await readFile("batch-signed.json", "utf8")));
 */
export async function relayActionBatch(client: PedigreeClient, signed: SignedActionBatch | string, options: TransactionOptions = {}): Promise<AnchorActionsResult> {
  const decoded = parseSignedActionBatch(signed);
  client.requireSigner("relayActionBatch");
  await requireSignedForThis(client, decoded, client.addresses.agents, "AgentRegistry", "action batch");
  await requireSignatureOf(
    client,
    decoded.signer,
    () => verifyTypedData(agentsDomain(decoded.chainId, decoded.contract), ANCHOR_ACTIONS_TYPES, anchorActionsMessage(decoded), decoded.signature),
    "action batch",
  );
  const mined = await sendTransaction(
    client,
    "AgentRegistry.anchorActionsBySig",
    (sender, overrides) =>
      client.agents.connect(sender).anchorActionsBySig(decoded.request, decoded.signer, decoded.nonce, decoded.deadline, decoded.signature, overrides),
    options,
  );
  return anchoredIn(client, mined);
}

export interface CancelActionNonceResult extends TransactionResult {
  signer: string;
  /** The nonce used up: no batch signed with it can be relayed any more. */
  nonce: bigint;
}

/**
 * Cancels the signer's unrelayed signed action batches by using up its current AgentRegistry nonce.
 *
 * @example
 * await cancelActionNonce(walletClient);
 */
export async function cancelActionNonce(client: PedigreeClient, options: TransactionOptions = {}): Promise<CancelActionNonceResult> {
  const mined = await sendTransaction(
    client,
    "AgentRegistry.cancelNonce",
    (signer, overrides) => client.agents.connect(signer).cancelNonce(overrides),
    options,
  );
  const cancelled = eventOf(mined.receipt, client.agents, "NonceCancelled");
  return { signer: cancelled.signer, nonce: cancelled.nonce, hash: mined.hash, blockNumber: mined.blockNumber };
}
