// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RoyaltySplits} from "../../contracts/licensing/RoyaltySplits.sol";
import {TestBase} from "./utils/TestBase.sol";
import {FuzzSplits} from "./utils/Splits.sol";

/// @notice Exposes the internal functions of {RoyaltySplits} as external calls.
contract RoyaltySplitsHarness {
    function divide(uint256 amount, uint16[] memory bpsList) external pure returns (uint256[] memory) {
        return RoyaltySplits.divide(amount, bpsList);
    }

    function validate(RoyaltySplits.Split[] calldata splits) external pure {
        RoyaltySplits.validate(splits);
    }
}

contract RoyaltySplitsFuzzTest is TestBase {
    RoyaltySplitsHarness internal harness;

    function setUp() public {
        harness = new RoyaltySplitsHarness();
    }

    // ------------------------------------------------------------------ divide

    function testFuzz_divide_uint96(uint96 amount, uint8 count, uint16[16] memory weights, uint256 leftoverSeed)
        public
        view
    {
        _checkDivide(amount, count, weights, leftoverSeed);
    }

    function testFuzz_divide_uint128(uint128 amount, uint8 count, uint16[16] memory weights, uint256 leftoverSeed)
        public
        view
    {
        _checkDivide(amount, count, weights, leftoverSeed);
    }

    /// @dev The library promises no overflow for any amount below 2^242 (amount * bps <= amount * 10 000 < 2^256).
    function testFuzz_divide_below2pow242(uint256 amount, uint8 count, uint16[16] memory weights, uint256 leftoverSeed)
        public
        view
    {
        _checkDivide(bound(amount, 0, (uint256(1) << 242) - 1), count, weights, leftoverSeed);
    }

    function _checkDivide(uint256 amount, uint8 countSeed, uint16[16] memory weights, uint256 leftoverSeed)
        internal
        view
    {
        uint256 count = bound(countSeed, 1, 16);
        uint16[] memory bps = FuzzSplits.normalise(count, weights, leftoverSeed);
        _checkValidBps(bps);

        uint256[] memory shares = harness.divide(amount, bps);
        assertEq(shares.length, count, "one share per recipient");

        uint256 sum;
        for (uint256 i; i < count; ++i) {
            sum += shares[i];
        }
        assertEq(sum, amount, "shares sum to the amount");

        for (uint256 i = 1; i < count; ++i) {
            assertEq(shares[i], (amount * bps[i]) / 10_000, "share i>0 is floor(amount*bps/10000)");
        }
        uint256 floor0 = (amount * bps[0]) / 10_000;
        assertGe(shares[0], floor0, "share 0 >= its floor");
        assertLt(shares[0] - floor0, count, "remainder given to share 0 < number of recipients");
    }

    /// @dev The builder itself must produce what the properties assume: 1..16 shares, each >= 1, summing to 10 000.
    function _checkValidBps(uint16[] memory bps) internal pure {
        uint256 total;
        for (uint256 i; i < bps.length; ++i) {
            assertGe(bps[i], 1, "every share >= 1 bps");
            total += bps[i];
        }
        assertEq(total, 10_000, "built split sums to 10 000");
    }

    // ------------------------------------------------------------------ validate

    function testFuzz_validate_acceptsNormalisedSplits(uint8 countSeed, uint16[16] memory weights, uint256 leftoverSeed)
        public
        view
    {
        uint256 count = bound(countSeed, 1, 16);
        harness.validate(_splits(FuzzSplits.normalise(count, weights, leftoverSeed)));
    }

    /// @dev Arbitrary non-zero shares: whatever they add up to other than 10 000 is rejected with that total.
    function testFuzz_validate_rejectsAnySumOtherThan10000(uint8 countSeed, uint16[16] memory rawBps) public {
        uint256 count = bound(countSeed, 1, 16);
        uint16[] memory bps = new uint16[](count);
        uint256 total;
        for (uint256 i; i < count; ++i) {
            bps[i] = uint16(bound(rawBps[i], 1, type(uint16).max));
            total += bps[i];
        }
        vm.assume(total != 10_000);
        vm.expectRevert(abi.encodeWithSelector(RoyaltySplits.SplitsDoNotSumTo10000.selector, total));
        harness.validate(_splits(bps));
    }

    /// @dev Any list at all (0..20 entries, zero shares allowed) whose shares do not add up to 10 000 is refused,
    /// whichever check trips first (EmptySplits, TooManySplits, SplitShareIsZero or SplitsDoNotSumTo10000).
    function testFuzz_validate_neverAcceptsSumOtherThan10000(uint8 countSeed, uint16[20] memory rawBps) public {
        uint256 count = bound(countSeed, 0, 20);
        uint16[] memory bps = new uint16[](count);
        uint256 total;
        for (uint256 i; i < count; ++i) {
            bps[i] = rawBps[i];
            total += bps[i];
        }
        vm.assume(total != 10_000);
        vm.expectRevert();
        harness.validate(_splits(bps));
    }

    /// @dev Sums close to 10 000: take a valid split and move one share by a non-zero delta (keeping it >= 1).
    function testFuzz_validate_rejectsNearMisses(
        uint8 countSeed,
        uint16[16] memory weights,
        uint256 leftoverSeed,
        uint256 indexSeed,
        int256 deltaSeed
    ) public {
        uint256 count = bound(countSeed, 1, 16);
        uint16[] memory bps = FuzzSplits.normalise(count, weights, leftoverSeed);
        uint256 index = indexSeed % count;
        uint256 delta = bound(uint256(deltaSeed < 0 ? -(deltaSeed + 1) : deltaSeed), 1, 200);
        uint256 total;
        if (deltaSeed < 0) {
            vm.assume(bps[index] > delta);
            bps[index] -= uint16(delta);
            total = 10_000 - delta;
        } else {
            bps[index] += uint16(delta);
            total = 10_000 + delta;
        }
        vm.expectRevert(abi.encodeWithSelector(RoyaltySplits.SplitsDoNotSumTo10000.selector, total));
        harness.validate(_splits(bps));
    }

    function _splits(uint16[] memory bps) internal pure returns (RoyaltySplits.Split[] memory splits) {
        splits = new RoyaltySplits.Split[](bps.length);
        for (uint256 i; i < bps.length; ++i) {
            splits[i] = RoyaltySplits.Split({recipient: address(uint160(0x1000 + i)), bps: bps[i]});
        }
    }
}
