/**
 * The demo story, played through the SDK on a deployed protocol: three data creators license their datasets with
 * royalty splits, an ML team trains a base model and a fine-tune, evaluators and an approver attest, the release gate
 * (which also requires declared training data) opens, a version is deployed in the EU — its attempt to serve the US too is
 * refused, the clinical notes' licence allowing deployment in the EU only —, replaced and rolled back, decisions are
 * anchored, the creators pull their royalties, a creator revokes consent and refunds the licence he sold, and a
 * squatter registers copies of a creator's next dataset version and of a model's weights: the creator publishes anyway
 * and proves she committed first. The model then serves as an assistant (system versions: prompt, retrieval, policy),
 * and a support agent acts for it, anchoring its actions before and after the assistant is rolled back. The demo, the end-to-end tests and the report tests all play it (see
 * ./indexed-scenario.ts). The story is told in acts, one function each, in the order the transactions are sent.
 */
import { dataSlice, getAddress, id, parseEther, type Provider, type Signer } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { actionBatch, type ActionBatch, type ActionRecord } from "../core/actions.ts";
import { commitFields, type CommitmentSecrets } from "../core/commitments.ts";
import {
  acquireLicence,
  depositForUsage,
  reportUsage,
  setContributors,
  anchorActions,
  bindAgent,
  anchorDecisions,
  anchorSystemDecisions,
  approveSystemVersion,
  approveVersion,
  attest,
  commitClaim,
  createPedigreeClient,
  deploySystem,
  deployVersion,
  PedigreeContractError,
  publishSystemVersion,
  publishDatasetVersion,
  proveClaimPriority,
  publishModelVersion,
  refundLicence,
  registerAgent,
  registerDataset,
  registerModel,
  relayActionBatch,
  relaySignedAttestation,
  revokeAttestation,
  revokeConsent,
  rollback,
  setOperatorWallet,
  setReleasePolicy,
  signActionBatch,
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
  /** The operator wallet a support agent of the ML team acts with. */
  agentWallet: Signer;
}

export interface ScenarioResult {
  /** The secrets of clinical notes v1's datasheet, committed privately (its metadata hash is their root): Alice's. */
  privateDatasheet: CommitmentSecrets;
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
  /**
   * `assistantV1` runs triage v1 as system version `systems.assistant` in the assistant environment (EU); `assistant`
   * runs the prompt update, which replaced it and was rolled back in act 9, making `assistantV1` live again.
   */
  deployments: { triageV1: bigint; triageV2: bigint; assistant: bigint; assistantV1: bigint };
  systems: { assistant: bigint; promptUpdate: bigint; decisionsRoot: string };
  /**
   * The support agent: bound to the prompt update (under a policy of its own) for its first batch, then — after the
   * assistant was rolled back — to the first system version (under that version's policy) for its second, relayed
   * from the wallet's signature. `validation` is an evaluator's policy-conformance check of the agent.
   */
  agent: {
    agentId: bigint;
    policyHash: string;
    bindings: { beforeRollback: bigint; afterRollback: bigint };
    batches: { beforeRollback: ActionBatch; afterRollback: ActionBatch };
    validation: bigint;
    rollbackBlock: number;
  };
  /**
   * Act 10: the ML team's usage report of `tokens` trained on clinical notes v2 (paid from a `deposit` on licence
   * `clinicalNotes`), disputed by the auditor; the annotated notes derived from clinical notes v2 by the annotators'
   * collective under licence `collective`, with two `annotators` as contributors, and the ML team's licence `sale` of it.
   */
  usage: {
    reportId: bigint;
    disputeId: bigint;
    tokens: bigint;
    deposit: bigint;
    annotated: { datasetId: bigint; versionId: bigint };
    annotators: string[];
    licences: { collective: bigint; sale: bigint };
  };
  /** The ML team's attempt to serve triage v1 in the US, refused on chain; nothing was written. */
  refusedDeployment: { environment: string; regions: string; errorName: string; licenceId: bigint; message: string };
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
/** Clinical notes are metered: 1 gwei per token trained on them. */
const NOTES_PRICE_PER_TOKEN = 10n ** 9n;
/** The tokens of clinical notes triage v1 was trained on, reported by the ML team. */
const TOKENS_TRAINED = 4_000_000n;
/** Where the ML team trains (an EEA country, as the clinical notes' licence requires) and who computes its runs. */
const TRAINING_REGION = "IE";
const COMPUTE_PROVIDER = "eu-gpu-cloud:dublin";
/** Where production serves: the clinical notes may be deployed in the EU only. */
const PRODUCTION_REGIONS = "EU";

/** What every act plays with: a client per signer, the step logger, the cast and the chain's time at the start. */
interface Stage {
  as(signer: Signer): PedigreeClient;
  step(line: string): void;
  cast: Cast;
  now: bigint;
  provider: Provider;
}

/** Plays the whole story; `say` receives one line per step. */
export async function playScenario(
  addresses: PedigreeAddresses,
  cast: Cast,
  say: (line: string) => void = () => {},
): Promise<ScenarioResult> {
  const log: string[] = [];
  const provider = cast.alice.provider!;
  const stage: Stage = {
    as: (signer) => createPedigreeClient({ runner: signer, addresses }),
    step: (line) => {
      log.push(line);
      say(line);
    },
    cast,
    now: BigInt((await provider.getBlock("latest"))!.timestamp),
    provider,
  };
  const data = await registerData(stage);
  const licences = await licenseData(stage, data);
  const models = await trainModels(stage, data, licences);
  const v1 = await releaseV1(stage, models.triageV1);
  const decisions = await anchorDecisionsOfV1(stage, models.triageV1);
  const v2 = await releaseAndRollBackV2(stage, data, licences, models);
  const payouts = await payAndRefund(stage, data, licences);
  const claims = await squatAndProve(stage, data);
  const systems = await serveAsAssistant(stage, data, licences, models.triageV1);
  const agent = await actAsSupportAgent(stage, models.triage.modelId, systems);
  const usage = await payByUseAndDerivation(stage, data, licences);
  const end = await provider.getBlockNumber();
  return resultOf({ data, licences, models, v1, decisions, v2, payouts, claims, systems, agent, usage, end, log });
}

type Act<T extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<T>>;

/** The release gate the triage model's policy sets (safety, bias, approval), passed by system version `systemId`. */
async function approveSystem({ as, cast }: Pick<Stage, "as" | "cast">, systemId: bigint, evidence: string) {
  const subject = { subjectType: "system-version" as const, subjectId: systemId };
  const evaluator = as(cast.evaluator);
  const attestations = [
    await attest(evaluator, { ...subject, kind: "safety-evaluation", evidenceURI: `ipfs://bafysafety${evidence}` }),
    await attest(evaluator, { ...subject, kind: "bias-check", evidenceURI: `ipfs://bafybias${evidence}` }),
    await attest(as(cast.approver), { ...subject, kind: "release-approval", evidenceURI: `ipfs://bafyrelease${evidence}` }),
  ];
  await approveSystemVersion(as(cast.mlTeam), { systemId, attestationIds: attestations.map((a) => a.attestationId) });
}

/**
 * Act 8: triage v1 serves as an assistant — a system version with its prompt, a retrieval index over the clinical
 * notes (licensed, so the assistant may serve the EU only), a policy and tools; then a prompt update, released as a new
 * system version on the same weights, replaces it, and the assistant's decisions are anchored under its policy.
 */
async function serveAsAssistant(stage: Stage, data: Act<typeof registerData>, licences: Act<typeof licenseData>, triageV1: { versionId: bigint }) {
  const { as, step, cast, now } = stage;
  const team = as(cast.mlTeam);
  const first = await publishSystemVersion(team, {
    modelVersionId: triageV1.versionId,
    config: { promptHash: id("triage assistant prompt v1"), retrievalIndex: id("clinical notes v2 vector index"), policyHash: id("guardrails: no diagnosis, escalate to a clinician"), toolsHash: id("tools: lookup-guideline") },
    retrievalData: [{ datasetVersionId: data.notesV2.versionId, licenceId: licences.notes.licenceId }],
    uri: "ipfs://bafyassistantcard",
  });
  await approveSystem(stage, first.systemId, "assistantv1");
  const firstDeployment = await deploySystem(team, { systemId: first.systemId, environment: "assistant", regions: PRODUCTION_REGIONS });
  step(`Triage v1 serves as an assistant: system version ${first.systemId} (prompt, retrieval over clinical notes v2, guardrails, tools), approved and deployed in the EU`);
  const promptUpdate = await publishSystemVersion(team, {
    modelVersionId: triageV1.versionId,
    parentId: first.systemId,
    config: { promptHash: id("triage assistant prompt v2: ask for symptom onset") },
    uri: "ipfs://bafyassistantcardv2",
  });
  await approveSystem(stage, promptUpdate.systemId, "assistantv2");
  const deployed = await deploySystem(team, { systemId: promptUpdate.systemId, environment: "assistant", regions: PRODUCTION_REGIONS });
  step(`A prompt update, released as system version ${promptUpdate.systemId} on the same weights, replaced it (deployment ${deployed.deploymentId})`);
  const records = Array.from({ length: 100 }, (_, i) => id(`assistant decision ${i}`));
  const tree = StandardMerkleTree.of(records.map((r) => [r]), ["bytes32"]);
  await anchorSystemDecisions(team, { systemId: promptUpdate.systemId, root: tree.root, count: records.length, windowStart: now - HOUR, windowEnd: now, regions: "DE", uri: "s3://acme/decisions/assistant/batch-0001.jsonl" });
  step(`100 decisions of system version ${promptUpdate.systemId}, made in DE under its guardrails policy, anchored`);
  return { first, promptUpdate, firstDeploymentId: firstDeployment.deploymentId, deploymentId: deployed.deploymentId, root: tree.root };
}

/**
 * `count` action records `<prefix>-1` … `<prefix>-<count>`, one a minute from `start` (unix seconds; every fifth failed
 * its policy check): the support agent's, and the tests' agents'.
 */
export function actionRecords(prefix: string, count: number, start: bigint | number): ActionRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    actionId: `${prefix}-${i + 1}`,
    intentHash: id(`${prefix} request ${i + 1}`),
    reference: `ticket:${prefix}-${1000 + i}`,
    policyCheck: i % 5 === 4 ? ("failed" as const) : ("passed" as const),
    timestamp: Number(start) + 60 * i,
  }));
}

/**
 * Act 9: a support agent acts for the assistant. The ML team registers it, lets a wallet act for it and binds it to the
 * live prompt update under a policy of its own; the wallet anchors a batch of its actions. Patients find the new
 * question confusing: the assistant is rolled back to its first system version, the agent is rebound to it, and its
 * next batch — signed by the wallet, relayed by the relayer — is anchored under that binding. An evaluator checks the
 * agent's conformance to its policy.
 */
async function actAsSupportAgent(stage: Stage, modelId: bigint, systems: Act<typeof serveAsAssistant>) {
  const { as, step, cast, now } = stage;
  const team = as(cast.mlTeam);
  const wallet = as(cast.agentWallet);
  const { agentId } = await registerAgent(team, { agentURI: "ipfs://bafyagentcard-support" });
  await setOperatorWallet(team, { agentId, wallet: await cast.agentWallet.getAddress(), allowed: true });
  const policyHash = id("support agent policy: book follow-ups, escalate anything clinical");
  const first = await bindAgent(team, { agentId, systemId: systems.promptUpdate.systemId, policyHash });
  const beforeRollback = actionBatch(actionRecords("follow-up", 10, now - 2n * HOUR));
  await anchorActions(wallet, { agentId, batch: beforeRollback, uri: "s3://acme/agents/support/batch-0001.json" });
  step(`Support agent ${agentId}, bound to system version ${systems.promptUpdate.systemId} under its own policy, anchored 10 actions`);

  const rolledBack = await rollback(team, { modelId, environment: "assistant", reason: "patients found the symptom-onset question confusing" });
  const second = await bindAgent(team, { agentId, systemId: systems.first.systemId });
  const afterRollback = actionBatch(actionRecords("escalation", 4, now - HOUR));
  const signed = await signActionBatch(wallet, { agentId, batch: afterRollback, uri: "s3://acme/agents/support/batch-0002.json" });
  await relayActionBatch(as(cast.relayer), signed);
  step(`The assistant was rolled back to system version ${systems.first.systemId}; the agent, rebound to it, anchored 4 more actions (signed, relayed)`);

  const validation = await attest(as(cast.evaluator), { subjectType: "agent", subjectId: agentId, kind: "safety-evaluation", evidenceURI: "ipfs://bafyagentconformance" });
  step(`An evaluator checked agent ${agentId}'s conformance to its policy (attestation ${validation.attestationId})`);
  return {
    agentId,
    policyHash,
    bindings: { beforeRollback: first.bindingId, afterRollback: second.bindingId },
    batches: { beforeRollback, afterRollback },
    validation: validation.attestationId,
    rollbackBlock: rolledBack.blockNumber,
  };
}

/**
 * Act 10: royalties by use and down the lineage. The ML team prepays a deposit and reports the tokens of clinical notes
 * triage v1 was trained on; an auditor disputes the count. The annotators' collective licenses the notes and publishes
 * an annotated version of them, naming two annotators as contributors; when the ML team licenses it, 15 % goes up the
 * lineage to Alice's recipients, the annotators take their share of the rest, and the collective the remainder.
 */
async function payByUseAndDerivation({ as, step, cast }: Stage, data: Act<typeof registerData>, licences: Act<typeof licenseData>) {
  const team = as(cast.mlTeam);
  const licenceId = licences.notes.licenceId;
  const deposit = parseEther("0.01");
  await depositForUsage(team, { licenceId, amount: deposit });
  const { reportId: usageReportId } = await reportUsage(team, {
    licenceId,
    versionId: data.notesV2.versionId,
    units: TOKENS_TRAINED,
    evidence: { hash: id("triage v1 training log: token counts"), uri: "ipfs://bafytriagev1tokens" },
  });
  step(`ML team deposited ${fmt(deposit)} ETH on licence ${licenceId} and reported ${TOKENS_TRAINED} tokens trained on clinical notes version ${data.notesV2.versionId} (report ${usageReportId}, ${fmt(TOKENS_TRAINED * NOTES_PRICE_PER_TOKEN)} ETH from the deposit)`);
  const dispute = await attest(as(cast.auditor), { subjectType: "usage-report", subjectId: usageReportId, kind: "usage-dispute", evidenceHash: id("GPU job logs: 5.2M tokens"), evidenceURI: "ipfs://bafyusageaudit" });
  step(`Auditor disputed usage report ${usageReportId} (attestation ${dispute.attestationId}): the job logs count more tokens`);

  const collective = as(cast.curator);
  const bought = await acquireLicence(collective, { datasetId: data.notes.datasetId });
  const annotated = await registerDataset(collective, {
    version: { fingerprint: id("clinical notes, annotated v1"), manifestRoot: id("annotated manifest"), uri: "ipfs://bafyannotatednotes" },
    parents: [{ versionId: data.notesV2.versionId, licenceId: bought.licenceId }],
    transformationHash: id("pipeline: clinician labels, adjudication"),
    terms: { price: parseEther("0.1"), commercialUse: true, derivativesAllowed: true, documentURI: "ipfs://bafyannotatedlicence", splits: [{ recipient: await cast.curator.getAddress(), bps: 10_000 }] },
  });
  await setContributors(collective, { versionId: annotated.versionId, contributors: ANNOTATORS.map((account) => ({ account, bps: 1_000, role: "labelling" })) });
  step(`The annotators' collective licensed clinical notes (licence ${bought.licenceId}) and published dataset ${annotated.datasetId} "clinical notes, annotated" derived from version ${data.notesV2.versionId}, with 2 annotators at 10 % each`);
  const sale = await acquireLicence(team, { datasetId: annotated.datasetId });
  step(`ML team licensed the annotated notes (licence ${sale.licenceId}, 0.1 ETH): 15 % up the lineage to Alice and the curators, 10 % to each annotator of the rest, the collective the remainder`);
  return { usageReportId, disputeId: dispute.attestationId, annotated, collectiveLicenceId: bought.licenceId, saleLicenceId: sale.licenceId, deposit };
}

/** Two annotators of the collective, named as contributors of the annotated notes (they never sign anything). */
const ANNOTATORS = [id("annotator: ward 3"), id("annotator: ward 5")].map((hash) => getAddress(dataSlice(hash, 12)));

/** Act 1: data creators register licensed datasets; Alice derives a de-identified version. */
async function registerData({ as, step, cast }: Stage) {
  const alice = await cast.alice.getAddress();
  // The datasheet is committed privately: each field salted, only the root on chain; Alice keeps the secrets.
  const datasheet = commitFields({
    source: "St Mary's Hospital EHR export, wards 3-7, 2024-2025",
    consentBasis: "GDPR Art. 9(2)(a), explicit consent, form CN-2024",
    piiPresent: "yes: names and dates removed in version 2",
    annotators: "12 clinicians of the annotators' collective",
  });
  const notes = await registerDataset(as(cast.alice), {
    version: {
      fingerprint: id("clinical-notes v1 (sha256 of data)"),
      manifestRoot: id("clinical-notes v1 manifest"),
      metadataHash: datasheet.root,
      uri: "ipfs://bafybeiclinicalnotesv1",
      origin: "EU",
      handlingPolicy: { hash: id("clinical-notes handling: GDPR special category, PII present, consent basis Art. 9(2)(a)"), uri: "ipfs://bafybeinoteshandling" },
    },
    terms: {
      price: parseEther("0.5"),
      duration: 365 * 24 * 3600,
      commercialUse: true,
      derivativesAllowed: true,
      documentHash: id("St Mary's Clinical Data Licence 1.0"),
      documentURI: "ipfs://bafybeistmaryslicence",
      splits: [
        { recipient: alice, bps: 7_000 },
        { recipient: await cast.curator.getAddress(), bps: 3_000 },
      ],
      territories: { training: "EEA", deployment: "EU" },
      usage: { unitPrice: NOTES_PRICE_PER_TOKEN, unit: "tokens-trained" },
      derivativeRoyaltyBps: 1_500,
    },
  });
  step(
    `Alice registered dataset ${notes.datasetId} "clinical notes" (version ${notes.versionId}) at 0.5 ETH plus 1 gwei per token trained, ` +
      "70/30 with the curators, 15 % of what datasets derived from it earn; training in the EEA, deployment in the EU only; " +
      "its datasheet committed privately (4 salted fields, only the root on chain)",
  );

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
      splits: [{ recipient: await cast.bob.getAddress(), bps: 10_000 }],
    },
  });
  step(`Bob registered dataset ${radiology.datasetId} "radiology images" at 0.2 ETH for 180 days`);

  const publicText = await registerDataset(as(cast.carol), {
    version: { fingerprint: id("open medical text v1"), uri: "https://data.example.org/open-medical-text" },
    terms: { price: 0n, commercialUse: true, derivativesAllowed: true, documentURI: "spdx:CC-BY-4.0" },
  });
  step(`Carol registered dataset ${publicText.datasetId} "open medical text" under CC-BY-4.0, free`);
  return { notes, notesV2, radiology, publicText, datasheet };
}

/** Act 2: the ML team licenses the data; the data steward attests consent. */
async function licenseData({ as, step, cast }: Stage, data: Act<typeof registerData>) {
  const team = as(cast.mlTeam);
  const notes = await acquireLicence(team, { datasetId: data.notes.datasetId });
  const radiology = await acquireLicence(team, { datasetId: data.radiology.datasetId });
  const publicText = await acquireLicence(team, { datasetId: data.publicText.datasetId });
  step(`ML team acquired licences ${notes.licenceId}, ${radiology.licenceId}, ${publicText.licenceId} (0.7 ETH in royalties)`);

  const consent = await attest(as(cast.steward), {
    subjectType: "dataset-version",
    subjectId: data.notesV2.versionId,
    kind: "consent",
    evidenceHash: id("consent records"),
    evidenceURI: "ipfs://bafyconsentregister",
  });
  step(`Data steward attested consent (${consent.attestationId}) on clinical notes version ${data.notesV2.versionId}`);
  return { notes, radiology, publicText, consent };
}

/** Act 3: a base model trained on the licensed data, a fine-tune of it, and the audit of the training run. */
async function trainModels({ as, step, cast, now }: Stage, data: Act<typeof registerData>, licences: Act<typeof licenseData>) {
  const team = as(cast.mlTeam);
  const triage = await registerModel(team, { commercial: true, metadataHash: id("triage model card"), uri: "ipfs://bafytriagecard" });
  const triageV1 = await publishModelVersion(team, {
    modelId: triage.modelId,
    version: { weightsHash: id("triage v1 weights"), manifestRoot: id("triage v1 files"), configHash: id("triage config"), uri: "s3://acme/triage/v1" },
    trainingRun: {
      data: [
        { datasetVersionId: data.notesV2.versionId, licenceId: licences.notes.licenceId },
        { datasetVersionId: data.publicText.versionId, licenceId: licences.publicText.licenceId },
      ],
      codeHash: id("git:4be1d0c"),
      hyperparametersHash: id("lr=3e-4 epochs=3"),
      region: TRAINING_REGION,
      computeProvider: COMPUTE_PROVIDER,
      startedAt: now - 48n * HOUR,
      endedAt: now - 40n * HOUR,
    },
  });
  step(
    `ML team published triage model ${triage.modelId} (version id ${triageV1.versionId}), trained on clinical notes v2 + open text ` +
      `in ${TRAINING_REGION} (inside the notes' EEA training territory) by ${COMPUTE_PROVIDER}`,
  );

  const radiologyTriage = await registerModel(team, { commercial: true, uri: "ipfs://bafyradiologytriagecard" });
  const radiologyTriageV1 = await publishModelVersion(team, {
    modelId: radiologyTriage.modelId,
    version: { weightsHash: id("radiology-triage v1 weights"), parentVersionId: triageV1.versionId, uri: "s3://acme/radiology-triage/v1" },
    trainingRun: {
      data: [{ datasetVersionId: data.radiology.versionId, licenceId: licences.radiology.licenceId }],
      codeHash: id("git:91aa02e"),
      region: "NL", // the parent's clinical notes still bind it to the EEA
      computeProvider: COMPUTE_PROVIDER,
      startedAt: now - 30n * HOUR,
      endedAt: now - 28n * HOUR,
    },
  });
  step(
    `ML team fine-tuned it into model ${radiologyTriage.modelId} (version id ${radiologyTriageV1.versionId}) on radiology images, ` +
      "in NL: its parent's clinical notes still bind it to the EEA",
  );

  const compliance = await attest(as(cast.auditor), {
    subjectType: "training-run",
    subjectId: triageV1.versionId,
    kind: "licence-compliance",
    evidenceURI: "ipfs://bafyauditreport",
  });
  step(`Auditor attested licence compliance (${compliance.attestationId}) of training run ${triageV1.versionId}`);
  return { triage, triageV1, radiologyTriage, radiologyTriageV1, compliance };
}

/** Act 4: the release gate (safety + bias + approval, on declared training data) opens; v1 goes live. */
async function releaseV1({ as, step, cast }: Stage, triageV1: { modelId: bigint; versionId: bigint }) {
  const team = as(cast.mlTeam);
  await setReleasePolicy(team, {
    modelId: triageV1.modelId,
    kinds: ["safety-evaluation", "bias-check", "release-approval"],
    requireDeclaredData: true,
  });
  const evaluator = as(cast.evaluator);
  const versionId = triageV1.versionId;
  const safety = await attest(evaluator, { subjectType: "model-version", subjectId: versionId, kind: "safety-evaluation", evidenceURI: "ipfs://bafysafetyv1" });
  // The bias check is signed offline by the evaluator and relayed by someone else.
  const signed = await signAttestation(evaluator, {
    request: { subjectType: "model-version", subjectId: versionId, kind: "bias-check", evidenceURI: "ipfs://bafybiasv1" },
  });
  const bias = await relaySignedAttestation(as(cast.relayer), JSON.parse(JSON.stringify(signed)));
  const approval = await attest(as(cast.approver), { subjectType: "model-version", subjectId: versionId, kind: "release-approval", evidenceURI: "ipfs://bafyreleasememov1" });
  await approveVersion(team, { versionId, attestationIds: [safety.attestationId, bias.attestationId, approval.attestationId] });
  step(`Safety (${safety.attestationId}), bias (${bias.attestationId}, relayed signature) and approval (${approval.attestationId}): version ${versionId} approved`);

  const deployment = await deployVersion(team, { versionId, environment: "production", regions: PRODUCTION_REGIONS });
  step(`Version ${versionId} deployed to production, serving the EU (deployment ${deployment.deploymentId})`);
  const refusedDeployment = await tryServingTheUs(team, versionId);
  step(`ML team tried to serve version ${versionId} in the US too: refused, nothing written — ${refusedDeployment.message}`);
  return { safety, bias, approval, deployment, refusedDeployment };
}

/** The ML team tries to deploy `versionId` in the US, outside the clinical notes' EU deployment territory. */
async function tryServingTheUs(team: PedigreeClient, versionId: bigint): Promise<ScenarioResult["refusedDeployment"]> {
  const attempt = { environment: "production-us", regions: "US" };
  try {
    await deployVersion(team, { versionId, ...attempt });
  } catch (error) {
    if (!(error instanceof PedigreeContractError) || error.errorName !== "DeploymentOutsideTerritory") throw error;
    return { ...attempt, errorName: error.errorName, licenceId: error.args.licenceId as bigint, message: error.message };
  }
  throw new Error(`the deployment of version ${versionId} in the US was expected to be refused`);
}

/** Act 5: 1 000 decisions of v1 are anchored as one Merkle root. */
async function anchorDecisionsOfV1({ as, step, cast, now }: Stage, triageV1: { versionId: bigint }) {
  const records = Array.from({ length: 1_000 }, (_, i) => id(`decision ${i}: patient ${i % 311} triaged by triage v1`));
  const tree = StandardMerkleTree.of(records.map((r) => [r]), ["bytes32"]);
  await anchorDecisions(as(cast.mlTeam), {
    versionId: triageV1.versionId,
    root: tree.root,
    count: records.length,
    windowStart: now - 24n * HOUR,
    windowEnd: now,
    regions: "DE,FR,NL", // where production served these patients
    uri: "s3://acme/decisions/triage-v1/batch-0001.jsonl",
  });
  step(`1000 decisions of version ${triageV1.versionId}, made in DE, FR and NL, anchored as ${tree.root.slice(0, 12)}…`);
  return { root: tree.root, records };
}

/** Act 6: v2 is trained, approved and deployed; its bias check is revoked and production rolls back to v1. */
async function releaseAndRollBackV2(
  { as, step, cast, now, provider }: Stage,
  data: Act<typeof registerData>,
  licences: Act<typeof licenseData>,
  models: Act<typeof trainModels>,
) {
  const team = as(cast.mlTeam);
  const evaluator = as(cast.evaluator);
  const triageV2 = await publishModelVersion(team, {
    modelId: models.triage.modelId,
    version: { weightsHash: id("triage v2 weights"), parentVersionId: models.triageV1.versionId, uri: "s3://acme/triage/v2" },
    trainingRun: {
      data: [{ datasetVersionId: data.notesV2.versionId, licenceId: licences.notes.licenceId }],
      codeHash: id("git:c0ffee1"),
      region: TRAINING_REGION,
      computeProvider: COMPUTE_PROVIDER,
      startedAt: now - 20n * HOUR,
      endedAt: now - 12n * HOUR,
    },
  });
  const versionId = triageV2.versionId;
  const safety = await attest(evaluator, { subjectType: "model-version", subjectId: versionId, kind: "safety-evaluation", evidenceURI: "ipfs://bafysafetyv2" });
  const bias = await attest(evaluator, { subjectType: "model-version", subjectId: versionId, kind: "bias-check", evidenceURI: "ipfs://bafybiasv2" });
  const approval = await attest(as(cast.approver), { subjectType: "model-version", subjectId: versionId, kind: "release-approval", evidenceURI: "ipfs://bafyreleasememov2" });
  await approveVersion(team, { versionId, attestationIds: [safety.attestationId, bias.attestationId, approval.attestationId] });
  const deployment = await deployVersion(team, { versionId, environment: "production", regions: PRODUCTION_REGIONS });
  step(`Triage version 2 (version id ${versionId}) approved and deployed to production (deployment ${deployment.deploymentId})`);
  const beforeRollback = await provider.getBlockNumber();

  await revokeAttestation(evaluator, { attestationId: bias.attestationId, reason: "bias regression found in post-release monitoring" });
  await rollback(team, { modelId: models.triage.modelId, environment: "production", reason: "bias regression in v2" });
  const afterRollback = await provider.getBlockNumber();
  step(`Bias check ${bias.attestationId} revoked; production rolled back to version id ${models.triageV1.versionId}`);
  return { triageV2, safety, bias, approval, deployment, beforeRollback, afterRollback };
}

/** Act 7: creators pull their royalties; Bob revokes consent and refunds the licence he sold, which the ML team pulls. */
async function payAndRefund({ as, step, cast }: Stage, data: Act<typeof registerData>, licences: Act<typeof licenseData>) {
  const alice = await withdrawRoyalties(as(cast.alice), {});
  const curator = await withdrawRoyalties(as(cast.curator), {});
  const bob = await withdrawRoyalties(as(cast.bob), {});
  step(`Royalties withdrawn: Alice ${fmt(alice.amount)} ETH, curators ${fmt(curator.amount)} ETH, Bob ${fmt(bob.amount)} ETH`);

  // Consent revoked: the licence sold is refunded, not silently taken back.
  await revokeConsent(as(cast.bob), { datasetId: data.radiology.datasetId, reason: "patient consent revoked" });
  const refund = await refundLicence(as(cast.bob), { licenceId: licences.radiology.licenceId });
  step(`Bob revoked consent to dataset ${data.radiology.datasetId}, which withdraws it, and refunded licence ${licences.radiology.licenceId}: ${fmt(refund.amount)} ETH for its unused time`);
  const refundWithdrawn = await withdrawRoyalties(as(cast.mlTeam), {});
  step(`ML team withdrew its ${fmt(refundWithdrawn.amount)} ETH refund; the fine-tune trained on radiology images now rests on a refunded licence`);
  return { royalties: { alice: alice.amount, curator: curator.amount, bob: bob.amount }, refund };
}

/** Act 8: a squatter copies data and weights; the creators are not locked out, and Alice proves she was first. */
async function squatAndProve({ as, step, cast, now }: Stage, data: Act<typeof registerData>) {
  const fingerprint = id("clinical-notes v3 (2026 notes added)");
  const committed = await commitClaim(as(cast.alice), { registry: "datasets", digest: fingerprint });
  step(`Alice committed to the fingerprint of her next version without revealing it (commitment ${committed.secret.commitment.slice(0, 12)}…)`);
  const squat = await registerDataset(as(cast.mallory), { version: { fingerprint, uri: "ipfs://bafymallorycopyofnotes" } });
  step(`Mallory registered the same fingerprint first, as his dataset ${squat.datasetId} (version ${squat.versionId})`);
  const aliceOpenText = await acquireLicence(as(cast.alice), { datasetId: data.publicText.datasetId });
  const notesV3 = await publishDatasetVersion(as(cast.alice), {
    datasetId: data.notes.datasetId,
    version: { fingerprint, manifestRoot: id("clinical-notes v3 manifest"), uri: "ipfs://bafybeiclinicalnotesv3" },
    parents: [data.notesV2.versionId, { versionId: data.publicText.versionId, licenceId: aliceOpenText.licenceId }],
    transformationHash: id("pipeline: add 2026 notes, normalise terms with open medical text"),
  });
  step(`Alice published version ${notesV3.versionId} anyway (claims are per claimant), derived from version ${data.notesV2.versionId} and, under licence ${aliceOpenText.licenceId}, Carol's open text`);
  const proven = await proveClaimPriority(as(cast.alice), committed.secret);
  step(`Alice proved her claim of version ${proven.versionId} was committed at block ${committed.blockNumber}, before Mallory's at block ${squat.blockNumber}`);

  const copy = await registerModel(as(cast.mallory), { commercial: false, uri: "ipfs://bafymallorymodelcard" });
  const copyV1 = await publishModelVersion(as(cast.mallory), {
    modelId: copy.modelId,
    version: { weightsHash: id("triage v1 weights"), uri: "s3://mallory/triage-copy" },
    trainingRun: { data: [], region: "US", startedAt: now, endedAt: now }, // no licence restricts where it ran
  });
  step(`Mallory published triage v1's weights as his model ${copy.modelId} (version id ${copyV1.versionId}), claiming them after the ML team and declaring no training data`);
  return { fingerprint, committed, squat, aliceOpenText, notesV3, proven, copy, copyV1 };
}

/** The datasets and dataset versions the acts registered. */
function dataIdsOf(data: Act<typeof registerData>, claims: Act<typeof squatAndProve>): Pick<ScenarioResult, "datasets" | "datasetVersions" | "privateDatasheet"> {
  return {
    privateDatasheet: data.datasheet,
    datasets: { clinicalNotes: data.notes.datasetId, radiology: data.radiology.datasetId, publicText: data.publicText.datasetId, squat: claims.squat.datasetId },
    datasetVersions: {
      clinicalNotesV1: data.notes.versionId,
      clinicalNotesV2: data.notesV2.versionId,
      radiologyV1: data.radiology.versionId,
      publicTextV1: data.publicText.versionId,
      squat: claims.squat.versionId,
      clinicalNotesV3: claims.notesV3.versionId,
    },
  };
}

/** The ids and answers of every act, as the tests and the demo read them. */
function resultOf(acts: {
  data: Act<typeof registerData>;
  licences: Act<typeof licenseData>;
  models: Act<typeof trainModels>;
  v1: Act<typeof releaseV1>;
  decisions: Act<typeof anchorDecisionsOfV1>;
  v2: Act<typeof releaseAndRollBackV2>;
  payouts: Act<typeof payAndRefund>;
  claims: Act<typeof squatAndProve>;
  systems: Act<typeof serveAsAssistant>;
  agent: Act<typeof actAsSupportAgent>;
  usage: Act<typeof payByUseAndDerivation>;
  end: number;
  log: string[];
}): ScenarioResult {
  const { data, licences, models, v1, decisions, v2, payouts, claims, systems } = acts;
  return {
    ...dataIdsOf(data, claims),
    licences: {
      clinicalNotes: licences.notes.licenceId,
      radiology: licences.radiology.licenceId,
      publicText: licences.publicText.licenceId,
      aliceOpenText: claims.aliceOpenText.licenceId,
    },
    models: { triage: models.triage.modelId, radiologyTriage: models.radiologyTriage.modelId, copy: claims.copy.modelId },
    modelVersions: {
      triageV1: models.triageV1.versionId,
      triageV2: v2.triageV2.versionId,
      radiologyTriageV1: models.radiologyTriageV1.versionId,
      copyV1: claims.copyV1.versionId,
    },
    attestations: {
      consent: licences.consent.attestationId,
      licenceCompliance: models.compliance.attestationId,
      safetyV1: v1.safety.attestationId,
      biasV1: v1.bias.attestationId,
      approvalV1: v1.approval.attestationId,
      safetyV2: v2.safety.attestationId,
      biasV2: v2.bias.attestationId,
      approvalV2: v2.approval.attestationId,
      revoked: v2.bias.attestationId,
    },
    deployments: {
      triageV1: v1.deployment.deploymentId,
      triageV2: v2.deployment.deploymentId,
      assistant: systems.deploymentId,
      assistantV1: systems.firstDeploymentId,
    },
    systems: { assistant: systems.first.systemId, promptUpdate: systems.promptUpdate.systemId, decisionsRoot: systems.root },
    agent: acts.agent,
    usage: {
      reportId: acts.usage.usageReportId,
      disputeId: acts.usage.disputeId,
      tokens: TOKENS_TRAINED,
      deposit: acts.usage.deposit,
      annotated: { datasetId: acts.usage.annotated.datasetId, versionId: acts.usage.annotated.versionId },
      annotators: ANNOTATORS,
      licences: { collective: acts.usage.collectiveLicenceId, sale: acts.usage.saleLicenceId },
    },
    refusedDeployment: v1.refusedDeployment,
    decisions: { root: decisions.root, records: decisions.records, count: decisions.records.length },
    royalties: payouts.royalties,
    refund: { licenceId: payouts.refund.licenceId, amount: payouts.refund.amount, surplus: payouts.refund.surplus },
    claim: {
      fingerprint: claims.fingerprint,
      commitment: claims.committed.secret.commitment,
      committedAt: claims.proven.committedAt,
      committedBlock: claims.committed.blockNumber,
      squatBlock: claims.squat.blockNumber,
      provenBlock: claims.proven.blockNumber,
    },
    blocks: { beforeRollback: v2.beforeRollback, afterRollback: v2.afterRollback, end: acts.end },
    log: acts.log,
  };
}

function fmt(wei: bigint): string {
  const whole = wei / 10n ** 18n;
  const fraction = (wei % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}
