/**
 * A dataset: its versions (with derivation parents), current terms and withdrawal, the model versions trained on it
 * (directly, through fine-tunes or derived data), what it earned by channel, and its provenance timeline.
 */
import type { AuditClient } from "../../../audit/client.ts";
import { datasetRoyalties } from "../../../audit/datasetRoyalties.ts";
import { history } from "../../../audit/history.ts";
import { wasDataUsed } from "../../../audit/wasDataUsed.ts";
import { Timeline } from "../components/Timeline.tsx";
import { short, when } from "../format.ts";
import { useLoad, type Link } from "../load.ts";

async function loadDataset(client: AuditClient, id: string) {
  const [used, earned, timeline] = await Promise.all([
    wasDataUsed(client, { datasetId: id }),
    datasetRoyalties(client, id),
    history(client, { type: "dataset", id }),
  ]);
  return { used, earned, timeline };
}

export function DatasetPage({ client, id, link }: { client: AuditClient; id: string; link: Link }) {
  const state = useLoad(() => loadDataset(client, id), [client, id]);
  if (state.error) return <p role="alert">{state.error}</p>;
  if (!state.data) return <p aria-busy="true">Loading dataset {id}…</p>;
  const { used, earned, timeline } = state.data;
  const own = used.datasetVersions.filter((v) => v.datasetVersion.datasetId === id);
  const dataset = own[0]?.dataset;
  return (
    <article>
      <h1>Dataset {id}</h1>
      {dataset ? (
        <p class="badges">
          <span>owner <a href={link("account", dataset.owner)} title={dataset.owner}>{short(dataset.owner)}</a></span>
          <span class={dataset.withdrawn ? "warn" : "ok"}>{dataset.withdrawn ? `withdrawn: ${dataset.withdrawalReason ?? ""}` : "available"}</span>
          {dataset.consentRevocation ? <span class="warn">consent revoked</span> : null}
          <span>{dataset.currentTerms ? `terms ${dataset.currentTerms.id}` : "no terms"}</span>
        </p>
      ) : null}
      <section>
        <h2>Versions</h2>
        <table>
          <thead><tr><th>Version</th><th>Fingerprint</th><th>Derived from</th><th>Published</th></tr></thead>
          <tbody>
            {own.map(({ datasetVersion: v }) => (
              <tr data-version={v.id}>
                <td>v{v.number} (id {v.id})</td><td><code title={v.fingerprint}>{short(v.fingerprint)}</code></td>
                <td>{v.parentIds.map((p) => `dataset version ${p}`).join(", ") || "—"}</td><td>{when(v.published)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Models trained on it</h2>
        {used.modelVersions.length === 0 ? <p>None.</p> : (
          <ul>
            {used.modelVersions.map((m) => (
              <li data-model-version={m.version.id}>
                <a href={link("model-version", m.version.id)}>Model {m.version.modelId} · version {m.version.number}</a>{" "}
                — {m.paths[0]?.description ?? ""}{m.live ? `; live in ${m.liveIn.map((l) => l.environment).join(", ")}` : ""}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h2>Royalties</h2>
        <table>
          <thead><tr><th>Currency</th><th>Sales</th><th>Use</th><th>Derivation</th><th>Contribution</th><th>Total</th></tr></thead>
          <tbody>
            {earned.earned.map((a) => (
              <tr><td><code title={a.currency}>{short(a.currency)}</code></td><td>{a.sale}</td><td>{a.use}</td><td>{a.derivation}</td><td>{a.contribution}</td><td>{a.total}</td></tr>
            ))}
          </tbody>
        </table>
        <ul>{earned.byRecipient.map((r) => <li><a href={link("account", r.recipient)}>{short(r.recipient)}</a>: {r.total} ({short(r.currency)})</li>)}</ul>
      </section>
      <section>
        <h2>Timeline</h2>
        <Timeline entries={timeline.events} link={link} />
      </section>
    </article>
  );
}
