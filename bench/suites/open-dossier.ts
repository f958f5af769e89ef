// Item 4: open a dossier room from a cold start (new database connection, new
// provider) to a rendered-ready Yjs document: read the local log, verify and
// decrypt every record (core/sync/open-batch), merge and apply (RoomDoc), read
// the document. With and without a snapshot, and how the cost grows with the
// history (fitted exponent). Baseline: applying the same plaintext Yjs updates
// (or the same snapshot state) to a fresh Y.Doc, i.e. Yjs with no crypto or storage.
import { webcrypto } from 'node:crypto';
import * as Y from 'yjs';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { BenchContext } from '../harness.js';
import { formatNumber, interleave } from '../harness.js';
import { fitPowerLaw, median } from '../stats.js';
import type { Suite } from '../suite.js';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import type { CryptoProvider } from '../../core/crypto/provider.js';
import { KindkluisDatabase } from '../../core/store/database.js';
import { LocalStore } from '../../core/store/local-store.js';
import { openBatch } from '../../core/sync/open-batch.js';
import { RoomDoc } from '../../core/sync/room-doc.js';
import { ok } from '../../core/result.js';
import { generateSealedLog, SESSION_EDITS, type SealedLog } from '../fixtures/dossier-log.js';
import { nodeSealProvider } from '../load/node-seal-provider.js';

/** Updates after the snapshot in the "with snapshot" case. */
const TAIL = 100;

export const openDossierSuite: Suite = {
  name: 'open',
  title: '4. Open a dossier (cold start to rendered-ready document)',
  async run(ctx) {
    // As in the extension (createPreferredProvider): native WebCrypto, XChaCha20-Poly1305 through noble.
    const provider = await createWebCryptoProvider(webcrypto.subtle as unknown as SubtleCrypto, { xchachaFallback: true });
    // 100k only with --full (issue 19's 1k → 10k → 100k): sealing its history takes minutes and each open many
    // seconds. core/sync/room-doc applies a catch-up batch update by update (it no longer merges the batch with
    // Y.mergeUpdates, which grew far faster than linearly and kept 100k from finishing): 100k completes (41 s on the loaded 2-core machine, 2026-12-07).
    const sizes = ctx.pick([1_000, 2_000], [1_000, 3_000, 10_000], [1_000, 3_000, 10_000, 100_000]);
    const max = Math.max(...sizes);
    const t0 = performance.now();
    // Sealing the history with native node:crypto primitives (same envelopes, core's sealEnvelope) keeps setup short.
    const log = await generateSealedLog(
      nodeSealProvider,
      max,
      sizes.map((n) => n - TAIL),
      (m) => ctx.log(m),
    );
    ctx.log(`generated ${max} sealed updates in ${((performance.now() - t0) / 1000).toFixed(1)} s (not measured)`);
    ctx.note(
      `Open = new Dexie connection (fake-indexeddb) → read the room's records → verify signatures (one per hash-linked run), check commitment and decrypt each (WebCrypto provider with XChaCha through noble as in the extension; small updates are XChaCha20-Poly1305, core/crypto/aead-choice.ts; core/sync/open-batch) → merge and apply (core/sync/room-doc) → read text and fields. ` +
        `"With snapshot": one sealed snapshot covering all but the last ${TAIL} updates, plus those ${TAIL}. The store-read part runs on fake-indexeddb, a JavaScript IndexedDB that is slower than Chromium's; it is reported separately. ` +
        `Updates are hash-linked as the sync engine seals them (P26), a new run every ${SESSION_EDITS} edits (one writing session), so a reader checks one Ed25519 signature per run; "unlinked" opens the same updates sealed without links (envelopes from before P26, and the worst case: one signature per record). ` +
        `Baseline: Y.applyUpdate of the same plaintext updates (or snapshot state) into a fresh Y.Doc. Generated history: ${max} updates, final text ${formatNumber(finalTextLength(log))} characters.`,
    );
    const growth: { x: number; y: number }[] = [];
    for (const n of sizes) {
      const repeats = n > 10_000 ? 1 : ctx.pick(2, 3, 3);
      const full = await loadDatabase(log, n, 'linked');
      // Above 10k the unlinked worst case is left out: it only repeats the signature cost per record, at length.
      const withUnlinked = n <= 10_000;
      const unlinked = withUnlinked ? await loadDatabase(log, n, 'unlinked') : undefined;
      const snap = await loadDatabase(log, n, 'snapshot');
      const phases: Record<string, { read: number; open: number; cpu: number }[]> = { full: [], unlinked: [], snap: [] };
      const s = await interleave(repeats, {
        rawFull: () => rawYjs(log.plain.slice(0, n)),
        full: async () => {
          const r = await coldOpen(full, log, provider);
          phases['full']!.push(r);
          return r.read + r.open;
        },
        unlinked: async () => {
          if (unlinked === undefined) return Number.NaN;
          const r = await coldOpen(unlinked, log, provider);
          phases['unlinked']!.push(r);
          return r.read + r.open;
        },
        rawSnap: () => rawYjs([log.snapshots.get(n - TAIL)!.plain, ...log.plain.slice(n - TAIL, n)]),
        snap: async () => {
          const r = await coldOpen(snap, log, provider);
          phases['snap']!.push(r);
          return r.read + r.open;
        },
      });
      const k = n >= 1000 ? `${n / 1000}k` : String(n);
      ctx.record({ id: `open.yjs.${k}`, label: `raw Yjs apply, ${k} updates`, unit: 'ms', better: 'lower', samples: s.rawFull });
      ctx.record({ id: `open.full.${k}`, label: `open ${k} updates, no snapshot: total`, unit: 'ms', better: 'lower', samples: s.full });
      ctx.compare(`open.full.${k}`, `open.yjs.${k}`);
      ctx.record({
        id: `open.full.${k}.decrypt`,
        label: `open ${k} updates, no snapshot: verify+decrypt+apply only`,
        unit: 'ms',
        better: 'lower',
        samples: phases['full']!.map((p) => p.open),
      });
      ctx.compare(`open.full.${k}.decrypt`, `open.yjs.${k}`);
      ctx.record({
        id: `open.full.${k}.cpu`,
        label: `open ${k} updates, no snapshot: CPU time, all threads`,
        unit: 'ms',
        better: 'lower',
        samples: phases['full']!.map((p) => p.cpu),
        note: `${formatNumber((median(phases['full']!.map((p) => p.cpu)) * 1000) / n)} µs per record; WebCrypto's verify and decrypt run on the libuv pool, so wall time is about CPU ÷ free cores, which the load decides`,
      });
      if (withUnlinked) {
        ctx.record({
          id: `open.unlinked.${k}`,
          label: `open ${k} updates, no snapshot, unlinked (a signature per record): total`,
          unit: 'ms',
          better: 'lower',
          samples: s.unlinked,
        });
        ctx.compare(`open.unlinked.${k}`, `open.yjs.${k}`);
        ctx.compare(`open.full.${k}`, `open.unlinked.${k}`);
        ctx.record({
          id: `open.unlinked.${k}.cpu`,
          label: `open ${k} updates, no snapshot, unlinked: CPU time, all threads`,
          unit: 'ms',
          better: 'lower',
          samples: phases['unlinked']!.map((p) => p.cpu),
          note: `${formatNumber((median(phases['unlinked']!.map((p) => p.cpu)) * 1000) / n)} µs per record`,
        });
      }
      ctx.record({
        id: `open.yjs-snap.${k}`,
        label: `raw Yjs apply, snapshot + ${TAIL} of ${k}`,
        unit: 'ms',
        better: 'lower',
        samples: s.rawSnap,
      });
      ctx.record({ id: `open.snap.${k}`, label: `open ${k} updates, with snapshot: total`, unit: 'ms', better: 'lower', samples: s.snap });
      ctx.compare(`open.snap.${k}`, `open.yjs-snap.${k}`);
      ctx.record({
        id: `open.snap.${k}.decrypt`,
        label: `open ${k} updates, with snapshot: verify+decrypt+apply only`,
        unit: 'ms',
        better: 'lower',
        samples: phases['snap']!.map((p) => p.open),
      });
      ctx.record({
        id: `open.snap.${k}.cpu`,
        label: `open ${k} updates, with snapshot: CPU time, all threads`,
        unit: 'ms',
        better: 'lower',
        samples: phases['snap']!.map((p) => p.cpu),
      });
      growth.push({ x: n, y: ctx.row(`open.full.${k}`)!.summary.median });
      full.close();
      unlinked?.close();
      snap.close();
    }
    if (growth.length >= 2) {
      const fit = fitPowerLaw(growth);
      ctx.record({
        id: 'open.full.growth-exponent',
        label: `growth exponent of open time without snapshot, ${growth.map((g) => g.x / 1000 + 'k').join(' → ')}`,
        unit: 'exponent b in t ∝ n^b',
        better: 'lower',
        samples: [fit.exponent],
        note: `r² = ${fit.r2.toFixed(3)}; 1 = linear`,
      });
      const rawFit = fitPowerLaw(sizes.map((n) => ({ x: n, y: ctx.row(`open.yjs.${n / 1000}k`)!.summary.median })));
      ctx.record({
        id: 'open.yjs.growth-exponent',
        label: 'growth exponent of raw Yjs apply (same sizes)',
        unit: 'exponent b in t ∝ n^b',
        better: 'lower',
        samples: [rawFit.exponent],
        note: `r² = ${rawFit.r2.toFixed(3)}`,
      });
    }
    goal(ctx);
  },
};

function finalTextLength(log: SealedLog): number {
  const doc = new Y.Doc();
  // One update at a time: Y.mergeUpdates over 100,000 updates is far slower than applying them.
  doc.transact(() => {
    for (const u of log.plain) Y.applyUpdate(doc, u);
  });
  const n = doc.getText('omschrijving').length;
  doc.destroy();
  return n;
}

function rawYjs(updates: readonly Uint8Array[]): number {
  const t0 = performance.now();
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  if (doc.getText('omschrijving').toString().length === 0) throw new Error('empty document');
  doc.getMap('velden').toJSON();
  const ms = performance.now() - t0;
  doc.destroy();
  return ms;
}

interface LoadedDb {
  readonly factory: IDBFactory;
  readonly name: string;
  close(): void;
}

/** Writes the first n records (or snapshot + tail) into a fresh fake-indexeddb, as the sync client would have. */
async function loadDatabase(log: SealedLog, n: number, variant: 'linked' | 'unlinked' | 'snapshot'): Promise<LoadedDb> {
  const factory = new IDBFactory();
  const name = `kk-open-${n}-${variant}`;
  const withSnapshot = variant === 'snapshot';
  const updates = variant === 'unlinked' ? log.unlinked : log.updates;
  const db = new KindkluisDatabase(name, { indexedDB: factory, IDBKeyRange });
  const store = new LocalStore(db);
  const records: { seq: number; kind: string; bytes: Uint8Array }[] = [];
  if (withSnapshot) {
    const snap = log.snapshots.get(n - TAIL);
    if (!snap) throw new Error(`no snapshot at ${n - TAIL}`);
    records.push({ seq: n - TAIL, kind: 'snapshot', bytes: snap.bytes });
    for (let seq = n - TAIL + 1; seq <= n; seq++) records.push({ seq, kind: 'update', bytes: updates[seq - 1]! });
  } else {
    for (let seq = 1; seq <= n; seq++) records.push({ seq, kind: 'update', bytes: updates[seq - 1]! });
  }
  for (let i = 0; i < records.length; i += 5000)
    await store.putReceived(log.room, records.slice(i, i + 5000), records[Math.min(records.length, i + 5000) - 1]!.seq);
  store.close();
  return { factory, name, close: () => undefined };
}

async function coldOpen(loaded: LoadedDb, log: SealedLog, provider: CryptoProvider): Promise<{ read: number; open: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const db = new KindkluisDatabase(loaded.name, { indexedDB: loaded.factory, IDBKeyRange });
  const store = new LocalStore(db);
  const rows = await store.readReceived(log.room);
  const t1 = performance.now();
  const { opened, rejected } = await openBatch(
    provider,
    log.room,
    rows.map((r) => ({ seq: r.seq, bytes: r.bytes })),
    {
      keyFor: (epoch) => (epoch === 1 ? log.key : undefined),
      authorize: (env) => (env.header.author === log.author ? ok(undefined) : ok(undefined)),
    },
  );
  if (rejected.length > 0) throw new Error(`open rejected ${rejected.length} records: ${rejected[0]?.code}`);
  const doc = new RoomDoc(log.room, () => undefined);
  doc.applyRemote(opened.map((o) => o.plaintext));
  if (doc.doc.getText('omschrijving').toString().length === 0) throw new Error('empty document');
  doc.doc.getMap('velden').toJSON();
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  doc.destroy();
  store.close();
  return { read: t1 - t0, open: t2 - t1, cpu: (cpu.user + cpu.system) / 1000 };
}

function goal(ctx: BenchContext): void {
  issue19Goals(ctx);
  const r = ctx.row('open.snap.10k');
  const d = ctx.row('open.snap.10k.decrypt');
  ctx.goal({
    id: 'open-10k-snapshot',
    text: 'A 10,000-update dossier with snapshot opens in < 300 ms',
    measured:
      r && d
        ? `${formatNumber(r.summary.median)} ms total (${formatNumber(d.summary.median)} ms verify+decrypt+apply)`
        : 'not measured (quick mode stops at 2k)',
    status: r ? (r.summary.median < 300 ? 'met' : 'missed') : 'not measured',
  });
  // Issue 6: secsync publishes ~1.1 s for 10,000 encrypted Yjs updates without a snapshot (M1); the aim is well below.
  const f = ctx.row('open.full.10k');
  const cpu = ctx.row('open.full.10k.cpu');
  const perRecord = cpu ? (cpu.summary.median * 1000) / 10_000 : undefined;
  ctx.goal({
    id: 'open-10k-no-snapshot',
    text: "A 10,000-update dossier without snapshot opens in < 1.1 s (secsync's published figure, M1)",
    measured: f
      ? `${formatNumber(f.summary.median)} ms total, ${formatNumber(cpu?.summary.median ?? NaN)} ms CPU (${formatNumber(perRecord ?? NaN)} µs per record)`
      : 'not measured (quick mode stops at 2k)',
    status: f ? (f.summary.median < 1100 ? 'met' : 'missed') : 'not measured',
    ...(f && f.summary.median >= 1100
      ? {
          why:
            `Signatures are checked once per hash-linked run (P26, a run per ${SESSION_EDITS} edits here); what remains per record runs on the main thread: ` +
            'a SHA-256 of the wire bytes for the link, the per-envelope HKDF subkeys and HMAC commitment (by the envelope format) and XChaCha20-Poly1305, all in JavaScript, then Yjs. ' +
            'Wall time is that CPU plus whatever else the machine runs (see the load line at the top). What would close the gap: spreading the symmetric work over a worker per core, ' +
            'or fewer records to open: snapshots (the 10k with-snapshot row) taken more often.',
        }
      : {}),
  });
}

/** Issue 19: 10k without snapshot < 0.6 s with every per-record check; with snapshot < 0.3 s at 10k and 100k. */
function issue19Goals(ctx: BenchContext): void {
  const f = ctx.row('open.full.10k');
  const cpu = ctx.row('open.full.10k.cpu');
  const growth = ctx.row('open.full.growth-exponent');
  const g = growth
    ? `; growth exponent ${growth.summary.median.toFixed(2)} (${growth.label.replace('growth exponent of open time without snapshot, ', '')})`
    : '';
  const met = f !== undefined && f.summary.median < 600;
  ctx.goal({
    id: 'open-10k-no-snapshot-0.6',
    text: 'A 10,000-update dossier without snapshot opens in < 0.6 s, every per-record check included (issue 19)',
    measured: f
      ? `${formatNumber(f.summary.median)} ms total (${formatNumber(f.summary.min)}–${formatNumber(f.summary.max)}), ${formatNumber(cpu?.summary.median ?? NaN)} ms CPU${g}`
      : 'not measured (quick mode stops at 2k)',
    status: f ? (met ? 'met' : 'missed') : 'not measured',
    ...(f && !met
      ? {
          why:
            'Per record, on the main thread and in JavaScript: decode, SHA-256 of the wire bytes (hash link, P26), HKDF subkeys and the HMAC key commitment (noble; WebCrypto is slower per call at this size), ' +
            'XChaCha20-Poly1305 (noble), then Yjs; a profile of the 10k open (loaded machine) gives noble hashing ~30 %, garbage collection ~20 %, ChaCha/Poly1305 ~15 %, envelope decode ~10 %. ' +
            "Our per-record work is a constant factor (~120–210 µs CPU per record at every size); above 10k Yjs's own apply grows faster than linearly (see the raw Yjs growth exponent), which no change in the open path removes. " +
            'A worker per core for the symmetric checks, or snapshots taken more often (the with-snapshot rows), would close the gap at 10k; no check can be dropped.',
        }
      : {}),
  });
  const s10 = ctx.row('open.snap.10k');
  const s100 = ctx.row('open.snap.100k');
  const snapMet = s10 !== undefined && s10.summary.median < 300 && (s100 === undefined || s100.summary.median < 300);
  ctx.goal({
    id: 'open-snapshot-10k-100k',
    text: 'With a snapshot, a 10,000- and a 100,000-update dossier open in < 0.3 s (issue 19)',
    measured: s10
      ? `10k: ${formatNumber(s10.summary.median)} ms; 100k: ${s100 ? `${formatNumber(s100.summary.median)} ms` : 'not measured in this mode (only with --full)'}`
      : 'not measured (quick mode stops at 2k)',
    status: s10 ? (snapMet ? 'met' : 'missed') : 'not measured',
    ...(s10 && !snapMet
      ? {
          why:
            `Yjs itself: applying the plaintext snapshot state of the 100k-edit document into a fresh Y.Doc (raw Yjs row) takes ${formatNumber(ctx.row('open.yjs-snap.100k')?.summary.median ?? NaN)} ms, ` +
            'so the verified open (one AES-GCM snapshot envelope plus 100 updates) cannot be under 0.3 s; a compacted state (Y.encodeStateAsUpdate of a document rebuilt without the history, i.e. a new document epoch) would be the fix, not the crypto',
        }
      : {}),
  });
}
