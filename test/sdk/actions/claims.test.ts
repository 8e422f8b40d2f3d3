/** Commit–reveal claims: the commitment computed locally is the registry's, and a squatter cannot lock a creator out. */
import { beforeAll, describe, expect, it } from "vitest";
import { id } from "ethers";
import {
  CLAIM_SECRET_FORMAT,
  PedigreeContractError,
  InvalidInputError,
  WrongContractError,
  WrongNetworkError,
  claimCommitment,
  commitClaim,
  newClaimSalt,
  proveClaimPriority,
  publishModelVersion,
  registerDataset,
  registerModel,
  type ClaimSecret,
} from "../../../src/sdk/index.ts";
import { caught, newDatasetVersion, newModelVersion, sdkFixture, type SdkFixture } from "./fixture.ts";

let f: SdkFixture;
beforeAll(async () => {
  f = await sdkFixture();
});

const txCount = (address: string) => f.protocol.ethers.provider.getTransactionCount(address);

describe("claimCommitment / newClaimSalt", () => {
  it("computes the registries' own claimCommitment, for datasets and models", async () => {
    for (let i = 0; i < 5; i++) {
      const salt = newClaimSalt();
      const digest = id(`digest ${i}`);
      const claimant = i % 2 === 0 ? f.accounts.creator.address : f.accounts.mlTeam.address;
      expect(claimCommitment({ chainId: 31337n, contract: f.addresses.datasets, claimant, digest, salt })).toBe(
        await f.protocol.datasets.claimCommitment(claimant, digest, salt),
      );
      expect(claimCommitment({ chainId: 31337, contract: f.addresses.models, claimant, digest, salt })).toBe(
        await f.protocol.models.claimCommitment(claimant, digest, salt),
      );
    }
  });

  it("draws 32 fresh random bytes each time", () => {
    const salts = new Set(Array.from({ length: 100 }, () => newClaimSalt()));
    expect(salts.size).toBe(100);
    for (const salt of salts) expect(salt).toMatch(/^0x[0-9a-f]{64}$/);
  });
});

describe("commitClaim / proveClaimPriority", () => {
  it("proves that a creator committed to a fingerprint before a squatter registered it", async () => {
    const version = newDatasetVersion("ipfs://bafy-original");
    const committed = await commitClaim(f.clients.creator, { registry: "datasets", digest: version.fingerprint });
    const { secret } = committed;
    expect(secret).toMatchObject({
      format: CLAIM_SECRET_FORMAT,
      chainId: "31337",
      registry: "datasets",
      contract: f.addresses.datasets,
      claimant: f.accounts.creator.address,
      digest: version.fingerprint,
    });
    expect(secret.commitment).toBe(await f.protocol.datasets.claimCommitment(secret.claimant, secret.digest, secret.salt));
    expect(await f.protocol.datasets.commitmentTime(secret.commitment)).toBe(committed.committedAt);
    // Only the commitment went on-chain: the salt is nowhere in the transaction.
    const sent = await f.protocol.ethers.provider.getTransaction(committed.hash);
    expect(sent!.data).not.toContain(secret.salt.slice(2));

    const squat = await registerDataset(f.clients.stranger, { version: { ...version, uri: "ipfs://bafy-copy" } });
    const own = await registerDataset(f.clients.creator, { version });
    const proven = await proveClaimPriority(f.clients.relayer, JSON.parse(JSON.stringify(secret)) as ClaimSecret);
    expect(proven).toMatchObject({
      versionId: own.versionId,
      claimant: f.accounts.creator.address,
      digest: version.fingerprint,
      committedAt: committed.committedAt,
    });
    const squattedAt = (await f.protocol.ethers.provider.getBlock(squat.blockNumber))!.timestamp;
    expect(proven.committedAt).toBeLessThan(BigInt(squattedAt));

    // The squatter has no commitment to show for the same data.
    const forged: ClaimSecret = { ...secret, claimant: f.accounts.stranger.address };
    forged.commitment = claimCommitment(forged);
    const error = (await caught(proveClaimPriority(f.clients.stranger, forged))) as PedigreeContractError;
    expect(error.errorName).toBe("UnknownCommitment");
    expect(error.message).toBe(
      `UnknownCommitment: no commitment ${forged.commitment} was made for this claimant, digest and salt on this registry. ` +
        "Pass the salt file written when committing, for the same registry (datasets or models) and claimant.",
    );
  });

  it("works for weights on the model registry; proving before publishing is a decoded UnknownClaim", async () => {
    const version = newModelVersion();
    const { secret } = await commitClaim(f.clients.mlTeam, { registry: "models", digest: version.weightsHash });
    const early = (await caught(proveClaimPriority(f.clients.mlTeam, secret))) as PedigreeContractError;
    expect(early.message).toBe(
      `UnknownClaim: ${f.accounts.mlTeam.address} has not claimed ${version.weightsHash}. ` +
        "Publish the version first, then prove its priority (proveClaimPriority).",
    );
    const { modelId } = await registerModel(f.clients.mlTeam, { commercial: false, uri: "ipfs://card" });
    const { versionId } = await publishModelVersion(f.clients.mlTeam, {
      modelId,
      version,
      trainingRun: { data: [], region: "DE", startedAt: 1n, endedAt: 2n },
    });
    expect((await proveClaimPriority(f.clients.mlTeam, secret)).versionId).toBe(versionId);
  });

  it("refuses a second identical commitment with a decoded AlreadyCommitted", async () => {
    const salt = newClaimSalt();
    const digest = id("committed twice");
    await commitClaim(f.clients.creator, { registry: "datasets", digest, salt });
    const error = (await caught(commitClaim(f.clients.creator, { registry: "datasets", digest, salt }))) as PedigreeContractError;
    expect(error.errorName).toBe("AlreadyCommitted");
  });

  it("refuses bad input and secrets of another chain, registry or altered, before sending anything", async () => {
    const { secret } = await commitClaim(f.clients.creator, { registry: "datasets", digest: id("guarded") });
    const nonce = await txCount(f.accounts.creator.address);
    const zero = await caught(commitClaim(f.clients.creator, { registry: "datasets", digest: `0x${"0".repeat(64)}` }));
    expect((zero as Error).message).toBe("digest must not be zero");
    const registry = await caught(commitClaim(f.clients.creator, { registry: "releases" as never, digest: id("x") }));
    expect((registry as InvalidInputError).field).toBe("registry");

    const otherChain = await caught(proveClaimPriority(f.clients.creator, { ...secret, chainId: "1", commitment: claimCommitment({ ...secret, chainId: 1 }) }));
    expect(otherChain).toBeInstanceOf(WrongNetworkError);
    const otherRegistry = { ...secret, contract: f.addresses.models, commitment: claimCommitment({ ...secret, contract: f.addresses.models }) };
    const wrong = await caught(proveClaimPriority(f.clients.creator, otherRegistry));
    expect(wrong).toBeInstanceOf(WrongContractError);
    expect((wrong as Error).message).toContain(`made on the datasets registry at ${f.addresses.models}`);
    const altered = await caught(proveClaimPriority(f.clients.creator, { ...secret, salt: newClaimSalt() }));
    expect(altered).toBeInstanceOf(InvalidInputError);
    expect((altered as Error).message).toBe(
      "the claim secret's commitment does not match its claimant, digest and salt. It was altered; use the claim secret exactly as it was written when committing.",
    );
    await expect(proveClaimPriority(f.clients.creator, "{not json")).rejects.toThrow("the claim secret is not JSON");
    expect(await txCount(f.accounts.creator.address)).toBe(nonce);
  });
});
