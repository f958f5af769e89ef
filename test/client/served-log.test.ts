// [R115, P52] The access log's "geopend" is reported by the client that opens a
// dossier: a modified client leaves it out. The relay notes what it serves to
// which device anyway, and the FG reads that beside the self-reported log. Here
// a second IB's device fetches and decrypts the leerling without ever reporting
// it; the FG still sees that her device received it. Real relay on 127.0.0.1.
// [R119, P83] The relay signs that log; the FG's client checks the signature,
// pins the relay's key and can export the signed log as evidence. The FG
// reaches the relay through a proxy that can alter the relay's answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId } from '../../core/model/ids.js';
import type { ServedLogRow, ServedLogView } from '../../core/client/api.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { relayKeyFingerprint, signServedLog, verifyServedLogEvidence } from '../../core/sync/served-log-signature.js';
import { relayCryptoProvider } from '../../sync-server/node-crypto.js';
import { eventually, joinMember, removeDir, startTestRelay, type Member } from '../sync/harness.js';
import { fileHulpvraag, internals, LEERLING, startWorld, type World } from './dossier-world.js';
import { startWithholdingRelay, type WithholdingRelay } from './withholding-relay.js';

let world: World;
let proxy: WithholdingRelay;
let ilse: Member, sanne: Member, fg: Member, otto: Member;
let dossier: DossierId;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    {
      naam: 'Sanne Smit',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    {
      naam: 'Otto Veen',
      functie: 'intern begeleider',
      organisation: { naam: 'CBS Het Anker', kind: 'school' },
      roles: ['intern-begeleider'],
    },
  ]);
  [ilse, sanne, otto] = world.members as [Member, Member, Member];
  proxy = await startWithholdingRelay(world.relay.url);
  (world.relay.running.relay.opts.origins as string[]).push(proxy.url);
  // The FG reaches the relay only through the proxy, which passes everything on until a test tells it otherwise.
  fg = await joinMember(world.beheerder, proxy.url, {
    naam: 'Fien Gerritsen',
    functie: 'functionaris gegevensbescherming',
    organisation: { naam: 'SWV Noord', kind: 'swv' },
    roles: ['privacy-officer'],
  });
  world.members.push(fg);
  await eventually(
    async () => {
      await ilse.tc.client.tick();
      return ilse.tc.client.directory().some((p) => p.userId === fg.userId);
    },
    'Ilse kent de FG',
    60_000,
  );
  ({ dossier } = await fileHulpvraag(ilse, 'TLV VSO', 'Lopende aanvraag'));
  await ilse.tc.client.openDossier(dossier);
  expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
}, 180_000);

afterAll(async () => {
  await world?.close();
  await proxy?.stop();
});

describe('what the relay served is evidence the client cannot withhold [R115]', () => {
  it('a device that decrypts the leerling without reporting "geopend" still shows in the FG’s served log', async () => {
    const s = sanne.tc.client;
    // Sanne's device syncs in the background and reads the leerling, and never calls openDossier: no "geopend" from her.
    await eventually(
      async () => {
        await s.tick();
        const l = s.getLeerling(dossier);
        return l.ok && l.value.achternaam === LEERLING.achternaam;
      },
      'Sanne leest de leerling',
      60_000,
    );

    let rows: readonly ServedLogRow[] = [];
    await eventually(
      async () => {
        await fg.tc.client.tick();
        const r = await fg.tc.client.servedLog(dossier);
        rows = r.ok ? r.value.rows : [];
        return rows.some((x) => x.userId === sanne.userId && x.onderdeel === 'leerling' && x.aantal > 0);
      },
      'FG ziet wat Sanne ontving',
      30_000,
    );

    const hers = rows.filter((x) => x.userId === sanne.userId);
    expect(hers.every((x) => x.geopendGemeld === false)).toBe(true);
    expect(hers.some((x) => x.onderdeel.startsWith('hulpvraag:'))).toBe(true);
    expect(hers[0]?.naam).toBe('Sanne Smit');
    expect(hers[0]?.deviceId).toMatch(/.{10,}/);
    // The access list itself is not counted: every member's device syncs it, and it holds no content.
    expect(rows.some((x) => x.onderdeel === 'toegang')).toBe(false);
    // Ilse reported opening it; the log says so beside her rows (if the relay served her any).
    const log = fg.tc.client.accessLog(dossier);
    expect(log.ok && log.value.some((e) => e.action === 'geopend' && e.actor === sanne.userId)).toBe(false);
  }, 120_000);

  it('someone who cannot read the dossier’s access list gets no served log, and keeps working', async () => {
    await otto.tc.client.tick();
    const r = await otto.tc.client.servedLog(dossier);
    // Otto's device does not even follow the dossier; asking the relay directly is refused too.
    expect(r.ok).toBe(false);
    // Typed, so a move of the connection in ClientCore breaks the build, not this test at run time.
    const conn = otto.tc.client.core.relay.conn;
    if (!conn) throw new Error('Otto is niet verbonden');
    const direct = await conn.servedLog(dossier);
    expect(direct.ok).toBe(false);
    expect(direct.ok ? '' : direct.error.code).toMatch(/geen-leesrecht|dossier-onbekend|toegang/);
    const own = await otto.tc.client.createDossier({ ...LEERLING, voornaam: 'Anker' });
    expect(own.ok).toBe(true);
  }, 60_000);
});

/** The FG's served log once the relay has served Sanne something (the first test made sure of that). */
async function fgView(): Promise<ServedLogView> {
  await fg.tc.client.tick();
  const r = await fg.tc.client.servedLog(dossier);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('the relay signs the served log; the client checks it and pins the relay key [R119, P83]', () => {
  it('the FG’s served log is signed by the relay’s own key, which her device pins for its SWV, sealed', async () => {
    const relayKey = world.relay.running.relay.identity.publicKey;
    const view = await fgView();
    expect(view.rows.length).toBeGreaterThan(0);
    expect(view.ondertekening.vingerafdruk).toBe(await relayKeyFingerprint(nobleProvider, relayKey));
    expect(view.ondertekening.vingerafdruk).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
    expect(view.ondertekening.andereSleutel).toBeNull();
    // Pinned by the first answer (the first test asked already), kept sealed: the key's bytes are not in IndexedDB as such.
    expect(view.ondertekening.eerderGezien).toBe(true);
    const core = internals(fg.tc);
    const pin = await core.store.getMeta(`relaysleutel/${core.id?.swvId ?? ''}`);
    expect(pin).toBeDefined();
    expect(Buffer.from(pin ?? []).includes(Buffer.from(relayKey))).toBe(false);
  }, 60_000);

  it('an answer with one count changed, an entry left out, the moment moved or a signature byte flipped is refused with the Dutch error, never shown', async () => {
    const tampered: ((m: Parameters<Parameters<WithholdingRelay['tamperServedLog']>[0] & object>[0]) => typeof m)[] = [
      (m) => ({ ...m, entries: m.entries.map((e, i) => (i === 0 ? { ...e, count: e.count + 1 } : e)) }),
      (m) => ({ ...m, entries: m.entries.slice(1) }),
      (m) => ({ ...m, signature: m.signature.map((b, i) => (i === 10 ? b ^ 1 : b)) }),
      (m) => ({ ...m, at: m.at - 3_600_000 }),
    ];
    try {
      for (const rewrite of tampered) {
        proxy.tamperServedLog(rewrite);
        const r = await fg.tc.client.servedLog(dossier);
        expect(r.ok).toBe(false);
        if (!r.ok)
          expect(r.error).toEqual({
            code: 'bezorglogboek-ongeldig',
            message: 'De server heeft het bezorglogboek niet geldig ondertekend.',
          });
      }
    } finally {
      proxy.tamperServedLog(null);
    }
    expect((await fg.tc.client.servedLog(dossier)).ok).toBe(true);
  }, 60_000);

  it('an answer validly signed by another key is shown with a warning, and the pinned key stays the relay’s', async () => {
    const other = await nobleProvider.ed25519KeyPair();
    proxy.tamperServedLog(async (m) => {
      const signed = await signServedLog(nobleProvider, other, { dossier, at: m.at, entries: m.entries });
      return { ...m, relayKey: signed.relayKey, signature: signed.signature };
    });
    let warned: ServedLogView;
    try {
      warned = await fgView();
    } finally {
      proxy.tamperServedLog(null);
    }
    const pinned = await relayKeyFingerprint(nobleProvider, world.relay.running.relay.identity.publicKey);
    expect(warned.ondertekening.vingerafdruk).toBe(await relayKeyFingerprint(nobleProvider, other.publicKey));
    expect(warned.ondertekening.andereSleutel?.vastgelegdeVingerafdruk).toBe(pinned);
    expect(warned.ondertekening.andereSleutel?.waarschuwing).toMatch(/^De server gebruikt een andere sleutel dan eerder/);
    const honest = await fgView();
    expect(honest.ondertekening.andereSleutel).toBeNull();
    expect(honest.ondertekening.vingerafdruk).toBe(pinned);
  }, 60_000);

  it('the downloaded evidence file verifies on its own, and fails after any one byte of it is changed', async () => {
    const view = await fgView();
    const text = view.bewijs.inhoud;
    expect(view.bewijs.bestandsnaam).toMatch(new RegExp(`^bezorglogboek-${dossier}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
    const good = await verifyServedLogEvidence(relayCryptoProvider, text);
    expect(good.ok).toBe(true);
    if (good.ok) {
      expect(good.value.fingerprint).toBe(view.ondertekening.vingerafdruk);
      expect(good.value.dossier).toBe(dossier);
      expect(good.value.entries).toHaveLength(view.rows.length);
    }
    const json = JSON.parse(text) as { entries: { count: number }[] };
    expect(Object.keys(json).sort()).toEqual([
      'at',
      'context',
      'dossier',
      'entries',
      'handtekening',
      'moment',
      'relaySleutel',
      'soort',
      'v',
    ]);
    // Every byte that is not layout: replaced by another, the file no longer verifies (layout carries no meaning: the
    // signature covers the values, so re-indenting the file changes nothing).
    let changed = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] ?? ' ';
      if (/\s/.test(ch)) continue;
      const other =
        ch === '1' ? '2' : ch === 'A' ? 'B' : ch === '"' ? "'" : /[0-9]/.test(ch) ? '1' : /[a-z]/.test(ch) ? (ch === 'a' ? 'b' : 'a') : 'A';
      const r = await verifyServedLogEvidence(relayCryptoProvider, text.slice(0, i) + other + text.slice(i + 1));
      expect(r.ok, `byte ${i} (${ch} → ${other}) veranderd en toch geldig`).toBe(false);
      changed++;
    }
    expect(changed).toBeGreaterThan(200);
    const reindented = JSON.stringify(JSON.parse(text));
    expect((await verifyServedLogEvidence(relayCryptoProvider, reindented)).ok).toBe(true);
  }, 120_000);

  it('a relay restarted on the same data dir signs with the same key; another data dir has another [P83]', async () => {
    const first = await startTestRelay();
    const key = first.running.relay.identity.publicKey;
    await first.stop();
    const again = await startTestRelay(first.dataDir);
    const other = await startTestRelay();
    try {
      expect(again.running.relay.identity.publicKey).toEqual(key);
      expect(other.running.relay.identity.publicKey).not.toEqual(key);
    } finally {
      await again.stop();
      await other.stop();
      await removeDir(first.dataDir);
      await removeDir(other.dataDir);
    }
  }, 60_000);
});
