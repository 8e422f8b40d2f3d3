// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDatasetRegistry} from "../../../contracts/datasets/IDatasetRegistry.sol";
import {RoyaltySplits} from "../../../contracts/licensing/RoyaltySplits.sol";
import {Regions} from "../../../contracts/common/Regions.sol";
import {TestToken} from "../../../contracts/test/TestTokens.sol";
import {TestBase} from "./TestBase.sol";

/// @notice Shared set-up: building terms and registering a dataset on a real {DatasetRegistry}.
abstract contract RegistryFixture is TestBase {
    address internal constant ETH = address(0);

    function _version(bytes32 salt) internal pure returns (IDatasetRegistry.VersionInput memory) {
        return IDatasetRegistry.VersionInput({
            fingerprint: keccak256(abi.encode("fingerprint", salt)),
            manifestRoot: keccak256(abi.encode("manifest", salt)),
            metadataHash: keccak256(abi.encode("metadata", salt)),
            uri: "ipfs://dataset",
            originRegions: 0,
            handlingPolicyHash: bytes32(0),
            handlingPolicyURI: ""
        });
    }

    function _terms(address currency, uint96 price, address[] memory recipients, uint16[] memory bps)
        internal
        pure
        returns (IDatasetRegistry.TermsInput memory terms)
    {
        RoyaltySplits.Split[] memory splits = new RoyaltySplits.Split[](bps.length);
        for (uint256 i; i < bps.length; ++i) {
            splits[i] = RoyaltySplits.Split({recipient: recipients[i], bps: bps[i]});
        }
        terms = IDatasetRegistry.TermsInput({
            currency: currency,
            price: price,
            duration: 0,
            commercialUse: true,
            derivativesAllowed: true,
            documentHash: keccak256("licence"),
            documentURI: "spdx:CC-BY-4.0",
            splits: splits,
            trainingTerritories: Regions.WORLDWIDE,
            deploymentTerritories: Regions.WORLDWIDE,
            unitPrice: 0,
            unit: "",
            derivativeRoyaltyBps: 0
        });
    }

    /// @notice What each split entry is owed for one payment of `amount`: floor(amount * bps / 10 000), entry 0 also
    /// taking the remainder. Computed here independently of {RoyaltySplits.divide}.
    function _expectedShares(uint256 amount, uint16[] memory bps) internal pure returns (uint256[] memory shares) {
        shares = new uint256[](bps.length);
        uint256 assigned;
        for (uint256 i = 1; i < bps.length; ++i) {
            shares[i] = (amount * bps[i]) / 10_000;
            assigned += shares[i];
        }
        shares[0] = amount - assigned;
    }

    function _balanceOf(address currency, address account) internal view returns (uint256) {
        return currency == ETH ? account.balance : TestToken(currency).balanceOf(account);
    }
}
