/**
 * The zod pieces the tools' schemas are built from. Input fields only describe the JSON type an agent sends: their
 * values are checked by the one validator of each kind (../core/ids.ts, ../core/hex.ts, the audit client's block
 * check), whose InvalidInputError names the field. Output schemas describe what an agent reads in `structuredContent`
 * and stay open (`looseObject`): the answers carry more than is listed, and the client checks what is.
 */
import * as z from "zod/v4";

/** An id: a number, or a decimal string (ids are uint64 and may exceed a JSON number's safe range). */
export function idInput(field: string, what: string): z.ZodUnion<readonly [z.ZodString, z.ZodNumber]> {
  return z
    .union([z.string(), z.number()], { error: `${field} must be the id of ${what}: a positive whole number such as 3` })
    .describe(`the id of ${what}: a positive whole number (a JSON number or a decimal string)`);
}

/** A 32-byte hash. */
export function bytes32Input(field: string, what: string): z.ZodString {
  return z.string({ error: `${field} must be ${what}: 0x followed by 64 hex digits` }).describe(`${what}: 0x followed by 64 hex digits`);
}

/** The optional block of a time-travel question. */
export const blockInput = z
  .number({ error: "block must be a block number: a whole number ≥ 0" })
  .optional()
  .describe("answer as of this block number (time travel); the latest indexed block when left out");

/** A model version's environment, e.g. production. */
export const environmentInput = z.string({ error: "environment must be the name of an environment, e.g. production" }).describe("the environment's name, e.g. production");

/** A local file or directory. */
export function pathInput(what: string): z.ZodString {
  return z.string({ error: `give ${what} as a string` }).describe(what);
}

// ------------------------------------------------------------------ outputs

/** The indexed block an answer reflects. */
export const asOfOutput = z
  .looseObject({
    blockNumber: z.number(),
    blockHash: z.string().nullable(),
    timestamp: z.number().nullable(),
  })
  .describe("the indexed block the answer reflects (hash and time are null for a time-travel answer)");

/** Where something happened on chain. */
export const stampOutput = z.looseObject({ blockNumber: z.number(), timestamp: z.number(), transactionHash: z.string() });

/** A model version as the registry recorded it (ids are decimal strings). */
export const modelVersionOutput = z.looseObject({
  id: z.string(),
  modelId: z.string(),
  number: z.number(),
  weightsHash: z.string(),
  uri: z.string(),
  parentId: z.string().nullable(),
  approved: z.boolean(),
  approvalRevoked: z.boolean(),
  dataDeclared: z.boolean(),
  commercialData: z.boolean(),
  published: stampOutput,
});

/** An attestation, with its revocation. */
export const attestationOutput = z.looseObject({
  id: z.string(),
  kindName: z.string(),
  subject: z.looseObject({ type: z.string(), id: z.string() }),
  attester: z.string(),
  expired: z.boolean().nullable(),
  revocation: z.looseObject({ by: z.string(), reason: z.string() }).nullable(),
  attested: stampOutput,
});
