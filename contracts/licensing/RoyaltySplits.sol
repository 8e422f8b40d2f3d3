// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title RoyaltySplits
/// @notice Validation and lossless division of a payment among creator royalty recipients.
/// @dev Every recipient receives `floor(amount * bps / 10_000)`; the rounding remainder (strictly less than the
/// number of recipients) goes to the first recipient, so the shares always add up to `amount` exactly.
library RoyaltySplits {
    /// @notice One recipient's share of every payment, in basis points.
    struct Split {
        address recipient; // who is credited
        uint16 bps; // share in basis points (1 = 0.01 %)
    }

    /// @notice The denominator of every share.
    uint16 internal constant TOTAL_BPS = 10_000;
    /// @notice Upper bound on recipients, so a purchase's gas cost stays bounded.
    uint256 internal constant MAX_RECIPIENTS = 16;

    /// @notice Thrown when a priced licence has no royalty recipients.
    error EmptySplits();
    /// @notice Thrown when more than {MAX_RECIPIENTS} recipients are given.
    error TooManySplits(uint256 count, uint256 max);
    /// @notice Thrown when the recipient at `index` is the zero address.
    error SplitRecipientIsZero(uint256 index);
    /// @notice Thrown when the share at `index` is zero.
    error SplitShareIsZero(uint256 index);
    /// @notice Thrown when the shares do not add up to 10 000 basis points.
    error SplitsDoNotSumTo10000(uint256 totalBps);

    /// @notice Reverts unless `splits` is a non-empty list of non-zero recipients whose shares sum to 10 000 bps.
    function validate(Split[] calldata splits) internal pure {
        uint256 count = splits.length;
        if (count == 0) revert EmptySplits();
        if (count > MAX_RECIPIENTS) revert TooManySplits(count, MAX_RECIPIENTS);
        uint256 total;
        for (uint256 i; i < count; ++i) {
            if (splits[i].recipient == address(0)) revert SplitRecipientIsZero(i);
            if (splits[i].bps == 0) revert SplitShareIsZero(i);
            total += splits[i].bps;
        }
        if (total != TOTAL_BPS) revert SplitsDoNotSumTo10000(total);
    }

    /// @notice The share of `amount` owed to a recipient holding `bps`, before the remainder is assigned.
    function shareOf(uint256 amount, uint16 bps) internal pure returns (uint256) {
        // amount * bps cannot overflow for any amount below 2^242, far beyond any uint96 price.
        return (amount * bps) / TOTAL_BPS;
    }

    /// @notice Splits `amount` by `bpsList`; element 0 also receives the rounding remainder. Sum of result == amount.
    /// @dev `bpsList` must already satisfy {validate}.
    function divide(uint256 amount, uint16[] memory bpsList) internal pure returns (uint256[] memory shares) {
        uint256 count = bpsList.length;
        shares = new uint256[](count);
        uint256 assigned;
        for (uint256 i = 1; i < count; ++i) {
            uint256 share = shareOf(amount, bpsList[i]);
            shares[i] = share;
            assigned += share;
        }
        shares[0] = amount - assigned;
    }
}
