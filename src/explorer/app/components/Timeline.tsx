/** A provenance timeline: who did what, when, in chain order. */
import type { ProvenanceEntry } from "../../../audit/types.ts";
import { short, when } from "../format.ts";
import type { Link } from "../load.ts";

export function Timeline({ entries, link }: { entries: readonly ProvenanceEntry[]; link: Link }) {
  if (entries.length === 0) return <p>Nothing recorded.</p>;
  return (
    <ol class="timeline">
      {entries.map((e) => (
        <li data-entry={e.id}>
          <span class="when">{when(e)}</span> <strong>{e.action}</strong> by{" "}
          <a href={link("account", e.actor)} title={e.actor}>{short(e.actor)}</a> — {e.description}
        </li>
      ))}
    </ol>
  );
}
