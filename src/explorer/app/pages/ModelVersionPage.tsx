/**
 * A model version: its lineage graph (data, licences, training runs, the fine-tune chain, the system versions that
 * run it), the release gate and the attestations it rests on, deployments and rollbacks in chain order, the decision
 * batches it produced, what changed since the release it replaced, and its provenance timeline.
 */
import { useMemo } from "preact/hooks";
import type { AuditClient } from "../../../audit/client.ts";
import { changesSince, type ChangesSinceResult } from "../../../audit/changesSince.ts";
import { whatTrainedThis, type WhatTrainedThisResult } from "../../../audit/whatTrainedThis.ts";
import { whoActedOn, type WhoActedOnResult } from "../../../audit/whoActedOn.ts";
import { lineageDrawing, nodeId } from "../../graph/lineage-drawing.ts";
import type { GraphNode } from "../../graph/layout.ts";
import { LineageView } from "../components/LineageView.tsx";
import { Timeline } from "../components/Timeline.tsx";
import { ExportDossier } from "../components/ExportDossier.tsx";
import { useLoad, type Link } from "../load.ts";
import { short, when } from "../format.ts";
import type { TxStamp } from "../../../audit/types.ts";

interface ModelVersionData {
  trained: WhatTrainedThisResult;
  acted: WhoActedOnResult;
  changes: ChangesSinceResult | null;
}

async function loadModelVersion(client: AuditClient, id: string): Promise<ModelVersionData> {
  const [trained, acted] = await Promise.all([whatTrainedThis(client, id), whoActedOn(client, id)]);
  const released = acted.deployments.length > 0;
  const environment = acted.deployments[acted.deployments.length - 1]?.environment;
  const changes = released ? await changesSince(client, id, { environment }) : null;
  return { trained, acted, changes };
}

/** The page's graph: the lineage, and the system versions that run this version. */
function drawing(data: ModelVersionData) {
  const { nodes, edges } = lineageDrawing(data.trained);
  for (const system of data.acted.systems) {
    const id = `sv:${system.id}`;
    nodes.push({ id, kind: "system-version", label: `System version ${system.id}`, detail: system.approved ? "approved" : "not approved" });
    edges.push({ from: nodeId.modelVersion(data.acted.version.id), to: id });
  }
  return { nodes, edges };
}

function hrefOf(link: Link) {
  return (node: GraphNode): string | null => {
    const [kind, id] = node.id.split(":") as [string, string];
    if (kind === "mv") return link("model-version", id);
    if (kind === "dv") return link("dataset", node.label.split(" ")[1]!);
    return null;
  };
}

export function ModelVersionPage({ client, id, link, block }: { client: AuditClient; id: string; link: Link; block: number | null }) {
  const state = useLoad(() => loadModelVersion(client, id), [client, id]);
  const graph = useMemo(() => (state.data ? drawing(state.data) : null), [state.data]);
  if (state.error) return <p role="alert">{state.error}</p>;
  if (!state.data || !graph) return <p aria-busy="true">Loading model version {id}…</p>;
  const { trained, acted, changes } = state.data;
  const v = acted.version;
  return (
    <article>
      <h1>
        Model {v.modelId} · version {v.number} <small>(model version {v.id})</small>
      </h1>
      <p class="badges">
        <span class={v.approved && !v.approvalRevoked ? "ok" : "warn"}>{v.approvalRevoked ? "approval revoked" : v.approved ? "approved" : "not approved"}</span>
        <span class={v.dataDeclared ? "ok" : "warn"}>{v.dataDeclared ? "training data declared" : "training data not declared"}</span>
        <span>{v.commercialData ? "commercially licensed data" : "non-commercial data in lineage"}</span>
        <span>as of block {trained.asOf.blockNumber}</span>
      </p>
      <section>
        <h2>Audit dossier</h2>
        <ExportDossier url={client.url} versionId={v.id} block={block} />
      </section>
      <section>
        <h2>Lineage</h2>
        <LineageView nodes={graph.nodes} edges={graph.edges} focus={nodeId.modelVersion(v.id)} hrefOf={hrefOf(link)} />
      </section>
      <section>
        <h2>Release gate</h2>
        <p>Required attestations: {acted.model.requiredKinds.map((k) => k.name).join(", ") || "none"}.</p>
        {acted.approval ? <p>Approved by <a href={link("account", acted.approval.approvedBy)}>{short(acted.approval.approvedBy)}</a>, {when(acted.approval)}.</p> : <p>Not approved.</p>}
        <table>
          <caption>Attestations on the version, its training run and its deployments</caption>
          <thead><tr><th>Id</th><th>Kind</th><th>Attester</th><th>Status</th><th>When</th></tr></thead>
          <tbody>
            {acted.attestations.map((a) => (
              <tr data-attestation={a.id}>
                <td>{a.id}</td><td>{a.kindName}</td>
                <td><a href={link("account", a.attester)} title={a.attester}>{short(a.attester)}</a></td>
                <td>{a.revocation ? "revoked" : a.expired ? "expired" : "valid"}</td><td>{when(a.attested)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Deployments and rollbacks</h2>
        <ol class="events">
          {[...acted.deployments.map((d) => ({ at: d.deployed, text: `Deployed to ${d.environment} (${d.regions.join(", ") || "no region"})${d.active ? " — live" : ""}`, key: `d${d.id}` })),
            ...acted.rollbacks.map((r) => ({ at: r as TxStamp, text: `Rollback in ${r.environment}: ${r.reason}`, key: `r${r.id}` }))]
            .sort((a, b) => a.at.blockNumber - b.at.blockNumber)
            .map((e) => <li data-event={e.key}>{when(e.at)} — {e.text}</li>)}
        </ol>
        {acted.deployments.length === 0 ? <p>Never deployed.</p> : null}
      </section>
      <section>
        <h2>Decision batches</h2>
        {acted.decisionBatches.length === 0 ? <p>None anchored.</p> : (
          <ul>{acted.decisionBatches.map((b) => <li data-batch={b.root}>{b.count} decisions, root <code title={b.root}>{short(b.root)}</code>, {when(b)}</li>)}</ul>
        )}
      </section>
      <section>
        <h2>What changed since the previous release</h2>
        <Changes changes={changes} link={link} />
      </section>
      <section>
        <h2>Timeline</h2>
        <Timeline entries={acted.timeline} link={link} />
      </section>
    </article>
  );
}

function Changes({ changes, link }: { changes: ChangesSinceResult | null; link: Link }) {
  if (!changes) return <p>Not released yet.</p>;
  if (!changes.previous) return <p>First release in {changes.environment}.</p>;
  const data = changes.trainingData;
  return (
    <ul class="changes">
      <li>Compared with <a href={link("model-version", changes.previous.id)}>model version {changes.previous.id}</a>, live before it in {changes.environment}.</li>
      <li>Changed: {changes.changed.join(", ") || "no hash"}.</li>
      <li>Training data added: {data.added.map((d) => `dataset ${d.datasetId} v${d.number}`).join(", ") || "none"}; removed: {data.removed.map((d) => `dataset ${d.datasetId} v${d.number}`).join(", ") || "none"}.</li>
      <li>Licences added: {changes.licences.added.join(", ") || "none"}; removed: {changes.licences.removed.join(", ") || "none"}.</li>
    </ul>
  );
}
