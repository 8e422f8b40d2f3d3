// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DatasetRegistry} from "../../contracts/datasets/DatasetRegistry.sol";
import {IDatasetRegistry} from "../../contracts/datasets/IDatasetRegistry.sol";
import {IRoyaltyRegistry} from "../../contracts/licensing/IRoyaltyRegistry.sol";
import {SubjectType} from "../../contracts/common/Subjects.sol";
import {TestToken, FeeOnTransferToken} from "../../contracts/test/TestTokens.sol";
import {RegistryFixture} from "./utils/RegistryFixture.sol";
import {FuzzSplits} from "./utils/Splits.sol";

/// @notice Fuzzes the whole payment path: terms with a fuzzed split, several paid licences, then every withdrawal.
contract DatasetRegistryPaymentFuzzTest is RegistryFixture {
    DatasetRegistry internal registry;
    IRoyaltyRegistry internal treasury;
    TestToken internal token;
    FeeOnTransferToken internal feeToken;

    /// @dev The fuzzed scenario. Split entries point into a pool of `distinct` recipients, so a recipient can hold
    /// several entries (validate() allows that); amounts are then checked per distinct recipient.
    struct Scenario {
        address currency;
        uint96 price;
        uint256 purchases;
        address[] pool; // distinct recipients
        address[] recipients; // one per split entry, drawn from pool
        uint16[] bps;
        uint64 datasetId;
        uint64 termsId;
    }

    function setUp() public {
        registry = new DatasetRegistry();
        treasury = registry.royalties();
        token = new TestToken();
        feeToken = new FeeOnTransferToken();
    }

    function testFuzz_ethPaymentPath(
        uint96 price,
        uint8 countSeed,
        uint16[16] memory weights,
        uint256 leftoverSeed,
        uint8 distinctSeed,
        uint256 recipientSeed,
        uint8 purchasesSeed
    ) public {
        Scenario memory s =
            _scenario(ETH, price, countSeed, weights, leftoverSeed, distinctSeed, recipientSeed, purchasesSeed);
        _runPaymentPath(s);
    }

    function testFuzz_tokenPaymentPath(
        uint96 price,
        uint8 countSeed,
        uint16[16] memory weights,
        uint256 leftoverSeed,
        uint8 distinctSeed,
        uint256 recipientSeed,
        uint8 purchasesSeed
    ) public {
        Scenario memory s = _scenario(
            address(token), price, countSeed, weights, leftoverSeed, distinctSeed, recipientSeed, purchasesSeed
        );
        _runPaymentPath(s);
    }

    /// @dev A purchase in a fee-on-transfer token either reverts with TransferShortfall and leaves every balance,
    /// royalty and licence id as it was, or — only when the token's 1 % fee rounds down to 0, i.e. price < 100 —
    /// the full price arrives and the purchase is credited like any other.
    function testFuzz_feeOnTransferPurchaseRevertsAndChangesNothing(
        uint96 price,
        uint8 countSeed,
        uint16[16] memory weights,
        uint256 leftoverSeed,
        uint256 recipientSeed,
        uint256 extraAllowance
    ) public {
        Scenario memory s =
            _scenario(address(feeToken), price, countSeed, weights, leftoverSeed, type(uint8).max, recipientSeed, 0);
        address buyer = address(0xB0B);
        // Enough balance and allowance for the price whatever the fee: the only reason to revert is the shortfall.
        uint256 funds = uint256(price) + bound(extraAllowance, 0, type(uint96).max);
        feeToken.mint(buyer, funds);
        vm.prank(buyer);
        feeToken.approve(address(treasury), funds);

        uint256 fee = uint256(price) / 100;
        uint256 supplyBefore = feeToken.totalSupply();
        if (fee != 0) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IRoyaltyRegistry.TransferShortfall.selector, address(feeToken), uint256(price), uint256(price) - fee
                )
            );
            vm.prank(buyer);
            treasury.acquireLicence(s.datasetId, buyer, s.termsId);

            assertEq(feeToken.balanceOf(buyer), funds, "buyer keeps its tokens");
            assertEq(feeToken.allowance(buyer, address(treasury)), funds, "allowance untouched");
            assertEq(feeToken.balanceOf(address(treasury)), 0, "registry received nothing");
            assertEq(feeToken.totalSupply(), supplyBefore, "no fee was burnt");
            for (uint256 i; i < s.pool.length; ++i) {
                assertEq(treasury.royaltiesOf(s.pool[i], address(feeToken)), 0, "nothing credited");
            }
            assertTrue(!registry.subjectExists(SubjectType.Licence, 1), "no licence recorded");
            vm.expectRevert(abi.encodeWithSelector(IDatasetRegistry.UnknownLicence.selector, uint64(1)));
            registry.getLicence(1);
            // The licence counter did not move either: the next (ETH) licence is still number 1.
            _setEthTermsAndBuyOnce(s);
        } else {
            vm.prank(buyer);
            uint64 licenceId = treasury.acquireLicence(s.datasetId, buyer, s.termsId);
            assertEq(licenceId, 1, "first licence");
            assertEq(feeToken.balanceOf(address(treasury)), price, "full price arrived");
            assertEq(_sumRoyalties(s), price, "whole price credited");
        }
    }

    // ------------------------------------------------------------------ scenario

    function _scenario(
        address currency,
        uint96 price,
        uint8 countSeed,
        uint16[16] memory weights,
        uint256 leftoverSeed,
        uint8 distinctSeed,
        uint256 recipientSeed,
        uint8 purchasesSeed
    ) internal returns (Scenario memory s) {
        s.currency = currency;
        s.price = price;
        s.purchases = bound(purchasesSeed, 1, 5);
        uint256 count = bound(countSeed, 1, 16);
        s.bps = FuzzSplits.normalise(count, weights, leftoverSeed);

        uint256 distinct = bound(distinctSeed, 1, count);
        s.pool = new address[](distinct);
        for (uint256 i; i < distinct; ++i) {
            // Fresh EOA-like addresses: no code, no balance, never a precompile, never a buyer.
            s.pool[i] = address(uint160(uint256(keccak256(abi.encode("recipient", recipientSeed, i)))));
        }
        s.recipients = new address[](count);
        for (uint256 i; i < count; ++i) {
            // Every pool member gets at least one entry; the rest pick pseudo-randomly from the pool.
            s.recipients[i] =
                i < distinct ? s.pool[i] : s.pool[uint256(keccak256(abi.encode(recipientSeed, "pick", i))) % distinct];
        }

        (s.datasetId,, s.termsId) = registry.registerDatasetWithTerms(
            _version(keccak256(abi.encode(currency, recipientSeed))),
            new uint64[](0),
            new uint64[](0),
            bytes32(0),
            _terms(currency, price, s.recipients, s.bps)
        );
    }

    function _runPaymentPath(Scenario memory s) internal {
        address other = s.currency == ETH ? address(token) : ETH;
        uint256 registryBefore = _balanceOf(s.currency, address(treasury));
        assertEq(registryBefore, 0, "fresh registry");

        // Purchases, each by a different buyer, all under the same terms.
        uint256 totalPaid;
        for (uint256 k; k < s.purchases; ++k) {
            address buyer = address(uint160(0xB0B000 + k));
            uint64 licenceId = _buy(s, buyer);
            assertEq(licenceId, k + 1, "licence ids are sequential");
            assertEq(_balanceOf(s.currency, buyer), 0, "buyer paid exactly the price");
            totalPaid += s.price;
        }

        // Credited amounts per distinct recipient, computed independently.
        uint256[] memory expected = _expectedPerPoolMember(s);
        uint256 sumRoyalties;
        for (uint256 j; j < s.pool.length; ++j) {
            uint256 credited = treasury.royaltiesOf(s.pool[j], s.currency);
            assertEq(credited, expected[j], "recipient credited floor(price*bps/10000) per licence (+remainder)");
            assertEq(treasury.royaltiesOf(s.pool[j], other), 0, "other currency untouched");
            sumRoyalties += credited;
        }
        assertEq(sumRoyalties, totalPaid, "sum of royaltiesOf == total paid");
        assertEq(_balanceOf(s.currency, address(treasury)), totalPaid, "registry holds exactly the total paid");

        // Every recipient withdraws to itself.
        for (uint256 j; j < s.pool.length; ++j) {
            address r = s.pool[j];
            uint256 before = _balanceOf(s.currency, r);
            if (expected[j] == 0) {
                vm.expectRevert(abi.encodeWithSelector(IRoyaltyRegistry.NothingToWithdraw.selector, r, s.currency));
                vm.prank(r);
                treasury.withdrawRoyalties(s.currency, r);
                continue;
            }
            vm.prank(r);
            uint256 amount = treasury.withdrawRoyalties(s.currency, r);
            assertEq(amount, expected[j], "withdrawal returns the credited amount");
            assertEq(_balanceOf(s.currency, r) - before, expected[j], "recipient received exactly its credit");
            assertEq(treasury.royaltiesOf(r, s.currency), 0, "balance cleared");
            vm.expectRevert(abi.encodeWithSelector(IRoyaltyRegistry.NothingToWithdraw.selector, r, s.currency));
            vm.prank(r);
            treasury.withdrawRoyalties(s.currency, r);
        }
        assertEq(_balanceOf(s.currency, address(treasury)), 0, "registry is empty after all withdrawals");
    }

    function _buy(Scenario memory s, address buyer) internal returns (uint64 licenceId) {
        if (s.currency == ETH) {
            vm.deal(buyer, s.price);
            vm.prank(buyer);
            licenceId = treasury.acquireLicence{value: s.price}(s.datasetId, buyer, s.termsId);
        } else {
            TestToken(s.currency).mint(buyer, s.price);
            vm.startPrank(buyer);
            TestToken(s.currency).approve(address(treasury), s.price);
            licenceId = treasury.acquireLicence(s.datasetId, buyer, s.termsId);
            vm.stopPrank();
        }
    }

    /// @dev Per purchase: entry i gets floor(price*bps_i/10000), entry 0 also the remainder; summed per pool member.
    function _expectedPerPoolMember(Scenario memory s) internal pure returns (uint256[] memory expected) {
        uint256[] memory perLicence = _expectedShares(s.price, s.bps);
        expected = new uint256[](s.pool.length);
        for (uint256 i; i < s.recipients.length; ++i) {
            for (uint256 j; j < s.pool.length; ++j) {
                if (s.pool[j] == s.recipients[i]) expected[j] += perLicence[i] * s.purchases;
            }
        }
    }

    function _sumRoyalties(Scenario memory s) internal view returns (uint256 sum) {
        for (uint256 j; j < s.pool.length; ++j) {
            sum += treasury.royaltiesOf(s.pool[j], s.currency);
        }
    }

    function _setEthTermsAndBuyOnce(Scenario memory s) internal {
        uint64 termsId = registry.setTerms(s.datasetId, _terms(ETH, 1 ether, s.recipients, s.bps));
        address buyer = address(0xCAFE);
        vm.deal(buyer, 1 ether);
        vm.prank(buyer);
        assertEq(treasury.acquireLicence{value: 1 ether}(s.datasetId, buyer, termsId), 1, "licence counter unchanged");
    }
}

/// @notice Drives a registry with random sequences of term changes, purchases (ETH, a plain token and a
/// fee-on-transfer token) and withdrawals, keeping its own independent books.
contract PaymentHandler is RegistryFixture {
    DatasetRegistry public immutable registry;
    IRoyaltyRegistry public immutable treasury;
    address[3] public currencies;
    address[6] public pool;

    uint64[3] public datasetIds;
    uint64[3] public termsIds;
    uint96[3] public prices;
    address[][3] internal splitRecipients;
    uint16[][3] internal splitBps;

    mapping(address currency => mapping(address recipient => uint256)) public credited;
    mapping(address currency => mapping(address recipient => uint256)) public withdrawn;
    /// @dev What withdrawals should have delivered: the amount, less the fee-on-transfer token's own 1 % fee.
    mapping(address currency => mapping(address recipient => uint256)) public delivered;
    mapping(address currency => uint256) public paid;
    /// @dev Purchases in the fee-on-transfer token whose fee was non-zero and that did NOT revert (must stay 0).
    uint256 public feeTakingPurchasesAccepted;
    /// @dev Fee-taking purchases that reverted but changed a balance (must stay 0).
    uint256 public revertedPurchasesWithSideEffects;
    uint256 public purchases;
    uint256 public rejectedFeePurchases;
    uint256 public withdrawals;
    uint256 private _buyerNonce;

    constructor(DatasetRegistry registry_, TestToken token, FeeOnTransferToken feeToken) {
        registry = registry_;
        treasury = registry_.royalties();
        currencies = [ETH, address(token), address(feeToken)];
        for (uint256 i; i < pool.length; ++i) {
            pool[i] = address(uint160(uint256(keccak256(abi.encode("pool", i)))));
        }
        uint16[16] memory equal;
        for (uint256 c; c < 3; ++c) {
            address[] memory recipients = new address[](2);
            recipients[0] = pool[0];
            recipients[1] = pool[1];
            uint16[] memory bps = FuzzSplits.normalise(2, equal, 0);
            (datasetIds[c],, termsIds[c]) = registry.registerDatasetWithTerms(
                _version(bytes32(c)), new uint64[](0), new uint64[](0), bytes32(0), _terms(currencies[c], 1000, recipients, bps)
            );
            prices[c] = 1000;
            splitRecipients[c] = recipients;
            splitBps[c] = bps;
        }
    }

    function setTerms(uint256 currencySeed, uint96 price, uint8 countSeed, uint16[16] memory weights, uint256 seed)
        external
    {
        uint256 c = currencySeed % 3;
        // The fee token gets small prices so that both fee == 0 (price < 100) and fee > 0 occur.
        if (c == 2) price = uint96(bound(price, 0, 10_000));
        uint256 count = bound(countSeed, 1, 16);
        uint16[] memory bps = FuzzSplits.normalise(count, weights, seed);
        address[] memory recipients = new address[](count);
        for (uint256 i; i < count; ++i) {
            recipients[i] = pool[uint256(keccak256(abi.encode(seed, i))) % pool.length];
        }
        termsIds[c] = registry.setTerms(datasetIds[c], _terms(currencies[c], price, recipients, bps));
        prices[c] = price;
        splitRecipients[c] = recipients;
        splitBps[c] = bps;
    }

    function buy(uint256 currencySeed) external {
        uint256 c = currencySeed % 3;
        address currency = currencies[c];
        uint96 price = prices[c];
        address buyer = address(uint160(0xB0B0000 + ++_buyerNonce));
        if (currency == ETH) {
            vm.deal(buyer, price);
            vm.prank(buyer);
            treasury.acquireLicence{value: price}(datasetIds[c], buyer, termsIds[c]);
        } else {
            TestToken(currency).mint(buyer, price);
            vm.prank(buyer);
            TestToken(currency).approve(address(treasury), price);
            bool takesFee = c == 2 && price / 100 != 0;
            uint256 registryBefore = _balanceOf(currency, address(treasury));
            vm.prank(buyer);
            try treasury.acquireLicence(datasetIds[c], buyer, termsIds[c]) {
                if (takesFee) ++feeTakingPurchasesAccepted;
            } catch {
                if (!takesFee) revert("unexpected revert");
                if (_balanceOf(currency, buyer) != price || _balanceOf(currency, address(treasury)) != registryBefore) {
                    ++revertedPurchasesWithSideEffects;
                }
                ++rejectedFeePurchases;
                return;
            }
        }
        ++purchases;
        paid[currency] += price;
        uint256[] memory shares = _expectedShares(price, splitBps[c]);
        for (uint256 i; i < shares.length; ++i) {
            credited[currency][splitRecipients[c][i]] += shares[i];
        }
    }

    function withdraw(uint256 currencySeed, uint256 recipientSeed) external {
        address currency = currencies[currencySeed % 3];
        address r = pool[recipientSeed % pool.length];
        uint256 owed = treasury.royaltiesOf(r, currency);
        if (owed == 0) return;
        vm.prank(r);
        uint256 amount = treasury.withdrawRoyalties(currency, r);
        require(amount == owed, "withdrew a different amount");
        withdrawn[currency][r] += amount;
        delivered[currency][r] += currencySeed % 3 == 2 ? amount - amount / 100 : amount;
        ++withdrawals;
    }

    function poolSize() external view returns (uint256) {
        return pool.length;
    }
}

/// @notice Invariants of the royalty books over random sequences of {PaymentHandler} actions.
/// @dev The directives below (EDR inline config, default profile only) keep the campaign to 128 x 50 calls, a few
/// seconds; they take precedence over `test.solidity.invariant` in hardhat.config.ts under the default profile. The
/// EDR defaults (256 runs x depth 500) take about 2.5 minutes here; use a test profile for such deeper runs.
/// forge-config: default.invariant.runs = 128
/// forge-config: default.invariant.depth = 50
contract DatasetRegistryPaymentInvariantTest is RegistryFixture {
    DatasetRegistry internal registry;
    IRoyaltyRegistry internal treasury;
    PaymentHandler internal handler;

    function setUp() public {
        registry = new DatasetRegistry();
        treasury = registry.royalties();
        TestToken token = new TestToken();
        FeeOnTransferToken feeToken = new FeeOnTransferToken();
        handler = new PaymentHandler(registry, token, feeToken);
    }

    /// @dev Read by the invariant fuzzer (as forge-std's StdInvariant would provide): only the handler is called.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev The registry holds, per currency, exactly what it still owes: paid - withdrawn == sum of royaltiesOf.
    function invariant_registryHoldsExactlyWhatItOwes() public view {
        for (uint256 c; c < 3; ++c) {
            address currency = handler.currencies(c);
            uint256 owed;
            uint256 out;
            for (uint256 j; j < handler.poolSize(); ++j) {
                address r = handler.pool(j);
                owed += treasury.royaltiesOf(r, currency);
                out += handler.withdrawn(currency, r);
            }
            assertEq(_balanceOf(currency, address(treasury)), owed, "registry balance == sum of royaltiesOf");
            assertEq(handler.paid(currency) - out, owed, "paid - withdrawn == sum of royaltiesOf");
        }
    }

    /// @dev Each recipient's credit + withdrawals equals the floor formula summed over its purchases, and what it
    /// withdrew is exactly what arrived in its account.
    function invariant_recipientsCreditedAndPaidExactly() public view {
        for (uint256 c; c < 3; ++c) {
            address currency = handler.currencies(c);
            for (uint256 j; j < handler.poolSize(); ++j) {
                address r = handler.pool(j);
                assertEq(
                    treasury.royaltiesOf(r, currency) + handler.withdrawn(currency, r),
                    handler.credited(currency, r),
                    "credited per floor formula"
                );
                assertEq(_balanceOf(currency, r), handler.delivered(currency, r), "received exactly what was withdrawn");
            }
        }
    }

    /// @dev No purchase in the fee-on-transfer token that loses a fee ever goes through, nor leaves a trace.
    function invariant_feeTakingPurchasesAlwaysRevertCleanly() public view {
        assertEq(handler.feeTakingPurchasesAccepted(), 0, "fee-taking purchase accepted");
        assertEq(handler.revertedPurchasesWithSideEffects(), 0, "reverted purchase changed balances");
    }
}

/// @notice Fuzzes the refund of a licence after consent is revoked: the amount due is the unused share of the price,
/// never more than the price, falls as time passes, and every wei paid in stays withdrawable by someone.
contract DatasetRegistryRefundFuzzTest is RegistryFixture {
    DatasetRegistry internal registry;
    IRoyaltyRegistry internal treasury;
    address internal constant BUYER = address(0xB0B);

    function setUp() public {
        registry = new DatasetRegistry();
        treasury = registry.royalties();
    }

    function testFuzz_refundIsTheUnusedShareAndConservesFunds(
        uint96 price,
        uint32 durationSeed,
        uint256 elapsedSeed,
        uint96 surplus
    ) public {
        uint32 duration = uint32(bound(durationSeed, 1, type(uint32).max));
        uint256 elapsed = bound(elapsedSeed, 0, duration - 1);
        (uint64 datasetId, uint64 licenceId) = _licensed(price, duration);
        // Read back rather than from block.timestamp, which via-IR may re-read after vm.warp.
        uint256 acquiredAt = registry.getLicence(licenceId).expiresAt - duration;

        vm.warp(acquiredAt + elapsed / 2);
        uint256 earlier = registry.refundDue(licenceId);
        vm.warp(acquiredAt + elapsed);
        uint256 due = registry.refundDue(licenceId);
        assertEq(due, uint256(price) * (duration - elapsed) / duration, "due = price x unused / duration");
        assertTrue(due <= earlier && earlier <= price, "never more than the price, and falls as time passes");

        registry.revokeConsent(datasetId, "consent withdrawn");
        vm.deal(address(this), uint256(due) + surplus);
        uint256 refunded = registry.refundLicence{value: uint256(due) + surplus}(licenceId);
        assertEq(refunded, due, "refunds what was due");
        assertEq(treasury.royaltiesOf(BUYER, ETH), due, "licensee credited");
        assertEq(treasury.royaltiesOf(address(this), ETH), uint256(price) + surplus, "royalty and surplus stay the owner's");
        assertEq(address(treasury).balance, uint256(price) + due + surplus, "every wei is withdrawable by someone");
        assertEq(registry.refundDue(licenceId), 0, "nothing due twice");
    }

    function _licensed(uint96 price, uint32 duration) private returns (uint64 datasetId, uint64 licenceId) {
        address[] memory recipients = new address[](1);
        recipients[0] = address(this);
        uint16[] memory bps = new uint16[](1);
        bps[0] = 10_000;
        IDatasetRegistry.TermsInput memory terms = _terms(ETH, price, recipients, bps);
        terms.duration = duration;
        uint64 termsId;
        (datasetId,, termsId) = registry.registerDatasetWithTerms(
            _version(bytes32(uint256(price))), new uint64[](0), new uint64[](0), bytes32(0), terms
        );
        vm.deal(BUYER, price);
        vm.prank(BUYER);
        licenceId = treasury.acquireLicence{value: price}(datasetId, BUYER, termsId);
    }
}
