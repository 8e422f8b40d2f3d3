/**
 * The royalty side of `pedigree dataset show`: per version, the royalty parents a payment to it pays first (their
 * share and the terms whose recipients receive it) and its contributors (share and role).
 */
import { id } from "ethers";
import { royaltiesOfVersion, type PedigreeClient, type VersionRoyalties } from "../sdk/index.ts";
import type { Row } from "./output.ts";

/** Roles shown by name when a contributor's role hash is theirs (the chain keeps only the keccak256 of the role). */
const COMMON_ROLES = ["labelling", "annotation", "cleaning", "verification", "curation", "collection", "translation", "review"];
const ROLE_BY_HASH: ReadonlyMap<string, string> = new Map(COMMON_ROLES.map((role) => [id(role), role]));

/** A contributor's role: its name when it is a common one, otherwise the hash the chain keeps. */
export function roleOf(roleHash: string): string {
  return ROLE_BY_HASH.get(roleHash.toLowerCase()) ?? roleHash;
}

/** The royalty shape of each of `versionIds`, in order (one read each). */
export async function royaltiesOfVersions(client: PedigreeClient, versionIds: readonly bigint[]): Promise<VersionRoyalties[]> {
  return Promise.all(versionIds.map((versionId) => royaltiesOfVersion(client, versionId)));
}

/** The `--json` view of a version's royalty shape: parents and contributors (with the role's name when known). */
export function royaltiesJson(royalties: VersionRoyalties): Record<string, unknown> {
  return {
    royaltyParents: royalties.royaltyParents,
    contributors: royalties.contributors.map((c) => ({ ...c, role: ROLE_BY_HASH.get(c.roleHash.toLowerCase()) })),
  };
}

/** Indented rows under a version: what it pays up its lineage and to whom it owes contributor shares; none when neither. */
export function royaltyRows(royalties: VersionRoyalties): Row[] {
  const parents = royalties.royaltyParents.map((p): Row => ["  pays up its lineage", `${p.bps / 100} % to version ${p.versionId} (terms ${p.termsId})`]);
  const contributors = royalties.contributors.map((c): Row => ["  contributor", `${c.account} ${c.bps / 100} % (${roleOf(c.roleHash)})`]);
  return [...parents, ...contributors];
}
