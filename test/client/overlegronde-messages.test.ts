// @mentions by name, signatures and edits of overlegronde messages through the
// real client facade against a real relay on 127.0.0.1 (seed 000: "Berichten
// kunnen aangepast worden", "Vermeld altijd voornaam, achternaam, functie en
// organisatie"; seed 003: reacting ends at the einddatum).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView, OverlegrondeView } from '../../core/client/api.js';
import type { DossierId, MessageId, OverlegrondeId } from '../../core/model/ids.js';
import { roomOf } from '../../core/access/rooms.js';
import { buildWorld, eventually, removeDir, startTestRelay, type Member, type TestRelay } from '../sync/harness.js';
import { rondeBij as rondeBijIn, startRonde } from './overlegronde-world.js';
import { BESTUUR } from './indienen-world.js';

let relay: TestRelay | undefined;
// Ilse Bakker's clock can be moved past the einddatum for the last test.
let ibOffsetMs = 0;
let ib: Member, zoe: Member, jan: Member, ilse2: Member, bestuur: Member;
let dossier: DossierId;
let ronde: OverlegrondeId;
let room: string;

afterAll(async () => {
  for (const m of [ib, zoe, jan, ilse2, bestuur]) await m?.tc.client.close();
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
      now: () => new Date(Date.now() + ibOffsetMs),
    },
    { naam: 'Zoë Jansen', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
    {
      naam: 'Jan de Vries',
      functie: 'jeugdconsulent',
      organisation: { naam: 'Jeugdhulp Noord', kind: 'zorgpartner' },
      roles: ['professional'],
    },
    { naam: 'Ilse de Boer', functie: 'loket', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-loket'] },
    BESTUUR,
  ]);
  [ib, zoe, jan, ilse2, bestuur] = members as [Member, Member, Member, Member, Member];
  ({ dossier, ronde } = await startRonde(ib, [zoe, jan, ilse2], bestuur));
  room = roomOf(dossier, `overlegronde:${ronde}`);
}, 120_000);

const rondeBij = (m: Member, check: (r: OverlegrondeView) => boolean, what: string): Promise<OverlegrondeView> =>
  rondeBijIn(m, dossier, ronde, check, what);

const mentionNotifications = (m: Member): number =>
  m.tc.client.receivedNotifications().filter((n) => n.kind === 'mention' && n.room === room).length;
const bericht = (r: OverlegrondeView, id: MessageId): MessageView | undefined => r.berichten.find((b) => b.id === id);

describe('overlegronde messages: @mentions by name, signature, edits [000][003]', () => {
  let eerste: MessageId;

  it('a mention by name as typed ("@Zoe" for Zoë, "@Jan de Vries") reaches the mentioned participants, with the signature block from the profile', async () => {
    const r = await ib.tc.client.postMessage(
      dossier,
      ronde,
      'Vraag over de aanpak',
      'Hoi @Zoe, kun jij kijken? En @jan de vries, herken je dit thuis?',
    );
    if (!r.ok) throw new Error(r.error.message);
    eerste = r.value;
    const bijZoe = await rondeBij(zoe, (v) => bericht(v, eerste) !== undefined, 'eerste bericht');
    const b = bericht(bijZoe, eerste);
    expect(b?.mentions).toEqual([zoe.userId, jan.userId]);
    expect(b?.genoemd.map((g) => g.userId)).toEqual([zoe.userId, jan.userId]);
    expect(b?.ondertekening).toEqual({ voornaam: 'Ilse', achternaam: 'Bakker', functie: 'intern begeleider', organisatie: 'OBS De Linde' });
    expect(b?.bewerkt).toBe(false);
    expect(b?.tekst).toBe('Hoi @Zoe, kun jij kijken? En @jan de vries, herken je dit thuis?');
    // The relay hands each mentioned person a content-free notification for the overlegronde's room.
    await eventually(async () => {
      await zoe.tc.client.tick();
      await jan.tc.client.tick();
      return mentionNotifications(zoe) === 1 && mentionNotifications(jan) === 1;
    }, 'melding van de vermelding');
    expect(JSON.stringify(zoe.tc.client.receivedNotifications())).not.toMatch(/Zoe|Vries|aanpak/);
  }, 60_000);

  it('the old @voornaam.achternaam handle still mentions a participant', async () => {
    await rondeBij(zoe, (v) => v.berichten.length > 0, 'overlegronde');
    const handle = zoe.tc.client.directory().find((e) => e.userId === ib.userId)?.handle;
    expect(handle).toBe('ilse.bakker');
    const r = await zoe.tc.client.postMessage(dossier, ronde, 'Antwoord', `Ja, ik kijk mee @${handle}.`);
    if (!r.ok) throw new Error(r.error.message);
    const v = zoe.tc.client.getOverlegronde(dossier, ronde);
    expect(v.ok && bericht(v.value, r.value)?.mentions).toEqual([ib.userId]);
  }, 60_000);

  it('an ambiguous mention is refused with the candidates listed, an unknown one with a Dutch reason; nothing is stored', async () => {
    const before = ib.tc.client.getOverlegronde(dossier, ronde);
    const count = before.ok ? before.value.berichten.length : -1;
    const amb = await jan.tc.client.postMessage(dossier, ronde, 'Vraag', 'Wie van jullie, @Ilse, heeft het verslag?');
    expect(amb.ok).toBe(false);
    if (!amb.ok) {
      expect(amb.error.code).toBe('bericht-mention-onduidelijk');
      expect(amb.error.message).toMatch(/@Ilse is niet eenduidig/);
      expect(amb.error.message).toMatch(/Ilse Bakker/);
      expect(amb.error.message).toMatch(/Ilse de Boer/);
    }
    const onbekend = await jan.tc.client.postMessage(dossier, ronde, 'Vraag', 'Weet @Pieter hiervan?');
    expect(onbekend.ok).toBe(false);
    if (!onbekend.ok) expect(onbekend.error.message).toMatch(/@Pieter is geen deelnemer/);
    // The full name settles it.
    const goed = await jan.tc.client.postMessage(dossier, ronde, 'Vraag', 'Wie van jullie, @Ilse de Boer, heeft het verslag?');
    if (!goed.ok) throw new Error(goed.error.message);
    const after = jan.tc.client.getOverlegronde(dossier, ronde);
    expect(after.ok && bericht(after.value, goed.value)?.mentions).toEqual([ilse2.userId]);
    const bijIb = await rondeBij(ib, (v) => bericht(v, goed.value) !== undefined, 'bericht van Jan');
    expect(bijIb.berichten.length).toBe(count + 1 + 1);
    expect(JSON.stringify(bijIb)).not.toMatch(/Pieter|@Ilse,/);
  }, 60_000);

  it('an edit by the author keeps the earlier version, shows as bewerkt everywhere and notifies only the newly mentioned', async () => {
    const r = await ib.tc.client.editMessage(
      dossier,
      ronde,
      eerste,
      'Vraag over de aanpak (aangevuld)',
      'Hoi @Zoe, kun jij kijken? En @Ilse de Boer: graag ook jouw blik.',
    );
    if (!r.ok) throw new Error(r.error.message);
    const bijIlse2 = await rondeBij(ilse2, (v) => bericht(v, eerste)?.bewerkt === true, 'bewerking');
    const b = bericht(bijIlse2, eerste);
    expect(b?.titel).toBe('Vraag over de aanpak (aangevuld)');
    expect(b?.mentions).toEqual([zoe.userId, ilse2.userId]);
    expect(b?.versies.map((v) => v.tekst)).toEqual([
      'Hoi @Zoe, kun jij kijken? En @jan de vries, herken je dit thuis?',
      'Hoi @Zoe, kun jij kijken? En @Ilse de Boer: graag ook jouw blik.',
    ]);
    expect(b?.bewerktOp).toBe(b?.versies[1]?.geschrevenOp);
    // Jan was mentioned in the first version: he keeps his "genoemd sinds".
    expect(b?.genoemd.map((g) => g.userId)).toEqual([zoe.userId, jan.userId, ilse2.userId]);
    // Author and reader see the same history.
    const bijIb = ib.tc.client.getOverlegronde(dossier, ronde);
    expect(bijIb.ok && bericht(bijIb.value, eerste)).toEqual(b);
    await eventually(async () => {
      await ilse2.tc.client.tick();
      return ilse2.tc.client.receivedNotifications().some((n) => n.kind === 'mention' && n.room === room);
    }, 'melding voor de nieuw genoemde');
    // The notify that reached Ilse de Boer was handled by the relay as one message; a pull now would
    // bring Zoë a second one had she been included.
    await zoe.tc.client.tick();
    expect(mentionNotifications(zoe)).toBe(1);
  }, 60_000);

  it('only the author may edit: another participant is refused and the message is unchanged', async () => {
    await rondeBij(zoe, (v) => bericht(v, eerste)?.bewerkt === true, 'bewerking');
    const r = await zoe.tc.client.editMessage(dossier, ronde, eerste, 'Overgenomen', 'Door Zoë aangepast');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('bericht-niet-van-u');
    const v = zoe.tc.client.getOverlegronde(dossier, ronde);
    expect(v.ok && bericht(v.value, eerste)?.versies.length).toBe(2);
    const onbekend = await ib.tc.client.editMessage(dossier, ronde, 'bestaat-niet' as MessageId, 'x', 'y');
    expect(!onbekend.ok && onbekend.error.code).toBe('bericht-onbekend');
  }, 60_000);

  it('an edit with a link is refused like a new message', async () => {
    const r = await ib.tc.client.editMessage(dossier, ronde, eerste, 'Vraag', 'Zie www.voorbeeld.nl');
    expect(!r.ok && r.error.code).toBe('bericht-bevat-link');
    const v = ib.tc.client.getOverlegronde(dossier, ronde);
    expect(JSON.stringify(v)).not.toMatch(/voorbeeld/);
  }, 60_000);

  it('edits made offline reach the other participants after reconnecting, with the same history as the author', async () => {
    ib.tc.client.setOnline(false);
    for (const tekst of ['Offline aanvulling 1', 'Offline aanvulling 2, @Jan'] as const) {
      const r = await ib.tc.client.editMessage(dossier, ronde, eerste, 'Vraag over de aanpak', tekst);
      if (!r.ok) throw new Error(r.error.message);
    }
    ib.tc.client.setOnline(true);
    const bijJan = await rondeBij(jan, (v) => bericht(v, eerste)?.versies.length === 4, 'offline bewerkingen');
    const eigen = ib.tc.client.getOverlegronde(dossier, ronde);
    expect(eigen.ok && bericht(eigen.value, eerste)).toEqual(bericht(bijJan, eerste));
    expect(bericht(bijJan, eerste)?.tekst).toBe('Offline aanvulling 2, @Jan');
    expect(bericht(bijJan, eerste)?.mentions).toEqual([jan.userId]);
  }, 60_000);

  it('after the einddatum the author can no longer edit or post [003]', async () => {
    ibOffsetMs = 8 * 86_400_000;
    const edit = await ib.tc.client.editMessage(dossier, ronde, eerste, 'Te laat', 'Nog een aanvulling');
    expect(edit.ok).toBe(false);
    if (!edit.ok) {
      expect(edit.error.code).toBe('overlegronde-verlopen');
      expect(edit.error.message).toMatch(/niet meer reageren/);
    }
    const post = await ib.tc.client.postMessage(dossier, ronde, 'Te laat', 'Nog een bericht');
    expect(!post.ok && post.error.code).toBe('overlegronde-verlopen');
    const v = ib.tc.client.getOverlegronde(dossier, ronde);
    expect(v.ok && bericht(v.value, eerste)?.versies.length).toBe(4);
  }, 60_000);
});
