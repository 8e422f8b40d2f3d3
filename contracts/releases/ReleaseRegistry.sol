// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IReleaseRegistry} from "./IReleaseRegistry.sol";
import {IModelRegistry} from "../models/IModelRegistry.sol";
import {ISubjectRegistry, SubjectType} from "../common/Subjects.sol";
import {Regions} from "../common/Regions.sol";

/// @title ReleaseRegistry
/// @notice Where approved model versions go live — serving only regions inside the deployment territory of every
/// licence in their lineage —, are rolled back, and anchor the decisions they made.
contract ReleaseRegistry is IReleaseRegistry {
    IModelRegistry public immutable MODELS;

    uint64 private _lastDeploymentId;
    mapping(uint64 deploymentId => Deployment) private _deployments;
    /// @dev keccak256(abi.encode(modelId, keccak256(environment))) => live deployment id.
    mapping(bytes32 liveKey => uint64 deploymentId) private _live;
    mapping(uint64 versionId => mapping(bytes32 root => DecisionBatch)) private _batches;

    constructor(IModelRegistry models) {
        MODELS = models;
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
        bytes32 environmentKey = _environmentKey(environment);
        bytes32 liveKey = _liveKey(version.modelId, environmentKey);
        uint64 previous = _live[liveKey];
        if (previous != 0 && _deployments[previous].versionId == versionId) revert AlreadyLive(versionId, environment);

        deploymentId = ++_lastDeploymentId;
        _deployments[deploymentId] =
            Deployment({modelId: version.modelId, versionId: versionId, previousDeploymentId: previous});
        _live[liveKey] = deploymentId;
        emit Deployed(
            deploymentId, version.modelId, versionId, environmentKey, environment, previous, regions, msg.sender
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
            toVersionId = _deployments[liveDeploymentId].versionId;
            _requireReleasable(toVersionId, true);
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
        if (root == bytes32(0)) revert ZeroRoot();
        if (count == 0) revert EmptyDecisionBatch();
        if (windowEnd < windowStart) revert InvalidWindow(windowStart, windowEnd);
        Regions.requireSet(regions);
        if (_batches[versionId][root].count != 0) revert BatchAlreadyAnchored(versionId, root);
        _batches[versionId][root] = DecisionBatch({
            count: count, windowStart: windowStart, windowEnd: windowEnd, anchoredAt: uint64(block.timestamp)
        });
        emit DecisionBatchAnchored(
            root, versionId, version.modelId, count, windowStart, windowEnd, regions, uri, msg.sender
        );
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

    function _requireReleasable(uint64 versionId, bool approved) private view {
        if (!approved) revert VersionNotApproved(versionId);
        if (!MODELS.isReleasable(versionId)) revert ApprovalNoLongerValid(versionId);
    }

    function _environmentKey(string calldata environment) private pure returns (bytes32) {
        if (bytes(environment).length == 0) revert EmptyEnvironment();
        return keccak256(bytes(environment));
    }

    function _liveKey(uint64 modelId, bytes32 environmentKey) private pure returns (bytes32) {
        return keccak256(abi.encode(modelId, environmentKey));
    }
}
