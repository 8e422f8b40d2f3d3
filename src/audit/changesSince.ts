/**
 * "What changed with this release?" — a model version compared with the version that was live before it in the same
 * environment (the `previous` deployment recorded when it was deployed): weights, config and manifest hashes, the data
 * it was trained on (directly and through its whole lineage), licences, and attestations.
 */
import type { AuditClient } from "./client.ts";
import { APPROVAL_VALIDITY, releaseStatusOf, type RawApprovalValidity, type ReleaseStatus } from "./releasable.ts";
import { InvalidAuditInputError } from "./errors.ts";
import {
  ATTESTATION,
  META,
  MODEL_VERSION,
  asOfOf,
  attestationOf,
  compareIds,
  compareStamps,
  createdStamp,
  modelVersionOf,
  notFound,
  pinned,
  toId,
  type IdInput,
  type RawAttestation,
  type RawMeta,
  type RawModelVersion,
  type Ref,
} from "./shared.ts";
import type { AsOf, AttestationInfo, ModelVersionInfo, TxStamp } from "./types.ts";
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

const VERSION = `${MODEL_VERSION} ${APPROVAL_VALIDITY}
  attestations(first: 1000, orderBy: id) { ${ATTESTATION} }
  trainingRun { datasetUses(first: 1000, orderBy: id) { datasetVersion { id number dataset { id } } licence { id } } attestations(first: 1000, orderBy: id) { ${ATTESTATION} } }`;

const RELEASE = `id active environment { name } deployer { id } createdAtBlock createdAt createdTx`;

function query(withAgainst: boolean): string {
  return `query ChangesSince($id: ID!${withAgainst ? ", $against: ID!" : ""}) {
    modelVersion(id: $id) {
      ${VERSION}
      deployments(first: 1000, orderBy: id) { ${RELEASE} previous { ${RELEASE} version { ${VERSION} } } }
    }
    ${withAgainst ? `against: modelVersion(id: $against) { ${VERSION} }` : ""}
    ${META}
  }`;
}

interface RawVersion extends RawModelVersion, RawApprovalValidity {
  attestations: RawAttestation[];
  trainingRun: {
    datasetUses: Array<{ datasetVersion: { id: string; number: number; dataset: Ref }; licence: Ref }>;
    attestations: RawAttestation[];
  } | null;
}

interface RawRelease {
  id: string;
  active: boolean;
  environment: { name: string };
  deployer: Ref;
  createdAtBlock: string;
  createdAt: string;
  createdTx: string;
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

function usesOf(raw: RawVersion | null): DataUse[] {
  const uses = new Map<string, DataUse>();
  for (const u of raw?.trainingRun?.datasetUses ?? []) {
    uses.set(u.datasetVersion.id, { datasetVersionId: u.datasetVersion.id, datasetId: u.datasetVersion.dataset.id, number: u.datasetVersion.number });
  }
  return [...uses.values()].sort((a, b) => compareIds(a.datasetVersionId, b.datasetVersionId));
}

function releaseOf(raw: RawRelease): ReleaseInfo {
  return { deploymentId: raw.id, environment: raw.environment.name, deployer: raw.deployer.id, deployed: createdStamp(raw) };
}

/**
 * What changed between a model version and the version live before its release in an environment: hashes, training
 * data (direct and through the whole lineage), licences and attestations. Without `environment`, the environment it
 * was deployed to (it must be one); with `against`, any other version. Two GraphQL round trips (the second, for the
 * two lineages, in parallel).
 *
 * @example
 * const diff = await changesSince(client, 3n, { environment: "production" });
 * diff.previous?.id;                        // "1": v2 replaced v1 in production
 * diff.changed;                             // ["weightsHash", "configHash", "uri"]
 * diff.trainingData.removed;                // [{ datasetVersionId: "4", … }]: open text no longer used directly
 * diff.attestations.kindsLost;              // ["bias-check", "licence-compliance"]
 * @throws NotInSubgraphError for an unknown version; InvalidAuditInputError when the version was not deployed to the
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
    throw new InvalidAuditInputError("environment", "environment must be a name, e.g. production");
  }
  const data = await client.request<{
    modelVersion: (RawVersion & { deployments: Array<RawRelease & { previous: (RawRelease & { version: RawVersion }) | null }> }) | null;
    against?: RawVersion | null;
    _meta: RawMeta;
  }>(query(against !== undefined), against === undefined ? { id } : { id, against });
  const raw = data.modelVersion;
  if (!raw) throw notFound(client, "model version", id);
  if (against !== undefined && !data.against) throw notFound(client, "model version", against);
  const asOf = asOfOf(data._meta);

  // The release: its latest deployment in the environment.
  const environments = [...new Set(raw.deployments.map((d) => d.environment.name))];
  let environment = options.environment ?? null;
  if (environment === null && environments.length === 1) environment = environments[0]!;
  const releases = raw.deployments
    .filter((d) => d.environment.name === environment)
    .sort((a, b) => compareStamps(createdStamp(a), createdStamp(b)));
  const release = releases.at(-1) ?? null;
  if (against === undefined) {
    if (environment === null && environments.length > 1) {
      throw new InvalidAuditInputError(
        "environment",
        `model version ${id} was deployed to ${environments.join(", ")}; pass environment to say which release to compare`,
      );
    }
    if (!release) {
      const where = environment === null ? "anywhere" : `to ${environment}`;
      throw new InvalidAuditInputError(
        "environment",
        `model version ${id} was never deployed ${where}; pass against to compare it with another version`,
      );
    }
  }

  const previousRaw: RawVersion | null = against !== undefined ? data.against! : (release?.previous?.version ?? null);
  const basis: ChangesSinceResult["basis"] = against !== undefined ? "against" : previousRaw ? "previous-release" : "first-release";

  // The lineages of both versions, at the same block.
  const same = pinned(client, asOf);
  const [lineageNow, lineageBefore] = await Promise.all([
    whatTrainedThis(same, id),
    previousRaw ? whatTrainedThis(same, previousRaw.id) : Promise.resolve(null),
  ]);
  const lineageUses = (l: typeof lineageNow | null): DataUse[] =>
    (l?.datasetVersions ?? [])
      .map((e) => ({ datasetVersionId: e.datasetVersion.id, datasetId: e.datasetVersion.datasetId, number: e.datasetVersion.number }))
      .sort((a, b) => compareIds(a.datasetVersionId, b.datasetVersionId));

  const attestationsOf = (v: RawVersion | null): AttestationInfo[] =>
    v ? [...v.attestations, ...(v.trainingRun?.attestations ?? [])].map((a) => attestationOf(a, asOf.timestamp)).sort((a, b) => compareStamps(a.attested, b.attested)) : [];
  const current = attestationsOf(raw);
  const previousAttestations = attestationsOf(previousRaw);
  const held = (list: AttestationInfo[]) => new Set(list.filter((a) => !a.revocation && a.expired !== true).map((a) => a.kindName));
  const heldNow = held(current);
  const heldBefore = held(previousAttestations);

  const version = modelVersionOf(raw);
  const previous = previousRaw ? modelVersionOf(previousRaw) : null;
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
  const releaseStatus = releaseStatusOf(raw, asOf.timestamp);
  const liveIn = [...new Set(raw.deployments.filter((d) => d.active).map((d) => d.environment.name))].sort();
  const licenceIds = (v: RawVersion | null) => [...new Set((v?.trainingRun?.datasetUses ?? []).map((u) => u.licence.id))].sort(compareIds);
  const dataKey = (u: DataUse) => u.datasetVersionId;

  return {
    asOf,
    version,
    previous,
    basis,
    environment,
    release: release ? releaseOf(release) : null,
    previousRelease: against === undefined && release?.previous ? releaseOf(release.previous) : null,
    hashes,
    changed: hashes.filter((h) => h.changed).map((h) => h.field),
    parent: {
      from: previous ? previous.parentId : null,
      to: version.parentId,
      changed: previous ? previous.parentId !== version.parentId : version.parentId !== null,
    },
    dataDeclared: flag("dataDeclared"),
    commercialData: flag("commercialData"),
    status: { ...releaseStatus, liveIn, liveButNotReleasable: liveIn.length > 0 && releaseStatus.releasable === false },
    trainingData: setChange(usesOf(previousRaw), usesOf(raw), dataKey),
    lineageData: setChange(lineageUses(lineageBefore), lineageUses(lineageNow), dataKey),
    licences: setChange(licenceIds(previousRaw), licenceIds(raw), (l) => l),
    attestations: {
      current,
      previous: previousAttestations,
      kindsGained: [...heldNow].filter((k) => !heldBefore.has(k)).sort(),
      kindsLost: [...heldBefore].filter((k) => !heldNow.has(k)).sort(),
      revoked: current.filter((a) => a.revocation !== null),
      roleRevoked: current.filter((a) => a.attesterHoldsRole === false),
    },
  };
}
