/**
 * Test fixture of the CLI tests: a fresh local chain served over HTTP with the protocol deployed (roles for the dev
 * accounts), a networks file in a temp directory, the dev accounts' keys (Hardhat's test mnemonic), and `cli()`,
 * which runs the real `pedigree` command as a child process against it.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { HDNodeWallet } from "ethers";
import { startLocalChain, type LocalChain } from "../../src/dev/local-chain.ts";
import { deployLocally, type LocalDeployment } from "../../src/dev/deploy.ts";

const MNEMONIC = "test test test test test test test test test test test junk";
const ROOT = resolve(import.meta.dirname, "../..");
const LAUNCHER = join(ROOT, "bin/pedigree.mjs");

/** The dev accounts by the part they play (index in Hardhat's mnemonic). */
export const PARTS = {
  admin: 0,
  alice: 1,
  curator: 2,
  mlTeam: 3,
  evaluator: 4,
  approver: 5,
  relayer: 6,
  stranger: 7,
} as const;
export type Part = keyof typeof PARTS;

export interface Account {
  address: string;
  privateKey: string;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON. */
  json<T = Record<string, unknown>>(): T;
}

export interface CliRunOptions {
  /** Sign as this account (PEDIGREE_PRIVATE_KEY); no key when omitted. */
  as?: Part;
  /** Extra environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Leave out PEDIGREE_RPC_URL / PEDIGREE_NETWORK / PEDIGREE_NETWORKS_FILE. */
  bare?: boolean;
  cwd?: string;
  /** Kill the process if it still runs after this many milliseconds. */
  killAfterMs?: number;
}

export interface CliChain {
  chain: LocalChain;
  deployment: LocalDeployment;
  /** Temp directory for files of the test (removed on close). */
  dir: string;
  networksFile: string;
  accounts: Record<Part, Account>;
  /** Runs `pedigree ...args` against the chain. */
  cli(args: string[], options?: CliRunOptions): Promise<CliResult>;
  close(): Promise<void>;
}

/**
 * Runs `node bin/pedigree.mjs ...args` (asynchronously: the chain answers from this very process). With `killAfterMs`
 * a process still running then is killed (its `code` is null).
 */
export function runPedigree(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT, killAfterMs?: number): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"], timeout: killAfterMs });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) =>
      resolvePromise({
        code,
        stdout,
        stderr,
        json<T>() {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`stdout of pedigree ${args.join(" ")} is not JSON:\n${stdout}\nstderr:\n${stderr}`);
          }
        },
      }),
    );
  });
}

/** The environment without any PEDIGREE_* variable of the caller. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("PEDIGREE_")));
}

export async function startCliChain(): Promise<CliChain> {
  const accounts = Object.fromEntries(
    Object.entries(PARTS).map(([part, index]) => {
      const wallet = HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
      return [part, { address: wallet.address, privateKey: wallet.privateKey }];
    }),
  ) as Record<Part, Account>;
  const chain = await startLocalChain();
  const deployment = await deployLocally(chain, {
    admin: accounts.admin.address,
    evaluators: [accounts.evaluator.address],
    releaseApprovers: [accounts.approver.address],
  });
  const dir = await mkdtemp(join(tmpdir(), "pedigree-cli-"));
  const networksFile = join(dir, "networks.json");
  await writeFile(networksFile, `${JSON.stringify({ localhost: deployment.locations }, null, 2)}\n`);

  const cli = (args: string[], options: CliRunOptions = {}): Promise<CliResult> => {
    const env: NodeJS.ProcessEnv = cleanEnv();
    if (!options.bare) {
      env.PEDIGREE_RPC_URL = chain.url;
      env.PEDIGREE_NETWORK = "localhost";
      env.PEDIGREE_NETWORKS_FILE = networksFile;
    }
    if (options.as) env.PEDIGREE_PRIVATE_KEY = accounts[options.as].privateKey;
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    return runPedigree(args, env, options.cwd, options.killAfterMs);
  };

  return {
    chain,
    deployment,
    dir,
    networksFile,
    accounts,
    cli,
    async close() {
      await chain.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Asserts-friendly summary of a failed run: exit code, and whether stderr is one line without a stack trace. */
export function failureShape(result: CliResult): { code: number | null; lines: number; stackTrace: boolean } {
  const lines = result.stderr.trim() === "" ? 0 : result.stderr.trim().split("\n").length;
  return { code: result.code, lines, stackTrace: /\n\s+at\s|\bat .*\.(ts|js|mjs):\d+/.test(result.stderr) };
}
