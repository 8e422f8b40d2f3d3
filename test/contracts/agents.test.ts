/**
 * Agents (AgentRegistry): ERC-721 identities with an agent card, operator wallets that act for them, bindings to
 * releasable system versions under a policy (history kept), Merkle roots of their actions anchored directly or by a
 * relayed EIP-712 signature (EOA or EIP-1271), proofs that name the binding in force at anchoring, one status view,
 * and attestations about agents. Every path runs from the right and the wrong account; every refusal names its
 * arguments and writes nothing.
 *
 * One chain is deployed for the whole file; every test starts from a snapshot of the shared setup below.
 */
import { describe, expect, it } from "vitest";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { TypedDataEncoder, ZeroAddress, ZeroHash, type TypedDataDomain } from "ethers";
import { regionSet } from "../../src/core/regions.ts";
import { ANCHOR_ACTIONS_TYPES } from "../../src/sdk/signedActionBatch.ts";
import { AgentRegistry__factory, TestWallet__factory, type TestWallet } from "../../types/index.ts";
import {
  attestation,
  datasetVersion,
  deployProtocol,
  hash32,
  Kind,
  modelVersion,
  Subject,
  terms,
  trainingRun,
  type Protocol,
  restoreBeforeEach,
} from "../helpers/protocol.ts";
import { eventOf, eventsOf, expectRevert, normalise } from "../helpers/assertions.ts";

const PROD = "production";
const SERVED = regionSet("DE,FR", "regions");
const DAY = 86_400n;

/** Ethers Results (and nested ones) to plain arrays, numbers to bigint, strings lower-cased: comparable with toEqual. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return normalise(Array.from(value, plain));
  return normalise(value);
}

// ------------------------------------------------------------------ shared setup

interface World {
  p: Protocol;
  /** The agent's owner, the wallet that acts for it, an operator for all the owner's tokens, a buyer. */
  owner: HardhatEthersSigner;
  wallet: HardhatEthersSigner;
  manager: HardhatEthersSigner;
  buyer: HardhatEthersSigner;
  /** mlTeam's approved model version and its system versions. */
  modelId: bigint;
  v1: bigint;
  v2: bigint;
  /** Releasable system versions: `assistant` runs v1, `update` runs v2 (another policy). */
  assistant: bigint;
  update: bigint;
  assistantPolicy: string;
  updatePolicy: string;
  /** Published but never approved. */
  unapproved: bigint;
  /** Approved, then its approval revoked. */
  revoked: bigint;
  /** The agent of `owner`, with `wallet` as operator wallet, bound to nothing yet. */
  agentId: bigint;
}

async function approve(p: Protocol, subjectType: number, subjectId: bigint): Promise<bigint> {
  const attested = await eventOf(
    p.attestations.connect(p.accounts.approver).attest(attestation(subjectType, subjectId, Kind.ReleaseApproval)),
    p.attestations,
    "Attested",
  );
  return attested.args.id as bigint;
}

async function publishSystem(p: Protocol, modelVersionId: bigint, policyHash: string): Promise<bigint> {
  const config = { promptHash: hash32("prompt"), retrievalIndex: ZeroHash, policyHash, toolsHash: hash32("tools") };
  const published = await eventOf(
    p.systems.connect(p.accounts.mlTeam).publishSystemVersion(modelVersionId, 0n, config, [], [], "ipfs://system-card"),
    p.systems,
    "SystemVersionPublished",
  );
  return published.args.systemId as bigint;
}

async function approvedSystem(p: Protocol, modelVersionId: bigint, policyHash: string): Promise<{ systemId: bigint; approval: bigint }> {
  const systemId = await publishSystem(p, modelVersionId, policyHash);
  const approval = await approve(p, Subject.SystemVersion, systemId);
  await (await p.systems.connect(p.accounts.mlTeam).approveSystemVersion(systemId, [approval])).wait();
  return { systemId, approval };
}

async function modelWithVersions(p: Protocol): Promise<{ modelId: bigint; v1: bigint; v2: bigint }> {
  const { creator, mlTeam } = p.accounts;
  const input = terms([{ recipient: creator.address, bps: 10_000 }]);
  const published = await eventOf(
    p.datasets.connect(creator).registerDatasetWithTerms(datasetVersion(), [], [], ZeroHash, input),
    p.datasets,
    "DatasetVersionPublished",
  );
  const datasetId = published.args.datasetId as bigint;
  const { currentTermsId } = await p.datasets.getDataset(datasetId);
  const acquired = await eventOf(
    p.royalties.connect(mlTeam).acquireLicence(datasetId, mlTeam.address, currentTermsId, { value: input.price }),
    p.datasets,
    "LicenceAcquired",
  );
  const uses: [bigint, bigint][] = [[published.args.versionId as bigint, acquired.args.licenceId as bigint]];
  const registered = await eventOf(p.models.connect(mlTeam).registerModel(true, hash32("card"), "ipfs://card"), p.models, "ModelRegistered");
  const modelId = registered.args.modelId as bigint;
  const versions: bigint[] = [];
  for (let i = 0; i < 2; i += 1) {
    const version = await eventOf(p.models.connect(mlTeam).publishVersion(modelId, modelVersion(), trainingRun(uses)), p.models, "ModelVersionPublished");
    const versionId = version.args.versionId as bigint;
    await (await p.models.connect(mlTeam).approveVersion(versionId, [await approve(p, Subject.ModelVersion, versionId)])).wait();
    versions.push(versionId);
  }
  return { modelId, v1: versions[0], v2: versions[1] };
}

async function setup(): Promise<World> {
  const p = await deployProtocol();
  const signers = await p.ethers.getSigners();
  const [owner, wallet, manager, buyer] = signers.slice(10, 14);
  const { modelId, v1, v2 } = await modelWithVersions(p);
  const assistantPolicy = hash32("policy");
  const updatePolicy = hash32("policy");
  const assistant = (await approvedSystem(p, v1, assistantPolicy)).systemId;
  const update = (await approvedSystem(p, v2, updatePolicy)).systemId;
  const unapproved = await publishSystem(p, v1, hash32("policy"));
  const withdrawn = await approvedSystem(p, v1, hash32("policy"));
  await (await p.attestations.connect(p.accounts.admin).revoke(withdrawn.approval, "withdrawn")).wait();
  await (await p.releases.connect(p.accounts.mlTeam).deploySystem(assistant, PROD, SERVED)).wait();

  const registered = await eventOf(p.agents.connect(owner).register("ipfs://agent-card"), p.agents, "AgentRegistered");
  const agentId = registered.args.agentId as bigint;
  await (await p.agents.connect(owner).setOperatorWallet(agentId, wallet.address, true)).wait();
  await (await p.agents.connect(owner).setApprovalForAll(manager.address, true)).wait();
  return {
    p, owner, wallet, manager, buyer, modelId, v1, v2, assistant, update, assistantPolicy, updatePolicy, unapproved,
    revoked: withdrawn.systemId, agentId,
  };
}

let w: World;
let p: Protocol;
restoreBeforeEach(async () => {
  w = await setup();
  return (p = w.p);
});

// ------------------------------------------------------------------ helpers

async function bind(systemId = w.assistant, policyHash = ZeroHash, signer = w.owner, agentId = w.agentId): Promise<bigint> {
  const bound = await eventOf(p.agents.connect(signer).bind(agentId, systemId, policyHash), p.agents, "AgentBound");
  return bound.args.bindingId as bigint;
}

/** A batch of `size` fresh action records, as the agent would anchor it. */
function batchOf(size = 3) {
  const records = Array.from({ length: size }, () => hash32("action-record"));
  const tree = StandardMerkleTree.of(records.map((record) => [record]), ["bytes32"]);
  return { records, tree, root: tree.root, proof: (index: number) => tree.getProof(index) };
}

async function now(): Promise<bigint> {
  return BigInt(await p.connection.networkHelpers.time.latest());
}

function request(agentId: bigint, root: string, overrides: Partial<{ count: bigint; windowStart: bigint; windowEnd: bigint; uri: string }> = {}) {
  return { agentId, root, count: 3n, windowStart: 1_700_000_000n, windowEnd: 1_700_003_600n, uri: "ipfs://actions", ...overrides };
}

type Request = ReturnType<typeof request>;

function anchorTx(r: Request, signer = w.wallet) {
  return p.agents.connect(signer).anchorActions(r.agentId, r.root, r.count, r.windowStart, r.windowEnd, r.uri);
}

async function domain(chainId?: bigint, verifyingContract?: string): Promise<TypedDataDomain> {
  return {
    name: "Pedigree Agents",
    version: "1",
    chainId: chainId ?? (await p.ethers.provider.getNetwork()).chainId,
    verifyingContract: verifyingContract ?? (await p.agents.getAddress()),
  };
}

async function sign(key: HardhatEthersSigner, r: Request, signer: string, nonce: bigint, deadline: bigint, on?: TypedDataDomain) {
  return key.signTypedData(on ?? (await domain()), ANCHOR_ACTIONS_TYPES, { ...r, signer, nonce, deadline });
}

/** What a refused write must leave as it was. */
async function registryState() {
  const { agents } = p;
  const [bound, anchored, wallets] = await Promise.all([
    agents.queryFilter(agents.filters.AgentBound()),
    agents.queryFilter(agents.filters.ActionsAnchored()),
    agents.queryFilter(agents.filters.OperatorWalletSet()),
  ]);
  return {
    bound: bound.length,
    anchored: anchored.length,
    wallets: wallets.length,
    current: plain(await agents.currentBinding(w.agentId)),
    nonce: await agents.nonces(w.wallet.address),
  };
}

async function expectUnchanged<T>(action: () => Promise<T>): Promise<T> {
  const before = await registryState();
  const result = await action();
  expect(await registryState()).toEqual(before);
  return result;
}

/** The distinct storage slots a mined transaction wrote (SSTORE's key is the top of the stack). */
async function slotsWritten(hash: string): Promise<number> {
  const trace = await p.ethers.provider.send("debug_traceTransaction", [hash, { disableMemory: true }]);
  const writes = (trace.structLogs as { op: string; stack: string[] }[]).filter((log) => log.op === "SSTORE");
  return new Set(writes.map((log) => log.stack[log.stack.length - 1])).size;
}

async function testWallet(owner: HardhatEthersSigner): Promise<TestWallet> {
  const deployed = await new TestWallet__factory(owner).deploy(owner.address);
  await deployed.waitForDeployment();
  return deployed;
}

// ------------------------------------------------------------------ identity

describe("register / setAgentURI", () => {
  it("mints an agent to the caller with its agent card, numbering from 1; an empty card is allowed", async () => {
    expect(w.agentId).toBe(1n);
    expect(await p.agents.ownerOf(w.agentId)).toBe(w.owner.address);
    expect(await p.agents.tokenURI(w.agentId)).toBe("ipfs://agent-card");
    const tx = p.agents.connect(p.accounts.stranger).register("");
    const registered = await eventOf(tx, p.agents, "AgentRegistered");
    expect(plain(registered.args)).toEqual(plain([2n, p.accounts.stranger.address, ""]));
    const [minted] = await eventsOf(tx, p.agents, "Transfer");
    expect(plain(minted.args)).toEqual(plain([ZeroAddress, p.accounts.stranger.address, 2n]));
    expect(await p.agents.tokenURI(2n)).toBe("");
    expect(await p.agents.subjectExists(Subject.Agent, 2n)).toBe(true);
    expect(await p.agents.subjectExists(Subject.Agent, 3n)).toBe(false);
    expect(await p.agents.subjectExists(Subject.SystemVersion, 2n)).toBe(false);
  });

  it("lets the owner and an operator for all its tokens move the card; refuses anyone else and unknown agents", async () => {
    const moved = await eventOf(p.agents.connect(w.manager).setAgentURI(w.agentId, "ipfs://card-v2"), p.agents, "AgentURIUpdated");
    expect(plain(moved.args)).toEqual(plain([w.agentId, "ipfs://card-v2", w.manager.address]));
    expect(await p.agents.tokenURI(w.agentId)).toBe("ipfs://card-v2");
    await (await p.agents.connect(w.owner).setAgentURI(w.agentId, "ipfs://card-v3")).wait();
    for (const caller of [p.accounts.stranger, w.wallet]) {
      await expectRevert(p.agents.connect(caller).setAgentURI(w.agentId, "ipfs://hijack"), p.agents, "NotAgentManager", [w.agentId, caller.address]);
    }
    await expectRevert(p.agents.connect(w.owner).setAgentURI(9n, "ipfs://x"), p.agents, "UnknownAgent", [9n]);
    expect(await p.agents.tokenURI(w.agentId)).toBe("ipfs://card-v3");
  });
});

describe("setOperatorWallet", () => {
  it("lets the owner or its operator add and remove wallets; refuses strangers, wallets, zero and unknown agents", async () => {
    const other = p.accounts.relayer;
    const added = await eventOf(p.agents.connect(w.manager).setOperatorWallet(w.agentId, other.address, true), p.agents, "OperatorWalletSet");
    expect(plain(added.args)).toEqual(plain([w.agentId, other.address, true, w.manager.address]));
    expect(await p.agents.isOperatorWallet(w.agentId, other.address)).toBe(true);
    await (await p.agents.connect(w.owner).setOperatorWallet(w.agentId, other.address, false)).wait();
    expect(await p.agents.isOperatorWallet(w.agentId, other.address)).toBe(false);
    await expectUnchanged(async () => {
      for (const caller of [p.accounts.stranger, w.wallet]) {
        await expectRevert(p.agents.connect(caller).setOperatorWallet(w.agentId, caller.address, true), p.agents, "NotAgentManager", [w.agentId, caller.address]);
      }
      await expectRevert(p.agents.connect(w.owner).setOperatorWallet(w.agentId, ZeroAddress, true), p.agents, "ZeroWallet", []);
      await expectRevert(p.agents.connect(w.owner).setOperatorWallet(7n, other.address, true), p.agents, "UnknownAgent", [7n]);
    });
  });

  it("ends the previous owner's wallets when the agent changes hands; the new owner sets its own", async () => {
    await bind();
    const tx = p.agents.connect(w.owner).transferFrom(w.owner.address, w.buyer.address, w.agentId);
    const cleared = await eventOf(tx, p.agents, "OperatorWalletsCleared");
    expect(plain(cleared.args)).toEqual(plain([w.agentId, w.owner.address, w.buyer.address]));
    expect(await p.agents.isOperatorWallet(w.agentId, w.wallet.address)).toBe(false);
    await expectRevert(anchorTx(request(w.agentId, batchOf().root)), p.agents, "NotOperatorWallet", [w.agentId, w.wallet.address]);
    // The seller and its operator no longer manage it.
    await expectRevert(p.agents.connect(w.manager).setOperatorWallet(w.agentId, w.wallet.address, true), p.agents, "NotAgentManager", [w.agentId, w.manager.address]);
    await (await p.agents.connect(w.buyer).setOperatorWallet(w.agentId, p.accounts.relayer.address, true)).wait();
    await eventOf(anchorTx(request(w.agentId, batchOf().root), p.accounts.relayer), p.agents, "ActionsAnchored");
  });
});

// ------------------------------------------------------------------ bindings

describe("bind", () => {
  it("binds to a releasable system version under its own policy (0) and names system, model version and policy", async () => {
    const tx = p.agents.connect(w.owner).bind(w.agentId, w.assistant, ZeroHash);
    const bound = await eventOf(tx, p.agents, "AgentBound");
    expect(plain(bound.args)).toEqual(plain([w.agentId, 1n, w.assistant, w.v1, w.assistantPolicy, w.owner.address]));
    const [bindingId, inForce] = await p.agents.currentBinding(w.agentId);
    expect(bindingId).toBe(1n);
    expect(plain(inForce)).toEqual(plain([w.agentId, w.assistant, w.v1, 0n, w.assistantPolicy]));
    expect(plain(await p.agents.binding(1n))).toEqual(plain(inForce));
  });

  it("keeps every binding: a rebinding by the operator for all links back to the one it replaced", async () => {
    const first = await bind();
    const stricter = hash32("stricter-policy");
    const second = await bind(w.assistant, stricter, w.manager);
    const third = await bind(w.update, ZeroHash, w.owner);
    expect([first, second, third]).toEqual([1n, 2n, 3n]);
    expect(plain(await p.agents.binding(first))).toEqual(plain([w.agentId, w.assistant, w.v1, 0n, w.assistantPolicy]));
    expect(plain(await p.agents.binding(second))).toEqual(plain([w.agentId, w.assistant, w.v1, first, stricter]));
    expect(plain(await p.agents.binding(third))).toEqual(plain([w.agentId, w.update, w.v2, second, w.updatePolicy]));
    expect((await p.agents.currentBinding(w.agentId))[0]).toBe(third);
  });

  it("refuses strangers, operator wallets and unknown agents with the account named", async () => {
    await expectUnchanged(async () => {
      for (const caller of [p.accounts.stranger, w.wallet, p.accounts.mlTeam]) {
        await expectRevert(p.agents.connect(caller).bind(w.agentId, w.assistant, ZeroHash), p.agents, "NotAgentManager", [w.agentId, caller.address]);
      }
      await expectRevert(p.agents.connect(w.owner).bind(5n, w.assistant, ZeroHash), p.agents, "UnknownAgent", [5n]);
    });
  });

  it("refuses a system version that is unknown, unapproved, or whose approval was revoked", async () => {
    await expectUnchanged(async () => {
      await expectRevert(p.agents.connect(w.owner).bind(w.agentId, 99n, ZeroHash), p.systems, "UnknownSystemVersion", [99n]);
      for (const systemId of [w.unapproved, w.revoked]) {
        await expectRevert(p.agents.connect(w.owner).bind(w.agentId, systemId, ZeroHash), p.agents, "SystemNotReleasable", [systemId]);
      }
    });
  });

  it("refuses to repeat the binding in force (same system, same effective policy), but accepts another policy", async () => {
    const first = await bind();
    await expectUnchanged(async () => {
      await expectRevert(p.agents.connect(w.owner).bind(w.agentId, w.assistant, ZeroHash), p.agents, "AlreadyBound", [w.agentId, first]);
      await expectRevert(p.agents.connect(w.owner).bind(w.agentId, w.assistant, w.assistantPolicy), p.agents, "AlreadyBound", [w.agentId, first]);
    });
    expect(await bind(w.assistant, hash32("other-policy"))).toBe(2n);
  });

  it("answers unknown bindings and agents with their ids; an unbound agent has binding 0", async () => {
    await expectRevert(p.agents.binding(1n), p.agents, "UnknownBinding", [1n]);
    await expectRevert(p.agents.currentBinding(8n), p.agents, "UnknownAgent", [8n]);
    const [bindingId, inForce] = await p.agents.currentBinding(w.agentId);
    expect([bindingId, inForce.systemId]).toEqual([0n, 0n]);
  });
});

// ------------------------------------------------------------------ actions

describe("anchorActions / verifyAction", () => {
  it("anchors a batch by an operator wallet in one slot with the binding in force, and proves each record", async () => {
    const bindingId = await bind();
    const batch = batchOf(5);
    const r = request(w.agentId, batch.root, { count: 5n });
    const tx = anchorTx(r);
    const anchored = await eventOf(tx, p.agents, "ActionsAnchored");
    expect(plain(anchored.args)).toEqual(
      plain([w.agentId, batch.root, bindingId, 5n, r.windowStart, r.windowEnd, r.uri, w.wallet.address, w.wallet.address]),
    );
    expect(await slotsWritten((await tx).hash)).toBe(1);
    expect(plain(await p.agents.actionBatch(w.agentId, batch.root))).toEqual(plain([bindingId, 5n, r.windowStart, r.windowEnd]));
    for (let i = 0; i < batch.records.length; i += 1) {
      const proved = await p.agents.verifyAction(w.agentId, batch.root, batch.records[i], batch.proof(i));
      expect(plain(proved)).toEqual(plain([true, w.assistant, w.v1, w.assistantPolicy]));
    }
    const [included] = await p.agents.verifyAction(w.agentId, batch.root, hash32("forged"), batch.proof(0));
    expect(included).toBe(false);
    const [wrongProof] = await p.agents.verifyAction(w.agentId, batch.root, batch.records[0], batch.proof(1));
    expect(wrongProof).toBe(false);
  });

  it("returns the binding in force at anchoring, not the current one, after a rebinding", async () => {
    await bind();
    const before = batchOf();
    await (await anchorTx(request(w.agentId, before.root))).wait();
    const stricter = hash32("stricter-policy");
    await bind(w.update, stricter);
    const after = batchOf();
    await (await anchorTx(request(w.agentId, after.root))).wait();
    expect(plain(await p.agents.verifyAction(w.agentId, before.root, before.records[1], before.proof(1)))).toEqual(
      plain([true, w.assistant, w.v1, w.assistantPolicy]),
    );
    expect(plain(await p.agents.verifyAction(w.agentId, after.root, after.records[1], after.proof(1)))).toEqual(
      plain([true, w.update, w.v2, stricter]),
    );
  });

  it("refuses anyone but an operator wallet — the owner and its operator included — and an unbound agent", async () => {
    const root = batchOf().root;
    await expectRevert(anchorTx(request(w.agentId, root)), p.agents, "AgentNotBound", [w.agentId]);
    await bind();
    await expectUnchanged(async () => {
      for (const caller of [w.owner, w.manager, p.accounts.stranger]) {
        await expectRevert(anchorTx(request(w.agentId, root), caller), p.agents, "NotOperatorWallet", [w.agentId, caller.address]);
      }
      await expectRevert(anchorTx(request(6n, root)), p.agents, "NotOperatorWallet", [6n, w.wallet.address]);
    });
    await (await p.agents.connect(w.owner).setOperatorWallet(w.agentId, w.wallet.address, false)).wait();
    await expectRevert(anchorTx(request(w.agentId, root)), p.agents, "NotOperatorWallet", [w.agentId, w.wallet.address]);
  });

  it("refuses an empty batch, a reversed window and a root anchored twice; the same root may serve another agent", async () => {
    await bind();
    const root = batchOf().root;
    await (await anchorTx(request(w.agentId, root))).wait();
    await expectUnchanged(async () => {
      await expectRevert(anchorTx(request(w.agentId, ZeroHash)), p.agents, "EmptyActionBatch", []);
      await expectRevert(anchorTx(request(w.agentId, batchOf().root, { count: 0n })), p.agents, "EmptyActionBatch", []);
      await expectRevert(anchorTx(request(w.agentId, batchOf().root, { windowStart: 10n, windowEnd: 9n })), p.agents, "InvalidWindow", [10n, 9n]);
      await expectRevert(anchorTx(request(w.agentId, root)), p.agents, "ActionBatchAlreadyAnchored", [w.agentId, root]);
    });
    const other = await eventOf(p.agents.connect(w.buyer).register("ipfs://other"), p.agents, "AgentRegistered");
    const otherId = other.args.agentId as bigint;
    await (await p.agents.connect(w.buyer).setOperatorWallet(otherId, w.wallet.address, true)).wait();
    await bind(w.update, ZeroHash, w.buyer, otherId);
    await eventOf(anchorTx(request(otherId, root)), p.agents, "ActionsAnchored");
  });

  it("answers a proof against a batch never anchored with UnknownActionBatch", async () => {
    const batch = batchOf();
    await expectRevert(p.agents.verifyAction(w.agentId, batch.root, batch.records[0], batch.proof(0)), p.agents, "UnknownActionBatch", [w.agentId, batch.root]);
  });
});

describe("anchorActionsBySig", () => {
  async function signed(overrides: Partial<{ nonce: bigint; deadline: bigint; key: HardhatEthersSigner; signer: string; on: TypedDataDomain }> = {}) {
    const r = request(w.agentId, batchOf().root);
    const signer = overrides.signer ?? w.wallet.address;
    const nonce = overrides.nonce ?? (await p.agents.nonces(signer));
    const deadline = overrides.deadline ?? (await now()) + DAY;
    const signature = await sign(overrides.key ?? w.wallet, r, signer, nonce, deadline, overrides.on);
    return { r, signer, nonce, deadline, signature };
  }

  function relay(s: Awaited<ReturnType<typeof signed>>, r: Request = s.r) {
    return p.agents.connect(p.accounts.relayer).anchorActionsBySig(r, s.signer, s.nonce, s.deadline, s.signature);
  }

  it("anchors a batch signed by an operator wallet and relayed by anyone; the digest is the EIP-712 one", async () => {
    const bindingId = await bind();
    const s = await signed();
    const typed = TypedDataEncoder.hash(await domain(), ANCHOR_ACTIONS_TYPES, { ...s.r, signer: s.signer, nonce: s.nonce, deadline: s.deadline });
    expect(await p.agents.actionBatchDigest(s.r, s.signer, s.nonce, s.deadline)).toBe(typed);
    const anchored = await eventOf(relay(s), p.agents, "ActionsAnchored");
    expect(plain(anchored.args)).toEqual(
      plain([w.agentId, s.r.root, bindingId, s.r.count, s.r.windowStart, s.r.windowEnd, s.r.uri, w.wallet.address, p.accounts.relayer.address]),
    );
    expect(await p.agents.nonces(w.wallet.address)).toBe(s.nonce + 1n);
  });

  it("refuses a replay, a signature for another chain or registry, and a tampered request", async () => {
    await bind();
    const s = await signed();
    await (await relay(s)).wait();
    await expectRevert(relay(s), p.agents, "InvalidAccountNonce", [w.wallet.address, s.nonce + 1n]);
    await expectUnchanged(async () => {
      const otherChain = await signed({ on: await domain(1n) });
      await expectRevert(relay(otherChain), p.agents, "SignatureNotBySigner", [w.wallet.address]);
      const otherRegistry = await signed({ on: await domain(undefined, await p.attestations.getAddress()) });
      await expectRevert(relay(otherRegistry), p.agents, "SignatureNotBySigner", [w.wallet.address]);
      const honest = await signed();
      await expectRevert(relay(honest, { ...honest.r, count: 4n }), p.agents, "SignatureNotBySigner", [w.wallet.address]);
      await expectRevert(relay(honest, { ...honest.r, uri: "ipfs://elsewhere" }), p.agents, "SignatureNotBySigner", [w.wallet.address]);
      const impostor = await signed({ key: p.accounts.stranger });
      await expectRevert(relay(impostor), p.agents, "SignatureNotBySigner", [w.wallet.address]);
    });
  });

  it("refuses an expired deadline and one beyond MAX_SIGNATURE_LIFETIME, keeping the nonce", async () => {
    await bind();
    const time = await now();
    await expectUnchanged(async () => {
      const expired = await signed({ deadline: time });
      await expectRevert(relay(expired), p.agents, "SignatureExpired", [time]);
      const far = time + 31n * DAY;
      const tooFar = await signed({ deadline: far });
      const [deadline, latest] = (await expectRevert(relay(tooFar), p.agents, "DeadlineTooFar")) as bigint[];
      expect(deadline).toBe(far);
      // latest = the block's time + 30 days, which lies between now + 30 days and the refused deadline.
      const lifetime = await p.agents.MAX_SIGNATURE_LIFETIME();
      expect(lifetime).toBe(30n * DAY);
      expect(latest > time + lifetime && latest < far).toBe(true);
    });
  });

  it("lets a signer cancel an unrelayed signature by using up its nonce", async () => {
    await bind();
    const s = await signed();
    const cancelled = await eventOf(p.agents.connect(w.wallet).cancelNonce(), p.agents, "NonceCancelled");
    expect(plain(cancelled.args)).toEqual(plain([w.wallet.address, s.nonce]));
    await expectRevert(relay(s), p.agents, "InvalidAccountNonce", [w.wallet.address, s.nonce + 1n]);
    await eventOf(relay(await signed()), p.agents, "ActionsAnchored");
  });

  it("refuses a valid signature of a wallet that does not act for the agent, keeping its nonce", async () => {
    await bind();
    const stranger = p.accounts.stranger;
    const s = await signed({ key: stranger, signer: stranger.address });
    await expectRevert(relay(s), p.agents, "NotOperatorWallet", [w.agentId, stranger.address]);
    expect(await p.agents.nonces(stranger.address)).toBe(s.nonce);
  });

  it("accepts an EIP-1271 contract wallet acting for the agent, and refuses a signature its owner key did not make", async () => {
    await bind();
    const contractWallet = await testWallet(w.wallet);
    const address = await contractWallet.getAddress();
    await (await p.agents.connect(w.owner).setOperatorWallet(w.agentId, address, true)).wait();
    const forged = await signed({ key: p.accounts.stranger, signer: address });
    await expectRevert(relay(forged), p.agents, "SignatureNotBySigner", [address]);
    const s = await signed({ key: w.wallet, signer: address });
    const anchored = await eventOf(relay(s), p.agents, "ActionsAnchored");
    expect(anchored.args.signer).toBe(address);
    expect(await p.agents.nonces(address)).toBe(1n);
  });
});

// ------------------------------------------------------------------ status and validation

describe("agentStatus", () => {
  it("reports nothing for an unknown agent and only the owner for an unbound one", async () => {
    const unknown = await p.agents.agentStatus(9n, PROD);
    expect(unknown.exists).toBe(false);
    expect(unknown.owner).toBe(ZeroAddress);
    const unbound = await p.agents.agentStatus(w.agentId, PROD);
    expect([unbound.exists, unbound.owner, unbound.bindingId, unbound.systemId]).toEqual([true, w.owner.address, 0n, 0n]);
  });

  it("reports the binding, releasability and liveness in one call, and a live system that stopped being releasable", async () => {
    const bindingId = await bind();
    const live = await p.agents.agentStatus(w.agentId, PROD);
    expect(plain(live)).toEqual(
      plain([true, w.owner.address, bindingId, w.assistant, w.modelId, w.v1, w.assistantPolicy, true, true, true, 1n, false]),
    );
    const staging = await p.agents.agentStatus(w.agentId, "staging");
    expect([staging.releasable, staging.live, staging.deploymentId]).toEqual([true, false, 0n]);

    const [approval] = await p.systems.approvalAttestations(w.assistant);
    await (await p.attestations.connect(p.accounts.admin).revoke(approval, "policy breach")).wait();
    const breached = await p.agents.agentStatus(w.agentId, PROD);
    expect([breached.systemApproved, breached.releasable, breached.live, breached.liveButNotReleasable]).toEqual([true, false, true, true]);
  });
});

describe("attestations about agents", () => {
  it("routes the Agent subject to the agent registry: a known agent can be attested, an unknown one cannot", async () => {
    const evaluator = p.attestations.connect(p.accounts.evaluator);
    const request = attestation(Subject.Agent, w.agentId, Kind.SafetyEvaluation);
    const attested = await eventOf(evaluator.attest(request), p.attestations, "Attested");
    expect([attested.args.subjectType, attested.args.subjectId]).toEqual([BigInt(Subject.Agent), w.agentId]);
    await expectRevert(evaluator.attest(attestation(Subject.Agent, 2n, Kind.SafetyEvaluation)), p.attestations, "UnknownSubject", [Subject.Agent, 2n]);
  });

  it("is deployed by the Ignition module against the protocol's system and release registries", async () => {
    const agents = AgentRegistry__factory.connect(await p.agents.getAddress(), p.ethers.provider);
    expect(await agents.SYSTEMS()).toBe(await p.systems.getAddress());
    expect(await agents.RELEASES()).toBe(await p.releases.getAddress());
    expect([await agents.name(), await agents.symbol()]).toEqual(["Pedigree Agents", "AGENT"]);
  });
});
