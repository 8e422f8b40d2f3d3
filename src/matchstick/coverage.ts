/**
 * `pedigree test --coverage` (matchstick's `-c`): which event and call handlers of each data source and template some
 * test file calls. Like matchstick, it reads the compiled test modules rather than running them; unlike its regular
 * expression over `wasm2wat` text (`call.+handleTransfer`, which counts a `handleTransfer` of another data source), a
 * handler counts only when a module calls that mapping file's function: the `call` instructions of the code section
 * are matched against the function names of the `name` section (test modules are built with `--debug`).
 */
import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";
import { readName, readU32, sections, skipLeb } from "../indexer/runtime/wasm-binary.ts";
import { instructionEnd } from "../indexer/runtime/wasm-instructions.ts";
import type { TestFile } from "./compile.ts";
import type { HandlerRef, SubgraphSource } from "./config.ts";
import type { Output } from "./output.ts";

const CALL = 0x10;
const RETURN_CALL = 0x12;

/** Function names by index, from the `name` section's function-name subsection. */
function functionNames(bytes: Uint8Array): Map<number, string> {
  const names = new Map<number, string>();
  for (const section of sections(bytes)) {
    if (section.id !== 0) continue;
    const [title, start] = readName(section.body, 0);
    if (title !== "name") continue;
    let pos = start;
    while (pos < section.body.length) {
      const id = section.body[pos]!;
      const [size, content] = readU32(section.body, pos + 1);
      if (id === 1) {
        let [count, p] = readU32(section.body, content);
        for (; count > 0; count--) {
          const [index, afterIndex] = readU32(section.body, p);
          const [text, next] = readName(section.body, afterIndex);
          names.set(index, text);
          p = next;
        }
      }
      pos = content + size;
    }
  }
  return names;
}

/** Indices of the functions some function of the module calls directly. */
function calledFunctions(bytes: Uint8Array): Set<number> {
  const called = new Set<number>();
  const code = sections(bytes).find((s) => s.id === 10);
  if (!code) return called;
  const body = code.body;
  let [count, pos] = readU32(body, 0);
  for (; count > 0; count--) {
    const [size, start] = readU32(body, pos);
    const end = start + size;
    let [groups, p] = readU32(body, start);
    for (; groups > 0; groups--) p = skipLeb(body, p) + 1;
    while (p < end) {
      const op = body[p]!;
      if (op === CALL || op === RETURN_CALL) called.add(readU32(body, p + 1)[0]);
      p = instructionEnd(body, p);
    }
    pos = end;
  }
  return called;
}

/** The names of the functions the test modules call. */
function calledNames(files: readonly TestFile[]): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    const bytes = readFileSync(file.wasm);
    const names = functionNames(bytes);
    for (const index of calledFunctions(bytes)) {
      const name = names.get(index);
      if (name !== undefined) found.add(name);
    }
  }
  return found;
}

/** AssemblyScript's internal name of a handler: the mapping file's path from the compiler's directory, no extension. */
function internalName(root: string, handler: HandlerRef): string {
  return `${relative(root, handler.file).replace(/\.ts$/, "").split(sep).join("/")}/${handler.handler}`;
}

export interface HandlerCoverage extends HandlerRef {
  tested: boolean;
}

const percent = (called: number, all: number) => (all > 0 ? (called * 100) / all : 0).toFixed(1);

/** Prints matchstick's coverage report and returns the handlers with whether some test calls each. */
export function handlerCoverage(files: readonly TestFile[], source: SubgraphSource, root: string, out: Output): HandlerCoverage[] {
  out.line("\nRunning in coverage report mode.\n", "cyan");
  const called = calledNames(files);
  out.line("Generating coverage report 📝\n", "cyan");
  const result = source.handlers.map((handler) => ({ ...handler, tested: called.has(internalName(root, handler)) }));
  const sourcesInOrder = [...new Set(result.map((h) => h.source))];
  for (const name of sourcesInOrder) {
    const handlers = result.filter((h) => h.source === name);
    out.line(`Handlers for source '${name}':`);
    for (const h of handlers) out.line(`Handler '${h.handler}' is ${h.tested ? "tested" : "not tested"}.`, h.tested ? "green" : "red");
    const tested = handlers.filter((h) => h.tested).length;
    out.line(`Test coverage: ${percent(tested, handlers.length)}% (${tested}/${handlers.length} handlers).\n`);
  }
  const tested = result.filter((h) => h.tested).length;
  out.line(`Global test coverage: ${percent(tested, result.length)}% (${tested}/${result.length} handlers).\n`);
  return result;
}
