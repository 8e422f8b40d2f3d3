/**
 * A dataset as a whole: the dataset, every version, the history of its terms (each terms change is a new immutable
 * LicenceTerms) and every licence granted, at one block. One round trip (up to 1 000 of each).
 */
import type { AuditClient } from "./client.ts";
import { DatasetOverviewDocument } from "./generated/graphql.ts";
import { asOfOf, datasetOf, datasetVersionOf, licenceOf, notFound, termsOf, toId, type IdInput } from "./shared.ts";
import type { AsOf, DatasetInfo, DatasetVersionInfo, LicenceInfo, TermsInfo } from "./types.ts";

export interface DatasetOverview {
  asOf: AsOf;
  dataset: DatasetInfo;
  /** By number. */
  versions: DatasetVersionInfo[];
  /** Every terms set, oldest first; the dataset's `currentTerms` is the one licences are granted under now. */
  termsHistory: TermsInfo[];
  /** Oldest first. */
  licences: LicenceInfo[];
}

/**
 * @example
 * const { versions, termsHistory, licences } = await datasetOverview(client, 1n);
 * @throws NotInSubgraphError for an unknown dataset.
 */
export async function datasetOverview(client: AuditClient, datasetId: IdInput): Promise<DatasetOverview> {
  const id = toId(datasetId, "datasetId");
  const data = await client.request(DatasetOverviewDocument, { id });
  if (!data.dataset) throw notFound(client, "dataset", id);
  return {
    asOf: asOfOf(client, data._meta),
    dataset: datasetOf(data.dataset),
    versions: data.dataset.versions.map(datasetVersionOf),
    termsHistory: data.dataset.terms.map(termsOf),
    licences: data.dataset.licences.map(licenceOf),
  };
}
