/**
 * Usage reports signed off-chain (EIP-712) by a licensee and relayed later by anyone: the typed data the
 * RoyaltyRegistry verifies, and the portable JSON document the signature travels in.
 */
import { pedigreeDomain } from "./eip712.ts";
import { getAddress, type TypedDataDomain, type TypedDataField } from "ethers";
import { InvalidInputError } from "../core/errors.ts";
import { parseAddress, parseBytes32 } from "../core/hex.ts";
import { fromDocument, signedEnvelope } from "./internal/validate.ts";

/** The `format` tag of a {@link SignedUsageReport} document. */
export const SIGNED_USAGE_REPORT_FORMAT = "pedigree-signed-usage/v1";

/** The EIP-712 types of a signed usage report (RoyaltyRegistry.USAGE_REPORT_TYPEHASH). */
export const USAGE_REPORT_TYPES: Record<string, TypedDataField[]> = {
  UsageReport: [
    { name: "licenceId", type: "uint64" },
    { name: "versionId", type: "uint64" },
    { name: "units", type: "uint64" },
    { name: "reportHash", type: "bytes32" },
    { name: "reportURI", type: "string" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The EIP-712 domain of the RoyaltyRegistry at `contract` on `chainId`. */
export function royaltiesDomain(chainId: bigint, contract: string): TypedDataDomain {
  return pedigreeDomain("Pedigree Royalties", chainId, contract);
}

/** A usage report as the treasury takes it (`UsageReport`). */
export interface UsageReportRequest {
  licenceId: bigint;
  versionId: bigint;
  units: bigint;
  reportHash: string;
  reportURI: string;
}

/** A signed usage report with its values as the contract takes them. */
export interface DecodedSignedUsageReport {
  chainId: bigint;
  contract: string;
  /** The licensee who signed it. */
  signer: string;
  nonce: bigint;
  deadline: bigint;
  report: UsageReportRequest;
  signature: string;
}

/** A signed usage report as a JSON-safe document: integers as decimal strings. */
export interface SignedUsageReport {
  format: typeof SIGNED_USAGE_REPORT_FORMAT;
  chainId: string;
  contract: string;
  signer: string;
  nonce: string;
  deadline: string;
  report: { licenceId: string; versionId: string; units: string; reportHash: string; reportURI: string };
  signature: string;
}

/** The EIP-712 message of a signed report. */
export function usageReportMessage(decoded: Pick<DecodedSignedUsageReport, "report" | "nonce" | "deadline">): Record<string, unknown> {
  return { ...decoded.report, nonce: decoded.nonce, deadline: decoded.deadline };
}

/** Encodes decoded values into the portable document. */
export function encodeSignedUsageReport(decoded: DecodedSignedUsageReport): SignedUsageReport {
  const { report } = decoded;
  return {
    format: SIGNED_USAGE_REPORT_FORMAT,
    chainId: decoded.chainId.toString(),
    contract: getAddress(decoded.contract),
    signer: getAddress(decoded.signer),
    nonce: decoded.nonce.toString(),
    deadline: decoded.deadline.toString(),
    report: { licenceId: report.licenceId.toString(), versionId: report.versionId.toString(), units: report.units.toString(), reportHash: report.reportHash, reportURI: report.reportURI },
    signature: decoded.signature,
  };
}

/**
 * Checks a signed usage report (an object, or the JSON text of a file) and decodes its values; an InvalidInputError
 * names the first bad field.
 */
export function parseSignedUsageReport(value: unknown): DecodedSignedUsageReport {
  const { signed, inner: report, signature } = signedEnvelope(value, SIGNED_USAGE_REPORT_FORMAT, "the signed usage report", "report");
  if (typeof report.reportURI !== "string") throw new InvalidInputError("signed.report.reportURI", "signed.report.reportURI must be a string");
  return {
    chainId: fromDocument(signed.chainId, "signed.chainId"),
    contract: parseAddress(signed.contract as string, "signed.contract", { nonZero: true }),
    signer: parseAddress(signed.signer as string, "signed.signer", { nonZero: true }),
    nonce: fromDocument(signed.nonce, "signed.nonce"),
    deadline: fromDocument(signed.deadline, "signed.deadline"),
    report: {
      licenceId: fromDocument(report.licenceId, "signed.report.licenceId", 64),
      versionId: fromDocument(report.versionId, "signed.report.versionId", 64),
      units: fromDocument(report.units, "signed.report.units", 64),
      reportHash: parseBytes32(report.reportHash as string, "signed.report.reportHash"),
      reportURI: report.reportURI,
    },
    signature,
  };
}
