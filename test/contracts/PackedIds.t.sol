// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PackedIds} from "../../contracts/common/PackedIds.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @notice Round-trips fuzzed lists through {PackedIds}, each into its own fresh list, and checks the slots it writes.
contract PackedIdsFuzzTest is TestBase {
    mapping(uint256 list => mapping(uint256 => uint256)) internal lists;
    uint256 internal nextList;

    function testFuzz_roundTrip(uint64[] memory ids) public {
        vm.assume(ids.length <= 40);
        mapping(uint256 => uint256) storage slots = lists[++nextList];
        PackedIds.store(slots, ids);
        uint64[] memory loaded = PackedIds.load(slots);
        assertEq(loaded.length, ids.length, "length");
        for (uint256 i; i < ids.length; ++i) {
            assertEq(loaded[i], ids[i], "id");
        }
        // The length and three ids share the first slot; then four ids to a slot; nothing beyond.
        uint256 used = ids.length == 0 ? 0 : (ids.length + 1 + 3) / 4;
        assertEq(uint64(slots[0]), ids.length, "length in the first slot's low bits");
        assertEq(slots[used == 0 ? 0 : used], 0, "no slot written past the list");
    }

    function test_threeIdsFillOneSlot() public {
        mapping(uint256 => uint256) storage slots = lists[++nextList];
        uint64[] memory ids = new uint64[](3);
        (ids[0], ids[1], ids[2]) = (type(uint64).max, 1, 2);
        PackedIds.store(slots, ids);
        assertEq(slots[0], (uint256(2) << 192) | (uint256(1) << 128) | (uint256(type(uint64).max) << 64) | 3, "one slot");
        assertEq(slots[1], 0, "second slot untouched");
        assertEq(PackedIds.load(lists[++nextList]).length, 0, "a list never written is empty");
    }
}
