/**
 * "Was this data used?" — every model version trained on a dataset, a dataset version, or the dataset version(s)
 * holding an item (a file of a fingerprint manifest), directly or through datasets derived from it and models
 * fine-tuned from those, and whether any of them is deployed (live) now.
 */
import { computeFingerprint, manifestLeafHash, type Manifest, type ManifestEntry } from "../core/fingerprint.ts";
import { claimsFromContent, contentClaims, type DigestClaims, type RawContent } from "./claims.ts";
import type { AuditClient } from "./client.ts";
import { InvalidAuditInputError, NotInSubgraphError } from "./errors.ts";
import {
  DATASET_VERSION_NO_PARENTS,
  META,
  MODEL_VERSION,
  asOfOf,
  compareIds,
  createdStamp,
  datasetOf,
  datasetVersionOf,
  modelVersionOf,
  notFound,
  pinned,
  toBytes32,
  toId,
  type IdInput,
  type RawDatasetVersion,
  type RawMeta,
  type RawModelVersion,
  continuationQuery,
  type Ref,
} from "./shared.ts";
import type { AsOf, DatasetInfo, DatasetVersionInfo, ModelVersionInfo, TxStamp } from "./types.ts";

/** What to look for: a whole dataset, one version, or the version(s) whose manifest holds an item. */
export type WasDataUsedParameters =
  | { datasetId: IdInput }
  | { datasetVersionId: IdInput }
  | {
      /** The item's SHA-256 digest as listed in the manifest (or its manifest leaf hash). */
      itemHash: string;
      /** The fingerprint manifest (src/sdk/fingerprint.ts) that lists it; its root is looked up in the subgraph. */
      manifest: Manifest;
    };

/** How a model version came to use the data. */
export interface UsagePath {
  /**
   * - "direct": trained on a starting dataset version;
   * - "derived": trained on a dataset version derived (transitively) from a starting one;
   * - "fine-tune": fine-tuned (transitively) from a version that used it either way.
   */
  how: "direct" | "derived" | "fine-tune";
  /** From the starting dataset version to the one the training run used. */
  datasetVersionChain: string[];
  /** The model version whose training run used the last of `datasetVersionChain`. */
  trainedBy: string;
  /** The licence of that training use. */
  licenceId: string;
  /** Fine-tunes from `trainedBy` down to this version (excluded `trainedBy`, included this one); empty if none. */
  fineTuneChain: string[];
  /**
   * Set when the chain starts at another account's claim of the same fingerprint as a version asked about: the same
   * data, registered by `claimant` as dataset version `versionId`.
   */
  viaCompetingClaim: CompetingClaim | null;
  /** e.g. "fine-tuned from model version 1, trained on dataset version 2 (derived from 1)". */
  description: string;
}

/** Another account's version registered with the fingerprint of a version asked about. */
export interface CompetingClaim {
  versionId: string;
  claimant: string;
  /** The version asked about that has the same fingerprint. */
  sameFingerprintAs: string;
}

/** A model version that used the data. */
export interface DataUser {
  version: ModelVersionInfo;
  /** Shortest first. */
  paths: UsagePath[];
  /** Live now (at the answer's block) in these environments. */
  liveIn: Array<{ environment: string; deploymentId: string; deployer: string; deployed: TxStamp }>;
  live: boolean;
  /** Ever deployed anywhere. */
  everDeployed: boolean;
}

/** The answer of {@link wasDataUsed}. */
export interface WasDataUsedResult {
  asOf: AsOf;
  /** How the starting dataset versions were found. */
  matchedBy: "dataset" | "dataset-version" | "manifest";
  /** For an item: the manifest entry, its leaf, and the manifest's root and fingerprint as looked up. */
  item: { entry: ManifestEntry; leaf: string; manifestRoot: string; fingerprint: string } | null;
  /** The dataset versions the search started from. */
  startingVersionIds: string[];
  /** Every claim of the starting versions' fingerprints, one entry per fingerprint, in the order of the versions. */
  claims: DigestClaims[];
  /** Other accounts' versions registered with the same fingerprints: the same data, searched too. */
  competingClaimIds: string[];
  /** Those and every dataset version derived from them, with the dataset version they were derived through. */
  datasetVersions: Array<{ datasetVersion: DatasetVersionInfo; dataset: DatasetInfo; derivedFrom: string[] }>;
  /** Every model version that used the data, by id. */
  modelVersions: DataUser[];
  /** Whether any of them is live somewhere now. */
  anyLive: boolean;
  /** Ids of the live ones. */
  liveVersionIds: string[];
}

const DATA_DEPTH = 2;
/** Paths kept per dataset version (beyond, a dense derivation graph would multiply them). */
const MAX_PATHS = 16;
const MODEL_DEPTH = 2;

const DEPLOYMENTS = `deployments(first: 1000, orderBy: id) { id active environment { name } deployer { id } createdAtBlock createdAt createdTx }`;

function modelDown(depth: number): string {
  return `${MODEL_VERSION} ${DEPLOYMENTS} fineTunes(first: 1000, orderBy: id) { ${depth > 0 ? modelDown(depth - 1) : "id"} }`;
}

function dataDown(depth: number): string {
  return `${DATASET_VERSION_NO_PARENTS} parents(first: 1000) { id }
    trainingUses(first: 1000, orderBy: id) { id licence { id } modelVersion { ${modelDown(MODEL_DEPTH)} } }
    children(first: 1000, orderBy: id) { ${depth > 0 ? dataDown(depth - 1) : "id"} }`;
}

interface RawMV extends RawModelVersion {
  deployments: Array<{ id: string; active: boolean; environment: { name: string }; deployer: Ref; createdAtBlock: string; createdAt: string; createdTx: string }>;
  fineTunes: Array<RawMV | Ref>;
}

interface RawDV extends RawDatasetVersion {
  content?: RawContent;
  parents: Ref[];
  trainingUses: Array<{ id: string; licence: Ref; modelVersion: RawMV }>;
  children: Array<RawDV | Ref>;
}

const isFull = <T extends object>(node: T | Ref): node is T => "number" in node;

/** Every claim of the starting versions' fingerprints, and the other accounts' versions among them, by id. */
function claimsOfStarts(starts: RawDV[], now: number | null): { claims: DigestClaims[]; competing: Map<string, CompetingClaim> } {
  const startIds = new Set(starts.map((s) => s.id));
  const claims: DigestClaims[] = [];
  const competing = new Map<string, CompetingClaim>();
  for (const start of starts) {
    if (claims.some((c) => c.digest === start.fingerprint)) continue;
    const ofStart = claimsFromContent("dataset-fingerprint", start.fingerprint, start.content ?? null, now);
    claims.push(ofStart);
    for (const claim of ofStart.claims) {
      if (startIds.has(claim.versionId) || competing.has(claim.versionId)) continue;
      competing.set(claim.versionId, { versionId: claim.versionId, claimant: claim.claimant, sameFingerprintAs: start.id });
    }
  }
  return { claims, competing };
}

function moreQuery(models: boolean, data: boolean): string {
  return continuationQuery("WasDataUsedMore", models ? modelDown(MODEL_DEPTH) : null, data ? dataDown(DATA_DEPTH) : null);
}

/** The selection of a starting version: its graph downwards, and every claim of its fingerprint. */
const START = `${dataDown(DATA_DEPTH)} ${contentClaims("dataset-fingerprint")}`;

/**
 * Every model version trained on the data — directly, through derived datasets, or as a fine-tune of one that was —
 * with how, and whether it is live now. Other accounts' claims of the same fingerprint hold the same data: models
 * trained on them are found too, marked as reached through a competing claim. Usually one GraphQL round trip (one
 * more per three further levels of derivations or fine-tunes, or for other accounts' claims).
 *
 * @example
 * const used = await wasDataUsed(client, { datasetVersionId: 1n });
 * used.modelVersions.map((m) => m.version.id);   // ["1", "2", "3"]
 * used.liveVersionIds;                            // ["1"]: triage v1 is live in production
 * // By a file of a manifest you hold:
 * await wasDataUsed(client, { itemHash: "0x9f…", manifest: JSON.parse(await readFile("manifest.json", "utf8")) });
 * @throws NotInSubgraphError for an unknown dataset or version, or no version with the manifest's root;
 *   InvalidAuditInputError when the item is not in the given manifest.
 */
export async function wasDataUsed(client: AuditClient, parameters: WasDataUsedParameters): Promise<WasDataUsedResult> {
  if (parameters === null || typeof parameters !== "object") {
    throw new InvalidAuditInputError("parameters", "give { datasetId }, { datasetVersionId } or { itemHash, manifest }");
  }
  let matchedBy: WasDataUsedResult["matchedBy"];
  let item: WasDataUsedResult["item"] = null;
  let starts: RawDV[];
  let asOf: AsOf;

  if ("datasetId" in parameters) {
    matchedBy = "dataset";
    const id = toId(parameters.datasetId, "datasetId");
    const data = await client.request<{ dataset: { id: string; versions: RawDV[] } | null; _meta: RawMeta }>(
      `query WasDatasetUsed($id: ID!) { dataset(id: $id) { id versions(first: 1000, orderBy: number) { ${START} } } ${META} }`,
      { id },
    );
    if (!data.dataset) throw notFound(client, "dataset", id);
    starts = data.dataset.versions;
    asOf = asOfOf(data._meta);
  } else if ("datasetVersionId" in parameters) {
    matchedBy = "dataset-version";
    const id = toId(parameters.datasetVersionId, "datasetVersionId");
    const data = await client.request<{ datasetVersion: RawDV | null; _meta: RawMeta }>(
      `query WasDatasetVersionUsed($id: ID!) { datasetVersion(id: $id) { ${START} } ${META} }`,
      { id },
    );
    if (!data.datasetVersion) throw notFound(client, "dataset version", id);
    starts = [data.datasetVersion];
    asOf = asOfOf(data._meta);
  } else if ("itemHash" in parameters && "manifest" in parameters) {
    matchedBy = "manifest";
    const hash = toBytes32(parameters.itemHash, "itemHash");
    const manifest = parameters.manifest;
    if (!manifest || !Array.isArray(manifest.entries) || manifest.entries.length === 0) {
      throw new InvalidAuditInputError("manifest", "manifest must be a fingerprint manifest (pedigree-manifest-v1) with entries");
    }
    const entry = manifest.entries.find((e) => e.digest.toLowerCase() === hash) ?? manifest.entries.find((e) => manifestLeafHash(e) === hash);
    if (!entry) {
      throw new InvalidAuditInputError("itemHash", `no entry of the given manifest has digest or leaf ${hash}; check the hash (the file's SHA-256) and the manifest`);
    }
    const { root, fingerprint } = computeFingerprint(manifest);
    item = { entry, leaf: manifestLeafHash(entry), manifestRoot: root, fingerprint };
    const data = await client.request<{ byRoot: RawDV[]; byFingerprint: RawDV[]; _meta: RawMeta }>(
      `query WasItemUsed($root: Bytes!, $fingerprint: Bytes!) {
        byRoot: datasetVersions(where: { manifestRoot: $root }, first: 1000, orderBy: id) { ${START} }
        byFingerprint: datasetVersions(where: { fingerprint: $fingerprint }, first: 1000, orderBy: id) { ${START} }
        ${META}
      }`,
      { root, fingerprint },
    );
    const found = new Map<string, RawDV>();
    for (const dv of [...data.byRoot, ...data.byFingerprint]) found.set(dv.id, dv);
    if (found.size === 0) {
      throw new NotInSubgraphError(client.url, "dataset version", `with manifest root ${root}`, client.block && "number" in client.block ? client.block.number : null);
    }
    starts = [...found.values()];
    asOf = asOfOf(data._meta);
  } else {
    throw new InvalidAuditInputError("parameters", "give { datasetId }, { datasetVersionId } or { itemHash, manifest }");
  }

  // Collect the reachable graph, fetching open ends until closed.
  const same = pinned(client, asOf);
  const data = new Map<string, RawDV>();
  const models = new Map<string, RawMV>();
  const wantData = new Set<string>();
  const wantModels = new Set<string>();
  const visitModel = (node: RawMV): void => {
    if (models.has(node.id)) return;
    models.set(node.id, node);
    for (const child of node.fineTunes) {
      if (isFull<RawMV>(child)) visitModel(child);
      else wantModels.add(child.id);
    }
  };
  const visitData = (node: RawDV): void => {
    if (data.has(node.id)) return;
    data.set(node.id, node);
    for (const use of node.trainingUses) visitModel(use.modelVersion);
    for (const child of node.children) {
      if (isFull<RawDV>(child)) visitData(child);
      else wantData.add(child.id);
    }
  };
  starts.forEach(visitData);
  // Competing claims are fetched with the open ends below, and searched as starting points too.
  const { claims, competing } = claimsOfStarts(starts, asOf.timestamp);
  for (const versionId of competing.keys()) wantData.add(versionId);
  for (;;) {
    const modelIds = [...wantModels].filter((m) => !models.has(m));
    const dataIds = [...wantData].filter((d) => !data.has(d));
    wantModels.clear();
    wantData.clear();
    if (modelIds.length === 0 && dataIds.length === 0) break;
    const more = await same.request<{ modelVersions?: RawMV[]; datasetVersions?: RawDV[] }>(
      moreQuery(modelIds.length > 0, dataIds.length > 0),
      { ...(modelIds.length > 0 ? { models: modelIds } : {}), ...(dataIds.length > 0 ? { data: dataIds } : {}) },
    );
    for (const node of more.modelVersions ?? []) visitModel(node);
    for (const node of more.datasetVersions ?? []) visitData(node);
  }

  // Walk: starting versions → derived versions (BFS, shortest derivation first) → training uses → fine-tunes.
  const startIds = starts.map((s) => s.id).sort(compareIds);
  const competingIds = [...competing.keys()].filter((c) => data.has(c)).sort(compareIds);
  const derivedFrom = new Map<string, Set<string>>();
  const chains = new Map<string, string[][]>();
  const queue: string[][] = [...startIds, ...competingIds].map((s) => [s]);
  while (queue.length > 0) {
    const chain = queue.shift()!;
    const dvId = chain.at(-1)!;
    const list = chains.get(dvId) ?? [];
    list.push(chain);
    chains.set(dvId, list);
    if (list.length > MAX_PATHS) continue; // a dense DAG: the first paths suffice to show how
    for (const child of data.get(dvId)?.children ?? []) {
      if (chain.includes(child.id) || !data.has(child.id)) continue;
      const from = derivedFrom.get(child.id) ?? new Set<string>();
      from.add(dvId);
      derivedFrom.set(child.id, from);
      queue.push([...chain, child.id]);
    }
  }

  const paths = new Map<string, UsagePath[]>();
  const describe = (p: Omit<UsagePath, "how" | "description">): UsagePath => {
    const how: UsagePath["how"] = p.fineTuneChain.length > 0 ? "fine-tune" : p.datasetVersionChain.length > 1 ? "derived" : "direct";
    const used = p.datasetVersionChain.at(-1)!;
    const derivation = p.datasetVersionChain.length > 1 ? ` (derived from ${[...p.datasetVersionChain].reverse().slice(1).join(", from ")})` : "";
    const claim = p.viaCompetingClaim
      ? `, dataset version ${p.viaCompetingClaim.versionId} being ${p.viaCompetingClaim.claimant}'s claim of the same fingerprint as dataset version ${p.viaCompetingClaim.sameFingerprintAs}`
      : "";
    const trained = `trained on dataset version ${used}${derivation} under licence ${p.licenceId}${claim}`;
    const fine = p.fineTuneChain.length > 0 ? `fine-tuned from model version ${[p.trainedBy, ...p.fineTuneChain.slice(0, -1)].reverse().join(", from ")}, which was ` : "";
    return { how, ...p, description: `${fine}${trained}` };
  };
  const addPath = (mvId: string, p: Omit<UsagePath, "how" | "description">): boolean => {
    const list = paths.get(mvId) ?? [];
    if (list.length >= MAX_PATHS) return false;
    list.push(describe(p));
    paths.set(mvId, list);
    return true;
  };
  const walkFineTunes = (mv: RawMV, base: Omit<UsagePath, "how" | "description">): void => {
    for (const child of mv.fineTunes) {
      const node = models.get(child.id);
      if (!node || base.fineTuneChain.includes(child.id) || child.id === base.trainedBy) continue;
      const p = { ...base, fineTuneChain: [...base.fineTuneChain, child.id] };
      if (addPath(child.id, p)) walkFineTunes(node, p);
    }
  };
  for (const [dvId, list] of chains) {
    for (const chain of list) {
      for (const use of data.get(dvId)!.trainingUses) {
        const base = {
          datasetVersionChain: chain,
          trainedBy: use.modelVersion.id,
          licenceId: use.licence.id,
          fineTuneChain: [] as string[],
          viaCompetingClaim: competing.get(chain[0]!) ?? null,
        };
        if (addPath(use.modelVersion.id, base)) walkFineTunes(models.get(use.modelVersion.id)!, base);
      }
    }
  }

  const rank = (p: UsagePath) => p.datasetVersionChain.length + p.fineTuneChain.length;
  const users: DataUser[] = [...paths.entries()]
    .map(([mvId, list]) => {
      const raw = models.get(mvId)!;
      const liveIn = raw.deployments
        .filter((d) => d.active)
        .map((d) => ({ environment: d.environment.name, deploymentId: d.id, deployer: d.deployer.id, deployed: createdStamp(d) }));
      const unique = new Map(list.map((p) => [JSON.stringify([p.datasetVersionChain, p.trainedBy, p.licenceId, p.fineTuneChain]), p]));
      // Paths from the data asked about come before paths through competing claims.
      const viaClaim = (p: UsagePath) => (p.viaCompetingClaim ? 1 : 0);
      return {
        version: modelVersionOf(raw),
        paths: [...unique.values()].sort((a, b) => viaClaim(a) - viaClaim(b) || rank(a) - rank(b)),
        liveIn,
        live: liveIn.length > 0,
        everDeployed: raw.deployments.length > 0,
      };
    })
    .sort((a, b) => compareIds(a.version.id, b.version.id));

  const datasetVersions = [...chains.keys()]
    .sort(compareIds)
    .map((dvId) => {
      const raw = data.get(dvId)!;
      return {
        datasetVersion: datasetVersionOf(raw, raw.parents.map((p) => p.id)),
        dataset: datasetOf(raw.dataset),
        derivedFrom: [...(derivedFrom.get(dvId) ?? [])].sort(compareIds),
      };
    });

  const live = users.filter((u) => u.live).map((u) => u.version.id);
  return {
    asOf,
    matchedBy,
    item,
    startingVersionIds: startIds,
    claims,
    competingClaimIds: competingIds,
    datasetVersions,
    modelVersions: users,
    anyLive: live.length > 0,
    liveVersionIds: live,
  };
}
