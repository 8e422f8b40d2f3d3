/** `pedigree role grant|revoke <role> <address>`: AttestationRegistry roles (admin only). */
import type { Command } from "commander";
import { grantRole, revokeRole, type RoleResult } from "../sdk/index.ts";
import { describeRole, roleName } from "../core/constants.ts";
import { parseAddress } from "../core/hex.ts";
import { run, type Context } from "./context.ts";
import { addGlobalOptions } from "./options.ts";
import { block, txRow } from "./output.ts";
import { parseRole } from "./parse.ts";

const ROLES_HELP = "admin, evaluator, auditor, release-approver, data-steward (or EVALUATOR_ROLE, or a 32-byte role id)";

function report(ctx: Context, result: RoleResult, granted: boolean): void {
  const what = describeRole(result.role);
  ctx.out.result(
    {
      role: result.roleName ?? result.role,
      roleId: result.role,
      account: result.account,
      changed: result.changed,
      hash: result.hash,
      blockNumber: result.blockNumber,
    },
    () =>
      block(
        result.changed
          ? `${what} ${granted ? "granted to" : "revoked from"} ${result.account}`
          : `${result.account} ${granted ? "already had" : "did not have"} the ${what} role (nothing changed)`,
        [txRow(result)],
      ),
  );
}

export function registerRoleCommands(program: Command): void {
  const role = program
    .command("role")
    .description("grant and revoke attestation roles (the signer must be an admin)")
    .addHelpText("after", "\nExample:\n  $ pedigree role grant evaluator 0x976EA74026E726554dB657fA54763abd0C3a0aa9");

  for (const granted of [true, false]) {
    const name = granted ? "grant" : "revoke";
    const command = role
      .command(name)
      .description(granted ? "grant a role to an account" : "revoke a role from an account (its attestations stay valid until revoked)")
      .argument("<role>", ROLES_HELP)
      .argument("<address>", "the account")
      .addHelpText("after", `\nExample:\n  $ pedigree role ${name} evaluator 0x976EA74026E726554dB657fA54763abd0C3a0aa9`);
    addGlobalOptions(command, ["output", "chain", "key"]).action(
      run(async (ctx, [roleText, addressText]) => {
        const roleId = parseRole(roleText!);
        const account = parseAddress(addressText!, "address", { nonZero: true });
        const client = await ctx.client({ sign: true });
        const has = await ctx.view("AttestationRegistry.hasRole", () => client.attestations.hasRole(roleId, account));
        if (has === granted) {
          const what = describeRole(roleId);
          ctx.out.result({ role: roleName(roleId) ?? roleId, roleId, account, changed: false }, () => [
            `${account} ${granted ? "already has" : "does not have"} the ${what} role: nothing to do, nothing sent`,
          ]);
          return;
        }
        const parameters = { role: roleId, account, onSubmitted: ctx.submitted };
        report(ctx, granted ? await grantRole(client, parameters) : await revokeRole(client, parameters), granted);
      }),
    );
  }
}
