// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IDatasetRegistry} from "./IDatasetRegistry.sol";
import {RoyaltySplits} from "../licensing/RoyaltySplits.sol";
import {IRoyaltyRegistry} from "../licensing/IRoyaltyRegistry.sol";
import {RoyaltyRegistry} from "../licensing/RoyaltyRegistry.sol";
import {ISubjectRegistry, SubjectType} from "../common/Subjects.sol";
import {Claims} from "../common/Claims.sol";
import {Regions} from "../common/Regions.sol";

/// @title DatasetRegistry
/// @notice Registry of training datasets (ERC-721 "PDGD"), their immutable versions, licence terms, licences and
/// the lineage royalties owed. The chain keeps what it must enforce (ownership, lineage existence, withdrawal, terms,
/// licence validity); everything else an auditor needs travels in events. Money is held by the {RoyaltyRegistry} it
/// creates.
contract DatasetRegistry is IDatasetRegistry, ERC721, ReentrancyGuardTransient, Claims {

    /// @notice Most parent versions one version may name, so that publishing stays within a bounded gas cost.
    uint256 public constant MAX_PARENTS = 32;

    /// @dev Id counters, packed in one slot so that a registration bumps several of them with one write.
    struct Counters {
        uint64 datasets;
        uint64 versions;
        uint64 terms;
        uint64 licences;
    }

    /// @dev A version's dataset and its number within it. One slot, shared with the flag that says whether its lineage
    /// restricts it, so that an unrestricted version costs no extra slot to check.
    struct VersionRecord {
        uint64 datasetId;
        uint32 number;
        bool restricted; // its lineage excludes regions: they are in `_inherited`
    }

    /// @dev Terms as stored: {Terms} without its territories, which `_excluded` holds only when `restricted`. Two
    /// slots (see {Terms}); the flag shares the second, so reading worldwide territories costs no extra slot.
    struct StoredTerms {
        address currency;
        uint96 price;
        uint64 datasetId;
        uint32 duration;
        bool commercialUse;
        bool derivativesAllowed;
        uint8 splitCount;
        bool restricted; // a territory is not worldwide: its excluded regions are in `_excluded`
        uint96 unitPrice;
        uint16 derivativeRoyaltyBps;
    }

    /// @dev The regions territories exclude (`WORLDWIDE & ~allowed`): zero, never written, when worldwide. Used for
    /// terms, and for what a version inherits from the licences and parents it was derived from.
    struct ExcludedTerritories {
        uint256 training;
        uint256 deployment;
    }

    Counters private _counters;
    mapping(uint64 datasetId => Dataset) private _datasets;
    mapping(uint64 versionId => VersionRecord) private _versions;
    mapping(uint64 termsId => StoredTerms) private _terms;
    mapping(uint64 termsId => ExcludedTerritories) private _excluded;
    /// @dev Written only for versions whose lineage excludes regions: the OR of what each parent licence's terms
    /// exclude and what each parent inherited. A version derived only from worldwide data costs no storage.
    mapping(uint64 versionId => ExcludedTerritories) private _inherited;
    mapping(uint64 termsId => mapping(uint256 index => RoyaltySplits.Split)) private _splits;
    mapping(uint64 licenceId => Licence) private _licences;

    /// @inheritdoc IDatasetRegistry
    /// @dev Named as the interface's getter `royalties()`, which callers already use.
    // solhint-disable-next-line immutable-vars-naming
    IRoyaltyRegistry public immutable royalties;

    constructor() ERC721("Pedigree Dataset", "PDGD") {
        royalties = new RoyaltyRegistry();
    }

    // ------------------------------------------------------------------ datasets and versions

    /// @inheritdoc IDatasetRegistry
    function registerDataset(
        VersionInput calldata version,
        uint64[] calldata parentVersionIds,
        uint64[] calldata parentLicenceIds,
        bytes32 transformationHash
    )
        external
        returns (uint64 datasetId, uint64 versionId)
    {
        (datasetId, versionId) = _register(version, parentVersionIds, parentLicenceIds, transformationHash);
    }

    /// @inheritdoc IDatasetRegistry
    function registerDatasetWithTerms(
        VersionInput calldata version,
        uint64[] calldata parentVersionIds,
        uint64[] calldata parentLicenceIds,
        bytes32 transformationHash,
        TermsInput calldata terms
    ) external returns (uint64 datasetId, uint64 versionId, uint64 termsId) {
        (datasetId, versionId) = _register(version, parentVersionIds, parentLicenceIds, transformationHash);
        termsId = _setTerms(datasetId, terms);
    }

    /// @inheritdoc IDatasetRegistry
    function publishVersion(
        uint64 datasetId,
        VersionInput calldata version,
        uint64[] calldata parentVersionIds,
        uint64[] calldata parentLicenceIds,
        bytes32 transformationHash
    ) external returns (uint64 versionId) {
        address owner = _requireAuthorized(datasetId);
        if (_datasets[datasetId].withdrawn) revert DatasetIsWithdrawn(datasetId);
        Counters memory counters = _counters;
        versionId = ++counters.versions;
        _counters = counters;
        _publish(owner, datasetId, versionId, version, parentVersionIds, parentLicenceIds, transformationHash);
    }

    /// @inheritdoc IDatasetRegistry
    function withdrawDataset(uint64 datasetId, string calldata reason) external {
        _requireAuthorized(datasetId);
        Dataset storage dataset = _datasets[datasetId];
        if (dataset.withdrawn) revert DatasetIsWithdrawn(datasetId);
        dataset.withdrawn = true;
        emit DatasetWithdrawn(datasetId, msg.sender, reason);
    }

    /// @inheritdoc IDatasetRegistry
    function revokeConsent(uint64 datasetId, string calldata reason) external {
        _requireAuthorized(datasetId);
        Dataset storage dataset = _datasets[datasetId];
        if (dataset.consentRevoked) revert ConsentIsRevoked(datasetId);
        if (!dataset.withdrawn) {
            dataset.withdrawn = true;
            emit DatasetWithdrawn(datasetId, msg.sender, reason);
        }
        dataset.consentRevoked = true;
        emit ConsentRevoked(datasetId, msg.sender, reason);
    }

    function _register(
        VersionInput calldata version,
        uint64[] calldata parentVersionIds,
        uint64[] calldata parentLicenceIds,
        bytes32 transformationHash
    ) private returns (uint64 datasetId, uint64 versionId) {
        Counters memory counters = _counters;
        datasetId = ++counters.datasets;
        versionId = ++counters.versions;
        _counters = counters;
        _mint(msg.sender, datasetId);
        emit DatasetRegistered(datasetId, msg.sender);
        _publish(msg.sender, datasetId, versionId, version, parentVersionIds, parentLicenceIds, transformationHash);
    }

    /// @dev Records version `versionId` of `datasetId`, claimed by the dataset's `owner`.
    function _publish(
        address owner,
        uint64 datasetId,
        uint64 versionId,
        VersionInput calldata version,
        uint64[] calldata parentVersionIds,
        uint64[] calldata parentLicenceIds,
        bytes32 transformationHash
    ) private {
        bytes32 fingerprint = version.fingerprint;
        if (fingerprint == bytes32(0)) revert ZeroFingerprint();
        Regions.requireKnown(version.originRegions);
        _claim(owner, fingerprint, versionId);
        (
            ExcludedTerritories memory inherited,
            IRoyaltyRegistry.RoyaltyParent[] memory candidates,
            bool royaltyBearing
        ) = _checkParents(owner, parentVersionIds, parentLicenceIds);
        Dataset storage dataset = _datasets[datasetId];
        uint32 number = ++dataset.versionCount;
        uint64 previousVersionId = dataset.latestVersionId;
        dataset.latestVersionId = versionId;
        bool owed = dataset.owesRoyalties;
        if (royaltyBearing || owed) {
            bool owes = royalties.recordRoyaltyParents(datasetId, versionId, previousVersionId, candidates);
            if (owes && !owed) dataset.owesRoyalties = true;
        }
        _versions[versionId] =
            VersionRecord({datasetId: datasetId, number: number, restricted: _storeInherited(versionId, inherited)});
        emit DatasetVersionPublished(
            versionId,
            datasetId,
            number,
            fingerprint,
            version.manifestRoot,
            version.metadataHash,
            version.uri,
            parentVersionIds,
            parentLicenceIds,
            transformationHash,
            msg.sender,
            version.originRegions,
            version.handlingPolicyHash,
            version.handlingPolicyURI,
            Regions.WORLDWIDE & ~inherited.training,
            Regions.WORLDWIDE & ~inherited.deployment
        );
    }

    /// @dev Reverts unless each parent is `owner`'s own data with consent intact, or covered by a valid licence of
    /// `owner` that allows derivatives. Returns what the new version inherits: the OR of what every parent licence's
    /// terms exclude and what every parent itself inherited; each parent as a royalty candidate (its licence's terms
    /// and their derivative royalty; terms 0 for own data); and whether any candidate may carry royalties.
    function _checkParents(address owner, uint64[] calldata parentVersionIds, uint64[] calldata parentLicenceIds)
        private
        view
        returns (
            ExcludedTerritories memory inherited,
            IRoyaltyRegistry.RoyaltyParent[] memory candidates,
            bool royaltyBearing
        )
    {
        uint256 count = parentVersionIds.length;
        if (count > MAX_PARENTS) revert TooManyParents(count, MAX_PARENTS);
        if (count != parentLicenceIds.length) revert ParentLengthMismatch(count, parentLicenceIds.length);
        candidates = new IRoyaltyRegistry.RoyaltyParent[](count);
        for (uint256 i; i < count; ++i) {
            uint64 parentVersionId = parentVersionIds[i];
            uint64 licenceId = parentLicenceIds[i];
            VersionRecord memory parent = _versions[parentVersionId];
            if (parent.datasetId == 0) revert UnknownDatasetVersion(parentVersionId);
            if (licenceId == 0) {
                if (_ownerOf(parent.datasetId) != owner) {
                    revert ParentNotUsable(parentVersionId, 0, LicenceStatus.UnknownLicence);
                }
                Dataset storage parentDataset = _datasets[parent.datasetId];
                if (parentDataset.consentRevoked) revert ConsentIsRevoked(parent.datasetId);
                candidates[i].versionId = parentVersionId;
                // Own data passes on the royalty parents it owes, if its dataset owes any.
                if (parentDataset.owesRoyalties) royaltyBearing = true;
            } else {
                LicenceStatus status = _licenceStatus(licenceId, parentVersionId, owner, false);
                if (status != LicenceStatus.Valid) revert ParentNotUsable(parentVersionId, licenceId, status);
                uint64 termsId = _licences[licenceId].termsId;
                uint16 bps = _terms[termsId].derivativeRoyaltyBps;
                candidates[i] =
                    IRoyaltyRegistry.RoyaltyParent({versionId: parentVersionId, termsId: termsId, bps: bps});
                if (bps != 0) royaltyBearing = true;
            }
            ExcludedTerritories memory excluded = _effectiveExcluded(licenceId, parentVersionId, parent.restricted);
            inherited.training |= excluded.training;
            inherited.deployment |= excluded.deployment;
        }
    }

    /// @dev Stores what `versionId` inherits, writing nothing when it inherits no exclusion; returns whether it does.
    function _storeInherited(uint64 versionId, ExcludedTerritories memory inherited) private returns (bool restricted) {
        if (inherited.training != 0) _inherited[versionId].training = inherited.training;
        if (inherited.deployment != 0) _inherited[versionId].deployment = inherited.deployment;
        return inherited.training != 0 || inherited.deployment != 0;
    }

    // ------------------------------------------------------------------ terms and licences

    /// @inheritdoc IDatasetRegistry
    function setTerms(uint64 datasetId, TermsInput calldata terms) external returns (uint64 termsId) {
        _requireAuthorized(datasetId);
        termsId = _setTerms(datasetId, terms);
    }

    function _setTerms(uint64 datasetId, TermsInput calldata input) private returns (uint64 termsId) {
        Dataset storage dataset = _datasets[datasetId];
        if (dataset.withdrawn) revert DatasetIsWithdrawn(datasetId);
        uint256 splitCount = input.splits.length;
        if (input.derivativeRoyaltyBps > RoyaltySplits.TOTAL_BPS) {
            revert DerivativeRoyaltyTooLarge(input.derivativeRoyaltyBps);
        }
        if (input.price != 0 || input.unitPrice != 0 || input.derivativeRoyaltyBps != 0 || splitCount != 0) {
            RoyaltySplits.validate(input.splits);
        }
        Regions.requireSet(input.trainingTerritories);
        Regions.requireSet(input.deploymentTerritories);

        Counters memory counters = _counters;
        termsId = ++counters.terms;
        _counters = counters;

        _terms[termsId] = StoredTerms({
            currency: input.currency,
            price: input.price,
            datasetId: datasetId,
            duration: input.duration,
            commercialUse: input.commercialUse,
            derivativesAllowed: input.derivativesAllowed,
            splitCount: uint8(splitCount), // validate() caps it at RoyaltySplits.MAX_RECIPIENTS
            restricted: _storeTerritories(termsId, input.trainingTerritories, input.deploymentTerritories),
            unitPrice: input.unitPrice,
            derivativeRoyaltyBps: input.derivativeRoyaltyBps
        });
        for (uint256 i; i < splitCount; ++i) {
            _splits[termsId][i] = input.splits[i];
        }
        dataset.currentTermsId = termsId;
        emit TermsSet(
            datasetId,
            termsId,
            input.currency,
            input.price,
            input.duration,
            input.commercialUse,
            input.derivativesAllowed,
            input.documentHash,
            input.documentURI,
            input.splits,
            input.trainingTerritories,
            input.deploymentTerritories,
            input.unitPrice,
            input.unit,
            input.derivativeRoyaltyBps,
            msg.sender
        );
    }

    /// @dev Stores what each territory excludes, writing nothing for a worldwide one; returns whether one is not.
    function _storeTerritories(uint64 termsId, uint256 training, uint256 deployment)
        private
        returns (bool restricted)
    {
        uint256 trainingExcluded = Regions.WORLDWIDE & ~training;
        uint256 deploymentExcluded = Regions.WORLDWIDE & ~deployment;
        if (trainingExcluded != 0) _excluded[termsId].training = trainingExcluded;
        if (deploymentExcluded != 0) _excluded[termsId].deployment = deploymentExcluded;
        return trainingExcluded != 0 || deploymentExcluded != 0;
    }

    /// @inheritdoc IDatasetRegistry
    function grantLicence(uint64 datasetId, address licensee, uint64 expectedTermsId, address payer)
        external
        returns (uint64 licenceId, Sale memory sale)
    {
        if (msg.sender != address(royalties)) revert NotTreasury(msg.sender);
        if (licensee == address(0)) revert ZeroLicensee();
        if (_ownerOf(datasetId) == address(0)) revert UnknownDataset(datasetId);
        Dataset memory dataset = _datasets[datasetId];
        if (dataset.withdrawn) revert DatasetIsWithdrawn(datasetId);
        uint64 termsId = dataset.currentTermsId;
        if (termsId == 0) revert NoTermsSet(datasetId);
        if (termsId != expectedTermsId) revert TermsChanged(datasetId, expectedTermsId, termsId);
        StoredTerms memory terms = _terms[termsId];

        Counters memory counters = _counters;
        licenceId = ++counters.licences;
        _counters = counters;

        uint48 expiresAt = terms.duration == 0 ? 0 : uint48(block.timestamp + terms.duration);
        // termsId fits 40 bits: a new terms id costs a transaction, and 2^40 transactions will not happen.
        _licences[licenceId] =
            Licence({licensee: licensee, termsId: uint40(termsId), expiresAt: expiresAt, refunded: false});

        emit LicenceAcquired(licenceId, datasetId, termsId, licensee, payer, terms.currency, terms.price, expiresAt);
        sale = Sale({
            termsId: termsId,
            versionId: dataset.latestVersionId,
            currency: terms.currency,
            price: terms.price,
            splits: terms.price == 0 ? new RoyaltySplits.Split[](0) : _splitsOf(termsId, terms.splitCount)
        });
    }

    /// @inheritdoc IDatasetRegistry
    function refundLicence(uint64 licenceId) external payable nonReentrant returns (uint256 amount) {
        Licence storage licence = _licences[licenceId];
        if (licence.licensee == address(0)) revert UnknownLicence(licenceId);
        StoredTerms memory terms = _terms[licence.termsId];
        _requireAuthorized(terms.datasetId);
        if (!_datasets[terms.datasetId].consentRevoked) revert ConsentNotRevoked(terms.datasetId);
        if (licence.refunded) revert LicenceAlreadyRefunded(licenceId);
        uint48 expiresAt = licence.expiresAt;
        if (expiresAt != 0 && expiresAt <= block.timestamp) revert LicenceExpired(licenceId, expiresAt);

        amount = _refundDue(licence, terms);
        licence.refunded = true;
        address licensee = licence.licensee;
        uint256 surplus =
            royalties.receiveRefund{value: msg.value}(licensee, msg.sender, terms.currency, amount);
        emit LicenceRefunded(licenceId, terms.datasetId, licensee, terms.currency, amount, msg.sender, surplus);
    }

    /// @inheritdoc IDatasetRegistry
    function refundDue(uint64 licenceId) external view returns (uint256) {
        Licence memory licence = _licences[licenceId];
        if (licence.licensee == address(0) || licence.refunded) return 0;
        if (licence.expiresAt != 0 && licence.expiresAt <= block.timestamp) return 0;
        return _refundDue(licence, _terms[licence.termsId]);
    }

    /// @dev The unused share of an unexpired licence's price: remaining / duration of it, or all of a perpetual one.
    function _refundDue(Licence memory licence, StoredTerms memory terms) private view returns (uint256) {
        if (licence.expiresAt == 0) return terms.price;
        return uint256(terms.price) * (licence.expiresAt - block.timestamp) / terms.duration;
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IDatasetRegistry
    function datasetOfVersion(uint64 versionId) external view returns (uint64 datasetId) {
        datasetId = _versions[versionId].datasetId;
        if (datasetId == 0) revert UnknownDatasetVersion(versionId);
    }

    /// @inheritdoc IDatasetRegistry
    function versionByFingerprint(address claimant, bytes32 fingerprint) external view returns (uint64) {
        return _claimOf(claimant, fingerprint);
    }

    /// @inheritdoc IDatasetRegistry
    function getDataset(uint64 datasetId) external view returns (Dataset memory) {
        if (_ownerOf(datasetId) == address(0)) revert UnknownDataset(datasetId);
        return _datasets[datasetId];
    }

    /// @inheritdoc IDatasetRegistry
    function getTerms(uint64 termsId) external view returns (Terms memory terms, RoyaltySplits.Split[] memory splits) {
        StoredTerms memory stored = _terms[termsId];
        (uint256 training, uint256 deployment) = _territoriesOf(termsId, stored);
        terms = Terms({
            currency: stored.currency,
            price: stored.price,
            datasetId: stored.datasetId,
            duration: stored.duration,
            commercialUse: stored.commercialUse,
            derivativesAllowed: stored.derivativesAllowed,
            splitCount: stored.splitCount,
            trainingTerritories: training,
            deploymentTerritories: deployment,
            unitPrice: stored.unitPrice,
            derivativeRoyaltyBps: stored.derivativeRoyaltyBps
        });
        splits = _splitsOf(termsId, stored.splitCount);
    }

    /// @inheritdoc IDatasetRegistry
    function splitsOf(uint64 termsId) external view returns (RoyaltySplits.Split[] memory) {
        return _splitsOf(termsId, _terms[termsId].splitCount);
    }

    function _splitsOf(uint64 termsId, uint8 count) private view returns (RoyaltySplits.Split[] memory splits) {
        splits = new RoyaltySplits.Split[](count);
        for (uint256 i; i < count; ++i) {
            splits[i] = _splits[termsId][i];
        }
    }

    /// @inheritdoc IDatasetRegistry
    function territoriesOf(uint64 termsId) external view returns (uint256 training, uint256 deployment) {
        return _territoriesOf(termsId, _terms[termsId]);
    }

    /// @dev The allowed territories of `termsId`, stored as `stored` (empty sets for terms never set).
    function _territoriesOf(uint64 termsId, StoredTerms memory stored)
        private
        view
        returns (uint256 training, uint256 deployment)
    {
        if (stored.datasetId == 0) return (0, 0);
        ExcludedTerritories memory excluded = _excludedOf(termsId, stored.restricted);
        return (Regions.WORLDWIDE & ~excluded.training, Regions.WORLDWIDE & ~excluded.deployment);
    }

    /// @dev The regions the territories of `termsId` exclude; none read when they are worldwide (`restricted` false).
    function _excludedOf(uint64 termsId, bool restricted) private view returns (ExcludedTerritories memory excluded) {
        if (restricted) excluded = _excluded[termsId];
    }

    /// @inheritdoc IDatasetRegistry
    function getLicence(uint64 licenceId) external view returns (Licence memory licence) {
        licence = _licences[licenceId];
        if (licence.licensee == address(0)) revert UnknownLicence(licenceId);
    }

    /// @inheritdoc IDatasetRegistry
    function licenceStatus(uint64 licenceId, uint64 datasetVersionId, address licensee, bool commercial)
        external
        view
        returns (LicenceStatus)
    {
        return _licenceStatus(licenceId, datasetVersionId, licensee, commercial);
    }

    /// @inheritdoc IDatasetRegistry
    function trainingUse(uint64 licenceId, uint64 datasetVersionId, address licensee, bool commercial)
        external
        view
        returns (LicenceStatus status, uint256 trainingExcluded, uint256 deploymentExcluded)
    {
        status = _licenceStatus(licenceId, datasetVersionId, licensee, commercial);
        ExcludedTerritories memory excluded =
            _effectiveExcluded(licenceId, datasetVersionId, _versions[datasetVersionId].restricted);
        return (status, excluded.training, excluded.deployment);
    }

    /// @inheritdoc IDatasetRegistry
    function licenceTerritories(uint64 licenceId, uint64 datasetVersionId)
        external
        view
        returns (uint256 training, uint256 deployment)
    {
        uint64 termsId = _licences[licenceId].termsId;
        if (_terms[termsId].datasetId == 0) return (0, 0);
        ExcludedTerritories memory excluded =
            _effectiveExcluded(licenceId, datasetVersionId, _versions[datasetVersionId].restricted);
        return (Regions.WORLDWIDE & ~excluded.training, Regions.WORLDWIDE & ~excluded.deployment);
    }

    /// @inheritdoc IDatasetRegistry
    function inheritedTerritories(uint64 versionId) external view returns (uint256 training, uint256 deployment) {
        VersionRecord memory version = _versions[versionId];
        if (version.datasetId == 0) return (0, 0);
        ExcludedTerritories memory excluded = _inheritedOf(versionId, version.restricted);
        return (Regions.WORLDWIDE & ~excluded.training, Regions.WORLDWIDE & ~excluded.deployment);
    }

    /// @dev What licence `licenceId` (0 = none: the owner's own data) excludes on `versionId`: its terms' exclusions
    /// OR the version's inherited ones. Reads no territory slot for worldwide terms or an unrestricted version.
    function _effectiveExcluded(uint64 licenceId, uint64 versionId, bool versionRestricted)
        private
        view
        returns (ExcludedTerritories memory excluded)
    {
        excluded = _inheritedOf(versionId, versionRestricted);
        if (licenceId == 0) return excluded;
        uint64 termsId = _licences[licenceId].termsId;
        ExcludedTerritories memory ofTerms = _excludedOf(termsId, _terms[termsId].restricted);
        excluded.training |= ofTerms.training;
        excluded.deployment |= ofTerms.deployment;
    }

    /// @dev The regions `versionId` inherits the exclusion of; none read when it is unrestricted.
    function _inheritedOf(uint64 versionId, bool restricted)
        private
        view
        returns (ExcludedTerritories memory excluded)
    {
        if (restricted) excluded = _inherited[versionId];
    }

    function _licenceStatus(uint64 licenceId, uint64 datasetVersionId, address licensee, bool commercial)
        private
        view
        returns (LicenceStatus)
    {
        uint64 datasetId = _versions[datasetVersionId].datasetId;
        if (datasetId == 0) return LicenceStatus.UnknownDatasetVersion;
        Licence memory licence = _licences[licenceId];
        if (licence.licensee == address(0)) return LicenceStatus.UnknownLicence;
        if (licence.refunded) return LicenceStatus.LicenceRefunded;
        StoredTerms memory terms = _terms[licence.termsId];
        if (terms.datasetId != datasetId) return LicenceStatus.WrongDataset;
        if (licence.licensee != licensee) return LicenceStatus.WrongLicensee;
        if (licence.expiresAt != 0 && licence.expiresAt <= block.timestamp) return LicenceStatus.Expired;
        if (!terms.derivativesAllowed) return LicenceStatus.DerivativesForbidden;
        if (commercial && !terms.commercialUse) return LicenceStatus.CommercialUseForbidden;
        return LicenceStatus.Valid;
    }

    /// @inheritdoc ISubjectRegistry
    function subjectExists(SubjectType subjectType, uint64 subjectId) external view returns (bool) {
        if (subjectType == SubjectType.DatasetVersion) return _versions[subjectId].datasetId != 0;
        if (subjectType == SubjectType.Licence) return _licences[subjectId].licensee != address(0);
        if (subjectType == SubjectType.UsageReport) return royalties.subjectExists(subjectType, subjectId);
        return false;
    }

    // ------------------------------------------------------------------ internals

    /// @dev Clears the terms of a dataset changing hands: the old owner's splits must not go on selling licences.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from == address(0) || from == to) return from;
        Dataset storage dataset = _datasets[uint64(tokenId)];
        uint64 termsId = dataset.currentTermsId;
        if (termsId != 0) {
            dataset.currentTermsId = 0;
            emit TermsCleared(uint64(tokenId), termsId, to);
        }
    }

    /// @dev Reverts unless the caller owns `datasetId` or operates all its owner's tokens; returns the owner.
    /// A single-token approval is not enough: it lets the approved account transfer the token, not manage it.
    function _requireAuthorized(uint64 datasetId) private view returns (address owner) {
        owner = _ownerOf(datasetId);
        if (owner == address(0)) revert UnknownDataset(datasetId);
        if (msg.sender != owner && !isApprovedForAll(owner, msg.sender)) revert NotDatasetOwner(datasetId, msg.sender);
    }
}
