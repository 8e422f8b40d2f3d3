// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The few Foundry cheatcodes these tests use. EDR (Hardhat 3's Solidity test runner) serves them at the usual
/// cheatcode address. A local interface stands in for forge-std, which cannot be installed offline: the npm package
/// `forge-std` version 1.1.2 lays its files out at the package root without `src/` (Hardhat maps `forge-std/*.sol` to
/// `src/*.sol`) and without the `ds-test` library its `Test.sol` imports.
interface Vm {
    function assume(bool condition) external pure;
    function deal(address account, uint256 newBalance) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function warp(uint256 newTimestamp) external;
    function expectRevert() external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert(bytes calldata revertData) external;
}

/// @notice Minimal test base: the `vm` handle, `bound`, and assertions that revert with a readable message.
abstract contract TestBase {
    /// @dev address(uint160(uint256(keccak256("hevm cheat code"))))
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    /// @notice Thrown by every failed assertion; `a` and `b` are the compared values where there are two.
    error AssertionFailed(string what, uint256 a, uint256 b);

    function assertEq(uint256 a, uint256 b, string memory what) internal pure {
        if (a != b) revert AssertionFailed(what, a, b);
    }

    function assertEq(address a, address b, string memory what) internal pure {
        if (a != b) revert AssertionFailed(what, uint160(a), uint160(b));
    }

    function assertGe(uint256 a, uint256 b, string memory what) internal pure {
        if (a < b) revert AssertionFailed(what, a, b);
    }

    function assertLt(uint256 a, uint256 b, string memory what) internal pure {
        if (a >= b) revert AssertionFailed(what, a, b);
    }

    function assertTrue(bool condition, string memory what) internal pure {
        if (!condition) revert AssertionFailed(what, 0, 0);
    }

    /// @notice Maps `x` into [min, max] (inclusive) without discarding runs; keeps small values and the edges as they
    /// are, like forge-std's `bound`, so the fuzzer's dictionary values (0, 1, max, ...) still land on the bounds.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        if (size == 0) return x; // full uint256 range
        if (x <= 3 && size > x) return min + x;
        if (x >= type(uint256).max - 3 && size > type(uint256).max - x) return max - (type(uint256).max - x);
        if (x > max) {
            uint256 diff = x - max;
            uint256 rem = diff % size;
            return rem == 0 ? max : min + rem - 1;
        }
        uint256 diffBelow = min - x;
        uint256 remBelow = diffBelow % size;
        return remBelow == 0 ? min : max - remBelow + 1;
    }
}
