// Items 1 and 2: N clients in one room on 127.0.0.1. The Kindkluis relay (with
// its durable storage, the real config) against the physical baseline (bare ws
// broadcast) and against the plaintext Yjs server a team would otherwise pick.
//
// Load generation: every server runs in its own child process; the clients are
// real WebSocket connections held by worker threads in the benchmark process
// (one worker per system by default, so the load generator uses at most one
// core and the server the other). Systems are set up once per client count and
// their phases interleaved (bare, relay, yjs, bare, relay, yjs, …), so a burst
// of load from other users hits all of them alike.
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from '../harness.js';
import { formatNumber } from '../harness.js';
import { percentile } from '../stats.js';
import { LoadPool, type PhaseResult } from '../load/pool.js';
import type { SystemName } from '../load/messages.js';
import { startServer, type RunningServer } from '../servers/spawn.js';
import type { Suite } from '../suite.js';

export interface SystemSpec {
  readonly key: string;
  readonly label: string;
  readonly system: SystemName;
  /**
   * Most appends one sender may send in one throughput phase. Kindkluis appends are signed envelopes sealed before
   * the run, so their cap is lower; a system that reaches the cap before the time is up ends the phase early, which
   * still gives a valid rate.
   */
  readonly maxAppendsPerPhase?: number;
  start(dir: string): Promise<RunningServer>;
  /** Client-side setup for N clients (keys, room), handed to the workers. */
  prepare?(
    clients: number,
    server: RunningServer,
    senders: readonly number[],
  ): Promise<{ extra: unknown; payloadBytes: number; url: string }>;
}

interface Running {
  readonly spec: SystemSpec;
  readonly server: RunningServer;
  readonly pool: LoadPool;
}

/** Bytes of one Kindkluis append frame; the bare baseline forwards frames of this size. */
let appendFrameBytes = 420;

/** Bytes of one Kindkluis append frame (known once systemSpecs has run). */
export const kindkluisAppendFrameBytes = (): number => appendFrameBytes;

export async function systemSpecs(ctx: BenchContext): Promise<SystemSpec[]> {
  const specs: SystemSpec[] = [{ key: 'bare', label: 'bare ws broadcast', system: 'bare', start: () => startServer('bare-broadcast') }];
  try {
    const { kindkluisSpecs } = await import('./relay-kindkluis.js');
    const kk = await kindkluisSpecs();
    appendFrameBytes = kk.appendFrameBytes;
    specs.push(...kk.specs);
  } catch (error) {
    ctx.note(`Kindkluis relay not measured: ${error instanceof Error ? error.message : String(error)}`);
  }
  specs.push(
    { key: 'yjs', label: 'y-websocket-server (memory)', system: 'yjs', start: () => startServer('yjs-server') },
    {
      key: 'yjs-leveldb',
      label: 'y-websocket-server + LevelDB',
      system: 'yjs',
      start: (dir) => startServer('yjs-server', { env: { YPERSISTENCE: join(dir, 'yjs-leveldb') } }),
    },
  );
  return specs;
}

export const relaySuite: Suite = {
  name: 'relay',
  title: '1–2. Relay throughput and latency (one room, 127.0.0.1)',
  async run(ctx) {
    const only = process.env['BENCH_RELAY_CLIENTS'];
    const counts = only ? only.split(',').map(Number) : ctx.pick([100], [10, 100, 500], [10, 100, 500]);
    const repeats = ctx.pick(2, 3, 5);
    const workers = 1;
    const wanted = process.env['BENCH_RELAY_SYSTEMS']?.split(',');
    // Quick mode keeps what the goals need: the bare baseline, the durable relay and the plaintext Yjs server.
    const quickSet = ['bare', 'kindkluis-durable', 'kindkluis-postgres', 'kindkluis-postgres-2', 'yjs'];
    const specs = (await systemSpecs(ctx)).filter((s) => (wanted ? wanted.includes(s.key) : !ctx.quick || quickSet.includes(s.key)));
    ctx.note(
      `Load generation: each server in its own child process; clients are real ws sockets on 127.0.0.1 held by ${workers} worker thread per system; ` +
        `systems run interleaved, ${repeats} repetitions each. Senders: min(N, 10) clients; deliveries count receipts by the other N−1 clients. ` +
        'Kindkluis clients are the real sync-client connection (auth, subscribe, append); once subscribed, receivers read records/ack frames with a small scanner instead of the full zod decode, because hundreds share one load thread. ' +
        `Throughput: closed loop for a fixed time, 8 unacknowledged appends per sender; the rate counts until the last delivery. Latency: open loop at a fixed offered rate (in the row note), from the sender's send() to each receiver's message event.`,
    );
    ctx.note(
      'Deliveries count records, not frames: when a subscriber falls behind, the relay sends several records in one `records` frame, while the bare broadcast always sends one frame per append per client; ' +
        'at 500 clients that can put the relay above the "physical" baseline, whose one-frame-per-delivery load also saturates the load generator first.',
    );
    ctx.note(
      `Bare broadcast frames are ${appendFrameBytes} bytes (the size of a Kindkluis append frame); Yjs clients send ${16}-character Y.Text inserts.`,
    );
    if (specs.some((s) => s.key === 'kindkluis-durable')) fsyncBaseline(ctx, repeats, 'relay');
    for (const n of counts) await runCount(ctx, specs, n, repeats, workers);
    relayGoals(ctx);
  },
};

async function runCount(ctx: BenchContext, specs: readonly SystemSpec[], n: number, repeats: number, workers: number): Promise<void> {
  const senders = Array.from({ length: Math.min(n, 10) }, (_, i) => Math.floor((i * n) / Math.min(n, 10)));
  // Throughput phases are bounded by time; the per-sender cap assumes at most 60,000 deliveries/s (if a system is
  // faster the phase ends early by count, which still gives a valid rate) and bounds the envelopes sealed up front.
  const durationMs = ctx.pick(1500, 2000, 3000);
  const defaultCap = Math.min(1500, Math.max(20, Math.ceil((60_000 * durationMs) / 1000 / (senders.length * (n - 1)))));
  const capOf = (spec: SystemSpec): number => Math.min(defaultCap, spec.maxAppendsPerPhase ?? Infinity);
  // Latency is measured at a moderate offered load every system sustains (about 2,000 deliveries/s: ten people
  // typing in one room, each change reaching everyone), not at saturation, where it only measures queue length.
  const offeredRate = Math.min(50, 2_000 / (n - 1));
  const latencySeconds = ctx.pick(1.5, 2.5, 4);
  const appendsLatency = Math.max(3, Math.ceil((offeredRate * latencySeconds) / senders.length));
  const intervalMs = (1000 * senders.length) / offeredRate;
  const warmup = 3;
  const strideOf = (spec: SystemSpec): number => warmup + repeats * (capOf(spec) + appendsLatency) + 8;

  const dir = mkdtempSync(join(tmpdir(), 'kk-bench-relay-'));
  const running: Running[] = [];
  try {
    for (const spec of specs) {
      const server = await spec.start(dir);
      try {
        const prep = spec.prepare
          ? await spec.prepare(n, server, senders)
          : { extra: undefined, payloadBytes: appendFrameBytes, url: `ws://127.0.0.1:${server.port}` };
        const { pool, connectMs } = await LoadPool.start({
          system: spec.system,
          url: prep.url,
          clients: n,
          workers,
          stride: strideOf(spec),
          payloadBytes: prep.payloadBytes,
          extra: prep.extra,
          connectTimeoutMs: 120_000,
        });
        ctx.log(`${spec.label}: ${n} clients connected in ${connectMs.toFixed(0)} ms (${server.info})`);
        running.push({ spec, server, pool });
        // Warm up JITs and buffers, unmeasured.
        await pool.phase({
          mode: 'throughput',
          senders,
          appendsPerSender: warmup,
          durationMs: 10_000,
          window: 8,
          intervalMs: 0,
          maxMs: 30_000,
        });
      } catch (error) {
        await server.stop();
        ctx.note(`${spec.label} at ${n} clients failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const samples = new Map<
      string,
      { appends: number[]; deliveries: number[]; cpu: number[]; p50: number[]; p99: number[]; incomplete: number }
    >();
    for (let r = 0; r < repeats; r++) {
      for (const run of running) {
        const s = samples.get(run.spec.key) ?? { appends: [], deliveries: [], cpu: [], p50: [], p99: [], incomplete: 0 };
        samples.set(run.spec.key, s);
        const cpu0 = await run.server.cpuMicros();
        const t = await run.pool.phase({
          mode: 'throughput',
          senders,
          appendsPerSender: capOf(run.spec),
          durationMs,
          window: 8,
          intervalMs: 0,
          maxMs: durationMs + 20_000,
        });
        const cpu1 = await run.server.cpuMicros();
        const l = await run.pool.phase({
          mode: 'latency',
          senders,
          appendsPerSender: appendsLatency,
          durationMs: 0,
          window: 1,
          intervalMs,
          maxMs: latencySeconds * 1000 + 15_000,
        });
        if (t.timedOut || l.timedOut) s.incomplete++;
        s.appends.push((t.sent * 1000) / t.elapsedMs);
        s.deliveries.push((t.delivered * 1000) / t.elapsedMs);
        s.cpu.push(t.delivered > 0 ? (cpu1 - cpu0) / t.delivered : Number.NaN);
        if (l.latencies.length > 0) {
          const lat = Array.from(l.latencies);
          s.p50.push(percentile(lat, 50));
          s.p99.push(percentile(lat, 99));
        }
        logPhase(ctx, run.spec.label, n, t, l);
      }
    }
    for (const run of running) {
      const s = samples.get(run.spec.key);
      if (!s) continue;
      const id = (m: string): string => `relay.${run.spec.key}.c${n}.${m}`;
      const incomplete = s.incomplete > 0 ? ` ${s.incomplete} repetition(s) hit the time bound before every delivery arrived.` : '';
      ctx.record({
        id: id('appends'),
        label: `${run.spec.label}, ${n} clients: appends/s`,
        unit: 'appends/s',
        better: 'higher',
        samples: s.appends,
        note: `${senders.length} senders sending for ${durationMs / 1000} s (at most ${capOf(run.spec)} each).${incomplete}`,
      });
      ctx.record({
        id: id('deliveries'),
        label: `${run.spec.label}, ${n} clients: deliveries/s`,
        unit: 'deliveries/s',
        better: 'higher',
        samples: s.deliveries,
      });
      const cpuOk = s.cpu.filter((x) => Number.isFinite(x));
      if (cpuOk.length > 0)
        ctx.record({
          id: id('cpu'),
          label: `${run.spec.label}, ${n} clients: server CPU per delivery`,
          unit: 'µs',
          better: 'lower',
          samples: cpuOk,
        });
      if (s.p50.length > 0) {
        ctx.record({
          id: id('p50'),
          label: `${run.spec.label}, ${n} clients: p50 append→delivery`,
          unit: 'ms',
          better: 'lower',
          samples: s.p50,
          note: `offered ${formatNumber(offeredRate)} appends/s (${formatNumber(offeredRate * (n - 1))} deliveries/s)`,
        });
        ctx.record({
          id: id('p99'),
          label: `${run.spec.label}, ${n} clients: p99 append→delivery`,
          unit: 'ms',
          better: 'lower',
          samples: s.p99,
        });
      }
    }
    for (const run of running) {
      if (run.spec.key === 'bare') continue;
      const baselines = run.spec.system === 'kindkluis' ? ['bare', 'yjs', 'yjs-leveldb'] : ['bare'];
      for (const b of baselines) {
        for (const m of ['appends', 'deliveries', 'cpu', 'p50', 'p99'])
          ctx.compare(`relay.${run.spec.key}.c${n}.${m}`, `relay.${b}.c${n}.${m}`);
      }
    }
  } finally {
    for (const run of running) {
      await run.pool.close().catch(() => undefined);
      await run.server.stop();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The disk's own floor for "acknowledge after fsync": write one append-sized
 * record and fdatasync it, in the directory the durable relay uses. No relay
 * can acknowledge durably faster than this on this machine.
 */
export function fsyncBaseline(ctx: BenchContext, repeats: number, prefix: string): void {
  const p50: number[] = [];
  const p99: number[] = [];
  const deadline = performance.now() + 20_000;
  for (let r = 0; r < repeats && performance.now() < deadline; r++) {
    const round = diskFloorRound(deadline);
    p50.push(round.p50);
    p99.push(round.p99);
  }
  recordDiskFloor(ctx, prefix, p50, p99);
}

export function recordDiskFloor(ctx: BenchContext, prefix: string, p50: readonly number[], p99: readonly number[]): void {
  ctx.record({
    id: `${prefix}.disk.fsync-p50`,
    label: `disk floor: write ${appendFrameBytes} B + fdatasync, p50 of 100`,
    unit: 'ms',
    better: 'lower',
    samples: p50,
    note: `in ${tmpdir()}, where the durable relay keeps its lmdb files`,
  });
  ctx.record({
    id: `${prefix}.disk.fsync-p99`,
    label: 'disk floor: write + fdatasync, p99 of 100',
    unit: 'ms',
    better: 'lower',
    samples: p99,
  });
}

/** One round of the disk floor: p50 and p99 of 100 append-sized writes, each followed by fdatasync. */
export function diskFloorRound(deadline = performance.now() + 20_000): { p50: number; p99: number } {
  const dir = mkdtempSync(join(tmpdir(), 'kk-bench-fsync-'));
  const times: number[] = [];
  try {
    const fd = openSync(join(dir, 'log'), 'a');
    const record = new Uint8Array(appendFrameBytes);
    for (let i = 0; i < 100 && performance.now() < deadline; i++) {
      const t0 = performance.now();
      writeSync(fd, record);
      fdatasyncSync(fd);
      times.push(performance.now() - t0);
    }
    closeSync(fd);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

function logPhase(ctx: BenchContext, label: string, n: number, t: PhaseResult, l: PhaseResult): void {
  ctx.log(
    `${label} @${n}: ${formatNumber((t.delivered * 1000) / t.elapsedMs)} deliveries/s (${t.delivered}/${t.expectedDeliveries} in ${t.elapsedMs.toFixed(0)} ms${t.timedOut ? ', TIMED OUT' : ''}); ` +
      `latency ${l.latencies.length} samples${l.timedOut ? ', TIMED OUT' : ''}` +
      (Object.keys(t.refused).length + Object.keys(l.refused).length > 0
        ? `; refused ${JSON.stringify({ ...t.refused, ...l.refused })}`
        : ''),
  );
}

/** Issue 8's relay goals, read from the ratios and latencies recorded above, with the reasons when missed. */
export function relayGoals(ctx: BenchContext): void {
  const med = (id: string): string => {
    const r = ctx.row(id);
    return r ? `${formatNumber(r.summary.median)}` : '?';
  };
  const kk = ctx.row('relay.kindkluis-durable.c100.deliveries');
  const cpuWhy =
    `Per append the relay decodes and zod-validates the frame, verifies the Ed25519 signature (node:crypto, parsed public keys kept in a bounded cache), checks the ACL and epoch, and waits for the lmdb commit; ` +
    `server CPU per delivery is ${med('relay.kindkluis-durable.c100.cpu')} µs vs ${med('relay.bare.c100.cpu')} µs bare and ${med('relay.yjs.c100.cpu')} µs Yjs (at 10 clients, where the per-append part dominates: ${med('relay.kindkluis-durable.c10.cpu')} µs vs ${med('relay.bare.c10.cpu')} µs). ` +
    `With in-memory storage the relay needs ${med('relay.kindkluis-memory.c100.cpu')} µs per delivery (durable: ${med('relay.kindkluis-durable.c100.cpu')} µs); every live subscriber re-reads each new record from storage (pumpLoop → readRecords per subscriber per append). ` +
    'Handing just-committed envelopes to live subscribers from memory (one encoded frame shared by every live subscriber) and validating hot-path frames without zod would cut the per-append and per-delivery cost; the ranges show how much of the gap is machine noise.';
  const vsBare = kk?.baselines.find((b) => b.id === 'relay.bare.c100.deliveries');
  const bareMet = vsBare !== undefined && vsBare.ratio.median >= 0.5;
  ctx.goal({
    id: 'relay-vs-bare',
    text: 'Relay with durable storage ≥ 0.5× bare broadcast deliveries/s at 100 clients',
    measured: vsBare
      ? `${vsBare.ratio.median.toFixed(2)}× (${vsBare.ratio.min.toFixed(2)}–${vsBare.ratio.max.toFixed(2)})`
      : 'not measured',
    status: vsBare ? (bareMet ? 'met' : 'missed') : 'not measured',
    ...(vsBare && !bareMet ? { why: cpuWhy } : {}),
  });
  for (const b of ['yjs', 'yjs-leveldb']) {
    const vs = kk?.baselines.find((x) => x.id === `relay.${b}.c100.deliveries`);
    const met = vs !== undefined && vs.ratio.median >= 1;
    ctx.goal({
      id: `relay-vs-${b}`,
      text: `Relay with durable storage ≥ 1× ${b === 'yjs' ? 'y-websocket-server (memory)' : 'y-websocket-server + LevelDB'} deliveries/s at 100 clients`,
      measured: vs ? `${vs.ratio.median.toFixed(2)}× (${vs.ratio.min.toFixed(2)}–${vs.ratio.max.toFixed(2)})` : 'not measured',
      status: vs ? (met ? 'met' : 'missed') : 'not measured',
      ...(vs && !met
        ? {
            why: `The Yjs server acknowledges nothing and writes LevelDB asynchronously, while the relay acks and delivers only after fsync. ${cpuWhy}`,
          }
        : {}),
    });
  }
  const p99 = ctx.row('relay.kindkluis-durable.c100.p99');
  const p99Met = p99 !== undefined && p99.summary.median < 20;
  ctx.goal({
    id: 'relay-p99',
    text: 'p99 append→delivery < 20 ms at 100 clients on loopback (relay with durable storage)',
    measured: p99
      ? `${formatNumber(p99.summary.median)} ms (${formatNumber(p99.summary.min)}–${formatNumber(p99.summary.max)})`
      : 'not measured',
    status: p99 ? (p99Met ? 'met' : 'missed') : 'not measured',
    ...(p99 && !p99Met
      ? {
          why:
            `The relay delivers a record only after its lmdb commit is on disk, so every delivery waits for fdatasync (this disk: p50 ${med('relay.disk.fsync-p50')} ms, p99 ${med('relay.disk.fsync-p99')} ms); ` +
            `the in-memory relay's p99 is ${med('relay.kindkluis-memory.c100.p99')} ms and the bare broadcast's ${med('relay.bare.c100.p99')} ms on the same loaded machine, so scheduling on 2 shared cores adds the rest. ` +
            'A dedicated core and a disk with fast flushes (NVMe, or a battery-backed write cache) are the fix; delivering before the commit would break the "nothing delivered that is not stored" rule.',
        }
      : {}),
  });
}
