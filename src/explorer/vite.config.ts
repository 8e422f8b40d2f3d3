// Builds the lineage explorer (./app) into build/explorer: static files with relative paths, served by
// `pedigree node` at /explorer/ or from any static host (pointed at a subgraph with ?subgraph=<url>).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL("./app", import.meta.url)),
  base: "./",
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("../../build/explorer", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2048,
  },
});
