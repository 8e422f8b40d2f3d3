/**
 * The benchmark's chain, in its own process (as a real node would be): starts the local chain, deploys the
 * protocol, plays the synthetic workload, prints one JSON line with the URL, the deployment and the workload, then
 * serves until SIGTERM.
 *
 *   node --import tsx bench/chain-server.ts <rounds> <attestationsPerRound> <roundsPerBlock>
 */
import { startLocalChain } from "../src/dev/local-chain.ts";
import { deployLocally } from "../src/dev/deploy.ts";
import { playWorkload } from "../src/dev/workload.ts";

const [rounds, attestationsPerRound, roundsPerBlock] = process.argv.slice(2).map(Number);
const started = performance.now();
const chain = await startLocalChain();
const [admin, evaluator, mlTeam, ...creators] = chain.signers;
const deployment = await deployLocally(chain, { admin: admin.address, evaluators: [evaluator.address] });
const workload = await playWorkload(chain, deployment, { creators: creators.slice(0, 5), mlTeam, evaluator }, { rounds, attestationsPerRound, roundsPerBlock });
process.stdout.write(
  `${JSON.stringify({ url: chain.url, locations: deployment.locations, workload, seconds: (performance.now() - started) / 1000 })}\n`,
);
process.once("SIGTERM", () => {
  void chain.close().then(() => process.exit(0));
});
