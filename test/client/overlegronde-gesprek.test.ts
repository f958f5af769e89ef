// The overlegronde as a conversation (issue 21): reacties without a titel under
// their onderwerp, afgehandeld and reopened by a participant, forged reacties
// and marks refused, the picker limited to people who can take part, and
// per-onderwerp unread counts kept sealed on the device [R130–R133].
// Real client facades against a real relay on 127.0.0.1; attackers write
// through the same DossierSession.write path the facade uses, as a modified client would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { OverlegrondeView } from '../../core/client/api.js';
import type { ClientCore } from '../../core/client/client-core.js';
import { dossierSession } from '../../core/client/dossier-session.js';
import { pushAfhandeling, readMessages, type StoredMessage } from '../../core/client/dossier-docs.js';
import { signAfhandeling, signMessage } from '../../core/client/signed-message.js';
import { gesprekVan, leesOverlegGezien, markeerOnderwerpGezien, type Onderwerp } from '../../core/client/views/overleg-onderwerpen.js';
import { mogelijkeDeelnemers } from '../../core/client/views/overleg-deelnemers.js';
import { meldingenVan } from '../../core/client/views/meldingen.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { findMarkerInBytes } from '../../core/store/marker-scan.js';
import type { Scope } from '../../core/access/rooms.js';
import type { DossierId, MessageId, OverlegrondeId } from '../../core/model/ids.js';
import { buildWorld, eventually, removeDir, startTestRelay, type Member, type TestClient, type TestRelay } from '../sync/harness.js';
import { rondeBij as rondeBijIn, startRonde } from './overlegronde-world.js';
import { BESTUUR } from './indienen-world.js';

let relay: TestRelay | undefined;
let beheerder: TestClient;
let ib: Member, zoe: Member, jan: Member, piet: Member, fien: Member, olga: Member, otto: Member, bestuur: Member;
let dossier: DossierId;
let ronde: OverlegrondeId;
let scope: Scope;

afterAll(async () => {
  for (const m of [ib, zoe, jan, piet, fien, olga, otto, bestuur]) await m?.tc.client.close();
  await beheerder?.client.close();
  await relay?.stop();
  if (relay) await removeDir(relay.dataDir);
});

beforeAll(async () => {
  relay = await startTestRelay();
  const world = await buildWorld(relay.url, [
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
      naam: 'Piet Buiten',
      functie: 'ambulant begeleider',
      organisation: { naam: 'Jeugdhulp Noord', kind: 'zorgpartner' },
      roles: ['professional'],
    },
    {
      naam: 'Fien Gerritsen',
      functie: 'functionaris gegevensbescherming',
      organisation: { naam: 'SWV Noord', kind: 'swv' },
      roles: ['privacy-officer'],
    },
    { naam: 'Olga Kwartel', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
    { naam: 'Otto Mol', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
    BESTUUR,
  ]);
  beheerder = world.beheerder;
  [ib, zoe, jan, piet, fien, olga, otto, bestuur] = world.members as [Member, Member, Member, Member, Member, Member, Member, Member];
  ({ dossier, ronde } = await startRonde(ib, [zoe, jan], bestuur));
  scope = `overlegronde:${ronde}`;
}, 180_000);

const internals = (m: Member): ClientCore => (m.tc.client as unknown as { readonly core: ClientCore }).core;

async function writeRaw(m: Member, fn: (doc: Y.Doc) => void): Promise<void> {
  const c = internals(m);
  const st = c.dossiers.get(dossier);
  if (!st) throw new Error(`${m.naam} heeft het dossier niet`);
  const r = await dossierSession(c, st).write(scope, fn);
  if (!r.ok) throw new Error(r.error.message);
}

function deviceOf(m: Member): { secretKey: Uint8Array; chainBytes: Uint8Array } {
  const id = internals(m).id;
  if (!id) throw new Error('vergrendeld');
  return { secretKey: id.device.secretKey, chainBytes: id.publicChainBytes };
}

const rondeBij = (m: Member, check: (r: OverlegrondeView) => boolean, what: string): Promise<OverlegrondeView> =>
  rondeBijIn(m, dossier, ronde, check, what);
const onderwerp = (r: OverlegrondeView, id: string, me: Member): Onderwerp | undefined =>
  gesprekVan(r, {}, me.userId).onderwerpen.find((o) => o.id === id);

async function post(m: Member, titel: string, tekst: string, antwoordOp?: MessageId): Promise<MessageId> {
  const r =
    antwoordOp === undefined
      ? await m.tc.client.postMessage(dossier, ronde, titel, tekst)
      : await m.tc.client.postReactie(dossier, ronde, antwoordOp, tekst);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('an overlegronde as a conversation [R130][R131]', () => {
  let planning: MessageId;
  let advies: MessageId;
  let reactieJan: MessageId;

  it('a titel opens an onderwerp; a reactie needs only text and lands under its onderwerp on another member [R130]', async () => {
    await rondeBij(zoe, () => true, 'overlegronde');
    await rondeBij(jan, () => true, 'overlegronde');
    planning = await post(zoe, 'Planning', 'Wanneer spreken we af, @Jan de Vries?');
    advies = await post(ib, 'Advies', 'Graag jullie advies over de aanpak.');
    // Without an onderwerp, a message without titel is refused: the titel is what opens one.
    const zonder = await jan.tc.client.postMessage(dossier, ronde, '', 'Zonder titel');
    expect(!zonder.ok && zonder.error.code).toBe('bericht-titel-leeg');
    await rondeBij(jan, (v) => v.berichten.some((b) => b.id === planning && b.geverifieerd), 'planning bij Jan');
    reactieJan = await post(jan, '', 'Dinsdag kan ik, @Zoë Jansen.', planning);
    const bijIb = await rondeBij(ib, (v) => v.berichten.some((b) => b.id === reactieJan && b.geverifieerd), 'reactie van Jan');
    const g = gesprekVan(bijIb, {}, ib.userId);
    expect(g.onderwerpen.map((o) => o.id).sort()).toEqual([planning, advies].sort());
    const p = g.onderwerpen.find((o) => o.id === planning);
    expect(p?.reacties.map((b) => [b.id, b.titel, b.auteurNaam])).toEqual([[reactieJan, '', 'Jan de Vries']]);
    expect(p?.reacties[0]?.mentions).toEqual([zoe.userId]);
    // Newest activity first: Jan's reactie makes Planning the latest.
    expect(g.onderwerpen[0]?.id).toBe(planning);
    expect(g.onbevestigd).toEqual([]);
    // Zoë's melding names the onderwerp, since the reactie has no titel of its own.
    await rondeBij(zoe, (v) => v.berichten.some((b) => b.id === reactieJan && b.geverifieerd), 'reactie bij Zoë');
    const meldingen = await meldingenVan(zoe.tc.client, {}, Date.now());
    expect(meldingen.map((m) => m.tekst)).toContain('Jan de Vries noemde u in een reactie op "Planning"');
    // A reactie to a reactie is refused: an onderwerp is one level deep.
    const dieper = await zoe.tc.client.postReactie(dossier, ronde, reactieJan, 'Prima');
    expect(dieper.ok).toBe(false);
  }, 90_000);

  it('afgehandeld by one participant is seen by another, and reopening works [R131]', async () => {
    await rondeBij(jan, (v) => v.berichten.some((b) => b.id === advies && b.geverifieerd), 'advies bij Jan');
    const a = await jan.tc.client.markeerAfgehandeld(dossier, ronde, advies, true);
    if (!a.ok) throw new Error(a.error.message);
    const bijZoe = await rondeBij(zoe, (v) => onderwerp(v, advies, zoe)?.afgehandeld !== null, 'afgehandeld bij Zoë');
    expect(onderwerp(bijZoe, advies, zoe)?.afgehandeld?.door).toBe(jan.userId);
    expect(onderwerp(bijZoe, advies, zoe)?.afgehandeld?.doorNaam).toBe('Jan de Vries');
    const h = await zoe.tc.client.markeerAfgehandeld(dossier, ronde, advies, false);
    if (!h.ok) throw new Error(h.error.message);
    await rondeBij(jan, (v) => v.afhandelingen.length === 2 && onderwerp(v, advies, jan)?.afgehandeld === null, 'heropend bij Jan');
  }, 60_000);

  it('a mark or reactie by someone outside the ronde, signed with their own real key, is not accepted [R130][R131]', async () => {
    // Piet is a member of the SWV with a valid device, but not invited; Jan carries his entries into the room.
    const markPiet = await signAfhandeling(
      nobleProvider,
      ronde,
      { id: 'piet-mark', onderwerp: planning, afgehandeld: true, auteur: piet.userId, op: new Date(Date.now() + 60_000).toISOString() },
      deviceOf(piet),
      new Map(),
    );
    const reactiePiet: StoredMessage = await signMessage(
      nobleProvider,
      ronde,
      {
        id: 'piet-reactie',
        auteur: piet.userId,
        auteurNaam: 'Piet Buiten',
        titel: '',
        tekst: 'Sluit dit maar af.',
        mentions: [],
        geplaatstOp: new Date().toISOString(),
        antwoordOp: planning,
      },
      deviceOf(piet),
      new Map(),
    );
    await writeRaw(jan, (doc) => {
      pushAfhandeling(doc, markPiet);
      doc.getArray<unknown>('berichten').push([reactiePiet]);
    });
    const bijIb = await rondeBij(
      ib,
      (v) => v.afhandelingen.some((a) => a.id === 'piet-mark') && v.berichten.some((b) => b.id === 'piet-reactie' && b.geverifieerd),
      'Piets invoer bij Ilse',
    );
    const g = gesprekVan(bijIb, {}, ib.userId);
    const p = g.onderwerpen.find((o) => o.id === planning);
    expect(p?.afgehandeld).toBeNull();
    expect(p?.reacties.map((b) => b.id)).toEqual([reactieJan]);
    expect(p?.ongelezen).toBe(2);
    expect(g.onbevestigd.map((b) => b.id)).toEqual(['piet-reactie']);
  }, 60_000);

  it("a mark or reactie in a participant's name with another's signature, or a reactie moved to another onderwerp, is not accepted [R130][R131]", async () => {
    const later = new Date(Date.now() + 120_000).toISOString();
    const nepMark = await signAfhandeling(
      nobleProvider,
      ronde,
      { id: 'nep-mark', onderwerp: planning, afgehandeld: true, auteur: zoe.userId, op: later },
      deviceOf(jan),
      new Map(),
    );
    const ongetekend = { id: 'nep-mark-2', onderwerp: planning, afgehandeld: true, auteur: zoe.userId, op: later };
    const nepReactie = await signMessage(
      nobleProvider,
      ronde,
      {
        id: 'nep-reactie',
        auteur: zoe.userId,
        auteurNaam: 'Zoë Jansen',
        titel: '',
        tekst: 'Afgesproken.',
        mentions: [],
        geplaatstOp: new Date().toISOString(),
        antwoordOp: planning,
      },
      deviceOf(jan),
      new Map(),
    );
    // Jan's real reactie, copied in front of it with another onderwerp: the signature covers `antwoordOp`.
    const echt = readMessages(
      internals(jan).dossiers.get(dossier)?.docs.get(scope)?.doc ??
        (() => {
          throw new Error('geen ronde');
        })(),
    ).find((m) => m.id === reactieJan);
    if (!echt) throw new Error('reactie ontbreekt');
    await writeRaw(jan, (doc) => {
      pushAfhandeling(doc, nepMark);
      pushAfhandeling(doc, ongetekend);
      const a = doc.getArray<unknown>('berichten');
      a.push([nepReactie]);
      a.insert(0, [{ ...echt, antwoordOp: advies }]);
    });
    const bijIb = await rondeBij(
      ib,
      (v) =>
        v.berichten.some((b) => b.id === 'nep-reactie') &&
        internals(ib).dossiers.get(dossier)?.docs.get(scope)?.doc.getArray('afhandelingen').length === 5,
      'vervalsingen bij Ilse',
    );
    expect(bijIb.afhandelingen.map((a) => a.id)).not.toContain('nep-mark');
    expect(bijIb.afhandelingen.map((a) => a.id)).not.toContain('nep-mark-2');
    const g = gesprekVan(bijIb, {}, ib.userId);
    expect(g.onderwerpen.find((o) => o.id === planning)?.afgehandeld).toBeNull();
    expect(g.onderwerpen.find((o) => o.id === planning)?.reacties.map((b) => b.id)).toEqual([reactieJan]);
    expect(g.onderwerpen.find((o) => o.id === advies)?.reacties).toEqual([]);
    expect(g.onbevestigd.map((b) => b.id).sort()).toEqual(['nep-reactie', 'piet-reactie']);
  }, 60_000);

  it('unread counts per onderwerp go up with new messages and reset once it was shown; what was seen is sealed on the device [R133]', async () => {
    const c = ib.tc.client;
    let v = await rondeBij(ib, () => true, 'overlegronde');
    let gezien = await leesOverlegGezien(c, ronde);
    const voor = gesprekVan(v, gezien, ib.userId).onderwerpen.find((o) => o.id === planning);
    if (!voor) throw new Error('geen onderwerp');
    // Zoë's opening and Jan's reactie; Piet's and the forged ones never count.
    expect(voor.ongelezen).toBe(2);
    // Her own onderwerp has nothing unread for her.
    expect(gesprekVan(v, gezien, ib.userId).onderwerpen.find((o) => o.id === advies)?.ongelezen).toBe(0);
    gezien = await markeerOnderwerpGezien(c, dossier, ronde, voor);
    expect(gesprekVan(v, gezien, ib.userId).onderwerpen.find((o) => o.id === planning)?.ongelezen).toBe(0);
    const nieuw = await post(jan, '', 'Of woensdag.', planning);
    v = await rondeBij(ib, (x) => x.berichten.some((b) => b.id === nieuw && b.geverifieerd), 'tweede reactie');
    // Read back from the device (as a new page would), not from memory.
    gezien = await leesOverlegGezien(c, ronde);
    expect(gesprekVan(v, gezien, ib.userId).onderwerpen.find((o) => o.id === planning)?.ongelezen).toBe(1);
    const row = await c.localStore.getDraft(`overleg-gezien/${ronde}`);
    if (!row) throw new Error('niets opgeslagen');
    for (const id of [planning, reactieJan]) expect(findMarkerInBytes(row.bytes, id)).toEqual([]);
  }, 60_000);

  it('the picker offers people who can take part in this hulpvraag: no FG, no beheerder, no ouder who is not linked to this dossier [R132]', async () => {
    const r = ib.tc.client.getOverlegronde(dossier, ronde);
    if (!r.ok) throw new Error(r.error.message);
    const hv = r.value.hulpvraagId;
    const linked = await ib.tc.client.linkOuder(dossier, olga.userId);
    if (!linked.ok) throw new Error(linked.error.message);
    await eventually(() => {
      const w = ib.tc.client.whoCanRead(dossier);
      return w.ok && w.value.some((x) => x.userId === olga.userId && x.scopes.includes(`hulpvraag:${hv}`));
    }, 'Olga gekoppeld');
    const lezers = ib.tc.client.whoCanRead(dossier);
    if (!lezers.ok) throw new Error(lezers.error.message);
    const personen = ib.tc.client.directory();
    const bea = personen.find((p) => p.roles.includes('swv-beheerder'));
    expect(bea).toBeDefined();
    const keuze = mogelijkeDeelnemers(personen, lezers.value, hv, ib.userId).map((p) => p.userId);
    expect(keuze).toEqual(expect.arrayContaining([zoe.userId, jan.userId, piet.userId, olga.userId]));
    for (const nee of [ib.userId, fien.userId, otto.userId, bea?.userId]) expect(keuze).not.toContain(nee);
    // Starting one with them anyway (a caller that skips the screen) is refused by the same rule.
    for (const nee of [fien.userId, otto.userId]) {
      const r = await ib.tc.client.startOverlegronde(dossier, hv, {
        titel: 'Nog een overleg',
        omschrijving: 'Afstemmen',
        einddatum: new Date(Date.now() + 86_400_000).toISOString(),
        deelnemers: [zoe.userId, nee],
      });
      expect(!r.ok && r.error.code).toBe('deelnemer-niet-toegestaan');
    }
  }, 60_000);
});
