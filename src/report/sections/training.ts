/** 4. Training run: its declared code, hyperparameters and period, and the dataset versions it used under which licence. */
import { datasetVersionLabel, formatTime } from "../format.ts";
import { SECTIONS } from "../limitations.ts";
import type { TrainingRunRecord, VersionDossier } from "../types.ts";
import { code, fields, hash, heading, note, table, tx, type Block, type Section } from "./blocks.ts";

export function trainingSection(d: VersionDossier): Section {
  if (!d.training) {
    return { spec: SECTIONS.training, blocks: [note("bad", "No training run is recorded for this version on chain: its training data is undocumented here.")] };
  }
  const t = d.training;
  return {
    spec: SECTIONS.training,
    blocks: [
      fields([
        ["Training run id", code(t.id)],
        ["Code hash", hash(t.codeHash)],
        ["Hyperparameters hash", hash(t.hyperparametersHash)],
        ["Started (declared)", formatTime(t.startedAt, "not declared")],
        ["Ended (declared)", formatTime(t.endedAt, "not declared")],
        ["Recorded", tx(t.tx)],
      ]),
      heading("Data used"),
      dataUsedTable(d, t),
    ],
  };
}

function dataUsedTable(d: VersionDossier, t: TrainingRunRecord): Block {
  const byId = new Map(d.datasetVersions.map((v) => [v.id, v]));
  return table(
    ["#", "Dataset version", "Dataset", "Licence"],
    t.uses.map((u) => [
      [String(u.index)],
      [datasetVersionLabel(byId.get(u.datasetVersionId) ?? { id: u.datasetVersionId, datasetId: u.datasetId, number: 0 })],
      [u.datasetId],
      [u.licenceId],
    ]),
  );
}
