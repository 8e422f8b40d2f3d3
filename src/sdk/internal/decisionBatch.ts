/** The batch of decision records both anchoring actions take, checked before anything is sent. */
import { InvalidInputError } from "../../core/errors.ts";
import { parseBytes32 } from "../../core/hex.ts";
import { parseUint, type IdInput } from "../../core/ids.ts";
import { toRequiredRegionSet, type RegionSetInput } from "../inputs.ts";
import type { TimestampInput } from "../types.ts";
import { toText, toTimestamp } from "./validate.ts";

/** A batch of decision records, as the anchoring actions take it. */
export interface DecisionBatchInput {
  /** Merkle root of the batch (OpenZeppelin StandardMerkleTree over one bytes32 record hash per leaf). */
  root: string;
  /** How many decision records the batch holds. */
  count: IdInput;
  /** When the first decision of the batch was made. */
  windowStart: TimestampInput;
  /** When the last one was made. */
  windowEnd: TimestampInput;
  /**
   * Where the decisions were made: codes and groups ("EU", "DE,FR") or a bit mask. Recorded as evidence; the registry
   * does not refuse a batch made outside the deployment territory.
   */
  regions: RegionSetInput;
  /** Where the batch's records live. */
  uri: string;
}

/** The batch as the registry takes it. */
export interface DecisionBatchArgs {
  root: string;
  count: bigint;
  windowStart: bigint;
  windowEnd: bigint;
  regions: bigint;
  uri: string;
}

/** Checks a batch: non-zero root, at least one record, a window that does not end before it starts, known regions. */
export function toDecisionBatch(input: DecisionBatchInput): DecisionBatchArgs {
  const root = parseBytes32(input.root, "root", { nonZero: true });
  const count = parseUint(input.count, "count", 64);
  if (count === 0n) throw new InvalidInputError("count", "count must be at least 1");
  const windowStart = toTimestamp(input.windowStart, "windowStart");
  const windowEnd = toTimestamp(input.windowEnd, "windowEnd");
  if (windowEnd < windowStart) {
    throw new InvalidInputError("windowEnd", `the window ends (${windowEnd}) before it starts (${windowStart})`);
  }
  const regions = toRequiredRegionSet(input.regions, "regions", "where the decisions were made");
  const uri = toText(input.uri, "uri", { allowEmpty: true });
  return { root, count, windowStart, windowEnd, regions, uri };
}
