// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice A contract created at run time; the indexer's template test follows its Ping events.
contract PingChild {
    event Ping(uint256 value, string note);

    function ping(uint256 value, string calldata note) external {
        emit Ping(value, note);
    }
}

/// @notice Creates PingChild contracts and announces them, like a factory a subgraph template follows.
contract ChildFactory {
    event ChildCreated(address indexed child, string label, bool withContext);

    function createChild(string calldata label, bool withContext) external returns (address child) {
        child = address(new PingChild());
        emit ChildCreated(child, label, withContext);
    }
}
