// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DatasetRegistry} from "../../contracts/datasets/DatasetRegistry.sol";
import {IDatasetRegistry} from "../../contracts/datasets/IDatasetRegistry.sol";
import {IRoyaltyRegistry} from "../../contracts/licensing/IRoyaltyRegistry.sol";
import {RoyaltySplits} from "../../contracts/licensing/RoyaltySplits.sol";
import {Regions} from "../../contracts/common/Regions.sol";
import {TestToken} from "../../contracts/test/TestTokens.sol";
import {TestBase} from "./utils/TestBase.sol";
import {FuzzSplits} from "./utils/Splits.sol";

/// @notice Building terms, versions and accounts for the royalty tests.
abstract contract RoyaltyFixture is TestBase {
    address internal constant ETH = address(0);
    uint96 internal constant UNIT_PRICE = 1_000;

    function _version(bytes32 salt) internal pure returns (IDatasetRegistry.VersionInput memory) {
        return IDatasetRegistry.VersionInput({
            fingerprint: keccak256(abi.encode("royalty-fingerprint", salt)),
            manifestRoot: bytes32(0),
            metadataHash: bytes32(0),
            uri: "ipfs://data",
            originRegions: 0,
            handlingPolicyHash: bytes32(0),
            handlingPolicyURI: ""
        });
    }

    function _terms(address currency, uint96 price, uint16 derivativeBps, RoyaltySplits.Split[] memory splits)
        internal
        pure
        returns (IDatasetRegistry.TermsInput memory)
    {
        return IDatasetRegistry.TermsInput({
            currency: currency,
            price: price,
            duration: 0,
            commercialUse: true,
            derivativesAllowed: true,
            documentHash: bytes32(0),
            documentURI: "spdx:CC-BY-4.0",
            splits: splits,
            trainingTerritories: Regions.WORLDWIDE,
            deploymentTerritories: Regions.WORLDWIDE,
            unitPrice: UNIT_PRICE,
            unit: "samples",
            derivativeRoyaltyBps: derivativeBps
        });
    }

    /// @dev `count` (1-16) split entries over `pool`, with fuzzed shares summing to 10 000 bps.
    function _splits(address[] memory pool, uint256 count, uint16[16] memory weights, uint256 seed)
        internal
        pure
        returns (RoyaltySplits.Split[] memory splits)
    {
        uint16[] memory bps = FuzzSplits.normalise(count, weights, seed);
        splits = new RoyaltySplits.Split[](count);
        for (uint256 i; i < count; ++i) {
            splits[i] = RoyaltySplits.Split({recipient: pool[uint256(keccak256(abi.encode(seed, i))) % pool.length], bps: bps[i]});
        }
    }

    function _pool(string memory label, uint256 size) internal pure returns (address[] memory pool) {
        pool = new address[](size);
        for (uint256 i; i < size; ++i) {
            pool[i] = address(uint160(uint256(keccak256(abi.encode(label, i)))));
        }
    }
}

/// @notice Fuzzes a two-level lineage (C derived from B derived from A), sold and used, in ETH or an ERC-20: every wei
/// paid is credited to someone, exactly.
contract RoyaltyLineageFuzzTest is RoyaltyFixture {
    DatasetRegistry internal registry;
    IRoyaltyRegistry internal treasury;
    TestToken internal token;

    struct Lineage {
        address currency;
        uint96 price;
        address[] pool;
        uint64 a;
        uint64 b;
        uint64 c;
        uint64 cTerms;
        uint256 paid;
    }

    function setUp() public {
        registry = new DatasetRegistry();
        treasury = registry.royalties();
        token = new TestToken();
    }

    function testFuzz_twoLevelLineagePaysEveryWei(
        uint96 price,
        uint16 bpsA,
        uint16 bpsB,
        uint16[16] memory weights,
        uint8 countSeed,
        uint16 contributorBps,
        uint32 units,
        bool inToken
    ) public {
        Lineage memory l;
        l.currency = inToken ? address(token) : ETH;
        l.price = uint96(bound(price, 0, 1e24));
        l.pool = _pool("recipient", 5);
        uint256 count = bound(countSeed, 1, 16);
        (l.a,) = _dataset(l, address(0xA11CE), uint16(bound(bpsA, 0, 10_000)), _splits(l.pool, count, weights, 1), 0, 0);
        (uint64 licenceOfA) = _buy(l, address(0xB0B), l.a, registry.getDataset(l.a).currentTermsId);
        uint64 versionOfA = registry.getDataset(l.a).latestVersionId;
        (l.b,) = _dataset(l, address(0xB0B), uint16(bound(bpsB, 0, 10_000)), _splits(l.pool, count, weights, 2), versionOfA, licenceOfA);
        uint64 licenceOfB = _buy(l, address(0xCA201), l.b, registry.getDataset(l.b).currentTermsId);
        uint64 versionOfB = registry.getDataset(l.b).latestVersionId;
        uint64 versionOfC;
        (l.c, versionOfC) = _dataset(l, address(0xCA201), 0, _splits(l.pool, count, weights, 3), versionOfB, licenceOfB);
        _contributors(versionOfC, address(0xCA201), l.pool, uint16(bound(contributorBps, 1, 10_000)));

        uint64 licence = _buy(l, address(0xD0C), l.c, registry.getDataset(l.c).currentTermsId);
        uint256 cost = uint256(bound(units, 1, type(uint32).max)) * UNIT_PRICE;
        _fund(l.currency, address(0xD0C), cost);
        vm.prank(address(0xD0C));
        treasury.reportUsage{value: l.currency == ETH ? cost : 0}(
            IRoyaltyRegistry.UsageReport({licenceId: licence, versionId: versionOfC, units: uint64(cost / UNIT_PRICE), reportHash: bytes32(0), reportURI: ""})
        );
        l.paid += cost;

        uint256 credited;
        for (uint256 i; i < l.pool.length; ++i) {
            credited += treasury.royaltiesOf(l.pool[i], l.currency);
        }
        assertEq(credited, l.paid, "every wei paid is credited, up the lineage and to contributors");
        assertEq(_balanceOf(l.currency, address(treasury)), l.paid, "the treasury holds exactly what it owes");
    }

    function _dataset(
        Lineage memory l,
        address owner,
        uint16 derivativeBps,
        RoyaltySplits.Split[] memory splits,
        uint64 parentVersion,
        uint64 parentLicence
    ) internal returns (uint64 datasetId, uint64 versionId) {
        uint64[] memory parents = new uint64[](parentVersion == 0 ? 0 : 1);
        uint64[] memory licences = new uint64[](parents.length);
        if (parentVersion != 0) {
            parents[0] = parentVersion;
            licences[0] = parentLicence;
        }
        vm.prank(owner);
        (datasetId, versionId,) = registry.registerDatasetWithTerms(
            _version(keccak256(abi.encode(owner, parentVersion))), parents, licences, bytes32(0), _terms(l.currency, l.price, derivativeBps, splits)
        );
    }

    function _contributors(uint64 versionId, address owner, address[] memory pool, uint16 bps) internal {
        IRoyaltyRegistry.Contributor[] memory contributors = new IRoyaltyRegistry.Contributor[](2);
        contributors[0] = IRoyaltyRegistry.Contributor({account: pool[0], bps: bps / 2 + 1, roleHash: bytes32("labelling")});
        contributors[1] = IRoyaltyRegistry.Contributor({account: pool[4], bps: bps / 3 + 1, roleHash: bytes32("cleaning")});
        vm.prank(owner);
        treasury.setContributors(versionId, contributors);
    }

    function _buy(Lineage memory l, address buyer, uint64 datasetId, uint64 termsId) internal returns (uint64 licenceId) {
        _fund(l.currency, buyer, l.price);
        vm.prank(buyer);
        licenceId = treasury.acquireLicence{value: l.currency == ETH ? l.price : 0}(datasetId, buyer, termsId);
        l.paid += l.price;
    }

    function _fund(address currency, address who, uint256 amount) internal {
        if (currency == ETH) {
            vm.deal(who, amount);
            return;
        }
        token.mint(who, amount);
        vm.prank(who);
        token.approve(address(treasury), amount);
    }

    function _balanceOf(address currency, address who) internal view returns (uint256) {
        return currency == ETH ? who.balance : token.balanceOf(who);
    }
}

/// @notice Builds random lineages — datasets derived from random earlier versions, licensed (with a random derivative
/// royalty) or the owner's own — sells and uses them, names contributors and withdraws, keeping its own books.
contract LineageHandler is RoyaltyFixture {
    DatasetRegistry public immutable registry;
    IRoyaltyRegistry public immutable treasury;
    address[] internal _accounts;
    uint64[] internal _versions;
    mapping(uint64 versionId => address owner) internal _ownerOf;
    uint256 public paid;
    uint256 public withdrawn;
    uint256 public refusedByBounds;
    uint256 private _nonce;

    constructor(DatasetRegistry registry_) {
        registry = registry_;
        treasury = registry_.royalties();
        _accounts = _pool("account", 6);
    }

    function accounts() external view returns (address[] memory) {
        return _accounts;
    }

    /// @dev A new dataset of a random owner, derived from up to two random earlier versions.
    function publish(uint256 ownerSeed, uint256 parentSeed, uint16 bps, uint16[16] memory weights, uint8 countSeed) external {
        address owner = _accounts[ownerSeed % _accounts.length];
        uint256 parentCount = _versions.length == 0 ? 0 : parentSeed % 3;
        uint64[] memory parents = new uint64[](parentCount);
        uint64[] memory licences = new uint64[](parentCount);
        for (uint256 i; i < parentCount; ++i) {
            parents[i] = _versions[uint256(keccak256(abi.encode(parentSeed, i))) % _versions.length];
            if (i == 1 && parents[1] == parents[0]) return; // a version is named once
            if (_ownerOf[parents[i]] != owner) licences[i] = _buy(owner, registry.datasetOfVersion(parents[i]));
        }
        RoyaltySplits.Split[] memory splits = _splits(_accounts, bound(countSeed, 1, 4), weights, ++_nonce);
        vm.prank(owner);
        try registry.registerDatasetWithTerms(
            _version(bytes32(_nonce)), parents, licences, bytes32(0), _terms(ETH, 1 ether, uint16(bound(bps, 0, 4_000)), splits)
        ) returns (uint64, uint64 versionId, uint64) {
            _versions.push(versionId);
            _ownerOf[versionId] = owner;
        } catch {
            ++refusedByBounds; // past the depth, width or share bounds: the licences bought stay paid
        }
    }

    function buy(uint256 seed) external {
        if (_versions.length == 0) return;
        _buy(_accounts[seed % _accounts.length], registry.datasetOfVersion(_versions[(seed >> 8) % _versions.length]));
    }

    function report(uint256 seed, uint32 units) external {
        if (_versions.length == 0) return;
        uint64 versionId = _versions[seed % _versions.length];
        address user = _accounts[(seed >> 8) % _accounts.length];
        uint64 licenceId = _buy(user, registry.datasetOfVersion(versionId));
        uint256 cost = uint256(bound(units, 1, 1e6)) * UNIT_PRICE;
        vm.deal(user, cost);
        vm.prank(user);
        treasury.reportUsage{value: cost}(
            IRoyaltyRegistry.UsageReport({licenceId: licenceId, versionId: versionId, units: uint64(cost / UNIT_PRICE), reportHash: bytes32(0), reportURI: ""})
        );
        paid += cost;
    }

    function contribute(uint256 seed, uint16 bps) external {
        if (_versions.length == 0) return;
        uint64 versionId = _versions[seed % _versions.length];
        (IRoyaltyRegistry.VersionRoyalties memory shape,,) = treasury.royaltiesOfVersion(versionId);
        if (shape.contributorCount != 0) return;
        IRoyaltyRegistry.Contributor[] memory contributors = new IRoyaltyRegistry.Contributor[](1);
        contributors[0] = IRoyaltyRegistry.Contributor({account: _accounts[(seed >> 8) % _accounts.length], bps: uint16(bound(bps, 1, 10_000)), roleHash: bytes32(0)});
        vm.prank(_ownerOf[versionId]);
        treasury.setContributors(versionId, contributors);
    }

    function withdraw(uint256 seed) external {
        address account = _accounts[seed % _accounts.length];
        uint256 owed = treasury.royaltiesOf(account, ETH);
        if (owed == 0) return;
        vm.prank(account);
        withdrawn += treasury.withdrawRoyalties(ETH, account);
    }

    function _buy(address buyer, uint64 datasetId) internal returns (uint64 licenceId) {
        uint64 termsId = registry.getDataset(datasetId).currentTermsId; // read before the prank, which the next call takes
        vm.deal(buyer, 1 ether);
        vm.prank(buyer);
        licenceId = treasury.acquireLicence{value: 1 ether}(datasetId, buyer, termsId);
        paid += 1 ether;
    }

    function versionCount() external view returns (uint256) {
        return _versions.length;
    }
}

/// @notice Over random lineages, sales, usage, contributors and withdrawals: the treasury holds exactly what it owes,
/// and everything paid is credited — zero dust however deep and wide the lineage.
/// forge-config: default.invariant.runs = 64
/// forge-config: default.invariant.depth = 40
contract RoyaltyLineageInvariantTest is TestBase {
    DatasetRegistry internal registry;
    LineageHandler internal handler;

    function setUp() public {
        registry = new DatasetRegistry();
        handler = new LineageHandler(registry);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev The handler really builds lineages, sells, meters and withdraws (so the invariant has something to check).
    function test_handlerBuildsSellsAndMetersALineage() public {
        uint16[16] memory weights;
        for (uint256 i; i < 6; ++i) {
            handler.publish(i, i + 1, 2_000, weights, 2);
        }
        handler.buy(7);
        handler.report(3, 500);
        handler.contribute(2, 1_000);
        handler.report(2, 300);
        handler.withdraw(1);
        assertGe(handler.versionCount(), 4, "publications went through (a few may name one parent twice or pass a bound)");
        assertGe(handler.paid(), 1 ether, "sales and usage were paid");
        assertGe(handler.withdrawn(), 1, "someone withdrew");
        invariant_everyWeiPaidIsCreditedOrWithdrawn();
    }

    function invariant_everyWeiPaidIsCreditedOrWithdrawn() public view {
        address[] memory accounts = handler.accounts();
        uint256 owed;
        for (uint256 i; i < accounts.length; ++i) {
            owed += registry.royalties().royaltiesOf(accounts[i], address(0));
        }
        assertEq(owed + handler.withdrawn(), handler.paid(), "paid == credited (owed + withdrawn)");
        assertEq(address(registry.royalties()).balance, owed, "treasury balance == what it owes");
    }
}
