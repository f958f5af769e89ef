// Token bucket: `rate` per second, bursts up to `burst`. One per connection
// and limit, so one client's flood is refused early without touching others.
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }
  /** True when the bucket has refilled to its burst: then it is no different from a new one. */
  full(): boolean {
    return this.tokens + ((this.now() - this.last) / 1000) * this.rate >= this.burst;
  }
  take(n = 1): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
}

/**
 * One token bucket per key (a client address), shared by all of that key's connections, in
 * bounded memory: at most `maxKeys` buckets. When full, buckets that have refilled (idle keys:
 * forgetting them changes nothing) are dropped first, then the least recently used.
 */
export class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}
  take(key: string, n = 1): boolean {
    let b = this.buckets.get(key);
    if (b === undefined) {
      if (this.buckets.size >= this.maxKeys) this.evict();
      b = new TokenBucket(this.rate, this.burst, this.now);
    } else this.buckets.delete(key);
    // Map order = use order: the first key is the least recently used.
    this.buckets.set(key, b);
    return b.take(n);
  }
  get size(): number {
    return this.buckets.size;
  }
  private evict(): void {
    for (const [k, b] of this.buckets) if (b.full()) this.buckets.delete(k);
    // Still full: drop the least recently used tenth at once, so eviction is not paid per new key.
    const drop = this.buckets.size - Math.floor(this.maxKeys * 0.9);
    if (drop <= 0) return;
    let i = 0;
    for (const k of this.buckets.keys()) {
      if (i++ >= drop) break;
      this.buckets.delete(k);
    }
  }
}
