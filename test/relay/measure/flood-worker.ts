// The flooding client of flood.ts, in its own thread so its work does not
// delay the witness's event loop (only the relay's).
import { parentPort, workerData } from 'node:worker_threads';
import { TestClient } from '../helpers.js';
import { PROTOCOL_VERSION } from '../../../core/sync/protocol.js';
import { authMessage } from '../../../core/sync/protocol-signing.js';
import { nobleProvider } from '../../../core/crypto/noble-provider.js';

interface Input {
  readonly url: string;
  readonly room: string;
  readonly chain: Uint8Array;
  readonly secretKey: Uint8Array;
  readonly envelopes: Uint8Array[];
  /** Appends per second to aim for; 0 = as fast as the relay takes them. */
  readonly rate: number;
}
const input = workerData as Input;
const c = await TestClient.open(input.url);
c.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, chain: input.chain });
const ch = await c.wait('challenge');
c.send({ type: 'auth', origin: input.url, signature: await nobleProvider.ed25519Sign(input.secretKey, authMessage(ch.nonce, input.url)) });
await c.wait('ready');

let stop = false;
let acked = 0;
let refused = 0;
parentPort?.on('message', () => {
  stop = true;
});
parentPort?.postMessage({ ready: true });
let i = 0;
let inflight = 0;
let closed = false;
void c.closed.then(() => {
  closed = true;
});
c.ws.on('message', () => {
  // Counting happens through answer(); this keeps the socket drained.
});
while (!stop && !closed) {
  const env = input.envelopes[i++ % input.envelopes.length] as Uint8Array;
  inflight++;
  const ref = c.nextRef();
  c.send({ type: 'append', ref, room: input.room, envelope: env });
  void c.answer(ref).then(
    (m) => {
      inflight--;
      if (m.type === 'ack') acked++;
      else refused++;
    },
    () => inflight--,
  );
  while (inflight >= 256 && !stop && !closed) await new Promise((r) => setTimeout(r, 1));
  if (input.rate > 0) await new Promise((r) => setTimeout(r, 1000 / input.rate));
}
parentPort?.postMessage({ acked, refused, closed });
c.close();
