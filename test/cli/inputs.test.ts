/**
 * Bad input and refusals through the real `pedigree` command, against one local chain: each gives exit code 2 (bad
 * input) or 1 (the chain or the node said no) with ONE line on stderr and no stack trace, and sends nothing. Plus
 * every command's `--help` (with an example) and the exit-code contract in `pedigree --help`.
 */
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { encryptKeystoreJson, id, parseEther } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPedigreeClient, registerDataset, registerModel } from "../../src/sdk/index.ts";
import { buildProgram } from "../../src/cli/main.ts";
import { cleanEnv, failureShape, runPedigree, startCliChain, type CliChain, type CliResult, type CliRunOptions } from "./cli-chain.ts";

type Json = Record<string, any>;

interface Case {
  name: string;
  args: string[];
  options?: CliRunOptions;
  code: 1 | 2;
  stderr: RegExp;
}

/** Runs `jobs` with at most `limit` at a time, keeping their order. */
async function pool<T, R>(items: readonly T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await job(items[index]!);
      }
    }),
  );
  return results;
}

/** The keystore `json` as if its key were derived with PBKDF2-HMAC-SHA256 of `count` rounds (refused before decrypting). */
function pbkdf2Keystore(json: string, count: number): string {
  const document = JSON.parse(json) as { Crypto: { kdf: string; kdfparams: Record<string, unknown> } };
  const { salt, dklen } = document.Crypto.kdfparams;
  document.Crypto.kdf = "pbkdf2";
  document.Crypto.kdfparams = { c: count, dklen, prf: "hmac-sha256", salt };
  return JSON.stringify(document);
}

describe("pedigree CLI: bad input and refusals", () => {
  let t: CliChain;
  let keystore: string;
  let keystores: Record<"worldWritable" | "groupWritable" | "gethLight" | "testGrade" | "weakPbkdf2", string>;
  let results: Map<string, CliResult>;
  let cases: Case[];
  let blockBefore: number;

  beforeAll(async () => {
    t = await startCliChain();
    const [, alice, , mlTeam] = t.chain.signers;
    const client = createPedigreeClient({ runner: alice!, addresses: t.deployment.addresses });
    await registerDataset(client, {
      version: { fingerprint: id("dataset 1"), uri: "ipfs://bafydataset1" },
      terms: {
        price: parseEther("0.1"),
        commercialUse: true,
        derivativesAllowed: true,
        documentURI: "spdx:CC-BY-4.0",
        splits: [{ recipient: alice!.address, bps: 10_000 }],
      },
    });
    await registerModel(client.connect(mlTeam!), { commercial: true, uri: "ipfs://bafymodel1" });

    // Keystores: one as ethers writes it by default (scrypt N = 2^17) and private to its owner, the same open to
    // others, and private ones with weak key derivation (geth's --lightkdf, a test-grade N, a low PBKDF2 count).
    const mlTeamKey = { address: t.accounts.mlTeam.address, privateKey: t.accounts.mlTeam.privateKey };
    const strong = await encryptKeystoreJson(mlTeamKey, "right");
    const keystoreFile = async (name: string, json: string, mode: number): Promise<string> => {
      const file = join(t.dir, name);
      await writeFile(file, json);
      await chmod(file, mode);
      return file;
    };
    keystore = await keystoreFile("keystore.json", strong, 0o600);
    keystores = {
      worldWritable: await keystoreFile("world-writable.keystore.json", strong, 0o666),
      groupWritable: await keystoreFile("group-writable.keystore.json", strong, 0o620),
      gethLight: await keystoreFile("geth-light.keystore.json", await encryptKeystoreJson(mlTeamKey, "right", { scrypt: { N: 1 << 12, p: 6 } }), 0o600),
      testGrade: await keystoreFile("test-grade.keystore.json", await encryptKeystoreJson(mlTeamKey, "right", { scrypt: { N: 1 << 10 } }), 0o600),
      weakPbkdf2: await keystoreFile("pbkdf2.keystore.json", pbkdf2Keystore(strong, 10_000), 0o600),
    };
    const bogusAddresses = join(t.dir, "addresses.json");
    await writeFile(
      bogusAddresses,
      JSON.stringify({ ...t.deployment.addresses, releases: "0x00000000000000000000000000000000000000aa" }),
    );
    await writeFile(join(t.dir, "records.txt"), `${id("a")}\nnot-a-hash\n`);
    const takenManifest = join(t.dir, "taken.manifest.json");
    await writeFile(takenManifest, "{}\n");

    const alicesAddress = t.accounts.alice.address;
    const window = ["--started", "2026-01-01T00:00:00Z", "--ended", "2026-01-01T01:00:00Z"];
    const publish = ["model", "publish", "1", "--weights-hash", id("weights"), "--uri", "s3://m/v1", ...window];
    cases = [
      {
        name: "malformed address",
        args: ["licence", "acquire", "1", "--for", "0x1234"],
        options: { as: "mlTeam" },
        code: 2,
        stderr: /^pedigree: --for must be an Ethereum address \(0x followed by 40 hex digits\), got "0x1234"$/,
      },
      {
        name: "address with a wrong checksum",
        args: ["royalties", "show", alicesAddress.replace(/[a-f]/, (c) => c.toUpperCase())],
        code: 2,
        stderr: /wrong checksum/,
      },
      {
        name: "missing data file",
        args: ["dataset", "register", "--path", join(t.dir, "no-such-dir"), "--uri", "ipfs://x"],
        options: { as: "alice" },
        code: 2,
        stderr: /^pedigree: --path .*no-such-dir does not exist: check the path$/,
      },
      {
        name: "missing records file",
        args: ["decisions", "anchor", "1", "--records", join(t.dir, "nope.txt"), "--from", "2026-01-01", "--to", "2026-01-02", "--regions", "EU"],
        options: { as: "mlTeam" },
        code: 2,
        stderr: /does not exist/,
      },
      {
        name: "malformed record hash in the records file",
        args: ["decisions", "anchor", "1", "--records", join(t.dir, "records.txt"), "--from", "2026-01-01", "--to", "2026-01-02", "--regions", "EU"],
        options: { as: "mlTeam" },
        code: 2,
        stderr: /line 2: "not-a-hash" is not a 32-byte hash/,
      },
      {
        name: "malformed hash",
        args: ["dataset", "register", "--fingerprint", "0x1234", "--uri", "ipfs://x"],
        options: { as: "alice" },
        code: 2,
        stderr: /--fingerprint must be a 32-byte hash/,
      },
      {
        name: "malformed amount",
        args: ["licence", "acquire", "1", "--max-price", "lots"],
        options: { as: "mlTeam" },
        code: 2,
        stderr: /--max-price must be an amount like 0.5/,
      },
      {
        name: "malformed id",
        args: ["release", "status", "one", "--env", "production"],
        code: 2,
        stderr: /versionId must be a positive whole number/,
      },
      {
        name: "royalty shares not summing to 100 %",
        args: ["dataset", "register", "--fingerprint", id("x"), "--uri", "ipfs://x", "--price", "1", "--licence-uri", "spdx:MIT", "--split", `${alicesAddress}:5000`],
        options: { as: "alice" },
        code: 2,
        stderr: /royalty shares add up to 5000 bps, not 10 000/,
      },
      {
        name: "unknown training territory",
        args: ["dataset", "register", "--fingerprint", id("x"), "--uri", "ipfs://x", "--licence-uri", "spdx:MIT", "--training-territories", "EU,XX"],
        options: { as: "alice" },
        code: 2,
        stderr: /^pedigree: --training-territories: "XX" is not an ISO 3166-1 alpha-2 country code/,
      },
      {
        name: "unknown origin region",
        args: ["dataset", "register", "--fingerprint", id("x"), "--uri", "ipfs://x", "--origin", "EU,XX"],
        options: { as: "alice" },
        code: 2,
        stderr: /^pedigree: --origin: "XX" is not an ISO 3166-1 alpha-2 country code/,
      },
      {
        name: "unknown origin of a new version",
        args: ["dataset", "version", "1", "--fingerprint", id("y"), "--uri", "ipfs://y", "--origin", "Europe"],
        options: { as: "alice" },
        code: 2,
        stderr: /^pedigree: --origin: "Europe" is not an ISO 3166-1 alpha-2 country code/,
      },
      {
        name: "handling policy given twice",
        args: ["dataset", "register", "--fingerprint", id("x"), "--uri", "ipfs://x", "--handling-policy", "records.txt", "--handling-policy-hash", id("p")],
        options: { as: "alice" },
        code: 2,
        stderr: /^pedigree: give either --handling-policy <file> or --handling-policy-hash <hash>, not both$/,
      },
      {
        name: "handling policy URI without the policy",
        args: ["dataset", "version", "1", "--fingerprint", id("y"), "--uri", "ipfs://y", "--handling-policy-uri", "ipfs://policy"],
        options: { as: "alice" },
        code: 2,
        stderr: /^pedigree: --handling-policy-uri needs the policy itself: --handling-policy <file> or --handling-policy-hash <hash>$/,
      },
      {
        name: "missing handling policy file",
        args: ["dataset", "register", "--fingerprint", id("x"), "--uri", "ipfs://x", "--handling-policy", join(t.dir, "no-such-policy.md")],
        options: { as: "alice" },
        code: 2,
        stderr: /^pedigree: --handling-policy ".*no-such-policy\.md" is neither a 32-byte hash \(0x \+ 64 hex digits\) nor an existing file: check it$/,
      },
      {
        name: "handling policy hash given as the policy file",
        args: ["dataset", "register", "--fingerprint", id("x"), "--uri", "ipfs://x", "--handling-policy", id("p")],
        options: { as: "alice" },
        code: 2,
        stderr: /^pedigree: --handling-policy takes the policy file; give a hash with --handling-policy-hash$/,
      },
      {
        name: "malformed handling policy hash",
        args: ["dataset", "register", "--fingerprint", id("x"), "--uri", "ipfs://x", "--handling-policy-hash", "0x1234"],
        options: { as: "alice" },
        code: 2,
        stderr: /^pedigree: --handling-policy-hash must be/,
      },
      {
        name: "empty deployment territory",
        args: ["dataset", "terms", "1", "--licence-uri", "spdx:MIT", "--deployment-territories", " , "],
        options: { as: "alice" },
        code: 2,
        stderr: /^pedigree: --deployment-territories is empty: give regions such as EU,CH or WORLDWIDE/,
      },
      {
        name: "training run without --region",
        args: publish,
        options: { as: "mlTeam" },
        code: 2,
        stderr: /^pedigree: --region is required: the ISO 3166-1 alpha-2 code of one country, e\.g\. "DE"$/,
      },
      {
        name: "a group as the training --region",
        args: [...publish, "--region", "EEA"],
        options: { as: "mlTeam" },
        code: 2,
        stderr: /^pedigree: --region must be one country, not the group EEA: give a code such as DE$/,
      },
      {
        name: "unknown training --region",
        args: [...publish, "--region", "XX"],
        options: { as: "mlTeam" },
        code: 2,
        stderr: /^pedigree: --region: "XX" is not an ISO 3166-1 alpha-2 country code/,
      },
      {
        name: "overlong --compute-provider",
        args: [...publish, "--region", "DE", "--compute-provider", "x".repeat(32)],
        options: { as: "mlTeam" },
        code: 2,
        stderr: /^pedigree: --compute-provider must be a name of 1 to 31 bytes \(e\.g\. "aws:eu-central-1"\) or a 32-byte hex id$/,
      },
      {
        name: "deployment without --regions",
        args: ["release", "deploy", "1", "--env", "production"],
        options: { as: "mlTeam" },
        code: 2,
        stderr: /^pedigree: --regions is required: the regions the deployment serves, e\.g\. "EU", "DE,FR" or "WORLDWIDE"$/,
      },
      {
        name: "decision batch without --regions",
        args: ["decisions", "anchor", "1", "--records", join(t.dir, "records.txt"), "--from", "2026-01-01", "--to", "2026-01-02"],
        options: { as: "mlTeam" },
        code: 2,
        stderr: /^pedigree: --regions is required: where the decisions were made, e\.g\. "EU", "DE,FR" or "WORLDWIDE"$/,
      },
      {
        name: "unknown deployment --regions",
        args: ["release", "deploy", "1", "--env", "production", "--regions", "EU,ZZ"],
        options: { as: "mlTeam" },
        code: 2,
        stderr: /^pedigree: --regions: "ZZ" is not an ISO 3166-1 alpha-2 country code/,
      },
      {
        name: "unknown attestation kind",
        args: ["attest", "--subject", "dataset-version:1", "--kind", "vibe-check"],
        options: { as: "alice" },
        code: 2,
        stderr: /unknown attestation kind "vibe-check"/,
      },
      {
        name: "unknown option",
        args: ["dataset", "register", "--colour", "blue"],
        code: 2,
        stderr: /^pedigree: unknown option '--colour' \(see `pedigree dataset register --help`\)$/,
      },
      {
        name: "unknown dataset id",
        args: ["licence", "acquire", "99"],
        options: { as: "mlTeam" },
        code: 1,
        stderr: /^pedigree: UnknownDataset: dataset 99 does not exist\. Check the dataset id\.$/,
      },
      {
        name: "unlicensed dataset when publishing",
        args: [...publish, "--data", "1:1", "--region", "DE"],
        options: { as: "mlTeam" },
        code: 1,
        stderr:
          /^pedigree: DatasetVersionNotUsable: dataset version 1 cannot be used under licence 1 \(UnknownLicence\)\. Acquire a licence with `pedigree licence acquire`\.$/,
      },
      {
        name: "missing role",
        args: ["attest", "--subject", "dataset-version:1", "--kind", "safety-evaluation"],
        options: { as: "stranger" },
        code: 1,
        stderr: new RegExp(`MissingAttesterRole: .*Ask an admin to grant it: \`pedigree role grant evaluator ${t.accounts.stranger.address}\`\\.$`),
      },
      {
        name: "not the owner",
        args: ["dataset", "withdraw", "1", "--reason", "mine now"],
        options: { as: "stranger" },
        code: 1,
        stderr: /NotDatasetOwner/,
      },
      {
        name: "wrong --chain-id",
        args: ["royalties", "show", alicesAddress, "--chain-id", "11155111"],
        code: 2,
        stderr: /^pedigree: wrong network: expected chain id 11155111 but the node at http:\/\/127\.0\.0\.1:\d+ is on chain id 31337; /,
      },
      {
        name: "node down",
        args: ["royalties", "show", alicesAddress, "--rpc", "http://127.0.0.1:9"],
        code: 1,
        stderr: /^pedigree: Cannot reach the Ethereum node at http:\/\/127\.0\.0\.1:9 \(connection refused\): check --rpc/,
      },
      {
        name: "existing --manifest-out of a dataset",
        args: ["dataset", "register", "--path", t.dir, "--uri", "ipfs://x", "--manifest-out", takenManifest],
        options: { as: "alice" },
        code: 2,
        stderr: /^pedigree: --manifest-out .*taken\.manifest\.json exists already: choose another file, or add --force to overwrite it$/,
      },
      {
        name: "malformed --timeout",
        args: ["royalties", "show", alicesAddress, "--timeout", "soon"],
        code: 2,
        stderr: /^pedigree: --timeout \(or PEDIGREE_TIMEOUT\) must be a number of seconds above 0 and at most 86400, got "soon"$/,
      },
      {
        name: "zero PEDIGREE_TIMEOUT",
        args: ["audit", "trained", "1", "--subgraph", "http://127.0.0.1:9/subgraphs/name/pedigree"],
        options: { env: { PEDIGREE_TIMEOUT: "0" } },
        code: 2,
        stderr: /^pedigree: --timeout \(or PEDIGREE_TIMEOUT\) must be a number of seconds above 0 and at most 86400, got "0"$/,
      },
      {
        name: "network missing from the networks file",
        args: ["royalties", "show", alicesAddress, "--network", "sepolia"],
        code: 2,
        stderr: /has no network "sepolia" \(it has: localhost\)/,
      },
      {
        name: "no contract at the addresses",
        args: ["release", "status", "1", "--env", "production", "--addresses", bogusAddresses],
        code: 2,
        stderr: /no contract at 0x0{38}aa \(the ReleaseRegistry\) on chain 31337/i,
      },
      {
        name: "no key",
        args: ["model", "register", "--uri", "ipfs://card"],
        code: 2,
        stderr: /^pedigree: this command signs with an account: set PEDIGREE_PRIVATE_KEY, or pass --keystore <file>$/,
      },
      {
        name: "key on the command line refused",
        args: ["model", "register", "--uri", "ipfs://card", "--private-key", t.accounts.mlTeam.privateKey],
        code: 2,
        stderr: /^pedigree: refusing --private-key: .*--unsafe-key-on-command-line/,
      },
      {
        name: "keystore with a wrong password",
        args: ["model", "register", "--uri", "ipfs://card", "--keystore", keystore],
        options: { env: { PEDIGREE_KEYSTORE_PASSWORD: "wrong" } },
        code: 2,
        stderr: /^pedigree: wrong password for keystore .*keystore\.json: check PEDIGREE_KEYSTORE_PASSWORD/,
      },
      {
        name: "world-writable keystore",
        args: ["model", "register", "--uri", "ipfs://card", "--keystore", keystores.worldWritable],
        options: { env: { PEDIGREE_KEYSTORE_PASSWORD: "right" } },
        code: 2,
        stderr: new RegExp(`^pedigree: keystore ${keystores.worldWritable} is writable by its group and others \\(mode 0666\\): anyone who can replace it chooses the key you sign with; run \`chmod 600 ${keystores.worldWritable}\`$`),
      },
      {
        name: "group-writable keystore",
        args: ["model", "register", "--uri", "ipfs://card", "--keystore", keystores.groupWritable],
        options: { env: { PEDIGREE_KEYSTORE_PASSWORD: "right" } },
        code: 2,
        stderr: /^pedigree: keystore .*group-writable\.keystore\.json is writable by its group \(mode 0620\): .*run `chmod 600 .*group-writable\.keystore\.json`$/,
      },
      {
        name: "keystore of geth --lightkdf",
        args: ["model", "register", "--uri", "ipfs://card", "--keystore", keystores.gethLight],
        options: { env: { PEDIGREE_KEYSTORE_PASSWORD: "right" } },
        code: 2,
        stderr: /^pedigree: keystore .*geth-light\.keystore\.json is protected by weak scrypt parameters \(N=4096, r=8, p=6; at least N=131072, r=8 needed, ethers' default\): a copy of it is cheap to brute-force; re-encrypt the key with stronger parameters \(e\.g\. `geth account update`, or ethers' encryptKeystoreJson defaults\)$/,
      },
      {
        name: "keystore with test-grade scrypt",
        args: ["model", "register", "--uri", "ipfs://card", "--keystore", keystores.testGrade],
        options: { env: { PEDIGREE_KEYSTORE_PASSWORD: "right" } },
        code: 2,
        stderr: /is protected by weak scrypt parameters \(N=1024, r=8, p=1; /,
      },
      {
        name: "keystore with a low PBKDF2 count",
        args: ["model", "register", "--uri", "ipfs://card", "--keystore", keystores.weakPbkdf2],
        options: { env: { PEDIGREE_KEYSTORE_PASSWORD: "right" } },
        code: 2,
        stderr: /^pedigree: keystore .*pbkdf2\.keystore\.json is protected by a weak PBKDF2 count \(c=10000; at least c=262144 needed, geth's\): a copy of it is cheap to brute-force; re-encrypt/,
      },
      {
        name: "keystore without a password, not on a terminal",
        args: ["model", "register", "--uri", "ipfs://card", "--keystore", keystore],
        code: 2,
        stderr: /needs a password: set PEDIGREE_KEYSTORE_PASSWORD/,
      },
    ];

    blockBefore = await t.chain.connection.ethers.provider.getBlockNumber();
    const runs = await pool(cases, 4, (c) => t.cli(c.args, c.options));
    results = new Map(cases.map((c, index) => [c.name, runs[index]!]));
  });

  afterAll(async () => {
    await t?.close();
  });

  it("refuses each with the right exit code and one line on stderr, no stack trace", () => {
    for (const c of cases) {
      const result = results.get(c.name)!;
      expect({ case: c.name, ...failureShape(result) }).toEqual({ case: c.name, code: c.code, lines: 1, stackTrace: false });
      expect(result.stderr.trim(), c.name).toMatch(c.stderr);
      expect(result.stdout, c.name).toBe("");
    }
  });

  it("sent nothing", async () => {
    expect(await t.chain.connection.ethers.provider.getBlockNumber()).toBe(blockBefore);
  });

  it("prints a JSON error document with --json", async () => {
    const result = await t.cli(["licence", "acquire", "99", "--json"], { as: "mlTeam" });
    expect(result.code).toBe(1);
    expect(result.json<Json>()).toEqual({
      error: {
        code: "CONTRACT_REVERT",
        name: "UnknownDataset",
        message: "UnknownDataset: dataset 99 does not exist. Check the dataset id.",
        exitCode: 1,
      },
    });

    const usage = await t.cli(["dataset", "register", "--colour", "blue", "--json"]);
    expect(usage.code).toBe(2);
    expect(usage.json<Json>()).toEqual({ error: { code: "USAGE", message: "unknown option '--colour'", exitCode: 2 } });
  });

  it("fingerprint --manifest-out refuses to overwrite a file unless --force is given", async () => {
    const data = join(t.dir, "data");
    await mkdir(data, { recursive: true });
    await writeFile(join(data, "a.txt"), "a\n");
    const manifest = join(t.dir, "existing.manifest.json");
    await writeFile(manifest, "keep me\n");

    const refused = await t.cli(["fingerprint", data, "--manifest-out", manifest]);
    expect(failureShape(refused)).toEqual({ code: 2, lines: 1, stackTrace: false });
    expect(refused.stderr.trim()).toBe(`pedigree: --manifest-out ${manifest} exists already: choose another file, or add --force to overwrite it`);
    expect(refused.stdout).toBe("");
    expect(await readFile(manifest, "utf8")).toBe("keep me\n");

    const forced = await t.cli(["fingerprint", data, "--manifest-out", manifest, "--force", "--json"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(await readFile(manifest, "utf8")).entries.map((entry: Json) => entry.path)).toEqual(["a.txt"]);
  });

  it("accepts a key on the command line with --unsafe-key-on-command-line, with a warning", async () => {
    const result = await t.cli(["royalties", "show", "--private-key", t.accounts.alice.privateKey, "--unsafe-key-on-command-line"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`${t.accounts.alice.address} can withdraw 0.0 ETH`);
    expect(result.stderr).toMatch(/^pedigree: warning: using a private key given on the command line/);
  });

  it("takes global options before the command, and explicit --rpc / --network / --networks-file", async () => {
    const result = await t.cli(
      ["--json", "--rpc", t.chain.url, "--network", "localhost", "--networks-file", t.networksFile, "dataset", "show", "1"],
      { bare: true },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.json<Json>()).toMatchObject({ datasetId: "1", owner: t.accounts.alice.address, terms: { price: parseEther("0.1").toString() } });
  });
});

describe("pedigree CLI: help", () => {
  /** Every command path, e.g. ["dataset", "register"]. */
  function commandPaths(command: Command, prefix: string[] = []): string[][] {
    return command.commands
      .filter((sub) => sub.name() !== "help")
      .flatMap((sub) => [[...prefix, sub.name()], ...commandPaths(sub, [...prefix, sub.name()])]);
  }

  it("every command's help shows an example", () => {
    const program = buildProgram();
    const paths = commandPaths(program);
    expect(paths.map((path) => path.join(" "))).toEqual(
      expect.arrayContaining([
        "fingerprint", "dataset register", "dataset version", "dataset terms", "dataset withdraw", "licence acquire",
        "royalties show", "royalties withdraw", "model register", "model publish", "model policy", "model approve", "attest",
        "attest sign", "attest relay", "attest revoke", "role grant", "role revoke", "release deploy", "release rollback",
        "release takedown", "release status", "decisions anchor", "decisions prove", "decisions verify", "node",
        "dataset consent-revoke", "dataset commit", "dataset prove-priority", "licence refund", "model grant-derivation",
        "model commit", "model prove-priority", "attest cancel-nonce",
      ]),
    );
    for (const path of paths) {
      let command = program;
      for (const name of path) command = command.commands.find((sub) => sub.name() === name)!;
      let text = "";
      command.configureOutput({ writeOut: (chunk) => (text += chunk), writeErr: (chunk) => (text += chunk) });
      command.outputHelp();
      expect(text, path.join(" ")).toContain(`Usage: pedigree ${path.join(" ")}`);
      expect(text, path.join(" ")).toMatch(/Example:\n {2}\$ pedigree /);
    }
  });

  it("`pedigree --help` documents the exit codes; `<command> --help` works from the real CLI", async () => {
    const [root, register, status] = await Promise.all([
      runPedigree(["--help"], cleanEnv()),
      runPedigree(["dataset", "register", "--help"], cleanEnv()),
      runPedigree(["release", "status", "--help"], cleanEnv()),
    ]);
    expect(root.code).toBe(0);
    expect(root.stdout).toMatch(/Exit codes:\n {2}0 {2}ok\n {2}1 {2}the operation failed/);
    expect(root.stdout).toMatch(/\n {2}2 {2}bad input, nothing was sent/);
    expect(register.code).toBe(0);
    expect(register.stdout).toContain("--split <address:bps>");
    expect(register.stdout).toContain("Global options:");
    expect(register.stdout).toContain("$ pedigree dataset register --path ./clinical-notes");
    expect(register.stdout).toContain("--training-territories <regions>");
    expect(register.stdout).toContain("--deployment-territories <regions>");
    expect(register.stdout).toContain("--training-territories EEA --deployment-territories EU");
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("$ pedigree release status 1 --env production --check releasable live --json");
  });
});
