/**
 * A dataset: its versions (with derivation parents), withdrawal, the history of its terms and the licences granted,
 * the model versions trained on it (directly, through fine-tunes or derived data), what it earned by channel, and
 * its provenance timeline.
 */
import type { AuditClient } from "../../../audit/client.ts";
import { datasetOverview } from "../../../audit/dataset.ts";
import { datasetRoyalties } from "../../../audit/datasetRoyalties.ts";
import { history } from "../../../audit/history.ts";
import { wasDataUsed } from "../../../audit/wasDataUsed.ts";
import { Timeline } from "../components/Timeline.tsx";
import { ZERO_ADDRESS } from "../../../audit/types.ts";
import { amount, short, when } from "../format.ts";
import { useLoad, type Link } from "../load.ts";

async function loadDataset(client: AuditClient, id: string) {
  const [overview, used, earned, timeline] = await Promise.all([
    datasetOverview(client, id),
    wasDataUsed(client, { datasetId: id }),
    datasetRoyalties(client, id),
    history(client, { type: "dataset", id }),
  ]);
  return { overview, used, earned, timeline };
}

export function DatasetPage({ client, id, link }: { client: AuditClient; id: string; link: Link }) {
  const state = useLoad(() => loadDataset(client, id), [client, id]);
  if (state.error) return <p role="alert">{state.error}</p>;
  if (!state.data) return <p aria-busy="true">Loading dataset {id}…</p>;
  const { overview, used, earned, timeline } = state.data;
  const dataset = overview.dataset;
  return (
    <article>
      <h1>Dataset {id}</h1>
      {(
        <p class="badges">
          <span>owner <a href={link("account", dataset.owner)} title={dataset.owner}>{short(dataset.owner)}</a></span>
          <span class={dataset.withdrawn ? "warn" : "ok"}>{dataset.withdrawn ? `withdrawn: ${dataset.withdrawalReason ?? ""}` : "available"}</span>
          {dataset.consentRevocation ? <span class="warn">consent revoked</span> : null}
          <span>{dataset.currentTerms ? `terms ${dataset.currentTerms.id}` : "no terms"}</span>
        </p>
      )}
      <section>
        <h2>Versions</h2>
        <table>
          <thead><tr><th>Version</th><th>Fingerprint</th><th>Derived from</th><th>Published</th></tr></thead>
          <tbody>
            {overview.versions.map((v) => (
              <tr data-version={v.id}>
                <td>v{v.number} (id {v.id})</td><td><code title={v.fingerprint}>{short(v.fingerprint)}</code></td>
                <td>{v.parentIds.map((p) => `dataset version ${p}`).join(", ") || "—"}</td><td>{when(v.published)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Terms history</h2>
        <table>
          <thead><tr><th>Terms</th><th>Price</th><th>Per unit</th><th>Use</th><th>Derivatives</th><th>Set</th></tr></thead>
          <tbody>
            {overview.termsHistory.map((t) => (
              <tr data-terms={t.id}>
                <td>{t.id}{t.id === dataset.currentTerms?.id ? " (current)" : ""}</td><td>{amount(t.price, t.currency)}</td>
                <td>{t.unitPrice === "0" ? "—" : `${amount(t.unitPrice, t.currency)} per ${t.unit}`}</td>
                <td>{t.commercialUse ? "commercial" : "non-commercial"}</td>
                <td>{t.derivativesAllowed ? `allowed${t.derivativeRoyaltyBps ? `, ${t.derivativeRoyaltyBps / 100} % royalty` : ""}` : "not allowed"}</td>
                <td>{when(t.set)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Licences</h2>
        <table>
          <thead><tr><th>Licence</th><th>Licensee</th><th>Paid</th><th>Terms</th><th>Expires</th><th>Acquired</th></tr></thead>
          <tbody>
            {overview.licences.map((l) => (
              <tr data-licence={l.id}>
                <td>{l.id}{l.refund ? " (refunded)" : ""}</td>
                <td><a href={link("account", l.licensee)} title={l.licensee}>{short(l.licensee)}</a></td>
                <td>{amount(l.amount, l.currency)}</td><td>{l.terms.id}</td>
                <td>{l.expiresAt === null ? "never" : new Date(l.expiresAt * 1000).toISOString().slice(0, 10)}</td><td>{when(l.acquired)}</td>
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
              <tr><td>{a.currency === ZERO_ADDRESS ? "ETH" : short(a.currency)}</td><td>{amount(a.sale, a.currency)}</td><td>{amount(a.use, a.currency)}</td><td>{amount(a.derivation, a.currency)}</td><td>{amount(a.contribution, a.currency)}</td><td>{amount(a.total, a.currency)}</td></tr>
            ))}
          </tbody>
        </table>
        <ul>{earned.byRecipient.map((r) => <li><a href={link("account", r.recipient)}>{short(r.recipient)}</a>: {amount(r.total, r.currency)}</li>)}</ul>
      </section>
      <section>
        <h2>Timeline</h2>
        <Timeline entries={timeline.events} link={link} />
      </section>
    </article>
  );
}
