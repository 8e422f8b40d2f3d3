/**
 * "Was this data used?" — every model version trained on a dataset, a dataset version, or the dataset version(s)
 * holding an item (a file of a fingerprint manifest), directly or through datasets derived from it and models
 * fine-tuned from those, and whether any of them is deployed (live) now.
 */
import { InvalidInputError } from "../core/errors.ts";
import { computeFingerprint, manifestLeafHash, type Manifest, type ManifestEntry } from "../core/fingerprint.ts";
import { digestClaimsOf, type DigestClaims } from "./claims.ts";
import type { AuditClient } from "./client.ts";
import {
  LineageDownDocument,
  StartClaimsDocument,
  WasDatasetUsedDocument,
  WasDatasetVersionUsedDocument,
  WasItemUsedDocument,
  type DownDataFragment,
  type DownModelFragment,
} from "./generated/graphql.ts";
import { closeLineage, type LineageGraph } from "./lineage.ts";
import {
  asOfOf,
  compareIds,
  createdStamp,
  datasetOf,
  datasetVersionOf,
  fetchAll,
  modelVersionOf,
  notFound,
  olderFineTunes,
  pinned,
  toBytes32,
  toId,
  type IdInput,
} from "./shared.ts";
import type { AsOf, DatasetInfo, DatasetVersionInfo, ModelVersionInfo, TxStamp } from "./types.ts";

/** What to look for: a whole dataset, one version, or the version(s) whose manifest holds an item. */
export type WasDataUsedParameters =
  | { datasetId: IdInput }
  | { datasetVersionId: IdInput }
  | {
      /** The item's SHA-256 digest as listed in the manifest (or its manifest leaf hash). */
      itemHash: string;
      /** The fingerprint manifest (src/core/fingerprint.ts) that lists it; its root is looked up in the subgraph. */
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
  /**
   * The model version this one was fine-tuned from on this path, null when it is `trainedBy` itself. That version is
   * in the answer too, with its own paths: following them leads back to `trainedBy`. An id rather than the whole
   * chain, so that a deep chain's answer grows with its length, not its square.
   */
  fineTunedFrom: string | null;
  /** Fine-tunes from `trainedBy` down to this version; 0 when it is `trainedBy`. */
  fineTuneDepth: number;
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

/** Paths kept per dataset version and per model version (beyond, a dense lineage graph would multiply them). */
const MAX_PATHS = 16;

type Usage = Omit<UsagePath, "how" | "description">;
type DownGraph = LineageGraph<DownModelFragment, DownDataFragment>;

/** The dataset versions the search starts from, how they were found, and the block of the answer. */
interface Starts {
  matchedBy: WasDataUsedResult["matchedBy"];
  item: WasDataUsedResult["item"];
  starts: DownDataFragment[];
  asOf: AsOf;
}

const PARAMETERS_HINT = "give { datasetId }, { datasetVersionId } or { itemHash, manifest }";

async function datasetStarts(client: AuditClient, datasetId: IdInput): Promise<Starts> {
  const id = toId(datasetId, "datasetId");
  const data = await client.request(WasDatasetUsedDocument, { id });
  if (!data.dataset) throw notFound(client, "dataset", id);
  return { matchedBy: "dataset", item: null, starts: data.dataset.versions, asOf: asOfOf(client, data._meta) };
}

async function versionStarts(client: AuditClient, datasetVersionId: IdInput): Promise<Starts> {
  const id = toId(datasetVersionId, "datasetVersionId");
  const data = await client.request(WasDatasetVersionUsedDocument, { id });
  if (!data.datasetVersion) throw notFound(client, "dataset version", id);
  return { matchedBy: "dataset-version", item: null, starts: [data.datasetVersion], asOf: asOfOf(client, data._meta) };
}

/** The manifest's entry whose digest (or else leaf) is `itemHash`, with the manifest's root and fingerprint. */
function itemOf(itemHash: string, manifest: Manifest): NonNullable<WasDataUsedResult["item"]> {
  const hash = toBytes32(itemHash, "itemHash");
  if (!manifest || !Array.isArray(manifest.entries) || manifest.entries.length === 0) {
    throw new InvalidInputError("manifest", "manifest must be a fingerprint manifest (pedigree-manifest-v1) with entries");
  }
  const entry = manifest.entries.find((e) => e.digest.toLowerCase() === hash) ?? manifest.entries.find((e) => manifestLeafHash(e) === hash);
  if (!entry) {
    throw new InvalidInputError("itemHash", `no entry of the given manifest has digest or leaf ${hash}; check the hash (the file's SHA-256) and the manifest`);
  }
  const { root, fingerprint } = computeFingerprint(manifest);
  return { entry, leaf: manifestLeafHash(entry), manifestRoot: root, fingerprint };
}

async function itemStarts(client: AuditClient, itemHash: string, manifest: Manifest): Promise<Starts> {
  const item = itemOf(itemHash, manifest);
  const data = await client.request(WasItemUsedDocument, { root: item.manifestRoot, fingerprint: item.fingerprint });
  const found = new Map<string, DownDataFragment>();
  for (const dv of [...data.byRoot, ...data.byFingerprint]) found.set(dv.id, dv);
  if (found.size === 0) throw notFound(client, "dataset version", `with manifest root ${item.manifestRoot}`);
  return { matchedBy: "manifest", item, starts: [...found.values()], asOf: asOfOf(client, data._meta) };
}

function startsOf(client: AuditClient, parameters: WasDataUsedParameters): Promise<Starts> {
  if (parameters === null || typeof parameters !== "object") throw new InvalidInputError("parameters", PARAMETERS_HINT);
  if ("datasetId" in parameters) return datasetStarts(client, parameters.datasetId);
  if ("datasetVersionId" in parameters) return versionStarts(client, parameters.datasetVersionId);
  if ("itemHash" in parameters && "manifest" in parameters) return itemStarts(client, parameters.itemHash, parameters.manifest);
  throw new InvalidInputError("parameters", PARAMETERS_HINT);
}

/** Every claim of the starting versions' fingerprints; other accounts' claims among them, by id, with their nodes. */
interface StartClaims {
  claims: DigestClaims[];
  competing: Map<string, CompetingClaim>;
  nodes: DownDataFragment[];
}

async function claimsOfStarts(client: AuditClient, starts: readonly DownDataFragment[], now: number | null): Promise<StartClaims> {
  const fingerprints = [...new Set(starts.map((s) => s.fingerprint))];
  if (fingerprints.length === 0) return { claims: [], competing: new Map(), nodes: [] };
  const raws = await fetchAll(client, StartClaimsDocument, { fingerprints }, (data) => data.claims);
  const startIds = new Set(starts.map((s) => s.id));
  const claims: DigestClaims[] = [];
  const competing = new Map<string, CompetingClaim>();
  for (const digest of fingerprints) {
    const ofDigest = digestClaimsOf("dataset-fingerprint", digest, raws.filter((r) => r.fingerprint === digest), now);
    claims.push(ofDigest);
    const sameFingerprintAs = starts.find((s) => s.fingerprint === digest)!.id;
    for (const claim of ofDigest.claims) {
      if (startIds.has(claim.versionId) || competing.has(claim.versionId)) continue;
      competing.set(claim.versionId, { versionId: claim.versionId, claimant: claim.claimant, sameFingerprintAs });
    }
  }
  return { claims, competing, nodes: raws.filter((r) => competing.has(r.id)) };
}

/** Everything downward of `starts`: derived dataset versions, the model versions trained on them, their fine-tunes. */
function downwardLineage(client: AuditClient, starts: readonly DownDataFragment[]): Promise<DownGraph> {
  return closeLineage<DownModelFragment, DownDataFragment>(
    { models: [], data: starts },
    {
      fromModel: (m) => ({ models: m.fineTunes.map((f) => f.id), data: [] }),
      fromData: (d) => ({ models: d.trainingUses.map((u) => u.modelVersion.id), data: d.children.map((c) => c.id) }),
      fetch: async (ids) => {
        const page = await client.request(LineageDownDocument, ids);
        return { models: page.modelVersions, data: page.datasetVersions };
      },
    },
  );
}

/** Derivation chains from the roots to every dataset version reached (breadth first: shortest first). */
interface Derivations {
  chains: Map<string, string[][]>;
  derivedFrom: Map<string, Set<string>>;
}

function derivationsFrom(roots: readonly string[], data: ReadonlyMap<string, DownDataFragment>): Derivations {
  const chains = new Map<string, string[][]>();
  const derivedFrom = new Map<string, Set<string>>();
  const queue: string[][] = roots.map((root) => [root]);
  for (let chain = queue.shift(); chain; chain = queue.shift()) {
    const dvId = chain.at(-1)!;
    const list = chains.get(dvId) ?? [];
    list.push(chain);
    chains.set(dvId, list);
    if (list.length > MAX_PATHS) continue; // a dense DAG: the first paths suffice to show how
    for (const child of data.get(dvId)?.children ?? []) {
      if (chain.includes(child.id) || !data.has(child.id)) continue;
      derivedFrom.set(child.id, (derivedFrom.get(child.id) ?? new Set<string>()).add(dvId));
      queue.push([...chain, child.id]);
    }
  }
  return { chains, derivedFrom };
}

/**
 * e.g. "fine-tuned from model version 1, which was trained on dataset version 2 (derived from 1) under licence 3". A
 * fine-tune chain is named by its ends, whatever its length: "fine-tuned from model version 9, itself fine-tuned from
 * 1 in 8 steps, which was trained on …".
 */
function describeUsage(usage: Usage): UsagePath {
  const how: UsagePath["how"] = usage.fineTuneDepth > 0 ? "fine-tune" : usage.datasetVersionChain.length > 1 ? "derived" : "direct";
  const used = usage.datasetVersionChain.at(-1)!;
  const derivation =
    usage.datasetVersionChain.length > 1 ? ` (derived from ${[...usage.datasetVersionChain].reverse().slice(1).join(", from ")})` : "";
  const claim = usage.viaCompetingClaim
    ? `, dataset version ${usage.viaCompetingClaim.versionId} being ${usage.viaCompetingClaim.claimant}'s claim of the same fingerprint as dataset version ${usage.viaCompetingClaim.sameFingerprintAs}`
    : "";
  const trained = `trained on dataset version ${used}${derivation} under licence ${usage.licenceId}${claim}`;
  const fine =
    usage.fineTuneDepth > 0 ? `fine-tuned from model version ${usage.fineTunedFrom}${olderFineTunes(usage.trainedBy, usage.fineTuneDepth)}, which was ` : "";
  return { how, ...usage, description: `${fine}${trained}` };
}

/** Every usage path (at most {@link MAX_PATHS} each) from the derivation chains to the model versions, by model version. */
function usagePathsOf(chains: Derivations["chains"], graph: DownGraph, competing: ReadonlyMap<string, CompetingClaim>): Map<string, UsagePath[]> {
  const paths = new Map<string, UsagePath[]>();
  const addPath = (mvId: string, usage: Usage): boolean => {
    const list = paths.get(mvId) ?? [];
    if (list.length >= MAX_PATHS) return false;
    list.push(describeUsage(usage));
    paths.set(mvId, list);
    return true;
  };
  // Down the fine-tunes breadth first, shorter paths before longer ones, without recursion (a chain can be thousands
  // deep). A version takes at most MAX_PATHS paths, which also ends the walk should the fine-tunes ever form a cycle.
  const walkFineTunes = (from: DownModelFragment, base: Usage): void => {
    const queue: Array<[DownModelFragment, Usage]> = [[from, base]];
    for (let i = 0; i < queue.length; i++) {
      const [mv, usage] = queue[i]!;
      for (const child of mv.fineTunes) {
        const node = graph.models.get(child.id);
        if (!node || child.id === usage.trainedBy) continue;
        const childUsage = { ...usage, fineTunedFrom: mv.id, fineTuneDepth: usage.fineTuneDepth + 1 };
        if (addPath(child.id, childUsage)) queue.push([node, childUsage]);
      }
    }
  };
  for (const [dvId, list] of chains) {
    for (const chain of list) {
      for (const use of graph.data.get(dvId)!.trainingUses) {
        const trainedBy = graph.models.get(use.modelVersion.id);
        if (!trainedBy) continue;
        const base = { datasetVersionChain: chain, trainedBy: trainedBy.id, licenceId: use.licence.id, fineTunedFrom: null, fineTuneDepth: 0, viaCompetingClaim: competing.get(chain[0]!) ?? null };
        if (addPath(trainedBy.id, base)) walkFineTunes(trainedBy, base);
      }
    }
  }
  return paths;
}

const rank = (p: UsagePath) => p.datasetVersionChain.length + p.fineTuneDepth;
/** Paths from the data asked about come before paths through competing claims. */
const viaClaim = (p: UsagePath) => (p.viaCompetingClaim ? 1 : 0);

function dataUserOf(node: DownModelFragment, paths: readonly UsagePath[]): DataUser {
  const liveIn = node.deployments
    .filter((d) => d.active)
    .map((d) => ({ environment: d.environment.name, deploymentId: d.id, deployer: d.deployer.id, deployed: createdStamp(d) }));
  const unique = new Map(paths.map((p) => [JSON.stringify([p.datasetVersionChain, p.trainedBy, p.licenceId, p.fineTunedFrom, p.fineTuneDepth]), p]));
  return {
    version: modelVersionOf(node),
    paths: [...unique.values()].sort((a, b) => viaClaim(a) - viaClaim(b) || rank(a) - rank(b)),
    liveIn,
    live: liveIn.length > 0,
    everDeployed: node.deployments.length > 0,
  };
}

/**
 * Every model version trained on the data — directly, through derived datasets, or as a fine-tune of one that was —
 * with how, and whether it is live now. Other accounts' claims of the same fingerprint hold the same data: models
 * trained on them are found too, marked as reached through a competing claim. Round trips: one for the starting
 * versions, one for every claim of their fingerprints, then one per level of the lineage below them (derivations,
 * training runs, fine-tunes), all at the block of the first answer.
 *
 * @example
 * const used = await wasDataUsed(client, { datasetVersionId: 1n });
 * used.modelVersions.map((m) => m.version.id);   // ["1", "2", "3"]
 * used.liveVersionIds;                            // ["1"]: triage v1 is live in production
 * // By a file of a manifest you hold:
 * await wasDataUsed(client, { itemHash: "0x9f…", manifest: JSON.parse(await readFile("manifest.json", "utf8")) });
 * @throws NotInSubgraphError for an unknown dataset or version, or no version with the manifest's root;
 *   InvalidInputError when the item is not in the given manifest.
 */
export async function wasDataUsed(client: AuditClient, parameters: WasDataUsedParameters): Promise<WasDataUsedResult> {
  const { matchedBy, item, starts, asOf } = await startsOf(client, parameters);
  const same = pinned(client, asOf);
  const { claims, competing, nodes } = await claimsOfStarts(same, starts, asOf.timestamp);
  const graph = await downwardLineage(same, [...starts, ...nodes]);

  const startIds = starts.map((s) => s.id).sort(compareIds);
  const competingIds = [...competing.keys()].filter((c) => graph.data.has(c)).sort(compareIds);
  const { chains, derivedFrom } = derivationsFrom([...startIds, ...competingIds], graph.data);
  const users = [...usagePathsOf(chains, graph, competing)]
    .map(([mvId, paths]) => dataUserOf(graph.models.get(mvId)!, paths))
    .sort((a, b) => compareIds(a.version.id, b.version.id));
  const datasetVersions = [...chains.keys()].sort(compareIds).map((dvId) => {
    const node = graph.data.get(dvId)!;
    return { datasetVersion: datasetVersionOf(node), dataset: datasetOf(node.dataset), derivedFrom: [...(derivedFrom.get(dvId) ?? [])].sort(compareIds) };
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
