/**
 * Per-operation latency samples and error counts of a simulation. Keeps every sample (a 10,000-user
 * run is ~30,000 numbers) so percentiles are exact, not estimated.
 */
import type { Exchange } from "../scim-connection";

export interface OperationStats {
  readonly operation: string;
  readonly count: number;
  readonly errors: number;
  /** count / (last end − first start) of this operation, in operations per second. */
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

interface Samples {
  latencies: number[];
  errors: number;
  firstStart: number;
  lastEnd: number;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export class LatencyRecorder {
  private readonly byOperation = new Map<string, Samples>();
  /** `"404"`, `"409"`, `"network: ECONNRESET"` → count. */
  readonly errorsByStatus = new Map<string, number>();
  /** One example per error kind, to show what went wrong. */
  readonly errorExamples = new Map<string, string>();
  total = 0;

  /** Records an exchange; returns true when its status is one of `expected`. */
  record(operation: string, exchange: Exchange, expected: readonly number[]): boolean {
    const end = performance.now();
    let samples = this.byOperation.get(operation);
    if (!samples) {
      samples = { latencies: [], errors: 0, firstStart: end - exchange.durationMs, lastEnd: end };
      this.byOperation.set(operation, samples);
    }
    samples.latencies.push(exchange.durationMs);
    samples.firstStart = Math.min(samples.firstStart, end - exchange.durationMs);
    samples.lastEnd = Math.max(samples.lastEnd, end);
    this.total += 1;
    const status = exchange.response?.status;
    const ok = status !== undefined && expected.includes(status);
    if (!ok) {
      samples.errors += 1;
      const kind = status !== undefined ? String(status) : `network: ${exchange.error}`;
      this.errorsByStatus.set(kind, (this.errorsByStatus.get(kind) ?? 0) + 1);
      if (!this.errorExamples.has(kind)) {
        this.errorExamples.set(
          kind,
          `${operation} ${exchange.request.url} → ${exchange.response?.bodyText.slice(0, 300) ?? exchange.error}`,
        );
      }
    }
    return ok;
  }

  get errorCount(): number {
    let total = 0;
    for (const count of this.errorsByStatus.values()) total += count;
    return total;
  }

  stats(): OperationStats[] {
    return [...this.byOperation.entries()].map(([operation, samples]) => {
      const sorted = Float64Array.from(samples.latencies).sort();
      const spanSeconds = Math.max((samples.lastEnd - samples.firstStart) / 1000, 1e-6);
      const round = (value: number) => Math.round(value * 100) / 100;
      return {
        operation,
        count: samples.latencies.length,
        errors: samples.errors,
        perSecond: Math.round(samples.latencies.length / spanSeconds),
        p50Ms: round(percentile(Array.from(sorted), 50)),
        p95Ms: round(percentile(Array.from(sorted), 95)),
        p99Ms: round(percentile(Array.from(sorted), 99)),
        maxMs: round(sorted[sorted.length - 1] ?? 0),
      };
    });
  }

  /** Percentiles over every request of the run. */
  overall(): { p50Ms: number; p95Ms: number; p99Ms: number } {
    const all = Float64Array.from(
      [...this.byOperation.values()].flatMap((samples) => samples.latencies),
    ).sort();
    const values = Array.from(all);
    const round = (value: number) => Math.round(value * 100) / 100;
    return {
      p50Ms: round(percentile(values, 50)),
      p95Ms: round(percentile(values, 95)),
      p99Ms: round(percentile(values, 99)),
    };
  }
}
