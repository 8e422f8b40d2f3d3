/**
 * Pedigree audit client: answers who / what / when questions about AI models and their training data from the
 * lineage subgraph (the embedded indexer, a graph-node, or Subgraph Studio). Every function takes an
 * {@link AuditClient}; `client.at(block)` asks any of them "as of block N".
 *
 * @example
 * import { createAuditClient, whatTrainedThis, whoActedOn, liveAt } from "./audit/index.ts";
 * const client = createAuditClient({ url: "http://127.0.0.1:8000/subgraphs/name/pedigree" });
 * const lineage = await whatTrainedThis(client, 2n);
 * const actors = await whoActedOn(client.at(31), 3n);
 */
export {
  createAuditClient,
  toBlockConstraint,
  withBlock,
  type AuditClient,
  type AuditClientOptions,
  type AuditClientStats,
  type BlockConstraint,
  type BlockInput,
  type SubgraphMeta,
} from "./client.ts";
export {
  AuditError,
  BlockNotIndexedError,
  ChainReadError,
  NotInSubgraphError,
  ProofUnavailableError,
  SubgraphQueryError,
  SubgraphUnreachableError,
  type AuditErrorCode,
  type SubjectLabel,
} from "./errors.ts";
export { InvalidInputError } from "../core/errors.ts";
export type { IdInput } from "./shared.ts";
export {
  ZERO_ADDRESS,
  ZERO_HASH,
  type ApprovalInfo,
  type DataContextInfo,
  type AsOf,
  type AttestationInfo,
  type DatasetInfo,
  type DatasetVersionInfo,
  type DecisionBatchInfo,
  type DeploymentInfo,
  type LicenceInfo,
  type ModelVersionInfo,
  type ProvenanceAction,
  type ProvenanceEntry,
  type RollbackInfo,
  type SystemVersionInfo,
  type TermsInfo,
  type TxStamp,
} from "./types.ts";
// 1. what trained this
export {
  upwardLineage,
  whatTrainedThis,
  type LineagePath,
  type TrainingDataEntry,
  type TrainingRunInfo,
  type UpwardLineage,
  type WhatTrainedThisResult,
} from "./whatTrainedThis.ts";
export { closeLineage, type LineageGraph, type LineageIds, type LineageNodes, type LineageWalk } from "./lineage.ts";
export {
  jurisdictionsFrom,
  jurisdictionsOf,
  type DataJurisdiction,
  type DecisionJurisdiction,
  type DeploymentJurisdiction,
  type JurisdictionConflict,
  type JurisdictionsResult,
  type LicenceJurisdiction,
  type RunJurisdiction,
  type SystemJurisdiction,
} from "./jurisdictions.ts";
// 2. who acted on it
export { whoActedOn, type Actor, type ModelInfo, type OtherAnchor, type VersionRollback, type WhoActedOnResult } from "./whoActedOn.ts";
// 3. which version produced a decision
export {
  whichVersionProduced,
  type DecisionAnchor,
  type WhichVersionProducedParameters,
  type WhichVersionProducedResult,
} from "./whichVersionProduced.ts";
// 4. what was live when, and what changed
export { liveAt, type LiveAtParameters, type LiveAtResult } from "./liveAt.ts";
export { environmentsOf, type EnvironmentChange, type EnvironmentInfo, type EnvironmentsOfResult } from "./environments.ts";
export {
  changesSince,
  type ChangesSinceOptions,
  type ChangesSinceResult,
  type SystemChange,
  type DataUse,
  type FlagChange,
  type HashChange,
  type ReleaseInfo,
  type SetChange,
} from "./changesSince.ts";
export { releaseStatusOf, type ReleaseStatus } from "./releasable.ts";
// 5. was the data used; was an item in it
export {
  wasDataUsed,
  type CompetingClaim,
  type DataUser,
  type UsagePath,
  type WasDataUsedParameters,
  type WasDataUsedResult,
} from "./wasDataUsed.ts";
export { proveItem, type ItemQuery, type ProveItemParameters, type ProveItemResult } from "./proveItem.ts";
// 6. do local files match the record
export {
  diffManifests,
  doesArtifactMatch,
  type ArtifactSubject,
  type DoesArtifactMatchOptions,
  type DoesArtifactMatchResult,
  type FileDifference,
} from "./doesArtifactMatch.ts";
// 7. royalties
export {
  royalties,
  type RefundInfo,
  type CreatorRoyalties,
  type CurrencyAmounts,
  type LicenceEarning,
  type RoyaltiesParameters,
  type RoyaltiesResult,
  type RoyaltyCreditInfo,
  type RoyaltyWithdrawalInfo,
} from "./royalties.ts";
export {
  channelOf,
  datasetRoyalties,
  type ChannelAmounts,
  type DatasetRoyaltiesResult,
  type DerivationHop,
  type LicenceUsageInfo,
  type RoyaltyChannel,
  type UsageReportInfo,
  type VersionRoyaltyInfo,
} from "./datasetRoyalties.ts";
// 8. history
export { combinedHistory, history, type HistoryResult, type HistorySubject, type HistorySubjectType } from "./history.ts";
// 10. roles, and the time of the block an answer reflects
export { rolesOf } from "./roles.ts";
export { blockAtTime, blockTime, type BlockTime } from "./blockTime.ts";
// 11. agents: which agent acted, under which policy, on which model version
export {
  agentOf,
  agentsActingOn,
  type ActionBatchInfo,
  type AgentBindingInfo,
  type AgentInfo,
  type AgentOnVersion,
  type AgentResult,
  type AgentsActingOnResult,
  type BoundSystemInfo,
  type OperatorWalletInfo,
} from "./agents.ts";
// 12. the explorer: search, and a dataset as a whole
export { search, type SearchHit, type SearchPage, type SearchResult } from "./search.ts";
export { datasetOverview, type DatasetOverview } from "./dataset.ts";
// 9. who claims a digest
export { claimsOf, type ClaimInfo, type ClaimsOfResult, type DigestClaims, type DigestKind } from "./claims.ts";
