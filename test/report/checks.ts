/** Checks shared by the report tests: transaction references against the chain, markup, Markdown tables, PROV. */
import { expect } from "vitest";
import type { Provider } from "ethers";
import type { ProvDocument, TxRef, VersionDossier } from "../../src/report/index.ts";

/** Every TxRef in a dossier (any object with txHash, block, timestamp, time). */
export function txRefs(value: unknown, out: TxRef[] = []): TxRef[] {
  if (Array.isArray(value)) for (const item of value) txRefs(item, out);
  else if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.txHash === "string" && typeof record.block === "string" && typeof record.timestamp === "string") out.push(record as unknown as TxRef);
    else for (const v of Object.values(record)) txRefs(v, out);
  }
  return out;
}

/** Every transaction reference matches the chain: the receipt exists, in that block, at that block's time. */
export async function expectTxRefsMatchChain(d: VersionDossier, provider: Provider) {
  const refs = txRefs(d);
  expect(refs.length).toBeGreaterThan(10);
  const byHash = new Map(refs.map((r) => [r.txHash, r]));
  for (const ref of refs) expect(byHash.get(ref.txHash)!.block, `one block per tx ${ref.txHash}`).toBe(ref.block);
  for (const ref of byHash.values()) {
    expect(ref.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const receipt = await provider.getTransactionReceipt(ref.txHash);
    expect(receipt, `receipt of ${ref.txHash}`).not.toBeNull();
    expect(receipt!.blockNumber).toBe(Number(ref.block));
    const block = await provider.getBlock(receipt!.blockNumber);
    expect(String(block!.timestamp)).toBe(ref.timestamp);
    expect(ref.time).toBe(new Date(block!.timestamp * 1000).toISOString().replace(".000Z", "Z"));
  }
}

/** A minimal well-formedness check: balanced tags, quoted attributes, no stray angle brackets in text. */
export function expectWellFormed(markup: string) {
  const voids = new Set(["meta", "link", "br", "hr", "img", "input", "col", "area", "base", "embed", "source", "track", "wbr"]);
  const tag = /<!DOCTYPE html>|<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>/g;
  const stack: string[] = [];
  let text = "";
  let last = 0;
  for (let m = tag.exec(markup); m; m = tag.exec(markup)) {
    text += markup.slice(last, m.index);
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (!name) continue;
    const lower = name.toLowerCase();
    if (closing) {
      expect(stack.pop(), `closing </${name}>`).toBe(lower);
    } else if (!selfClosing && !voids.has(lower)) {
      stack.push(lower);
    }
  }
  text += markup.slice(last);
  expect(stack, "unclosed elements").toEqual([]);
  // Every '<' and '>' belongs to a well-formed tag: data is escaped.
  expect(text.includes("<"), `stray '<' near ${text.slice(Math.max(0, text.indexOf("<") - 60), text.indexOf("<") + 60)}`).toBe(false);
  expect(text.includes(">"), `stray '>' near ${text.slice(Math.max(0, text.indexOf(">") - 60), text.indexOf(">") + 60)}`).toBe(false);
}

/** src/href/xlink:href values and url(...) references in the markup. */
export function references(markup: string): string[] {
  const attributes = [...markup.matchAll(/\s(?:src|href|xlink:href|action|formaction|poster|data)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]!);
  const urls = [...markup.matchAll(/url\(\s*['"]?([^)'"]*)/gi)].map((m) => m[1]!);
  return [...attributes, ...urls];
}

/** Markdown without code spans and fenced blocks (whose content is literal). */
export function mdOutsideCode(md: string): string {
  return md.replace(/^~~~~[\s\S]*?^~~~~$/gm, "").replace(/(`+)[\s\S]*?\1/g, "");
}

/** Every row of a Markdown table has as many cells as its header. */
export function expectTablesIntact(md: string) {
  const cells = (line: string) => line.replace(/\\\|/g, "").split("|").length;
  let header: number | null = null;
  for (const line of md.split("\n")) {
    if (line.startsWith("| ")) {
      if (header === null) header = cells(line);
      else expect(cells(line), line).toBe(header);
    } else header = null;
  }
}

/** Every identifier a relation names is declared as an entity, activity or agent. */
export function expectReferentialIntegrity(prov: ProvDocument) {
  const declared = new Set([...Object.keys(prov.entity), ...Object.keys(prov.activity), ...Object.keys(prov.agent)]);
  const roles = ["prov:entity", "prov:activity", "prov:agent", "prov:generatedEntity", "prov:usedEntity", "prov:delegate", "prov:responsible", "prov:specificEntity", "prov:generalEntity", "prov:alternate1", "prov:alternate2"];
  for (const kind of ["wasGeneratedBy", "used", "wasDerivedFrom", "wasAttributedTo", "wasAssociatedWith", "actedOnBehalfOf", "wasInvalidatedBy", "specializationOf", "alternateOf"] as const) {
    for (const [relId, relation] of Object.entries(prov[kind] ?? {})) {
      expect(relId).toMatch(/^_:[A-Za-z]+\d+$/);
      for (const role of roles) {
        const ref = (relation as Record<string, unknown>)[role];
        if (typeof ref === "string") expect(declared.has(ref), `${kind} ${relId} ${role} ${ref}`).toBe(true);
      }
    }
  }
  for (const id of declared) expect(id).toMatch(/^pedigree:[A-Za-z]+\/[0-9A-Za-z/x-]+$/);
}
