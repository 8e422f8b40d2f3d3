/** The dossier as pretty-printed JSON: the dossier object itself (already plain JSON: no bigints, no undefined). */
import type { VersionDossier } from "./types.ts";

/** Serialises the dossier, two-space indented, with a trailing newline. */
export function renderJson(dossier: VersionDossier): string {
  return `${JSON.stringify(dossier, null, 2)}\n`;
}
