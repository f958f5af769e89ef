// Messages between the relay benchmark (main thread) and its load-generator
// worker threads. Each worker owns a slice of the clients; all workers share
// one table of send times (SharedArrayBuffer), so a delivery seen in any
// worker can be timed against the moment its append was sent.

export type SystemName = 'bare' | 'yjs' | 'kindkluis';

export interface WorkerSetup {
  readonly system: SystemName;
  readonly url: string;
  /** Global client indices [first, first + count) live in this worker (the relay benchmark uses one worker per system, holding every client). */
  readonly first: number;
  readonly count: number;
  readonly totalClients: number;
  /** Float64 send times, index = client * stride + seq. */
  readonly sendTimes: SharedArrayBuffer;
  readonly stride: number;
  /** Size of an append payload in bytes (bare broadcast pads to this). */
  readonly payloadBytes: number;
  /** System-specific setup (e.g. the Kindkluis room, keys and device chains), structured-clone safe. */
  readonly extra?: unknown;
  /** Characters each Y.Text insert adds (Yjs and Kindkluis clients); 16 unless set. */
  readonly charsPerUpdate?: number;
}

export type ToWorker =
  | { readonly type: 'connect' }
  | {
      readonly type: 'phase';
      readonly id: number;
      readonly mode: 'throughput' | 'latency';
      /** Global indices of the senders that live in this worker. */
      readonly senders: readonly number[];
      /** Latency: appends per sender. Throughput: the most a sender may send (the phase ends by time). */
      readonly appendsPerSender: number;
      /** Throughput: milliseconds during which senders keep sending. */
      readonly durationMs: number;
      /** Throughput: appends each sender may have unacknowledged. */
      readonly window: number;
      /** Latency: milliseconds between two appends of one sender. */
      readonly intervalMs: number;
      /** Latency: deliveries (to clients other than the sender) this worker should see. Throughput: derived from what was sent. */
      readonly expectedDeliveries: number;
      readonly maxMs: number;
    }
  | { readonly type: 'close' };

export type FromWorker =
  | { readonly type: 'connected'; readonly ms: number }
  | {
      readonly type: 'phase-done';
      readonly id: number;
      readonly sent: number;
      readonly acked: number;
      readonly delivered: number;
      /** Appends the server refused (e.g. a rate limit), by error code. */
      readonly refused: Readonly<Record<string, number>>;
      /** Absolute ms (timeOrigin + now) of the first send and of the last delivery or ack. */
      readonly startAt: number;
      readonly endAt: number;
      readonly latencies: Float64Array;
      /** Latency phases: send → the sender's own ack (Kindkluis: after the relay's fsync; bare and Yjs: the echo). */
      readonly ackLatencies: Float64Array;
      readonly timedOut: boolean;
    }
  | { readonly type: 'closed' }
  | { readonly type: 'error'; readonly message: string };

export const absoluteNow = (): number => performance.timeOrigin + performance.now();
