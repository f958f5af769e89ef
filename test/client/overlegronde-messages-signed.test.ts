// Overlegronde messages and edits carry the author device's signature inside
// the document; a participant with write right who pushes entries in someone
// else's name, alters a signed entry or edits another's message is caught by
// every reader, also after a snapshot compacted the history (issue 6) [R29].
// Real client facades against a real relay on 127.0.0.1; the forger writes
// through the same DossierSession.write path the facade itself uses, as a modified
// client would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { MessageView, OverlegrondeView } from '../../core/client/api.js';
import type { ClientCore } from '../../core/client/client-core.js';
import { dossierSession } from '../../core/client/dossier-session.js';
import { readMessages, statusItems, type StoredEdit, type StoredMessage } from '../../core/client/dossier-docs.js';
import { decodeCanonical, encodeCanonical, type CanonicalValue } from '../../core/crypto/canonical.js';
import { signEdit, signMessage } from '../../core/client/signed-message.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import type { Scope } from '../../core/access/rooms.js';
import { roomOf } from '../../core/access/rooms.js';
import type { DossierId, MessageId, OverlegrondeId } from '../../core/model/ids.js';
import {
  buildWorld,
  eventually,
  newClient,
  PASS,
  removeDir,
  startTestRelay,
  type Member,
  type TestClient,
  type TestRelay,
} from '../sync/harness.js';
import { rondeBij as rondeBijIn, startRonde } from './overlegronde-world.js';
import { BESTUUR } from './indienen-world.js';

let relay: TestRelay | undefined;
let ib: Member, zoe: Member, jan: Member, laat: Member, bestuur: Member;
let dossier: DossierId;
let ronde: OverlegrondeId;
let scope: Scope;
let reopened: TestClient | undefined;

afterAll(async () => {
  for (const m of [ib, zoe, jan, laat, bestuur]) await m?.tc.client.close();
  await reopened?.client.close();
  await relay?.stop();
  if (relay) await removeDir(relay.dataDir);
});

beforeAll(async () => {
  relay = await startTestRelay();
  const { members } = await buildWorld(relay.url, [
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Zoë Jansen', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
    {
      naam: 'Jan de Vries',
      functie: 'jeugdconsulent',
      organisation: { naam: 'Jeugdhulp Noord', kind: 'zorgpartner' },
      roles: ['professional'],
    },
    {
      naam: 'Lotte Laat',
      functie: 'ambulant begeleider',
      organisation: { naam: 'Jeugdhulp Noord', kind: 'zorgpartner' },
      roles: ['professional'],
    },
    BESTUUR,
  ]);
  [ib, zoe, jan, laat, bestuur] = members as [Member, Member, Member, Member, Member];
  // Lotte is away until the snapshot test: she starts from the snapshot.
  laat.tc.client.setOnline(false);
  ({ dossier, ronde } = await startRonde(ib, [zoe, jan, laat], bestuur));
  scope = `overlegronde:${ronde}`;
}, 120_000);

/** The facade's private parts (its ClientCore) a modified client would use to write whatever it likes. */
const internals = (m: Member): ClientCore => (m.tc.client as unknown as { readonly core: ClientCore }).core;

async function writeRaw(m: Member, fn: (doc: Y.Doc) => void, in_: Scope = scope): Promise<void> {
  const c = internals(m);
  const st = c.dossiers.get(dossier);
  if (!st) throw new Error(`${m.naam} heeft het dossier niet`);
  const r = await dossierSession(c, st).write(in_, fn);
  if (!r.ok) throw new Error(r.error.message);
}

/** Jan's own device key: a valid signature, just not by the one the entry names. */
function deviceOf(m: Member): { secretKey: Uint8Array; chainBytes: Uint8Array } {
  const id = internals(m).id;
  if (!id) throw new Error('vergrendeld');
  return { secretKey: id.device.secretKey, chainBytes: id.publicChainBytes };
}

function docOf(m: Member): Y.Doc {
  const d = internals(m).dossiers.get(dossier)?.docs.get(scope);
  if (!d) throw new Error(`${m.naam} heeft de overlegronde niet`);
  return d.doc;
}

const rondeBij = (m: Member, check: (r: OverlegrondeView) => boolean, what: string): Promise<OverlegrondeView> =>
  rondeBijIn(m, dossier, ronde, check, what);

const bericht = (r: OverlegrondeView, id: string): MessageView | undefined => r.berichten.find((b) => b.id === id);
const zoeSignature = { voornaam: 'Zoë', achternaam: 'Jansen', functie: 'coördinator', organisatie: 'SWV Noord' };

describe('signed overlegronde messages: authors are proven, not claimed [R29][000]', () => {
  let vanZoe: MessageId;

  it('an honest message is geverifieerd on the other participants, with its author named', async () => {
    for (const m of [zoe, jan]) await rondeBij(m, () => true, 'overlegronde');
    const r = await zoe.tc.client.postMessage(dossier, ronde, 'Planning', 'Ik plan het gesprek voor volgende week, @Ilse Bakker.');
    if (!r.ok) throw new Error(r.error.message);
    vanZoe = r.value;
    // The author's own view is verified at once (own writes go into the cache).
    const eigen = zoe.tc.client.getOverlegronde(dossier, ronde);
    expect(eigen.ok && bericht(eigen.value, vanZoe)?.geverifieerd).toBe(true);
    const bijIb = await rondeBij(ib, (v) => bericht(v, vanZoe)?.geverifieerd === true, 'bericht van Zoë');
    const b = bericht(bijIb, vanZoe);
    expect(b?.auteur).toBe(zoe.userId);
    expect(b?.auteurNaam).toBe('Zoë Jansen');
    expect(b?.ondertekening).toEqual(zoeSignature);
    expect(b?.genoemd.map((g) => g.userId)).toEqual([ib.userId]);
  }, 60_000);

  it("a participant forging a message in another user's name (unsigned, or signed with his own key) is not shown as from that user and mentions nobody", async () => {
    await rondeBij(jan, (v) => bericht(v, vanZoe) !== undefined, 'bericht van Zoë');
    const nep = (id: string, tekst: string): StoredMessage => ({
      id,
      auteur: zoe.userId,
      auteurNaam: 'Zoë Jansen',
      titel: 'Besluit',
      tekst,
      mentions: [ib.userId],
      geplaatstOp: new Date().toISOString(),
      ondertekening: zoeSignature,
    });
    const ondertekendDoorJan = await signMessage(
      nobleProvider,
      ronde,
      nep('nep-2', 'Het SWV wijst de TLV af, @Ilse Bakker.'),
      deviceOf(jan),
      new Map(),
    );
    // A twin of Zoë's real message, placed before it: it must not hide the real one.
    const echt = readMessages(docOf(jan)).find((m) => m.id === vanZoe);
    if (!echt) throw new Error('echt bericht ontbreekt');
    const tweeling: StoredMessage = {
      ...echt,
      tekst: 'Ik trek mijn steun in.',
      sig: { s: echt.sig?.s ?? new Uint8Array(64), c: deviceOf(jan).chainBytes },
    };
    await writeRaw(jan, (doc) => {
      const a = doc.getArray<unknown>('berichten');
      a.push([nep('nep-1', 'Het SWV wijst de TLV af, @Ilse Bakker.'), ondertekendDoorJan]);
      a.insert(0, [tweeling]);
    });
    const bijIb = await rondeBij(ib, (v) => bericht(v, 'nep-1') !== undefined && bericht(v, 'nep-2') !== undefined, 'vervalste berichten');
    for (const id of ['nep-1', 'nep-2']) {
      const b = bericht(bijIb, id);
      expect(b?.geverifieerd).toBe(false);
      expect(b?.auteurNaam).toBe('');
      expect(b?.ondertekening).toBeNull();
      expect(b?.genoemd).toEqual([]);
    }
    expect(JSON.stringify(bijIb.berichten.filter((b) => b.id.startsWith('nep-')))).not.toMatch(/Zoë|Jansen/);
    const real = bijIb.berichten.filter((b) => b.id === vanZoe);
    expect(real).toHaveLength(1);
    expect(real[0]?.geverifieerd).toBe(true);
    expect(real[0]?.tekst).toBe('Ik plan het gesprek voor volgende week, @Ilse Bakker.');
  }, 60_000);

  it("an edit of Zoë's message by another participant, unsigned or signed with his own key, is ignored", async () => {
    const poging = (id: string): StoredEdit => ({
      id,
      messageId: vanZoe,
      auteur: zoe.userId,
      titel: 'Planning (gewijzigd)',
      tekst: 'Het gesprek gaat niet door.',
      mentions: [],
      bewerktOp: new Date(Date.now() + 60_000).toISOString(),
    });
    const ondertekend = await signEdit(nobleProvider, ronde, poging('nep-bewerking-2'), deviceOf(jan), new Map());
    await writeRaw(jan, (doc) => doc.getArray<unknown>('bewerkingen').push([poging('nep-bewerking-1'), ondertekend]));
    await rondeBij(ib, (v) => v.berichten.length > 0, 'overlegronde');
    await eventually(async () => {
      await ib.tc.client.tick();
      return docOf(ib).getArray('bewerkingen').length >= 2;
    }, 'vervalste bewerkingen bij Ilse');
    await ib.tc.client.refreshViews(dossier);
    const v = ib.tc.client.getOverlegronde(dossier, ronde);
    const b = v.ok ? bericht(v.value, vanZoe) : undefined;
    expect(b?.geverifieerd).toBe(true);
    expect(b?.bewerkt).toBe(false);
    expect(b?.versies).toHaveLength(1);
    expect(b?.tekst).toBe('Ik plan het gesprek voor volgende week, @Ilse Bakker.');
    // Zoë's own edit still counts.
    const echt = await zoe.tc.client.editMessage(dossier, ronde, vanZoe, 'Planning', 'Het gesprek is op dinsdag.');
    if (!echt.ok) throw new Error(echt.error.message);
    const na = await rondeBij(ib, (x) => bericht(x, vanZoe)?.bewerkt === true, 'bewerking van Zoë');
    expect(bericht(na, vanZoe)?.versies.map((x) => x.tekst)).toEqual([
      'Ik plan het gesprek voor volgende week, @Ilse Bakker.',
      'Het gesprek is op dinsdag.',
    ]);
    expect(bericht(na, vanZoe)?.geverifieerd).toBe(true);
  }, 60_000);

  it('a signed message whose tekst was changed afterwards fails verification and loses its author', async () => {
    const r = await zoe.tc.client.postMessage(dossier, ronde, 'Advies', 'Ik adviseer een arrangement van drie maanden.');
    if (!r.ok) throw new Error(r.error.message);
    await rondeBij(jan, (v) => bericht(v, r.value) !== undefined, 'advies van Zoë');
    // Jan replaces Zoë's entry by a copy with another tekst, keeping her signature and chain.
    await writeRaw(jan, (doc) => {
      const a = doc.getArray<unknown>('berichten');
      const raw = a.toArray().findIndex((x) => typeof x === 'object' && x !== null && (x as { id?: unknown }).id === r.value);
      const orig = readMessages(doc).find((m) => m.id === r.value);
      if (raw < 0 || !orig) throw new Error('advies ontbreekt');
      a.delete(raw, 1);
      a.insert(raw, [{ ...orig, tekst: 'Ik adviseer geen arrangement.' }]);
    });
    const bijIb = await rondeBij(ib, (v) => bericht(v, r.value)?.tekst === 'Ik adviseer geen arrangement.', 'gewijzigd advies');
    const b = bericht(bijIb, r.value);
    expect(b?.geverifieerd).toBe(false);
    expect(b?.auteurNaam).toBe('');
    expect(b?.ondertekening).toBeNull();
    // And nobody can now edit it as if it were theirs, not even the claimed author.
    await rondeBij(zoe, (v) => bericht(v, r.value)?.tekst === 'Ik adviseer geen arrangement.', 'gewijzigd advies');
    const edit = await zoe.tc.client.editMessage(dossier, ronde, r.value, 'Advies', 'Hersteld');
    expect(!edit.ok && edit.error.code).toBe('bericht-niet-te-verifieren');
  }, 60_000);

  it('signed messages and edits stay verifiable for a participant who starts from a snapshot [R5]', async () => {
    const room = roomOf(dossier, scope);
    const ids: MessageId[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await ib.tc.client.postMessage(dossier, ronde, `Punt ${i}`, `Agendapunt ${i} voor het overleg.`);
      if (!r.ok) throw new Error(r.error.message);
      ids.push(r.value);
    }
    const first = ids[0];
    if (!first) throw new Error('geen bericht');
    expect((await ib.tc.client.editMessage(dossier, ronde, first, 'Punt 0', 'Agendapunt 0, aangevuld.')).ok).toBe(true);
    expect((await ib.tc.client.flush(30_000)).ok).toBe(true);
    await ib.tc.client.tick();
    const head = await ib.tc.client.localStore.cursor(room);
    await ib.tc.client.snapshotNow(dossier);
    await new Promise((r) => setTimeout(r, 500));

    laat.tc.client.setOnline(true);
    const bijLotte = await rondeBij(
      laat,
      (v) => ids.every((id) => bericht(v, id)?.geverifieerd === true) && bericht(v, first)?.bewerkt === true,
      'berichten na de momentopname',
    );
    // She started from the snapshot: fewer records on her device than the room holds.
    expect(await laat.tc.client.localStore.countReceived(room)).toBeLessThan(head);
    expect(bericht(bijLotte, first)?.auteurNaam).toBe('Ilse Bakker');
    expect(bericht(bijLotte, first)?.versies.map((v) => v.tekst)).toEqual(['Agendapunt 0 voor het overleg.', 'Agendapunt 0, aangevuld.']);
    expect(bericht(bijLotte, vanZoe)?.geverifieerd).toBe(true);
    // The forgeries stay forgeries there too.
    expect(bericht(bijLotte, 'nep-1')?.geverifieerd).toBe(false);
    expect(bericht(bijLotte, 'nep-2')?.auteurNaam).toBe('');
    expect(bericht(bijLotte, vanZoe)?.versies).toHaveLength(2);
  }, 90_000);

  it('a copy of a signed status event with another payload, placed before it, does not make a fresh reader drop the real event [R29]', async () => {
    const hv = ib.tc.client.getOverlegronde(dossier, ronde);
    if (!hv.ok) throw new Error(hv.error.message);
    const hvScope: Scope = `hulpvraag:${hv.value.hulpvraagId}`;
    const hvDoc = internals(ib).dossiers.get(dossier)?.docs.get(hvScope)?.doc;
    const echt = hvDoc ? statusItems(hvDoc)[0] : undefined;
    if (!echt) throw new Error('geen statuswijziging');
    const decoded = decodeCanonical(echt.p);
    if (!decoded.ok) throw new Error('onleesbaar');
    const payload = decoded.value as { hv: string; e: Record<string, CanonicalValue> };
    const twin = { p: encodeCanonical({ ...payload, e: { ...payload.e, to: 'Afgesloten' } }), s: echt.s, c: echt.c };
    // Anyone with write right on the hulpvraag could do this; here its own creator's device.
    await writeRaw(ib, (doc) => doc.getArray<unknown>('status').insert(0, [twin]), hvScope);
    await eventually(async () => {
      await jan.tc.client.tick();
      const d = internals(jan).dossiers.get(dossier)?.docs.get(hvScope)?.doc;
      return d !== undefined && statusItems(d).length === 2;
    }, 'kopie bij Jan');
    // Jan restarts: his cache of checked signatures is gone, the document checks the copy first.
    await jan.tc.client.close();
    reopened = await newClient(relay?.url ?? '', { factory: jan.tc.factory, dbName: jan.tc.dbName });
    expect((await reopened.client.unlock(PASS)).ok).toBe(true);
    const client = reopened.client;
    await eventually(async () => {
      await client.tick();
      await client.refreshViews(dossier);
      const v = client.getHulpvraag(dossier, hv.value.hulpvraagId);
      return v.ok && v.value.history.length > 0;
    }, 'statusgeschiedenis na herstart');
    const v = client.getHulpvraag(dossier, hv.value.hulpvraagId);
    if (!v.ok) throw new Error(v.error.message);
    expect(v.value.status).toBe('TLV aanvraag indienen');
    expect(v.value.history.map((h) => [h.to, h.actorNaam, h.geverifieerd])).toEqual([['TLV aanvraag indienen', 'Ilse Bakker', true]]);
  }, 90_000);
});
