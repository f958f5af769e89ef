// A load-generator worker thread: holds a slice of the benchmark's clients as
// real WebSocket connections to 127.0.0.1, drives the senders among them and
// counts and times every delivery. Every phase is bounded in count and time.
import { parentPort, workerData } from 'node:worker_threads';
import { absoluteNow, type FromWorker, type ToWorker, type WorkerSetup } from './messages.js';
import { bareSystem, yjsSystem, type ClientSystem, type LoadClient } from './systems.js';

const setup = workerData as WorkerSetup;
const port = parentPort;
if (!port) throw new Error('load-worker must run in a worker thread');
const post = (m: FromWorker): void => port.postMessage(m);
const sendTimes = new Float64Array(setup.sendTimes);

async function loadSystem(): Promise<ClientSystem> {
  switch (setup.system) {
    case 'bare':
      return bareSystem(setup);
    case 'yjs':
      return yjsSystem(setup);
    case 'kindkluis': {
      // Imported lazily: only this system needs core/ crypto and protocol code.
      const { kindkluisSystem } = await import('./kindkluis-client.js');
      return kindkluisSystem(setup);
    }
  }
}

interface PhaseState {
  id: number;
  measureLatency: boolean;
  expected: number;
  delivered: number;
  acked: number;
  sent: number;
  startAt: number;
  endAt: number;
  latencies: number[];
  ackLatencies: number[];
  refused: Record<string, number>;
  /** Unacknowledged appends per local sender. */
  inFlight: Map<number, number>;
  onProgress: () => void;
}

const clients: LoadClient[] = [];
const nextSeq: number[] = [];
let phase: PhaseState | undefined;

function hooksFor(index: number) {
  return {
    ack(seq: number) {
      const p = phase;
      if (!p) return;
      p.acked++;
      if (p.measureLatency && seq < setup.stride) {
        const sentAt = sendTimes[index * setup.stride + seq];
        if (sentAt !== undefined && sentAt > 0) p.ackLatencies.push(absoluteNow() - sentAt);
      }
      p.inFlight.set(index, (p.inFlight.get(index) ?? 1) - 1);
      p.endAt = absoluteNow();
      p.onProgress();
    },
    refused(seq: number, code: string) {
      const p = phase;
      if (!p) return;
      p.refused[code] = (p.refused[code] ?? 0) + 1;
      // A refused append is never delivered: lower the (latency-mode) expectation so the phase can end.
      p.expected -= setup.count - 1;
      this.ack(seq);
    },
    delivery(sender: number, seq: number) {
      const p = phase;
      if (!p) return;
      const t = absoluteNow();
      p.delivered++;
      p.endAt = t;
      if (p.measureLatency && seq < setup.stride) {
        const sentAt = sendTimes[sender * setup.stride + seq];
        if (sentAt !== undefined && sentAt > 0) p.latencies.push(t - sentAt);
      }
      p.onProgress();
    },
  };
}

async function connectAll(): Promise<number> {
  const system = await loadSystem();
  const t0 = performance.now();
  // Connect in small batches: hundreds of simultaneous handshakes overflow the listen backlog.
  const batch = 25;
  for (let i = 0; i < setup.count; i += batch) {
    const indices = Array.from({ length: Math.min(batch, setup.count - i) }, (_, k) => setup.first + i + k);
    const connected = await Promise.all(indices.map((index) => system.connect(index, hooksFor(index))));
    clients.push(...connected);
  }
  for (let i = 0; i < setup.count; i++) nextSeq.push(1);
  return performance.now() - t0;
}

function sendOne(p: PhaseState, index: number): void {
  const local = index - setup.first;
  const client = clients[local];
  if (!client) throw new Error(`client ${index} is not in this worker`);
  const seq = nextSeq[local]!;
  nextSeq[local] = seq + 1;
  if (seq < setup.stride) sendTimes[index * setup.stride + seq] = absoluteNow();
  p.sent++;
  p.inFlight.set(index, (p.inFlight.get(index) ?? 0) + 1);
  client.send(seq);
}

async function runPhase(m: Extract<ToWorker, { type: 'phase' }>): Promise<void> {
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const p: PhaseState = {
    id: m.id,
    measureLatency: m.mode === 'latency',
    expected: m.expectedDeliveries,
    delivered: 0,
    acked: 0,
    sent: 0,
    startAt: absoluteNow(),
    endAt: absoluteNow(),
    latencies: [],
    ackLatencies: [],
    refused: {},
    inFlight: new Map(),
    onProgress: () => undefined,
  };
  const remaining = new Map(m.senders.map((s) => [s, m.appendsPerSender]));
  // Throughput phases are bounded by time: the expectation grows with what was sent.
  // Every client of the system lives in this one worker, so each append should reach count − 1 of them.
  const expected = (): number => (m.mode === 'throughput' ? (p.sent - refusedCount(p)) * (setup.count - 1) : p.expected);
  const complete = (): boolean => remaining.size === 0 && p.acked >= p.sent && p.delivered >= expected();
  let timers: NodeJS.Timeout[] = [];
  if (m.mode === 'throughput') {
    // Closed loop: each sender keeps up to `window` appends unacknowledged, until the phase's sending time is up.
    const stopAt = performance.now() + m.durationMs;
    const pump = (): void => {
      const timeUp = performance.now() >= stopAt;
      for (const [sender, left] of remaining) {
        let l = timeUp ? 0 : left;
        while (l > 0 && (p.inFlight.get(sender) ?? 0) < m.window) {
          sendOne(p, sender);
          l--;
        }
        if (l === 0) remaining.delete(sender);
        else remaining.set(sender, l);
      }
    };
    p.onProgress = () => {
      if (remaining.size > 0) pump();
      if (complete()) done();
    };
    phase = p;
    pump();
    timers.push(
      setTimeout(() => {
        pump();
        if (complete()) done();
      }, m.durationMs + 1),
    );
  } else {
    // Open loop at a fixed offered rate, senders staggered over the interval.
    p.onProgress = () => {
      if (complete()) done();
    };
    phase = p;
    m.senders.forEach((sender, k) => {
      const offset = (m.intervalMs * k) / Math.max(1, m.senders.length);
      const t0 = performance.now() + offset;
      let n = 0;
      const fire = (): void => {
        sendOne(p, sender);
        n++;
        if (n >= m.appendsPerSender) {
          remaining.delete(sender);
          if (complete()) done();
          return;
        }
        // Schedule against the start time so a late timer does not lower the offered rate.
        const due = t0 + n * m.intervalMs - performance.now();
        timers.push(setTimeout(fire, Math.max(0, due)));
      };
      timers.push(setTimeout(fire, offset));
    });
  }
  const timeout = setTimeout(done, m.maxMs);
  await finished;
  clearTimeout(timeout);
  for (const t of timers) clearTimeout(t);
  timers = [];
  phase = undefined;
  const timedOut = !complete();
  post({
    type: 'phase-done',
    id: p.id,
    sent: p.sent,
    acked: p.acked,
    delivered: p.delivered,
    refused: p.refused,
    startAt: p.startAt,
    endAt: p.endAt,
    latencies: Float64Array.from(p.latencies),
    ackLatencies: Float64Array.from(p.ackLatencies),
    timedOut,
  });
}

const refusedCount = (p: PhaseState): number => Object.values(p.refused).reduce((a, b) => a + b, 0);

port.on('message', (m: ToWorker) => {
  const handle = async (): Promise<void> => {
    switch (m.type) {
      case 'connect':
        post({ type: 'connected', ms: await connectAll() });
        break;
      case 'phase':
        await runPhase(m);
        break;
      case 'close':
        for (const c of clients) c.close();
        post({ type: 'closed' });
        break;
    }
  };
  handle().catch((error: unknown) =>
    post({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
