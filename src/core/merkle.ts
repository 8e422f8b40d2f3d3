/**
 * Merkle trees that are bit-for-bit OpenZeppelin `StandardMerkleTree`s (@openzeppelin/merkle-tree 1.x), built fast.
 *
 * Compatibility, point by point (so a root or proof from here verifies with OpenZeppelin's `MerkleProof` and loads
 * into `StandardMerkleTree`):
 *  - leaf = keccak256(bytes.concat(keccak256(abi.encode(...value)))) — `standardLeafHash`;
 *  - leaves sorted ascending as unsigned 256-bit integers (byte-wise), equal leaves keeping input order (stable);
 *  - tree = flat array of 2n − 1 nodes, sorted leaf j at index 2n − 2 − j, node i = keccak256 of its children
 *    2i + 1 and 2i + 2 concatenated smaller-first (`standardNodeHash`, `MerkleProof`'s commutative hash);
 *  - proof of a leaf = its siblings from the leaf up to (excluding) the root; for a repeated value, the proof of its
 *    last occurrence, like `StandardMerkleTree.getProof(value)`.
 *
 * Speed: all hashing runs in a generated WebAssembly keccak (src/core/hashing/keccak/) over one flat buffer;
 * leaves are sorted with a native typed-array sort on 64-bit keys; no hex strings are made until a proof is asked for.
 */
import { InvalidInputError, PedigreeError } from "./errors.ts";
import { DATA_START, KeccakWasm, keccak256Bytes } from "./hashing/keccak/wasm.ts";
import { compare32, InvalidBytes32Error, toHex, writeBytes32 } from "./hashing/bytes.ts";
import { defaultThreads, KeccakPool } from "./hashing/keccak/pool.ts";
import { JOB_HASH32, JOB_SUBTREES } from "./hashing/keccak/jobs.ts";

export { InvalidBytes32Error } from "./hashing/bytes.ts";

/** A bytes32: 0x-prefixed 64-digit hex (either case) or a 32-byte Uint8Array. */
export type Bytes32 = string | Uint8Array;

/** Thrown when a tree would have no leaves (OpenZeppelin's trees cannot be empty either). */
export class EmptyTreeError extends InvalidInputError {
  override name = "EmptyTreeError";
  constructor(what = "values") {
    super(what, `cannot build a Merkle tree of zero ${what}; pass at least one`);
  }
}

/** Thrown when a proof is asked for a value that is not in the tree. */
export class NotInTreeError extends PedigreeError {
  override name = "NotInTreeError";
  constructor(value: string) {
    super(`${value} is not a leaf of this tree; check the value, or build the tree that contains it`, { code: "NOT_IN_TREE" });
  }
}

/** Thrown by `load` when the data's recorded root is not the root its records rebuild to. */
export class RootMismatchError extends InvalidInputError {
  override name = "RootMismatchError";
  constructor(expected: string, actual: string) {
    super("dump", `the records rebuild to root ${actual}, not the recorded ${expected}; the dump is corrupt or was edited`);
  }
}

/** Thrown by `load` for data that is not a dump of the expected format. */
export class InvalidDumpError extends InvalidInputError {
  override name = "InvalidDumpError";
  constructor(reason: string) {
    super("dump", `not a valid tree dump: ${reason}; pass an object produced by dump()`);
  }
}

/** Thrown for an index outside [0, size). */
export class IndexOutOfRangeError extends InvalidInputError {
  override name = "IndexOutOfRangeError";
  constructor(index: number, size: number) {
    super("index", `index ${index} is out of range for a tree of ${size} values; use 0 … ${size - 1}`);
  }
}

/** Options for building large trees. */
export interface BuildOptions {
  /**
   * Threads that hash (the main thread and threads − 1 workers, at most 3). Default: the available cores for trees
   * of at least {@link PARALLEL_MIN_LEAVES} leaves, 1 below. Setting it to 2 or more uses workers at any size.
   */
  threads?: number;
}

/** Trees at least this large are hashed on all cores by default (smaller ones finish before workers start). */
export const PARALLEL_MIN_LEAVES = 32_768;

/** Records per chunk of parallel leaf hashing. */
const LEAF_CHUNK = 8192;

function threadsFor(n: number, options: BuildOptions): number {
  if (options.threads !== undefined) {
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new InvalidInputError("threads", `threads must be a positive integer, got ${options.threads}`);
    }
    return n > 1 ? options.threads : 1;
  }
  return n >= PARALLEL_MIN_LEAVES ? defaultThreads() : 1;
}

// ------------------------------------------------------------------ core: a tree over 32-byte leaves

/**
 * Sorted order of n 32-byte leaves at `ptr` in `mem`: order[j] = input index of the j-th smallest leaf, ties in input
 * order. Sorts 64-bit keys (the leaf's first 64 − b bits, then the b-bit index, n ≤ 2^b) with the native typed-array
 * sort, then re-sorts the rare runs whose key prefixes collide by the full 32 bytes.
 */
function sortedOrder(mem: Uint8Array, ptr: number, n: number): Uint32Array {
  const order = new Uint32Array(n);
  if (n === 1) return order;
  const bits = Math.max(1, Math.ceil(Math.log2(n)));
  if (bits > 31) throw new InvalidInputError("values", `a tree of ${n} leaves is too large; split it into trees of at most 2^31 leaves`);
  const mask = 2 ** bits - 1;
  const keys = new BigUint64Array(n);
  const words = new Uint32Array(keys.buffer);
  const view = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  for (let i = 0; i < n; i++) {
    const at = ptr + 32 * i;
    words[2 * i] = (view.getUint32(at + 4) & ~mask) | i;
    words[2 * i + 1] = view.getUint32(at);
  }
  keys.sort();
  for (let j = 0; j < n; j++) order[j] = words[2 * j]! & mask;
  for (let j = 0; j < n - 1; ) {
    let end = j + 1;
    while (end < n && words[2 * end + 1] === words[2 * j + 1] && ((words[2 * end]! ^ words[2 * j]!) & ~mask) === 0) end++;
    if (end - j > 1) {
      const run = Array.from(order.subarray(j, end));
      run.sort((a, b) => compare32(mem, ptr + 32 * a, mem, ptr + 32 * b) || a - b);
      order.set(run, j);
    }
    j = end;
  }
  return order;
}

/**
 * An OpenZeppelin-layout Merkle tree over already-hashed 32-byte leaves. The typed wrappers ({@link DecisionTree},
 * {@link StandardTree}) hash values into leaves and delegate here.
 */
export class MerkleTree {
  /** Number of leaves. */
  readonly size: number;
  /** All 2n − 1 nodes, 32 bytes each, in OpenZeppelin's array order (root first). */
  readonly nodes: Uint8Array;
  /** treeIndex[i] = position in `nodes` of the leaf of input value i. */
  private readonly treeIndex: Uint32Array;
  /** order[j] = input index of the j-th smallest leaf (at tree position 2n − 2 − j). */
  private readonly order: Uint32Array;

  private constructor(nodes: Uint8Array, order: Uint32Array) {
    const n = order.length;
    this.size = n;
    this.nodes = nodes;
    this.order = order;
    this.treeIndex = new Uint32Array(n);
    for (let j = 0; j < n; j++) this.treeIndex[order[j]!] = 2 * n - 2 - j;
  }

  /**
   * Builds the tree from n leaves already in `k`'s memory at `leavesPtr` (32 bytes each, in input order), using the
   * memory after them for the tree. `k` then belongs to the tree (its memory holds `nodes`). With a pool (whose
   * memory `k` must be), the internal nodes are hashed on all its threads.
   *
   * @example
   * const k = new KeccakWasm(); k.reserve(32 * 3 * n);  // leaves + tree
   * // … write n leaf hashes at DATA_START …
   * const tree = MerkleTree.fromWasmLeaves(k, DATA_START, n);
   */
  static fromWasmLeaves(k: KeccakWasm, leavesPtr: number, n: number, pool?: KeccakPool): MerkleTree {
    if (n === 0) throw new EmptyTreeError("leaves");
    const treePtr = leavesPtr + 32 * n;
    k.reserve(treePtr - DATA_START + 32 * (2 * n - 1));
    const mem = k.bytes();
    const order = sortedOrder(mem, leavesPtr, n);
    const words = new Int32Array(mem.buffer);
    const last = (treePtr >> 2) + 8 * (2 * n - 2);
    for (let j = 0; j < n; j++) {
      const src = (leavesPtr >> 2) + 8 * order[j]!;
      const dst = last - 8 * j;
      for (let w = 0; w < 8; w++) words[dst + w] = words[src + w]!;
    }
    // Subtrees below depth d in parallel (16 of them for big trees), then the 2^d − 1 nodes above them.
    const depth = pool ? Math.min(4, Math.floor(Math.log2(n)) - 1) : 0;
    if (pool && depth >= 1) {
      pool.run(JOB_SUBTREES, 2 ** depth, [treePtr, n, depth]);
      k.tree(treePtr, 2 ** depth - 2, 0);
    } else {
      k.tree(treePtr, n - 2, 0);
    }
    return new MerkleTree(mem.subarray(treePtr, treePtr + 32 * (2 * n - 1)), order);
  }

  /**
   * Builds the tree from leaf hashes (OpenZeppelin `makeMerkleTree` after sorting).
   *
   * @example
   * const tree = MerkleTree.fromLeaves([leafA, leafB]); // leaves as bytes32
   * tree.root; // same as StandardMerkleTree's root over the values that hash to leafA and leafB
   */
  static fromLeaves(leaves: readonly Bytes32[], options: BuildOptions = {}): MerkleTree {
    const n = leaves.length;
    if (n === 0) throw new EmptyTreeError("leaves");
    return withKeccak(3 * 32 * n, threadsFor(n, options), (k, pool) => {
      const mem = k.bytes();
      leaves.forEach((leaf, i) => writeBytes32(mem, DATA_START + 32 * i, leaf, `leaf ${i}`));
      return MerkleTree.fromWasmLeaves(k, DATA_START, n, pool);
    });
  }

  /**
   * The root, 0x-prefixed hex.
   *
   * @example
   * MerkleTree.fromLeaves([leaf]).root === leaf; // a one-leaf tree's root is the leaf
   */
  get root(): string {
    return toHex(this.nodes, 0, 32);
  }

  /**
   * The leaf hash of input value i.
   *
   * @example
   * tree.leaf(0); // "0x…"
   */
  leaf(index: number): string {
    this.check(index);
    return toHex(this.nodes, 32 * this.treeIndex[index]!, 32);
  }

  /**
   * The proof of input value i: sibling hashes from the leaf up, as `MerkleProof.verify` takes them.
   *
   * @example
   * tree.proofAt(0); // ["0x…", "0x…", …]
   */
  proofAt(index: number): string[] {
    this.check(index);
    const proof: string[] = [];
    for (let t = this.treeIndex[index]!; t > 0; t = (t - 1) >> 1) {
      const sibling = t % 2 === 1 ? t + 1 : t - 1;
      proof.push(toHex(this.nodes, 32 * sibling, 32));
    }
    return proof;
  }

  /**
   * The input index of a leaf hash (its last occurrence if repeated, as StandardMerkleTree does), or −1. Binary
   * search over the sorted leaves: O(log n), no lookup table.
   *
   * @example
   * tree.indexOfLeaf(standardLeafOf(abiEncoded)); // 17, or -1
   */
  indexOfLeaf(leaf: Uint8Array): number {
    const n = this.size;
    const base = 32 * (n - 1); // sorted position j lives at node 2n − 2 − j, i.e. byte base + 32(n − 1 − j)
    let lo = 0;
    let hi = n; // first j whose leaf > target
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare32(this.nodes, base + 32 * (n - 1 - mid), leaf, 0) <= 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0 || compare32(this.nodes, base + 32 * (n - lo), leaf, 0) !== 0) return -1;
    return this.order[lo - 1]!;
  }

  /**
   * All nodes as hex, root first — the `tree` of a StandardMerkleTree dump.
   *
   * @example
   * tree.hexNodes()[0] === tree.root; // true
   */
  hexNodes(): string[] {
    return Array.from({ length: 2 * this.size - 1 }, (_, i) => toHex(this.nodes, 32 * i, 32));
  }

  /**
   * Position in {@link hexNodes} of input value i's leaf (StandardMerkleTree's `treeIndex`).
   *
   * @example
   * tree.hexNodes()[tree.treeIndexOf(3)] === tree.leaf(3); // true
   */
  treeIndexOf(index: number): number {
    this.check(index);
    return this.treeIndex[index]!;
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new IndexOutOfRangeError(index, this.size);
  }
}

/** Runs `job` with a keccak memory of `bytes` caller bytes: a plain one, or a shared one with a thread pool. */
function withKeccak<R>(bytes: number, threads: number, job: (k: KeccakWasm, pool?: KeccakPool) => R): R {
  if (threads <= 1) {
    const k = new KeccakWasm();
    k.reserve(bytes);
    return job(k);
  }
  const pool = KeccakPool.open(bytes, threads);
  try {
    return job(pool.k, pool);
  } finally {
    pool.close();
  }
}

// ------------------------------------------------------------------ proofs

let pairScratch: Uint8Array | undefined;

/**
 * Folds a proof onto a leaf the way `MerkleProof.processProof` does (sorted-pair keccak256); returns the root.
 *
 * @example
 * processProof(tree.leaf(0), tree.proofAt(0)) === tree.root; // true
 */
export function processProof(leaf: Bytes32, proof: readonly Bytes32[]): string {
  pairScratch ??= new Uint8Array(64);
  const pair = pairScratch;
  const node = new Uint8Array(32);
  writeBytes32(node, 0, leaf, "leaf");
  const sibling = new Uint8Array(32);
  let current: Uint8Array = node;
  proof.forEach((p, i) => {
    writeBytes32(sibling, 0, p, `proof[${i}]`);
    if (compare32(current, 0, sibling, 0) <= 0) {
      pair.set(current, 0);
      pair.set(sibling, 32);
    } else {
      pair.set(sibling, 0);
      pair.set(current, 32);
    }
    current = keccak256Bytes(pair);
  });
  return toHex(current);
}

/**
 * Does `proof` take `leaf` to `root`? The check `MerkleProof.verify(proof, root, leaf)` makes on-chain.
 *
 * @example
 * verifyProof(tree.root, tree.leaf(3), tree.proofAt(3)); // true
 */
export function verifyProof(root: Bytes32, leaf: Bytes32, proof: readonly Bytes32[]): boolean {
  const expected = new Uint8Array(32);
  writeBytes32(expected, 0, root, "root");
  return processProof(leaf, proof) === toHex(expected);
}

/**
 * keccak256(keccak256(data)) as bytes — the StandardMerkleTree leaf of an ABI encoding.
 *
 * @example
 * standardLeafOf(abiEncodedTuple); // Uint8Array(32)
 */
export function standardLeafOf(abiEncoded: Uint8Array): Uint8Array {
  return keccak256Bytes(keccak256Bytes(abiEncoded));
}

// ------------------------------------------------------------------ leaf encoders and typed trees

/** How values become StandardMerkleTree leaves: the leaf's Solidity types and their ABI encoding. */
export interface LeafEncoder<T> {
  /** The `leafEncoding` of StandardMerkleTree, e.g. `["string", "uint256", "bytes32"]`. */
  readonly types: readonly string[];
  /** `abi.encode(...)` of the value's fields, in `types` order. */
  encode(value: T): Uint8Array;
  /** The value as the array StandardMerkleTree.of takes (used by {@link StandardTree.toStandardDump}). */
  tuple(value: T): unknown[];
}

/** A single bytes32 leaf: value `[x]` in StandardMerkleTree, `x` here. */
export const bytes32Leaf: LeafEncoder<Bytes32> = {
  types: ["bytes32"],
  encode(value) {
    const out = new Uint8Array(32);
    writeBytes32(out, 0, value);
    return out;
  },
  tuple(value) {
    return [typeof value === "string" ? value.toLowerCase() : toHex(value)];
  },
};

/** One entry of a fingerprint manifest as it is hashed into a leaf. */
export interface ManifestLeafValue {
  /** Relative POSIX path. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** SHA-256 digest (bytes32, 0x hex). */
  digest: string;
}

const utf8 = new TextEncoder();

function writeUint256(out: Uint8Array, offset: number, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidInputError("size", `size ${value} is not a non-negative integer`);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(offset + 24, Math.floor(value / 2 ** 32));
  view.setUint32(offset + 28, value >>> 0);
}

/**
 * The manifest leaf: StandardMerkleTree leaf of `(string path, uint256 size, bytes32 digest)`, i.e.
 * keccak256(bytes.concat(keccak256(abi.encode(path, size, digest)))). In Solidity:
 * `keccak256(bytes.concat(keccak256(abi.encode(path, size, digest))))`.
 */
export const manifestLeaf: LeafEncoder<ManifestLeafValue> = {
  types: ["string", "uint256", "bytes32"],
  encode(value) {
    const path = utf8.encode(value.path);
    const padded = Math.ceil(path.length / 32) * 32;
    const out = new Uint8Array(4 * 32 + padded);
    out[31] = 0x60; // offset of the string's tail: after the three head words
    writeUint256(out, 32, value.size);
    writeBytes32(out, 64, value.digest, `digest of ${value.path}`);
    writeUint256(out, 96, path.length);
    out.set(path, 128);
    return out;
  },
  tuple(value) {
    return [value.path, String(value.size), value.digest.toLowerCase()];
  },
};

/** The JSON form of a {@link StandardMerkleTree} (`StandardMerkleTree.load` reads it). */
export interface StandardTreeDump {
  format: "standard-v1";
  leafEncoding: string[];
  tree: string[];
  values: Array<{ value: unknown[]; treeIndex: number }>;
}

/**
 * A StandardMerkleTree of values of type T, built with {@link standardTree}.
 */
export class StandardTree<T> {
  readonly tree: MerkleTree;
  readonly values: readonly T[];
  readonly encoder: LeafEncoder<T>;

  constructor(tree: MerkleTree, values: readonly T[], encoder: LeafEncoder<T>) {
    this.tree = tree;
    this.values = values;
    this.encoder = encoder;
  }

  /**
   * The root, 0x hex.
   *
   * @example
   * standardTree(bytes32Leaf).of(["0x…"]).root;
   */
  get root(): string {
    return this.tree.root;
  }

  /**
   * Number of values.
   *
   * @example
   * standardTree(bytes32Leaf).of(values).length === values.length; // true
   */
  get length(): number {
    return this.values.length;
  }

  /**
   * The leaf of a value (need not be in the tree).
   *
   * @example
   * tree.leafHash({ path: "a.txt", size: 3, digest: "0x…" }); // "0x…"
   */
  leafHash(value: T): string {
    return toHex(standardLeafOf(this.encoder.encode(value)));
  }

  /**
   * Proof of the value at input index i, or of a value (its last occurrence).
   *
   * @example
   * tree.proof(0); tree.proof(someValue);
   * @throws NotInTreeError for a value not in the tree.
   */
  proof(valueOrIndex: number | T): string[] {
    if (typeof valueOrIndex === "number") return this.tree.proofAt(valueOrIndex);
    const leaf = standardLeafOf(this.encoder.encode(valueOrIndex));
    const index = this.tree.indexOfLeaf(leaf);
    if (index < 0) throw new NotInTreeError(JSON.stringify(this.encoder.tuple(valueOrIndex)));
    return this.tree.proofAt(index);
  }

  /**
   * Does `proof` prove `value` against this tree's root?
   *
   * @example
   * tree.verify(tree.values[2], tree.proof(2)); // true
   */
  verify(value: T, proof: readonly Bytes32[]): boolean {
    return verifyProof(this.root, this.leafHash(value), proof);
  }

  /**
   * The tree in @openzeppelin/merkle-tree's JSON format.
   *
   * @example
   * StandardMerkleTree.load(tree.toStandardDump()).root === tree.root; // true
   */
  toStandardDump(): StandardTreeDump {
    return {
      format: "standard-v1",
      leafEncoding: [...this.encoder.types],
      tree: this.tree.hexNodes(),
      values: this.values.map((v, i) => ({ value: this.encoder.tuple(v), treeIndex: this.tree.treeIndexOf(i) })),
    };
  }
}

/** Builder for StandardMerkleTrees of one leaf type. */
export interface StandardTreeFactory<T> {
  /** Builds the tree of `values` (same root and proofs as `StandardMerkleTree.of(values, types)`). */
  of(values: readonly T[], options?: BuildOptions): StandardTree<T>;
  /** The leaf of one value, 0x hex. */
  leafHash(value: T): string;
  /** Checks a proof of one value against a root, as `MerkleProof.verify` would. */
  verify(root: Bytes32, value: T, proof: readonly Bytes32[]): boolean;
}

/**
 * A StandardMerkleTree builder for the leaf type described by `encoder`.
 *
 * @example
 * const manifests = standardTree(manifestLeaf);
 * const tree = manifests.of([{ path: "a.txt", size: 3, digest: "0x…" }]);
 * manifests.verify(tree.root, tree.values[0], tree.proof(0)); // true
 */
export function standardTree<T>(encoder: LeafEncoder<T>): StandardTreeFactory<T> {
  const leafHash = (value: T): string => toHex(standardLeafOf(encoder.encode(value)));
  return {
    leafHash,
    verify: (root, value, proof) => verifyProof(root, leafHash(value), proof),
    of(values, options = {}) {
      const n = values.length;
      if (n === 0) throw new EmptyTreeError();
      const tree = withKeccak(3 * 32 * n, threadsFor(n, options), (k, pool) => {
        const mem = k.bytes();
        if (encoder === (bytes32Leaf as unknown)) {
          values.forEach((v, i) => writeBytes32(mem, DATA_START + 32 * i, v as Bytes32, `value ${i}`));
          hashLeaves(k, pool, DATA_START, n, 2);
        } else {
          const first = new KeccakWasm();
          values.forEach((v, i) => mem.set(first.digest(encoder.encode(v)), DATA_START + 32 * i));
          hashLeaves(k, pool, DATA_START, n, 1);
        }
        return MerkleTree.fromWasmLeaves(k, DATA_START, n, pool);
      });
      return new StandardTree(tree, [...values], encoder);
    },
  };
}

/** keccak256 applied `rounds` times in place to n words at ptr, on the pool's threads when there is one. */
function hashLeaves(k: KeccakWasm, pool: KeccakPool | undefined, ptr: number, n: number, rounds: number): void {
  if (pool) {
    pool.run(JOB_HASH32, Math.ceil(n / LEAF_CHUNK), [ptr, n, LEAF_CHUNK, rounds]);
  } else {
    for (let r = 0; r < rounds; r++) k.hash32(ptr, ptr, n);
  }
}

// ------------------------------------------------------------------ decision records

/** The JSON form of a {@link DecisionTree}: its records in input order and the root they build to. */
export interface DecisionTreeDump {
  format: "pedigree-decisions-v1";
  leafEncoding: ["bytes32"];
  root: string;
  records: string[];
}

/**
 * The Merkle tree of a batch of decision records, as `ReleaseRegistry.verifyDecision` checks them: each record hash r
 * becomes the leaf keccak256(bytes.concat(keccak256(abi.encode(r)))), i.e. the tree is
 * `StandardMerkleTree.of(records.map((r) => [r]), ["bytes32"])` — same root, same proofs.
 *
 * @example
 * const tree = DecisionTree.build(recordHashes);
 * await releases.anchorDecisions(versionId, tree.root, …);
 * const proof = tree.proof(recordHashes[42]);            // or tree.proofAt(42)
 * await releases.verifyDecision(versionId, tree.root, recordHashes[42], proof); // true
 */
export class DecisionTree {
  /** The record hashes, 32 bytes each, in input order. */
  private readonly records: Uint8Array;
  readonly tree: MerkleTree;

  private constructor(records: Uint8Array, tree: MerkleTree) {
    this.records = records;
    this.tree = tree;
  }

  /**
   * Builds the tree of `recordHashes` (bytes32 each: 0x hex or 32 bytes). One million records take about a second.
   *
   * @example
   * DecisionTree.build(["0x…", "0x…"]).root;
   * @throws EmptyTreeError for no records; InvalidBytes32Error for a record that is not a bytes32.
   */
  static build(recordHashes: readonly Bytes32[], options: BuildOptions = {}): DecisionTree {
    const n = recordHashes.length;
    if (n === 0) throw new EmptyTreeError("records");
    const records = Buffer.alloc(32 * n);
    const parse = (from: number, to: number): void => {
      for (let i = from; i < to; i++) writeBytes32(records, 32 * i, recordHashes[i]!, `record ${i}`);
    };
    return DecisionTree.buildWith(records, options, parse);
  }

  /**
   * Builds the tree from record hashes packed as 32-byte words (the fastest input: no hex parsing).
   *
   * @example
   * DecisionTree.fromRecordBytes(new Uint8Array(32 * n)); // n records
   */
  static fromRecordBytes(records: Uint8Array, options: BuildOptions = {}): DecisionTree {
    if (records.length % 32 !== 0) throw new InvalidBytes32Error("packed records", `${records.length} bytes`);
    if (records.length === 0) throw new EmptyTreeError("records");
    return DecisionTree.buildWith(records.slice(), options);
  }

  /**
   * Leaves in chunks: `parse` (if any) fills records chunk by chunk on the main thread while helper threads already
   * hash the chunks that are ready; then the tree.
   */
  private static buildWith(records: Uint8Array, options: BuildOptions, parse?: (from: number, to: number) => void): DecisionTree {
    const n = records.length / 32;
    const tree = withKeccak(3 * 32 * n, threadsFor(n, options), (k, pool) => {
      const mem = k.bytes();
      const chunks = Math.ceil(n / LEAF_CHUNK);
      const produce = (publish?: (count: number) => void): void => {
        for (let c = 0; c < chunks; c++) {
          const from = c * LEAF_CHUNK;
          const to = Math.min(n, from + LEAF_CHUNK);
          parse?.(from, to);
          mem.set(records.subarray(32 * from, 32 * to), DATA_START + 32 * from);
          publish?.(c + 1);
        }
      };
      if (pool) {
        pool.run(JOB_HASH32, chunks, [DATA_START, n, LEAF_CHUNK, 2], produce);
      } else {
        produce();
        hashLeaves(k, undefined, DATA_START, n, 2);
      }
      return MerkleTree.fromWasmLeaves(k, DATA_START, n, pool);
    });
    return new DecisionTree(records, tree);
  }

  /**
   * Rebuilds a tree from {@link dump} output and checks it reaches the recorded root.
   *
   * @example
   * const tree = DecisionTree.load(JSON.parse(await readFile("batch-17.json", "utf8")));
   * @throws InvalidDumpError for another format; RootMismatchError when the records do not build to the root.
   */
  static load(dump: DecisionTreeDump, options: BuildOptions = {}): DecisionTree {
    if (dump === null || typeof dump !== "object") throw new InvalidDumpError("expected an object");
    if (dump.format !== "pedigree-decisions-v1") throw new InvalidDumpError(`unknown format ${JSON.stringify(dump.format)}`);
    if (!Array.isArray(dump.records)) throw new InvalidDumpError("records is not an array");
    const tree = DecisionTree.build(dump.records, options);
    if (typeof dump.root !== "string" || tree.root !== dump.root.toLowerCase()) throw new RootMismatchError(String(dump.root), tree.root);
    return tree;
  }

  /**
   * The decision leaf of a record hash, as ReleaseRegistry computes it.
   *
   * @example
   * DecisionTree.leafHash("0x…"); // keccak256(bytes.concat(keccak256(abi.encode(recordHash))))
   */
  static leafHash(recordHash: Bytes32): string {
    return toHex(DecisionTree.leafBytes(recordHash));
  }

  /**
   * Checks a record's proof against a root, off-chain, exactly as `verifyDecision` does on-chain.
   *
   * @example
   * DecisionTree.verify(root, recordHash, proof); // true
   */
  static verify(root: Bytes32, recordHash: Bytes32, proof: readonly Bytes32[]): boolean {
    return verifyProof(root, DecisionTree.leafBytes(recordHash), proof);
  }

  private static leafBytes(recordHash: Bytes32): Uint8Array {
    const word = new Uint8Array(32);
    writeBytes32(word, 0, recordHash, "record hash");
    return standardLeafOf(word);
  }

  /**
   * The Merkle root to anchor, 0x hex.
   *
   * @example
   * await releases.anchorDecisions(versionId, tree.root, BigInt(tree.size), start, end, regions, uri);
   */
  get root(): string {
    return this.tree.root;
  }

  /**
   * Number of records.
   *
   * @example
   * DecisionTree.build(records).size === records.length; // true
   */
  get size(): number {
    return this.tree.size;
  }

  /**
   * The record hash at input index i, 0x hex (lower case).
   *
   * @example
   * tree.recordAt(0); // "0x…"
   */
  recordAt(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new IndexOutOfRangeError(index, this.size);
    return toHex(this.records, 32 * index, 32);
  }

  /**
   * Input index of a record hash (its last occurrence), or −1.
   *
   * @example
   * tree.indexOf(records[42]); // 42
   */
  indexOf(recordHash: Bytes32): number {
    return this.tree.indexOfLeaf(DecisionTree.leafBytes(recordHash));
  }

  /**
   * The proof of a record hash, for `verifyDecision(versionId, root, recordHash, proof)`.
   *
   * @example
   * tree.proof("0x…"); // ["0x…", …] — about log2(size) hashes
   * @throws NotInTreeError when the record is not in this batch.
   */
  proof(recordHash: Bytes32): string[] {
    const index = this.indexOf(recordHash);
    if (index < 0) throw new NotInTreeError(typeof recordHash === "string" ? recordHash : toHex(recordHash));
    return this.tree.proofAt(index);
  }

  /**
   * The proof of the record at input index i.
   *
   * @example
   * tree.proofAt(0);
   */
  proofAt(index: number): string[] {
    return this.tree.proofAt(index);
  }

  /**
   * The records file: JSON-serialisable, records in input order plus the root (checked again by {@link load}).
   *
   * @example
   * await writeFile("batch-17.json", JSON.stringify(tree.dump()));
   */
  dump(): DecisionTreeDump {
    const records: string[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) records[i] = toHex(this.records, 32 * i, 32);
    return { format: "pedigree-decisions-v1", leafEncoding: ["bytes32"], root: this.root, records };
  }
}
