// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DatasetRegistry} from "../../contracts/datasets/DatasetRegistry.sol";
import {IDatasetRegistry} from "../../contracts/datasets/IDatasetRegistry.sol";
import {IRoyaltyRegistry} from "../../contracts/licensing/IRoyaltyRegistry.sol";
import {TestToken} from "../../contracts/test/TestTokens.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {TestBase} from "./utils/TestBase.sol";
import {FuzzSplits} from "./utils/Splits.sol";
import {RoyaltyModel} from "./utils/RoyaltyModel.sol";

/// @notice Random inputs for lineages: split recipients and contributors drawn from a pool of six accounts.
abstract contract RandomLineage is RoyaltyModel {
    address[6] internal pool;

    function _initPool() internal {
        for (uint256 i; i < pool.length; ++i) {
            pool[i] = _account("pool", i);
            accounts.push(pool[i]);
        }
    }

    /// @dev A fresh EOA-like address: no code, never a precompile.
    function _account(string memory role, uint256 index) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("royalties", role, index)))));
    }

    function _random(uint256 seed, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }

    /// @dev Perpetual terms in `currency` allowing derivatives, paying 1 to 4 recipients of the pool (repeats allowed).
    function _randomTerms(address currency, uint96 price, uint96 unitPrice, uint16 derivativeBps, uint256 seed)
        internal
        view
        returns (IDatasetRegistry.TermsInput memory terms)
    {
        uint256 count = 1 + _random(seed, 0) % 4;
        uint16[16] memory weights;
        address[] memory recipients = new address[](count);
        for (uint256 i; i < count; ++i) {
            weights[i] = uint16(_random(seed, 1 + i));
            recipients[i] = pool[_random(seed, 20 + i) % pool.length];
        }
        terms = _terms(currency, price, recipients, FuzzSplits.normalise(count, weights, _random(seed, 40)));
        terms.unitPrice = unitPrice;
        terms.unit = "samples";
        terms.derivativeRoyaltyBps = derivativeBps;
    }

    /// @dev 0 to 8 contributors from the pool, each at least 1 bps, together at most 10 000 (a quarter of the time the
    /// last one takes all that is left, so the splits get nothing).
    function _randomContributors(uint256 seed) internal view returns (IRoyaltyRegistry.Contributor[] memory named) {
        named = new IRoyaltyRegistry.Contributor[](_random(seed, 0) % 9);
        uint256 left = 10_000;
        for (uint256 i; i < named.length; ++i) {
            uint256 later = named.length - 1 - i; // contributors still to come, 1 bps each at least
            uint256 budget = left - later;
            uint256 fairShare = budget / (later + 1);
            uint256 bps = later == 0 && _random(seed, 50) % 4 == 0
                ? budget
                : bound(_random(seed, 60 + i), 1, fairShare == 0 ? 1 : fairShare);
            named[i] = IRoyaltyRegistry.Contributor({
                account: pool[_random(seed, 70 + i) % pool.length],
                bps: uint16(bps),
                roleHash: keccak256("labelling")
            });
            left -= bps;
        }
    }

    function _nameContributors(uint64 versionId, uint256 seed) internal {
        IRoyaltyRegistry.Contributor[] memory named = _randomContributors(seed);
        if (named.length != 0) _setContributors(versionId, named);
    }
}

/// @notice Random two-level lineages — two roots, a dataset derived from both, a leaf derived from it and half the time
/// from the second root too (paid along both paths) — with random derivative royalties, splits and contributors,
/// every licence of the lineage bought, then the leaf sold and its use reported partly from a deposit: every account
/// is credited exactly what the rules give it and the credits add up to the payments, in ETH and in an ERC-20.
contract RoyaltyLineageFuzzTest is RandomLineage {
    address[4] internal owners;
    address internal buyer;

    function setUp() public {
        _initModel(new DatasetRegistry(), new TestToken());
        _initPool();
        for (uint256 i; i < owners.length; ++i) {
            owners[i] = _account("owner", i);
            accounts.push(owners[i]);
        }
        buyer = _account("buyer", 0);
        accounts.push(buyer);
    }

    function testFuzz_ethLineageCreditsEveryWei(
        uint96 price,
        uint96 unitPrice,
        uint32 units,
        uint256 deposit,
        uint16[3] memory royaltyBps,
        uint256 seed
    ) public {
        _payLineage(ETH, price, unitPrice, units, deposit, royaltyBps, seed);
    }

    function testFuzz_tokenLineageCreditsEveryWei(
        uint96 price,
        uint96 unitPrice,
        uint32 units,
        uint256 deposit,
        uint16[3] memory royaltyBps,
        uint256 seed
    ) public {
        _payLineage(currencies[1], price, unitPrice, units, deposit, royaltyBps, seed);
    }

    function _payLineage(
        address currency,
        uint96 price,
        uint96 unitPrice,
        uint32 unitsSeed,
        uint256 depositSeed,
        uint16[3] memory royaltyBps,
        uint256 seed
    ) internal {
        unitPrice = uint96(bound(unitPrice, 1, type(uint96).max));
        uint64 units = uint64(bound(unitsSeed, 1, type(uint32).max));
        uint64 leaf = _twoLevelLineage(currency, price, unitPrice, royaltyBps, seed);
        assertEq(shapes[leaf].depth, 2, "two levels of royalty ancestors");

        uint64 licenceId = _buy(buyer, datasetOf[leaf]);
        // A deposit from none to twice the cost: covering all of the report or part of it.
        uint256 deposit = bound(depositSeed, 0, 2 * uint256(units) * unitPrice);
        if (deposit != 0) _deposit(licenceId, buyer, deposit);
        _report(licenceId, leaf, units);
        uint256 left = licences[licenceId].deposit;
        if (left != 0) _release(licenceId, left);

        checkCredits();
        checkTreasury();
        checkUsage();
        for (uint256 i; i < accounts.length; ++i) {
            _withdraw(accounts[i], currency);
        }
        assertEq(_balanceOf(currency, address(treasury)), 0, "treasury empty once everyone withdrew: no dust");
        checkCredits();
    }

    /// @dev Both roots and the middle ask at least 1 bps of derivatives, so the leaf always pays two levels up.
    function _twoLevelLineage(address currency, uint96 price, uint96 unitPrice, uint16[3] memory royaltyBps, uint256 seed)
        internal
        returns (uint64 leaf)
    {
        bool diamond = seed & 1 == 1;
        uint16 toFirst = uint16(bound(royaltyBps[0], 1, 9_999));
        uint16 toSecond = uint16(bound(royaltyBps[1], 0, 10_000 - toFirst));
        uint16 toMiddle = uint16(bound(royaltyBps[2], 1, diamond ? 10_000 - toSecond : 10_000));
        uint64[] memory none = new uint64[](0);
        uint64 first = _publish(owners[0], 0, none, _randomTerms(currency, _priceOf(price, seed, 1), 0, toFirst, _random(seed, 2)));
        uint64 second = _publish(owners[1], 0, none, _randomTerms(currency, _priceOf(price, seed, 3), 0, toSecond, _random(seed, 4)));
        _nameContributors(first, _random(seed, 5));

        uint64[] memory parents = new uint64[](2);
        (parents[0], parents[1]) = (first, second);
        uint64 middle = _publish(owners[2], 0, parents, _randomTerms(currency, _priceOf(price, seed, 6), 0, toMiddle, _random(seed, 7)));
        _nameContributors(middle, _random(seed, 8));

        parents = new uint64[](diamond ? 2 : 1);
        parents[0] = middle;
        if (diamond) parents[1] = second;
        leaf = _publish(owners[3], 0, parents, _randomTerms(currency, price, unitPrice, 0, _random(seed, 9)));
        _nameContributors(leaf, _random(seed, 10));
    }

    function _priceOf(uint96 price, uint256 seed, uint256 salt) internal pure returns (uint96) {
        return uint96(_random(seed, salt) % (uint256(price) + 1));
    }
}

/// @notice Any report — up to 2^64 units at up to 2^96 a unit — is either paid and recorded exactly, or, costing 2^128
/// or more, refused with nothing taken or changed: the amount paid for usage is never truncated.
contract RoyaltyUsageFuzzTest is RandomLineage {
    address internal owner;
    address internal licensee;

    function setUp() public {
        _initModel(new DatasetRegistry(), new TestToken());
        _initPool();
        owner = _account("owner", 0);
        licensee = _account("buyer", 0);
        accounts.push(owner);
        accounts.push(licensee);
    }

    function testFuzz_usageCostRecordedExactlyOrRefused(uint96 unitPrice, uint64 units, uint256 seed) public {
        unitPrice = uint96(bound(unitPrice, 1, type(uint96).max));
        units = uint64(bound(units, 1, type(uint64).max));
        TestToken token = TestToken(currencies[1]);
        uint64 versionId = _publish(owner, 0, new uint64[](0), _randomTerms(address(token), 0, unitPrice, 0, seed));
        uint64 licenceId = _buy(licensee, datasetOf[versionId]);
        uint256 cost = uint256(units) * unitPrice;
        if (cost <= type(uint128).max) {
            _report(licenceId, versionId, units);
        } else {
            token.mint(licensee, cost);
            vm.prank(licensee);
            token.approve(address(treasury), cost);
            vm.expectRevert(abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, uint8(128), cost));
            vm.prank(licensee);
            treasury.reportUsage(IRoyaltyRegistry.UsageReport(licenceId, versionId, units, bytes32(0), ""));
            assertEq(token.balanceOf(licensee), cost, "nothing taken");
        }
        checkUsage();
        checkCredits();
        checkTreasury();
    }
}

/// @notice Drives the registries with random sequences: datasets and versions published over random parents (bought
/// licences with random derivative royalties, or the owner's own data, so inheritance and the lineage bounds come into
/// play), new terms, contributors, licence sales, usage reports, deposits, releases and withdrawals — keeping
/// independent books ({RoyaltyModel}). Every call either succeeds as the model predicts or is refused with the error it
/// predicts; anything else reverts, which fails the campaign (fail-on-revert).
contract LineageHandler is RandomLineage {
    address[3] internal owners;
    address[3] internal buyers;
    address internal sponsor;

    constructor(DatasetRegistry registry_, TestToken token) {
        _initModel(registry_, token);
        _initPool();
        for (uint256 i; i < owners.length; ++i) {
            owners[i] = _account("owner", i);
            buyers[i] = _account("buyer", i);
            accounts.push(owners[i]);
            accounts.push(buyers[i]);
        }
        sponsor = _account("sponsor", 0);
        accounts.push(sponsor);
    }

    function publish(uint256 seed) external {
        address owner = owners[seed % owners.length];
        _publish(owner, _ownDatasetOrNew(owner, _random(seed, 1)), _parents(_random(seed, 2)), _termsFrom(_random(seed, 3)));
    }

    function setTerms(uint256 seed) external {
        if (datasetCount == 0) return;
        _setTerms(1 + uint64(seed % datasetCount), _termsFrom(_random(seed, 1)));
    }

    function nameContributors(uint256 seed) external {
        if (versionCount == 0) return;
        _nameContributors(1 + uint64(seed % versionCount), _random(seed, 1));
    }

    function buy(uint256 seed) external {
        if (datasetCount == 0) return;
        _buy(buyers[seed % buyers.length], 1 + uint64(_random(seed, 1) % datasetCount));
    }

    function reportUsage(uint256 seed, uint64 units) external {
        if (meteredLicences.length == 0) return;
        uint64 licenceId = meteredLicences[seed % meteredLicences.length];
        uint64[] storage versions = versionsOf[licences[licenceId].datasetId];
        _report(licenceId, versions[_random(seed, 1) % versions.length], uint64(bound(units, 1, 1_000_000)));
    }

    /// @dev Half the time a deposit (by the licensee or a sponsor), else the licensee releases part of what is left.
    function moveDeposit(uint256 seed, uint256 amount) external {
        if (meteredLicences.length == 0) return;
        uint64 licenceId = meteredLicences[seed % meteredLicences.length];
        uint256 r = _random(seed, 1);
        uint256 left = licences[licenceId].deposit;
        if (r % 2 == 0 || left == 0) {
            _deposit(licenceId, r % 4 < 2 ? sponsor : licences[licenceId].licensee, bound(amount, 1, 1e18));
        } else {
            _release(licenceId, bound(amount, 1, left));
        }
    }

    function withdraw(uint256 seed) external {
        _withdraw(accounts[seed % accounts.length], currencies[_random(seed, 1) % currencies.length]);
    }

    /// @dev One of `owner`'s datasets (a new version of it), or 0 (a new dataset) a third of the time or when it has none.
    function _ownDatasetOrNew(address owner, uint256 seed) internal view returns (uint64) {
        if (seed % 3 == 0) return 0;
        uint64[] memory owned = new uint64[](datasetCount);
        uint256 count;
        for (uint64 d = 1; d <= datasetCount; ++d) {
            if (ownerOf[d] == owner) owned[count++] = d;
        }
        return count == 0 ? 0 : owned[_random(seed, 1) % count];
    }

    /// @dev None to three parents, each three times in four one of the three latest versions, so lineages grow deep
    /// and, counted along every path, wide enough to meet the bounds.
    function _parents(uint256 seed) internal view returns (uint64[] memory parents) {
        uint256 count = seed % 4;
        if (count > versionCount) count = versionCount;
        parents = new uint64[](count);
        uint256 latest = versionCount < 3 ? versionCount : 3;
        for (uint256 i; i < count; ++i) {
            uint256 r = _random(seed, i);
            parents[i] = r % 4 != 0 ? versionCount - uint64((r >> 2) % latest) : 1 + uint64((r >> 2) % versionCount);
        }
    }

    /// @dev Random terms: ETH or the token; free or priced; metered or not; no, a small, a large or any derivative royalty.
    function _termsFrom(uint256 seed) internal view returns (IDatasetRegistry.TermsInput memory) {
        uint96 price = _random(seed, 1) % 3 == 0 ? 0 : uint96(_random(seed, 2) % 1e18);
        uint96 unitPrice = _random(seed, 3) % 3 == 0 ? 0 : uint96(1 + _random(seed, 4) % 1e12);
        // In sixteenths: none 4, up to 1 % 6, up to 30 % 3, up to 100 % 3 — mostly small, so lineages can grow wide.
        uint256 kind = _random(seed, 5) % 16;
        uint256 cap = kind < 4 ? 0 : kind < 10 ? 100 : kind < 13 ? 3_000 : 10_000;
        uint16 derivativeBps = uint16(cap == 0 ? 0 : 1 + _random(seed, 6) % cap);
        return _randomTerms(currencies[seed % currencies.length], price, unitPrice, derivativeBps, _random(seed, 7));
    }
}

/// @notice Invariants of the treasury over random {LineageHandler} sequences.
/// @dev 64 runs x 100 calls: sequences long enough for lineages to reach the depth and width bounds (every refusal —
/// RoyaltySharesExceedTotal, RoyaltyLineageTooDeep, RoyaltyLineageTooWide, ContributorsAlreadySet — and inheritance
/// from previous versions and own data occur); about 10 s per invariant here. A handler call that reverts fails the
/// campaign, so an outcome the model does not predict cannot hide.
/// forge-config: default.invariant.runs = 64
/// forge-config: default.invariant.depth = 100
/// forge-config: default.invariant.fail-on-revert = true
contract RoyaltyRegistryInvariantTest is TestBase {
    LineageHandler internal handler;

    function setUp() public {
        handler = new LineageHandler(new DatasetRegistry(), new TestToken());
    }

    /// @dev As forge-std's StdInvariant declares it.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    /// @dev Read by the invariant fuzzer (as forge-std's StdInvariant would provide): only the handler is called.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev Only the handler's actions, not its views, so every call of a sequence does something.
    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory actions = new bytes4[](7);
        actions[0] = LineageHandler.publish.selector;
        actions[1] = LineageHandler.setTerms.selector;
        actions[2] = LineageHandler.nameContributors.selector;
        actions[3] = LineageHandler.buy.selector;
        actions[4] = LineageHandler.reportUsage.selector;
        actions[5] = LineageHandler.moveDeposit.selector;
        actions[6] = LineageHandler.withdraw.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector(address(handler), actions);
    }

    /// @dev Per currency: treasury balance == sum of royaltiesOf + sum of deposits == paid in - withdrawn.
    function invariant_treasuryHoldsEveryBalanceAndDeposit() public view {
        handler.checkTreasury();
    }

    /// @dev Per currency: sum credited == sum paid (+ deposits released), and each account exactly as modelled.
    function invariant_sumCreditedEqualsSumPaid() public view {
        handler.checkCredits();
    }

    /// @dev Per metered licence: cumulative units, reports and paid, and the deposit left, as reported.
    function invariant_usageAndDepositsAsReported() public view {
        handler.checkUsage();
    }
}
