import { fileURLToPath } from "node:url";
import hardhatEthers from "@nomicfoundation/hardhat-ethers";
import hardhatIgnitionEthers from "@nomicfoundation/hardhat-ignition-ethers";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatTypechain from "@nomicfoundation/hardhat-typechain";
import { configVariable, defineConfig } from "hardhat/config";

/** solc ships as WebAssembly in the `solc` npm package, so no compiler is downloaded (see shared/docs/toolchain.md). */
const SOLC_VERSION = "0.8.30";
const solcPath = fileURLToPath(new URL("./node_modules/solc/soljson.js", import.meta.url));

/** A public test network reached through RPC_URL-style variables; nothing secret lives in the repository. */
function testnet(prefix: string, chainId: number) {
  return {
    type: "http" as const,
    chainType: "l1" as const,
    chainId,
    url: configVariable(`${prefix}_RPC_URL`),
    accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
  };
}

export default defineConfig({
  plugins: [hardhatEthers, hardhatTypechain, hardhatIgnitionEthers, hardhatNetworkHelpers],
  solidity: {
    version: SOLC_VERSION,
    path: solcPath,
    settings: {
      optimizer: { enabled: true, runs: 10_000 },
      viaIR: true,
      evmVersion: "cancun",
    },
  },
  typechain: {
    outDir: "types",
  },
  networks: {
    hardhat: { type: "edr-simulated", chainType: "l1" },
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    sepolia: testnet("SEPOLIA", 11155111),
    baseSepolia: testnet("BASE_SEPOLIA", 84532),
    arbitrumSepolia: testnet("ARBITRUM_SEPOLIA", 421614),
  },
  paths: {
    tests: { solidity: "test/contracts" },
  },
  test: {
    solidity: {
      // Fuzz the royalty arithmetic harder than the default 256 runs; invariant depth is set per contract.
      fuzz: { runs: 1000 },
    },
  },
});
