/**
 * Pedigree core: what every side (SDK, audit client, report, CLI) shares and none needs a chain for — the error base,
 * the validators of ids, addresses and hashes, the names of the protocol's numbers, timeouts, fingerprints of data and
 * weights, OpenZeppelin-compatible Merkle trees, agent action records, salted commitments with selective disclosure, and
 * encrypted pointers.
 *
 * @example
 * import { fingerprint, DecisionTree, parseId, PedigreeError } from "./core/index.ts";
 */
export * from "./errors.ts";
export * from "./ids.ts";
export * from "./hex.ts";
export * from "./constants.ts";
export * from "./timeouts.ts";
export * from "./time.ts";
export * from "./fingerprint.ts";
export * from "./merkle.ts";
export * from "./actions.ts";
export * from "./commitments.ts";
export * from "./envelope.ts";
