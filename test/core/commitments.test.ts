/** Salted field commitments and selective disclosure (src/core/commitments.ts). */
import { describe, expect, it } from "vitest";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { commitFields, disclose, DisclosureMismatchError, loadSecrets, parseDisclosure, verifyDisclosure } from "../../src/core/commitments.ts";
import { InvalidInputError } from "../../src/core/errors.ts";

const FIELDS = { source: "St Mary's EHR export 2025-Q4", consentBasis: "GDPR Art. 9(2)(a)", piiPresent: "yes", annotators: "12" };
const subject = { type: "dataset-version", id: "4" };

describe("commitFields", () => {
  it("commits each field under its own 32-byte salt into a StandardMerkleTree root", () => {
    const secrets = commitFields(FIELDS);
    expect(secrets.fields.map((f) => f.name)).toEqual(Object.keys(FIELDS));
    expect(new Set(secrets.fields.map((f) => f.salt)).size).toBe(4);
    for (const f of secrets.fields) expect(f.salt).toMatch(/^0x[0-9a-f]{64}$/);
    const oz = StandardMerkleTree.of(secrets.fields.map((f) => [f.name, f.salt, f.value]), ["string", "bytes32", "string"]);
    expect(secrets.root).toBe(oz.root);
    expect(loadSecrets(JSON.parse(JSON.stringify(secrets))).root).toBe(secrets.root);
  });

  it("commits equal values differently under different salts: a guessable value cannot be found from the root", () => {
    const a = commitFields({ piiPresent: "yes" });
    const b = commitFields({ piiPresent: "yes" });
    expect(a.root).not.toBe(b.root);
  });

  it("refuses no fields, a non-string value, an oversized value, and an edited secrets file", () => {
    expect(() => commitFields({})).toThrow(/commit at least one field/);
    expect(() => commitFields({ count: 12 })).toThrow(/field "count" must be a string/);
    expect(() => commitFields({ notes: "x".repeat(4097) })).toThrow(/at most 4096 bytes; commit a document by its hash/);
    const secrets = commitFields(FIELDS);
    secrets.fields[0]!.value = "another source";
    expect(() => loadSecrets(secrets)).toThrow(/the fields rebuild to root 0x[0-9a-f]{64}, not the recorded/);
  });
});

describe("disclose / verifyDisclosure", () => {
  it("discloses chosen fields that verify against the root; the others stay hidden", () => {
    const secrets = commitFields(FIELDS);
    const pkg = parseDisclosure(JSON.parse(JSON.stringify(disclose(secrets, ["consentBasis", "piiPresent"], subject))));
    expect(verifyDisclosure(pkg, secrets.root)).toEqual({ consentBasis: "GDPR Art. 9(2)(a)", piiPresent: "yes" });
    expect(pkg.fieldCount).toBe(4);
    const text = JSON.stringify(pkg);
    expect(text).not.toContain("St Mary's");
    expect(text).not.toContain(secrets.fields[0]!.salt.slice(2));
  });

  it("names every field that does not open the commitment: wrong salt, tampered value, a proof for another record", () => {
    const secrets = commitFields(FIELDS);
    const other = commitFields(FIELDS);
    const pkg = disclose(secrets, ["source", "consentBasis", "piiPresent"], subject);
    pkg.fields[0]!.salt = other.fields[0]!.salt; // wrong salt
    pkg.fields[1]!.value = "legitimate interest"; // tampered value
    const refused = (() => {
      try {
        verifyDisclosure(pkg, secrets.root);
      } catch (error) {
        return error as DisclosureMismatchError;
      }
      throw new Error("accepted");
    })();
    expect(refused).toBeInstanceOf(DisclosureMismatchError);
    expect(refused.fields).toEqual(["source", "consentBasis"]);
    expect(refused.message).toMatch(/^fields "source", "consentBasis" do not open commitment 0x[0-9a-f]{64}: a wrong salt, a changed value, or a proof for another record/);
    // An honest package of another record does not open this one.
    expect(() => verifyDisclosure(disclose(other, ["piiPresent"], subject), secrets.root)).toThrow(/field "piiPresent" does not open commitment/);
  });

  it("refuses an unknown field, a package without proofs, and a file of another kind, in one line", () => {
    const secrets = commitFields(FIELDS);
    expect(() => disclose(secrets, ["ssn"], subject)).toThrow(/the record has no field "ssn"; its fields are source, consentBasis, piiPresent, annotators/);
    const pkg = JSON.parse(JSON.stringify(disclose(secrets, ["source"], subject)));
    delete pkg.fields[0].proof;
    expect(() => parseDisclosure(pkg)).toThrow(InvalidInputError);
    expect(() => parseDisclosure({ format: "pedigree-actions-v1" })).toThrow(/not a disclosure package/);
  });
});
