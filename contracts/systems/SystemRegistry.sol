// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {ISystemRegistry} from "./ISystemRegistry.sol";
import {IModelRegistry} from "../models/IModelRegistry.sol";
import {IDatasetRegistry} from "../datasets/IDatasetRegistry.sol";
import {IAttestationRegistry} from "../attestations/IAttestationRegistry.sol";
import {ISubjectRegistry, SubjectType} from "../common/Subjects.sol";
import {PackedIds} from "../common/PackedIds.sol";
import {Regions} from "../common/Regions.sol";
import {ReleaseGate} from "../common/ReleaseGate.sol";

/// @title SystemRegistry
/// @notice Registry of system versions — a model version plus its prompt, retrieval index, policy and tools — and
/// their release gate. A configuration change is recorded without new weights; retrieval data is used only under
/// valid licences of datasets that are not withdrawn, and the deployment territories of those licences follow the
/// system version to the release registry.
contract SystemRegistry is ISystemRegistry {
    IModelRegistry public immutable MODELS;
    IDatasetRegistry public immutable DATASETS;
    IAttestationRegistry public immutable ATTESTATIONS;

    uint64 private _lastSystemId;
    mapping(uint64 systemId => SystemVersion) private _systems;
    /// @dev Only the non-zero digests are written: a system without retrieval or tools pays nothing for them.
    mapping(uint64 systemId => SystemConfig) private _configs;
    mapping(uint64 systemId => uint64[] attestationIds) private _approvals;
    /// @dev The regions the retrieval licences' deployment territories leave out; written only when non-zero.
    mapping(uint64 systemId => uint256 excluded) private _deploymentExcluded;
    /// @dev The retrieval uses — (licence id, dataset version id) pairs, {PackedIds} — whose effective deployment
    /// territory is not worldwide, to name one behind a refusal.
    mapping(uint64 systemId => mapping(uint256 => uint256)) private _restrictingLicences;

    constructor(IModelRegistry models, IDatasetRegistry datasets, IAttestationRegistry attestations) {
        MODELS = models;
        DATASETS = datasets;
        ATTESTATIONS = attestations;
    }

    /// @inheritdoc ISystemRegistry
    function publishSystemVersion(
        uint64 modelVersionId,
        uint64 parentId,
        SystemConfig calldata config,
        uint64[] calldata retrievalDatasetVersions,
        uint64[] calldata retrievalLicences,
        string calldata uri
    ) external returns (uint64 systemId) {
        uint64 modelId = MODELS.getVersion(modelVersionId).modelId;
        _requireOperator(modelId);
        if (parentId != 0) _requireChange(parentId, modelId, modelVersionId, config);
        (uint256 excluded, uint64[] memory restricting) =
            _checkRetrievalData(modelId, config.retrievalIndex, retrievalDatasetVersions, retrievalLicences);

        systemId = ++_lastSystemId;
        _systems[systemId] = SystemVersion({
            modelId: modelId,
            modelVersionId: modelVersionId,
            parentId: parentId,
            approved: false,
            territoryRestricted: excluded != 0
        });
        _storeConfig(systemId, config);
        if (excluded != 0) {
            _deploymentExcluded[systemId] = excluded;
            PackedIds.store(_restrictingLicences[systemId], restricting);
        }
        emit SystemVersionPublished(
            systemId,
            modelId,
            modelVersionId,
            parentId,
            config.promptHash,
            config.retrievalIndex,
            config.policyHash,
            config.toolsHash,
            retrievalDatasetVersions,
            retrievalLicences,
            uri,
            msg.sender
        );
    }

    /// @inheritdoc ISystemRegistry
    function approveSystemVersion(uint64 systemId, uint64[] calldata attestationIds) external {
        SystemVersion storage system = _systems[systemId];
        uint64 modelId = system.modelId;
        if (modelId == 0) revert UnknownSystemVersion(systemId);
        _requireOperator(modelId);
        if (system.approved) revert SystemAlreadyApproved(systemId);
        uint256 policy = MODELS.releasePolicy(modelId);
        ReleaseGate.requireCovered(ATTESTATIONS, SubjectType.SystemVersion, systemId, attestationIds, policy);

        system.approved = true;
        _approvals[systemId] = attestationIds;
        emit SystemVersionApproved(systemId, modelId, attestationIds, msg.sender);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ISystemRegistry
    function getSystemVersion(uint64 systemId)
        external
        view
        returns (SystemVersion memory system, SystemConfig memory config)
    {
        system = _systems[systemId];
        if (system.modelId == 0) revert UnknownSystemVersion(systemId);
        config = _configs[systemId];
    }

    /// @inheritdoc ISystemRegistry
    function approvalAttestations(uint64 systemId) external view returns (uint64[] memory) {
        return _approvals[systemId];
    }

    /// @inheritdoc ISystemRegistry
    function isReleasable(uint64 systemId) external view returns (bool) {
        SystemVersion storage system = _systems[systemId];
        return system.approved && ReleaseGate.allValid(ATTESTATIONS, _approvals[systemId])
            && MODELS.isReleasable(system.modelVersionId);
    }

    /// @inheritdoc ISystemRegistry
    function deploymentTerritoryOf(uint64 systemId) external view returns (uint256 allowed) {
        SystemVersion storage system = _systems[systemId];
        if (system.modelId == 0) return 0;
        if (!system.territoryRestricted) return Regions.WORLDWIDE;
        return Regions.WORLDWIDE & ~_deploymentExcluded[systemId];
    }

    /// @inheritdoc ISystemRegistry
    function retrievalLicenceExcluding(uint64 systemId, uint256 regions)
        external
        view
        returns (uint64 licenceId, uint256 allowed)
    {
        uint64[] memory uses = PackedIds.load(_restrictingLicences[systemId]);
        for (uint256 i; i + 1 < uses.length; i += 2) {
            (, allowed) = DATASETS.licenceTerritories(uses[i], uses[i + 1]);
            if (!Regions.within(regions, allowed)) return (uses[i], allowed);
        }
        return (0, Regions.WORLDWIDE);
    }

    /// @inheritdoc ISubjectRegistry
    function subjectExists(SubjectType subjectType, uint64 subjectId) external view returns (bool) {
        return subjectType == SubjectType.SystemVersion && _systems[subjectId].modelId != 0;
    }

    // ------------------------------------------------------------------ internals

    /// @dev Reverts unless `parentId` is a system version of `modelId` that runs other weights or another
    /// configuration than `modelVersionId` with `config`.
    function _requireChange(uint64 parentId, uint64 modelId, uint64 modelVersionId, SystemConfig calldata config)
        private
        view
    {
        SystemVersion storage parent = _systems[parentId];
        if (parent.modelId == 0) revert UnknownSystemVersion(parentId);
        if (parent.modelId != modelId) revert ParentOfAnotherModel(parentId, modelId);
        if (parent.modelVersionId != modelVersionId) return;
        SystemConfig storage was = _configs[parentId];
        if (
            was.promptHash == config.promptHash && was.retrievalIndex == config.retrievalIndex
                && was.policyHash == config.policyHash && was.toolsHash == config.toolsHash
        ) revert NothingChanged(parentId);
    }

    /// @dev Reverts unless the retrieval index and its data are declared together and the model's owner holds a
    /// valid licence for every dataset version (see {publishSystemVersion}); returns the regions the licences'
    /// effective deployment territories exclude, and the (licence id, dataset version id) pairs that exclude some.
    function _checkRetrievalData(
        uint64 modelId,
        bytes32 retrievalIndex,
        uint64[] calldata datasetVersionIds,
        uint64[] calldata licenceIds
    ) private view returns (uint256 excluded, uint64[] memory restricting) {
        uint256 count = datasetVersionIds.length;
        if (count != licenceIds.length) revert RetrievalDataLengthMismatch(count, licenceIds.length);
        if ((retrievalIndex == bytes32(0)) != (count == 0)) revert RetrievalIndexMismatch(retrievalIndex, count);
        if (count == 0) return (0, restricting);
        address owner = IERC721(address(MODELS)).ownerOf(modelId);
        bool commercial = MODELS.getModel(modelId).commercial;
        restricting = new uint64[](2 * count);
        uint256 restrictingCount;
        for (uint256 i; i < count; ++i) {
            (IDatasetRegistry.LicenceStatus status,, uint256 deploymentExcluded) =
                DATASETS.trainingUse(licenceIds[i], datasetVersionIds[i], owner, commercial);
            if (status != IDatasetRegistry.LicenceStatus.Valid) {
                revert RetrievalDataNotUsable(datasetVersionIds[i], licenceIds[i], status);
            }
            _requireNotWithdrawn(datasetVersionIds[i]);
            if (deploymentExcluded != 0) {
                restricting[restrictingCount] = licenceIds[i];
                restricting[restrictingCount + 1] = datasetVersionIds[i];
                restrictingCount += 2;
                excluded |= deploymentExcluded;
            }
        }
        assembly ("memory-safe") {
            mstore(restricting, restrictingCount) // keep the pairs found; the array only shrinks
        }
    }

    /// @dev Reverts with {RetrievalDataWithdrawn} when the dataset of `datasetVersionId` is withdrawn.
    function _requireNotWithdrawn(uint64 datasetVersionId) private view {
        uint64 datasetId = DATASETS.datasetOfVersion(datasetVersionId);
        IDatasetRegistry.Dataset memory dataset = DATASETS.getDataset(datasetId);
        if (dataset.withdrawn) revert RetrievalDataWithdrawn(datasetVersionId, datasetId, dataset.consentRevoked);
    }

    /// @dev Writes the non-zero digests of `config`.
    function _storeConfig(uint64 systemId, SystemConfig calldata config) private {
        SystemConfig storage stored = _configs[systemId];
        if (config.promptHash != bytes32(0)) stored.promptHash = config.promptHash;
        if (config.retrievalIndex != bytes32(0)) stored.retrievalIndex = config.retrievalIndex;
        if (config.policyHash != bytes32(0)) stored.policyHash = config.policyHash;
        if (config.toolsHash != bytes32(0)) stored.toolsHash = config.toolsHash;
    }

    function _requireOperator(uint64 modelId) private view {
        if (!MODELS.isOwnerOrOperator(modelId, msg.sender)) revert NotModelOperator(modelId, msg.sender);
    }
}
