/** An account: its roles, what it did (its provenance entries as the actor), and the royalties it earned. */
import type { AuditClient } from "../../../audit/client.ts";
import { history } from "../../../audit/history.ts";
import { rolesOf } from "../../../audit/roles.ts";
import { royalties } from "../../../audit/royalties.ts";
import { Timeline } from "../components/Timeline.tsx";
import { amount, short } from "../format.ts";
import { useLoad, type Link } from "../load.ts";

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
        <h2>Royalties</h2>
        {earned ? (
          <ul>{earned.balances.map((b) => <li data-currency={b.currency}>credited {amount(b.credited, b.currency)}, withdrawn {amount(b.withdrawn, b.currency)}, balance {amount(b.balance, b.currency)}</li>)}</ul>
        ) : <p>None.</p>}
      </section>
      <section>
        <h2>What it did</h2>
        <Timeline entries={acted.events} link={link} />
      </section>
    </article>
  );
}
