import { ZeroAddress, verifyTypedData } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { parseId, parseUint, type IdInput } from "../../core/ids.ts";
import { decodeError } from "../errors/index.ts";
import { afterApproval, allowRegistryToPull } from "../internal/erc20.ts";
import { requireSignatureOf, requireSignedForThis, signatureDeadline } from "../internal/signatures.ts";
import { eventOf, readView, sendTransaction } from "../internal/transactions.ts";
import { hashOrZero, sha256OfFile, toText } from "../internal/validate.ts";
import {
  USAGE_REPORT_TYPES,
  encodeSignedUsageReport,
  parseSignedUsageReport,
  royaltiesDomain,
  usageReportMessage,
  type SignedUsageReport,
  type UsageReportRequest,
} from "../signedUsageReport.ts";
import type { TimestampInput, TransactionOptions, TransactionResult } from "../types.ts";

/** What a usage report says: how many units of which licensed version were used, and the evidence. */
export interface UsageReportInput {
  /** A licence granted under metered terms (a unit price above 0). */
  licenceId: IdInput;
  /** The dataset version used (of the licensed dataset). */
  versionId: IdInput;
  /** Units used, in the unit the terms name (samples, tokens trained, inference calls). */
  units: IdInput;
  /** The usage evidence (logs, counters): its hash, or a file hashed with SHA-256; zero when omitted. */
  evidence?: { hash?: string; file?: string; uri?: string };
}

export interface ReportUsageParameters extends TransactionOptions, UsageReportInput {
  /** Send an ERC-20 `approve` for what the deposit does not cover when the allowance is short (default true). */
  approve?: boolean;
}

export interface ReportUsageResult extends TransactionResult {
  reportId: bigint;
  licenceId: bigint;
  versionId: bigint;
  units: bigint;
  /** What the report cost, and how much of it the licence's deposit paid. */
  cost: bigint;
  fromDeposit: bigint;
  /** The ERC-20 approval sent first, when one was needed. */
  approval?: TransactionResult;
}

/** Checks a report before anything is sent: ids, at least one unit, the evidence hashed. */
export async function toUsageReport(input: UsageReportInput): Promise<UsageReportRequest> {
  const units = parseUint(input.units, "units", 64);
  if (units === 0n) throw new InvalidInputError("units", "units must be at least 1", { hint: "Report the units used since the last report." });
  const evidence = input.evidence ?? {};
  if (evidence.hash !== undefined && evidence.file !== undefined) {
    throw new InvalidInputError("evidence", "give the evidence's hash or its file, not both");
  }
  const reportHash = evidence.file !== undefined ? await sha256OfFile(evidence.file, "evidence.file") : hashOrZero(evidence.hash, "evidence.hash");
  return {
    licenceId: parseId(input.licenceId, "licenceId"),
    versionId: parseId(input.versionId, "versionId"),
    units,
    reportHash,
    reportURI: evidence.uri === undefined ? "" : toText(evidence.uri, "evidence.uri"),
  };
}

/** What a report of `units` under `licenceId` costs, in which currency, and how much the deposit leaves to pay. */
export async function usageCost(client: PedigreeClient, licenceId: bigint, units: bigint): Promise<{ currency: string; cost: bigint; due: bigint }> {
  const licence = await readView(client, "DatasetRegistry.getLicence", () => client.datasets.getLicence(licenceId));
  const [terms] = await readView(client, "DatasetRegistry.getTerms", () => client.datasets.getTerms(licence.termsId));
  if (terms.unitPrice === 0n) {
    throw new InvalidInputError("licenceId", `licence ${licenceId} was granted under terms ${licence.termsId}, which do not price use by the unit`, { hint: "Report usage only under metered terms." });
  }
  const deposit = await readView(client, "RoyaltyRegistry.depositOf", () => client.royalties.depositOf(licenceId));
  const cost = units * terms.unitPrice;
  return { currency: terms.currency, cost, due: cost > deposit ? cost - deposit : 0n };
}

/**
 * Reports usage under a metered licence and pays for it in the same transaction: the licence's deposit first, the
 * signer the rest (ETH, or an ERC-20 approved to the treasury first when short). The licensee only.
 *
 * @example
 * const { reportId, cost } = await reportUsage(client, { licenceId: 1n, versionId: 2n, units: 4_000_000n,
 *   evidence: { file: "./training-log.json", uri: "ipfs://bafy…" } });
 */
export async function reportUsage(client: PedigreeClient, parameters: ReportUsageParameters): Promise<ReportUsageResult> {
  const report = await toUsageReport(parameters);
  client.requireSigner("RoyaltyRegistry.reportUsage");
  const { currency, due } = await usageCost(client, report.licenceId, report.units);
  const approval =
    currency !== ZeroAddress && due > 0n
      ? await allowRegistryToPull(client, { currency, amount: due, purpose: "the usage report", approve: parameters.approve ?? true }, parameters)
      : undefined;
  const value = currency === ZeroAddress ? due : 0n;
  const mined = await sendTransaction(
    client,
    "RoyaltyRegistry.reportUsage",
    (licensee, overrides) => client.royalties.connect(licensee).reportUsage(report, { ...overrides, value }),
    afterApproval(parameters, approval),
  );
  return { ...reportedIn(client, mined), approval };
}

function reportedIn(client: PedigreeClient, mined: Awaited<ReturnType<typeof sendTransaction>>): ReportUsageResult {
  const reported = eventOf(mined.receipt, client.royalties, "UsageReported");
  return {
    reportId: reported.reportId,
    licenceId: reported.licenceId,
    versionId: reported.versionId,
    units: reported.units,
    cost: reported.cost,
    fromDeposit: reported.fromDeposit,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}

export interface SignUsageReportParameters extends UsageReportInput {
  /** Until when it may be relayed: in the future, at most 30 days ahead; seven days from now when omitted. */
  deadline?: TimestampInput;
}

/**
 * Signs a usage report off-chain (EIP-712) as the licensee, with its current usage nonce; nothing is sent. Anyone
 * relays the document later with {@link relayUsageReport}; the licence's deposit pays for it first.
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
 * Relays a usage report signed with {@link signUsageReport} (the document or its JSON text), as any account, after
 * checking it names this network and RoyaltyRegistry and carries the licensee's signature. The deposit pays first; the
 * relayer pays the rest (ETH sent, or an ERC-20 approved to the treasury first when short).
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
  const { currency, due } = await usageCost(client, decoded.report.licenceId, decoded.report.units);
  const approval =
    currency !== ZeroAddress && due > 0n
      ? await allowRegistryToPull(client, { currency, amount: due, purpose: "the usage report", approve: options.approve ?? true }, options)
      : undefined;
  const value = currency === ZeroAddress ? due : 0n;
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
