/**
 * Squatting, played on a real chain and audited through the embedded indexer's GraphQL: an attacker registers a
 * creator's fingerprint before her, copies a team's weights hash, and anchors the team's decision root with its own
 * approved version. Each audit that looks a digest up must end with the rightful owner's record intact and findable,
 * every competing claim shown in chain order, and no claim picked silently.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonRpcProvider, ZeroHash, id as keccakText, parseEther, type BaseContract, type ContractTransactionResponse } from "ethers";
import { fingerprint, type Fingerprint } from "../../src/core/fingerprint.ts";
import { DecisionTree } from "../../src/core/merkle.ts";
import { WORLDWIDE } from "../../src/core/regions.ts";
import {
  claimsOf,
  createAuditClient,
  doesArtifactMatch,
  proveItem,
  wasDataUsed,
  whatTrainedThis,
  whichVersionProduced,
  type AuditClient,
} from "../../src/audit/index.ts";
import { indexedProtocol, type IndexedProtocol } from "../helpers/indexed-protocol.ts";
import { Kind, Subject, attestation, terms, trainingRun } from "../helpers/protocol.ts";

let p: IndexedProtocol;
let client: AuditClient;
let provider: JsonRpcProvider;
let dir: string;
let dataDir: string;
let weightsDir: string;
let data: Fingerprint;
let weights: Fingerprint;
const ids = {
  squatDataset: 0n,
  squatVersion: 0n,
  creatorDataset: 0n,
  creatorVersion: 0n,
  squatLicence: 0n,
  fooledModel: 0n,
  fooledVersion: 0n,
  teamModel: 0n,
  teamVersion: 0n,
  copyModel: 0n,
  copyVersion: 0n,
  consent: 0n,
};
const blocks = { commitment: 0, squat: 0, creator: 0, teamAnchor: 0, copyAnchor: 0, teamWeights: 0, copyWeights: 0 };
let records: string[];
const s = (value: bigint) => value.toString();

/** The named argument of the one `event` a transaction emitted from `contract`, and the block it was mined in. */
async function emitted(tx: Promise<ContractTransactionResponse>, contract: BaseContract, event: string, arg: string): Promise<{ value: bigint; block: number }> {
  const receipt = (await (await tx).wait())!;
  for (const log of receipt.logs) {
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === event) return { value: BigInt(parsed.args.getValue(arg)), block: receipt.blockNumber };
  }
  throw new Error(`no ${event} in ${receipt.hash}`);
}

/** Publishes a model (and a version of it with `weightsHash`) as `role`; returns their ids and the version's block. */
async function publishModel(role: "mlTeam" | "attacker", weightsHash: string, manifestRoot: string, uri: string) {
  const { models } = p.as(role);
  const model = await emitted(models.registerModel(false, keccakText(`${uri} card`), uri), models, "ModelRegistered", "modelId");
  const version = await emitted(
    models.publishVersion(model.value, { weightsHash, manifestRoot, configHash: keccakText("config"), parentVersionId: 0n, uri }, trainingRun()),
    models,
    "ModelVersionPublished",
    "versionId",
  );
  return { model: model.value, version: version.value, block: version.block };
}

/** Approves a model version through its default policy (a release approval by the approver). */
async function approve(owner: "mlTeam" | "attacker", versionId: bigint) {
  const approver = p.as("approver").attestations;
  const approval = await emitted(approver.attest(attestation(Subject.ModelVersion, versionId, Kind.ReleaseApproval)), approver, "Attested", "id");
  await p.send(p.as(owner).models.approveVersion(versionId, [approval.value]));
}

async function write(path: string, content: string): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, content);
}

beforeAll(async () => {
  p = await indexedProtocol();
  client = createAuditClient({ url: p.url });
  provider = new JsonRpcProvider(p.chain.url, undefined, { staticNetwork: true });
  dir = await mkdtemp(join(tmpdir(), "pedigree-claims-"));
  dataDir = join(dir, "ward-notes");
  await write(join(dataDir, "notes/part-0.jsonl"), '{"note":"stable overnight"}\n');
  await write(join(dataDir, "notes/part-1.jsonl"), '{"note":"discharged"}\n');
  data = await fingerprint(dataDir);
  weightsDir = join(dir, "weights");
  await write(join(weightsDir, "model.safetensors"), "team weights ".repeat(500));
  weights = await fingerprint(weightsDir);
  const creator = p.as("creator").datasets;
  const attacker = p.as("attacker").datasets;

  // The creator commits to her claim before publishing anything (commit–reveal).
  const salt = keccakText("the creator's secret salt");
  const commitment = await creator.claimCommitment(p.address.creator, data.fingerprint, salt);
  blocks.commitment = await p.send(creator.commitClaim(commitment));

  // The attacker, having seen the files, registers their fingerprint first and offers licences of the copy.
  const squatTerms = terms([{ recipient: p.address.attacker, bps: 10_000 }], { price: parseEther("0.1") });
  const version = { fingerprint: data.fingerprint, manifestRoot: data.root, metadataHash: keccakText("stolen card"), uri: "ipfs://stolen-notes", originRegions: 0n, handlingPolicyHash: ZeroHash, handlingPolicyURI: "" };
  const squat = await emitted(attacker.registerDatasetWithTerms(version, [], [], ZeroHash, squatTerms), attacker, "DatasetVersionPublished", "versionId");
  ids.squatVersion = squat.value;
  ids.squatDataset = await attacker.datasetOfVersion(squat.value);
  blocks.squat = squat.block;

  // The creator is not locked out: she registers her data under her own claim, and proves her earlier commitment.
  const own = { ...version, metadataHash: keccakText("ward notes datasheet"), uri: "ipfs://ward-notes" };
  const registered = await emitted(creator.registerDataset(own, [], [], ZeroHash), creator, "DatasetVersionPublished", "versionId");
  ids.creatorVersion = registered.value;
  ids.creatorDataset = await creator.datasetOfVersion(registered.value);
  blocks.creator = registered.block;
  await p.send(p.as("stranger").datasets.proveClaimPriority(p.address.creator, data.fingerprint, salt));
  const steward = p.as("steward").attestations;
  ids.consent = (await emitted(steward.attest(attestation(Subject.DatasetVersion, ids.creatorVersion, Kind.Consent)), steward, "Attested", "id")).value;

  // The ML team, fooled, licenses the attacker's copy and trains a model on it.
  const team = p.as("mlTeam");
  const termsId = (await attacker.getDataset(ids.squatDataset)).currentTermsId;
  ids.squatLicence = (
    await emitted(team.royalties.acquireLicence(ids.squatDataset, p.address.mlTeam, termsId, { value: parseEther("0.1") }), team.datasets, "LicenceAcquired", "licenceId")
  ).value;
  const fooledModel = await emitted(team.models.registerModel(false, keccakText("ward model card"), "ipfs://ward-model"), team.models, "ModelRegistered", "modelId");
  ids.fooledModel = fooledModel.value;
  ids.fooledVersion = (
    await emitted(
      team.models.publishVersion(
        fooledModel.value,
        { weightsHash: keccakText("ward model weights"), manifestRoot: ZeroHash, configHash: ZeroHash, parentVersionId: 0n, uri: "ipfs://ward-model-v1" },
        trainingRun([[ids.squatVersion, ids.squatLicence]]),
      ),
      team.models,
      "ModelVersionPublished",
      "versionId",
    )
  ).value;

  // The team publishes its weights; the attacker registers the same weights hash as its own model's.
  const teamModel = await publishModel("mlTeam", weights.fingerprint, weights.root, "ipfs://team-weights");
  Object.assign(ids, { teamModel: teamModel.model, teamVersion: teamModel.version });
  blocks.teamWeights = teamModel.block;
  const copy = await publishModel("attacker", weights.fingerprint, weights.root, "ipfs://copied-weights");
  Object.assign(ids, { copyModel: copy.model, copyVersion: copy.version });
  blocks.copyWeights = copy.block;

  // The team anchors its decisions; the attacker anchors the same root with its own approved version.
  await approve("mlTeam", ids.teamVersion);
  await approve("attacker", ids.copyVersion);
  records = Array.from({ length: 20 }, (_, i) => keccakText(`decision ${i} of the team's model`));
  const tree = DecisionTree.build(records);
  blocks.teamAnchor = await p.send(p.as("mlTeam").releases.anchorDecisions(ids.teamVersion, tree.root, records.length, 1n, 2n, WORLDWIDE, "s3://team/decisions-1"));
  blocks.copyAnchor = await p.send(p.as("attacker").releases.anchorDecisions(ids.copyVersion, tree.root, records.length, 1n, 2n, WORLDWIDE, "s3://attacker/decisions"));
  await p.sync();
}, 180_000);

afterAll(async () => {
  provider?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
  await p?.close();
});

describe("a fingerprint squatted before its creator registered it", () => {
  it("lists both claims in chain order, says whose each is, and that the creator's commitment came first", async () => {
    const answer = await claimsOf(client, { fingerprint: data.fingerprint });
    expect(answer.claims.map((c) => [c.versionId, c.claimant, c.registered.blockNumber])).toEqual([
      [s(ids.squatVersion), p.address.attacker, blocks.squat],
      [s(ids.creatorVersion), p.address.creator, blocks.creator],
    ]);
    expect(answer).toMatchObject({ competing: true, firstRegistered: s(ids.squatVersion), earliestPriority: s(ids.creatorVersion) });
    expect(answer.claims[1]!.priority).toMatchObject({ commitmentBlock: blocks.commitment });
    expect(answer.claims[1]!.attestations.map((a) => [a.id, a.kindName])).toEqual([[s(ids.consent), "consent"]]);
    expect(answer.claims[0]!.priority).toBeNull();
    expect(answer.statement).toContain(`${p.address.attacker} (dataset ${ids.squatDataset} version 1 (id ${ids.squatVersion}), block ${blocks.squat})`);
    expect(answer.statement).toContain(`${p.address.creator} (dataset ${ids.creatorDataset} version 1 (id ${ids.creatorVersion}), block ${blocks.creator}, committed earlier at block ${blocks.commitment})`);
    expect(answer.statement).toContain(`${p.address.attacker} registered first; ${p.address.creator} holds the earliest claim`);
  });

  it("matches the creator's files to her own record, and names the attacker's claim of the same files", async () => {
    const check = await doesArtifactMatch(client, dataDir, { datasetVersionId: ids.creatorVersion });
    expect(check).toMatchObject({ matches: true, recorded: { fingerprint: data.fingerprint }, subject: { id: s(ids.creatorVersion), uri: "ipfs://ward-notes" } });
    expect(check.claims.claims.map((c) => c.claimant)).toEqual([p.address.attacker, p.address.creator]);
    expect(check.summary).toContain(`matches dataset version ${ids.creatorVersion}`);
    expect(check.summary).toContain(`the same files are also claimed by ${p.address.attacker} (dataset ${ids.squatDataset}`);
  });

  it("proves an item is in the creator's version and states the competing claim", async () => {
    const answer = await proveItem(client, { datasetVersionId: ids.creatorVersion, manifest: data.manifest, item: "notes/part-1.jsonl" });
    expect(answer).toMatchObject({ verdict: "included", proofValid: true, datasetVersion: { id: s(ids.creatorVersion) } });
    expect(answer.claims.competing).toBe(true);
    expect(answer.statement).toContain(`is in dataset version ${ids.creatorVersion}`);
    expect(answer.statement).toContain(`is claimed by 2 accounts`);
  });

  it("finds the model trained on the attacker's copy when asked about the creator's data", async () => {
    const used = await wasDataUsed(client, { datasetVersionId: ids.creatorVersion });
    expect(used.startingVersionIds).toEqual([s(ids.creatorVersion)]);
    expect(used.competingClaimIds).toEqual([s(ids.squatVersion)]);
    expect(used.claims.map((c) => c.claims.map((x) => x.claimant))).toEqual([[p.address.attacker, p.address.creator]]);
    expect(used.modelVersions.map((m) => m.version.id)).toEqual([s(ids.fooledVersion)]);
    const [path] = used.modelVersions[0]!.paths;
    expect(path).toMatchObject({
      how: "direct",
      datasetVersionChain: [s(ids.squatVersion)],
      licenceId: s(ids.squatLicence),
      viaCompetingClaim: { versionId: s(ids.squatVersion), claimant: p.address.attacker, sameFingerprintAs: s(ids.creatorVersion) },
    });
    expect(path!.description).toContain(`${p.address.attacker}'s claim of the same fingerprint as dataset version ${ids.creatorVersion}`);
  });

  it("flags, in the lineage of the model trained on the copy, that its data's fingerprint is claimed by two accounts", async () => {
    const lineage = await whatTrainedThis(client, ids.fooledVersion);
    expect(lineage.competingClaims).toHaveLength(1);
    expect(lineage.competingClaims[0]).toMatchObject({ kind: "dataset-fingerprint", digest: data.fingerprint, earliestPriority: s(ids.creatorVersion) });
    expect(lineage.datasetVersions[0]!.datasetVersion).toMatchObject({ id: s(ids.squatVersion), claimant: p.address.attacker });
  });
});

describe("weights copied by another account", () => {
  it("lists both claims of the weights hash and matches the team's files to the team's version", async () => {
    const answer = await claimsOf(client, { weightsHash: weights.fingerprint });
    expect(answer.claims.map((c) => [c.versionId, c.claimant, c.assetId])).toEqual([
      [s(ids.teamVersion), p.address.mlTeam, s(ids.teamModel)],
      [s(ids.copyVersion), p.address.attacker, s(ids.copyModel)],
    ]);
    expect(answer).toMatchObject({ competing: true, firstRegistered: s(ids.teamVersion), earliestPriority: s(ids.teamVersion) });
    expect(answer.statement).toContain(`${p.address.mlTeam} registered first and holds the earliest claim`);

    const check = await doesArtifactMatch(client, weightsDir, { modelVersionId: ids.teamVersion });
    expect(check.matches).toBe(true);
    expect(check.summary).toContain(`also claimed by ${p.address.attacker} (model ${ids.copyModel} version 1 (id ${ids.copyVersion}), block ${blocks.copyWeights})`);
  });

  it("shows the copy declares no training data", async () => {
    const lineage = await whatTrainedThis(client, ids.copyVersion);
    expect(lineage.version).toMatchObject({ dataDeclared: false, claimant: p.address.attacker });
    expect(lineage.undeclaredData).toEqual([s(ids.copyVersion)]);
    expect(lineage.competingClaims.map((c) => c.firstRegistered)).toEqual([s(ids.teamVersion)]);
  });
});

describe("a decision root anchored again by another team's version", () => {
  it("verifies the record on chain for every anchoring, lists them in order and names no producer", async () => {
    const recordHash = records[7]!;
    const answer = await whichVersionProduced(client, {
      recordHash,
      records: DecisionTree.build(records).dump(),
      provider,
      releases: p.deployment.addresses.releases,
    });
    expect(answer.anchors.map((a) => [a.version.id, a.model.owner, a.batch.blockNumber, a.verified])).toEqual([
      [s(ids.teamVersion), p.address.mlTeam, blocks.teamAnchor, true],
      [s(ids.copyVersion), p.address.attacker, blocks.copyAnchor, true],
    ]);
    expect(answer).toMatchObject({ verified: true, competing: true, producedBy: null, firstAnchoredBy: s(ids.teamVersion) });
    expect(answer.statement).toContain("the root alone cannot tell which version produced it");
    expect(answer.statement).toContain(`model version ${ids.teamVersion} anchored it first`);
  });

  it("does not verify a record that is not in the batch, for either anchoring", async () => {
    const answer = await whichVersionProduced(client, {
      recordHash: keccakText("a decision nobody made"),
      records: DecisionTree.build(records).dump(),
      provider,
      releases: p.deployment.addresses.releases,
    });
    expect(answer.anchors.map((a) => a.verified)).toEqual([false, false]);
    expect(answer).toMatchObject({ verified: false, producedBy: null, inRecordsFile: false });
  });
});
