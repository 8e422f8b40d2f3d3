// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IClaims
/// @notice Content claims keyed by claimant: a digest (dataset fingerprint, weights hash) is claimed per claimant, so
/// nobody can be locked out of their own record by someone who registered the same digest first. Lookups of every
/// claim of a digest, in order, are the subgraph's job; the chain answers "which version did this claimant register".
/// Optional commit–reveal gives a claim a priority time that a copied pending transaction cannot take: the claimant
/// commits `claimCommitment(claimant, digest, salt)` before publishing, then proves it.
interface IClaims {
    /// @notice Emitted when `committer` commits to a claim without revealing it.
    event ClaimCommitted(bytes32 indexed commitment, address indexed committer, uint64 committedAt);

    /// @notice Emitted when version `versionId`, claimed by `claimant` for `digest`, proves a commitment made at
    /// `committedAt`.
    event ClaimPriorityProven(
        uint64 indexed versionId, address indexed claimant, bytes32 indexed digest, uint64 committedAt
    );

    /// @notice Thrown when `claimant` already claimed `digest`, as version `versionId`.
    error AlreadyClaimed(address claimant, bytes32 digest, uint64 versionId);
    /// @notice Thrown when `claimant` never claimed `digest`.
    error UnknownClaim(address claimant, bytes32 digest);
    /// @notice Thrown when a commitment is zero.
    error ZeroCommitment();
    /// @notice Thrown when `commitment` was already committed (the first commitment time stands).
    error AlreadyCommitted(bytes32 commitment);
    /// @notice Thrown when no commitment matches the claimant, digest and salt.
    error UnknownCommitment(bytes32 commitment);

    /// @notice Commits to a future claim without revealing it; see {claimCommitment}.
    /// @dev Requirements: non-zero, new commitment. Emits {ClaimCommitted}.
    function commitClaim(bytes32 commitment) external;

    /// @notice Proves that `claimant`'s claim of `digest` was committed with `salt` before, at the commitment's time.
    /// Anyone may call it; the salt becomes public.
    /// @dev Requirements: `claimant` claimed `digest`; the commitment exists. Emits {ClaimPriorityProven}.
    function proveClaimPriority(address claimant, bytes32 digest, bytes32 salt) external returns (uint64 committedAt);

    /// @notice The commitment for a claim: keccak256(abi.encode(chainid, this registry, claimant, digest, salt)).
    function claimCommitment(address claimant, bytes32 digest, bytes32 salt) external view returns (bytes32);

    /// @notice When `commitment` was committed (0 = never).
    function commitmentTime(bytes32 commitment) external view returns (uint64);
}
