// Client side of each system under test, as the load generator sees it: how
// to connect client i, send its append number `seq`, and recognise an
// incoming frame as "my own append came back" (ack/echo) or "append `seq` of
// client `sender` was delivered to me".
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { WorkerSetup } from './messages.js';

export interface ClientHooks {
  ack(seq: number): void;
  delivery(sender: number, seq: number): void;
  /** The server refused append `seq` for good (counts as answered, reported by code). */
  refused(seq: number, code: string): void;
}

export interface LoadClient {
  send(seq: number): void;
  close(): void;
}

export interface ClientSystem {
  connect(index: number, hooks: ClientHooks): Promise<LoadClient>;
}

export function openSocket(url: string, timeoutMs = 15_000): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.binaryType = 'nodebuffer';
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`connect to ${url} timed out`));
    }, timeoutMs);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

const asBytes = (data: WebSocket.RawData): Uint8Array =>
  Array.isArray(data)
    ? new Uint8Array(Buffer.concat(data))
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** Optional bare setup: each client's room path (the same membership as the relay's live rooms); without it all share `/room`. */
export interface BareExtra {
  readonly rooms?: readonly string[];
}

/** Bare broadcast: 8 header bytes (sender, seq) padded to the Kindkluis append size. */
export function bareSystem(setup: WorkerSetup): ClientSystem {
  const size = Math.max(8, setup.payloadBytes);
  const rooms = (setup.extra as BareExtra | undefined)?.rooms;
  return {
    async connect(index, hooks) {
      const socket = await openSocket(`${setup.url}/${rooms?.[index] ?? 'room'}`);
      socket.on('message', (data) => {
        const bytes = asBytes(data);
        if (bytes.byteLength < 8) return;
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const sender = view.getUint32(0);
        const seq = view.getUint32(4);
        if (sender === index) hooks.ack(seq);
        else hooks.delivery(sender, seq);
      });
      return {
        send(seq) {
          const frame = new Uint8Array(size);
          const view = new DataView(frame.buffer);
          view.setUint32(0, index);
          view.setUint32(4, seq);
          socket.send(frame);
        },
        close: () => socket.close(),
      };
    },
  };
}

/** Characters inserted per Yjs update: one "typing burst", about the size of a Kindkluis update's plaintext. */
export const YJS_CHARS_PER_UPDATE = 16;
const MESSAGE_SYNC = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** Plaintext Yjs over the y-websocket protocol: each client edits one shared Y.Text. */
export function yjsSystem(setup: WorkerSetup): ClientSystem {
  const chars = setup.charsPerUpdate ?? YJS_CHARS_PER_UPDATE;
  const chunk = 'abcdefghijklmnopqrstuvwxyz'.slice(0, chars);
  return {
    async connect(index, hooks) {
      const doc = new Y.Doc();
      // Client ids are the client index + 1, so a receiver can tell the sender from the update alone.
      doc.clientID = index + 1;
      const text = doc.getText('t');
      let pending: Uint8Array | undefined;
      doc.on('update', (update: Uint8Array) => {
        pending = update;
      });
      const socket = await openSocket(`${setup.url}/room`);
      socket.on('message', (data) => {
        const decoder = decoding.createDecoder(asBytes(data));
        if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
        const kind = decoding.readVarUint(decoder);
        if (kind !== SYNC_UPDATE && kind !== SYNC_STEP2) return;
        const meta = Y.parseUpdateMeta(decoding.readVarUint8Array(decoder));
        for (const [client, clock] of meta.from) {
          const seq = Math.floor(clock / chars) + 1;
          if (client === index + 1) hooks.ack(seq);
          else hooks.delivery(client - 1, seq);
        }
      });
      return {
        send(_seq) {
          // Updates are generated in order, so the clock encodes the sequence number.
          text.insert(0, chunk);
          if (!pending) throw new Error('Yjs produced no update');
          const encoder = encoding.createEncoder();
          encoding.writeVarUint(encoder, MESSAGE_SYNC);
          encoding.writeVarUint(encoder, SYNC_UPDATE);
          encoding.writeVarUint8Array(encoder, pending);
          pending = undefined;
          socket.send(encoding.toUint8Array(encoder));
        },
        close: () => {
          socket.close();
          doc.destroy();
        },
      };
    },
  };
}
