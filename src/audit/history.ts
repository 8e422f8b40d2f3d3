/**
 * "What happened to this, when, and by whom?" — the ProvenanceEvent log of any subject, in chain order.
 */
import { InvalidInputError } from "../core/errors.ts";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { AuditClient } from "./client.ts";
import { type SubjectLabel } from "./errors.ts";
import {
  AccountHistoryDocument,
  AgentHistoryDocument,
  AttestationHistoryDocument,
  DatasetHistoryDocument,
  DatasetVersionHistoryDocument,
  DecisionRootHistoryDocument,
  DeploymentHistoryDocument,
  HistoryPageDocument,
  LicenceHistoryDocument,
  ModelHistoryDocument,
  ModelVersionHistoryDocument,
  type HistoryEventsFragment,
  type ProvenanceEvent_Filter,
} from "./generated/graphql.ts";
import { asOfOf, compareEntries, eventOf, fetchAll, notFound, pinned, toAccount, toBytes32, toId, uniqueEntries, type IdInput } from "./shared.ts";
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
  | "decision-batch"
  | "agent";

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

type LookupDocument = TypedDocumentNode<{ subject: { id: string } | null } & HistoryEventsFragment, { id: string; where: ProvenanceEvent_Filter }>;

interface SubjectSpec {
  /** Finds the subject and the first page of its log. */
  lookup: LookupDocument;
  /** The provenance filter that selects the log of the subjects with these ids. */
  filter(ids: string[]): ProvenanceEvent_Filter;
  label: SubjectLabel;
  id: "id" | "account" | "bytes32";
}

const spec = (lookup: LookupDocument, field: keyof ProvenanceEvent_Filter, label: SubjectLabel, id: SubjectSpec["id"] = "id"): SubjectSpec => ({
  lookup,
  filter: (ids) => (ids.length === 1 ? { [field]: ids[0] } : { [`${field}_in`]: ids }) as ProvenanceEvent_Filter,
  label,
  id,
});

const SUBJECTS: Record<HistorySubjectType, SubjectSpec> = {
  dataset: spec(DatasetHistoryDocument, "dataset", "dataset"),
  "dataset-version": spec(DatasetVersionHistoryDocument, "datasetVersion", "dataset version"),
  licence: spec(LicenceHistoryDocument, "licence", "licence"),
  model: spec(ModelHistoryDocument, "model", "model"),
  "model-version": spec(ModelVersionHistoryDocument, "modelVersion", "model version"),
  attestation: spec(AttestationHistoryDocument, "attestation", "attestation"),
  deployment: spec(DeploymentHistoryDocument, "deployment", "deployment"),
  account: spec(AccountHistoryDocument, "actor", "account", "account"),
  // Batches are keyed by (root, version): a root names every batch anchored with it.
  "decision-batch": {
    lookup: DecisionRootHistoryDocument,
    filter: (roots) => ({ decisionBatch_: { root_in: roots } }),
    label: "decision batch",
    id: "bytes32",
  },
  agent: spec(AgentHistoryDocument, "agent", "agent"),
};

function specOf(subject: HistorySubject): SubjectSpec {
  if (subject === null || typeof subject !== "object" || !(subject.type in SUBJECTS)) {
    throw new InvalidInputError(
      "subject",
      `subject type ${JSON.stringify(subject?.type)} is not known; give one of ${Object.keys(SUBJECTS).join(", ")}`,
    );
  }
  return SUBJECTS[subject.type];
}

function idOf(subject: HistorySubject, kind: SubjectSpec["id"]): string {
  if (kind === "account") return toAccount(String(subject.id), "id");
  if (kind === "bytes32") return toBytes32(String(subject.id), "id");
  return toId(subject.id, "id");
}

/** Every entry matching `where` after the first page, in chain order. */
async function allEvents(client: AuditClient, where: ProvenanceEvent_Filter, first?: HistoryEventsFragment["events"]): Promise<ProvenanceEntry[]> {
  const all = await fetchAll(client, HistoryPageDocument, { where }, (page) => page.events, first);
  return all.map(eventOf).sort(compareEntries);
}

/**
 * The provenance log of a dataset, dataset version, licence, model, model version, attestation, deployment, decision
 * batch, agent, or of an account (what it did), in chain order. One GraphQL round trip per 1 000 events.
 *
 * @example
 * const { events } = await history(client, { type: "model-version", id: 3n });
 * events.map((e) => `${e.blockNumber} ${e.action} by ${e.actor}: ${e.description}`);
 * // ["26 ModelVersionPublished by 0x99…: model 1 version 2 (0x86…)", …, "33 RolledBack by 0x99…: production rolled back …"]
 * await history(client, { type: "account", id: "0x976ea74026e726554db657fa54763abd0c3a0aa9" });
 * @throws NotInSubgraphError for an unknown subject; InvalidInputError for an unknown type or malformed id.
 */
export async function history(client: AuditClient, subject: HistorySubject): Promise<HistoryResult> {
  const kind = specOf(subject);
  const id = idOf(subject, kind.id);
  const where = kind.filter([id]);
  const data = await client.request(kind.lookup, { id, where });
  if (!data.subject) throw notFound(client, kind.label, id);
  const asOf = asOfOf(client, data._meta);
  return { asOf, subject: { type: subject.type, id }, events: await allEvents(pinned(client, asOf), where, data.events) };
}

/**
 * The log of several subjects merged, without repeats, in chain order — e.g. everything about a model version and the
 * data, licences and attestations behind it. The subjects are not looked up: give ids taken from other answers.
 * Read it through a pinned client (`client.at(block)`) to match those answers.
 *
 * @example
 * const events = await combinedHistory(client.at(120), [{ type: "model-version", id: 3n }, { type: "dataset", id: 1n }]);
 */
export async function combinedHistory(client: AuditClient, subjects: readonly HistorySubject[]): Promise<ProvenanceEntry[]> {
  const ids = new Map<HistorySubjectType, string[]>();
  for (const subject of subjects) ids.set(subject.type, [...(ids.get(subject.type) ?? []), idOf(subject, specOf(subject).id)]);
  if (ids.size === 0) return [];
  const where: ProvenanceEvent_Filter = { or: [...ids.entries()].map(([type, list]) => SUBJECTS[type].filter([...new Set(list)])) };
  return uniqueEntries(await allEvents(client, where));
}
