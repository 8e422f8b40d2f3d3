/**
 * The matchstick-compatible runner on a fixture subgraph of its own (./fixtures/basic): each group of matchstick-as
 * host imports has a test file there, compiled with the real AssemblyScript compiler and run on the embedded runtime.
 * Files whose tests fail on purpose (failing, critical, timeout, unknown-import) are run one at a time.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMatchstick, type RunOptions } from "../../src/matchstick/index.ts";

const FIXTURE = resolve(import.meta.dirname, "fixtures/basic");
const LIBS = resolve(import.meta.dirname, "../../node_modules");
const COMPILE_TIMEOUT = 240_000;

async function run(dir: string, options: RunOptions = {}) {
  let text = "";
  const result = await runMatchstick(dir, { ...options, write: (chunk) => (text += chunk) });
  return { result, text: stripVTControlCharacters(text) };
}

/** Asserts that `lines` appear in `text` in this order. */
function expectInOrder(text: string, lines: readonly string[]): void {
  let from = 0;
  for (const line of lines) {
    const at = text.indexOf(line, from);
    expect(at, `"${line}" after offset ${from} in:\n${text}`).toBeGreaterThanOrEqual(0);
    from = at + line.length;
  }
}

beforeAll(async () => {
  // Compiles every fixture file once, in parallel (coverage mode compiles and does not run).
  const { result, text } = await run(FIXTURE, { coverage: true });
  expect(result.exitCode, text).toBe(0);
}, COMPILE_TIMEOUT);

describe("registration", () => {
  it("runs describes, hooks and shouldFail in matchstick's order", async () => {
    const { result, text } = await run(FIXTURE, { patterns: ["registration"] });
    expect(result).toMatchObject({ exitCode: 0, passed: 5, failed: 0 });
    expectInOrder(text, [
      "registration\n" + "-".repeat(50),
      "  💬 file beforeAll",
      "  outer:",
      "    💬 outer beforeAll",
      "    💬 file beforeEach",
      "    💬 outer beforeEach",
      "    √ first - ",
      "      💬 first runs",
      "    💬 outer afterEach",
      "    inner:",
      "      💬 file beforeEach",
      "      💬 outer beforeEach",
      "      💬 inner beforeEach",
      "      √ second - ",
      "        💬 second runs",
      "      💬 inner afterEach",
      "      💬 outer afterEach",
      "  a describe body:",
      "    √ does not write to the tests' store",
      "  √ a throwing test marked shouldFail passes",
      "  √ top level",
      "  💬 file afterAll",
      "All 5 tests passed! 😎",
      "Program executed in: ",
    ]);
  });
});

describe("host imports", () => {
  it("asserts as matchstick does, and each failing assertion says why", async () => {
    const { result, text } = await run(FIXTURE, { patterns: ["assertions"] });
    expect(result, text).toMatchObject({ exitCode: 0, passed: 17, failed: 0 });
    for (const line of [
      "(assert.fieldEquals) Expected field 'name' to equal 'Beta', but was 'Alpha' instead.",
      "(assert.fieldEquals) No entities with type 'Pool' found.",
      "(assert.fieldEquals) No entity with type 'Token' and id 't9' found.",
      "(assert.fieldEquals) No field named 'symbol' on entity with type 'Token' and id 't1' found.",
      "(assert.fieldEquals) the token keeps its name",
      "(assert.equals) Expected value was '7' but actual value was '7'",
      "(assert.notInStore) Value for entity type: 'Token' and id: 't1' was found in store.",
      "(assert.equals) Expected value was '2' but actual value was '1'",
      "(assert.dataSourceCoutn) No template with name 'Nope' found.",
      "(assert.dataSourceExists) No dataSource with address '0x0000000000000000000000000000000000000001' found for template 'Pool'",
      "(assert.equals) one is not two",
      "(assert.notInStore) t1 was stored",
      "(assert.dataSourceCount) no pool was created",
      "(assert.dataSourceExists) that pool was never created",
    ]) {
      expect(text).toContain(line);
    }
  });

  it("keeps matchstick's store rules: replace, required fields, remove, derived fields, the in-block store", async () => {
    const { result, text } = await run(FIXTURE, { patterns: ["store"] });
    expect(result, text).toMatchObject({ exitCode: 0, passed: 9, failed: 0 });
    const related = JSON.parse(text.slice(text.indexOf("🛠  {") + 3, text.indexOf("\n}", text.indexOf("🛠  {")) + 2)) as Record<string, unknown>;
    expect(related).toMatchObject({ id: "t1", name: "Alpha", price: "1.5", decimals: 18, tags: ["a", "b"] });
    expect((related.holders as { id: string }[]).map((h) => h.id).sort()).toEqual(["h1", "h2"]);
    expect((related.named as { id: string }[]).map((h) => h.id).sort()).toEqual(["a1", "n1"]);
  });

  it("mocks contract calls, data sources, templates and IPFS files", async () => {
    const { result, text } = await run(FIXTURE, { patterns: ["mocks"] });
    expect(result, text).toMatchObject({ exitCode: 0, passed: 10, failed: 0 });
    expect(text).toContain('"context": {\n      "token": "0x00000000000000000000000000000000000000aa"');
  });
});

describe("failures", () => {
  it("fails, exits 1 and prints why for each failing test", async () => {
    const { result, text } = await run(FIXTURE, { patterns: ["failing"] });
    expect(result).toMatchObject({ exitCode: 1, passed: 1, failed: 11 });
    const summary = text.slice(text.indexOf("Failed tests:"));
    expectInOrder(summary, [
      "a wrong expected value",
      "𝖷 (assert.fieldEquals) Expected field 'name' to equal 'Beta', but was 'Alpha' instead.",
      "Mapping aborted at ~lib/matchstick-as/assembly/assert.ts",
      "a passing test marked shouldFail",
      "Expected test to fail but it passed successfully!",
      "(assert.fieldEquals) No entities with type 'Pool' found.",
      "No field named 'symbol' on entity with type 'Token' and id 't1' found.",
      "(assert.equals) Expected value was '7' but actual value was '8'",
      "Could not find a mocked function with the following parameters, address: 0x00000000000000000000000000000000000000aa, name: name, signature name():(string), params: [].",
      "createMockedFunction: function name `symbol` should match the name in the function signature `name():(string)`",
      "createMockedFunction `balanceOf` parameters mismatch at position 1: expected address, received Int(1)",
      "Missing value for non-nullable field 'name' for an entity of type 'Token'.",
      "(store.remove) Entity with type 'Token' and id 't9' does not exist.",
      "Failed to create data source from name `Nope`: No template with this name available. Available names: Pool.",
      "11 failed, 1 passed, 12 total",
    ]);
  });

  it("stops the whole run on log.critical", async () => {
    const { result, text } = await run(FIXTURE, { patterns: ["critical"] });
    expect(result.exitCode).toBe(1);
    expect(text).toContain("\n🆘 stop the whole run\n");
    expect(text).not.toContain("never runs");
  });

  it("fails a test that runs past the time limit and goes on", async () => {
    const { result, text } = await run(FIXTURE, { patterns: ["timeout"], timeoutSeconds: 1 });
    expect(result).toMatchObject({ exitCode: 1, passed: 1, failed: 1 });
    expect(text).toContain("Handler 'spins forever' hit the timeout of '1' seconds (pedigree test --timeout sets it)");
  });

  it("names a host function nobody provides", async () => {
    const { result, text } = await run(FIXTURE, { patterns: ["unknown"] });
    expect(result.exitCode).toBe(1);
    expect(text).toContain("🆘 unknown-import: the test module imports host functions neither matchstick nor graph-node provides: env.notAHostFunction");
  });
});

describe("coverage", () => {
  it("lists each handler with and without a test calling it", async () => {
    const all = await run(FIXTURE, { coverage: true, patterns: ["mocks"] });
    expect(all.result.coverage?.map((h) => [h.source, h.handler, h.tested])).toEqual([
      ["Token", "handleTransfer", true],
      ["Token", "handleListed", true],
      ["Pool", "handlePoolTransfer", true],
    ]);
    expect(all.text).toContain("Global test coverage: 100.0% (3/3 handlers).");
    const none = await run(FIXTURE, { coverage: true, patterns: ["registration"] });
    expect(none.text).toContain("Handler 'handleTransfer' is not tested.");
    expect(none.text).toContain("Global test coverage: 0.0% (0/3 handlers).");
  });
});

describe("a copy of the fixture", () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "pedigree-matchstick-"));
    cpSync(FIXTURE, dir, { recursive: true, filter: (path) => !path.includes(".bin") });
    writeFileSync(join(dir, "matchstick.yaml"), `libsFolder: ${LIBS}\n`);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    "fails with the diff when one expected value changes, and recompiles only what changed",
    async () => {
      const file = join(dir, "tests/assertions.test.ts");
      writeFileSync(file, readFileSync(file, "utf8").replace('"supply", "1000"', '"supply", "1001"'));
      const changed = await run(dir, { patterns: ["assertions"] });
      expect(changed.result).toMatchObject({ exitCode: 1, failed: 1 });
      expect(changed.text).toContain("Compiling assertions...");
      expect(changed.text).toContain("(assert.fieldEquals) Expected field 'supply' to equal '1001', but was '1000' instead.");

      const again = await run(dir, { patterns: ["assertions"] });
      expect(again.text).toContain("assertions skipped!");

      const helpers = join(dir, "tests/helpers.ts");
      writeFileSync(helpers, readFileSync(helpers, "utf8").replace("BigInt.fromI32(1000)", "BigInt.fromI32(1001)"));
      const fixed = await run(dir, { patterns: ["assertions"] });
      expect(fixed.text).toContain("Compiling assertions...");
      expect(fixed.result).toMatchObject({ exitCode: 0, failed: 0 });
    },
    COMPILE_TIMEOUT,
  );

  it("refuses a tests folder without tests, and patterns that match nothing", async () => {
    expect((await run(dir, { patterns: ["nothing-like-this"] })).text).toContain("🆘 No tests match set patterns: nothing-like-this");
    writeFileSync(join(dir, "matchstick.yaml"), `libsFolder: ${LIBS}\ntestsFolder: ./files\n`);
    expect((await run(dir)).text).toContain("🆘 No tests have been written yet.");
  });
});
