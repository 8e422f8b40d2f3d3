/** 14. Accounts and roles: every address in the dossier, its registry roles and what it did here. */
import { SECTIONS } from "../limitations.ts";
import type { VersionDossier } from "../types.ts";
import { code, paragraph, table, type Section } from "./blocks.ts";

export function accountsSection(d: VersionDossier): Section {
  return {
    spec: SECTIONS.accounts,
    blocks: [
      paragraph("Addresses only: the chain does not say who is behind them. Roles are those held in the AttestationRegistry at the dossier's block."),
      table(
        ["Address", "Roles", "Part in this dossier"],
        d.accounts.map((a) => [[code(a.address)], [a.roles.join(", ") || "—"], [a.parts.join("; ")]]),
      ),
    ],
  };
}
