import type { BenchConfig } from './benchConfig';

/** One side of a comparison: `run` performs the work once and returns the figure (ms, bytes/s, ...). */
export interface Contender {
  readonly name: string;
  run(): Promise<number>;
}

/**
 * Runs every contender `warmup` times unmeasured, then `reps` measured rounds. Each round runs every
 * contender once (A B C, A B C, ...), so a slow phase of the machine hits all of them alike; the start of
 * each round rotates so no contender always goes first (cache and GC order effects).
 */
export async function interleave(contenders: readonly Contender[], config: Pick<BenchConfig, 'reps' | 'warmup'>): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < config.warmup; round++) {
    for (const c of contenders) {
      await c.run();
    }
  }
  for (let round = 0; round < config.reps; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(round + k) % contenders.length];
      samples.get(c.name)!.push(await c.run());
    }
  }
  return samples;
}

/** Milliseconds `work` takes (monotonic clock). */
export async function timeMs(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
