import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each test file creates its own in-process chain; two cores, so two workers.
    pool: "forks",
    maxWorkers: 2,
  },
});
