/**
 * `pedigree usage report|sign|relay|cancel-nonce|deposit|release|show`: metered use of licensed data — reported and paid
 * for in one transaction (the licence's deposit first), or signed by the licensee and relayed by anyone.
 */
import type { Command } from "commander";
import {
  cancelUsageNonce,
  depositForUsage,
  relayUsageReport,
  releaseDeposit,
  reportUsage,
  signUsageReport,
  usageOf,
  type ReportUsageResult,
  type SignedUsageReport,
  type UsageReportInput,
} from "../sdk/index.ts";
import { parseId, parseUint } from "../core/ids.ts";
import { run, type Context } from "./context.ts";
import { currencyInfo } from "./dataset.ts";
import { CliError } from "./errors.ts";
import { assertNewFile, writeOutputFile } from "./files.ts";
import { addGlobalOptions } from "./options.ts";
import { block, formatAmount, formatTime, txRow, type Row } from "./output.ts";
import { parseAmount, parseHashOrFile, parseText, parseTime, readJsonFile } from "./parse.ts";

interface ReportOptions {
  version: string;
  units: string;
  evidence?: string;
  evidenceUri?: string;
}

function addReportOptions(command: Command): Command {
  return command
    .argument("<licenceId>", "a licence under metered terms")
    .requiredOption("--version <id>", "the dataset version used")
    .requiredOption("--units <n>", "units used, in the unit the terms name")
    .option("--evidence <hash|file>", "the usage evidence (logs, counters): its hash, or the file (hashed with SHA-256)")
    .option("--evidence-uri <uri>", "where the evidence lives");
}

/** The report as the SDK takes it; bad input refused before anything is read or sent. */
async function reportOf(licenceIdText: string, options: ReportOptions): Promise<UsageReportInput> {
  const units = parseUint(options.units, "--units", 64);
  if (units === 0n) throw new CliError("--units must be at least 1");
  return {
    licenceId: parseId(licenceIdText, "licenceId"),
    versionId: parseId(options.version, "--version"),
    units,
    evidence: {
      ...(options.evidence === undefined ? {} : { hash: await parseHashOrFile(options.evidence, "--evidence") }),
      ...(options.evidenceUri === undefined ? {} : { uri: parseText(options.evidenceUri, "--evidence-uri") }),
    },
  };
}

/** What a report cost and how the deposit paid it, in the licence's currency. */
async function reportRows(ctx: Context, result: ReportUsageResult): Promise<Row[]> {
  const client = await ctx.client({ sign: false });
  const { currency } = await usageOf(client, result.licenceId);
  const { decimals, symbol } = await currencyInfo(ctx, client, currency);
  return [
    ["licence", result.licenceId],
    ["dataset version", result.versionId],
    ["cost", formatAmount(result.cost, currency, decimals, symbol)],
    ["from the deposit", formatAmount(result.fromDeposit, currency, decimals, symbol)],
    txRow(result),
  ];
}

export function registerUsageCommands(program: Command): void {
  const usage = program
    .command("usage")
    .description("metered use of licensed data: report it and pay for it (a deposit first), sign reports for a relayer, prepay")
    .addHelpText("after", "\nExample:\n  $ pedigree usage report 3 --version 2 --units 4000000 --evidence ./training-log.json --evidence-uri ipfs://bafy…");
  registerReport(usage);
  registerSign(usage);
  registerRelay(usage);
  registerCancelNonce(usage);
  registerDeposit(usage);
  registerShow(usage);
}

function registerReport(usage: Command): void {
  const report = addReportOptions(usage.command("report"))
    .description("report usage under a metered licence and pay for it: the licence's deposit first, you the rest (the licensee only)")
    .addHelpText("after", "\nExample:\n  $ pedigree usage report 3 --version 2 --units 4000000 --evidence ./training-log.json");
  addGlobalOptions(report, ["output", "chain", "key"]).action(
    run(async (ctx, [licenceIdText], options: ReportOptions) => {
      const input = await reportOf(licenceIdText!, options);
      const client = await ctx.client({ sign: true });
      const result = await reportUsage(client, { ...input, onSubmitted: ctx.submitted });
      const rows = await reportRows(ctx, result);
      ctx.out.result(result, () => block(`usage report ${result.reportId}: ${result.units} units`, rows));
    }),
  );
}

function registerSign(usage: Command): void {
  const sign = addReportOptions(usage.command("sign"))
    .description("sign a usage report offline (EIP-712) as the licensee, for anyone to relay (`pedigree usage relay`)")
    .requiredOption("--out <file>", "the signed report file to write")
    .option("--force", "overwrite --out if it exists")
    .option("--deadline <time>", "until when it may be relayed (ISO 8601; at most 30 days ahead; default: 7 days from now)")
    .addHelpText("after", "\nNothing is sent. A signature can be relayed once; `pedigree usage cancel-nonce` cancels it.\n\nExample:\n  $ pedigree usage sign 3 --version 2 --units 10000 --out usage-0001.json");
  addGlobalOptions(sign, ["output", "chain", "key"]).action(
    run(async (ctx, [licenceIdText], options: ReportOptions & { out: string; force?: boolean; deadline?: string }) => {
      const input = await reportOf(licenceIdText!, options);
      await assertNewFile(options.out, "--out", options.force);
      const deadline = options.deadline === undefined ? undefined : parseTime(options.deadline, "--deadline");
      const client = await ctx.client({ sign: true });
      const signed = await signUsageReport(client, { ...input, deadline });
      await writeOutputFile(options.out, `${JSON.stringify(signed, null, 2)}\n`, "--out", options.force);
      ctx.out.result({ file: options.out, ...signed }, () =>
        block(`usage report of ${signed.report.units} units under licence ${signed.report.licenceId} signed; written to ${options.out}`, [
          ["signer", signed.signer],
          ["relay until", formatTime(BigInt(signed.deadline))],
          ["relay with", `pedigree usage relay ${options.out}`],
        ]),
      );
    }),
  );
}

function registerRelay(usage: Command): void {
  const relay = usage
    .command("relay")
    .description("relay a usage report signed with `pedigree usage sign` (any account can; the deposit pays first, you the rest)")
    .argument("<file>", "the signed report file")
    .addHelpText("after", "\nExample:\n  $ pedigree usage relay usage-0001.json");
  addGlobalOptions(relay, ["output", "chain", "key"]).action(
    run(async (ctx, [file]) => {
      const document = (await readJsonFile(file!, "signed usage report file")) as SignedUsageReport;
      const client = await ctx.client({ sign: true });
      const result = await relayUsageReport(client, document, { onSubmitted: ctx.submitted });
      const rows = await reportRows(ctx, result);
      ctx.out.result(result, () => block(`usage report ${result.reportId}: ${result.units} units, relayed`, rows));
    }),
  );
}

function registerCancelNonce(usage: Command): void {
  const cancel = usage
    .command("cancel-nonce")
    .description("cancel your unrelayed signed usage reports by using up your current nonce")
    .addHelpText("after", "\nExample:\n  $ pedigree usage cancel-nonce");
  addGlobalOptions(cancel, ["output", "chain", "key"]).action(
    run(async (ctx) => {
      const client = await ctx.client({ sign: true });
      const result = await cancelUsageNonce(client, { onSubmitted: ctx.submitted });
      ctx.out.result(result, () => block(`nonce ${result.nonce} of ${result.account} used up: no report signed with it can be relayed`, [txRow(result)]));
    }),
  );
}

function registerDeposit(usage: Command): void {
  for (const [name, description] of [
    ["deposit", "prepay usage of a metered licence (anyone may): reports draw it down first"],
    ["release", "move part of a licence's deposit back to your withdrawable balance (the licensee only)"],
  ] as const) {
    const command = usage
      .command(name)
      .description(description)
      .argument("<licenceId>", "the licence")
      .argument("<amount>", "in ETH, or in whole tokens of the terms' currency")
      .addHelpText("after", `\nExample:\n  $ pedigree usage ${name} 3 0.01`);
    addGlobalOptions(command, ["output", "chain", "key"]).action(
      run(async (ctx, [licenceIdText, amountText]) => {
        const licenceId = parseId(licenceIdText!, "licenceId");
        const client = await ctx.client({ sign: true });
        const { currency } = await usageOf(client, licenceId);
        const { decimals, symbol } = await currencyInfo(ctx, client, currency);
        const amount = parseAmount(amountText!, "<amount>", decimals, symbol);
        const act = name === "deposit" ? depositForUsage : releaseDeposit;
        const result = await act(client, { licenceId, amount, onSubmitted: ctx.submitted });
        ctx.out.result(result, () =>
          block(`${formatAmount(result.amount, currency, decimals, symbol)} ${name === "deposit" ? "deposited on" : "released from"} licence ${licenceId}`, [
            ["deposit left", formatAmount(result.deposit, currency, decimals, symbol)],
            txRow(result),
          ]),
        );
      }),
    );
  }
}

function registerShow(usage: Command): void {
  const show = usage
    .command("show")
    .description("usage reported and paid under a licence, its deposit left, and the unit price (read-only)")
    .argument("<licenceId>", "the licence")
    .addHelpText("after", "\nExample:\n  $ pedigree usage show 3 --json");
  addGlobalOptions(show, ["output", "chain"]).action(
    run(async (ctx, [licenceIdText]) => {
      const client = await ctx.client({ sign: false });
      const result = await usageOf(client, parseId(licenceIdText!, "licenceId"));
      const { decimals, symbol } = await currencyInfo(ctx, client, result.currency);
      const amount = (value: bigint) => formatAmount(value, result.currency, decimals, symbol);
      ctx.out.result(result, () =>
        block(`licence ${result.licenceId}`, [
          ["unit price", result.unitPrice === 0n ? "not metered" : `${amount(result.unitPrice)} per ${result.unit}`],
          ["units reported", `${result.units} in ${result.reports} report(s)`],
          ["paid", amount(result.paid)],
          ["deposit left", amount(result.deposit)],
        ]),
      );
    }),
  );
}
