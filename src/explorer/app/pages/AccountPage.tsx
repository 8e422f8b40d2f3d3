/**
 * An account: its roles; what it created, attested, approved, deployed and paid for (its provenance entries as the
 * actor, grouped, each linked to its subject); the royalties it earned; and everything it did in chain order.
 */
import type { AuditClient } from "../../../audit/client.ts";
import type { ProvenanceAction, ProvenanceEntry } from "../../../audit/types.ts";
import { history } from "../../../audit/history.ts";
import { rolesOf } from "../../../audit/roles.ts";
import { royalties } from "../../../audit/royalties.ts";
import { Timeline } from "../components/Timeline.tsx";
import { amount, short } from "../format.ts";
import { useLoad, type Link } from "../load.ts";

/** What an account did, by kind of action. */
const GROUPS: ReadonlyArray<[string, readonly ProvenanceAction[]]> = [
  ["Created", ["DatasetRegistered", "DatasetVersionPublished", "TermsSet", "ModelRegistered", "ModelVersionPublished", "SystemVersionPublished", "AgentRegistered"]],
  ["Attested", ["Attested", "AttestationRevoked"]],
  ["Approved", ["VersionApproved", "SystemVersionApproved"]],
  ["Deployed", ["Deployed", "RolledBack", "DecisionsAnchored"]],
  ["Paid for", ["LicenceAcquired", "UsageReported"]],
];

/** A link to the page of an entry's subject, if it has one. */
function subjectLink(entry: ProvenanceEntry, link: Link) {
  const { modelVersion, dataset } = entry.subjects;
  const href = modelVersion ? link("model-version", modelVersion) : dataset ? link("dataset", dataset) : null;
  return href ? <a href={href}>{entry.description}</a> : <span>{entry.description}</span>;
}

function Activity({ events, link }: { events: readonly ProvenanceEntry[]; link: Link }) {
  return (
    <dl class="activity">
      {GROUPS.map(([name, actions]) => {
        const done = events.filter((e) => actions.includes(e.action));
        return (
          <>
            <dt data-group={name}>{name} ({done.length})</dt>
            <dd>{done.length === 0 ? "nothing" : <ul>{done.map((e) => <li>{subjectLink(e, link)}</li>)}</ul>}</dd>
          </>
        );
      })}
    </dl>
  );
}

async function loadAccount(client: AuditClient, address: string) {
  const [roles, earned, acted] = await Promise.all([
    rolesOf(client, [address]),
    royalties(client, { account: address }),
    history(client, { type: "account", id: address }),
  ]);
  return { roles: roles.get(address) ?? [], earned: earned.creators[0] ?? null, acted };
}

export function AccountPage({ client, id, link }: { client: AuditClient; id: string; link: Link }) {
  const address = id.toLowerCase();
  const state = useLoad(() => loadAccount(client, address), [client, address]);
  if (state.error) return <p role="alert">{state.error}</p>;
  if (!state.data) return <p aria-busy="true">Loading account {short(address)}…</p>;
  const { roles, earned, acted } = state.data;
  return (
    <article>
      <h1>Account <code>{address}</code></h1>
      <p class="badges">{roles.length ? roles.map((r) => <span>{r}</span>) : <span>no role</span>}</p>
      <section>
        <h2>What it did</h2>
        <Activity events={acted.events} link={link} />
      </section>
      <section>
        <h2>Royalties</h2>
        {earned ? (
          <ul>{earned.balances.map((b) => <li data-currency={b.currency}>credited {amount(b.credited, b.currency)}, withdrawn {amount(b.withdrawn, b.currency)}, balance {amount(b.balance, b.currency)}</li>)}</ul>
        ) : <p>None.</p>}
      </section>
      <section>
        <h2>Timeline</h2>
        <Timeline entries={acted.events} link={link} />
      </section>
    </article>
  );
}
