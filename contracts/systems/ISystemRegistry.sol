// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ISubjectRegistry} from "../common/Subjects.sol";
import {IDatasetRegistry} from "../datasets/IDatasetRegistry.sol";

/// @title ISystemRegistry
/// @notice System versions: what is deployed is a model version plus its configuration — prompt, retrieval index,
/// policy / guardrails, tools. A prompt, retrieval or policy change is a new system version of the same model, with its
/// parent; the retrieval data is licence-checked like training data and narrows where the system may be deployed; a
/// system version passes a release gate of its own, under its model's release policy.
/// Managing a system version takes the owner of its model or an operator for all the owner's tokens.
interface ISystemRegistry is ISubjectRegistry {
    /// @notice The configuration a model version runs with, as digests (0 = none).
    struct SystemConfig {
        bytes32 promptHash; // the prompt / system instructions
        bytes32 retrievalIndex; // fingerprint of the retrieval index (0 = no retrieval)
        bytes32 policyHash; // the policy / guardrail configuration
        bytes32 toolsHash; // the list of tools it may call
    }

    /// @notice A system version's state. One slot: 3 × 64 + 2 × 8 bits. Its configuration is stored beside it.
    struct SystemVersion {
        uint64 modelId;
        uint64 modelVersionId; // the weights it runs
        uint64 parentId; // the system version it changes; 0 = none
        bool approved; // passed its release gate
        bool territoryRestricted; // its retrieval data narrows where it may be deployed (see {deploymentTerritoryOf})
    }

    /// @notice Emitted for every system version with its configuration and the data its retrieval index was built
    /// from: `retrievalDatasetVersions[i]` is used under `retrievalLicences[i]`.
    event SystemVersionPublished(
        uint64 indexed systemId,
        uint64 indexed modelId,
        uint64 indexed modelVersionId,
        uint64 parentId,
        bytes32 promptHash,
        bytes32 retrievalIndex,
        bytes32 policyHash,
        bytes32 toolsHash,
        uint64[] retrievalDatasetVersions,
        uint64[] retrievalLicences,
        string uri,
        address publisher
    );

    /// @notice Emitted when a system version passes its release gate, listing the attestations that satisfied it.
    event SystemVersionApproved(
        uint64 indexed systemId, uint64 indexed modelId, uint64[] attestationIds, address approvedBy
    );

    /// @notice Thrown when `systemId` is not a system version.
    error UnknownSystemVersion(uint64 systemId);
    /// @notice Thrown when `account` is neither the owner of `modelId` nor an operator for all the owner's tokens.
    error NotModelOperator(uint64 modelId, address account);
    /// @notice Thrown when the parent `parentId` is a system version of another model than `modelId`.
    error ParentOfAnotherModel(uint64 parentId, uint64 modelId);
    /// @notice Thrown when a system version would run the same weights with the same configuration as `parentId`.
    error NothingChanged(uint64 parentId);
    /// @notice Thrown when the retrieval dataset and licence lists differ in length.
    error RetrievalDataLengthMismatch(uint256 datasetVersions, uint256 licences);
    /// @notice Thrown when a retrieval index is declared without the data it was built from, or data without an
    /// index.
    error RetrievalIndexMismatch(bytes32 retrievalIndex, uint256 datasetVersions);
    /// @notice Thrown when a dataset version cannot be used for retrieval under `licenceId`, with the reason.
    error RetrievalDataNotUsable(uint64 datasetVersionId, uint64 licenceId, IDatasetRegistry.LicenceStatus status);
    /// @notice Thrown when a retrieval index would be built from a version of dataset `datasetId`, which its creator
    /// withdrew (`consentRevoked`: and revoked consent to use).
    error RetrievalDataWithdrawn(uint64 datasetVersionId, uint64 datasetId, bool consentRevoked);
    /// @notice Thrown when the system version already passed its gate.
    error SystemAlreadyApproved(uint64 systemId);

    /// @notice Publishes a system version: model version `modelVersionId` run with `config`, changing `parentId`.
    /// @dev Requirements: the model version exists (ModelRegistry's `UnknownModelVersion`); the caller owns its model
    /// or operates all its owner's tokens; parent 0 or a system version of the same model (it may run other weights)
    /// whose weights or configuration differ from these; a retrieval index if and only if retrieval data is listed,
    /// one licence per dataset version; for every one, a licence the model owner holds that is valid now, of that
    /// version's dataset, allowing derivatives (and commercial use if the model is commercial), of a dataset that is
    /// not withdrawn — a retrieval index serves the data itself at every query. Stores what the retrieval licences'
    /// deployment territories exclude, only when they exclude something.
    /// Emits {SystemVersionPublished}.
    function publishSystemVersion(
        uint64 modelVersionId,
        uint64 parentId,
        SystemConfig calldata config,
        uint64[] calldata retrievalDatasetVersions,
        uint64[] calldata retrievalLicences,
        string calldata uri
    ) external returns (uint64 systemId);

    /// @notice Passes `systemId` through its release gate using `attestationIds`.
    /// @dev Requirements: caller owns the model or operates all its owner's tokens; not yet approved; each attestation
    /// is about this system version (SubjectType.SystemVersion), unrevoked and unexpired; together they cover every
    /// kind of the model's release policy ({ReleaseGate}; the policy's declared-data flag is the model version's
    /// gate's concern). Emits {SystemVersionApproved}.
    function approveSystemVersion(uint64 systemId, uint64[] calldata attestationIds) external;

    /// @notice A system version and its configuration; reverts for an unknown one. An agent compares the digests of
    /// what it runs with these.
    function getSystemVersion(uint64 systemId)
        external
        view
        returns (SystemVersion memory system, SystemConfig memory config);

    /// @notice The attestations that approved `systemId` (empty if not approved).
    function approvalAttestations(uint64 systemId) external view returns (uint64[] memory);

    /// @notice Whether `systemId` is approved, every attestation that approved it is still valid, and its model
    /// version is releasable too.
    function isReleasable(uint64 systemId) external view returns (bool);

    /// @notice Where `systemId` may be deployed as far as its retrieval data goes: the regions every retrieval
    /// licence allows (all regions when none restricts them; 0 for an unknown system version). The model version's
    /// lineage narrows it further (IModelRegistry.territoriesOf).
    function deploymentTerritoryOf(uint64 systemId) external view returns (uint256 allowed);

    /// @notice The first retrieval licence of `systemId` whose deployment territory leaves out some of `regions`,
    /// with that territory; (0, WORLDWIDE) if none does. The release registry calls it only to name the licence behind
    /// a refusal.
    function retrievalLicenceExcluding(uint64 systemId, uint256 regions)
        external
        view
        returns (uint64 licenceId, uint256 allowed);
}
