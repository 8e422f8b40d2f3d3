/**
 * The private-fields options the writing commands share: instead of a plain hash, a JSON object of fields committed
 * under salts (src/core/commitments.ts), whose root goes on chain and whose values and salts go to a secrets file the
 * owner keeps — written before anything is sent, since a root whose salts were lost could never be opened.
 */
import type { Command } from "commander";
import { commitFields, type CommitmentSecrets } from "../core/commitments.ts";
import { CliError } from "./errors.ts";
import { assertNewFile, writeOutputFile } from "./files.ts";
import type { Row } from "./output.ts";
import { readJsonFile } from "./parse.ts";

/** A commitment to write, and where its secrets go. */
export interface PrivateFields {
  file: string;
  commitment: CommitmentSecrets;
}

export interface PrivateFieldsOptions {
  secretsOut?: string;
  force?: boolean;
}

/**
 * Adds `flag` (a JSON file of fields committed instead of the hash `hashFlag`) and `--secrets-out`.
 *
 * @example
 * addPrivateFieldsOptions(command, "--private-fields", "--metadata-hash", "datasheet fields");
 */
export function addPrivateFieldsOptions(command: Command, flag: string, hashFlag: string, what: string): Command {
  return command
    .option(`${flag} <file>`, `instead of ${hashFlag}: a JSON object of ${what} committed privately — each salted, only their Merkle root goes on chain`)
    .option("--secrets-out <file>", `with ${flag}: where to write the values and salts (keep it; \`pedigree disclose\` reads it)`);
}

/**
 * The commitment of the fields file `file` (the value of `flag`), its secrets file checked new; refused together with
 * the plain hash, or without --secrets-out. Undefined when `flag` was not given.
 */
export async function privateFieldsOf(
  file: string | undefined,
  options: PrivateFieldsOptions,
  { flag, hashFlag, hash }: { flag: string; hashFlag: string; hash: string | undefined },
): Promise<PrivateFields | undefined> {
  if (file === undefined) {
    if (options.secretsOut !== undefined) throw new CliError(`--secrets-out goes with ${flag} <file>`);
    return undefined;
  }
  if (hash !== undefined) throw new CliError(`give either ${hashFlag} or ${flag}, not both: the commitment takes the hash's place`);
  if (options.secretsOut === undefined) throw new CliError("name the file to keep the values and salts in with --secrets-out <file>: without it the fields can never be disclosed");
  await assertNewFile(options.secretsOut, "--secrets-out", options.force);
  return { file: options.secretsOut, commitment: commitFields((await readJsonFile(file, `${flag} file`)) as Record<string, unknown>) };
}

/** Writes the secrets (owner-only, 0600); call it right before sending. Returns the root to send. */
export async function writeSecrets(fields: PrivateFields): Promise<string> {
  await writeOutputFile(fields.file, `${JSON.stringify(fields.commitment, null, 2)}\n`, "--secrets-out", true, 0o600);
  return fields.commitment.root;
}

/** The commitment in a command's JSON result. */
export function privateFieldsJson(fields: PrivateFields | undefined) {
  return fields ? { privateFields: { root: fields.commitment.root, fields: fields.commitment.fields.map((f) => f.name), secretsFile: fields.file } } : {};
}

/** The commitment in a command's human output (`label`: what it stands for, e.g. "metadata"). */
export function privateFieldsRow(fields: PrivateFields | undefined, label: string): Row {
  return [label, fields ? `${fields.commitment.root}: ${fields.commitment.fields.length} private fields committed (values and salts in ${fields.file})` : undefined];
}
