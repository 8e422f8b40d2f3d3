/**
 * What a Pedigree MCP tool is — a name, a description an LLM can act on, zod input and output schemas, and a function
 * that answers from the audit read model or the chain — and how it is served: the answer becomes `structuredContent`
 * (bigints as decimal strings) with a one-line summary and the JSON text in `content`; any failure becomes a result
 * with `isError: true` and one line saying what to do, so that the server never fails a call it can answer.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ShapeOutput, ZodRawShapeCompat } from "@modelcontextprotocol/sdk/server/zod-compat.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type * as z from "zod/v4";
import type { AuditClient } from "../audit/index.ts";
import { PedigreeError, oneLine } from "../core/errors.ts";
import type { PedigreeClient } from "../sdk/index.ts";
import { terminalText, toJsonValue } from "../core/output.ts";

/** Where the tools read: the indexed subgraph (at a block, for time travel) and the registries on chain. */
export interface ToolSources {
  /** The audit client, answering as of `block` when given. */
  subgraph(block?: number): AuditClient;
  /** A read-only client on the registries, connected on first use (and again after a failed attempt). */
  chain(): Promise<PedigreeClient>;
}

/** What a tool answers: the structured result, and one line saying what it means. */
export interface ToolAnswer {
  result: object;
  summary: string;
}

/** A tool, as written in ./tools/. */
export interface ToolDefinition<Shape extends ZodRawShapeCompat> {
  /** snake_case, e.g. `what_trained_this`. */
  name: string;
  title: string;
  /** One sentence an LLM can act on: what the tool answers and when to call it. */
  description: string;
  input: Shape;
  /** The answer's shape (an open object: it may carry more than listed). */
  output: z.ZodObject;
  /** Answers from the sources; `signal` is aborted when the client cancels the call. */
  answer(args: ShapeOutput<Shape>, sources: ToolSources, signal: AbortSignal): Promise<ToolAnswer>;
}

/** A tool, ready to be registered on a server. */
export interface PedigreeTool {
  readonly name: string;
  register(server: McpServer, sources: ToolSources, log: (line: string) => void): void;
}

/**
 * The result of a failed call: `isError` and one line — a PedigreeError's message (what went wrong and what to do),
 * or the first line of anything else (then logged in full, as it is a bug).
 */
export function errorResult(error: unknown, log: (line: string) => void): CallToolResult {
  let message: string;
  if (error instanceof PedigreeError) message = error.message;
  else {
    log(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    message = `unexpected error: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
  }
  return { isError: true, content: [{ type: "text", text: terminalText(oneLine(message)) }] };
}

/** The result of an answered call: the JSON-safe answer as `structuredContent`, the summary and the JSON as text. */
export function answerResult(answer: ToolAnswer): CallToolResult {
  const structured = toJsonValue(answer.result) as Record<string, unknown>;
  return {
    structuredContent: structured,
    content: [
      { type: "text", text: terminalText(oneLine(answer.summary)) },
      // The same answer as text, for clients that do not read structuredContent (the MCP spec asks for it).
      { type: "text", text: JSON.stringify(structured) },
    ],
  };
}

/**
 * A tool from its definition: read-only, answered from the sources, failures turned into one-line error results.
 *
 * @example
 * export const whereTool = defineTool({ name: "where", title: "…", description: "…", input: {…}, output, answer });
 */
export function defineTool<Shape extends ZodRawShapeCompat>(definition: ToolDefinition<Shape>): PedigreeTool {
  return {
    name: definition.name,
    register(server, sources, log) {
      server.registerTool(
        definition.name,
        {
          title: definition.title,
          description: definition.description,
          inputSchema: definition.input,
          outputSchema: definition.output,
          annotations: { title: definition.title, readOnlyHint: true, openWorldHint: true },
        },
        // The SDK types the callback with a conditional type TypeScript cannot resolve for a generic Shape.
        (async (args: ShapeOutput<Shape>, extra: { signal: AbortSignal }) => {
          try {
            return answerResult(await definition.answer(args, sources, extra.signal));
          } catch (error) {
            return errorResult(error, log);
          }
        }) as Parameters<McpServer["registerTool"]>[2],
      );
    },
  };
}
