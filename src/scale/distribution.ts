import type { Random } from './random';

/**
 * Zipf weights for `count` items (rank 1 heaviest), normalised to sum 1. With
 * exponent 0.9 and 2,000 organizations the largest holds ~8% of the total,
 * the smallest ~0.01%: a few very large tenants and a long tail.
 */
export function zipfWeights(count: number, exponent: number): number[] {
  const weights = Array.from({ length: count }, (_, i) => 1 / (i + 1) ** exponent);
  return normalise(weights);
}

/** Random weights (exponential draws): sizes that vary without a fixed order. */
export function randomWeights(count: number, random: Random): number[] {
  return normalise(Array.from({ length: count }, () => random.exponential(1) + 0.05));
}

/** Scales weights to sum 1. */
export function normalise(weights: number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => weight / total);
}

/**
 * Splits `total` into integer parts proportional to `weights` that add up to
 * exactly `total` (largest remainder; ties go to the lower index).
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const exact = weights.map((weight) => weight * total);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((sum, part) => sum + part, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) }));
  byRemainder.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (let i = 0; left > 0; i = (i + 1) % byRemainder.length, left--) parts[byRemainder[i]!.index]! += 1;
  return parts;
}

export const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** A fixed categorical distribution, compiled once so hot loops do not rebuild it per row. */
export class WeightedChoice<K extends string> {
  private readonly keys: K[];
  private readonly cumulative: number[];

  constructor(weights: Readonly<Record<K, number>>) {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let running = 0;
    this.keys = entries.map(([key]) => key);
    this.cumulative = entries.map(([, weight]) => (running += weight / total));
  }

  pick(random: Random): K {
    const roll = random.next();
    for (let i = 0; i < this.keys.length - 1; i++) if (roll < this.cumulative[i]!) return this.keys[i]!;
    return this.keys[this.keys.length - 1]!;
  }
}
