/**
 * The page served on GET `/subgraphs/name/<name>/graphql`.
 *
 * graph-node serves GraphiQL there, but loads it from a CDN (jsdelivr); graphql-yoga's GraphiQL also loads its
 * assets from unpkg at runtime. Neither works offline and no bundled GraphiQL is installed, so this is a small
 * self-contained query console (no external assets) that posts to the same endpoint and says why it is not GraphiQL.
 */

/** HTML of the offline query console for a subgraph. */
export function graphiqlHtml(subgraphName: string): string {
  const title = `${subgraphName} — GraphQL`;
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>${escape(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; display: flex; flex-direction: column; height: 100vh; }
  header { padding: 8px 12px; background: #1f2430; color: #eee; font-size: 14px; }
  header small { color: #aab; display: block; margin-top: 2px; }
  main { flex: 1; display: flex; min-height: 0; }
  section { flex: 1; display: flex; flex-direction: column; min-width: 0; padding: 8px; }
  textarea, pre { flex: 1; font: 13px/1.4 ui-monospace, monospace; border: 1px solid #ccc; padding: 6px; margin: 4px 0; overflow: auto; }
  #variables { flex: 0 0 25%; }
  button { align-self: flex-start; padding: 4px 14px; }
</style>
</head>
<body>
<header>${escape(title)}
  <small>Offline query console. GraphiQL is not bundled with this runtime (graph-node and graphql-yoga load it from a
  CDN), so this page posts queries to the endpoint directly. Ctrl+Enter runs the query.</small>
</header>
<main>
  <section>
    <label for="query">Query</label>
    <textarea id="query" spellcheck="false">{
  _meta {
    block { number hash timestamp }
    deployment
    hasIndexingErrors
  }
}</textarea>
    <label for="variables">Variables (JSON)</label>
    <textarea id="variables" spellcheck="false">{}</textarea>
    <button id="run">Run</button>
  </section>
  <section>
    <label for="result">Result</label>
    <pre id="result"></pre>
  </section>
</main>
<script>
  const endpoint = window.location.pathname.replace(/\\/graphql\\/?$/, "");
  async function run() {
    const out = document.getElementById("result");
    let variables;
    try {
      const text = document.getElementById("variables").value.trim();
      variables = text ? JSON.parse(text) : null;
    } catch (error) {
      out.textContent = "Variables are not valid JSON: " + error.message;
      return;
    }
    out.textContent = "…";
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ query: document.getElementById("query").value, variables }),
      });
      out.textContent = JSON.stringify(await response.json(), null, 2);
    } catch (error) {
      out.textContent = String(error);
    }
  }
  document.getElementById("run").addEventListener("click", run);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
  });
</script>
</body>
</html>
`;
}
