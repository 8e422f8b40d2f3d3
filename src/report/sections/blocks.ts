/**
 * The document model the section builders produce and the Markdown and HTML renderers render — inlines, blocks,
 * sections — with the small constructors every builder shares.
 *
 * Every string in the model is plain text, untrusted or not: renderers escape all of it. Structure (bold, code, badges,
 * transaction references, in-document links) is expressed by the model's types, never by markup in strings.
 */
import { formatTime, isZeroHash } from "../format.ts";
import type { SectionSpec } from "../limitations.ts";
import type { TxRef, UnixTime, VersionDossier } from "../types.ts";

export type Tone = "ok" | "bad" | "warn" | "muted";

export type Inline =
  | string
  | { code: string }
  | { strong: Inline[] }
  | { badge: string; tone: Tone }
  | { tx: TxRef | null }
  /** A link to a section of this document. */
  | { ref: string; text: string };

export type Cell = Inline[];

export type Block =
  | { kind: "paragraph"; content: Inline[] }
  | { kind: "heading"; content: Inline[] }
  | { kind: "fields"; rows: [string, Cell][] }
  | { kind: "table"; header: string[]; rows: Cell[][]; empty: string }
  | { kind: "list"; items: Cell[]; empty?: string }
  | { kind: "note"; tone: Tone; content: Inline[] }
  /** The lineage drawing (HTML: SVG diagram; Markdown: text outline). */
  | { kind: "lineage" };

export interface Section {
  spec: SectionSpec;
  blocks: Block[];
}

/** Builds one section of the document from the dossier. */
export type SectionBuilder = (d: VersionDossier) => Section;

export const code = (text: string): Inline => ({ code: text });
export const strong = (...content: Inline[]): Inline => ({ strong: content });
export const badge = (text: string, tone: Tone): Inline => ({ badge: text, tone });
export const tx = (ref: TxRef | null | undefined): Inline => ({ tx: ref ?? null });
/** A hash as code, or "not provided" when it is all zeros. */
export const hash = (h: string): Inline => (isZeroHash(h) ? "— (not provided)" : code(h));
/** The transaction of an event, or its time when the transaction is not known. */
export const txOrTime = (event: { at: UnixTime; tx: TxRef | null }): Inline => (event.tx ? tx(event.tx) : formatTime(event.at));
export const yes = (b: boolean): Inline => (b ? "yes" : "no");
/** Inlines joined by `separator`. */
export const join = (items: Inline[][], separator: string): Inline[] => items.flatMap((item, i) => (i === 0 ? item : [separator, ...item]));

export const table = (header: string[], rows: Cell[][], empty = "None recorded."): Block => ({ kind: "table", header, rows, empty });
/** A two-column table of labelled values; a value is one inline or a cell of several. */
export const fields = (rows: [string, Cell | Inline][]): Block => ({
  kind: "fields",
  rows: rows.map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
});
export const paragraph = (...content: Inline[]): Block => ({ kind: "paragraph", content });
export const heading = (...content: Inline[]): Block => ({ kind: "heading", content });
export const note = (tone: Tone, ...content: Inline[]): Block => ({ kind: "note", tone, content });
export const list = (items: Cell[], empty?: string): Block => (empty === undefined ? { kind: "list", items } : { kind: "list", items, empty });
