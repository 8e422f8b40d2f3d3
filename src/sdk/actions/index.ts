/** Every action: one function per file, each taking a PedigreeClient and typed parameters. */
// datasets
export { registerDataset, type RegisterDatasetParameters, type RegisterDatasetResult } from "./registerDataset.js";
export {
  publishDatasetVersion,
  type PublishDatasetVersionParameters,
  type PublishDatasetVersionResult,
} from "./publishDatasetVersion.js";
export { setTerms, type SetTermsParameters, type SetTermsResult } from "./setTerms.js";
export { acquireLicence, type AcquireLicenceParameters, type AcquireLicenceResult } from "./acquireLicence.js";
export { withdrawDataset, type WithdrawDatasetParameters, type WithdrawDatasetResult } from "./withdrawDataset.js";
export {
  withdrawRoyalties,
  type WithdrawRoyaltiesParameters,
  type WithdrawRoyaltiesResult,
} from "./withdrawRoyalties.js";
export { royaltiesOf, type RoyaltiesOfParameters } from "./royaltiesOf.js";
export { revokeConsent, type RevokeConsentParameters, type RevokeConsentResult } from "./revokeConsent.js";
export { refundLicence, type RefundLicenceParameters, type RefundLicenceResult } from "./refundLicence.js";
// claims (datasets and models)
export { commitClaim, type CommitClaimParameters, type CommitClaimResult } from "./commitClaim.js";
export { proveClaimPriority, type ProveClaimPriorityResult } from "./proveClaimPriority.js";
// models
export { registerModel, type RegisterModelParameters, type RegisterModelResult } from "./registerModel.js";
export {
  publishModelVersion,
  type ModelVersionInput,
  type PublishModelVersionParameters,
  type PublishModelVersionResult,
  type TrainingDataUse,
  type TrainingRunInput,
} from "./publishModelVersion.js";
export {
  setReleasePolicy,
  type SetReleasePolicyParameters,
  type SetReleasePolicyResult,
} from "./setReleasePolicy.js";
export { approveVersion, type ApproveVersionParameters, type ApproveVersionResult } from "./approveVersion.js";
export { grantDerivation, type GrantDerivationParameters, type GrantDerivationResult } from "./grantDerivation.js";
// attestations
export { attest, type AttestParameters, type AttestResult } from "./attest.js";
export { multiAttest, type MultiAttestParameters, type MultiAttestResult } from "./multiAttest.js";
export { signAttestation, type SignAttestationParameters } from "./signAttestation.js";
export { relaySignedAttestation, type RelaySignedAttestationResult } from "./relaySignedAttestation.js";
export {
  revokeAttestation,
  type RevokeAttestationParameters,
  type RevokeAttestationResult,
} from "./revokeAttestation.js";
export { grantRole, type RoleParameters, type RoleResult } from "./grantRole.js";
export { revokeRole } from "./revokeRole.js";
export { cancelNonce, type CancelNonceResult } from "./cancelNonce.js";
// releases
export { deployVersion, type DeployVersionParameters, type DeployVersionResult } from "./deployVersion.js";
export { rollback, type RollbackParameters, type RollbackResult } from "./rollback.js";
export { takeDown, type TakeDownParameters, type TakeDownResult } from "./takeDown.js";
export { anchorDecisions, type AnchorDecisionsParameters, type AnchorDecisionsResult } from "./anchorDecisions.js";
export { verifyDecision, type VerifyDecisionParameters, type VerifyDecisionResult } from "./verifyDecision.js";
export { liveVersion, type LiveVersionParameters } from "./liveVersion.js";
export { versionStatus, type VersionStatus, type VersionStatusParameters } from "./versionStatus.js";
