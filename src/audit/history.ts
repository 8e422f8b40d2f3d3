/**
 * "What happened to this, when, and by whom?" — the ProvenanceEvent log of any subject, in chain order.
 */
import type { AuditClient } from "./client.ts";
import { InvalidAuditInputError, type SubjectLabel } from "./errors.ts";
import { EVENT, META, PAGE, asOfOf, compareEntries, eventOf, fetchAll, notFound, pinned, toAccount, toBytes32, toId, type IdInput, type RawEvent, type RawMeta, type Ref } from "./shared.ts";
import type { AsOf, ProvenanceEntry } from "./types.ts";

/** The kinds of subject with a provenance log. */
export type HistorySubjectType =
  | "dataset"
  | "dataset-version"
  | "licence"
  | "model"
  | "model-version"
  | "attestation"
  | "deployment"
  | "account"
  | "decision-batch";

/**
 * A subject: its type and id (an address for an account; a Merkle root for a decision batch: the log of every batch
 * anchored with that root, by any version).
 */
export interface HistorySubject {
  type: HistorySubjectType;
  id: IdInput;
}

/** The answer of {@link history}. */
export interface HistoryResult {
  asOf: AsOf;
  subject: { type: HistorySubjectType; id: string };
  /** In chain order: block, log index, then entry part. For an account: what it did (it is the actor). */
  events: ProvenanceEntry[];
}

interface SubjectSpec {
  /** The root field that finds the subject (`$id`), and the provenance filter that selects its log (`$ref`). */
  lookup: string;
  filter: string;
  /** The GraphQL type of `$ref`. */
  refType: "String" | "Bytes";
  label: SubjectLabel;
  id: "id" | "account" | "bytes32";
}

const byId = (entity: string, label: SubjectLabel, id: SubjectSpec["id"] = "id", filter = entity): SubjectSpec => ({
  lookup: `subject: ${entity}(id: $id) { id }`,
  filter: `${filter}: $ref`,
  refType: "String",
  label,
  id,
});

const SUBJECTS: Record<HistorySubjectType, SubjectSpec> = {
  dataset: byId("dataset", "dataset"),
  "dataset-version": byId("datasetVersion", "dataset version"),
  licence: byId("licence", "licence"),
  model: byId("model", "model"),
  "model-version": byId("modelVersion", "model version"),
  attestation: byId("attestation", "attestation"),
  deployment: byId("deployment", "deployment"),
  account: byId("account", "account", "account", "actor"),
  // Batches are keyed by (root, version): a root names every batch anchored with it.
  "decision-batch": {
    lookup: `subject: decisionBatches(where: { root: $id }, first: 1) { id }`,
    filter: `decisionBatch_: { root: $ref }`,
    refType: "Bytes",
    label: "decision batch",
    id: "bytes32",
  },
};

function eventsField(spec: SubjectSpec): string {
  return `events: provenanceEvents(where: { ${spec.filter}, id_gt: $after }, orderBy: id, first: ${PAGE}) { ${EVENT} }`;
}

/**
 * The provenance log of a dataset, dataset version, licence, model, model version, attestation, deployment, decision
 * batch, or of an account (what it did), in chain order. One GraphQL round trip per 1 000 events.
 *
 * @example
 * const { events } = await history(client, { type: "model-version", id: 3n });
 * events.map((e) => `${e.blockNumber} ${e.action} by ${e.actor}: ${e.description}`);
 * // ["26 ModelVersionPublished by 0x99…: model 1 version 2 (0x86…)", …, "33 RolledBack by 0x99…: production rolled back …"]
 * await history(client, { type: "account", id: "0x976ea74026e726554db657fa54763abd0c3a0aa9" });
 * @throws NotInSubgraphError for an unknown subject; InvalidAuditInputError for an unknown type or malformed id.
 */
export async function history(client: AuditClient, subject: HistorySubject): Promise<HistoryResult> {
  if (subject === null || typeof subject !== "object" || !(subject.type in SUBJECTS)) {
    throw new InvalidAuditInputError(
      "subject",
      `subject type ${JSON.stringify(subject?.type)} is not known; give one of ${Object.keys(SUBJECTS).join(", ")}`,
    );
  }
  const spec = SUBJECTS[subject.type];
  const id =
    spec.id === "account"
      ? toAccount(String(subject.id), "id")
      : spec.id === "bytes32"
        ? toBytes32(String(subject.id), "id")
        : toId(subject.id, "id");
  const idType = spec.id === "bytes32" ? "Bytes" : "ID";
  const query = `query History($id: ${idType}!, $ref: ${spec.refType}!, $after: ID!) {
    ${spec.lookup}
    ${eventsField(spec)}
    ${META}
  }`;
  const data = await client.request<{ subject: Ref | Ref[] | null; events: RawEvent[]; _meta: RawMeta }>(query, { id, ref: id, after: "" });
  if (!data.subject || (Array.isArray(data.subject) && data.subject.length === 0)) throw notFound(client, spec.label, id);
  const asOf = asOfOf(data._meta);
  const all = await fetchAll<RawEvent>(
    pinned(client, asOf),
    `query HistoryPage($ref: ${spec.refType}!, $after: ID!) { ${eventsField(spec)} }`,
    "events",
    { ref: id },
    data.events,
  );
  return {
    asOf,
    subject: { type: subject.type, id },
    events: all.map(eventOf).sort(compareEntries),
  };
}
