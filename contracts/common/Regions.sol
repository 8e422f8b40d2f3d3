// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Regions
/// @notice Region sets for jurisdictions, licence territories and deployment regions, as uint256 bit masks: bit i is
/// the i-th ISO 3166-1 alpha-2 country code of the frozen list in src/core/regions.ts (249 codes, alphabetical; codes
/// ISO assigns later are appended). Groups such as EU or EEA are expanded off chain: the chain only sees bits.
library Regions {
    /// @notice The number of regions: bits at and above it name no region.
    uint256 internal constant COUNT = 249;
    /// @notice Every region: a worldwide territory.
    uint256 internal constant WORLDWIDE = (uint256(1) << COUNT) - 1;

    /// @notice Thrown when a territory or region set names no region.
    error EmptyRegionSet();
    /// @notice Thrown when a region set has bits that name no region (`unknownBits` are those bits).
    error UnknownRegions(uint256 unknownBits);
    /// @notice Thrown when a single region index names no region.
    error UnknownRegion(uint256 region);

    /// @notice Reverts unless `set` is a non-empty set of known regions.
    function requireSet(uint256 set) internal pure {
        if (set == 0) revert EmptyRegionSet();
        requireKnown(set);
    }

    /// @notice Reverts unless every bit of `set` names a known region; the empty set passes (e.g. "undeclared").
    function requireKnown(uint256 set) internal pure {
        uint256 unknown = set & ~WORLDWIDE;
        if (unknown != 0) revert UnknownRegions(unknown);
    }

    /// @notice Reverts unless `region` is the index of a known region.
    function requireRegion(uint256 region) internal pure {
        if (region >= COUNT) revert UnknownRegion(region);
    }

    /// @notice Whether `set` holds `region`.
    function holds(uint256 set, uint256 region) internal pure returns (bool) {
        return region < COUNT && (set >> region) & 1 == 1;
    }

    /// @notice Whether every region of `subset` is in `set`.
    function within(uint256 subset, uint256 set) internal pure returns (bool) {
        return subset & ~set == 0;
    }
}
