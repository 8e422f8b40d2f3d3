/**
 * 12. Agents acting on this model: the agents bound (now or before) to a system version running this model version,
 * each binding with its policy and from/to, and the batches of action records anchored under them.
 */
import { formatTime } from "../format.ts";
import { SECTIONS } from "../limitations.ts";
import type { AgentRecord, VersionDossier } from "../types.ts";
import { badge, code, heading, table, tx, type Block, type Cell, type Section } from "./blocks.ts";

export function agentsSection(d: VersionDossier): Section {
  return {
    spec: SECTIONS.agents,
    blocks: [
      table(
        ["Agent", "Owner", "Agent card", "Bound now", "Actions anchored"],
        d.agents.map((a) => [
          [a.agentId],
          [code(a.owner)],
          [a.agentURI ? code(a.agentURI) : "— (none)"],
          [a.boundNow ? badge("bound", "ok") : badge("no longer bound", "muted")],
          [a.actionCount],
        ]),
        "No agent was bound to a system version running this model version.",
      ),
      ...detailBlocks(d.agents),
    ],
  };
}

/** Each agent's bindings and batches, when there are agents. */
function detailBlocks(agents: AgentRecord[]): Block[] {
  if (agents.length === 0) return [];
  const bindings = agents.flatMap((a) =>
    a.bindings.map((b): Cell[] => [
      [b.id],
      [a.agentId],
      [`system version ${b.systemId}`],
      [code(b.policyHash), b.systemPolicy ? " (the system version's own)" : ""],
      [code(b.by)],
      [tx(b.tx)],
      b.replaced ? [tx(b.replaced.tx), ` (by binding ${b.replaced.bindingId})`] : [badge("in force", "ok")],
    ]),
  );
  const batches = agents.flatMap((a) =>
    a.actionBatches.map((b): Cell[] => [
      [code(b.root)],
      [a.agentId],
      [b.count],
      [`${formatTime(b.windowStart)} – ${formatTime(b.windowEnd)}`],
      [`binding ${b.bindingId} (system version ${b.systemId})`],
      [code(b.uri)],
      [code(b.signer), ...(b.relayedBy ? [" relayed by ", code(b.relayedBy)] : [])],
      [tx(b.tx)],
    ]),
  );
  return [
    heading("Bindings (system version and policy, from – to)"),
    table(["Binding", "Agent", "System version", "Policy", "Bound by", "From", "To"], bindings),
    heading("Action batches (under the binding in force)"),
    table(["Merkle root", "Agent", "Actions", "Window", "Binding", "Records URI", "Signed by", "Anchored"], batches, "No action batches anchored."),
  ];
}
