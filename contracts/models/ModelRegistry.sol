// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IModelRegistry} from "./IModelRegistry.sol";
import {IDatasetRegistry} from "../datasets/IDatasetRegistry.sol";
import {IAttestationRegistry} from "../attestations/IAttestationRegistry.sol";
import {ISubjectRegistry, SubjectType} from "../common/Subjects.sol";
import {Claims} from "../common/Claims.sol";
import {Regions} from "../common/Regions.sol";
import {PackedIds} from "../common/PackedIds.sol";
import {ReleaseGate} from "../common/ReleaseGate.sol";

/// @title ModelRegistry
/// @notice Registry of AI models (ERC-721 "PDGM"), their versions and training runs, and the release gate.
/// A version can only be published on licensed, non-withdrawn training data, trained inside the training territory of
/// every licence in its lineage, and only approved once the attestations its model's release policy requires are
/// present and still valid.
contract ModelRegistry is IModelRegistry, ERC721, Claims {
    /// @notice The kind every release policy must include (AttestationRegistry.RELEASE_APPROVAL).
    uint8 public constant RELEASE_APPROVAL_KIND = 6;
    /// @notice Release policy flag in bit 0 (kind 0 is never defined): approve only versions whose lineage declares
    /// its training data.
    uint256 public constant REQUIRE_DECLARED_DATA = 1;

    IDatasetRegistry public immutable DATASETS;
    IAttestationRegistry public immutable ATTESTATIONS;

    /// @dev The regions a version's lineage leaves out of its training and deployment territories: the union of what
    /// its run's licences exclude and what its parent's lineage does. Checking a run or a deployment takes one AND.
    struct ExcludedRegions {
        uint256 training;
        uint256 deployment;
    }

    /// @dev What a new version takes from its training data and its parent, gathered before anything is written.
    struct Lineage {
        bool dataDeclared;
        bool commercialData;
        uint64 inheritedFrom; // the parent's territoriesFrom
        ExcludedRegions excluded; // what the run's licences exclude and, where needed, what the parent's lineage does
        uint64[] restrictingUses; // the run's licences not worldwide on their dataset version: (licence, version) pairs
    }

    uint64 private _lastModelId;
    uint64 private _lastVersionId;
    mapping(uint64 modelId => Model) private _models;
    mapping(uint64 modelId => uint256 requiredKinds) private _policies;
    mapping(uint64 versionId => ModelVersion) private _versions;
    mapping(uint64 versionId => uint64[] attestationIds) private _approvals;
    /// @dev Written only for versions whose own run uses licences that are not worldwide, holding the union with
    /// their parent's lineage; every other version reads its {ModelVersion.territoriesFrom}'s. A worldwide lineage,
    /// and a fine-tune on worldwide data, cost no storage.
    mapping(uint64 versionId => ExcludedRegions) private _excluded;
    /// @dev Those runs' licences that are not worldwide on the dataset version they were used for, as (licence id,
    /// dataset version id) pairs ({PackedIds}; one pair shares the length's slot): with the parent links, all that
    /// naming the licence behind a refusal, with its effective territory ({licenceExcluding}), needs.
    mapping(uint64 versionId => mapping(uint256 => uint256)) private _restrictingUses;
    /// @dev grantee address(0) = anyone.
    mapping(uint64 modelId => mapping(address grantee => bool)) private _derivationGrants;

    constructor(IDatasetRegistry datasets, IAttestationRegistry attestations) ERC721("Pedigree Model", "PDGM") {
        DATASETS = datasets;
        ATTESTATIONS = attestations;
    }

    /// @inheritdoc IModelRegistry
    function registerModel(bool commercial, bytes32 metadataHash, string calldata uri)
        external
        returns (uint64 modelId)
    {
        modelId = ++_lastModelId;
        _models[modelId] = Model({versionCount: 0, commercial: commercial});
        _mint(msg.sender, modelId);
        emit ModelRegistered(modelId, msg.sender, commercial, metadataHash, uri);
        uint256 policy = uint256(1) << RELEASE_APPROVAL_KIND;
        _policies[modelId] = policy;
        emit ReleasePolicySet(modelId, policy, msg.sender);
    }

    /// @inheritdoc IModelRegistry
    function publishVersion(uint64 modelId, VersionInput calldata version, TrainingRunInput calldata run)
        external
        returns (uint64 versionId)
    {
        address owner = _requireAuthorized(modelId);
        bytes32 weightsHash = version.weightsHash;
        if (weightsHash == bytes32(0)) revert ZeroWeightsHash();
        if (run.endedAt < run.startedAt) revert InvalidTrainingWindow(run.startedAt, run.endedAt);
        Regions.requireRegion(run.region);
        uint64 parentVersionId = version.parentVersionId;
        Lineage memory lineage = _lineageOf(parentVersionId, run, owner, _models[modelId].commercial);
        if (Regions.holds(lineage.excluded.training, run.region)) _revertTrainingOutside(parentVersionId, run);

        versionId = ++_lastVersionId;
        _claim(owner, weightsHash, versionId);
        uint32 number = ++_models[modelId].versionCount;
        _versions[versionId] = ModelVersion({
            modelId: modelId,
            number: number,
            approved: false,
            dataDeclared: lineage.dataDeclared,
            commercialData: lineage.commercialData,
            parentVersionId: parentVersionId,
            territoriesFrom: _storeTerritories(versionId, lineage)
        });
        emit ModelVersionPublished(
            versionId,
            modelId,
            number,
            weightsHash,
            version.manifestRoot,
            version.configHash,
            parentVersionId,
            version.uri,
            msg.sender
        );
        _emitTrainingRun(versionId, modelId, run, lineage);
    }

    /// @inheritdoc IModelRegistry
    function grantDerivation(uint64 modelId, address grantee, bool allowed) external {
        _requireAuthorized(modelId);
        _derivationGrants[modelId][grantee] = allowed;
        emit DerivationGranted(modelId, grantee, allowed, msg.sender);
    }

    /// @inheritdoc IModelRegistry
    function setReleasePolicy(uint64 modelId, uint256 requiredKinds) external {
        _requireAuthorized(modelId);
        if (requiredKinds & (uint256(1) << RELEASE_APPROVAL_KIND) == 0) {
            revert PolicyMissingReleaseApproval(requiredKinds);
        }
        for (uint256 kind = 1; kind < 256; ++kind) {
            if (requiredKinds >> kind == 0) break;
            if ((requiredKinds >> kind) & 1 == 1 && ATTESTATIONS.roleOfKind(uint8(kind)) == bytes32(0)) {
                revert PolicyKindUndefined(uint8(kind));
            }
        }
        _policies[modelId] = requiredKinds;
        emit ReleasePolicySet(modelId, requiredKinds, msg.sender);
    }

    /// @inheritdoc IModelRegistry
    function approveVersion(uint64 versionId, uint64[] calldata attestationIds) external {
        ModelVersion storage version = _versions[versionId];
        uint64 modelId = version.modelId;
        if (modelId == 0) revert UnknownModelVersion(versionId);
        _requireAuthorized(modelId);
        if (version.approved) revert AlreadyApproved(versionId);

        uint256 policy = _policies[modelId];
        ReleaseGate.requireCovered(ATTESTATIONS, SubjectType.ModelVersion, versionId, attestationIds, policy);
        if (policy & REQUIRE_DECLARED_DATA != 0 && !version.dataDeclared) revert UndeclaredTrainingData(versionId);

        version.approved = true;
        _approvals[versionId] = attestationIds;
        emit VersionApproved(versionId, modelId, attestationIds, msg.sender);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IModelRegistry
    function getModel(uint64 modelId) external view returns (Model memory) {
        if (_ownerOf(modelId) == address(0)) revert UnknownModel(modelId);
        return _models[modelId];
    }

    /// @inheritdoc IModelRegistry
    function getVersion(uint64 versionId) external view returns (ModelVersion memory version) {
        version = _versions[versionId];
        if (version.modelId == 0) revert UnknownModelVersion(versionId);
    }

    /// @inheritdoc IModelRegistry
    function releasePolicy(uint64 modelId) external view returns (uint256) {
        return _policies[modelId];
    }

    /// @inheritdoc IModelRegistry
    function approvalAttestations(uint64 versionId) external view returns (uint64[] memory) {
        return _approvals[versionId];
    }

    /// @inheritdoc IModelRegistry
    function isReleasable(uint64 versionId) external view returns (bool) {
        return _versions[versionId].approved && ReleaseGate.allValid(ATTESTATIONS, _approvals[versionId]);
    }

    /// @inheritdoc IModelRegistry
    function versionByWeights(address claimant, bytes32 weightsHash) external view returns (uint64) {
        return _claimOf(claimant, weightsHash);
    }

    /// @inheritdoc IModelRegistry
    function derivationAllowed(uint64 modelId, address account) public view returns (bool) {
        address owner = _ownerOf(modelId);
        return owner != address(0)
            && (account == owner || _derivationGrants[modelId][account] || _derivationGrants[modelId][address(0)]);
    }

    /// @inheritdoc IModelRegistry
    function isOwnerOrOperator(uint64 modelId, address account) external view returns (bool) {
        address owner = _ownerOf(modelId);
        return owner != address(0) && _isOwnerOrOperator(owner, account);
    }

    /// @inheritdoc IModelRegistry
    function territoriesOf(uint64 versionId) external view returns (uint256 training, uint256 deployment) {
        ModelVersion storage version = _versions[versionId];
        if (version.modelId == 0) return (0, 0);
        uint64 from = version.territoriesFrom;
        if (from == 0) return (Regions.WORLDWIDE, Regions.WORLDWIDE);
        ExcludedRegions storage excluded = _excluded[from];
        return (Regions.WORLDWIDE & ~excluded.training, Regions.WORLDWIDE & ~excluded.deployment);
    }

    /// @inheritdoc IModelRegistry
    function licenceExcluding(uint64 versionId, uint256 regions, Territory territory)
        public
        view
        returns (uint64 licenceId, uint256 allowed)
    {
        // Only the versions that narrowed the territories hold licences to name: the walk hops from one to the next
        // and ends at a worldwide lineage (or an unknown version).
        uint64 from = _versions[versionId].territoriesFrom;
        while (from != 0) {
            (licenceId, allowed) = _firstExcluding(PackedIds.load(_restrictingUses[from]), regions, territory);
            if (licenceId != 0) return (licenceId, allowed);
            from = _versions[_versions[from].parentVersionId].territoriesFrom;
        }
        return (0, Regions.WORLDWIDE);
    }

    /// @inheritdoc ISubjectRegistry
    function subjectExists(SubjectType subjectType, uint64 subjectId) external view returns (bool) {
        if (subjectType == SubjectType.ModelVersion || subjectType == SubjectType.TrainingRun) {
            return _versions[subjectId].modelId != 0;
        }
        return false;
    }

    // ------------------------------------------------------------------ internals

    /// @dev Checks the run's training data and the parent (see {publishVersion}); returns what the version inherits:
    /// whether its lineage declares its data and licenses it commercially, and the regions it excludes.
    function _lineageOf(uint64 parentVersionId, TrainingRunInput calldata run, address owner, bool commercial)
        private
        view
        returns (Lineage memory lineage)
    {
        lineage = _checkTrainingData(run, owner, commercial);
        lineage.dataDeclared = run.datasetVersionIds.length != 0;
        if (parentVersionId == 0) return lineage;
        ModelVersion memory parent = _checkParent(parentVersionId, owner, commercial);
        lineage.dataDeclared = lineage.dataDeclared && parent.dataDeclared;
        lineage.commercialData = lineage.commercialData && parent.commercialData;
        uint64 from = parent.territoriesFrom;
        if (from == 0) return lineage;
        lineage.inheritedFrom = from;
        ExcludedRegions storage inherited = _excluded[from];
        lineage.excluded.training |= inherited.training;
        // The deployment union is stored only by a run that narrows the territories itself.
        if (lineage.restrictingUses.length != 0) lineage.excluded.deployment |= inherited.deployment;
    }

    /// @dev Reverts unless `licensee` holds a valid licence for every dataset version of the run (for commercial use
    /// if `commercial`); returns whether every one of them is licensed for commercial use, the regions their
    /// effective territories exclude, and the (licence, dataset version) pairs whose territories are not worldwide.
    function _checkTrainingData(TrainingRunInput calldata run, address licensee, bool commercial)
        private
        view
        returns (Lineage memory lineage)
    {
        uint256 count = run.datasetVersionIds.length;
        if (count != run.licenceIds.length) revert TrainingDataLengthMismatch(count, run.licenceIds.length);
        lineage.commercialData = true;
        uint64[] memory restricting = new uint64[](2 * count);
        uint256 restrictingCount;
        for (uint256 i; i < count; ++i) {
            uint64 licenceId = run.licenceIds[i];
            // Asked for commercial use: the answer also says whether a non-commercial model's data allows it.
            (IDatasetRegistry.LicenceStatus status, uint256 trainingExcluded, uint256 deploymentExcluded) =
                DATASETS.trainingUse(licenceId, run.datasetVersionIds[i], licensee, true);
            if (status == IDatasetRegistry.LicenceStatus.CommercialUseForbidden && !commercial) {
                lineage.commercialData = false;
            } else if (status != IDatasetRegistry.LicenceStatus.Valid) {
                revert DatasetVersionNotUsable(run.datasetVersionIds[i], licenceId, status);
            }
            if (trainingExcluded | deploymentExcluded != 0) {
                restricting[restrictingCount] = licenceId;
                restricting[restrictingCount + 1] = run.datasetVersionIds[i];
                restrictingCount += 2;
                lineage.excluded.training |= trainingExcluded;
                lineage.excluded.deployment |= deploymentExcluded;
            }
        }
        assembly ("memory-safe") {
            mstore(restricting, restrictingCount) // keep the licences found; the array only shrinks
        }
        lineage.restrictingUses = restricting;
    }

    /// @dev Reverts with {TrainingOutsideTerritory}, naming the first licence (the run's, then its lineage's) whose
    /// effective training territory leaves out the run's region. Called only once the one-AND check has failed.
    function _revertTrainingOutside(uint64 parentVersionId, TrainingRunInput calldata run) private view {
        uint256 regions = uint256(1) << run.region;
        uint64[] memory uses = new uint64[](2 * run.licenceIds.length);
        for (uint256 i; i < run.licenceIds.length; ++i) {
            uses[2 * i] = run.licenceIds[i];
            uses[2 * i + 1] = run.datasetVersionIds[i];
        }
        (uint64 licenceId, uint256 allowed) = _firstExcluding(uses, regions, Territory.Training);
        if (licenceId == 0) (licenceId, allowed) = licenceExcluding(parentVersionId, regions, Territory.Training);
        revert TrainingOutsideTerritory(licenceId, run.region, allowed);
    }

    /// @dev The first licence of `uses` — (licence id, dataset version id) pairs — whose effective `territory` on its
    /// dataset version leaves out some of `regions`, with that territory; (0, WORLDWIDE) if none does.
    function _firstExcluding(uint64[] memory uses, uint256 regions, Territory territory)
        private
        view
        returns (uint64, uint256)
    {
        for (uint256 i; i + 1 < uses.length; i += 2) {
            (uint256 training, uint256 deployment) = DATASETS.licenceTerritories(uses[i], uses[i + 1]);
            uint256 allowed = territory == Territory.Training ? training : deployment;
            if (!Regions.within(regions, allowed)) return (uses[i], allowed);
        }
        return (0, Regions.WORLDWIDE);
    }

    /// @dev Stores what the lineage of `versionId` excludes when its own run narrows it, and returns the version whose
    /// stored regions are its territories: itself then, else its parent's (0 for a worldwide lineage); nothing is
    /// written otherwise.
    function _storeTerritories(uint64 versionId, Lineage memory lineage) private returns (uint64 territoriesFrom) {
        if (lineage.restrictingUses.length == 0) return lineage.inheritedFrom;
        ExcludedRegions memory excluded = lineage.excluded;
        if (excluded.training != 0) _excluded[versionId].training = excluded.training;
        if (excluded.deployment != 0) _excluded[versionId].deployment = excluded.deployment;
        PackedIds.store(_restrictingUses[versionId], lineage.restrictingUses);
        return versionId;
    }

    function _emitTrainingRun(uint64 versionId, uint64 modelId, TrainingRunInput calldata run, Lineage memory lineage)
        private
    {
        emit TrainingRunRecorded(
            versionId,
            modelId,
            run.datasetVersionIds,
            run.licenceIds,
            run.codeHash,
            run.hyperparametersHash,
            run.startedAt,
            run.endedAt,
            run.region,
            run.computeProvider,
            lineage.dataDeclared,
            lineage.commercialData
        );
    }

    /// @dev Reverts unless `parentVersionId` exists, `owner` may derive from its model, and its lineage data allows
    /// commercial use when `commercial`; returns the parent.
    function _checkParent(uint64 parentVersionId, address owner, bool commercial)
        private
        view
        returns (ModelVersion memory parent)
    {
        parent = _versions[parentVersionId];
        if (parent.modelId == 0) revert UnknownModelVersion(parentVersionId);
        if (!derivationAllowed(parent.modelId, owner)) revert ParentNotDerivable(parentVersionId, owner);
        if (commercial && !parent.commercialData) revert ParentDataNotCommercial(parentVersionId);
    }

    /// @dev Reverts unless the caller owns `modelId` or operates all its owner's tokens; returns the owner.
    /// A single-token approval is not enough: it lets the approved account transfer the token, not manage it.
    function _requireAuthorized(uint64 modelId) private view returns (address owner) {
        owner = _ownerOf(modelId);
        if (owner == address(0)) revert UnknownModel(modelId);
        if (!_isOwnerOrOperator(owner, msg.sender)) revert NotModelOwner(modelId, msg.sender);
    }

    function _isOwnerOrOperator(address owner, address account) private view returns (bool) {
        return account == owner || isApprovedForAll(owner, account);
    }
}
