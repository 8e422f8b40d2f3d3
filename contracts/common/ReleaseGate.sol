// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAttestationRegistry} from "../attestations/IAttestationRegistry.sol";
import {SubjectType} from "./Subjects.sol";

/// @title ReleaseGate
/// @notice The rule every release gate applies — of model versions (ModelRegistry) and of system versions
/// (SystemRegistry): the attestations offered are about the gated subject, valid now, and together cover every kind
/// its model's release policy requires; the subject stays releasable only while every one of them stays valid.
library ReleaseGate {
    /// @notice Thrown when an attestation offered to a gate is not about `subjectType` `subjectId`.
    error AttestationNotForSubject(uint64 attestationId, SubjectType subjectType, uint64 subjectId);
    /// @notice Thrown when an attestation offered to a gate is revoked or expired.
    error AttestationNotValid(uint64 attestationId);
    /// @notice Thrown when the offered attestations leave required kinds uncovered (bit k = kind k).
    error RequiredAttestationsMissing(SubjectType subjectType, uint64 subjectId, uint256 missingKinds);

    /// @notice Reverts unless every one of `attestationIds` is about `subjectType` `subjectId`, unrevoked and
    /// unexpired, and together they cover every kind of `requiredKinds` (bit k = kind k; bit 0 is not a kind and is
    /// left to the caller).
    function requireCovered(
        IAttestationRegistry attestations,
        SubjectType subjectType,
        uint64 subjectId,
        uint64[] calldata attestationIds,
        uint256 requiredKinds
    ) internal view {
        uint256 covered;
        for (uint256 i; i < attestationIds.length; ++i) {
            uint64 attestationId = attestationIds[i];
            IAttestationRegistry.Attestation memory attestation = attestations.getAttestation(attestationId);
            if (attestation.subjectType != subjectType || attestation.subjectId != subjectId) {
                revert AttestationNotForSubject(attestationId, subjectType, subjectId);
            }
            if (!attestations.isValid(attestationId)) revert AttestationNotValid(attestationId);
            covered |= uint256(1) << attestation.kind;
        }
        uint256 missing = requiredKinds & ~covered & ~uint256(1);
        if (missing != 0) revert RequiredAttestationsMissing(subjectType, subjectId, missing);
    }

    /// @notice Whether every attestation of `approvalIds` (those that approved a subject) is still valid.
    function allValid(IAttestationRegistry attestations, uint64[] storage approvalIds) internal view returns (bool) {
        for (uint256 i; i < approvalIds.length; ++i) {
            if (!attestations.isValid(approvalIds[i])) return false;
        }
        return true;
    }
}
