import { Bytes } from "@graphprotocol/graph-ts";
import { assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import {
  ClaimCommitted,
  ClaimPriorityProven,
  DerivationGranted,
  ModelRegistered,
  ModelVersionPublished,
  ReleasePolicySet,
  TrainingRunRecorded,
  Transfer,
  VersionApproved,
} from "../../generated/ModelRegistry/ModelRegistry";
import { Account, ClaimPriorityProof, Content, DatasetVersion, Dataset, Licence, Model, ModelVersion, TrainingRun } from "../../generated/schema";
import {
  handleClaimCommitted,
  handleClaimPriorityProven,
  handleDerivationGranted,
  handleModelRegistered,
  handleModelVersionPublished,
  handleReleasePolicySet,
  handleTrainingRunRecorded,
  handleTransfer,
  handleVersionApproved,
} from "../src/models";
import {
  addr,
  address,
  ALICE,
  assertCreatedIn,
  assertProvenance,
  BOB,
  blockOf,
  bytes32,
  CAROL,
  DATASET_A,
  DATASET_A_VERSION,
  DATASET_B,
  DATASET_B_VERSION,
  DAVE,
  flag,
  LICENCE_A,
  LICENCE_B,
  logId,
  sentLog,
  param,
  REGISTRY,
  RELAYER,
  storeTrainingData,
  text,
  timeOf,
  txHash,
  uint,
  uints,
  word,
  ZERO,
} from "./utils/models";

export {
  handleClaimCommitted,
  handleClaimPriorityProven,
  handleDerivationGranted,
  handleModelRegistered,
  handleModelVersionPublished,
  handleReleasePolicySet,
  handleTrainingRunRecorded,
  handleTransfer,
  handleVersionApproved,
};

// ALICE's base model 1 has versions 11 and 12; BOB's model 2 fine-tunes it: version 21 from 11, then 22 from 21.
const BASE_MODEL: i32 = 1;
const TUNE_MODEL: i32 = 2;
const BASE_V1: i32 = 11;
const BASE_V2: i32 = 12;
const TUNE_V1: i32 = 21;
const TUNE_V2: i32 = 22;
const NO_PARENT: i32 = 0;

// Transactions of the setup functions (the tests' own use other numbers; commitments use 1-5, before them all).
const TX_REGISTER_BASE: i32 = 10;
const TX_PUBLISH_BASE_V1: i32 = 11;
const TX_REGISTER_TUNE: i32 = 12;
const TX_PUBLISH_BASE_V2: i32 = 13;

// Log indices within one transaction, in the registry's emission order.
const LOG_MINT: i32 = 0; // Transfer from zero, then ModelRegistered, then ReleasePolicySet
const LOG_REGISTERED: i32 = 1;
const LOG_POLICY: i32 = 2;
const LOG_PUBLISHED: i32 = 0; // ModelVersionPublished, then TrainingRunRecorded
const LOG_TRAINED: i32 = 1;
const LOG_ALONE: i32 = 0; // any event alone in its transaction

/** The release policy: attestation kinds 1, 2 and 6 plus bit 0 (declared training data) = 0b1000111. */
const POLICY_KINDS_1_2_6_AND_DATA: i32 = 71;
/** Kinds 5 and 9 (bits in two nibbles), declared data not required = 0x220. */
const POLICY_KINDS_5_9: i32 = 544;

/** Weights hash of model version `versionId` (distinct per version). */
function weightsOf(versionId: i32): Bytes {
  return word("ee" + versionId.toString());
}
function manifestOf(versionId: i32): Bytes {
  return word("3a" + versionId.toString());
}
function configOf(versionId: i32): Bytes {
  return word("cf" + versionId.toString());
}
function versionUri(versionId: i32): string {
  return "ipfs://model-version-" + versionId.toString();
}
function modelUri(modelId: i32): string {
  return "ipfs://model-" + modelId.toString();
}
function metadataOf(modelId: i32): Bytes {
  return word("3d" + modelId.toString());
}
/** Unix time of mock transaction `tx` (its block's timestamp): the `committedAt` of a commitment sent in it. */
function timeOfTx(tx: i32): i32 {
  return timeOf(blockOf(tx)).toI32();
}

// ---- events -------------------------------------------------------------------------------------------------------

/** ERC-721 Transfer of model `modelId`, sent by `from` (the mint when `from` is zero, sent by the owner). */
function transfer(tx: i32, logIndex: i32, from: string, to: string, modelId: i32): Transfer {
  let event = sentLog(tx, logIndex, from == ZERO ? to : from);
  param(event, "from", address(from));
  param(event, "to", address(to));
  param(event, "tokenId", uint(modelId));
  return changetype<Transfer>(event);
}

function modelRegistered(tx: i32, modelId: i32, owner: string, commercial: boolean): ModelRegistered {
  let event = sentLog(tx, LOG_REGISTERED, owner);
  param(event, "modelId", uint(modelId));
  param(event, "owner", address(owner));
  param(event, "commercial", flag(commercial));
  param(event, "metadataHash", bytes32(metadataOf(modelId)));
  param(event, "uri", text(modelUri(modelId)));
  return changetype<ModelRegistered>(event);
}

/** `publisher` publishes version `versionId` (number `number`) of `modelId` with `weights`, sent through RELAYER. */
function versionPublished(tx: i32, versionId: i32, modelId: i32, number: i32, parentId: i32, publisher: string, weights: Bytes): ModelVersionPublished {
  let event = sentLog(tx, LOG_PUBLISHED, RELAYER);
  param(event, "versionId", uint(versionId));
  param(event, "modelId", uint(modelId));
  param(event, "number", uint(number));
  param(event, "weightsHash", bytes32(weights));
  param(event, "manifestRoot", bytes32(manifestOf(versionId)));
  param(event, "configHash", bytes32(configOf(versionId)));
  param(event, "parentVersionId", uint(parentId));
  param(event, "uri", text(versionUri(versionId)));
  param(event, "publisher", address(publisher));
  return changetype<ModelVersionPublished>(event);
}

// The training run the training tests record: code, hyperparameters, a 10-hour window, region 56, provider "acme".
const CODE_HASH = "c0de";
const HYPERPARAMETERS_HASH = "4e9a";
const STARTED_AT: i32 = 1699000000;
const ENDED_AT: i32 = 1699036000;
const REGION: i32 = 56;
const PROVIDER = "61636d65"; // "acme", left-aligned as a bytes32 string

function providerId(): Bytes {
  let hex = PROVIDER;
  while (hex.length < 64) hex = hex + "0";
  return Bytes.fromHexString("0x" + hex);
}

/** The training run of `versionId`, on `datasetVersions` under `licences` (pairwise), sent through RELAYER. */
function trainingRunRecorded(tx: i32, versionId: i32, modelId: i32, datasetVersions: Array<i32>, licences: Array<i32>, dataDeclared: boolean, commercialData: boolean): TrainingRunRecorded {
  let event = sentLog(tx, LOG_TRAINED, RELAYER);
  param(event, "versionId", uint(versionId));
  param(event, "modelId", uint(modelId));
  param(event, "datasetVersionIds", uints(datasetVersions));
  param(event, "licenceIds", uints(licences));
  param(event, "codeHash", bytes32(word(CODE_HASH)));
  param(event, "hyperparametersHash", bytes32(word(HYPERPARAMETERS_HASH)));
  param(event, "startedAt", uint(STARTED_AT));
  param(event, "endedAt", uint(ENDED_AT));
  param(event, "region", uint(REGION));
  param(event, "computeProvider", bytes32(providerId()));
  param(event, "dataDeclared", flag(dataDeclared));
  param(event, "commercialData", flag(commercialData));
  return changetype<TrainingRunRecorded>(event);
}

function releasePolicySet(tx: i32, modelId: i32, requiredKinds: i32, setBy: string): ReleasePolicySet {
  let event = sentLog(tx, LOG_POLICY, setBy);
  param(event, "modelId", uint(modelId));
  param(event, "requiredKinds", uint(requiredKinds));
  param(event, "setBy", address(setBy));
  return changetype<ReleasePolicySet>(event);
}

function versionApproved(tx: i32, versionId: i32, modelId: i32, attestationIds: Array<i32>, approvedBy: string): VersionApproved {
  let event = sentLog(tx, LOG_ALONE, approvedBy);
  param(event, "versionId", uint(versionId));
  param(event, "modelId", uint(modelId));
  param(event, "attestationIds", uints(attestationIds));
  param(event, "approvedBy", address(approvedBy));
  return changetype<VersionApproved>(event);
}

function derivationGranted(tx: i32, modelId: i32, grantee: string, allowed: boolean, grantedBy: string): DerivationGranted {
  let event = sentLog(tx, LOG_ALONE, grantedBy);
  param(event, "modelId", uint(modelId));
  param(event, "grantee", address(grantee));
  param(event, "allowed", flag(allowed));
  param(event, "grantedBy", address(grantedBy));
  return changetype<DerivationGranted>(event);
}

/** Commitment `commitment` by `committer`, sent in tx `tx`, timed `committedAt` (normally timeOfTx(tx)). */
function claimCommitted(tx: i32, commitment: Bytes, committer: string, committedAt: i32): ClaimCommitted {
  let event = sentLog(tx, LOG_ALONE, committer);
  param(event, "commitment", bytes32(commitment));
  param(event, "committer", address(committer));
  param(event, "committedAt", uint(committedAt));
  return changetype<ClaimCommitted>(event);
}

/** RELAYER proves that `claimant` committed to the weights of `versionId` at `committedAt`. */
function claimPriorityProven(tx: i32, versionId: i32, claimant: string, committedAt: i32): ClaimPriorityProven {
  let event = sentLog(tx, LOG_ALONE, RELAYER);
  param(event, "versionId", uint(versionId));
  param(event, "claimant", address(claimant));
  param(event, "digest", bytes32(weightsOf(versionId)));
  param(event, "committedAt", uint(committedAt));
  return changetype<ClaimPriorityProven>(event);
}

// ---- setup --------------------------------------------------------------------------------------------------------

/** ALICE mints and registers model 1 (commercial) and sets its first policy, as the registry does in one tx. */
function registerBaseModel(): void {
  handleTransfer(transfer(TX_REGISTER_BASE, LOG_MINT, ZERO, ALICE, BASE_MODEL));
  handleModelRegistered(modelRegistered(TX_REGISTER_BASE, BASE_MODEL, ALICE, true));
  handleReleasePolicySet(releasePolicySet(TX_REGISTER_BASE, BASE_MODEL, POLICY_KINDS_1_2_6_AND_DATA, ALICE));
}

/** BOB registers model 2 (non-commercial), the one that fine-tunes model 1. */
function registerTuneModel(): void {
  handleModelRegistered(modelRegistered(TX_REGISTER_TUNE, TUNE_MODEL, BOB, false));
}

/** CAROL (an operator of ALICE's) publishes version 11, number 1 of model 1. */
function publishBaseV1(): void {
  handleModelVersionPublished(versionPublished(TX_PUBLISH_BASE_V1, BASE_V1, BASE_MODEL, 1, NO_PARENT, CAROL, weightsOf(BASE_V1)));
}

/** CAROL publishes version 12, number 2 of model 1. */
function publishBaseV2(): void {
  handleModelVersionPublished(versionPublished(TX_PUBLISH_BASE_V2, BASE_V2, BASE_MODEL, 2, NO_PARENT, CAROL, weightsOf(BASE_V2)));
}

/** Version 11 trained on dataset version 10 under licence 5 and dataset version 20 under licence 7. */
function trainBaseV1(): void {
  handleTrainingRunRecorded(trainingRunRecorded(TX_PUBLISH_BASE_V1, BASE_V1, BASE_MODEL, [10, 20], [5, 7], true, false));
}

function freshBaseModel(): void {
  clearStore();
  registerBaseModel();
}

function freshBaseVersion(): void {
  freshBaseModel();
  publishBaseV1();
}

function freshTrainingWorld(): void {
  clearStore();
  storeTrainingData();
  registerBaseModel();
  publishBaseV1();
}

/** `ids` sorted and joined as the store displays a list ("[a, b]"): derived fields load in no fixed order. */
function idList(ids: Array<string>): string {
  let sorted = ids.sort();
  return "[" + sorted.join(", ") + "]";
}
function versionIds(versions: Array<ModelVersion>): string {
  let ids = new Array<string>();
  for (let i = 0; i < versions.length; i++) ids.push(versions[i].id);
  return idList(ids);
}

// ---- handlers -----------------------------------------------------------------------------------------------------

// ModelRegistered: the Model (owner as creator, flags, metadata, an empty policy until ReleasePolicySet), its owner's
// Account, and a timeline entry.
describe("handleModelRegistered", () => {
  beforeEach(clearStore);

  test("registers a model: its owner as creator and owner, flags, metadata, no versions, an empty policy", () => {
    handleModelRegistered(modelRegistered(TX_REGISTER_BASE, BASE_MODEL, ALICE, true));

    let id = "1";
    assert.fieldEquals("Model", id, "modelId", "1");
    assert.fieldEquals("Model", id, "creator", ALICE);
    assert.fieldEquals("Model", id, "owner", ALICE);
    assert.fieldEquals("Model", id, "commercial", "true");
    assert.fieldEquals("Model", id, "metadataHash", metadataOf(BASE_MODEL).toHexString());
    assert.fieldEquals("Model", id, "uri", "ipfs://model-1");
    assert.fieldEquals("Model", id, "requiredKinds", "0");
    assert.fieldEquals("Model", id, "requiredKindIds", "[]");
    assert.fieldEquals("Model", id, "requiresDeclaredData", "false");
    assert.fieldEquals("Model", id, "versionCount", "0");
    assertCreatedIn("Model", id, TX_REGISTER_BASE);
    assert.fieldEquals("Account", ALICE, "id", ALICE);

    let entry = logId(TX_REGISTER_BASE, LOG_REGISTERED);
    assertProvenance(entry, "ModelRegistered", ALICE, TX_REGISTER_BASE, LOG_REGISTERED, "model 1 registered");
    assert.fieldEquals("ProvenanceEvent", entry, "model", "1");
    assert.i32Equals(1, Account.load(addr(ALICE))!.modelsCreated.load().length);
  });

  test("a second, non-commercial model by another owner is a model of its own with its own entry", () => {
    handleModelRegistered(modelRegistered(TX_REGISTER_BASE, BASE_MODEL, ALICE, true));
    registerTuneModel();

    assert.entityCount("Model", 2);
    assert.fieldEquals("Model", "2", "commercial", "false");
    assert.fieldEquals("Model", "2", "creator", BOB);
    assert.fieldEquals("Model", "2", "uri", "ipfs://model-2");
    assert.fieldEquals("Model", "1", "owner", ALICE);
    assertProvenance(logId(TX_REGISTER_TUNE, LOG_REGISTERED), "ModelRegistered", BOB, TX_REGISTER_TUNE, LOG_REGISTERED, "model 2 registered");
    assert.fieldEquals("ProvenanceEvent", logId(TX_REGISTER_TUNE, LOG_REGISTERED), "model", "2");
  });
});

// Transfer: the mint is ignored (ModelRegistered records it); a sale moves the owner, keeps the creator, and logs it.
describe("handleTransfer", () => {
  beforeEach(freshBaseModel);

  test("the mint changes nothing and writes no entry of its own", () => {
    assert.notInStore("ProvenanceEvent", logId(TX_REGISTER_BASE, LOG_MINT));
    assert.fieldEquals("Model", "1", "owner", ALICE);
    // registered + policy: the mint added nothing to the timeline
    assert.entityCount("ProvenanceEvent", 2);
  });

  test("a sale moves ownership to the buyer, keeps the creator, and logs the seller as actor", () => {
    handleTransfer(transfer(20, LOG_ALONE, ALICE, BOB, BASE_MODEL));

    assert.fieldEquals("Model", "1", "owner", BOB);
    assert.fieldEquals("Model", "1", "creator", ALICE);
    assert.fieldEquals("Account", BOB, "id", BOB);
    let entry = logId(20, LOG_ALONE);
    assertProvenance(entry, "ModelTransferred", ALICE, 20, LOG_ALONE, "model 1 transferred to " + BOB);
    assert.fieldEquals("ProvenanceEvent", entry, "model", "1");
    assert.i32Equals(1, Account.load(addr(BOB))!.modelsOwned.load().length);
    assert.i32Equals(0, Account.load(addr(ALICE))!.modelsOwned.load().length);
  });

  test("a resale moves it again, each sale with its own entry", () => {
    handleTransfer(transfer(20, LOG_ALONE, ALICE, BOB, BASE_MODEL));
    handleTransfer(transfer(21, LOG_ALONE, BOB, CAROL, BASE_MODEL));

    assert.fieldEquals("Model", "1", "owner", CAROL);
    assertProvenance(logId(20, LOG_ALONE), "ModelTransferred", ALICE, 20, LOG_ALONE, "model 1 transferred to " + BOB);
    assertProvenance(logId(21, LOG_ALONE), "ModelTransferred", BOB, 21, LOG_ALONE, "model 1 transferred to " + CAROL);
  });
});

// ModelVersionPublished: the ModelVersion (hashes, claimant = the model's owner, content, parent), the model's version
// count, a ModelVersionPublished entry and, for a fine-tune, a FineTuned entry on the parent.
describe("handleModelVersionPublished", () => {
  beforeEach(freshBaseModel);

  test("a first version: its hashes and links, claimed by the model's owner though an operator published it", () => {
    publishBaseV1();

    let id = "11";
    let weights = weightsOf(BASE_V1).toHexString();
    assert.fieldEquals("ModelVersion", id, "versionId", "11");
    assert.fieldEquals("ModelVersion", id, "model", "1");
    assert.fieldEquals("ModelVersion", id, "number", "1");
    assert.fieldEquals("ModelVersion", id, "weightsHash", weights);
    assert.fieldEquals("ModelVersion", id, "content", weights);
    assert.fieldEquals("ModelVersion", id, "claimant", ALICE);
    assert.fieldEquals("ModelVersion", id, "publisher", CAROL);
    assert.fieldEquals("ModelVersion", id, "manifestRoot", manifestOf(BASE_V1).toHexString());
    assert.fieldEquals("ModelVersion", id, "configHash", configOf(BASE_V1).toHexString());
    assert.fieldEquals("ModelVersion", id, "uri", "ipfs://model-version-11");
    assert.fieldEquals("ModelVersion", id, "dataDeclared", "false");
    assert.fieldEquals("ModelVersion", id, "commercialData", "false");
    assert.fieldEquals("ModelVersion", id, "approved", "false");
    assert.fieldEquals("ModelVersion", id, "approvalRevoked", "false");
    assert.fieldEquals("ModelVersion", id, "createdLogIndex", LOG_PUBLISHED.toString());
    assertCreatedIn("ModelVersion", id, TX_PUBLISH_BASE_V1);
    assert.assertNull(ModelVersion.load(id)!.parent);
    assert.fieldEquals("Content", weights, "id", weights);
    assert.fieldEquals("Model", "1", "versionCount", "1");
    assert.fieldEquals("Account", CAROL, "id", CAROL);

    let entry = logId(TX_PUBLISH_BASE_V1, LOG_PUBLISHED) + "-0";
    assertProvenance(entry, "ModelVersionPublished", CAROL, TX_PUBLISH_BASE_V1, LOG_PUBLISHED, "model 1 version 1 (" + weights + ")");
    assert.fieldEquals("ProvenanceEvent", entry, "model", "1");
    assert.fieldEquals("ProvenanceEvent", entry, "modelVersion", "11");
    assert.notInStore("ProvenanceEvent", logId(TX_PUBLISH_BASE_V1, LOG_PUBLISHED) + "-1");

    // derived: the model's versions, the operator's publications, the owner's claims
    assert.stringEquals("[11]", versionIds(Model.load("1")!.versions.load()));
    assert.stringEquals("[11]", versionIds(Account.load(addr(CAROL))!.modelVersionsPublished.load()));
    assert.stringEquals("[11]", versionIds(Account.load(addr(ALICE))!.modelClaims.load()));
  });

  test("the model's version count follows the latest version's number", () => {
    publishBaseV1();
    publishBaseV2();

    assert.fieldEquals("Model", "1", "versionCount", "2");
    assert.fieldEquals("ModelVersion", "12", "number", "2");
    assert.stringEquals("[11, 12]", versionIds(Model.load("1")!.versions.load()));
    assertProvenance(logId(TX_PUBLISH_BASE_V2, LOG_PUBLISHED) + "-0", "ModelVersionPublished", CAROL, TX_PUBLISH_BASE_V2, LOG_PUBLISHED, "model 1 version 2 (" + weightsOf(BASE_V2).toHexString() + ")");
  });

  test("a fine-tune chain across models: 22 from 21 from 11, each with a FineTuned entry on its parent", () => {
    publishBaseV1();
    registerTuneModel();
    handleModelVersionPublished(versionPublished(20, TUNE_V1, TUNE_MODEL, 1, BASE_V1, BOB, weightsOf(TUNE_V1)));
    handleModelVersionPublished(versionPublished(21, TUNE_V2, TUNE_MODEL, 2, TUNE_V1, BOB, weightsOf(TUNE_V2)));

    assert.fieldEquals("ModelVersion", "21", "parent", "11");
    assert.fieldEquals("ModelVersion", "21", "model", "2");
    assert.fieldEquals("ModelVersion", "21", "claimant", BOB);
    assert.fieldEquals("ModelVersion", "22", "parent", "21");
    assert.fieldEquals("Model", "2", "versionCount", "2");
    assert.fieldEquals("Model", "1", "versionCount", "1");

    let tuned = logId(20, LOG_PUBLISHED) + "-1";
    assertProvenance(tuned, "FineTuned", BOB, 20, LOG_PUBLISHED, "model version 21 fine-tuned from 11");
    assert.fieldEquals("ProvenanceEvent", tuned, "modelVersion", "11");
    assert.fieldEquals("ProvenanceEvent", logId(20, LOG_PUBLISHED) + "-0", "modelVersion", "21");
    assertProvenance(logId(21, LOG_PUBLISHED) + "-1", "FineTuned", BOB, 21, LOG_PUBLISHED, "model version 22 fine-tuned from 21");
    assert.fieldEquals("ProvenanceEvent", logId(21, LOG_PUBLISHED) + "-1", "modelVersion", "21");

    // derived: each parent's fine-tunes; the base version's history has its publication and its fine-tune
    assert.stringEquals("[21]", versionIds(ModelVersion.load("11")!.fineTunes.load()));
    assert.stringEquals("[22]", versionIds(ModelVersion.load("21")!.fineTunes.load()));
    assert.stringEquals("[]", versionIds(ModelVersion.load("22")!.fineTunes.load()));
    assert.i32Equals(2, ModelVersion.load("11")!.history.load().length);
  });

  test("one weights hash published by two models is one Content claimed by both owners", () => {
    publishBaseV1();
    registerTuneModel();
    handleModelVersionPublished(versionPublished(20, TUNE_V1, TUNE_MODEL, 1, NO_PARENT, BOB, weightsOf(BASE_V1)));

    let weights = weightsOf(BASE_V1).toHexString();
    assert.entityCount("Content", 1);
    assert.fieldEquals("ModelVersion", "21", "content", weights);
    assert.fieldEquals("ModelVersion", "21", "claimant", BOB);
    assert.fieldEquals("ModelVersion", "11", "claimant", ALICE);
    assert.stringEquals("[11, 21]", versionIds(Content.load(weightsOf(BASE_V1))!.modelVersions.load()));
  });

  test("after a sale, new versions are claimed by the new owner and old ones keep theirs", () => {
    publishBaseV1();
    handleTransfer(transfer(20, LOG_ALONE, ALICE, BOB, BASE_MODEL));
    publishBaseV2();

    assert.fieldEquals("ModelVersion", "12", "claimant", BOB);
    assert.fieldEquals("ModelVersion", "12", "publisher", CAROL);
    assert.fieldEquals("ModelVersion", "11", "claimant", ALICE);
  });
});

// TrainingRunRecorded: the TrainingRun, one TrainingDatasetUse per dataset version (with its dataset and licence), the
// version's data flags, and a TrainedOn entry per dataset version, by the version's publisher.
describe("handleTrainingRunRecorded", () => {
  beforeEach(freshTrainingWorld);

  test("links the run to its dataset versions, their datasets and the licences they were used under", () => {
    trainBaseV1();

    let run = "11";
    assert.fieldEquals("TrainingRun", run, "modelVersion", "11");
    assert.fieldEquals("TrainingRun", run, "model", "1");
    assert.fieldEquals("TrainingRun", run, "datasetVersions", "[10, 20]");
    assert.fieldEquals("TrainingRun", run, "licences", "[5, 7]");
    assert.fieldEquals("TrainingRun", run, "codeHash", word(CODE_HASH).toHexString());
    assert.fieldEquals("TrainingRun", run, "hyperparametersHash", word(HYPERPARAMETERS_HASH).toHexString());
    assert.fieldEquals("TrainingRun", run, "startedAt", STARTED_AT.toString());
    assert.fieldEquals("TrainingRun", run, "endedAt", ENDED_AT.toString());
    assert.fieldEquals("TrainingRun", run, "region", "56");
    assert.fieldEquals("TrainingRun", run, "computeProvider", providerId().toHexString());
    assertCreatedIn("TrainingRun", run, TX_PUBLISH_BASE_V1);

    assert.fieldEquals("TrainingDatasetUse", "11-0", "datasetVersion", DATASET_A_VERSION);
    assert.fieldEquals("TrainingDatasetUse", "11-0", "dataset", DATASET_A);
    assert.fieldEquals("TrainingDatasetUse", "11-0", "licence", LICENCE_A);
    assert.fieldEquals("TrainingDatasetUse", "11-0", "trainingRun", run);
    assert.fieldEquals("TrainingDatasetUse", "11-0", "modelVersion", "11");
    assert.fieldEquals("TrainingDatasetUse", "11-1", "datasetVersion", DATASET_B_VERSION);
    assert.fieldEquals("TrainingDatasetUse", "11-1", "dataset", DATASET_B);
    assert.fieldEquals("TrainingDatasetUse", "11-1", "licence", LICENCE_B);
    assert.entityCount("TrainingDatasetUse", 2);

    // the version learns its run and the flags the registry computed; what publication wrote stays
    assert.fieldEquals("ModelVersion", "11", "trainingRun", run);
    assert.fieldEquals("ModelVersion", "11", "dataDeclared", "true");
    assert.fieldEquals("ModelVersion", "11", "commercialData", "false");
    assert.fieldEquals("ModelVersion", "11", "weightsHash", weightsOf(BASE_V1).toHexString());
    assert.fieldEquals("ModelVersion", "11", "publisher", CAROL);

    // derived: each dataset version, dataset and licence sees its use; the run sees both
    assert.i32Equals(2, TrainingRun.load(run)!.datasetUses.load().length);
    assert.stringEquals("11-1", DatasetVersion.load(DATASET_B_VERSION)!.trainingUses.load()[0].id);
    assert.stringEquals("11-0", Dataset.load(DATASET_A)!.trainingUses.load()[0].id);
    assert.stringEquals("11-0", Licence.load(LICENCE_A)!.trainingUses.load()[0].id);
    assert.i32Equals(1, Licence.load(LICENCE_B)!.trainingUses.load().length);
  });

  test("a TrainedOn entry per dataset version, by the version's publisher (not the transaction's sender)", () => {
    trainBaseV1();

    let first = logId(TX_PUBLISH_BASE_V1, LOG_TRAINED) + "-0";
    let second = logId(TX_PUBLISH_BASE_V1, LOG_TRAINED) + "-1";
    assertProvenance(first, "TrainedOn", CAROL, TX_PUBLISH_BASE_V1, LOG_TRAINED, "model version 11 trained on dataset version 10 under licence 5");
    assert.fieldEquals("ProvenanceEvent", first, "modelVersion", "11");
    assert.fieldEquals("ProvenanceEvent", first, "datasetVersion", DATASET_A_VERSION);
    assert.fieldEquals("ProvenanceEvent", first, "licence", LICENCE_A);
    assertProvenance(second, "TrainedOn", CAROL, TX_PUBLISH_BASE_V1, LOG_TRAINED, "model version 11 trained on dataset version 20 under licence 7");
    assert.fieldEquals("ProvenanceEvent", second, "datasetVersion", DATASET_B_VERSION);
    assert.fieldEquals("ProvenanceEvent", second, "licence", LICENCE_B);
    assert.i32Equals(1, DatasetVersion.load(DATASET_A_VERSION)!.history.load().length);
    assert.i32Equals(1, Licence.load(LICENCE_B)!.history.load().length);
  });

  test("a run with no training data declared: no uses, no entries, data not declared", () => {
    handleTrainingRunRecorded(trainingRunRecorded(TX_PUBLISH_BASE_V1, BASE_V1, BASE_MODEL, [], [], false, false));

    assert.fieldEquals("TrainingRun", "11", "datasetVersions", "[]");
    assert.fieldEquals("TrainingRun", "11", "licences", "[]");
    assert.entityCount("TrainingDatasetUse", 0);
    assert.notInStore("ProvenanceEvent", logId(TX_PUBLISH_BASE_V1, LOG_TRAINED) + "-0");
    assert.fieldEquals("ModelVersion", "11", "trainingRun", "11");
    assert.fieldEquals("ModelVersion", "11", "dataDeclared", "false");
  });
});

// ReleasePolicySet: the model's required kinds (mask, kind ids without bit 0, the declared-data flag) and an entry per
// change; a later policy replaces the earlier one.
describe("handleReleasePolicySet", () => {
  beforeEach(freshBaseModel);

  test("a policy requiring kinds 1, 2 and 6 and declared training data (bit 0)", () => {
    let id = "1";
    assert.fieldEquals("Model", id, "requiredKinds", "71");
    assert.fieldEquals("Model", id, "requiredKindIds", "[1, 2, 6]");
    assert.fieldEquals("Model", id, "requiresDeclaredData", "true");
    // the rest of the model stays as registered
    assert.fieldEquals("Model", id, "owner", ALICE);
    assert.fieldEquals("Model", id, "uri", "ipfs://model-1");

    let entry = logId(TX_REGISTER_BASE, LOG_POLICY);
    assertProvenance(entry, "ReleasePolicySet", ALICE, TX_REGISTER_BASE, LOG_POLICY, "release policy of model 1 requires kinds 1,2,6 and declared training data");
    assert.fieldEquals("ProvenanceEvent", entry, "model", id);
  });

  test("changed twice: each change replaces the policy and keeps its own entry on the timeline", () => {
    handleReleasePolicySet(releasePolicySet(20, BASE_MODEL, POLICY_KINDS_5_9, DAVE));

    assert.fieldEquals("Model", "1", "requiredKinds", "544");
    assert.fieldEquals("Model", "1", "requiredKindIds", "[5, 9]");
    assert.fieldEquals("Model", "1", "requiresDeclaredData", "false");
    assertProvenance(logId(20, LOG_POLICY), "ReleasePolicySet", DAVE, 20, LOG_POLICY, "release policy of model 1 requires kinds 5,9");

    handleReleasePolicySet(releasePolicySet(21, BASE_MODEL, 0, ALICE));

    assert.fieldEquals("Model", "1", "requiredKinds", "0");
    assert.fieldEquals("Model", "1", "requiredKindIds", "[]");
    assert.fieldEquals("Model", "1", "requiresDeclaredData", "false");
    assertProvenance(logId(21, LOG_POLICY), "ReleasePolicySet", ALICE, 21, LOG_POLICY, "release policy of model 1 requires kinds ");
    // the first policy's entry is unchanged
    assert.fieldEquals("ProvenanceEvent", logId(TX_REGISTER_BASE, LOG_POLICY), "description", "release policy of model 1 requires kinds 1,2,6 and declared training data");
    assert.i32Equals(3, Account.load(addr(ALICE))!.history.load().length); // registered + 2 policies
  });
});

// VersionApproved: the VersionApproval (attestations it rested on, approver, block), the version's release gate
// opened (approved, approval link) for that version only, and an entry.
describe("handleVersionApproved", () => {
  beforeEach(() => {
    freshBaseVersion();
    publishBaseV2();
  });

  test("approval opens the release gate of the approved version only", () => {
    handleVersionApproved(versionApproved(20, BASE_V1, BASE_MODEL, [3, 4], DAVE));

    let id = "11";
    assert.fieldEquals("VersionApproval", id, "version", "11");
    assert.fieldEquals("VersionApproval", id, "model", "1");
    assert.fieldEquals("VersionApproval", id, "attestations", "[3, 4]");
    assert.fieldEquals("VersionApproval", id, "approvedBy", DAVE);
    assert.fieldEquals("VersionApproval", id, "blockNumber", blockOf(20).toString());
    assert.fieldEquals("VersionApproval", id, "timestamp", timeOf(blockOf(20)).toString());
    assert.fieldEquals("VersionApproval", id, "transactionHash", txHash(20).toHexString());
    assert.fieldEquals("ModelVersion", "11", "approved", "true");
    assert.fieldEquals("ModelVersion", "11", "approval", id);
    assert.fieldEquals("ModelVersion", "11", "approvalRevoked", "false");
    assert.fieldEquals("ModelVersion", "11", "number", "1");
    assert.fieldEquals("ModelVersion", "12", "approved", "false");
    assert.notInStore("VersionApproval", "12");

    let entry = logId(20, LOG_ALONE);
    assertProvenance(entry, "VersionApproved", DAVE, 20, LOG_ALONE, "model version 11 approved for release");
    assert.fieldEquals("ProvenanceEvent", entry, "model", "1");
    assert.fieldEquals("ProvenanceEvent", entry, "modelVersion", "11");
    assert.i32Equals(1, Account.load(addr(DAVE))!.approvals.load().length);
  });

  test("a version approved with no attestation (an empty policy) records an empty list", () => {
    handleReleasePolicySet(releasePolicySet(20, BASE_MODEL, 0, ALICE));
    handleVersionApproved(versionApproved(21, BASE_V2, BASE_MODEL, [], ALICE));

    assert.fieldEquals("VersionApproval", "12", "attestations", "[]");
    assert.fieldEquals("VersionApproval", "12", "approvedBy", ALICE);
    assert.fieldEquals("ModelVersion", "12", "approved", "true");
    assert.fieldEquals("ModelVersion", "11", "approved", "false");
  });
});

// DerivationGranted: one DerivationGrant per model and grantee, updated in place (allowed, who, when), the zero
// address meaning anyone, and an entry per change.
describe("handleDerivationGranted", () => {
  beforeEach(freshBaseModel);

  test("a grant to one account, then its withdrawal, update one grant and leave two entries", () => {
    handleDerivationGranted(derivationGranted(20, BASE_MODEL, BOB, true, ALICE));

    let id = "1-" + BOB;
    assert.fieldEquals("DerivationGrant", id, "model", "1");
    assert.fieldEquals("DerivationGrant", id, "grantee", BOB);
    assert.fieldEquals("DerivationGrant", id, "anyone", "false");
    assert.fieldEquals("DerivationGrant", id, "allowed", "true");
    assert.fieldEquals("DerivationGrant", id, "grantedBy", ALICE);
    assert.fieldEquals("DerivationGrant", id, "updatedAtBlock", blockOf(20).toString());
    assert.fieldEquals("DerivationGrant", id, "updatedAt", timeOf(blockOf(20)).toString());
    assertProvenance(logId(20, LOG_ALONE), "DerivationGranted", ALICE, 20, LOG_ALONE, BOB + " may now fine-tune model 1");
    assert.fieldEquals("ProvenanceEvent", logId(20, LOG_ALONE), "model", "1");

    handleDerivationGranted(derivationGranted(21, BASE_MODEL, BOB, false, CAROL));

    assert.entityCount("DerivationGrant", 1);
    assert.fieldEquals("DerivationGrant", id, "allowed", "false");
    assert.fieldEquals("DerivationGrant", id, "grantedBy", CAROL);
    assert.fieldEquals("DerivationGrant", id, "updatedAtBlock", blockOf(21).toString());
    assertProvenance(logId(21, LOG_ALONE), "DerivationGranted", CAROL, 21, LOG_ALONE, BOB + " may no longer fine-tune model 1");
    assert.i32Equals(1, Model.load("1")!.derivationGrants.load().length);
  });

  test("a grant to the zero address is a grant to anyone", () => {
    handleDerivationGranted(derivationGranted(20, BASE_MODEL, ZERO, true, ALICE));

    let id = "1-" + ZERO;
    assert.fieldEquals("DerivationGrant", id, "anyone", "true");
    assert.fieldEquals("DerivationGrant", id, "grantee", ZERO);
    assert.fieldEquals("DerivationGrant", id, "allowed", "true");
    assertProvenance(logId(20, LOG_ALONE), "DerivationGranted", ALICE, 20, LOG_ALONE, "anyone may now fine-tune model 1");
  });
});

// ClaimCommitted: the first commitment at a time fixes the ClaimCommitmentBlock (registry + time) of that time; every
// commitment gets an entry by its committer.
describe("handleClaimCommitted", () => {
  beforeEach(clearStore);

  test("commitments at one time share the first one's block; another time gets its own", () => {
    let aliceCommitment = word("c1");
    handleClaimCommitted(claimCommitted(1, aliceCommitment, ALICE, timeOfTx(1)));

    // registry address, then the commitment time as 8 big-endian bytes
    let block = REGISTRY + "000000006553f5bc"; // 1700000000 + 101 * 12 = 1700001212 = 0x6553f5bc
    assert.fieldEquals("ClaimCommitmentBlock", block, "kind", "ModelWeights");
    assert.fieldEquals("ClaimCommitmentBlock", block, "committedAt", "1700001212");
    assert.fieldEquals("ClaimCommitmentBlock", block, "blockNumber", "101");
    assert.fieldEquals("ClaimCommitmentBlock", block, "transactionHash", txHash(1).toHexString());
    assertProvenance(logId(1, LOG_ALONE), "ClaimCommitted", ALICE, 1, LOG_ALONE, "claim commitment " + aliceCommitment.toHexString() + " by " + ALICE);
    assert.fieldEquals("Account", ALICE, "id", ALICE);

    // a second commitment timed at the same second (sent in a later block): the block stays the first one's
    let bobCommitment = word("c2");
    handleClaimCommitted(claimCommitted(2, bobCommitment, BOB, timeOfTx(1)));
    assert.entityCount("ClaimCommitmentBlock", 1);
    assert.fieldEquals("ClaimCommitmentBlock", block, "blockNumber", "101");
    assert.fieldEquals("ClaimCommitmentBlock", block, "transactionHash", txHash(1).toHexString());
    assertProvenance(logId(2, LOG_ALONE), "ClaimCommitted", BOB, 2, LOG_ALONE, "claim commitment " + bobCommitment.toHexString() + " by " + BOB);

    handleClaimCommitted(claimCommitted(3, word("c3"), BOB, timeOfTx(3)));
    assert.entityCount("ClaimCommitmentBlock", 2);
    assert.fieldEquals("ClaimCommitmentBlock", REGISTRY + "000000006553f5d4", "blockNumber", "103"); // 1700001236
  });
});

// ClaimPriorityProven: a ClaimPriorityProof (digest, claimant, prover = sender, the commitment's block when seen) linked
// to the version, the version's earliest proven priority, and an entry by the prover.
describe("handleClaimPriorityProven", () => {
  beforeEach(freshBaseVersion);

  test("commit then prove: the proof links the version and the commitment's block; the version gains its priority", () => {
    handleClaimCommitted(claimCommitted(1, word("c1"), ALICE, timeOfTx(1)));
    handleClaimPriorityProven(claimPriorityProven(20, BASE_V1, ALICE, timeOfTx(1)));

    let proof = logId(20, LOG_ALONE);
    let weights = weightsOf(BASE_V1).toHexString();
    assert.fieldEquals("ClaimPriorityProof", proof, "kind", "ModelWeights");
    assert.fieldEquals("ClaimPriorityProof", proof, "digest", weights);
    assert.fieldEquals("ClaimPriorityProof", proof, "claimant", ALICE);
    assert.fieldEquals("ClaimPriorityProof", proof, "modelVersion", "11");
    assert.fieldEquals("ClaimPriorityProof", proof, "committedAt", "1700001212");
    assert.fieldEquals("ClaimPriorityProof", proof, "commitmentBlock", "101");
    assert.fieldEquals("ClaimPriorityProof", proof, "prover", RELAYER);
    assert.fieldEquals("ClaimPriorityProof", proof, "blockNumber", "120");
    assert.fieldEquals("ClaimPriorityProof", proof, "timestamp", timeOf(120).toString());
    assert.fieldEquals("ClaimPriorityProof", proof, "transactionHash", txHash(20).toHexString());
    assert.fieldEquals("ModelVersion", "11", "priorityCommittedAt", "1700001212");
    assert.fieldEquals("ModelVersion", "11", "priorityCommitmentBlock", "101");
    assert.fieldEquals("ModelVersion", "11", "claimant", ALICE);

    assertProvenance(proof, "ClaimPriorityProven", RELAYER, 20, LOG_ALONE, "claim of weights " + weights + " by " + ALICE + " (model version 11) committed at 1700001212");
    assert.fieldEquals("ProvenanceEvent", proof, "model", "1");
    assert.fieldEquals("ProvenanceEvent", proof, "modelVersion", "11");
    assert.i32Equals(1, ModelVersion.load("11")!.priorityProofs.load().length);
  });

  test("an earlier proven commitment replaces the version's priority; a later one does not", () => {
    handleClaimCommitted(claimCommitted(1, word("c1"), ALICE, timeOfTx(1)));
    handleClaimCommitted(claimCommitted(2, word("c2"), ALICE, timeOfTx(2)));
    handleClaimCommitted(claimCommitted(3, word("c3"), ALICE, timeOfTx(3)));

    handleClaimPriorityProven(claimPriorityProven(20, BASE_V1, ALICE, timeOfTx(2)));
    assert.fieldEquals("ModelVersion", "11", "priorityCommittedAt", timeOfTx(2).toString());
    assert.fieldEquals("ModelVersion", "11", "priorityCommitmentBlock", "102");

    handleClaimPriorityProven(claimPriorityProven(21, BASE_V1, ALICE, timeOfTx(1)));
    assert.fieldEquals("ModelVersion", "11", "priorityCommittedAt", timeOfTx(1).toString());
    assert.fieldEquals("ModelVersion", "11", "priorityCommitmentBlock", "101");

    handleClaimPriorityProven(claimPriorityProven(22, BASE_V1, ALICE, timeOfTx(3)));
    assert.fieldEquals("ModelVersion", "11", "priorityCommittedAt", timeOfTx(1).toString());
    assert.fieldEquals("ModelVersion", "11", "priorityCommitmentBlock", "101");
    // every proof is kept, with its own commitment block
    assert.fieldEquals("ClaimPriorityProof", logId(22, LOG_ALONE), "commitmentBlock", "103");
    assert.i32Equals(3, ModelVersion.load("11")!.priorityProofs.load().length);
  });

  test("a proof of a commitment the indexer never saw: the priority time without a block", () => {
    handleClaimPriorityProven(claimPriorityProven(20, BASE_V1, ALICE, timeOfTx(4)));

    assert.fieldEquals("ClaimPriorityProof", logId(20, LOG_ALONE), "committedAt", timeOfTx(4).toString());
    assert.assertTrue(ClaimPriorityProof.load(logId(20, LOG_ALONE))!.commitmentBlock === null);
    assert.fieldEquals("ModelVersion", "11", "priorityCommittedAt", timeOfTx(4).toString());
    assert.assertTrue(ModelVersion.load("11")!.priorityCommitmentBlock === null);
    assert.entityCount("ClaimCommitmentBlock", 0);
  });
});

// The timeline of one model's life across handlers: what each subject's history (ProvenanceEvent by link) holds.
describe("provenance timeline", () => {
  beforeEach(freshTrainingWorld);

  test("register, publish, train, approve, fine-tune, sell: each subject's history holds its entries", () => {
    trainBaseV1();
    handleVersionApproved(versionApproved(20, BASE_V1, BASE_MODEL, [3], DAVE));
    handleDerivationGranted(derivationGranted(21, BASE_MODEL, BOB, true, ALICE));
    registerTuneModel();
    handleModelVersionPublished(versionPublished(22, TUNE_V1, TUNE_MODEL, 1, BASE_V1, BOB, weightsOf(TUNE_V1)));
    handleTransfer(transfer(23, LOG_ALONE, ALICE, BOB, BASE_MODEL));

    // model 1: registered, policy, version published, approved, derivation granted, transferred
    assert.i32Equals(6, Model.load("1")!.history.load().length);
    // version 11: published, trained on 2 dataset versions, approved, fine-tuned by 21
    assert.i32Equals(5, ModelVersion.load("11")!.history.load().length);
    // model 2: registered, its version published (the FineTuned entry belongs to the parent version)
    assert.i32Equals(2, Model.load("2")!.history.load().length);
    // CAROL published and trained; ALICE registered, set the policy, granted, sold; DAVE approved
    assert.i32Equals(3, Account.load(addr(CAROL))!.history.load().length);
    assert.i32Equals(4, Account.load(addr(ALICE))!.history.load().length);
    assert.i32Equals(1, Account.load(addr(DAVE))!.history.load().length);
    assert.entityCount("ProvenanceEvent", 11);
    assert.fieldEquals("ProvenanceEvent", logId(22, LOG_PUBLISHED) + "-1", "action", "FineTuned");
    assert.fieldEquals("ProvenanceEvent", logId(23, LOG_ALONE), "action", "ModelTransferred");
  });
});
