import type { PedigreeClient } from "../client.ts";
import { roleId, roleName, type RoleInput, type RoleName } from "../../core/constants.ts";
import { eventsOf, sendTransaction } from "../internal/transactions.ts";
import { parseAddress } from "../../core/hex.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface RoleParameters extends TransactionOptions {
  /** `admin`, `evaluator`, `auditor`, `release-approver`, `data-steward` (or `EVALUATOR_ROLE`, or a role id). */
  role: RoleInput;
  /** The account. */
  account: string;
}

export interface RoleResult extends TransactionResult {
  /** The role id. */
  role: string;
  /** Its short name, when it is a built-in role. */
  roleName: RoleName | undefined;
  account: string;
  /** False when the account already had (grant) or did not have (revoke) the role. */
  changed: boolean;
}

/**
 * Grants an AttestationRegistry role (the signer must be an admin).
 *
 * @example
 * await grantRole(adminClient, { role: "evaluator", account: "0x…" });
 */
export async function grantRole(client: PedigreeClient, parameters: RoleParameters): Promise<RoleResult> {
  const role = roleId(parameters.role);
  const account = parseAddress(parameters.account, "account", { nonZero: true });
  const mined = await sendTransaction(
    client,
    "AttestationRegistry.grantRole",
    (signer, overrides) => client.attestations.connect(signer).grantRole(role, account, overrides),
    parameters,
  );
  const changed = eventsOf(mined.receipt, client.attestations, "RoleGranted").length > 0;
  return { role, roleName: roleName(role), account, changed, hash: mined.hash, blockNumber: mined.blockNumber };
}
