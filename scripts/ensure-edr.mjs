// postinstall: complete the install when npm itself ran on a Node older than 22.
//
// npm skips optional dependencies whose `engines` exclude the Node it runs on. Hardhat's EDR engine ships its native
// binding as such an optional package, so `npm install` launched from the machine's Node 20 leaves it out. This
// script already runs on the Node 22 that the `node` devDependency puts first on PATH; if EDR does not load here, it
// re-runs the install with this Node so npm picks the native package up. See ../shared/docs/toolchain.md.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function edrLoads() {
  try {
    require("@nomicfoundation/edr");
    return true;
  } catch {
    return false;
  }
}

if (!edrLoads()) {
  const npmCli = process.env.npm_execpath;
  if (!npmCli) {
    console.error("postinstall: @nomicfoundation/edr does not load and npm_execpath is unset; run `npm install` again with Node >= 22.13.");
    process.exit(1);
  }
  console.log(`postinstall: completing the install under Node ${process.version} (EDR's native binding was skipped)`);
  const result = spawnSync(process.execPath, [npmCli, "install", "--ignore-scripts", "--no-audit", "--no-fund"], {
    stdio: "inherit",
  });
  if (result.status !== 0 || !edrLoads()) {
    console.error("postinstall: EDR still does not load; run `PATH=$PWD/node_modules/.bin:$PATH npm install`.");
    process.exit(1);
  }
}
