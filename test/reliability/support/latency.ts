/** Latency samples in milliseconds, summarised as the figures RELIABILITY.md reports. */
export class Latencies {
  private readonly samples: number[] = [];

  add(ms: number): void {
    this.samples.push(ms);
  }

  get count(): number {
    return this.samples.length;
  }

  /** The q-quantile (0 < q ≤ 1) by the nearest-rank method; 0 when there is no sample. */
  quantile(q: number): number {
    if (this.samples.length === 0) return 0;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }

  summary(): string {
    return `p50 ${this.quantile(0.5).toFixed(1)} ms, p99 ${this.quantile(0.99).toFixed(1)} ms, max ${this.quantile(1).toFixed(1)} ms (${this.count} samples)`;
  }
}
