// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ISubjectRegistry} from "../common/Subjects.sol";

/// @title IReleaseRegistry
/// @notice Deployments of approved model versions — bare, or as approved system versions (a model version plus its
/// configuration, see ISystemRegistry) — to named environments, rollbacks, and anchored batches of decision records
/// that prove which version produced a decision.
interface IReleaseRegistry is ISubjectRegistry {
    /// @notice A deployment. One slot: four 64-bit ids.
    struct Deployment {
        uint64 modelId;
        uint64 versionId; // the model version it runs
        uint64 previousDeploymentId; // what was live in the environment before; 0 = nothing
        uint64 systemId; // the system version it runs the model version as; 0 = the bare model version
    }

    /// @notice A batch of decision records anchored for one model version (a system version's batches are anchored
    /// for its model version; their event names the system). One slot per (version, Merkle root); the same root
    /// anchored for another version is another batch, so no one can capture a root.
    struct DecisionBatch {
        uint64 count; // records in the batch; 0 = not anchored
        uint64 windowStart; // unix time of the first decision
        uint64 windowEnd; // unix time of the last decision
        uint64 anchoredAt; // unix time of anchoring
    }

    /// @notice Compact status of a model version, for agents and dApps deciding whether to trust it.
    struct VersionStatus {
        bool exists;
        uint64 modelId;
        bool approved; // passed its release gate
        bool releasable; // approved and every approving attestation still valid
        bool live; // the live version of its model in the asked environment
        uint64 deploymentId; // the live deployment in that environment (0 = none)
        bool liveButNotReleasable; // live although an approving attestation was revoked or expired: act on it
    }

    /// @notice Compact status of a system version, for agents deciding whether to trust it.
    struct SystemStatus {
        bool exists;
        uint64 modelId;
        uint64 modelVersionId; // the weights it runs
        bool approved; // passed its own release gate
        bool releasable; // approved, every approving attestation still valid, and its model version releasable
        bool live; // the live deployment of its model in the asked environment runs this system version
        uint64 deploymentId; // the live deployment in that environment (0 = none)
        bool liveButNotReleasable; // live although it is no longer releasable: act on it
    }

    /// @notice Emitted when `versionId` goes live in `environment` — as system version `systemId`, or bare when 0 —,
    /// serving `regions` (a region set, see {Regions}), replacing `previousDeploymentId`.
    event Deployed(
        uint64 indexed deploymentId,
        uint64 indexed modelId,
        uint64 indexed versionId,
        uint64 systemId,
        bytes32 environmentKey,
        string environment,
        uint64 previousDeploymentId,
        uint256 regions,
        address deployer
    );

    /// @notice Emitted when `environment` is rolled back from `fromDeploymentId` to `toDeploymentId`
    /// (0 = nothing live).
    event RolledBack(
        uint64 indexed modelId,
        bytes32 indexed environmentKey,
        uint64 indexed fromDeploymentId,
        uint64 toDeploymentId,
        uint64 fromVersionId,
        uint64 toVersionId,
        string environment,
        string reason,
        address by
    );

    /// @notice Emitted when an operator anchors `count` decision records of `versionId` made in
    /// [windowStart, windowEnd], in `regions` (a region set, see {Regions}), by system version `systemId` under the
    /// governance policy `policyHash` (its policy digest; both 0 for decisions of the bare model version).
    event DecisionBatchAnchored(
        bytes32 indexed root,
        uint64 indexed versionId,
        uint64 indexed modelId,
        uint64 systemId,
        bytes32 policyHash,
        uint64 count,
        uint64 windowStart,
        uint64 windowEnd,
        uint256 regions,
        string uri,
        address operator
    );

    /// @notice Thrown when `account` is neither the owner of `modelId` nor approved for it.
    error NotModelOperator(uint64 modelId, address account);
    /// @notice Thrown when `versionId` has not passed its release gate.
    error VersionNotApproved(uint64 versionId);
    /// @notice Thrown when an attestation that approved `versionId` has since been revoked or has expired.
    error ApprovalNoLongerValid(uint64 versionId);
    /// @notice Thrown when the environment name is empty.
    error EmptyEnvironment();
    /// @notice Thrown when `versionId`, as system version `systemId` (0 = bare), is already live in `environment`.
    error AlreadyLive(uint64 versionId, uint64 systemId, string environment);
    /// @notice Thrown when nothing is live in `environment` for `modelId`.
    error NothingLive(uint64 modelId, string environment);
    /// @notice Thrown when the Merkle root is zero.
    error ZeroRoot();
    /// @notice Thrown when `root` is already anchored for `versionId`.
    error BatchAlreadyAnchored(uint64 versionId, bytes32 root);
    /// @notice Thrown when a batch has no records.
    error EmptyDecisionBatch();
    /// @notice Thrown when the batch window ends before it starts.
    error InvalidWindow(uint64 windowStart, uint64 windowEnd);
    /// @notice Thrown when `root` names no batch anchored for `versionId`.
    error UnknownBatch(uint64 versionId, bytes32 root);
    /// @notice Thrown when a deployment would serve `regions` outside the deployment territory `allowed` of licence
    /// `licenceId`, used by the version's training run or by an ancestor's.
    error DeploymentOutsideTerritory(uint64 licenceId, uint256 regions, uint256 allowed);
    /// @notice Thrown when system version `systemId` has not passed its release gate.
    error SystemNotApproved(uint64 systemId);
    /// @notice Thrown when an attestation that approved system version `systemId` has since been revoked or expired.
    error SystemApprovalNoLongerValid(uint64 systemId);

    /// @notice Makes `versionId` the live version of its model in `environment`, serving `regions`.
    /// @dev Requirements: caller owns or is approved for the model; the version is approved and its approving
    /// attestations are still valid; `regions` is a non-empty set of known regions ({Regions.requireSet}:
    /// `EmptyRegionSet`, `UnknownRegions`) inside the deployment territory of every licence in the version's lineage
    /// ({DeploymentOutsideTerritory} names the first that leaves one out); it is not already live there.
    /// Emits {Deployed}.
    function deploy(uint64 versionId, string calldata environment, uint256 regions)
        external
        returns (uint64 deploymentId);

    /// @notice Makes system version `systemId` — its model version run with its configuration — live in
    /// `environment`, serving `regions`.
    /// @dev Requirements: caller owns or is approved for the model; the model version is approved and still
    /// releasable ({VersionNotApproved}, {ApprovalNoLongerValid}); so is the system version ({SystemNotApproved},
    /// {SystemApprovalNoLongerValid}); `regions` is a non-empty set of known regions inside the deployment territory
    /// of every licence in the model version's lineage and of every licence of the system's retrieval data
    /// ({DeploymentOutsideTerritory} names the first that leaves one out); it is not already live there.
    /// Emits {Deployed}.
    function deploySystem(uint64 systemId, string calldata environment, uint256 regions)
        external
        returns (uint64 deploymentId);

    /// @notice Rolls `environment` of `modelId` back to what was live before the current deployment.
    /// @dev Requirements: caller owns or is approved for the model; something is live; the version — or system
    /// version — rolled back to, if any, is still releasable. Emits {RolledBack}.
    function rollback(uint64 modelId, string calldata environment, string calldata reason)
        external
        returns (uint64 liveDeploymentId);

    /// @notice Takes whatever is live in `environment` of `modelId` down, leaving nothing live there, e.g. when neither
    /// the current nor the previous version may run any longer.
    /// @dev Requirements: caller owns or is approved for the model; something is live. Emits {RolledBack} with
    /// `toDeploymentId` 0.
    function takeDown(uint64 modelId, string calldata environment, string calldata reason) external;

    /// @notice Anchors the Merkle root of `count` decision records produced by `versionId` in `regions`.
    /// @dev Leaves are OpenZeppelin StandardMerkleTree leaves of one bytes32 record hash:
    /// keccak256(bytes.concat(keccak256(abi.encode(recordHash)))). Requirements: caller owns the version's model or
    /// operates all its owner's tokens; the version passed its release gate; non-zero root not yet anchored for this
    /// version; count > 0; windowStart <= windowEnd; `regions` a non-empty set of known regions
    /// ({Regions.requireSet}). The regions are recorded, not checked against the version's deployment territory: a
    /// batch is evidence of what happened, and evidence is never refused. Emits {DecisionBatchAnchored}.
    function anchorDecisions(
        uint64 versionId,
        bytes32 root,
        uint64 count,
        uint64 windowStart,
        uint64 windowEnd,
        uint256 regions,
        string calldata uri
    ) external;

    /// @notice Anchors the Merkle root of `count` decision records produced by system version `systemId` in
    /// `regions`, for its model version, with its policy digest in the event.
    /// @dev As {anchorDecisions}, with the system version's own release gate passed ({SystemNotApproved}) instead of
    /// the model version's: the batch is then verified against its model version ({verifyDecision}).
    /// Emits {DecisionBatchAnchored}.
    function anchorSystemDecisions(
        uint64 systemId,
        bytes32 root,
        uint64 count,
        uint64 windowStart,
        uint64 windowEnd,
        uint256 regions,
        string calldata uri
    ) external;

    /// @notice Whether `recordHash` is in the batch `versionId` anchored as `root`.
    /// @dev Reverts with {UnknownBatch} when `versionId` never anchored `root`.
    function verifyDecision(uint64 versionId, bytes32 root, bytes32 recordHash, bytes32[] calldata proof)
        external
        view
        returns (bool included);

    /// @notice The batch `versionId` anchored as `root` (count 0 if none).
    function getDecisionBatch(uint64 versionId, bytes32 root) external view returns (DecisionBatch memory);

    /// @notice The version live for `modelId` in `environment` now (0 = none).
    function liveVersion(uint64 modelId, string calldata environment) external view returns (uint64 versionId);

    /// @notice A deployment record (modelId 0 if unknown).
    function getDeployment(uint64 deploymentId) external view returns (Deployment memory);

    /// @notice Everything an agent checks before trusting `versionId` in `environment`, in one call.
    function versionStatus(uint64 versionId, string calldata environment) external view returns (VersionStatus memory);

    /// @notice Everything an agent checks before trusting system version `systemId` in `environment`, in one call.
    function systemStatus(uint64 systemId, string calldata environment) external view returns (SystemStatus memory);
}
