// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RoyaltySplits} from "../licensing/RoyaltySplits.sol";
import {ISubjectRegistry} from "../common/Subjects.sol";
import {IClaims} from "../common/IClaims.sol";
import {IRoyaltyRegistry} from "../licensing/IRoyaltyRegistry.sol";

/// @title IDatasetRegistry
/// @notice Datasets as ERC-721 assets with immutable, content-fingerprinted versions, licence terms with creator
/// royalty splits, and licences paid in ETH or an ERC-20. Payments go to the {IRoyaltyRegistry} treasury it creates,
/// which settles them up the lineage and holds every balance until withdrawn.
/// Managing a dataset (versions, terms, withdrawal, consent, refunds) takes its owner or an operator for all of the
/// owner's tokens; a single-token ERC-721 approval only lets the approved account transfer it.
interface IDatasetRegistry is ISubjectRegistry, IClaims {
    /// @notice The content of one dataset version, as the publisher supplies it. Its data-handling context (origin,
    /// handling policy) is evidence the registry emits, checks for unknown regions, and neither stores nor enforces.
    struct VersionInput {
        bytes32 fingerprint; // hash of the data itself; claimed once per dataset owner (see {IClaims})
        bytes32 manifestRoot; // Merkle root over per-item hashes (OpenZeppelin MerkleProof-compatible)
        bytes32 metadataHash; // hash of the off-chain metadata document (datasheet, card)
        string uri; // where the data lives: ipfs://, s3://, https://
        uint256 originRegions; // regions (see {Regions}) the data comes from; 0 = undeclared
        bytes32 handlingPolicyHash; // hash of the data-handling policy (special category, PII, consent basis); 0 = none
        string handlingPolicyURI; // where that policy document lives
    }

    /// @notice Licence terms as the dataset owner sets them. An ABI input: its field order is the interface's, not a
    /// storage layout ({StoredTerms} packs them).
    // solhint-disable-next-line gas-struct-packing
    struct TermsInput {
        address currency; // address(0) for native ETH, otherwise an ERC-20 token
        uint96 price; // per licence, in the currency's smallest unit; 0 makes the licence free
        uint32 duration; // seconds a licence lasts from acquisition; 0 makes it perpetual
        bool commercialUse; // may the licensee use the data commercially
        bool derivativesAllowed; // may the licensee make derivatives, such as trained models
        bytes32 documentHash; // hash of the licence text
        string documentURI; // SPDX identifier (e.g. "spdx:CC-BY-4.0") or URI of a custom licence text
        RoyaltySplits.Split[] splits; // who is paid; required when anything is priced, shares sum to 10 000 bps
        uint256 trainingTerritories; // regions (see {Regions}) where the data may be used for training; non-empty
        uint256 deploymentTerritories; // regions where models derived from the data may be deployed; non-empty
        uint96 unitPrice; // per unit of use, reported to the RoyaltyRegistry; 0 = not metered
        string unit; // what a unit is: "samples", "tokens-trained", "inference-calls"; evidence only
        uint16 derivativeRoyaltyBps; // share of every payment to a dataset derived under these terms; ≤ 10 000
    }

    /// @notice A dataset's mutable state. Packed in one slot: 64 + 32 + 8 + 8 + 64 + 8 bits.
    struct Dataset {
        uint64 currentTermsId; // terms new licences are granted under; 0 = none (never set, or cleared by a transfer)
        uint32 versionCount; // versions published so far
        bool withdrawn; // set for good once the creator withdraws the dataset: no new licences, versions or terms
        bool consentRevoked; // set for good with {revokeConsent}: the owner may void licences by refunding them
        uint64 latestVersionId; // the version published last: a licence sale is settled on it
        bool owesRoyalties; // a version has royalty parents: every later version inherits them
    }

    /// @notice Terms that licences were or are granted under, as {getTerms} returns them. Never modified once
    /// written. The registry stores the first seven fields in two slots and, only when they are not worldwide, the
    /// regions each territory excludes: worldwide terms cost no extra storage write. A view's output, not a layout.
    // solhint-disable-next-line gas-struct-packing
    struct Terms {
        address currency;
        uint96 price;
        uint64 datasetId;
        uint32 duration;
        bool commercialUse;
        bool derivativesAllowed;
        uint8 splitCount;
        uint256 trainingTerritories; // regions where the data may be used for training
        uint256 deploymentTerritories; // regions where models derived from the data may be deployed
        uint96 unitPrice; // per unit of use; 0 = not metered
        uint16 derivativeRoyaltyBps; // share of payments to datasets derived under these terms
    }

    /// @notice A granted licence. One slot: licensee (160) + termsId (40) + expiresAt (48) + refunded (8).
    struct Licence {
        address licensee; // who holds the licence
        uint40 termsId; // the terms it was granted under (and so its dataset)
        uint48 expiresAt; // unix time it stops being valid; 0 = perpetual
        bool refunded; // voided by a refund after the dataset's consent was revoked
    }

    /// @notice What the treasury collects and settles for a licence it sold ({grantLicence}).
    struct Sale {
        uint64 termsId;
        uint64 versionId; // the dataset's latest version: the sale is settled on it
        address currency;
        uint96 price;
        RoyaltySplits.Split[] splits; // the terms' split recipients: who the sale pays after the lineage
    }

    /// @notice Why a licence does or does not cover a use of a dataset version.
    enum LicenceStatus {
        Valid,
        UnknownDatasetVersion,
        LicenceRefunded,
        UnknownLicence,
        WrongDataset,
        WrongLicensee,
        Expired,
        DerivativesForbidden,
        CommercialUseForbidden
    }

    /// @notice Emitted when `owner` registers dataset `datasetId`.
    /// Its first version follows in {DatasetVersionPublished}.
    event DatasetRegistered(uint64 indexed datasetId, address indexed owner);

    /// @notice Emitted for every dataset version, with its full content, its data-handling context and its lineage.
    /// `inheritedTrainingTerritories` and `inheritedDeploymentTerritories` are the regions its lineage lets it be used
    /// for training in, and models derived from it be deployed in: the intersection of the territories of every licence
    /// a parent was used under and of every parent's own inherited territories (every region when nothing restricts
    /// it). Every licence of the version is held to them on top of its own terms ({trainingUse}).
    event DatasetVersionPublished(
        uint64 indexed versionId,
        uint64 indexed datasetId,
        uint32 number,
        bytes32 indexed fingerprint,
        bytes32 manifestRoot,
        bytes32 metadataHash,
        string uri,
        uint64[] parentVersionIds,
        uint64[] parentLicenceIds,
        bytes32 transformationHash,
        address publisher,
        uint256 originRegions,
        bytes32 handlingPolicyHash,
        string handlingPolicyURI,
        uint256 inheritedTrainingTerritories,
        uint256 inheritedDeploymentTerritories
    );

    /// @notice Emitted when a creator withdraws a dataset: no new licences, versions or terms; licences already
    /// granted keep every right they were sold.
    event DatasetWithdrawn(uint64 indexed datasetId, address indexed by, string reason);

    /// @notice Emitted when the owner records that consent to use the dataset is revoked (the dataset is withdrawn
    /// too). From then on the owner may void any licence by refunding its unused part with {refundLicence}.
    event ConsentRevoked(uint64 indexed datasetId, address indexed by, string reason);

    /// @notice Emitted when licence `licenceId` is voided and `amount` of `currency` credited to its licensee, paid by
    /// `refundedBy`; `surplus` (ETH sent beyond what was due) is credited back to `refundedBy`.
    event LicenceRefunded(
        uint64 indexed licenceId,
        uint64 indexed datasetId,
        address indexed licensee,
        address currency,
        uint256 amount,
        address refundedBy,
        uint256 surplus
    );

    /// @notice Emitted when a transfer to `newOwner` clears the dataset's terms: nothing is sold on splits the new
    /// owner has not set.
    event TermsCleared(uint64 indexed datasetId, uint64 indexed previousTermsId, address newOwner);

    /// @notice Emitted when new terms become current for a dataset. Earlier licences keep their own terms.
    event TermsSet(
        uint64 indexed datasetId,
        uint64 indexed termsId,
        address currency,
        uint96 price,
        uint32 duration,
        bool commercialUse,
        bool derivativesAllowed,
        bytes32 documentHash,
        string documentURI,
        RoyaltySplits.Split[] splits,
        uint256 trainingTerritories,
        uint256 deploymentTerritories,
        uint96 unitPrice,
        string unit,
        uint16 derivativeRoyaltyBps,
        address setBy
    );

    /// @notice Emitted when `payer` acquires licence `licenceId` for `licensee`, paying `amount` of `currency`.
    event LicenceAcquired(
        uint64 indexed licenceId,
        uint64 indexed datasetId,
        uint64 indexed termsId,
        address licensee,
        address payer,
        address currency,
        uint256 amount,
        uint48 expiresAt
    );

    /// @notice Thrown when `datasetId` has not been registered.
    error UnknownDataset(uint64 datasetId);
    /// @notice Thrown when `versionId` is not a dataset version.
    error UnknownDatasetVersion(uint64 versionId);
    /// @notice Thrown when `licenceId` has not been granted.
    error UnknownLicence(uint64 licenceId);
    /// @notice Thrown when `account` is neither the owner of `datasetId` nor an operator for all the owner's tokens.
    error NotDatasetOwner(uint64 datasetId, address account);
    /// @notice Thrown when an operation needs a dataset that its creator has withdrawn.
    error DatasetIsWithdrawn(uint64 datasetId);
    /// @notice Thrown when consent to use `datasetId` was revoked.
    error ConsentIsRevoked(uint64 datasetId);
    /// @notice Thrown when a licence of `datasetId` is refunded although its consent was not revoked.
    error ConsentNotRevoked(uint64 datasetId);
    /// @notice Thrown when a fingerprint is zero.
    error ZeroFingerprint();
    /// @notice Thrown when a version names more than {MAX_PARENTS} parents.
    error TooManyParents(uint256 count, uint256 max);
    /// @notice Thrown when the parent and parent-licence lists differ in length.
    error ParentLengthMismatch(uint256 parents, uint256 licences);
    /// @notice Thrown when a parent version is neither the owner's own data nor usable under the licence given for it
    /// (`licenceId` 0 = none given).
    error ParentNotUsable(uint64 parentVersionId, uint64 licenceId, LicenceStatus status);
    /// @notice Thrown when licence `licenceId` was already refunded.
    error LicenceAlreadyRefunded(uint64 licenceId);
    /// @notice Thrown when licence `licenceId` expired at `expiresAt`: nothing is left to refund.
    error LicenceExpired(uint64 licenceId, uint48 expiresAt);
    /// @notice Thrown when a licence is requested for a dataset that has no terms.
    error NoTermsSet(uint64 datasetId);
    /// @notice Thrown when the dataset's current terms are not the ones the buyer agreed to.
    error TermsChanged(uint64 datasetId, uint64 expectedTermsId, uint64 currentTermsId);
    /// @notice Thrown when a licence is requested for the zero address.
    error ZeroLicensee();
    /// @notice Thrown when `caller`, not the RoyaltyRegistry this registry created, asks it to grant a licence.
    error NotTreasury(address caller);
    /// @notice Thrown when terms ask more than the whole of a derived dataset's payments (`bps` > 10 000).
    error DerivativeRoyaltyTooLarge(uint16 bps);

    /// @notice Registers a dataset owned by the caller, with its first version, optionally derived from parent
    /// versions. `parentLicenceIds[i]` is the licence `parentVersionIds[i]` is used under; 0 for the owner's own data.
    /// The version inherits the territories of those licences and its parents' inherited territories: derived data
    /// cannot shed the restrictions of the data it was made from, whatever terms it is later sold under.
    /// @dev Requirements: a non-zero fingerprint the caller has not claimed; origin regions all known
    /// (`UnknownRegions`; 0 = undeclared); at most {MAX_PARENTS} parents, each the owner's own (consent not revoked)
    /// or covered by a valid licence of the owner that allows derivatives.
    /// Emits {Transfer}, {DatasetRegistered} and {DatasetVersionPublished}.
    function registerDataset(
        VersionInput calldata version,
        uint64[] calldata parentVersionIds,
        uint64[] calldata parentLicenceIds,
        bytes32 transformationHash
    )
        external
        returns (uint64 datasetId, uint64 versionId);

    /// @notice Registers a dataset with its first version and sets its licence terms, in one transaction.
    /// @dev Requirements: as {registerDataset} and {setTerms}. Emits their events.
    function registerDatasetWithTerms(
        VersionInput calldata version,
        uint64[] calldata parentVersionIds,
        uint64[] calldata parentLicenceIds,
        bytes32 transformationHash,
        TermsInput calldata terms
    ) external returns (uint64 datasetId, uint64 versionId, uint64 termsId);

    /// @notice Publishes a new immutable version of `datasetId`, optionally derived from parent versions.
    /// @dev Requirements: caller owns the dataset or operates all its owner's tokens; dataset not withdrawn; as
    /// {registerDataset}, with the fingerprint claimed by the dataset's owner. Emits {DatasetVersionPublished}.
    function publishVersion(
        uint64 datasetId,
        VersionInput calldata version,
        uint64[] calldata parentVersionIds,
        uint64[] calldata parentLicenceIds,
        bytes32 transformationHash
    ) external returns (uint64 versionId);

    /// @notice Withdraws `datasetId` for good: its history stays; new licences, versions and terms are refused.
    /// Licences granted before keep every right they were sold until they expire.
    /// @dev Requirements: caller owns the dataset or operates all its owner's tokens; not already withdrawn.
    /// Emits {DatasetWithdrawn}.
    function withdrawDataset(uint64 datasetId, string calldata reason) external;

    /// @notice Records that consent to use `datasetId` is revoked, and withdraws it. Licences stay valid until the
    /// owner voids them with {refundLicence}, paying back their unused part: a licence is never taken without refund.
    /// @dev Requirements: caller owns the dataset or operates all its owner's tokens; consent not already revoked.
    /// Emits {DatasetWithdrawn} (unless already withdrawn) and {ConsentRevoked}.
    function revokeConsent(uint64 datasetId, string calldata reason) external;

    /// @notice Voids licence `licenceId` of a dataset whose consent was revoked, paying {refundDue} in the licence's
    /// currency to the licensee's withdrawable balance in the RoyaltyRegistry: ETH as the call's value (at least what
    /// is due when mined; the surplus is credited to the caller's balance), an ERC-20 from the caller's allowance to
    /// the RoyaltyRegistry.
    /// @dev Requirements: caller owns the licence's dataset or operates all its owner's tokens; consent revoked;
    /// licence not refunded, not expired; enough payment. Emits {LicenceRefunded}.
    function refundLicence(uint64 licenceId) external payable returns (uint256 amount);

    /// @notice What voiding `licenceId` now costs: the price times the unused share of a time-limited licence, the
    /// whole price for a perpetual one; 0 when expired or already refunded.
    function refundDue(uint64 licenceId) external view returns (uint256);

    /// @notice Sets the terms new licences of `datasetId` are granted under; existing licences are unaffected.
    /// @dev Requirements: caller owns the dataset or operates all its owner's tokens; dataset not withdrawn; valid
    /// splits when anything is priced (price, unit price or derivative royalty); derivative royalty ≤ 10 000 bps;
    /// both territories non-empty sets of known regions ({Regions.requireSet}: `EmptyRegionSet`,
    /// `UnknownRegions`). Emits {TermsSet}.
    function setTerms(uint64 datasetId, TermsInput calldata terms) external returns (uint64 termsId);

    /// @notice Records a licence of `datasetId` for `licensee` under terms `expectedTermsId`, sold by the
    /// RoyaltyRegistry to `payer` (who buys it with {IRoyaltyRegistry-acquireLicence}, where the price is paid and
    /// settled); returns what the treasury collects and settles.
    /// @dev Requirements: the caller is the RoyaltyRegistry; dataset not withdrawn; `expectedTermsId` is current.
    /// Emits {LicenceAcquired}.
    function grantLicence(uint64 datasetId, address licensee, uint64 expectedTermsId, address payer)
        external
        returns (uint64 licenceId, Sale memory sale);

    /// @notice The treasury this registry created: it holds every payment and balance (see {IRoyaltyRegistry}).
    function royalties() external view returns (IRoyaltyRegistry);

    /// @notice The dataset a version belongs to; reverts for an unknown version.
    function datasetOfVersion(uint64 versionId) external view returns (uint64 datasetId);

    /// @notice The dataset version `claimant` (the dataset's owner when it was published) registered with
    /// `fingerprint`, or 0. Other claimants' versions of the same fingerprint are listed by the subgraph.
    function versionByFingerprint(address claimant, bytes32 fingerprint) external view returns (uint64 versionId);

    /// @notice A dataset's current state.
    function getDataset(uint64 datasetId) external view returns (Dataset memory);

    /// @notice The royalty splits of `termsId` (empty for unknown or unpriced terms): what the RoyaltyRegistry credits.
    function splitsOf(uint64 termsId) external view returns (RoyaltySplits.Split[] memory splits);

    /// @notice The terms stored under `termsId` and their royalty splits.
    function getTerms(uint64 termsId) external view returns (Terms memory terms, RoyaltySplits.Split[] memory splits);

    /// @notice The territories of `termsId`: where its data may be used for training and where models derived from
    /// it may be deployed (0 and 0 for unknown terms). A licence keeps the territories of the terms it was granted
    /// under.
    function territoriesOf(uint64 termsId) external view returns (uint256 training, uint256 deployment);

    /// @notice A granted licence.
    function getLicence(uint64 licenceId) external view returns (Licence memory);

    /// @notice Whether `licenceId` lets `licensee` train on `datasetVersionId` now (for commercial use if
    /// `commercial`). Withdrawal does not change the answer; a refund after revoked consent does.
    function licenceStatus(uint64 licenceId, uint64 datasetVersionId, address licensee, bool commercial)
        external
        view
        returns (LicenceStatus);

    /// @notice What a training run checks of each licence it uses, in one call: {licenceStatus}, and the regions the
    /// licence's effective territories exclude on `datasetVersionId` (`WORLDWIDE & ~allowed`): what its terms exclude
    /// and what the version inherits from its lineage. 0 and 0 when both are worldwide, which costs no extra storage
    /// read.
    function trainingUse(uint64 licenceId, uint64 datasetVersionId, address licensee, bool commercial)
        external
        view
        returns (LicenceStatus status, uint256 trainingExcluded, uint256 deploymentExcluded);

    /// @notice The effective territories of licence `licenceId` on `datasetVersionId`: those of the terms it was
    /// granted under, narrowed by what the version inherits ({inheritedTerritories}). 0 and 0 for an unknown licence.
    function licenceTerritories(uint64 licenceId, uint64 datasetVersionId)
        external
        view
        returns (uint256 training, uint256 deployment);

    /// @notice The territories `versionId` inherits from its lineage (see {DatasetVersionPublished}): every region
    /// for a version nothing restricts, 0 and 0 for an unknown version.
    function inheritedTerritories(uint64 versionId) external view returns (uint256 training, uint256 deployment);
}
