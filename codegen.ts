/**
 * graphql-codegen: types every GraphQL document of the audit client (src/audit/documents/*.graphql) against the API
 * schema graph-node serves for schema.graphql, as typed document nodes. A schema change that breaks a query fails
 * here (`npm run build`) or in the typecheck.
 */
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "generated/api-schema.graphql",
  documents: "src/audit/documents/*.graphql",
  generates: {
    "src/audit/generated/graphql.ts": {
      plugins: ["typescript-operations", "typed-document-node"],
      config: {
        onlyOperationTypes: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, object: true, inputValue: false, defaultValue: false },
        skipTypename: true,
        useTypeImports: true,
        scalars: { BigInt: "string", BigDecimal: "string", Bytes: "string", Int8: "string", Timestamp: "string", ID: "string" },
      },
    },
  },
  silent: true,
};

export default config;
