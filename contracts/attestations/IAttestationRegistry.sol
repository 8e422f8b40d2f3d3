// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {SubjectType} from "../common/Subjects.sol";

/// @title IAttestationRegistry
/// @notice Role-based attestations about datasets, licences, training runs, model versions, system versions,
/// deployments and agents.
/// Each attestation kind is bound to the role allowed to issue it. Attestations are issued directly, in batches or
/// by a relayed EIP-712 signature (EOA or EIP-1271 contract), and can be revoked by their attester or an admin.
interface IAttestationRegistry {
    /// @notice What an attester states, as submitted.
    struct AttestationRequest {
        SubjectType subjectType; // what kind of record the subject is
        uint64 subjectId; // the subject's id in its registry
        uint8 kind; // attestation kind, see {defineKind}
        uint64 expiresAt; // unix time after which it no longer counts; 0 = never
        uint64 refId; // an earlier attestation this one refers to (e.g. a re-evaluation); 0 = none
        bytes32 evidenceHash; // hash of the evidence document (report, consent record, ...)
        string evidenceURI; // where the evidence lives
    }

    /// @notice A stored attestation: what the chain needs to decide whether it still counts. Two slots:
    /// slot 0 = attester (160) + kind (8) + subjectType (8) + revoked (8) + expiresAt (64); slot 1 = subjectId (64).
    struct Attestation {
        address attester;
        uint8 kind;
        SubjectType subjectType;
        bool revoked;
        uint64 expiresAt;
        uint64 subjectId;
    }

    /// @notice Emitted when the admin defines attestation kind `kind`, issuable by holders of `role`.
    event KindDefined(uint8 indexed kind, bytes32 indexed role, string name);

    /// @notice Emitted once, when the admin wires the registries that own each subject type.
    event SubjectRegistriesSet(address datasets, address models, address releases, address systems, address agents);

    /// @notice Emitted for every attestation, with everything an auditor needs.
    event Attested(
        uint64 indexed id,
        address indexed attester,
        SubjectType indexed subjectType,
        uint64 subjectId,
        uint8 kind,
        uint64 expiresAt,
        uint64 refId,
        bytes32 evidenceHash,
        string evidenceURI,
        address submitter
    );

    /// @notice Emitted when attestation `id` is revoked by `revoker`.
    event AttestationRevoked(uint64 indexed id, address indexed revoker, string reason);

    /// @notice Emitted when `attester` cancels its unrelayed signatures made with `nonce`.
    event NonceCancelled(address indexed attester, uint256 nonce);

    /// @notice Thrown when kind 0 is defined or a kind is defined twice.
    error InvalidKind(uint8 kind);
    /// @notice Thrown when an attestation names a kind that was never defined.
    error UnknownKind(uint8 kind);
    /// @notice Thrown when `account` lacks `role`, which attestations of `kind` require.
    error MissingAttesterRole(address account, uint8 kind, bytes32 role);
    /// @notice Thrown when the subject registries are wired a second time.
    error RegistriesAlreadySet();
    /// @notice Thrown when a subject registry address is zero.
    error ZeroRegistry();
    /// @notice Thrown when the registry is deployed without an admin, or a role is granted to the zero address.
    error ZeroAdmin();
    /// @notice Thrown when the subject does not exist.
    error UnknownSubject(SubjectType subjectType, uint64 subjectId);
    /// @notice Thrown when `expiresAt` is not in the future.
    error ExpiryInPast(uint64 expiresAt);
    /// @notice Thrown when `refId` names no earlier attestation.
    error UnknownReference(uint64 refId);
    /// @notice Thrown when attestation `id` does not exist.
    error UnknownAttestation(uint64 id);
    /// @notice Thrown when attestation `id` is already revoked.
    error AlreadyRevoked(uint64 id);
    /// @notice Thrown when `account` is neither the attester of `id` nor an admin.
    error NotAttesterOrAdmin(uint64 id, address account);
    /// @notice Thrown when a signed request is submitted after its deadline.
    error SignatureExpired(uint256 deadline);
    /// @notice Thrown when a signed request's deadline lies beyond `latest` (now + {MAX_SIGNATURE_LIFETIME}).
    error DeadlineTooFar(uint256 deadline, uint256 latest);
    /// @notice Thrown when the signature is not `attester`'s (ECDSA with low s, or EIP-1271).
    error InvalidSignature(address attester);
    /// @notice Thrown when a batch is empty.
    error EmptyBatch();

    /// @notice Defines attestation kind `kind` (1-255), issuable by holders of `role`.
    /// @dev Requirements: caller has DEFAULT_ADMIN_ROLE; kind not yet defined. Emits {KindDefined}.
    function defineKind(uint8 kind, bytes32 role, string calldata name) external;

    /// @notice Wires, once, the registries that own the subjects of attestations.
    /// @dev Requirements: caller deployed the registry or has DEFAULT_ADMIN_ROLE; not yet wired; no zero address.
    /// Emits {SubjectRegistriesSet}.
    function setSubjectRegistries(address datasets, address models, address releases, address systems, address agents)
        external;

    /// @notice Issues an attestation as the caller.
    /// @dev Requirements: caller holds the kind's role; subject exists; expiry in the future or 0; reference exists.
    /// Emits {Attested}.
    function attest(AttestationRequest calldata request) external returns (uint64 id);

    /// @notice Issues several attestations as the caller, in order.
    /// @dev Requirements: as {attest} for each; non-empty. Emits one {Attested} each.
    function multiAttest(AttestationRequest[] calldata requests) external returns (uint64[] memory ids);

    /// @notice Issues an attestation signed off-chain by `attester` (EIP-712), relayed by anyone.
    /// @dev Requirements: as {attest} for `attester`; `nonce` is the attester's next nonce; not past `deadline`, and
    /// `deadline` at most {MAX_SIGNATURE_LIFETIME} ahead; a valid signature by `attester`. Emits {Attested} with
    /// `submitter` = the relayer.
    function attestBySig(
        AttestationRequest calldata request,
        address attester,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint64 id);

    /// @notice Cancels every unrelayed signature the caller made with its current nonce, by using the nonce up.
    /// @dev Emits {NonceCancelled}.
    function cancelNonce() external returns (uint256 cancelled);

    /// @notice Revokes attestation `id`.
    /// @dev Requirements: caller is its attester or has DEFAULT_ADMIN_ROLE; not yet revoked.
    /// Emits {AttestationRevoked}.
    function revoke(uint64 id, string calldata reason) external;

    /// @notice The stored attestation `id`; reverts if unknown.
    function getAttestation(uint64 id) external view returns (Attestation memory);

    /// @notice Whether attestation `id` exists, is unrevoked and unexpired. An attester losing its role does not
    /// change the answer (the attestation was made with the role); {attesterHoldsRole} tells whether it still holds it.
    function isValid(uint64 id) external view returns (bool);

    /// @notice Whether the attester of `id` still holds the role its kind requires; reverts if unknown.
    function attesterHoldsRole(uint64 id) external view returns (bool);

    /// @notice The role that may issue `kind` (zero for an undefined kind).
    function roleOfKind(uint8 kind) external view returns (bytes32);

    /// @notice The EIP-712 digest an attester signs for `request` with `nonce` and `deadline`.
    function attestationDigest(AttestationRequest calldata request, address attester, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32);
}
