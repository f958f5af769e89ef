// The store conformance suite: the same checks against any IndexedDB
// implementation (fake-indexeddb in Node, real Chromium via the extension's
// e2e tests). Framework-free: each check throws on failure; the runner
// collects the outcomes so any test harness can assert on them.
import type { CryptoProvider } from '../../core/crypto/provider.js';
import { utf8Encode, utf8Decode, equalBytes } from '../../core/crypto/bytes.js';
import { KindkluisDatabase, openKindkluisDatabase, type IndexedDbDeps } from '../../core/store/database.js';
import { LocalStore } from '../../core/store/local-store.js';
import { sealLocal, openLocal } from '../../core/store/local-seal.js';
import { scanDatabaseForMarker } from '../../core/store/marker-scan.js';
import { CURRENT_SCHEMA_VERSION } from '../../core/store/schema.js';

export interface ConformanceOutcome {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
}

const check = (cond: boolean, what: string): void => {
  if (!cond) throw new Error(what);
};

type Check = (deps: IndexedDbDeps, dbName: string, provider: CryptoProvider) => Promise<void>;

const CHECKS: Record<string, Check> = {
  'received records and the cursor are stored together and read back in seq order': async (deps, name) => {
    const store = new LocalStore(await openKindkluisDatabase(name, deps));
    try {
      await store.putReceived(
        'd1/leerling',
        [3, 1, 2].map((seq) => ({ seq, kind: 'update', bytes: Uint8Array.of(seq) })),
        3,
      );
      await store.putReceived('d1/toegang', [{ seq: 1, kind: 'acl', bytes: Uint8Array.of(9) }], 1);
      const rows = await store.readReceived('d1/leerling', 1);
      check(rows.map((r) => r.seq).join(',') === '2,3', `verwacht seq 2,3, kreeg ${rows.map((r) => r.seq).join(',')}`);
      check((await store.cursor('d1/leerling')) === 3, 'cursor niet 3');
      await store.putReceived('d1/leerling', [], 2);
      check((await store.cursor('d1/leerling')) === 3, 'cursor mag niet teruglopen');
    } finally {
      store.close();
    }
  },
  'an outbox row is removed only by its acknowledgement, which moves it into the log': async (deps, name) => {
    const store = new LocalStore(await openKindkluisDatabase(name, deps));
    try {
      const id = await store.enqueue('d1/hulpvraag:h1', 'update', Uint8Array.of(1, 2, 3), 1);
      await store.enqueue('d1/hulpvraag:h1', 'update', Uint8Array.of(4), 2);
      check((await store.pending()).length === 2, 'twee wachtende verwacht');
      await store.markAttempt(id);
      check((await store.pending())[0]?.attempts === 1, 'poging niet geteld');
      await store.acknowledge(id, 7);
      const pending = await store.pending('d1/hulpvraag:h1');
      check(pending.length === 1 && pending[0]?.bytes[0] === 4, 'alleen de bevestigde rij mag weg');
      const log = await store.readReceived('d1/hulpvraag:h1');
      check(
        log.length === 1 && log[0]?.seq === 7 && equalBytes(log[0].bytes, Uint8Array.of(1, 2, 3)),
        'bevestigde rij niet in het logboek',
      );
    } finally {
      store.close();
    }
  },
  'contexts sharing one database never get the same device counter': async (deps, name) => {
    const a = new LocalStore(await openKindkluisDatabase(name, deps));
    const b = new LocalStore(await openKindkluisDatabase(name, deps));
    try {
      const got = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).allocateCounters('dev1', 1 + (i % 3))));
      const seen = new Set<number>();
      got.forEach((start, i) => {
        for (let k = 0; k < 1 + (i % 3); k++) {
          check(!seen.has(start + k), `teller ${start + k} dubbel uitgegeven`);
          seen.add(start + k);
        }
      });
      check((await a.allocateCounters('dev1', 1, 10_000)) === 10_000, 'ondergrens niet gerespecteerd');
    } finally {
      a.close();
      b.close();
    }
  },
  'purging a dossier removes its rows in every table and leaves other dossiers alone': async (deps, name) => {
    const store = new LocalStore(await openKindkluisDatabase(name, deps));
    try {
      for (const d of ['dA', 'dB']) {
        await store.putReceived(`${d}/leerling`, [{ seq: 1, kind: 'update', bytes: Uint8Array.of(1) }], 1);
        await store.enqueue(`${d}/leerling`, 'update', Uint8Array.of(2), 1);
        await store.putChunks(`blob-${d}`, d, [Uint8Array.of(1), Uint8Array.of(2)]);
        await store.putKey({ id: `epoch:${d}`, dossier: d, bytes: Uint8Array.of(3) });
        await store.putIndex({ id: `h-${d}`, dossier: d, bytes: Uint8Array.of(4) });
        await store.putDraft({ id: `draft-${d}`, dossier: d, updatedAt: 1, bytes: Uint8Array.of(5) });
        await store.putDocCache({ room: `${d}/leerling`, dossier: d, seq: 1, bytes: Uint8Array.of(6) });
        await store.quarantine({ room: `${d}/leerling`, seq: 2, code: 'handtekening-ongeldig', at: 1, bytes: Uint8Array.of(7) });
      }
      await store.putIndexList(Uint8Array.of(8));
      check((await store.countDossierRows('dA')) === 10, `verwacht 10 rijen, kreeg ${await store.countDossierRows('dA')}`);
      await store.purgeDossier('dA');
      check((await store.countDossierRows('dA')) === 0, 'dossier niet volledig gewist');
      check((await store.getIndexList()) === undefined, 'lijstcache (kan dA bevatten) niet gewist');
      check((await store.countDossierRows('dB')) === 10, 'ander dossier aangetast');
      check((await store.getChunks('blob-dB'))?.length === 2, 'bijlage van ander dossier weg');
    } finally {
      store.close();
    }
  },
  'a v1 database upgrades to the current schema without losing outbox rows': async (deps, name) => {
    const v1 = new KindkluisDatabase(name, deps, 1);
    await v1.open();
    check(v1.verno === 1, 'v1 niet geopend');
    await v1.table('outbox').add({ room: 'dX/hulpvraag:h', kind: 'update', createdAt: 5, bytes: Uint8Array.of(42) });
    await v1.table('keys').put({ id: 'identity', dossier: '', bytes: Uint8Array.of(1) });
    v1.close();
    const store = new LocalStore(await openKindkluisDatabase(name, deps));
    try {
      check(store.db.verno === CURRENT_SCHEMA_VERSION, `schema ${store.db.verno}, verwacht ${CURRENT_SCHEMA_VERSION}`);
      const rows = await store.pending();
      check(rows.length === 1 && rows[0]?.dossier === 'dX' && rows[0].attempts === 0, 'outbox-rij niet gemigreerd');
      check((await store.getKey('identity'))?.[0] === 1, 'sleutel kwijt na migratie');
      check((await store.db.outbox.where('dossier').equals('dX').count()) === 1, 'nieuwe index werkt niet');
    } finally {
      store.close();
    }
  },
  'sealed index and drafts survive reopening and hold no plaintext marker': async (deps, name, provider) => {
    const marker = 'Zwaantje Markeerdersma';
    const key = provider.randomBytes(32);
    let store = new LocalStore(await openKindkluisDatabase(name, deps));
    const entry = utf8Encode(JSON.stringify({ titel: 'TLV VSO', leerling: marker }));
    await store.putIndex({ id: 'h1', dossier: 'd1', bytes: await sealLocal(provider, key, 'index', entry) });
    await store.putDraft({ id: 'draft1', dossier: 'd1', updatedAt: 1, bytes: await sealLocal(provider, key, 'draft', utf8Encode(marker)) });
    store.close();
    store = new LocalStore(await openKindkluisDatabase(name, deps));
    try {
      const idx = await store.listIndex();
      const opened = await openLocal(provider, key, 'index', idx[0]?.bytes ?? new Uint8Array());
      check(opened.ok && utf8Decode(opened.value).includes(marker), 'index niet terug te lezen');
      const wrongPurpose = await openLocal(provider, key, 'draft', idx[0]?.bytes ?? new Uint8Array());
      check(!wrongPurpose.ok, 'index mag niet als concept te openen zijn');
      const clean = await scanDatabaseForMarker(name, deps, marker);
      check(clean.records >= 2 && clean.hits.length === 0, `marker gevonden: ${JSON.stringify(clean.hits)}`);
      // The scan itself must be able to fail: a plaintext row is found.
      await store.putMeta('control', utf8Encode(`x${marker}x`));
      const dirty = await scanDatabaseForMarker(name, deps, marker);
      check(
        dirty.hits.some((h) => h.table === 'meta'),
        'scanner vindt leesbare marker niet',
      );
    } finally {
      store.close();
    }
  },
};

export const STORE_CONFORMANCE_CHECKS: readonly string[] = Object.keys(CHECKS);

/**
 * Runs every check, each against a fresh database named `<prefix>-<n>`.
 * `fresh()` may return a new IndexedDB factory per check (fake-indexeddb) or
 * the same one (a real browser; the names keep checks apart).
 */
export async function runStoreConformance(
  fresh: () => IndexedDbDeps,
  provider: CryptoProvider,
  prefix = `kk-conformance-${Date.now()}`,
): Promise<ConformanceOutcome[]> {
  const out: ConformanceOutcome[] = [];
  let n = 0;
  for (const [name, run] of Object.entries(CHECKS)) {
    try {
      await run(fresh(), `${prefix}-${n++}`, provider);
      out.push({ name, ok: true });
    } catch (e) {
      out.push({ name, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
