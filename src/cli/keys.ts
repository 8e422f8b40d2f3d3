/**
 * The account that signs: the key in $PEDIGREE_PRIVATE_KEY, or an Ethereum JSON keystore (`--keystore <file>`,
 * password from $PEDIGREE_KEYSTORE_PASSWORD or asked on a terminal). A key on the command line (`--private-key`) is
 * refused unless `--unsafe-key-on-command-line` is given too.
 */
import { scrypt as nodeScrypt, scryptSync as nodeScryptSync } from "node:crypto";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { Wallet, decryptKeystoreJson, isKeystoreJson, scrypt, scryptSync } from "ethers";
import { CliError } from "./errors.ts";
import { assertPrivateKeystore, assertStrongKdf } from "./keystore.ts";
import type { GlobalOptions } from "./options.ts";
import type { Output } from "./output.ts";
import { readInputFile } from "./parse.ts";

const PRIVATE_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

/** Refuses `--private-key` without `--unsafe-key-on-command-line` (checked for every command, before anything else). */
export function checkKeyOptions(options: GlobalOptions, out: Output): void {
  if (options.privateKey === undefined) return;
  if (!options.unsafeKeyOnCommandLine) {
    throw new CliError(
      "refusing --private-key: a key on the command line leaks into shell history and process lists; set PEDIGREE_PRIVATE_KEY or use --keystore <file> (or add --unsafe-key-on-command-line to accept the risk)",
    );
  }
  out.warn("using a private key given on the command line; it may be visible in shell history and process lists");
}

function walletOf(key: string, source: string): Wallet {
  const text = key.trim();
  if (!PRIVATE_KEY.test(text)) {
    throw new CliError(`${source} is not a private key (64 hex digits, optionally 0x-prefixed): check its value`);
  }
  try {
    return new Wallet(text.startsWith("0x") ? text : `0x${text}`);
  } catch {
    throw new CliError(`${source} is not a valid secp256k1 private key: check its value`);
  }
}

let nativeScrypt = false;

/** ethers' scrypt in JavaScript takes seconds for the usual keystore parameters; Node's native one is much faster. */
function useNativeScrypt(): void {
  if (nativeScrypt) return;
  nativeScrypt = true;
  const options = (N: number, r: number, p: number) => ({ N, r, p, maxmem: 256 * N * r * p + 64 * 1024 * 1024 });
  scrypt.register(
    (password, salt, N, r, p, dkLen) =>
      new Promise((resolve, reject) => {
        nodeScrypt(password, salt, dkLen, options(N, r, p), (error, key) => (error ? reject(error) : resolve(new Uint8Array(key))));
      }),
  );
  scryptSync.register((password, salt, N, r, p, dkLen) => new Uint8Array(nodeScryptSync(password, salt, dkLen, options(N, r, p))));
}

/** Reads a password on the terminal without echoing it. */
async function promptPassword(question: string): Promise<string> {
  const muted = new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
  process.stderr.write(question);
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once("line", resolve);
      rl.once("close", () => reject(new CliError("no keystore password was entered")));
      rl.once("SIGINT", () => reject(new CliError("cancelled", { code: "CANCELLED" })));
    });
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

async function keystoreWallet(file: string): Promise<Wallet> {
  const json = (await readInputFile(file, "keystore")).toString("utf8");
  await assertPrivateKeystore(file);
  if (!isKeystoreJson(json)) {
    throw new CliError(`keystore ${file} is not an Ethereum JSON keystore (version 3, scrypt or pbkdf2): check the file`);
  }
  assertStrongKdf(file, json);
  let password = process.env.PEDIGREE_KEYSTORE_PASSWORD;
  if (password === undefined) {
    if (!process.stdin.isTTY) {
      throw new CliError(`keystore ${file} needs a password: set PEDIGREE_KEYSTORE_PASSWORD, or run on a terminal to be asked`);
    }
    password = await promptPassword(`Password of keystore ${file}: `);
  }
  useNativeScrypt();
  try {
    const account = await decryptKeystoreJson(json, password);
    return new Wallet(account.privateKey);
  } catch (error) {
    if (/incorrect password/i.test(String((error as Error).message))) {
      throw new CliError(`wrong password for keystore ${file}: check PEDIGREE_KEYSTORE_PASSWORD (or the password typed)`);
    }
    throw new CliError(`keystore ${file} cannot be decrypted (${String((error as Error).message).split("\n")[0]})`);
  }
}

/**
 * The signing account, not yet connected to a provider: `--private-key` (when allowed), `--keystore`, or
 * $PEDIGREE_PRIVATE_KEY, in that order.
 *
 * @example
 * const wallet = await loadSigner(options);
 */
export async function loadSigner(options: GlobalOptions): Promise<Wallet> {
  if (options.privateKey !== undefined && options.unsafeKeyOnCommandLine) return walletOf(options.privateKey, "--private-key");
  if (options.keystore !== undefined) return keystoreWallet(options.keystore);
  const fromEnv = process.env.PEDIGREE_PRIVATE_KEY;
  if (fromEnv !== undefined && fromEnv.trim() !== "") return walletOf(fromEnv, "PEDIGREE_PRIVATE_KEY");
  throw new CliError("this command signs with an account: set PEDIGREE_PRIVATE_KEY, or pass --keystore <file>");
}

/** Whether a signing account is configured (for commands where one is optional). */
export function hasSigner(options: GlobalOptions): boolean {
  return (
    (options.privateKey !== undefined && options.unsafeKeyOnCommandLine) ||
    options.keystore !== undefined ||
    Boolean(process.env.PEDIGREE_PRIVATE_KEY?.trim())
  );
}
