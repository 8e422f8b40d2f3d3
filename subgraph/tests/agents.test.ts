import { Bytes, ethereum } from "@graphprotocol/graph-ts";
import { assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import {
  ActionsAnchored,
  AgentBound,
  AgentRegistered,
  AgentURIUpdated,
  NonceCancelled,
  OperatorWalletSet,
  OperatorWalletsCleared,
  Transfer,
} from "../../generated/AgentRegistry/AgentRegistry";
import { Account, Agent, AgentBinding, ModelVersion, ProvenanceEvent, SystemVersion } from "../../generated/schema";
import {
  handleActionsAnchored,
  handleAgentBound,
  handleAgentRegistered,
  handleAgentURIUpdated,
  handleNonceCancelled,
  handleOperatorWalletSet,
  handleOperatorWalletsCleared,
  handleTransfer,
} from "../src/agents";
import {
  addr,
  address,
  ALICE,
  BOB,
  bytes32,
  CAROL,
  logId,
  mockLog,
  param,
  RELAYER,
  storeModel,
  storeModelVersion,
  storeSystemVersion,
  text,
  timeOf,
  txHash,
  uint,
  WALLET_ONE,
  WALLET_TWO,
  word,
  ZERO,
} from "./utils/rest";

export {
  handleActionsAnchored,
  handleAgentBound,
  handleAgentRegistered,
  handleAgentURIUpdated,
  handleNonceCancelled,
  handleOperatorWalletSet,
  handleOperatorWalletsCleared,
  handleTransfer,
};

const AGENT: i32 = 3;
const CARD = "ipfs://agent-card";
// System version 7 runs model version 10 under POLICY_7; system version 8 runs model version 11.
const POLICY_7 = "7017";
const POLICY_8 = "8018";
const STRICT_POLICY = "5715c7"; // a policy an agent is bound under instead of its system's own

// ---- events -------------------------------------------------------------------------------------------------------

function agentRegistered(at: ethereum.Event, owner: string): AgentRegistered {
  param(at, "agentId", uint(AGENT));
  param(at, "owner", address(owner));
  param(at, "agentURI", text(CARD));
  return changetype<AgentRegistered>(at);
}

function transfer(at: ethereum.Event, from: string, to: string): Transfer {
  param(at, "from", address(from));
  param(at, "to", address(to));
  param(at, "tokenId", uint(AGENT));
  return changetype<Transfer>(at);
}

function agentURIUpdated(at: ethereum.Event, uri: string, by: string): AgentURIUpdated {
  param(at, "agentId", uint(AGENT));
  param(at, "agentURI", text(uri));
  param(at, "by", address(by));
  return changetype<AgentURIUpdated>(at);
}

function operatorWalletSet(at: ethereum.Event, wallet: string, allowed: boolean, by: string): OperatorWalletSet {
  param(at, "agentId", uint(AGENT));
  param(at, "wallet", address(wallet));
  param(at, "allowed", ethereum.Value.fromBoolean(allowed));
  param(at, "by", address(by));
  return changetype<OperatorWalletSet>(at);
}

function operatorWalletsCleared(at: ethereum.Event, previousOwner: string, newOwner: string): OperatorWalletsCleared {
  param(at, "agentId", uint(AGENT));
  param(at, "previousOwner", address(previousOwner));
  param(at, "newOwner", address(newOwner));
  return changetype<OperatorWalletsCleared>(at);
}

/** Binding `bindingId` of the agent to system version `systemId` (running `modelVersionId`) under `policy`. */
function agentBound(at: ethereum.Event, bindingId: i32, systemId: i32, modelVersionId: i32, policy: string, by: string): AgentBound {
  param(at, "agentId", uint(AGENT));
  param(at, "bindingId", uint(bindingId));
  param(at, "systemId", uint(systemId));
  param(at, "modelVersionId", uint(modelVersionId));
  param(at, "policyHash", bytes32(word(policy)));
  param(at, "by", address(by));
  return changetype<AgentBound>(at);
}

/** `count` actions of the agent under binding `bindingId`, signed by `signer` and sent by `submitter`. */
function actionsAnchored(at: ethereum.Event, root: Bytes, bindingId: i32, count: i32, signer: string, submitter: string): ActionsAnchored {
  param(at, "agentId", uint(AGENT));
  param(at, "root", bytes32(root));
  param(at, "bindingId", uint(bindingId));
  param(at, "count", uint(count));
  param(at, "windowStart", uint(1700000000));
  param(at, "windowEnd", uint(1700003600));
  param(at, "uri", text("ipfs://actions"));
  param(at, "signer", address(signer));
  param(at, "submitter", address(submitter));
  return changetype<ActionsAnchored>(at);
}

function nonceCancelled(at: ethereum.Event, signer: string, nonce: i32): NonceCancelled {
  param(at, "signer", address(signer));
  param(at, "nonce", uint(nonce));
  return changetype<NonceCancelled>(at);
}

// ---- fixtures -----------------------------------------------------------------------------------------------------

/** A fresh store with model 1, its versions 10 and 11, system versions 7 and 8, and agent 3 registered by ALICE. */
function registerAgent(): void {
  clearStore();
  storeModel(1);
  storeModelVersion(10, 1);
  storeModelVersion(11, 1);
  storeSystemVersion(7, 1, 10, word(POLICY_7));
  storeSystemVersion(8, 1, 11, word(POLICY_8));
  handleAgentRegistered(agentRegistered(mockLog(50, 1, 50), ALICE));
}

/** ALICE binds the agent to system version 7 (binding 20, block 60), then to system version 8 (binding 21, block 70). */
function bindThenRebind(): void {
  handleAgentBound(agentBound(mockLog(60, 0, 60), 20, 7, 10, POLICY_7, ALICE));
  handleAgentBound(agentBound(mockLog(70, 0, 70), 21, 8, 11, STRICT_POLICY, ALICE));
}

/** Id of the agent's ActionBatch of `root`: the root, then the agent id as 8 bytes. */
function actionBatchId(root: Bytes): string {
  return root.toHexString() + "000000000000000" + AGENT.toString();
}

function walletId(wallet: string): string {
  return AGENT.toString() + "-" + wallet;
}

// ---- tests --------------------------------------------------------------------------------------------------------

describe("handleAgentRegistered", () => {
  // Registration creates the agent (creator = owner, card, zero counters) and an AgentRegistered entry.
  beforeEach(registerAgent);

  test("registers agent 3 for its owner", () => {
    assert.fieldEquals("Agent", "3", "agentId", "3");
    assert.fieldEquals("Agent", "3", "creator", ALICE);
    assert.fieldEquals("Agent", "3", "owner", ALICE);
    assert.fieldEquals("Agent", "3", "agentURI", CARD);
    assert.fieldEquals("Agent", "3", "bindingCount", "0");
    assert.fieldEquals("Agent", "3", "actionBatchCount", "0");
    assert.fieldEquals("Agent", "3", "createdAtBlock", "50");
    assert.fieldEquals("Agent", "3", "createdAt", timeOf(50).toString());
    assert.fieldEquals("Agent", "3", "createdTx", txHash(50).toHexString());
    assert.assertNull(Agent.load("3")!.currentBinding);

    let entry = logId(50, 1);
    assert.fieldEquals("ProvenanceEvent", entry, "action", "AgentRegistered");
    assert.fieldEquals("ProvenanceEvent", entry, "actor", ALICE);
    assert.fieldEquals("ProvenanceEvent", entry, "agent", "3");
    assert.fieldEquals("ProvenanceEvent", entry, "description", "agent 3 registered");
  });
});

describe("handleTransfer", () => {
  // A transfer changes the owner (not the creator) and is logged by the previous owner; a mint is skipped.
  beforeEach(registerAgent);

  test("the mint's Transfer (from the zero address) changes nothing: AgentRegistered recorded it", () => {
    handleTransfer(transfer(mockLog(50, 0, 50), ZERO, BOB));

    assert.fieldEquals("Agent", "3", "owner", ALICE);
    assert.entityCount("ProvenanceEvent", 1);
  });

  test("a transfer to BOB: new owner, same creator, AgentTransferred by ALICE", () => {
    handleTransfer(transfer(mockLog(80, 2, 80), ALICE, BOB));

    assert.fieldEquals("Agent", "3", "owner", BOB);
    assert.fieldEquals("Agent", "3", "creator", ALICE);
    let entry = logId(80, 2);
    assert.fieldEquals("ProvenanceEvent", entry, "action", "AgentTransferred");
    assert.fieldEquals("ProvenanceEvent", entry, "actor", ALICE);
    assert.fieldEquals("ProvenanceEvent", entry, "agent", "3");
    assert.fieldEquals("ProvenanceEvent", entry, "description", "agent 3 transferred to " + BOB);
    // Derived: the agent moved from ALICE's agentsOwned to BOB's.
    assert.i32Equals(1, Account.load(addr(BOB))!.agentsOwned.load().length);
    assert.i32Equals(0, Account.load(addr(ALICE))!.agentsOwned.load().length);
  });
});

describe("handleAgentURIUpdated", () => {
  // The card URI is replaced and the move is logged.
  beforeEach(registerAgent);

  test("moves the agent card", () => {
    handleAgentURIUpdated(agentURIUpdated(mockLog(80, 0, 80), "ipfs://card-v2", CAROL));

    assert.fieldEquals("Agent", "3", "agentURI", "ipfs://card-v2");
    let entry = logId(80, 0);
    assert.fieldEquals("ProvenanceEvent", entry, "action", "AgentURIUpdated");
    assert.fieldEquals("ProvenanceEvent", entry, "actor", CAROL);
    assert.fieldEquals("ProvenanceEvent", entry, "agent", "3");
    assert.fieldEquals("ProvenanceEvent", entry, "description", "agent 3 card moved to ipfs://card-v2");
  });
});

describe("handleOperatorWalletSet", () => {
  // A wallet is allowed (active) or unset (inactive, ended by "unset"), keyed agentId-wallet, and logged.
  beforeEach(registerAgent);

  test("allows a wallet to act for the agent", () => {
    handleOperatorWalletSet(operatorWalletSet(mockLog(60, 1, 60), WALLET_ONE, true, ALICE));

    let id = walletId(WALLET_ONE);
    assert.fieldEquals("OperatorWallet", id, "agent", "3");
    assert.fieldEquals("OperatorWallet", id, "wallet", WALLET_ONE);
    assert.fieldEquals("OperatorWallet", id, "active", "true");
    assert.fieldEquals("OperatorWallet", id, "setBy", ALICE);
    assert.fieldEquals("OperatorWallet", id, "endedBy", "null");
    assert.fieldEquals("OperatorWallet", id, "updatedAt", timeOf(60).toString());
    assert.fieldEquals("OperatorWallet", id, "updatedAtBlock", "60");
    assert.fieldEquals("Account", WALLET_ONE, "id", WALLET_ONE);

    let entry = logId(60, 1);
    assert.fieldEquals("ProvenanceEvent", entry, "action", "OperatorWalletSet");
    assert.fieldEquals("ProvenanceEvent", entry, "actor", ALICE);
    assert.fieldEquals("ProvenanceEvent", entry, "agent", "3");
    assert.fieldEquals("ProvenanceEvent", entry, "description", "wallet " + WALLET_ONE + " acts for agent 3");
    assert.i32Equals(1, Agent.load("3")!.wallets.load().length);
  });

  test("unsets it later: inactive, ended by unset, one wallet entity", () => {
    handleOperatorWalletSet(operatorWalletSet(mockLog(60, 0, 60), WALLET_ONE, true, ALICE));
    handleOperatorWalletSet(operatorWalletSet(mockLog(65, 0, 65), WALLET_ONE, false, CAROL));

    let id = walletId(WALLET_ONE);
    assert.fieldEquals("OperatorWallet", id, "active", "false");
    assert.fieldEquals("OperatorWallet", id, "endedBy", "unset");
    assert.fieldEquals("OperatorWallet", id, "setBy", CAROL);
    assert.fieldEquals("OperatorWallet", id, "updatedAtBlock", "65");
    assert.entityCount("OperatorWallet", 1);
    assert.fieldEquals("ProvenanceEvent", logId(65, 0), "description", "wallet " + WALLET_ONE + " no longer acts for agent 3");
  });
});

describe("handleOperatorWalletsCleared", () => {
  // A change of hands ends the wallets still active (ended by "transfer"); wallets already unset keep their record.
  beforeEach(registerAgent);

  test("ends the previous owner's active wallets and leaves an unset one as it was", () => {
    handleOperatorWalletSet(operatorWalletSet(mockLog(60, 0, 60), WALLET_ONE, true, ALICE));
    handleOperatorWalletSet(operatorWalletSet(mockLog(61, 0, 61), WALLET_TWO, true, ALICE));
    handleOperatorWalletSet(operatorWalletSet(mockLog(62, 0, 62), WALLET_TWO, false, CAROL));
    handleTransfer(transfer(mockLog(70, 0, 70), ALICE, BOB));
    handleOperatorWalletsCleared(operatorWalletsCleared(mockLog(70, 1, 70), ALICE, BOB));

    let one = walletId(WALLET_ONE);
    assert.fieldEquals("OperatorWallet", one, "active", "false");
    assert.fieldEquals("OperatorWallet", one, "endedBy", "transfer");
    assert.fieldEquals("OperatorWallet", one, "setBy", ALICE);
    assert.fieldEquals("OperatorWallet", one, "updatedAtBlock", "70");
    assert.fieldEquals("OperatorWallet", one, "updatedAt", timeOf(70).toString());
    let two = walletId(WALLET_TWO);
    assert.fieldEquals("OperatorWallet", two, "endedBy", "unset");
    assert.fieldEquals("OperatorWallet", two, "setBy", CAROL);
    assert.fieldEquals("OperatorWallet", two, "updatedAtBlock", "62");

    let entry = logId(70, 1);
    assert.fieldEquals("ProvenanceEvent", entry, "action", "OperatorWalletsCleared");
    assert.fieldEquals("ProvenanceEvent", entry, "actor", ALICE);
    assert.fieldEquals("ProvenanceEvent", entry, "agent", "3");
    assert.fieldEquals(
      "ProvenanceEvent",
      entry,
      "description",
      "agent 3 changed hands: the operator wallets " + ALICE + " set no longer act for it",
    );
    // Derived: the agent's timeline, in order of the logs: registered, 3 wallet changes, transfer, cleared.
    assert.i32Equals(6, Agent.load("3")!.history.load().length);
  });
});

describe("handleAgentBound", () => {
  // A binding is a new immutable record linking the system and model versions and the previous binding.
  beforeEach(registerAgent);

  test("a first binding: system and model version, policy, no previous; the agent's current binding", () => {
    handleAgentBound(agentBound(mockLog(60, 2, 60), 20, 7, 10, POLICY_7, ALICE));

    assert.fieldEquals("AgentBinding", "20", "bindingId", "20");
    assert.fieldEquals("AgentBinding", "20", "agent", "3");
    assert.fieldEquals("AgentBinding", "20", "systemVersion", "7");
    assert.fieldEquals("AgentBinding", "20", "modelVersion", "10");
    assert.fieldEquals("AgentBinding", "20", "policyHash", word(POLICY_7).toHexString());
    assert.fieldEquals("AgentBinding", "20", "previous", "null");
    assert.fieldEquals("AgentBinding", "20", "by", ALICE);
    assert.fieldEquals("AgentBinding", "20", "blockNumber", "60");
    assert.fieldEquals("AgentBinding", "20", "timestamp", timeOf(60).toString());
    assert.fieldEquals("AgentBinding", "20", "transactionHash", txHash(60).toHexString());
    assert.fieldEquals("Agent", "3", "currentBinding", "20");
    assert.fieldEquals("Agent", "3", "bindingCount", "1");

    let entry = logId(60, 2);
    assert.fieldEquals("ProvenanceEvent", entry, "action", "AgentBound");
    assert.fieldEquals("ProvenanceEvent", entry, "actor", ALICE);
    assert.fieldEquals("ProvenanceEvent", entry, "agent", "3");
    assert.fieldEquals("ProvenanceEvent", entry, "systemVersion", "7");
    assert.fieldEquals("ProvenanceEvent", entry, "modelVersion", "10");
    assert.fieldEquals(
      "ProvenanceEvent",
      entry,
      "description",
      "agent 3 bound to system version 7 (model version 10) under policy " + word(POLICY_7).toHexString(),
    );
  });

  test("an agent rebound to another version: a new binding after the first, which stays as it was", () => {
    bindThenRebind();

    assert.fieldEquals("AgentBinding", "21", "previous", "20");
    assert.fieldEquals("AgentBinding", "21", "systemVersion", "8");
    assert.fieldEquals("AgentBinding", "21", "modelVersion", "11");
    assert.fieldEquals("AgentBinding", "21", "policyHash", word(STRICT_POLICY).toHexString());
    assert.fieldEquals("AgentBinding", "20", "systemVersion", "7");
    assert.fieldEquals("Agent", "3", "currentBinding", "21");
    assert.fieldEquals("Agent", "3", "bindingCount", "2");
    assert.fieldEquals("ProvenanceEvent", logId(70, 0), "modelVersion", "11");

    // Derived: the first binding's replacedBy, the agent's bindings, each version's bindings.
    let replacedBy = AgentBinding.load("20")!.replacedBy.load();
    assert.i32Equals(1, replacedBy.length);
    assert.stringEquals("21", replacedBy[0].id);
    assert.i32Equals(2, Agent.load("3")!.bindings.load().length);
    assert.i32Equals(1, SystemVersion.load("8")!.agentBindings.load().length);
    assert.i32Equals(1, ModelVersion.load("10")!.agentBindings.load().length);
  });
});

describe("handleActionsAnchored", () => {
  // A batch is keyed by root and agent, inherits its binding's versions and policy, and counts on the agent.
  beforeEach(registerAgent);

  test("a batch sent by its operator wallet under the binding in force", () => {
    handleAgentBound(agentBound(mockLog(60, 0, 60), 20, 7, 10, POLICY_7, ALICE));
    let root = word("ac71");
    handleActionsAnchored(actionsAnchored(mockLog(90, 4, 90), root, 20, 12, WALLET_ONE, WALLET_ONE));

    let id = actionBatchId(root);
    assert.fieldEquals("ActionBatch", id, "agent", "3");
    assert.fieldEquals("ActionBatch", id, "root", root.toHexString());
    assert.fieldEquals("ActionBatch", id, "binding", "20");
    assert.fieldEquals("ActionBatch", id, "systemVersion", "7");
    assert.fieldEquals("ActionBatch", id, "modelVersion", "10");
    assert.fieldEquals("ActionBatch", id, "policyHash", word(POLICY_7).toHexString());
    assert.fieldEquals("ActionBatch", id, "count", "12");
    assert.fieldEquals("ActionBatch", id, "windowStart", "1700000000");
    assert.fieldEquals("ActionBatch", id, "windowEnd", "1700003600");
    assert.fieldEquals("ActionBatch", id, "uri", "ipfs://actions");
    assert.fieldEquals("ActionBatch", id, "signer", WALLET_ONE);
    assert.fieldEquals("ActionBatch", id, "submitter", WALLET_ONE);
    assert.fieldEquals("ActionBatch", id, "viaSignature", "false");
    assert.fieldEquals("ActionBatch", id, "blockNumber", "90");
    assert.fieldEquals("ActionBatch", id, "transactionHash", txHash(90).toHexString());
    assert.fieldEquals("ActionBatch", id, "logIndex", "4");
    assert.fieldEquals("Agent", "3", "actionBatchCount", "1");

    let entry = logId(90, 4);
    assert.fieldEquals("ProvenanceEvent", entry, "action", "ActionsAnchored");
    assert.fieldEquals("ProvenanceEvent", entry, "actor", WALLET_ONE);
    assert.fieldEquals("ProvenanceEvent", entry, "agent", "3");
    assert.fieldEquals("ProvenanceEvent", entry, "actionBatch", id);
    assert.fieldEquals("ProvenanceEvent", entry, "systemVersion", "7");
    assert.fieldEquals("ProvenanceEvent", entry, "modelVersion", "10");
    assert.fieldEquals("ProvenanceEvent", entry, "description", "12 actions of agent 3 anchored under binding 20 (system version 7)");
    assert.i32Equals(1, AgentBinding.load("20")!.actionBatches.load().length);
    assert.i32Equals(1, Account.load(addr(WALLET_ONE))!.actionBatchesSigned.load().length);
  });

  test("after a rebinding, a relayed batch takes the new binding's versions and policy", () => {
    bindThenRebind();
    handleActionsAnchored(actionsAnchored(mockLog(90, 0, 90), word("ac71"), 20, 5, WALLET_ONE, WALLET_ONE));
    let root = word("ac72");
    handleActionsAnchored(actionsAnchored(mockLog(91, 0, 91), root, 21, 7, WALLET_TWO, RELAYER));

    let id = actionBatchId(root);
    assert.fieldEquals("ActionBatch", id, "binding", "21");
    assert.fieldEquals("ActionBatch", id, "systemVersion", "8");
    assert.fieldEquals("ActionBatch", id, "modelVersion", "11");
    assert.fieldEquals("ActionBatch", id, "policyHash", word(STRICT_POLICY).toHexString());
    assert.fieldEquals("ActionBatch", id, "signer", WALLET_TWO);
    assert.fieldEquals("ActionBatch", id, "submitter", RELAYER);
    assert.fieldEquals("ActionBatch", id, "viaSignature", "true");
    assert.fieldEquals("Agent", "3", "actionBatchCount", "2");
    assert.fieldEquals("ProvenanceEvent", logId(91, 0), "actor", WALLET_TWO);
    assert.i32Equals(1, ModelVersion.load("11")!.actionBatches.load().length);
  });
});

describe("handleNonceCancelled", () => {
  // Cancelling a nonce is logged on the signer's timeline, with no agent.
  beforeEach(registerAgent);

  test("logs the signer's cancelled nonce", () => {
    handleNonceCancelled(nonceCancelled(mockLog(95, 1, 95), WALLET_ONE, 4));

    let entry = logId(95, 1);
    assert.fieldEquals("ProvenanceEvent", entry, "action", "NonceCancelled");
    assert.fieldEquals("ProvenanceEvent", entry, "actor", WALLET_ONE);
    assert.fieldEquals(
      "ProvenanceEvent",
      entry,
      "description",
      WALLET_ONE + " cancelled its unrelayed action-batch signatures with nonce 4",
    );
    assert.assertNull(ProvenanceEvent.load(entry)!.agent);
    assert.i32Equals(1, Account.load(addr(WALLET_ONE))!.history.load().length);
  });
});
