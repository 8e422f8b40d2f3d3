/**
 * What `release status --check` and `system status --check` can require of a model or system version, and how each is
 * read from its status.
 */
import { CliError } from "./errors.ts";

/** The fields both statuses share. */
interface ReleaseState {
  exists: boolean;
  approved: boolean;
  releasable: boolean;
  live: boolean;
  liveButNotReleasable: boolean;
}

const CHECKS = {
  exists: (status) => status.exists,
  approved: (status) => status.approved,
  releasable: (status) => status.releasable,
  live: (status) => status.live,
  // Live although an approving attestation was revoked or expired: an agent should refuse it.
  "not-live-but-unreleasable": (status) => !status.liveButNotReleasable,
} as const satisfies Record<string, (status: ReleaseState) => boolean>;
export type Check = keyof typeof CHECKS;
export const CHECK_NAMES = Object.keys(CHECKS) as Check[];

/** The `--check` values, refused (exit 2) unless each names a check. */
export function parseChecks(values: string[] | undefined): Check[] {
  return (values ?? []).map((check) => {
    if (!(CHECK_NAMES as string[]).includes(check)) throw new CliError(`--check must be one of ${CHECK_NAMES.join(", ")}, got ${JSON.stringify(check)}`);
    return check as Check;
  });
}

/** The checks `status` fails, each described as a person reads it ("not releasable", "live but not releasable"). */
export function failedChecks(checks: readonly Check[], status: ReleaseState): string[] {
  return checks
    .filter((check) => !CHECKS[check](status))
    .map((check) => (check === "not-live-but-unreleasable" ? "live but not releasable" : `not ${check}`));
}
