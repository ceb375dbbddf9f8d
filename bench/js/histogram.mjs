// A latency histogram small enough to send between processes: log-scale buckets 1 % wide over microseconds, so
// p50/p99 are within 1 % whatever the range (1 µs to hours), and workers merge by adding counts.

const Ratio = Math.log(1.01);

export class Histogram {
  constructor() {
    /** Sparse bucket index -> count (a plain object, so it crosses process.send as JSON). */
    this.buckets = {};
    this.count = 0;
    this.maxMs = 0;
  }

  /** Records one latency in milliseconds (negative values, from clock skew between processes, count as 0). */
  record(ms) {
    const us = Math.max(0, ms * 1000);
    const index = Math.floor(Math.log(us + 1) / Ratio);
    this.buckets[index] = (this.buckets[index] ?? 0) + 1;
    this.count++;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** Adds another histogram's (or its JSON's) counts. */
  merge(other) {
    for (const [index, n] of Object.entries(other.buckets)) {
      this.buckets[index] = (this.buckets[index] ?? 0) + n;
    }
    this.count += other.count;
    this.maxMs = Math.max(this.maxMs, other.maxMs);
    return this;
  }

  /** The value (ms) below which p % of the recordings fall; null when empty. */
  percentile(p) {
    if (this.count === 0) return null;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (const index of Object.keys(this.buckets).map(Number).sort((a, b) => a - b)) {
      seen += this.buckets[index];
      if (seen >= rank) {
        // The bucket's middle: 0.5 % from either edge.
        return Math.min(this.maxMs, (Math.exp((index + 0.5) * Ratio) - 1) / 1000);
      }
    }
    return this.maxMs;
  }

  /** { p50, p99, max, count } in ms, rounded to µs. */
  summary() {
    const round = v => (v === null ? null : Math.round(v * 1000) / 1000);
    return { p50: round(this.percentile(50)), p99: round(this.percentile(99)), max: round(this.count ? this.maxMs : null), count: this.count };
  }
}
