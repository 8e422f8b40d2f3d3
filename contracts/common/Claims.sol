// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IClaims} from "./IClaims.sol";

/// @title Claims
/// @notice Claims of content digests keyed by (claimant, digest), with commit–reveal priority. Shared by the dataset
/// registry (fingerprints) and the model registry (weights hashes).
abstract contract Claims is IClaims {
    mapping(address claimant => mapping(bytes32 digest => uint64 versionId)) private _claims;
    mapping(bytes32 commitment => uint64 committedAt) private _commitments;

    /// @inheritdoc IClaims
    function commitClaim(bytes32 commitment) external {
        if (commitment == bytes32(0)) revert ZeroCommitment();
        if (_commitments[commitment] != 0) revert AlreadyCommitted(commitment);
        uint64 committedAt = uint64(block.timestamp);
        _commitments[commitment] = committedAt;
        emit ClaimCommitted(commitment, msg.sender, committedAt);
    }

    /// @inheritdoc IClaims
    function proveClaimPriority(address claimant, bytes32 digest, bytes32 salt) external returns (uint64 committedAt) {
        uint64 versionId = _claims[claimant][digest];
        if (versionId == 0) revert UnknownClaim(claimant, digest);
        bytes32 commitment = claimCommitment(claimant, digest, salt);
        committedAt = _commitments[commitment];
        if (committedAt == 0) revert UnknownCommitment(commitment);
        emit ClaimPriorityProven(versionId, claimant, digest, committedAt);
    }

    /// @inheritdoc IClaims
    function claimCommitment(address claimant, bytes32 digest, bytes32 salt) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), claimant, digest, salt));
    }

    /// @inheritdoc IClaims
    function commitmentTime(bytes32 commitment) external view returns (uint64) {
        return _commitments[commitment];
    }

    /// @dev Records `claimant`'s claim of `digest` as `versionId`; reverts if the claimant claimed it before.
    function _claim(address claimant, bytes32 digest, uint64 versionId) internal {
        uint64 existing = _claims[claimant][digest];
        if (existing != 0) revert AlreadyClaimed(claimant, digest, existing);
        _claims[claimant][digest] = versionId;
    }

    /// @dev The version `claimant` registered for `digest`, or 0.
    function _claimOf(address claimant, bytes32 digest) internal view returns (uint64) {
        return _claims[claimant][digest];
    }
}
