/** `pedigree royalties show|withdraw`: royalty balances of licence sales, and pulling them out. */
import type { Command } from "commander";
import { royaltiesOf, withdrawRoyalties } from "../sdk/index.ts";
import { parseAddress } from "../core/hex.ts";
import { run } from "./context.ts";
import { currencyInfo } from "./dataset.ts";
import { CliError } from "./errors.ts";
import { addGlobalOptions } from "./options.ts";
import { block, formatAmount, txRow } from "./output.ts";
import { parseCurrency } from "./parse.ts";

export function registerRoyaltiesCommands(program: Command): void {
  const royalties = program
    .command("royalties")
    .description("royalty balances from licence sales, and withdrawing them")
    .addHelpText("after", "\nExample:\n  $ pedigree royalties show 0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

  const show = royalties
    .command("show")
    .description("royalties an account can withdraw (read-only)")
    .argument("[account]", "whose balance (default: the signer's)")
    .option("--currency <address>", "ERC-20 token (default: ETH)")
    .addHelpText("after", "\nExample:\n  $ pedigree royalties show 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --json");
  addGlobalOptions(show, ["output", "chain", "key"]).action(
    run(async (ctx, [accountText], options: { currency?: string }) => {
      const currency = parseCurrency(options.currency);
      let account = accountText === undefined ? undefined : parseAddress(accountText, "account");
      if (account === undefined) {
        if (!ctx.hasSigner) throw new CliError("name the account (`pedigree royalties show <address>`), or set PEDIGREE_PRIVATE_KEY / --keystore to show yours");
        account = (await ctx.signer()).address;
      }
      const client = await ctx.client({ sign: false });
      const amount = await royaltiesOf(client, { account, currency });
      const { decimals, symbol } = await currencyInfo(ctx, client, currency);
      ctx.out.result({ account, currency, amount }, () => [`${account} can withdraw ${formatAmount(amount, currency, decimals, symbol)}`]);
    }),
  );

  const withdraw = royalties
    .command("withdraw")
    .description("send the signer's whole royalty balance in one currency to an address")
    .option("--currency <address>", "ERC-20 token (default: ETH)")
    .option("--to <address>", "destination (default: the signer)")
    .addHelpText("after", "\nExample:\n  $ pedigree royalties withdraw --to 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65");
  addGlobalOptions(withdraw, ["output", "chain", "key"]).action(
    run(async (ctx, _args, options: { currency?: string; to?: string }) => {
      const currency = parseCurrency(options.currency);
      const to = options.to === undefined ? undefined : parseAddress(options.to, "--to", { nonZero: true });
      const client = await ctx.client({ sign: true });
      const { decimals, symbol } = await currencyInfo(ctx, client, currency);
      const result = await withdrawRoyalties(client, { currency, to, onSubmitted: ctx.submitted });
      ctx.out.result(
        { amount: result.amount, currency: result.currency, to: result.to, hash: result.hash, blockNumber: result.blockNumber },
        () =>
          block(`withdrew ${formatAmount(result.amount, result.currency, decimals, symbol)}`, [["to", result.to], txRow(result)]),
      );
    }),
  );
}
