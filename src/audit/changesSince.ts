/**
 * "What changed with this release?" — a model version compared with the version that was live before it in the same
 * environment (the `previous` deployment recorded when it was deployed): weights, config and manifest hashes, the data
 * it was trained on (directly and through its whole lineage), licences, attestations, and the system configuration
 * each release ran it with (prompt, retrieval index and data, policy, tools): a prompt update on the same weights is a
 * release too.
 */
import { InvalidInputError } from "../core/errors.ts";
import type { AuditClient } from "./client.ts";
import {
  ChangesSinceAgainstDocument,
  ChangesSinceDocument,
  type ChangedReleaseFragment,
  type ChangedVersionFragment,
  type DeploymentFieldsFragment,
  type SystemFieldsFragment,
} from "./generated/graphql.ts";
import { releaseStatusOf, type ReleaseStatus } from "./releasable.ts";
import {
  asOfOf,
  attestationOf,
  compareIds,
  compareStamps,
  createdStamp,
  modelVersionOf,
  notFound,
  pinned,
  systemVersionOf,
  toId,
  type IdInput,
} from "./shared.ts";
import type { AsOf, AttestationInfo, ModelVersionInfo, SystemVersionInfo, TxStamp } from "./types.ts";
import { whatTrainedThis } from "./whatTrainedThis.ts";

/** Options of {@link changesSince}. */
export interface ChangesSinceOptions {
  /** The environment whose previous release to compare with; needed when the version was deployed to several. */
  environment?: string;
  /** Compare with this version instead of the previous release (e.g. for a version never deployed). */
  against?: IdInput;
}

/** A dataset version used for training, as compared. */
export interface DataUse {
  datasetVersionId: string;
  datasetId: string;
  /** The version's number within its dataset. */
  number: number;
}

/** Added / removed / kept members of two sets. */
export interface SetChange<T> {
  added: T[];
  removed: T[];
  kept: T[];
}

/** One recorded hash of both versions. */
export interface HashChange {
  field: "weightsHash" | "configHash" | "manifestRoot" | "uri";
  from: string | null;
  to: string;
  changed: boolean;
}

/** A release: a deployment and who made it. */
export interface ReleaseInfo {
  deploymentId: string;
  environment: string;
  deployer: string;
  deployed: TxStamp;
}

/** A flag of both versions. */
export interface FlagChange {
  from: boolean | null;
  to: boolean;
  changed: boolean;
}

/** The system configuration of both releases (null = a bare model version), and what changed in it. */
export interface SystemChange {
  from: SystemVersionInfo | null;
  to: SystemVersionInfo | null;
  /** The parts of the configuration whose digest differs ("system" when one release ran a system and the other none). */
  changed: Array<"prompt" | "retrievalIndex" | "policy" | "tools" | "system">;
  /** Dataset versions the retrieval index was built from. */
  retrievalData: SetChange<DataUse>;
}

/** The answer of {@link changesSince}. */
export interface ChangesSinceResult {
  asOf: AsOf;
  version: ModelVersionInfo;
  /** What it is compared with: the version live before its release, `against`, or null for a first release. */
  previous: ModelVersionInfo | null;
  /** "previous-release" (the deployment it replaced), "against" (given), or "first-release" (nothing was live). */
  basis: "previous-release" | "against" | "first-release";
  environment: string | null;
  /** Its (latest) release in the environment, and the release it replaced. */
  release: ReleaseInfo | null;
  previousRelease: ReleaseInfo | null;
  /** Weights, config and manifest hashes and the URI, old and new. */
  hashes: HashChange[];
  /** The names of the fields in `hashes` that changed. */
  changed: Array<HashChange["field"]>;
  /** Fine-tune parent, old and new. */
  parent: { from: string | null; to: string | null; changed: boolean };
  /** Whether the lineage declares its training data, and licenses all of it commercially, old and new. */
  dataDeclared: FlagChange;
  commercialData: FlagChange;
  /**
   * The version's release status at the answer's block: whether it is still releasable, where it is live, and whether
   * it is live although no longer releasable (an attestation of its approval revoked or expired).
   */
  status: ReleaseStatus & { liveIn: string[]; liveButNotReleasable: boolean };
  /** Dataset versions its own training run used. */
  trainingData: SetChange<DataUse>;
  /** Dataset versions behind it through fine-tunes and derivations as well (see whatTrainedThis). */
  lineageData: SetChange<DataUse>;
  /** Licences its training run used. */
  licences: SetChange<string>;
  /** The system versions the two releases ran (with `against`: the release's system against none). */
  system: SystemChange;
  attestations: {
    /** Attestations on each version and its training run, in chain order. */
    current: AttestationInfo[];
    previous: AttestationInfo[];
    /** Attestation kinds held (not revoked, not expired) by the new version but not the old, and the other way. */
    kindsGained: string[];
    kindsLost: string[];
    /** Attestations of the new version revoked (by the answer's block). */
    revoked: AttestationInfo[];
    /** Attestations of the new version whose attester no longer holds the role their kind requires. */
    roleRevoked: AttestationInfo[];
  };
}

/** The version asked about, with its releases and the version each replaced, as the subgraph answers it. */
type ReleasedVersion = NonNullable<ChangedReleaseFragment["modelVersion"]>;

/** One release of it: a deployment, with the deployment (and version) it replaced. */
type Release = ReleasedVersion["deployments"][number];

/** The version, the one given to compare with (if any), and the block of the answer. */
async function fetchVersions(
  client: AuditClient,
  id: string,
  against: string | undefined,
): Promise<{ raw: ReleasedVersion; againstRaw: ChangedVersionFragment | null; asOf: AsOf }> {
  const data =
    against === undefined
      ? { ...(await client.request(ChangesSinceDocument, { id })), against: null }
      : await client.request(ChangesSinceAgainstDocument, { id, against });
  if (!data.modelVersion) throw notFound(client, "model version", id);
  if (against !== undefined && !data.against) throw notFound(client, "model version", against);
  return { raw: data.modelVersion, againstRaw: data.against, asOf: asOfOf(client, data._meta) };
}

/**
 * The environment compared in (the one given, or the only one the version was deployed to) and the version's latest
 * release there. Without `against`, a release is needed: one environment, and a deployment to it.
 */
function releaseIn(
  raw: ReleasedVersion,
  wanted: string | undefined,
  withAgainst: boolean,
): { environment: string | null; release: Release | null } {
  const environments = [...new Set(raw.deployments.map((d) => d.environment.name))];
  const environment = wanted ?? (environments.length === 1 ? environments[0]! : null);
  const release =
    raw.deployments
      .filter((d) => d.environment.name === environment)
      .sort((a, b) => compareStamps(createdStamp(a), createdStamp(b)))
      .at(-1) ?? null;
  if (withAgainst) return { environment, release };
  if (environment === null && environments.length > 1) {
    throw new InvalidInputError(
      "environment",
      `model version ${raw.id} was deployed to ${environments.join(", ")}; pass environment to say which release to compare`,
    );
  }
  if (!release) {
    const where = environment === null ? "anywhere" : `to ${environment}`;
    throw new InvalidInputError("environment", `model version ${raw.id} was never deployed ${where}; pass against to compare it with another version`);
  }
  return { environment, release };
}

function setChange<T>(before: T[], after: T[], key: (t: T) => string): SetChange<T> {
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(after.map(key));
  return {
    added: after.filter((t) => !beforeKeys.has(key(t))),
    removed: before.filter((t) => !afterKeys.has(key(t))),
    kept: after.filter((t) => beforeKeys.has(key(t))),
  };
}

const dataKey = (use: DataUse): string => use.datasetVersionId;

const byDatasetVersion = (a: DataUse, b: DataUse): number => compareIds(a.datasetVersionId, b.datasetVersionId);

/** The dataset versions a version's own training run used. */
function usesOf(raw: ChangedVersionFragment | null): DataUse[] {
  const uses = new Map<string, DataUse>();
  for (const u of raw?.trainingRun?.datasetUses ?? []) {
    uses.set(u.datasetVersion.id, { datasetVersionId: u.datasetVersion.id, datasetId: u.datasetVersion.dataset.id, number: u.datasetVersion.number });
  }
  return [...uses.values()].sort(byDatasetVersion);
}

/** The licences a version's own training run used. */
function licenceIdsOf(raw: ChangedVersionFragment | null): string[] {
  return [...new Set((raw?.trainingRun?.datasetUses ?? []).map((u) => u.licence.id))].sort(compareIds);
}

/** The data behind both versions through their whole lineages, read at the same block. */
async function lineageChange(client: AuditClient, id: string, previousId: string | null): Promise<SetChange<DataUse>> {
  const [now, before] = await Promise.all([whatTrainedThis(client, id), previousId ? whatTrainedThis(client, previousId) : null]);
  const usesOfLineage = (lineage: typeof now | null): DataUse[] =>
    (lineage?.datasetVersions ?? [])
      .map((e) => ({ datasetVersionId: e.datasetVersion.id, datasetId: e.datasetVersion.datasetId, number: e.datasetVersion.number }))
      .sort(byDatasetVersion);
  return setChange(usesOfLineage(before), usesOfLineage(now), dataKey);
}

const CONFIG_PARTS = [
  ["prompt", "promptHash"],
  ["retrievalIndex", "retrievalIndex"],
  ["policy", "policyHash"],
  ["tools", "toolsHash"],
] as const;

/** What changed between the system configurations two releases ran. */
function systemChange(from: SystemFieldsFragment | null | undefined, to: SystemFieldsFragment | null | undefined): SystemChange {
  const before = from ? systemVersionOf(from) : null;
  const after = to ? systemVersionOf(to) : null;
  const retrievalOf = (s: SystemVersionInfo | null): DataUse[] =>
    (s?.retrieval ?? []).map((r) => ({ datasetVersionId: r.datasetVersionId, datasetId: r.datasetId, number: r.number })).sort(byDatasetVersion);
  const changed: SystemChange["changed"] =
    before === null || after === null
      ? before === after ? [] : ["system"]
      : CONFIG_PARTS.filter(([, key]) => before.config[key] !== after.config[key]).map(([part]) => part);
  return { from: before, to: after, changed, retrievalData: setChange(retrievalOf(before), retrievalOf(after), dataKey) };
}

function releaseOf(raw: DeploymentFieldsFragment): ReleaseInfo {
  return { deploymentId: raw.id, environment: raw.environment.name, deployer: raw.deployer.id, deployed: createdStamp(raw) };
}

/** The attestations on each version and its training run, and what the new version gained, lost or saw revoked. */
function attestationChange(
  raw: ChangedVersionFragment,
  previousRaw: ChangedVersionFragment | null,
  now: number | null,
): ChangesSinceResult["attestations"] {
  const attestationsOf = (v: ChangedVersionFragment | null): AttestationInfo[] =>
    [...(v?.attestations ?? []), ...(v?.trainingRun?.attestations ?? [])]
      .map((a) => attestationOf(a, now))
      .sort((a, b) => compareStamps(a.attested, b.attested));
  const current = attestationsOf(raw);
  const previous = attestationsOf(previousRaw);
  const held = (list: AttestationInfo[]) => new Set(list.filter((a) => !a.revocation && a.expired !== true).map((a) => a.kindName));
  const heldNow = held(current);
  const heldBefore = held(previous);
  return {
    current,
    previous,
    kindsGained: [...heldNow].filter((k) => !heldBefore.has(k)).sort(),
    kindsLost: [...heldBefore].filter((k) => !heldNow.has(k)).sort(),
    revoked: current.filter((a) => a.revocation !== null),
    roleRevoked: current.filter((a) => a.attesterHoldsRole === false),
  };
}

/** The recorded hashes, the fine-tune parent and the data flags of both versions. */
function recordChanges(
  version: ModelVersionInfo,
  previous: ModelVersionInfo | null,
): Pick<ChangesSinceResult, "hashes" | "changed" | "parent" | "dataDeclared" | "commercialData"> {
  const hashes: HashChange[] = (["weightsHash", "configHash", "manifestRoot", "uri"] as const).map((field) => ({
    field,
    from: previous ? previous[field] : null,
    to: version[field],
    changed: previous ? previous[field] !== version[field] : true,
  }));
  const flag = (field: "dataDeclared" | "commercialData"): FlagChange => ({
    from: previous ? previous[field] : null,
    to: version[field],
    changed: previous ? previous[field] !== version[field] : false,
  });
  return {
    hashes,
    changed: hashes.filter((h) => h.changed).map((h) => h.field),
    parent: {
      from: previous ? previous.parentId : null,
      to: version.parentId,
      changed: previous ? previous.parentId !== version.parentId : version.parentId !== null,
    },
    dataDeclared: flag("dataDeclared"),
    commercialData: flag("commercialData"),
  };
}

/** Whether the version is still releasable at the answer's block, where it is live, and whether both at once. */
function statusOf(raw: ReleasedVersion, now: number | null): ChangesSinceResult["status"] {
  const releaseStatus = releaseStatusOf(raw, now);
  const liveIn = [...new Set(raw.deployments.filter((d) => d.active).map((d) => d.environment.name))].sort();
  return { ...releaseStatus, liveIn, liveButNotReleasable: liveIn.length > 0 && releaseStatus.releasable === false };
}

/**
 * What changed between a model version and the version live before its release in an environment: hashes, training
 * data (direct and through the whole lineage), licences and attestations. Without `environment`, the environment it
 * was deployed to (it must be one); with `against`, any other version. One GraphQL round trip, then the two lineages
 * in parallel at the same block (whatTrainedThis: one round trip per level of each lineage).
 *
 * @example
 * const diff = await changesSince(client, 3n, { environment: "production" });
 * diff.previous?.id;                        // "1": v2 replaced v1 in production
 * diff.changed;                             // ["weightsHash", "configHash", "uri"]
 * diff.trainingData.removed;                // [{ datasetVersionId: "4", … }]: open text no longer used directly
 * diff.attestations.kindsLost;              // ["bias-check", "licence-compliance"]
 * @throws NotInSubgraphError for an unknown version; InvalidInputError when the version was not deployed to the
 *   environment (or to several, without `environment`) and no `against` is given.
 */
export async function changesSince(
  client: AuditClient,
  versionId: IdInput,
  options: ChangesSinceOptions = {},
): Promise<ChangesSinceResult> {
  const id = toId(versionId, "versionId");
  const against = options.against === undefined ? undefined : toId(options.against, "against");
  if (options.environment !== undefined && (typeof options.environment !== "string" || options.environment.length === 0)) {
    throw new InvalidInputError("environment", "environment must be a name, e.g. production");
  }
  const { raw, againstRaw, asOf } = await fetchVersions(client, id, against);
  const { environment, release } = releaseIn(raw, options.environment, against !== undefined);
  const previousRaw = against !== undefined ? againstRaw : (release?.previous?.version ?? null);
  const version = modelVersionOf(raw);
  const previous = previousRaw ? modelVersionOf(previousRaw) : null;
  const lineageData = await lineageChange(pinned(client, asOf), id, previousRaw?.id ?? null);
  return {
    asOf,
    version,
    previous,
    basis: against !== undefined ? "against" : previousRaw ? "previous-release" : "first-release",
    environment,
    release: release ? releaseOf(release) : null,
    previousRelease: against === undefined && release?.previous ? releaseOf(release.previous) : null,
    ...recordChanges(version, previous),
    status: statusOf(raw, asOf.timestamp),
    trainingData: setChange(usesOf(previousRaw), usesOf(raw), dataKey),
    lineageData,
    licences: setChange(licenceIdsOf(previousRaw), licenceIdsOf(raw), (l) => l),
    system: systemChange(against === undefined ? release?.previous?.system : null, release?.system),
    attestations: attestationChange(raw, previousRaw, asOf.timestamp),
  };
}
