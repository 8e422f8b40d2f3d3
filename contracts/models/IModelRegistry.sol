// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ISubjectRegistry} from "../common/Subjects.sol";
import {IDatasetRegistry} from "../datasets/IDatasetRegistry.sol";

/// @title IModelRegistry
/// @notice Models as ERC-721 assets; versions with fine-tune lineage and the training run that produced them, checked
/// against dataset licences; release policies and the gate that approves a version once its attestations are in.
interface IModelRegistry is ISubjectRegistry {
    /// @notice The artifacts of one model version.
    struct VersionInput {
        bytes32 weightsHash; // fingerprint of the weights; unique across the registry
        bytes32 manifestRoot; // Merkle root over per-file hashes of the release
        bytes32 configHash; // hash of the config / architecture description
        uint64 parentVersionId; // version this one was fine-tuned from; 0 = trained from scratch
        string uri; // where the weights live
    }

    /// @notice How a version was trained. `datasetVersionIds[i]` is used under `licenceIds[i]`.
    struct TrainingRunInput {
        uint64[] datasetVersionIds;
        uint64[] licenceIds;
        bytes32 codeHash; // commit or archive hash of the training code
        bytes32 hyperparametersHash; // hash of the hyperparameter file
        uint64 startedAt; // unix time
        uint64 endedAt; // unix time, >= startedAt
    }

    /// @notice A model's state. One slot: 32 + 8 bits.
    struct Model {
        uint32 versionCount; // versions published so far
        bool commercial; // whether its versions are used commercially (their licences must allow it)
    }

    /// @notice A version's state. One slot: 64 + 32 + 8 bits.
    struct ModelVersion {
        uint64 modelId;
        uint32 number; // 1-based number within the model
        bool approved; // passed the release gate
    }

    /// @notice Emitted when `owner` registers model `modelId`.
    event ModelRegistered(
        uint64 indexed modelId, address indexed owner, bool commercial, bytes32 metadataHash, string uri
    );

    /// @notice Emitted for every model version with its artifacts and lineage.
    event ModelVersionPublished(
        uint64 indexed versionId,
        uint64 indexed modelId,
        uint32 number,
        bytes32 indexed weightsHash,
        bytes32 manifestRoot,
        bytes32 configHash,
        uint64 parentVersionId,
        string uri,
        address publisher
    );

    /// @notice Emitted with every version: the training run behind it (its id is the version id).
    event TrainingRunRecorded(
        uint64 indexed versionId,
        uint64 indexed modelId,
        uint64[] datasetVersionIds,
        uint64[] licenceIds,
        bytes32 codeHash,
        bytes32 hyperparametersHash,
        uint64 startedAt,
        uint64 endedAt
    );

    /// @notice Emitted when a model's release policy changes: the attestation kinds a release needs (bit k = kind k).
    event ReleasePolicySet(uint64 indexed modelId, uint256 requiredKinds, address setBy);

    /// @notice Emitted when a version passes its release gate, listing the attestations that satisfied it.
    event VersionApproved(
        uint64 indexed versionId, uint64 indexed modelId, uint64[] attestationIds, address approvedBy
    );

    /// @notice Thrown when `modelId` has not been registered.
    error UnknownModel(uint64 modelId);
    /// @notice Thrown when `versionId` is not a model version.
    error UnknownModelVersion(uint64 versionId);
    /// @notice Thrown when `account` is neither the owner of `modelId` nor approved for it.
    error NotModelOwner(uint64 modelId, address account);
    /// @notice Thrown when a weights hash is zero.
    error ZeroWeightsHash();
    /// @notice Thrown when `weightsHash` is already registered as version `versionId`.
    error WeightsAlreadyRegistered(bytes32 weightsHash, uint64 versionId);
    /// @notice Thrown when the dataset and licence lists differ in length.
    error TrainingDataLengthMismatch(uint256 datasetVersions, uint256 licences);
    /// @notice Thrown when the training run ends before it starts.
    error InvalidTrainingWindow(uint64 startedAt, uint64 endedAt);
    /// @notice Thrown when a dataset version cannot be used for training, with the reason.
    error DatasetVersionNotUsable(uint64 datasetVersionId, uint64 licenceId, IDatasetRegistry.LicenceStatus status);
    /// @notice Thrown when a policy does not require a release approval.
    error PolicyMissingReleaseApproval(uint256 requiredKinds);
    /// @notice Thrown when a policy requires a kind the attestation registry does not define.
    error PolicyKindUndefined(uint8 kind);
    /// @notice Thrown when the version already passed its gate.
    error AlreadyApproved(uint64 versionId);
    /// @notice Thrown when an attestation offered to the gate is not about `versionId`.
    error AttestationNotForVersion(uint64 attestationId, uint64 versionId);
    /// @notice Thrown when an attestation offered to the gate is revoked or expired.
    error AttestationNotValid(uint64 attestationId);
    /// @notice Thrown when the offered attestations leave required kinds uncovered (bit k = kind k).
    error RequiredAttestationsMissing(uint64 versionId, uint256 missingKinds);

    /// @notice Registers a model owned by the caller; its release policy starts as "release approval".
    /// @dev Emits {Transfer}, {ModelRegistered} and {ReleasePolicySet}.
    function registerModel(bool commercial, bytes32 metadataHash, string calldata uri)
        external
        returns (uint64 modelId);

    /// @notice Publishes a version of `modelId` with the training run that produced it.
    /// @dev Requirements: caller owns or is approved for the model; non-zero unregistered weights hash; an existing
    /// parent (any model) or 0; for every dataset version, a licence held by the model owner that is valid now, of
    /// that version's dataset, allowing derivatives (and commercial use if the model is commercial), on a dataset not
    /// withdrawn. Emits {ModelVersionPublished} and {TrainingRunRecorded}.
    function publishVersion(uint64 modelId, VersionInput calldata version, TrainingRunInput calldata run)
        external
        returns (uint64 versionId);

    /// @notice Sets the attestation kinds a release of `modelId` requires (bit k = kind k).
    /// Affects later approvals only.
    /// @dev Requirements: caller owns or is approved for the model; the release-approval bit is set; each kind defined.
    /// Emits {ReleasePolicySet}.
    function setReleasePolicy(uint64 modelId, uint256 requiredKinds) external;

    /// @notice Passes `versionId` through its release gate using `attestationIds`.
    /// @dev Requirements: caller owns or is approved for the model; not yet approved; each attestation is about this
    /// model version, unrevoked and unexpired; together they cover every kind of the model's policy.
    /// Emits {VersionApproved}.
    function approveVersion(uint64 versionId, uint64[] calldata attestationIds) external;

    /// @notice A model's state; reverts for an unknown model.
    function getModel(uint64 modelId) external view returns (Model memory);

    /// @notice A version's state; reverts for an unknown version.
    function getVersion(uint64 versionId) external view returns (ModelVersion memory);

    /// @notice The attestation kinds a release of `modelId` requires (bit k = kind k).
    function releasePolicy(uint64 modelId) external view returns (uint256);

    /// @notice The attestations that approved `versionId` (empty if not approved).
    function approvalAttestations(uint64 versionId) external view returns (uint64[] memory);

    /// @notice Whether `versionId` is approved and every attestation that approved it is still valid.
    function isReleasable(uint64 versionId) external view returns (bool);

    /// @notice The model version registered with `weightsHash`, or 0.
    function versionByWeights(bytes32 weightsHash) external view returns (uint64);

    /// @notice Whether `account` owns `modelId` or is approved for it.
    function isOwnerOrOperator(uint64 modelId, address account) external view returns (bool);
}
