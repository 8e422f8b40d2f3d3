/**
 * The one error base class of the project. Every family — core input errors, the SDK's chain errors, the audit
 * client's, the report's, the CLI's — extends {@link PedigreeError}, so a caller (the CLI first) handles them all
 * alike: a one-line `message`, a machine-readable `code`, and, where the thrower knows one, a next step (`hint`).
 *
 * Loaded directly by Node too (the hashing benchmark runs under type stripping): erasable TypeScript only.
 */

/** What a {@link PedigreeError} carries besides its message. */
export interface PedigreeErrorOptions {
  /** Machine-readable category, e.g. `INVALID_INPUT`, `CONTRACT_REVERT`; `FAILED` when none is given. */
  code?: string;
  /** What the user can do next; appended to `message`, kept apart in `hint` for callers that word it their way. */
  hint?: string;
  /** More than the one-line message: raw values, the call that failed, a peer's own words. */
  details?: string;
  /** The error this one was made from. */
  cause?: unknown;
}

/** Newlines folded, surrounding space trimmed: errors are printed on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/**
 * A message followed by its next step: `"dataset 9 does not exist. Check the dataset id."`. The message becomes a
 * sentence first when it is not one already.
 *
 * @example
 * withHint("ids start at 1", "Pass 1 or more."); // "ids start at 1. Pass 1 or more."
 */
export function withHint(message: string, hint: string | undefined): string {
  if (!hint) return message;
  return `${/[.!?]$/.test(message) ? message : `${message}.`} ${hint}`;
}

/**
 * Base class of every error Pedigree throws on purpose.
 *
 * @example
 * try {
 *   await registerDataset(client, input);
 * } catch (error) {
 *   if (error instanceof PedigreeError) console.error(error.code, error.message); // one line
 * }
 */
export class PedigreeError extends Error {
  override name = "PedigreeError";
  /** Category, for programs that branch on the kind of failure. */
  readonly code: string;
  /** The message without the hint. */
  readonly shortMessage: string;
  /** What the user can do next, if the thrower knows. */
  readonly hint?: string;
  /** More detail than the one-line message. */
  readonly details?: string;

  constructor(message: string, options: PedigreeErrorOptions = {}) {
    const short = oneLine(message);
    super(withHint(short, options.hint), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? "FAILED";
    this.shortMessage = short;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/**
 * Input refused before anything was done: a malformed id, address or hash, an option out of range, bad royalty
 * splits. `field` names the parameter at fault as a path (`terms.splits[1].recipient`, `--parent`).
 *
 * @example
 * throw new InvalidInputError("versionId", 'versionId must be a positive whole number (an id), got "abc"');
 */
export class InvalidInputError extends PedigreeError {
  override name = "InvalidInputError";
  /** The parameter at fault. */
  readonly field: string;

  constructor(field: string, message: string, options: Omit<PedigreeErrorOptions, "code"> = {}) {
    super(message, { ...options, code: "INVALID_INPUT" });
    this.field = field;
  }
}
