// Measures what the per-record check of R39 costs on a 10,000-update catch-up:
// RoomDoc.applyRemote (one transaction, no check) against RoomDoc.applyChecked
// (each update first decoded on its own; a scratch document per update measured 110× here). Run: npx tsx bench/measure-apply-checked.ts
import * as Y from 'yjs';
import { RoomDoc } from '../core/sync/room-doc.js';

const N = 10_000;
const source = new Y.Doc();
const updates: Uint8Array[] = [];
source.on('update', (u: Uint8Array) => updates.push(u));
const text = source.getText('verslag');
const map = source.getMap('leerling');
for (let i = 0; i < N; i++) {
  if (i % 3 === 0) map.set(`veld${i % 50}`, `waarde ${i}`);
  else text.insert(Math.min(text.length, (i * 7) % (text.length + 1)), `w${i} `);
}

function time(label: string, run: (d: RoomDoc) => void): number {
  const samples: number[] = [];
  for (let r = 0; r < 5; r++) {
    const d = new RoomDoc('m/leerling', () => undefined);
    const t0 = performance.now();
    run(d);
    samples.push(performance.now() - t0);
    d.destroy();
  }
  samples.sort((a, b) => a - b);
  const med = samples[2] ?? 0;
  console.log(`${label}: median ${med.toFixed(0)} ms over 5 runs (${samples.map((s) => s.toFixed(0)).join(', ')})`);
  return med;
}

const plain = time('applyRemote  (no check)', (d) => d.applyRemote(updates));
const checked = time('applyChecked (decode per update)', (d) => {
  const failed = d.applyChecked(updates);
  if (failed.length > 0) throw new Error('unexpected failure');
});
console.log(`${N} updates: check adds ${(checked - plain).toFixed(0)} ms (${(checked / plain).toFixed(2)}×)`);
