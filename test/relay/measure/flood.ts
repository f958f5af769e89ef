// Measurement (not a test): how much one flooding client slows another on a
// real relay process. The witness appends one record at a time and times each
// ack; the flooder pipelines appends as fast as the relay takes them.
// Run: npx tsx test/relay/measure/flood.ts [extra relay args…]
import { asId, type DossierId } from '../../../core/model/ids.js';
import { encodeEnvelope } from '../../../core/crypto/envelope.js';
import { genesisGrants } from '../../../core/access/genesis.js';
import { DossierHarness, makeWorld } from '../../access/fixtures.js';
import { Worker } from 'node:worker_threads';
import { append, chainBytes, login, roomId, seal, tempDir } from '../helpers.js';
import { spawnRelay } from '../child-relay.js';

// `--paced <n>`: the flooder sends n appends per second (e.g. just under the limit); the rest goes to the relay.
const argv = process.argv.slice(2);
const pacedAt = argv.indexOf('--paced');
const rate = pacedAt >= 0 ? Number(argv[pacedAt + 1]) : 0;
const extra = pacedAt >= 0 ? argv.filter((_, i) => i !== pacedAt && i !== pacedAt + 1) : argv;
const w = await makeWorld();
const relay = await spawnRelay(w, tempDir('kk-flood-'), extra);
const h = new DossierHarness(w, asId<DossierId>('dos-flood'));
const ib = await login(relay.url, w.ib);
const genesis = await h.build('genesis', w.ib, { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']) }, new Date());
await append(ib, `${h.dossier}/toegang`, encodeEnvelope(genesis));
await h.apply(genesis, new Date());
const room = roomId(h, 'leerling');

const witnessEnvs = await Promise.all(Array.from({ length: 400 }, (_, i) => seal(h, w.ib, room, `getuige ${i}`)));
const floodEnvs = await Promise.all(Array.from({ length: 3000 }, (_, i) => seal(h, w.coo, room, `vloed ${i}`)));

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;
async function witness(envs: Uint8Array[]): Promise<number[]> {
  const out: number[] = [];
  for (const e of envs) {
    const t = performance.now();
    const m = await append(ib, room, e);
    if (m.type !== 'ack') throw new Error(`witness refused: ${m.type === 'error' ? m.code : m.type}`);
    out.push(performance.now() - t);
  }
  return out;
}

const base = await witness(witnessEnvs.slice(0, 200));

// Worker threads do not inherit tsx's loader: register it, then load the TypeScript worker.
const workerUrl = new URL('./flood-worker.ts', import.meta.url).href;
const worker = new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(workerUrl)}); })`, {
  eval: true,
  workerData: { url: relay.url, room, chain: chainBytes(w.coo), secretKey: w.coo.device.secretKey, envelopes: floodEnvs, rate },
});
await new Promise((r) => worker.once('message', r));
await new Promise((r) => setTimeout(r, 500));
const t0 = performance.now();
const during = await witness(witnessEnvs.slice(200));
const seconds = (performance.now() - t0 + 500) / 1000;
worker.postMessage('stop');
const { acked, refused, closed } = (await new Promise((r) => worker.once('message', r))) as {
  acked: number;
  refused: number;
  closed: boolean;
};
await worker.terminate();

console.log(
  JSON.stringify({
    relayArgs: extra.join(' '),
    flooderPacedAt: rate,
    witnessMedianMsAlone: +pct(base, 0.5).toFixed(2),
    witnessP95MsAlone: +pct(base, 0.95).toFixed(2),
    witnessMedianMsDuringFlood: +pct(during, 0.5).toFixed(2),
    witnessP95MsDuringFlood: +pct(during, 0.95).toFixed(2),
    medianRatio: +(pct(during, 0.5) / pct(base, 0.5)).toFixed(2),
    p95Ratio: +(pct(during, 0.95) / pct(base, 0.95)).toFixed(2),
    flooderAckedPerSecond: Math.round(acked / seconds),
    flooderRefusedPerSecond: Math.round(refused / seconds),
    flooderDisconnected: closed,
  }),
);
ib.close();
relay.proc.kill('SIGTERM');
await relay.exited;
process.exit(0);
