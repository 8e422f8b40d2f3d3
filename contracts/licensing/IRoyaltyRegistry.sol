// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ISubjectRegistry} from "../common/Subjects.sol";

/// @title IRoyaltyRegistry
/// @notice Pedigree's treasury: every payment for data arrives here — licence sales (through the DatasetRegistry),
/// metered usage reports, refunds of voided licences — and is credited, never sent: each recipient withdraws its
/// balance ({withdrawRoyalties}).
///
/// A payment to a dataset version is settled in this order, and the credits always add up to the payment exactly:
/// 1. **Derivation royalties**: each royalty parent of the version (a dataset version it was derived from under a
///    licence whose terms ask a share of derivatives) receives `amount * bps / 10 000`, settled recursively as a
///    payment to that parent version (its own parents, contributors and the recipients of the parent licence's terms).
/// 2. **Contributor shares**: of what remains, each contributor of the version ({setContributors}) receives its bps.
/// 3. **Creator splits**: the rest goes to the split recipients of the terms paid under, the first one taking the
///    rounding remainder.
///
/// Royalty parents are fixed when a version is published, so the royalty lineage is acyclic and never changes. A
/// version also inherits the royalty parents of the dataset's previous version and of any own-data parent: once a
/// dataset is derived from licensed data, no later version stops paying for it. Bounds, checked at publication: at
/// most {MAX_ROYALTY_DEPTH} levels of ancestors and {MAX_ROYALTY_ANCESTORS} ancestors paid per payment (counted
/// along every path), which bounds the fan-out; a version past either cannot be published.
interface IRoyaltyRegistry is ISubjectRegistry {
    /// @notice Why a recipient was credited.
    enum ShareKind {
        Split, // a creator split of the terms paid under
        Contribution // a contributor's share of a version's payments
    }

    /// @notice A dataset version a version pays on every payment, and what it pays. One slot.
    struct RoyaltyParent {
        uint64 versionId; // the parent dataset version
        uint64 termsId; // the terms of the licence it was used under: whose recipients are paid; 0 = own data
        uint16 bps; // share of every payment to the child, from those terms' derivative royalty
    }

    /// @notice A contributor of a dataset version (labelling, cleaning, verification) and its share of the version's
    /// payments after derivation royalties.
    struct Contributor {
        address account;
        uint16 bps;
        bytes32 roleHash; // what it contributed, e.g. keccak256("labelling"); evidence only
    }

    /// @notice A usage report as the licensee makes or signs it.
    struct UsageReport {
        uint64 licenceId; // a licence under metered terms (unit price > 0)
        uint64 versionId; // the dataset version used
        uint64 units; // units of use in this report, in the unit the terms name
        bytes32 reportHash; // hash of the usage evidence (logs, counters) kept off-chain
        string reportURI; // where that evidence lives
    }

    /// @notice Cumulative usage of one licence. One slot.
    struct Usage {
        uint64 units; // units reported so far
        uint64 reports; // reports made so far
        uint128 paid; // paid for them so far, in the terms' currency
    }

    /// @notice The royalty shape of a dataset version. One slot.
    struct VersionRoyalties {
        uint8 parentCount;
        uint8 contributorCount;
        uint8 depth; // levels of royalty ancestors above the version; 0 = none
        uint8 ancestors; // ancestors paid per payment, counted along every path
        uint16 parentBps; // sum of the royalty parents' shares
        uint16 contributorBps; // sum of the contributors' shares
    }

    /// @notice Emitted when version `versionId` of `datasetId` is published with royalty parents (its own, inherited
    /// from the dataset's previous version, or from an own-data parent).
    event RoyaltyParentsRecorded(
        uint64 indexed versionId, uint64 indexed datasetId, RoyaltyParent[] parents, uint8 depth, uint8 ancestors
    );

    /// @notice Emitted when the owner of dataset `datasetId` names the contributors of version `versionId`.
    event ContributorsSet(
        uint64 indexed versionId, uint64 indexed datasetId, Contributor[] contributors, address setBy
    );

    /// @notice Emitted for every payment received: `amount` of `currency` from `payer` under licence `licenceId`, for
    /// the licence itself (`reportId` 0: its sale) or for usage report `reportId`, settled on dataset version
    /// `versionId` (for a sale: the dataset's latest version). A payment is named by (licenceId, reportId).
    event PaymentReceived(
        uint64 indexed licenceId,
        uint64 indexed reportId,
        uint64 indexed versionId,
        address payer,
        address currency,
        uint256 amount
    );

    /// @notice Emitted when payment (`licenceId`, `reportId`), reaching version `versionId`, pays `amount` to its
    /// royalty parent `parentVersionId` (settled as a payment to that version, to the recipients of terms `termsId`).
    event DerivationRoyaltyPaid(
        uint64 indexed licenceId,
        uint64 reportId,
        uint64 indexed versionId,
        uint64 indexed parentVersionId,
        uint64 termsId,
        uint16 bps,
        uint256 amount
    );

    /// @notice Emitted for each share of payment (`licenceId`, `reportId`) credited to `recipient` at version
    /// `versionId`.
    event RoyaltyCredited(
        address indexed recipient,
        address indexed currency,
        uint64 indexed licenceId,
        uint64 reportId,
        uint64 versionId,
        ShareKind kind,
        uint256 amount
    );

    /// @notice Emitted for every usage report, paid in the same transaction: `fromDeposit` out of the licence's
    /// deposit, the rest by `submittedBy` (the licensee, or a relayer of its signed report).
    event UsageReported(
        uint64 indexed reportId,
        uint64 indexed licenceId,
        uint64 indexed versionId,
        address licensee,
        uint64 units,
        uint256 cost,
        uint256 fromDeposit,
        bytes32 reportHash,
        string reportURI,
        address submittedBy
    );

    /// @notice Emitted when `amount` is added to licence `licenceId`'s prepaid deposit by `from`.
    event UsageDeposited(uint64 indexed licenceId, address indexed from, address currency, uint256 amount);

    /// @notice Emitted when the licensee releases `amount` of its licence's deposit to its withdrawable balance.
    event UsageDepositReleased(uint64 indexed licenceId, address indexed licensee, address currency, uint256 amount);

    /// @notice Emitted when `recipient` withdraws its `currency` balance to `to`.
    event RoyaltyWithdrawn(address indexed recipient, address indexed currency, address to, uint256 amount);

    /// @notice Emitted when `account` cancels its usage-report nonce `nonce`.
    event UsageNonceCancelled(address indexed account, uint256 nonce);

    /// @notice Thrown when an entry point only the DatasetRegistry may call is called by `caller`.
    error NotDatasetRegistry(address caller);
    /// @notice Thrown when `account` neither owns the dataset of `versionId` nor operates its owner's tokens.
    error NotVersionOwner(uint64 versionId, address account);
    /// @notice Thrown when `account` reports usage of licence `licenceId` it does not hold.
    error NotLicensee(uint64 licenceId, address account);
    /// @notice Thrown when licence `licenceId` was granted under terms without a unit price.
    error NotMetered(uint64 licenceId);
    /// @notice Thrown when licence `licenceId` was voided by a refund.
    error LicenceVoided(uint64 licenceId);
    /// @notice Thrown when `versionId` is not a version of the dataset licence `licenceId` covers.
    error VersionNotLicensed(uint64 versionId, uint64 licenceId);
    /// @notice Thrown for a usage report of zero units.
    error ZeroUnits();
    /// @notice Thrown when a version's royalty parents ask more than the whole payment (`bps` > 10 000).
    error RoyaltySharesExceedTotal(uint64 versionId, uint256 bps);
    /// @notice Thrown when a version would have more than `max` levels of royalty ancestors.
    error RoyaltyLineageTooDeep(uint64 versionId, uint256 depth, uint256 max);
    /// @notice Thrown when a payment to a version would pay more than `max` ancestors, counted along every path.
    error RoyaltyLineageTooWide(uint64 versionId, uint256 ancestors, uint256 max);
    /// @notice Thrown when a version's contributors were already named.
    error ContributorsAlreadySet(uint64 versionId);
    /// @notice Thrown when no contributor, or more than `max`, is named.
    error ContributorCountOutOfRange(uint256 count, uint256 max);
    /// @notice Thrown when the contributor at `index` is the zero address or has a zero share.
    error InvalidContributor(uint256 index);
    /// @notice Thrown when the contributors' shares add up to more than 10 000 bps.
    error ContributorSharesExceedTotal(uint256 bps);
    /// @notice Thrown when ETH sent differs from what is due.
    error WrongPayment(uint256 expected, uint256 sent);
    /// @notice Thrown when ETH is sent with a payment in an ERC-20 token.
    error UnexpectedEther(uint256 sent);
    /// @notice Thrown when an ERC-20 transfer delivered less than asked (fee-on-transfer tokens are refused).
    error TransferShortfall(address currency, uint256 expected, uint256 received);
    /// @notice Thrown when `amount` is more than licence `licenceId`'s deposit `available`.
    error DepositTooSmall(uint64 licenceId, uint256 amount, uint256 available);
    /// @notice Thrown for a zero amount where one is required.
    error ZeroAmount();
    /// @notice Thrown when `account` has no `currency` balance to withdraw.
    error NothingToWithdraw(address account, address currency);
    /// @notice Thrown when a withdrawal names the zero address as destination.
    error ZeroDestination();
    /// @notice Thrown when sending `amount` ETH to `to` fails.
    error EtherTransferFailed(address to, uint256 amount);
    /// @notice Thrown when a signed report's deadline has passed.
    error SignatureExpired(uint256 deadline);
    /// @notice Thrown when a signed report's deadline lies more than the maximum lifetime ahead (`latest`).
    error DeadlineTooFar(uint256 deadline, uint256 latest);
    /// @notice Thrown when a report's signature is not the licensee's (`licensee`).
    error SignatureNotByLicensee(address licensee);

    /// @notice The DatasetRegistry that created this treasury, the only caller of its payment entry points.
    function DATASETS() external view returns (address);

    /// @notice Records the royalty parents of version `versionId` of `datasetId` from its publication: `candidates` are
    /// its parents (termsId 0 for own-data parents, whose royalty parents it inherits), `previousVersionId` the
    /// dataset's previous version (0 for the first), whose royalty parents it inherits too. Returns whether the version
    /// has any royalty parent. DatasetRegistry only.
    function recordRoyaltyParents(
        uint64 datasetId,
        uint64 versionId,
        uint64 previousVersionId,
        RoyaltyParent[] calldata candidates
    ) external returns (bool owesRoyalties);

    /// @notice Buys a licence of `datasetId` for `licensee` under terms `expectedTermsId` (the DatasetRegistry records
    /// it), paying their price: the exact ETH, or an ERC-20 pulled from the caller, who approves this contract. The
    /// price is settled on the dataset's latest version: its royalty parents, its contributors, then the terms' splits.
    /// @dev Requirements: as {IDatasetRegistry-grantLicence}; exact ETH (none for ERC-20 or free terms), an ERC-20
    /// received in full. Emits {IDatasetRegistry-LicenceAcquired} and, when priced, the payment events.
    function acquireLicence(uint64 datasetId, address licensee, uint64 expectedTermsId)
        external
        payable
        returns (uint64 licenceId);

    /// @notice Receives a refund of `amount` for `licensee` from `refundedBy` (ETH forwarded, of which anything above
    /// `amount` is credited back to `refundedBy`; or an ERC-20 pulled from `refundedBy`). DatasetRegistry only.
    function receiveRefund(address licensee, address refundedBy, address currency, uint256 amount)
        external
        payable
        returns (uint256 surplus);

    /// @notice Names the contributors of version `versionId`, once. Dataset owner or its operator.
    function setContributors(uint64 versionId, Contributor[] calldata contributors) external;

    /// @notice Reports usage under a metered licence and pays for it: the licence's deposit is drawn down first, the
    /// caller pays the rest (ETH sent exactly, or an ERC-20 pulled from it). Licensee only.
    function reportUsage(UsageReport calldata report) external payable returns (uint64 reportId);

    /// @notice {reportUsage} signed by the licensee (EIP-712, an EOA or an ERC-1271 contract) and sent by anyone, who
    /// pays what the deposit does not cover. `nonce` is the licensee's next usage nonce.
    function reportUsageBySig(UsageReport calldata report, uint256 nonce, uint256 deadline, bytes calldata signature)
        external
        payable
        returns (uint64 reportId);

    /// @notice Uses up the caller's next usage-report nonce, voiding any report it signed with it.
    function cancelUsageNonce() external returns (uint256 cancelled);

    /// @notice Adds `amount` to licence `licenceId`'s prepaid deposit (ETH sent exactly, or an ERC-20 pulled). Anyone.
    function depositForUsage(uint64 licenceId, uint256 amount) external payable;

    /// @notice Moves `amount` of the licence's deposit to the licensee's withdrawable balance. Licensee only.
    function releaseDeposit(uint64 licenceId, uint256 amount) external;

    /// @notice Sends the caller's whole `currency` balance to `to`.
    function withdrawRoyalties(address currency, address to) external returns (uint256 amount);

    /// @notice What `account` can withdraw in `currency`.
    function royaltiesOf(address account, address currency) external view returns (uint256);

    /// @notice Cumulative usage reported and paid under licence `licenceId`.
    function usageOf(uint64 licenceId) external view returns (Usage memory);

    /// @notice What is left of licence `licenceId`'s prepaid deposit.
    function depositOf(uint64 licenceId) external view returns (uint256);

    /// @notice The royalty shape of version `versionId`, its royalty parents and its contributors.
    function royaltiesOfVersion(uint64 versionId)
        external
        view
        returns (VersionRoyalties memory shape, RoyaltyParent[] memory parents, Contributor[] memory contributors);

    /// @notice The EIP-712 digest the licensee signs for {reportUsageBySig}.
    function usageReportDigest(UsageReport calldata report, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32);
}
