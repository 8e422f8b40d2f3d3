/**
 * Gas benchmark: Pedigree against the Ethereum Attestation Service, on one fresh in-process Hardhat chain.
 *
 *   npm run bench:gas      (= hardhat compile && tsx bench/gas.ts)
 *
 * Deploys the protocol with its Ignition module and EAS (SchemaRegistry + EAS) from the compiled artifacts shipped in
 * @ethereum-attestation-service/eas-contracts, registers an EAS schema carrying the same payload as a Pedigree
 * attestation, runs every operation several times and prints the steady-state gas of each with its ratio to EAS
 * `attest`, then the targets as PASS/FAIL lines. The same report is written to bench/gas-report.md.
 *
 * A benchmark reports; it does not enforce: a failed target is printed as FAIL and the exit code stays 0.
 */
import { readFile, writeFile } from "node:fs/promises";
import { network } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  AbiCoder,
  ContractFactory,
  Signature,
  TypedDataEncoder,
  keccak256,
  parseEther,
  toUtf8Bytes,
  hexlify,
  type BaseContract,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  type TransactionResponse,
} from "ethers";
import { deployLocally } from "../src/dev/deploy.ts";
import { WORLDWIDE, regionIndex, regionSet } from "../src/core/regions.ts";
import { ATTEST_TYPES, attestationDomain } from "../src/sdk/signedAttestation.ts";
import { ANCHOR_ACTIONS_TYPES, agentsDomain } from "../src/sdk/signedActionBatch.ts";
import { USAGE_REPORT_TYPES, royaltiesDomain } from "../src/sdk/signedUsageReport.ts";
import { commitFields } from "../src/core/commitments.ts";
import {
  AgentRegistry__factory,
  AttestationRegistry__factory,
  DatasetRegistry__factory,
  RoyaltyRegistry__factory,
  ModelRegistry__factory,
  ReleaseRegistry__factory,
  SystemRegistry__factory,
  type TestToken,
} from "../types/index.ts";

// ------------------------------------------------------------------ parameters

/** Each operation runs RUNS times; the first WARMUP runs are dropped and the median of the rest is reported. */
const RUNS = 6;
const WARMUP = 1;
const BATCH = 10;
const ANCHOR_SIZES = [10, 1_000, 1_000_000];

const TARGET_ATTEST_RATIO = 0.5;
const TARGET_REGISTER_WITH_TERMS = 250_000n;
const TARGET_ANCHOR = 80_000n;
/** Issue 13: a licence sale that pays a two-level lineage (two parents with two recipients each). */
const TARGET_LINEAGE_SALE = 200_000n;

/** Gas of the terms operations before licences carried territories (bench/gas-report.md at commit 82e952b). */
const BEFORE_TERRITORIES: Record<string, bigint> = {
  "registerDatasetWithTerms (2-way split)": 242_052n,
  "setTerms (2-way split)": 139_405n,
};
type Territories = { training: bigint; deployment: bigint };
const WORLDWIDE_TERRITORIES: Territories = { training: WORLDWIDE, deployment: WORLDWIDE };
/** The restricted case: training in the EEA, deployment in the EU (the demo's clinical notes). */
const EU_ONLY: Territories = { training: regionSet("EEA", "training"), deployment: regionSet("EU", "deployment") };

/**
 * Gas of the operations territories are now enforced on, before: this benchmark run at commit afa8c2c (the last
 * before enforcement) with the same sequence of transactions, minus the run regions and served regions it could not
 * send. The first and the last match bench/gas-report.md at that commit.
 */
const BEFORE_ENFORCEMENT: Record<string, bigint> = {
  "publishVersion (model, 2-dataset training run)": 123_307n,
  "publishVersion (model, 2-dataset training run, one EU-only licence)": 123_295n,
  "publishVersion (model, fine-tune on 1 dataset, worldwide lineage)": 115_723n,
  "publishVersion (model, fine-tune on 1 dataset, EU-only parent)": 115_723n,
  "deploy (worldwide lineage, serving the EU)": 98_130n,
  "deploy (EU-only lineage, serving the EU)": 98_130n,
  // Decision batches now carry the regions their decisions were made in (recorded, not enforced).
  "anchorDecisions (10 records)": 60_897n,
  "anchorDecisions (1,000 records)": 60_909n,
  "anchorDecisions (1,000,000 records)": 60_921n,
};
/**
 * Gas of the operations whose records and events gained a system version id (deployments, decision batches) or whose
 * gate moved into the shared ReleaseGate library (approveVersion), before: bench/gas-report.md at commit 3a15287.
 */
const BEFORE_SYSTEMS: Record<string, bigint> = {
  "approveVersion (3 attestations)": 109_802n,
  "deploy (worldwide lineage, serving the EU)": 99_218n,
  "deploy (EU-only lineage, serving the EU)": 105_080n,
  rollback: 72_218n,
  "anchorDecisions (10 records)": 62_015n,
  "anchorDecisions (1,000 records)": 62_027n,
  "anchorDecisions (1,000,000 records)": 62_039n,
};
/** The most the new fields may add to an existing operation (issue 10 asks for at most +10 %; we hold ourselves to 2 %). */
const TARGET_NEW_FIELDS_OVERHEAD = 0.02;
/**
 * Gas of the dataset-version operations before versions carried a data-handling context (origin, handling policy) and
 * inherited the territories of the licences they were derived under: bench/gas-report.md at commit 3a15287.
 */
const BEFORE_DATA_CONTEXT: Record<string, bigint> = {
  "registerDataset (no terms)": 135_842n,
  "publishVersion (dataset, 1 parent)": 94_695n,
  "registerDataset (1 licensed parent)": 147_413n,
};
/**
 * Issue 13 moved every payment into the RoyaltyRegistry (the treasury) and settles each one on a dataset version (its
 * royalty parents, contributors, then splits): these operations as measured before it (c5d1029, bench/gas-report.md).
 */
const BEFORE_ROYALTIES: Record<string, bigint> = {
  "registerDataset (no terms)": 138_844n,
  "registerDatasetWithTerms (2-way split)": 246_650n,
  "publishVersion (dataset, 1 parent)": 98_277n,
  "setTerms (2-way split)": 141_413n,
  "acquireLicence (ETH, 2-way split)": 84_071n,
  "acquireLicence (ERC-20, 2-way split)": 106_485n,
  "withdrawRoyalties (ETH)": 32_070n,
  "registerDataset (1 licensed parent)": 151_598n,
  "refundLicence (ETH, pro rata)": 50_808n,
};
/** Each data-context row's counterpart: the same operation on a version that declares nothing and inherits nothing. */
const CONTEXT_COUNTERPART: Record<string, string> = {
  "registerDataset (no terms, with data-handling context)": "registerDataset (no terms)",
  "publishVersion (dataset, 1 parent, with data-handling context)": "publishVersion (dataset, 1 parent)",
  "registerDataset (1 licensed parent, EU-only terms: inherits them)": "registerDataset (1 licensed parent)",
};
/** Where the benchmark's training runs are computed and its deployments serve. */
const RUN_REGION = BigInt(regionIndex("DE", "region"));
const SERVED = regionSet("EU", "regions");
/** EIP-170: the most bytes of runtime code a contract may have. */
const EIP170_LIMIT = 24_576;

/** Fixed chain start and block clock, so every hash, uid and signature (and so every calldata byte) is reproducible. */
const INITIAL_DATE = "2025-01-01T00:00:00.000Z";
const CLOCK_START = Date.parse(INITIAL_DATE) / 1000 + 86_400;
const BLOCK_TIME = 12;
/** One week after the chain start: within Pedigree's 30-day signature lifetime, and the same for both schemes. */
const DEADLINE = BigInt(CLOCK_START + 7 * 86_400);
const ZERO32 = `0x${"00".repeat(32)}`;
const ETH = "0x0000000000000000000000000000000000000000";

const Subject = { DatasetVersion: 1, ModelVersion: 2, SystemVersion: 6 } as const;
const Kind = { SafetyEvaluation: 1, BiasCheck: 2, ReleaseApproval: 6 } as const;

/** The EAS schema equivalent to a Pedigree attestation: subject, kind, evidence hash, 32-byte evidence URI. */
const EAS_SCHEMA = "uint8 subjectType,uint64 subjectId,uint8 kind,bytes32 evidenceHash,bytes32 evidenceURI";
const EAS_SCHEMA_TYPES = ["uint8", "uint64", "uint8", "bytes32", "bytes32"];

const root = new URL("../", import.meta.url);
const readJson = async (path: string) => JSON.parse(await readFile(new URL(path, root), "utf8"));
const EAS_PACKAGE = "node_modules/@ethereum-attestation-service/eas-contracts/";

// ------------------------------------------------------------------ deterministic inputs

/** A 32-byte hash that looks like a real one (no zero padding, so calldata is priced like production input). */
const h = (label: string) => keccak256(toUtf8Bytes(label));

/** A 32-character evidence URI; EAS carries the same 32 bytes as its bytes32 field. */
function evidenceURI(label: string): string {
  const uri = `ipfs://bafkrei${h(`uri:${label}`).slice(2, 20)}`;
  if (uri.length !== 32) throw new Error(`evidence URI must be 32 characters: ${uri}`);
  return uri;
}

interface Payload {
  subjectType: number;
  subjectId: bigint;
  kind: number;
  evidenceHash: string;
  evidenceURI: string;
}

function payload(subjectId: bigint, kind: number, label: string, subjectType: number = Subject.ModelVersion): Payload {
  return { subjectType, subjectId, kind, evidenceHash: h(`evidence:${label}`), evidenceURI: evidenceURI(label) };
}

/** Pedigree request: the payload, no expiry, no reference. */
const pedigreeRequest = (p: Payload) => ({ ...p, expiresAt: 0n, refId: 0n });

/** EAS request data: the same payload, ABI-encoded; no recipient, no expiry, revocable, no reference, no value. */
function easData(p: Payload) {
  const uriBytes = hexlify(toUtf8Bytes(p.evidenceURI));
  return {
    recipient: ETH,
    expirationTime: 0n,
    revocable: true,
    refUID: ZERO32,
    data: AbiCoder.defaultAbiCoder().encode(EAS_SCHEMA_TYPES, [p.subjectType, p.subjectId, p.kind, p.evidenceHash, uriBytes]),
    value: 0n,
  };
}

/** A dataset version; with `context`, its data comes from the EU and is handled under a policy document. */
function datasetVersion(label: string, uri = "ipfs://bafybeigdyrztdatasetshard0001", context = false) {
  return {
    fingerprint: h(`data:${label}`),
    manifestRoot: h(`manifest:${label}`),
    metadataHash: h(`meta:${label}`),
    uri,
    originRegions: context ? regionSet("EU", "origin") : 0n,
    handlingPolicyHash: context ? h(`handling-policy:${label}`) : ZERO32,
    handlingPolicyURI: context ? evidenceURI(`handling-policy:${label}`) : "",
  };
}

function terms(
  splits: { recipient: string; bps: number }[],
  label: string,
  currency = ETH,
  price = parseEther("1"),
  territories = WORLDWIDE_TERRITORIES,
  royalty = { unitPrice: 0n, unit: "", derivativeRoyaltyBps: 0 },
) {
  return {
    currency,
    price,
    duration: 365 * 24 * 3600,
    commercialUse: true,
    derivativesAllowed: true,
    documentHash: h(`licence-text:${label}`),
    documentURI: "spdx:CC-BY-4.0",
    splits,
    trainingTerritories: territories.training,
    deploymentTerritories: territories.deployment,
    ...royalty,
  };
}

// ------------------------------------------------------------------ measurement helpers

const median = (values: bigint[]) => {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2n;
};

interface Row {
  group: "EAS" | "Pedigree";
  operation: string;
  gas: bigint;
  samples: bigint[];
}

const rows: Row[] = [];
/** The last measured transaction of each territories operation, whose storage writes the report counts. */
const territoriesTx = new Map<string, string>();
/** The same for the operations territories are enforced on. */
const enforcementTx = new Map<string, string>();
/** The same for the operations of system versions, and for the existing ones that gained system fields. */
const systemsTx = new Map<string, string>();
const newFieldsTx = new Map<string, string>();
/** The same for the dataset-version operations, with and without a data-handling context or inherited territories. */
const contextTx = new Map<string, string>();
/** The same for the agent operations. */
const agentsTx = new Map<string, string>();

/**
 * Runs `body` RUNS times; `body` does any unmeasured preparation and returns the gas of the measured transaction.
 * `perItem` divides by the batch size. Stores and returns the median of the runs after the warm-up.
 */
async function measure(group: Row["group"], operation: string, body: (run: number) => Promise<bigint>, perItem = 1) {
  const samples: bigint[] = [];
  for (let run = 0; run < RUNS; run++) samples.push((await body(run)) / BigInt(perItem));
  const gas = median(samples.slice(WARMUP));
  rows.push({ group, operation, gas, samples });
  return gas;
}

// ------------------------------------------------------------------ chain

const connection = await network.create({ override: { initialDate: INITIAL_DATE } });
const { ethers, networkConfig } = connection;
const provider = ethers.provider;
const signers = await ethers.getSigners();
const [admin, creator, creator2, mlTeam, evaluator, auditor, approver, steward, , relayer] = signers;

let clock = CLOCK_START;
/** Sends one transaction in its own block with a pinned timestamp; returns the receipt (throws on revert). */
async function send(tx: () => Promise<ContractTransactionResponse | TransactionResponse>): Promise<ContractTransactionReceipt> {
  clock += BLOCK_TIME;
  await provider.send("evm_setNextBlockTimestamp", [clock]);
  const response = await tx();
  const receipt = await response.wait();
  if (receipt === null || receipt.status !== 1) throw new Error(`transaction ${response.hash} failed`);
  return receipt as ContractTransactionReceipt;
}

/** The args of every `name` event `contract` emitted in `receipt`. */
function eventsOf(receipt: ContractTransactionReceipt, contract: BaseContract, name: string) {
  const address = (contract.target as string).toLowerCase();
  const found = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address) continue;
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === name) found.push(parsed.args);
  }
  if (found.length === 0) throw new Error(`no ${name} event`);
  return found;
}

// ------------------------------------------------------------------ deployment

const { addresses } = await deployLocally({ connection }, {
  admin: admin.address,
  evaluators: [evaluator.address],
  auditors: [auditor.address],
  releaseApprovers: [approver.address],
  dataStewards: [steward.address],
});
const datasets = DatasetRegistry__factory.connect(addresses.datasets, admin);
const royalties = RoyaltyRegistry__factory.connect(addresses.royalties, admin);
const attestations = AttestationRegistry__factory.connect(addresses.attestations, admin);
const models = ModelRegistry__factory.connect(addresses.models, admin);
const releases = ReleaseRegistry__factory.connect(addresses.releases, admin);
const systems = SystemRegistry__factory.connect(addresses.systems, admin);
const agents = AgentRegistry__factory.connect(addresses.agents, admin);
const token = (await ethers.deployContract("TestToken")) as unknown as TestToken;

const schemaRegistryArtifact = await readJson(`${EAS_PACKAGE}artifacts/contracts/SchemaRegistry.sol/SchemaRegistry.json`);
const easArtifact = await readJson(`${EAS_PACKAGE}artifacts/contracts/EAS.sol/EAS.json`);
const schemaRegistry = await new ContractFactory(schemaRegistryArtifact.abi, schemaRegistryArtifact.bytecode, admin).deploy();
await schemaRegistry.waitForDeployment();
const eas = await new ContractFactory(easArtifact.abi, easArtifact.bytecode, admin).deploy(await schemaRegistry.getAddress());
await eas.waitForDeployment();

const schemaUID = eventsOf(await send(() => schemaRegistry.getFunction("register")(EAS_SCHEMA, ETH, true)), schemaRegistry, "Registered")[0]
  .uid as string;

// ------------------------------------------------------------------ datasets, terms, licences, royalties

const twoWay = [
  { recipient: creator.address, bps: 7_000 },
  { recipient: creator2.address, bps: 3_000 },
];

const plainDatasets: bigint[] = [];
await measure("Pedigree", "registerDataset (no terms)", async (run) => {
  const receipt = await send(() => datasets.connect(creator).registerDataset(datasetVersion(`plain:${run}`), [], [], ZERO32));
  plainDatasets.push(eventsOf(receipt, datasets, "DatasetRegistered")[0].datasetId);
  contextTx.set("registerDataset (no terms)", receipt.hash);
  return receipt.gasUsed;
});

/** The same registration with its datasheet committed privately: the root of salted field commitments as metadata hash. */
const privateTx = new Map<string, string>();
const PRIVATE_LABEL = "registerDataset (private fields: salted commitment root)";
await measure("Pedigree", PRIVATE_LABEL, async (run) => {
  const root = commitFields({ source: `EHR export ${run}`, consentBasis: "GDPR Art. 9(2)(a)", piiPresent: "yes", annotators: "12" }).root;
  const receipt = await send(() => datasets.connect(creator).registerDataset({ ...datasetVersion(`private:${run}`), metadataHash: root }, [], [], ZERO32));
  privateTx.set(PRIVATE_LABEL, receipt.hash);
  return receipt.gasUsed;
});

const withTerms: { datasetId: bigint; versionId: bigint }[] = [];
await measure("Pedigree", "registerDatasetWithTerms (2-way split)", async (run) => {
  const receipt = await send(() =>
    datasets.connect(creator).registerDatasetWithTerms(datasetVersion(`terms:${run}`), [], [], ZERO32, terms(twoWay, `terms:${run}`)),
  );
  const published = eventsOf(receipt, datasets, "DatasetVersionPublished")[0];
  withTerms.push({ datasetId: published.datasetId, versionId: published.versionId });
  territoriesTx.set("registerDatasetWithTerms (2-way split)", receipt.hash);
  return receipt.gasUsed;
});
const ethDataset = withTerms[0];
const termsDataset = withTerms[1];

let parentVersion = ethDataset.versionId;
await measure("Pedigree", "publishVersion (dataset, 1 parent)", async (run) => {
  const receipt = await send(() =>
    datasets.connect(creator).publishVersion(ethDataset.datasetId, datasetVersion(`next:${run}`), [parentVersion], [0n], h(`transform:${run}`)),
  );
  parentVersion = eventsOf(receipt, datasets, "DatasetVersionPublished")[0].versionId;
  contextTx.set("publishVersion (dataset, 1 parent)", receipt.hash);
  return receipt.gasUsed;
});

const worldwideOrRestricted = [
  ["", WORLDWIDE_TERRITORIES],
  [", EU-only territories", EU_ONLY],
] as const;
for (const [suffix, territories] of worldwideOrRestricted) {
  await measure("Pedigree", `setTerms (2-way split${suffix})`, async (run) => {
    const input = terms(twoWay, `set${suffix}:${run}`, ETH, parseEther("1"), territories);
    const receipt = await send(() => datasets.connect(creator).setTerms(termsDataset.datasetId, input));
    territoriesTx.set(`setTerms (2-way split${suffix})`, receipt.hash);
    return receipt.gasUsed;
  });
  if (suffix === "") continue;
  await measure("Pedigree", `registerDatasetWithTerms (2-way split${suffix})`, async (run) => {
    const input = terms(twoWay, `terms${suffix}:${run}`, ETH, parseEther("1"), territories);
    const receipt = await send(() =>
      datasets.connect(creator).registerDatasetWithTerms(datasetVersion(`terms${suffix}:${run}`), [], [], ZERO32, input),
    );
    territoriesTx.set(`registerDatasetWithTerms (2-way split${suffix})`, receipt.hash);
    return receipt.gasUsed;
  });
}

// An ERC-20-priced dataset; the licensee approves a finite allowance, so each purchase also decrements it.
const tokenPrice = parseEther("100");
const tokenAddress = await token.getAddress();
const tokenReceipt = await send(() =>
  datasets
    .connect(creator)
    .registerDatasetWithTerms(datasetVersion("token"), [], [], ZERO32, terms(twoWay, "token", tokenAddress, tokenPrice)),
);
const tokenDataset = eventsOf(tokenReceipt, datasets, "DatasetVersionPublished")[0];
await send(() => token.mint(mlTeam.address, tokenPrice * 1_000n));
await send(() => token.connect(mlTeam).approve(royalties.target, tokenPrice * 1_000n));

const currentTerms = async (datasetId: bigint) => (await datasets.getDataset(datasetId)).currentTermsId;
const ethTermsId = await currentTerms(ethDataset.datasetId);
const tokenTermsId = await currentTerms(tokenDataset.datasetId);
const buyEthLicence = () =>
  send(() => royalties.connect(mlTeam).acquireLicence(ethDataset.datasetId, mlTeam.address, ethTermsId, { value: parseEther("1") }));

const ethLicences: bigint[] = [];
await measure("Pedigree", "acquireLicence (ETH, 2-way split)", async () => {
  const receipt = await buyEthLicence();
  ethLicences.push(eventsOf(receipt, datasets, "LicenceAcquired")[0].licenceId);
  return receipt.gasUsed;
});

const tokenLicences: bigint[] = [];
await measure("Pedigree", "acquireLicence (ERC-20, 2-way split)", async () => {
  const receipt = await send(() => royalties.connect(mlTeam).acquireLicence(tokenDataset.datasetId, mlTeam.address, tokenTermsId));
  tokenLicences.push(eventsOf(receipt, datasets, "LicenceAcquired")[0].licenceId);
  return receipt.gasUsed;
});

await measure("Pedigree", "withdrawRoyalties (ETH)", async () => {
  await buyEthLicence(); // a sale before each withdrawal, so the balance goes from non-zero to zero every time
  const receipt = await send(() => royalties.connect(creator).withdrawRoyalties(ETH, creator.address));
  return receipt.gasUsed;
});

// A dataset derived from someone else's data: creator2 licenses the ETH dataset, then names it as a licensed parent.
const derivationLicences: bigint[] = [];
for (let run = 0; run < RUNS; run++) {
  const receipt = await send(() =>
    royalties.connect(creator2).acquireLicence(ethDataset.datasetId, creator2.address, ethTermsId, { value: parseEther("1") }),
  );
  derivationLicences.push(eventsOf(receipt, datasets, "LicenceAcquired")[0].licenceId);
}
await measure("Pedigree", "registerDataset (1 licensed parent)", async (run) => {
  const receipt = await send(() =>
    datasets
      .connect(creator2)
      .registerDataset(datasetVersion(`derived:${run}`), [ethDataset.versionId], [derivationLicences[run]], h(`transform:derived:${run}`)),
  );
  contextTx.set("registerDataset (1 licensed parent)", receipt.hash);
  return receipt.gasUsed;
});

// ------------------------------------------------------------------ royalties by use and down the lineage

// Two metered parents asking 10 % of derivatives, each paying two recipients; a child derived from both, itself paying
// two recipients. A sale or a usage report of the child pays both parents first, then the child's splits.
const METERED = { unitPrice: 1_000n, unit: "tokens-trained", derivativeRoyaltyBps: 1_000 };
const parentsOfChild: { versionId: bigint; licenceId: bigint }[] = [];
for (const [owner, splits] of [
  [creator, [{ recipient: creator.address, bps: 6_000 }, { recipient: steward.address, bps: 4_000 }]],
  [creator2, [{ recipient: creator2.address, bps: 5_000 }, { recipient: approver.address, bps: 5_000 }]],
] as const) {
  const receipt = await send(() =>
    datasets.connect(owner).registerDatasetWithTerms(datasetVersion(`metered-parent:${owner.address}`), [], [], ZERO32, terms([...splits], `metered:${owner.address}`, ETH, parseEther("1"), WORLDWIDE_TERRITORIES, METERED)),
  );
  const published = eventsOf(receipt, datasets, "DatasetVersionPublished")[0];
  const termsId = await currentTerms(published.datasetId);
  const bought = await send(() => royalties.connect(evaluator).acquireLicence(published.datasetId, evaluator.address, termsId, { value: parseEther("1") }));
  parentsOfChild.push({ versionId: published.versionId, licenceId: eventsOf(bought, datasets, "LicenceAcquired")[0].licenceId });
}
const childReceipt = await send(() =>
  datasets.connect(evaluator).registerDatasetWithTerms(
    datasetVersion("metered-child"),
    parentsOfChild.map((parent) => parent.versionId),
    parentsOfChild.map((parent) => parent.licenceId),
    h("transform:metered-child"),
    terms(twoWay, "metered-child", ETH, parseEther("1"), WORLDWIDE_TERRITORIES, { ...METERED, derivativeRoyaltyBps: 0 }),
  ),
);
const child = eventsOf(childReceipt, datasets, "DatasetVersionPublished")[0];
const childTermsId = await currentTerms(child.datasetId);
const LINEAGE_SALE_LABEL = "acquireLicence (ETH, two-level lineage: 2 parents x 2 recipients)";
const lineageSaleGas = await measure("Pedigree", LINEAGE_SALE_LABEL, async () => {
  const receipt = await send(() => royalties.connect(mlTeam).acquireLicence(child.datasetId, mlTeam.address, childTermsId, { value: parseEther("1") }));
  return receipt.gasUsed;
});
const meteredLicence = eventsOf(
  await send(() => royalties.connect(mlTeam).acquireLicence(child.datasetId, mlTeam.address, childTermsId, { value: parseEther("1") })),
  datasets,
  "LicenceAcquired",
)[0].licenceId;
const usageReport = (run: number, units = 500n) => ({ licenceId: meteredLicence, versionId: child.versionId, units, reportHash: h(`usage:${run}`), reportURI: evidenceURI(`usage:${run}`) });
const USAGE_LABEL = "reportUsage (ETH paid with the report, two-level lineage)";
await measure("Pedigree", USAGE_LABEL, async (run) => {
  const receipt = await send(() => royalties.connect(mlTeam).reportUsage(usageReport(run), { value: 500n * METERED.unitPrice }));
  return receipt.gasUsed;
});
await send(() => royalties.connect(mlTeam).depositForUsage(meteredLicence, 10n ** 9n, { value: 10n ** 9n }));
await measure("Pedigree", "reportUsage (drawn from the deposit, two-level lineage)", async (run) => {
  const receipt = await send(() => royalties.connect(mlTeam).reportUsage(usageReport(100 + run)));
  return receipt.gasUsed;
});
const royaltyDomain = royaltiesDomain((await provider.getNetwork()).chainId, await royalties.getAddress());
await measure("Pedigree", "reportUsageBySig (EIP-712, relayed, from the deposit)", async (run) => {
  const report = usageReport(200 + run);
  const nonce = await royalties.nonces(mlTeam.address);
  const signature = await mlTeam.signTypedData(royaltyDomain, USAGE_REPORT_TYPES, { ...report, nonce, deadline: DEADLINE });
  const receipt = await send(() => royalties.connect(relayer).reportUsageBySig(report, nonce, DEADLINE, signature));
  return receipt.gasUsed;
});

// Consent revoked on datasets that were not withdrawn yet (the revocation withdraws them too).
await measure("Pedigree", "revokeConsent (withdraws too)", async (run) => {
  const receipt = await send(() => datasets.connect(creator).revokeConsent(plainDatasets[run], "data subjects withdrew consent"));
  return receipt.gasUsed;
});

// Refunds of one-year ETH licences after the consent revocation, paying the refund due read just before sending (as
// the SDK does): what is no longer due when mined is credited back to the payer.
const refundReceipt = await send(() =>
  datasets.connect(creator).registerDatasetWithTerms(datasetVersion("refunded"), [], [], ZERO32, terms(twoWay, "refunded")),
);
const refunded = eventsOf(refundReceipt, datasets, "DatasetVersionPublished")[0];
const refundTermsId = await currentTerms(refunded.datasetId);
const refundable: bigint[] = [];
for (let run = 0; run < RUNS; run++) {
  const receipt = await send(() =>
    royalties.connect(mlTeam).acquireLicence(refunded.datasetId, mlTeam.address, refundTermsId, { value: parseEther("1") }),
  );
  refundable.push(eventsOf(receipt, datasets, "LicenceAcquired")[0].licenceId);
}
await send(() => datasets.connect(creator).revokeConsent(refunded.datasetId, "consent revoked"));
await measure("Pedigree", "refundLicence (ETH, pro rata)", async (run) => {
  const due = await datasets.refundDue(refundable[run]);
  const receipt = await send(() => datasets.connect(creator).refundLicence(refundable[run], { value: due }));
  return receipt.gasUsed;
});

// Commit-reveal priority of a fingerprint: commit, publish (unmeasured), prove.
const salts = Array.from({ length: RUNS }, (_, run) => h(`salt:${run}`));
await measure("Pedigree", "commitClaim", async (run) => {
  const commitment = await datasets.claimCommitment(creator.address, h(`data:claimed:${run}`), salts[run]);
  const receipt = await send(() => datasets.connect(creator).commitClaim(commitment));
  return receipt.gasUsed;
});
for (let run = 0; run < RUNS; run++) {
  await send(() => datasets.connect(creator).registerDataset(datasetVersion(`claimed:${run}`), [], [], ZERO32));
}
await measure("Pedigree", "proveClaimPriority", async (run) => {
  const receipt = await send(() => datasets.connect(relayer).proveClaimPriority(creator.address, h(`data:claimed:${run}`), salts[run]));
  return receipt.gasUsed;
});

// ------------------------------------------------------------------ models

const modelIds: bigint[] = [];
await measure("Pedigree", "registerModel", async (run) => {
  const receipt = await send(() => models.connect(mlTeam).registerModel(true, h(`model-card:${run}`), "ipfs://bafybeimodelcard0001"));
  modelIds.push(eventsOf(receipt, models, "ModelRegistered")[0].modelId);
  return receipt.gasUsed;
});

const policy = (1n << BigInt(Kind.SafetyEvaluation)) | (1n << BigInt(Kind.BiasCheck)) | (1n << BigInt(Kind.ReleaseApproval));
await measure("Pedigree", "setReleasePolicy (3 kinds)", async (run) => {
  const receipt = await send(() => models.connect(mlTeam).setReleasePolicy(modelIds[run], policy));
  return receipt.gasUsed;
});

await measure("Pedigree", "grantDerivation (one grantee)", async (run) => {
  const receipt = await send(() => models.connect(mlTeam).grantDerivation(modelIds[run], creator.address, true));
  return receipt.gasUsed;
});

const modelId = modelIds[0];
const run2 = {
  datasetVersionIds: [ethDataset.versionId, tokenDataset.versionId],
  licenceIds: [ethLicences[0], tokenLicences[0]],
  codeHash: h("code"),
  hyperparametersHash: h("hparams"),
  startedAt: 1_735_689_600n,
  endedAt: 1_735_776_000n,
  region: RUN_REGION,
  computeProvider: h("compute-provider"),
};
const modelVersion = (label: string, parentVersionId = 0n) => ({
  weightsHash: h(`weights:${label}`),
  manifestRoot: h(`files:${label}`),
  configHash: h(`config:${label}`),
  parentVersionId,
  uri: "ipfs://bafybeimodelweights0001",
});
const versionIds: bigint[] = [];
await measure("Pedigree", "publishVersion (model, 2-dataset training run)", async (run) => {
  const receipt = await send(() => models.connect(mlTeam).publishVersion(modelId, modelVersion(`${run}`), run2));
  versionIds.push(eventsOf(receipt, models, "ModelVersionPublished")[0].versionId);
  enforcementTx.set("publishVersion (model, 2-dataset training run)", receipt.hash);
  return receipt.gasUsed;
});

// Restricted lineages: one of the two licences under EU-only terms (termsDataset's current terms, set above), in a
// model with the same release policy, so that their deployments below differ from the worldwide ones only by lineage.
const euOnlyLicence = eventsOf(
  await send(async () =>
    royalties.connect(mlTeam).acquireLicence(termsDataset.datasetId, mlTeam.address, await currentTerms(termsDataset.datasetId), {
      value: parseEther("1"),
    }),
  ),
  datasets,
  "LicenceAcquired",
)[0].licenceId as bigint;
const gatedModel = eventsOf(await send(() => models.connect(mlTeam).registerModel(true, h("gated-card"), "ipfs://gated")), models, "ModelRegistered")[0]
  .modelId as bigint;
await send(() => models.connect(mlTeam).setReleasePolicy(gatedModel, policy));
const restrictedRun = { ...run2, datasetVersionIds: [ethDataset.versionId, termsDataset.versionId], licenceIds: [ethLicences[0], euOnlyLicence] };
const restrictedIds: bigint[] = [];
await measure("Pedigree", "publishVersion (model, 2-dataset training run, one EU-only licence)", async (run) => {
  const receipt = await send(() => models.connect(mlTeam).publishVersion(gatedModel, modelVersion(`restricted:${run}`), restrictedRun));
  restrictedIds.push(eventsOf(receipt, models, "ModelVersionPublished")[0].versionId);
  enforcementTx.set("publishVersion (model, 2-dataset training run, one EU-only licence)", receipt.hash);
  return receipt.gasUsed;
});

// Fine-tunes on one worldwide-licensed dataset, of a worldwide and of a restricted parent.
const fineTuneRun = { ...run2, datasetVersionIds: [ethDataset.versionId], licenceIds: [ethLicences[0]] };
for (const [lineage, parents] of [["worldwide lineage", versionIds], ["EU-only parent", restrictedIds]] as const) {
  const label = `publishVersion (model, fine-tune on 1 dataset, ${lineage})`;
  await measure("Pedigree", label, async (run) => {
    const version = modelVersion(`fine-tune:${lineage}:${run}`, parents[run]);
    const receipt = await send(() => models.connect(mlTeam).publishVersion(modelIds[1], version, fineTuneRun));
    enforcementTx.set(label, receipt.hash);
    return receipt.gasUsed;
  });
}

// ------------------------------------------------------------------ attestations: EAS and Pedigree, same payloads

const { chainId } = await provider.getNetwork();

const easAttest = await measure("EAS", "attest (baseline)", async (run) => {
  const p = payload(versionIds[run], Kind.SafetyEvaluation, `safety:${run}`);
  const receipt = await send(() => eas.connect(evaluator).getFunction("attest")({ schema: schemaUID, data: easData(p) }));
  return receipt.gasUsed;
});

const safetyIds: bigint[] = [];
await measure("Pedigree", "attest", async (run) => {
  const p = payload(versionIds[run], Kind.SafetyEvaluation, `safety:${run}`);
  const receipt = await send(() => attestations.connect(evaluator).attest(pedigreeRequest(p)));
  safetyIds.push(eventsOf(receipt, attestations, "Attested")[0].id);
  return receipt.gasUsed;
});

const batchPayloads = (run: number) =>
  Array.from({ length: BATCH }, (_, i) => payload(versionIds[run], Kind.BiasCheck, `bias:${run}:${i}`));

const easUids: string[] = [];
await measure(
  "EAS",
  `multiAttest, per item (batch of ${BATCH})`,
  async (run) => {
    const request = [{ schema: schemaUID, data: batchPayloads(run).map(easData) }];
    const receipt = await send(() => eas.connect(evaluator).getFunction("multiAttest")(request));
    easUids.push(...eventsOf(receipt, eas, "Attested").map((args) => args.uid as string));
    return receipt.gasUsed;
  },
  BATCH,
);

const biasIds: bigint[][] = [];
await measure(
  "Pedigree",
  `multiAttest, per item (batch of ${BATCH})`,
  async (run) => {
    const receipt = await send(() => attestations.connect(evaluator).multiAttest(batchPayloads(run).map(pedigreeRequest)));
    biasIds.push(eventsOf(receipt, attestations, "Attested").map((args) => args.id as bigint));
    return receipt.gasUsed;
  },
  BATCH,
);

const easDomain = { name: "EAS", version: "1.4.0", chainId, verifyingContract: await eas.getAddress() };
const easAttestTypes = {
  Attest: [
    { name: "attester", type: "address" },
    { name: "schema", type: "bytes32" },
    { name: "recipient", type: "address" },
    { name: "expirationTime", type: "uint64" },
    { name: "revocable", type: "bool" },
    { name: "refUID", type: "bytes32" },
    { name: "data", type: "bytes" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint64" },
  ],
};
await measure("EAS", "attestByDelegation (EIP-712, relayed)", async (run) => {
  const data = easData(payload(versionIds[run], Kind.ReleaseApproval, `approval:${run}`));
  const nonce: bigint = await eas.getFunction("getNonce")(approver.address);
  const signature = Signature.from(
    await approver.signTypedData(easDomain, easAttestTypes, {
      attester: approver.address,
      schema: schemaUID,
      ...data,
      nonce,
      deadline: DEADLINE,
    }),
  );
  const request = {
    schema: schemaUID,
    data,
    signature: { v: signature.v, r: signature.r, s: signature.s },
    attester: approver.address,
    deadline: DEADLINE,
  };
  const receipt = await send(() => eas.connect(relayer).getFunction("attestByDelegation")(request));
  return receipt.gasUsed;
});

const pedigreeDomain = attestationDomain(chainId, await attestations.getAddress());
const pedigreeAttestTypes = ATTEST_TYPES;
const approvalIds: bigint[] = [];
await measure("Pedigree", "attestBySig (EIP-712, relayed)", async (run) => {
  const request = pedigreeRequest(payload(versionIds[run], Kind.ReleaseApproval, `approval:${run}`));
  const nonce = await attestations.nonces(approver.address);
  const message = { attester: approver.address, ...request, nonce, deadline: DEADLINE };
  const onChain = await attestations.attestationDigest(request, approver.address, nonce, DEADLINE);
  if (TypedDataEncoder.hash(pedigreeDomain, pedigreeAttestTypes, message) !== onChain) throw new Error("EIP-712 digest mismatch");
  const signature = await approver.signTypedData(pedigreeDomain, pedigreeAttestTypes, message);
  const receipt = await send(() =>
    attestations.connect(relayer).attestBySig(request, approver.address, nonce, DEADLINE, signature),
  );
  approvalIds.push(eventsOf(receipt, attestations, "Attested")[0].id);
  return receipt.gasUsed;
});

await measure("Pedigree", "cancelNonce", async () => {
  const receipt = await send(() => attestations.connect(auditor).cancelNonce());
  return receipt.gasUsed;
});

const REVOKE_REASON = "superseded";
await measure("EAS", "revoke", async (run) => {
  const request = { schema: schemaUID, data: { uid: easUids[run * BATCH + 1], value: 0n } };
  const receipt = await send(() => eas.connect(evaluator).getFunction("revoke")(request));
  return receipt.gasUsed;
});

await measure("Pedigree", `revoke (reason "${REVOKE_REASON}")`, async (run) => {
  const receipt = await send(() => attestations.connect(evaluator).revoke(biasIds[run][1], REVOKE_REASON));
  return receipt.gasUsed;
});

// ------------------------------------------------------------------ release gate, deployments, decisions

await measure("Pedigree", "approveVersion (3 attestations)", async (run) => {
  const ids = [safetyIds[run], biasIds[run][0], approvalIds[run]];
  const receipt = await send(() => models.connect(mlTeam).approveVersion(versionIds[run], ids));
  newFieldsTx.set("approveVersion (3 attestations)", receipt.hash);
  return receipt.gasUsed;
});

const ENVIRONMENT = "production";
await measure("Pedigree", "deploy (worldwide lineage, serving the EU)", async (run) => {
  const receipt = await send(() => releases.connect(mlTeam).deploy(versionIds[run], ENVIRONMENT, SERVED));
  enforcementTx.set("deploy (worldwide lineage, serving the EU)", receipt.hash);
  return receipt.gasUsed;
});
// One more deployment, so that each measured rollback returns to an earlier (releasable) deployment.
await send(() => releases.connect(mlTeam).deploy(versionIds[0], ENVIRONMENT, SERVED));

// The restricted versions pass the same gate as the worldwide ones: safety, bias, approval (unmeasured).
for (const [run, versionId] of restrictedIds.entries()) {
  const ids: bigint[] = [];
  for (const [signer, kind] of [[evaluator, Kind.SafetyEvaluation], [evaluator, Kind.BiasCheck], [approver, Kind.ReleaseApproval]] as const) {
    const request = pedigreeRequest(payload(versionId, kind, `gated:${kind}:${run}`));
    ids.push(eventsOf(await send(() => attestations.connect(signer).attest(request)), attestations, "Attested")[0].id as bigint);
  }
  await send(() => models.connect(mlTeam).approveVersion(versionId, ids));
}
await measure("Pedigree", "deploy (EU-only lineage, serving the EU)", async (run) => {
  const receipt = await send(() => releases.connect(mlTeam).deploy(restrictedIds[run], ENVIRONMENT, SERVED));
  enforcementTx.set("deploy (EU-only lineage, serving the EU)", receipt.hash);
  return receipt.gasUsed;
});

await measure("Pedigree", "rollback", async () => {
  const receipt = await send(() => releases.connect(mlTeam).rollback(modelId, ENVIRONMENT, "regression in eval"));
  newFieldsTx.set("rollback", receipt.hash);
  return receipt.gasUsed;
});

const WINDOW_START = 1_735_776_000n;
const WINDOW_END = WINDOW_START + 3_600n;
const DECISIONS_URI = "ipfs://bafybeidecisionsbatch0001";
const anchorGas = new Map<number, bigint>();
for (const size of ANCHOR_SIZES) {
  const label = `anchorDecisions (${size.toLocaleString("en-US")} records)`;
  const gas = await measure("Pedigree", label, async (run) => {
    let batchRoot: string;
    if (size <= 10_000) {
      const records = Array.from({ length: size }, (_, i) => [h(`decision:${size}:${run}:${i}`)]);
      const tree = StandardMerkleTree.of(records, ["bytes32"]);
      batchRoot = tree.root;
      if (run === 0) {
        // Sanity check once per size: a real record of the batch verifies against the anchored root.
        const receipt = await send(() =>
          releases.connect(mlTeam).anchorDecisions(versionIds[0], batchRoot, BigInt(size), WINDOW_START, WINDOW_END, SERVED, DECISIONS_URI),
        );
        const included = await releases.verifyDecision(versionIds[0], batchRoot, records[size - 1][0], tree.getProof(size - 1));
        if (!included) throw new Error("decision proof does not verify");
        return receipt.gasUsed;
      }
    } else {
      batchRoot = h(`random-root:${size}:${run}`); // only the root goes on chain; no need to build a million leaves
    }
    const receipt = await send(() =>
      releases.connect(mlTeam).anchorDecisions(versionIds[0], batchRoot, BigInt(size), WINDOW_START, WINDOW_END, SERVED, DECISIONS_URI),
    );
    enforcementTx.set(label, receipt.hash);
    return receipt.gasUsed;
  });
  anchorGas.set(size, gas);
}

// ------------------------------------------------------------------ system versions

// System versions of the worldwide versions above (their model's policy: safety, bias, approval), configured with a
// prompt, a policy and a tool list; with retrieval, on the training run's two worldwide datasets, or on the restricted
// run's two (one EU-only licence). Their deployments serve the EU, as the bare versions' do.
const SYSTEM_URI = "ipfs://bafybeisystemcard000000000001";
const systemConfig = (label: string, retrieval: boolean) => ({
  promptHash: h(`prompt:${label}`),
  retrievalIndex: retrieval ? h(`index:${label}`) : ZERO32,
  policyHash: h(`policy:${label}`),
  toolsHash: h(`tools:${label}`),
});
const RETRIEVAL = {
  worldwide: { label: "retrieval on 2 worldwide datasets", versions: run2.datasetVersionIds, licences: run2.licenceIds },
  euOnly: { label: "retrieval on 2 datasets, one EU-only licence", versions: restrictedRun.datasetVersionIds, licences: restrictedRun.licenceIds },
} as const;
const systemsOf: Record<"plain" | keyof typeof RETRIEVAL, bigint[]> = { plain: [], worldwide: [], euOnly: [] };
type Retrieval = (typeof RETRIEVAL)[keyof typeof RETRIEVAL];
/** Measures publishSystemVersion on each version of `versionIds`, keeping the new ids; `parentOf` names each parent. */
async function measurePublishSystem(
  label: string,
  into: bigint[],
  config: (run: number) => ReturnType<typeof systemConfig>,
  retrieval?: Retrieval,
  parentOf = (_run: number) => 0n,
) {
  await measure("Pedigree", `publishSystemVersion (${label})`, async (run) => {
    const receipt = await send(() =>
      systems.connect(mlTeam).publishSystemVersion(versionIds[run], parentOf(run), config(run), retrieval?.versions ?? [], retrieval?.licences ?? [], SYSTEM_URI),
    );
    into.push(eventsOf(receipt, systems, "SystemVersionPublished")[0].systemId);
    systemsTx.set(`publishSystemVersion (${label})`, receipt.hash);
    return receipt.gasUsed;
  });
}
await measurePublishSystem("prompt, policy, tools; no retrieval", systemsOf.plain, (run) => systemConfig(`${run}`, false));
await measurePublishSystem("a prompt update of its parent", [], (run) => ({ ...systemConfig(`${run}`, false), promptHash: h(`prompt:v2:${run}`) }), undefined, (run) => systemsOf.plain[run]);
for (const [key, retrieval] of Object.entries(RETRIEVAL) as [keyof typeof RETRIEVAL, Retrieval][]) {
  await measurePublishSystem(retrieval.label, systemsOf[key], (run) => systemConfig(`${key}:${run}`, true), retrieval);
}

/** Safety, bias and approval attestations about system version `systemId` (unmeasured). */
async function systemAttestations(systemId: bigint): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (const [signer, kind] of [[evaluator, Kind.SafetyEvaluation], [evaluator, Kind.BiasCheck], [approver, Kind.ReleaseApproval]] as const) {
    const request = pedigreeRequest(payload(systemId, kind, `system:${kind}:${systemId}`, Subject.SystemVersion));
    ids.push(eventsOf(await send(() => attestations.connect(signer).attest(request)), attestations, "Attested")[0].id as bigint);
  }
  return ids;
}
await measure("Pedigree", "approveSystemVersion (3 attestations)", async (run) => {
  const ids = await systemAttestations(systemsOf.worldwide[run]);
  const receipt = await send(() => systems.connect(mlTeam).approveSystemVersion(systemsOf.worldwide[run], ids));
  systemsTx.set("approveSystemVersion (3 attestations)", receipt.hash);
  return receipt.gasUsed;
});
for (const systemId of systemsOf.euOnly) {
  const ids = await systemAttestations(systemId);
  await send(() => systems.connect(mlTeam).approveSystemVersion(systemId, ids));
}

for (const key of ["worldwide", "euOnly"] as const) {
  const label = `deploySystem (${key === "worldwide" ? "worldwide" : "EU-only"} retrieval, serving the EU)`;
  await measure("Pedigree", label, async (run) => {
    const receipt = await send(() => releases.connect(mlTeam).deploySystem(systemsOf[key][run], ENVIRONMENT, SERVED));
    systemsTx.set(label, receipt.hash);
    return receipt.gasUsed;
  });
}
await measure("Pedigree", "anchorSystemDecisions (10 records)", async (run) => {
  const receipt = await send(() =>
    releases.connect(mlTeam).anchorSystemDecisions(systemsOf.worldwide[0], h(`system-root:${run}`), 10n, WINDOW_START, WINDOW_END, SERVED, DECISIONS_URI),
  );
  systemsTx.set("anchorSystemDecisions (10 records)", receipt.hash);
  return receipt.gasUsed;
});
for (const [operation, hash] of enforcementTx) if (operation in BEFORE_SYSTEMS) newFieldsTx.set(operation, hash);
// ------------------------------------------------------------------ data-handling context, inherited territories

// Measured last, so that the transactions above (and so their gas) are those of the earlier reports.
await measure("Pedigree", "registerDataset (no terms, with data-handling context)", async (run) => {
  const version = datasetVersion(`context:${run}`, undefined, true);
  const receipt = await send(() => datasets.connect(creator).registerDataset(version, [], [], ZERO32));
  contextTx.set("registerDataset (no terms, with data-handling context)", receipt.hash);
  return receipt.gasUsed;
});
await measure("Pedigree", "publishVersion (dataset, 1 parent, with data-handling context)", async (run) => {
  const version = datasetVersion(`context-next:${run}`, undefined, true);
  const receipt = await send(() =>
    datasets.connect(creator).publishVersion(ethDataset.datasetId, version, [parentVersion], [0n], h(`transform:context:${run}`)),
  );
  parentVersion = eventsOf(receipt, datasets, "DatasetVersionPublished")[0].versionId;
  contextTx.set("publishVersion (dataset, 1 parent, with data-handling context)", receipt.hash);
  return receipt.gasUsed;
});
// Derived under a licence of termsDataset, whose current terms are EU-only (set last above): the version inherits them.
const euOnlyParentLicences: bigint[] = [];
for (let run = 0; run < RUNS; run++) {
  const receipt = await send(async () =>
    royalties.connect(creator2).acquireLicence(termsDataset.datasetId, creator2.address, await currentTerms(termsDataset.datasetId), {
      value: parseEther("1"),
    }),
  );
  euOnlyParentLicences.push(eventsOf(receipt, datasets, "LicenceAcquired")[0].licenceId);
}
await measure("Pedigree", "registerDataset (1 licensed parent, EU-only terms: inherits them)", async (run) => {
  const receipt = await send(() =>
    datasets
      .connect(creator2)
      .registerDataset(datasetVersion(`derived-eu:${run}`), [termsDataset.versionId], [euOnlyParentLicences[run]], h(`transform:derived-eu:${run}`)),
  );
  contextTx.set("registerDataset (1 licensed parent, EU-only terms: inherits them)", receipt.hash);
  return receipt.gasUsed;
});

// ------------------------------------------------------------------ agents

// Measured after everything else, so that the rows above keep their transactions (and gas). One agent per run, owned by
// an account of its own, acting through one operator wallet, bound to a releasable system version of the above.
const [agentOwner, agentWallet] = signers.slice(10, 12);
const AGENT_URI = "ipfs://bafybeiagentregistrationfile01";
const ACTIONS_URI = "ipfs://bafybeiagentactionsbatch000001";
const agentIds: bigint[] = [];
async function measureAgent(label: string, body: (run: number) => Promise<ContractTransactionReceipt>) {
  return measure("Pedigree", label, async (run) => {
    const receipt = await body(run);
    agentsTx.set(label, receipt.hash);
    return receipt.gasUsed;
  });
}
await measureAgent("register (agent card URI)", async () => {
  const receipt = await send(() => agents.connect(agentOwner).register(AGENT_URI));
  agentIds.push(eventsOf(receipt, agents, "AgentRegistered")[0].agentId);
  return receipt;
});
await measureAgent("setOperatorWallet", (run) => send(() => agents.connect(agentOwner).setOperatorWallet(agentIds[run], agentWallet.address, true)));
const candidates = [...systemsOf.worldwide, ...systemsOf.euOnly];
const releasable = await Promise.all(candidates.map((id) => systems.isReleasable(id)));
const agentSystem = candidates[releasable.indexOf(true)];
if (agentSystem === undefined) throw new Error("no releasable system version to bind agents to");
await measureAgent("bind (first binding, the system's own policy)", (run) => send(() => agents.connect(agentOwner).bind(agentIds[run], agentSystem, ZERO32)));
await measureAgent("bind (rebinding under another policy)", (run) =>
  send(() => agents.connect(agentOwner).bind(agentIds[run], agentSystem, h(`agent-policy:${run}`))),
);
const agentAnchorGas = new Map<string, bigint>();
for (const size of ANCHOR_SIZES) {
  const label = `anchorActions (${size.toLocaleString("en-US")} records)`;
  const gas = await measureAgent(label, async (run) => {
    if (size > 10_000) {
      const batchRoot = h(`agent-root:${size}:${run}`); // only the root goes on chain
      return send(() => agents.connect(agentWallet).anchorActions(agentIds[0], batchRoot, BigInt(size), WINDOW_START, WINDOW_END, ACTIONS_URI));
    }
    const records = Array.from({ length: size }, (_, i) => [h(`action:${size}:${run}:${i}`)]);
    const tree = StandardMerkleTree.of(records, ["bytes32"]);
    const receipt = await send(() => agents.connect(agentWallet).anchorActions(agentIds[0], tree.root, BigInt(size), WINDOW_START, WINDOW_END, ACTIONS_URI));
    const [included] = await agents.verifyAction(agentIds[0], tree.root, records[size - 1][0], tree.getProof(size - 1));
    if (!included) throw new Error("action proof does not verify");
    return receipt;
  });
  agentAnchorGas.set(label, gas);
}
const anchorDomain = agentsDomain(chainId, await agents.getAddress());
const BY_SIG_LABEL = "anchorActionsBySig (EIP-712, relayed, 10 records)";
agentAnchorGas.set(
  BY_SIG_LABEL,
  await measureAgent(BY_SIG_LABEL, async (run) => {
    const request = { agentId: agentIds[0], count: 10n, windowStart: WINDOW_START, windowEnd: WINDOW_END, root: h(`signed-agent-root:${run}`), uri: ACTIONS_URI };
    const nonce = await agents.nonces(agentWallet.address);
    const message = { ...request, signer: agentWallet.address, nonce, deadline: DEADLINE };
    if (TypedDataEncoder.hash(anchorDomain, ANCHOR_ACTIONS_TYPES, message) !== (await agents.actionBatchDigest(request, agentWallet.address, nonce, DEADLINE))) {
      throw new Error("EIP-712 digest mismatch");
    }
    const signature = await agentWallet.signTypedData(anchorDomain, ANCHOR_ACTIONS_TYPES, message);
    return send(() => agents.connect(relayer).anchorActionsBySig(request, agentWallet.address, nonce, DEADLINE, signature));
  }),
);

// ------------------------------------------------------------------ report

const hardhatVersion = (await readJson("node_modules/hardhat/package.json")).version as string;
const edrVersion = (await readJson("node_modules/@nomicfoundation/edr/package.json")).version as string;
const easPackageVersion = (await readJson(`${EAS_PACKAGE}package.json`)).version as string;
const easSemver = (await eas.getFunction("version")()) as string;

/** Compiler settings of our contracts, read from the Hardhat build info their artifacts point to. */
const compiled = new Set<string>();
for (const path of [
  "attestations/AttestationRegistry.sol/AttestationRegistry.json",
  "datasets/DatasetRegistry.sol/DatasetRegistry.json",
  "licensing/RoyaltyRegistry.sol/RoyaltyRegistry.json",
  "models/ModelRegistry.sol/ModelRegistry.json",
  "releases/ReleaseRegistry.sol/ReleaseRegistry.json",
  "systems/SystemRegistry.sol/SystemRegistry.json",
  "agents/AgentRegistry.sol/AgentRegistry.json",
]) {
  const artifact = await readJson(`artifacts/contracts/${path}`);
  const buildInfo = await readJson(`artifacts/build-info/${artifact.buildInfoId}.json`);
  const { optimizer, viaIR, evmVersion } = buildInfo.input.settings;
  compiled.add(
    `solc ${buildInfo.solcLongVersion}, optimizer ${optimizer?.enabled ? `enabled, runs ${optimizer.runs}` : "disabled"}, ` +
      `viaIR ${viaIR === true}, evmVersion ${evmVersion ?? "default"}`,
  );
}

/** The solc version in the CBOR metadata at the end of the EAS runtime bytecode. */
function solcFromMetadata(bytecode: string): string {
  const code = bytecode.replace(/^0x/, "");
  const length = Number.parseInt(code.slice(-4), 16);
  const cbor = code.slice(-4 - length * 2, -4);
  const marker = cbor.indexOf("64736f6c6343"); // text(4) "solc", bytes(3)
  if (marker < 0) return "unknown";
  const version = cbor.slice(marker + 12, marker + 18);
  return [0, 2, 4].map((i) => Number.parseInt(version.slice(i, i + 2), 16)).join(".");
}

const fmt = (gas: bigint) => gas.toLocaleString("en-US");
const ratio = (gas: bigint) => `${(Number(gas) / Number(easAttest)).toFixed(2)}x`;

const setup = [
  `Chain: Hardhat ${hardhatVersion} in-process EDR ${edrVersion} (network.create()), hardfork ${"hardfork" in networkConfig ? networkConfig.hardfork : "default"}, ` +
    `chainId ${chainId}, automine; chain start ${INITIAL_DATE} and block timestamps pinned, so results are reproducible`,
  `Pedigree contracts: ${[...compiled].join(" | ")} (from artifacts/build-info); deployed with the Ignition module deploy/Pedigree.ts`,
  `EAS: @ethereum-attestation-service/eas-contracts ${easPackageVersion} (EAS ${easSemver}, solc ${solcFromMetadata(easArtifact.deployedBytecode)} ` +
    `per bytecode metadata), SchemaRegistry + EAS deployed from the package's compiled artifacts`,
  `EAS schema: "${EAS_SCHEMA}", no resolver, revocable; uid ${schemaUID}`,
  `Payload (both): subject (type + uint64 id), kind, 32-byte evidence hash, 32-character evidence URI (EAS: the same 32 bytes as bytes32); ` +
    `no expiry, no reference; EAS: no recipient, value 0`,
  `Gas = transaction gasUsed (includes the 21,000 base cost and calldata). Steady state: each operation runs ${RUNS} times on fresh ` +
    `records; the first ${WARMUP === 1 ? "run is" : `${WARMUP} runs are`} dropped (it pays one-time first writes such as id counters, ` +
    `balances and nonces going from zero) and the median of the remaining ${RUNS - WARMUP} is reported. Batches: gas / ${BATCH} per item.`,
];

/** Table order: the EAS baseline first, each EAS comparison just above its Pedigree counterpart, then the lifecycle. */
const ORDER = [
  "EAS · attest (baseline)",
  "Pedigree · attest",
  `EAS · multiAttest, per item (batch of ${BATCH})`,
  `Pedigree · multiAttest, per item (batch of ${BATCH})`,
  "EAS · attestByDelegation (EIP-712, relayed)",
  "Pedigree · attestBySig (EIP-712, relayed)",
  "EAS · revoke",
  `Pedigree · revoke (reason "${REVOKE_REASON}")`,
];
const rank = (row: Row) => {
  const index = ORDER.indexOf(`${row.group} · ${row.operation}`);
  return index < 0 ? ORDER.length + rows.indexOf(row) : index;
};
const header = ["Operation", "Gas", "Ratio to EAS attest"];
const table = [...rows].sort((a, b) => rank(a) - rank(b)).map((row) => [`${row.group} · ${row.operation}`, fmt(row.gas), ratio(row.gas)]);

const attestRow = rows.find((row) => row.group === "Pedigree" && row.operation === "attest")!;
const withTermsRow = rows.find((row) => row.operation === "registerDatasetWithTerms (2-way split)")!;
const attestRatio = Number(attestRow.gas) / Number(easAttest);
const targets: { ok: boolean; text: string }[] = [
  {
    ok: attestRatio <= TARGET_ATTEST_RATIO,
    text: `direct attestation (attest) ${fmt(attestRow.gas)} gas = ${attestRatio.toFixed(3)}x EAS attest (${fmt(easAttest)}); target <= ${TARGET_ATTEST_RATIO.toFixed(2)}x`,
  },
  {
    ok: withTermsRow.gas <= TARGET_REGISTER_WITH_TERMS,
    text: `registerDatasetWithTerms (2-way split) ${fmt(withTermsRow.gas)} gas; target <= ${fmt(TARGET_REGISTER_WITH_TERMS)}`,
  },
  ...ANCHOR_SIZES.map((size) => {
    const gas = anchorGas.get(size)!;
    return {
      ok: gas <= TARGET_ANCHOR,
      text: `anchorDecisions, ${size.toLocaleString("en-US")} records ${fmt(gas)} gas; target <= ${fmt(TARGET_ANCHOR)} (root size is independent of batch size)`,
    };
  }),
];
const targetLine = (t: { ok: boolean; text: string }) => `${t.ok ? "PASS" : "FAIL"}  ${t.text}`;

/** Storage writes (SSTORE opcodes) of a mined transaction, from the node's struct-log trace. */
async function storageWrites(hash: string): Promise<number> {
  const trace = await provider.send("debug_traceTransaction", [hash, { disableStack: true, disableMemory: true }]);
  return (trace.structLogs as { op: string }[]).filter((log) => log.op === "SSTORE").length;
}

/** "+1,234, +1.0 %": how much `gas` exceeds `baseline`. */
function overhead(gas: bigint, baseline: bigint): string {
  const delta = gas - baseline;
  const sign = delta >= 0n ? "+" : "";
  return `${sign}${fmt(delta)}, ${sign}${((Number(delta) / Number(baseline)) * 100).toFixed(1)} %`;
}

/** One line per row `txs` names: its gas and storage writes against each baseline `compare` gives. */
async function comparisonLines(txs: Map<string, string>, compare: (row: Row) => { what: string; gas: bigint }[]) {
  const lines: string[] = [];
  for (const row of rows.filter((r) => txs.has(r.operation))) {
    const writes = await storageWrites(txs.get(row.operation)!);
    const versus = compare(row).map((baseline) => `; ${baseline.what} ${fmt(baseline.gas)} (${overhead(row.gas, baseline.gas)})`);
    lines.push(`${row.operation}: ${fmt(row.gas)} gas, ${writes} SSTORE${versus.join("")}`);
  }
  return lines;
}

const gasOf = (operation: string) => rows.find((row) => row.operation === operation)!.gas;
targets.push({
  ok: lineageSaleGas <= TARGET_LINEAGE_SALE,
  text: `${LINEAGE_SALE_LABEL} ${fmt(lineageSaleGas)} gas (${overhead(lineageSaleGas, gasOf("acquireLicence (ETH, 2-way split)"))} on a sale without lineage); goal <= ${fmt(TARGET_LINEAGE_SALE)}`,
});
const territories = await comparisonLines(territoriesTx, (row) => [
  { what: "before territories", gas: BEFORE_TERRITORIES[row.operation.replace(", EU-only territories", "")] },
]);
/** The worldwide row each restricted one is compared with. */
const WORLDWIDE_COUNTERPART: Record<string, string> = {
  "publishVersion (model, 2-dataset training run, one EU-only licence)": "publishVersion (model, 2-dataset training run)",
  "publishVersion (model, fine-tune on 1 dataset, EU-only parent)": "publishVersion (model, fine-tune on 1 dataset, worldwide lineage)",
  "deploy (EU-only lineage, serving the EU)": "deploy (worldwide lineage, serving the EU)",
};
const enforcement = await comparisonLines(enforcementTx, (row) => {
  const counterpart = WORLDWIDE_COUNTERPART[row.operation];
  return [
    { what: "before (afa8c2c)", gas: BEFORE_ENFORCEMENT[row.operation] },
    ...(counterpart === undefined ? [] : [{ what: "worldwide lineage", gas: gasOf(counterpart) }]),
  ];
});

/** The bare-version operation each system-version one is compared with. */
const BARE_COUNTERPART: Record<string, string> = {
  "approveSystemVersion (3 attestations)": "approveVersion (3 attestations)",
  "deploySystem (worldwide retrieval, serving the EU)": "deploy (worldwide lineage, serving the EU)",
  "deploySystem (EU-only retrieval, serving the EU)": "deploy (worldwide lineage, serving the EU)",
  "anchorSystemDecisions (10 records)": "anchorDecisions (10 records)",
};
const systemLines = await comparisonLines(systemsTx, (row) => {
  const counterpart = BARE_COUNTERPART[row.operation];
  return counterpart === undefined ? [] : [{ what: counterpart.replace(/ \(.*/, ""), gas: gasOf(counterpart) }];
});
const newFields = await comparisonLines(newFieldsTx, (row) => [{ what: "before system versions (3a15287)", gas: BEFORE_SYSTEMS[row.operation] }]);
for (const [operation, before] of Object.entries(BEFORE_SYSTEMS)) {
  const gas = gasOf(operation);
  const growth = Number(gas - before) / Number(before);
  targets.push({
    ok: growth <= TARGET_NEW_FIELDS_OVERHEAD,
    text: `${operation} with system fields ${fmt(gas)} gas, ${overhead(gas, before)} on ${fmt(before)}; target <= +${(TARGET_NEW_FIELDS_OVERHEAD * 100).toFixed(0)} %`,
  });
}
for (const [operation, gas] of agentAnchorGas) {
  targets.push({ ok: gas <= TARGET_ANCHOR, text: `${operation} ${fmt(gas)} gas; target <= ${fmt(TARGET_ANCHOR)} (root size is independent of batch size)` });
}
const agentLines = await comparisonLines(agentsTx, (row) =>
  row.operation.startsWith("anchorActions") ? [{ what: "anchorSystemDecisions", gas: gasOf("anchorSystemDecisions (10 records)") }] : [],
);
const privateLines = await comparisonLines(privateTx, () => [{ what: "a plain metadata hash", gas: gasOf("registerDataset (no terms)") }]);
const royaltyLines = Object.entries(BEFORE_ROYALTIES).map(([operation, before]) => `${operation}: ${fmt(gasOf(operation))} gas; before (c5d1029) ${fmt(before)} (${overhead(gasOf(operation), before)})`);
const dataContext = await comparisonLines(contextTx, (row) => {
  const counterpart = CONTEXT_COUNTERPART[row.operation];
  return [
    { what: "before (3a15287)", gas: BEFORE_DATA_CONTEXT[counterpart ?? row.operation] },
    ...(counterpart === undefined ? [] : [{ what: "declaring and inheriting nothing", gas: gasOf(counterpart) }]),
  ];
});

/** Runtime code size of each registry against the EIP-170 limit, from the compiled artifacts. */
const sizes: string[] = [];
for (const name of ["DatasetRegistry", "RoyaltyRegistry", "ModelRegistry", "ReleaseRegistry", "AttestationRegistry", "SystemRegistry", "AgentRegistry"]) {
  const folder = {
    DatasetRegistry: "datasets",
    RoyaltyRegistry: "licensing",
    ModelRegistry: "models",
    ReleaseRegistry: "releases",
    AttestationRegistry: "attestations",
    SystemRegistry: "systems",
    AgentRegistry: "agents",
  }[name];
  const artifact = await readJson(`artifacts/contracts/${folder}/${name}.sol/${name}.json`);
  const bytes = (artifact.deployedBytecode.length - 2) / 2;
  sizes.push(`${name}: ${bytes.toLocaleString("en-US")} bytes (${((bytes / EIP170_LIMIT) * 100).toFixed(1)} % of ${EIP170_LIMIT.toLocaleString("en-US")})`);
}

// Console
const widths = header.map((title, col) => Math.max(title.length, ...table.map((cells) => cells[col].length)));
const line = (cells: string[]) =>
  cells.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join("  ");
const out = [
  "Pedigree gas benchmark",
  "",
  "Setup",
  ...setup.map((s) => `  - ${s}`),
  "",
  line(header),
  widths.map((w) => "-".repeat(w)).join("  "),
  ...table.map(line),
  "",
  "Licence territories (worldwide terms store no extra slot; restricted ones store the excluded regions)",
  ...territories.map((t) => `  ${t}`),
  "",
  "Territory enforcement (runs computed in DE; worldwide lineages store nothing, restricted ones their excluded regions;",
  "decision batches record the regions they were made in: the EU)",
  ...enforcement.map((t) => `  ${t}`),
  "",
  "System versions (of the worldwide versions; retrieval data licence-checked, its EU-only licence stored for deployments)",
  ...systemLines.map((t) => `  ${t}`),
  "",
  "System fields on existing operations (deployments and decision batches name their system version)",
  ...newFields.map((t) => `  ${t}`),
  "Data-handling context and inherited territories (context is emitted, never stored; a version derived under a",
  "restricted licence stores the regions it inherits the exclusion of)",
  ...dataContext.map((t) => `  ${t}`),
  "",
  "Agents (one slot per binding's ids plus its policy; one slot per action batch, with the binding in force)",
  ...agentLines.map((t) => `  ${t}`),
  "",
  "Private metadata (a salted commitment root where a plain hash goes: same calldata size, same path)",
  ...privateLines.map((t) => `  ${t}`),
  "",
  "Royalties by use and down the lineage: the existing operations (payments now go to the RoyaltyRegistry and are",
  "settled on a dataset version: royalty parents, contributors, then splits)",
  ...royaltyLines.map((t) => `  ${t}`),
  "",
  "Contract sizes (EIP-170 runtime code limit)",
  ...sizes.map((t) => `  ${t}`),
  "",
  "Targets",
  ...targets.map((t) => `  ${targetLine(t)}`),
  "",
];
console.log(out.join("\n"));

// Markdown (deterministic: no dates, no machine details)
const md = [
  "# Pedigree gas report",
  "",
  "Generated by `npm run bench:gas` (bench/gas.ts). Do not edit by hand.",
  "",
  "## Setup",
  "",
  ...setup.map((s) => `- ${s}`),
  "",
  "## Gas per operation",
  "",
  `| ${header.join(" | ")} |`,
  "| --- | ---: | ---: |",
  ...table.map((cells) => `| ${cells.join(" | ")} |`),
  "",
  "## Licence territories",
  "",
  "Worldwide terms store no extra slot; restricted ones store the regions each territory excludes (one slot each).",
  "",
  ...territories.map((t) => `- ${t}`),
  "",
  "## Territory enforcement",
  "",
  "Training runs are computed in Germany; deployments serve the EU. A worldwide lineage stores nothing more and its check",
  "is one AND. A run on a licence that is not worldwide stores the regions its lineage excludes (one slot per territory)",
  "and its restricting licences with the dataset versions they were used for (one slot for one, two for up to three); a",
  "fine-tune on worldwide data of a restricted parent stores",
  "nothing more (it points at the parent's regions). Deploying a restricted version reads its excluded regions. Decision",
  "batches record the regions their decisions were made in (here the EU) in their event only.",
  "",
  ...enforcement.map((t) => `- ${t}`),
  "",
  "## System versions",
  "",
  "System versions of the worldwide versions above: a prompt, a policy and a tool list, and with retrieval the training",
  "run's two worldwide datasets, or the restricted run's two (one EU-only licence). Zero digests are not written; only",
  "retrieval licences that are not worldwide store anything more (the excluded regions and the licences, one slot each),",
  "which deploySystem then reads. A system's gate checks its attestations like a version's, plus its model version's.",
  "",
  ...systemLines.map((t) => `- ${t}`),
  "",
  "## System fields on existing operations",
  "",
  "Deployments record their system version (0 for a bare version) in the same slot; Deployed and DecisionBatchAnchored",
  "carry it (and the batch its policy digest); approveVersion's gate moved into the ReleaseGate library.",
  "",
  ...newFields.map((t) => `- ${t}`),
  "## Data-handling context and inherited territories",
  "",
  "A dataset version's origin regions and data-handling policy (hash and URI; here the EU and a 32-character URI) travel",
  "in its DatasetVersionPublished event only. A version derived under a licence that is not worldwide, or from a parent",
  "that inherited such a restriction, stores the regions it inherits the exclusion of (one slot per territory); one",
  "derived from worldwide data stores nothing more.",
  "",
  ...dataContext.map((t) => `- ${t}`),
  "",
  "## Royalties by use and down the lineage",
  "",
  "Every payment goes to the RoyaltyRegistry, the treasury the DatasetRegistry creates (no contract could hold both",
  "within EIP-170): a licence sale forwards its ETH there (a value call to a cold account: 9,000 + 2,600 gas) or lets",
  "it pull the ERC-20, and each payment is settled on a dataset version — its royalty parents first (recursively), its",
  "contributors, then the terms' splits — reading the version's shape (one slot) and the splits (through",
  "DatasetRegistry.splitsOf). The rows above measure a sale paying a two-level lineage (two parents with two",
  "recipients each) and usage reports paid with the report, from a deposit and relayed; the existing operations:",
  "",
  ...royaltyLines.map((t) => `- ${t}`),
  "",
  "## Agents",
  "",
  "An agent is an ERC-721 token with its agent card URI; an operator wallet is one slot. A binding stores its system",
  "version, model version and the binding it replaced in one slot and its policy in another, and moves the agent's",
  "current-binding pointer; a batch of action records stores one slot (binding in force, count, window) whatever its",
  "size (the compiler writes the direct form's slot field by field: several SSTOREs, one slot, one 20k write). The",
  "relayed form adds the EIP-712 digest, the signature check and the signer's nonce.",
  "",
  ...agentLines.map((t) => `- ${t}`),
  "",
  "## Private metadata",
  "",
  "A datasheet committed privately (`--private-fields`: each field salted, the Merkle root of the salted fields as the",
  "metadata hash) takes the same contract path and calldata size as a plain metadata hash: privacy costs no gas; the",
  "salts and values stay with the owner until a field is disclosed.",
  "",
  ...privateLines.map((t) => `- ${t}`),
  "",
  "## Contract sizes",
  "",
  ...sizes.map((t) => `- ${t}`),
  "",
  "## Targets",
  "",
  ...targets.map((t) => `- **${t.ok ? "PASS" : "FAIL"}** ${t.text}`),
  "",
].join("\n");
await writeFile(new URL("bench/gas-report.md", root), md);
console.log("Wrote bench/gas-report.md");
if (targets.some((t) => !t.ok)) console.log("Some targets FAIL (reported only; the benchmark does not enforce them).");

await connection.close();
