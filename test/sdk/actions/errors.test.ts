/** decodeError and the failures that are not contract reverts: funds, nonces, networks, nodes, signers. */
import { beforeAll, describe, expect, it } from "vitest";
import { AbiCoder, JsonRpcProvider, Network, Wallet, id } from "ethers";
import {
  InsufficientFundsError,
  MissingSignerError,
  NoContractError,
  NodeUnreachableError,
  NonceTooLowError,
  PEDIGREE_ERRORS_INTERFACE,
  PedigreeContractError,
  PedigreeError,
  SigningRejectedError,
  UnknownPedigreeError,
  WrongNetworkError,
  createPedigreeClient,
  createRpcProvider,
  decodeError,
  decodeRevertData,
  registerDataset,
  royaltiesOf,
  withdrawDataset,
} from "../../../src/sdk/index.ts";
import { caught, newDatasetVersion, sdkFixture, type SdkFixture } from "./fixture.ts";
import { regionIndex, regionSet } from "../../../src/core/regions.ts";

/** A value of an error argument's ABI type, for decoding every error of an interface. */
function sampleArg(type: string, name: string, account: string): unknown {
  if (type === "address") return account;
  if (type === "bytes32") return id(name);
  if (type === "bool") return true;
  if (type === "string") return "production";
  if (name === "status") return 6;
  return 7n;
}

let f: SdkFixture;
beforeAll(async () => {
  f = await sdkFixture();
});

describe("failures that are not reverts", () => {
  it("an account without ETH gets InsufficientFundsError naming it", async () => {
    const broke = Wallet.createRandom().connect(f.protocol.ethers.provider);
    const error = await caught(registerDataset(f.clients.admin.connect(broke), { version: newDatasetVersion() }));
    expect(error).toBeInstanceOf(InsufficientFundsError);
    expect((error as PedigreeError).code).toBe("INSUFFICIENT_FUNDS");
    expect((error as Error).message).toBe(
      `Insufficient funds: ${broke.address} cannot pay for the gas and value of this transaction. Fund the account with ETH on this network and try again.`,
    );
    expect((error as PedigreeError).details).toMatch(/^while calling DatasetRegistry\.registerDataset: /);
  });

  it("a used nonce gets NonceTooLowError with both nonces", async () => {
    const { datasetId } = await registerDataset(f.clients.creator, { version: newDatasetVersion() });
    const next = await f.protocol.ethers.provider.getTransactionCount(f.accounts.creator.address);
    const error = (await caught(withdrawDataset(f.clients.creator, { datasetId, reason: "x", nonce: 0 }))) as NonceTooLowError;
    expect(error).toBeInstanceOf(NonceTooLowError);
    expect(error.expectedNonce).toBe(BigInt(next));
    expect(error.usedNonce).toBe(0n);
    expect(error.message).toBe(
      `Nonce too low: the transaction used nonce 0 but the account's next nonce is ${next}. Another transaction from this account was mined first; retry without setting a nonce.`,
    );
    expect((await f.protocol.datasets.getDataset(datasetId)).withdrawn).toBe(false);
  });

  it("a client for another chain refuses to act before sending", async () => {
    const mainnet = createPedigreeClient({ runner: f.accounts.creator, addresses: f.addresses, chainId: 1 });
    const nonce = await f.protocol.ethers.provider.getTransactionCount(f.accounts.creator.address);
    const error = (await caught(registerDataset(mainnet, { version: newDatasetVersion() }))) as WrongNetworkError;
    expect(error).toBeInstanceOf(WrongNetworkError);
    expect(error.expectedChainId).toBe(1n);
    expect(error.actualChainId).toBe(31337n);
    expect(error.message).toBe(
      "Wrong network: expected chain id 1 but the node is on chain id 31337. Point the RPC URL at the right network, or pick the matching network.",
    );
    await expect(royaltiesOf(mainnet)).rejects.toThrow(WrongNetworkError);
    expect(await f.protocol.ethers.provider.getTransactionCount(f.accounts.creator.address)).toBe(nonce);
  });

  it("an unreachable RPC URL gives one line naming it", async () => {
    const url = "http://127.0.0.1:9";
    const error = await caught(createRpcProvider(url, { chainId: 31337 }));
    expect(error).toBeInstanceOf(NodeUnreachableError);
    expect((error as NodeUnreachableError).url).toBe(url);
    expect((error as Error).message).toBe(
      "Cannot reach the Ethereum node at http://127.0.0.1:9 (connection refused). Check the RPC URL and that the node is running and reachable.",
    );

    // A client over a provider that cannot reach its node: reads and writes name the URL too.
    const provider = new JsonRpcProvider(url, Network.from(31337), { staticNetwork: Network.from(31337) });
    const offline = createPedigreeClient({ runner: provider, addresses: f.addresses });
    const read = await caught(royaltiesOf(offline, { account: f.accounts.creator.address }));
    expect(read).toBeInstanceOf(NodeUnreachableError);
    expect((read as Error).message).toMatch(/^Cannot reach the Ethereum node at http:\/\/127\.0\.0\.1:9 \(connection refused\)\. /);
    expect((read as Error).message).not.toContain("\n");
    const write = await caught(
      registerDataset(offline.connect(Wallet.createRandom()), { version: newDatasetVersion() }),
    );
    expect(write).toBeInstanceOf(NodeUnreachableError);
    provider.destroy();

    // Without a URL to go by, the raw socket error still names host and port.
    const raw = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED", address: "127.0.0.1", port: 9 });
    expect(decodeError(raw).message).toMatch(/^Cannot reach the Ethereum node at 127\.0\.0\.1:9 \(connection refused\)\./);
  });

  it("a node that is not a JSON-RPC node, or a malformed URL, is refused with a clear message", async () => {
    await expect(createRpcProvider("not a url")).rejects.toThrow('the RPC URL "not a url" is not a URL');
    await expect(createRpcProvider("ftp://example.org")).rejects.toThrow("must use http or https");
  });

  it("a read-only client refuses to sign; a wrong address is named as having no contract", async () => {
    const readOnly = createPedigreeClient({ runner: f.protocol.ethers.provider, addresses: f.addresses });
    const error = await caught(registerDataset(readOnly, { version: newDatasetVersion() }));
    expect(error).toBeInstanceOf(MissingSignerError);
    expect((error as Error).message).toBe(
      "DatasetRegistry.registerDataset needs an account to sign with, but the client has only a provider. Create the client with a signer, or call client.connect(signer).",
    );

    const nowhere = createPedigreeClient({
      runner: f.protocol.ethers.provider,
      addresses: { ...f.addresses, royalties: f.accounts.stranger.address },
    });
    const missing = await caught(royaltiesOf(nowhere, { account: f.accounts.creator.address }));
    expect(missing).toBeInstanceOf(NoContractError);
    expect((missing as Error).message).toMatch(/^No contract answered at .* on this network\. Check the deployment addresses/);

    expect(() => createPedigreeClient({ runner: f.accounts.admin, addresses: { ...f.addresses, models: "0x123" } })).toThrow(
      'addresses.models must be an Ethereum address (0x followed by 40 hex digits), got "0x123"',
    );
  });
});

describe("decodeError / decodeRevertData", () => {
  const coder = AbiCoder.defaultAbiCoder();

  it("decodes Error(string), Panic and unknown selectors", () => {
    const reason = decodeRevertData(`0x08c379a0${coder.encode(["string"], ["boom"]).slice(2)}`)!;
    expect(reason.errorName).toBe("Error");
    expect(reason.message).toBe("Revert: the contract reverted: boom.");
    const panic = decodeRevertData(`0x4e487b71${coder.encode(["uint256"], [0x11]).slice(2)}`)!;
    expect(panic.message).toBe("Revert: the contract panicked with code 0x11 (arithmetic overflow or underflow).");
    const unknown = decodeError({ code: 3, message: "execution reverted", data: "0xdeadbeef" });
    expect(unknown).toBeInstanceOf(PedigreeContractError);
    expect(unknown.message).toMatch(/^Revert: the contract reverted with an unknown error \(selector 0xdeadbeef\)\./);
  });

  it("decodes errors of every registry and of OpenZeppelin from raw revert data, as a JSON-RPC node nests it", () => {
    const datasets = f.protocol.datasets.interface;
    const models = f.protocol.models.interface;
    const attestations = f.protocol.attestations.interface;
    const releases = f.protocol.releases.interface;
    const nested = (data: string) => ({ code: "CALL_EXCEPTION", info: { error: { code: 3, message: "execution reverted", data } } });

    const expired = decodeError(nested(models.encodeErrorResult("DatasetVersionNotUsable", [3n, 7n, 6])));
    expect(expired.message).toBe(
      "DatasetVersionNotUsable: dataset version 3 cannot be used under licence 7 (Expired). Acquire a new licence (acquireLicence).",
    );
    const account = f.accounts.stranger.address;
    const cases: [string, string][] = [
      [datasets.encodeErrorResult("SplitsDoNotSumTo10000", [9_000n]), "SplitsDoNotSumTo10000: royalty shares add up to 9000 bps, not 10 000 (100 %). Adjust the shares so they sum to 10 000 bps."],
      [datasets.encodeErrorResult("ERC721NonexistentToken", [5n]), "ERC721NonexistentToken: token 5 does not exist."],
      [f.protocol.royalties.interface.encodeErrorResult("SafeERC20FailedOperation", [account]), `SafeERC20FailedOperation: the ERC-20 token ${account} refused the transfer. Check the token balance and the allowance given to the treasury (RoyaltyRegistry).`],
      [attestations.encodeErrorResult("AccessControlUnauthorizedAccount", [account, id("RELEASE_APPROVER_ROLE")]), `AccessControlUnauthorizedAccount: ${account} lacks the release-approver (RELEASE_APPROVER_ROLE) role this action needs. Ask an admin to grant ${account} the release-approver role (grantRole).`],
      [attestations.encodeErrorResult("UnknownSubject", [5, 12n]), "UnknownSubject: deployment 12 does not exist. Check the subject type and id."],
      [attestations.encodeErrorResult("ExpiryInPast", [1_700_000_000n]), "ExpiryInPast: the expiry 1700000000 (2023-11-14T22:13:20Z) is not in the future. Give a future expiry, or 0 for none."],
      [models.encodeErrorResult("PolicyMissingReleaseApproval", [(1n << 1n) | (1n << 4n)]), "PolicyMissingReleaseApproval: a release policy must include release-approval; it asked for: safety-evaluation, consent. Add release-approval to the kinds."],
      [releases.encodeErrorResult("InvalidWindow", [10n, 5n]), "InvalidWindow: the batch window ends at 5 (1970-01-01T00:00:05Z), before it starts at 10 (1970-01-01T00:00:10Z)."],
    ];
    for (const [data, message] of cases) expect(decodeError(nested(data)).message).toBe(message);

    // ERC-20 errors come from the token, bubbled up unchanged through SafeERC20.
    const balance = decodeError(nested(`0xe450d38c${coder.encode(["address", "uint256", "uint256"], [account, 1n, 500n]).slice(2)}`));
    expect((balance as PedigreeContractError).errorName).toBe("ERC20InsufficientBalance");
    expect(balance.message).toBe(`ERC20InsufficientBalance: ${account} holds 1 token units but 500 are needed. Top up the account's token balance.`);
  });

  it("explains every custom error of the seven registries in words, with its arguments by name", () => {
    const sample = (type: string, name: string): unknown => sampleArg(type, name, f.accounts.stranger.address);
    const registries = [f.protocol.datasets, f.protocol.royalties, f.protocol.models, f.protocol.attestations, f.protocol.releases, f.protocol.systems, f.protocol.agents];
    const unexplained: string[] = [];
    for (const registry of registries) {
      registry.interface.forEachError((fragment) => {
        const data = registry.interface.encodeErrorResult(fragment, fragment.inputs.map((input) => sample(input.type, input.name)));
        const decoded = decodeRevertData(data)!;
        expect(decoded.errorName).toBe(fragment.name);
        // The fallback is the raw call: `Name: Name(arg: value, …).`
        if (decoded.shortMessage.startsWith(`${fragment.name}: ${fragment.name}(`)) unexplained.push(fragment.name);
        for (const input of fragment.inputs) expect(decoded.args, fragment.name).toHaveProperty(input.name);
      });
    }
    expect(unexplained).toEqual([]);
  });

  it("words every next step with SDK functions, never with a command of the CLI", () => {
    const naming: string[] = [];
    PEDIGREE_ERRORS_INTERFACE.forEachError((fragment) => {
      const values = fragment.inputs.map((input) => sampleArg(input.type, input.name, f.accounts.stranger.address));
      const decoded = decodeRevertData(PEDIGREE_ERRORS_INTERFACE.encodeErrorResult(fragment, values))!;
      if (/pedigree [a-z]|--[a-z]/.test(decoded.message)) naming.push(`${fragment.name}: ${decoded.hint}`);
    });
    for (const status of [2, 3, 4, 5, 6, 7]) {
      const decoded = decodeRevertData(PEDIGREE_ERRORS_INTERFACE.encodeErrorResult("DatasetVersionNotUsable", [1n, 1n, status]))!;
      if (/pedigree [a-z]|--[a-z]/.test(decoded.message)) naming.push(`DatasetVersionNotUsable(${status}): ${decoded.hint}`);
    }
    expect(naming).toEqual([]);
  });

  it("explains the errors of issue 17 with what to do next", () => {
    const datasets = f.protocol.datasets.interface;
    const models = f.protocol.models.interface;
    const account = f.accounts.stranger.address;
    const digest = id("fingerprint");
    const cases: [string, string][] = [
      [datasets.encodeErrorResult("TooManyParents", [33n, 32n]), "TooManyParents: 33 parent versions given; at most 32 are allowed. Name the direct parents only; their own parents are already on-chain."],
      [datasets.encodeErrorResult("ParentLengthMismatch", [2n, 1n]), "ParentLengthMismatch: 2 parent versions were given with 1 parent licences. Give one licence per parent (0 for the owner's own data)."],
      [datasets.encodeErrorResult("ParentNotUsable", [4n, 9n, 6]), "ParentNotUsable: dataset version 4 cannot be derived from under licence 9 (Expired). Acquire a new licence (acquireLicence)."],
      [datasets.encodeErrorResult("AlreadyClaimed", [account, digest, 3n]), `AlreadyClaimed: ${account} already claimed ${digest}, as version 3. An owner claims the same data or weights once; refer to version 3 instead.`],
      [datasets.encodeErrorResult("ZeroCommitment", []), "ZeroCommitment: the claim commitment is zero. Compute it from the digest and a salt (commitClaim)."],
      [datasets.encodeErrorResult("ConsentNotRevoked", [2n]), "ConsentNotRevoked: consent to use dataset 2 has not been revoked, so its licences cannot be refunded. Licences are only voided after a consent revocation: revoke consent first (revokeConsent)."],
      [models.encodeErrorResult("PolicyMissingReleaseApproval", [(1n << 1n) | 1n]), "PolicyMissingReleaseApproval: a release policy must include release-approval; it asked for: safety-evaluation, declared training data. Add release-approval to the kinds."],
    ];
    for (const [data, message] of cases) expect(decodeRevertData(data)!.message).toBe(message);
    expect(PEDIGREE_ERRORS_INTERFACE.getError("FingerprintAlreadyRegistered")).toBeNull();
    expect(PEDIGREE_ERRORS_INTERFACE.getError("WeightsAlreadyRegistered")).toBeNull();
  });

  it("explains the territory errors with the regions by code and group", () => {
    const models = f.protocol.models.interface;
    const releases = f.protocol.releases.interface;
    const eea = regionSet("EEA", "r");
    const cases: [string, string][] = [
      [
        models.encodeErrorResult("TrainingOutsideTerritory", [7n, BigInt(regionIndex("CH", "r")), eea]),
        "TrainingOutsideTerritory: the training run was computed in CH, outside the training territory of licence 7 (EEA), used by this run or an ancestor's. " +
          "Train in a region that licence allows, or on data licensed for training where you compute.",
      ],
      [
        releases.encodeErrorResult("DeploymentOutsideTerritory", [7n, regionSet("EU,CH", "r"), regionSet("EU", "r")]),
        "DeploymentOutsideTerritory: the deployment would serve CH, outside the deployment territory of licence 7 (EU), of the version's lineage or the system's retrieval data. " +
          "Serve only regions inside it (deployVersion, deploySystem regions), or deploy what was trained, or retrieves, on data licensed for those regions.",
      ],
      [
        models.encodeErrorResult("UnknownRegion", [249n]),
        'UnknownRegion: region 249 names no region: there are 249 (0 to 248). Give the ISO 3166-1 alpha-2 code of one country, e.g. "DE" (toRegion converts it).',
      ],
    ];
    for (const [data, message] of cases) expect(decodeRevertData(data)!.message).toBe(message);
  });

  it("wraps anything else in one line and returns Pedigree errors as they are", () => {
    const other = decodeError(new Error("something odd\nwith a stack of details"));
    expect(other).toBeInstanceOf(UnknownPedigreeError);
    expect(other.message).toBe("something odd.");
    expect(decodeError(other)).toBe(other);
    const rejected = decodeError({ code: "ACTION_REJECTED", message: "user rejected action" });
    expect(rejected).toBeInstanceOf(SigningRejectedError);
    expect(rejected.message).toBe("The wallet refused to sign.");
    expect(decodeError("a string").message).toBe("a string.");
    expect(decodeError({ code: -32000, message: "insufficient funds for gas * price + value" })).toBeInstanceOf(InsufficientFundsError);
    expect(decodeError({ code: "NONCE_EXPIRED", message: "nonce has already been used" })).toBeInstanceOf(NonceTooLowError);
    expect(decodeError({ code: "NETWORK_ERROR", message: "network changed: 1 => 5 " })).toBeInstanceOf(WrongNetworkError);
  });
});
