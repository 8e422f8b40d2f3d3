/**
 * Agent actions: register, wallets, bind, anchor (sent, or signed and relayed), status and on-chain proof of a record;
 * signed batches refused before sending when they name another chain or registry, were altered, or carry a deadline
 * the registry would refuse; replay and cancellation decoded.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ZeroHash, id } from "ethers";
import {
  InvalidInputError,
  PedigreeContractError,
  WrongContractError,
  WrongNetworkError,
  agentStatus,
  anchorActions,
  approveSystemVersion,
  approveVersion,
  attest,
  bindAgent,
  cancelActionNonce,
  deploySystem,
  publishSystemVersion,
  registerAgent,
  relayActionBatch,
  setOperatorWallet,
  signActionBatch,
  verifyAction,
  type SignedActionBatch,
} from "../../../src/sdk/index.ts";
import { actionBatch, actionProof } from "../../../src/core/actions.ts";
import { actionRecords } from "../../../src/dev/scenario.ts";
import { caught, licensedDataset, modelWithVersion, sdkFixture, type SdkFixture } from "./fixture.ts";

let f: SdkFixture;
let systemId: bigint;
let agentId: bigint;

const records = (prefix: string, count: number) => actionRecords(prefix, count, 1_760_000_000);

/** Transactions an account has sent: a refusal before sending leaves it as it was. */
const sent = (address: string) => f.protocol.ethers.provider.getTransactionCount(address);

beforeAll(async () => {
  f = await sdkFixture();
  const mlTeam = f.clients.mlTeam;
  const data = await licensedDataset(f.clients.creator, mlTeam);
  const { versionId } = await modelWithVersion(mlTeam, [{ datasetVersionId: data.versionId, licenceId: data.licenceId }]);
  const approve = async (subjectType: "model-version" | "system-version", subjectId: bigint) =>
    (await attest(f.clients.approver, { subjectType, subjectId, kind: "release-approval" })).attestationId;
  await approveVersion(mlTeam, { versionId, attestationIds: [await approve("model-version", versionId)] });
  ({ systemId } = await publishSystemVersion(mlTeam, { modelVersionId: versionId, config: { policyHash: id("system policy") }, uri: "ipfs://sys" }));
  await approveSystemVersion(mlTeam, { systemId, attestationIds: [await approve("system-version", systemId)] });
  await deploySystem(mlTeam, { systemId, environment: "support", regions: "DE" });
  ({ agentId } = await registerAgent(mlTeam, { agentURI: "ipfs://agent" }));
  await setOperatorWallet(mlTeam, { agentId, wallet: f.accounts.evaluator.address, allowed: true });
});

describe("agents", () => {
  it("binds under the system version's own policy by default, and answers the agent's status in one call", async () => {
    const bound = await bindAgent(f.clients.mlTeam, { agentId, systemId });
    expect(bound).toMatchObject({ agentId, bindingId: 1n, systemId, policyHash: id("system policy") });
    const status = await agentStatus(f.clients.stranger, { agentId, environment: "support" });
    expect(status).toMatchObject({ exists: true, owner: f.accounts.mlTeam.address, bindingId: 1n, systemApproved: true, releasable: true, live: true, liveButNotReleasable: false });
    expect(await agentStatus(f.clients.stranger, { agentId: 99n, environment: "support" })).toMatchObject({ exists: false, bindingId: 0n });
  });

  it("anchors as the wallet and proves a record on chain with the binding in force", async () => {
    const batch = actionBatch(records("a", 3));
    const anchored = await anchorActions(f.clients.evaluator, { agentId, batch, uri: "s3://a" });
    expect(anchored).toMatchObject({ agentId, root: batch.root, bindingId: 1n, count: 3n, signer: f.accounts.evaluator.address });
    const verified = await verifyAction(f.clients.stranger, actionProof(agentId, batch, "a-1"));
    expect(verified).toMatchObject({ included: true, bindingId: 1n, systemId, policyHash: id("system policy"), count: 3n });
    const other = actionProof(agentId, actionBatch(records("b", 2)), "b-1");
    expect((await verifyAction(f.clients.stranger, { ...other, root: batch.root })).included).toBe(false);
    const unknown = await caught(verifyAction(f.clients.stranger, other));
    expect((unknown as PedigreeContractError).errorName).toBe("UnknownActionBatch");
  });

  it("relays a signed batch once; a replay and a cancelled nonce are decoded refusals", async () => {
    const signed = await signActionBatch(f.clients.evaluator, { agentId, batch: actionBatch(records("c", 2)), uri: "s3://c" });
    const relayed = await relayActionBatch(f.clients.relayer, JSON.stringify(signed));
    expect(relayed).toMatchObject({ signer: f.accounts.evaluator.address, submitter: f.accounts.relayer.address, bindingId: 1n });
    expect((await caught(relayActionBatch(f.clients.relayer, signed)) as PedigreeContractError).errorName).toBe("InvalidAccountNonce");

    const cancelledOne = await signActionBatch(f.clients.evaluator, { agentId, batch: actionBatch(records("d", 2)), uri: "" });
    await cancelActionNonce(f.clients.evaluator);
    expect((await caught(relayActionBatch(f.clients.relayer, cancelledOne)) as PedigreeContractError).errorName).toBe("InvalidAccountNonce");
  });

  it("refuses, before sending, a signed batch for another chain or registry, altered after signing, or with a deadline out of range", async () => {
    const signed = await signActionBatch(f.clients.evaluator, { agentId, batch: actionBatch(records("e", 2)), uri: "s3://e" });
    const before = await sent(f.accounts.relayer.address);
    const cases: [SignedActionBatch, unknown][] = [
      [{ ...signed, chainId: "1" }, WrongNetworkError],
      [{ ...signed, contract: f.addresses.attestations }, WrongContractError],
      [{ ...signed, request: { ...signed.request, count: "3" } }, InvalidInputError],
    ];
    for (const [document, type] of cases) expect(await caught(relayActionBatch(f.clients.relayer, document))).toBeInstanceOf(type);
    const altered = (await caught(relayActionBatch(f.clients.relayer, cases[2]![0]))) as InvalidInputError;
    expect(altered.message).toMatch(/^the signature is not 0x[0-9a-fA-F]{40}'s signature of this action batch \(it was made by 0x/);
    expect(await sent(f.accounts.relayer.address)).toBe(before);

    const now = BigInt((await f.protocol.ethers.provider.getBlock("latest"))!.timestamp);
    const past = await caught(signActionBatch(f.clients.evaluator, { agentId, batch: actionBatch(records("f", 1)), uri: "", deadline: now - 1n }));
    expect((past as InvalidInputError).field).toBe("deadline");
    const far = await caught(signActionBatch(f.clients.evaluator, { agentId, batch: actionBatch(records("f", 1)), uri: "", deadline: now + 31n * 86_400n }));
    expect((far as InvalidInputError).message).toMatch(/lies more than 30 days ahead/);
  });

  it("refuses the wrong account for every state change, decoded with what to do", async () => {
    const refusals: [Promise<unknown>, string][] = [
      [bindAgent(f.clients.stranger, { agentId, systemId, policyHash: id("mine") }), "NotAgentManager"],
      [setOperatorWallet(f.clients.stranger, { agentId, wallet: f.accounts.stranger.address, allowed: true }), "NotAgentManager"],
      [anchorActions(f.clients.stranger, { agentId, batch: actionBatch(records("g", 1)), uri: "" }), "NotOperatorWallet"],
    ];
    for (const [action, errorName] of refusals) {
      const error = (await caught(action)) as PedigreeContractError;
      expect(error.errorName).toBe(errorName);
      expect(error.message).not.toContain("\n");
    }
    const bad = await caught(anchorActions(f.clients.evaluator, { agentId, batch: { root: ZeroHash, count: 1, windowStart: 0, windowEnd: 0 }, uri: "" }));
    expect((bad as InvalidInputError).field).toBe("batch.root");
  });
});
