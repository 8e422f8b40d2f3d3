/**
 * Serves a fresh in-process Hardhat chain over HTTP on 127.0.0.1 from its own process and prints
 * "listening <url>". Used by fixture.ts#serveChainInChildProcess; stops on SIGTERM.
 */
import { network } from "hardhat";

const server = await network.createServer("hardhat", "127.0.0.1");
const { port } = await server.listen();
process.stdout.write(`listening http://127.0.0.1:${port}\n`);
process.once("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
