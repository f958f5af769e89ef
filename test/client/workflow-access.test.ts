// Workflow → access through the client facade against a real relay on 127.0.0.1: the one
// function (`planWorkflowAccess`) every path runs — a new hulpvraag, a status change, an aanpak,
// an overlegronde — gives what the process says and nothing more [R23, R91].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { fileHulpvraag, startWorld, type World } from './dossier-world.js';
import { BESTUUR, readyToSubmit } from './indienen-world.js';
import { TLV } from '../workflow/fixtures.js';

let world: World;
let ilse: Member, bert: Member, lotte: Member, dirk: Member, dora: Member, cor: Member, olga: Member;
let dossier: DossierId, hv: HulpvraagId;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    BESTUUR,
    { naam: 'Lotte Loket', functie: 'medewerker loket', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-loket'] },
    { naam: 'Dirk Deskundige', functie: 'orthopedagoog', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['deskundige'] },
    {
      naam: 'Dora Deskundige',
      functie: 'psycholoog',
      organisation: { naam: 'Expertisecentrum Oost', kind: 'zorgpartner' },
      roles: ['deskundige'],
    },
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
    { naam: 'Olga Kwartel', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
  ]);
  [ilse, bert, lotte, dirk, dora, cor, olga] = world.members as [Member, Member, Member, Member, Member, Member, Member];
  ({ dossier, hv } = await fileHulpvraag(ilse, 'TLV VSO', 'Aanvraag voor VSO'));
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const scopesOf = (m: Member): string[] => {
  const r = ilse.tc.client.whoCanRead(dossier);
  return (r.ok ? (r.value.find((x) => x.userId === m.userId)?.scopes ?? []) : []).filter((s) => s !== 'toegang').sort();
};

describe('workflow → access through the client [R23]', () => {
  it('TLV VSO: the SWV sees the aanvraag from indienen; only the deskundige assigned to the case reads it and may ask questions; an overlegronde participant never gets forms [R91]', async () => {
    // Voorlopige aanvraag: the school's own.
    for (const m of [lotte, dirk, dora]) expect(scopesOf(m)).toEqual([]);

    await readyToSubmit(ilse, bert, dossier, hv);
    const s = await ilse.tc.client.changeStatus(dossier, hv, 'TLV aanvraag indienen');
    if (!s.ok) throw new Error(s.error.message);
    // The status change reconciles at once (no tick needed): the loket reads, no deskundige does.
    expect(scopesOf(lotte)).toEqual([`formulieren:${hv}`, `hulpvraag:${hv}`, 'leerling', `lvs:${hv}`]);
    expect(scopesOf(dirk)).toEqual([]);
    expect(scopesOf(dora)).toEqual([]);

    // Assigned through an aanpak, Dirk works on this case; Dora, a deskundige elsewhere, still reads nothing.
    const a = await ilse.tc.client.addAanpak(dossier, hv, {
      behandelaar: dirk.userId,
      omschrijving: 'Deskundigenadvies',
      startdatum: new Date().toISOString().slice(0, 10),
    });
    if (!a.ok) throw new Error(a.error.message);
    expect(scopesOf(dirk)).toEqual([`formulieren:${hv}`, `hulpvraag:${hv}`, 'leerling', `lvs:${hv}`]);
    expect(scopesOf(dora)).toEqual([]);
    await eventually(async () => {
      await dirk.tc.client.tick();
      await dirk.tc.client.refreshViews(dossier);
      const t = dirk.tc.client.allowedTransitions(dossier, hv);
      return t.ok && t.value.some((x) => x.to === 'TLV vragen gesteld');
    }, 'toegewezen deskundige mag vragen stellen');
    await dora.tc.client.tick();
    expect(dora.tc.client.getHulpvraag(dossier, hv).ok).toBe(false);
    const t = dora.tc.client.allowedTransitions(dossier, hv);
    expect(t.ok && t.value).toEqual(t.ok ? [] : false);
    const v = await dirk.tc.client.changeStatus(dossier, hv, 'TLV vragen gesteld', 'Vragen over het OPP');
    if (!v.ok) throw new Error(v.error.message);

    // An overlegronde invites Dora: the overlegronde and the hulpvraag until its einddatum, never forms or the leerling.
    const or = await ilse.tc.client.startOverlegronde(dossier, hv, {
      titel: 'Overleg',
      omschrijving: 'Afstemmen',
      einddatum: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      deelnemers: [dora.userId],
    });
    if (!or.ok) throw new Error(or.error.message);
    expect(scopesOf(dora)).toEqual([`hulpvraag:${hv}`, `overlegronde:${or.value}`]);
    // A reconcile by the tick keeps the invitation: it is no grant the status takes away.
    await ilse.tc.client.tick();
    expect(scopesOf(dora)).toEqual([`hulpvraag:${hv}`, `overlegronde:${or.value}`]);
  }, 180_000);

  it('TLV afgegeven: the ouders linked to the dossier get their afschrift — a melding, and the decision to read — without any new grant', async () => {
    const { dossier: d2, hv: hv2 } = await fileHulpvraag(ilse, 'TLV VSO', 'Tweede aanvraag');
    const l = await ilse.tc.client.linkOuder(d2, olga.userId);
    if (!l.ok) throw new Error(l.error.message);
    const status = () => olga.tc.client.receivedNotifications().filter((n) => n.kind === 'status').length;
    await eventually(async () => {
      await olga.tc.client.tick();
      return olga.tc.client.getHulpvraag(d2, hv2).ok && status() >= 1;
    }, 'ouder leest de aanvraag van haar kind');
    await readyToSubmit(ilse, bert, d2, hv2);
    expect((await ilse.tc.client.changeStatus(d2, hv2, 'TLV aanvraag indienen')).ok).toBe(true);
    expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
    await olga.tc.client.tick();
    const voor = status();
    await eventually(async () => {
      await cor.tc.client.tick();
      await cor.tc.client.refreshViews(d2);
      const t = cor.tc.client.allowedTransitions(d2, hv2);
      return t.ok && t.value.some((x) => x.to === 'TLV afgegeven');
    }, 'coördinator mag besluiten');
    const b = await cor.tc.client.changeStatus(d2, hv2, 'TLV afgegeven', undefined, { tlv: TLV });
    if (!b.ok) throw new Error(b.error.message);
    await eventually(async () => {
      await olga.tc.client.tick();
      await olga.tc.client.refreshViews(d2);
      const v = olga.tc.client.getHulpvraag(d2, hv2);
      return status() > voor && v.ok && v.value.status === 'TLV afgegeven';
    }, 'afschrift bij de ouder');
    expect(JSON.stringify(olga.tc.client.receivedNotifications())).not.toMatch(/Kwartel|TLV|afgegeven/);
  }, 180_000);
});
