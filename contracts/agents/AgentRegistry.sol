// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC721URIStorage} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721URIStorage.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IAgentRegistry} from "./IAgentRegistry.sol";
import {ISystemRegistry} from "../systems/ISystemRegistry.sol";
import {IReleaseRegistry} from "../releases/IReleaseRegistry.sol";
import {ISubjectRegistry, SubjectType} from "../common/Subjects.sol";

/// @title AgentRegistry
/// @notice Registry of agents (ERC-721 identities with an agent card), the system versions and policies they are bound
/// to, and the Merkle roots of their actions. See {IAgentRegistry}.
contract AgentRegistry is IAgentRegistry, ERC721URIStorage, EIP712, Nonces {
    /// @notice How far ahead a signed batch's deadline may lie, so that a stray signature cannot wait for long.
    uint256 public constant MAX_SIGNATURE_LIFETIME = 30 days;

    /// @notice EIP-712 type of a signed batch. Strings are signed as their keccak256.
    bytes32 public constant ANCHOR_ACTIONS_TYPEHASH = keccak256(
        "AnchorActions(uint64 agentId,uint64 count,uint64 windowStart,uint64 windowEnd,bytes32 root,string uri,"
        "address signer,uint256 nonce,uint256 deadline)"
    );

    ISystemRegistry public immutable SYSTEMS;
    IReleaseRegistry public immutable RELEASES;

    uint64 private _lastAgentId;
    uint64 private _lastBindingId;
    mapping(uint64 agentId => uint64 bindingId) private _currentBinding;
    mapping(uint64 bindingId => Binding) private _bindings;
    mapping(uint64 agentId => mapping(bytes32 root => ActionBatch)) private _batches;
    /// @dev Bumped on every transfer: wallets are kept per ownership, so a new owner starts with none.
    mapping(uint64 agentId => uint256 ownership) private _ownership;
    mapping(uint64 agentId => mapping(uint256 ownership => mapping(address wallet => bool))) private _wallets;

    constructor(ISystemRegistry systems, IReleaseRegistry releases)
        ERC721("Pedigree Agents", "AGENT")
        EIP712("Pedigree Agents", "1")
    {
        SYSTEMS = systems;
        RELEASES = releases;
    }

    /// @inheritdoc IAgentRegistry
    function register(string calldata agentURI) external returns (uint64 agentId) {
        agentId = ++_lastAgentId;
        _mint(msg.sender, agentId);
        if (bytes(agentURI).length != 0) _setTokenURI(agentId, agentURI);
        emit AgentRegistered(agentId, msg.sender, agentURI);
    }

    /// @inheritdoc IAgentRegistry
    function setAgentURI(uint64 agentId, string calldata agentURI) external {
        _requireManager(agentId);
        _setTokenURI(agentId, agentURI);
        emit AgentURIUpdated(agentId, agentURI, msg.sender);
    }

    /// @inheritdoc IAgentRegistry
    function setOperatorWallet(uint64 agentId, address wallet, bool allowed) external {
        _requireManager(agentId);
        if (wallet == address(0)) revert ZeroWallet();
        _wallets[agentId][_ownership[agentId]][wallet] = allowed;
        emit OperatorWalletSet(agentId, wallet, allowed, msg.sender);
    }

    /// @inheritdoc IAgentRegistry
    function bind(uint64 agentId, uint64 systemId, bytes32 policyHash) external returns (uint64 bindingId) {
        _requireManager(agentId);
        (ISystemRegistry.SystemVersion memory system, ISystemRegistry.SystemConfig memory config) =
            SYSTEMS.getSystemVersion(systemId);
        if (!SYSTEMS.isReleasable(systemId)) revert SystemNotReleasable(systemId);
        if (policyHash == bytes32(0)) policyHash = config.policyHash;
        uint64 previousId = _currentBinding[agentId];
        Binding storage previous = _bindings[previousId];
        if (previousId != 0 && previous.systemId == systemId && previous.policyHash == policyHash) {
            revert AlreadyBound(agentId, previousId);
        }

        bindingId = ++_lastBindingId;
        _bindings[bindingId] = Binding({
            agentId: agentId,
            systemId: systemId,
            modelVersionId: system.modelVersionId,
            previousBindingId: previousId,
            policyHash: policyHash
        });
        _currentBinding[agentId] = bindingId;
        emit AgentBound(agentId, bindingId, systemId, system.modelVersionId, policyHash, msg.sender);
    }

    /// @inheritdoc IAgentRegistry
    function anchorActions(
        uint64 agentId,
        bytes32 root,
        uint64 count,
        uint64 windowStart,
        uint64 windowEnd,
        string calldata uri
    ) external {
        ActionBatch memory batch = _checkBatch(agentId, root, count, windowStart, windowEnd, msg.sender);
        _batches[agentId][root] = batch;
        emit ActionsAnchored(
            agentId, root, batch.bindingId, count, windowStart, windowEnd, uri, msg.sender, msg.sender
        );
    }

    /// @inheritdoc IAgentRegistry
    function anchorActionsBySig(
        ActionBatchRequest calldata request,
        address signer,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        uint256 latest = block.timestamp + MAX_SIGNATURE_LIFETIME;
        if (deadline > latest) revert DeadlineTooFar(deadline, latest);
        if (!SignatureChecker.isValidSignatureNowCalldata(signer, _digest(request, signer, nonce, deadline), signature))
        {
            revert SignatureNotBySigner(signer);
        }
        _useCheckedNonce(signer, nonce);
        uint64 agentId = request.agentId;
        ActionBatch memory batch =
            _checkBatch(agentId, request.root, request.count, request.windowStart, request.windowEnd, signer);
        _batches[agentId][request.root] = batch;
        emit ActionsAnchored(
            agentId,
            request.root,
            batch.bindingId,
            request.count,
            request.windowStart,
            request.windowEnd,
            request.uri,
            signer,
            msg.sender
        );
    }

    /// @inheritdoc IAgentRegistry
    function cancelNonce() external returns (uint256 cancelled) {
        cancelled = _useNonce(msg.sender);
        emit NonceCancelled(msg.sender, cancelled);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IAgentRegistry
    function verifyAction(uint64 agentId, bytes32 root, bytes32 recordHash, bytes32[] calldata proof)
        external
        view
        returns (bool included, uint64 systemId, uint64 modelVersionId, bytes32 policyHash)
    {
        ActionBatch storage batch = _batches[agentId][root];
        if (batch.count == 0) revert UnknownActionBatch(agentId, root);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(recordHash))));
        included = MerkleProof.verifyCalldata(proof, root, leaf);
        Binding storage inForce = _bindings[batch.bindingId];
        return (included, inForce.systemId, inForce.modelVersionId, inForce.policyHash);
    }

    /// @inheritdoc IAgentRegistry
    function actionBatch(uint64 agentId, bytes32 root) external view returns (ActionBatch memory) {
        return _batches[agentId][root];
    }

    /// @inheritdoc IAgentRegistry
    function currentBinding(uint64 agentId) external view returns (uint64 bindingId, Binding memory inForce) {
        if (_ownerOf(agentId) == address(0)) revert UnknownAgent(agentId);
        bindingId = _currentBinding[agentId];
        inForce = _bindings[bindingId];
    }

    /// @inheritdoc IAgentRegistry
    function binding(uint64 bindingId) external view returns (Binding memory stored) {
        stored = _bindings[bindingId];
        if (stored.agentId == 0) revert UnknownBinding(bindingId);
    }

    /// @inheritdoc IAgentRegistry
    function isOperatorWallet(uint64 agentId, address wallet) public view returns (bool) {
        return _wallets[agentId][_ownership[agentId]][wallet];
    }

    /// @inheritdoc IAgentRegistry
    function agentStatus(uint64 agentId, string calldata environment)
        external
        view
        returns (AgentStatus memory status)
    {
        address owner = _ownerOf(agentId);
        if (owner == address(0)) return status;
        status.exists = true;
        status.owner = owner;
        uint64 bindingId = _currentBinding[agentId];
        if (bindingId == 0) return status;
        Binding storage inForce = _bindings[bindingId];
        status.bindingId = bindingId;
        status.systemId = inForce.systemId;
        status.policyHash = inForce.policyHash;
        IReleaseRegistry.SystemStatus memory system = RELEASES.systemStatus(inForce.systemId, environment);
        status.modelId = system.modelId;
        status.modelVersionId = system.modelVersionId;
        status.systemApproved = system.approved;
        status.releasable = system.releasable;
        status.live = system.live;
        status.deploymentId = system.deploymentId;
        status.liveButNotReleasable = system.liveButNotReleasable;
    }

    /// @inheritdoc IAgentRegistry
    function actionBatchDigest(ActionBatchRequest calldata request, address signer, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        return _digest(request, signer, nonce, deadline);
    }

    /// @notice The EIP-712 domain separator of this registry.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc ISubjectRegistry
    function subjectExists(SubjectType subjectType, uint64 subjectId) external view returns (bool) {
        return subjectType == SubjectType.Agent && _ownerOf(subjectId) != address(0);
    }

    // ------------------------------------------------------------------ internals

    /// @dev Reverts unless `wallet` acts for the bound agent `agentId` and batch `root` is new and well formed;
    /// returns the batch to store, under the binding in force.
    function _checkBatch(
        uint64 agentId,
        bytes32 root,
        uint64 count,
        uint64 windowStart,
        uint64 windowEnd,
        address wallet
    ) private view returns (ActionBatch memory) {
        if (!isOperatorWallet(agentId, wallet)) revert NotOperatorWallet(agentId, wallet);
        uint64 bindingId = _currentBinding[agentId];
        if (bindingId == 0) revert AgentNotBound(agentId);
        if (root == bytes32(0) || count == 0) revert EmptyActionBatch();
        if (windowEnd < windowStart) revert InvalidWindow(windowStart, windowEnd);
        if (_batches[agentId][root].count != 0) revert ActionBatchAlreadyAnchored(agentId, root);
        return ActionBatch({bindingId: bindingId, count: count, windowStart: windowStart, windowEnd: windowEnd});
    }

    /// @dev Ends the previous owner's operator wallets when the agent changes hands (not at mint).
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != address(0) && from != to) {
            uint64 agentId = uint64(tokenId);
            ++_ownership[agentId];
            emit OperatorWalletsCleared(agentId, from, to);
        }
    }

    /// @dev Reverts with {UnknownAgent} or {NotAgentManager} unless the caller owns `agentId` or operates all its
    /// owner's tokens.
    function _requireManager(uint64 agentId) private view {
        address owner = _ownerOf(agentId);
        if (owner == address(0)) revert UnknownAgent(agentId);
        if (msg.sender != owner && !isApprovedForAll(owner, msg.sender)) revert NotAgentManager(agentId, msg.sender);
    }

    function _digest(ActionBatchRequest calldata request, address signer, uint256 nonce, uint256 deadline)
        private
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    ANCHOR_ACTIONS_TYPEHASH,
                    request.agentId,
                    request.count,
                    request.windowStart,
                    request.windowEnd,
                    request.root,
                    keccak256(bytes(request.uri)),
                    signer,
                    nonce,
                    deadline
                )
            )
        );
    }
}
