// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IReleaseRegistry} from "./IReleaseRegistry.sol";
import {IModelRegistry} from "../models/IModelRegistry.sol";
import {ISystemRegistry} from "../systems/ISystemRegistry.sol";
import {ISubjectRegistry, SubjectType} from "../common/Subjects.sol";
import {Regions} from "../common/Regions.sol";

/// @title ReleaseRegistry
/// @notice Where approved model versions go live, bare or as approved system versions — serving only regions inside
/// the deployment territory of every licence in their lineage and their retrieval data —, are rolled back, and anchor
/// the decisions they made.
contract ReleaseRegistry is IReleaseRegistry {
    IModelRegistry public immutable MODELS;
    ISystemRegistry public immutable SYSTEMS;

    uint64 private _lastDeploymentId;
    mapping(uint64 deploymentId => Deployment) private _deployments;
    /// @dev keccak256(abi.encode(modelId, keccak256(environment))) => live deployment id.
    mapping(bytes32 liveKey => uint64 deploymentId) private _live;
    mapping(uint64 versionId => mapping(bytes32 root => DecisionBatch)) private _batches;

    constructor(IModelRegistry models, ISystemRegistry systems) {
        MODELS = models;
        SYSTEMS = systems;
    }

    /// @inheritdoc IReleaseRegistry
    function deploy(uint64 versionId, string calldata environment, uint256 regions)
        external
        returns (uint64 deploymentId)
    {
        IModelRegistry.ModelVersion memory version = MODELS.getVersion(versionId);
        _requireOperator(version.modelId);
        _requireReleasable(versionId, version.approved);
        Regions.requireSet(regions);
        if (version.territoriesFrom != 0) _requireDeploymentTerritory(versionId, regions);
        return _goLive(version.modelId, versionId, 0, environment, regions);
    }

    /// @inheritdoc IReleaseRegistry
    function deploySystem(uint64 systemId, string calldata environment, uint256 regions)
        external
        returns (uint64 deploymentId)
    {
        (ISystemRegistry.SystemVersion memory system,) = SYSTEMS.getSystemVersion(systemId);
        _requireOperator(system.modelId);
        uint64 versionId = system.modelVersionId;
        IModelRegistry.ModelVersion memory version = MODELS.getVersion(versionId);
        _requireSystemReleasable(systemId, system.approved, versionId, version.approved);
        Regions.requireSet(regions);
        if (version.territoriesFrom != 0) _requireDeploymentTerritory(versionId, regions);
        if (system.territoryRestricted) _requireRetrievalTerritory(systemId, regions);
        return _goLive(system.modelId, versionId, systemId, environment, regions);
    }

    /// @dev Makes `versionId` (as `systemId`, 0 = bare) the live deployment of `environment`, unless it already is.
    function _goLive(uint64 modelId, uint64 versionId, uint64 systemId, string calldata environment, uint256 regions)
        private
        returns (uint64 deploymentId)
    {
        bytes32 environmentKey = _environmentKey(environment);
        bytes32 liveKey = _liveKey(modelId, environmentKey);
        uint64 previous = _live[liveKey];
        if (previous != 0) {
            Deployment storage live = _deployments[previous];
            if (live.versionId == versionId && live.systemId == systemId) {
                revert AlreadyLive(versionId, systemId, environment);
            }
        }

        deploymentId = ++_lastDeploymentId;
        _deployments[deploymentId] = Deployment({
            modelId: modelId, versionId: versionId, previousDeploymentId: previous, systemId: systemId
        });
        _live[liveKey] = deploymentId;
        emit Deployed(
            deploymentId, modelId, versionId, systemId, environmentKey, environment, previous, regions, msg.sender
        );
    }

    /// @inheritdoc IReleaseRegistry
    function rollback(uint64 modelId, string calldata environment, string calldata reason)
        external
        returns (uint64 liveDeploymentId)
    {
        return _replaceLive(modelId, environment, reason, true);
    }

    /// @inheritdoc IReleaseRegistry
    function takeDown(uint64 modelId, string calldata environment, string calldata reason) external {
        _replaceLive(modelId, environment, reason, false);
    }

    /// @dev Ends the live deployment of `environment`; restores the one it replaced when `restorePrevious`.
    function _replaceLive(uint64 modelId, string calldata environment, string calldata reason, bool restorePrevious)
        private
        returns (uint64 liveDeploymentId)
    {
        _requireOperator(modelId);
        bytes32 environmentKey = _environmentKey(environment);
        bytes32 liveKey = _liveKey(modelId, environmentKey);
        uint64 current = _live[liveKey];
        if (current == 0) revert NothingLive(modelId, environment);
        Deployment memory from = _deployments[current];
        uint64 toVersionId;
        if (restorePrevious && from.previousDeploymentId != 0) {
            liveDeploymentId = from.previousDeploymentId;
            Deployment memory to = _deployments[liveDeploymentId];
            toVersionId = to.versionId;
            if (to.systemId == 0) _requireReleasable(toVersionId, true);
            else _requireSystemReleasable(to.systemId, true, toVersionId, true);
        }
        _live[liveKey] = liveDeploymentId;
        emit RolledBack(
            modelId,
            environmentKey,
            current,
            liveDeploymentId,
            from.versionId,
            toVersionId,
            environment,
            reason,
            msg.sender
        );
    }

    /// @inheritdoc IReleaseRegistry
    function anchorDecisions(
        uint64 versionId,
        bytes32 root,
        uint64 count,
        uint64 windowStart,
        uint64 windowEnd,
        uint256 regions,
        string calldata uri
    ) external {
        IModelRegistry.ModelVersion memory version = MODELS.getVersion(versionId);
        _requireOperator(version.modelId);
        if (!version.approved) revert VersionNotApproved(versionId);
        DecisionBatch memory batch = _checkBatch(versionId, root, count, windowStart, windowEnd, regions);
        _batches[versionId][root] = batch;
        emit DecisionBatchAnchored(
            root, versionId, version.modelId, 0, bytes32(0), count, windowStart, windowEnd, regions, uri, msg.sender
        );
    }

    /// @inheritdoc IReleaseRegistry
    function anchorSystemDecisions(
        uint64 systemId,
        bytes32 root,
        uint64 count,
        uint64 windowStart,
        uint64 windowEnd,
        uint256 regions,
        string calldata uri
    ) external {
        (ISystemRegistry.SystemVersion memory system, ISystemRegistry.SystemConfig memory config) =
            SYSTEMS.getSystemVersion(systemId);
        _requireOperator(system.modelId);
        if (!system.approved) revert SystemNotApproved(systemId);
        uint64 versionId = system.modelVersionId;
        DecisionBatch memory batch = _checkBatch(versionId, root, count, windowStart, windowEnd, regions);
        _batches[versionId][root] = batch;
        emit DecisionBatchAnchored(
            root,
            versionId,
            system.modelId,
            systemId,
            config.policyHash,
            count,
            windowStart,
            windowEnd,
            regions,
            uri,
            msg.sender
        );
    }

    /// @dev Reverts unless the batch is well formed and `root` not yet anchored for `versionId`; returns its record.
    function _checkBatch(
        uint64 versionId,
        bytes32 root,
        uint64 count,
        uint64 windowStart,
        uint64 windowEnd,
        uint256 regions
    ) private view returns (DecisionBatch memory) {
        if (root == bytes32(0)) revert ZeroRoot();
        if (count == 0) revert EmptyDecisionBatch();
        if (windowEnd < windowStart) revert InvalidWindow(windowStart, windowEnd);
        Regions.requireSet(regions);
        if (_batches[versionId][root].count != 0) revert BatchAlreadyAnchored(versionId, root);
        return DecisionBatch({
            count: count, windowStart: windowStart, windowEnd: windowEnd, anchoredAt: uint64(block.timestamp)
        });
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IReleaseRegistry
    function verifyDecision(uint64 versionId, bytes32 root, bytes32 recordHash, bytes32[] calldata proof)
        external
        view
        returns (bool included)
    {
        if (_batches[versionId][root].count == 0) revert UnknownBatch(versionId, root);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(recordHash))));
        included = MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /// @inheritdoc IReleaseRegistry
    function getDecisionBatch(uint64 versionId, bytes32 root) external view returns (DecisionBatch memory) {
        return _batches[versionId][root];
    }

    /// @inheritdoc IReleaseRegistry
    function liveVersion(uint64 modelId, string calldata environment) external view returns (uint64) {
        return _deployments[_live[_liveKey(modelId, _environmentKey(environment))]].versionId;
    }

    /// @inheritdoc IReleaseRegistry
    function getDeployment(uint64 deploymentId) external view returns (Deployment memory) {
        return _deployments[deploymentId];
    }

    /// @inheritdoc IReleaseRegistry
    function versionStatus(uint64 versionId, string calldata environment)
        external
        view
        returns (VersionStatus memory status)
    {
        if (!MODELS.subjectExists(SubjectType.ModelVersion, versionId)) return status;
        IModelRegistry.ModelVersion memory version = MODELS.getVersion(versionId);
        status.exists = true;
        status.modelId = version.modelId;
        status.approved = version.approved;
        status.releasable = MODELS.isReleasable(versionId);
        status.deploymentId = _live[_liveKey(version.modelId, _environmentKey(environment))];
        status.live = status.deploymentId != 0 && _deployments[status.deploymentId].versionId == versionId;
        status.liveButNotReleasable = status.live && !status.releasable;
    }

    /// @inheritdoc IReleaseRegistry
    function systemStatus(uint64 systemId, string calldata environment)
        external
        view
        returns (SystemStatus memory status)
    {
        if (!SYSTEMS.subjectExists(SubjectType.SystemVersion, systemId)) return status;
        (ISystemRegistry.SystemVersion memory system,) = SYSTEMS.getSystemVersion(systemId);
        status.exists = true;
        status.modelId = system.modelId;
        status.modelVersionId = system.modelVersionId;
        status.approved = system.approved;
        status.releasable = SYSTEMS.isReleasable(systemId);
        status.deploymentId = _live[_liveKey(system.modelId, _environmentKey(environment))];
        status.live = status.deploymentId != 0 && _deployments[status.deploymentId].systemId == systemId;
        status.liveButNotReleasable = status.live && !status.releasable;
    }

    /// @inheritdoc ISubjectRegistry
    function subjectExists(SubjectType subjectType, uint64 subjectId) external view returns (bool) {
        return subjectType == SubjectType.Deployment && _deployments[subjectId].modelId != 0;
    }

    // ------------------------------------------------------------------ internals

    function _requireOperator(uint64 modelId) private view {
        if (!MODELS.isOwnerOrOperator(modelId, msg.sender)) revert NotModelOperator(modelId, msg.sender);
    }

    /// @dev Reverts with {DeploymentOutsideTerritory} unless `regions` lie inside the deployment territory of
    /// `versionId`'s lineage (one AND; the walk that names the licence runs only on refusal).
    function _requireDeploymentTerritory(uint64 versionId, uint256 regions) private view {
        (, uint256 allowed) = MODELS.territoriesOf(versionId);
        if (Regions.within(regions, allowed)) return;
        (uint64 licenceId, uint256 licenceAllowed) =
            MODELS.licenceExcluding(versionId, regions, IModelRegistry.Territory.Deployment);
        revert DeploymentOutsideTerritory(licenceId, regions, licenceAllowed);
    }

    /// @dev Reverts with {DeploymentOutsideTerritory} unless `regions` lie inside the deployment territory of the
    /// retrieval data of `systemId`, naming the retrieval licence that leaves one out.
    function _requireRetrievalTerritory(uint64 systemId, uint256 regions) private view {
        if (Regions.within(regions, SYSTEMS.deploymentTerritoryOf(systemId))) return;
        (uint64 licenceId, uint256 licenceAllowed) = SYSTEMS.retrievalLicenceExcluding(systemId, regions);
        revert DeploymentOutsideTerritory(licenceId, regions, licenceAllowed);
    }

    function _requireReleasable(uint64 versionId, bool approved) private view {
        if (!approved) revert VersionNotApproved(versionId);
        if (!MODELS.isReleasable(versionId)) revert ApprovalNoLongerValid(versionId);
    }

    /// @dev Reverts unless system version `systemId` is releasable (one call), naming on refusal what is not: the
    /// system's gate, its model version's, or an approval of either that no longer holds.
    function _requireSystemReleasable(uint64 systemId, bool systemApproved, uint64 versionId, bool versionApproved)
        private
        view
    {
        if (SYSTEMS.isReleasable(systemId)) return;
        if (!systemApproved) revert SystemNotApproved(systemId);
        _requireReleasable(versionId, versionApproved);
        revert SystemApprovalNoLongerValid(systemId);
    }

    function _environmentKey(string calldata environment) private pure returns (bytes32) {
        if (bytes(environment).length == 0) revert EmptyEnvironment();
        return keccak256(bytes(environment));
    }

    function _liveKey(uint64 modelId, bytes32 environmentKey) private pure returns (bytes32) {
        return keccak256(abi.encode(modelId, environmentKey));
    }
}
