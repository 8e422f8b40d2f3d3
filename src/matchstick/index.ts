/**
 * A matchstick-compatible test runner on the embedded runtime: compiles a subgraph's matchstick-as tests as
 * `graph test` does and runs them with matchstick's host functions and output.
 */
export { runMatchstick, type RunOptions, type RunResult } from "./run.ts";
export { loadConfig, loadSubgraphSource, type MatchstickConfig, type SubgraphSource, type HandlerRef } from "./config.ts";
export type { HandlerCoverage } from "./coverage.ts";
export { MatchstickCritical } from "./errors.ts";
