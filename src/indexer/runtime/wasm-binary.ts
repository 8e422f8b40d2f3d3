/**
 * The few pieces of the WebAssembly binary format the load-time rewrites (wasm-transform.ts, wasm-gas.ts) read
 * and write: LEB128 numbers, names, sections, and a growable byte buffer.
 */

/** A binary the rewrites cannot read; the message says where and what. */
export class WasmFormatError extends Error {
  override name = "WasmFormatError";
}

/** Reads an unsigned LEB128 number (up to 2^53); returns it and the position after it. */
export function readU32(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  let byte: number;
  do {
    if (pos >= buf.length) throw new WasmFormatError("truncated LEB128");
    byte = buf[pos++]!;
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [result, pos];
}

/** The position after a LEB128 number of any size and sign. */
export function skipLeb(buf: Uint8Array, pos: number): number {
  for (;;) {
    if (pos >= buf.length) throw new WasmFormatError("truncated LEB128");
    if (!(buf[pos++]! & 0x80)) return pos;
  }
}

/** Reads a signed LEB128 i32 (an `i32.const` immediate); returns it and the position after it. */
export function readI32(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  let byte: number;
  do {
    if (pos >= buf.length) throw new WasmFormatError("truncated LEB128");
    byte = buf[pos++]!;
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80 && shift < 35);
  if (shift < 32 && byte & 0x40) result |= -1 << shift;
  return [result, pos];
}

/** `n` as unsigned LEB128. */
export function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** `n` as signed LEB128. */
export function i32(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A name: its UTF-8 length, then its bytes. */
export function name(text: string): number[] {
  const bytes = [...Buffer.from(text, "utf8")];
  return [...u32(bytes.length), ...bytes];
}

/** Reads a name; returns it and the position after it. */
export function readName(buf: Uint8Array, pos: number): [string, number] {
  const [length, start] = readU32(buf, pos);
  if (start + length > buf.length) throw new WasmFormatError("truncated name");
  return [Buffer.from(buf.subarray(start, start + length)).toString("utf8"), start + length];
}

export interface Section {
  id: number;
  body: Uint8Array;
}

/** Whether `bytes` starts with the WebAssembly magic number. */
export function isWasm(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

/** The module's sections in order (after the 8-byte header). */
export function sections(bytes: Uint8Array): Section[] {
  if (!isWasm(bytes)) throw new WasmFormatError("not a WebAssembly module (is this the output of `graph build`?)");
  const out: Section[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    const [size, start] = readU32(bytes, pos + 1);
    if (start + size > bytes.length) throw new WasmFormatError(`section ${id} is truncated`);
    out.push({ id, body: bytes.subarray(start, start + size) });
    pos = start + size;
  }
  return out;
}

/** A growable byte buffer for writing a rewritten module or section. */
export class ByteWriter {
  private buf = new Uint8Array(1024);
  private length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }

  byte(b: number): this {
    this.reserve(1);
    this.buf[this.length++] = b;
    return this;
  }

  bytes(data: ArrayLike<number>): this {
    this.reserve(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
    return this;
  }

  u32(n: number): this {
    return this.bytes(u32(n));
  }

  /** A section: id, size, body. */
  section(id: number, body: ArrayLike<number>): this {
    return this.byte(id).u32(body.length).bytes(body);
  }

  /** A length-prefixed chunk (a function body, a name subsection). */
  sized(body: ArrayLike<number>): this {
    return this.u32(body.length).bytes(body);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
