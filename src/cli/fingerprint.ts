/** `pedigree fingerprint <path>`: the fingerprint and manifest root of a file or directory, computed locally. */
import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import { fingerprint, type Fingerprint } from "../core/fingerprint.ts";
import { run, type Context } from "./context.ts";
import { assertNewFile, writeOutputFile } from "./files.ts";
import { addGlobalOptions } from "./options.ts";
import { block } from "./output.ts";
import { requirePath } from "./parse.ts";

/** Inputs from this size on get a progress bar (on a terminal). */
const PROGRESS_FROM_BYTES = 64 * 2 ** 20;

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Human-readable size. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 2 ** 20) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 2 ** 30) return mib(bytes);
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}

/**
 * Fingerprints `path` (a checked, existing path), drawing a progress bar on stderr for large inputs on a terminal.
 *
 * @example
 * const fp = await fingerprintWithProgress(ctx, "./data", { progress: true });
 */
export async function fingerprintWithProgress(
  ctx: Context,
  path: string,
  options: { progress?: boolean; skipSymlinks?: boolean } = {},
): Promise<Fingerprint> {
  const show = options.progress !== false && ctx.out.interactive;
  let bar: SingleBar | undefined;
  try {
    return await fingerprint(path, {
      symlinks: options.skipSymlinks ? "skip" : "refuse",
      onProgress: ({ bytesDone, bytesTotal, filesTotal }) => {
        if (!show) return;
        if (!bar && bytesTotal >= PROGRESS_FROM_BYTES) {
          bar = new SingleBar(
            {
              stream: process.stderr,
              format: `hashing ${filesTotal} file${filesTotal === 1 ? "" : "s"} |{bar}| {percentage}% {done} / {size} ETA {eta_formatted}`,
              hideCursor: true,
              clearOnComplete: true,
            },
            Presets.shades_classic,
          );
          bar.start(bytesTotal, 0, { done: mib(0), size: mib(bytesTotal) });
        }
        bar?.update(bytesDone, { done: mib(bytesDone), size: mib(bytesTotal) });
      },
    });
  } finally {
    bar?.stop();
  }
}

/** Writes the manifest JSON of a fingerprint to `--manifest-out`, replacing an existing file only with `--force`. */
export async function writeManifest(file: string, fp: Fingerprint, force?: boolean): Promise<void> {
  await writeOutputFile(file, `${JSON.stringify(fp.manifest, null, 2)}\n`, "--manifest-out", force);
}

/** The `--force` option of the commands that write `--manifest-out`. */
export const FORCE_MANIFEST_HELP = "overwrite the --manifest-out file if it exists";

interface FingerprintOptions {
  manifestOut?: string;
  force?: boolean;
  skipSymlinks?: boolean;
  progress: boolean;
}

export function registerFingerprintCommand(program: Command): void {
  const command = program
    .command("fingerprint")
    .description("fingerprint a file or directory (per-file SHA-256 manifest, its Merkle root, one bytes32 fingerprint)")
    .argument("<path>", "file or directory to fingerprint")
    .option("--manifest-out <file>", "write the manifest (every file's path, size and digest) to this JSON file")
    .option("--force", FORCE_MANIFEST_HELP)
    .option("--skip-symlinks", "leave symbolic links out instead of refusing them")
    .option("--no-progress", "no progress bar, even for large inputs on a terminal")
    .addHelpText(
      "after",
      `
Works offline. The fingerprint is what \`dataset register --fingerprint\` and \`model publish --weights-hash\` take;
\`--path\` / \`--weights\` on those commands fingerprint for you.

Example:
  $ pedigree fingerprint ./datasets/clinical-notes --manifest-out clinical-notes.manifest.json`,
    );
  addGlobalOptions(command, ["output"]).action(
    run(async (ctx, [path], options: FingerprintOptions) => {
      await requirePath(path!, "path");
      if (options.manifestOut) await assertNewFile(options.manifestOut, "--manifest-out", options.force);
      const fp = await fingerprintWithProgress(ctx, path!, options);
      if (options.manifestOut) await writeManifest(options.manifestOut, fp, options.force);
      ctx.out.result(
        {
          path: path!,
          fingerprint: fp.fingerprint,
          manifestRoot: fp.root,
          fileCount: fp.fileCount,
          totalBytes: fp.totalBytes,
          manifestFile: options.manifestOut,
          skippedSymlinks: fp.stats.skippedSymlinks.length > 0 ? fp.stats.skippedSymlinks : undefined,
        },
        () =>
          block(`fingerprint of ${path}`, [
            ["fingerprint", fp.fingerprint],
            ["manifest root", fp.root],
            ["files", fp.fileCount],
            ["bytes", `${fp.totalBytes} (${formatBytes(fp.totalBytes)})`],
            ["manifest", options.manifestOut],
            ["skipped links", fp.stats.skippedSymlinks.length > 0 ? fp.stats.skippedSymlinks.join(", ") : undefined],
          ]),
      );
    }),
  );
}
