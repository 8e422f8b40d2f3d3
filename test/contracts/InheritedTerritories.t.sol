// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DatasetRegistry} from "../../contracts/datasets/DatasetRegistry.sol";
import {IDatasetRegistry} from "../../contracts/datasets/IDatasetRegistry.sol";
import {RoyaltySplits} from "../../contracts/licensing/RoyaltySplits.sol";
import {Regions} from "../../contracts/common/Regions.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @notice Fuzzes territories passed down dataset derivations: four root datasets with fuzzed terms, then a chain of
/// derived versions, each naming a fuzzed pick of the roots and of the versions derived before it, each parent used
/// either under a licence or as the owner's own data. A reference model computed here — a version excludes what every
/// parent licence's terms exclude OR what every parent itself excludes — must agree with the registry, and no bit a
/// parent or a parent licence excludes may ever be lost further down.
contract InheritedTerritoriesFuzzTest is TestBase {
    uint256 internal constant ROOTS = 4;
    uint256 internal constant LEVELS = 4;

    DatasetRegistry internal datasets;

    /// @dev Every version published, roots first, and for each: a licence of its dataset held by this contract (on
    /// worldwide terms for derived versions), what the licence's terms exclude, and what the version inherits.
    uint64[] internal versions;
    uint64[] internal licences;
    uint256[] internal termsTraining;
    uint256[] internal termsDeployment;
    uint256[] internal inheritedTraining;
    uint256[] internal inheritedDeployment;

    function setUp() public {
        datasets = new DatasetRegistry();
    }

    function testFuzz_inheritanceNeverLosesABit(
        uint256[ROOTS] memory trainingSeeds,
        uint256[ROOTS] memory deploymentSeeds,
        uint16[LEVELS] memory picks,
        uint16[LEVELS] memory licensedBits
    ) public {
        for (uint256 i; i < ROOTS; ++i) {
            _add(trainingSeeds[i], deploymentSeeds[i], new uint64[](0), new uint64[](0));
            assertEq(inheritedTraining[i] | inheritedDeployment[i], 0, "data derived from nothing inherits nothing");
        }
        for (uint256 level; level < LEVELS; ++level) {
            uint256 available = versions.length;
            uint256 pick = uint256(picks[level]) % (1 << available);
            if (pick == 0) pick = 1 << (available - 1); // at least the newest version
            _derive(pick, licensedBits[level]);
        }
    }

    /// @dev Publishes a version derived from the versions `pick` names, each under its licence where `licensed` says
    /// so (else as this owner's own data), checks it against the reference, and licenses it on worldwide terms.
    function _derive(uint256 pick, uint256 licensed) private {
        uint256 count;
        for (uint256 i; i < versions.length; ++i) {
            if ((pick >> i) & 1 == 1) ++count;
        }
        uint64[] memory parents = new uint64[](count);
        uint64[] memory parentLicences = new uint64[](count);
        uint256 expectedTraining;
        uint256 expectedDeployment;
        count = 0;
        for (uint256 i; i < versions.length; ++i) {
            if ((pick >> i) & 1 == 0) continue;
            parents[count] = versions[i];
            expectedTraining |= inheritedTraining[i];
            expectedDeployment |= inheritedDeployment[i];
            if ((licensed >> i) & 1 == 1) {
                parentLicences[count] = licences[i];
                expectedTraining |= termsTraining[i];
                expectedDeployment |= termsDeployment[i];
            }
            ++count;
        }
        uint256 index = _add(0, 0, parents, parentLicences);
        assertEq(inheritedTraining[index], expectedTraining, "inherited training exclusions: the OR of the lineage");
        assertEq(inheritedDeployment[index], expectedDeployment, "inherited deployment exclusions: the OR of the lineage");
        for (uint256 i; i < index; ++i) {
            if ((pick >> i) & 1 == 0) continue;
            assertEq(inheritedTraining[index] & inheritedTraining[i], inheritedTraining[i], "a parent's bit was lost");
            assertEq(inheritedDeployment[index] & inheritedDeployment[i], inheritedDeployment[i], "a parent's bit was lost");
        }
    }

    /// @dev Registers a dataset whose first version derives from `parents`, with terms excluding `training` and
    /// `deployment`, takes a licence of it, and records what the registry says the version inherits and the licence
    /// excludes. Returns the version's index.
    function _add(uint256 training, uint256 deployment, uint64[] memory parents, uint64[] memory parentLicences)
        private
        returns (uint256 index)
    {
        index = versions.length;
        IDatasetRegistry.VersionInput memory version;
        version.fingerprint = keccak256(abi.encode("data", index));
        (uint64 datasetId, uint64 versionId, uint64 termsId) = datasets.registerDatasetWithTerms(
            version, parents, parentLicences, bytes32(0), _terms(_allowed(training), _allowed(deployment))
        );
        uint64 licenceId = datasets.royalties().acquireLicence(datasetId, address(this), termsId);
        (uint256 inheritedT, uint256 inheritedD) = datasets.inheritedTerritories(versionId);
        (IDatasetRegistry.LicenceStatus status, uint256 excludedT, uint256 excludedD) =
            datasets.trainingUse(licenceId, versionId, address(this), true);
        assertEq(uint256(status), uint256(IDatasetRegistry.LicenceStatus.Valid), "the licence is valid");
        // What a training run reads is the licence's own exclusions OR the version's inherited ones.
        uint256 termsT = _excluded(_allowed(training));
        uint256 termsD = _excluded(_allowed(deployment));
        assertEq(excludedT, termsT | _excluded(inheritedT), "trainingUse: terms OR inherited (training)");
        assertEq(excludedD, termsD | _excluded(inheritedD), "trainingUse: terms OR inherited (deployment)");
        (uint256 effectiveT, uint256 effectiveD) = datasets.licenceTerritories(licenceId, versionId);
        assertEq(effectiveT, Regions.WORLDWIDE & ~excludedT, "licenceTerritories: the effective training territory");
        assertEq(effectiveD, Regions.WORLDWIDE & ~excludedD, "licenceTerritories: the effective deployment territory");
        versions.push(versionId);
        licences.push(licenceId);
        termsTraining.push(termsT);
        termsDeployment.push(termsD);
        inheritedTraining.push(_excluded(inheritedT));
        inheritedDeployment.push(_excluded(inheritedD));
    }

    /// @dev A non-empty allowed set: the regions `excluded` leaves (every region when it would leave none).
    function _allowed(uint256 excluded) private pure returns (uint256 allowed) {
        allowed = Regions.WORLDWIDE & ~excluded;
        if (allowed == 0) allowed = Regions.WORLDWIDE;
    }

    function _excluded(uint256 allowed) private pure returns (uint256) {
        return Regions.WORLDWIDE & ~allowed;
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
}
