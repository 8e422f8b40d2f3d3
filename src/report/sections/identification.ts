/** 1. Model and version identification: the model, its release policy, and the version with its hashes and status. */
import { SECTIONS } from "../limitations.ts";
import type { VersionDossier } from "../types.ts";
import { claimsBlocks } from "./claims.ts";
import { badge, code, fields, hash, heading, tx, yes, type Block, type Cell, type Inline, type Section } from "./blocks.ts";

export function identificationSection(d: VersionDossier): Section {
  return {
    spec: SECTIONS.identification,
    blocks: [heading("Model"), modelFields(d), heading("Model version"), versionFields(d), ...claimsBlocks(d, "model-weights", "Competing claims of the weights hash")],
  };
}

function modelFields(d: VersionDossier): Block {
  const m = d.model;
  const kinds = m.requiredKinds.length ? m.requiredKinds.map((k) => `${k.name} (kind ${k.id})`).join(", ") : "nothing";
  return fields([
    ["Model id", code(m.id)],
    ["Creator", code(m.creator)],
    ["Owner", code(m.owner)],
    ["Commercial", yes(m.commercial)],
    ["Model card URI", code(m.uri)],
    ["Model card hash", hash(m.metadataHash)],
    ["Release policy requires", `${kinds}${m.requiresDeclaredData ? ", and declared training data" : ""}`],
    ["Versions", String(m.versionCount)],
    ["Registered", tx(m.tx)],
  ]);
}

function versionFields(d: VersionDossier): Block {
  const v = d.version;
  const undeclared: [string, Cell][] =
    d.training && !v.dataDeclared ? [["Training data", [badge("undeclared", "bad"), " its training run, or a fine-tune ancestor's, names no registered dataset"]]] : [];
  return fields([
    ["Model version id", code(v.id)],
    ["Number within the model", String(v.number)],
    ["Weights hash", hash(v.weightsHash)],
    ["Manifest root", hash(v.manifestRoot)],
    ["Config hash", hash(v.configHash)],
    ["URI", code(v.uri)],
    ["Publisher", code(v.publisher)],
    ["Fine-tuned from", v.parentId ? `model version ${v.parentId}` : "— (a base model)"],
    ...undeclared,
    ["Approved", approvalStatus(d)],
    ["Published", tx(v.tx)],
  ]);
}

/** Approved (and still releasable, or not, with why) or not approved. */
function approvalStatus(d: VersionDossier): Cell | Inline {
  if (!d.version.approved) return badge("not approved", "bad");
  const because = d.summary.notReleasableBecause;
  if (because.length === 0) return badge("approved", "ok");
  return [badge("approved", "ok"), " ", badge("no longer releasable", "bad"), ` (${because.join("; ")})`];
}
