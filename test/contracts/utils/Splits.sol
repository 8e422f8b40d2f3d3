// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Builds valid royalty splits from fuzzed inputs.
library FuzzSplits {
    uint256 internal constant TOTAL_BPS = 10_000;
    uint256 internal constant MAX_RECIPIENTS = 16;

    /// @notice Normalises the first `count` of `weights` (1 <= count <= 16) to basis points that are each >= 1 and sum
    /// to exactly 10 000: every recipient gets 1 bps plus its pro-rata part of the other 10 000 - count bps; the
    /// rounding leftover (< count) goes to recipient `leftoverSeed % count`. All-zero weights count as equal weights.
    function normalise(uint256 count, uint16[16] memory weights, uint256 leftoverSeed)
        internal
        pure
        returns (uint16[] memory bps)
    {
        require(count >= 1 && count <= MAX_RECIPIENTS, "normalise: count out of range");
        uint256 weightSum;
        for (uint256 i; i < count; ++i) weightSum += weights[i];
        uint256 spare = TOTAL_BPS - count;
        bps = new uint16[](count);
        uint256 total;
        for (uint256 i; i < count; ++i) {
            uint256 share = 1 + (weightSum == 0 ? spare / count : (uint256(weights[i]) * spare) / weightSum);
            bps[i] = uint16(share);
            total += share;
        }
        uint256 leftover = TOTAL_BPS - total;
        require(leftover < count, "normalise: leftover >= count");
        bps[leftoverSeed % count] += uint16(leftover);
    }
}
