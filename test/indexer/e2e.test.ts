/**
 * The project's subgraph, end to end: the protocol deployed on a real chain (Hardhat EDR served over HTTP), the full
 * demo scenario played through the SDK, the built subgraph WASM indexed by the embedded runtime into PGlite, and every
 * entity and relation checked through graph-node's GraphQL API over HTTP — including a time-travel query.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphQLClient, gql } from "graphql-request";
import { ZeroHash, encodeBytes32String, id as hashText, keccak256, parseEther, toUtf8Bytes } from "ethers";
import type { LocalChain } from "../../src/dev/local-chain.ts";
import type { ScenarioResult } from "../../src/dev/scenario.ts";
import type { Indexer } from "../../src/indexer/indexer.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";
import { WORLDWIDE, regionIndex, regionSet } from "../../src/core/regions.ts";
import { acquireLicence, createPedigreeClient, registerDataset } from "../../src/sdk/index.ts";

let fixture: IndexedScenario;
let chain: LocalChain;
let result: ScenarioResult;
let indexer: Indexer;
let graph: GraphQLClient;
const who: Record<string, string> = {};

beforeAll(async () => {
  fixture = await indexedScenario();
  ({ chain, result, indexer } = fixture);
  for (const [name, signer] of Object.entries(fixture.cast)) who[name] = signer.address.toLowerCase();
  graph = new GraphQLClient(indexer.url);
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

const id = (value: bigint) => value.toString();

describe("the lineage graph of the demo scenario", () => {
  it("has the datasets, their versions with derivation lineage, and the withdrawal", async () => {
    const data = await graph.request<{ datasets: any[] }>(gql`
      {
        datasets(orderBy: datasetId) {
          id
          creator { id }
          owner { id }
          withdrawn
          withdrawalReason
          consentRevoked
          consentRevocationReason
          consentRevokedBy { id }
          versionCount
          currentTerms { id price documentURI trainingTerritories deploymentTerritories splits(orderBy: index) { recipient { id } bps } }
          versions(orderBy: number) { id number parents { id } parentLicenceIds children { id } transformationHash uri claimant { id } }
        }
      }
    `);
    const [notes, radiology, open] = data.datasets;
    expect(notes.id).toBe(id(result.datasets.clinicalNotes));
    expect(notes.creator.id).toBe(who.alice);
    expect(notes.owner.id).toBe(who.alice);
    expect(notes.versionCount).toBe(3);
    expect(notes.currentTerms.price).toBe(parseEther("0.5").toString());
    expect(notes.currentTerms.trainingTerritories).toBe(regionSet("EEA", "training").toString());
    expect(notes.currentTerms.deploymentTerritories).toBe(regionSet("EU", "deployment").toString());
    expect(notes.currentTerms.splits).toEqual([
      { recipient: { id: who.alice }, bps: 7000 },
      { recipient: { id: who.curator }, bps: 3000 },
    ]);
    const [v1, v2] = notes.versions;
    expect(v1).toMatchObject({ id: id(result.datasetVersions.clinicalNotesV1), parents: [], children: [{ id: v2.id }] });
    expect(v2).toMatchObject({
      id: id(result.datasetVersions.clinicalNotesV2),
      number: 2,
      parents: [{ id: v1.id }],
      transformationHash: keccak256(toUtf8Bytes("pipeline: de-identify PHI, dedupe")),
      uri: "ipfs://bafybeiclinicalnotesv2",
    });
    // Version 3 derives from Alice's own v2 (licence 0) and Carol's open text under Alice's licence.
    expect(notes.versions[2]).toMatchObject({
      id: id(result.datasetVersions.clinicalNotesV3),
      parents: [{ id: v2.id }, { id: id(result.datasetVersions.publicTextV1) }],
      parentLicenceIds: ["0", id(result.licences.aliceOpenText)],
      claimant: { id: who.alice },
    });
    expect(radiology).toMatchObject({
      withdrawn: true,
      withdrawalReason: "patient consent revoked",
      consentRevoked: true,
      consentRevocationReason: "patient consent revoked",
      consentRevokedBy: { id: who.bob },
    });
    expect(open).toMatchObject({
      withdrawn: false,
      withdrawalReason: null,
      currentTerms: {
        price: "0",
        documentURI: "spdx:CC-BY-4.0",
        trainingTerritories: WORLDWIDE.toString(),
        deploymentTerritories: WORLDWIDE.toString(),
        splits: [],
      },
    });
  });

  it("links every training run to the dataset versions and licences it used, both ways", async () => {
    const data = await graph.request<{ modelVersion: any; datasetVersion: any }>(
      gql`
        query ($version: ID!, $data: ID!) {
          modelVersion(id: $version) {
            trainingRun {
              datasetVersions(orderBy: versionId) { id }
              licences(orderBy: licenceId) { id licensee { id } amount terms { commercialUse derivativesAllowed } }
              datasetUses(orderBy: id) { dataset { id } datasetVersion { id } licence { id } }
            }
          }
          datasetVersion(id: $data) {
            trainingUses(orderBy: id) { modelVersion { id model { id } } licence { id } }
          }
        }
      `,
      { version: id(result.modelVersions.triageV1), data: id(result.datasetVersions.clinicalNotesV2) },
    );
    const run = data.modelVersion.trainingRun;
    expect(run.datasetVersions.map((v: any) => v.id)).toEqual([
      id(result.datasetVersions.clinicalNotesV2),
      id(result.datasetVersions.publicTextV1),
    ]);
    expect(run.licences).toEqual([
      { id: id(result.licences.clinicalNotes), licensee: { id: who.mlTeam }, amount: parseEther("0.5").toString(), terms: { commercialUse: true, derivativesAllowed: true } },
      { id: id(result.licences.publicText), licensee: { id: who.mlTeam }, amount: "0", terms: { commercialUse: true, derivativesAllowed: true } },
    ]);
    expect(run.datasetUses[0]).toEqual({
      dataset: { id: id(result.datasets.clinicalNotes) },
      datasetVersion: { id: id(result.datasetVersions.clinicalNotesV2) },
      licence: { id: id(result.licences.clinicalNotes) },
    });
    // The de-identified notes trained triage v1 and v2.
    expect(data.datasetVersion.trainingUses.map((u: any) => u.modelVersion.id).sort()).toEqual(
      [id(result.modelVersions.triageV1), id(result.modelVersions.triageV2)].sort(),
    );
  });

  it("records where each training run was computed and by whom, and the regions each deployment serves", async () => {
    const data = await graph.request<{ trainingRuns: any[]; deployments: any[]; environments: any[] }>(gql`
      {
        trainingRuns(orderBy: createdAtBlock) { id region computeProvider }
        deployments(orderBy: deploymentId) { id regions environment { name } }
        environments(orderBy: name) { name }
      }
    `);
    const provider = encodeBytes32String("eu-gpu-cloud:dublin");
    const { triageV1, radiologyTriageV1, triageV2, copyV1 } = result.modelVersions;
    expect(data.trainingRuns).toEqual([
      { id: id(triageV1), region: regionIndex("IE", "region"), computeProvider: provider },
      { id: id(radiologyTriageV1), region: regionIndex("NL", "region"), computeProvider: provider },
      { id: id(triageV2), region: regionIndex("IE", "region"), computeProvider: provider },
      // Mallory's copy trained on no licensed data, so nothing bound it to the EEA; it declared no provider.
      { id: id(copyV1), region: regionIndex("US", "region"), computeProvider: ZeroHash },
    ]);
    const eu = regionSet("EU", "regions").toString();
    expect(data.deployments).toEqual([
      { id: id(result.deployments.triageV1), regions: eu, environment: { name: "production" } },
      { id: id(result.deployments.triageV2), regions: eu, environment: { name: "production" } },
      { id: id(result.deployments.assistantV1), regions: eu, environment: { name: "assistant" } },
      { id: id(result.deployments.assistant), regions: eu, environment: { name: "assistant" } },
    ]);
    // The refused attempt to serve the US wrote nothing: no deployment, no environment.
    expect(result.refusedDeployment).toMatchObject({ environment: "production-us", errorName: "DeploymentOutsideTerritory" });
    expect(data.environments.map((e: any) => e.name)).toEqual(["assistant", "production"]);
  });

  it("records fine-tune lineage across models", async () => {
    const data = await graph.request<{ modelVersion: any }>(
      gql`
        query ($id: ID!) {
          modelVersion(id: $id) { model { id commercial requiredKindIds } fineTunes(orderBy: versionId) { id model { id } parent { id } } }
        }
      `,
      { id: id(result.modelVersions.triageV1) },
    );
    expect(data.modelVersion.model).toEqual({ id: id(result.models.triage), commercial: true, requiredKindIds: [1, 2, 6] });
    expect(data.modelVersion.fineTunes).toEqual([
      { id: id(result.modelVersions.radiologyTriageV1), model: { id: id(result.models.radiologyTriage) }, parent: { id: id(result.modelVersions.triageV1) } },
      { id: id(result.modelVersions.triageV2), model: { id: id(result.models.triage) }, parent: { id: id(result.modelVersions.triageV1) } },
    ]);
  });

  it("has attestations with kind, role, subject, signature relay and revocation", async () => {
    const data = await graph.request<{ attestations: any[]; roleMemberships: any[] }>(gql`
      {
        attestations(orderBy: attestationId) {
          id
          kind { name role }
          subjectType
          attester { id }
          submitter { id }
          viaSignature
          revoked
          revokedBy { id }
          revocationReason
          datasetVersion { id }
          modelVersion { id }
          trainingRun { id }
        }
        roleMemberships(where: { active: true }, orderBy: roleName) { roleName account { id } }
      }
    `);
    const byId = new Map(data.attestations.map((a) => [a.id, a]));
    // 8 on data, training runs and model versions; 6 on the assistant's two system versions; 1 on the support agent;
    // 1 auditor's dispute of a usage report.
    expect(data.attestations).toHaveLength(16);
    expect(byId.get(id(result.attestations.consent))).toMatchObject({
      kind: { name: "consent", role: keccak256(toUtf8Bytes("DATA_STEWARD_ROLE")) },
      subjectType: "DatasetVersion",
      datasetVersion: { id: id(result.datasetVersions.clinicalNotesV2) },
      attester: { id: who.steward },
    });
    expect(byId.get(id(result.attestations.licenceCompliance))).toMatchObject({
      subjectType: "TrainingRun",
      trainingRun: { id: id(result.modelVersions.triageV1) },
    });
    expect(byId.get(id(result.attestations.biasV1))).toMatchObject({
      attester: { id: who.evaluator },
      submitter: { id: who.relayer },
      viaSignature: true,
      modelVersion: { id: id(result.modelVersions.triageV1) },
    });
    expect(byId.get(id(result.attestations.revoked))).toMatchObject({
      revoked: true,
      revokedBy: { id: who.evaluator },
      revocationReason: "bias regression found in post-release monitoring",
    });
    expect(data.roleMemberships).toEqual(
      expect.arrayContaining([
        { roleName: "ADMIN", account: { id: who.admin } },
        { roleName: "EVALUATOR", account: { id: who.evaluator } },
        { roleName: "RELEASE_APPROVER", account: { id: who.approver } },
        { roleName: "DATA_STEWARD", account: { id: who.steward } },
      ]),
    );
  });

  it("has the approval, deployments per environment, the rollback and the decision batch", async () => {
    const data = await graph.request<{ modelVersion: any; environments: any[]; rollbacks: any[]; decisionRoot: any }>(
      gql`
        query ($version: ID!, $root: Bytes!) {
          modelVersion(id: $version) {
            approved
            approval { approvedBy { id } attestations(orderBy: attestationId) { id kind { name } } }
            deployments(orderBy: deploymentId, where: { system: null }) { id active environment { name } }
          }
          environments(where: { name: "production" }) { name liveVersion { id } liveDeployment { id } deployments(orderBy: deploymentId) { id active } }
          rollbacks(orderBy: blockNumber) { reason from { id } to { id } fromVersion { id } toVersion { id } by { id } }
          decisionRoot(id: $root) { batches { root count regions version { id } model { id } uri operator { id } } }
        }
      `,
      { version: id(result.modelVersions.triageV1), root: result.decisions.root },
    );
    expect(data.modelVersion.approved).toBe(true);
    expect(data.modelVersion.approval.approvedBy.id).toBe(who.mlTeam);
    expect(data.modelVersion.approval.attestations.map((a: any) => a.kind.name)).toEqual(["safety-evaluation", "bias-check", "release-approval"]);
    expect(data.modelVersion.deployments).toEqual([{ id: id(result.deployments.triageV1), active: true, environment: { name: "production" } }]);
    expect(data.environments).toEqual([
      {
        name: "production",
        liveVersion: { id: id(result.modelVersions.triageV1) },
        liveDeployment: { id: id(result.deployments.triageV1) },
        deployments: [
          { id: id(result.deployments.triageV1), active: true },
          { id: id(result.deployments.triageV2), active: false },
        ],
      },
    ]);
    expect(data.rollbacks).toEqual([
      {
        reason: "bias regression in v2",
        from: { id: id(result.deployments.triageV2) },
        to: { id: id(result.deployments.triageV1) },
        fromVersion: { id: id(result.modelVersions.triageV2) },
        toVersion: { id: id(result.modelVersions.triageV1) },
        by: { id: who.mlTeam },
      },
      {
        reason: "patients found the symptom-onset question confusing",
        from: { id: id(result.deployments.assistant) },
        to: { id: id(result.deployments.assistantV1) },
        fromVersion: { id: id(result.modelVersions.triageV1) },
        toVersion: { id: id(result.modelVersions.triageV1) },
        by: { id: who.mlTeam },
      },
    ]);
    expect(data.decisionRoot.batches).toEqual([
      {
        root: result.decisions.root,
        count: "1000",
        regions: regionSet("DE,FR,NL", "regions").toString(),
        version: { id: id(result.modelVersions.triageV1) },
        model: { id: id(result.models.triage) },
        uri: "s3://acme/decisions/triage-v1/batch-0001.jsonl",
        operator: { id: who.mlTeam },
      },
    ]);
  });

  it("has the system versions: configuration, parent, retrieval data under licence, approval, deployments and decisions under their policy", async () => {
    const data = await graph.request<{ systemVersions: any[]; environment: any }>(
      gql`
        query ($environment: ID!) {
          systemVersions(orderBy: systemId) {
            id model { id } modelVersion { id } parent { id } children { id } promptHash retrievalIndex policyHash toolsHash uri
            publisher { id } approved approvalRevoked
            approval { approvedBy { id } attestations { kind { name } } }
            retrievalUses { datasetVersion { id } dataset { id } licence { id } }
            attestations(orderBy: attestationId) { subjectType kind { name } }
            deployments(orderBy: deploymentId) { id active environment { name } }
            decisionBatches { root count policyHash system { id } version { id } }
            history(orderBy: blockNumber) { action }
          }
          environment(id: $environment) { name liveSystem { id } liveVersion { id } }
        }
      `,
      { environment: `${result.models.triage}-${keccak256(toUtf8Bytes("assistant"))}` },
    );
    const [assistant, update] = data.systemVersions;
    const policy = keccak256(toUtf8Bytes("guardrails: no diagnosis, escalate to a clinician"));
    expect(assistant).toMatchObject({
      id: id(result.systems.assistant),
      model: { id: id(result.models.triage) },
      modelVersion: { id: id(result.modelVersions.triageV1) },
      parent: null,
      children: [{ id: id(result.systems.promptUpdate) }],
      promptHash: keccak256(toUtf8Bytes("triage assistant prompt v1")),
      policyHash: policy,
      publisher: { id: who.mlTeam },
      approved: true,
      approvalRevoked: false,
      retrievalUses: [{ datasetVersion: { id: id(result.datasetVersions.clinicalNotesV2) }, dataset: { id: id(result.datasets.clinicalNotes) }, licence: { id: id(result.licences.clinicalNotes) } }],
      deployments: [{ active: true, environment: { name: "assistant" } }],
      decisionBatches: [],
    });
    expect(assistant.approval.attestations.map((a: any) => a.kind.name).sort()).toEqual(["bias-check", "release-approval", "safety-evaluation"]);
    expect(assistant.attestations.every((a: any) => a.subjectType === "SystemVersion")).toBe(true);
    expect(update).toMatchObject({
      id: id(result.systems.promptUpdate),
      parent: { id: id(result.systems.assistant) },
      promptHash: keccak256(toUtf8Bytes("triage assistant prompt v2: ask for symptom onset")),
      retrievalIndex: assistant.retrievalIndex,
      policyHash: policy,
      deployments: [{ id: id(result.deployments.assistant), active: false, environment: { name: "assistant" } }],
      decisionBatches: [{ root: result.systems.decisionsRoot, count: "100", policyHash: policy, system: { id: id(result.systems.promptUpdate) }, version: { id: id(result.modelVersions.triageV1) } }],
    });
    expect(update.history.map((e: any) => e.action)).toEqual(["SystemVersionPublished", "Attested", "Attested", "Attested", "SystemVersionApproved", "Deployed", "DecisionsAnchored", "AgentBound", "ActionsAnchored"]);
    // Act 9 rolled the assistant back to its first system version.
    expect(data.environment).toMatchObject({ name: "assistant", liveSystem: { id: id(result.systems.assistant) }, liveVersion: { id: id(result.modelVersions.triageV1) } });
  });

  it("accounts royalties per creator and licence, credited and withdrawn", async () => {
    const data = await graph.request<{ royaltyBalances: any[]; account: any }>(
      gql`
        query ($alice: ID!) {
          royaltyBalances(orderBy: credited, orderDirection: desc) { account { id } credited refunded surplus withdrawn balance }
          account(id: $alice) { royaltyCredits { amount licence { id dataset { id } } } datasetsCreated { id } }
        }
      `,
      { alice: who.alice },
    );
    // Bob's refund surplus stays credited to him; the ML team withdrew its refund. Act 10 credits Alice and the curators
    // (the annotators' collective) again after their withdrawals, and the two annotators.
    const { amount, surplus } = result.refund;
    const [first, second] = result.usage.annotators.map((a) => a.toLowerCase());
    const annotator = { credited: parseEther("0.0085").toString(), refunded: "0", surplus: "0", withdrawn: "0", balance: parseEther("0.0085").toString() };
    expect(Object.fromEntries(data.royaltyBalances.map(({ account, ...rest }) => [account.id, rest]))).toEqual({
      [who.alice]: { credited: parseEther("0.7133").toString(), refunded: "0", surplus: "0", withdrawn: parseEther("0.35").toString(), balance: parseEther("0.3633").toString() },
      [who.curator]: { credited: parseEther("0.3737").toString(), refunded: "0", surplus: "0", withdrawn: parseEther("0.15").toString(), balance: parseEther("0.2237").toString() },
      [who.bob]: { credited: parseEther("0.2").toString(), refunded: "0", surplus: surplus.toString(), withdrawn: parseEther("0.2").toString(), balance: surplus.toString() },
      [first!]: annotator,
      [second!]: annotator,
      [who.mlTeam]: { credited: "0", refunded: amount.toString(), surplus: "0", withdrawn: amount.toString(), balance: "0" },
    });
    expect(data.royaltyBalances.map((b: { credited: string }) => BigInt(b.credited))).toEqual(
      data.royaltyBalances.map((b: { credited: string }) => BigInt(b.credited)).sort((a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0)),
    );
    const licence = (licenceId: bigint, datasetId: bigint) => ({ id: id(licenceId), dataset: { id: id(datasetId) } });
    const notes = result.datasets.clinicalNotes;
    expect(data.account.royaltyCredits).toEqual(
      expect.arrayContaining([
        { amount: parseEther("0.35").toString(), licence: licence(result.licences.clinicalNotes, notes) },
        { amount: parseEther("0.0028").toString(), licence: licence(result.licences.clinicalNotes, notes) },
        { amount: parseEther("0.35").toString(), licence: licence(result.usage.licences.collective, notes) },
        { amount: parseEther("0.0105").toString(), licence: licence(result.usage.licences.sale, result.usage.annotated.datasetId) },
      ]),
    );
    expect(data.account.royaltyCredits).toHaveLength(4);
    expect(data.account.datasetsCreated).toEqual([{ id: id(result.datasets.clinicalNotes) }]);
  });

  it("lists every claim of a squatted fingerprint and of copied weights, with the creator's proven priority", async () => {
    const data = await graph.request<{ data: any; weights: any }>(
      gql`
        query ($fingerprint: ID!, $weights: ID!) {
          data: content(id: $fingerprint) {
            datasetVersions(orderBy: createdAtBlock) { id claimant { id } createdAtBlock priorityCommittedAt priorityCommitmentBlock priorityProofs { prover { id } } }
          }
          weights: content(id: $weights) { modelVersions(orderBy: createdAtBlock) { id claimant { id } dataDeclared } }
        }
      `,
      { fingerprint: result.claim.fingerprint, weights: keccak256(toUtf8Bytes("triage v1 weights")) },
    );
    expect(data.data.datasetVersions).toEqual([
      { id: id(result.datasetVersions.squat), claimant: { id: who.mallory }, createdAtBlock: String(result.claim.squatBlock), priorityCommittedAt: null, priorityCommitmentBlock: null, priorityProofs: [] },
      {
        id: id(result.datasetVersions.clinicalNotesV3),
        claimant: { id: who.alice },
        createdAtBlock: expect.any(String),
        priorityCommittedAt: result.claim.committedAt.toString(),
        priorityCommitmentBlock: String(result.claim.committedBlock),
        priorityProofs: [{ prover: { id: who.alice } }],
      },
    ]);
    expect(data.weights.modelVersions).toEqual([
      { id: id(result.modelVersions.triageV1), claimant: { id: who.mlTeam }, dataDeclared: true },
      { id: id(result.modelVersions.copyV1), claimant: { id: who.mallory }, dataDeclared: false },
    ]);
  });

  it("tells what happened to a subject, when and by whom, in one query", async () => {
    const data = await graph.request<{ modelVersion: any }>(
      gql`
        query ($id: ID!) {
          modelVersion(id: $id) { history(orderBy: logIndex) { action actor { id } blockNumber timestamp transactionHash } }
        }
      `,
      { id: id(result.modelVersions.triageV2) },
    );
    const history = [...data.modelVersion.history].sort((a: any, b: any) => Number(a.blockNumber) - Number(b.blockNumber));
    expect(history.map((e: any) => e.action)).toEqual([
      "ModelVersionPublished",
      "TrainedOn",
      "Attested",
      "Attested",
      "Attested",
      "VersionApproved",
      "Deployed",
      "AttestationRevoked",
      "RolledBack",
    ]);
    expect(history.at(-1).actor.id).toBe(who.mlTeam);
    expect(history.every((e: any) => /^0x[0-9a-f]{64}$/.test(e.transactionHash))).toBe(true);
  });

  it("answers as of an earlier block (time travel): v2 live and its bias check unrevoked before the rollback", async () => {
    const query = gql`
      query ($block: Int!, $bias: ID!) {
        environments(block: { number: $block }) { liveVersion { id } }
        attestation(id: $bias, block: { number: $block }) { revoked }
        _meta(block: { number: $block }) { block { number } }
      }
    `;
    const before = await graph.request<any>(query, { block: result.blocks.beforeRollback, bias: id(result.attestations.revoked) });
    expect(before.environments).toEqual([{ liveVersion: { id: id(result.modelVersions.triageV2) } }]);
    expect(before.attestation).toEqual({ revoked: false });
    expect(before._meta.block.number).toBe(result.blocks.beforeRollback);
    const after = await graph.request<any>(query, { block: result.blocks.afterRollback, bias: id(result.attestations.revoked) });
    expect(after.environments).toEqual([{ liveVersion: { id: id(result.modelVersions.triageV1) } }]);
    expect(after.attestation).toEqual({ revoked: true });
  });

  it("reports its head and no indexing errors in _meta", async () => {
    const data = await graph.request<any>(gql`{ _meta { block { number hash } deployment hasIndexingErrors } }`);
    expect(data._meta.hasIndexingErrors).toBe(false);
    expect(data._meta.block.number).toBeGreaterThanOrEqual(result.blocks.end);
    expect(data._meta.deployment).toBe(indexer.deployment);
    const block = await chain.connection.ethers.provider.getBlock(data._meta.block.number);
    expect(data._meta.block.hash).toBe(block!.hash);
  });
});

describe("data-handling context and inherited territories of dataset versions", () => {
  const VERSION_CONTEXT = gql`
    query ($id: ID!) {
      datasetVersion(id: $id) {
        originRegions
        handlingPolicyHash
        handlingPolicyURI
        inheritedTrainingTerritories
        inheritedDeploymentTerritories
      }
    }
  `;
  const contextOf = async (versionId: bigint) => (await graph.request<any>(VERSION_CONTEXT, { id: id(versionId) })).datasetVersion;

  it("indexes the origin and handling policy a version declares, and none for one that declares nothing", async () => {
    expect(await contextOf(result.datasetVersions.clinicalNotesV1)).toEqual({
      originRegions: regionSet("EU", "origin").toString(),
      handlingPolicyHash: hashText("clinical-notes handling: GDPR special category, PII present, consent basis Art. 9(2)(a)"),
      handlingPolicyURI: "ipfs://bafybeinoteshandling",
      inheritedTrainingTerritories: WORLDWIDE.toString(),
      inheritedDeploymentTerritories: WORLDWIDE.toString(),
    });
    // Alice's own derivation of her notes declares nothing and inherits nothing: her terms bind licensees, not her.
    expect(await contextOf(result.datasetVersions.clinicalNotesV2)).toEqual({
      originRegions: "0",
      handlingPolicyHash: null,
      handlingPolicyURI: null,
      inheritedTrainingTerritories: WORLDWIDE.toString(),
      inheritedDeploymentTerritories: WORLDWIDE.toString(),
    });
  });

  it("indexes the territories a version derived under a restricted licence inherits, though it is sold worldwide", async () => {
    // Runs last in this file: it adds blocks after the scenario's end.
    const carol = createPedigreeClient({ runner: fixture.cast.carol, addresses: fixture.deployment.addresses });
    const { licenceId } = await acquireLicence(carol, { datasetId: result.datasets.clinicalNotes });
    const derived = await registerDataset(carol, {
      version: {
        fingerprint: hashText("curated notes v1"),
        uri: "ipfs://bafybeicuratednotes",
        origin: ["DE", "AT"],
        handlingPolicy: { hash: hashText("curated notes handling policy") },
      },
      parents: [{ versionId: result.datasetVersions.clinicalNotesV2, licenceId }],
      terms: { price: 0n, commercialUse: true, derivativesAllowed: true, documentURI: "spdx:CC-BY-4.0" },
    });
    expect(derived.inheritedTerritories).toEqual({ training: regionSet("EEA", "t"), deployment: regionSet("EU", "d") });
    await indexer.waitForBlock(derived.blockNumber);
    expect(await contextOf(derived.versionId)).toEqual({
      originRegions: regionSet("DE,AT", "origin").toString(),
      handlingPolicyHash: hashText("curated notes handling policy"),
      handlingPolicyURI: null,
      inheritedTrainingTerritories: regionSet("EEA", "t").toString(),
      inheritedDeploymentTerritories: regionSet("EU", "d").toString(),
    });
    const terms = await graph.request<any>(gql`query ($id: ID!) { dataset(id: $id) { currentTerms { trainingTerritories } } }`, {
      id: id(derived.datasetId),
    });
    expect(terms.dataset.currentTerms.trainingTerritories).toBe(WORLDWIDE.toString());
  });
});
