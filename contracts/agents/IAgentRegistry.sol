// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ISubjectRegistry} from "../common/Subjects.sol";

/// @title IAgentRegistry
/// @notice Agents: an on-chain identity (an ERC-721 token, shaped like the identity registry of ERC-8004 "Trustless
/// Agents": agent id, agent card URI, owner) bound to the system version it runs and the policy it acts under, with
/// the operator wallets that act for it. Every binding is kept (history, never overwritten); an agent's operator
/// wallets anchor Merkle roots over its action records, and each batch remembers the binding in force when it was
/// anchored, so that a record proves which system version, model version and policy it was produced under.
/// Managing an agent takes its owner or an operator for all the owner's tokens (ERC-721 `setApprovalForAll`).
interface IAgentRegistry is ISubjectRegistry {
    /// @notice One binding of an agent. Two slots: 4 × 64 bits, then the policy.
    struct Binding {
        uint64 agentId;
        uint64 systemId; // the system version the agent runs
        uint64 modelVersionId; // the weights that system version runs
        uint64 previousBindingId; // the binding it replaced; 0 = the agent's first
        bytes32 policyHash; // the policy the agent acts under (the system version's own when bound with 0)
    }

    /// @notice An anchored batch of action records. One slot: 4 × 64 bits.
    struct ActionBatch {
        uint64 bindingId; // the binding in force when the batch was anchored
        uint64 count; // records in the batch; 0 = not anchored
        uint64 windowStart; // unix time of the first action
        uint64 windowEnd; // unix time of the last action
    }

    /// @notice A batch of action records, as an operator wallet signs it for a relayer (see {anchorActionsBySig}).
    struct ActionBatchRequest {
        uint64 agentId;
        uint64 count;
        uint64 windowStart;
        uint64 windowEnd;
        bytes32 root; // Merkle root over the records (OpenZeppelin StandardMerkleTree leaves of `bytes32 recordHash`)
        string uri; // where the records live
    }

    /// @notice Everything an agent, or whoever deals with one, checks in one call (see {agentStatus}).
    struct AgentStatus {
        bool exists;
        address owner;
        uint64 bindingId; // the binding in force (0 = never bound)
        uint64 systemId;
        uint64 modelId;
        uint64 modelVersionId;
        bytes32 policyHash;
        bool systemApproved; // the bound system version passed its release gate
        bool releasable; // ... and its approvals, and its model version's, still hold
        bool live; // the live deployment of its model in the asked environment runs the bound system version
        uint64 deploymentId; // the live deployment in that environment (0 = none)
        bool liveButNotReleasable; // live although no longer releasable: act on it
    }

    /// @notice Emitted when agent `agentId` is registered to `owner` with its agent card at `agentURI`.
    event AgentRegistered(uint64 indexed agentId, address indexed owner, string agentURI);
    /// @notice Emitted when the agent card of `agentId` moves to `agentURI`.
    event AgentURIUpdated(uint64 indexed agentId, string agentURI, address by);
    /// @notice Emitted when `wallet` starts (`allowed`) or stops acting for `agentId`.
    event OperatorWalletSet(uint64 indexed agentId, address indexed wallet, bool allowed, address by);
    /// @notice Emitted when the agent changes hands: the previous owner's operator wallets no longer act for it.
    event OperatorWalletsCleared(uint64 indexed agentId, address indexed previousOwner, address indexed newOwner);
    /// @notice Emitted for every binding: `agentId` runs system version `systemId` (model version `modelVersionId`)
    /// under `policyHash` from now on.
    event AgentBound(
        uint64 indexed agentId,
        uint64 indexed bindingId,
        uint64 indexed systemId,
        uint64 modelVersionId,
        bytes32 policyHash,
        address by
    );
    /// @notice Emitted for every anchored batch of action records, with the binding in force.
    event ActionsAnchored(
        uint64 indexed agentId,
        bytes32 indexed root,
        uint64 indexed bindingId,
        uint64 count,
        uint64 windowStart,
        uint64 windowEnd,
        string uri,
        address signer,
        address submitter
    );
    /// @notice Emitted when `signer` cancels its unrelayed signatures made with `nonce`.
    event NonceCancelled(address indexed signer, uint256 nonce);

    /// @notice Thrown when `agentId` is not a registered agent.
    error UnknownAgent(uint64 agentId);
    /// @notice Thrown when `account` is neither the owner of `agentId` nor an operator for all the owner's tokens.
    error NotAgentManager(uint64 agentId, address account);
    /// @notice Thrown when an operator wallet would be the zero address.
    error ZeroWallet();
    /// @notice Thrown when system version `systemId` is not releasable (not approved, an approval revoked or
    /// expired, or its model version not releasable): an agent binds only to a version cleared for release.
    error SystemNotReleasable(uint64 systemId);
    /// @notice Thrown when a binding would repeat the one in force, `bindingId`.
    error AlreadyBound(uint64 agentId, uint64 bindingId);
    /// @notice Thrown when `bindingId` is not a binding.
    error UnknownBinding(uint64 bindingId);
    /// @notice Thrown when `account` is not an operator wallet of `agentId`.
    error NotOperatorWallet(uint64 agentId, address account);
    /// @notice Thrown when actions are anchored for an agent that was never bound to a system version.
    error AgentNotBound(uint64 agentId);
    /// @notice Thrown when a batch has a zero root or no records.
    error EmptyActionBatch();
    /// @notice Thrown when the batch window ends before it starts.
    error InvalidWindow(uint64 windowStart, uint64 windowEnd);
    /// @notice Thrown when `root` is already anchored for `agentId`.
    error ActionBatchAlreadyAnchored(uint64 agentId, bytes32 root);
    /// @notice Thrown when `root` names no batch anchored for `agentId`.
    error UnknownActionBatch(uint64 agentId, bytes32 root);
    /// @notice Thrown when a signed batch is submitted after its deadline. (The errors whose selectors other registries
    /// use too — this one, DeadlineTooFar, InvalidWindow — keep their argument names there; the others have names of
    /// their own, so that one selector always decodes to one meaning.)
    error SignatureExpired(uint256 deadline);
    /// @notice Thrown when a signed batch's deadline lies beyond `latest` (now + {MAX_SIGNATURE_LIFETIME}).
    error DeadlineTooFar(uint256 deadline, uint256 latest);
    /// @notice Thrown when the signature is not `signer`'s (ECDSA with low s, or EIP-1271).
    error SignatureNotBySigner(address signer);

    /// @notice Registers an agent owned by the caller, its agent card (ERC-8004 registration file) at `agentURI`
    /// (may be empty and set later). Emits {AgentRegistered} and ERC-721 {Transfer}.
    function register(string calldata agentURI) external returns (uint64 agentId);

    /// @notice Moves the agent card of `agentId` to `agentURI`.
    /// @dev Requirements: caller manages the agent. Emits {AgentURIUpdated} and ERC-4906 {MetadataUpdate}.
    function setAgentURI(uint64 agentId, string calldata agentURI) external;

    /// @notice Lets `wallet` act (anchor and sign batches) for `agentId`, or stops it. A transfer of the agent ends
    /// every wallet the previous owner set.
    /// @dev Requirements: caller manages the agent; wallet not zero. Emits {OperatorWalletSet}.
    function setOperatorWallet(uint64 agentId, address wallet, bool allowed) external;

    /// @notice Binds `agentId` to system version `systemId` under `policyHash` (0 = the system version's own
    /// policy), keeping every earlier binding.
    /// @dev Requirements: caller manages the agent; the system version exists (SystemRegistry's
    /// `UnknownSystemVersion`) and is releasable; not the binding in force again. Emits {AgentBound}.
    function bind(uint64 agentId, uint64 systemId, bytes32 policyHash) external returns (uint64 bindingId);

    /// @notice Anchors the Merkle root of a batch of `agentId`'s action records, sent by one of its operator wallets.
    /// The batch records the binding in force; what the system version became since does not change it.
    /// @dev Requirements: caller is an operator wallet of the agent; the agent is bound; root and count non-zero;
    /// window ordered; root not yet anchored for the agent. Emits {ActionsAnchored}.
    function anchorActions(
        uint64 agentId,
        bytes32 root,
        uint64 count,
        uint64 windowStart,
        uint64 windowEnd,
        string calldata uri
    ) external;

    /// @notice Anchors a batch signed off-chain (EIP-712) by `signer`, an operator wallet of the agent, relayed by
    /// anyone.
    /// @dev Requirements: as {anchorActions} for `signer`; `nonce` is the signer's next nonce; not past `deadline`,
    /// and `deadline` at most {MAX_SIGNATURE_LIFETIME} ahead; a valid signature by `signer` (EOA or EIP-1271).
    /// Emits {ActionsAnchored} with `submitter` = the relayer.
    function anchorActionsBySig(
        ActionBatchRequest calldata request,
        address signer,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Cancels every unrelayed signature the caller made with its current nonce, by using the nonce up.
    /// @dev Emits {NonceCancelled}.
    function cancelNonce() external returns (uint256 cancelled);

    /// @notice Whether the record `recordHash` is in the batch `root` anchored for `agentId`, and the system version,
    /// model version and policy in force when the batch was anchored. Reverts for an unknown batch.
    function verifyAction(uint64 agentId, bytes32 root, bytes32 recordHash, bytes32[] calldata proof)
        external
        view
        returns (bool included, uint64 systemId, uint64 modelVersionId, bytes32 policyHash);

    /// @notice The batch `root` anchored for `agentId` (count 0 if none).
    function actionBatch(uint64 agentId, bytes32 root) external view returns (ActionBatch memory);

    /// @notice The binding in force for `agentId` (all zero if never bound); reverts for an unknown agent.
    function currentBinding(uint64 agentId) external view returns (uint64 bindingId, Binding memory binding);

    /// @notice Binding `bindingId`; reverts for an unknown one. Follow `previousBindingId` for the history.
    function binding(uint64 bindingId) external view returns (Binding memory);

    /// @notice Whether `wallet` acts for `agentId` now.
    function isOperatorWallet(uint64 agentId, address wallet) external view returns (bool);

    /// @notice Everything to check about `agentId` in one call: owner, the binding in force, whether its system
    /// version is approved, releasable and live in `environment`. All false/zero for an unknown agent.
    function agentStatus(uint64 agentId, string calldata environment) external view returns (AgentStatus memory);

    /// @notice The EIP-712 digest `signer` signs for `request` with `nonce` and `deadline`.
    function actionBatchDigest(ActionBatchRequest calldata request, address signer, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32);
}
