/**
 * Files the CLI writes (manifests, signed attestations): an existing file is never overwritten without `--force`,
 * checked before any work is done and again, atomically, when the file is created.
 */
import { access, writeFile } from "node:fs/promises";
import { CliError } from "./errors.ts";

function existsError(what: string, file: string): CliError {
  return new CliError(`${what} ${file} exists already: choose another file, or add --force to overwrite it`);
}

/**
 * Refuses `file` when it exists and `force` is not set (call it before the work whose result goes there).
 *
 * @example
 * await assertNewFile(options.manifestOut, "--manifest-out", options.force);
 */
export async function assertNewFile(file: string, what: string, force = false): Promise<void> {
  if (force) return;
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (exists) throw existsError(what, file);
}

/**
 * Writes `text` to `file`, creating it (`force`: or replacing it) with `mode` (default 0o666 less the umask); a
 * one-line error when it cannot be written.
 *
 * @example
 * await writeOutputFile("bias.json", json, "--out", options.force);
 */
export async function writeOutputFile(file: string, text: string, what: string, force = false, mode?: number): Promise<void> {
  try {
    await writeFile(file, text, { flag: force ? "w" : "wx", mode });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw existsError(what, file);
    throw new CliError(`cannot write ${what} ${file} (${code ?? "error"}): check the directory exists and is writable`);
  }
}
