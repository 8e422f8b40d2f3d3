// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title PackedIds
/// @notice A list of uint64 ids in storage, four to a slot, its length sharing the first slot with the first three ids:
/// up to three ids cost one storage write, where a `uint64[]` costs two (its length slot and a data slot).
library PackedIds {
    uint256 private constant PER_SLOT = 4;
    uint256 private constant BITS = 64;

    /// @notice Writes `ids` into the empty list `slots`.
    function store(mapping(uint256 => uint256) storage slots, uint64[] memory ids) internal {
        uint256 count = ids.length;
        uint256 word = count; // entry 0 is the length
        for (uint256 i; i < count; ++i) {
            uint256 entry = i + 1;
            word |= uint256(ids[i]) << (BITS * (entry % PER_SLOT));
            if (entry % PER_SLOT == PER_SLOT - 1 || i == count - 1) {
                slots[entry / PER_SLOT] = word;
                word = 0;
            }
        }
    }

    /// @notice The ids stored in `slots`, in order (none for a list never written).
    function load(mapping(uint256 => uint256) storage slots) internal view returns (uint64[] memory ids) {
        uint256 word = slots[0];
        ids = new uint64[](uint64(word));
        for (uint256 i; i < ids.length; ++i) {
            uint256 entry = i + 1;
            if (entry % PER_SLOT == 0) word = slots[entry / PER_SLOT];
            ids[i] = uint64(word >> (BITS * (entry % PER_SLOT)));
        }
    }
}
