// Entities stored directly, as the other data sources' handlers would have stored them, for tests of handlers that
// link to them: datasets, versions, terms, licences, models and model versions. All created in block 1 by
// transaction 1; amounts 1 000 in `currency`.
import { BigInt, Entity, Value } from "@graphprotocol/graph-ts";
import { Dataset, DatasetVersion, Licence, LicenceTerms, Model, ModelVersion } from "../../../generated/schema";
import { addr, timeOf, txHash, word } from "./events";

/** Stamps `entity` as created in block 1 by transaction 1. */
function created(entity: Entity): void {
  entity.set("createdAtBlock", Value.fromBigInt(BigInt.fromI32(1)));
  entity.set("createdAt", Value.fromBigInt(timeOf(1)));
  entity.set("createdTx", Value.fromBytes(txHash(1)));
}

export function storeDataset(id: string, owner: string): void {
  let dataset = new Dataset(id);
  dataset.datasetId = BigInt.fromString(id);
  dataset.creator = addr(owner);
  dataset.owner = addr(owner);
  dataset.withdrawn = false;
  dataset.consentRevoked = false;
  dataset.versionCount = 1;
  created(dataset);
  dataset.save();
}

/** Version `id` (number 1) of dataset `datasetId`, derived from `parents` under `parentLicences` (0 = own data). */
export function storeDatasetVersion(id: string, datasetId: string, owner: string, parents: Array<string>, parentLicences: Array<BigInt>): void {
  let version = new DatasetVersion(id);
  version.versionId = BigInt.fromString(id);
  version.dataset = datasetId;
  version.number = 1;
  version.fingerprint = word("f" + id);
  version.content = version.fingerprint;
  version.claimant = addr(owner);
  version.manifestRoot = word("a" + id);
  version.metadataHash = word("b" + id);
  version.uri = "ipfs://dataset-version-" + id;
  version.parents = parents;
  version.parentLicenceIds = parentLicences;
  version.transformationHash = word("c" + id);
  version.publisher = addr(owner);
  version.originRegions = BigInt.zero();
  version.inheritedTrainingTerritories = BigInt.zero();
  version.inheritedDeploymentTerritories = BigInt.zero();
  version.createdLogIndex = BigInt.zero();
  created(version);
  version.save();
}

/** Terms `id` of dataset `datasetId` at 1 000 in `currency`, with a unit price (0: not metered) and a derivative royalty. */
export function storeTerms(id: string, datasetId: string, owner: string, currency: string, commercialUse: bool, unitPrice: i32, derivativeRoyaltyBps: i32): void {
  let terms = new LicenceTerms(id);
  terms.termsId = BigInt.fromString(id);
  terms.dataset = datasetId;
  terms.currency = addr(currency);
  terms.price = BigInt.fromI32(1000);
  terms.duration = BigInt.zero();
  terms.commercialUse = commercialUse;
  terms.derivativesAllowed = true;
  terms.documentHash = word("d" + id);
  terms.documentURI = "ipfs://terms-" + id;
  terms.trainingTerritories = BigInt.zero();
  terms.deploymentTerritories = BigInt.zero();
  terms.unitPrice = BigInt.fromI32(unitPrice);
  terms.unit = unitPrice > 0 ? "samples" : "";
  terms.derivativeRoyaltyBps = derivativeRoyaltyBps;
  terms.setBy = addr(owner);
  created(terms);
  terms.save();
}

/** Licence `id` of dataset `datasetId` under terms `termsId`, paid 1 000 in `currency` by its licensee. */
export function storeLicence(id: string, datasetId: string, termsId: string, licensee: string, currency: string): void {
  let licence = new Licence(id);
  licence.licenceId = BigInt.fromString(id);
  licence.dataset = datasetId;
  licence.terms = termsId;
  licence.licensee = addr(licensee);
  licence.payer = addr(licensee);
  licence.currency = addr(currency);
  licence.amount = BigInt.fromI32(1000);
  licence.expiresAt = BigInt.zero();
  created(licence);
  licence.save();
}

/** Model `id` of `owner`, commercial, with no release policy. */
export function storeModel(id: string, owner: string): void {
  let model = new Model(id);
  model.modelId = BigInt.fromString(id);
  model.creator = addr(owner);
  model.owner = addr(owner);
  model.commercial = true;
  model.metadataHash = word("e1");
  model.uri = "ipfs://model";
  model.requiredKinds = BigInt.zero();
  model.requiredKindIds = new Array<i32>();
  model.requiresDeclaredData = false;
  model.versionCount = 1;
  created(model);
  model.save();
}

/** Version `id` (number `number`) of model `modelId`, published by `owner`, not approved. */
export function storeModelVersion(id: string, modelId: string, owner: string, number: i32): void {
  let version = new ModelVersion(id);
  version.versionId = BigInt.fromString(id);
  version.model = modelId;
  version.number = number;
  version.weightsHash = word("bb" + id);
  version.content = version.weightsHash;
  version.claimant = addr(owner);
  version.manifestRoot = word("cc");
  version.configHash = word("dd");
  version.uri = "ipfs://weights";
  version.dataDeclared = true;
  version.commercialData = true;
  version.publisher = addr(owner);
  version.approved = false;
  version.approvalRevoked = false;
  version.createdLogIndex = BigInt.zero();
  created(version);
  version.save();
}
