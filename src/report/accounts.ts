/** Section 14 of the dossier: every account the dossier names, with the parts it played and the roles it holds. */
import type {
  AccountRecord,
  AgentRecord,
  ApprovalRecord,
  AttestationRecord,
  DatasetRecord,
  DatasetVersionRecord,
  DecisionBatchRecord,
  DeploymentRecord,
  LicenceRecord,
  ModelRecord,
  ModelVersionRecord,
  ParentVersionRecord,
  ProvenanceEventRecord,
  RollbackRecord,
} from "./types.ts";

/** The accounts of the dossier's records, by address, with the parts each played and its `roles`. */
export function describeAccounts(d: {
  model: ModelRecord;
  version: ModelVersionRecord;
  parents: ParentVersionRecord[];
  datasets: DatasetRecord[];
  datasetVersions: DatasetVersionRecord[];
  licences: LicenceRecord[];
  attestations: AttestationRecord[];
  approval: ApprovalRecord | null;
  deployments: DeploymentRecord[];
  rollbacks: RollbackRecord[];
  decisionBatches: DecisionBatchRecord[];
  agents: AgentRecord[];
  history: ProvenanceEventRecord[];
}, roles: ReadonlyMap<string, readonly string[]>): AccountRecord[] {
  const parts = new Map<string, Set<string>>();
  const add = (address: string | null | undefined, part: string) => {
    if (!address) return;
    if (!parts.has(address)) parts.set(address, new Set());
    parts.get(address)!.add(part);
  };
  add(d.model.creator, "model creator");
  add(d.model.owner, "model owner");
  add(d.version.publisher, "model version publisher (trained it)");
  for (const p of d.parents) add(p.publisher, "parent version publisher");
  for (const ds of d.datasets) {
    add(ds.creator, "dataset creator");
    add(ds.owner, "dataset owner");
  }
  for (const dv of d.datasetVersions) add(dv.publisher, "dataset version publisher");
  for (const l of d.licences) {
    add(l.licensee, "licensee");
    add(l.payer, "licence payer");
    add(l.terms.setBy, "licence terms author");
    for (const s of l.terms.splits) add(s.recipient, "royalty recipient");
  }
  for (const a of d.attestations) {
    add(a.attester, `attester (${a.kind.name})`);
    if (a.viaSignature) add(a.submitter, "relayer of a signed attestation");
    if (a.revocation) add(a.revocation.by, "revoked an attestation");
  }
  add(d.approval?.approvedBy, "approved the release");
  for (const dep of d.deployments) add(dep.deployer, "deployer");
  for (const r of d.rollbacks) add(r.by, "rolled back");
  for (const b of d.decisionBatches) add(b.operator, "decision batch operator");
  for (const a of d.agents) {
    add(a.owner, `owner of agent ${a.agentId}`);
    for (const b of a.bindings) add(b.by, `bound agent ${a.agentId}`);
    for (const b of a.actionBatches) {
      add(b.signer, `operator wallet of agent ${a.agentId}`);
      add(b.relayedBy, "relayer of a signed action batch");
    }
  }
  for (const e of d.history) if (!parts.has(e.actor)) add(e.actor, "actor in the provenance log");
  return [...parts.entries()]
    .map(([address, set]) => ({ address, roles: [...(roles.get(address) ?? [])].sort(), parts: [...set] }))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

