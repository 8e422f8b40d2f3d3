// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DatasetRegistry} from "../../contracts/datasets/DatasetRegistry.sol";
import {IDatasetRegistry} from "../../contracts/datasets/IDatasetRegistry.sol";
import {AttestationRegistry} from "../../contracts/attestations/AttestationRegistry.sol";
import {IAttestationRegistry} from "../../contracts/attestations/IAttestationRegistry.sol";
import {ModelRegistry} from "../../contracts/models/ModelRegistry.sol";
import {IModelRegistry} from "../../contracts/models/IModelRegistry.sol";
import {ReleaseRegistry} from "../../contracts/releases/ReleaseRegistry.sol";
import {IReleaseRegistry} from "../../contracts/releases/IReleaseRegistry.sol";
import {SystemRegistry} from "../../contracts/systems/SystemRegistry.sol";
import {ISystemRegistry} from "../../contracts/systems/ISystemRegistry.sol";
import {AgentRegistry} from "../../contracts/agents/AgentRegistry.sol";
import {RoyaltySplits} from "../../contracts/licensing/RoyaltySplits.sol";
import {SubjectType} from "../../contracts/common/Subjects.sol";
import {Regions} from "../../contracts/common/Regions.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @notice Fuzzes territory enforcement along a fine-tune chain of three versions, each trained on a fuzzed pick of
/// four licences with fuzzed territories, in a fuzzed region, then one deployment to a fuzzed region set. A reference
/// model computed here — the allowed set is the AND of every lineage licence's territory; the licence named is the
/// first that leaves a region out, the run's own licences in order, then the nearest ancestor's — must agree with the
/// registries on every success, every refusal and every view. A system version on top adds its retrieval data's
/// deployment territories: a system deployment must lie in both, the lineage's licence named first.
contract TerritoriesFuzzTest is TestBase {
    uint256 internal constant DATASETS = 4;
    uint256 internal constant LEVELS = 3;

    DatasetRegistry internal datasets;
    AttestationRegistry internal attestations;
    ModelRegistry internal models;
    ReleaseRegistry internal releases;
    SystemRegistry internal systems;
    uint64 internal model;

    uint64[DATASETS] internal dataVersions;
    uint64[DATASETS] internal licences;
    uint256[DATASETS] internal trainingSets;
    uint256[DATASETS] internal deploymentSets;
    /// @dev The datasets picked by each published version of the chain, oldest first (bit i = dataset i).
    uint8[] internal publishedPicks;

    function setUp() public {
        datasets = new DatasetRegistry();
        address[] memory none = new address[](0);
        address[] memory approvers = new address[](1);
        approvers[0] = address(this);
        attestations = new AttestationRegistry(address(this), none, none, approvers, none);
        models = new ModelRegistry(datasets, attestations);
        systems = new SystemRegistry(models, datasets, attestations);
        releases = new ReleaseRegistry(models, systems);
        AgentRegistry agents = new AgentRegistry(systems, releases);
        attestations.setSubjectRegistries(
            address(datasets), address(models), address(releases), address(systems), address(agents)
        );
        model = models.registerModel(true, bytes32(0), "");
    }

    function testFuzz_lineageTerritories(
        uint256[DATASETS] memory trainingSeeds,
        uint256[DATASETS] memory deploymentSeeds,
        uint8 worldwideBits,
        uint8[LEVELS] memory picks,
        uint256[LEVELS] memory regionSeeds,
        uint256 servedSeed
    ) public {
        _licenceData(trainingSeeds, deploymentSeeds, worldwideBits);
        uint64 versionId;
        uint256 allowedTraining = Regions.WORLDWIDE;
        uint256 allowedDeployment = Regions.WORLDWIDE;
        for (uint256 level; level < LEVELS; ++level) {
            uint8 pick = uint8(picks[level] % (1 << DATASETS));
            uint256 region = regionSeeds[level] % Regions.COUNT;
            uint256 training = allowedTraining & _and(trainingSets, pick);
            if (Regions.holds(training, region)) {
                versionId = _publish(versionId, pick, region);
                allowedTraining = training;
                allowedDeployment &= _and(deploymentSets, pick);
                publishedPicks.push(pick);
                (uint256 t, uint256 d) = models.territoriesOf(versionId);
                assertEq(t, allowedTraining, "training territory of the version");
                assertEq(d, allowedDeployment, "deployment territory of the version");
            } else {
                (uint64 named, uint256 namedAllowed) = _firstExcluding(pick, uint256(1) << region, trainingSets);
                vm.expectRevert(
                    abi.encodeWithSelector(IModelRegistry.TrainingOutsideTerritory.selector, named, region, namedAllowed)
                );
                _publish(versionId, pick, region);
            }
        }
        if (versionId != 0) _deploy(versionId, servedSeed, allowedDeployment);
    }

    function testFuzz_systemTerritories(
        uint256[DATASETS] memory trainingSeeds,
        uint256[DATASETS] memory deploymentSeeds,
        uint8 worldwideBits,
        uint8 trainPick,
        uint8 retrievalPick,
        uint256 servedSeed
    ) public {
        _licenceData(trainingSeeds, deploymentSeeds, worldwideBits);
        trainPick = uint8(trainPick % (1 << DATASETS));
        retrievalPick = uint8(retrievalPick % (1 << DATASETS));
        uint256 training = _and(trainingSets, trainPick);
        if (training == 0) (trainPick, training) = (0, Regions.WORLDWIDE);
        uint64 versionId = _publish(0, trainPick, _lowestRegion(training));
        _approve(SubjectType.ModelVersion, versionId);
        uint64 systemId = _publishSystem(versionId, retrievalPick);
        uint256 retrievalAllowed = _and(deploymentSets, retrievalPick);
        assertEq(systems.deploymentTerritoryOf(systemId), retrievalAllowed, "retrieval territory of the system");
        _approve(SubjectType.SystemVersion, systemId);

        uint256 allowed = _and(deploymentSets, trainPick) & retrievalAllowed;
        uint256 served = _regionSet(servedSeed, false);
        if (servedSeed >> 255 == 1 && allowed != 0) served = served & allowed == 0 ? allowed : served & allowed;
        if (Regions.within(served, allowed)) {
            uint64 deploymentId = releases.deploySystem(systemId, "production", served);
            assertEq(releases.getDeployment(deploymentId).systemId, systemId, "deployed inside both territories");
            return;
        }
        (uint64 named, uint256 namedAllowed) = _firstExcludingIn(trainPick, served, deploymentSets);
        if (named == 0) (named, namedAllowed) = _firstExcludingIn(retrievalPick, served, deploymentSets);
        assertTrue(named != 0, "a refusal always has a licence to name");
        vm.expectRevert(
            abi.encodeWithSelector(IReleaseRegistry.DeploymentOutsideTerritory.selector, named, served, namedAllowed)
        );
        releases.deploySystem(systemId, "production", served);
    }

    /// @dev Four datasets with fuzzed territories (worldwide where `worldwideBits` says so), each licensed to us.
    function _licenceData(uint256[DATASETS] memory training, uint256[DATASETS] memory deployment, uint8 worldwide)
        private
    {
        for (uint256 i; i < DATASETS; ++i) {
            trainingSets[i] = _regionSet(training[i], (worldwide >> i) & 1 == 1);
            deploymentSets[i] = _regionSet(deployment[i], (worldwide >> (i + DATASETS)) & 1 == 1);
            IDatasetRegistry.VersionInput memory version;
            version.fingerprint = keccak256(abi.encode("data", i));
            (uint64 datasetId, uint64 versionId, uint64 termsId) = datasets.registerDatasetWithTerms(
                version, new uint64[](0), new uint64[](0), bytes32(0), _terms(trainingSets[i], deploymentSets[i])
            );
            dataVersions[i] = versionId;
            licences[i] = datasets.royalties().acquireLicence(datasetId, address(this), termsId);
        }
    }

    function _terms(uint256 training, uint256 deployment) private pure returns (IDatasetRegistry.TermsInput memory) {
        return IDatasetRegistry.TermsInput({
            currency: address(0),
            price: 0,
            duration: 0,
            commercialUse: true,
            derivativesAllowed: true,
            documentHash: bytes32(0),
            documentURI: "",
            splits: new RoyaltySplits.Split[](0),
            trainingTerritories: training,
            deploymentTerritories: deployment,
            unitPrice: 0,
            unit: "",
            derivativeRoyaltyBps: 0
        });
    }

    /// @dev A non-empty set of known regions from `seed`, or every region.
    function _regionSet(uint256 seed, bool worldwide) private pure returns (uint256 set) {
        set = worldwide ? Regions.WORLDWIDE : seed & Regions.WORLDWIDE;
        if (set == 0) set = 1;
    }

    /// @dev The AND of the sets of the datasets `pick` names (every region for none).
    function _and(uint256[DATASETS] storage sets, uint8 pick) private view returns (uint256 allowed) {
        allowed = Regions.WORLDWIDE;
        for (uint256 i; i < DATASETS; ++i) {
            if ((pick >> i) & 1 == 1) allowed &= sets[i];
        }
    }

    /// @dev Reference naming: the first licence of `pick`, then of the published chain from its newest version up,
    /// whose set leaves some of `regions` out.
    function _firstExcluding(uint8 pick, uint256 regions, uint256[DATASETS] storage sets)
        private
        view
        returns (uint64 licenceId, uint256 allowed)
    {
        (licenceId, allowed) = _firstExcludingIn(pick, regions, sets);
        for (uint256 level = publishedPicks.length; licenceId == 0 && level > 0; --level) {
            (licenceId, allowed) = _firstExcludingIn(publishedPicks[level - 1], regions, sets);
        }
        assertTrue(licenceId != 0, "a refusal always has a licence to name");
    }

    function _firstExcludingIn(uint8 pick, uint256 regions, uint256[DATASETS] storage sets)
        private
        view
        returns (uint64, uint256)
    {
        for (uint256 i; i < DATASETS; ++i) {
            if ((pick >> i) & 1 == 1 && !Regions.within(regions, sets[i])) return (licences[i], sets[i]);
        }
        return (0, 0);
    }

    /// @dev The dataset versions `pick` names and our licences for them, in order.
    function _uses(uint8 pick) private view returns (uint64[] memory versions, uint64[] memory licenceIds) {
        uint256 count;
        for (uint256 i; i < DATASETS; ++i) {
            if ((pick >> i) & 1 == 1) ++count;
        }
        versions = new uint64[](count);
        licenceIds = new uint64[](count);
        count = 0;
        for (uint256 i; i < DATASETS; ++i) {
            if ((pick >> i) & 1 == 0) continue;
            versions[count] = dataVersions[i];
            licenceIds[count++] = licences[i];
        }
    }

    function _publish(uint64 parentVersionId, uint8 pick, uint256 region) private returns (uint64) {
        IModelRegistry.TrainingRunInput memory run;
        (run.datasetVersionIds, run.licenceIds) = _uses(pick);
        run.region = region;
        IModelRegistry.VersionInput memory version = IModelRegistry.VersionInput({
            weightsHash: keccak256(abi.encode("weights", parentVersionId, pick, region)),
            manifestRoot: bytes32(0),
            configHash: bytes32(0),
            parentVersionId: parentVersionId,
            uri: ""
        });
        return models.publishVersion(model, version, run);
    }

    /// @dev A system version of `versionId` whose retrieval index is built from the datasets `pick` names.
    function _publishSystem(uint64 versionId, uint8 pick) private returns (uint64) {
        (uint64[] memory versions, uint64[] memory licenceIds) = _uses(pick);
        ISystemRegistry.SystemConfig memory config = ISystemRegistry.SystemConfig({
            promptHash: keccak256("prompt"),
            retrievalIndex: pick == 0 ? bytes32(0) : keccak256(abi.encode("index", pick)),
            policyHash: bytes32(0),
            toolsHash: bytes32(0)
        });
        return systems.publishSystemVersion(versionId, 0, config, versions, licenceIds, "");
    }

    /// @dev The lowest region of a non-empty `set`.
    function _lowestRegion(uint256 set) private pure returns (uint256 region) {
        while ((set >> region) & 1 == 0) ++region;
    }

    /// @dev Passes `subjectId` through its gate with a release approval about it.
    function _approve(SubjectType subjectType, uint64 subjectId) private {
        uint64[] memory approval = new uint64[](1);
        approval[0] = attestations.attest(
            IAttestationRegistry.AttestationRequest({
                subjectType: subjectType,
                subjectId: subjectId,
                kind: 6,
                expiresAt: 0,
                refId: 0,
                evidenceHash: bytes32(0),
                evidenceURI: ""
            })
        );
        if (subjectType == SubjectType.ModelVersion) models.approveVersion(subjectId, approval);
        else systems.approveSystemVersion(subjectId, approval);
    }

    /// @dev Approves `versionId` and deploys it to a fuzzed region set: half the time one inside `allowed`.
    function _deploy(uint64 versionId, uint256 servedSeed, uint256 allowed) private {
        _approve(SubjectType.ModelVersion, versionId);
        uint256 served = _regionSet(servedSeed, false);
        if (servedSeed >> 255 == 1 && allowed != 0) served = served & allowed == 0 ? allowed : served & allowed;
        if (Regions.within(served, allowed)) {
            releases.deploy(versionId, "production", served);
            assertEq(releases.liveVersion(model, "production"), versionId, "deployed inside the territory");
            return;
        }
        (uint64 named, uint256 namedAllowed) = _firstExcluding(0, served, deploymentSets);
        vm.expectRevert(
            abi.encodeWithSelector(IReleaseRegistry.DeploymentOutsideTerritory.selector, named, served, namedAllowed)
        );
        releases.deploy(versionId, "production", served);
    }
}
