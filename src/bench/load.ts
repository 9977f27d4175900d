import { RandomSource } from '../scale/random';
import { replyProblem, type GraphQLHttpClient } from './http-client';
import type { Scenario } from './scenarios';

export type LoadResult = {
  requests: number;
  errors: number;
  /** The first few distinct problems, to say what failed. */
  errorSamples: string[];
  seconds: number;
  /** Sorted ascending. */
  latenciesMs: Float64Array;
};

const MAX_ERROR_SAMPLES = 5;

/**
 * A closed loop: `concurrency` clients, each sending its next request as soon
 * as the previous one is answered, until `seconds` have passed (requests
 * started before then are waited for and counted). Each client draws from its
 * own PRNG stream, so a run is repeatable for a given seed.
 */
export async function runClosedLoop(
  client: GraphQLHttpClient,
  scenario: Scenario,
  tokens: ReadonlyMap<string, string>,
  { concurrency, seconds, seed, phase }: { concurrency: number; seconds: number; seed: string; phase: string },
): Promise<LoadResult> {
  const streams = new RandomSource(seed).streams(`bench:${scenario.name}:${concurrency}:${phase}`);
  const latencies: number[] = [];
  const errorSamples = new Set<string>();
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;

  const loop = async (clientIndex: number) => {
    const rng = streams(clientIndex);
    for (let sequence = 0; performance.now() < deadline; sequence++) {
      const request = scenario.next(rng, clientIndex * 1_000_000 + sequence);
      const token = tokens.get(request.user.userId) ?? null;
      const sent = performance.now();
      let problem: string | null;
      try {
        problem = replyProblem(await client.post(request.body, token), request.mutationField);
      } catch (error) {
        problem = `request failed: ${(error as Error).message}`;
      }
      latencies.push(performance.now() - sent);
      if (problem) {
        errors++;
        if (errorSamples.size < MAX_ERROR_SAMPLES) errorSamples.add(problem);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i)));
  const sorted = Float64Array.from(latencies).sort();
  return { requests: latencies.length, errors, errorSamples: [...errorSamples], seconds: (performance.now() - started) / 1000, latenciesMs: sorted };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}
