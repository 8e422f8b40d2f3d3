/**
 * Pedigree's own subgraph tests (subgraph/tests, run by `npm run test:subgraph`): every handler is tested, and the
 * suite fails, printing the difference, when one expected value in a test file changes (on a copy of the subgraph).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, loadSubgraphSource, runMatchstick } from "../../src/matchstick/index.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const SUBGRAPH = join(ROOT, "subgraph");
const TIMEOUT = 300_000;

async function run(dir: string, options: Parameters<typeof runMatchstick>[1] = {}) {
  let text = "";
  const result = await runMatchstick(dir, { ...options, write: (chunk) => (text += chunk) });
  return { result, text: stripVTControlCharacters(text) };
}

describe("Pedigree's subgraph tests", () => {
  it(
    "test every event handler of every data source",
    async () => {
      const { result, text } = await run(SUBGRAPH, { coverage: true });
      const handlers = loadSubgraphSource(loadConfig(SUBGRAPH).manifestPath).handlers;
      expect(result.coverage?.filter((h) => !h.tested).map((h) => `${h.source}.${h.handler}`), text).toEqual([]);
      expect(text).toContain(`Global test coverage: 100.0% (${handlers.length}/${handlers.length} handlers).`);
    },
    TIMEOUT,
  );

  describe("on a copy with one expected value changed", () => {
    let dir: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "pedigree-subgraph-"));
      cpSync(SUBGRAPH, join(dir, "subgraph"), { recursive: true, filter: (path) => !path.includes(".bin") });
      cpSync(join(ROOT, "schema.graphql"), join(dir, "schema.graphql"));
      for (const linked of ["generated", "artifacts"]) symlinkSync(join(ROOT, linked), join(dir, linked));
      mkdirSync(join(dir, "subgraph/tests/.bin"), { recursive: true });
      writeFileSync(join(dir, "subgraph/matchstick.yaml"), `libsFolder: ${join(ROOT, "node_modules")}\n`);
    });

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it(
      "fails with exit code 1 and prints the entity's field, expected and actual",
      async () => {
        const file = join(dir, "subgraph/tests/releases.test.ts");
        const original = 'assert.fieldEquals("Deployment", "100", "version", "10");';
        expect(readFileSync(file, "utf8")).toContain(original);
        writeFileSync(file, readFileSync(file, "utf8").replace(original, original.replace('"10"', '"11"')));
        const { result, text } = await run(join(dir, "subgraph"), { patterns: ["releases"] });
        expect(result.exitCode).toBe(1);
        expect(result.failed).toBe(1);
        expect(text).toContain("(assert.fieldEquals) Expected field 'version' to equal '11', but was '10' instead.");
      },
      TIMEOUT,
    );
  });
});
