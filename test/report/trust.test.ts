/**
 * The audit dossier when trust is attacked or withdrawn, on a real chain indexed by the embedded indexer: a squatted
 * fingerprint, copied weights, a decision root anchored again by another owner's version, consent revoked with the
 * licence refunded, terms cleared by a transfer, an attester that lost its role and a withdrawn approval on a live
 * version — each shown in its Annex IV section of every format, escaped — and a dossier untouched by any of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZeroHash, id as keccakText, parseEther } from "ethers";
import { DecisionTree } from "../../src/core/merkle.ts";
import { WORLDWIDE } from "../../src/core/regions.ts";
import { fetchDossier, renderHtml, renderMarkdown, toProvJson, type VersionDossier } from "../../src/report/index.ts";
import { indexedProtocol, type IndexedProtocol, type Role } from "../helpers/indexed-protocol.ts";
import { emittedId } from "../helpers/assertions.ts";
import { Kind, Subject, attestation, datasetVersion, terms, trainingRun } from "../helpers/protocol.ts";
import { expectReferentialIntegrity, expectTablesIntact, expectTxRefsMatchChain, expectWellFormed, mdOutsideCode } from "./checks.ts";

const CONSENT_REASON = "<script>alert(9)</script> | patients withdrew consent";
const REVOCATION_REASON = "</td></tr><script>alert(8)</script> | approval withdrawn";
const PRICE = parseEther("0.2");
let p: IndexedProtocol;
let attacked: VersionDossier;
let clean: VersionDossier;
const ids = { squatVersion: 0n, dataVersion: 0n, dataset: 0n, licence: 0n, version: 0n, copy: 0n, safety: 0n, approval: 0n, cleanVersion: 0n };
const s = (value: bigint) => value.toString();

/** A model of `owner` with one version of `weights` trained on `uses`; returns the version id. */
async function modelVersion(owner: Role, weights: string, uses: [bigint, bigint][]): Promise<bigint> {
  const { models } = p.as(owner);
  const model = await emittedId(models.registerModel(false, keccakText(`${weights} card`), `ipfs://${owner}-model`), models, "ModelRegistered", "modelId");
  const version = { weightsHash: weights, manifestRoot: ZeroHash, configHash: ZeroHash, parentVersionId: 0n, uri: `ipfs://${owner}-weights` };
  return emittedId(models.publishVersion(model, version, trainingRun(uses)), models, "ModelVersionPublished", "versionId");
}

async function approveAndAnchor(owner: Role, versionId: bigint, root: string): Promise<bigint> {
  const approver = p.as("approver").attestations;
  const approval = await emittedId(approver.attest(attestation(Subject.ModelVersion, versionId, Kind.ReleaseApproval)), approver, "Attested", "id");
  await p.send(p.as(owner).models.approveVersion(versionId, [approval]));
  await p.send(p.as(owner).releases.anchorDecisions(versionId, root, 3n, 1n, 2n, WORLDWIDE, `s3://${owner}/decisions`));
  return approval;
}

/** A licensed dataset of `owner` (perpetual, priced) and a licence of it for the ML team. */
async function licensed(owner: Role, version: ReturnType<typeof datasetVersion>): Promise<{ versionId: bigint; datasetId: bigint; licenceId: bigint }> {
  const { datasets } = p.as(owner);
  const split = terms([{ recipient: p.address[owner], bps: 10_000 }], { price: PRICE, duration: 0 });
  const versionId = await emittedId(datasets.registerDatasetWithTerms(version, [], [], ZeroHash, split), datasets, "DatasetVersionPublished", "versionId");
  const datasetId = await datasets.datasetOfVersion(versionId);
  const termsId = (await datasets.getDataset(datasetId)).currentTermsId;
  const team = p.as("mlTeam");
  const licenceId = await emittedId(team.royalties.acquireLicence(datasetId, p.address.mlTeam, termsId, { value: PRICE }), team.datasets, "LicenceAcquired", "licenceId");
  return { versionId, datasetId, licenceId };
}

beforeAll(async () => {
  p = await indexedProtocol();
  const creator = p.as("creator").datasets;
  const data = datasetVersion("ipfs://ward-notes");

  // Squatting: the creator commits, the attacker registers her fingerprint first, she registers and proves priority.
  const salt = keccakText("salt");
  await p.send(creator.commitClaim(await creator.claimCommitment(p.address.creator, data.fingerprint, salt)));
  const attacker = p.as("attacker").datasets;
  ids.squatVersion = await emittedId(attacker.registerDataset({ ...data, uri: "ipfs://stolen" }, [], [], ZeroHash), attacker, "DatasetVersionPublished", "versionId");
  const own = await licensed("creator", data);
  Object.assign(ids, { dataVersion: own.versionId, dataset: own.datasetId, licence: own.licenceId });
  await p.send(creator.proveClaimPriority(p.address.creator, data.fingerprint, salt));

  // The team's model: safety + approval, deployed, decisions anchored; its weights copied and its root re-anchored.
  const team = p.as("mlTeam");
  const weights = keccakText("team weights");
  ids.version = await modelVersion("mlTeam", weights, [[ids.dataVersion, ids.licence]]);
  const modelId = (await team.models.getVersion(ids.version)).modelId;
  await p.send(team.models.setReleasePolicy(modelId, (1n << BigInt(Kind.SafetyEvaluation)) | (1n << BigInt(Kind.ReleaseApproval))));
  const evaluator = p.as("evaluator").attestations;
  ids.safety = await emittedId(evaluator.attest(attestation(Subject.ModelVersion, ids.version, Kind.SafetyEvaluation)), evaluator, "Attested", "id");
  const approver = p.as("approver").attestations;
  ids.approval = await emittedId(approver.attest(attestation(Subject.ModelVersion, ids.version, Kind.ReleaseApproval)), approver, "Attested", "id");
  await p.send(team.models.approveVersion(ids.version, [ids.safety, ids.approval]));
  await p.send(team.releases.deploy(ids.version, "production", WORLDWIDE));
  const root = DecisionTree.build([keccakText("d1"), keccakText("d2"), keccakText("d3")]).root;
  await p.send(team.releases.anchorDecisions(ids.version, root, 3n, 1n, 2n, WORLDWIDE, "s3://team/decisions"));
  ids.copy = await modelVersion("attacker", weights, []);
  await approveAndAnchor("attacker", ids.copy, root);

  // Trust withdrawn: the evaluator's role, the approval, the consent (licence refunded), the terms (dataset sold).
  await p.send(p.as("admin").attestations.revokeRole(await evaluator.EVALUATOR_ROLE(), p.address.evaluator));
  await p.send(approver.revoke(ids.approval, REVOCATION_REASON));
  await p.send(creator.revokeConsent(ids.dataset, CONSENT_REASON));
  await p.send(creator.refundLicence(ids.licence, { value: await creator.refundDue(ids.licence) }));
  await p.send(creator.transferFrom(p.address.creator, p.address.stranger, ids.dataset));

  // Untouched by any of it: another owner's data, licensed, and a model trained on it.
  const other = await licensed("stranger", datasetVersion("ipfs://clean-data"));
  ids.cleanVersion = await modelVersion("mlTeam", keccakText("clean weights"), [[other.versionId, other.licenceId]]);

  await p.sync();
  attacked = await fetchDossier({ url: p.url, versionId: ids.version });
  clean = await fetchDossier({ url: p.url, versionId: ids.cleanVersion });
}, 180_000);

afterAll(async () => {
  await p?.close();
});

describe("the dossier of a version whose trust was attacked or withdrawn", () => {
  it("lists every claim of its weights and of its data's fingerprint, in chain order", () => {
    expect(attacked.competingClaims.map((c) => [c.kind, c.subjectVersionId, c.claims.map((x) => x.claimant), c.firstRegistered, c.earliestPriority])).toEqual([
      ["model-weights", s(ids.version), [p.address.mlTeam, p.address.attacker], s(ids.version), s(ids.version)],
      ["dataset-fingerprint", s(ids.dataVersion), [p.address.attacker, p.address.creator], s(ids.squatVersion), s(ids.dataVersion)],
    ]);
    expect(attacked.competingClaims[1]!.claims[1]!.priority).not.toBeNull();
    expect(attacked.datasetVersions[0]).toMatchObject({ id: s(ids.dataVersion), claimant: p.address.creator, parentLicenceIds: [] });
  });

  it("records the revoked consent, the refund, the cleared terms, the lost role, the withdrawn approval and the re-anchored root", () => {
    expect(attacked.datasets[0]).toMatchObject({
      consentRevocation: { by: p.address.creator, reason: CONSENT_REASON },
      currentTermsId: null,
      termsClearances: [{ newOwner: p.address.stranger }],
      owner: p.address.stranger,
    });
    expect(attacked.licences[0]!.refund).toMatchObject({ amount: PRICE.toString(), refundedBy: p.address.creator });
    const byId = new Map(attacked.attestations.map((a) => [a.id, a]));
    expect(byId.get(s(ids.safety))).toMatchObject({ attesterHoldsRole: false, roleRevocation: { by: p.address.admin }, revoked: false });
    expect(byId.get(s(ids.approval))).toMatchObject({ attesterHoldsRole: true, roleRevocation: null, revoked: true });
    expect(attacked.version).toMatchObject({ approvalRevoked: true, dataDeclared: true });
    expect(attacked.summary).toMatchObject({ liveIn: ["production"], liveButNotReleasable: ["production"] });
    expect(attacked.summary.notReleasableBecause).toEqual([`attestation ${ids.approval} (release-approval) of its approval was revoked`]);
    expect(attacked.decisionBatches[0]!.otherAnchors.map((o) => [o.versionId, o.modelOwner])).toEqual([[s(ids.copy), p.address.attacker]]);
  });

  it("states each finding as a notice", () => {
    const notices = attacked.summary.notices.join("\n");
    expect(notices).toContain(`Consent to use dataset ${ids.dataset} was revoked`);
    expect(notices).toContain(`Licence ${ids.licence} (dataset ${ids.dataset}) was voided`);
    expect(notices).toContain(`terms`);
    expect(notices).toContain(`cleared by its transfer to ${p.address.stranger}`);
    expect(notices).toContain(`Attestation ${ids.safety} (safety-evaluation) was made by ${p.address.evaluator}, which no longer holds the role`);
    expect(notices).toContain("Live in production although no longer releasable");
    expect(notices).toContain(`is claimed by 2 accounts, in chain order: ${p.address.attacker}`);
    expect(notices).toContain(`was also anchored by model version ${ids.copy}`);
  });

  it("gives every new fact a transaction reference that matches the chain", async () => {
    await expectTxRefsMatchChain(attacked, p.chain.connection.ethers.provider);
  });

  it("shows the findings in the Markdown and HTML sections, escaped, with tables intact", () => {
    const md = renderMarkdown(attacked);
    for (const text of [
      "### Competing claims of the weights hash",
      "### Competing claims of these fingerprints",
      "### The same roots anchored by other versions",
      "consent revoked",
      "voided",
      "attester lost its role",
      "live but not releasable",
      "no longer releasable",
    ]) {
      // Badges of bad news are upper case in Markdown.
      expect(md.toLowerCase()).toContain(text.toLowerCase());
    }
    expectTablesIntact(md);
    expect(mdOutsideCode(md)).not.toMatch(/(^|[^\\])</);
    const html = renderHtml(attacked);
    expectWellFormed(html);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("&#60;script&#62;alert(9)&#60;/script&#62;");
    expect(html).toContain("live but not releasable");
  });

  it("exports the competing claims as alternates and the refund as the licence's invalidation in PROV-JSON", () => {
    const prov = toProvJson(attacked);
    expectReferentialIntegrity(prov);
    expect(Object.values(prov.alternateOf ?? {})).toEqual([
      { "prov:alternate1": `pedigree:modelVersion/${ids.version}`, "prov:alternate2": `pedigree:modelVersion/${ids.copy}` },
      { "prov:alternate1": `pedigree:datasetVersion/${ids.dataVersion}`, "prov:alternate2": `pedigree:datasetVersion/${ids.squatVersion}` },
    ]);
    expect(Object.values(prov.wasInvalidatedBy)).toContainEqual(
      expect.objectContaining({ "prov:entity": `pedigree:licence/${ids.licence}`, "prov:activity": `pedigree:refund/${ids.licence}` }),
    );
    expect(prov.entity[`pedigree:attestation/${ids.safety}`]).toMatchObject({ "pedigree:attesterHoldsRole": false });
  });
});

describe("the dossier of a version untouched by any of it", () => {
  it("shows none of the new findings", () => {
    expect(clean.competingClaims).toEqual([]);
    expect(clean.summary).toMatchObject({ liveButNotReleasable: [], notReleasableBecause: [] });
    expect(clean.datasets[0]).toMatchObject({ consentRevocation: null, termsClearances: [] });
    expect(clean.licences[0]!.refund).toBeNull();
    const md = renderMarkdown(clean);
    for (const text of ["Competing claims", "consent revoked", "voided", "attester lost its role", "live but not releasable", "anchored by other versions"]) {
      expect(md.toLowerCase()).not.toContain(text.toLowerCase());
    }
    expect(toProvJson(clean).alternateOf).toBeUndefined();
  });
});
