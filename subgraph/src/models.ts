// Mappings of ModelRegistry: models, versions and fine-tunes, training runs, release policies and approvals.
import { BigInt } from "@graphprotocol/graph-ts";
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
import {
  DatasetVersion,
  DerivationGrant,
  Model,
  ModelVersion,
  TrainingDatasetUse,
  TrainingRun,
  VersionApproval,
} from "../../generated/schema";
import {
  bitsOf,
  getOrCreateContent,
  isEarlier,
  getOrCreateAccount,
  idOf,
  idsOf,
  MODEL_WEIGHTS,
  priorityProof,
  provenance,
  recordCommitment,
  ZERO_ADDRESS,
} from "./helpers";

export function handleModelRegistered(event: ModelRegistered): void {
  let owner = getOrCreateAccount(event.params.owner);
  let model = new Model(idOf(event.params.modelId));
  model.modelId = event.params.modelId;
  model.creator = owner.id;
  model.owner = owner.id;
  model.commercial = event.params.commercial;
  model.metadataHash = event.params.metadataHash;
  model.uri = event.params.uri;
  // The policy arrives in the ReleasePolicySet event emitted right after.
  model.requiredKinds = BigInt.zero();
  model.requiredKindIds = new Array<i32>();
  model.requiresDeclaredData = false;
  model.versionCount = 0;
  model.createdAtBlock = event.block.number;
  model.createdAt = event.block.timestamp;
  model.createdTx = event.transaction.hash;
  model.save();

  let entry = provenance(event, "ModelRegistered", owner.id, "model " + model.id + " registered");
  entry.model = model.id;
  entry.save();
}

export function handleTransfer(event: Transfer): void {
  // Mints are recorded by ModelRegistered; burns do not exist.
  if (event.params.from.equals(ZERO_ADDRESS)) return;
  let to = getOrCreateAccount(event.params.to);
  let model = Model.load(idOf(event.params.tokenId))!;
  model.owner = to.id;
  model.save();

  let entry = provenance(
    event,
    "ModelTransferred",
    event.params.from,
    "model " + model.id + " transferred to " + to.id.toHexString(),
  );
  entry.model = model.id;
  entry.save();
}

export function handleModelVersionPublished(event: ModelVersionPublished): void {
  let publisher = getOrCreateAccount(event.params.publisher);
  let modelId = idOf(event.params.modelId);
  let model = Model.load(modelId)!;
  let version = new ModelVersion(idOf(event.params.versionId));
  version.versionId = event.params.versionId;
  version.model = modelId;
  version.number = event.params.number.toI32();
  version.weightsHash = event.params.weightsHash;
  version.content = getOrCreateContent(event.params.weightsHash).id;
  // The registry claims the weights hash for the model's owner at publication (the publisher may be its operator).
  version.claimant = model.owner;
  version.manifestRoot = event.params.manifestRoot;
  version.configHash = event.params.configHash;
  version.uri = event.params.uri;
  let hasParent = !event.params.parentVersionId.isZero();
  if (hasParent) version.parent = idOf(event.params.parentVersionId);
  version.publisher = publisher.id;
  // Both arrive with TrainingRunRecorded, emitted right after.
  version.dataDeclared = false;
  version.commercialData = false;
  version.approved = false;
  version.approvalRevoked = false;
  version.createdAtBlock = event.block.number;
  version.createdAt = event.block.timestamp;
  version.createdTx = event.transaction.hash;
  version.createdLogIndex = event.logIndex;
  version.save();

  model.versionCount = version.number;
  model.save();

  let entry = provenance(
    event,
    "ModelVersionPublished",
    publisher.id,
    "model " + modelId + " version " + version.number.toString() + " (" + version.weightsHash.toHexString() + ")",
    0,
  );
  entry.model = modelId;
  entry.modelVersion = version.id;
  entry.save();
  if (hasParent) {
    let fineTune = provenance(
      event,
      "FineTuned",
      publisher.id,
      "model version " + version.id + " fine-tuned from " + version.parent!,
      1,
    );
    fineTune.modelVersion = version.parent;
    fineTune.save();
  }
}

export function handleTrainingRunRecorded(event: TrainingRunRecorded): void {
  let versionId = idOf(event.params.versionId);
  let run = new TrainingRun(versionId);
  run.modelVersion = versionId;
  run.model = idOf(event.params.modelId);
  run.codeHash = event.params.codeHash;
  run.hyperparametersHash = event.params.hyperparametersHash;
  run.startedAt = event.params.startedAt;
  run.endedAt = event.params.endedAt;
  // The registry accepts only region indices below 249 (Regions.requireRegion): an i32 holds them.
  run.region = event.params.region.toI32();
  run.computeProvider = event.params.computeProvider;
  run.createdAtBlock = event.block.number;
  run.createdAt = event.block.timestamp;
  run.createdTx = event.transaction.hash;

  let datasetVersionIds = event.params.datasetVersionIds;
  let licenceIds = event.params.licenceIds;
  let datasetVersions = new Array<string>();
  let licences = new Array<string>();
  let actor = ModelVersion.load(versionId)!.publisher;
  for (let i = 0; i < datasetVersionIds.length; i++) {
    let datasetVersionId = idOf(datasetVersionIds[i]);
    let licenceId = idOf(licenceIds[i]);
    datasetVersions.push(datasetVersionId);
    licences.push(licenceId);
    let use = new TrainingDatasetUse(versionId + "-" + i.toString());
    use.trainingRun = versionId;
    use.modelVersion = versionId;
    use.datasetVersion = datasetVersionId;
    use.dataset = DatasetVersion.load(datasetVersionId)!.dataset;
    use.licence = licenceId;
    use.save();

    let entry = provenance(
      event,
      "TrainedOn",
      actor,
      "model version " + versionId + " trained on dataset version " + datasetVersionId + " under licence " + licenceId,
      i,
    );
    entry.datasetVersion = datasetVersionId;
    entry.licence = licenceId;
    entry.modelVersion = versionId;
    entry.save();
  }
  run.datasetVersions = datasetVersions;
  run.licences = licences;
  run.save();

  let version = ModelVersion.load(versionId)!;
  version.trainingRun = run.id;
  version.dataDeclared = event.params.dataDeclared;
  version.commercialData = event.params.commercialData;
  version.save();
}

export function handleReleasePolicySet(event: ReleasePolicySet): void {
  let setBy = getOrCreateAccount(event.params.setBy);
  let model = Model.load(idOf(event.params.modelId))!;
  // Bit 0 is no attestation kind: it asks for declared training data.
  let bits = bitsOf(event.params.requiredKinds);
  let kinds = new Array<i32>();
  for (let i = 0; i < bits.length; i++) if (bits[i] != 0) kinds.push(bits[i]);
  model.requiredKinds = event.params.requiredKinds;
  model.requiredKindIds = kinds;
  model.requiresDeclaredData = bits.length > 0 && bits[0] == 0;
  model.save();

  let entry = provenance(
    event,
    "ReleasePolicySet",
    setBy.id,
    "release policy of model " + model.id + " requires kinds " + kinds.toString() + (model.requiresDeclaredData ? " and declared training data" : ""),
  );
  entry.model = model.id;
  entry.save();
}

export function handleVersionApproved(event: VersionApproved): void {
  let approvedBy = getOrCreateAccount(event.params.approvedBy);
  let versionId = idOf(event.params.versionId);
  let approval = new VersionApproval(versionId);
  approval.version = versionId;
  approval.model = idOf(event.params.modelId);
  approval.attestations = idsOf(event.params.attestationIds);
  approval.approvedBy = approvedBy.id;
  approval.blockNumber = event.block.number;
  approval.timestamp = event.block.timestamp;
  approval.transactionHash = event.transaction.hash;
  approval.save();

  let version = ModelVersion.load(versionId)!;
  version.approved = true;
  version.approval = approval.id;
  version.save();

  let entry = provenance(event, "VersionApproved", approvedBy.id, "model version " + versionId + " approved for release");
  entry.model = approval.model;
  entry.modelVersion = versionId;
  entry.save();
}

export function handleDerivationGranted(event: DerivationGranted): void {
  let grantedBy = getOrCreateAccount(event.params.grantedBy);
  let modelId = idOf(event.params.modelId);
  let grantee = event.params.grantee;
  let grant = DerivationGrant.load(modelId + "-" + grantee.toHexString());
  if (grant == null) {
    grant = new DerivationGrant(modelId + "-" + grantee.toHexString());
    grant.model = modelId;
    grant.grantee = grantee;
    grant.anyone = grantee.equals(ZERO_ADDRESS);
  }
  grant.allowed = event.params.allowed;
  grant.grantedBy = grantedBy.id;
  grant.updatedAt = event.block.timestamp;
  grant.updatedAtBlock = event.block.number;
  grant.save();

  let who = grant.anyone ? "anyone" : grantee.toHexString();
  let what = grant.allowed ? " may now fine-tune model " : " may no longer fine-tune model ";
  let entry = provenance(event, "DerivationGranted", grantedBy.id, who + what + modelId);
  entry.model = modelId;
  entry.save();
}

export function handleClaimCommitted(event: ClaimCommitted): void {
  recordCommitment(event, MODEL_WEIGHTS, event.params.commitment, event.params.committer, event.params.committedAt);
}

export function handleClaimPriorityProven(event: ClaimPriorityProven): void {
  let versionId = idOf(event.params.versionId);
  let proof = priorityProof(event, MODEL_WEIGHTS, event.params.claimant, event.params.digest, event.params.committedAt);
  proof.modelVersion = versionId;
  proof.save();

  let version = ModelVersion.load(versionId)!;
  if (isEarlier(event.params.committedAt, version.priorityCommittedAt)) {
    version.priorityCommittedAt = event.params.committedAt;
    version.priorityCommitmentBlock = proof.commitmentBlock;
    version.save();
  }

  let entry = provenance(
    event,
    "ClaimPriorityProven",
    proof.prover,
    "claim of weights " + event.params.digest.toHexString() + " by " + proof.claimant.toHexString() + " (model version " + versionId + ") committed at " + event.params.committedAt.toString(),
  );
  entry.model = version.model;
  entry.modelVersion = versionId;
  entry.save();
}
