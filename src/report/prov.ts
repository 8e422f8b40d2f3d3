/**
 * The lineage of a dossier as W3C PROV-JSON (https://www.w3.org/submissions/prov-json/).
 *
 * Mapping, with stable identifiers in the `pedigree:` namespace (on-chain ids, so two reports of the same deployment
 * name the same things the same way):
 * - entities: `pedigree:dataset/N`, `pedigree:datasetVersion/N`, `pedigree:model/N`, `pedigree:modelVersion/N`,
 *   `pedigree:licence/N`, `pedigree:licenceTerms/N`, `pedigree:attestation/N`, `pedigree:decisionBatch/0x…`, and
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
import type { TxRef, VersionDossier } from "./types.ts";

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
  approval: (id: string) => `pedigree:approval/${id}`,
  rollback: (id: string) => `pedigree:rollback/${id}`,
  revocation: (id: string) => `pedigree:revocation/${id}`,
  refund: (licenceId: string) => `pedigree:refund/${licenceId}`,
  decisionBatch: (root: string) => `pedigree:decisionBatch/${root}`,
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

/** Builds the PROV-JSON document of the dossier's lineage. */
export function toProvJson(d: VersionDossier): ProvDocument {
  const doc: ProvDocument = {
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
  const counters = new Map<string, number>();
  const relation = (kind: Exclude<keyof ProvDocument, "prefix" | "entity" | "activity" | "agent">, short: string, attributes: ProvAttributes) => {
    const n = (counters.get(short) ?? 0) + 1;
    counters.set(short, n);
    (doc[kind] ??= {})[`_:${short}${n}`] = attributes;
  };
  const agent = (address: string) => {
    const id = provId.account(address);
    if (!doc.agent[id]) {
      const account = d.accounts.find((a) => a.address === address);
      const attributes: ProvAttributes = { "prov:type": qn("pedigree:EthereumAccount"), "pedigree:address": address };
      if (account?.roles.length) attributes["pedigree:role"] = account.roles;
      doc.agent[id] = attributes;
    }
    return id;
  };
  const attributedTo = (entity: string, address: string) => relation("wasAttributedTo", "wAT", { "prov:entity": entity, "prov:agent": agent(address) });
  const associated = (activity: string, address: string, role?: string) =>
    relation("wasAssociatedWith", "wAW", { "prov:activity": activity, "prov:agent": agent(address), ...(role ? { "prov:role": qn(role) } : {}) });

  // The dossier itself: where and when these statements were read.
  doc.entity[provId.dossier(d.version.id)] = {
    "prov:type": qn("pedigree:AuditDossier"),
    "prov:label": `Audit dossier of model version ${d.version.id}`,
    "pedigree:subgraphUrl": d.generatedAt.subgraphUrl,
    "pedigree:subgraphDeployment": d.generatedAt.deployment,
    "pedigree:blockNumber": int(String(d.generatedAt.block.number)),
    ...(d.generatedAt.block.time ? { "pedigree:blockTime": dateTime(d.generatedAt.block.time) } : {}),
  };

  // Models and versions.
  const modelIds = new Set([d.model.id, ...d.parents.map((p) => p.modelId)]);
  for (const id of [...modelIds].sort()) {
    const m = id === d.model.id ? d.model : null;
    doc.entity[provId.model(id)] = m
      ? {
          "prov:type": qn("pedigree:Model"),
          "prov:label": `model ${id}`,
          "pedigree:uri": m.uri,
          "pedigree:metadataHash": m.metadataHash,
          "pedigree:commercial": m.commercial,
          ...txAttributes(m.tx),
        }
      : { "prov:type": qn("pedigree:Model"), "prov:label": `model ${id}` };
    if (m) attributedTo(provId.model(id), m.creator);
  }
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
  relation("specializationOf", "spec", { "prov:specificEntity": mv, "prov:generalEntity": provId.model(d.version.modelId) });
  attributedTo(mv, d.version.publisher);
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
    relation("specializationOf", "spec", { "prov:specificEntity": id, "prov:generalEntity": provId.model(p.modelId) });
  }
  [d.version, ...d.parents].forEach((child) => {
    if (!child.parentId || !d.parents.some((p) => p.id === child.parentId)) return;
    relation("wasDerivedFrom", "wDF", {
      "prov:generatedEntity": provId.modelVersion(child.id),
      "prov:usedEntity": provId.modelVersion(child.parentId),
      "prov:type": qn("pedigree:FineTune"),
      ...(child.id === d.version.id && d.training ? { "prov:activity": provId.trainingRun(d.training.id) } : {}),
    });
  });

  // Data.
  for (const ds of d.datasets) {
    doc.entity[provId.dataset(ds.id)] = {
      "prov:type": qn("pedigree:Dataset"),
      "prov:label": `dataset ${ds.id}`,
      "pedigree:withdrawn": ds.withdrawn,
      ...(ds.withdrawal ? { "pedigree:withdrawalReason": ds.withdrawal.reason } : {}),
      ...(ds.consentRevocation ? { "pedigree:consentRevoked": true, "pedigree:consentRevocationReason": ds.consentRevocation.reason } : {}),
      ...txAttributes(ds.tx),
    };
    attributedTo(provId.dataset(ds.id), ds.creator);
  }
  const dvDataset = new Map(d.datasetVersions.map((v) => [v.id, v.datasetId]));
  for (const v of d.datasetVersions) {
    const id = provId.datasetVersion(v.id);
    doc.entity[id] = {
      "prov:type": qn("pedigree:DatasetVersion"),
      "prov:label": `dataset ${v.datasetId} version ${v.number}`,
      "pedigree:number": v.number,
      "pedigree:fingerprint": v.fingerprint,
      "pedigree:manifestRoot": v.manifestRoot,
      "pedigree:metadataHash": v.metadataHash,
      "pedigree:uri": v.uri,
      ...txAttributes(v.tx),
    };
    relation("specializationOf", "spec", { "prov:specificEntity": id, "prov:generalEntity": provId.dataset(v.datasetId) });
    attributedTo(id, v.publisher);
    for (const parent of v.parentIds) {
      relation("wasDerivedFrom", "wDF", {
        "prov:generatedEntity": id,
        "prov:usedEntity": provId.datasetVersion(parent),
        "prov:type": qn(dvDataset.get(parent) === v.datasetId ? "prov:Revision" : "pedigree:DatasetDerivation"),
        "pedigree:transformationHash": v.transformationHash,
      });
    }
  }

  // Licences and terms.
  for (const l of d.licences) {
    const t = l.terms;
    const termsId = provId.licenceTerms(t.id);
    if (!doc.entity[termsId]) {
      doc.entity[termsId] = {
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
      attributedTo(termsId, t.setBy);
    }
    doc.entity[provId.licence(l.id)] = {
      "prov:type": qn("pedigree:Licence"),
      "prov:label": `licence ${l.id} of dataset ${l.datasetId}`,
      "pedigree:dataset": qn(provId.dataset(l.datasetId)),
      "pedigree:terms": qn(termsId),
      "pedigree:licensee": qn(agent(l.licensee)),
      "pedigree:amount": int(l.amount),
      "pedigree:currency": l.currency,
      "pedigree:expiresAt": int(l.expiresAt.unix),
      ...txAttributes(l.tx),
    };
    relation("wasDerivedFrom", "wDF", {
      "prov:generatedEntity": provId.licence(l.id),
      "prov:usedEntity": termsId,
      "prov:type": qn("pedigree:GrantedUnderTerms"),
    });
    if (l.refund) {
      const refund = provId.refund(l.id);
      doc.activity[refund] = {
        "prov:type": qn("pedigree:Refund"),
        "prov:label": `refund of licence ${l.id} after consent to dataset ${l.datasetId} was revoked`,
        "pedigree:amount": int(l.refund.amount),
        "pedigree:currency": l.refund.currency,
        "prov:startTime": l.refund.tx.time,
        "prov:endTime": l.refund.tx.time,
        ...txAttributes(l.refund.tx),
      };
      associated(refund, l.refund.refundedBy);
      relation("wasInvalidatedBy", "wIB", { "prov:entity": provId.licence(l.id), "prov:activity": refund, "prov:time": l.refund.tx.time });
    }
  }

  // Training.
  if (d.training) {
    const t = d.training;
    const run = provId.trainingRun(t.id);
    doc.activity[run] = {
      "prov:type": qn("pedigree:TrainingRun"),
      "prov:label": `training run of model version ${t.id}`,
      ...(t.startedAt.time ? { "prov:startTime": t.startedAt.time } : {}),
      ...(t.endedAt.time ? { "prov:endTime": t.endedAt.time } : {}),
      "pedigree:codeHash": t.codeHash,
      "pedigree:hyperparametersHash": t.hyperparametersHash,
      "pedigree:timesDeclaredNotObserved": true,
      ...txAttributes(t.tx),
    };
    for (const u of t.uses) {
      relation("used", "u", { "prov:activity": run, "prov:entity": provId.datasetVersion(u.datasetVersionId), "pedigree:licence": qn(provId.licence(u.licenceId)) });
    }
    for (const licenceId of [...new Set(t.uses.map((u) => u.licenceId))]) {
      relation("used", "u", { "prov:activity": run, "prov:entity": provId.licence(licenceId), "prov:role": qn("pedigree:LicenceForTraining") });
    }
    if (d.version.parentId) {
      relation("used", "u", { "prov:activity": run, "prov:entity": provId.modelVersion(d.version.parentId), "prov:role": qn("pedigree:BaseModel") });
    }
    relation("wasGeneratedBy", "wGB", { "prov:entity": mv, "prov:activity": run, ...(d.version.tx.time ? { "prov:time": d.version.tx.time } : {}) });
    associated(run, d.version.publisher, "pedigree:MLTeam");
    for (const u of t.uses) {
      relation("wasDerivedFrom", "wDF", {
        "prov:generatedEntity": mv,
        "prov:usedEntity": provId.datasetVersion(u.datasetVersionId),
        "prov:activity": run,
        "prov:type": qn("pedigree:TrainedOn"),
      });
    }
  }

  // Attestations, revocations and the approval.
  for (const a of d.attestations) {
    const id = provId.attestation(a.id);
    const subject =
      a.subject.type === "DatasetVersion"
        ? provId.datasetVersion(a.subject.id)
        : a.subject.type === "ModelVersion"
          ? provId.modelVersion(a.subject.id)
          : a.subject.type === "TrainingRun"
            ? provId.trainingRun(a.subject.id)
            : a.subject.type === "Licence"
              ? provId.licence(a.subject.id)
              : provId.deployment(a.subject.id);
    doc.entity[id] = {
      "prov:type": qn("pedigree:Attestation"),
      "prov:label": `${a.kind.name} attestation ${a.id}`,
      "pedigree:kind": a.kind.name,
      "pedigree:kindId": a.kind.id,
      "pedigree:subject": qn(subject),
      "pedigree:evidenceHash": a.evidenceHash,
      "pedigree:evidenceURI": a.evidenceURI,
      "pedigree:expiresAt": int(a.expiresAt.unix),
      "pedigree:viaSignature": a.viaSignature,
      "pedigree:revoked": a.revoked,
      ...(a.roleRevocation ? { "pedigree:attesterHoldsRole": false } : {}),
      ...txAttributes(a.tx),
    };
    attributedTo(id, a.attester);
    if (a.viaSignature) {
      relation("actedOnBehalfOf", "aOBO", { "prov:delegate": agent(a.submitter), "prov:responsible": agent(a.attester), "prov:type": qn("pedigree:RelayedSignature") });
    }
    if (a.revocation) {
      const revocation = provId.revocation(a.id);
      doc.activity[revocation] = {
        "prov:type": qn("pedigree:Revocation"),
        "prov:label": `revocation of attestation ${a.id}`,
        "pedigree:reason": a.revocation.reason,
        ...(a.revocation.at.time ? { "prov:startTime": a.revocation.at.time, "prov:endTime": a.revocation.at.time } : {}),
        ...(a.revocation.tx ? txAttributes(a.revocation.tx) : {}),
      };
      associated(revocation, a.revocation.by);
      relation("wasInvalidatedBy", "wIB", { "prov:entity": id, "prov:activity": revocation, ...(a.revocation.at.time ? { "prov:time": a.revocation.at.time } : {}) });
    }
  }
  if (d.approval) {
    const approval = provId.approval(d.version.id);
    doc.activity[approval] = {
      "prov:type": qn("pedigree:ReleaseApproval"),
      "prov:label": `release approval of model version ${d.version.id}`,
      "prov:startTime": d.approval.tx.time,
      "prov:endTime": d.approval.tx.time,
      ...txAttributes(d.approval.tx),
    };
    associated(approval, d.approval.approvedBy, "pedigree:Approver");
    relation("used", "u", { "prov:activity": approval, "prov:entity": mv, "prov:role": qn("pedigree:ApprovedVersion") });
    for (const id of d.approval.attestationIds) {
      relation("used", "u", { "prov:activity": approval, "prov:entity": provId.attestation(id), "prov:role": qn("pedigree:Evidence") });
    }
  }

  // Deployments, rollbacks, decision batches.
  for (const dep of d.deployments) {
    const id = provId.deployment(dep.id);
    doc.activity[id] = {
      "prov:type": qn("pedigree:Deployment"),
      "prov:label": `deployment ${dep.id} of model version ${dep.versionId} to ${dep.environment}`,
      "prov:startTime": dep.tx.time,
      ...(dep.endedAt?.time ? { "prov:endTime": dep.endedAt.time } : {}),
      "pedigree:environment": dep.environment,
      "pedigree:live": dep.active,
      ...txAttributes(dep.tx),
    };
    relation("used", "u", { "prov:activity": id, "prov:entity": mv, "prov:time": dep.tx.time });
    associated(id, dep.deployer, "pedigree:Deployer");
  }
  for (const r of d.rollbacks) {
    const id = provId.rollback(r.id);
    doc.activity[id] = {
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
    associated(id, r.by);
  }
  for (const b of d.decisionBatches) {
    const id = provId.decisionBatch(b.root);
    doc.entity[id] = {
      "prov:type": qn("pedigree:DecisionBatch"),
      "prov:label": `${b.count} decisions of model version ${d.version.id}`,
      "pedigree:merkleRoot": b.root,
      "pedigree:count": int(b.count),
      "pedigree:modelVersion": qn(mv),
      "pedigree:uri": b.uri,
      ...(b.otherAnchors.length ? { "pedigree:alsoAnchoredBy": b.otherAnchors.map((o) => qn(provId.modelVersion(o.versionId))) } : {}),
      ...(b.windowStart.time ? { "pedigree:windowStart": dateTime(b.windowStart.time) } : {}),
      ...(b.windowEnd.time ? { "pedigree:windowEnd": dateTime(b.windowEnd.time) } : {}),
      ...txAttributes(b.tx),
    };
    attributedTo(id, b.operator);
  }

  // Competing claims: the other accounts' versions of the same content.
  for (const c of d.competingClaims) {
    const entityOf = c.kind === "model-weights" ? provId.modelVersion : provId.datasetVersion;
    for (const claim of c.claims) {
      if (claim.versionId === c.subjectVersionId) continue;
      const id = entityOf(claim.versionId);
      doc.entity[id] ??= {
        "prov:type": qn(c.kind === "model-weights" ? "pedigree:ModelVersion" : "pedigree:DatasetVersion"),
        "prov:label": `${c.kind === "model-weights" ? "model" : "dataset"} ${claim.assetId} version ${claim.number} (another claim of ${c.digest})`,
        [c.kind === "model-weights" ? "pedigree:weightsHash" : "pedigree:fingerprint"]: c.digest,
        "pedigree:claimant": claim.claimant,
        ...txAttributes(claim.tx),
      };
      attributedTo(id, claim.claimant);
      relation("alternateOf", "alt", { "prov:alternate1": entityOf(c.subjectVersionId), "prov:alternate2": id });
    }
  }
  return doc;
}

/** The PROV-JSON document as pretty-printed text. */
export function renderProvJson(d: VersionDossier): string {
  return `${JSON.stringify(toProvJson(d), null, 2)}\n`;
}
