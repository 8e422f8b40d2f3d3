/**
 * Global options are declared once (src/cli/options.ts) and mean the same to every command: `pedigree node` takes
 * `--rpc`, `--network` and `--networks-file` from the same declarations — flag, environment variable, default — and
 * from before the command name, like the others. No chain is needed: a network missing from the networks file is
 * refused (exit 2) before anything starts.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.ts";
import { cleanEnv, failureShape, runPedigree } from "./cli-chain.ts";

let dir: string;
let networksFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pedigree-options-"));
  networksFile = join(dir, "networks.json");
  await writeFile(networksFile, `${JSON.stringify({ localhost: {} })}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The help text of the command at `path`. */
function helpOf(path: string[]): string {
  let command: Command = buildProgram();
  for (const name of path) command = command.commands.find((sub) => sub.name() === name)!;
  let text = "";
  command.configureOutput({ writeOut: (chunk) => (text += chunk), writeErr: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
}

/** The help line of `flag` (its description, environment variable and default). */
function optionLine(help: string, flag: string): string | undefined {
  return help
    .replace(/\n {20,}/g, " ")
    .split("\n")
    .find((line) => line.trimStart().startsWith(flag));
}

describe("pedigree node and the global options", () => {
  it("takes --network and --networks-file from PEDIGREE_NETWORK and PEDIGREE_NETWORKS_FILE, like every command", async () => {
    const env = { ...cleanEnv(), PEDIGREE_NETWORK: "nowhere", PEDIGREE_NETWORKS_FILE: networksFile };
    const result = await runPedigree(["node", "--rpc", "http://127.0.0.1:9", "--port", "0"], env, undefined, 20_000);
    expect(failureShape(result)).toEqual({ code: 2, lines: 1, stackTrace: false });
    expect(result.stderr.trim()).toBe(`pedigree: ${networksFile} has no network "nowhere": deploy first with scripts/deploy.ts`);
  });

  it("takes them before the command name too", async () => {
    const args = ["--network", "nowhere", "--networks-file", networksFile, "node", "--rpc", "http://127.0.0.1:9", "--port", "0"];
    const result = await runPedigree(args, cleanEnv(), undefined, 20_000);
    expect(failureShape(result)).toEqual({ code: 2, lines: 1, stackTrace: false });
    expect(result.stderr).toContain(`has no network "nowhere"`);
  });

  it("documents --rpc and --networks-file with one environment variable and one default everywhere", () => {
    const node = helpOf(["node"]);
    const show = helpOf(["royalties", "show"]);
    for (const flag of ["--rpc <url>", "--networks-file <file>"]) {
      expect(optionLine(node, flag), flag).toBeDefined();
      expect(optionLine(node, flag), flag).toBe(optionLine(show, flag));
    }
    expect(optionLine(node, "--rpc <url>")).toMatch(/\(default: "http:\/\/127\.0\.0\.1:8545", env: PEDIGREE_RPC_URL\)$/);
    expect(optionLine(node, "--networks-file <file>")).toMatch(/\(default: "subgraph\/networks\.json", env: PEDIGREE_NETWORKS_FILE\)$/);
  });
});
