/** Order statistics of one contender's samples. Medians, not means: a benchmark box has outliers. */
export interface Summary {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly samples: readonly number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    min: samples.length > 0 ? Math.min(...samples) : Number.NaN,
    median: median(samples),
    max: samples.length > 0 ? Math.max(...samples) : Number.NaN,
    samples: [...samples],
  };
}

/**
 * The ratio of two contenders measured in the same run: the median of the per-repetition ratios.
 * Pairing sample i of A with sample i of B (taken back to back) is what cancels slow machine drift.
 */
export function pairedRatio(subject: readonly number[], peer: readonly number[]): number {
  const n = Math.min(subject.length, peer.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) {
    if (peer[i] !== 0) {
      ratios.push(subject[i] / peer[i]);
    }
  }
  return median(ratios);
}
