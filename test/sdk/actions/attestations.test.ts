/** Attestation actions: direct and batched attestations, roles, revocation, and offline-signed relayed attestations. */
import { beforeAll, describe, expect, it } from "vitest";
import { network } from "hardhat";
import { TypedDataEncoder, id } from "ethers";
import { deployLocally } from "../../../src/dev/deploy.ts";
import {
  ATTEST_TYPES,
  PedigreeContractError,
  InvalidInputError,
  WrongContractError,
  WrongNetworkError,
  attest,
  attestationDomain,
  cancelNonce,
  createPedigreeClient,
  decodeError,
  grantRole,
  multiAttest,
  parseSignedAttestation,
  relaySignedAttestation,
  revokeAttestation,
  revokeRole,
  signAttestation,
  type SignedAttestation,
} from "../../../src/sdk/index.ts";
import { roleId } from "../../../src/core/constants.ts";
import { caught, licensedDataset, modelWithVersion, sdkFixture, type SdkFixture } from "./fixture.ts";

let f: SdkFixture;
let modelVersionId: bigint;
let datasetVersionId: bigint;
let licenceId: bigint;

beforeAll(async () => {
  f = await sdkFixture();
  const data = await licensedDataset(f.clients.creator, f.clients.mlTeam);
  datasetVersionId = data.versionId;
  licenceId = data.licenceId;
  ({ versionId: modelVersionId } = await modelWithVersion(f.clients.mlTeam, [{ datasetVersionId, licenceId }]));
});

const txCount = (address: string) => f.protocol.ethers.provider.getTransactionCount(address);

describe("attest / multiAttest / revokeAttestation", () => {
  it("attests as the signer and returns the new id", async () => {
    const result = await attest(f.clients.evaluator, {
      subjectType: "model-version",
      subjectId: modelVersionId,
      kind: "safety-evaluation",
      evidenceHash: id("safety report"),
      evidenceURI: "ipfs://safety",
    });
    expect(result.attester).toBe(f.accounts.evaluator.address);
    const stored = await f.protocol.attestations.getAttestation(result.attestationId);
    expect(stored.attester).toBe(f.accounts.evaluator.address);
    expect(stored.kind).toBe(1n);
    expect(stored.subjectType).toBe(2n);
    expect(stored.subjectId).toBe(modelVersionId);
    expect(await f.protocol.attestations.isValid(result.attestationId)).toBe(true);
  });

  it("issues a batch across subject types, ids in request order", async () => {
    const before = await attest(f.clients.steward, { subjectType: "dataset-version", subjectId: datasetVersionId, kind: "consent" });
    const result = await multiAttest(f.clients.auditor, {
      requests: [
        { subjectType: "licence", subjectId: licenceId, kind: "licence-compliance", evidenceURI: "ipfs://a" },
        { subjectType: "training-run", subjectId: modelVersionId, kind: "red-team-report", refId: before.attestationId },
        { subjectType: 2, subjectId: modelVersionId, kind: 3, expiresAt: new Date(Date.now() + 86_400_000) },
      ],
    });
    expect(result.attestationIds).toEqual([before.attestationId + 1n, before.attestationId + 2n, before.attestationId + 3n]);
    const kinds = await Promise.all(result.attestationIds.map((i) => f.protocol.attestations.getAttestation(i)));
    expect(kinds.map((a) => [a.subjectType, a.kind])).toEqual([
      [4n, 5n],
      [3n, 3n],
      [2n, 3n],
    ]);
    expect(kinds[2].expiresAt).toBeGreaterThan(0n);
  });

  it("decodes MissingAttesterRole with the kind and the role by name, and UnknownSubject with the subject type", async () => {
    const error = (await caught(
      attest(f.clients.stranger, { subjectType: "model-version", subjectId: modelVersionId, kind: "safety-evaluation" }),
    )) as PedigreeContractError;
    expect(error).toBeInstanceOf(PedigreeContractError);
    expect(error.errorName).toBe("MissingAttesterRole");
    expect(error.args).toEqual({ account: f.accounts.stranger.address, kind: 1n, role: id("EVALUATOR_ROLE") });
    expect(error.formattedArgs.role).toBe("evaluator (EVALUATOR_ROLE)");
    expect(error.message).toBe(
      `MissingAttesterRole: ${f.accounts.stranger.address} cannot issue safety-evaluation attestations (kind 1): that needs the evaluator (EVALUATOR_ROLE) role. ` +
        `Ask an admin to grant ${f.accounts.stranger.address} the evaluator role (grantRole).`,
    );

    const unknown = (await caught(
      attest(f.clients.evaluator, { subjectType: "model-version", subjectId: 9_999n, kind: "bias-check" }),
    )) as PedigreeContractError;
    expect(unknown.message).toBe("UnknownSubject: model-version 9999 does not exist. Check the subject type and id.");
    expect(unknown.formattedArgs.subjectType).toBe("model-version");
  });

  it("revokes: the attester may, a stranger may not", async () => {
    const { attestationId } = await attest(f.clients.evaluator, { subjectType: "model-version", subjectId: modelVersionId, kind: "bias-check" });
    const denied = (await caught(revokeAttestation(f.clients.stranger, { attestationId, reason: "no" }))) as PedigreeContractError;
    expect(denied.message).toBe(
      `NotAttesterOrAdmin: ${f.accounts.stranger.address} is neither the attester of attestation ${attestationId} nor an admin. Only its attester or an admin may revoke it.`,
    );
    const result = await revokeAttestation(f.clients.evaluator, { attestationId, reason: "harness bug" });
    expect(result).toMatchObject({ attestationId, revoker: f.accounts.evaluator.address });
    expect((await f.protocol.attestations.getAttestation(attestationId)).revoked).toBe(true);
    expect(await f.protocol.attestations.isValid(attestationId)).toBe(false);
    const again = (await caught(revokeAttestation(f.clients.evaluator, { attestationId, reason: "x" }))) as PedigreeContractError;
    expect(again.errorName).toBe("AlreadyRevoked");
  });
});

describe("grantRole / revokeRole", () => {
  it("grants and revokes roles by name; a non-admin gets a decoded AccessControlUnauthorizedAccount", async () => {
    const stranger = f.accounts.stranger.address;
    const granted = await grantRole(f.clients.admin, { role: "auditor", account: stranger });
    expect(granted).toMatchObject({ role: roleId("auditor"), roleName: "auditor", account: stranger, changed: true });
    expect(await f.protocol.attestations.hasRole(id("AUDITOR_ROLE"), stranger)).toBe(true);
    expect((await grantRole(f.clients.admin, { role: "AUDITOR_ROLE", account: stranger })).changed).toBe(false);

    const { attestationId } = await attest(f.clients.stranger, { subjectType: "licence", subjectId: licenceId, kind: "licence-compliance" });
    expect(attestationId).toBeGreaterThan(0n);

    const revoked = await revokeRole(f.clients.admin, { role: "auditor", account: stranger });
    expect(revoked.changed).toBe(true);
    expect(await f.protocol.attestations.hasRole(id("AUDITOR_ROLE"), stranger)).toBe(false);

    const error = (await caught(grantRole(f.clients.stranger, { role: "evaluator", account: stranger }))) as PedigreeContractError;
    expect(error.errorName).toBe("AccessControlUnauthorizedAccount");
    expect(error.args.neededRole).toBe("0x" + "00".repeat(32));
    expect(error.message).toBe(
      `AccessControlUnauthorizedAccount: ${stranger} lacks the admin (DEFAULT_ADMIN_ROLE) role this action needs. Only an admin may do this; send from an admin account.`,
    );
    await expect(grantRole(f.clients.admin, { role: "janitor", account: stranger })).rejects.toThrow(
      'role: unknown role "janitor". Use one of: admin, evaluator, auditor, release-approver, data-steward, or a 32-byte role id.',
    );
  });
});

/** A safety evaluation of the fixture's model version, to sign offline. */
const request = () => ({
  subjectType: "model-version" as const,
  subjectId: modelVersionId,
  kind: "safety-evaluation" as const,
  expiresAt: 4_102_444_800n, // 2100-01-01
  evidenceHash: id("offline safety report"),
  evidenceURI: "ipfs://offline-report",
});

describe("signAttestation / relaySignedAttestation", () => {

  it("signs offline, survives a JSON round trip, and is relayed by another account", async () => {
    const evaluator = f.accounts.evaluator.address;
    const nonce = await f.protocol.attestations.nonces(evaluator);
    const evaluatorTxs = await txCount(evaluator);
    const deadline = BigInt((await f.protocol.ethers.provider.getBlock("latest"))!.timestamp) + 86_400n;
    const signed = await signAttestation(f.clients.evaluator, { request: request(), deadline });
    expect(await txCount(evaluator)).toBe(evaluatorTxs); // signing sends nothing

    const file = JSON.stringify(signed, null, 2);
    const restored = JSON.parse(file) as SignedAttestation;
    expect(restored).toEqual(signed);
    expect(restored).toMatchObject({
      format: "pedigree-signed-attestation/v1",
      chainId: "31337",
      contract: f.addresses.attestations,
      attester: evaluator,
      nonce: nonce.toString(),
      deadline: deadline.toString(),
      request: { subjectType: 2, subjectId: modelVersionId.toString(), kind: 1, expiresAt: "4102444800", refId: "0" },
    });
    const decoded = parseSignedAttestation(file);
    expect(decoded.nonce).toBe(nonce);
    expect(decoded.request.expiresAt).toBe(4_102_444_800n);
    expect(decoded.deadline).toBe(deadline);

    // The TypeScript typed data hashes to the contract's own digest.
    const digest = TypedDataEncoder.hash(attestationDomain(31337n, f.addresses.attestations), ATTEST_TYPES, {
      ...decoded.request,
      attester: decoded.attester,
      nonce: decoded.nonce,
      deadline: decoded.deadline,
    });
    expect(digest).toBe(await f.protocol.attestations.attestationDigest(decoded.request, evaluator, nonce, decoded.deadline));

    const result = await relaySignedAttestation(f.clients.relayer, restored);
    expect(result.attester).toBe(evaluator);
    expect(result.submitter).toBe(f.accounts.relayer.address);
    const stored = await f.protocol.attestations.getAttestation(result.attestationId);
    expect(stored.attester).toBe(evaluator);
    expect(stored.kind).toBe(1n);
    expect(stored.expiresAt).toBe(4_102_444_800n);
    expect(await f.protocol.attestations.nonces(evaluator)).toBe(nonce + 1n);
    expect(await txCount(evaluator)).toBe(evaluatorTxs);

    // Replaying the same file is refused by the registry, decoded, and costs the relayer nothing.
    const relayerTxs = await txCount(f.accounts.relayer.address);
    const replay = (await caught(relaySignedAttestation(f.clients.stranger, file))) as PedigreeContractError;
    expect(replay).toBeInstanceOf(PedigreeContractError);
    expect(replay.errorName).toBe("InvalidAccountNonce");
    expect(replay.args).toEqual({ account: evaluator, currentNonce: nonce + 1n });
    expect(replay.message).toBe(
      `InvalidAccountNonce: the signed request's nonce is not the next nonce of ${evaluator} (current nonce ${nonce + 1n}): it was already relayed or superseded. ` +
        "A signature can be relayed only once, and not after its signer cancelled its nonce; ask the signer to sign again (signAttestation, signActionBatch, signUsageReport).",
    );
    expect(await txCount(f.accounts.relayer.address)).toBe(relayerTxs);
  });

  it("refuses, before sending, a document for another chain, another contract, or altered after signing", async () => {
    const signed = await signAttestation(f.clients.evaluator, { request: request() });
    const relayer = f.accounts.relayer.address;
    const before = await txCount(relayer);

    const otherChain = (await caught(relaySignedAttestation(f.clients.relayer, { ...signed, chainId: "11155111" }))) as WrongNetworkError;
    expect(otherChain).toBeInstanceOf(WrongNetworkError);
    expect(otherChain.expectedChainId).toBe(11155111n);
    expect(otherChain.actualChainId).toBe(31337n);
    expect(otherChain.message).toBe(
      "Wrong network: expected chain id 11155111 but the node is on chain id 31337. This attestation was signed for chain id 11155111; relay it on that network.",
    );

    const otherContract = await caught(
      relaySignedAttestation(f.clients.relayer, { ...signed, contract: f.addresses.models }),
    );
    expect(otherContract).toBeInstanceOf(WrongContractError);
    expect((otherContract as Error).message).toContain(`signed for the AttestationRegistry at ${f.addresses.models}`);

    const altered = await caught(
      relaySignedAttestation(f.clients.relayer, { ...signed, request: { ...signed.request, evidenceURI: "ipfs://forged" } }),
    );
    expect(altered).toBeInstanceOf(InvalidInputError);
    expect((altered as Error).message).toMatch(/^the signature is not 0x[0-9a-fA-F]{40}'s signature of this attestation \(it was made by 0x/);

    await expect(relaySignedAttestation(f.clients.relayer, "{not json")).rejects.toThrow("the signed attestation is not valid JSON");
    await expect(relaySignedAttestation(f.clients.relayer, { ...signed, nonce: "-1" })).rejects.toThrow(/signed\.nonce/);
    expect(await txCount(relayer)).toBe(before);
  });

  it("refuses to relay on another chain where the same addresses exist, without sending", async () => {
    // A second chain with another chain id, the protocol deployed at the same addresses by the same accounts.
    const other = await network.create({ override: { chainId: 4242 } });
    const [admin, , , , evaluator, , , , , relayer] = await other.ethers.getSigners();
    const { addresses: otherAddresses } = await deployLocally({ connection: other }, { admin: admin!.address, evaluators: [evaluator!.address] });
    expect(otherAddresses).toEqual(f.addresses);

    const signed = await signAttestation(f.clients.evaluator, { request: request() });
    const client = createPedigreeClient({ runner: relayer, addresses: otherAddresses });
    const before = await other.ethers.provider.getTransactionCount(relayer.address);
    const error = (await caught(relaySignedAttestation(client, signed))) as WrongNetworkError;
    expect(error).toBeInstanceOf(WrongNetworkError);
    expect(error.message).toMatch(/^Wrong network: expected chain id 31337 but the node is on chain id 4242\./);
    expect(await other.ethers.provider.getTransactionCount(relayer.address)).toBe(before);
  });

  it("a relayed signature past its deadline is a decoded SignatureExpired", async () => {
    const block = await f.protocol.ethers.provider.getBlock("latest");
    const signed = await signAttestation(f.clients.evaluator, { request: request(), deadline: block!.timestamp + 30 });
    await f.protocol.connection.networkHelpers.time.increase(60);
    const error = (await caught(relaySignedAttestation(f.clients.relayer, signed))) as PedigreeContractError;
    expect(error.errorName).toBe("SignatureExpired");
    expect(error.message).toMatch(/^SignatureExpired: the signature's deadline \d+ \(\d{4}-\d\d-\d\dT[\d:]+Z\) has passed\./);
  });
});

describe("deadline cap / cancelNonce", () => {
  it("refuses to sign a deadline more than 30 days ahead or already past, before signing", async () => {
    const now = BigInt((await f.protocol.ethers.provider.getBlock("latest"))!.timestamp);
    const far = await caught(signAttestation(f.clients.evaluator, { request: request(), deadline: now + 31n * 86_400n }));
    expect(far).toBeInstanceOf(InvalidInputError);
    expect((far as Error).message).toBe(
      `the deadline ${now + 31n * 86_400n} lies more than 30 days ahead (latest ${now + 30n * 86_400n}). A signature may wait at most 30 days to be relayed; give a nearer deadline.`,
    );
    const past = await caught(signAttestation(f.clients.evaluator, { request: request(), deadline: now - 1n }));
    expect((past as InvalidInputError).field).toBe("deadline");
    // The registry's own refusal of a far deadline, as relayed from a document signed elsewhere, is decoded too.
    const data = f.protocol.attestations.interface.encodeErrorResult("DeadlineTooFar", [now + 31n * 86_400n, now + 30n * 86_400n]);
    expect(decodeError({ code: 3, message: "execution reverted", data }).message).toMatch(
      /^DeadlineTooFar: the signature's deadline \d+ \(.*Z\) lies beyond \d+ \(.*Z\), the latest a signature may wait \(30 days\)\. Ask the signer to sign again/,
    );
  });

  it("cancels an unrelayed signature: relaying it is then a decoded InvalidAccountNonce", async () => {
    const evaluator = f.accounts.evaluator.address;
    const signed = await signAttestation(f.clients.evaluator, { request: request() });
    const cancelled = await cancelNonce(f.clients.evaluator);
    expect(cancelled).toMatchObject({ attester: evaluator, nonce: BigInt(signed.nonce) });
    expect(await f.protocol.attestations.nonces(evaluator)).toBe(BigInt(signed.nonce) + 1n);
    const error = (await caught(relaySignedAttestation(f.clients.relayer, signed))) as PedigreeContractError;
    expect(error.errorName).toBe("InvalidAccountNonce");
    // A read-only client cannot cancel anything.
    const readOnly = createPedigreeClient({ runner: f.protocol.ethers.provider, addresses: f.addresses });
    await expect(cancelNonce(readOnly)).rejects.toThrow("AttestationRegistry.cancelNonce needs an account to sign with");
  });
});
