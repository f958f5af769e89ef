// A hostile relay in front of the real one: a WebSocket proxy on 127.0.0.1 that
// passes every frame through, except that, once told to, it hides a room's
// records from a given seq on from its own clients (and says the room is live
// at the seq before, and drops its errors), as a relay that withholds an access
// record would. It can also rewrite the relay's `served-log` answers, as a
// relay that lies about what it served would [R119].
import { createServer, type Server } from 'node:http';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import { decodeRelayMessage, encodeRelayMessage } from '../../core/sync/protocol-codec.js';
import type { RelayMessageOf } from '../../core/sync/protocol.js';

export interface WithholdingRelay {
  readonly url: string;
  /** From now on, records of `room` with seq >= `fromSeq` are not passed on. */
  withhold(room: string, fromSeq: number): void;
  /** The record of `room` at `seq` alone is not passed on; the ones after it are. */
  hideOne(room: string, seq: number): void;
  /** From now on, the records of `room` pass again (ends `hideOne`). */
  reveal(room: string): void;
  /** As `hideOne`, but only the first time the record comes by: a later fetch of it goes through. */
  hideOnce(room: string, seq: number): void;
  /** The records of `room` at `seq` and `seq + 1` are passed on with their envelopes exchanged (a fork). */
  swap(room: string, seq: number): void;
  /** From now on, every `served-log` answer is passed on as `rewrite` makes it (null: unchanged again). */
  tamperServedLog(
    rewrite: ((m: RelayMessageOf<'served-log'>) => RelayMessageOf<'served-log'> | Promise<RelayMessageOf<'served-log'>>) | null,
  ): void;
  stop(): Promise<void>;
}

const bytesOf = (data: RawData): Uint8Array =>
  Array.isArray(data)
    ? new Uint8Array(Buffer.concat(data))
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

export async function startWithholdingRelay(upstream: string): Promise<WithholdingRelay> {
  const held = new Map<string, number>();
  const hidden = new Map<string, number>();
  const hiddenOnce = new Map<string, number>();
  const swapped = new Map<string, { seq: number; first: { seq: number; envelope: Uint8Array } | null }>();
  let servedLogRewrite: Parameters<WithholdingRelay['tamperServedLog']>[0] = null;
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (client) => {
    const relay = new WebSocket(upstream, { perMessageDeflate: false });
    const early: Uint8Array[] = [];
    relay.on('open', () => {
      for (const f of early.splice(0)) relay.send(f, { binary: true });
    });
    client.on('message', (data) => {
      const frame = bytesOf(data);
      if (relay.readyState === WebSocket.OPEN) relay.send(frame, { binary: true });
      else early.push(frame);
    });
    relay.on('message', (data) => {
      const frame = bytesOf(data);
      const msg = decodeRelayMessage(frame);
      const rewrite = servedLogRewrite;
      if (msg.ok && msg.value.type === 'served-log' && rewrite !== null) {
        void Promise.resolve(rewrite(msg.value)).then((m) => client.send(encodeRelayMessage(m), { binary: true }));
        return;
      }
      // Nor does it say that access to the room ended.
      if (msg.ok && msg.value.type === 'error' && msg.value.room !== null && held.has(msg.value.room)) return;
      // Nor does it pass on the room's new heads or the end of a watch on it (P45).
      if (msg.ok && msg.value.type === 'heads') {
        const m = msg.value;
        client.send(
          encodeRelayMessage({
            ...m,
            changed: m.changed.filter((c) => !held.has(c.room)),
            refused: m.refused.filter((r) => !held.has(r.room)),
          }),
          { binary: true },
        );
        return;
      }
      if (
        msg.ok &&
        msg.value.type === 'records' &&
        (hidden.has(msg.value.room) || hiddenOnce.has(msg.value.room) || swapped.has(msg.value.room))
      ) {
        const m = msg.value;
        const once = hiddenOnce.get(m.room);
        if (once !== undefined && m.records.some((r) => r.seq === once)) hiddenOnce.delete(m.room);
        let records = m.records.filter((r) => r.seq !== hidden.get(m.room) && r.seq !== once);
        const sw = swapped.get(m.room);
        if (sw !== undefined) {
          const out: { seq: number; envelope: Uint8Array }[] = [];
          for (const r of records) {
            if (r.seq === sw.seq)
              sw.first = r; // held until its successor arrives
            else if (r.seq === sw.seq + 1 && sw.first !== null)
              out.push({ seq: sw.seq, envelope: r.envelope }, { seq: r.seq, envelope: sw.first.envelope });
            else out.push(r);
          }
          records = out;
        }
        client.send(encodeRelayMessage({ ...m, records }), { binary: true });
        return;
      }
      const from = msg.ok && msg.value.type === 'records' ? held.get(msg.value.room) : undefined;
      if (!msg.ok || msg.value.type !== 'records' || from === undefined) {
        client.send(frame, { binary: true });
        return;
      }
      const m = msg.value;
      const records = m.records.filter((r) => r.seq < from);
      client.send(encodeRelayMessage({ ...m, records, headSeq: Math.min(m.headSeq, from - 1) }), { binary: true });
    });
    client.on('close', () => relay.close());
    relay.on('close', () => client.close());
    client.on('error', () => relay.close());
    relay.on('error', () => client.close());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}`,
    withhold(room, fromSeq) {
      held.set(room, fromSeq);
    },
    hideOne(room, seq) {
      hidden.set(room, seq);
    },
    reveal(room) {
      hidden.delete(room);
    },
    hideOnce(room, seq) {
      hiddenOnce.set(room, seq);
    },
    swap(room, seq) {
      swapped.set(room, { seq, first: null });
    },
    tamperServedLog(rewrite) {
      servedLogRewrite = rewrite;
    },
    async stop() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
