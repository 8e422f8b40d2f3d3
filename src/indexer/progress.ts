/** Writes the indexer's progress line to stderr: on a terminal the line rewrites itself; in a log file each update is a line. */
export function progressToStderr(line: string): void {
  process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
}
