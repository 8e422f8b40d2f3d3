// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IModelRegistry} from "./IModelRegistry.sol";
import {IDatasetRegistry} from "../datasets/IDatasetRegistry.sol";
import {IAttestationRegistry} from "../attestations/IAttestationRegistry.sol";
import {ISubjectRegistry, SubjectType} from "../common/Subjects.sol";
import {Claims} from "../common/Claims.sol";

/// @title ModelRegistry
/// @notice Registry of AI models (ERC-721 "PDGM"), their versions and training runs, and the release gate.
/// A version can only be published on licensed, non-withdrawn training data, and only approved once the
/// attestations its model's release policy requires are present and still valid.
contract ModelRegistry is IModelRegistry, ERC721, Claims {
    /// @notice The kind every release policy must include (AttestationRegistry.RELEASE_APPROVAL).
    uint8 public constant RELEASE_APPROVAL_KIND = 6;
    /// @notice Release policy flag in bit 0 (kind 0 is never defined): approve only versions whose lineage declares
    /// its training data.
    uint256 public constant REQUIRE_DECLARED_DATA = 1;

    IDatasetRegistry public immutable DATASETS;
    IAttestationRegistry public immutable ATTESTATIONS;

    uint64 private _lastModelId;
    uint64 private _lastVersionId;
    mapping(uint64 modelId => Model) private _models;
    mapping(uint64 modelId => uint256 requiredKinds) private _policies;
    mapping(uint64 versionId => ModelVersion) private _versions;
    mapping(uint64 versionId => uint64[] attestationIds) private _approvals;
    /// @dev grantee address(0) = anyone.
    mapping(uint64 modelId => mapping(address grantee => bool)) private _derivationGrants;

    constructor(IDatasetRegistry datasets, IAttestationRegistry attestations) ERC721("Pedigree Model", "PDGM") {
        DATASETS = datasets;
        ATTESTATIONS = attestations;
    }

    /// @inheritdoc IModelRegistry
    function registerModel(bool commercial, bytes32 metadataHash, string calldata uri)
        external
        returns (uint64 modelId)
    {
        modelId = ++_lastModelId;
        _models[modelId] = Model({versionCount: 0, commercial: commercial});
        _mint(msg.sender, modelId);
        emit ModelRegistered(modelId, msg.sender, commercial, metadataHash, uri);
        uint256 policy = uint256(1) << RELEASE_APPROVAL_KIND;
        _policies[modelId] = policy;
        emit ReleasePolicySet(modelId, policy, msg.sender);
    }

    /// @inheritdoc IModelRegistry
    function publishVersion(uint64 modelId, VersionInput calldata version, TrainingRunInput calldata run)
        external
        returns (uint64 versionId)
    {
        address owner = _requireAuthorized(modelId);
        bytes32 weightsHash = version.weightsHash;
        if (weightsHash == bytes32(0)) revert ZeroWeightsHash();
        if (run.endedAt < run.startedAt) revert InvalidTrainingWindow(run.startedAt, run.endedAt);
        bool commercial = _models[modelId].commercial;
        bool commercialData = _checkTrainingData(run, owner, commercial);
        bool dataDeclared = run.datasetVersionIds.length != 0;
        if (version.parentVersionId != 0) {
            ModelVersion memory parent = _checkParent(version.parentVersionId, owner, commercial);
            dataDeclared = dataDeclared && parent.dataDeclared;
            commercialData = commercialData && parent.commercialData;
        }

        versionId = ++_lastVersionId;
        _claim(owner, weightsHash, versionId);
        uint32 number = ++_models[modelId].versionCount;
        _versions[versionId] = ModelVersion({
            modelId: modelId,
            number: number,
            approved: false,
            dataDeclared: dataDeclared,
            commercialData: commercialData
        });
        emit ModelVersionPublished(
            versionId,
            modelId,
            number,
            weightsHash,
            version.manifestRoot,
            version.configHash,
            version.parentVersionId,
            version.uri,
            msg.sender
        );
        emit TrainingRunRecorded(
            versionId,
            modelId,
            run.datasetVersionIds,
            run.licenceIds,
            run.codeHash,
            run.hyperparametersHash,
            run.startedAt,
            run.endedAt,
            dataDeclared,
            commercialData
        );
    }

    /// @inheritdoc IModelRegistry
    function grantDerivation(uint64 modelId, address grantee, bool allowed) external {
        _requireAuthorized(modelId);
        _derivationGrants[modelId][grantee] = allowed;
        emit DerivationGranted(modelId, grantee, allowed, msg.sender);
    }

    /// @inheritdoc IModelRegistry
    function setReleasePolicy(uint64 modelId, uint256 requiredKinds) external {
        _requireAuthorized(modelId);
        if (requiredKinds & (uint256(1) << RELEASE_APPROVAL_KIND) == 0) {
            revert PolicyMissingReleaseApproval(requiredKinds);
        }
        for (uint256 kind = 1; kind < 256; ++kind) {
            if (requiredKinds >> kind == 0) break;
            if ((requiredKinds >> kind) & 1 == 1 && ATTESTATIONS.roleOfKind(uint8(kind)) == bytes32(0)) {
                revert PolicyKindUndefined(uint8(kind));
            }
        }
        _policies[modelId] = requiredKinds;
        emit ReleasePolicySet(modelId, requiredKinds, msg.sender);
    }

    /// @inheritdoc IModelRegistry
    function approveVersion(uint64 versionId, uint64[] calldata attestationIds) external {
        ModelVersion storage version = _versions[versionId];
        uint64 modelId = version.modelId;
        if (modelId == 0) revert UnknownModelVersion(versionId);
        _requireAuthorized(modelId);
        if (version.approved) revert AlreadyApproved(versionId);

        uint256 covered;
        for (uint256 i; i < attestationIds.length; ++i) {
            uint64 attestationId = attestationIds[i];
            IAttestationRegistry.Attestation memory attestation = ATTESTATIONS.getAttestation(attestationId);
            if (attestation.subjectType != SubjectType.ModelVersion || attestation.subjectId != versionId) {
                revert AttestationNotForVersion(attestationId, versionId);
            }
            if (!ATTESTATIONS.isValid(attestationId)) revert AttestationNotValid(attestationId);
            covered |= uint256(1) << attestation.kind;
        }
        uint256 policy = _policies[modelId];
        uint256 missing = policy & ~covered & ~REQUIRE_DECLARED_DATA;
        if (missing != 0) revert RequiredAttestationsMissing(versionId, missing);
        if (policy & REQUIRE_DECLARED_DATA != 0 && !version.dataDeclared) revert UndeclaredTrainingData(versionId);

        version.approved = true;
        _approvals[versionId] = attestationIds;
        emit VersionApproved(versionId, modelId, attestationIds, msg.sender);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IModelRegistry
    function getModel(uint64 modelId) external view returns (Model memory) {
        if (_ownerOf(modelId) == address(0)) revert UnknownModel(modelId);
        return _models[modelId];
    }

    /// @inheritdoc IModelRegistry
    function getVersion(uint64 versionId) external view returns (ModelVersion memory version) {
        version = _versions[versionId];
        if (version.modelId == 0) revert UnknownModelVersion(versionId);
    }

    /// @inheritdoc IModelRegistry
    function releasePolicy(uint64 modelId) external view returns (uint256) {
        return _policies[modelId];
    }

    /// @inheritdoc IModelRegistry
    function approvalAttestations(uint64 versionId) external view returns (uint64[] memory) {
        return _approvals[versionId];
    }

    /// @inheritdoc IModelRegistry
    function isReleasable(uint64 versionId) external view returns (bool) {
        if (!_versions[versionId].approved) return false;
        uint64[] storage ids = _approvals[versionId];
        for (uint256 i; i < ids.length; ++i) {
            if (!ATTESTATIONS.isValid(ids[i])) return false;
        }
        return true;
    }

    /// @inheritdoc IModelRegistry
    function versionByWeights(address claimant, bytes32 weightsHash) external view returns (uint64) {
        return _claimOf(claimant, weightsHash);
    }

    /// @inheritdoc IModelRegistry
    function derivationAllowed(uint64 modelId, address account) public view returns (bool) {
        address owner = _ownerOf(modelId);
        return owner != address(0)
            && (account == owner || _derivationGrants[modelId][account] || _derivationGrants[modelId][address(0)]);
    }

    /// @inheritdoc IModelRegistry
    function isOwnerOrOperator(uint64 modelId, address account) external view returns (bool) {
        address owner = _ownerOf(modelId);
        return owner != address(0) && _isOwnerOrOperator(owner, account);
    }

    /// @inheritdoc ISubjectRegistry
    function subjectExists(SubjectType subjectType, uint64 subjectId) external view returns (bool) {
        if (subjectType == SubjectType.ModelVersion || subjectType == SubjectType.TrainingRun) {
            return _versions[subjectId].modelId != 0;
        }
        return false;
    }

    // ------------------------------------------------------------------ internals

    /// @dev Reverts unless `licensee` holds a valid licence for every dataset version of the run (for commercial use
    /// if `commercial`); returns whether every one of them is licensed for commercial use.
    function _checkTrainingData(TrainingRunInput calldata run, address licensee, bool commercial)
        private
        view
        returns (bool commercialData)
    {
        uint256 count = run.datasetVersionIds.length;
        if (count != run.licenceIds.length) revert TrainingDataLengthMismatch(count, run.licenceIds.length);
        commercialData = true;
        for (uint256 i; i < count; ++i) {
            // Asked for commercial use: the answer also says whether a non-commercial model's data allows it.
            IDatasetRegistry.LicenceStatus status =
                DATASETS.licenceStatus(run.licenceIds[i], run.datasetVersionIds[i], licensee, true);
            if (status == IDatasetRegistry.LicenceStatus.CommercialUseForbidden && !commercial) {
                commercialData = false;
            } else if (status != IDatasetRegistry.LicenceStatus.Valid) {
                revert DatasetVersionNotUsable(run.datasetVersionIds[i], run.licenceIds[i], status);
            }
        }
    }

    /// @dev Reverts unless `parentVersionId` exists, `owner` may derive from its model, and its lineage data allows
    /// commercial use when `commercial`; returns the parent.
    function _checkParent(uint64 parentVersionId, address owner, bool commercial)
        private
        view
        returns (ModelVersion memory parent)
    {
        parent = _versions[parentVersionId];
        if (parent.modelId == 0) revert UnknownModelVersion(parentVersionId);
        if (!derivationAllowed(parent.modelId, owner)) revert ParentNotDerivable(parentVersionId, owner);
        if (commercial && !parent.commercialData) revert ParentDataNotCommercial(parentVersionId);
    }

    /// @dev Reverts unless the caller owns `modelId` or operates all its owner's tokens; returns the owner.
    /// A single-token approval is not enough: it lets the approved account transfer the token, not manage it.
    function _requireAuthorized(uint64 modelId) private view returns (address owner) {
        owner = _ownerOf(modelId);
        if (owner == address(0)) revert UnknownModel(modelId);
        if (!_isOwnerOrOperator(owner, msg.sender)) revert NotModelOwner(modelId, msg.sender);
    }

    function _isOwnerOrOperator(address owner, address account) private view returns (bool) {
        return account == owner || isApprovedForAll(owner, account);
    }
}
