import { v7 as uuidv7 } from 'uuid';

/**
 * Deterministic randomness for the scale generator. Every table draws from its
 * own named stream, and per-entity streams are keyed by an index, so a row's
 * values depend only on (seed, stream, index): regenerating a task's id in a
 * later table needs no state kept from the tasks pass.
 */

/** 128 bits from a string (cyrb128): seeds and stream names become PRNG state. */
function hashString(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/** A 32-bit integer finaliser (lowbias32): spreads consecutive indices over the whole state. */
function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** sfc32: small, fast, and good enough for synthetic data. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0 || 1;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [0, max). */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** An index in [0, size) favouring the low end: `skew` 1 is uniform, 2 makes index 0 far likelier than the last. */
  skewedIndex(size: number, skew: number): number {
    return Math.min(size - 1, Math.floor(size * this.next() ** skew));
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** A UUIDv7 stamped `msecs` whose random bits come from this stream, never from the clock or the OS. */
  uuidV7(msecs: number): string {
    for (let i = 0; i < 16; i += 4) {
      const word = this.uint32();
      randomBytes[i] = word & 0xff;
      randomBytes[i + 1] = (word >>> 8) & 0xff;
      randomBytes[i + 2] = (word >>> 16) & 0xff;
      randomBytes[i + 3] = word >>> 24;
    }
    // The library lays out the bytes; formatting them here skips its allocations (millions of ids per run).
    const b = uuidv7({ msecs, random: randomBytes }, idBytes);
    const h = BYTE_HEX;
    return (
      h[b[0]!]! + h[b[1]!]! + h[b[2]!]! + h[b[3]!]! + '-' + h[b[4]!]! + h[b[5]!]! + '-' + h[b[6]!]! + h[b[7]!]! + '-' +
      h[b[8]!]! + h[b[9]!]! + '-' + h[b[10]!]! + h[b[11]!]! + h[b[12]!]! + h[b[13]!]! + h[b[14]!]! + h[b[15]!]!
    );
  }
}

/** Scratch space for uuidV7 (generation is synchronous, so one pair serves every stream). */
const randomBytes = new Uint8Array(16);
const idBytes = new Uint8Array(16);
const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Named, indexable streams under one seed. */
export class RandomSource {
  private readonly seedWords: [number, number, number, number];

  constructor(readonly seed: string) {
    this.seedWords = hashString(`taskgraph-scale:${seed}`);
  }

  /** A factory for `stream`'s per-index generators; hashes the name once. */
  streams(stream: string): (index: number) => Random {
    const [s0, s1, s2, s3] = this.seedWords;
    const [n0, n1, n2, n3] = hashString(stream);
    return (index) => {
      const i = mix32(index ^ 0x9e3779b9);
      return new Random(mix32(s0 ^ n0 ^ i), mix32(s1 ^ n1 ^ (i + 1)), mix32(s2 ^ n2 ^ (i + 2)), mix32(s3 ^ n3 ^ (i + 3)));
    };
  }

  stream(stream: string, index = 0): Random {
    return this.streams(stream)(index);
  }
}
