// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ISubjectRegistry} from "../common/Subjects.sol";
import {IDatasetRegistry} from "../datasets/IDatasetRegistry.sol";
import {IClaims} from "../common/IClaims.sol";

/// @title IModelRegistry
/// @notice Models as ERC-721 assets; versions with fine-tune lineage and the training run that produced them, checked
/// against dataset licences; release policies and the gate that approves a version once its attestations are in.
/// Managing a model takes its owner or an operator for all of the owner's tokens; a single-token ERC-721 approval only
/// lets the approved account transfer it.
interface IModelRegistry is ISubjectRegistry, IClaims {
    /// @notice The artifacts of one model version.
    struct VersionInput {
        bytes32 weightsHash; // fingerprint of the weights; claimed once per model owner (see {IClaims})
        bytes32 manifestRoot; // Merkle root over per-file hashes of the release
        bytes32 configHash; // hash of the config / architecture description
        uint64 parentVersionId; // fine-tuned from: an own version or one allowed by {grantDerivation}; 0 = none
        string uri; // where the weights live
    }

    /// @notice How and where a version was trained. `datasetVersionIds[i]` is used under `licenceIds[i]`.
    struct TrainingRunInput {
        uint64[] datasetVersionIds;
        uint64[] licenceIds;
        bytes32 codeHash; // commit or archive hash of the training code
        bytes32 hyperparametersHash; // hash of the hyperparameter file
        uint64 startedAt; // unix time
        uint64 endedAt; // unix time, >= startedAt
        uint256 region; // where it was computed: a region index (see {Regions}), in every lineage licence's territory
        bytes32 computeProvider; // who computed it: an id of the compute provider (0 = not declared)
    }

    /// @notice A model's state. One slot: 32 + 8 bits.
    struct Model {
        uint32 versionCount; // versions published so far
        bool commercial; // whether its versions are used commercially (their licences must allow it)
    }

    /// @notice A version's state. One slot: 3 × 64 + 32 + 3 × 8 bits.
    struct ModelVersion {
        uint64 modelId;
        uint32 number; // 1-based number within the model
        bool approved; // passed the release gate
        bool dataDeclared; // its training run, and every ancestor's, names registered training data
        bool commercialData; // every dataset in its lineage is licensed for commercial use
        uint64 parentVersionId; // the version it was fine-tuned from; 0 = none
        // The version whose run last narrowed the territories of this lineage — itself, or its nearest ancestor whose
        // run used licences that are not worldwide: its territories are this version's. 0 = a worldwide lineage.
        uint64 territoriesFrom;
    }

    /// @notice Which territory of a licence: where its data may be trained on, or where derived models may be deployed.
    enum Territory {
        Training,
        Deployment
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
        uint64 endedAt,
        uint256 region,
        bytes32 computeProvider,
        bool dataDeclared,
        bool commercialData
    );

    /// @notice Emitted when the owner of `modelId` lets `grantee` (address(0) = anyone) fine-tune its versions, or
    /// stops letting it (`allowed` false; versions already published stay).
    event DerivationGranted(uint64 indexed modelId, address indexed grantee, bool allowed, address grantedBy);

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
    /// @notice Thrown when `account` is neither the owner of `modelId` nor an operator for all the owner's tokens.
    error NotModelOwner(uint64 modelId, address account);
    /// @notice Thrown when a weights hash is zero.
    error ZeroWeightsHash();
    /// @notice Thrown when `parentVersionId` belongs to another owner's model that did not grant `account` derivation.
    error ParentNotDerivable(uint64 parentVersionId, address account);
    /// @notice Thrown when a commercial model fine-tunes `parentVersionId`, whose lineage holds data not licensed for
    /// commercial use.
    error ParentDataNotCommercial(uint64 parentVersionId);
    /// @notice Thrown when the release policy requires declared training data and `versionId`'s lineage lacks it.
    error UndeclaredTrainingData(uint64 versionId);
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
    /// @notice Thrown when a training run was computed in `region`, outside the training territory `allowed` of
    /// licence `licenceId`, used by the run or by an ancestor's. `allowed` is the licence's effective territory on the
    /// dataset version it was used for: its terms' territory narrowed by what that version inherits from the licences
    /// it was derived under ({IDatasetRegistry.licenceTerritories}).
    error TrainingOutsideTerritory(uint64 licenceId, uint256 region, uint256 allowed);

    /// @notice Registers a model owned by the caller; its release policy starts as "release approval".
    /// @dev Emits {Transfer}, {ModelRegistered} and {ReleasePolicySet}.
    function registerModel(bool commercial, bytes32 metadataHash, string calldata uri)
        external
        returns (uint64 modelId);

    /// @notice Publishes a version of `modelId` with the training run that produced it.
    /// @dev Requirements: caller owns the model or operates all its owner's tokens; a non-zero weights hash the owner
    /// has not claimed; parent 0, or an existing version of the owner's own model or of a model that granted the owner
    /// derivation (whose lineage data is licensed commercially if this model is commercial); for every dataset
    /// version, a licence held by the model owner that is valid now, of that version's dataset, allowing derivatives
    /// (and commercial use if the model is commercial); a known run region ({Regions.requireRegion}: `UnknownRegion`)
    /// inside the training territory of every licence of the run and of its ancestors' runs
    /// ({TrainingOutsideTerritory} names the first that excludes it, the run's own licences first).
    /// Emits {ModelVersionPublished} and {TrainingRunRecorded}.
    function publishVersion(uint64 modelId, VersionInput calldata version, TrainingRunInput calldata run)
        external
        returns (uint64 versionId);

    /// @notice Lets `grantee` (address(0): anyone) publish versions fine-tuned from `modelId`'s versions, or stops it.
    /// @dev Requirements: caller owns the model or operates all its owner's tokens. Emits {DerivationGranted}.
    function grantDerivation(uint64 modelId, address grantee, bool allowed) external;

    /// @notice Sets the attestation kinds a release of `modelId` requires (bit k = kind k), plus
    /// ModelRegistry.REQUIRE_DECLARED_DATA in bit 0. Affects later approvals only.
    /// @dev Requirements: caller owns the model or operates all its owner's tokens; the release-approval bit is set;
    /// each kind defined. Emits {ReleasePolicySet}.
    function setReleasePolicy(uint64 modelId, uint256 requiredKinds) external;

    /// @notice Passes `versionId` through its release gate using `attestationIds`.
    /// @dev Requirements: caller owns the model or operates all its owner's tokens; not yet approved; each attestation
    /// is about this model version, unrevoked and unexpired; together they cover every kind of the model's policy
    /// ({ReleaseGate}: `AttestationNotForSubject`, `AttestationNotValid`, `RequiredAttestationsMissing`); declared
    /// training data if the policy requires it.
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

    /// @notice The model version `claimant` (the model's owner when it was published) registered with `weightsHash`,
    /// or 0. Other claimants' versions of the same weights are listed by the subgraph.
    function versionByWeights(address claimant, bytes32 weightsHash) external view returns (uint64);

    /// @notice Whether `account` may fine-tune versions of `modelId`: its owner, or granted by {grantDerivation}.
    function derivationAllowed(uint64 modelId, address account) external view returns (bool);

    /// @notice Whether `account` owns `modelId` or operates all its owner's tokens.
    function isOwnerOrOperator(uint64 modelId, address account) external view returns (bool);

    /// @notice Where `versionId` may be trained on (its fine-tunes included) and deployed: the regions every licence
    /// in its lineage allows (all regions when none restricts them; 0 and 0 for an unknown version).
    function territoriesOf(uint64 versionId) external view returns (uint256 training, uint256 deployment);

    /// @notice The first licence in the lineage of `versionId` — its own run's licences in order, then its parent's,
    /// and so on — whose `territory` leaves out some of `regions`, with that territory; (0, WORLDWIDE) if none does.
    /// The territory is effective: the licence's terms narrowed by what the dataset version it was used for inherits.
    /// Costs a walk up the lineage: the registries call it only to name the licence behind a refusal.
    function licenceExcluding(uint64 versionId, uint256 regions, Territory territory)
        external
        view
        returns (uint64 licenceId, uint256 allowed);
}
