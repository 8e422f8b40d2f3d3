// Mappings of AgentRegistry: agents (ERC-721 identities), their operator wallets, their bindings to a system version
// and a policy (history, never overwritten), and the batches of action records they anchor.
import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
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
import { ActionBatch, Agent, AgentBinding, OperatorWallet } from "../../generated/schema";
import { getOrCreateAccount, idOf, provenance, uint64Bytes, ZERO_ADDRESS } from "./helpers";

/** Why a wallet stopped acting (OperatorWallet.endedBy). */
const UNSET = "unset";
const TRANSFER = "transfer";

export function handleAgentRegistered(event: AgentRegistered): void {
  let owner = getOrCreateAccount(event.params.owner);
  let agent = new Agent(idOf(event.params.agentId));
  agent.agentId = event.params.agentId;
  agent.creator = owner.id;
  agent.owner = owner.id;
  agent.agentURI = event.params.agentURI;
  agent.bindingCount = 0;
  agent.actionBatchCount = 0;
  agent.createdAtBlock = event.block.number;
  agent.createdAt = event.block.timestamp;
  agent.createdTx = event.transaction.hash;
  agent.save();

  let entry = provenance(event, "AgentRegistered", owner.id, "agent " + agent.id + " registered");
  entry.agent = agent.id;
  entry.save();
}

export function handleTransfer(event: Transfer): void {
  // Mints are recorded by AgentRegistered; burns do not exist.
  if (event.params.from.equals(ZERO_ADDRESS)) return;
  let to = getOrCreateAccount(event.params.to);
  let agent = Agent.load(idOf(event.params.tokenId))!;
  agent.owner = to.id;
  agent.save();

  let entry = provenance(event, "AgentTransferred", event.params.from, "agent " + agent.id + " transferred to " + to.id.toHexString());
  entry.agent = agent.id;
  entry.save();
}

export function handleAgentURIUpdated(event: AgentURIUpdated): void {
  let by = getOrCreateAccount(event.params.by);
  let agent = Agent.load(idOf(event.params.agentId))!;
  agent.agentURI = event.params.agentURI;
  agent.save();

  let entry = provenance(event, "AgentURIUpdated", by.id, "agent " + agent.id + " card moved to " + event.params.agentURI);
  entry.agent = agent.id;
  entry.save();
}

function walletId(agentId: BigInt, wallet: Address): string {
  return idOf(agentId) + "-" + wallet.toHexString();
}

/** Records that `wallet` starts or stops acting for the agent, as of `event`. */
function updateWallet(event: ethereum.Event, agentId: BigInt, wallet: Address, active: boolean, by: Address, endedBy: string): void {
  let id = walletId(agentId, wallet);
  let entity = OperatorWallet.load(id);
  if (entity == null) {
    entity = new OperatorWallet(id);
    entity.agent = idOf(agentId);
    entity.wallet = getOrCreateAccount(wallet).id;
  }
  entity.active = active;
  entity.setBy = getOrCreateAccount(by).id;
  entity.endedBy = active ? null : endedBy;
  entity.updatedAt = event.block.timestamp;
  entity.updatedAtBlock = event.block.number;
  entity.save();
}

export function handleOperatorWalletSet(event: OperatorWalletSet): void {
  let p = event.params;
  updateWallet(event, p.agentId, p.wallet, p.allowed, p.by, UNSET);
  let what = p.allowed ? " acts for agent " : " no longer acts for agent ";
  let entry = provenance(event, "OperatorWalletSet", p.by, "wallet " + p.wallet.toHexString() + what + idOf(p.agentId));
  entry.agent = idOf(p.agentId);
  entry.save();
}

export function handleOperatorWalletsCleared(event: OperatorWalletsCleared): void {
  let p = event.params;
  let agent = Agent.load(idOf(p.agentId))!;
  let wallets = agent.wallets.load();
  for (let i = 0; i < wallets.length; i++) {
    if (!wallets[i].active) continue;
    updateWallet(event, p.agentId, Address.fromBytes(wallets[i].wallet), false, p.previousOwner, TRANSFER);
  }
  let description = "agent " + agent.id + " changed hands: the operator wallets " + p.previousOwner.toHexString() + " set no longer act for it";
  let entry = provenance(event, "OperatorWalletsCleared", p.previousOwner, description);
  entry.agent = agent.id;
  entry.save();
}

export function handleAgentBound(event: AgentBound): void {
  let p = event.params;
  let by = getOrCreateAccount(p.by);
  let agent = Agent.load(idOf(p.agentId))!;
  let binding = new AgentBinding(idOf(p.bindingId));
  binding.bindingId = p.bindingId;
  binding.agent = agent.id;
  binding.systemVersion = idOf(p.systemId);
  binding.modelVersion = idOf(p.modelVersionId);
  binding.policyHash = p.policyHash;
  binding.previous = agent.currentBinding;
  binding.by = by.id;
  binding.blockNumber = event.block.number;
  binding.timestamp = event.block.timestamp;
  binding.transactionHash = event.transaction.hash;
  binding.save();

  agent.currentBinding = binding.id;
  agent.bindingCount = agent.bindingCount + 1;
  agent.save();

  let description = "agent " + agent.id + " bound to system version " + binding.systemVersion + " (model version " +
    binding.modelVersion + ") under policy " + p.policyHash.toHexString();
  let entry = provenance(event, "AgentBound", by.id, description);
  entry.agent = agent.id;
  entry.systemVersion = binding.systemVersion;
  entry.modelVersion = binding.modelVersion;
  entry.save();
}

export function handleActionsAnchored(event: ActionsAnchored): void {
  let p = event.params;
  let signer = getOrCreateAccount(p.signer);
  let submitter = getOrCreateAccount(p.submitter);
  let binding = AgentBinding.load(idOf(p.bindingId))!;
  let batch = new ActionBatch(p.root.concat(uint64Bytes(p.agentId)));
  batch.agent = idOf(p.agentId);
  batch.root = p.root;
  batch.binding = binding.id;
  batch.systemVersion = binding.systemVersion;
  batch.modelVersion = binding.modelVersion;
  batch.policyHash = binding.policyHash;
  batch.count = p.count;
  batch.windowStart = p.windowStart;
  batch.windowEnd = p.windowEnd;
  batch.uri = p.uri;
  batch.signer = signer.id;
  batch.submitter = submitter.id;
  batch.viaSignature = !signer.id.equals(submitter.id);
  batch.blockNumber = event.block.number;
  batch.timestamp = event.block.timestamp;
  batch.transactionHash = event.transaction.hash;
  batch.logIndex = event.logIndex;
  batch.save();

  let agent = Agent.load(batch.agent)!;
  agent.actionBatchCount = agent.actionBatchCount + 1;
  agent.save();

  let description = p.count.toString() + " actions of agent " + batch.agent + " anchored under binding " + binding.id +
    " (system version " + binding.systemVersion + ")";
  let entry = provenance(event, "ActionsAnchored", signer.id, description);
  entry.agent = batch.agent;
  entry.actionBatch = batch.id;
  entry.systemVersion = batch.systemVersion;
  entry.modelVersion = batch.modelVersion;
  entry.save();
}

export function handleNonceCancelled(event: NonceCancelled): void {
  let signer = getOrCreateAccount(event.params.signer);
  let description = signer.id.toHexString() + " cancelled its unrelayed action-batch signatures with nonce " + event.params.nonce.toString();
  provenance(event, "NonceCancelled", signer.id, description).save();
}
