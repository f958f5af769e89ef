// Workflow → access through the client facade against a real relay on 127.0.0.1: the one
// function (`planWorkflowAccess`) every path runs — a new hulpvraag, a status change, an aanpak,
// an overlegronde — gives what the process says and nothing more [R23, R91].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { fileHulpvraag, startWorld, type World } from './dossier-world.js';
import { BESTUUR, readyToSubmit } from './indienen-world.js';

let world: World;
let ilse: Member, bert: Member, lotte: Member, dirk: Member, dora: Member;
let dossier: DossierId, hv: HulpvraagId;

beforeAll(async () => {
  world = await startWorld([
    { naam: 'Ilse Bakker', functie: 'intern begeleider', organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] },
    BESTUUR,
    { naam: 'Lotte Loket', functie: 'medewerker loket', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-loket'] },
    { naam: 'Dirk Deskundige', functie: 'orthopedagoog', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['deskundige'] },
    { naam: 'Dora Deskundige', functie: 'psycholoog', organisation: { naam: 'Expertisecentrum Oost', kind: 'zorgpartner' }, roles: ['deskundige'] },
  ]);
  [ilse, bert, lotte, dirk, dora] = world.members as [Member, Member, Member, Member, Member];
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
    const a = await ilse.tc.client.addAanpak(dossier, hv, { behandelaar: dirk.userId, omschrijving: 'Deskundigenadvies', startdatum: new Date().toISOString().slice(0, 10) });
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
    const or = await ilse.tc.client.startOverlegronde(dossier, hv, { titel: 'Overleg', omschrijving: 'Afstemmen', einddatum: new Date(Date.now() + 7 * 86_400_000).toISOString(), deelnemers: [dora.userId] });
    if (!or.ok) throw new Error(or.error.message);
    expect(scopesOf(dora)).toEqual([`hulpvraag:${hv}`, `overlegronde:${or.value}`]);
    // A reconcile by the tick keeps the invitation: it is no grant the status takes away.
    await ilse.tc.client.tick();
    expect(scopesOf(dora)).toEqual([`hulpvraag:${hv}`, `overlegronde:${or.value}`]);
  }, 180_000);
});
