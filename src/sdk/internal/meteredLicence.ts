/**
 * What the treasury checks of a metered licence before it takes money — read from the chain and refused here with the
 * treasury's own error, so that no ERC-20 approval is sent for a report or a deposit the treasury would refuse.
 */
import type { PedigreeClient } from "../client.ts";
import { registryError } from "../errors/index.ts";
import type { UsageReportRequest } from "../signedUsageReport.ts";
import { readView } from "./transactions.ts";

/** A licence granted under terms that price use by the unit. */
export interface MeteredLicence {
  licenceId: bigint;
  licensee: string;
  /** The licensed dataset. */
  datasetId: bigint;
  termsId: bigint;
  /** ETH (the zero address) or the ERC-20 its terms are priced in. */
  currency: string;
  unitPrice: bigint;
}

/** Licence `licenceId`, refused like the treasury refuses it: unknown (UnknownLicence), voided, or not metered. */
export async function meteredLicence(client: PedigreeClient, licenceId: bigint): Promise<MeteredLicence> {
  const licence = await readView(client, "DatasetRegistry.getLicence", () => client.datasets.getLicence(licenceId));
  if (licence.refunded) throw registryError("LicenceVoided", [licenceId]);
  const termsId = licence.termsId;
  const [terms] = await readView(client, "DatasetRegistry.getTerms", () => client.datasets.getTerms(termsId));
  if (terms.unitPrice === 0n) throw registryError("NotMetered", [licenceId]);
  return { licenceId, licensee: licence.licensee, datasetId: terms.datasetId, termsId, currency: terms.currency, unitPrice: terms.unitPrice };
}

/** What a usage report costs, and the part the licence's deposit leaves to whoever sends it. */
export interface UsageDue {
  currency: string;
  cost: bigint;
  /** What the sender pays: the cost less the deposit left, never below 0. */
  due: bigint;
}

/**
 * What `report`, made by `licensee` (the sender, or the signer of a relayed report), costs and leaves to pay — refused
 * as the treasury would: not the licence's holder (NotLicensee, or SignatureNotByLicensee when `signed`), or a version
 * of another dataset (VersionNotLicensed).
 */
export async function usageDue(client: PedigreeClient, report: UsageReportRequest, licensee: string, signed: boolean): Promise<UsageDue> {
  const licence = await meteredLicence(client, report.licenceId);
  if (licence.licensee !== licensee) {
    throw signed ? registryError("SignatureNotByLicensee", [licence.licensee]) : registryError("NotLicensee", [report.licenceId, licensee]);
  }
  const datasetId = await readView(client, "DatasetRegistry.datasetOfVersion", () => client.datasets.datasetOfVersion(report.versionId));
  if (datasetId !== licence.datasetId) throw registryError("VersionNotLicensed", [report.versionId, report.licenceId]);
  return usageCostOf(client, licence, report.units);
}

/** What `units` of use under `licence` cost, and the part its deposit leaves to pay. */
export async function usageCostOf(client: PedigreeClient, licence: MeteredLicence, units: bigint): Promise<UsageDue> {
  const deposit = await readView(client, "RoyaltyRegistry.depositOf", () => client.royalties.depositOf(licence.licenceId));
  const cost = units * licence.unitPrice;
  return { currency: licence.currency, cost, due: cost > deposit ? cost - deposit : 0n };
}
