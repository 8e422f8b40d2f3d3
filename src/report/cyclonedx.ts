/**
 * The bill of materials of a model version as a CycloneDX 1.6 ML-BOM (JSON): https://cyclonedx.org/docs/1.6/json/
 *
 * Mapping, with bom-refs `urn:pedigree:<kind>:<on-chain id>` (so two BOMs of one deployment name things alike):
 * - metadata.component: the model version, a `machine-learning-model` whose model card lists its training data
 *   (`modelParameters.datasets`) and, as card properties, the release policy, every attestation on the version or its
 *   training run (kind, attester, evidence URI and hash, state) and the approval. The chain holds no metric value,
 *   intended use or limitation of the model, so `quantitativeAnalysis` and `considerations` are left out rather than
 *   filled with attestations that are not metrics; evidence URIs are also `evidence` external references.
 * - components: the fine-tune ancestors (`machine-learning-model`); the dataset versions of the training data and their
 *   derivation ancestors (`data`, with a `dataset` entry: its URI and governance — the dataset's owner, and the account
 *   that published the version as custodian), with the licences training used them under (declared; licensor,
 *   licensee, payer, term; the terms' flags and document as properties). Terms whose document is `spdx:<id>` (the
 *   CLI's `--licence-uri spdx:CC-BY-4.0`) of a listed licence carry that SPDX id; other terms are named licences.
 * - dependencies: model version → its training data and its fine-tune parent; dataset version → its derivation parents.
 * - digests are properties, never `hashes`: none is a file hash of a CycloneDX algorithm (see bom-common.ts).
 * - serialNumber: a name-based UUID (v5) of the subgraph deployment, block number and version; timestamp: the block's
 *   time. What depends on how the dossier was read (subgraph URL, request count, block asked for or head, the block
 *   hash, which a read at a past block lacks) is left out: one block gives one byte-identical BOM.
 * Chain text is only ever a JSON string; it stands in a `url` only when it is an absolute URI.
 *
 * Built as plain JSON: @cyclonedx/cyclonedx-library 10 has no model for `modelCard` nor for a component's `data`; its
 * enums and SPDX licence list are used here, and its JSON validator checks the output in the tests.
 */
import { describeRegionCodes } from "../core/regions.ts";
import { sha1 } from "@noble/hashes/legacy";
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "@noble/hashes/utils";
import { ComponentType, ExternalReferenceType } from "@cyclonedx/cyclonedx-library/Enums";
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
import type {
  AttestationRecord,
  DatasetRecord,
  DatasetVersionRecord,
  LicenceRecord,
  ModelVersionRecord,
  ParentVersionRecord,
  SystemVersionRecord,
  VersionDossier,
} from "./types.ts";

export interface CdxProperty {
  name: string;
  value: string;
}

export interface CdxParty {
  organization: { name: string };
}

export interface CdxExternalReference {
  type: ExternalReferenceType;
  url: string;
  comment?: string;
}

export interface CdxLicence {
  license: {
    id?: string;
    name?: string;
    acknowledgement: "declared";
    url?: string;
    licensing: {
      licensor: CdxParty;
      licensee: CdxParty;
      purchaser: CdxParty;
      licenseTypes: ("perpetual" | "subscription")[];
      lastRenewal?: string;
      expiration?: string;
    };
    properties: CdxProperty[];
  };
}

export interface CdxModelCard {
  modelParameters?: { datasets: { ref: string }[] };
  properties: CdxProperty[];
}

export interface CdxData {
  type: "dataset";
  name: string;
  contents?: { url: string };
  governance: { owners: CdxParty[]; custodians: CdxParty[] };
}

export interface CdxComponent {
  type: ComponentType;
  "bom-ref": string;
  name: string;
  version: string;
  publisher: string;
  description: string;
  licenses?: CdxLicence[];
  externalReferences?: CdxExternalReference[];
  modelCard?: CdxModelCard;
  data?: CdxData[];
  properties: CdxProperty[];
}

export interface CdxDependency {
  ref: string;
  dependsOn: string[];
}

export interface CycloneDxBom {
  $schema: string;
  bomFormat: "CycloneDX";
  specVersion: "1.6";
  serialNumber: string;
  version: 1;
  metadata: {
    timestamp?: string;
    tools: { components: { type: ComponentType; name: string; description: string }[] };
    component: CdxComponent;
    properties: CdxProperty[];
  };
  components: CdxComponent[];
  dependencies: CdxDependency[];
}

/** The bom-refs: stable URNs of on-chain ids. */
export const cdxRef = {
  modelVersion: (id: string) => `urn:pedigree:model-version:${encodeURIComponent(id)}`,
  datasetVersion: (id: string) => `urn:pedigree:dataset-version:${encodeURIComponent(id)}`,
};

type Value = string | number | boolean | null | undefined;

/** `pedigree:`-named properties, leaving out absent values. */
function properties(entries: [string, Value][]): CdxProperty[] {
  return entries
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== null && entry[1] !== undefined)
    .map(([name, value]) => ({ name: `pedigree:${name}`, value: String(value) }));
}

/** Digests as properties, leaving out those the chain stores as zero ("not given"). */
function digests(entries: [string, string][]): [string, Value][] {
  return entries.filter(([, hash]) => isSetHash(hash));
}

function party(address: string): CdxParty {
  return { organization: { name: address } };
}

/** External references of chain URIs that are absolute URIs (others stay in the text properties). */
function references(entries: [ExternalReferenceType, string, string][]): CdxExternalReference[] | undefined {
  const list = entries.flatMap(([type, text, comment]) => {
    const url = absoluteUri(text);
    return url ? [{ type, url, comment }] : [];
  });
  return list.length ? list : undefined;
}

/** The URL namespace of RFC 9562 name-based UUIDs. */
const URL_NAMESPACE = hexToBytes("6ba7b8119dad11d180b400c04fd430c8");

/** RFC 9562 name-based UUID (version 5, SHA-1) of `name` in the URL namespace (browser-safe: the explorer exports BOMs). */
function uuidV5(name: string): string {
  const bytes = sha1(concatBytes(URL_NAMESPACE, utf8ToBytes(name))).subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytesToHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The serial number: the same for the same deployment, block and version, different otherwise. */
export function cdxSerialNumber(d: VersionDossier): string {
  const { deployment, block } = d.generatedAt;
  return `urn:uuid:${uuidV5(`urn:pedigree:${deployment}:block:${block.number}:model-version:${d.version.id}`)}`;
}

function versionProperties(v: ModelVersionRecord): [string, Value][] {
  return [
    ["model-version-id", v.id],
    ["model-id", v.modelId],
    ...digests([["weights-hash", v.weightsHash], ["manifest-root", v.manifestRoot], ["config-hash", v.configHash]]),
    ["uri", v.uri],
    ["claimant", v.claimant],
    ["publisher", v.publisher],
    ["fine-tuned-from", v.parentId],
    ["data-declared", v.dataDeclared],
    ["commercial-data", v.commercialData],
    ["approved", v.approved],
    ["approval-revoked", v.approvalRevoked || null],
    ["transaction", v.tx.txHash],
    ["block", v.tx.block],
  ];
}

function modelAndTrainingProperties(d: VersionDossier): [string, Value][] {
  const { model: m, training: t } = d;
  const uses = t?.uses.map((u) => `dataset version ${u.datasetVersionId} (dataset ${u.datasetId}) under licence ${u.licenceId}`) ?? [];
  return [
    ["model:owner", m.owner],
    ["model:creator", m.creator],
    ["model:commercial", m.commercial],
    ["model:uri", m.uri],
    ...digests([["model:metadata-hash", m.metadataHash]]),
    ...(t ? digests([["training:code-hash", t.codeHash], ["training:hyperparameters-hash", t.hyperparametersHash]]) : []),
    ["training:started-declared", t?.startedAt.time],
    ["training:ended-declared", t?.endedAt.time],
    ["training:region", t?.region],
    ["training:compute-provider", t?.computeProvider],
    ...uses.map((use): [string, Value] => ["training:use", use]),
    ...jurisdictionProperties(d),
  ];
}

/** Where the licences let the model train and serve, where it served and decided, and records outside (section 11). */
function jurisdictionProperties(d: VersionDossier): [string, Value][] {
  const j = d.jurisdictions;
  return [
    ["territory:training", describeRegionCodes(j.territory.training)],
    ["territory:deployment", describeRegionCodes(j.territory.deployment)],
    ...d.deployments.map((dep): [string, Value] => [`deployment:${dep.id}:regions`, `${describeRegionCodes(dep.regions)} (${dep.environment})`]),
    ...d.decisionBatches.map((b): [string, Value] => [`decisions:${b.root}:regions`, describeRegionCodes(b.regions)]),
    ...j.conflicts.map((c): [string, Value] => ["territory:conflict", c.message]),
    ...d.systems.flatMap(systemProperties),
  ];
}

/** A system version running the model version: its configuration digests, retrieval data and release gate. */
function systemProperties(s: SystemVersionRecord): [string, Value][] {
  const key = `system:${s.id}`;
  return [
    [`${key}:parent`, s.parentId],
    ...digests([[`${key}:prompt-hash`, s.promptHash], [`${key}:retrieval-index`, s.retrievalIndex], [`${key}:policy-hash`, s.policyHash], [`${key}:tools-hash`, s.toolsHash]]),
    ...s.retrieval.map((r): [string, Value] => [`${key}:retrieval-data`, `dataset version ${r.datasetVersionId} (dataset ${r.datasetId}) under licence ${r.licenceId}`]),
    [`${key}:approved`, s.approved],
    [`${key}:approval-revoked`, s.approvalRevoked || null],
    [`${key}:transaction`, s.tx.txHash],
  ];
}

function attestationProperties(a: AttestationRecord): [string, Value][] {
  const key = `attestation:${a.id}`;
  return [
    [`${key}:kind`, a.kind.name],
    [`${key}:subject`, `${a.subject.type} ${a.subject.id}`],
    [`${key}:attester`, a.attester],
    [`${key}:evidence-uri`, a.evidenceURI],
    ...digests([[`${key}:evidence-hash`, a.evidenceHash]]),
    [`${key}:status`, attestationStatus(a)],
    [`${key}:expires`, a.expiresAt.time],
    [`${key}:in-approval`, a.inApproval],
    [`${key}:transaction`, a.tx.txHash],
  ];
}

function attestationsOn(d: VersionDossier, type: AttestationRecord["subject"]["type"], id: string): AttestationRecord[] {
  return d.attestations.filter((a) => a.subject.type === type && a.subject.id === id);
}

/** Attestations on the model version itself and on its training run. */
/** Attestations on the model version itself, its training run, and the system versions it runs as. */
function versionAttestations(d: VersionDossier): AttestationRecord[] {
  return [
    ...attestationsOn(d, "ModelVersion", d.version.id),
    ...attestationsOn(d, "TrainingRun", d.version.id),
    ...d.systems.flatMap((s) => attestationsOn(d, "SystemVersion", s.id)),
  ];
}

function approvalProperties(d: VersionDossier): [string, Value][] {
  const a = d.approval;
  return [
    ["release-policy:required-kinds", d.model.requiredKinds.map((k) => k.name).join(", ") || null],
    ["release-policy:requires-declared-data", d.model.requiresDeclaredData],
    ["approval:approved-by", a?.approvedBy],
    ["approval:attestations", a?.attestationIds.join(", ")],
    ["approval:transaction", a?.tx.txHash],
    ["approval:revoked", a ? d.version.approvalRevoked : null],
  ];
}

function modelCard(d: VersionDossier): CdxModelCard {
  const datasets = trainingDatasetVersionIds(d).map((id) => ({ ref: cdxRef.datasetVersion(id) }));
  return {
    ...(datasets.length ? { modelParameters: { datasets } } : {}),
    properties: properties([...approvalProperties(d), ...versionAttestations(d).flatMap(attestationProperties)]),
  };
}

function evidenceReferences(attestations: AttestationRecord[]): [ExternalReferenceType, string, string][] {
  return attestations.map((a) => [ExternalReferenceType.Evidence, a.evidenceURI, `${a.kind.name} attestation ${a.id} by ${a.attester} (${attestationStatus(a)})`]);
}

/** The model version: the BOM's subject. */
function modelVersionComponent(d: VersionDossier): CdxComponent {
  const v = d.version;
  return {
    type: ComponentType.MachineLearningModel,
    "bom-ref": cdxRef.modelVersion(v.id),
    name: `model ${v.modelId}`,
    version: String(v.number),
    publisher: v.publisher,
    description: `Version ${v.number} of model ${v.modelId} (model version id ${v.id}), as registered on chain.`,
    externalReferences: references([
      [ExternalReferenceType.Distribution, v.uri, "the weights"],
      [ExternalReferenceType.Documentation, d.model.uri, "the model's metadata"],
      ...evidenceReferences(versionAttestations(d)),
    ]),
    modelCard: modelCard(d),
    properties: properties([...versionProperties(v), ...modelAndTrainingProperties(d)]),
  };
}

/** A fine-tune ancestor; its training data is named by id (in its own BOM), and referenced when in this one. */
function parentComponent(p: ParentVersionRecord, present: Set<string>): CdxComponent {
  const trainedOn = p.training?.datasetVersionIds ?? [];
  const datasets = trainedOn.filter((id) => present.has(id)).map((id) => ({ ref: cdxRef.datasetVersion(id) }));
  return {
    type: ComponentType.MachineLearningModel,
    "bom-ref": cdxRef.modelVersion(p.id),
    name: `model ${p.modelId}`,
    version: String(p.number),
    publisher: p.publisher,
    description: `Version ${p.number} of model ${p.modelId} (model version id ${p.id}): fine-tune ancestor at depth ${p.depth}.`,
    externalReferences: references([[ExternalReferenceType.Distribution, p.uri, "the weights"]]),
    modelCard: {
      ...(datasets.length ? { modelParameters: { datasets } } : {}),
      properties: properties([["training:dataset-version-ids", trainedOn.join(", ") || null]]),
    },
    properties: properties([...versionProperties(p), ["fine-tune-depth", p.depth]]),
  };
}

function licensing(l: LicenceRecord): CdxLicence["license"]["licensing"] {
  const lastRenewal = bomTime(l.tx.time);
  const expiration = bomTime(l.expiresAt.time);
  return {
    licensor: party(l.terms.setBy),
    licensee: party(l.licensee),
    purchaser: party(l.payer),
    licenseTypes: [l.terms.duration === "0" ? "perpetual" : "subscription"],
    ...(lastRenewal ? { lastRenewal } : {}),
    ...(expiration ? { expiration } : {}),
  };
}

function licenceProperties(l: LicenceRecord): [string, Value][] {
  const t = l.terms;
  return [
    ["licence-id", l.id],
    ["terms-id", t.id],
    ["commercial-use", t.commercialUse],
    ["derivatives-allowed", t.derivativesAllowed],
    ["document-uri", t.documentURI],
    ...digests([["document-hash", t.documentHash]]),
    ["training-territories", t.trainingTerritories],
    ["deployment-territories", t.deploymentTerritories],
    ["price", `${t.price} (currency ${t.currency})`],
    ["duration-seconds", t.duration],
    ["amount-paid", `${l.amount} (currency ${l.currency})`],
    ["royalty-splits", t.splits.map((s) => `${s.recipient}:${s.bps}`).join(", ") || null],
    ["expired-at-report-block", l.expiredAtReportBlock],
    ["refunded", l.refund ? `${l.refund.amount} (currency ${l.refund.currency}) by ${l.refund.refundedBy} in ${l.refund.tx.txHash}` : null],
    ["transaction", l.tx.txHash],
  ];
}

/** A licence training used a dataset version under, as a declared CycloneDX licence. */
function licence(l: LicenceRecord): CdxLicence {
  const listed = listedLicenceId(l.terms.documentURI);
  const url = listed ? null : absoluteUri(l.terms.documentURI);
  return {
    license: {
      ...(listed ? { id: listed } : { name: `Pedigree licence terms ${l.terms.id} of dataset ${l.terms.datasetId}` }),
      acknowledgement: "declared",
      ...(url ? { url } : {}),
      licensing: licensing(l),
      properties: properties(licenceProperties(l)),
    },
  };
}

function datasetProperties(v: DatasetVersionRecord, dataset: DatasetRecord | undefined, d: VersionDossier): [string, Value][] {
  return [
    ["dataset-version-id", v.id],
    ["dataset-id", v.datasetId],
    ...digests([["fingerprint", v.fingerprint], ["manifest-root", v.manifestRoot], ["metadata-hash", v.metadataHash], ["transformation-hash", v.transformationHash]]),
    ["uri", v.uri],
    ["claimant", v.claimant],
    ...v.parentIds.map((id, i): [string, Value] => [`derived-from:${id}`, v.parentLicenceIds[i] ? `under licence ${v.parentLicenceIds[i]}` : "the owner's own data"]),
    ["dataset:withdrawn", dataset?.withdrawn],
    ["dataset:withdrawal-reason", dataset?.withdrawal?.reason],
    ["dataset:consent-revoked", dataset?.consentRevocation ? dataset.consentRevocation.reason : null],
    ["transaction", v.tx.txHash],
    ["block", v.tx.block],
    ...attestationsOn(d, "DatasetVersion", v.id).flatMap(attestationProperties),
  ];
}

/** A dataset version: training data (used directly) or a derivation ancestor of it. */
function datasetVersionComponent(v: DatasetVersionRecord, d: VersionDossier, licences: LicenceRecord[]): CdxComponent {
  const dataset = d.datasets.find((x) => x.id === v.datasetId);
  const url = absoluteUri(v.uri);
  const role = v.usedInTraining ? `training data of model version ${d.version.id}` : `derivation ancestor (depth ${v.derivationDepth}) of its training data`;
  return {
    type: ComponentType.Data,
    "bom-ref": cdxRef.datasetVersion(v.id),
    name: `dataset ${v.datasetId}`,
    version: String(v.number),
    publisher: v.publisher,
    description: `Version ${v.number} of dataset ${v.datasetId} (dataset version id ${v.id}): ${role}.`,
    ...(licences.length ? { licenses: licences.map(licence) } : {}),
    externalReferences: references([[ExternalReferenceType.Distribution, v.uri, "the data"], ...evidenceReferences(attestationsOn(d, "DatasetVersion", v.id))]),
    data: [
      {
        type: "dataset",
        name: `dataset ${v.datasetId} version ${v.number}`,
        ...(url ? { contents: { url } } : {}),
        governance: { owners: [party(dataset?.owner ?? v.claimant)], custodians: [party(v.publisher)] },
      },
    ],
    properties: properties(datasetProperties(v, dataset, d)),
  };
}

/** Model version → training data and fine-tune parent; dataset version → derivation parents (those in the BOM). */
function dependencies(d: VersionDossier): CdxDependency[] {
  const data = new Set(d.datasetVersions.map((v) => v.id));
  const models = new Set(d.parents.map((p) => p.id));
  const edge = (ref: string, refs: string[]): CdxDependency => ({ ref, dependsOn: [...new Set(refs)] });
  const model = (v: ModelVersionRecord, trainedOn: string[]) =>
    edge(cdxRef.modelVersion(v.id), [
      ...trainedOn.filter((id) => data.has(id)).map(cdxRef.datasetVersion),
      ...(v.parentId !== null && models.has(v.parentId) ? [cdxRef.modelVersion(v.parentId)] : []),
    ]);
  return [
    model(d.version, trainingDatasetVersionIds(d)),
    ...d.parents.map((p) => model(p, p.training?.datasetVersionIds ?? [])),
    ...d.datasetVersions.map((v) => edge(cdxRef.datasetVersion(v.id), v.parentIds.filter((id) => data.has(id)).map(cdxRef.datasetVersion))),
  ];
}

/** Where the facts were read: deployment and block, what the digests are, and the dossier's findings. */
function sourceProperties(d: VersionDossier): CdxProperty[] {
  const g = d.generatedAt;
  return properties([
    ["subgraph-deployment", g.deployment],
    ["block-number", g.block.number],
    ["has-indexing-errors", g.hasIndexingErrors],
    ["about:weights-hash", DIGEST_MEANING.weightsHash],
    ["about:fingerprint", DIGEST_MEANING.fingerprint],
    ["about:manifest-root", DIGEST_MEANING.manifestRoot],
    ["about:other-hashes", DIGEST_MEANING.declared],
    ...d.summary.notices.map((notice): [string, Value] => ["notice", notice]),
  ]);
}

/** Builds the CycloneDX 1.6 ML-BOM of the dossier's model version. */
export function toCycloneDx(d: VersionDossier): CycloneDxBom {
  const timestamp = bomTime(d.generatedAt.block.time);
  const present = new Set(d.datasetVersions.map((v) => v.id));
  const licences = licencesByDatasetVersion(d);
  return {
    $schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: cdxSerialNumber(d),
    version: 1,
    metadata: {
      ...(timestamp ? { timestamp } : {}),
      tools: { components: [{ type: ComponentType.Application, name: "pedigree", description: "Pedigree audit report: the on-chain lineage of a model version" }] },
      component: modelVersionComponent(d),
      properties: sourceProperties(d),
    },
    components: [
      ...d.parents.map((p) => parentComponent(p, present)),
      ...d.datasetVersions.map((v) => datasetVersionComponent(v, d, licences.get(v.id) ?? [])),
    ],
    dependencies: dependencies(d),
  };
}

/** The CycloneDX BOM as pretty-printed JSON text. */
export function renderCycloneDx(d: VersionDossier): string {
  return `${JSON.stringify(toCycloneDx(d), null, 2)}\n`;
}
