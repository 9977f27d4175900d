import { generateNKeysBetween } from 'fractional-indexing';

/**
 * The n-th rank of a sibling list whose tasks were appended in order: the same
 * keys the API hands out when tasks are added at the end. Computed once and
 * shared by every list, since all lists start from the same first key.
 */
export class RankKeys {
  private readonly keys: string[] = [];

  at(position: number): string {
    if (position >= this.keys.length) {
      const missing = Math.max(1024, position + 1 - this.keys.length);
      this.keys.push(...generateNKeysBetween(this.keys.at(-1) ?? null, null, missing));
    }
    return this.keys[position]!;
  }
}
