// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IAttestationRegistry} from "./IAttestationRegistry.sol";
import {ISubjectRegistry, SubjectType} from "../common/Subjects.sol";

/// @title AttestationRegistry
/// @notice Role-based attestations. Roles are OpenZeppelin AccessControl roles granted by the admin; each attestation
/// kind is bound to one role. The registry stores what release gates must check (attester, kind, subject, expiry,
/// revocation); evidence hashes and URIs are in the {Attested} event.
contract AttestationRegistry is IAttestationRegistry, AccessControl, EIP712, Nonces {
    /// @notice Runs safety and bias evaluations.
    bytes32 public constant EVALUATOR_ROLE = keccak256("EVALUATOR_ROLE");
    /// @notice Audits training data, licences and red-team results.
    bytes32 public constant AUDITOR_ROLE = keccak256("AUDITOR_ROLE");
    /// @notice Signs off model releases.
    bytes32 public constant RELEASE_APPROVER_ROLE = keccak256("RELEASE_APPROVER_ROLE");
    /// @notice Attests consent and data governance.
    bytes32 public constant DATA_STEWARD_ROLE = keccak256("DATA_STEWARD_ROLE");

    /// @notice Built-in kinds; the admin may define more with {defineKind}.
    uint8 public constant SAFETY_EVALUATION = 1;
    uint8 public constant BIAS_CHECK = 2;
    uint8 public constant RED_TEAM_REPORT = 3;
    uint8 public constant CONSENT = 4;
    uint8 public constant LICENCE_COMPLIANCE = 5;
    uint8 public constant RELEASE_APPROVAL = 6;
    /// @notice An auditor's finding that a usage report understates (or misstates) the use it pays for.
    uint8 public constant USAGE_DISPUTE = 7;

    /// @notice How far ahead a signed attestation's deadline may lie, so that a stray signature cannot wait for years
    /// (e.g. for its signer to be granted a role) before it is relayed.
    uint256 public constant MAX_SIGNATURE_LIFETIME = 30 days;

    /// @notice EIP-712 type of a signed attestation. Strings are signed as their keccak256.
    bytes32 public constant ATTEST_TYPEHASH = keccak256(
        "Attest(address attester,uint8 subjectType,uint64 subjectId,uint8 kind,uint64 expiresAt,uint64 refId,"
        "bytes32 evidenceHash,string evidenceURI,uint256 nonce,uint256 deadline)"
    );

    /// @dev Registries that own each subject type; zero until {setSubjectRegistries}.
    ISubjectRegistry private _datasets;
    ISubjectRegistry private _models;
    ISubjectRegistry private _releases;
    ISubjectRegistry private _systems;
    ISubjectRegistry private _agents;

    uint64 private _lastId;
    mapping(uint8 kind => bytes32 role) private _kindRole;
    mapping(uint64 id => Attestation) private _attestations;

    /// @dev The account that deployed the registry; it may wire the subject registries once, as a deployment step.
    address private immutable _DEPLOYER;

    /// @param admin receives DEFAULT_ADMIN_ROLE and so grants and revokes every other role.
    /// @param evaluators, auditors, releaseApprovers, dataStewards receive their roles at deployment.
    constructor(
        address admin,
        address[] memory evaluators,
        address[] memory auditors,
        address[] memory releaseApprovers,
        address[] memory dataStewards
    ) EIP712("Pedigree Attestations", "1") {
        if (admin == address(0)) revert ZeroAdmin();
        _DEPLOYER = msg.sender;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantAll(EVALUATOR_ROLE, evaluators);
        _grantAll(AUDITOR_ROLE, auditors);
        _grantAll(RELEASE_APPROVER_ROLE, releaseApprovers);
        _grantAll(DATA_STEWARD_ROLE, dataStewards);
        _defineKind(SAFETY_EVALUATION, EVALUATOR_ROLE, "safety-evaluation");
        _defineKind(BIAS_CHECK, EVALUATOR_ROLE, "bias-check");
        _defineKind(RED_TEAM_REPORT, AUDITOR_ROLE, "red-team-report");
        _defineKind(CONSENT, DATA_STEWARD_ROLE, "consent");
        _defineKind(LICENCE_COMPLIANCE, AUDITOR_ROLE, "licence-compliance");
        _defineKind(RELEASE_APPROVAL, RELEASE_APPROVER_ROLE, "release-approval");
        _defineKind(USAGE_DISPUTE, AUDITOR_ROLE, "usage-dispute");
    }

    /// @inheritdoc IAttestationRegistry
    function defineKind(uint8 kind, bytes32 role, string calldata name) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _defineKind(kind, role, name);
    }

    /// @inheritdoc IAttestationRegistry
    function setSubjectRegistries(address datasets, address models, address releases, address systems, address agents)
        external
    {
        if (msg.sender != _DEPLOYER) _checkRole(DEFAULT_ADMIN_ROLE);
        if (address(_datasets) != address(0)) revert RegistriesAlreadySet();
        if (
            datasets == address(0) || models == address(0) || releases == address(0) || systems == address(0)
                || agents == address(0)
        ) revert ZeroRegistry();
        _datasets = ISubjectRegistry(datasets);
        _models = ISubjectRegistry(models);
        _releases = ISubjectRegistry(releases);
        _systems = ISubjectRegistry(systems);
        _agents = ISubjectRegistry(agents);
        emit SubjectRegistriesSet(datasets, models, releases, systems, agents);
    }

    /// @inheritdoc IAttestationRegistry
    function attest(AttestationRequest calldata request) external returns (uint64 id) {
        id = _attest(request, msg.sender);
    }

    /// @inheritdoc IAttestationRegistry
    function multiAttest(AttestationRequest[] calldata requests) external returns (uint64[] memory ids) {
        uint256 count = requests.length;
        if (count == 0) revert EmptyBatch();
        ids = new uint64[](count);
        for (uint256 i; i < count; ++i) {
            ids[i] = _attest(requests[i], msg.sender);
        }
    }

    /// @inheritdoc IAttestationRegistry
    function attestBySig(
        AttestationRequest calldata request,
        address attester,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint64 id) {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        uint256 latest = block.timestamp + MAX_SIGNATURE_LIFETIME;
        if (deadline > latest) revert DeadlineTooFar(deadline, latest);
        bytes32 digest = _digest(request, attester, nonce, deadline);
        if (!SignatureChecker.isValidSignatureNowCalldata(attester, digest, signature)) {
            revert InvalidSignature(attester);
        }
        _useCheckedNonce(attester, nonce);
        id = _attest(request, attester);
    }

    /// @inheritdoc IAttestationRegistry
    function cancelNonce() external returns (uint256 cancelled) {
        cancelled = _useNonce(msg.sender);
        emit NonceCancelled(msg.sender, cancelled);
    }

    /// @inheritdoc IAttestationRegistry
    function revoke(uint64 id, string calldata reason) external {
        Attestation storage attestation = _attestations[id];
        address attester = attestation.attester;
        if (attester == address(0)) revert UnknownAttestation(id);
        if (attestation.revoked) revert AlreadyRevoked(id);
        if (msg.sender != attester && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert NotAttesterOrAdmin(id, msg.sender);
        }
        attestation.revoked = true;
        emit AttestationRevoked(id, msg.sender, reason);
    }

    /// @inheritdoc IAttestationRegistry
    function getAttestation(uint64 id) external view returns (Attestation memory attestation) {
        attestation = _attestations[id];
        if (attestation.attester == address(0)) revert UnknownAttestation(id);
    }

    /// @inheritdoc IAttestationRegistry
    function isValid(uint64 id) external view returns (bool) {
        Attestation memory attestation = _attestations[id];
        return attestation.attester != address(0) && !attestation.revoked
            && (attestation.expiresAt == 0 || attestation.expiresAt > block.timestamp);
    }

    /// @inheritdoc IAttestationRegistry
    function attesterHoldsRole(uint64 id) external view returns (bool) {
        Attestation memory attestation = _attestations[id];
        if (attestation.attester == address(0)) revert UnknownAttestation(id);
        return hasRole(_kindRole[attestation.kind], attestation.attester);
    }

    /// @inheritdoc IAttestationRegistry
    function roleOfKind(uint8 kind) external view returns (bytes32) {
        return _kindRole[kind];
    }

    /// @inheritdoc IAttestationRegistry
    function attestationDigest(AttestationRequest calldata request, address attester, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        return _digest(request, attester, nonce, deadline);
    }

    /// @notice The EIP-712 domain separator of this registry.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function _grantAll(bytes32 role, address[] memory accounts) private {
        for (uint256 i; i < accounts.length; ++i) {
            if (accounts[i] == address(0)) revert ZeroAdmin();
            _grantRole(role, accounts[i]);
        }
    }

    function _defineKind(uint8 kind, bytes32 role, string memory name) private {
        if (kind == 0 || _kindRole[kind] != bytes32(0) || role == bytes32(0)) revert InvalidKind(kind);
        _kindRole[kind] = role;
        emit KindDefined(kind, role, name);
    }

    function _attest(AttestationRequest calldata request, address attester) private returns (uint64 id) {
        uint8 kind = request.kind;
        bytes32 role = _kindRole[kind];
        if (role == bytes32(0)) revert UnknownKind(kind);
        if (!hasRole(role, attester)) revert MissingAttesterRole(attester, kind, role);
        if (request.expiresAt != 0 && request.expiresAt <= block.timestamp) revert ExpiryInPast(request.expiresAt);
        uint64 lastId = _lastId;
        if (request.refId > lastId) revert UnknownReference(request.refId);
        _requireSubject(request.subjectType, request.subjectId);

        id = lastId + 1;
        _lastId = id;
        _attestations[id] = Attestation({
            attester: attester,
            kind: kind,
            subjectType: request.subjectType,
            revoked: false,
            expiresAt: request.expiresAt,
            subjectId: request.subjectId
        });
        emit Attested(
            id,
            attester,
            request.subjectType,
            request.subjectId,
            kind,
            request.expiresAt,
            request.refId,
            request.evidenceHash,
            request.evidenceURI,
            msg.sender
        );
    }

    function _requireSubject(SubjectType subjectType, uint64 subjectId) private view {
        ISubjectRegistry registry;
        if (
            subjectType == SubjectType.DatasetVersion || subjectType == SubjectType.Licence
                || subjectType == SubjectType.UsageReport
        ) registry = _datasets;
        else if (subjectType == SubjectType.ModelVersion || subjectType == SubjectType.TrainingRun) registry = _models;
        else if (subjectType == SubjectType.Deployment) registry = _releases;
        else if (subjectType == SubjectType.SystemVersion) registry = _systems;
        else if (subjectType == SubjectType.Agent) registry = _agents;
        if (address(registry) == address(0) || !registry.subjectExists(subjectType, subjectId)) {
            revert UnknownSubject(subjectType, subjectId);
        }
    }

    function _digest(AttestationRequest calldata request, address attester, uint256 nonce, uint256 deadline)
        private
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    ATTEST_TYPEHASH,
                    attester,
                    request.subjectType,
                    request.subjectId,
                    request.kind,
                    request.expiresAt,
                    request.refId,
                    request.evidenceHash,
                    keccak256(bytes(request.evidenceURI)),
                    nonce,
                    deadline
                )
            )
        );
    }
}
