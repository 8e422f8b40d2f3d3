/**
 * Starts the benchmarks' chain (bench/chain-server.ts) in its own process, as a real node would be, and waits for
 * the JSON line that describes it: URL, deployment and the workload played on it.
 *
 * @example
 * const { chain, stop } = await spawnBenchChain({ rounds: 400, attestationsPerRound: 20, roundsPerBlock: 5 });
 * // … index chain.url …
 * stop();
 */
import { spawn } from "node:child_process";
import type { WorkloadResult } from "../src/dev/workload.ts";
import type { ContractLocation } from "../src/sdk/networks.ts";

export interface BenchChain {
  url: string;
  locations: Record<string, ContractLocation>;
  workload: WorkloadResult;
  /** Seconds the chain took to start and play the workload. */
  seconds: number;
}

export async function spawnBenchChain(options: {
  rounds: number;
  attestationsPerRound: number;
  roundsPerBlock: number;
}): Promise<{ chain: BenchChain; stop: () => void }> {
  const args = [options.rounds, options.attestationsPerRound, options.roundsPerBlock].map(String);
  const child = spawn(process.execPath, ["--import", "tsx", "bench/chain-server.ts", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const chain = await new Promise<BenchChain>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line && out.includes("\n")) resolve(JSON.parse(line) as BenchChain);
    });
    child.once("exit", (code) => reject(new Error(`chain process exited with ${code}`)));
  });
  return { chain, stop: () => void child.kill("SIGTERM") };
}
