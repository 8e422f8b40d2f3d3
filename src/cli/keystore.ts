/**
 * What a keystore file must satisfy before its password is asked for: writable by its owner only, and a key
 * derivation at least as strong as ethers' default, so that a copy of the file is expensive to brute-force.
 *
 * Thresholds: scrypt N ≥ 2^17 with r ≥ 8 (what ethers writes; geth's standard is N = 2^18). geth's `--lightkdf`
 * (N = 2^12, p = 6) and eth-keystore / Foundry (N = 2^13) stay below it: 32 and 16 times cheaper to attack in memory,
 * 5 and 16 times in work. PBKDF2: c ≥ 262 144 rounds, what geth and web3.js write.
 */
import { stat } from "node:fs/promises";
import { CliError } from "./errors.ts";

const MIN_SCRYPT_N = 2 ** 17;
const MIN_SCRYPT_R = 8;
const MIN_PBKDF2_ROUNDS = 262_144;
const REENCRYPT = "re-encrypt the key with stronger parameters (e.g. `geth account update`, or ethers' encryptKeystoreJson defaults)";

/**
 * Refuses a keystore file that its group or others may write: whoever can replace it chooses the key you sign with.
 *
 * @example
 * await assertPrivateKeystore("./deployer.json"); // CliError: … run `chmod 600 ./deployer.json`
 */
export async function assertPrivateKeystore(file: string): Promise<void> {
  if (process.platform === "win32") return; // no POSIX permission bits
  const mode = (await stat(file)).mode & 0o777;
  const writers = [mode & 0o020 ? "its group" : "", mode & 0o002 ? "others" : ""].filter(Boolean);
  if (writers.length === 0) return;
  throw new CliError(
    `keystore ${file} is writable by ${writers.join(" and ")} (mode 0${mode.toString(8)}): anyone who can replace it chooses the key you sign with; run \`chmod 600 ${file}\``,
  );
}

/**
 * Refuses a keystore whose key derivation is weaker than ethers' default (see the thresholds above).
 *
 * @example
 * assertStrongKdf("./light.json", json); // CliError: keystore ./light.json is protected by weak scrypt parameters …
 */
export function assertStrongKdf(file: string, json: string): void {
  const crypto = field(JSON.parse(json), "crypto");
  const kdf = String(field(crypto, "kdf") ?? "").toLowerCase();
  const params = field(crypto, "kdfparams");
  if (kdf === "scrypt") {
    const [n, r, p] = ["n", "r", "p"].map((name) => integer(field(params, name)));
    if (n >= MIN_SCRYPT_N && r >= MIN_SCRYPT_R) return;
    throw new CliError(
      `keystore ${file} is protected by weak scrypt parameters (N=${n}, r=${r}, p=${p}; at least N=${MIN_SCRYPT_N}, r=${MIN_SCRYPT_R} needed, ethers' default): a copy of it is cheap to brute-force; ${REENCRYPT}`,
    );
  }
  if (kdf === "pbkdf2") {
    const rounds = integer(field(params, "c"));
    if (rounds >= MIN_PBKDF2_ROUNDS) return;
    throw new CliError(
      `keystore ${file} is protected by a weak PBKDF2 count (c=${rounds}; at least c=${MIN_PBKDF2_ROUNDS} needed, geth's): a copy of it is cheap to brute-force; ${REENCRYPT}`,
    );
  }
  // Any other key derivation: ethers refuses to decrypt it, with its own message.
}

/** A property of a keystore object, by case-insensitive name (geth writes `Crypto`, others `crypto`). */
function field(value: unknown, name: string): unknown {
  if (value === null || typeof value !== "object") return undefined;
  const key = Object.keys(value).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : (value as Record<string, unknown>)[key];
}

/** A whole number from a keystore (a number or a decimal string); 0 when missing or malformed, which is refused. */
function integer(value: unknown): number {
  const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === "number" && Number.isSafeInteger(number) && number > 0 ? number : 0;
}
