// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IRoyaltyRegistry} from "../licensing/IRoyaltyRegistry.sol";

/// @notice A royalty recipient that tries to re-enter the treasury while receiving ETH, and records the revert data
/// that refused it.
contract ReentrantRecipient {
    IRoyaltyRegistry public immutable REGISTRY;
    uint256 public reentryAttempts;
    bool public reentrySucceeded;
    bytes public reentryError;

    constructor(IRoyaltyRegistry registry) {
        REGISTRY = registry;
    }

    function withdraw() external {
        REGISTRY.withdrawRoyalties(address(0), address(this));
    }

    receive() external payable {
        ++reentryAttempts;
        try REGISTRY.withdrawRoyalties(address(0), address(this)) {
            reentrySucceeded = true;
        } catch (bytes memory reason) {
            reentryError = reason;
        }
    }
}

/// @notice A recipient that refuses ETH.
contract RejectingRecipient {
    function withdraw(IRoyaltyRegistry registry, address to) external {
        registry.withdrawRoyalties(address(0), to);
    }

    error NoEtherAccepted();

    receive() external payable {
        revert NoEtherAccepted();
    }
}

/// @notice A smart-contract wallet (EIP-1271) that accepts signatures of its owner key.
contract TestWallet is IERC1271 {
    address public immutable OWNER;

    error NotOwner(address caller);

    constructor(address owner) {
        OWNER = owner;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, signature);
        return err == ECDSA.RecoverError.NoError && signer == OWNER ? IERC1271.isValidSignature.selector : bytes4(0);
    }

    /// @dev Lets the wallet act in tests (e.g. call registries as itself).
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != OWNER) revert NotOwner(msg.sender);
        // A wallet forwards arbitrary calls by design.
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory result) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }
}
