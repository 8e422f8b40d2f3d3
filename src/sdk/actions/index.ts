/** Every action: one function per file, each taking a PedigreeClient and typed parameters. */
// datasets
export { registerDataset, type RegisterDatasetParameters, type RegisterDatasetResult } from "./registerDataset.ts";
export {
  publishDatasetVersion,
  type PublishDatasetVersionParameters,
  type PublishDatasetVersionResult,
} from "./publishDatasetVersion.ts";
export {
  datasetVersions,
  type DatasetVersionRecord,
  type DatasetVersionsParameters,
} from "./datasetVersions.ts";
export { setTerms, type SetTermsParameters, type SetTermsResult } from "./setTerms.ts";
export { acquireLicence, type AcquireLicenceParameters, type AcquireLicenceResult } from "./acquireLicence.ts";
export { withdrawDataset, type WithdrawDatasetParameters, type WithdrawDatasetResult } from "./withdrawDataset.ts";
export {
  withdrawRoyalties,
  type WithdrawRoyaltiesParameters,
  type WithdrawRoyaltiesResult,
} from "./withdrawRoyalties.ts";
export { royaltiesOf, type RoyaltiesOfParameters } from "./royaltiesOf.ts";
export { revokeConsent, type RevokeConsentParameters, type RevokeConsentResult } from "./revokeConsent.ts";
export { refundLicence, type RefundLicenceParameters, type RefundLicenceResult } from "./refundLicence.ts";
// claims (datasets and models)
export {
  commitClaim,
  prepareClaim,
  type ClaimParameters,
  type CommitClaimParameters,
  type CommitClaimResult,
} from "./commitClaim.ts";
export { proveClaimPriority, type ProveClaimPriorityResult } from "./proveClaimPriority.ts";
// models
export { registerModel, type RegisterModelParameters, type RegisterModelResult } from "./registerModel.ts";
export {
  publishModelVersion,
  type ModelVersionInput,
  type PublishModelVersionParameters,
  type PublishModelVersionResult,
  type TrainingDataUse,
  type TrainingRunInput,
} from "./publishModelVersion.ts";
export {
  setReleasePolicy,
  type SetReleasePolicyParameters,
  type SetReleasePolicyResult,
} from "./setReleasePolicy.ts";
export { approveVersion, type ApproveVersionParameters, type ApproveVersionResult } from "./approveVersion.ts";
export { grantDerivation, type GrantDerivationParameters, type GrantDerivationResult } from "./grantDerivation.ts";
// attestations
export { attest, type AttestParameters, type AttestResult } from "./attest.ts";
export { multiAttest, type MultiAttestParameters, type MultiAttestResult } from "./multiAttest.ts";
export { signAttestation, type SignAttestationParameters } from "./signAttestation.ts";
export { relaySignedAttestation, type RelaySignedAttestationResult } from "./relaySignedAttestation.ts";
export {
  revokeAttestation,
  type RevokeAttestationParameters,
  type RevokeAttestationResult,
} from "./revokeAttestation.ts";
export { grantRole, type RoleParameters, type RoleResult } from "./grantRole.ts";
export { revokeRole } from "./revokeRole.ts";
export { cancelNonce, type CancelNonceResult } from "./cancelNonce.ts";
// releases
export { deployVersion, type DeployVersionParameters, type DeployVersionResult } from "./deployVersion.ts";
export { rollback, type RollbackParameters, type RollbackResult } from "./rollback.ts";
export { takeDown, type TakeDownParameters, type TakeDownResult } from "./takeDown.ts";
export { anchorDecisions, type AnchorDecisionsParameters, type AnchorDecisionsResult } from "./anchorDecisions.ts";
export { verifyDecision, type VerifyDecisionParameters, type VerifyDecisionResult } from "./verifyDecision.ts";
export { liveVersion, type LiveVersionParameters } from "./liveVersion.ts";
export { versionStatus, type VersionStatus, type VersionStatusParameters } from "./versionStatus.ts";
// system versions
export {
  publishSystemVersion,
  type PublishSystemVersionParameters,
  type PublishSystemVersionResult,
  type RetrievalDataUse,
  type SystemConfig,
  type SystemConfigInput,
} from "./publishSystemVersion.ts";
export {
  approveSystemVersion,
  type ApproveSystemVersionParameters,
  type ApproveSystemVersionResult,
} from "./approveSystemVersion.ts";
export { deploySystem, type DeploySystemParameters, type DeploySystemResult } from "./deploySystem.ts";
export {
  anchorSystemDecisions,
  type AnchorSystemDecisionsParameters,
  type AnchorSystemDecisionsResult,
} from "./anchorSystemDecisions.ts";
export { systemStatus, type SystemStatus, type SystemStatusParameters } from "./systemStatus.ts";

// agents
export {
  registerAgent,
  setAgentURI,
  setOperatorWallet,
  type RegisterAgentParameters,
  type RegisterAgentResult,
  type SetAgentURIParameters,
  type SetOperatorWalletParameters,
} from "./registerAgent.ts";
export { bindAgent, type BindAgentParameters, type BindAgentResult } from "./bindAgent.ts";
export { anchorActions, type ActionBatchInput, type AnchorActionsParameters, type AnchorActionsResult } from "./anchorActions.ts";
export {
  cancelActionNonce,
  relayActionBatch,
  signActionBatch,
  type CancelActionNonceResult,
  type SignActionBatchParameters,
} from "./signActionBatch.ts";
export { reportUsage, toUsageReport, usageCost, type ReportUsageParameters, type ReportUsageResult, type UsageReportInput } from "./reportUsage.ts";
export {
  cancelUsageNonce,
  relayUsageReport,
  signUsageReport,
  type CancelUsageNonceResult,
  type SignUsageReportParameters,
} from "./signUsageReport.ts";
export { depositForUsage, releaseDeposit, type UsageDepositParameters, type UsageDepositResult } from "./usageDeposit.ts";
export { setContributors, toContributors, type ContributorInput, type SetContributorsParameters, type SetContributorsResult } from "./setContributors.ts";
export { royaltiesOfVersion, unitOfTerms, usageOf, type LicenceUsage, type VersionRoyalties } from "./usageOf.ts";
export {
  agentStatus,
  verifyAction,
  type AgentStatus,
  type AgentStatusParameters,
  type VerifiedAction,
  type VerifyActionParameters,
} from "./agentStatus.ts";
