// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IRoyaltyRegistry} from "./IRoyaltyRegistry.sol";
import {RoyaltySplits} from "./RoyaltySplits.sol";
import {IDatasetRegistry} from "../datasets/IDatasetRegistry.sol";
import {SubjectType} from "../common/Subjects.sol";

/// @title RoyaltyRegistry
/// @notice Pedigree's treasury: licence sales, metered usage, derivation royalties up the dataset lineage, contributor
/// shares, and pull withdrawals. Created by the DatasetRegistry it serves. See {IRoyaltyRegistry}.
contract RoyaltyRegistry is IRoyaltyRegistry, ReentrancyGuardTransient, EIP712, Nonces {
    using SafeERC20 for IERC20;

    /// @notice Most levels of royalty ancestors above a version.
    uint256 public constant MAX_ROYALTY_DEPTH = 4;
    /// @notice Most ancestors one payment pays, counted along every path (bounds the fan-out and the gas of a payment).
    uint256 public constant MAX_ROYALTY_ANCESTORS = 16;
    /// @notice Most contributors a version names.
    uint256 public constant MAX_CONTRIBUTORS = 8;
    /// @notice How far ahead a signed report's deadline may lie.
    uint256 public constant MAX_SIGNATURE_LIFETIME = 30 days;
    /// @notice EIP-712 type of a signed usage report. The URI is signed as its keccak256.
    bytes32 public constant USAGE_REPORT_TYPEHASH = keccak256(
        "UsageReport(uint64 licenceId,uint64 versionId,uint64 units,bytes32 reportHash,string reportURI,"
        "uint256 nonce,uint256 deadline)"
    );

    /// @inheritdoc IRoyaltyRegistry
    address public immutable DATASETS;

    /// @dev A payment being settled: (licenceId, reportId) names it; reportId 0 is the licence's sale.
    struct Payment {
        uint64 licenceId;
        uint64 reportId;
        address currency;
    }

    uint64 private _lastReportId;
    mapping(uint64 versionId => VersionRoyalties) private _shapes;
    mapping(uint64 versionId => mapping(uint256 index => RoyaltyParent)) private _parents;
    mapping(uint64 versionId => mapping(uint256 index => Contributor)) private _contributors;
    mapping(uint64 licenceId => Usage) private _usage;
    mapping(uint64 licenceId => uint256) private _deposits;
    mapping(address account => mapping(address currency => uint256)) private _balances;

    constructor() EIP712("Pedigree Royalties", "1") {
        DATASETS = msg.sender;
    }

    modifier onlyDatasets() {
        if (msg.sender != DATASETS) revert NotDatasetRegistry(msg.sender);
        _;
    }

    // ------------------------------------------------------------------ lineage and contributors

    /// @inheritdoc IRoyaltyRegistry
    function recordRoyaltyParents(
        uint64 datasetId,
        uint64 versionId,
        uint64 previousVersionId,
        RoyaltyParent[] calldata candidates
    ) external onlyDatasets returns (bool owesRoyalties) {
        RoyaltyParent[] memory parents = new RoyaltyParent[](MAX_ROYALTY_ANCESTORS);
        uint256 count = _inherit(versionId, parents, 0, previousVersionId);
        for (uint256 i; i < candidates.length; ++i) {
            RoyaltyParent calldata candidate = candidates[i];
            if (candidate.termsId == 0) count = _inherit(versionId, parents, count, candidate.versionId);
            else if (candidate.bps != 0) count = _add(versionId, parents, count, candidate);
        }
        if (count == 0) return false;
        VersionRoyalties memory shape = _shapeOf(versionId, parents, count);
        _shapes[versionId] = shape;
        assembly ("memory-safe") {
            mstore(parents, count)
        }
        for (uint256 i; i < count; ++i) {
            _parents[versionId][i] = parents[i];
        }
        emit RoyaltyParentsRecorded(versionId, datasetId, parents, shape.depth, shape.ancestors);
        return true;
    }

    /// @dev Adds the royalty parents of `from` to `parents[0..count)` of `versionId`; returns the new count.
    function _inherit(uint64 versionId, RoyaltyParent[] memory parents, uint256 count, uint64 from)
        private
        view
        returns (uint256)
    {
        uint256 inherited = _shapes[from].parentCount;
        for (uint256 i; i < inherited; ++i) {
            count = _add(versionId, parents, count, _parents[from][i]);
        }
        return count;
    }

    /// @dev Adds `parent` unless a royalty parent of the same version is already there (the first one is kept).
    function _add(uint64 versionId, RoyaltyParent[] memory parents, uint256 count, RoyaltyParent memory parent)
        private
        pure
        returns (uint256)
    {
        for (uint256 i; i < count; ++i) {
            if (parents[i].versionId == parent.versionId) return count;
        }
        if (count == MAX_ROYALTY_ANCESTORS) revert RoyaltyLineageTooWide(versionId, count + 1, MAX_ROYALTY_ANCESTORS);
        parents[count] = parent;
        return count + 1;
    }

    /// @dev The shape of `versionId` with `parents[0..count)`; reverts past the bounds.
    function _shapeOf(uint64 versionId, RoyaltyParent[] memory parents, uint256 count)
        private
        view
        returns (VersionRoyalties memory shape)
    {
        uint256 bps;
        uint256 depth;
        uint256 ancestors;
        for (uint256 i; i < count; ++i) {
            VersionRoyalties memory parent = _shapes[parents[i].versionId];
            bps += parents[i].bps;
            if (parent.depth + 1 > depth) depth = parent.depth + 1;
            ancestors += 1 + uint256(parent.ancestors);
        }
        if (bps > RoyaltySplits.TOTAL_BPS) revert RoyaltySharesExceedTotal(versionId, bps);
        if (depth > MAX_ROYALTY_DEPTH) revert RoyaltyLineageTooDeep(versionId, depth, MAX_ROYALTY_DEPTH);
        if (ancestors > MAX_ROYALTY_ANCESTORS) {
            revert RoyaltyLineageTooWide(versionId, ancestors, MAX_ROYALTY_ANCESTORS);
        }
        shape = _shapes[versionId];
        // Fit in uint8 / uint16: count ≤ ancestors ≤ 16, depth ≤ 4, bps ≤ 10 000.
        shape.parentCount = uint8(count);
        shape.depth = uint8(depth);
        shape.ancestors = uint8(ancestors);
        shape.parentBps = uint16(bps);
    }

    /// @inheritdoc IRoyaltyRegistry
    function setContributors(uint64 versionId, Contributor[] calldata contributors) external {
        uint64 datasetId = IDatasetRegistry(DATASETS).datasetOfVersion(versionId);
        address owner = IERC721(DATASETS).ownerOf(datasetId);
        if (msg.sender != owner && !IERC721(DATASETS).isApprovedForAll(owner, msg.sender)) {
            revert NotVersionOwner(versionId, msg.sender);
        }
        VersionRoyalties memory shape = _shapes[versionId];
        if (shape.contributorCount != 0) revert ContributorsAlreadySet(versionId);
        uint256 count = contributors.length;
        if (count == 0 || count > MAX_CONTRIBUTORS) revert ContributorCountOutOfRange(count, MAX_CONTRIBUTORS);
        uint256 bps;
        for (uint256 i; i < count; ++i) {
            Contributor calldata contributor = contributors[i];
            if (contributor.account == address(0) || contributor.bps == 0) revert InvalidContributor(i);
            bps += contributor.bps;
            _contributors[versionId][i] = contributor;
        }
        if (bps > RoyaltySplits.TOTAL_BPS) revert ContributorSharesExceedTotal(bps);
        shape.contributorCount = uint8(count);
        shape.contributorBps = uint16(bps);
        _shapes[versionId] = shape;
        emit ContributorsSet(versionId, datasetId, contributors, msg.sender);
    }

    // ------------------------------------------------------------------ payments in

    /// @inheritdoc IRoyaltyRegistry
    function acquireLicence(uint64 datasetId, address licensee, uint64 expectedTermsId)
        external
        payable
        nonReentrant
        returns (uint64 licenceId)
    {
        IDatasetRegistry.Sale memory sale;
        (licenceId, sale) = IDatasetRegistry(DATASETS).grantLicence(datasetId, licensee, expectedTermsId, msg.sender);
        // A free licence with nothing sent records no payment; ETH sent for it is refused by _collect.
        if (sale.price == 0 && msg.value == 0) return licenceId;
        _collect(msg.sender, sale.currency, sale.price);
        _pay(Payment(licenceId, 0, sale.currency), sale.versionId, msg.sender, sale.price, sale.splits);
    }

    /// @inheritdoc IRoyaltyRegistry
    function receiveRefund(address licensee, address refundedBy, address currency, uint256 amount)
        external
        payable
        onlyDatasets
        nonReentrant
        returns (uint256 surplus)
    {
        if (currency == address(0)) {
            // What is due falls by the second: pay what was due when you looked; the surplus is yours to withdraw.
            if (msg.value < amount) revert WrongPayment(amount, msg.value);
            surplus = msg.value - amount;
            if (surplus != 0) _balances[refundedBy][address(0)] += surplus;
        } else {
            _collect(refundedBy, currency, amount);
        }
        _balances[licensee][currency] += amount;
    }

    /// @inheritdoc IRoyaltyRegistry
    function reportUsage(UsageReport calldata report) external payable nonReentrant returns (uint64 reportId) {
        reportId = _report(report, msg.sender);
    }

    /// @inheritdoc IRoyaltyRegistry
    function reportUsageBySig(UsageReport calldata report, uint256 nonce, uint256 deadline, bytes calldata signature)
        external
        payable
        nonReentrant
        returns (uint64 reportId)
    {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        uint256 latest = block.timestamp + MAX_SIGNATURE_LIFETIME;
        if (deadline > latest) revert DeadlineTooFar(deadline, latest);
        address licensee = IDatasetRegistry(DATASETS).getLicence(report.licenceId).licensee;
        if (!SignatureChecker.isValidSignatureNowCalldata(licensee, _digest(report, nonce, deadline), signature)) {
            revert SignatureNotByLicensee(licensee);
        }
        _useCheckedNonce(licensee, nonce);
        reportId = _report(report, licensee);
    }

    /// @inheritdoc IRoyaltyRegistry
    function cancelUsageNonce() external returns (uint256 cancelled) {
        cancelled = _useNonce(msg.sender);
        emit UsageNonceCancelled(msg.sender, cancelled);
    }

    /// @dev Checks and pays `report` made by `licensee`: deposit first, the caller for the rest.
    function _report(UsageReport calldata report, address licensee) private returns (uint64 reportId) {
        if (report.units == 0) revert ZeroUnits();
        uint64 licenceId = report.licenceId;
        (
            IDatasetRegistry.Licence memory licence,
            IDatasetRegistry.Terms memory terms,
            RoyaltySplits.Split[] memory splits
        ) = _meteredLicence(licenceId);
        if (licence.licensee != licensee) revert NotLicensee(licenceId, licensee);
        uint64 versionId = report.versionId;
        if (IDatasetRegistry(DATASETS).datasetOfVersion(versionId) != terms.datasetId) {
            revert VersionNotLicensed(versionId, licenceId);
        }
        uint256 cost = uint256(report.units) * terms.unitPrice;
        uint256 fromDeposit = _deposits[licenceId];
        if (fromDeposit > cost) fromDeposit = cost;
        if (fromDeposit != 0) _deposits[licenceId] -= fromDeposit;
        _collect(msg.sender, terms.currency, cost - fromDeposit);

        Usage memory usage = _usage[licenceId];
        usage.units += report.units;
        ++usage.reports;
        // cost < 2^160 (units < 2^64, unit price < 2^96): a report costing 2^128 or more is refused, not truncated.
        usage.paid += SafeCast.toUint128(cost);
        _usage[licenceId] = usage;

        reportId = ++_lastReportId;
        emit UsageReported(
            reportId,
            licenceId,
            versionId,
            licensee,
            report.units,
            cost,
            fromDeposit,
            report.reportHash,
            report.reportURI,
            msg.sender
        );
        _pay(Payment(licenceId, reportId, terms.currency), versionId, licensee, cost, splits);
    }

    /// @dev The licence and its terms, which must price use by the unit; reverts for a voided licence. An expired
    /// licence may still be reported on: use made while it was valid is still owed.
    function _meteredLicence(uint64 licenceId)
        private
        view
        returns (
            IDatasetRegistry.Licence memory licence,
            IDatasetRegistry.Terms memory terms,
            RoyaltySplits.Split[] memory splits
        )
    {
        licence = IDatasetRegistry(DATASETS).getLicence(licenceId);
        if (licence.refunded) revert LicenceVoided(licenceId);
        (terms, splits) = IDatasetRegistry(DATASETS).getTerms(licence.termsId);
        if (terms.unitPrice == 0) revert NotMetered(licenceId);
    }

    /// @inheritdoc IRoyaltyRegistry
    function depositForUsage(uint64 licenceId, uint256 amount) external payable nonReentrant {
        if (amount == 0) revert ZeroAmount();
        (, IDatasetRegistry.Terms memory terms,) = _meteredLicence(licenceId);
        _collect(msg.sender, terms.currency, amount);
        _deposits[licenceId] += amount;
        emit UsageDeposited(licenceId, msg.sender, terms.currency, amount);
    }

    /// @inheritdoc IRoyaltyRegistry
    function releaseDeposit(uint64 licenceId, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        IDatasetRegistry.Licence memory licence = IDatasetRegistry(DATASETS).getLicence(licenceId);
        if (licence.licensee != msg.sender) revert NotLicensee(licenceId, msg.sender);
        uint256 available = _deposits[licenceId];
        if (amount > available) revert DepositTooSmall(licenceId, amount, available);
        _deposits[licenceId] = available - amount;
        (IDatasetRegistry.Terms memory terms,) = IDatasetRegistry(DATASETS).getTerms(licence.termsId);
        _balances[msg.sender][terms.currency] += amount;
        emit UsageDepositReleased(licenceId, msg.sender, terms.currency, amount);
    }

    /// @dev Takes `amount` from `payer`: the ETH sent with the call, or an ERC-20 transfer that must arrive whole.
    function _collect(address payer, address currency, uint256 amount) private {
        if (currency == address(0)) {
            if (msg.value != amount) revert WrongPayment(amount, msg.value);
            return;
        }
        if (msg.value != 0) revert UnexpectedEther(msg.value);
        if (amount == 0) return;
        IERC20 token = IERC20(currency);
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(payer, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != amount) revert TransferShortfall(currency, amount, received);
    }

    // ------------------------------------------------------------------ settlement

    /// @dev Records `payment` and settles it on `versionId`, its remainder to `splits` (those of the terms paid under).
    function _pay(
        Payment memory payment,
        uint64 versionId,
        address payer,
        uint256 amount,
        RoyaltySplits.Split[] memory splits
    ) private {
        emit PaymentReceived(payment.licenceId, payment.reportId, versionId, payer, payment.currency, amount);
        if (amount != 0) _settle(payment, versionId, amount, splits);
    }

    /// @dev Credits `amount` reaching `versionId`: royalty parents (recursively, each to the splits of the terms it was
    /// used under), contributors, then `splits`, the first taking the rest. The credits add up to `amount` exactly.
    function _settle(Payment memory payment, uint64 versionId, uint256 amount, RoyaltySplits.Split[] memory splits)
        private
    {
        VersionRoyalties memory shape = _shapes[versionId];
        uint256 rest = amount;
        for (uint256 i; i < shape.parentCount; ++i) {
            RoyaltyParent memory parent = _parents[versionId][i];
            uint256 share = RoyaltySplits.shareOf(amount, parent.bps);
            if (share == 0) continue;
            rest -= share;
            emit DerivationRoyaltyPaid(
                payment.licenceId, payment.reportId, versionId, parent.versionId, parent.termsId, parent.bps, share
            );
            _settle(payment, parent.versionId, share, IDatasetRegistry(DATASETS).splitsOf(parent.termsId));
        }
        uint256 pool = rest;
        for (uint256 i; i < shape.contributorCount; ++i) {
            Contributor memory contributor = _contributors[versionId][i];
            uint256 share = RoyaltySplits.shareOf(pool, contributor.bps);
            rest -= share;
            _credit(payment, contributor.account, versionId, ShareKind.Contribution, share);
        }
        pool = rest;
        for (uint256 i = 1; i < splits.length; ++i) {
            uint256 share = RoyaltySplits.shareOf(pool, splits[i].bps);
            rest -= share;
            _credit(payment, splits[i].recipient, versionId, ShareKind.Split, share);
        }
        _credit(payment, splits[0].recipient, versionId, ShareKind.Split, rest);
    }

    function _credit(Payment memory payment, address recipient, uint64 versionId, ShareKind kind, uint256 amount)
        private
    {
        if (amount == 0) return;
        _balances[recipient][payment.currency] += amount;
        emit RoyaltyCredited(
            recipient, payment.currency, payment.licenceId, payment.reportId, versionId, kind, amount
        );
    }

    // ------------------------------------------------------------------ payments out

    /// @inheritdoc IRoyaltyRegistry
    function withdrawRoyalties(address currency, address to) external nonReentrant returns (uint256 amount) {
        if (to == address(0)) revert ZeroDestination();
        amount = _balances[msg.sender][currency];
        if (amount == 0) revert NothingToWithdraw(msg.sender, currency);
        _balances[msg.sender][currency] = 0;
        emit RoyaltyWithdrawn(msg.sender, currency, to, amount);
        if (currency == address(0)) {
            (bool ok,) = payable(to).call{value: amount}("");
            if (!ok) revert EtherTransferFailed(to, amount);
        } else {
            IERC20(currency).safeTransfer(to, amount);
        }
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IRoyaltyRegistry
    function royaltiesOf(address account, address currency) external view returns (uint256) {
        return _balances[account][currency];
    }

    /// @inheritdoc IRoyaltyRegistry
    function usageOf(uint64 licenceId) external view returns (Usage memory) {
        return _usage[licenceId];
    }

    /// @inheritdoc IRoyaltyRegistry
    function depositOf(uint64 licenceId) external view returns (uint256) {
        return _deposits[licenceId];
    }

    /// @inheritdoc IRoyaltyRegistry
    function royaltiesOfVersion(uint64 versionId)
        external
        view
        returns (VersionRoyalties memory shape, RoyaltyParent[] memory parents, Contributor[] memory contributors)
    {
        shape = _shapes[versionId];
        parents = new RoyaltyParent[](shape.parentCount);
        for (uint256 i; i < parents.length; ++i) {
            parents[i] = _parents[versionId][i];
        }
        contributors = new Contributor[](shape.contributorCount);
        for (uint256 i; i < contributors.length; ++i) {
            contributors[i] = _contributors[versionId][i];
        }
    }

    /// @inheritdoc IRoyaltyRegistry
    function usageReportDigest(UsageReport calldata report, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        return _digest(report, nonce, deadline);
    }

    /// @notice Whether usage report `subjectId` exists (the subject of usage-dispute attestations).
    function subjectExists(SubjectType subjectType, uint64 subjectId) external view returns (bool) {
        return subjectType == SubjectType.UsageReport && subjectId != 0 && subjectId <= _lastReportId;
    }

    function _digest(UsageReport calldata report, uint256 nonce, uint256 deadline) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    USAGE_REPORT_TYPEHASH,
                    report.licenceId,
                    report.versionId,
                    report.units,
                    report.reportHash,
                    keccak256(bytes(report.reportURI)),
                    nonce,
                    deadline
                )
            )
        );
    }
}
