/**
 * The demo story, played through the SDK on a deployed protocol: three data creators license their datasets with
 * royalty splits, an ML team trains a base model and a fine-tune, evaluators and an approver attest, the release gate
 * (which also requires declared training data) opens, a version is deployed, replaced and rolled back, decisions are
 * anchored, the creators pull their royalties, a creator revokes consent and refunds the licence he sold, and a
 * squatter registers copies of a creator's next dataset version and of a model's weights: the creator publishes anyway
 * and proves she committed first. The demo, the end-to-end tests and the indexer benchmark all play it.
 */
import { id, parseEther, type Signer } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  acquireLicence,
  anchorDecisions,
  approveVersion,
  attest,
  commitClaim,
  createPedigreeClient,
  deployVersion,
  publishDatasetVersion,
  proveClaimPriority,
  publishModelVersion,
  refundLicence,
  registerDataset,
  registerModel,
  relaySignedAttestation,
  revokeAttestation,
  revokeConsent,
  rollback,
  setReleasePolicy,
  signAttestation,
  withdrawRoyalties,
  type PedigreeAddresses,
  type PedigreeClient,
} from "../sdk/index.ts";

/** Who plays which part. */
export interface Cast {
  /** Data creators: a hospital, a radiology lab, an open-data foundation. */
  alice: Signer;
  bob: Signer;
  carol: Signer;
  /** Receives 30 % of Alice's royalties (the annotators' collective). */
  curator: Signer;
  /** The ML team that trains and ships models. */
  mlTeam: Signer;
  evaluator: Signer;
  auditor: Signer;
  approver: Signer;
  steward: Signer;
  /** Relays a signed attestation; holds no role. */
  relayer: Signer;
  /** Registers copies of other people's data and weights as his own. */
  mallory: Signer;
}

export interface ScenarioResult {
  datasets: { clinicalNotes: bigint; radiology: bigint; publicText: bigint; squat: bigint };
  datasetVersions: {
    clinicalNotesV1: bigint;
    clinicalNotesV2: bigint;
    radiologyV1: bigint;
    publicTextV1: bigint;
    /** Mallory's copy of clinical notes v3, registered before Alice published it. */
    squat: bigint;
    /** Derived from clinical notes v2 (own) and open medical text v1 (under licence `aliceOpenText`). */
    clinicalNotesV3: bigint;
  };
  /** `radiology` is refunded after Bob revoked consent; `aliceOpenText` is Alice's licence to derive from Carol's text. */
  licences: { clinicalNotes: bigint; radiology: bigint; publicText: bigint; aliceOpenText: bigint };
  /** `copy` is Mallory's model, publishing triage v1's weights. */
  models: { triage: bigint; radiologyTriage: bigint; copy: bigint };
  /** `copyV1` claims triage v1's weights after the ML team did, and declares no training data. */
  modelVersions: { triageV1: bigint; triageV2: bigint; radiologyTriageV1: bigint; copyV1: bigint };
  attestations: { consent: bigint; licenceCompliance: bigint; safetyV1: bigint; biasV1: bigint; approvalV1: bigint; safetyV2: bigint; biasV2: bigint; approvalV2: bigint; revoked: bigint };
  deployments: { triageV1: bigint; triageV2: bigint };
  decisions: { root: string; records: string[]; count: number };
  royalties: { alice: bigint; curator: bigint; bob: bigint };
  /** Bob's refund of the ML team's radiology licence, after revoking consent; the ML team withdrew `amount`. */
  refund: { licenceId: bigint; amount: bigint; surplus: bigint };
  /** The fingerprint both Mallory and Alice claimed, and Alice's commitment, made before Mallory's claim. */
  claim: { fingerprint: string; commitment: string; committedAt: bigint; committedBlock: number; squatBlock: number; provenBlock: number };
  /** Block numbers at notable moments (for time-travel queries). */
  blocks: { beforeRollback: number; afterRollback: number; end: number };
  /** Every transaction the scenario sent, in order, with what it did. */
  log: string[];
}

const HOUR = 3600n;

/** Plays the whole story; `say` receives one line per step. */
export async function playScenario(
  addresses: PedigreeAddresses,
  cast: Cast,
  say: (line: string) => void = () => {},
): Promise<ScenarioResult> {
  const as = (signer: Signer): PedigreeClient => createPedigreeClient({ runner: signer, addresses });
  const log: string[] = [];
  const step = (line: string) => {
    log.push(line);
    say(line);
  };
  const address = (signer: Signer) => signer.getAddress();
  const provider = cast.alice.provider!;
  const now = BigInt((await provider.getBlock("latest"))!.timestamp);

  // --- data creators register licensed datasets ------------------------------------------------------------------
  const notes = await registerDataset(as(cast.alice), {
    version: {
      fingerprint: id("clinical-notes v1 (sha256 of data)"),
      manifestRoot: id("clinical-notes v1 manifest"),
      metadataHash: id("clinical-notes datasheet"),
      uri: "ipfs://bafybeiclinicalnotesv1",
    },
    terms: {
      price: parseEther("0.5"),
      duration: 365 * 24 * 3600,
      commercialUse: true,
      derivativesAllowed: true,
      documentHash: id("St Mary's Clinical Data Licence 1.0"),
      documentURI: "ipfs://bafybeistmaryslicence",
      splits: [
        { recipient: await address(cast.alice), bps: 7_000 },
        { recipient: await address(cast.curator), bps: 3_000 },
      ],
    },
  });
  step(`Alice registered dataset ${notes.datasetId} "clinical notes" (version ${notes.versionId}) at 0.5 ETH, 70/30 with the curators`);

  const notesV2 = await publishDatasetVersion(as(cast.alice), {
    datasetId: notes.datasetId,
    version: { fingerprint: id("clinical-notes v2 (de-identified)"), manifestRoot: id("clinical-notes v2 manifest"), uri: "ipfs://bafybeiclinicalnotesv2" },
    parents: [notes.versionId], // her own data: no licence needed
    transformationHash: id("pipeline: de-identify PHI, dedupe"),
  });
  step(`Alice published version ${notesV2.versionId}: de-identified, derived from version ${notes.versionId}`);

  const radiology = await registerDataset(as(cast.bob), {
    version: { fingerprint: id("radiology images v1"), manifestRoot: id("radiology manifest"), uri: "s3://bob-lab/radiology/v1" },
    terms: {
      price: parseEther("0.2"),
      duration: 180 * 24 * 3600,
      commercialUse: true,
      derivativesAllowed: true,
      documentURI: "https://bob-lab.example/licence.pdf",
      splits: [{ recipient: await address(cast.bob), bps: 10_000 }],
    },
  });
  step(`Bob registered dataset ${radiology.datasetId} "radiology images" at 0.2 ETH for 180 days`);

  const publicText = await registerDataset(as(cast.carol), {
    version: { fingerprint: id("open medical text v1"), uri: "https://data.example.org/open-medical-text" },
    terms: { price: 0n, commercialUse: true, derivativesAllowed: true, documentURI: "spdx:CC-BY-4.0" },
  });
  step(`Carol registered dataset ${publicText.datasetId} "open medical text" under CC-BY-4.0, free`);

  // --- the ML team licenses the data -----------------------------------------------------------------------------
  const team = as(cast.mlTeam);
  const licNotes = await acquireLicence(team, { datasetId: notes.datasetId });
  const licRadiology = await acquireLicence(team, { datasetId: radiology.datasetId });
  const licPublic = await acquireLicence(team, { datasetId: publicText.datasetId });
  step(`ML team acquired licences ${licNotes.licenceId}, ${licRadiology.licenceId}, ${licPublic.licenceId} (0.7 ETH in royalties)`);

  const steward = as(cast.steward);
  const consent = await attest(steward, {
    subjectType: "dataset-version",
    subjectId: notesV2.versionId,
    kind: "consent",
    evidenceHash: id("consent records"),
    evidenceURI: "ipfs://bafyconsentregister",
  });
  step(`Data steward attested consent (${consent.attestationId}) on clinical notes version ${notesV2.versionId}`);

  // --- a base model and a fine-tune ------------------------------------------------------------------------------
  const triage = await registerModel(team, { commercial: true, metadataHash: id("triage model card"), uri: "ipfs://bafytriagecard" });
  const triageV1 = await publishModelVersion(team, {
    modelId: triage.modelId,
    version: { weightsHash: id("triage v1 weights"), manifestRoot: id("triage v1 files"), configHash: id("triage config"), uri: "s3://acme/triage/v1" },
    trainingRun: {
      data: [
        { datasetVersionId: notesV2.versionId, licenceId: licNotes.licenceId },
        { datasetVersionId: publicText.versionId, licenceId: licPublic.licenceId },
      ],
      codeHash: id("git:4be1d0c"),
      hyperparametersHash: id("lr=3e-4 epochs=3"),
      startedAt: now - 48n * HOUR,
      endedAt: now - 40n * HOUR,
    },
  });
  step(`ML team published triage model ${triage.modelId} (version id ${triageV1.versionId}), trained on clinical notes v2 + open text`);

  const radiologyTriage = await registerModel(team, { commercial: true, uri: "ipfs://bafyradiologytriagecard" });
  const radiologyTriageV1 = await publishModelVersion(team, {
    modelId: radiologyTriage.modelId,
    version: { weightsHash: id("radiology-triage v1 weights"), parentVersionId: triageV1.versionId, uri: "s3://acme/radiology-triage/v1" },
    trainingRun: {
      data: [{ datasetVersionId: radiology.versionId, licenceId: licRadiology.licenceId }],
      codeHash: id("git:91aa02e"),
      startedAt: now - 30n * HOUR,
      endedAt: now - 28n * HOUR,
    },
  });
  step(`ML team fine-tuned it into model ${radiologyTriage.modelId} (version id ${radiologyTriageV1.versionId}) on radiology images`);

  const auditor = as(cast.auditor);
  const compliance = await attest(auditor, {
    subjectType: "training-run",
    subjectId: triageV1.versionId,
    kind: "licence-compliance",
    evidenceURI: "ipfs://bafyauditreport",
  });
  step(`Auditor attested licence compliance (${compliance.attestationId}) of training run ${triageV1.versionId}`);

  // --- release gate: safety + bias + approval, on declared training data -------------------------------------------
  await setReleasePolicy(team, {
    modelId: triage.modelId,
    kinds: ["safety-evaluation", "bias-check", "release-approval"],
    requireDeclaredData: true,
  });
  const evaluator = as(cast.evaluator);
  const safetyV1 = await attest(evaluator, { subjectType: "model-version", subjectId: triageV1.versionId, kind: "safety-evaluation", evidenceURI: "ipfs://bafysafetyv1" });
  // The bias check is signed offline by the evaluator and relayed by someone else.
  const signed = await signAttestation(evaluator, {
    request: { subjectType: "model-version", subjectId: triageV1.versionId, kind: "bias-check", evidenceURI: "ipfs://bafybiasv1" },
  });
  const biasV1 = await relaySignedAttestation(as(cast.relayer), JSON.parse(JSON.stringify(signed)));
  const approver = as(cast.approver);
  const approvalV1 = await attest(approver, { subjectType: "model-version", subjectId: triageV1.versionId, kind: "release-approval", evidenceURI: "ipfs://bafyreleasememov1" });
  await approveVersion(team, { versionId: triageV1.versionId, attestationIds: [safetyV1.attestationId, biasV1.attestationId, approvalV1.attestationId] });
  step(`Safety (${safetyV1.attestationId}), bias (${biasV1.attestationId}, relayed signature) and approval (${approvalV1.attestationId}): version ${triageV1.versionId} approved`);

  const deployV1 = await deployVersion(team, { versionId: triageV1.versionId, environment: "production" });
  step(`Version ${triageV1.versionId} deployed to production (deployment ${deployV1.deploymentId})`);

  // --- decisions of v1 are anchored -------------------------------------------------------------------------------
  const records = Array.from({ length: 1_000 }, (_, i) => id(`decision ${i}: patient ${i % 311} triaged by triage v1`));
  const tree = StandardMerkleTree.of(records.map((r) => [r]), ["bytes32"]);
  await anchorDecisions(team, {
    versionId: triageV1.versionId,
    root: tree.root,
    count: records.length,
    windowStart: now - 24n * HOUR,
    windowEnd: now,
    uri: "s3://acme/decisions/triage-v1/batch-0001.jsonl",
  });
  step(`1000 decisions of version ${triageV1.versionId} anchored as ${tree.root.slice(0, 12)}…`);

  // --- v2, deployed, then rolled back -----------------------------------------------------------------------------
  const triageV2 = await publishModelVersion(team, {
    modelId: triage.modelId,
    version: { weightsHash: id("triage v2 weights"), parentVersionId: triageV1.versionId, uri: "s3://acme/triage/v2" },
    trainingRun: {
      data: [{ datasetVersionId: notesV2.versionId, licenceId: licNotes.licenceId }],
      codeHash: id("git:c0ffee1"),
      startedAt: now - 20n * HOUR,
      endedAt: now - 12n * HOUR,
    },
  });
  const safetyV2 = await attest(evaluator, { subjectType: "model-version", subjectId: triageV2.versionId, kind: "safety-evaluation", evidenceURI: "ipfs://bafysafetyv2" });
  const biasV2 = await attest(evaluator, { subjectType: "model-version", subjectId: triageV2.versionId, kind: "bias-check", evidenceURI: "ipfs://bafybiasv2" });
  const approvalV2 = await attest(approver, { subjectType: "model-version", subjectId: triageV2.versionId, kind: "release-approval", evidenceURI: "ipfs://bafyreleasememov2" });
  await approveVersion(team, { versionId: triageV2.versionId, attestationIds: [safetyV2.attestationId, biasV2.attestationId, approvalV2.attestationId] });
  const deployV2 = await deployVersion(team, { versionId: triageV2.versionId, environment: "production" });
  step(`Triage version 2 (version id ${triageV2.versionId}) approved and deployed to production (deployment ${deployV2.deploymentId})`);
  const beforeRollback = await provider.getBlockNumber();

  await revokeAttestation(evaluator, { attestationId: biasV2.attestationId, reason: "bias regression found in post-release monitoring" });
  await rollback(team, { modelId: triage.modelId, environment: "production", reason: "bias regression in v2" });
  const afterRollback = await provider.getBlockNumber();
  step(`Bias check ${biasV2.attestationId} revoked; production rolled back to version id ${triageV1.versionId}`);

  // --- creators pull royalties ----------------------------------------------------------------------------------
  const aliceRoyalty = await withdrawRoyalties(as(cast.alice), {});
  const curatorRoyalty = await withdrawRoyalties(as(cast.curator), {});
  const bobRoyalty = await withdrawRoyalties(as(cast.bob), {});
  step(`Royalties withdrawn: Alice ${fmt(aliceRoyalty.amount)} ETH, curators ${fmt(curatorRoyalty.amount)} ETH, Bob ${fmt(bobRoyalty.amount)} ETH`);

  // --- consent revoked: the licence sold is refunded, not silently taken back -------------------------------------
  await revokeConsent(as(cast.bob), { datasetId: radiology.datasetId, reason: "patient consent revoked" });
  const refund = await refundLicence(as(cast.bob), { licenceId: licRadiology.licenceId });
  step(`Bob revoked consent to dataset ${radiology.datasetId}, which withdraws it, and refunded licence ${licRadiology.licenceId}: ${fmt(refund.amount)} ETH for its unused time`);
  const refundWithdrawn = await withdrawRoyalties(team, {});
  step(`ML team withdrew its ${fmt(refundWithdrawn.amount)} ETH refund; the fine-tune trained on radiology images now rests on a refunded licence`);

  // --- a squatter copies data and weights; the creators are not locked out -----------------------------------------
  const notesV3Fingerprint = id("clinical-notes v3 (2026 notes added)");
  const committed = await commitClaim(as(cast.alice), { registry: "datasets", digest: notesV3Fingerprint });
  step(`Alice committed to the fingerprint of her next version without revealing it (commitment ${committed.secret.commitment.slice(0, 12)}…)`);
  const squat = await registerDataset(as(cast.mallory), {
    version: { fingerprint: notesV3Fingerprint, uri: "ipfs://bafymallorycopyofnotes" },
  });
  step(`Mallory registered the same fingerprint first, as his dataset ${squat.datasetId} (version ${squat.versionId})`);
  const licAliceOpen = await acquireLicence(as(cast.alice), { datasetId: publicText.datasetId });
  const notesV3 = await publishDatasetVersion(as(cast.alice), {
    datasetId: notes.datasetId,
    version: { fingerprint: notesV3Fingerprint, manifestRoot: id("clinical-notes v3 manifest"), uri: "ipfs://bafybeiclinicalnotesv3" },
    parents: [notesV2.versionId, { versionId: publicText.versionId, licenceId: licAliceOpen.licenceId }],
    transformationHash: id("pipeline: add 2026 notes, normalise terms with open medical text"),
  });
  step(`Alice published version ${notesV3.versionId} anyway (claims are per claimant), derived from version ${notesV2.versionId} and, under licence ${licAliceOpen.licenceId}, Carol's open text`);
  const proven = await proveClaimPriority(as(cast.alice), committed.secret);
  step(`Alice proved her claim of version ${proven.versionId} was committed at block ${committed.blockNumber}, before Mallory's at block ${squat.blockNumber}`);

  const copy = await registerModel(as(cast.mallory), { commercial: false, uri: "ipfs://bafymallorymodelcard" });
  const copyV1 = await publishModelVersion(as(cast.mallory), {
    modelId: copy.modelId,
    version: { weightsHash: id("triage v1 weights"), uri: "s3://mallory/triage-copy" },
    trainingRun: { data: [], startedAt: now, endedAt: now },
  });
  step(`Mallory published triage v1's weights as his model ${copy.modelId} (version id ${copyV1.versionId}), claiming them after the ML team and declaring no training data`);

  return {
    datasets: { clinicalNotes: notes.datasetId, radiology: radiology.datasetId, publicText: publicText.datasetId, squat: squat.datasetId },
    datasetVersions: {
      clinicalNotesV1: notes.versionId,
      clinicalNotesV2: notesV2.versionId,
      radiologyV1: radiology.versionId,
      publicTextV1: publicText.versionId,
      squat: squat.versionId,
      clinicalNotesV3: notesV3.versionId,
    },
    licences: {
      clinicalNotes: licNotes.licenceId,
      radiology: licRadiology.licenceId,
      publicText: licPublic.licenceId,
      aliceOpenText: licAliceOpen.licenceId,
    },
    models: { triage: triage.modelId, radiologyTriage: radiologyTriage.modelId, copy: copy.modelId },
    modelVersions: {
      triageV1: triageV1.versionId,
      triageV2: triageV2.versionId,
      radiologyTriageV1: radiologyTriageV1.versionId,
      copyV1: copyV1.versionId,
    },
    attestations: {
      consent: consent.attestationId,
      licenceCompliance: compliance.attestationId,
      safetyV1: safetyV1.attestationId,
      biasV1: biasV1.attestationId,
      approvalV1: approvalV1.attestationId,
      safetyV2: safetyV2.attestationId,
      biasV2: biasV2.attestationId,
      approvalV2: approvalV2.attestationId,
      revoked: biasV2.attestationId,
    },
    deployments: { triageV1: deployV1.deploymentId, triageV2: deployV2.deploymentId },
    decisions: { root: tree.root, records, count: records.length },
    royalties: { alice: aliceRoyalty.amount, curator: curatorRoyalty.amount, bob: bobRoyalty.amount },
    refund: { licenceId: refund.licenceId, amount: refund.amount, surplus: refund.surplus },
    claim: {
      fingerprint: notesV3Fingerprint,
      commitment: committed.secret.commitment,
      committedAt: proven.committedAt,
      committedBlock: committed.blockNumber,
      squatBlock: squat.blockNumber,
      provenBlock: proven.blockNumber,
    },
    blocks: { beforeRollback, afterRollback, end: await provider.getBlockNumber() },
    log,
  };
}

function fmt(wei: bigint): string {
  const whole = wei / 10n ** 18n;
  const fraction = (wei % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}
