import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { parseId, parseUint, type IdInput } from "../../core/ids.ts";
import { afterApproval, payTreasury } from "../internal/erc20.ts";
import { meteredLicence, usageCostOf, usageDue, type UsageDue } from "../internal/meteredLicence.ts";
import { eventOf, sendTransaction, type Mined } from "../internal/transactions.ts";
import { hashOrZero, sha256OfFile, toText } from "../internal/validate.ts";
import type { UsageReportRequest } from "../signedUsageReport.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

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

/**
 * What a report of `units` under `licenceId` would cost now, in which currency, and how much of it the licence's deposit
 * leaves to pay; refused for an unknown, voided or unmetered licence.
 *
 * @example
 * const { currency, cost, due } = await usageCost(client, 1n, 4_000_000n);
 */
export async function usageCost(client: PedigreeClient, licenceId: IdInput, units: IdInput): Promise<UsageDue> {
  const count = parseUint(units, "units", 64);
  return usageCostOf(client, await meteredLicence(client, parseId(licenceId, "licenceId")), count);
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
  const { currency, due } = await usageDue(client, report, await client.account(), false);
  const { value, approval } = await payTreasury(client, { currency, amount: due, purpose: "the usage report", approve: parameters.approve ?? true }, parameters);
  const mined = await sendTransaction(
    client,
    "RoyaltyRegistry.reportUsage",
    (licensee, overrides) => client.royalties.connect(licensee).reportUsage(report, { ...overrides, value }),
    afterApproval(parameters, approval),
  );
  return { ...reportedIn(client, mined), approval };
}

/** The report a mined reportUsage or reportUsageBySig made (its UsageReported event). */
export function reportedIn(client: PedigreeClient, mined: Mined): ReportUsageResult {
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

