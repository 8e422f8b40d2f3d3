/**
 * The data-handling context of a dataset version on the command line: `--origin`, `--handling-policy`,
 * `--handling-policy-hash`, `--handling-policy-uri`, checked before anything is sent, and how a version's context and
 * inherited territories are shown (human rows with region groups, JSON with region codes).
 */
import type { Command } from "commander";
import { toRegionSet, type DatasetVersionRecord, type InheritedTerritories } from "../sdk/index.ts";
import { parseBytes32 } from "../core/hex.ts";
import { WORLDWIDE, describeRegions, regionCodes } from "../core/regions.ts";
import { CliError } from "./errors.ts";
import { parseHashOrFile, parseText } from "./parse.ts";
import type { Row } from "./output.ts";

export interface DataContextOptions {
  origin?: string;
  handlingPolicy?: string;
  handlingPolicyHash?: string;
  handlingPolicyUri?: string;
}

/** The context as the SDK takes it: the origin mask (0n = undeclared) and the policy's hash and URI. */
export interface DataContext {
  origin: bigint;
  handlingPolicy?: { hash: string; uri?: string };
}

/** Adds the data-handling context options. */
export function addDataContextOptions(command: Command): Command {
  return command
    .option("--origin <regions>", "where the data comes from: ISO 3166-1 alpha-2 codes and groups, e.g. EU or DE,AT (default: undeclared)")
    .option("--handling-policy <file>", "the data-handling policy document (GDPR special category, PII, consent basis…), hashed with SHA-256")
    .option("--handling-policy-hash <hash>", "the policy document's 32-byte hash, instead of --handling-policy")
    .option("--handling-policy-uri <uri>", "where the policy document lives (with --handling-policy or --handling-policy-hash)");
}

/** Checks the context options without the chain: known region codes, one policy given one way, a readable file. */
export async function parseDataContext(options: DataContextOptions): Promise<DataContext> {
  const origin = options.origin === undefined ? 0n : toRegionSet(options.origin, "--origin");
  if (options.handlingPolicy !== undefined && options.handlingPolicyHash !== undefined) {
    throw new CliError("give either --handling-policy <file> or --handling-policy-hash <hash>, not both");
  }
  const uri = options.handlingPolicyUri === undefined ? undefined : parseText(options.handlingPolicyUri, "--handling-policy-uri");
  let hash: string | undefined;
  if (options.handlingPolicyHash !== undefined) {
    hash = parseBytes32(options.handlingPolicyHash, "--handling-policy-hash", { nonZero: true });
  } else if (options.handlingPolicy !== undefined) {
    if (/^0x[0-9a-fA-F]{64}$/.test(options.handlingPolicy.trim())) {
      throw new CliError("--handling-policy takes the policy file; give a hash with --handling-policy-hash");
    }
    hash = await parseHashOrFile(options.handlingPolicy, "--handling-policy");
  } else if (uri !== undefined) {
    throw new CliError("--handling-policy-uri needs the policy itself: --handling-policy <file> or --handling-policy-hash <hash>");
  }
  return { origin, handlingPolicy: hash === undefined ? undefined : { hash, uri } };
}

/** Human rows of a version's context and inherited territories. */
export function dataContextRows(context: DataContext, inherited: InheritedTerritories): Row[] {
  const policy = context.handlingPolicy;
  return [
    ["origin", context.origin === 0n ? "undeclared" : describeRegions(context.origin)],
    ["handling policy", policy === undefined ? "none" : policy.uri ? `${policy.hash} (${policy.uri})` : policy.hash],
    ["inherited territories", describeInherited(inherited)],
  ];
}

/** `none`, or where a parent's licence lets the version be used for training and derived models be deployed. */
export function describeInherited(inherited: InheritedTerritories): string {
  if (inherited.training === WORLDWIDE && inherited.deployment === WORLDWIDE) return "none (no parent licence restricts it)";
  return `training ${describeRegions(inherited.training)}; deployment ${describeRegions(inherited.deployment)}`;
}

/** The JSON of a version's context and inherited territories: region codes, the policy or null. */
export function dataContextJson(context: DataContext, inherited: InheritedTerritories): Record<string, unknown> {
  return {
    origin: regionCodes(context.origin),
    handlingPolicy: context.handlingPolicy === undefined ? null : { hash: context.handlingPolicy.hash, uri: context.handlingPolicy.uri ?? "" },
    inheritedTerritories: { training: regionCodes(inherited.training), deployment: regionCodes(inherited.deployment) },
  };
}

/** The rows of one version for `dataset show`: its number and URI, then its context, indented. */
export function versionRows(version: DatasetVersionRecord): Row[] {
  const context = dataContextRows(contextOf(version), version.inheritedTerritories);
  const metadata: Row = ["  metadata", /^0x0{64}$/.test(version.metadataHash) ? undefined : version.metadataHash];
  return [[`version ${version.versionId}`, `#${version.number} ${version.uri}`], metadata, ...context.map(([label, value]): Row => [`  ${label}`, value])];
}

/** A recorded version's context as {@link DataContext}. */
export function contextOf(version: DatasetVersionRecord): DataContext {
  return { origin: version.origin, handlingPolicy: version.handlingPolicy };
}
