import { verifyTypedData } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { decodeError, registryError } from "../errors/index.ts";
import { afterApproval, payTreasury } from "../internal/erc20.ts";
import { usageDue } from "../internal/meteredLicence.ts";
import { requireSignatureOf, requireSignedForThis, signatureDeadline } from "../internal/signatures.ts";
import { eventOf, readView, sendTransaction } from "../internal/transactions.ts";
import {
  USAGE_REPORT_TYPES,
  encodeSignedUsageReport,
  parseSignedUsageReport,
  royaltiesDomain,
  usageReportMessage,
  type DecodedSignedUsageReport,
  type SignedUsageReport,
} from "../signedUsageReport.ts";
import type { TimestampInput, TransactionOptions, TransactionResult } from "../types.ts";
import { reportedIn, toUsageReport, type ReportUsageResult, type UsageReportInput } from "./reportUsage.ts";

export interface SignUsageReportParameters extends UsageReportInput {
  /** Until when it may be relayed: in the future, at most 30 days ahead; seven days from now when omitted. */
  deadline?: TimestampInput;
}

/**
 * Signs a usage report off-chain (EIP-712) as the licensee, with its current usage nonce; nothing is sent. Anyone
 * relays the document later with {@link relayUsageReport}; the licence's deposit pays for it first, the relayer the rest.
 *
 * @example
 * const signed = await signUsageReport(licenseeClient, { licenceId: 1n, versionId: 2n, units: 10_000n });
 * await writeFile("usage-signed.json", JSON.stringify(signed, null, 2));
 */
export async function signUsageReport(client: PedigreeClient, parameters: SignUsageReportParameters): Promise<SignedUsageReport> {
  const wallet = client.requireSigner("signUsageReport");
  const report = await toUsageReport(parameters);
  const signer = await client.account();
  await client.assertNetwork();
  const licence = await readView(client, "DatasetRegistry.getLicence", () => client.datasets.getLicence(report.licenceId));
  if (licence.licensee !== signer) {
    throw new InvalidInputError("licenceId", `licence ${report.licenceId} is held by ${licence.licensee}, not by the signer ${signer}`, { hint: "Sign with the licensee's key." });
  }
  await usageDue(client, report, signer, false); // a voided or unmetered licence, or a version of another dataset
  const deadline = await signatureDeadline(client, parameters.deadline);
  const chainId = await client.getChainId();
  const nonce = await readView(client, "RoyaltyRegistry.nonces", () => client.royalties.nonces(signer));
  const contract = client.addresses.royalties;
  let signature: string;
  try {
    signature = await wallet.signTypedData(royaltiesDomain(chainId, contract), USAGE_REPORT_TYPES, usageReportMessage({ report, nonce, deadline }));
  } catch (error) {
    throw decodeError(error, { action: "signTypedData", rpcUrl: client.rpcUrl });
  }
  return encodeSignedUsageReport({ chainId, contract, signer, nonce, deadline, report, signature });
}

/**
 * Refuses, as the treasury would, a signed report it can no longer take: past its deadline (SignatureExpired) or with
 * a nonce that is not the licensee's next one (InvalidAccountNonce: relayed already, or cancelled).
 */
async function requireRelayable(client: PedigreeClient, decoded: DecodedSignedUsageReport): Promise<void> {
  const block = await readView(client, "eth_getBlockByNumber", () => client.provider.getBlock("latest"));
  if (block && BigInt(block.timestamp) >= decoded.deadline) throw registryError("SignatureExpired", [decoded.deadline]);
  const next = await readView(client, "RoyaltyRegistry.nonces", () => client.royalties.nonces(decoded.signer));
  if (decoded.nonce !== next) throw registryError("InvalidAccountNonce", [decoded.signer, next]);
}

/**
 * Relays a usage report signed with {@link signUsageReport} (the document or its JSON text), as any account, after
 * checking it names this network and RoyaltyRegistry, carries the licensee's signature, and can still be relayed
 * (deadline, nonce). The deposit pays first; the relayer pays the rest (ETH sent, or an ERC-20 approved to the treasury
 * first when short) — and nothing, not even an approval, is sent for a report the treasury would refuse.
 *
 * @example
 * const { reportId } = await relayUsageReport(relayerClient, await readFile("usage-signed.json", "utf8"));
 */
export async function relayUsageReport(
  client: PedigreeClient,
  signed: SignedUsageReport | string,
  options: TransactionOptions & { approve?: boolean } = {},
): Promise<ReportUsageResult> {
  const decoded = parseSignedUsageReport(signed);
  client.requireSigner("relayUsageReport");
  await requireSignedForThis(client, decoded, client.addresses.royalties, "RoyaltyRegistry", "usage report");
  await requireSignatureOf(
    client,
    decoded.signer,
    () => verifyTypedData(royaltiesDomain(decoded.chainId, decoded.contract), USAGE_REPORT_TYPES, usageReportMessage(decoded), decoded.signature),
    "usage report",
  );
  const { currency, due } = await usageDue(client, decoded.report, decoded.signer, true);
  await requireRelayable(client, decoded);
  const { value, approval } = await payTreasury(client, { currency, amount: due, purpose: "the usage report", approve: options.approve ?? true }, options);
  const mined = await sendTransaction(
    client,
    "RoyaltyRegistry.reportUsageBySig",
    (relayer, overrides) => client.royalties.connect(relayer).reportUsageBySig(decoded.report, decoded.nonce, decoded.deadline, decoded.signature, { ...overrides, value }),
    afterApproval(options, approval),
  );
  return { ...reportedIn(client, mined), approval };
}

export interface CancelUsageNonceResult extends TransactionResult {
  account: string;
  /** The nonce used up: no report signed with it can be relayed any more. */
  nonce: bigint;
}

/**
 * Voids the signer's unrelayed signed usage reports by using up its current RoyaltyRegistry nonce.
 *
 * @example
 * await cancelUsageNonce(licenseeClient);
 */
export async function cancelUsageNonce(client: PedigreeClient, options: TransactionOptions = {}): Promise<CancelUsageNonceResult> {
  const mined = await sendTransaction(client, "RoyaltyRegistry.cancelUsageNonce", (signer, overrides) => client.royalties.connect(signer).cancelUsageNonce(overrides), options);
  const cancelled = eventOf(mined.receipt, client.royalties, "UsageNonceCancelled");
  return { account: cancelled.account, nonce: cancelled.nonce, hash: mined.hash, blockNumber: mined.blockNumber };
}
