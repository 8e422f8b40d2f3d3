/**
 * Shared set-up of the SDK action tests: the protocol deployed on a fresh in-process chain, one PedigreeClient per
 * named account, and short-hands that build the usual records through the SDK itself.
 */
import { ZeroHash, id, parseEther } from "ethers";
import { deployProtocol, hash32, type Accounts, type Protocol } from "../../helpers/protocol.ts";
import {
  acquireLicence,
  createPedigreeClient,
  publishModelVersion,
  registerDataset,
  registerModel,
  type LicenceTermsInput,
  type PedigreeAddresses,
  type PedigreeClient,
} from "../../../src/sdk/index.ts";

export type Clients = Record<keyof Accounts, PedigreeClient>;

export interface SdkFixture {
  protocol: Protocol;
  addresses: PedigreeAddresses;
  accounts: Accounts;
  clients: Clients;
}

/** Deploys the protocol and builds one client per account. */
export async function sdkFixture(): Promise<SdkFixture> {
  const protocol = await deployProtocol();
  const addresses: PedigreeAddresses = {
    datasets: await protocol.datasets.getAddress(),
    attestations: await protocol.attestations.getAddress(),
    models: await protocol.models.getAddress(),
    releases: await protocol.releases.getAddress(),
    systems: await protocol.systems.getAddress(),
    agents: await protocol.agents.getAddress(),
    royalties: await protocol.royalties.getAddress(),
  };
  const base = createPedigreeClient({ runner: protocol.accounts.admin, addresses, chainId: 31337 });
  const clients = Object.fromEntries(
    Object.entries(protocol.accounts).map(([name, signer]) => [name, base.connect(signer)]),
  ) as Clients;
  return { protocol, addresses, accounts: protocol.accounts, clients };
}

/** ETH terms paying `recipient` everything; 1 ETH, one year, commercial + derivatives unless overridden. */
export function ethTerms(recipient: string, overrides: Partial<LicenceTermsInput> = {}): LicenceTermsInput {
  return {
    price: parseEther("1"),
    duration: 365 * 24 * 3600,
    commercialUse: true,
    derivativesAllowed: true,
    documentHash: id("licence text"),
    documentURI: "spdx:CC-BY-4.0",
    splits: [{ recipient, bps: 10_000 }],
    ...overrides,
  };
}

/** A dataset version input with fresh hashes. */
export function newDatasetVersion(uri = "ipfs://bafy-dataset") {
  return { fingerprint: hash32("data"), manifestRoot: hash32("manifest"), metadataHash: hash32("meta"), uri };
}

/** A model version input with fresh hashes. */
export function newModelVersion(uri = "s3://models/weights") {
  return { weightsHash: hash32("weights"), manifestRoot: hash32("files"), configHash: hash32("config"), uri };
}

/** A dataset with terms by `creator`, licensed by `buyer`: the ids a model version needs. */
export async function licensedDataset(
  creator: PedigreeClient,
  buyer: PedigreeClient,
  terms: Partial<LicenceTermsInput> = {},
): Promise<{ datasetId: bigint; versionId: bigint; termsId: bigint; licenceId: bigint }> {
  const creatorAddress = await creator.account();
  const registered = await registerDataset(creator, {
    version: newDatasetVersion(),
    terms: ethTerms(creatorAddress, terms),
  });
  const licence = await acquireLicence(buyer, { datasetId: registered.datasetId });
  return {
    datasetId: registered.datasetId,
    versionId: registered.versionId,
    termsId: registered.termsId!,
    licenceId: licence.licenceId,
  };
}

/** A model of `owner` with one version trained on `uses`. */
export async function modelWithVersion(
  owner: PedigreeClient,
  uses: { datasetVersionId: bigint; licenceId: bigint }[],
  commercial = true,
): Promise<{ modelId: bigint; versionId: bigint }> {
  const { modelId } = await registerModel(owner, { commercial, metadataHash: id("card"), uri: "ipfs://card" });
  const { versionId } = await publishModelVersion(owner, {
    modelId,
    version: newModelVersion(),
    trainingRun: { data: uses, codeHash: id("code"), region: "DE", startedAt: 1_767_225_600n, endedAt: 1_767_312_000n },
  });
  return { modelId, versionId };
}

/** Runs `action`, expecting it to throw; returns what it threw. */
export async function caught(action: Promise<unknown>): Promise<unknown> {
  try {
    await action;
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to throw, but it succeeded");
}

export { ZeroHash };
