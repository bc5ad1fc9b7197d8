/** Knobs, all from the environment so CI can run the bench once, small (BENCH_QUICK=1). */
export interface BenchConfig {
  /** Measured repetitions per contender (after the warm-up). */
  readonly reps: number;
  /** Unmeasured repetitions per contender first (JIT, connection pools, kubectl's discovery cache). */
  readonly warmup: number;
  /** VS Code host loads for the activation row (each load is one sample per extension). */
  readonly hostLoads: number;
  readonly quick: boolean;
  /** Only sections whose id matches (e.g. `BENCH_ONLY=bundle|verify`). */
  readonly only?: RegExp;
}

function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) && n > 0 ? n : undefined;
}

export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const reps = positiveInt(env.BENCH_REPS) ?? (quick ? 2 : 9);
  return {
    quick,
    reps,
    warmup: positiveInt(env.BENCH_WARMUP) ?? (quick ? 1 : 2),
    hostLoads: positiveInt(env.BENCH_HOST_LOADS) ?? (quick ? 1 : Math.max(3, Math.min(reps, 6))),
    ...(env.BENCH_ONLY ? { only: new RegExp(env.BENCH_ONLY) } : {}),
  };
}
