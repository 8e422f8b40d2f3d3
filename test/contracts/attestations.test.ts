/**
 * AttestationRegistry: roles and kinds, subject wiring, direct / batched / signed (EIP-712, EOA and EIP-1271)
 * attestations, expiry and revocation.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  Signature,
  TypedDataEncoder,
  ZeroAddress,
  ZeroHash,
  concat,
  getAddress,
  id as keccakString,
  recoverAddress,
  toBeHex,
  zeroPadValue,
  type LogDescription,
  type TypedDataDomain,
} from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  Kind,
  Subject,
  attestation,
  datasetVersion,
  deployProtocol,
  hash32,
  modelVersion,
  terms,
  trainingRun,
  type Protocol,
} from "../helpers/protocol.ts";
import { eventOf, eventsOf, expectRevert } from "../helpers/assertions.ts";
import { AttestationRegistry__factory, TestWallet__factory, type AttestationRegistry } from "../../types/index.ts";
import { WORLDWIDE } from "../../src/core/regions.ts";

// ---------------------------------------------------------------------------------------------------------- helpers

const EVALUATOR_ROLE = keccakString("EVALUATOR_ROLE");
const AUDITOR_ROLE = keccakString("AUDITOR_ROLE");
const RELEASE_APPROVER_ROLE = keccakString("RELEASE_APPROVER_ROLE");
const DATA_STEWARD_ROLE = keccakString("DATA_STEWARD_ROLE");
const DEFAULT_ADMIN_ROLE = ZeroHash;

/** secp256k1 group order. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const ATTEST_TYPE_STRING =
  "Attest(address attester,uint8 subjectType,uint64 subjectId,uint8 kind,uint64 expiresAt,uint64 refId," +
  "bytes32 evidenceHash,string evidenceURI,uint256 nonce,uint256 deadline)";

const ATTEST_TYPES = {
  Attest: [
    { name: "attester", type: "address" },
    { name: "subjectType", type: "uint8" },
    { name: "subjectId", type: "uint64" },
    { name: "kind", type: "uint8" },
    { name: "expiresAt", type: "uint64" },
    { name: "refId", type: "uint64" },
    { name: "evidenceHash", type: "bytes32" },
    { name: "evidenceURI", type: "string" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

type Request = ReturnType<typeof attestation>;

/** Ids of one subject of every type, created through the real registries. */
interface Subjects {
  datasetVersionId: bigint;
  licenceId: bigint;
  modelId: bigint;
  modelVersionId: bigint;
  /** A second model version, so that id exists for ModelVersion/TrainingRun but not for the other types. */
  modelVersion2Id: bigint;
  deploymentId: bigint;
  /** The RELEASE_APPROVAL attestation the deployment needed. */
  approvalId: bigint;
}

interface World extends Protocol {
  subjects: Subjects;
}

/** The protocol, with one dataset version, one licence, two model versions and one production deployment. */
async function deployWorld(): Promise<World> {
  const protocol = await deployProtocol();
  const { datasets, royalties, models, releases, attestations, accounts } = protocol;
  const { creator, mlTeam, approver } = accounts;

  const datasetArgs = [datasetVersion(), [] as bigint[], [] as bigint[], ZeroHash, terms([{ recipient: creator.address, bps: 10_000 }])] as const;
  const [, datasetVersionId, termsId] = await datasets.connect(creator).registerDatasetWithTerms.staticCall(...datasetArgs);
  await (await datasets.connect(creator).registerDatasetWithTerms(...datasetArgs)).wait();
  const datasetId = await datasets.datasetOfVersion(datasetVersionId);

  const licenceArgs = [datasetId, mlTeam.address, termsId, { value: 10n ** 18n }] as const;
  const licenceId = await royalties.connect(mlTeam).acquireLicence.staticCall(...licenceArgs);
  await (await royalties.connect(mlTeam).acquireLicence(...licenceArgs)).wait();

  const modelArgs = [false, hash32("model-meta"), "ipfs://bafybeimodelcard"] as const;
  const modelId = await models.connect(mlTeam).registerModel.staticCall(...modelArgs);
  await (await models.connect(mlTeam).registerModel(...modelArgs)).wait();

  const v1 = [modelId, modelVersion(), trainingRun()] as const;
  const modelVersionId = await models.connect(mlTeam).publishVersion.staticCall(...v1);
  await (await models.connect(mlTeam).publishVersion(...v1)).wait();
  const v2 = [modelId, modelVersion(modelVersionId), trainingRun()] as const;
  const modelVersion2Id = await models.connect(mlTeam).publishVersion.staticCall(...v2);
  await (await models.connect(mlTeam).publishVersion(...v2)).wait();

  const approval = attestation(Subject.ModelVersion, modelVersionId, Kind.ReleaseApproval);
  const approvalId = await attestations.connect(approver).attest.staticCall(approval);
  await (await attestations.connect(approver).attest(approval)).wait();
  await (await models.connect(mlTeam).approveVersion(modelVersionId, [approvalId])).wait();
  const deploymentId = await releases.connect(mlTeam).deploy.staticCall(modelVersionId, "production", WORLDWIDE);
  await (await releases.connect(mlTeam).deploy(modelVersionId, "production", WORLDWIDE)).wait();

  return {
    ...protocol,
    subjects: { datasetVersionId, licenceId, modelId, modelVersionId, modelVersion2Id, deploymentId, approvalId },
  };
}

/** The id the next attestation will get, found by simulating one (the registry has no counter getter). */
async function nextId(world: World): Promise<bigint> {
  const { attestations, accounts, subjects } = world;
  return attestations
    .connect(accounts.evaluator)
    .attest.staticCall(attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation));
}

/** Issues `request` as `signer` and returns the new id (checked against the Attested event). */
async function attestAs(world: World, signer: HardhatEthersSigner, request: Request): Promise<bigint> {
  const expected = await world.attestations.connect(signer).attest.staticCall(request);
  const event = await eventOf(world.attestations.connect(signer).attest(request), world.attestations, "Attested");
  expect(event.args.id).toBe(expected);
  return expected;
}

interface ExpectedAttested {
  id: bigint;
  attester: string;
  request: Request;
  submitter: string;
}

/** Compares every argument of an Attested event. */
function expectAttested(event: LogDescription, expected: ExpectedAttested) {
  const { request } = expected;
  expect({
    id: event.args.id,
    attester: event.args.attester,
    subjectType: event.args.subjectType,
    subjectId: event.args.subjectId,
    kind: event.args.kind,
    expiresAt: event.args.expiresAt,
    refId: event.args.refId,
    evidenceHash: event.args.evidenceHash,
    evidenceURI: event.args.evidenceURI,
    submitter: event.args.submitter,
  }).toEqual({
    id: expected.id,
    attester: getAddress(expected.attester),
    subjectType: BigInt(request.subjectType),
    subjectId: request.subjectId,
    kind: BigInt(request.kind),
    expiresAt: request.expiresAt,
    refId: request.refId,
    evidenceHash: request.evidenceHash.toLowerCase(),
    evidenceURI: request.evidenceURI,
    submitter: getAddress(expected.submitter),
  });
}

/** Compares the stored attestation with what was submitted. */
async function expectStored(
  attestations: AttestationRegistry,
  id: bigint,
  expected: { attester: string; request: Request; revoked?: boolean },
) {
  const stored = await attestations.getAttestation(id);
  expect({
    attester: stored.attester,
    kind: stored.kind,
    subjectType: stored.subjectType,
    revoked: stored.revoked,
    expiresAt: stored.expiresAt,
    subjectId: stored.subjectId,
  }).toEqual({
    attester: getAddress(expected.attester),
    kind: BigInt(expected.request.kind),
    subjectType: BigInt(expected.request.subjectType),
    revoked: expected.revoked ?? false,
    expiresAt: expected.request.expiresAt,
    subjectId: expected.request.subjectId,
  });
}

async function latest(world: Protocol): Promise<bigint> {
  return BigInt(await world.connection.networkHelpers.time.latest());
}

async function domainOf(world: Protocol, registry: AttestationRegistry = world.attestations): Promise<TypedDataDomain> {
  return {
    name: "Pedigree Attestations",
    version: "1",
    chainId: (await world.ethers.provider.getNetwork()).chainId,
    verifyingContract: await registry.getAddress(),
  };
}

function typedValue(request: Request, attester: string, nonce: bigint, deadline: bigint) {
  return { attester, ...request, nonce, deadline };
}

/** `signer` signs the EIP-712 Attest message for `request` with `attester` as the claimed attester. */
async function signAttest(
  world: Protocol,
  signer: HardhatEthersSigner,
  request: Request,
  attester: string,
  nonce: bigint,
  deadline: bigint,
): Promise<string> {
  return signer.signTypedData(await domainOf(world), ATTEST_TYPES, typedValue(request, attester, nonce, deadline));
}

/** The same ECDSA signature in its other valid form: s -> n - s, v flipped. */
function malleate(signature: string): string {
  const sig = Signature.from(signature);
  const highS = SECP256K1_N - BigInt(sig.s);
  return concat([sig.r, toBeHex(highS, 32), toBeHex(sig.v === 27 ? 28 : 27, 1)]);
}

/** What the raw ecrecover precompile makes of (digest, signature): proves a malleated signature is still valid ECDSA. */
async function ecrecoverPrecompile(world: Protocol, digest: string, signature: string): Promise<string> {
  const bytes = signature.slice(2);
  const r = `0x${bytes.slice(0, 64)}`;
  const s = `0x${bytes.slice(64, 128)}`;
  const v = BigInt(`0x${bytes.slice(128, 130)}`);
  const output = await world.ethers.provider.call({
    to: "0x0000000000000000000000000000000000000001",
    data: concat([digest, toBeHex(v, 32), r, s]),
  });
  return output === "0x" ? ZeroAddress : getAddress(`0x${output.slice(26)}`);
}

// -------------------------------------------------------------------------------------------------------- the tests

describe("AttestationRegistry roles and kinds", () => {
  let world: World;
  beforeAll(async () => {
    world = await deployWorld();
  });

  it("exposes role ids as the keccak256 of their names and the built-in kind numbers", async () => {
    const { attestations } = world;
    expect(await attestations.EVALUATOR_ROLE()).toBe(EVALUATOR_ROLE);
    expect(await attestations.AUDITOR_ROLE()).toBe(AUDITOR_ROLE);
    expect(await attestations.RELEASE_APPROVER_ROLE()).toBe(RELEASE_APPROVER_ROLE);
    expect(await attestations.DATA_STEWARD_ROLE()).toBe(DATA_STEWARD_ROLE);
    expect(await attestations.DEFAULT_ADMIN_ROLE()).toBe(DEFAULT_ADMIN_ROLE);
    expect([
      await attestations.SAFETY_EVALUATION(),
      await attestations.BIAS_CHECK(),
      await attestations.RED_TEAM_REPORT(),
      await attestations.CONSENT(),
      await attestations.LICENCE_COMPLIANCE(),
      await attestations.RELEASE_APPROVAL(),
      await attestations.USAGE_DISPUTE(),
    ]).toEqual([Kind.SafetyEvaluation, Kind.BiasCheck, Kind.RedTeamReport, Kind.Consent, Kind.LicenceCompliance, Kind.ReleaseApproval, Kind.UsageDispute].map(BigInt));
    expect([1n, 2n, 3n, 4n, 5n, 6n, 7n]).toEqual(Object.values(Kind).map(BigInt));
  });

  it("grants each role listed in the Ignition parameters, and only that role", async () => {
    const { attestations, accounts } = world;
    const holders: [string, HardhatEthersSigner][] = [
      [DEFAULT_ADMIN_ROLE, accounts.admin],
      [EVALUATOR_ROLE, accounts.evaluator],
      [AUDITOR_ROLE, accounts.auditor],
      [RELEASE_APPROVER_ROLE, accounts.approver],
      [DATA_STEWARD_ROLE, accounts.steward],
    ];
    for (const [role, holder] of holders) {
      for (const [otherRole] of holders) {
        expect(await attestations.hasRole(otherRole, holder.address), `${holder.address} / ${otherRole}`).toBe(
          otherRole === role,
        );
      }
    }
    for (const [role] of holders) {
      expect(await attestations.hasRole(role, accounts.stranger.address)).toBe(false);
      expect(await attestations.hasRole(role, accounts.relayer.address)).toBe(false);
      expect(await attestations.getRoleAdmin(role)).toBe(DEFAULT_ADMIN_ROLE);
    }
  });

  it("binds each built-in kind to its role, and undefined kinds to no role", async () => {
    const { attestations } = world;
    expect(await attestations.roleOfKind(Kind.SafetyEvaluation)).toBe(EVALUATOR_ROLE);
    expect(await attestations.roleOfKind(Kind.BiasCheck)).toBe(EVALUATOR_ROLE);
    expect(await attestations.roleOfKind(Kind.RedTeamReport)).toBe(AUDITOR_ROLE);
    expect(await attestations.roleOfKind(Kind.Consent)).toBe(DATA_STEWARD_ROLE);
    expect(await attestations.roleOfKind(Kind.LicenceCompliance)).toBe(AUDITOR_ROLE);
    expect(await attestations.roleOfKind(Kind.ReleaseApproval)).toBe(RELEASE_APPROVER_ROLE);
    expect(await attestations.roleOfKind(0)).toBe(ZeroHash);
    expect(await attestations.roleOfKind(200)).toBe(ZeroHash);
    expect(await attestations.roleOfKind(255)).toBe(ZeroHash);
  });

  it("lets the admin grant a role, which then allows attesting, and revoke it again", async () => {
    const { attestations, accounts, subjects } = world;
    const { admin, stranger } = accounts;
    const request = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation);

    const granted = await eventOf(attestations.connect(admin).grantRole(EVALUATOR_ROLE, stranger.address), attestations, "RoleGranted");
    expect([granted.args.role, granted.args.account, granted.args.sender]).toEqual([EVALUATOR_ROLE, stranger.address, admin.address]);
    expect(await attestations.hasRole(EVALUATOR_ROLE, stranger.address)).toBe(true);
    const id = await attestAs(world, stranger, request);
    await expectStored(attestations, id, { attester: stranger.address, request });

    const revoked = await eventOf(attestations.connect(admin).revokeRole(EVALUATOR_ROLE, stranger.address), attestations, "RoleRevoked");
    expect([revoked.args.role, revoked.args.account, revoked.args.sender]).toEqual([EVALUATOR_ROLE, stranger.address, admin.address]);
    expect(await attestations.hasRole(EVALUATOR_ROLE, stranger.address)).toBe(false);
    await expectRevert(attestations.connect(stranger).attest(request), attestations, "MissingAttesterRole", [
      stranger.address,
      Kind.SafetyEvaluation,
      EVALUATOR_ROLE,
    ]);
  });

  it("refuses role grants and revocations from anyone but the admin, role holders included", async () => {
    const { attestations, accounts } = world;
    await expectRevert(
      attestations.connect(accounts.stranger).grantRole(EVALUATOR_ROLE, accounts.stranger.address),
      attestations,
      "AccessControlUnauthorizedAccount",
      [accounts.stranger.address, DEFAULT_ADMIN_ROLE],
    );
    await expectRevert(
      attestations.connect(accounts.evaluator).grantRole(EVALUATOR_ROLE, accounts.relayer.address),
      attestations,
      "AccessControlUnauthorizedAccount",
      [accounts.evaluator.address, DEFAULT_ADMIN_ROLE],
    );
    await expectRevert(
      attestations.connect(accounts.stranger).grantRole(DEFAULT_ADMIN_ROLE, accounts.stranger.address),
      attestations,
      "AccessControlUnauthorizedAccount",
      [accounts.stranger.address, DEFAULT_ADMIN_ROLE],
    );
    await expectRevert(
      attestations.connect(accounts.auditor).revokeRole(EVALUATOR_ROLE, accounts.evaluator.address),
      attestations,
      "AccessControlUnauthorizedAccount",
      [accounts.auditor.address, DEFAULT_ADMIN_ROLE],
    );
    expect(await attestations.hasRole(EVALUATOR_ROLE, accounts.stranger.address)).toBe(false);
    expect(await attestations.hasRole(EVALUATOR_ROLE, accounts.relayer.address)).toBe(false);
    expect(await attestations.hasRole(DEFAULT_ADMIN_ROLE, accounts.stranger.address)).toBe(false);
    expect(await attestations.hasRole(EVALUATOR_ROLE, accounts.evaluator.address)).toBe(true);
  });

  it("lets the admin define a new kind bound to an existing role, emitting KindDefined", async () => {
    const { attestations, accounts, subjects } = world;
    const defined = await eventOf(
      attestations.connect(accounts.admin).defineKind(8, AUDITOR_ROLE, "data-quality-audit"),
      attestations,
      "KindDefined",
    );
    expect([defined.args.kind, defined.args.role, defined.args.name]).toEqual([8n, AUDITOR_ROLE, "data-quality-audit"]);
    expect(await attestations.roleOfKind(8)).toBe(AUDITOR_ROLE);

    // The indexed arguments are filterable, as an indexer would use them.
    const byKind = await attestations.queryFilter(attestations.filters.KindDefined(8, AUDITOR_ROLE));
    expect(byKind.map((e) => e.args.name)).toEqual(["data-quality-audit"]);

    const request = attestation(Subject.DatasetVersion, subjects.datasetVersionId, 8);
    const id = await attestAs(world, accounts.auditor, request);
    await expectStored(attestations, id, { attester: accounts.auditor.address, request });
    await expectRevert(attestations.connect(accounts.evaluator).attest(request), attestations, "MissingAttesterRole", [
      accounts.evaluator.address,
      8,
      AUDITOR_ROLE,
    ]);
  });

  it("lets the admin define a kind bound to a brand-new role, usable once that role is granted", async () => {
    const { attestations, accounts, subjects } = world;
    const watermarkRole = keccakString("WATERMARK_VERIFIER_ROLE");
    const defined = await eventOf(
      attestations.connect(accounts.admin).defineKind(255, watermarkRole, "watermark"),
      attestations,
      "KindDefined",
    );
    expect([defined.args.kind, defined.args.role, defined.args.name]).toEqual([255n, watermarkRole, "watermark"]);
    const request = attestation(Subject.ModelVersion, subjects.modelVersionId, 255);
    await expectRevert(attestations.connect(accounts.relayer).attest(request), attestations, "MissingAttesterRole", [
      accounts.relayer.address,
      255,
      watermarkRole,
    ]);
    await (await attestations.connect(accounts.admin).grantRole(watermarkRole, accounts.relayer.address)).wait();
    const id = await attestAs(world, accounts.relayer, request);
    await expectStored(attestations, id, { attester: accounts.relayer.address, request });
  });

  it("refuses to define a kind for anyone but the admin", async () => {
    const { attestations, accounts } = world;
    await expectRevert(
      attestations.connect(accounts.stranger).defineKind(50, EVALUATOR_ROLE, "sneaky"),
      attestations,
      "AccessControlUnauthorizedAccount",
      [accounts.stranger.address, DEFAULT_ADMIN_ROLE],
    );
    await expectRevert(
      attestations.connect(accounts.evaluator).defineKind(51, EVALUATOR_ROLE, "self-serve"),
      attestations,
      "AccessControlUnauthorizedAccount",
      [accounts.evaluator.address, DEFAULT_ADMIN_ROLE],
    );
    expect(await attestations.roleOfKind(50)).toBe(ZeroHash);
    expect(await attestations.roleOfKind(51)).toBe(ZeroHash);
  });

  it("rejects kind 0, an already defined kind (built-in or custom) and a zero role with InvalidKind", async () => {
    const { attestations, accounts } = world;
    const admin = attestations.connect(accounts.admin);
    await expectRevert(admin.defineKind(0, EVALUATOR_ROLE, "zero"), attestations, "InvalidKind", [0]);
    for (const kind of Object.values(Kind)) {
      await expectRevert(admin.defineKind(kind, AUDITOR_ROLE, "rebind"), attestations, "InvalidKind", [kind]);
    }
    await (await admin.defineKind(20, EVALUATOR_ROLE, "twice")).wait();
    await expectRevert(admin.defineKind(20, EVALUATOR_ROLE, "twice"), attestations, "InvalidKind", [20]);
    await expectRevert(admin.defineKind(21, ZeroHash, "no-role"), attestations, "InvalidKind", [21]);
    // Nothing was rebound or defined by the failed calls.
    expect(await attestations.roleOfKind(Kind.SafetyEvaluation)).toBe(EVALUATOR_ROLE);
    expect(await attestations.roleOfKind(Kind.ReleaseApproval)).toBe(RELEASE_APPROVER_ROLE);
    expect(await attestations.roleOfKind(20)).toBe(EVALUATOR_ROLE);
    expect(await attestations.roleOfKind(21)).toBe(ZeroHash);
    expect(await attestations.roleOfKind(0)).toBe(ZeroHash);
  });

  it("supports the AccessControl interface (ERC-165)", async () => {
    const { attestations } = world;
    expect(await attestations.supportsInterface("0x7965db0b")).toBe(true); // IAccessControl
    expect(await attestations.supportsInterface("0x01ffc9a7")).toBe(true); // IERC165
    expect(await attestations.supportsInterface("0xffffffff")).toBe(false);
  });
});

describe("AttestationRegistry subject wiring", () => {
  let world: World;
  beforeAll(async () => {
    world = await deployWorld();
  });

  /** A fresh registry deployed by `deployer` with `admin` and one evaluator. */
  async function freshRegistry(deployer: HardhatEthersSigner, admin: string): Promise<AttestationRegistry> {
    const registry = await new AttestationRegistry__factory(deployer).deploy(
      admin,
      [world.accounts.evaluator.address],
      [],
      [],
      [],
    );
    await registry.waitForDeployment();
    return registry;
  }

  async function registryAddresses() {
    const { datasets, models, releases, systems, agents } = world;
    return [
      await datasets.getAddress(),
      await models.getAddress(),
      await releases.getAddress(),
      await systems.getAddress(),
      await agents.getAddress(),
    ] as const;
  }

  it("was wired once by the Ignition deployment, to the protocol's own registries", async () => {
    const { attestations } = world;
    const wired = await attestations.queryFilter(attestations.filters.SubjectRegistriesSet());
    expect(wired.map((e) => [e.args.datasets, e.args.models, e.args.releases, e.args.systems, e.args.agents])).toEqual([[...(await registryAddresses())]]);
  });

  it("refuses a second wiring by the admin (who is also the deployer) with RegistriesAlreadySet", async () => {
    const { attestations, accounts } = world;
    await expectRevert(
      attestations.connect(accounts.admin).setSubjectRegistries(...(await registryAddresses())),
      attestations,
      "RegistriesAlreadySet",
      [],
    );
  });

  it("answers a stranger's wiring with AccessControlUnauthorizedAccount: the caller check comes before the wired check", async () => {
    const { attestations, accounts } = world;
    await expectRevert(
      attestations.connect(accounts.stranger).setSubjectRegistries(...(await registryAddresses())),
      attestations,
      "AccessControlUnauthorizedAccount",
      [accounts.stranger.address, DEFAULT_ADMIN_ROLE],
    );
  });

  it("emits KindDefined for the seven built-in kinds at construction", async () => {
    const { accounts } = world;
    const registry = await freshRegistry(accounts.creator, accounts.admin.address);
    const receipt = await registry.deploymentTransaction()!.wait();
    const kinds = receipt!.logs
      .map((log) => registry.interface.parseLog(log))
      .filter((parsed) => parsed?.name === "KindDefined")
      .map((parsed) => [parsed!.args.kind, parsed!.args.role, parsed!.args.name]);
    expect(kinds).toEqual([
      [1n, EVALUATOR_ROLE, "safety-evaluation"],
      [2n, EVALUATOR_ROLE, "bias-check"],
      [3n, AUDITOR_ROLE, "red-team-report"],
      [4n, DATA_STEWARD_ROLE, "consent"],
      [5n, AUDITOR_ROLE, "licence-compliance"],
      [6n, RELEASE_APPROVER_ROLE, "release-approval"],
      [7n, AUDITOR_ROLE, "usage-dispute"],
    ]);
  });

  it("grants every account of every role list at construction", async () => {
    const { accounts } = world;
    const registry = await new AttestationRegistry__factory(accounts.creator).deploy(
      accounts.admin.address,
      [accounts.evaluator.address, accounts.relayer.address],
      [accounts.auditor.address, accounts.stranger.address],
      [accounts.approver.address],
      [accounts.steward.address, accounts.creator2.address],
    );
    await registry.waitForDeployment();
    expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, accounts.admin.address)).toBe(true);
    // The deployer is not the admin unless named.
    expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, accounts.creator.address)).toBe(false);
    expect(await registry.hasRole(EVALUATOR_ROLE, accounts.evaluator.address)).toBe(true);
    expect(await registry.hasRole(EVALUATOR_ROLE, accounts.relayer.address)).toBe(true);
    expect(await registry.hasRole(AUDITOR_ROLE, accounts.auditor.address)).toBe(true);
    expect(await registry.hasRole(AUDITOR_ROLE, accounts.stranger.address)).toBe(true);
    expect(await registry.hasRole(RELEASE_APPROVER_ROLE, accounts.approver.address)).toBe(true);
    expect(await registry.hasRole(DATA_STEWARD_ROLE, accounts.steward.address)).toBe(true);
    expect(await registry.hasRole(DATA_STEWARD_ROLE, accounts.creator2.address)).toBe(true);
    expect(await registry.hasRole(EVALUATOR_ROLE, accounts.auditor.address)).toBe(false);
    expect(await registry.hasRole(RELEASE_APPROVER_ROLE, accounts.stranger.address)).toBe(false);
  });

  it("refuses a zero admin, and a zero address in any role list, with ZeroAdmin", async () => {
    const { accounts } = world;
    const factory = new AttestationRegistry__factory(accounts.creator);
    const someone = [accounts.evaluator.address];
    await expectRevert(factory.deploy(ZeroAddress, someone, [], [], []), factory, "ZeroAdmin", []);
    const admin = accounts.admin.address;
    await expectRevert(factory.deploy(admin, [accounts.evaluator.address, ZeroAddress], [], [], []), factory, "ZeroAdmin", []);
    await expectRevert(factory.deploy(admin, [], [ZeroAddress], [], []), factory, "ZeroAdmin", []);
    await expectRevert(factory.deploy(admin, [], [], [ZeroAddress], []), factory, "ZeroAdmin", []);
    await expectRevert(factory.deploy(admin, [], [], [], [ZeroAddress]), factory, "ZeroAdmin", []);
  });

  it("refuses to attest about any subject type before the registries are wired (UnknownSubject)", async () => {
    const { accounts, subjects } = world;
    const registry = await freshRegistry(accounts.creator, accounts.admin.address);
    const cases: [number, bigint][] = [
      [Subject.DatasetVersion, subjects.datasetVersionId],
      [Subject.ModelVersion, subjects.modelVersionId],
      [Subject.TrainingRun, subjects.modelVersionId],
      [Subject.Licence, subjects.licenceId],
      [Subject.Deployment, subjects.deploymentId],
    ];
    for (const [subjectType, subjectId] of cases) {
      await expectRevert(
        registry.connect(accounts.evaluator).attest(attestation(subjectType, subjectId, Kind.SafetyEvaluation)),
        registry,
        "UnknownSubject",
        [subjectType, subjectId],
      );
    }
    expect(await registry.isValid(1n)).toBe(false);
  });

  it("lets the deployer (not an admin) wire a fresh registry once, after which attestations work", async () => {
    const { accounts, subjects } = world;
    const registry = await freshRegistry(accounts.creator, accounts.admin.address);
    const addresses = await registryAddresses();
    const wired = await eventOf(registry.connect(accounts.creator).setSubjectRegistries(...addresses), registry, "SubjectRegistriesSet");
    expect([wired.args.datasets, wired.args.models, wired.args.releases, wired.args.systems, wired.args.agents]).toEqual([...addresses]);

    const request = attestation(Subject.Deployment, subjects.deploymentId, Kind.SafetyEvaluation);
    const event = await eventOf(registry.connect(accounts.evaluator).attest(request), registry, "Attested");
    // A fresh registry numbers its attestations from 1.
    expectAttested(event, { id: 1n, attester: accounts.evaluator.address, request, submitter: accounts.evaluator.address });

    await expectRevert(registry.connect(accounts.creator).setSubjectRegistries(...addresses), registry, "RegistriesAlreadySet", []);
    await expectRevert(registry.connect(accounts.admin).setSubjectRegistries(...addresses), registry, "RegistriesAlreadySet", []);
  });

  it("lets the admin (not the deployer) wire a fresh registry", async () => {
    const { accounts } = world;
    const registry = await freshRegistry(accounts.creator, accounts.admin.address);
    const addresses = await registryAddresses();
    const wired = await eventOf(registry.connect(accounts.admin).setSubjectRegistries(...addresses), registry, "SubjectRegistriesSet");
    expect([wired.args.datasets, wired.args.models, wired.args.releases, wired.args.systems, wired.args.agents]).toEqual([...addresses]);
  });

  it("refuses wiring by a stranger (even a role holder) on a fresh registry", async () => {
    const { accounts } = world;
    const registry = await freshRegistry(accounts.creator, accounts.admin.address);
    const addresses = await registryAddresses();
    for (const caller of [accounts.stranger, accounts.evaluator]) {
      await expectRevert(
        registry.connect(caller).setSubjectRegistries(...addresses),
        registry,
        "AccessControlUnauthorizedAccount",
        [caller.address, DEFAULT_ADMIN_ROLE],
      );
    }
    // Still unwired: the deployer can wire it.
    await eventOf(registry.connect(accounts.creator).setSubjectRegistries(...addresses), registry, "SubjectRegistriesSet");
  });

  it("refuses a zero address for any of the five registries with ZeroRegistry", async () => {
    const { accounts, subjects } = world;
    const registry = await freshRegistry(accounts.creator, accounts.admin.address);
    const [d, m, r, s, a] = await registryAddresses();
    for (const args of [
      [ZeroAddress, m, r, s, a],
      [d, ZeroAddress, r, s, a],
      [d, m, ZeroAddress, s, a],
      [d, m, r, ZeroAddress, a],
      [d, m, r, s, ZeroAddress],
    ] as const) {
      await expectRevert(registry.connect(accounts.creator).setSubjectRegistries(...args), registry, "ZeroRegistry", []);
    }
    // Nothing was half-wired.
    await expectRevert(
      registry.connect(accounts.evaluator).attest(attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation)),
      registry,
      "UnknownSubject",
      [Subject.ModelVersion, subjects.modelVersionId],
    );
  });
});

describe("AttestationRegistry.attest", () => {
  let world: World;
  beforeAll(async () => {
    world = await deployWorld();
  });

  it("records an attestation about each subject type, with every Attested argument and the stored record", async () => {
    const { attestations, accounts, subjects } = world;
    const now = await latest(world);
    const cases: [HardhatEthersSigner, Request][] = [
      [accounts.steward, attestation(Subject.DatasetVersion, subjects.datasetVersionId, Kind.Consent)],
      [
        accounts.evaluator,
        attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, {
          expiresAt: now + 86_400n,
          evidenceURI: "https://evals.example.org/Report-42.PDF",
        }),
      ],
      [accounts.evaluator, attestation(Subject.TrainingRun, subjects.modelVersionId, Kind.BiasCheck)],
      [accounts.auditor, attestation(Subject.Licence, subjects.licenceId, Kind.LicenceCompliance, { evidenceURI: "" })],
      [
        accounts.auditor,
        attestation(Subject.Deployment, subjects.deploymentId, Kind.RedTeamReport, {
          refId: subjects.approvalId,
          evidenceHash: ZeroHash,
        }),
      ],
    ];
    let expectedId = await nextId(world);
    for (const [signer, request] of cases) {
      expect(await attestations.connect(signer).attest.staticCall(request)).toBe(expectedId);
      const event = await eventOf(attestations.connect(signer).attest(request), attestations, "Attested");
      expectAttested(event, { id: expectedId, attester: signer.address, request, submitter: signer.address });
      await expectStored(attestations, expectedId, { attester: signer.address, request });
      expect(await attestations.isValid(expectedId)).toBe(true);
      expectedId += 1n;
    }
  });

  it("numbers attestations consecutively across attesters", async () => {
    const { accounts, subjects } = world;
    const first = await attestAs(world, accounts.evaluator, attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation));
    const second = await attestAs(world, accounts.steward, attestation(Subject.DatasetVersion, subjects.datasetVersionId, Kind.Consent));
    const third = await attestAs(world, accounts.approver, attestation(Subject.ModelVersion, subjects.modelVersion2Id, Kind.ReleaseApproval));
    expect([second - first, third - second]).toEqual([1n, 1n]);
    expect(first).toBeGreaterThan(subjects.approvalId);
  });

  it("indexes attester and subject type so they can be filtered", async () => {
    const { attestations, accounts, subjects } = world;
    const request = attestation(Subject.Licence, subjects.licenceId, Kind.LicenceCompliance);
    const id = await attestAs(world, accounts.auditor, request);
    const byAttesterAndType = await attestations.queryFilter(
      attestations.filters.Attested(undefined, accounts.auditor.address, Subject.Licence),
    );
    expect(byAttesterAndType.map((e) => e.args.id)).toContain(id);
    expect(byAttesterAndType.every((e) => e.args.attester === accounts.auditor.address && e.args.subjectType === 4n)).toBe(true);
    const byId = await attestations.queryFilter(attestations.filters.Attested(id));
    expect(byId.map((e) => e.args.evidenceHash)).toEqual([request.evidenceHash]);
  });

  it("refuses an attester without the kind's role (MissingAttesterRole), the admin included", async () => {
    const { attestations, accounts, subjects } = world;
    const cases: [HardhatEthersSigner, number, string][] = [
      [accounts.evaluator, Kind.RedTeamReport, AUDITOR_ROLE],
      [accounts.auditor, Kind.SafetyEvaluation, EVALUATOR_ROLE],
      [accounts.steward, Kind.ReleaseApproval, RELEASE_APPROVER_ROLE],
      [accounts.approver, Kind.Consent, DATA_STEWARD_ROLE],
      [accounts.stranger, Kind.BiasCheck, EVALUATOR_ROLE],
      [accounts.admin, Kind.LicenceCompliance, AUDITOR_ROLE],
    ];
    const before = await nextId(world);
    for (const [signer, kind, role] of cases) {
      await expectRevert(
        attestations.connect(signer).attest(attestation(Subject.ModelVersion, subjects.modelVersionId, kind)),
        attestations,
        "MissingAttesterRole",
        [signer.address, kind, role],
      );
    }
    expect(await nextId(world)).toBe(before);
  });

  it("refuses an undefined kind (UnknownKind), kind 0 included, even before checking the role", async () => {
    const { attestations, accounts, subjects } = world;
    for (const kind of [0, 8, 128, 255]) {
      for (const signer of [accounts.evaluator, accounts.stranger]) {
        await expectRevert(
          attestations.connect(signer).attest(attestation(Subject.ModelVersion, subjects.modelVersionId, kind)),
          attestations,
          "UnknownKind",
          [kind],
        );
      }
    }
  });

  it("refuses unknown subjects of every type, and SubjectType.None, with UnknownSubject", async () => {
    const { attestations, accounts, subjects } = world;
    const evaluator = attestations.connect(accounts.evaluator);
    const cases: [number, bigint][] = [
      [Subject.DatasetVersion, 999n],
      [Subject.ModelVersion, 999n],
      [Subject.TrainingRun, 999n],
      [Subject.Licence, 999n],
      [Subject.Deployment, 999n],
      [Subject.Agent, 999n],
      [Subject.DatasetVersion, 0n],
      [Subject.ModelVersion, 0n],
      [Subject.Deployment, 0n],
      [Subject.None, 0n],
      [Subject.None, 1n],
      [Subject.None, subjects.modelVersionId],
    ];
    for (const [subjectType, subjectId] of cases) {
      await expectRevert(
        evaluator.attest(attestation(subjectType, subjectId, Kind.SafetyEvaluation)),
        attestations,
        "UnknownSubject",
        [subjectType, subjectId],
      );
    }
  });

  it("checks each subject type in its own registry: model version 2 exists, dataset version / licence / deployment 2 do not", async () => {
    const { attestations, accounts, subjects } = world;
    const id2 = subjects.modelVersion2Id;
    expect(id2).toBe(2n);
    expect(subjects.datasetVersionId).toBe(1n);
    expect(subjects.licenceId).toBe(1n);
    expect(subjects.deploymentId).toBe(1n);
    const evaluator = attestations.connect(accounts.evaluator);
    for (const subjectType of [Subject.DatasetVersion, Subject.Licence, Subject.Deployment]) {
      await expectRevert(
        evaluator.attest(attestation(subjectType, id2, Kind.SafetyEvaluation)),
        attestations,
        "UnknownSubject",
        [subjectType, id2],
      );
    }
    await attestAs(world, accounts.evaluator, attestation(Subject.ModelVersion, id2, Kind.SafetyEvaluation));
    await attestAs(world, accounts.evaluator, attestation(Subject.TrainingRun, id2, Kind.SafetyEvaluation));
  });

  it("rejects a subject type outside the enum (ABI decoding revert, no error data)", async () => {
    const { attestations, accounts, subjects } = world;
    const before = await nextId(world);
    for (const subjectType of [Subject.UsageReport + 1, 255]) {
      await expect(
        attestations.connect(accounts.evaluator).attest(attestation(subjectType, subjects.modelVersionId, Kind.SafetyEvaluation)),
      ).rejects.toMatchObject({ data: "0x", message: expect.stringContaining("reverted without a reason") });
    }
    expect(await nextId(world)).toBe(before);
  });

  it("refuses an expiry in the past (ExpiryInPast)", async () => {
    const { attestations, accounts, subjects } = world;
    const now = await latest(world);
    for (const expiresAt of [1n, now - 1n, now]) {
      await expectRevert(
        attestations
          .connect(accounts.evaluator)
          .attest(attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, { expiresAt })),
        attestations,
        "ExpiryInPast",
        [expiresAt],
      );
    }
  });

  it("refuses an expiry equal to the block's timestamp, but accepts one second later", async () => {
    const { attestations, accounts, subjects, connection } = world;
    const at = (await latest(world)) + 100n;
    await connection.networkHelpers.time.setNextBlockTimestamp(at);
    await expectRevert(
      attestations
        .connect(accounts.evaluator)
        .attest(attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, { expiresAt: at }), {
          gasLimit: 500_000n,
        }),
      attestations,
      "ExpiryInPast",
      [at],
    );
    const request = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, {
      expiresAt: (await latest(world)) + 2n,
    });
    const id = await attestAs(world, accounts.evaluator, request);
    await expectStored(attestations, id, { attester: accounts.evaluator.address, request });
  });

  it("counts an attestation with an expiry as valid until then and invalid afterwards", async () => {
    const { attestations, accounts, subjects, connection } = world;
    const expiresAt = (await latest(world)) + 3_600n;
    const request = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, { expiresAt });
    const expiring = await attestAs(world, accounts.evaluator, request);
    const forever = await attestAs(world, accounts.evaluator, attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.BiasCheck));
    expect(await attestations.isValid(expiring)).toBe(true);

    // Views run against the latest block: valid in the block one second before expiry, invalid in the block at it.
    await connection.networkHelpers.time.increaseTo(expiresAt - 1n);
    expect(await latest(world)).toBe(expiresAt - 1n);
    expect(await attestations.isValid(expiring)).toBe(true);

    await connection.networkHelpers.time.increaseTo(expiresAt);
    expect(await latest(world)).toBe(expiresAt);
    expect(await attestations.isValid(expiring, { blockTag: "latest" })).toBe(false);

    await connection.networkHelpers.time.increase(86_400);
    expect(await attestations.isValid(expiring)).toBe(false);
    // Still stored as issued, just no longer counting; the perpetual one is unaffected.
    await expectStored(attestations, expiring, { attester: accounts.evaluator.address, request });
    expect(await attestations.isValid(forever)).toBe(true);
  });

  it("refuses a reference past the last attestation (UnknownReference) and accepts the last one", async () => {
    const { attestations, accounts, subjects } = world;
    const next = await nextId(world);
    const last = next - 1n;
    const evaluator = attestations.connect(accounts.evaluator);
    for (const refId of [next, next + 1n, 2n ** 64n - 1n]) {
      await expectRevert(
        evaluator.attest(attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, { refId })),
        attestations,
        "UnknownReference",
        [refId],
      );
    }
    const request = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, { refId: last });
    const event = await eventOf(evaluator.attest(request), attestations, "Attested");
    expectAttested(event, { id: next, attester: accounts.evaluator.address, request, submitter: accounts.evaluator.address });
    // An older reference works too.
    const older = attestation(Subject.TrainingRun, subjects.modelVersionId, Kind.BiasCheck, { refId: subjects.approvalId });
    const olderEvent = await eventOf(evaluator.attest(older), attestations, "Attested");
    expect(olderEvent.args.refId).toBe(subjects.approvalId);
  });

  it("does not consume an id when an attestation is refused", async () => {
    const { attestations, accounts, subjects } = world;
    const before = await nextId(world);
    await expectRevert(
      attestations.connect(accounts.evaluator).attest(attestation(Subject.Licence, 999n, Kind.SafetyEvaluation)),
      attestations,
      "UnknownSubject",
      [Subject.Licence, 999n],
    );
    await expectRevert(attestations.getAttestation(before), attestations, "UnknownAttestation", [before]);
    const id = await attestAs(world, accounts.evaluator, attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation));
    expect(id).toBe(before);
  });

  it("reports the first failing check: kind, then role, then expiry, then reference, then subject", async () => {
    const { attestations, accounts } = world;
    const next = await nextId(world);
    const bad = { expiresAt: 1n, refId: next + 5n };
    await expectRevert(
      attestations.connect(accounts.stranger).attest(attestation(Subject.None, 999n, 99, bad)),
      attestations,
      "UnknownKind",
      [99],
    );
    await expectRevert(
      attestations.connect(accounts.stranger).attest(attestation(Subject.None, 999n, Kind.SafetyEvaluation, bad)),
      attestations,
      "MissingAttesterRole",
      [accounts.stranger.address, Kind.SafetyEvaluation, EVALUATOR_ROLE],
    );
    const evaluator = attestations.connect(accounts.evaluator);
    await expectRevert(evaluator.attest(attestation(Subject.None, 999n, Kind.SafetyEvaluation, bad)), attestations, "ExpiryInPast", [1n]);
    await expectRevert(
      evaluator.attest(attestation(Subject.None, 999n, Kind.SafetyEvaluation, { refId: next + 5n })),
      attestations,
      "UnknownReference",
      [next + 5n],
    );
  });
});

describe("AttestationRegistry.multiAttest", () => {
  let world: World;
  beforeAll(async () => {
    world = await deployWorld();
  });

  it("issues several attestations in order, returning their ids and emitting one Attested each", async () => {
    const { attestations, accounts, subjects } = world;
    const requests = [
      attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation),
      attestation(Subject.TrainingRun, subjects.modelVersionId, Kind.BiasCheck, { expiresAt: (await latest(world)) + 10_000n }),
      attestation(Subject.Deployment, subjects.deploymentId, Kind.SafetyEvaluation, { refId: subjects.approvalId }),
      attestation(Subject.ModelVersion, subjects.modelVersion2Id, Kind.BiasCheck),
    ];
    const first = await nextId(world);
    const expectedIds = requests.map((_, i) => first + BigInt(i));
    expect(await attestations.connect(accounts.evaluator).multiAttest.staticCall(requests)).toEqual(expectedIds);
    const events = await eventsOf(attestations.connect(accounts.evaluator).multiAttest(requests), attestations, "Attested");
    expect(events).toHaveLength(requests.length);
    for (const [i, request] of requests.entries()) {
      expectAttested(events[i], { id: expectedIds[i], attester: accounts.evaluator.address, request, submitter: accounts.evaluator.address });
      await expectStored(attestations, expectedIds[i], { attester: accounts.evaluator.address, request });
      expect(await attestations.isValid(expectedIds[i])).toBe(true);
    }
  });

  it("lets a later item of a batch refer to an earlier one", async () => {
    const { attestations, accounts, subjects } = world;
    const first = await nextId(world);
    const requests = [
      attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation),
      attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, { refId: first }),
    ];
    const events = await eventsOf(attestations.connect(accounts.evaluator).multiAttest(requests), attestations, "Attested");
    expect(events.map((e) => [e.args.id, e.args.refId])).toEqual([
      [first, 0n],
      [first + 1n, first],
    ]);
  });

  it("accepts a batch of one", async () => {
    const { attestations, accounts, subjects } = world;
    const request = attestation(Subject.DatasetVersion, subjects.datasetVersionId, Kind.Consent);
    const first = await nextId(world);
    expect(await attestations.connect(accounts.steward).multiAttest.staticCall([request])).toEqual([first]);
    const event = await eventOf(attestations.connect(accounts.steward).multiAttest([request]), attestations, "Attested");
    expectAttested(event, { id: first, attester: accounts.steward.address, request, submitter: accounts.steward.address });
  });

  it("refuses an empty batch with EmptyBatch", async () => {
    const { attestations, accounts } = world;
    await expectRevert(attestations.connect(accounts.evaluator).multiAttest([]), attestations, "EmptyBatch", []);
    await expectRevert(attestations.connect(accounts.stranger).multiAttest([]), attestations, "EmptyBatch", []);
  });

  it("reverts the whole batch when one item fails, storing nothing", async () => {
    const { attestations, accounts, subjects } = world;
    const good = () => attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation);
    const before = await nextId(world);
    const failing: [Request[], string, unknown[]][] = [
      [[good(), attestation(Subject.Licence, 999n, Kind.SafetyEvaluation), good()], "UnknownSubject", [Subject.Licence, 999n]],
      [[good(), good(), attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.RedTeamReport)], "MissingAttesterRole", [
        accounts.evaluator.address,
        Kind.RedTeamReport,
        AUDITOR_ROLE,
      ]],
      [[attestation(Subject.ModelVersion, subjects.modelVersionId, 77), good()], "UnknownKind", [77]],
      [[good(), attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, { expiresAt: 1n })], "ExpiryInPast", [1n]],
      // The second item may refer to the first (before), but not to itself (before + 1).
      [[good(), attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, { refId: before + 1n })], "UnknownReference", [before + 1n]],
    ];
    for (const [requests, error, args] of failing) {
      await expectRevert(attestations.connect(accounts.evaluator).multiAttest(requests), attestations, error, args);
      expect(await nextId(world)).toBe(before);
      expect(await attestations.isValid(before)).toBe(false);
      await expectRevert(attestations.getAttestation(before), attestations, "UnknownAttestation", [before]);
    }
  });
});

describe("AttestationRegistry.attestBySig", () => {
  let world: World;
  beforeAll(async () => {
    world = await deployWorld();
  });

  const farDeadline = async () => (await latest(world)) + 3_600n;

  it("uses the EIP-712 domain 'Pedigree Attestations' v1 of this chain and contract", async () => {
    const { attestations } = world;
    const domain = await domainOf(world);
    expect(await attestations.DOMAIN_SEPARATOR()).toBe(TypedDataEncoder.hashDomain(domain));
    const eip712 = await attestations.eip712Domain();
    expect([eip712.name, eip712.version, eip712.chainId, eip712.verifyingContract]).toEqual([
      domain.name,
      domain.version,
      domain.chainId,
      domain.verifyingContract,
    ]);
    expect(eip712.fields).toBe("0x0f");
  });

  it("declares the Attest type hash the TypeScript types encode to", async () => {
    const { attestations } = world;
    expect(TypedDataEncoder.from(ATTEST_TYPES).encodeType("Attest")).toBe(ATTEST_TYPE_STRING);
    expect(await attestations.ATTEST_TYPEHASH()).toBe(keccakString(ATTEST_TYPE_STRING));
  });

  it("computes the same digest as ethers' TypedDataEncoder, for every field", async () => {
    const { attestations, accounts, subjects } = world;
    const domain = await domainOf(world);
    const request = attestation(Subject.Licence, subjects.licenceId, Kind.LicenceCompliance, {
      expiresAt: 1_900_000_000n,
      refId: 1n,
      evidenceURI: "ipfs://bafy-ünïcødé-evidence",
    });
    const attester = accounts.auditor.address;
    const digest = await attestations.attestationDigest(request, attester, 3n, 1_800_000_000n);
    expect(digest).toBe(TypedDataEncoder.hash(domain, ATTEST_TYPES, typedValue(request, attester, 3n, 1_800_000_000n)));
    // Each field changes the digest.
    const variants = [
      attestations.attestationDigest({ ...request, subjectType: Subject.DatasetVersion }, attester, 3n, 1_800_000_000n),
      attestations.attestationDigest({ ...request, subjectId: 2n }, attester, 3n, 1_800_000_000n),
      attestations.attestationDigest({ ...request, kind: Kind.RedTeamReport }, attester, 3n, 1_800_000_000n),
      attestations.attestationDigest({ ...request, expiresAt: 0n }, attester, 3n, 1_800_000_000n),
      attestations.attestationDigest({ ...request, refId: 0n }, attester, 3n, 1_800_000_000n),
      attestations.attestationDigest({ ...request, evidenceHash: ZeroHash }, attester, 3n, 1_800_000_000n),
      attestations.attestationDigest({ ...request, evidenceURI: "ipfs://other" }, attester, 3n, 1_800_000_000n),
      attestations.attestationDigest(request, accounts.evaluator.address, 3n, 1_800_000_000n),
      attestations.attestationDigest(request, attester, 4n, 1_800_000_000n),
      attestations.attestationDigest(request, attester, 3n, 1_800_000_001n),
    ];
    const digests = await Promise.all(variants);
    expect(new Set([digest, ...digests]).size).toBe(digests.length + 1);
  });

  it("records a relayed signed attestation: attester = signer, submitter = relayer, nonce used", async () => {
    const { attestations, accounts, subjects } = world;
    const { evaluator, relayer } = accounts;
    const request = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, {
      expiresAt: (await latest(world)) + 86_400n,
    });
    const nonce = await attestations.nonces(evaluator.address);
    expect(nonce).toBe(0n);
    const deadline = await farDeadline();
    const signature = await signAttest(world, evaluator, request, evaluator.address, nonce, deadline);
    expect(recoverAddress(await attestations.attestationDigest(request, evaluator.address, nonce, deadline), signature)).toBe(
      evaluator.address,
    );

    const id = await nextId(world);
    expect(await attestations.connect(relayer).attestBySig.staticCall(request, evaluator.address, nonce, deadline, signature)).toBe(id);
    const event = await eventOf(
      attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, signature),
      attestations,
      "Attested",
    );
    expectAttested(event, { id, attester: evaluator.address, request, submitter: relayer.address });
    await expectStored(attestations, id, { attester: evaluator.address, request });
    expect(await attestations.isValid(id)).toBe(true);
    expect(await attestations.nonces(evaluator.address)).toBe(1n);
    expect(await attestations.nonces(relayer.address)).toBe(0n);

    // Replaying the same signature fails: the nonce is spent.
    await expectRevert(
      attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, signature),
      attestations,
      "InvalidAccountNonce",
      [evaluator.address, 1n],
    );
    await expectRevert(
      attestations.connect(accounts.stranger).attestBySig(request, evaluator.address, nonce, deadline, signature),
      attestations,
      "InvalidAccountNonce",
      [evaluator.address, 1n],
    );
    expect(await attestations.nonces(evaluator.address)).toBe(1n);
  });

  it("lets the attester submit their own signature", async () => {
    const { attestations, accounts, subjects } = world;
    const { steward } = accounts;
    const request = attestation(Subject.DatasetVersion, subjects.datasetVersionId, Kind.Consent);
    const nonce = await attestations.nonces(steward.address);
    const deadline = await farDeadline();
    const signature = await signAttest(world, steward, request, steward.address, nonce, deadline);
    const id = await nextId(world);
    const event = await eventOf(
      attestations.connect(steward).attestBySig(request, steward.address, nonce, deadline, signature),
      attestations,
      "Attested",
    );
    expectAttested(event, { id, attester: steward.address, request, submitter: steward.address });
    expect(await attestations.nonces(steward.address)).toBe(nonce + 1n);
  });

  it("refuses a signature for a nonce other than the next one (InvalidAccountNonce), without using it", async () => {
    const { attestations, accounts, subjects } = world;
    const { auditor, relayer } = accounts;
    const request = attestation(Subject.Licence, subjects.licenceId, Kind.LicenceCompliance);
    const current = await attestations.nonces(auditor.address);
    const deadline = await farDeadline();
    for (const nonce of [current + 1n, current + 100n]) {
      const signature = await signAttest(world, auditor, request, auditor.address, nonce, deadline);
      await expectRevert(
        attestations.connect(relayer).attestBySig(request, auditor.address, nonce, deadline, signature),
        attestations,
        "InvalidAccountNonce",
        [auditor.address, current],
      );
    }
    expect(await attestations.nonces(auditor.address)).toBe(current);
    // A signature for the current nonce, submitted under another nonce, no longer matches its digest.
    const signature = await signAttest(world, auditor, request, auditor.address, current, deadline);
    await expectRevert(
      attestations.connect(relayer).attestBySig(request, auditor.address, current + 1n, deadline, signature),
      attestations,
      "InvalidSignature",
      [auditor.address],
    );
    // The in-order one still works.
    await eventOf(attestations.connect(relayer).attestBySig(request, auditor.address, current, deadline, signature), attestations, "Attested");
    expect(await attestations.nonces(auditor.address)).toBe(current + 1n);
  });

  it("refuses a signature past its deadline (SignatureExpired)", async () => {
    const { attestations, accounts, subjects } = world;
    const { evaluator, relayer } = accounts;
    const request = attestation(Subject.TrainingRun, subjects.modelVersionId, Kind.BiasCheck);
    const nonce = await attestations.nonces(evaluator.address);
    const now = await latest(world);
    for (const deadline of [0n, now - 1n, now]) {
      const signature = await signAttest(world, evaluator, request, evaluator.address, nonce, deadline);
      await expectRevert(
        attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, signature),
        attestations,
        "SignatureExpired",
        [deadline],
      );
    }
    expect(await attestations.nonces(evaluator.address)).toBe(nonce);
  });

  it("accepts a signature in the block whose timestamp equals the deadline, and refuses it one second later", async () => {
    const { attestations, accounts, subjects, connection } = world;
    const { evaluator, relayer } = accounts;
    const request = attestation(Subject.TrainingRun, subjects.modelVersionId, Kind.BiasCheck);
    const deadline = (await latest(world)) + 50n;

    const late = await attestations.nonces(evaluator.address);
    const lateSignature = await signAttest(world, evaluator, request, evaluator.address, late, deadline);
    await connection.networkHelpers.time.setNextBlockTimestamp(deadline);
    const event = await eventOf(
      attestations.connect(relayer).attestBySig(request, evaluator.address, late, deadline, lateSignature, { gasLimit: 500_000n }),
      attestations,
      "Attested",
    );
    expect(event.args.attester).toBe(evaluator.address);
    expect(await latest(world)).toBe(deadline);

    const tooLate = late + 1n;
    const tooLateSignature = await signAttest(world, evaluator, request, evaluator.address, tooLate, deadline);
    await expectRevert(
      attestations.connect(relayer).attestBySig(request, evaluator.address, tooLate, deadline, tooLateSignature),
      attestations,
      "SignatureExpired",
      [deadline],
    );
  });

  it("refuses a deadline more than MAX_SIGNATURE_LIFETIME ahead (DeadlineTooFar), 2^255 included", async () => {
    const { attestations, accounts, subjects, connection } = world;
    const { evaluator, relayer } = accounts;
    const lifetime = await attestations.MAX_SIGNATURE_LIFETIME();
    expect(lifetime).toBe(30n * 24n * 3600n);
    const request = attestation(Subject.TrainingRun, subjects.modelVersionId, Kind.BiasCheck);
    const nonce = await attestations.nonces(evaluator.address);
    for (const beyond of [lifetime + 1n, 2n ** 255n]) {
      const minedAt = (await latest(world)) + 10n;
      const deadline = beyond === lifetime + 1n ? minedAt + beyond : beyond;
      const signature = await signAttest(world, evaluator, request, evaluator.address, nonce, deadline);
      await connection.networkHelpers.time.setNextBlockTimestamp(minedAt);
      await expectRevert(
        attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, signature, { gasLimit: 500_000n }),
        attestations,
        "DeadlineTooFar",
        [deadline, minedAt + lifetime],
      );
    }
    expect(await attestations.nonces(evaluator.address)).toBe(nonce);
    const atLimit = (await latest(world)) + 10n + lifetime;
    const signature = await signAttest(world, evaluator, request, evaluator.address, nonce, atLimit);
    await connection.networkHelpers.time.setNextBlockTimestamp((await latest(world)) + 10n);
    await eventOf(attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, atLimit, signature, { gasLimit: 500_000n }), attestations, "Attested");
  });

  it("lets a signer cancel an unrelayed signature by using up its nonce (cancelNonce)", async () => {
    const { attestations, accounts, subjects } = world;
    const { auditor, relayer } = accounts;
    const request = attestation(Subject.Licence, subjects.licenceId, Kind.LicenceCompliance);
    const nonce = await attestations.nonces(auditor.address);
    const signature = await signAttest(world, auditor, request, auditor.address, nonce, await farDeadline());
    const cancelled = await eventOf(attestations.connect(auditor).cancelNonce(), attestations, "NonceCancelled");
    expect([cancelled.args.attester, cancelled.args.nonce]).toEqual([auditor.address, nonce]);
    expect(await attestations.nonces(auditor.address)).toBe(nonce + 1n);
    const deadline = await farDeadline();
    const stale = await signAttest(world, auditor, request, auditor.address, nonce, deadline);
    await expectRevert(
      attestations.connect(relayer).attestBySig(request, auditor.address, nonce, deadline, stale),
      attestations,
      "InvalidAccountNonce",
      [auditor.address, nonce + 1n],
    );
    expect(signature).not.toBe(stale);
    // Cancelling is the caller's own business: a stranger cancelling moves only the stranger's nonce.
    await attestations.connect(relayer).cancelNonce();
    expect(await attestations.nonces(auditor.address)).toBe(nonce + 1n);
  });

  it("refuses a signature by someone other than the named attester (InvalidSignature)", async () => {
    const { attestations, accounts, subjects } = world;
    const { evaluator, auditor, relayer } = accounts;
    const request = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation);
    const nonce = await attestations.nonces(evaluator.address);
    const deadline = await farDeadline();
    // Another role holder, and the relayer itself, signing in the evaluator's name.
    for (const forger of [auditor, relayer]) {
      const signature = await signAttest(world, forger, request, evaluator.address, nonce, deadline);
      await expectRevert(
        attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, signature),
        attestations,
        "InvalidSignature",
        [evaluator.address],
      );
    }
    // The evaluator's genuine signature for the auditor as attester is not the auditor's either.
    const auditorNonce = await attestations.nonces(auditor.address);
    const redTeam = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.RedTeamReport);
    const signature = await signAttest(world, evaluator, redTeam, auditor.address, auditorNonce, deadline);
    await expectRevert(
      attestations.connect(relayer).attestBySig(redTeam, auditor.address, auditorNonce, deadline, signature),
      attestations,
      "InvalidSignature",
      [auditor.address],
    );
    expect(await attestations.nonces(evaluator.address)).toBe(nonce);
    expect(await attestations.nonces(auditor.address)).toBe(auditorNonce);
  });

  it("refuses a signature whose request, attester or deadline was tampered with by the relayer (InvalidSignature)", async () => {
    const { attestations, accounts, subjects } = world;
    const { evaluator, relayer } = accounts;
    const request = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, {
      expiresAt: (await latest(world)) + 1_000n,
    });
    const nonce = await attestations.nonces(evaluator.address);
    const deadline = await farDeadline();
    const signature = await signAttest(world, evaluator, request, evaluator.address, nonce, deadline);
    const tampered: Request[] = [
      { ...request, subjectType: Subject.TrainingRun },
      { ...request, subjectId: subjects.modelVersion2Id },
      { ...request, kind: Kind.BiasCheck },
      { ...request, expiresAt: 0n },
      { ...request, refId: 1n },
      { ...request, evidenceHash: hash32("forged-evidence") },
      { ...request, evidenceURI: request.evidenceURI + "#forged" },
    ];
    for (const forged of tampered) {
      await expectRevert(
        attestations.connect(relayer).attestBySig(forged, evaluator.address, nonce, deadline, signature),
        attestations,
        "InvalidSignature",
        [evaluator.address],
      );
    }
    await expectRevert(
      attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline + 1n, signature),
      attestations,
      "InvalidSignature",
      [evaluator.address],
    );
    // The untampered submission still goes through.
    await eventOf(attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, signature), attestations, "Attested");
  });

  it("refuses a signature made for another registry (domain separation)", async () => {
    const { attestations, accounts, subjects } = world;
    const { evaluator, relayer } = accounts;
    const request = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation);
    const nonce = await attestations.nonces(evaluator.address);
    const deadline = await farDeadline();
    const otherDomain = { ...(await domainOf(world)), verifyingContract: await world.models.getAddress() };
    const signature = await evaluator.signTypedData(otherDomain, ATTEST_TYPES, typedValue(request, evaluator.address, nonce, deadline));
    await expectRevert(
      attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, signature),
      attestations,
      "InvalidSignature",
      [evaluator.address],
    );
    const wrongVersion = await evaluator.signTypedData(
      { ...(await domainOf(world)), version: "2" },
      ATTEST_TYPES,
      typedValue(request, evaluator.address, nonce, deadline),
    );
    await expectRevert(
      attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, wrongVersion),
      attestations,
      "InvalidSignature",
      [evaluator.address],
    );
  });

  it("refuses the malleable twin of a valid signature (s -> n - s, v flipped) and other encodings", async () => {
    const { attestations, accounts, subjects } = world;
    const { evaluator, relayer } = accounts;
    const request = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation);
    const nonce = await attestations.nonces(evaluator.address);
    const deadline = await farDeadline();
    const signature = await signAttest(world, evaluator, request, evaluator.address, nonce, deadline);
    const digest = await attestations.attestationDigest(request, evaluator.address, nonce, deadline);

    const twin = malleate(signature);
    expect(twin).not.toBe(signature);
    // The twin is a genuine ECDSA signature by the evaluator: raw ecrecover accepts it.
    expect(await ecrecoverPrecompile(world, digest, twin)).toBe(evaluator.address);
    expect(await ecrecoverPrecompile(world, digest, signature)).toBe(evaluator.address);
    await expectRevert(
      attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, twin),
      attestations,
      "InvalidSignature",
      [evaluator.address],
    );

    // The 64-byte EIP-2098 encoding of the same signature is not accepted either: one signature, one encoding.
    const compact = Signature.from(signature).compactSerialized;
    expect(recoverAddress(digest, compact)).toBe(evaluator.address);
    await expectRevert(
      attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, compact),
      attestations,
      "InvalidSignature",
      [evaluator.address],
    );
    // Empty, truncated and zero signatures.
    for (const junk of ["0x", signature.slice(0, 130), zeroPadValue("0x", 65)]) {
      await expectRevert(
        attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, junk),
        attestations,
        "InvalidSignature",
        [evaluator.address],
      );
    }
    expect(await attestations.nonces(evaluator.address)).toBe(nonce);
    // The canonical signature is still usable: the failed attempts consumed nothing.
    await eventOf(attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, signature), attestations, "Attested");
  });

  it("never accepts the zero address as attester", async () => {
    const { attestations, accounts, subjects } = world;
    const request = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation);
    const deadline = await farDeadline();
    for (const signature of [zeroPadValue("0x", 65), concat([zeroPadValue("0x", 64), "0x1b"])]) {
      await expectRevert(
        attestations.connect(accounts.relayer).attestBySig(request, ZeroAddress, 0n, deadline, signature),
        attestations,
        "InvalidSignature",
        [ZeroAddress],
      );
    }
  });

  it("refuses a valid signature by an account lacking the kind's role (MissingAttesterRole), keeping its nonce", async () => {
    const { attestations, accounts, subjects } = world;
    const { stranger, evaluator, relayer } = accounts;
    const deadline = await farDeadline();
    const cases: [HardhatEthersSigner, number, string][] = [
      [stranger, Kind.SafetyEvaluation, EVALUATOR_ROLE],
      [evaluator, Kind.ReleaseApproval, RELEASE_APPROVER_ROLE],
    ];
    for (const [signer, kind, role] of cases) {
      const request = attestation(Subject.ModelVersion, subjects.modelVersionId, kind);
      const nonce = await attestations.nonces(signer.address);
      const signature = await signAttest(world, signer, request, signer.address, nonce, deadline);
      await expectRevert(
        attestations.connect(relayer).attestBySig(request, signer.address, nonce, deadline, signature),
        attestations,
        "MissingAttesterRole",
        [signer.address, kind, role],
      );
      expect(await attestations.nonces(signer.address)).toBe(nonce);
    }
  });

  it("applies the attest checks to signed requests (unknown subject, kind, expiry, reference), keeping the nonce", async () => {
    const { attestations, accounts, subjects } = world;
    const { evaluator, relayer } = accounts;
    const deadline = await farDeadline();
    const nonce = await attestations.nonces(evaluator.address);
    const next = await nextId(world);
    const failing: [Request, string, unknown[]][] = [
      [attestation(Subject.Deployment, 999n, Kind.SafetyEvaluation), "UnknownSubject", [Subject.Deployment, 999n]],
      [attestation(Subject.ModelVersion, subjects.modelVersionId, 42), "UnknownKind", [42]],
      [attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, { expiresAt: 5n }), "ExpiryInPast", [5n]],
      [attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation, { refId: next }), "UnknownReference", [next]],
    ];
    for (const [request, error, args] of failing) {
      const signature = await signAttest(world, evaluator, request, evaluator.address, nonce, deadline);
      await expectRevert(attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, signature), attestations, error, args);
    }
    expect(await attestations.nonces(evaluator.address)).toBe(nonce);
    expect(await nextId(world)).toBe(next);
  });

  describe("EIP-1271 contract wallets", () => {
    it("accepts the wallet owner's signature for the wallet as attester", async () => {
      const { attestations, accounts, subjects } = world;
      const { creator2: owner, relayer, admin } = accounts;
      const wallet = await new TestWallet__factory(owner).deploy(owner.address);
      await wallet.waitForDeployment();
      const walletAddress = await wallet.getAddress();
      await (await attestations.connect(admin).grantRole(EVALUATOR_ROLE, walletAddress)).wait();

      const request = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation);
      const nonce = await attestations.nonces(walletAddress);
      expect(nonce).toBe(0n);
      const deadline = await farDeadline();
      const signature = await signAttest(world, owner, request, walletAddress, nonce, deadline);
      const id = await nextId(world);
      const event = await eventOf(
        attestations.connect(relayer).attestBySig(request, walletAddress, nonce, deadline, signature),
        attestations,
        "Attested",
      );
      expectAttested(event, { id, attester: walletAddress, request, submitter: relayer.address });
      await expectStored(attestations, id, { attester: walletAddress, request });
      expect(await attestations.nonces(walletAddress)).toBe(1n);
      expect(await attestations.nonces(owner.address)).toBe(0n);

      // Replay is refused for wallets as for EOAs.
      await expectRevert(
        attestations.connect(relayer).attestBySig(request, walletAddress, nonce, deadline, signature),
        attestations,
        "InvalidAccountNonce",
        [walletAddress, 1n],
      );

      // The wallet, as attester, can revoke its attestation; its owner EOA cannot directly.
      await expectRevert(attestations.connect(owner).revoke(id, "as owner"), attestations, "NotAttesterOrAdmin", [id, owner.address]);
      const revokeCall = attestations.interface.encodeFunctionData("revoke", [id, "withdrawn by wallet"]);
      const revoked = await eventOf(wallet.connect(owner).execute(await attestations.getAddress(), revokeCall), attestations, "AttestationRevoked");
      expect([revoked.args.id, revoked.args.revoker, revoked.args.reason]).toEqual([id, walletAddress, "withdrawn by wallet"]);
      expect(await attestations.isValid(id)).toBe(false);
    });

    it("refuses a wallet signature by someone other than its owner (InvalidSignature)", async () => {
      const { attestations, accounts, subjects } = world;
      const { creator2: owner, stranger, relayer, admin } = accounts;
      const wallet = await new TestWallet__factory(owner).deploy(owner.address);
      await wallet.waitForDeployment();
      const walletAddress = await wallet.getAddress();
      await (await attestations.connect(admin).grantRole(EVALUATOR_ROLE, walletAddress)).wait();
      const request = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation);
      const deadline = await farDeadline();
      for (const signer of [stranger, accounts.evaluator]) {
        const signature = await signAttest(world, signer, request, walletAddress, 0n, deadline);
        await expectRevert(
          attestations.connect(relayer).attestBySig(request, walletAddress, 0n, deadline, signature),
          attestations,
          "InvalidSignature",
          [walletAddress],
        );
      }
      // The owner's signature of a different request does not carry over.
      const ownerSignature = await signAttest(world, owner, request, walletAddress, 0n, deadline);
      await expectRevert(
        attestations.connect(relayer).attestBySig({ ...request, kind: Kind.BiasCheck }, walletAddress, 0n, deadline, ownerSignature),
        attestations,
        "InvalidSignature",
        [walletAddress],
      );
      expect(await attestations.nonces(walletAddress)).toBe(0n);
    });

    it("refuses a wallet without the kind's role (MissingAttesterRole)", async () => {
      const { attestations, accounts, subjects } = world;
      const { creator2: owner, relayer } = accounts;
      const wallet = await new TestWallet__factory(owner).deploy(owner.address);
      await wallet.waitForDeployment();
      const walletAddress = await wallet.getAddress();
      const request = attestation(Subject.ModelVersion, subjects.modelVersionId, Kind.SafetyEvaluation);
      const deadline = await farDeadline();
      const signature = await signAttest(world, owner, request, walletAddress, 0n, deadline);
      await expectRevert(
        attestations.connect(relayer).attestBySig(request, walletAddress, 0n, deadline, signature),
        attestations,
        "MissingAttesterRole",
        [walletAddress, Kind.SafetyEvaluation, EVALUATOR_ROLE],
      );
    });
  });
});

describe("AttestationRegistry.revoke", () => {
  let world: World;
  beforeAll(async () => {
    world = await deployWorld();
  });

  const safety = () => attestation(Subject.ModelVersion, world.subjects.modelVersionId, Kind.SafetyEvaluation);

  it("lets the attester revoke, emitting AttestationRevoked and invalidating the attestation", async () => {
    const { attestations, accounts } = world;
    const request = safety();
    const id = await attestAs(world, accounts.evaluator, request);
    expect(await attestations.isValid(id)).toBe(true);
    const event = await eventOf(attestations.connect(accounts.evaluator).revoke(id, "superseded by re-run"), attestations, "AttestationRevoked");
    expect([event.args.id, event.args.revoker, event.args.reason]).toEqual([id, accounts.evaluator.address, "superseded by re-run"]);
    expect(await attestations.isValid(id)).toBe(false);
    await expectStored(attestations, id, { attester: accounts.evaluator.address, request, revoked: true });
    const filtered = await attestations.queryFilter(attestations.filters.AttestationRevoked(id, accounts.evaluator.address));
    expect(filtered).toHaveLength(1);
  });

  it("lets the admin revoke anyone's attestation", async () => {
    const { attestations, accounts, subjects } = world;
    const request = attestation(Subject.DatasetVersion, subjects.datasetVersionId, Kind.Consent);
    const id = await attestAs(world, accounts.steward, request);
    const event = await eventOf(attestations.connect(accounts.admin).revoke(id, "consent withdrawn"), attestations, "AttestationRevoked");
    expect([event.args.id, event.args.revoker, event.args.reason]).toEqual([id, accounts.admin.address, "consent withdrawn"]);
    expect(await attestations.isValid(id)).toBe(false);
    await expectStored(attestations, id, { attester: accounts.steward.address, request, revoked: true });
  });

  it("lets a newly granted admin revoke, and not one whose admin role was taken away", async () => {
    const { attestations, accounts } = world;
    const { admin, creator } = accounts;
    await (await attestations.connect(admin).grantRole(DEFAULT_ADMIN_ROLE, creator.address)).wait();
    const first = await attestAs(world, accounts.evaluator, safety());
    await eventOf(attestations.connect(creator).revoke(first, "second admin"), attestations, "AttestationRevoked");
    await (await attestations.connect(admin).revokeRole(DEFAULT_ADMIN_ROLE, creator.address)).wait();
    const second = await attestAs(world, accounts.evaluator, safety());
    await expectRevert(attestations.connect(creator).revoke(second, "former admin"), attestations, "NotAttesterOrAdmin", [
      second,
      creator.address,
    ]);
    expect(await attestations.isValid(second)).toBe(true);
  });

  it("refuses revocation by anyone else (NotAttesterOrAdmin), holders of the same role included", async () => {
    const { attestations, accounts } = world;
    const request = safety();
    const id = await attestAs(world, accounts.evaluator, request);
    await (await attestations.connect(accounts.admin).grantRole(EVALUATOR_ROLE, accounts.creator2.address)).wait();
    for (const caller of [accounts.stranger, accounts.auditor, accounts.approver, accounts.creator2, accounts.relayer]) {
      await expectRevert(attestations.connect(caller).revoke(id, "not mine"), attestations, "NotAttesterOrAdmin", [id, caller.address]);
    }
    expect(await attestations.isValid(id)).toBe(true);
    await expectStored(attestations, id, { attester: accounts.evaluator.address, request });
  });

  it("leaves revocation of a relayed attestation to its signer, not to the relayer", async () => {
    const { attestations, accounts } = world;
    const { evaluator, relayer } = accounts;
    const request = safety();
    const nonce = await attestations.nonces(evaluator.address);
    const deadline = (await latest(world)) + 600n;
    const signature = await signAttest(world, evaluator, request, evaluator.address, nonce, deadline);
    const id = await nextId(world);
    await eventOf(attestations.connect(relayer).attestBySig(request, evaluator.address, nonce, deadline, signature), attestations, "Attested");
    await expectRevert(attestations.connect(relayer).revoke(id, "relayer"), attestations, "NotAttesterOrAdmin", [id, relayer.address]);
    const event = await eventOf(attestations.connect(evaluator).revoke(id, "signer"), attestations, "AttestationRevoked");
    expect(event.args.revoker).toBe(evaluator.address);
  });

  it("still lets an attester who lost their role revoke what they issued", async () => {
    const { attestations, accounts } = world;
    await (await attestations.connect(accounts.admin).grantRole(AUDITOR_ROLE, accounts.creator.address)).wait();
    const request = attestation(Subject.Licence, world.subjects.licenceId, Kind.LicenceCompliance);
    const id = await attestAs(world, accounts.creator, request);
    expect(await attestations.attesterHoldsRole(id)).toBe(true);
    await (await attestations.connect(accounts.admin).revokeRole(AUDITOR_ROLE, accounts.creator.address)).wait();
    // Losing the role does not by itself invalidate what was issued (isValid = exists, unrevoked, unexpired), but
    // attesterHoldsRole reports it, so that validity answers can flag it.
    expect(await attestations.isValid(id)).toBe(true);
    expect(await attestations.attesterHoldsRole(id)).toBe(false);
    await expectRevert(attestations.attesterHoldsRole(999_999n), attestations, "UnknownAttestation", [999_999n]);
    const event = await eventOf(attestations.connect(accounts.creator).revoke(id, "left the audit firm"), attestations, "AttestationRevoked");
    expect([event.args.id, event.args.revoker]).toEqual([id, accounts.creator.address]);
  });

  it("refuses to revoke twice (AlreadyRevoked), whoever asks", async () => {
    const { attestations, accounts } = world;
    const id = await attestAs(world, accounts.evaluator, safety());
    await eventOf(attestations.connect(accounts.evaluator).revoke(id, "once"), attestations, "AttestationRevoked");
    await expectRevert(attestations.connect(accounts.evaluator).revoke(id, "twice"), attestations, "AlreadyRevoked", [id]);
    await expectRevert(attestations.connect(accounts.admin).revoke(id, "admin twice"), attestations, "AlreadyRevoked", [id]);
  });

  it("lets an expired attestation be revoked", async () => {
    const { attestations, accounts, connection } = world;
    const request = { ...safety(), expiresAt: (await latest(world)) + 60n };
    const id = await attestAs(world, accounts.evaluator, request);
    await connection.networkHelpers.time.increase(120);
    expect(await attestations.isValid(id)).toBe(false);
    await eventOf(attestations.connect(accounts.evaluator).revoke(id, "expired anyway"), attestations, "AttestationRevoked");
    await expectStored(attestations, id, { attester: accounts.evaluator.address, request, revoked: true });
  });

  it("refuses unknown ids (UnknownAttestation) in revoke and getAttestation; isValid is false for them", async () => {
    const { attestations, accounts } = world;
    const next = await nextId(world);
    for (const id of [0n, next, 999n, 2n ** 64n - 1n]) {
      await expectRevert(attestations.connect(accounts.admin).revoke(id, "nothing"), attestations, "UnknownAttestation", [id]);
      await expectRevert(attestations.connect(accounts.stranger).revoke(id, "nothing"), attestations, "UnknownAttestation", [id]);
      await expectRevert(attestations.getAttestation(id), attestations, "UnknownAttestation", [id]);
      expect(await attestations.isValid(id)).toBe(false);
    }
  });

  it("keeps the release gate honest: a revoked approval makes the deployed version unreleasable", async () => {
    const { attestations, accounts, models, subjects } = world;
    expect(await models.isReleasable(subjects.modelVersionId)).toBe(true);
    await eventOf(attestations.connect(accounts.approver).revoke(subjects.approvalId, "pulled"), attestations, "AttestationRevoked");
    expect(await attestations.isValid(subjects.approvalId)).toBe(false);
    expect(await models.isReleasable(subjects.modelVersionId)).toBe(false);
  });
});
