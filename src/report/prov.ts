/**
 * The lineage of a dossier as W3C PROV-JSON (https://www.w3.org/submissions/prov-json/).
 *
 * Mapping, with stable identifiers in the `pedigree:` namespace (on-chain ids, so two reports of the same deployment
 * name the same things the same way):
 * - entities: `pedigree:dataset/N`, `pedigree:datasetVersion/N`, `pedigree:model/N`, `pedigree:modelVersion/N`,
 *   `pedigree:licence/N`, `pedigree:licenceTerms/N`, `pedigree:attestation/N`, `pedigree:decisionBatch/0x…`,
 *   `pedigree:systemVersion/N`, `pedigree:agent/N`, and
 *   `pedigree:dossier/modelVersion/N` (this report's source and block);
 * - activities: `pedigree:trainingRun/N` (declared start/end), `pedigree:deployment/N` (live period),
 *   `pedigree:approval/N`, `pedigree:rollback/<txHash-logIndex>`, `pedigree:revocation/N`;
 * - agents: `pedigree:account/0x…` (Ethereum accounts; the chain does not say who is behind them).
 * Relations: dataset versions `wasDerivedFrom` their parents (prov:Revision within a dataset) and `specializationOf`
 * their dataset; the training run `used` its dataset versions, licences and fine-tune parent, is `wasAssociatedWith`
 * the publishing ML team, and the model version `wasGeneratedBy` it and `wasDerivedFrom` its data and parent;
 * attestations are `wasAttributedTo` their attesters, a relayer `actedOnBehalfOf` the attester, revoked ones
 * `wasInvalidatedBy` their revocation; deployments `used` the version and are `wasAssociatedWith` the deployer.
 * Licences voided by a refund are `wasInvalidatedBy` it (`pedigree:refund/N`). Another account's version registered
 * with the same digest (a competing claim) is an entity `alternateOf` the claim in this lineage (the same content);
 * `alternateOf` is present only when there is one.
 */
import type { SubjectType } from "../audit/types.ts";
import type { AttestationRecord, LicenceRecord, LicenceTermsRecord, TxRef, VersionDossier } from "./types.ts";

export const PEDIGREE_NAMESPACE = "urn:pedigree:";

type Literal = string | number | boolean | { $: string; type: string } | { $: string; lang: string };
export type ProvAttributes = Record<string, Literal | Literal[]>;
export type ProvRecords = Record<string, ProvAttributes>;

export interface ProvDocument {
  prefix: Record<string, string>;
  entity: ProvRecords;
  activity: ProvRecords;
  agent: ProvRecords;
  wasGeneratedBy: ProvRecords;
  used: ProvRecords;
  wasDerivedFrom: ProvRecords;
  wasAttributedTo: ProvRecords;
  wasAssociatedWith: ProvRecords;
  actedOnBehalfOf: ProvRecords;
  wasInvalidatedBy: ProvRecords;
  specializationOf: ProvRecords;
  /** Only when another account claims a digest of this lineage. */
  alternateOf?: ProvRecords;
}

const qn = (name: string) => ({ $: name, type: "prov:QUALIFIED_NAME" });
const int = (value: string) => ({ $: value, type: "xsd:integer" });
const dateTime = (iso: string) => ({ $: iso, type: "xsd:dateTime" });

export const provId = {
  dataset: (id: string) => `pedigree:dataset/${id}`,
  datasetVersion: (id: string) => `pedigree:datasetVersion/${id}`,
  model: (id: string) => `pedigree:model/${id}`,
  modelVersion: (id: string) => `pedigree:modelVersion/${id}`,
  trainingRun: (id: string) => `pedigree:trainingRun/${id}`,
  licence: (id: string) => `pedigree:licence/${id}`,
  licenceTerms: (id: string) => `pedigree:licenceTerms/${id}`,
  attestation: (id: string) => `pedigree:attestation/${id}`,
  deployment: (id: string) => `pedigree:deployment/${id}`,
  systemVersion: (id: string) => `pedigree:systemVersion/${id}`,
  agent: (id: string) => `pedigree:agent/${id}`,
  usageReport: (id: string) => `pedigree:usageReport/${id}`,
  approval: (id: string) => `pedigree:approval/${id}`,
  rollback: (id: string) => `pedigree:rollback/${id}`,
  revocation: (id: string) => `pedigree:revocation/${id}`,
  refund: (licenceId: string) => `pedigree:refund/${licenceId}`,
  decisionBatch: (root: string) => `pedigree:decisionBatch/${root}`,
  actionBatch: (agentId: string, root: string) => `pedigree:actionBatch/${agentId}/${root}`,
  account: (address: string) => `pedigree:account/${address}`,
  dossier: (versionId: string) => `pedigree:dossier/modelVersion/${versionId}`,
};

function txAttributes(tx: TxRef): ProvAttributes {
  return {
    "pedigree:transactionHash": tx.txHash,
    "pedigree:blockNumber": int(tx.block),
    ...(tx.time ? { "pedigree:blockTime": dateTime(tx.time) } : {}),
  };
}

type RelationKind = Exclude<keyof ProvDocument, "prefix" | "entity" | "activity" | "agent">;

/** The document being built from one dossier: its records, and the blank-node numbering of each kind of relation. */
class ProvBuilder {
  readonly doc: ProvDocument = {
    prefix: {
      pedigree: PEDIGREE_NAMESPACE,
      xsd: "http://www.w3.org/2001/XMLSchema#",
      prov: "http://www.w3.org/ns/prov#",
    },
    entity: {},
    activity: {},
    agent: {},
    wasGeneratedBy: {},
    used: {},
    wasDerivedFrom: {},
    wasAttributedTo: {},
    wasAssociatedWith: {},
    actedOnBehalfOf: {},
    wasInvalidatedBy: {},
    specializationOf: {},
  };
  private readonly counters = new Map<string, number>();

  constructor(readonly d: VersionDossier) {}

  /** Adds a relation as the blank node `_:<short><n>`, numbered per `short` in the order of addition. */
  relation(kind: RelationKind, short: string, attributes: ProvAttributes): void {
    const n = (this.counters.get(short) ?? 0) + 1;
    this.counters.set(short, n);
    (this.doc[kind] ??= {})[`_:${short}${n}`] = attributes;
  }

  /** The agent of an account, added on first mention with the roles the dossier lists for it. */
  agent(address: string): string {
    const id = provId.account(address);
    if (!this.doc.agent[id]) {
      const account = this.d.accounts.find((a) => a.address === address);
      const attributes: ProvAttributes = { "prov:type": qn("pedigree:EthereumAccount"), "pedigree:address": address };
      if (account?.roles.length) attributes["pedigree:role"] = account.roles;
      this.doc.agent[id] = attributes;
    }
    return id;
  }

  attributedTo(entity: string, address: string): void {
    this.relation("wasAttributedTo", "wAT", { "prov:entity": entity, "prov:agent": this.agent(address) });
  }

  associated(activity: string, address: string, role?: string): void {
    this.relation("wasAssociatedWith", "wAW", { "prov:activity": activity, "prov:agent": this.agent(address), ...(role ? { "prov:role": qn(role) } : {}) });
  }
}

/** The dossier itself: where and when these statements were read. */
function addDossier({ doc, d }: ProvBuilder): void {
  doc.entity[provId.dossier(d.version.id)] = {
    "prov:type": qn("pedigree:AuditDossier"),
    "prov:label": `Audit dossier of model version ${d.version.id}`,
    "pedigree:subgraphUrl": d.generatedAt.subgraphUrl,
    "pedigree:subgraphDeployment": d.generatedAt.deployment,
    "pedigree:blockNumber": int(String(d.generatedAt.block.number)),
    ...(d.generatedAt.block.time ? { "pedigree:blockTime": dateTime(d.generatedAt.block.time) } : {}),
  };
}

/** The version's model in full, and the models of its fine-tune parents by id. */
function addModels(b: ProvBuilder): void {
  const { doc, d } = b;
  const modelIds = new Set([d.model.id, ...d.parents.map((p) => p.modelId)]);
  const own = { "pedigree:uri": d.model.uri, "pedigree:metadataHash": d.model.metadataHash, "pedigree:commercial": d.model.commercial, ...txAttributes(d.model.tx) };
  for (const id of [...modelIds].sort()) {
    const isOwn = id === d.model.id; // the models of parents from another model are named by id only
    doc.entity[provId.model(id)] = { "prov:type": qn("pedigree:Model"), "prov:label": `model ${id}`, ...(isOwn ? own : {}) };
    if (isOwn) b.attributedTo(provId.model(id), d.model.creator);
  }
}

/** The model version this dossier is about. */
function addVersion(b: ProvBuilder): void {
  const { doc, d } = b;
  const mv = provId.modelVersion(d.version.id);
  doc.entity[mv] = {
    "prov:type": qn("pedigree:ModelVersion"),
    "prov:label": `model ${d.version.modelId} version ${d.version.number}`,
    "pedigree:number": d.version.number,
    "pedigree:weightsHash": d.version.weightsHash,
    "pedigree:manifestRoot": d.version.manifestRoot,
    "pedigree:configHash": d.version.configHash,
    "pedigree:uri": d.version.uri,
    "pedigree:approved": d.version.approved,
    ...(d.version.approvalRevoked ? { "pedigree:approvalRevoked": true } : {}),
    ...(d.training && !d.version.dataDeclared ? { "pedigree:dataDeclared": false } : {}),
    ...txAttributes(d.version.tx),
  };
  b.relation("specializationOf", "spec", { "prov:specificEntity": mv, "prov:generalEntity": provId.model(d.version.modelId) });
  b.attributedTo(mv, d.version.publisher);
}

/** The fine-tune parents, then each fine-tune (the version's and its ancestors') as a derivation. */
function addParents(b: ProvBuilder): void {
  const { doc, d } = b;
  for (const p of d.parents) {
    const id = provId.modelVersion(p.id);
    doc.entity[id] = {
      "prov:type": qn("pedigree:ModelVersion"),
      "prov:label": `model ${p.modelId} version ${p.number} (fine-tune parent)`,
      "pedigree:number": p.number,
      "pedigree:weightsHash": p.weightsHash,
      "pedigree:uri": p.uri,
      "pedigree:approved": p.approved,
      ...txAttributes(p.tx),
    };
    b.relation("specializationOf", "spec", { "prov:specificEntity": id, "prov:generalEntity": provId.model(p.modelId) });
  }
  for (const child of [d.version, ...d.parents]) {
    if (!child.parentId || !d.parents.some((p) => p.id === child.parentId)) continue;
    b.relation("wasDerivedFrom", "wDF", {
      "prov:generatedEntity": provId.modelVersion(child.id),
      "prov:usedEntity": provId.modelVersion(child.parentId),
      "prov:type": qn("pedigree:FineTune"),
      ...(child.id === d.version.id && d.training ? { "prov:activity": provId.trainingRun(d.training.id) } : {}),
    });
  }
}

function addDatasets(b: ProvBuilder): void {
  for (const ds of b.d.datasets) {
    b.doc.entity[provId.dataset(ds.id)] = {
      "prov:type": qn("pedigree:Dataset"),
      "prov:label": `dataset ${ds.id}`,
      "pedigree:withdrawn": ds.withdrawn,
      ...(ds.withdrawal ? { "pedigree:withdrawalReason": ds.withdrawal.reason } : {}),
      ...(ds.consentRevocation ? { "pedigree:consentRevoked": true, "pedigree:consentRevocationReason": ds.consentRevocation.reason } : {}),
      ...txAttributes(ds.tx),
    };
    b.attributedTo(provId.dataset(ds.id), ds.creator);
  }
}

/** Dataset versions, each a specialisation of its dataset, derived from its parents (a revision within one dataset). */
function addDatasetVersions(b: ProvBuilder): void {
  const datasetOf = new Map(b.d.datasetVersions.map((v) => [v.id, v.datasetId]));
  for (const v of b.d.datasetVersions) {
    const id = provId.datasetVersion(v.id);
    b.doc.entity[id] = {
      "prov:type": qn("pedigree:DatasetVersion"),
      "prov:label": `dataset ${v.datasetId} version ${v.number}`,
      "pedigree:number": v.number,
      "pedigree:fingerprint": v.fingerprint,
      "pedigree:manifestRoot": v.manifestRoot,
      "pedigree:metadataHash": v.metadataHash,
      "pedigree:uri": v.uri,
      ...txAttributes(v.tx),
    };
    b.relation("specializationOf", "spec", { "prov:specificEntity": id, "prov:generalEntity": provId.dataset(v.datasetId) });
    b.attributedTo(id, v.publisher);
    for (const parent of v.parentIds) {
      b.relation("wasDerivedFrom", "wDF", {
        "prov:generatedEntity": id,
        "prov:usedEntity": provId.datasetVersion(parent),
        "prov:type": qn(datasetOf.get(parent) === v.datasetId ? "prov:Revision" : "pedigree:DatasetDerivation"),
        "pedigree:transformationHash": v.transformationHash,
      });
    }
  }
}

/** Each licence with the terms it was granted under (terms once, however many licences share them) and its refund. */
function addLicences(b: ProvBuilder): void {
  for (const l of b.d.licences) {
    const termsId = provId.licenceTerms(l.terms.id);
    if (!b.doc.entity[termsId]) addLicenceTerms(b, l.terms);
    b.doc.entity[provId.licence(l.id)] = {
      "prov:type": qn("pedigree:Licence"),
      "prov:label": `licence ${l.id} of dataset ${l.datasetId}`,
      "pedigree:dataset": qn(provId.dataset(l.datasetId)),
      "pedigree:terms": qn(termsId),
      "pedigree:licensee": qn(b.agent(l.licensee)),
      "pedigree:amount": int(l.amount),
      "pedigree:currency": l.currency,
      "pedigree:expiresAt": int(l.expiresAt.unix),
      ...txAttributes(l.tx),
    };
    b.relation("wasDerivedFrom", "wDF", {
      "prov:generatedEntity": provId.licence(l.id),
      "prov:usedEntity": termsId,
      "prov:type": qn("pedigree:GrantedUnderTerms"),
    });
    if (l.refund) addRefund(b, l, l.refund);
  }
}

function addLicenceTerms(b: ProvBuilder, t: LicenceTermsRecord): void {
  const termsId = provId.licenceTerms(t.id);
  b.doc.entity[termsId] = {
    "prov:type": qn("pedigree:LicenceTerms"),
    "prov:label": `licence terms ${t.id} of dataset ${t.datasetId}`,
    "pedigree:dataset": qn(provId.dataset(t.datasetId)),
    "pedigree:price": int(t.price),
    "pedigree:currency": t.currency,
    "pedigree:duration": int(t.duration),
    "pedigree:commercialUse": t.commercialUse,
    "pedigree:derivativesAllowed": t.derivativesAllowed,
    "pedigree:documentHash": t.documentHash,
    "pedigree:documentURI": t.documentURI,
    "pedigree:royaltySplits": t.splits.map((s) => `${s.recipient}:${s.bps}`),
    ...txAttributes(t.tx),
  };
  b.attributedTo(termsId, t.setBy);
}

/** The refund that voided a licence after its dataset's consent was revoked. */
function addRefund(b: ProvBuilder, l: LicenceRecord, refund: NonNullable<LicenceRecord["refund"]>): void {
  const id = provId.refund(l.id);
  b.doc.activity[id] = {
    "prov:type": qn("pedigree:Refund"),
    "prov:label": `refund of licence ${l.id} after consent to dataset ${l.datasetId} was revoked`,
    "pedigree:amount": int(refund.amount),
    "pedigree:currency": refund.currency,
    "prov:startTime": refund.tx.time,
    "prov:endTime": refund.tx.time,
    ...txAttributes(refund.tx),
  };
  b.associated(id, refund.refundedBy);
  b.relation("wasInvalidatedBy", "wIB", { "prov:entity": provId.licence(l.id), "prov:activity": id, "prov:time": refund.tx.time });
}

/** The training run: what it used (data under licences, the licences, the base model) and the version it generated. */
function addTraining(b: ProvBuilder): void {
  const { doc, d } = b;
  const t = d.training;
  if (!t) return;
  const run = provId.trainingRun(t.id);
  const mv = provId.modelVersion(d.version.id);
  doc.activity[run] = {
    "prov:type": qn("pedigree:TrainingRun"),
    "prov:label": `training run of model version ${t.id}`,
    ...(t.startedAt.time ? { "prov:startTime": t.startedAt.time } : {}),
    ...(t.endedAt.time ? { "prov:endTime": t.endedAt.time } : {}),
    "pedigree:codeHash": t.codeHash,
    "pedigree:hyperparametersHash": t.hyperparametersHash,
    "prov:location": t.region,
    ...(t.computeProvider ? { "pedigree:computeProvider": t.computeProvider } : {}),
    "pedigree:timesDeclaredNotObserved": true,
    ...txAttributes(t.tx),
  };
  for (const u of t.uses) {
    b.relation("used", "u", { "prov:activity": run, "prov:entity": provId.datasetVersion(u.datasetVersionId), "pedigree:licence": qn(provId.licence(u.licenceId)) });
  }
  for (const licenceId of new Set(t.uses.map((u) => u.licenceId))) {
    b.relation("used", "u", { "prov:activity": run, "prov:entity": provId.licence(licenceId), "prov:role": qn("pedigree:LicenceForTraining") });
  }
  if (d.version.parentId) {
    b.relation("used", "u", { "prov:activity": run, "prov:entity": provId.modelVersion(d.version.parentId), "prov:role": qn("pedigree:BaseModel") });
  }
  b.relation("wasGeneratedBy", "wGB", { "prov:entity": mv, "prov:activity": run, ...(d.version.tx.time ? { "prov:time": d.version.tx.time } : {}) });
  b.associated(run, d.version.publisher, "pedigree:MLTeam");
  for (const u of t.uses) {
    b.relation("wasDerivedFrom", "wDF", { "prov:generatedEntity": mv, "prov:usedEntity": provId.datasetVersion(u.datasetVersionId), "prov:activity": run, "prov:type": qn("pedigree:TrainedOn") });
  }
}

const subjectEntity: Record<SubjectType, (id: string) => string> = {
  DatasetVersion: provId.datasetVersion,
  ModelVersion: provId.modelVersion,
  TrainingRun: provId.trainingRun,
  Licence: provId.licence,
  Deployment: provId.deployment,
  SystemVersion: provId.systemVersion,
  Agent: provId.agent,
  UsageReport: provId.usageReport,
};

/** Each attestation, attributed to its attester (a relayer acting on its behalf), with its revocation. */
function addAttestations(b: ProvBuilder): void {
  for (const a of b.d.attestations) {
    const id = provId.attestation(a.id);
    b.doc.entity[id] = {
      "prov:type": qn("pedigree:Attestation"),
      "prov:label": `${a.kind.name} attestation ${a.id}`,
      "pedigree:kind": a.kind.name,
      "pedigree:kindId": a.kind.id,
      "pedigree:subject": qn(subjectEntity[a.subject.type](a.subject.id)),
      "pedigree:evidenceHash": a.evidenceHash,
      "pedigree:evidenceURI": a.evidenceURI,
      "pedigree:expiresAt": int(a.expiresAt.unix),
      "pedigree:viaSignature": a.viaSignature,
      "pedigree:revoked": a.revoked,
      ...(a.roleRevocation ? { "pedigree:attesterHoldsRole": false } : {}),
      ...txAttributes(a.tx),
    };
    b.attributedTo(id, a.attester);
    if (a.viaSignature) {
      b.relation("actedOnBehalfOf", "aOBO", { "prov:delegate": b.agent(a.submitter), "prov:responsible": b.agent(a.attester), "prov:type": qn("pedigree:RelayedSignature") });
    }
    if (a.revocation) addRevocation(b, a.id, a.revocation);
  }
}

function addRevocation(b: ProvBuilder, attestationId: string, revocation: NonNullable<AttestationRecord["revocation"]>): void {
  const id = provId.revocation(attestationId);
  const time = revocation.at.time;
  b.doc.activity[id] = {
    "prov:type": qn("pedigree:Revocation"),
    "prov:label": `revocation of attestation ${attestationId}`,
    "pedigree:reason": revocation.reason,
    ...(time ? { "prov:startTime": time, "prov:endTime": time } : {}),
    ...(revocation.tx ? txAttributes(revocation.tx) : {}),
  };
  b.associated(id, revocation.by);
  b.relation("wasInvalidatedBy", "wIB", { "prov:entity": provId.attestation(attestationId), "prov:activity": id, ...(time ? { "prov:time": time } : {}) });
}

/** The release approval: the approver used the version and the attestations listed as evidence. */
function addApproval(b: ProvBuilder): void {
  const { doc, d } = b;
  if (!d.approval) return;
  const approval = provId.approval(d.version.id);
  doc.activity[approval] = {
    "prov:type": qn("pedigree:ReleaseApproval"),
    "prov:label": `release approval of model version ${d.version.id}`,
    "prov:startTime": d.approval.tx.time,
    "prov:endTime": d.approval.tx.time,
    ...txAttributes(d.approval.tx),
  };
  b.associated(approval, d.approval.approvedBy, "pedigree:Approver");
  b.relation("used", "u", { "prov:activity": approval, "prov:entity": provId.modelVersion(d.version.id), "prov:role": qn("pedigree:ApprovedVersion") });
  for (const id of d.approval.attestationIds) {
    b.relation("used", "u", { "prov:activity": approval, "prov:entity": provId.attestation(id), "prov:role": qn("pedigree:Evidence") });
  }
}

/** Deployments of the version: activities over their live period, by their deployer. */
function addDeployments(b: ProvBuilder): void {
  const mv = provId.modelVersion(b.d.version.id);
  for (const dep of b.d.deployments) {
    const id = provId.deployment(dep.id);
    b.doc.activity[id] = {
      "prov:type": qn("pedigree:Deployment"),
      "prov:label": `deployment ${dep.id} of model version ${dep.versionId} to ${dep.environment}`,
      "prov:startTime": dep.tx.time,
      ...(dep.endedAt?.time ? { "prov:endTime": dep.endedAt.time } : {}),
      "pedigree:environment": dep.environment,
      "pedigree:regions": dep.regions,
      "pedigree:live": dep.active,
      ...txAttributes(dep.tx),
    };
    b.relation("used", "u", { "prov:activity": id, "prov:entity": mv, "prov:time": dep.tx.time });
    b.associated(id, dep.deployer, "pedigree:Deployer");
  }
}

function addRollbacks(b: ProvBuilder): void {
  for (const r of b.d.rollbacks) {
    const id = provId.rollback(r.id);
    b.doc.activity[id] = {
      "prov:type": qn("pedigree:Rollback"),
      "prov:label": `rollback of ${r.environment} from model version ${r.fromVersionId} to ${r.toVersionId ?? "nothing"}`,
      "prov:startTime": r.tx.time,
      "prov:endTime": r.tx.time,
      "pedigree:reason": r.reason,
      "pedigree:environment": r.environment,
      "pedigree:fromVersion": qn(provId.modelVersion(r.fromVersionId)),
      ...(r.toVersionId ? { "pedigree:toVersion": qn(provId.modelVersion(r.toVersionId)) } : {}),
      ...txAttributes(r.tx),
    };
    b.associated(id, r.by);
  }
}

/** Decision batches the version anchored, with the other versions that anchored the same root. */
function addDecisionBatches(b: ProvBuilder): void {
  const { doc, d } = b;
  for (const batch of d.decisionBatches) {
    const id = provId.decisionBatch(batch.root);
    doc.entity[id] = {
      "prov:type": qn("pedigree:DecisionBatch"),
      "prov:label": `${batch.count} decisions of model version ${d.version.id}`,
      "pedigree:merkleRoot": batch.root,
      "pedigree:count": int(batch.count),
      "pedigree:modelVersion": qn(provId.modelVersion(d.version.id)),
      "pedigree:uri": batch.uri,
      "pedigree:regions": batch.regions,
      ...(batch.otherAnchors.length ? { "pedigree:alsoAnchoredBy": batch.otherAnchors.map((o) => qn(provId.modelVersion(o.versionId))) } : {}),
      ...(batch.windowStart.time ? { "pedigree:windowStart": dateTime(batch.windowStart.time) } : {}),
      ...(batch.windowEnd.time ? { "pedigree:windowEnd": dateTime(batch.windowEnd.time) } : {}),
      ...txAttributes(batch.tx),
    };
    b.attributedTo(id, batch.operator);
  }
}

/**
 * Agents acting on the version: each a software agent acting on behalf of its owner, and each action batch an entity
 * attributed to the agent, with the system version, model version and policy of the binding it was anchored under.
 */
function addAgents(b: ProvBuilder): void {
  const { doc, d } = b;
  for (const a of d.agents) {
    const agent = provId.agent(a.agentId);
    doc.agent[agent] = {
      "prov:type": qn("prov:SoftwareAgent"),
      "prov:label": `agent ${a.agentId}`,
      ...(a.agentURI ? { "pedigree:agentURI": a.agentURI } : {}),
      "pedigree:boundNow": a.boundNow,
    };
    b.relation("actedOnBehalfOf", "aOBO", { "prov:delegate": agent, "prov:responsible": b.agent(a.owner) });
    for (const batch of a.actionBatches) {
      const id = provId.actionBatch(a.agentId, batch.root);
      doc.entity[id] = {
        "prov:type": qn("pedigree:ActionBatch"),
        "prov:label": `${batch.count} actions of agent ${a.agentId} under binding ${batch.bindingId}`,
        "pedigree:merkleRoot": batch.root,
        "pedigree:count": int(batch.count),
        "pedigree:systemVersion": qn(provId.systemVersion(batch.systemId)),
        "pedigree:modelVersion": qn(provId.modelVersion(d.version.id)),
        "pedigree:policyHash": batch.policyHash,
        "pedigree:uri": batch.uri,
        ...(batch.windowStart.time ? { "pedigree:windowStart": dateTime(batch.windowStart.time) } : {}),
        ...(batch.windowEnd.time ? { "pedigree:windowEnd": dateTime(batch.windowEnd.time) } : {}),
        ...txAttributes(batch.tx),
      };
      b.relation("wasAttributedTo", "wAT", { "prov:entity": id, "prov:agent": agent });
    }
  }
}

/** Competing claims: the other accounts' versions of the same content, each an alternate of this lineage's version. */
function addCompetingClaims(b: ProvBuilder): void {
  for (const c of b.d.competingClaims) {
    const weights = c.kind === "model-weights";
    const entityOf = weights ? provId.modelVersion : provId.datasetVersion;
    for (const claim of c.claims) {
      if (claim.versionId === c.subjectVersionId) continue;
      const id = entityOf(claim.versionId);
      b.doc.entity[id] ??= {
        "prov:type": qn(weights ? "pedigree:ModelVersion" : "pedigree:DatasetVersion"),
        "prov:label": `${weights ? "model" : "dataset"} ${claim.assetId} version ${claim.number} (another claim of ${c.digest})`,
        [weights ? "pedigree:weightsHash" : "pedigree:fingerprint"]: c.digest,
        "pedigree:claimant": claim.claimant,
        ...txAttributes(claim.tx),
      };
      b.attributedTo(id, claim.claimant);
      b.relation("alternateOf", "alt", { "prov:alternate1": entityOf(c.subjectVersionId), "prov:alternate2": id });
    }
  }
}

/** The parts of the document, in the order their records and relations are numbered. */
const PARTS: readonly ((b: ProvBuilder) => void)[] = [
  addDossier,
  addModels,
  addVersion,
  addParents,
  addDatasets,
  addDatasetVersions,
  addLicences,
  addTraining,
  addAttestations,
  addApproval,
  addDeployments,
  addRollbacks,
  addDecisionBatches,
  addAgents,
  addCompetingClaims,
];

/** Builds the PROV-JSON document of the dossier's lineage. */
export function toProvJson(d: VersionDossier): ProvDocument {
  const builder = new ProvBuilder(d);
  for (const addPart of PARTS) addPart(builder);
  return builder.doc;
}

/** The PROV-JSON document as pretty-printed text. */
export function renderProvJson(d: VersionDossier): string {
  return `${JSON.stringify(toProvJson(d), null, 2)}\n`;
}
