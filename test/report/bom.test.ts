/**
 * The bills of materials (CycloneDX 1.6 ML-BOM, SPDX 3.0.1 AI and Dataset profiles) of the real fixture: the demo
 * scenario on a local chain, indexed by the embedded indexer. Both validate against the official schemas (the
 * CycloneDX library's strict JSON validator; the published SPDX 3.0.1 JSON schema with ajv), and the validators are
 * shown to reject broken documents. Checks the facts against the dossier (components, digests, licences, lineage
 * edges, attestations), byte-identical output for one block, the files writeDossier writes, and hostile chain text.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Spec, Validation } from "@cyclonedx/cyclonedx-library";
import { Ajv2020 } from "ajv/dist/2020.js";
import { id, type Signer } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acquireLicence,
  attest,
  createPedigreeClient,
  publishModelVersion,
  registerDataset,
  registerModel,
  revokeAttestation,
  withdrawDataset,
} from "../../src/sdk/index.ts";
import {
  fetchDossier,
  renderCycloneDx,
  renderSpdx,
  spdxIds,
  toCycloneDx,
  toSpdx,
  writeDossier,
  type CdxComponent,
  type CycloneDxBom,
  type SpdxDocumentJson,
  type SpdxNode,
  type VersionDossier,
} from "../../src/report/index.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";

let fixture: IndexedScenario;
let v1: VersionDossier;
let v2: VersionDossier;
const who: Record<string, string> = {};
const s = (value: bigint | number) => value.toString();

const cdxValidator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
const spdxSchema = JSON.parse(readFileSync(new URL("./schemas/spdx-json-schema-3.0.1.json", import.meta.url), "utf8")) as object;
const spdxValidate = new Ajv2020({ strict: false, allErrors: true }).compile(spdxSchema);

beforeAll(async () => {
  fixture = await indexedScenario();
  for (const [name, signer] of Object.entries(fixture.cast)) who[name] = signer.address.toLowerCase();
  v1 = await fetchDossier({ url: fixture.url, versionId: fixture.result.modelVersions.triageV1 });
  v2 = await fetchDossier({ url: fixture.url, versionId: fixture.result.modelVersions.triageV2 });
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

// --- helpers --------------------------------------------------------------------------------------------------------

async function expectValidCycloneDx(text: string): Promise<void> {
  expect(await cdxValidator.validate(text)).toBeNull();
}

function expectValidSpdx(text: string): void {
  const valid = spdxValidate(JSON.parse(text));
  expect(valid, JSON.stringify(spdxValidate.errors?.slice(0, 3))).toBe(true);
}

const property = (c: { properties: { name: string; value: string }[] }, name: string) => c.properties.filter((p) => p.name === `pedigree:${name}`).map((p) => p.value);
const component = (bom: CycloneDxBom, ref: string) => [bom.metadata.component, ...bom.components].find((c) => c["bom-ref"] === ref);
const dependsOn = (bom: CycloneDxBom, ref: string) => bom.dependencies.find((dep) => dep.ref === ref)?.dependsOn;
const cdx = { mv: (n: bigint) => `urn:pedigree:model-version:${n}`, dv: (n: bigint) => `urn:pedigree:dataset-version:${n}` };

const node = (doc: SpdxDocumentJson, spdxId: string) => doc["@graph"].find((n) => n.spdxId === spdxId);
const relationships = (doc: SpdxDocumentJson, type: string) => doc["@graph"].filter((n) => n.type === "Relationship" && n.relationshipType === type);
const relationship = (doc: SpdxDocumentJson, from: string, type: string) => relationships(doc, type).find((r) => r.from === from);

/** Every reference in the graph names a node of it (or one of SPDX's named individuals); ids are unique. */
function expectSpdxIntegrity(doc: SpdxDocumentJson): void {
  const ids = doc["@graph"].map((n) => (n.spdxId ?? n["@id"]) as string);
  expect(new Set(ids).size).toBe(ids.length);
  const known = new Set([...ids, "expandedlicensing_NoAssertionLicense"]);
  const refs = (n: SpdxNode) => [n.from, n.to, n.subject, n.createdBy, n.suppliedBy, n.originatedBy, n.rootElement, n.element, n.creationInfo].flat().filter((r) => typeof r === "string");
  for (const n of doc["@graph"]) for (const ref of refs(n)) expect(known.has(ref as string), `${String(n.spdxId ?? n["@id"])} → ${String(ref)}`).toBe(true);
  const document = doc["@graph"].find((n) => n.type === "SpdxDocument")!;
  const elements = new Set(document.element as string[]);
  for (const n of doc["@graph"]) if (typeof n.spdxId === "string" && n !== document) expect(elements.has(n.spdxId), n.spdxId).toBe(true);
}

/** Every `url`-like value of a document (where a reader may follow a link). */
function linkValues(value: unknown, keys: Set<string>): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => linkValues(v, keys));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) => (keys.has(key) ? [v].flat().map(String) : linkValues(v, keys)));
}

// --- CycloneDX ------------------------------------------------------------------------------------------------------

describe("CycloneDX 1.6 ML-BOM", () => {
  it("validates against the CycloneDX 1.6 schema (strict), for triage v1 and v2", async () => {
    for (const d of [v1, v2]) await expectValidCycloneDx(renderCycloneDx(d));
  });

  it("the validator rejects a broken BOM: an unknown component type, a malformed serial number, a data entry of no type", async () => {
    const broken: ((bom: CycloneDxBom) => void)[] = [
      (bom) => Object.assign(bom.metadata.component, { type: "weights" }),
      (bom) => Object.assign(bom, { serialNumber: "urn:uuid:not-a-uuid" }),
      (bom) => Object.assign(bom.components[0]!.data![0]!, { type: undefined }),
    ];
    for (const breakIt of broken) {
      const bom = toCycloneDx(v1);
      breakIt(bom);
      expect(await cdxValidator.validate(JSON.stringify(bom))).not.toBeNull();
    }
  });

  it("v1: the model version with its model card, training data with licences and governance, and the lineage", () => {
    const r = fixture.result;
    const bom = toCycloneDx(v1);
    expect(JSON.parse(renderCycloneDx(v1))).toEqual(bom);
    expect(bom).toMatchObject({ bomFormat: "CycloneDX", specVersion: "1.6", version: 1, metadata: { timestamp: v1.generatedAt.block.time } });
    const model = bom.metadata.component;
    expect(model).toMatchObject({ type: "machine-learning-model", "bom-ref": cdx.mv(r.modelVersions.triageV1), name: `model ${r.models.triage}`, version: "1", publisher: who.mlTeam });
    expect(model.modelCard!.modelParameters!.datasets).toEqual([{ ref: cdx.dv(r.datasetVersions.clinicalNotesV2) }, { ref: cdx.dv(r.datasetVersions.publicTextV1) }]);
    // Pedigree digests are not hashes of a CycloneDX algorithm: properties only.
    expect(JSON.stringify(bom)).not.toContain('"hashes"');
    expect(property(model, "weights-hash")).toEqual([v1.version.weightsHash]);
    // Where: the run's region and provider, the territory the licences leave, where it served and decided.
    expect(property(model, "training:region")).toEqual(["IE"]);
    expect(property(model, "training:compute-provider")).toEqual(["eu-gpu-cloud:dublin"]);
    expect(property(model, "territory:training")).toEqual(["EEA"]);
    expect(property(model, "territory:deployment")).toEqual(["EU"]);
    expect(property(model, `deployment:${r.deployments.triageV1}:regions`)).toEqual(["EU (production)"]);
    expect(property(model, `decisions:${r.decisions.root}:regions`)).toEqual(["DE, FR, NL"]);
    expect(property(model, "territory:conflict")).toEqual([]);
    expect(model.externalReferences).toContainEqual({ type: "distribution", url: "s3://acme/triage/v1", comment: "the weights" });
    // Attestations on the version and its training run, and the approval, in the model card.
    const card = model.modelCard!;
    for (const a of v1.attestations.filter((x) => x.subject.type !== "DatasetVersion")) {
      expect(property(card, `attestation:${a.id}:kind`)).toEqual([a.kind.name]);
      expect(property(card, `attestation:${a.id}:evidence-uri`)).toEqual([a.evidenceURI]);
    }
    expect(property(card, `attestation:${r.attestations.biasV1}:attester`)).toEqual([who.evaluator]);
    expect(property(card, "approval:attestations")).toEqual([[r.attestations.safetyV1, r.attestations.biasV1, r.attestations.approvalV1].join(", ")]);
    expect(model.externalReferences).toContainEqual(expect.objectContaining({ type: "evidence", url: "ipfs://bafybiasv1" }));

    // Every dataset version of the dossier, as data; the licences training used them under.
    expect(bom.components.map((c) => c["bom-ref"])).toEqual(v1.datasetVersions.map((v) => `urn:pedigree:dataset-version:${v.id}`));
    const notes = component(bom, cdx.dv(r.datasetVersions.clinicalNotesV2))!;
    const notesV2 = v1.datasetVersions.find((v) => v.id === s(r.datasetVersions.clinicalNotesV2))!;
    expect(notes).toMatchObject({ type: "data", version: "2", publisher: who.alice });
    expect(notes.data).toEqual([{ type: "dataset", name: `dataset ${r.datasets.clinicalNotes} version 2`, contents: { url: "ipfs://bafybeiclinicalnotesv2" }, governance: { owners: [{ organization: { name: who.alice } }], custodians: [{ organization: { name: who.alice } }] } }]);
    expect(property(notes, "fingerprint")).toEqual([notesV2.fingerprint]);
    expect(property(notes, `attestation:${r.attestations.consent}:kind`)).toEqual(["consent"]);
    const notesLicence = v1.licences[0]!;
    expect(notes.licenses).toEqual([
      {
        license: expect.objectContaining({
          name: `Pedigree licence terms ${notesLicence.terms.id} of dataset ${r.datasets.clinicalNotes}`,
          acknowledgement: "declared",
          url: "ipfs://bafybeistmaryslicence",
          licensing: { licensor: { organization: { name: who.alice } }, licensee: { organization: { name: who.mlTeam } }, purchaser: { organization: { name: who.mlTeam } }, licenseTypes: ["subscription"], lastRenewal: notesLicence.tx.time, expiration: notesLicence.expiresAt.time },
        }),
      },
    ]);
    expect(property(notes.licenses![0]!.license, "document-hash")).toEqual([notesLicence.terms.documentHash]);
    expect(property(notes.licenses![0]!.license, "commercial-use")).toEqual(["true"]);
    expect(property(notes.licenses![0]!.license, "training-territories")).toEqual(["EEA"]);
    expect(property(notes.licenses![0]!.license, "deployment-territories")).toEqual(["EU"]);
    // The open dataset's terms name a listed licence (spdx:CC-BY-4.0): its SPDX id, perpetual, no document hash.
    const open = component(bom, cdx.dv(r.datasetVersions.publicTextV1))!;
    expect(open.licenses![0]!.license).toMatchObject({ id: "CC-BY-4.0", licensing: { licenseTypes: ["perpetual"] } });
    expect(open.licenses![0]!.license.name).toBeUndefined();
    expect(property(open.licenses![0]!.license, "document-hash")).toEqual([]);
    // The derivation ancestor has no training licence.
    expect(component(bom, cdx.dv(r.datasetVersions.clinicalNotesV1))!.licenses).toBeUndefined();

    expect(bom.dependencies).toEqual([
      { ref: cdx.mv(r.modelVersions.triageV1), dependsOn: [cdx.dv(r.datasetVersions.clinicalNotesV2), cdx.dv(r.datasetVersions.publicTextV1)] },
      { ref: cdx.dv(r.datasetVersions.clinicalNotesV2), dependsOn: [cdx.dv(r.datasetVersions.clinicalNotesV1)] },
      { ref: cdx.dv(r.datasetVersions.publicTextV1), dependsOn: [] },
      { ref: cdx.dv(r.datasetVersions.clinicalNotesV1), dependsOn: [] },
    ]);
  });

  it("v2: the fine-tune parent as a component it depends on, the revoked bias check and the approval that no longer holds", () => {
    const r = fixture.result;
    const bom = toCycloneDx(v2);
    const parent = component(bom, cdx.mv(r.modelVersions.triageV1)) as CdxComponent;
    expect(parent).toMatchObject({ type: "machine-learning-model", version: "1" });
    expect(property(parent, "weights-hash")).toEqual([v2.parents[0]!.weightsHash]);
    // v1 trained on clinical notes v2 (in this BOM) and public text (in v1's own BOM).
    expect(parent.modelCard!.modelParameters!.datasets).toEqual([{ ref: cdx.dv(r.datasetVersions.clinicalNotesV2) }]);
    expect(property(parent.modelCard!, "training:dataset-version-ids")).toEqual([[r.datasetVersions.clinicalNotesV2, r.datasetVersions.publicTextV1].join(", ")]);
    expect(dependsOn(bom, cdx.mv(r.modelVersions.triageV2))).toEqual([cdx.dv(r.datasetVersions.clinicalNotesV2), cdx.mv(r.modelVersions.triageV1)]);
    expect(dependsOn(bom, cdx.mv(r.modelVersions.triageV1))).toEqual([cdx.dv(r.datasetVersions.clinicalNotesV2)]);
    const card = bom.metadata.component.modelCard!;
    expect(property(card, `attestation:${r.attestations.biasV2}:status`)).toEqual(["revoked: bias regression found in post-release monitoring"]);
    expect(property(card, "approval:revoked")).toEqual(["true"]);
    expect(property({ properties: bom.metadata.properties }, "notice")).toEqual(v2.summary.notices);
  });
});

// --- SPDX -----------------------------------------------------------------------------------------------------------

describe("SPDX 3.0.1 JSON-LD", () => {
  it("validates against the official SPDX 3.0.1 JSON schema, for triage v1 and v2, with every reference resolved", () => {
    for (const d of [v1, v2]) {
      const text = renderSpdx(d);
      expectValidSpdx(text);
      expectSpdxIntegrity(JSON.parse(text) as SpdxDocumentJson);
    }
  });

  it("the schema rejects a broken document: an unknown relationship type, an element without creation info, a wrong context", () => {
    const broken: ((doc: SpdxDocumentJson) => void)[] = [
      (doc) => Object.assign(relationships(doc, "trainedOn")[0]!, { relationshipType: "learnedFrom" }),
      (doc) => delete doc["@graph"].find((n) => n.type === "ai_AIPackage")!.creationInfo,
      (doc) => Object.assign(doc, { "@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld" }),
    ];
    for (const breakIt of broken) {
      const doc = toSpdx(v1);
      breakIt(doc);
      expect(spdxValidate(JSON.parse(JSON.stringify(doc)))).toBe(false);
    }
  });

  it("v1: AI and dataset packages, trainedOn and ancestorOf, licences, hashes and attestations as reviews", () => {
    const r = fixture.result;
    const doc = toSpdx(v1);
    expect(JSON.parse(renderSpdx(v1))).toEqual(doc);
    const ids = spdxIds(v1.generatedAt.deployment);
    const mv = ids.modelVersion(s(r.modelVersions.triageV1));
    const [notes1, notes2, open] = [r.datasetVersions.clinicalNotesV1, r.datasetVersions.clinicalNotesV2, r.datasetVersions.publicTextV1].map((n) => ids.datasetVersion(s(n)));
    expect(doc["@context"]).toBe("https://spdx.org/rdf/3.0.1/spdx-context.jsonld");
    const document = doc["@graph"].find((n) => n.type === "SpdxDocument")!;
    expect(document.rootElement).toEqual([mv]);
    expect(doc["@graph"].find((n) => n.type === "CreationInfo")!.created).toBe(v1.generatedAt.block.time);
    expect(node(doc, mv)).toMatchObject({
      type: "ai_AIPackage",
      software_downloadLocation: "s3://acme/triage/v1",
      software_packageVersion: "1",
      software_primaryPurpose: "model",
      releaseTime: v1.version.tx.time,
      suppliedBy: ids.account(who.mlTeam!),
      verifiedUsing: [expect.objectContaining({ type: "Hash", algorithm: "other", hashValue: v1.version.weightsHash.slice(2) }), expect.objectContaining({ algorithm: "other", hashValue: v1.version.manifestRoot.slice(2) })],
    });
    expect(node(doc, mv)!.ai_informationAboutTraining).toContain(`dataset version ${r.datasetVersions.clinicalNotesV2} under licence ${r.licences.clinicalNotes}`);
    expect(node(doc, mv)!.ai_informationAboutTraining).toContain("Computed in IE by eu-gpu-cloud:dublin (declared).");
    expect(node(doc, mv)!.ai_limitation).toBe("The licences of its training data allow training in EEA and deployment in EU only.");
    expect(node(doc, notes2)).toMatchObject({ type: "dataset_DatasetPackage", dataset_datasetType: ["noAssertion"], software_primaryPurpose: "data", software_downloadLocation: "ipfs://bafybeiclinicalnotesv2", originatedBy: [ids.account(who.alice!)] });
    expect(relationship(doc, mv, "trainedOn")!.to).toEqual([notes2, open]);
    expect(relationship(doc, notes1, "ancestorOf")!.to).toEqual([notes2]);
    // Custom terms: a custom licence pointing at its document; spdx:CC-BY-4.0: that listed licence; none known: NoAssertion.
    const notesTerms = relationship(doc, notes2, "hasDeclaredLicense")!.to as string[];
    expect(relationship(doc, notes2, "hasConcludedLicense")!.to).toEqual(notesTerms);
    expect(node(doc, notesTerms[0]!)).toMatchObject({ type: "expandedlicensing_CustomLicense", expandedlicensing_seeAlso: ["ipfs://bafybeistmaryslicence"], verifiedUsing: [expect.objectContaining({ hashValue: v1.licences[0]!.terms.documentHash.slice(2) })] });
    expect(node(doc, notesTerms[0]!)!.comment).toContain("commercial use allowed, derivatives allowed");
    expect(node(doc, (relationship(doc, open, "hasDeclaredLicense")!.to as string[])[0]!)).toMatchObject({ type: "simplelicensing_LicenseExpression", simplelicensing_licenseExpression: "CC-BY-4.0" });
    for (const from of [mv, notes1]) expect(relationship(doc, from, "hasDeclaredLicense")!.to).toEqual(["expandedlicensing_NoAssertionLicense"]);
    // Each attestation: a review by its attester, at its transaction's time, on its subject.
    const bias = node(doc, ids.attestation(s(r.attestations.biasV1)))!;
    expect(bias).toMatchObject({ type: "Annotation", annotationType: "review", subject: mv });
    expect(bias.statement).toContain("ipfs://bafybiasv1");
    const creation = doc["@graph"].find((n) => n["@id"] === bias.creationInfo)!;
    expect(creation).toMatchObject({ createdBy: [ids.account(who.evaluator!)], created: v1.attestations.find((a) => a.id === s(r.attestations.biasV1))!.tx.time });
    expect(node(doc, ids.attestation(s(r.attestations.consent)))!.subject).toBe(notes2);
  });

  it("v2: the parent is ancestorOf it, its training data outside the document is named, the approval no longer holds", () => {
    const r = fixture.result;
    const doc = toSpdx(v2);
    const ids = spdxIds(v2.generatedAt.deployment);
    const [mv1, mv2] = [r.modelVersions.triageV1, r.modelVersions.triageV2].map((n) => ids.modelVersion(s(n)));
    expect(relationship(doc, mv1, "ancestorOf")!.to).toEqual([mv2]);
    expect(relationship(doc, mv1, "trainedOn")).toMatchObject({ to: [ids.datasetVersion(s(r.datasetVersions.clinicalNotesV2))], completeness: "incomplete" });
    expect(relationship(doc, mv1, "trainedOn")!.comment).toContain(`dataset versions ${r.datasetVersions.publicTextV1}`);
    expect(node(doc, ids.attestation(s(r.attestations.biasV2)))!.statement).toContain("revoked: bias regression found in post-release monitoring");
    expect(node(doc, ids.approval(s(r.modelVersions.triageV2)))!.statement).toContain("no longer holds");
  });
});

// --- both -----------------------------------------------------------------------------------------------------------

describe("determinism and files", () => {
  it("gives byte-identical BOMs for the same block, and another serial number for another block", async () => {
    const block = v2.generatedAt.block.number;
    const again = await fetchDossier({ url: fixture.url, versionId: fixture.result.modelVersions.triageV2, block });
    expect(renderCycloneDx(again)).toBe(renderCycloneDx(v2));
    expect(renderSpdx(again)).toBe(renderSpdx(v2));
    const before = await fetchDossier({ url: fixture.url, versionId: fixture.result.modelVersions.triageV2, block: fixture.result.blocks.beforeRollback });
    const [now, then] = [toCycloneDx(v2), toCycloneDx(before)];
    expect(then.serialNumber).not.toBe(now.serialNumber);
    expect(then.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(then.metadata.timestamp).toBe(before.generatedAt.block.time);
    expect(toCycloneDx(v1).serialNumber).not.toBe(now.serialNumber);
  });

  it("writeDossier writes model-version-<id>.cdx.json and .spdx.json on request, and only the dossier by default", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pedigree-bom-"));
    try {
      const files = await writeDossier(v1, dir, ["spdx", "cyclonedx"]);
      expect(files).toEqual([join(dir, "model-version-1.cdx.json"), join(dir, "model-version-1.spdx.json")]);
      expect(readFileSync(files[0]!, "utf8")).toBe(renderCycloneDx(v1));
      expect(readFileSync(files[1]!, "utf8")).toBe(renderSpdx(v1));
      expect((await writeDossier(v1, join(dir, "default"))).map((f) => f.slice(f.lastIndexOf("."))).sort()).toEqual([".html", ".json", ".json", ".md"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// --- hostile text from the chain ------------------------------------------------------------------------------------

describe("untrusted chain text", () => {
  const SCRIPT = "<script>alert(1)</script>";
  const REASON = '"}],"bomFormat":"evil</td>\n<!-- ${x}';
  let hostile: VersionDossier;

  beforeAll(async () => {
    const { cast, deployment } = fixture;
    const as = (signer: Signer) => createPedigreeClient({ runner: signer, addresses: deployment.addresses });
    const data = await registerDataset(as(cast.alice), {
      version: { fingerprint: id("hostile bom data"), uri: SCRIPT },
      terms: { price: 0n, commercialUse: true, derivativesAllowed: true, documentURI: "javascript:alert(2)" },
    });
    const licence = await acquireLicence(as(cast.mlTeam), { datasetId: data.datasetId });
    const model = await registerModel(as(cast.mlTeam), { commercial: true, uri: `"><img src=x onerror=alert(3)>` });
    const now = BigInt((await fixture.chain.connection.ethers.provider.getBlock("latest"))!.timestamp);
    const version = await publishModelVersion(as(cast.mlTeam), {
      modelId: model.modelId,
      version: { weightsHash: id("hostile bom weights"), uri: "javascript:alert(4)" },
      trainingRun: { region: "DE", data: [{ datasetVersionId: data.versionId, licenceId: licence.licenceId }], codeHash: id("x"), startedAt: now - 100n, endedAt: now - 10n },
    });
    const evaluation = await attest(as(cast.evaluator), { subjectType: "model-version", subjectId: version.versionId, kind: "safety-evaluation", evidenceURI: SCRIPT });
    await revokeAttestation(as(cast.evaluator), { attestationId: evaluation.attestationId, reason: REASON });
    const withdrawal = await withdrawDataset(as(cast.alice), { datasetId: data.datasetId, reason: `${SCRIPT}\n# heading` });
    await fixture.indexer.waitForBlock(withdrawal.blockNumber);
    hostile = await fetchDossier({ url: fixture.url, versionId: version.versionId });
  }, 120_000);

  it("keeps it as plain JSON strings, verbatim, never where a link is followed; both BOMs stay valid", async () => {
    const cdxText = renderCycloneDx(hostile);
    const spdxText = renderSpdx(hostile);
    await expectValidCycloneDx(cdxText);
    expectValidSpdx(spdxText);
    const bom = JSON.parse(cdxText) as CycloneDxBom;
    const doc = JSON.parse(spdxText) as SpdxDocumentJson;
    expect(bom).toEqual(toCycloneDx(hostile));
    const data = bom.components[0]!;
    expect(property(data, "uri")).toEqual([SCRIPT]);
    expect(property(data, "dataset:withdrawal-reason")).toEqual([`${SCRIPT}\n# heading`]);
    expect(property(data.licenses![0]!.license, "document-uri")).toEqual(["javascript:alert(2)"]);
    expect(property(bom.metadata.component, "uri")).toEqual(["javascript:alert(4)"]);
    expect(property(bom.metadata.component.modelCard!, `attestation:${hostile.attestations[0]!.id}:status`)).toEqual([`revoked: ${REASON}`]);
    // Names and references are built from ids only.
    expect([bom.metadata.component, ...bom.components].map((c) => [c.name, c["bom-ref"]]).flat().join(" ")).toMatch(/^[\w :.-]+$/);
    // No chain text that is not a URI of a fetchable scheme stands where a link is followed.
    expect(linkValues(bom, new Set(["url"]))).toEqual([]);
    expect(linkValues(doc, new Set(["software_downloadLocation", "locator", "expandedlicensing_seeAlso"]))).toEqual([]);
    const spdxDataset = doc["@graph"].find((n) => n.type === "dataset_DatasetPackage")!;
    expect(spdxDataset.comment).toContain(`Dataset withdrawn: ${SCRIPT}\n# heading.`);
    expect(spdxDataset.comment).toContain(JSON.stringify(SCRIPT));
    expectSpdxIntegrity(doc);
  });
});
