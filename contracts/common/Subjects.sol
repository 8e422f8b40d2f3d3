// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice What an attestation can be about. Ids are the on-chain ids of the registries that own each kind of record.
enum SubjectType {
    None, // 0: never a valid subject
    DatasetVersion, // DatasetRegistry version id
    ModelVersion, // ModelRegistry version id
    TrainingRun, // ModelRegistry version id (a version has exactly one training run)
    Licence, // DatasetRegistry licence id
    Deployment, // ReleaseRegistry deployment id
    SystemVersion, // SystemRegistry system version id (a model version plus its configuration)
    Agent, // AgentRegistry agent id
    UsageReport // RoyaltyRegistry usage report id (answered through the DatasetRegistry that created it)
}

/// @notice Answers whether a subject exists; implemented by each registry for the subject types it owns.
interface ISubjectRegistry {
    /// @notice Whether `subjectId` of `subjectType` has been recorded by this registry.
    function subjectExists(SubjectType subjectType, uint64 subjectId) external view returns (bool);
}
