/**
 * Parsing of command-line values. Every parser refuses bad input with a one-line error (exit code 2) that names the
 * option and says what is expected, before anything is sent. Ids, addresses and hashes go through the core's
 * validators (src/core/ids.ts, src/core/hex.ts), as in the SDK, the audit client and the report.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { ZeroAddress, parseUnits } from "ethers";
import { roleId, toKind, toSubjectType } from "../core/constants.ts";
import { parseAddress } from "../core/hex.ts";
import { parseId } from "../core/ids.ts";
import { CliError } from "./errors.ts";

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** Commander collector of a repeatable option (`--parent 1 --parent 2`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A currency: `eth` (or omitted) for ETH, otherwise an ERC-20 address. */
export function parseCurrency(value: string | undefined, what = "--currency"): string {
  if (value === undefined || /^(eth|ether|native)$/i.test(value.trim())) return ZeroAddress;
  return parseAddress(value, what);
}

/** A whole number ≥ 0 that fits a JavaScript number. */
export function parseCount(value: string, what: string): number {
  const text = value.trim();
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new CliError(`${what} must be a whole number, got ${JSON.stringify(value)}`);
  }
  return Number(text);
}

/** The longest timeout accepted: one day (timers cannot wait much beyond 24 days anyway). */
const MAX_TIMEOUT_SECONDS = 86_400;

/**
 * A timeout in seconds (fractions allowed), as milliseconds.
 *
 * @example
 * parseTimeout("2.5", "--timeout"); // 2500
 */
export function parseTimeout(value: string, what: string): number {
  const text = value.trim();
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new CliError(`${what} must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, got ${JSON.stringify(value)}`);
  }
  return Math.max(1, Math.round(seconds * 1000));
}

/** Throws a CliError naming `what` unless `path` exists; returns what it is. */
export async function requirePath(path: string, what: string): Promise<"file" | "directory"> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new CliError(`${what} ${path} does not exist: check the path`);
    throw new CliError(`${what} ${path} cannot be read (${code ?? "error"}): check that you may read it`);
  }
  if (info.isDirectory()) return "directory";
  if (info.isFile()) return "file";
  throw new CliError(`${what} ${path} is neither a file nor a directory`);
}

/** The content of a file, with a one-line error naming `what` when it cannot be read. */
export async function readInputFile(path: string, what: string): Promise<Buffer> {
  const kind = await requirePath(path, what);
  if (kind !== "file") throw new CliError(`${what} ${path} is a directory, not a file`);
  try {
    return await readFile(path);
  } catch (error) {
    throw new CliError(`${what} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

/** A JSON file, parsed. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  const text = (await readInputFile(path, what)).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${what} ${path} is not valid JSON (${(error as Error).message.split("\n")[0]})`);
  }
}

/**
 * A document hash: a 32-byte hash as given, or the SHA-256 of a file (what `sha256sum` prints).
 *
 * @example
 * await parseHashOrFile("./model-card.md", "--metadata-hash"); // "0x…" = sha256 of the file
 */
export async function parseHashOrFile(value: string, what: string): Promise<string> {
  const text = value.trim();
  if (BYTES32.test(text)) return text.toLowerCase();
  if (/^0x[0-9a-fA-F]*$/.test(text)) {
    throw new CliError(`${what} must be a 32-byte hash (0x followed by 64 hex digits) or a file, got ${JSON.stringify(value)}`);
  }
  let kind: "file" | "directory";
  try {
    kind = await requirePath(text, what);
  } catch (error) {
    if (error instanceof CliError) {
      throw new CliError(`${what} ${JSON.stringify(value)} is neither a 32-byte hash (0x + 64 hex digits) nor an existing file: check it`);
    }
    throw error;
  }
  if (kind !== "file") throw new CliError(`${what} ${text} is a directory: give a file (hashed with SHA-256) or a 32-byte hash`);
  const content = await readInputFile(text, what);
  return `0x${createHash("sha256").update(content).digest("hex")}`;
}

/**
 * An amount in a currency's whole units (`0.5` ETH) as its smallest units (wei).
 *
 * @example
 * parseAmount("0.5", "--price"); // 500000000000000000n
 */
export function parseAmount(value: string, what: string, decimals = 18, unit = "ETH"): bigint {
  const text = value.trim();
  checkAmountSyntax(text, what, unit);
  const [, fraction = ""] = text.split(".");
  if (fraction.length > decimals) throw new CliError(`${what} ${text} has more than ${decimals} decimals, the most ${unit} allows`);
  return parseUnits(text.startsWith(".") ? `0${text}` : text, decimals);
}

/** Checks the syntax of an amount before its currency's decimals are known. */
export function checkAmountSyntax(value: string, what: string, unit = "ETH"): void {
  const text = value.trim();
  if (!/^\d+(\.\d+)?$/.test(text) && !/^\.\d+$/.test(text)) {
    throw new CliError(`${what} must be an amount like 0.5 (in ${unit}), got ${JSON.stringify(value)}`);
  }
}

/** Days (fractions allowed) as whole seconds. */
export function parseDays(value: string, what: string): number {
  const text = value.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) throw new CliError(`${what} must be a number of days (0 = perpetual), got ${JSON.stringify(value)}`);
  const seconds = Math.round(Number(text) * 86_400);
  if (seconds > 0xffff_ffff) throw new CliError(`${what} ${text} days is too long (at most ${Math.floor(0xffff_ffff / 86_400)} days)`);
  return seconds;
}

export { parseTime } from "../core/time.ts";

/**
 * A royalty split `<address>:<bps>`.
 *
 * @example
 * parseSplit("0xf39f…2266:7000"); // { recipient: "0xf39F…2266", bps: 7000 }
 */
export function parseSplit(value: string): { recipient: string; bps: number } {
  const match = /^\s*(\S+?):(\S+)\s*$/.exec(value);
  if (!match) throw new CliError(`--split must be <address>:<bps> (basis points, 10000 = 100 %), got ${JSON.stringify(value)}`);
  const recipient = parseAddress(match[1]!, "--split address", { nonZero: true });
  if (!/^\d+$/.test(match[2]!) || Number(match[2]) < 1 || Number(match[2]) > 10_000) {
    throw new CliError(`--split share must be 1..10000 basis points (10000 = 100 %), got ${JSON.stringify(match[2])}`);
  }
  return { recipient, bps: Number(match[2]) };
}

/** A use of data under a licence, `<datasetVersionId>:<licenceId>` (training data of `--data`, retrieval data, …). */
export function parseDataUse(value: string, what = "--data"): { datasetVersionId: bigint; licenceId: bigint } {
  const match = /^\s*([^:\s]+):([^:\s]+)\s*$/.exec(value);
  if (!match) throw new CliError(`${what} must be <datasetVersionId>:<licenceId>, got ${JSON.stringify(value)}`);
  return { datasetVersionId: parseId(match[1]!, `${what} dataset version id`), licenceId: parseId(match[2]!, `${what} licence id`) };
}

/**
 * A dataset parent: `<versionId>` for the owner's own data, or `<versionId>:<licenceId>` for data used under a licence.
 *
 * @example
 * parseParent("4:2"); // { versionId: 4n, licenceId: 2n }
 */
export function parseParent(value: string): { versionId: bigint; licenceId: bigint } {
  const match = /^\s*([^:\s]+)(?::([^:\s]+))?\s*$/.exec(value);
  if (!match) throw new CliError(`--parent must be <versionId> (your own data) or <versionId>:<licenceId>, got ${JSON.stringify(value)}`);
  return {
    versionId: parseId(match[1]!, "--parent version id"),
    licenceId: match[2] === undefined ? 0n : parseId(match[2], "--parent licence id"),
  };
}

/**
 * An attestation subject `<type>:<id>`, e.g. `model-version:3`.
 *
 * @example
 * parseSubject("model-version:3"); // { subjectType: 2, subjectId: 3n }
 */
export function parseSubject(value: string): { subjectType: number; subjectId: bigint } {
  const match = /^\s*([^:\s]+):([^:\s]+)\s*$/.exec(value);
  if (!match) {
    throw new CliError(
      `--subject must be <type>:<id>, e.g. model-version:3 (types: dataset-version, model-version, training-run, licence, deployment, system-version, agent), got ${JSON.stringify(value)}`,
    );
  }
  return { subjectType: toSubjectType(match[1]!, "--subject type"), subjectId: parseId(match[2]!, "--subject id") };
}

/** An attestation kind by name (`safety-evaluation`) or number. */
export function parseKind(value: string, what = "--kind"): number {
  return toKind(value, what);
}

/** A role id from a short name (`evaluator`), a constant name (`EVALUATOR_ROLE`) or a 32-byte id. */
export function parseRole(value: string): string {
  return roleId(value, "role");
}

/** A non-empty text option. */
export function parseText(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === "") throw new CliError(`${what} must not be empty`);
  return value;
}

/**
 * What a command acts on: a model version given as `<versionId>`, or a system version given with `--system` — exactly
 * one of them (exit 2 otherwise).
 */
export function versionOrSystem(versionIdText: string | undefined, systemText: string | undefined): { versionId: bigint } | { systemId: bigint } {
  if (versionIdText !== undefined && systemText !== undefined) {
    throw new CliError("give either a model version id or --system <systemId>, not both: a system version names its model version");
  }
  if (systemText !== undefined) return { systemId: parseId(systemText, "--system") };
  if (versionIdText === undefined) throw new CliError("name the model version (<versionId>) or the system version (--system <systemId>)");
  return { versionId: parseId(versionIdText, "versionId") };
}
