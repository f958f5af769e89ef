// Main-thread handle on the load-generator worker threads of one system under
// test: spawns them, splits the clients over them, runs a phase on all of them
// and merges their results. All waits are bounded.
import { Worker } from 'node:worker_threads';
import type { FromWorker, SystemName, ToWorker, WorkerSetup } from './messages.js';

export interface PhaseResult {
  readonly sent: number;
  readonly acked: number;
  readonly delivered: number;
  readonly refused: Readonly<Record<string, number>>;
  readonly expectedDeliveries: number;
  readonly elapsedMs: number;
  readonly latencies: Float64Array;
  readonly ackLatencies: Float64Array;
  readonly timedOut: boolean;
}

interface Slot {
  readonly worker: Worker;
  readonly first: number;
  readonly count: number;
  readonly inbox: FromWorker[];
  waiter: (() => void) | undefined;
}

export class LoadPool {
  private readonly slots: Slot[] = [];
  private phaseId = 0;

  private constructor(
    readonly system: SystemName,
    readonly clients: number,
  ) {}

  static async start(options: {
    system: SystemName;
    url: string;
    clients: number;
    workers: number;
    stride: number;
    payloadBytes: number;
    extra?: unknown;
    charsPerUpdate?: number;
    connectTimeoutMs: number;
  }): Promise<{ pool: LoadPool; connectMs: number }> {
    const pool = new LoadPool(options.system, options.clients);
    const sendTimes = new SharedArrayBuffer(8 * options.clients * options.stride);
    const per = Math.ceil(options.clients / options.workers);
    for (let first = 0; first < options.clients; first += per) {
      const count = Math.min(per, options.clients - first);
      const setup: WorkerSetup = {
        system: options.system,
        url: options.url,
        first,
        count,
        totalClients: options.clients,
        sendTimes,
        stride: options.stride,
        payloadBytes: options.payloadBytes,
        extra: options.extra,
        ...(options.charsPerUpdate === undefined ? {} : { charsPerUpdate: options.charsPerUpdate }),
      };
      const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: setup });
      const slot: Slot = { worker, first, count, inbox: [], waiter: undefined };
      worker.on('message', (m: FromWorker) => {
        slot.inbox.push(m);
        slot.waiter?.();
      });
      worker.on('error', (e) => {
        slot.inbox.push({ type: 'error', message: e.message });
        slot.waiter?.();
      });
      pool.slots.push(slot);
    }
    const t0 = performance.now();
    await pool.all({ type: 'connect' }, 'connected', options.connectTimeoutMs);
    return { pool, connectMs: performance.now() - t0 };
  }

  private async receive(slot: Slot, type: FromWorker['type'], timeoutMs: number): Promise<FromWorker> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const i = slot.inbox.findIndex((m) => m.type === type || m.type === 'error');
      if (i >= 0) {
        const [m] = slot.inbox.splice(i, 1);
        if (!m) continue;
        if (m.type === 'error') throw new Error(`load worker (${this.system}): ${m.message}`);
        return m;
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`load worker (${this.system}): no ${type} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        slot.waiter = () => {
          clearTimeout(timer);
          slot.waiter = undefined;
          resolve();
        };
      });
    }
  }

  private async all(message: ToWorker, reply: FromWorker['type'], timeoutMs: number): Promise<FromWorker[]> {
    for (const s of this.slots) s.worker.postMessage(message);
    return Promise.all(this.slots.map((s) => this.receive(s, reply, timeoutMs)));
  }

  /**
   * One phase: `senders` (global indices) each send `appendsPerSender` appends;
   * every other client should receive each of them once.
   */
  async phase(options: {
    mode: 'throughput' | 'latency';
    senders: readonly number[];
    appendsPerSender: number;
    durationMs: number;
    window: number;
    intervalMs: number;
    maxMs: number;
    /** Room index of every client (global index → room), when clients sit in many rooms; unset: one room. */
    roomOf?: readonly number[];
  }): Promise<PhaseResult> {
    if (options.mode === 'throughput' && this.slots.length !== 1)
      throw new Error('time-bounded throughput phases need every client in one worker');
    const id = ++this.phaseId;
    const totalAppends = options.senders.length * options.appendsPerSender;
    let expectedTotal = 0;
    const members = options.roomOf ? membersByRoom(options.roomOf) : undefined;
    for (const s of this.slots) {
      const local = options.senders.filter((x) => x >= s.first && x < s.first + s.count);
      const inSlot = (x: number): boolean => x >= s.first && x < s.first + s.count;
      // Each append reaches the other clients of the sender's room (every client, with one room).
      const expected = members
        ? options.senders.reduce(
            (sum, sender) =>
              sum +
              (members.get(options.roomOf?.[sender] ?? -1) ?? []).filter((x) => x !== sender && inSlot(x)).length *
                options.appendsPerSender,
            0,
          )
        : totalAppends * s.count - local.length * options.appendsPerSender;
      expectedTotal += expected;
      s.worker.postMessage({
        type: 'phase',
        id,
        mode: options.mode,
        senders: local,
        appendsPerSender: options.appendsPerSender,
        durationMs: options.durationMs,
        window: options.window,
        intervalMs: options.intervalMs,
        expectedDeliveries: expected,
        maxMs: options.maxMs,
      } satisfies ToWorker);
    }
    const replies = await Promise.all(this.slots.map((s) => this.receive(s, 'phase-done', options.maxMs + 30_000)));
    if (options.mode === 'throughput') expectedTotal = 0;
    let sent = 0;
    let acked = 0;
    let delivered = 0;
    const refused: Record<string, number> = {};
    let start = Infinity;
    let end = -Infinity;
    let timedOut = false;
    const lat: Float64Array[] = [];
    const ackLat: Float64Array[] = [];
    for (const r of replies) {
      if (r.type !== 'phase-done') continue;
      sent += r.sent;
      acked += r.acked;
      delivered += r.delivered;
      for (const [code, count] of Object.entries(r.refused)) refused[code] = (refused[code] ?? 0) + count;
      // Workers without senders report their own start; the phase starts at the first send.
      if (r.sent > 0) start = Math.min(start, r.startAt);
      end = Math.max(end, r.endAt);
      timedOut ||= r.timedOut;
      if (options.mode === 'throughput')
        expectedTotal += (r.sent - Object.values(r.refused).reduce((a, b) => a + b, 0)) * (this.clients - 1);
      lat.push(r.latencies);
      ackLat.push(r.ackLatencies);
    }
    return {
      sent,
      acked,
      delivered,
      refused,
      expectedDeliveries: expectedTotal,
      elapsedMs: end - start,
      latencies: concat(lat),
      ackLatencies: concat(ackLat),
      timedOut,
    };
  }

  async close(): Promise<void> {
    try {
      await this.all({ type: 'close' }, 'closed', 10_000);
    } finally {
      await Promise.all(this.slots.map((s) => s.worker.terminate()));
    }
  }
}

function membersByRoom(roomOf: readonly number[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  roomOf.forEach((room, client) => {
    const list = out.get(room);
    if (list) list.push(client);
    else out.set(room, [client]);
  });
  return out;
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((a, b) => a + b.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
