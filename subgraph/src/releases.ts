// Mappings of ReleaseRegistry: deployments per environment, rollbacks and anchored decision batches.
import { BigInt, Bytes } from "@graphprotocol/graph-ts";
import { DecisionBatchAnchored, Deployed, RolledBack } from "../../generated/ReleaseRegistry/ReleaseRegistry";
import { DecisionBatch, DecisionRoot, Deployment, Environment, Rollback } from "../../generated/schema";
import { eventId, getOrCreateAccount, idOf, provenance, uint64Bytes } from "./helpers";

function getOrCreateEnvironment(modelId: string, key: Bytes, name: string): Environment {
  let id = modelId + "-" + key.toHexString();
  let environment = Environment.load(id);
  if (environment == null) {
    environment = new Environment(id);
    environment.model = modelId;
    environment.name = name;
    environment.key = key;
  }
  return environment;
}

/** Marks the deployment `id` as no longer live. */
function endDeployment(id: string | null, timestamp: BigInt): void {
  if (id == null) return;
  let deployment = Deployment.load(id as string)!;
  deployment.active = false;
  deployment.endedAt = timestamp;
  deployment.save();
}

export function handleDeployed(event: Deployed): void {
  let deployer = getOrCreateAccount(event.params.deployer);
  let modelId = idOf(event.params.modelId);
  let environment = getOrCreateEnvironment(modelId, event.params.environmentKey, event.params.environment);
  endDeployment(environment.liveDeployment, event.block.timestamp);

  let deployment = new Deployment(idOf(event.params.deploymentId));
  deployment.deploymentId = event.params.deploymentId;
  deployment.model = modelId;
  deployment.version = idOf(event.params.versionId);
  if (!event.params.systemId.isZero()) deployment.system = idOf(event.params.systemId);
  deployment.environment = environment.id;
  if (!event.params.previousDeploymentId.isZero()) deployment.previous = idOf(event.params.previousDeploymentId);
  deployment.deployer = deployer.id;
  deployment.regions = event.params.regions;
  deployment.active = true;
  deployment.createdAtBlock = event.block.number;
  deployment.createdAt = event.block.timestamp;
  deployment.createdTx = event.transaction.hash;
  deployment.save();

  environment.liveDeployment = deployment.id;
  environment.liveVersion = deployment.version;
  environment.liveSystem = deployment.system;
  environment.save();

  let system = deployment.system == null ? "" : " as system version " + deployment.system!;
  let entry = provenance(
    event,
    "Deployed",
    deployer.id,
    "model version " + deployment.version + system + " deployed to " + environment.name,
  );
  entry.model = modelId;
  entry.modelVersion = deployment.version;
  entry.deployment = deployment.id;
  entry.systemVersion = deployment.system;
  entry.save();
}

export function handleRolledBack(event: RolledBack): void {
  let by = getOrCreateAccount(event.params.by);
  let modelId = idOf(event.params.modelId);
  let environment = getOrCreateEnvironment(modelId, event.params.environmentKey, event.params.environment);
  let fromId = idOf(event.params.fromDeploymentId);
  endDeployment(fromId, event.block.timestamp);

  let rollback = new Rollback(eventId(event));
  rollback.model = modelId;
  rollback.environment = environment.id;
  rollback.from = fromId;
  rollback.fromVersion = idOf(event.params.fromVersionId);
  let restored = !event.params.toDeploymentId.isZero();
  if (restored) {
    let toId = idOf(event.params.toDeploymentId);
    rollback.to = toId;
    rollback.toVersion = idOf(event.params.toVersionId);
    let to = Deployment.load(toId)!;
    to.active = true;
    to.endedAt = null;
    to.save();
    environment.liveDeployment = toId;
    environment.liveVersion = rollback.toVersion;
    environment.liveSystem = to.system;
  } else {
    environment.liveDeployment = null;
    environment.liveVersion = null;
    environment.liveSystem = null;
  }
  rollback.reason = event.params.reason;
  rollback.by = by.id;
  rollback.blockNumber = event.block.number;
  rollback.timestamp = event.block.timestamp;
  rollback.transactionHash = event.transaction.hash;
  rollback.save();
  environment.save();

  let target = restored ? "version " + rollback.toVersion! : "nothing";
  let description = environment.name + " rolled back from version " + rollback.fromVersion + " to " + target + ": " + rollback.reason;
  let entry = provenance(event, "RolledBack", by.id, description, 0);
  entry.model = modelId;
  entry.modelVersion = rollback.fromVersion;
  entry.deployment = fromId;
  entry.save();
  // The version that is live again has the rollback in its history too.
  if (restored) {
    let restoredEntry = provenance(event, "RolledBack", by.id, description, 1);
    restoredEntry.model = modelId;
    restoredEntry.modelVersion = rollback.toVersion;
    restoredEntry.deployment = rollback.to;
    restoredEntry.save();
  }
}

export function handleDecisionBatchAnchored(event: DecisionBatchAnchored): void {
  let operator = getOrCreateAccount(event.params.operator);
  // One batch per (root, version): the same root anchored by another version is another batch.
  let batch = new DecisionBatch(event.params.root.concat(uint64Bytes(event.params.versionId)));
  batch.root = event.params.root;
  if (DecisionRoot.load(event.params.root) == null) new DecisionRoot(event.params.root).save();
  batch.decisionRoot = event.params.root;
  batch.version = idOf(event.params.versionId);
  batch.model = idOf(event.params.modelId);
  if (!event.params.systemId.isZero()) batch.system = idOf(event.params.systemId);
  batch.policyHash = event.params.policyHash;
  batch.count = event.params.count;
  batch.windowStart = event.params.windowStart;
  batch.windowEnd = event.params.windowEnd;
  batch.regions = event.params.regions;
  batch.uri = event.params.uri;
  batch.operator = operator.id;
  batch.blockNumber = event.block.number;
  batch.timestamp = event.block.timestamp;
  batch.transactionHash = event.transaction.hash;
  batch.logIndex = event.logIndex;
  batch.save();

  let entry = provenance(
    event,
    "DecisionsAnchored",
    operator.id,
    batch.count.toString() + " decisions of model version " + batch.version + " anchored as " + batch.root.toHexString(),
  );
  entry.model = batch.model;
  entry.modelVersion = batch.version;
  entry.decisionBatch = batch.id;
  entry.systemVersion = batch.system;
  entry.save();
}
