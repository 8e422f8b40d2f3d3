/** Errors of the matchstick-compatible runner. */
import { PedigreeError, type PedigreeErrorOptions } from "../core/errors.ts";

/**
 * What stops a whole test run, as matchstick's `critical!` does (a Rust panic): `log.critical`, an unknown IPFS
 * hash, a file that cannot be read, a failing hook, no test files, a compile error. The runner prints it on a line
 * starting with 🆘 and exits non-zero.
 */
export class MatchstickCritical extends PedigreeError {
  override name = "MatchstickCritical";

  constructor(message: string, options: PedigreeErrorOptions = {}) {
    super(message, { code: "MATCHSTICK_CRITICAL", ...options });
  }
}
