import { id as keccakText } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { MAX_CONTRIBUTORS, TOTAL_BPS } from "../../core/constants.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { parseAddress } from "../../core/hex.ts";
import { parseId, type IdInput } from "../../core/ids.ts";
import { toBps } from "../inputs.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { toText } from "../internal/validate.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

/** A contributor of a dataset version and its share of the version's payments (after derivation royalties). */
export interface ContributorInput {
  account: string;
  /** Basis points, 1-10 000. */
  bps: number;
  /** What it contributed: "labelling", "cleaning", "verification"… (recorded as its keccak256). */
  role: string;
}

export interface SetContributorsParameters extends TransactionOptions {
  versionId: IdInput;
  contributors: ContributorInput[];
}

export interface SetContributorsResult extends TransactionResult {
  versionId: bigint;
  contributors: Array<{ account: string; bps: number; roleHash: string }>;
}

/** Checks contributors before anything is sent: 1-8 of them, real accounts, shares summing to at most 10 000 bps. */
export function toContributors(contributors: readonly ContributorInput[]): Array<{ account: string; bps: number; roleHash: string }> {
  if (!Array.isArray(contributors) || contributors.length === 0 || contributors.length > MAX_CONTRIBUTORS) {
    throw new InvalidInputError("contributors", `name 1 to ${MAX_CONTRIBUTORS} contributors, got ${Array.isArray(contributors) ? contributors.length : "none"}`);
  }
  const struct = contributors.map((c, i) => ({
    account: parseAddress(c.account, `contributors[${i}].account`, { nonZero: true }),
    bps: toBps(c.bps, `contributors[${i}].bps`),
    roleHash: keccakText(toText(c.role, `contributors[${i}].role`)),
  }));
  const total = struct.reduce((sum, c) => sum + c.bps, 0);
  if (total > TOTAL_BPS) throw new InvalidInputError("contributors", `contributors' shares add up to ${total} bps, more than 10 000 (100 %)`);
  return struct;
}

/**
 * Names the contributors of a dataset version (once): from then on each takes its share of every payment to the
 * version, after what the version owes up its lineage. The dataset's owner or its operator.
 *
 * @example
 * await setContributors(ownerClient, { versionId: 4n, contributors: [{ account: annotator, bps: 1_000, role: "labelling" }] });
 */
export async function setContributors(client: PedigreeClient, parameters: SetContributorsParameters): Promise<SetContributorsResult> {
  const versionId = parseId(parameters.versionId, "versionId");
  const contributors = toContributors(parameters.contributors);
  const mined = await sendTransaction(
    client,
    "RoyaltyRegistry.setContributors",
    (owner, overrides) => client.royalties.connect(owner).setContributors(versionId, contributors, overrides),
    parameters,
  );
  eventOf(mined.receipt, client.royalties, "ContributorsSet");
  return { versionId, contributors, hash: mined.hash, blockNumber: mined.blockNumber };
}
