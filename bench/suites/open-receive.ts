// Item 4b (issue 16): what the client's checks cost when a dossier room is
// opened, measured on the path the product runs. A real relay in this process,
// an SWV with two intern begeleiders joined through the real handshake; Ilse
// types N edits into the leerling room through the client (each update carries
// her device chain and access-list head, P30/P31, sealed and hash-linked by the
// sync engine); Sanne's client, with its own keyring and access list, then
// takes the room's first 1k/3k/10k records through `receive()` of
// core/client/client-receive.ts, as when the relay hands them over in one batch.
// Baselines in the same run: raw Yjs apply of the plaintext updates, and the
// path without client checks (openBatch with no authorisation + applyRemote,
// what the open suite measures). The checks' shares are timed by calling the
// exported check functions on the same records.
import { webcrypto } from 'node:crypto';
import * as Y from 'yjs';
import type { BenchContext } from '../harness.js';
import { formatNumber, interleave } from '../harness.js';
import { median } from '../stats.js';
import type { Suite } from '../suite.js';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import type { CryptoProvider } from '../../core/crypto/provider.js';
import { keyringGet } from '../../core/access/keyring.js';
import { roomOf } from '../../core/access/rooms.js';
import { receive } from '../../core/client/client-receive.js';
import { authorDevice, authorise } from '../../core/client/client-authors.js';
import { judgeWriteHead } from '../../core/client/client-trust.js';
import { hashedInBatch, noteRecords, noteUpdateHash } from '../../core/client/client-seen.js';
import { dossierSession } from '../../core/client/dossier-session.js';
import { decodeUpdatePayload, type DossierState } from '../../core/client/dossier-state.js';
import type { ClientCore } from '../../core/client/client-core.js';
import type { Envelope } from '../../core/crypto/envelope.js';
import type { DossierId } from '../../core/model/ids.js';
import { ok } from '../../core/result.js';
import { openBatch } from '../../core/sync/open-batch.js';
import { RoomDoc } from '../../core/sync/room-doc.js';
import type { RelayRecord } from '../../core/sync/relay-link.js';
import { mulberry32, typingEdit } from '../fixtures/dossier-log.js';
import { buildWorld, eventually, removeDir, startTestRelay, type Member, type TestRelay, type WorldSpec } from '../../test/sync/harness.js';
import { LEERLING, internals } from '../../test/client/dossier-world.js';

/** Edits between two flushes of the writer's outbox while the history is made. */
const FLUSH_EVERY = 250;

interface Opened {
  readonly record: RelayRecord;
  readonly env: Envelope;
  readonly payload: NonNullable<ReturnType<typeof decodeUpdatePayload>>;
}

export const openReceiveSuite: Suite = {
  name: 'receive',
  title: '4b. Open a dossier room through the client’s receive path (production checks, issue 16)',
  async run(ctx) {
    // As in the extension (createPreferredProvider): native WebCrypto, XChaCha20-Poly1305 through noble.
    const provider = await createWebCryptoProvider(webcrypto.subtle as unknown as SubtleCrypto, { xchachaFallback: true });
    const sizes = ctx.pick([1_000, 2_000], [1_000, 3_000, 10_000]);
    const max = Math.max(...sizes);
    const relay = await startTestRelay();
    let members: Member[] = [];
    let beheerder: { client: { close(): Promise<void> } } | undefined;
    try {
      const t0 = performance.now();
      const ib = (naam: string): WorldSpec => ({
        naam,
        functie: 'intern begeleider',
        organisation: { naam: 'OBS De Linde', kind: 'school' },
        roles: ['intern-begeleider'],
        provider,
      });
      const world = await buildWorld(relay.url, [ib('Ilse Bakker'), ib('Sanne Smit')]);
      beheerder = world.beheerder;
      members = world.members;
      const [ilse, sanne] = members as [Member, Member];
      const { dossier, room } = await writeHistory(ctx, relay, ilse, sanne, max);
      ctx.log(`world and ${max} updates made through the client in ${((performance.now() - t0) / 1000).toFixed(1)} s (not measured)`);
      const stored = await relay.running.relay.opts.storage.readRecords(room, 0, max + 1_000, 1 << 30);
      const all: RelayRecord[] = stored.map((r) => ({ seq: r.seq, bytes: r.envelope }));
      ctx.note(
        `Records made by a real client (Ilse, typing into a Y.Text and now and then a Y.Map field of the leerling room: ${all.length} records incl. the dossier's first), stored by the real relay in this process, ` +
          `opened by another member's real client (Sanne, WebCrypto provider as in the extension) with its keyring, access list and Ilse's device chain in each payload. ` +
          `"after" = \`receive()\` of core/client/client-receive.ts on the room's first N records in one batch, into an empty room document (the local-cache load of ensureRoom is left out; the author's certificate cache is emptied before each run, so one chain verification is included, as at a cold open). ` +
          `"before" = openBatch with no authorisation + payload decode + RoomDoc.applyRemote on the same records (today's open suite path). The per-check rows time the exported functions receive() calls, on the same opened records, each as a share of "after".`,
      );
      const c = internals(sanne.tc);
      const st = c.dossiers.get(dossier);
      if (st === undefined) throw new Error('Sanne has no state for the dossier');
      for (const n of sizes) await measureSize(ctx, provider, c, st, room, all.slice(0, n), n);
    } finally {
      for (const m of members) await m.tc.client.close();
      await beheerder?.client.close();
      await relay.stop();
      await removeDir(relay.dataDir);
    }
  },
};

/** Ilse makes a dossier both read, then types `count` edits into its leerling room; Sanne catches up. */
async function writeHistory(
  ctx: BenchContext,
  relay: TestRelay,
  ilse: Member,
  sanne: Member,
  count: number,
): Promise<{ dossier: DossierId; room: string }> {
  const d = await ilse.tc.client.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  if (!(await ilse.tc.client.flush(30_000)).ok) throw new Error('flush failed');
  await eventually(
    async () => {
      await sanne.tc.client.tick();
      await sanne.tc.client.openDossier(d.value);
      return sanne.tc.client.getLeerling(d.value).ok;
    },
    'Sanne leest het dossier',
    60_000,
  );
  const c = internals(ilse.tc);
  const st = c.dossiers.get(d.value);
  if (!st) throw new Error('Ilse has no state for the dossier');
  const rand = mulberry32(8);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const r = await dossierSession(c, st).write('leerling', (doc) =>
      typingEdit(doc.getText('omschrijving'), doc.getMap<string>('velden'), rand, i),
    );
    if (!r.ok) throw new Error(r.error.message);
    if ((i + 1) % FLUSH_EVERY === 0) {
      if (!(await ilse.tc.client.flush(120_000)).ok) throw new Error('flush failed');
      if ((i + 1) % 2_000 === 0) ctx.log(`typed ${i + 1}/${count} edits (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
  if (!(await ilse.tc.client.flush(120_000)).ok) throw new Error('flush failed');
  const room = roomOf(d.value, 'leerling');
  const head = await relay.running.relay.opts.storage.headSeq(room);
  // Sanne has the whole room too, so her client is idle while it is measured.
  const sanneCore = internals(sanne.tc);
  await eventually(
    async () => {
      await sanne.tc.client.tick();
      return (await sanneCore.store.cursor(room)) >= head;
    },
    'Sanne is bij',
    600_000,
  );
  return { dossier: d.value, room };
}

async function measureSize(
  ctx: BenchContext,
  provider: CryptoProvider,
  c: ClientCore,
  st: DossierState,
  room: string,
  records: RelayRecord[],
  n: number,
): Promise<void> {
  const k = `${n / 1000}k`;
  const keyFor = (e: number) => keyringGet(st.keyring, 'leerling', e);
  const batch = await openBatch(provider, room, records, { keyFor, authorize: () => ok(undefined) });
  if (batch.rejected.length > 0) throw new Error(`openBatch refused ${batch.rejected.length} records: ${batch.rejected[0]?.code}`);
  const bySeq = new Map(records.map((r) => [r.seq, r]));
  const opened: Opened[] = batch.opened.flatMap((o) => {
    const payload = o.envelope.header.kind === 'update' ? decodeUpdatePayload(o.plaintext) : null;
    const record = bySeq.get(o.seq);
    return payload && record ? [{ record, env: o.envelope, payload }] : [];
  });
  const plain = opened.map((o) => o.payload.update);
  const authors = new Set(opened.map((o) => o.env.header.author));
  /** Sanne's state for the room as before a cold open: no document, nothing seen, no author placed. */
  const resetRoom = (): RoomDoc => {
    st.docs.get('leerling')?.destroy();
    const doc = new RoomDoc(room, () => undefined);
    st.docs.set('leerling', doc);
    st.trust.seen.delete(room);
    st.trust.roomHeads.delete(room);
    st.trust.completeUpTo.delete(room);
    st.trust.yjsGaps.delete(room);
    for (const a of authors) c.directory.forgetDeviceCert(a);
    return doc;
  };
  const checkDoc = (doc: Y.Doc): void => {
    if (doc.getText('omschrijving').toString().length === 0) throw new Error('empty document');
    doc.getMap('velden').toJSON();
  };
  // One more round than recorded: the first warms the JIT and the caches, and is dropped.
  const repeats = ctx.pick(2, 5, 5) + 1;
  const gapCheck: number[] = [];
  const cpu = { before: [] as number[], after: [] as number[] };
  const s = await interleave(repeats, {
    raw: () => {
      const t0 = performance.now();
      const doc = new Y.Doc();
      for (const u of plain) Y.applyUpdate(doc, u);
      checkDoc(doc);
      const ms = performance.now() - t0;
      doc.destroy();
      return ms;
    },
    before: async () => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const b = await openBatch(provider, room, records, { keyFor, authorize: () => ok(undefined) });
      const updates = b.opened.flatMap((o) => {
        const p = o.envelope.header.kind === 'update' ? decodeUpdatePayload(o.plaintext) : null;
        return p ? [p.update] : [];
      });
      const doc = new RoomDoc(room, () => undefined);
      doc.applyRemote(updates);
      checkDoc(doc.doc);
      const ms = performance.now() - t0;
      cpu.before.push(cpuMs(cpu0));
      doc.destroy();
      return ms;
    },
    after: async () => {
      const doc = resetRoom();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const out = await receive(c, room, records, null);
      checkDoc(doc.doc);
      const ms = performance.now() - t0;
      cpu.after.push(cpuMs(cpu0));
      if (out.rejected.length > 0 || out.accepted.length !== records.length)
        throw new Error(`receive refused ${out.rejected.length} records: ${out.rejected[0]?.code}`);
      return ms;
    },
    author: async () => {
      resetRoom();
      const t0 = performance.now();
      for (const o of opened) {
        const user = await authorDevice(c, st, o.env, o.payload.chain);
        if (!user || !authorise(st, 'leerling', o.env, user, c.now()).ok) throw new Error('author refused');
      }
      return performance.now() - t0;
    },
    writeHead: () => {
      resetRoom();
      const t0 = performance.now();
      for (const o of opened) judgeWriteHead(st, 'leerling', room, o.record.seq, o.env.header.epoch, o.payload.head);
      return performance.now() - t0;
    },
    seen: () => {
      resetRoom();
      const t0 = performance.now();
      noteRecords(st, room, records, 0);
      opened.forEach((o, i) => {
        if (hashedInBatch(i, opened.length)) noteUpdateHash(st, room, o.record.seq, o.record.bytes);
      });
      return performance.now() - t0;
    },
    applyRemote: () => {
      const doc = new RoomDoc(room, () => undefined);
      const t0 = performance.now();
      doc.applyRemote(plain);
      const ms = performance.now() - t0;
      doc.destroy();
      return ms;
    },
    applyChecked: () => {
      const doc = new RoomDoc(room, () => undefined);
      const t0 = performance.now();
      if (doc.applyChecked(plain).length > 0) throw new Error('applyChecked refused an update');
      const gapAt = performance.now();
      // Yjs holds back updates whose predecessor is missing: none may be left after a complete history.
      if (doc.doc.store.pendingStructs !== null || doc.doc.store.pendingDs !== null) throw new Error('gap in a complete history');
      gapCheck.push(performance.now() - gapAt);
      const ms = gapAt - t0;
      doc.destroy();
      return ms;
    },
  });
  for (const samples of Object.values<number[]>(s)) samples.shift();
  gapCheck.shift();
  cpu.before.shift();
  cpu.after.shift();
  resetRoom();
  const id = (x: string) => `receive.${x}.${k}`;
  ctx.record({ id: id('yjs'), label: `raw Yjs apply, ${k} updates (client-made)`, unit: 'ms', better: 'lower', samples: s.raw });
  ctx.record({
    id: id('before'),
    label: `before: openBatch (no authorisation) + decode + applyRemote, ${k}`,
    unit: 'ms',
    better: 'lower',
    samples: s.before,
  });
  ctx.compare(id('before'), id('yjs'));
  ctx.record({
    id: id('after'),
    label: `after: production receive() (all client checks), ${k}`,
    unit: 'ms',
    better: 'lower',
    samples: s.after,
    note: `${formatNumber((median(s.after) * 1000) / n)} µs per record`,
  });
  ctx.compare(id('after'), id('yjs'));
  ctx.compare(id('after'), id('before'));
  // CPU time of this process (all threads): WebCrypto runs on the libuv pool, so on a loaded machine wall time mostly measures the load.
  ctx.record({ id: id('before-cpu'), label: `before: CPU time, all threads, ${k}`, unit: 'ms', better: 'lower', samples: cpu.before });
  ctx.record({ id: id('after-cpu'), label: `after: CPU time, all threads, ${k}`, unit: 'ms', better: 'lower', samples: cpu.after });
  ctx.compare(id('after-cpu'), id('before-cpu'));
  const share = (x: string, label: string, samples: number[]) => {
    ctx.record({ id: id(x), label: `${label}, ${k}`, unit: 'ms', better: 'lower', samples });
    ctx.compare(id(x), id('after'));
  };
  share('author', 'check: author chain + authorise (R35–R37)', s.author);
  share('write-head', 'check: judgeWriteHead (R40/R41)', s.writeHead);
  share('seen', 'check: seen-marker notes and hashing (R116)', s.seen);
  share('apply-remote', 'applyRemote (no per-record decode)', s.applyRemote);
  share('apply-checked', 'applyChecked (per-record decode, R39)', s.applyChecked);
  share(
    'r39-extra',
    'check: applyChecked − applyRemote (R39)',
    s.applyChecked.map((x, i) => x - (s.applyRemote[i] ?? 0)),
  );
  share('gap-check', 'check: pending-structs look (R120)', gapCheck);
  const checks = s.author.map(
    (a, i) => a + (s.writeHead[i] ?? 0) + (s.seen[i] ?? 0) + (s.applyChecked[i] ?? 0) - (s.applyRemote[i] ?? 0) + (gapCheck[i] ?? 0),
  );
  share('checks', 'all client checks together (sum of the rows above)', checks);
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}
