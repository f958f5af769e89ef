// The relay's counters for /metrics (Prometheus text format 0.0.4). Refusals and
// sessions are counted from the log events the relay already writes (a logger
// that counts, then passes on), commits from a storage wrapper that times each
// append transaction; no content, no room or user names, only codes and counts.
import type { Logger } from './log.js';
import type { RelayStorage } from './storage.js';

/** Upper bounds (seconds) of the commit-latency histogram. */
const LATENCY_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Refusal codes are a closed set in the protocol; anything else is folded together so labels stay bounded. */
const CODE_SHAPE = /^[a-z-]{1,40}$/;

export interface MetricsSources {
  readonly connections: () => number;
  readonly queuedAppends: () => number;
  readonly appendedRecords: () => number;
  readonly commits: () => number;
  /** Bytes stored per SWV (only when quotas are tracked). */
  readonly swvUsage?: () => Promise<ReadonlyMap<string, number>>;
}

export class RelayMetrics {
  private readonly refusals = new Map<string, number>();
  private readonly events = new Map<string, number>();
  private readonly latency = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
  private latencySum = 0;
  private latencyCount = 0;
  framesSent = 0;
  upgradesRefused = new Map<string, number>();
  sources: MetricsSources | undefined;

  /** Wraps a logger: counts refusals by code and a few lifecycle events, then logs as before. */
  counting(log: Logger): Logger {
    return (level, event, fields = {}) => {
      if (event === 'refused' || event === 'session-refused') {
        const code = typeof fields.code === 'string' && CODE_SHAPE.test(fields.code) ? fields.code : 'anders';
        this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
      } else if (event === 'session-ready' || event === 'internal-error' || event === 'pump-failed') {
        this.events.set(event, (this.events.get(event) ?? 0) + 1);
      }
      log(level, event, fields);
    };
  }

  refuseUpgrade(reason: 'origin' | 'ip-limiet' | 'stopt'): void {
    this.upgradesRefused.set(reason, (this.upgradesRefused.get(reason) ?? 0) + 1);
  }

  /** Wraps a store so every append transaction's commit latency is recorded. */
  timing(storage: RelayStorage): RelayStorage {
    const appendBatch = storage.appendBatch.bind(storage);
    return Object.assign(Object.create(storage) as RelayStorage, {
      appendBatch: async (items: Parameters<RelayStorage['appendBatch']>[0]) => {
        const start = process.hrtime.bigint();
        const out = await appendBatch(items);
        this.observeCommit(Number(process.hrtime.bigint() - start) / 1e9);
        return out;
      },
    });
  }

  observeCommit(seconds: number): void {
    let i = LATENCY_BUCKETS.findIndex((b) => seconds <= b);
    if (i < 0) i = LATENCY_BUCKETS.length;
    this.latency[i] = (this.latency[i] ?? 0) + 1;
    this.latencySum += seconds;
    this.latencyCount++;
  }

  async render(): Promise<string> {
    const s = this.sources;
    const lines: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    metric('kindkluis_connections', 'gauge', 'Open WebSocket sessions.');
    lines.push(`kindkluis_connections ${s?.connections() ?? 0}`);
    metric('kindkluis_sessions_ready_total', 'counter', 'Sessions that logged in.');
    lines.push(`kindkluis_sessions_ready_total ${this.events.get('session-ready') ?? 0}`);
    metric('kindkluis_appended_records_total', 'counter', 'Records committed (stored, duplicate or conflict outcome).');
    lines.push(`kindkluis_appended_records_total ${s?.appendedRecords() ?? 0}`);
    metric('kindkluis_commits_total', 'counter', 'Append transactions committed (group commit: many records each).');
    lines.push(`kindkluis_commits_total ${s?.commits() ?? 0}`);
    metric('kindkluis_frames_sent_total', 'counter', 'Frames sent to clients (deliveries, acks, errors).');
    lines.push(`kindkluis_frames_sent_total ${this.framesSent}`);
    metric('kindkluis_append_queue', 'gauge', 'Appends waiting for the next commit.');
    lines.push(`kindkluis_append_queue ${s?.queuedAppends() ?? 0}`);
    metric('kindkluis_refusals_total', 'counter', 'Refused requests and sessions by protocol error code.');
    for (const [code, n] of [...this.refusals].sort()) lines.push(`kindkluis_refusals_total{code="${code}"} ${n}`);
    metric('kindkluis_upgrades_refused_total', 'counter', 'WebSocket upgrades refused before any protocol message.');
    for (const [reason, n] of [...this.upgradesRefused].sort()) lines.push(`kindkluis_upgrades_refused_total{reason="${reason}"} ${n}`);
    metric('kindkluis_internal_errors_total', 'counter', 'Messages that failed inside the relay (answered with an error, never a crash).');
    lines.push(`kindkluis_internal_errors_total ${(this.events.get('internal-error') ?? 0) + (this.events.get('pump-failed') ?? 0)}`);
    metric('kindkluis_commit_seconds', 'histogram', 'Latency of one durable append transaction.');
    let cumulative = 0;
    LATENCY_BUCKETS.forEach((b, i) => {
      cumulative += this.latency[i] ?? 0;
      lines.push(`kindkluis_commit_seconds_bucket{le="${b}"} ${cumulative}`);
    });
    lines.push(
      `kindkluis_commit_seconds_bucket{le="+Inf"} ${this.latencyCount}`,
      `kindkluis_commit_seconds_sum ${this.latencySum}`,
      `kindkluis_commit_seconds_count ${this.latencyCount}`,
    );
    if (s?.swvUsage !== undefined) {
      metric('kindkluis_swv_stored_bytes', 'gauge', 'Bytes of records and attachments stored per SWV (its quota counts these).');
      for (const [swv, bytes] of [...(await s.swvUsage())].sort())
        lines.push(`kindkluis_swv_stored_bytes{swv="${swv.replace(/["\\\n]/g, '_')}"} ${bytes}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
