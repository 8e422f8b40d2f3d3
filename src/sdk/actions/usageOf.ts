import type { PedigreeClient } from "../client.ts";
import { parseId, type IdInput } from "../../core/ids.ts";
import { readView } from "../internal/transactions.ts";

/** Metered usage of one licence, as the treasury holds it. */
export interface LicenceUsage {
  licenceId: bigint;
  /** The currency, unit and unit price of the terms it was granted under. */
  currency: string;
  unit: string;
  unitPrice: bigint;
  units: bigint;
  reports: bigint;
  paid: bigint;
  /** What is left of its prepaid deposit. */
  deposit: bigint;
}

/**
 * Cumulative usage reported and paid under a licence, its deposit left, and its terms' unit price (from the chain).
 *
 * @example
 * const { units, paid, deposit } = await usageOf(client, 1n);
 */
export async function usageOf(client: PedigreeClient, licenceIdInput: IdInput): Promise<LicenceUsage> {
  const licenceId = parseId(licenceIdInput, "licenceId");
  const licence = await readView(client, "DatasetRegistry.getLicence", () => client.datasets.getLicence(licenceId));
  const [terms] = await readView(client, "DatasetRegistry.getTerms", () => client.datasets.getTerms(licence.termsId));
  const usage = await readView(client, "RoyaltyRegistry.usageOf", () => client.royalties.usageOf(licenceId));
  const deposit = await readView(client, "RoyaltyRegistry.depositOf", () => client.royalties.depositOf(licenceId));
  const unit = await unitOfTerms(client, licence.termsId);
  return { licenceId, currency: terms.currency, unit, unitPrice: terms.unitPrice, units: usage.units, reports: usage.reports, paid: usage.paid, deposit };
}

/**
 * The unit of use terms `termsId` price ("samples", "tokens-trained"; "" for unmetered terms). The registry keeps it in
 * the TermsSet event only, so this reads that event (one log query, filtered by the indexed terms id).
 *
 * @example
 * const unit = await unitOfTerms(client, 3n); // "inference-calls"
 */
export async function unitOfTerms(client: PedigreeClient, termsIdInput: IdInput): Promise<string> {
  const termsId = parseId(termsIdInput, "termsId");
  const events = await readView(client, "DatasetRegistry.TermsSet", () => client.datasets.queryFilter(client.datasets.filters.TermsSet(undefined, termsId)));
  return events[0]?.args.unit ?? "";
}

/** The royalty shape of a dataset version: its royalty parents and its contributors (from the chain). */
export interface VersionRoyalties {
  versionId: bigint;
  /** Levels of royalty ancestors above it, and how many a payment pays along every path. */
  depth: number;
  ancestors: number;
  royaltyParents: Array<{ versionId: bigint; termsId: bigint; bps: number }>;
  contributors: Array<{ account: string; bps: number; roleHash: string }>;
}

/**
 * What a payment to a dataset version pays before its creators: its royalty parents and contributors.
 *
 * @example
 * const { royaltyParents, contributors } = await royaltiesOfVersion(client, 4n);
 */
export async function royaltiesOfVersion(client: PedigreeClient, versionIdInput: IdInput): Promise<VersionRoyalties> {
  const versionId = parseId(versionIdInput, "versionId");
  const [shape, parents, contributors] = await readView(client, "RoyaltyRegistry.royaltiesOfVersion", () => client.royalties.royaltiesOfVersion(versionId));
  return {
    versionId,
    depth: Number(shape.depth),
    ancestors: Number(shape.ancestors),
    royaltyParents: parents.map((p) => ({ versionId: p.versionId, termsId: p.termsId, bps: Number(p.bps) })),
    contributors: contributors.map((c) => ({ account: c.account, bps: Number(c.bps), roleHash: c.roleHash })),
  };
}
