/**
 * `pedigree licence acquire`: buy a licence of a dataset under its current terms. `pedigree licence refund`: void a
 * licence of a dataset whose consent was revoked, paying back its unused part.
 */
import type { Command } from "commander";
import { acquireLicence, refundLicence } from "../sdk/index.ts";
import { decodeRevertData } from "../sdk/errors/index.ts";
import { parseAddress } from "../core/hex.ts";
import { parseId } from "../core/ids.ts";
import { run } from "./context.ts";
import { currencyInfo } from "./dataset.ts";
import { CliError } from "./errors.ts";
import { addGlobalOptions } from "./options.ts";
import { block, formatAmount, formatTime, txRow } from "./output.ts";
import { checkAmountSyntax, parseAmount } from "./parse.ts";

interface AcquireOptions {
  for?: string;
  maxPrice?: string;
  terms?: string;
}

export function registerLicenceCommands(program: Command): void {
  const licence = program
    .command("licence")
    .description("acquire licences of datasets; refund them after a consent revocation")
    .addHelpText("after", "\nExample:\n  $ pedigree licence acquire 1 --max-price 0.5");
  registerLicenceAcquire(licence);
  registerLicenceRefund(licence);
}

/** The `acquire` subcommand: buy a licence of a dataset under its current terms, paying their price (ERC-20 prices are approved first). */
function registerLicenceAcquire(licence: Command): void {
  const acquire = licence
    .command("acquire")
    .description("buy a licence of a dataset under its current terms, paying their price (ERC-20 prices are approved first)")
    .argument("<datasetId>", "the dataset to license")
    .option("--for <address>", "who holds the licence: the owner of the model that will train on it (default: the signer)")
    .option("--max-price <amount>", "refuse, before paying, if the terms cost more than this (ETH, or whole tokens)")
    .option("--terms <termsId>", "the terms you agreed to (default: the current terms); refused if they changed")
    .addHelpText(
      "after",
      `
Example:
  $ pedigree licence acquire 1 --max-price 0.5 --for 0x90F79bf6EB2c4f870365E785982E1f101E93b906`,
    );
  addGlobalOptions(acquire, ["output", "chain", "key"]).action(
    run(async (ctx, [datasetIdText], options: AcquireOptions) => {
      const datasetId = parseId(datasetIdText!, "datasetId");
      const licensee = options.for === undefined ? undefined : parseAddress(options.for, "--for", { nonZero: true });
      if (options.maxPrice !== undefined) checkAmountSyntax(options.maxPrice, "--max-price");
      const givenTerms = options.terms === undefined ? undefined : parseId(options.terms, "--terms");
      const client = await ctx.client({ sign: true });
      const dataset = await ctx.view("DatasetRegistry.getDataset", () => client.datasets.getDataset(datasetId));
      const termsId = givenTerms ?? dataset.currentTermsId;
      if (termsId === 0n) throw decodeRevertData(client.datasets.interface.encodeErrorResult("NoTermsSet", [datasetId]))!;
      const [terms] = await ctx.view("DatasetRegistry.getTerms", () => client.datasets.getTerms(termsId));
      const { decimals, symbol } = await currencyInfo(ctx, client, terms.currency);
      const maxPrice = options.maxPrice === undefined ? undefined : parseAmount(options.maxPrice, "--max-price", decimals, symbol);
      if (maxPrice !== undefined && terms.price > maxPrice) {
        throw new CliError(
          `terms ${termsId} of dataset ${datasetId} cost ${formatAmount(terms.price, terms.currency, decimals, symbol)}, above --max-price ${formatAmount(maxPrice, terms.currency, decimals, symbol)}: raise --max-price if you accept this price`,
        );
      }
      const result = await acquireLicence(client, { datasetId, licensee, termsId, maxPrice, onSubmitted: ctx.submitted });
      ctx.out.result(
        {
          licenceId: result.licenceId,
          datasetId: result.datasetId,
          termsId: result.termsId,
          licensee: result.licensee,
          currency: result.currency,
          amount: result.amount,
          expiresAt: result.expiresAt,
          approval: result.approval,
          hash: result.hash,
          blockNumber: result.blockNumber,
        },
        () =>
          block(`licence ${result.licenceId} acquired for dataset ${result.datasetId}`, [
            ["terms", result.termsId],
            ["licensee", result.licensee],
            ["paid", formatAmount(result.amount, result.currency, decimals, symbol)],
            ["expires", formatTime(result.expiresAt, "never (perpetual)")],
            ["approval", result.approval ? `${result.approval.hash} (block ${result.approval.blockNumber})` : undefined],
            txRow(result),
          ]),
      );
    }),
  );
}

/** The `refund` subcommand: void a licence of a dataset whose consent you revoked, paying its licensee back the unused part. */
function registerLicenceRefund(licence: Command): void {
  const refund = licence
    .command("refund")
    .description("void a licence of a dataset whose consent you revoked, paying its licensee back the unused part")
    .argument("<licenceId>", "the licence")
    .option("--max-amount <amount>", "refuse, before paying, if the refund is more than this (ETH, or whole tokens)")
    .addHelpText(
      "after",
      `
The refund is the price times the share of the licence's time left (all of it for a perpetual licence), credited to
the licensee's withdrawable balance (\`pedigree royalties withdraw\`). ETH is sent as read just before sending; what
is no longer due when the transaction is mined is credited back to you. ERC-20 refunds are approved first.

Example:
  $ pedigree dataset consent-revoke 2 --reason "patients withdrew consent"
  $ pedigree licence refund 5 --max-amount 0.2`,
    );
  addGlobalOptions(refund, ["output", "chain", "key"]).action(
    run(async (ctx, [licenceIdText], options: { maxAmount?: string }) => {
      const licenceId = parseId(licenceIdText!, "licenceId");
      if (options.maxAmount !== undefined) checkAmountSyntax(options.maxAmount, "--max-amount");
      const client = await ctx.client({ sign: true });
      const { termsId } = await ctx.view("DatasetRegistry.getLicence", () => client.datasets.getLicence(licenceId));
      const [terms] = await ctx.view("DatasetRegistry.getTerms", () => client.datasets.getTerms(termsId));
      const { decimals, symbol } = await currencyInfo(ctx, client, terms.currency);
      const maxAmount = options.maxAmount === undefined ? undefined : parseAmount(options.maxAmount, "--max-amount", decimals, symbol);
      const result = await refundLicence(client, { licenceId, maxAmount, onSubmitted: ctx.submitted });
      const amount = (value: bigint) => formatAmount(value, result.currency, decimals, symbol);
      ctx.out.result(
        {
          licenceId: result.licenceId,
          datasetId: result.datasetId,
          licensee: result.licensee,
          currency: result.currency,
          amount: result.amount,
          surplus: result.surplus,
          approval: result.approval,
          hash: result.hash,
          blockNumber: result.blockNumber,
        },
        () =>
          block(`licence ${result.licenceId} of dataset ${result.datasetId} refunded and void`, [
            ["refunded", `${amount(result.amount)} to ${result.licensee} (withdrawable with \`pedigree royalties withdraw\`)`],
            ["surplus", result.surplus > 0n ? `${amount(result.surplus)} credited back to you` : undefined],
            ["approval", result.approval ? `${result.approval.hash} (block ${result.approval.blockNumber})` : undefined],
            txRow(result),
          ]),
      );
    }),
  );
}
