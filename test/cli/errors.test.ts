/**
 * How the CLI maps every error family to one line and an exit code (src/cli/errors.ts): by the one base class and its
 * code, with the CLI's `pedigree …` hint in place of the SDK's where the SDK's names an SDK function.
 */
import { ZeroHash, id } from "ethers";
import { describe, expect, it } from "vitest";
import { InvalidInputError, PedigreeError } from "../../src/core/errors.ts";
import { parseId } from "../../src/core/ids.ts";
import { PathNotFoundError } from "../../src/core/fingerprint.ts";
import { DecisionTree, NotInTreeError } from "../../src/core/merkle.ts";
import { NotInSubgraphError } from "../../src/audit/errors.ts";
import { UntrustedVersionIdError } from "../../src/report/errors.ts";
import { NodeUnreachableError, PEDIGREE_ERRORS_INTERFACE, WrongNetworkError, parseClaimSecret, registryError } from "../../src/sdk/index.ts";
import { CliError, EXIT_BAD_INPUT, EXIT_FAILED, describeFailure } from "../../src/cli/errors.ts";
import { ERRORS_WITH_CLI_HINTS } from "../../src/cli/hints.ts";
import * as sdk from "../../src/sdk/index.ts";

const account = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

/** The error `action` throws. */
function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("nothing was thrown");
}

describe("exit codes, by the base class and the code", () => {
  it("bad input of every family exits 2", () => {
    const badInput: [string, unknown][] = [
      ["a core id", thrown(() => parseId("abc", "versionId"))],
      ["a fingerprinted path", new PathNotFoundError("/no/such/dir")],
      ["an audit parameter", new InvalidInputError("versionId", 'versionId must be a positive whole number (an id), got "x"')],
      ["a CLI option", new CliError("give either --path or --fingerprint, not both")],
      ["another network", new WrongNetworkError(1n, 31337n)],
    ];
    for (const [what, error] of badInput) {
      expect(error, what).toBeInstanceOf(PedigreeError);
      expect(describeFailure(error).exitCode, what).toBe(EXIT_BAD_INPUT);
    }
    expect(describeFailure(thrown(() => parseId("abc", "versionId")))).toMatchObject({
      message: 'versionId must be a positive whole number (an id), got "abc"',
      code: "INVALID_INPUT",
    });
  });

  it("a failed operation of every family exits 1, as does anything that is not a Pedigree error", () => {
    const failed: [string, unknown][] = [
      ["a revert", registryError("UnknownDataset", [9n])],
      ["a node down", new NodeUnreachableError("http://127.0.0.1:9", "connection refused")],
      ["an id the subgraph lacks", new NotInSubgraphError("http://127.0.0.1:8000/subgraphs/name/pedigree", "model version", "9")],
      ["a report from a lying subgraph", new UntrustedVersionIdError("../x", "9", "http://127.0.0.1:8000/subgraphs/name/pedigree")],
      ["a value not in a tree", thrown(() => DecisionTree.build([`0x${"11".repeat(32)}`]).proof(`0x${"22".repeat(32)}`))],
      ["a check that said no", new CliError("the proof does not verify on chain", { code: "FAILED", resultPrinted: true })],
      ["a plain Error", new Error("something odd\nwith details")],
    ];
    for (const [what, error] of failed) expect(describeFailure(error).exitCode, what).toBe(EXIT_FAILED);
    expect(failed[4]![1]).toBeInstanceOf(NotInTreeError);
    expect(describeFailure(failed[5]![1]).resultPrinted).toBe(true);
    expect(describeFailure(failed[6]![1])).toEqual({ message: "something odd", exitCode: EXIT_FAILED, code: "FAILED" });
  });
});

describe("hints", () => {
  it("names the pedigree command where the SDK names a function", () => {
    const error = registryError("DatasetVersionNotUsable", [3n, 7n, 6]);
    expect(error.message).toBe(
      "DatasetVersionNotUsable: dataset version 3 cannot be used under licence 7 (Expired). Acquire a new licence (acquireLicence).",
    );
    expect(describeFailure(error)).toEqual({
      message: "DatasetVersionNotUsable: dataset version 3 cannot be used under licence 7 (Expired). Acquire a new licence with `pedigree licence acquire`.",
      exitCode: EXIT_FAILED,
      code: "CONTRACT_REVERT",
      errorName: "DatasetVersionNotUsable",
      resultPrinted: undefined,
    });
    const evaluator = registryError("MissingAttesterRole", [account, 1n, id("EVALUATOR_ROLE")]);
    expect(evaluator.hint).toBe(`Ask an admin to grant ${account} the evaluator role (grantRole).`);
    expect(describeFailure(evaluator).message).toMatch(new RegExp(`role\\. Ask an admin to grant it: \`pedigree role grant evaluator ${account}\`\\.$`));
    // An admin's role is not granted by command: the SDK's hint stands.
    const admin = registryError("MissingAttesterRole", [account, 1n, ZeroHash]);
    expect(describeFailure(admin).message).toMatch(/Only an admin may do this; send from an admin account\.$/);
  });

  it("keeps the SDK's hint where it names no function", () => {
    const error = registryError("UnknownDataset", [99n]);
    expect(describeFailure(error).message).toBe("UnknownDataset: dataset 99 does not exist. Check the dataset id.");
  });

  it("words the claim file's hint for the CLI", () => {
    const error = thrown(() => parseClaimSecret("{not json"));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(describeFailure(error)).toMatchObject({
      message: "the claim secret is not JSON. Pass the file `pedigree dataset commit` or `pedigree model commit` wrote.",
      exitCode: EXIT_BAD_INPUT,
    });
  });

  it("never prints an SDK function's name as a next step: every hint naming one is worded with a pedigree command", () => {
    // camelCase names only: "attest" or "rollback" are words too.
    const sdkFunctions = Object.entries(sdk).filter(([name, value]) => typeof value === "function" && /^[a-z]+[A-Z]/.test(name)).map(([name]) => name);
    const sample = (type: string, name: string): unknown =>
      type === "address" ? account : type === "bytes32" ? id(name) : type === "bool" ? true : type === "string" ? "production" : name === "status" ? 6 : 7n;
    const naming: string[] = [];
    PEDIGREE_ERRORS_INTERFACE.forEachError((fragment) => {
      const error = registryError(fragment.name, fragment.inputs.map((input) => sample(input.type, input.name)));
      const printed = describeFailure(error).message.replace(/`[^`]*`/g, "`…`");
      const named = sdkFunctions.filter((fn) => new RegExp(`\\b${fn}\\b`).test(printed));
      if (named.length > 0) naming.push(`${fragment.name}: ${named.join(", ")}`);
    });
    expect(sdkFunctions).toContain("reportUsage"); // the list is the SDK's
    expect(naming).toEqual([]);
  });

  it("has hints only for errors the contracts can raise", () => {
    const unknown = ERRORS_WITH_CLI_HINTS.filter((name) => PEDIGREE_ERRORS_INTERFACE.getError(name) === null);
    expect(unknown).toEqual([]);
  });
});
