/**
 * The bill of materials of a model version as SPDX 3.0.1 JSON-LD with the AI and Dataset profiles
 * (https://spdx.github.io/spdx-spec/v3.0.1/).
 *
 * Mapping, with spdxIds `urn:pedigree:<deployment>:<kind>:<on-chain id>` (deterministic, one namespace per subgraph):
 * - `ai_AIPackage`: the model version (the document's root) and its fine-tune ancestors — weights URI as download
 *   location, version number, publication time as release time, the owner that claims the weights as supplier, the
 *   training run's declared facts as `ai_informationAboutTraining`.
 * - `dataset_DatasetPackage`: each dataset version of the training data and of its derivation ancestry — data URI,
 *   dataset creator as originator, claimant as supplier; the chain says nothing of the data's type (`noAssertion`), and
 *   has no build time, so `builtTime` is absent.
 * - digests as `verifiedUsing` hashes of algorithm `other`, each with what it is (see bom-common.ts).
 * - relationships: model version `trainedOn` its training data; a parent `ancestorOf` what was derived from it (dataset
 *   derivation and fine-tune); every package `hasDeclaredLicense` and `hasConcludedLicense`: the terms a dataset version
 *   was licensed under for training (the registry checked that licence when the version was published), else
 *   `NoAssertionLicense` — the chain records no licence for models, nor the terms of data further up the derivation.
 * - licences: Pedigree terms are custom terms with a document URI and hash, so each is an
 *   `expandedlicensing_CustomLicense` (its text is not on chain: the licence text says so and points at the document),
 *   unless the document is `spdx:<id>` of a listed licence (the CLI's `--licence-uri` convention), then a
 *   `simplelicensing_LicenseExpression` of that id. Either carries the terms' flags and price as a comment.
 * - attestations and the release approval: `Annotation`s (review) on their subject, each with its own CreationInfo
 *   created by the attester (or approver) at its transaction's time.
 * One block gives one byte-identical document: the creation time is the dossier's block time.
 */
import { REGION_CODES, describeRegionCodes } from "../core/regions.ts";
import {
  DIGEST_MEANING,
  absoluteUri,
  attestationStatus,
  bomTime,
  isSetHash,
  licencesByDatasetVersion,
  listedLicenceId,
  trainingDatasetVersionIds,
} from "./bom-common.ts";
import type { AttestationRecord, DatasetVersionRecord, LicenceTermsRecord, ModelVersionRecord, ParentVersionRecord, VersionDossier } from "./types.ts";

export const SPDX_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";

export type SpdxJson = string | number | boolean | SpdxJson[] | { [key: string]: SpdxJson };

/** One node of the JSON-LD graph (an Element, a CreationInfo, a Hash, …). */
export interface SpdxNode {
  type: string;
  [property: string]: SpdxJson;
}

export interface SpdxDocumentJson {
  "@context": typeof SPDX_CONTEXT;
  "@graph": SpdxNode[];
}

const CREATION = "_:creationinfo";
const NO_ASSERTION_LICENCE = "expandedlicensing_NoAssertionLicense";
const TOOL = "urn:pedigree:tool:pedigree-report";

/** The spdxIds of a deployment's things. */
export function spdxIds(deployment: string) {
  const base = `urn:pedigree:${encodeURIComponent(deployment)}`;
  const id = (kind: string) => (value: string | number) => `${base}:${kind}:${encodeURIComponent(String(value))}`;
  return {
    modelVersion: id("model-version"),
    datasetVersion: id("dataset-version"),
    licenceTerms: id("licence-terms"),
    account: id("account"),
    attestation: id("attestation"),
    approval: id("approval"),
    document: (versionId: string, block: number) => `${base}:spdx-document:model-version:${encodeURIComponent(versionId)}:block:${block}`,
  };
}

type Ids = ReturnType<typeof spdxIds>;

/** The graph under construction: nodes in order, agents once each. */
class Graph {
  readonly nodes: SpdxNode[] = [];
  private readonly agents = new Set<string>();
  constructor(readonly ids: Ids) {}

  add(node: SpdxNode): string {
    this.nodes.push(node);
    return String(node.spdxId ?? node["@id"]);
  }

  /** The Agent of an Ethereum account (the chain does not say who is behind it). */
  agent(address: string): string {
    const spdxId = this.ids.account(address);
    if (!this.agents.has(spdxId)) {
      this.agents.add(spdxId);
      this.add({ type: "Agent", spdxId, creationInfo: CREATION, name: address, description: "An Ethereum account." });
    }
    return spdxId;
  }

  relationship(from: string, relationshipType: string, to: string[], extra: Record<string, SpdxJson> = {}): void {
    if (to.length) this.add({ type: "Relationship", spdxId: `${from}:${relationshipType}`, creationInfo: CREATION, from, relationshipType, to, ...extra });
  }
}

/** Hashes of algorithm `other` (none of them is a hash SPDX names), leaving out those stored as zero. */
function hashes(entries: [string, string][]): { verifiedUsing?: SpdxJson[] } {
  const list = entries
    .filter(([, hash]) => isSetHash(hash))
    .map(([comment, hash]) => ({ type: "Hash", algorithm: "other", hashValue: hash.replace(/^0x/, ""), comment }));
  return list.length ? { verifiedUsing: list } : {};
}

/** The download location, when the registered URI is one (otherwise the text is in the comment only). */
function download(uri: string): Record<string, SpdxJson> {
  const location = absoluteUri(uri);
  return location ? { software_downloadLocation: location } : {};
}

/** The registered URI as text, for the comment, when it cannot stand as a URI. */
function uriText(uri: string): string {
  return absoluteUri(uri) ? "" : ` Registered URI (kept as text, not a URI): ${JSON.stringify(uri)}.`;
}

function time(iso: string | null | undefined, key: string): Record<string, SpdxJson> {
  const value = bomTime(iso);
  return value ? { [key]: value } : {};
}

function trainingInformation(d: VersionDossier): string | null {
  const t = d.training;
  if (!t) return null;
  const uses = t.uses.map((u) => `dataset version ${u.datasetVersionId} under licence ${u.licenceId}`).join("; ") || "no dataset";
  const hash = (label: string, value: string) => (isSetHash(value) ? ` ${label} hash ${value}.` : "");
  const window = `${t.startedAt.time ?? "unset"} to ${t.endedAt.time ?? "unset"}`;
  const where = `Computed in ${t.region}${t.computeProvider ? ` by ${t.computeProvider}` : ""} (declared).`;
  return `Trained on ${uses}.${hash("Code", t.codeHash)}${hash("Hyperparameters", t.hyperparametersHash)} Training window declared by the publisher (not observed by the chain): ${window}. ${where}`;
}

/** The licences' territories as a limitation of use (absent when they leave the whole world). */
function territoryLimitation(d: VersionDossier): Record<string, SpdxJson> {
  const { training, deployment } = d.jurisdictions.territory;
  if (training.length === REGION_CODES.length && deployment.length === REGION_CODES.length) return {};
  return { ai_limitation: `The licences of its training data allow training in ${describeRegionCodes(training)} and deployment in ${describeRegionCodes(deployment)} only.` };
}

/** A model version (the subject or a fine-tune ancestor) as an AI package. */
function aiPackage(g: Graph, v: ModelVersionRecord, description: string, training: string | null, extra: Record<string, SpdxJson> = {}): string {
  const revoked = v.approvalRevoked ? " (an attestation the approval rested on was revoked since)" : "";
  return g.add({
    type: "ai_AIPackage",
    spdxId: g.ids.modelVersion(v.id),
    creationInfo: CREATION,
    name: `model ${v.modelId} version ${v.number}`,
    description,
    ...hashes([[DIGEST_MEANING.weightsHash, v.weightsHash], [DIGEST_MEANING.manifestRoot, v.manifestRoot]]),
    suppliedBy: g.agent(v.claimant),
    ...time(v.tx.time, "releaseTime"),
    ...download(v.uri),
    software_packageVersion: String(v.number),
    software_primaryPurpose: "model",
    ...(training ? { ai_informationAboutTraining: training } : {}),
    comment: `Published by ${v.publisher} in transaction ${v.tx.txHash} (block ${v.tx.block}). Approved: ${v.approved}${revoked}.${uriText(v.uri)}`,
    ...extra,
  });
}

function modelPackages(g: Graph, d: VersionDossier): void {
  const v = d.version;
  const modelUri = absoluteUri(d.model.uri);
  const metadata = { type: "ExternalRef", externalRefType: "documentation", locator: [modelUri ?? ""], comment: "the model's metadata" };
  const about = `Version ${v.number} of model ${v.modelId} (model version id ${v.id}), as registered on chain.`;
  aiPackage(g, v, about, trainingInformation(d), { ...territoryLimitation(d), ...(modelUri ? { externalRef: [metadata] } : {}) });
  for (const p of d.parents) {
    const trainedOn = p.training?.datasetVersionIds.join(", ");
    const ancestor = `Version ${p.number} of model ${p.modelId} (model version id ${p.id}): fine-tune ancestor at depth ${p.depth}.`;
    aiPackage(g, p, ancestor, trainedOn ? `Trained on dataset versions ${trainedOn}.` : null);
  }
}

function datasetComment(v: DatasetVersionRecord, d: VersionDossier): string {
  const dataset = d.datasets.find((x) => x.id === v.datasetId);
  const parents = v.parentIds.map((id, i) => `${id} (${v.parentLicenceIds[i] ? `under licence ${v.parentLicenceIds[i]}` : "the owner's own data"})`);
  const transformation = isSetHash(v.transformationHash) ? ` by the transformation with hash ${v.transformationHash}` : "";
  return [
    `Published by ${v.publisher} in transaction ${v.tx.txHash} (block ${v.tx.block}).${uriText(v.uri)}`,
    parents.length ? `Derived from dataset versions ${parents.join(", ")}${transformation}.` : "",
    isSetHash(v.metadataHash) ? `Metadata hash ${v.metadataHash}.` : "",
    dataset?.withdrawal ? `Dataset withdrawn: ${dataset.withdrawal.reason}.` : "",
    dataset?.consentRevocation ? `Consent revoked: ${dataset.consentRevocation.reason}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

function datasetPackage(g: Graph, v: DatasetVersionRecord, d: VersionDossier): string {
  const creator = d.datasets.find((x) => x.id === v.datasetId)?.creator ?? v.claimant;
  const role = v.usedInTraining ? `training data of model version ${d.version.id}` : `derivation ancestor (depth ${v.derivationDepth}) of its training data`;
  return g.add({
    type: "dataset_DatasetPackage",
    spdxId: g.ids.datasetVersion(v.id),
    creationInfo: CREATION,
    name: `dataset ${v.datasetId} version ${v.number}`,
    description: `Version ${v.number} of dataset ${v.datasetId} (dataset version id ${v.id}): ${role}.`,
    ...hashes([[DIGEST_MEANING.fingerprint, v.fingerprint], [DIGEST_MEANING.manifestRoot, v.manifestRoot]]),
    originatedBy: [g.agent(creator)],
    suppliedBy: g.agent(v.claimant),
    ...time(v.tx.time, "releaseTime"),
    ...download(v.uri),
    software_packageVersion: String(v.number),
    software_primaryPurpose: "data",
    dataset_datasetType: ["noAssertion"],
    comment: datasetComment(v, d),
  });
}

function termsComment(t: LicenceTermsRecord): string {
  const duration = t.duration === "0" ? "perpetual" : `${t.duration} seconds`;
  const splits = t.splits.map((s) => `${s.recipient} ${s.bps} bps`).join(", ");
  const allowed = (yes: boolean) => (yes ? "allowed" : "not allowed");
  const terms = `commercial use ${allowed(t.commercialUse)}, derivatives ${allowed(t.derivativesAllowed)}, price ${t.price} (currency ${t.currency}), ${duration}`;
  return `Pedigree licence terms ${t.id} of dataset ${t.datasetId}, set by ${t.setBy}: ${terms}${splits ? `, royalties ${splits}` : ""}. Document: ${t.documentURI}.`;
}

/** Licence terms as a licence element: a listed SPDX licence expression, or a custom licence. */
function licenceElement(g: Graph, t: LicenceTermsRecord): string {
  const common = { spdxId: g.ids.licenceTerms(t.id), creationInfo: CREATION, comment: termsComment(t), ...hashes([[DIGEST_MEANING.declared, t.documentHash]]) };
  const listed = listedLicenceId(t.documentURI);
  if (listed) return g.add({ type: "simplelicensing_LicenseExpression", ...common, simplelicensing_licenseExpression: listed });
  const hash = isSetHash(t.documentHash) ? ` with hash ${t.documentHash}` : "";
  return g.add({
    type: "expandedlicensing_CustomLicense",
    ...common,
    name: `Pedigree licence terms ${t.id} of dataset ${t.datasetId}`,
    simplelicensing_licenseText: `The text of these terms is not recorded on chain: it is the document at ${JSON.stringify(t.documentURI)}${hash}.`,
    ...(absoluteUri(t.documentURI) ? { expandedlicensing_seeAlso: [t.documentURI] } : {}),
  });
}

/** Each package's declared and concluded licence: the training licences' terms, or NoAssertion. */
function licenceRelationships(g: Graph, d: VersionDossier): void {
  const byVersion = licencesByDatasetVersion(d);
  const terms = new Map<string, string>();
  for (const licences of byVersion.values()) {
    for (const l of licences) if (!terms.has(l.terms.id)) terms.set(l.terms.id, licenceElement(g, l.terms));
  }
  const packages: [string, string[]][] = [
    ...[d.version, ...d.parents].map((v): [string, string[]] => [g.ids.modelVersion(v.id), []]),
    ...d.datasetVersions.map((v): [string, string[]] => [g.ids.datasetVersion(v.id), [...new Set((byVersion.get(v.id) ?? []).map((l) => terms.get(l.terms.id)!))]]),
  ];
  for (const [from, to] of packages) {
    const licences = to.length ? to : [NO_ASSERTION_LICENCE];
    g.relationship(from, "hasDeclaredLicense", licences);
    g.relationship(from, "hasConcludedLicense", licences);
  }
}

/** trainedOn: complete for the subject; for an ancestor, the versions in this document (the others named). */
function trainingRelationships(g: Graph, d: VersionDossier): void {
  const present = new Set(d.datasetVersions.map((v) => v.id));
  g.relationship(g.ids.modelVersion(d.version.id), "trainedOn", trainingDatasetVersionIds(d).map(g.ids.datasetVersion));
  for (const p of d.parents) {
    const all = p.training?.datasetVersionIds ?? [];
    const missing = all.filter((id) => !present.has(id));
    const note = `Also dataset versions ${missing.join(", ")}, in the BOM of model version ${p.id}.`;
    const extra: Record<string, SpdxJson> = missing.length ? { completeness: "incomplete", comment: note } : {};
    g.relationship(g.ids.modelVersion(p.id), "trainedOn", all.filter((id) => present.has(id)).map(g.ids.datasetVersion), extra);
  }
}

/** ancestorOf: each fine-tune parent and each derivation parent, to what was made from it. */
function ancestryRelationships(g: Graph, d: VersionDossier): void {
  const models = new Set(d.parents.map((p) => p.id));
  const data = new Set(d.datasetVersions.map((v) => v.id));
  const edges: [string, string][] = [
    ...[d.version, ...d.parents].filter((v) => v.parentId !== null && models.has(v.parentId)).map((v): [string, string] => [g.ids.modelVersion(v.parentId!), g.ids.modelVersion(v.id)]),
    ...d.datasetVersions.flatMap((v) => v.parentIds.filter((id) => data.has(id)).map((id): [string, string] => [g.ids.datasetVersion(id), g.ids.datasetVersion(v.id)])),
  ];
  const children = new Map<string, string[]>();
  for (const [parent, child] of edges) children.set(parent, [...(children.get(parent) ?? []), child]);
  for (const [parent, kids] of children) g.relationship(parent, "ancestorOf", kids);
}

/** The element an attestation is about, when it is in this document. */
function attestationSubject(g: Graph, a: AttestationRecord, d: VersionDossier): string | null {
  const { type, id } = a.subject;
  if (type === "ModelVersion" || type === "TrainingRun") return id === d.version.id || d.parents.some((p) => p.id === id) ? g.ids.modelVersion(id) : null;
  if (type === "DatasetVersion") return d.datasetVersions.some((v) => v.id === id) ? g.ids.datasetVersion(id) : null;
  if (type === "Licence") {
    const licence = d.licences.find((l) => l.id === id);
    return licence ? g.ids.licenceTerms(licence.terms.id) : null;
  }
  return null;
}

interface Review {
  spdxId: string;
  /** Blank node of its CreationInfo. */
  creation: string;
  author: string;
  /** When it was written on chain (ISO time). */
  at: string | null;
  subject: string;
  statement: string;
}

/** A review annotation, with its own CreationInfo: made by its author at its transaction's time. */
function annotation(g: Graph, r: Review): void {
  g.add({ type: "CreationInfo", "@id": r.creation, specVersion: "3.0.1", created: bomTime(r.at) ?? "1970-01-01T00:00:00Z", createdBy: [g.agent(r.author)] });
  g.add({ type: "Annotation", spdxId: r.spdxId, creationInfo: r.creation, annotationType: "review", subject: r.subject, statement: r.statement });
}

function attestationAnnotations(g: Graph, d: VersionDossier): void {
  for (const a of d.attestations) {
    const subject = attestationSubject(g, a, d);
    if (!subject) continue;
    const evidence = `evidence ${a.evidenceURI}${isSetHash(a.evidenceHash) ? ` with hash ${a.evidenceHash}` : ""}`;
    const expiry = a.expiresAt.time ? `; expires ${a.expiresAt.time}` : "";
    const state = `${attestationStatus(a)}${expiry}${a.inApproval ? "; listed in the release approval" : ""}`;
    const statement = `${a.kind.name} attestation ${a.id} on ${a.subject.type} ${a.subject.id} by ${a.attester}: ${evidence}; ${state}. Transaction ${a.tx.txHash}.`;
    annotation(g, { spdxId: g.ids.attestation(a.id), creation: `_:attestation-${encodeURIComponent(a.id)}`, author: a.attester, at: a.tx.time, subject, statement });
  }
  const approval = d.approval;
  if (approval) {
    const holds = d.version.approvalRevoked ? "no longer holds: an attestation it rested on was revoked" : "holds";
    const statement = `Release approved by ${approval.approvedBy} on attestations ${approval.attestationIds.join(", ")} in transaction ${approval.tx.txHash}; the approval ${holds}.`;
    annotation(g, { spdxId: g.ids.approval(d.version.id), creation: "_:approval", author: approval.approvedBy, at: approval.tx.time, subject: g.ids.modelVersion(d.version.id), statement });
  }
}

function creationInfo(d: VersionDossier): SpdxNode {
  const created = bomTime(d.generatedAt.block.time) ?? bomTime(d.version.tx.time) ?? "1970-01-01T00:00:00Z";
  const comment = `The facts as of block ${d.generatedAt.block.number} of the chain indexed by subgraph deployment ${d.generatedAt.deployment}.`;
  return { type: "CreationInfo", "@id": CREATION, specVersion: "3.0.1", created, createdBy: [TOOL], comment };
}

/** Builds the SPDX 3.0.1 JSON-LD document of the dossier's model version. */
export function toSpdx(d: VersionDossier): SpdxDocumentJson {
  const g = new Graph(spdxIds(d.generatedAt.deployment));
  g.add(creationInfo(d));
  g.add({ type: "SoftwareAgent", spdxId: TOOL, creationInfo: CREATION, name: "pedigree report" });
  modelPackages(g, d);
  for (const v of d.datasetVersions) datasetPackage(g, v, d);
  trainingRelationships(g, d);
  ancestryRelationships(g, d);
  licenceRelationships(g, d);
  attestationAnnotations(g, d);
  const root = g.ids.modelVersion(d.version.id);
  const elements = g.nodes.filter((n) => typeof n.spdxId === "string" && n.spdxId !== root).map((n) => n.spdxId as string);
  const document: SpdxNode = {
    type: "SpdxDocument",
    spdxId: g.ids.document(d.version.id, d.generatedAt.block.number),
    creationInfo: CREATION,
    name: `Pedigree bill of materials of model version ${d.version.id} at block ${d.generatedAt.block.number}`,
    profileConformance: ["core", "software", "ai", "dataset", "simpleLicensing", "expandedLicensing"],
    rootElement: [root],
    element: [root, ...elements],
  };
  return { "@context": SPDX_CONTEXT, "@graph": [g.nodes[0]!, document, ...g.nodes.slice(1)] };
}

/** The SPDX document as pretty-printed JSON-LD text. */
export function renderSpdx(d: VersionDossier): string {
  return `${JSON.stringify(toSpdx(d), null, 2)}\n`;
}
