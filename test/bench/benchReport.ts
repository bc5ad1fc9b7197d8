import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchConfig } from './benchConfig';
import { pairedRatio, summarize, type Summary } from './stats';

/** One contender of a row, e.g. "kube layer" or "kubectl get sa -A -o name". */
export interface Measured {
  readonly name: string;
  readonly summary: Summary;
}

/** One figure of the table: the subject (ours) and the peers measured in the same run. */
export interface BenchRow {
  readonly section: string;
  readonly figure: string;
  readonly unit: string;
  /** Whether a smaller figure is better (times, bytes) or a larger one (throughput). */
  readonly better: 'lower' | 'higher';
  readonly subject: Measured;
  /** Each peer with `ratio` = subject / peer (paired medians); no ratio for mere extra columns (e.g. gzip size). */
  readonly peers: readonly (Measured & { readonly ratio?: number })[];
  readonly note?: string;
}

export interface BudgetResult {
  readonly budget: string;
  readonly actual: string;
  readonly met: boolean;
}

export interface SectionFailure {
  readonly section: string;
  readonly error: string;
}

export class BenchReport {
  readonly rows: BenchRow[] = [];
  readonly budgets: BudgetResult[] = [];
  readonly failures: SectionFailure[] = [];
  readonly notes: string[] = [];

  /** Adds a row from raw samples; the first name in `samples` order given by `subject` is ours. */
  addRow(row: { section: string; figure: string; unit: string; better: 'lower' | 'higher'; subject: string; peers?: string[]; samples: Map<string, number[]>; note?: string; noRatio?: boolean }): BenchRow {
    const subjectSamples = row.samples.get(row.subject) ?? [];
    const built: BenchRow = {
      section: row.section,
      figure: row.figure,
      unit: row.unit,
      better: row.better,
      subject: { name: row.subject, summary: summarize(subjectSamples) },
      peers: (row.peers ?? []).map((name) => {
        const peerSamples = row.samples.get(name) ?? [];
        return { name, summary: summarize(peerSamples), ...(row.noRatio ? {} : { ratio: pairedRatio(subjectSamples, peerSamples) }) };
      }),
      ...(row.note ? { note: row.note } : {}),
    };
    this.rows.push(built);
    return built;
  }

  budget(budget: string, actual: string, met: boolean): void {
    this.budgets.push({ budget, actual, met });
  }

  fail(section: string, error: unknown): void {
    this.failures.push({ section, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }

  /** The table for humans. */
  format(config: BenchConfig): string {
    const lines: string[] = [];
    lines.push(`kube-sa-tokens benchmark — Node ${process.versions.node}, ${config.reps} reps after ${config.warmup} warm-up${config.quick ? ' (BENCH_QUICK)' : ''}`);
    lines.push('ratio = ours / peer, median of per-round ratios (rounds interleaved, so machine drift cancels)');
    lines.push('');
    const header = ['contender', 'min', 'median', 'max', 'ratio'];
    const body: string[][] = [];
    for (const row of this.rows) {
      body.push([`${row.section.toUpperCase()}: ${row.figure} [${row.unit}]`]);
      body.push([`  ${row.subject.name}`, ...nums(row.subject.summary), '']);
      for (const peer of row.peers) {
        const label = peer.ratio === undefined ? `  ${peer.name}` : `  vs ${peer.name}`;
        body.push([label, ...nums(peer.summary), peer.ratio === undefined ? '' : describeRatio(peer.ratio, row.better)]);
      }
      if (row.note) {
        body.push([`  (${row.note})`]);
      }
    }
    lines.push(...table(header, body));
    if (this.budgets.length > 0) {
      lines.push('', 'Budgets (medians; reported, not enforced):');
      for (const b of this.budgets) {
        lines.push(`  ${b.met ? 'PASS' : 'MISS'}  ${b.budget} — ${b.actual}`);
      }
    }
    if (this.notes.length > 0) {
      lines.push('', 'Notes:', ...this.notes.map((n) => `  - ${n}`));
    }
    if (this.failures.length > 0) {
      lines.push('', 'Sections that could not run:');
      for (const f of this.failures) {
        lines.push(`  ${f.section}: ${f.error.split('\n').slice(0, 4).join('\n    ')}`);
      }
    }
    return lines.join('\n');
  }

  /** Writes bench-results/bench-<time>.json and bench-results/latest.json; returns the file written. */
  writeJson(dir: string, config: BenchConfig, meta: Record<string, unknown>): string {
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const json = JSON.stringify({ ...meta, config: { ...config, only: config.only?.source }, rows: this.rows, budgets: this.budgets, notes: this.notes, failures: this.failures }, null, 2);
    const file = join(dir, `bench-${stamp}.json`);
    writeFileSync(file, json);
    writeFileSync(join(dir, 'latest.json'), json);
    return file;
  }
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) {
    return '–';
  }
  const abs = Math.abs(n);
  if (abs >= 100_000) {
    return Math.round(n).toLocaleString('en-US');
  }
  if (abs >= 100) {
    return n.toFixed(0);
  }
  if (abs >= 10) {
    return n.toFixed(1);
  }
  return n.toFixed(2);
}

function nums(s: Summary): [string, string, string] {
  return [fmt(s.min), fmt(s.median), fmt(s.max)];
}

/** `0.31x (3.2x faster)`: which way is better depends on the unit. */
export function describeRatio(ratio: number, better: 'lower' | 'higher'): string {
  if (!Number.isFinite(ratio)) {
    return '–';
  }
  const good = better === 'lower' ? ratio <= 1 : ratio >= 1;
  const factor = ratio >= 1 ? ratio : 1 / ratio;
  const word = better === 'lower' ? (good ? 'better' : 'worse') : good ? 'better' : 'worse';
  return `${ratio.toFixed(2)}x (${factor.toFixed(1)}x ${word})`;
}

/** Rows with a single cell are headings that span the table (they do not widen the first column). */
function table(header: string[], body: string[][]): string[] {
  const cells = body.filter((r) => r.length > 1);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const numeric = new Set([1, 2, 3]);
  const line = (cells: string[]) =>
    cells.length === 1
      ? cells[0]
      : cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
          .join('  ')
          .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}
