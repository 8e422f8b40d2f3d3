/** "Which roles do these accounts hold?" — the active role memberships of a set of accounts. */
import type { AuditClient } from "./client.ts";
import { RolesOfDocument } from "./generated/graphql.ts";
import { fetchAll, toAccount } from "./shared.ts";

/**
 * The roles each account holds (EVALUATOR, AUDITOR, RELEASE_APPROVER, DATA_STEWARD, ADMIN, or a custom role's hash),
 * sorted; accounts holding none are left out. One GraphQL round trip per 1 000 memberships.
 *
 * @example
 * const roles = await rolesOf(client, ["0x976ea74026e726554db657fa54763abd0c3a0aa9"]);
 * roles.get("0x976e…"); // ["EVALUATOR"]
 */
export async function rolesOf(client: AuditClient, accounts: readonly string[]): Promise<Map<string, string[]>> {
  const ids = [...new Set(accounts.map((a) => toAccount(a, "accounts")))];
  if (ids.length === 0) return new Map();
  const memberships = await fetchAll(client, RolesOfDocument, { accounts: ids }, (page) => page.roleMemberships);
  const roles = new Map<string, string[]>();
  for (const m of memberships) roles.set(m.account.id, [...(roles.get(m.account.id) ?? []), m.roleName]);
  for (const list of roles.values()) list.sort();
  return roles;
}
