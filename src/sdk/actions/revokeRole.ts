import type { PedigreeClient } from "../client.ts";
import { roleId, roleName } from "../../core/constants.ts";
import { eventsOf, sendTransaction } from "../internal/transactions.ts";
import { parseAddress } from "../../core/hex.ts";
import type { RoleParameters, RoleResult } from "./grantRole.ts";

/**
 * Revokes an AttestationRegistry role (the signer must be an admin). Attestations already issued stay valid until
 * revoked themselves.
 *
 * @example
 * await revokeRole(adminClient, { role: "evaluator", account: "0x…" });
 */
export async function revokeRole(client: PedigreeClient, parameters: RoleParameters): Promise<RoleResult> {
  const role = roleId(parameters.role);
  const account = parseAddress(parameters.account, "account", { nonZero: true });
  const mined = await sendTransaction(
    client,
    "AttestationRegistry.revokeRole",
    (signer, overrides) => client.attestations.connect(signer).revokeRole(role, account, overrides),
    parameters,
  );
  const changed = eventsOf(mined.receipt, client.attestations, "RoleRevoked").length > 0;
  return { role, roleName: roleName(role), account, changed, hash: mined.hash, blockNumber: mined.blockNumber };
}
