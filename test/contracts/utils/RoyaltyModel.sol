// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DatasetRegistry} from "../../../contracts/datasets/DatasetRegistry.sol";
import {IDatasetRegistry} from "../../../contracts/datasets/IDatasetRegistry.sol";
import {IRoyaltyRegistry} from "../../../contracts/licensing/IRoyaltyRegistry.sol";
import {TestToken} from "../../../contracts/test/TestTokens.sol";
import {RegistryFixture} from "./RegistryFixture.sol";

/// @notice Drives a real {DatasetRegistry} and its {IRoyaltyRegistry} treasury while keeping independent books of what
/// the royalty rules documented in {IRoyaltyRegistry} say must happen: which royalty parents each publication records
/// (or which custom error refuses it), who is credited what by every payment, what every metered licence has used and
/// holds on deposit, and what went into and out of the treasury. The `check*` functions compare the chain with them.
/// @dev Every action pays for itself (ETH dealt or tokens minted to the payer) and predicts the ids it creates.
abstract contract RoyaltyModel is RegistryFixture {
    uint256 internal constant MAX_DEPTH = 4;
    uint256 internal constant MAX_ANCESTORS = 16;

    struct TermsBook {
        address currency;
        uint96 price;
        uint96 unitPrice;
        uint16 derivativeRoyaltyBps;
        address[] recipients;
        uint16[] bps;
    }

    struct LicenceBook {
        address licensee;
        uint64 termsId;
        uint64 datasetId;
        uint64 units;
        uint64 reports;
        uint256 paid;
        uint256 deposit;
    }

    struct Shape {
        uint256 depth;
        uint256 ancestors;
    }

    DatasetRegistry internal registry;
    IRoyaltyRegistry internal treasury;
    address[2] internal currencies; // ETH and a plain ERC-20

    // The lineage, as the model sees it.
    uint64 internal datasetCount;
    uint64 internal versionCount;
    uint64 internal termsCount;
    uint64 internal licenceCount;
    uint64 internal reportCount;
    mapping(uint64 termsId => TermsBook) internal termsBook;
    mapping(uint64 datasetId => address) internal ownerOf;
    mapping(uint64 datasetId => uint64) internal currentTerms;
    mapping(uint64 datasetId => uint64[]) internal versionsOf;
    mapping(uint64 versionId => uint64) internal datasetOf;
    mapping(uint64 versionId => IRoyaltyRegistry.RoyaltyParent[]) internal royaltyParents;
    mapping(uint64 versionId => Shape) internal shapes;
    mapping(uint64 versionId => IRoyaltyRegistry.Contributor[]) internal contributors;
    mapping(uint64 licenceId => LicenceBook) internal licences;
    uint64[] internal meteredLicences;

    // The money, as the model sees it.
    address[] internal accounts; // every account that can be credited
    mapping(address currency => mapping(address account => uint256)) internal credited;
    mapping(address currency => mapping(address account => uint256)) internal withdrawn;
    mapping(address currency => uint256) internal paidIn; // every transfer into the treasury
    mapping(address currency => uint256) internal settled; // licence prices and usage costs: what the rules divide
    mapping(address currency => uint256) internal released; // deposits released to their licensees
    mapping(address currency => uint256) internal paidOut; // withdrawals

    function _initModel(DatasetRegistry registry_, TestToken token) internal {
        registry = registry_;
        treasury = registry_.royalties();
        currencies = [ETH, address(token)];
    }

    // ------------------------------------------------------------------ actions on the real registries

    /// @dev Publishes a version of `datasetId` (0: registers a new dataset under `terms`, else `terms` is unused)
    /// derived from `parents`: the owner's own data, or licensed now from their owners. Returns the version, or 0 when
    /// the royalty bounds refuse it — with exactly the error the model predicts.
    function _publish(address owner, uint64 datasetId, uint64[] memory parents, IDatasetRegistry.TermsInput memory terms)
        internal
        returns (uint64 versionId)
    {
        (uint64[] memory licenceIds, IRoyaltyRegistry.RoyaltyParent[] memory candidates) = _licenceParents(owner, parents);
        versionId = versionCount + 1;
        uint64[] storage earlier = versionsOf[datasetId];
        uint64 previous = datasetId == 0 ? 0 : earlier[earlier.length - 1];
        (IRoyaltyRegistry.RoyaltyParent[] memory expected, Shape memory shape, bytes memory refusal) =
            _expectedRoyaltyParents(versionId, previous, candidates);

        IDatasetRegistry.VersionInput memory version = _version(keccak256(abi.encode("version", versionId)));
        bytes memory call = datasetId == 0
            ? abi.encodeCall(registry.registerDatasetWithTerms, (version, parents, licenceIds, bytes32(0), terms))
            : abi.encodeCall(registry.publishVersion, (datasetId, version, parents, licenceIds, bytes32(0)));
        vm.prank(owner);
        (bool ok, bytes memory result) = address(registry).call(call);
        if (refusal.length != 0) {
            assertTrue(!ok && keccak256(result) == keccak256(refusal), "refused with the modelled royalty error");
            return 0;
        }
        _bubble(ok, result);
        if (datasetId == 0) {
            (uint64 newDataset, uint64 newVersion, uint64 newTerms) = abi.decode(result, (uint64, uint64, uint64));
            datasetId = ++datasetCount;
            assertEq(newDataset, datasetId, "dataset id as predicted");
            assertEq(newVersion, versionId, "version id as predicted");
            ownerOf[datasetId] = owner;
            _recordTerms(datasetId, newTerms, terms);
        } else {
            assertEq(abi.decode(result, (uint64)), versionId, "version id as predicted");
        }
        versionCount = versionId;
        datasetOf[versionId] = datasetId;
        versionsOf[datasetId].push(versionId);
        shapes[versionId] = shape;
        for (uint256 i; i < expected.length; ++i) {
            royaltyParents[versionId].push(expected[i]);
        }
        _checkRecordedParents(versionId);
    }

    /// @dev Each parent as the DatasetRegistry hands it to the treasury: own data (terms 0), or a licence bought now
    /// by `owner` under its dataset's current terms, asking those terms' derivative royalty.
    function _licenceParents(address owner, uint64[] memory parents)
        private
        returns (uint64[] memory licenceIds, IRoyaltyRegistry.RoyaltyParent[] memory candidates)
    {
        licenceIds = new uint64[](parents.length);
        candidates = new IRoyaltyRegistry.RoyaltyParent[](parents.length);
        for (uint256 i; i < parents.length; ++i) {
            uint64 parentDataset = datasetOf[parents[i]];
            candidates[i].versionId = parents[i];
            if (ownerOf[parentDataset] == owner) continue;
            licenceIds[i] = _buy(owner, parentDataset);
            uint64 termsId = licences[licenceIds[i]].termsId;
            candidates[i].termsId = termsId;
            candidates[i].bps = termsBook[termsId].derivativeRoyaltyBps;
        }
    }

    /// @dev Sets new terms on `datasetId` as its owner.
    function _setTerms(uint64 datasetId, IDatasetRegistry.TermsInput memory terms) internal {
        vm.prank(ownerOf[datasetId]);
        _recordTerms(datasetId, registry.setTerms(datasetId, terms), terms);
    }

    function _recordTerms(uint64 datasetId, uint64 termsId, IDatasetRegistry.TermsInput memory terms) private {
        assertEq(termsId, ++termsCount, "terms id as predicted");
        TermsBook storage book = termsBook[termsId];
        book.currency = terms.currency;
        book.price = terms.price;
        book.unitPrice = terms.unitPrice;
        book.derivativeRoyaltyBps = terms.derivativeRoyaltyBps;
        for (uint256 i; i < terms.splits.length; ++i) {
            book.recipients.push(terms.splits[i].recipient);
            book.bps.push(terms.splits[i].bps);
        }
        currentTerms[datasetId] = termsId;
    }

    /// @dev Names the contributors of `versionId` as its dataset's owner; a second naming must be refused.
    function _setContributors(uint64 versionId, IRoyaltyRegistry.Contributor[] memory named) internal {
        vm.prank(ownerOf[datasetOf[versionId]]);
        (bool ok, bytes memory result) =
            address(treasury).call(abi.encodeCall(treasury.setContributors, (versionId, named)));
        if (contributors[versionId].length != 0) {
            bytes memory refusal = abi.encodeWithSelector(IRoyaltyRegistry.ContributorsAlreadySet.selector, versionId);
            assertTrue(!ok && keccak256(result) == keccak256(refusal), "contributors are named once");
            return;
        }
        _bubble(ok, result);
        for (uint256 i; i < named.length; ++i) {
            contributors[versionId].push(named[i]);
        }
    }

    /// @dev `buyer` acquires a licence of `datasetId` under its current terms, paying the price.
    function _buy(address buyer, uint64 datasetId) internal returns (uint64 licenceId) {
        uint64 termsId = currentTerms[datasetId];
        TermsBook storage terms = termsBook[termsId];
        _fund(buyer, terms.currency, terms.price);
        vm.prank(buyer);
        licenceId = treasury.acquireLicence{value: terms.currency == ETH ? terms.price : 0}(datasetId, buyer, termsId);
        assertEq(licenceId, ++licenceCount, "licence id as predicted");
        licences[licenceId] = LicenceBook(buyer, termsId, datasetId, 0, 0, 0, 0);
        if (terms.unitPrice != 0) meteredLicences.push(licenceId);
        paidIn[terms.currency] += terms.price;
        uint64[] storage versions = versionsOf[datasetId];
        _pay(terms.currency, versions[versions.length - 1], termsId, terms.price); // settled on the latest version
    }

    /// @dev The licensee reports `units` of use of `versionId`; the deposit pays first, the licensee the rest.
    function _report(uint64 licenceId, uint64 versionId, uint64 units) internal {
        LicenceBook storage licence = licences[licenceId];
        TermsBook storage terms = termsBook[licence.termsId];
        uint256 cost = uint256(units) * terms.unitPrice;
        uint256 fromDeposit = licence.deposit < cost ? licence.deposit : cost;
        uint256 due = cost - fromDeposit;
        _fund(licence.licensee, terms.currency, due);
        IRoyaltyRegistry.UsageReport memory usage = IRoyaltyRegistry.UsageReport(
            licenceId, versionId, units, keccak256(abi.encode("usage", reportCount)), "ipfs://usage-logs"
        );
        vm.prank(licence.licensee);
        uint64 reportId = treasury.reportUsage{value: terms.currency == ETH ? due : 0}(usage);
        assertEq(reportId, ++reportCount, "report id as predicted");
        licence.deposit -= fromDeposit;
        licence.units += units;
        licence.reports += 1;
        licence.paid += cost;
        paidIn[terms.currency] += due;
        _pay(terms.currency, versionId, licence.termsId, cost);
    }

    /// @dev `from` adds `amount` to the licence's deposit.
    function _deposit(uint64 licenceId, address from, uint256 amount) internal {
        LicenceBook storage licence = licences[licenceId];
        address currency = termsBook[licence.termsId].currency;
        _fund(from, currency, amount);
        vm.prank(from);
        treasury.depositForUsage{value: currency == ETH ? amount : 0}(licenceId, amount);
        licence.deposit += amount;
        paidIn[currency] += amount;
    }

    /// @dev The licensee moves `amount` of its deposit to its own balance.
    function _release(uint64 licenceId, uint256 amount) internal {
        LicenceBook storage licence = licences[licenceId];
        address currency = termsBook[licence.termsId].currency;
        vm.prank(licence.licensee);
        treasury.releaseDeposit(licenceId, amount);
        licence.deposit -= amount;
        credited[currency][licence.licensee] += amount;
        released[currency] += amount;
    }

    /// @dev `account` withdraws its whole `currency` balance to itself, if it has one; it must arrive whole.
    function _withdraw(address account, address currency) internal {
        uint256 owed = treasury.royaltiesOf(account, currency);
        if (owed == 0) return;
        uint256 before = _balanceOf(currency, account);
        vm.prank(account);
        assertEq(treasury.withdrawRoyalties(currency, account), owed, "withdraws the whole balance");
        assertEq(_balanceOf(currency, account) - before, owed, "the whole balance arrives");
        assertEq(treasury.royaltiesOf(account, currency), 0, "balance cleared");
        withdrawn[currency][account] += owed;
        paidOut[currency] += owed;
    }

    /// @dev Gives `payer` `amount` more to pay with: ETH, or tokens approved to the treasury.
    function _fund(address payer, address currency, uint256 amount) private {
        if (amount == 0) return;
        if (currency == ETH) {
            vm.deal(payer, payer.balance + amount);
            return;
        }
        TestToken(currency).mint(payer, amount);
        vm.prank(payer);
        TestToken(currency).approve(address(treasury), amount);
    }

    /// @dev Re-throws a failed call's revert data, so a failure shows the registry's own error.
    function _bubble(bool ok, bytes memory result) private pure {
        if (ok) return;
        assembly ("memory-safe") {
            revert(add(result, 32), mload(result))
        }
    }

    // ------------------------------------------------------------------ the rules, written from the documentation

    /// @dev The royalty parents a publication of `versionId` records: those of the dataset's previous version, then
    /// for each candidate in order those of an own-data parent or the licensed parent itself when it asks a share;
    /// a version already listed is kept once. Refused past 16 ancestors listed, 10 000 bps, depth 4 or 16 ancestors
    /// counted along every path — in that order.
    function _expectedRoyaltyParents(
        uint64 versionId,
        uint64 previous,
        IRoyaltyRegistry.RoyaltyParent[] memory candidates
    ) private view returns (IRoyaltyRegistry.RoyaltyParent[] memory list, Shape memory shape, bytes memory refusal) {
        list = new IRoyaltyRegistry.RoyaltyParent[]((candidates.length + 1) * MAX_ANCESTORS);
        uint256 count = _inheritInto(list, 0, previous);
        for (uint256 i; i < candidates.length; ++i) {
            if (candidates[i].termsId == 0) count = _inheritInto(list, count, candidates[i].versionId);
            else if (candidates[i].bps != 0) count = _addInto(list, count, candidates[i]);
        }
        if (count > MAX_ANCESTORS) {
            refusal = abi.encodeWithSelector(
                IRoyaltyRegistry.RoyaltyLineageTooWide.selector, versionId, MAX_ANCESTORS + 1, MAX_ANCESTORS
            );
            return (list, shape, refusal);
        }
        uint256 bps;
        for (uint256 i; i < count; ++i) {
            Shape storage parent = shapes[list[i].versionId];
            bps += list[i].bps;
            if (parent.depth + 1 > shape.depth) shape.depth = parent.depth + 1;
            shape.ancestors += 1 + parent.ancestors;
        }
        if (bps > 10_000) {
            refusal = abi.encodeWithSelector(IRoyaltyRegistry.RoyaltySharesExceedTotal.selector, versionId, bps);
        } else if (shape.depth > MAX_DEPTH) {
            refusal = abi.encodeWithSelector(
                IRoyaltyRegistry.RoyaltyLineageTooDeep.selector, versionId, shape.depth, MAX_DEPTH
            );
        } else if (shape.ancestors > MAX_ANCESTORS) {
            refusal = abi.encodeWithSelector(
                IRoyaltyRegistry.RoyaltyLineageTooWide.selector, versionId, shape.ancestors, MAX_ANCESTORS
            );
        }
        assembly ("memory-safe") {
            mstore(list, count)
        }
    }

    function _inheritInto(IRoyaltyRegistry.RoyaltyParent[] memory list, uint256 count, uint64 from)
        private
        view
        returns (uint256)
    {
        IRoyaltyRegistry.RoyaltyParent[] storage inherited = royaltyParents[from];
        for (uint256 i; i < inherited.length; ++i) {
            count = _addInto(list, count, inherited[i]);
        }
        return count;
    }

    function _addInto(IRoyaltyRegistry.RoyaltyParent[] memory list, uint256 count, IRoyaltyRegistry.RoyaltyParent memory parent)
        private
        pure
        returns (uint256)
    {
        for (uint256 i; i < count; ++i) {
            if (list[i].versionId == parent.versionId) return count;
        }
        list[count] = parent;
        return count + 1;
    }

    /// @dev A payment of `amount` reaching `versionId` under `termsId`: each royalty parent takes floor(amount x bps)
    /// and passes it on the same way; contributors take their bps of what is left; the terms' recipients after the
    /// first take their bps of what is then left, and the first recipient everything that remains.
    function _pay(address currency, uint64 versionId, uint64 termsId, uint256 amount) private {
        settled[currency] += amount;
        _settle(currency, versionId, termsId, amount);
    }

    function _settle(address currency, uint64 versionId, uint64 termsId, uint256 amount) private {
        if (amount == 0) return; // nothing to divide (a free licence's terms may name no recipient)
        uint256 rest = amount;
        IRoyaltyRegistry.RoyaltyParent[] storage parents = royaltyParents[versionId];
        for (uint256 i; i < parents.length; ++i) {
            uint256 share = amount * parents[i].bps / 10_000;
            rest -= share;
            _settle(currency, parents[i].versionId, parents[i].termsId, share);
        }
        uint256 pool = rest;
        IRoyaltyRegistry.Contributor[] storage named = contributors[versionId];
        for (uint256 i; i < named.length; ++i) {
            uint256 share = pool * named[i].bps / 10_000;
            rest -= share;
            credited[currency][named[i].account] += share;
        }
        pool = rest;
        TermsBook storage terms = termsBook[termsId];
        for (uint256 i = 1; i < terms.bps.length; ++i) {
            uint256 share = pool * terms.bps[i] / 10_000;
            rest -= share;
            credited[currency][terms.recipients[i]] += share;
        }
        credited[currency][terms.recipients[0]] += rest;
    }

    // ------------------------------------------------------------------ the chain against the books

    /// @dev The treasury recorded exactly the royalty parents and shape the model expects for `versionId`.
    function _checkRecordedParents(uint64 versionId) private view {
        (IRoyaltyRegistry.VersionRoyalties memory shape, IRoyaltyRegistry.RoyaltyParent[] memory parents,) =
            treasury.royaltiesOfVersion(versionId);
        IRoyaltyRegistry.RoyaltyParent[] storage expected = royaltyParents[versionId];
        assertEq(parents.length, expected.length, "royalty parent count");
        for (uint256 i; i < parents.length; ++i) {
            assertEq(parents[i].versionId, expected[i].versionId, "royalty parent version");
            assertEq(parents[i].termsId, expected[i].termsId, "royalty parent terms");
            assertEq(parents[i].bps, expected[i].bps, "royalty parent share");
        }
        assertEq(shape.depth, shapes[versionId].depth, "lineage depth");
        assertEq(shape.ancestors, shapes[versionId].ancestors, "ancestors paid per payment");
    }

    /// @notice Every account's balance plus withdrawals is what the rules credited it, and in total what was paid
    /// (licence prices and usage costs) plus deposits released: not one wei more or less, in every currency.
    function checkCredits() public view {
        for (uint256 c; c < currencies.length; ++c) {
            address currency = currencies[c];
            uint256 total;
            for (uint256 i; i < accounts.length; ++i) {
                address account = accounts[i];
                uint256 balance = treasury.royaltiesOf(account, currency);
                assertEq(balance + withdrawn[currency][account], credited[currency][account], "credited by the rules");
                total += balance + withdrawn[currency][account];
            }
            assertEq(total, settled[currency] + released[currency], "sum credited == sum paid: zero dust");
        }
    }

    /// @notice The treasury holds, per currency, exactly the balances it owes plus the deposits it keeps, and exactly
    /// what came in less what went out.
    function checkTreasury() public view {
        for (uint256 c; c < currencies.length; ++c) {
            address currency = currencies[c];
            uint256 owed;
            for (uint256 i; i < accounts.length; ++i) {
                owed += treasury.royaltiesOf(accounts[i], currency);
            }
            for (uint256 i; i < meteredLicences.length; ++i) {
                uint64 licenceId = meteredLicences[i];
                if (termsBook[licences[licenceId].termsId].currency == currency) owed += treasury.depositOf(licenceId);
            }
            uint256 held = _balanceOf(currency, address(treasury));
            assertEq(held, owed, "treasury balance == sum of royaltiesOf + sum of deposits");
            assertEq(held, paidIn[currency] - paidOut[currency], "treasury balance == paid in - withdrawn");
        }
    }

    /// @notice Every metered licence's cumulative usage and deposit are what its reports and deposits add up to.
    function checkUsage() public view {
        for (uint256 i; i < meteredLicences.length; ++i) {
            uint64 licenceId = meteredLicences[i];
            LicenceBook storage book = licences[licenceId];
            IRoyaltyRegistry.Usage memory usage = treasury.usageOf(licenceId);
            assertEq(usage.units, book.units, "units reported");
            assertEq(usage.reports, book.reports, "reports made");
            assertEq(usage.paid, book.paid, "paid for usage");
            assertEq(treasury.depositOf(licenceId), book.deposit, "deposit left");
        }
    }
}
