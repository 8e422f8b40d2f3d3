/**
 * Fulltext search fields: the `@fulltext` directives on the `_Schema_` type of schema.graphql, checked as graph-node
 * checks them (`graph/src/schema/input/mod.rs`, `validate_fulltext_directives` and the `_Schema_` checks; messages from
 * `SchemaValidationError` in `graph/src/schema/mod.rs`; languages and algorithms from `graph/src/schema/fulltext.rs`).
 *
 * @example
 * type _Schema_ @fulltext(name: "noteSearch", language: en, algorithm: rank,
 *   include: [{ entity: "Note", fields: [{ name: "title" }, { name: "body" }] }])
 */
import { Kind, type ConstDirectiveNode, type ConstValueNode, type DocumentNode, type ObjectTypeDefinitionNode } from "graphql";
import { camelCasedNames } from "../graphql/naming.ts";
import type { EntityType } from "./schema.ts";

/** graph-node's `SCHEMA_TYPE_NAME`: the type that carries `@fulltext` directives and nothing else. */
export const SCHEMA_TYPE_NAME = "_Schema_";

/**
 * The languages graph-node accepts (`FulltextLanguage::try_from`) and the Postgres text search configuration each
 * one builds its tsvector with (`FulltextLanguage::as_sql`). graph-node spells Portuguese `'portugese'`, a
 * configuration Postgres does not have; this runtime uses Postgres' `portuguese`.
 */
export const FULLTEXT_LANGUAGES: Readonly<Record<string, string>> = {
  simple: "simple",
  da: "danish",
  nl: "dutch",
  en: "english",
  fi: "finnish",
  fr: "french",
  de: "german",
  hu: "hungarian",
  it: "italian",
  no: "norwegian",
  pt: "portuguese",
  ro: "romanian",
  ru: "russian",
  es: "spanish",
  sv: "swedish",
  tr: "turkish",
};

/** `rank` orders by Postgres' `ts_rank`, `proximityRank` by `ts_rank_cd` (graph-node `FulltextAlgorithm`). */
export type FulltextAlgorithm = "rank" | "proximityRank";

/** One `@fulltext` directive: a query field searching some String fields of one entity type. */
export interface FulltextDefinition {
  /** The query field's name (and, snake_cased, the tsvector column's). */
  name: string;
  /** The language code of the directive (`en`). */
  language: string;
  /** The Postgres text search configuration of that language (`english`). */
  config: string;
  algorithm: FulltextAlgorithm;
  /** The included entity type (graph-node searches only the first `include`). */
  entity: string;
  /** The included String fields, in the directive's order. */
  fields: string[];
}

/** graph-node's `SchemaValidationError` messages for `_Schema_` and `@fulltext`. */
export const FulltextErrors = {
  schemaTypeWithFields: "_Schema_ type is only for @fulltext and must not have any fields",
  invalidSchemaTypeDirectives: "The _Schema_ type only allows @fulltext directives",
  nameUndefined: "Fulltext directive name undefined",
  nameConflict: (name: string) => `Fulltext directive name overlaps with type: ${name}`,
  nameCollision: (name: string) => `Fulltext directive name overlaps with an existing entity field or a top-level query field: ${name}`,
  languageUndefined: "Fulltext language is undefined",
  languageInvalid: (language: string) => `Fulltext language is invalid: ${language}`,
  algorithmUndefined: "Fulltext algorithm is undefined",
  algorithmInvalid: (algorithm: string) => `Fulltext algorithm is invalid: ${algorithm}`,
  includeUndefined: "Fulltext directive requires an 'include' list",
  includeObjectMissing: "Fulltext 'include' list must contain an object",
  includeAttributes: "Fulltext 'include' object must contain 'entity' (String) and 'fields' (List) attributes",
  includedEntityNotFound: "Fulltext directive includes an entity not found on the subgraph schema",
  includedFieldNameMissing: "Fulltext include field must have a 'name' attribute",
  includedFieldInvalid: (field: string) => `Fulltext entity field, ${field}, not found or not a string`,
} as const;

const argument = (directive: ConstDirectiveNode, name: string): ConstValueNode | undefined =>
  directive.arguments?.find((a) => a.name.value === name)?.value;

const objectField = (value: ConstValueNode, name: string): ConstValueNode | undefined =>
  value.kind === Kind.OBJECT ? value.fields.find((f) => f.name.value === name)?.value : undefined;

/**
 * The `@fulltext` definitions of a schema document, validated against its entity types. Returns graph-node's
 * validation messages (all of them, like graph-node) instead of definitions when the directives are invalid.
 */
export function parseFulltextDefinitions(
  document: DocumentNode,
  entities: ReadonlyMap<string, EntityType>,
): { definitions: FulltextDefinition[]; errors: string[] } {
  const schemaType = document.definitions.find(
    (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === SCHEMA_TYPE_NAME,
  );
  if (!schemaType) return { definitions: [], errors: [] };
  const errors: string[] = [];
  if ((schemaType.fields ?? []).length > 0) errors.push(FulltextErrors.schemaTypeWithFields);
  const directives = schemaType.directives ?? [];
  if (directives.some((d) => d.name.value !== "fulltext")) errors.push(FulltextErrors.invalidSchemaTypeDirectives);
  const fulltexts = directives.filter((d) => d.name.value === "fulltext");
  for (const directive of fulltexts) {
    errors.push(...nameErrors(directive, fulltexts, entities), ...languageErrors(directive), ...algorithmErrors(directive));
    errors.push(...includeErrors(directive, entities));
  }
  if (errors.length > 0) return { definitions: [], errors };
  return { definitions: fulltexts.map(definitionOf), errors };
}

/** `validate_fulltext_directive_name`: a string, unlike every entity field's name and camel-cased names, unique. */
function nameErrors(directive: ConstDirectiveNode, all: readonly ConstDirectiveNode[], entities: ReadonlyMap<string, EntityType>): string[] {
  const value = argument(directive, "name");
  if (value?.kind !== Kind.STRING) return [FulltextErrors.nameUndefined];
  const name = value.value;
  // graph-node compares with the camel-cased names of the entity types' fields (graph/src/schema/input/mod.rs).
  const collides = [...entities.values()].some((entity) =>
    entity.fields.some((field) => field.name === name || camelCasedNames(field.name).includes(name)),
  );
  if (collides) return [FulltextErrors.nameCollision(name)];
  const sameName = all.filter((d) => {
    const other = argument(d, "name");
    return other?.kind === Kind.STRING && other.value === name;
  });
  return sameName.length > 1 ? [FulltextErrors.nameConflict(name)] : [];
}

function languageErrors(directive: ConstDirectiveNode): string[] {
  const value = argument(directive, "language");
  if (value?.kind !== Kind.ENUM) return [FulltextErrors.languageUndefined];
  return value.value in FULLTEXT_LANGUAGES ? [] : [FulltextErrors.languageInvalid(value.value)];
}

function algorithmErrors(directive: ConstDirectiveNode): string[] {
  const value = argument(directive, "algorithm");
  if (value?.kind !== Kind.ENUM) return [FulltextErrors.algorithmUndefined];
  return value.value === "rank" || value.value === "proximityRank" ? [] : [FulltextErrors.algorithmInvalid(value.value)];
}

/**
 * `validate_fulltext_directive_includes`: a non-empty list of `{ entity: String, fields: [{ name: String }] }`, each
 * entity an entity type, each field a String field of it. Like graph-node, the first problem ends the check. Unlike
 * graph-node, a list of strings (`[String!]`) is refused as "not a string": graph-node accepts it here and then
 * fails to write the entity ("fulltext fields must be strings").
 */
function includeErrors(directive: ConstDirectiveNode, entities: ReadonlyMap<string, EntityType>): string[] {
  const includes = argument(directive, "include");
  if (includes?.kind !== Kind.LIST || includes.values.length === 0) return [FulltextErrors.includeUndefined];
  for (const include of includes.values) {
    if (include.kind !== Kind.OBJECT) return [FulltextErrors.includeObjectMissing];
    const entityName = objectField(include, "entity");
    const fields = objectField(include, "fields");
    if (entityName?.kind !== Kind.STRING || fields?.kind !== Kind.LIST) return [FulltextErrors.includeAttributes];
    const entity = entities.get(entityName.value);
    if (!entity) return [FulltextErrors.includedEntityNotFound];
    for (const field of fields.values) {
      if (field.kind !== Kind.OBJECT) return [FulltextErrors.includeAttributes];
      const fieldName = objectField(field, "name");
      if (fieldName?.kind !== Kind.STRING) return [FulltextErrors.includedFieldNameMissing];
      const def = entity.fieldsByName.get(fieldName.value);
      if (!def || def.type.name !== "String" || def.type.list || def.derivedFrom) {
        return [FulltextErrors.includedFieldInvalid(fieldName.value)];
      }
    }
  }
  return [];
}

/** A validated directive as a definition (graph-node `FulltextDefinition::from`: only the first include counts). */
function definitionOf(directive: ConstDirectiveNode): FulltextDefinition {
  const text = (value: ConstValueNode | undefined) => (value?.kind === Kind.STRING || value?.kind === Kind.ENUM ? value.value : "");
  const include = (argument(directive, "include") as { values: readonly ConstValueNode[] }).values[0]!;
  const fields = objectField(include, "fields");
  const language = text(argument(directive, "language"));
  return {
    name: text(argument(directive, "name")),
    language,
    config: FULLTEXT_LANGUAGES[language]!,
    algorithm: text(argument(directive, "algorithm")) as FulltextAlgorithm,
    entity: text(objectField(include, "entity")),
    fields: fields?.kind === Kind.LIST ? fields.values.map((f) => text(objectField(f, "name"))) : [],
  };
}
