/**
 * What an audit must show after trust is withdrawn, played on a real chain and audited through the embedded indexer's
 * GraphQL: consent revoked and the licence refunded, terms cleared by a transfer, an attester that lost its role, an
 * approving attestation revoked while its version stays live, a version without declared training data, and the new
 * entries of the provenance log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZeroAddress, ZeroHash, id as keccakText, parseEther } from "ethers";
import { DecisionTree } from "../../src/core/merkle.ts";
import { WORLDWIDE } from "../../src/core/regions.ts";
import {
  changesSince,
  createAuditClient,
  history,
  liveAt,
  royalties,
  whatTrainedThis,
  whoActedOn,
  type AuditClient,
} from "../../src/audit/index.ts";
import { indexedProtocol, type IndexedProtocol } from "../helpers/indexed-protocol.ts";
import { emittedId } from "../helpers/assertions.ts";
import { Kind, Subject, attestation, datasetVersion, terms, trainingRun } from "../helpers/protocol.ts";

let p: IndexedProtocol;
let client: AuditClient;
const PRICE = parseEther("0.3");
/** Paid above what the refund is due: the registry credits it back to the payer's withdrawable balance. */
const SURPLUS = parseEther("0.01");
const ids = { dataset: 0n, dataVersion: 0n, licence: 0n, model: 0n, declared: 0n, undeclared: 0n, safety: 0n, approval: 0n };
const blocks = { liveAndReleasable: 0, approvalRevoked: 0 };
let root: string;
const s = (value: bigint) => value.toString();

beforeAll(async () => {
  p = await indexedProtocol();
  client = createAuditClient({ url: p.url });
  const creator = p.as("creator");
  const team = p.as("mlTeam");
  const evaluator = p.as("evaluator").attestations;
  const approver = p.as("approver").attestations;

  // A perpetual licence (refunded in full when voided) on the creator's data, and a model trained on it.
  const perpetual = terms([{ recipient: p.address.creator, bps: 10_000 }], { price: PRICE, duration: 0 });
  ids.dataVersion = await emittedId(creator.datasets.registerDatasetWithTerms(datasetVersion(), [], [], ZeroHash, perpetual), creator.datasets, "DatasetVersionPublished", "versionId");
  ids.dataset = await creator.datasets.datasetOfVersion(ids.dataVersion);
  const termsId = (await creator.datasets.getDataset(ids.dataset)).currentTermsId;
  ids.licence = await emittedId(team.royalties.acquireLicence(ids.dataset, p.address.mlTeam, termsId, { value: PRICE }), team.datasets, "LicenceAcquired", "licenceId");
  ids.model = await emittedId(team.models.registerModel(false, keccakText("card"), "ipfs://card"), team.models, "ModelRegistered", "modelId");
  const publish = (weights: string, uses: [bigint, bigint][]) =>
    emittedId(
      team.models.publishVersion(ids.model, { weightsHash: keccakText(weights), manifestRoot: ZeroHash, configHash: ZeroHash, parentVersionId: 0n, uri: `ipfs://${weights}` }, trainingRun(uses)),
      team.models,
      "ModelVersionPublished",
      "versionId",
    );
  ids.declared = await publish("declared", [[ids.dataVersion, ids.licence]]);
  ids.undeclared = await publish("undeclared", []);

  // Release gate: declared data, a safety evaluation and a release approval; deployed; decisions anchored.
  await p.send(team.models.setReleasePolicy(ids.model, 1n | (1n << BigInt(Kind.SafetyEvaluation)) | (1n << BigInt(Kind.ReleaseApproval))));
  ids.safety = await emittedId(evaluator.attest(attestation(Subject.ModelVersion, ids.declared, Kind.SafetyEvaluation)), evaluator, "Attested", "id");
  ids.approval = await emittedId(approver.attest(attestation(Subject.ModelVersion, ids.declared, Kind.ReleaseApproval)), approver, "Attested", "id");
  await p.send(team.models.approveVersion(ids.declared, [ids.safety, ids.approval]));
  await p.send(team.releases.deploy(ids.declared, "production", WORLDWIDE));
  root = DecisionTree.build([keccakText("decision 1"), keccakText("decision 2")]).root;
  await p.send(team.releases.anchorDecisions(ids.declared, root, 2n, 1n, 2n, WORLDWIDE, "s3://decisions"));
  await p.send(team.models.grantDerivation(ids.model, p.address.stranger, true));

  // The evaluator loses its role: its attestation stays valid on chain, and the version releasable.
  const evaluatorRole = await evaluator.EVALUATOR_ROLE();
  blocks.liveAndReleasable = await p.send(p.as("admin").attestations.revokeRole(evaluatorRole, p.address.evaluator));
  // The approval is withdrawn: the version stays live but is no longer releasable.
  blocks.approvalRevoked = await p.send(approver.revoke(ids.approval, "approval withdrawn after an incident"));
  await p.send(approver.cancelNonce());

  // Consent revoked, the licence voided with a full refund, the dataset sold on (its terms cleared).
  await p.send(creator.datasets.revokeConsent(ids.dataset, "patients withdrew consent"));
  await p.send(creator.datasets.refundLicence(ids.licence, { value: (await creator.datasets.refundDue(ids.licence)) + SURPLUS }));
  await p.send(creator.datasets.transferFrom(p.address.creator, p.address.stranger, ids.dataset));
  await p.send(creator.royalties.withdrawRoyalties(ZeroAddress, p.address.creator));
  await p.sync();
}, 180_000);

afterAll(async () => {
  await p?.close();
});

describe("revoked consent, refunds and cleared terms", () => {
  it("shows the model's data withdrawn with consent revoked, its licence voided and refunded, and no terms left", async () => {
    const lineage = await whatTrainedThis(client, ids.declared);
    const [entry] = lineage.datasetVersions;
    expect(entry!.dataset).toMatchObject({
      id: s(ids.dataset),
      owner: p.address.stranger,
      withdrawn: true,
      consentRevocation: { by: p.address.creator, reason: "patients withdrew consent" },
      currentTerms: null,
    });
    expect(lineage.licences).toHaveLength(1);
    expect(lineage.licences[0]).toMatchObject({ id: s(ids.licence), refund: { amount: PRICE.toString(), refundedBy: p.address.creator } });
    expect(lineage.version).toMatchObject({ dataDeclared: true, commercialData: true });
    expect(lineage.undeclaredData).toEqual([]);
  });

  it("credits the refund to the licensee's balance and lists it", async () => {
    const { creators } = await royalties(client, { account: p.address.mlTeam });
    expect(creators).toHaveLength(1);
    expect(creators[0]!.refunds).toEqual([expect.objectContaining({ licenceId: s(ids.licence), datasetId: s(ids.dataset), amount: PRICE.toString(), refundedBy: p.address.creator })]);
    expect(creators[0]!.balances).toEqual([expect.objectContaining({ credited: "0", refunded: PRICE.toString(), withdrawn: "0", balance: PRICE.toString() })]);
  });

  it("accounts for a refund's surplus credited back to its payer, so that the withdrawal leaves a zero balance", async () => {
    const { creators } = await royalties(client, { account: p.address.creator });
    expect(creators[0]!.balances).toEqual([
      expect.objectContaining({ credited: PRICE.toString(), surplus: SURPLUS.toString(), withdrawn: (PRICE + SURPLUS).toString(), balance: "0" }),
    ]);
  });

  it("logs consent revocation, refund and terms clearance in the dataset's and licence's history", async () => {
    const dataset = await history(client, { type: "dataset", id: ids.dataset });
    expect(dataset.events.map((e) => e.action)).toEqual([
      "DatasetRegistered",
      "DatasetVersionPublished",
      "TermsSet",
      "LicenceAcquired",
      "RoyaltyCredited", // the sale's credit, settled on the dataset's version
      "DatasetWithdrawn",
      "ConsentRevoked",
      "LicenceRefunded",
      "DatasetTransferred",
      "TermsCleared",
    ]);
    expect(dataset.events.find((e) => e.action === "TermsCleared")!.description).toContain(`cleared by its transfer to ${p.address.stranger}`);
    const licence = await history(client, { type: "licence", id: ids.licence });
    expect(licence.events.map((e) => e.action)).toContain("LicenceRefunded");
  });
});

describe("an attester that lost its role and an approval withdrawn", () => {
  it("flags the attestation whose attester no longer holds its role, and keeps the others unflagged", async () => {
    const actors = await whoActedOn(client, ids.declared);
    const byId = new Map(actors.attestations.map((a) => [a.id, a]));
    expect(byId.get(s(ids.safety))).toMatchObject({ attesterHoldsRole: false, roleRevocation: { by: p.address.admin }, revocation: null });
    expect(byId.get(s(ids.approval))).toMatchObject({ attesterHoldsRole: true, roleRevocation: null, revocation: { reason: "approval withdrawn after an incident" } });
  });

  it("flags the live version as no longer releasable, and not before the approval was revoked", async () => {
    const now = await liveAt(client, { modelId: ids.model, environment: "production" });
    expect(now.live).toMatchObject({ version: { id: s(ids.declared), approvalRevoked: true }, releasable: false });
    expect(now.liveButNotReleasable).toBe(true);
    expect(now.live!.notReleasableBecause).toEqual([`attestation ${ids.approval} (release-approval) of its approval was revoked: approval withdrawn after an incident`]);

    const before = await liveAt(client, { modelId: ids.model, environment: "production", block: blocks.liveAndReleasable });
    expect(before.live).toMatchObject({ version: { id: s(ids.declared), approvalRevoked: false }, releasable: true, notReleasableBecause: [] });
    expect(before.liveButNotReleasable).toBe(false);
  });

  it("reports the same in what changed with the release", async () => {
    const diff = await changesSince(client, ids.declared, { environment: "production" });
    expect(diff.status).toMatchObject({ releasable: false, liveIn: ["production"], liveButNotReleasable: true });
    expect(diff.attestations.roleRevoked.map((a) => a.id)).toEqual([s(ids.safety)]);
    expect(diff.dataDeclared).toEqual({ from: null, to: true, changed: false });
  });
});

describe("undeclared training data and the new log entries", () => {
  it("shows a version trained on no declared data", async () => {
    const lineage = await whatTrainedThis(client, ids.undeclared);
    expect(lineage.version).toMatchObject({ dataDeclared: false, approved: false });
    expect(lineage.undeclaredData).toEqual([s(ids.undeclared)]);
    expect(lineage.datasetVersions).toEqual([]);
  });

  it("logs the derivation grant, the nonce cancellation and the anchored batch by its root", async () => {
    const model = await history(client, { type: "model", id: ids.model });
    expect(model.events.find((e) => e.action === "DerivationGranted")!.description).toBe(`${p.address.stranger} may now fine-tune model ${ids.model}`);
    expect(model.events.find((e) => e.action === "ReleasePolicySet" && e.blockNumber > model.events[0]!.blockNumber)!.description).toContain("and declared training data");
    const approver = await history(client, { type: "account", id: p.address.approver });
    expect(approver.events.map((e) => e.action)).toContain("NonceCancelled");
    const batch = await history(client, { type: "decision-batch", id: root });
    expect(batch.events.map((e) => [e.action, e.subjects.modelVersion])).toEqual([["DecisionsAnchored", s(ids.declared)]]);
  });
});
