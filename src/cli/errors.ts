/** An error the CLI prints as one line (no stack trace) before exiting with `exitCode`. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
  }
}
