// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Regions} from "../../contracts/common/Regions.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @notice Exposes the internal functions of {Regions} as external calls.
contract RegionsHarness {
    function requireSet(uint256 set) external pure {
        Regions.requireSet(set);
    }

    function requireKnown(uint256 set) external pure {
        Regions.requireKnown(set);
    }

    function requireRegion(uint256 region) external pure {
        Regions.requireRegion(region);
    }

    function holds(uint256 set, uint256 region) external pure returns (bool) {
        return Regions.holds(set, region);
    }

    function within(uint256 subset, uint256 set) external pure returns (bool) {
        return Regions.within(subset, set);
    }
}

contract RegionsFuzzTest is TestBase {
    RegionsHarness internal harness;

    function setUp() public {
        harness = new RegionsHarness();
    }

    function test_worldwideHoldsEveryRegionAndNothingElse() public view {
        assertEq(Regions.WORLDWIDE, (uint256(1) << 249) - 1, "WORLDWIDE is the 249 region bits");
        assertTrue(harness.holds(Regions.WORLDWIDE, 0), "holds the first region");
        assertTrue(harness.holds(Regions.WORLDWIDE, 248), "holds the last region");
        assertTrue(!harness.holds(Regions.WORLDWIDE, 249), "holds no region past the list");
        harness.requireSet(Regions.WORLDWIDE);
    }

    function test_refusesEmptySetsAndUnknownBits() public {
        vm.expectRevert(Regions.EmptyRegionSet.selector);
        harness.requireSet(0);
        vm.expectRevert(abi.encodeWithSelector(Regions.UnknownRegions.selector, uint256(1) << 249));
        harness.requireSet(Regions.WORLDWIDE | (uint256(1) << 249));
        vm.expectRevert(abi.encodeWithSelector(Regions.UnknownRegion.selector, 249));
        harness.requireRegion(249);
    }

    function testFuzz_requireSetAcceptsExactlyNonEmptyKnownSets(uint256 set) public {
        if (set == 0) {
            vm.expectRevert(Regions.EmptyRegionSet.selector);
        } else if (set & ~Regions.WORLDWIDE != 0) {
            vm.expectRevert(abi.encodeWithSelector(Regions.UnknownRegions.selector, set & ~Regions.WORLDWIDE));
        }
        harness.requireSet(set);
    }

    /// @dev Like requireSet, but the empty set ("undeclared", e.g. a dataset version's origin) passes.
    function testFuzz_requireKnownAcceptsExactlyKnownSetsAndTheEmptySet(uint256 set) public {
        if (set & ~Regions.WORLDWIDE != 0) {
            vm.expectRevert(abi.encodeWithSelector(Regions.UnknownRegions.selector, set & ~Regions.WORLDWIDE));
        }
        harness.requireKnown(set);
        harness.requireKnown(0);
    }

    function testFuzz_holdsIsTheBit(uint256 set, uint8 region) public view {
        bool expected = region < 249 && (set >> region) & 1 == 1;
        assertTrue(harness.holds(set, region) == expected, "holds is the region's bit");
    }

    function testFuzz_withinIsSubset(uint256 a, uint256 b) public view {
        assertTrue(harness.within(a & b, b), "an intersection is within each set");
        assertTrue(harness.within(a, a | b), "a set is within a union holding it");
        assertTrue(harness.within(a, b) == (a & ~b == 0), "within is the subset relation");
    }
}
