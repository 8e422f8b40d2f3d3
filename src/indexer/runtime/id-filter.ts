/**
 * EntityIdFilter: a Bloom filter of the entity ids a store holds, so that the entity cache answers "no such entity"
 * without a store read — handlers look up every id before they create it, and most lookups are of new ids. Fixed
 * size (8 MiB by default): memory does not grow with the store; past its design load (about 2 million ids at a
 * 1 in 20 000 false-positive rate) it only answers "maybe" more often, and a "maybe" is a store read.
 *
 * Written here rather than taken from npm: the Bloom filter packages hash through general-purpose hashing libraries
 * (and bring their dependencies) where this needs two 32-bit string hashes computed in one pass over an id; the
 * filter itself is a bit array (tests: test/indexer/runtime/id-filter.test.ts; bench: npm run bench:id-filter).
 *
 * @example
 * const ids = new EntityIdFilter();
 * ids.add("Account", "0xab…");
 * ids.mayHave("Account", "0xab…"); // true
 * ids.mayHave("Account", "0xcd…"); // false (or, rarely, true)
 */

/** Bits in the default filter: 2^26 (8 MiB). */
export const DEFAULT_FILTER_BITS = 2 ** 26;
/** Bit positions per id. */
const PROBES = 5;

export class EntityIdFilter {
  readonly #words: Uint32Array;
  readonly #mask: number;
  #count = 0;

  /** @param bits Size in bits: a power of two between 2^5 and 2^31. */
  constructor(bits = DEFAULT_FILTER_BITS) {
    if (!Number.isInteger(Math.log2(bits)) || bits < 32 || bits > 2 ** 31) {
      throw new RangeError(`EntityIdFilter: bits must be a power of two between 32 and 2^31, got ${bits}`);
    }
    this.#words = new Uint32Array(bits / 32);
    this.#mask = bits - 1;
  }

  /** Ids added so far (with repeats). */
  get added(): number {
    return this.#count;
  }

  /** Bytes the filter takes. */
  get bytes(): number {
    return this.#words.byteLength;
  }

  add(entityType: string, id: string): void {
    hash(entityType, id);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask;
      this.#words[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.#count += 1;
  }

  /** False: the id was never added. True: it probably was. */
  mayHave(entityType: string, id: string): boolean {
    hash(entityType, id);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask;
      if ((this.#words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/** The two hashes of the last hash() call (module state rather than an array: no allocation per lookup). */
let h1 = 0;
let h2 = 0;

/**
 * Two independent 32-bit hashes of type and id into h1 and h2, one pass (double hashing: Kirsch & Mitzenmacher): FNV-1a and a
 * multiply-rotate hash with MurmurHash's constants, each finalised with MurmurHash3's avalanche step. The second is
 * made odd so that its multiples reach every bit position of a power-of-two filter.
 */
function hash(entityType: string, id: string): void {
  a = 0x811c9dc5;
  b = 0x9747b28c;
  mix(entityType);
  mixCode(0);
  mix(id);
  h1 = avalanche(a);
  h2 = avalanche(b) | 1;
}

/** The two running hashes of hash() (module state, like h1 and h2). */
let a = 0;
let b = 0;

function mix(text: string): void {
  for (let i = 0; i < text.length; i++) mixCode(text.charCodeAt(i));
}

function mixCode(code: number): void {
  a = Math.imul(a ^ code, 0x01000193);
  b = Math.imul(b ^ code, 0x5bd1e995);
  b = (b << 13) | (b >>> 19);
}

function avalanche(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
