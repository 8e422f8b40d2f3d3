// Mappings of SystemRegistry: system versions (a model version plus its prompt, retrieval index, policy and tools),
// the data their retrieval index was built from, and their release approvals.
import { SystemVersionApproved, SystemVersionPublished } from "../../generated/SystemRegistry/SystemRegistry";
import { DatasetVersion, RetrievalDatasetUse, SystemApproval, SystemVersion } from "../../generated/schema";
import { getOrCreateAccount, idOf, idsOf, provenance } from "./helpers";

export function handleSystemVersionPublished(event: SystemVersionPublished): void {
  let publisher = getOrCreateAccount(event.params.publisher);
  let systemId = idOf(event.params.systemId);
  let system = new SystemVersion(systemId);
  system.systemId = event.params.systemId;
  system.model = idOf(event.params.modelId);
  system.modelVersion = idOf(event.params.modelVersionId);
  if (!event.params.parentId.isZero()) system.parent = idOf(event.params.parentId);
  system.promptHash = event.params.promptHash;
  system.retrievalIndex = event.params.retrievalIndex;
  system.policyHash = event.params.policyHash;
  system.toolsHash = event.params.toolsHash;
  system.uri = event.params.uri;
  system.publisher = publisher.id;
  system.approved = false;
  system.approvalRevoked = false;
  system.createdAtBlock = event.block.number;
  system.createdAt = event.block.timestamp;
  system.createdTx = event.transaction.hash;
  system.save();

  let datasetVersionIds = event.params.retrievalDatasetVersions;
  let licenceIds = event.params.retrievalLicences;
  for (let i = 0; i < datasetVersionIds.length; i++) {
    let use = new RetrievalDatasetUse(systemId + "-" + i.toString());
    use.systemVersion = systemId;
    use.datasetVersion = idOf(datasetVersionIds[i]);
    use.dataset = DatasetVersion.load(use.datasetVersion)!.dataset;
    use.licence = idOf(licenceIds[i]);
    use.save();
  }

  let parent = system.parent == null ? "" : " (changing system version " + system.parent! + ")";
  let description = "system version " + systemId + " of model version " + system.modelVersion + " published" + parent;
  let entry = provenance(event, "SystemVersionPublished", publisher.id, description);
  entry.model = system.model;
  entry.modelVersion = system.modelVersion;
  entry.systemVersion = systemId;
  entry.save();
}

export function handleSystemVersionApproved(event: SystemVersionApproved): void {
  let approvedBy = getOrCreateAccount(event.params.approvedBy);
  let systemId = idOf(event.params.systemId);
  let approval = new SystemApproval(systemId);
  approval.system = systemId;
  approval.model = idOf(event.params.modelId);
  approval.attestations = idsOf(event.params.attestationIds);
  approval.approvedBy = approvedBy.id;
  approval.blockNumber = event.block.number;
  approval.timestamp = event.block.timestamp;
  approval.transactionHash = event.transaction.hash;
  approval.save();

  let system = SystemVersion.load(systemId)!;
  system.approved = true;
  system.approval = approval.id;
  system.save();

  let entry = provenance(event, "SystemVersionApproved", approvedBy.id, "system version " + systemId + " approved for release");
  entry.model = approval.model;
  entry.modelVersion = system.modelVersion;
  entry.systemVersion = systemId;
  entry.save();
}
