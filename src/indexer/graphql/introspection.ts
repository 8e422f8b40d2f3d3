/**
 * Root introspection fields (`__schema`, `__type`), answered by graphql-js over the generated API schema.
 * graph-node resolves them separately from entity fields and appends them after the data fields; so does this.
 */
import { execute, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema } from "graphql";
import type { JsonValue } from "./complete.ts";
import { QueryExecutionError } from "./errors.ts";
import type { PreparedField, PreparedQuery } from "./prepare.ts";

/**
 * Runs the given root introspection fields of `query`.
 *
 * @throws QueryExecutionError[] for errors graphql-js reports.
 */
export async function executeIntrospection(
  schema: GraphQLSchema,
  query: PreparedQuery,
  fields: readonly PreparedField[],
  variables: Record<string, unknown> | null | undefined,
): Promise<{ [key: string]: JsonValue }> {
  const fragments = query.document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        ...query.operation,
        selectionSet: { kind: Kind.SELECTION_SET, selections: fields.flatMap((field) => field.nodes) },
      },
      ...fragments,
    ],
  };
  const result = await execute({ schema, document, variableValues: variables ?? undefined });
  if (result.errors && result.errors.length > 0) {
    throw result.errors.map(
      (error) =>
        new QueryExecutionError(error.message, {
          position: error.locations?.[0] ? { line: error.locations[0].line, column: error.locations[0].column } : undefined,
        }),
    );
  }
  return (result.data ?? {}) as { [key: string]: JsonValue };
}
