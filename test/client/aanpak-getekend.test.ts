// An aanpak invites a behandelaar (003), who then gets what the process gives behandelaars: access,
// a key box, meldingen. Only a dossier admin (the IB/COO of the owning school) makes one, so the
// aanpak is a signed item honoured only from such a signer [R134]. On a real relay on 127.0.0.1 the
// attacker is the behandelaar the IB invited: with write right on the hulpvraag, her modified client
// writes the hulpvraag's Yjs doc directly, a plain aanpak entry and one signed by her own device,
// each naming a colleague from another organisation. That colleague gets nothing; the IB's own
// aanpak still works, and ends at its einddatum as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { dossierSession } from '../../core/client/dossier-session.js';
import { hulpvraagAccessInput } from '../../core/client/client-access.js';
import { pushAanpak, signAanpak } from '../../core/client/aanpak-getekend.js';
import { meldingenVan } from '../../core/client/views/meldingen.js';
import { eventually, type Member } from '../sync/harness.js';
import { LEERLING, internals, startWorld, type World } from './dossier-world.js';

const DAG_MS = 86_400_000;
let ibOffsetMs = 0;
let world: World;
let ilse: Member, rik: Member, mila: Member;
let dossier: DossierId;
let hv: HulpvraagId;

const vandaag = (): string => new Date().toISOString().slice(0, 10);
const eindOver = (dagen: number): string => new Date(Date.now() + dagen * DAG_MS).toISOString().slice(0, 10);
const statusMeldingen = (m: Member): number => m.tc.client.receivedNotifications().filter((n) => n.kind === 'status').length;
const scopesOf = (m: Member): readonly string[] => {
  const r = ilse.tc.client.whoCanRead(dossier);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.find((x) => x.userId === m.userId)?.scopes.filter((s) => s !== 'toegang') ?? [];
};
const behandelaarsBij = (m: Member): string[] => {
  const v = m.tc.client.getHulpvraag(dossier, hv);
  return v.ok ? v.value.aanpak.map((a) => a.behandelaar) : ['onleesbaar'];
};
const kanNaar = async (m: Member, to: string): Promise<boolean> => {
  await m.tc.client.tick();
  await m.tc.client.refreshViews(dossier);
  const t = m.tc.client.allowedTransitions(dossier, hv);
  return t.ok && t.value.some((x) => x.to === to);
};
const zet = async (m: Member, to: string): Promise<void> => {
  await eventually(() => kanNaar(m, to), `${m.userId} mag naar ${to}`, 30_000);
  const s = await m.tc.client.changeStatus(dossier, hv, to);
  if (!s.ok) throw new Error(s.error.message);
  expect((await m.tc.client.flush(30_000)).ok).toBe(true);
};

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
      now: () => new Date(Date.now() + ibOffsetMs),
    },
    { naam: 'Rik Regie', functie: 'jeugdconsulent', organisation: { naam: 'CJG Noord', kind: 'zorgpartner' }, roles: ['regierolhouder'] },
    {
      naam: 'Mila Maas',
      functie: 'schoolmaatschappelijk werker',
      organisation: { naam: 'SMW Oost', kind: 'zorgpartner' },
      roles: ['regierolhouder'],
    },
  ]);
  [ilse, rik, mila] = world.members as [Member, Member, Member];
  const d = await ilse.tc.client.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  dossier = d.value;
  const h = await ilse.tc.client.createHulpvraag(dossier, {
    titel: 'Team Schoolondersteuning',
    omschrijving: 'Zorgen over concentratie in de klas',
  });
  if (!h.ok) throw new Error(h.error.message);
  hv = h.value;
  const a = await ilse.tc.client.addAanpak(dossier, hv, {
    behandelaar: rik.userId,
    omschrijving: 'Gesprekken met ouders en leerkracht',
    startdatum: vandaag(),
  });
  if (!a.ok) throw new Error(a.error.message);
  expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('[R134] an aanpak invites only when a dossier admin signed it', () => {
  it('the behandelaar the IB invited gets the hulpvraag, a melding and the behandelaar’s moves', async () => {
    await eventually(
      async () => (await kanNaar(rik, 'GEAGENDEERD')) && statusMeldingen(rik) >= 1,
      'Rik leest de hulpvraag en kreeg een melding',
      30_000,
    );
    expect(behandelaarsBij(rik)).toEqual([rik.userId]);
    expect(scopesOf(rik)).toContain(`hulpvraag:${hv}`);
  }, 60_000);

  it('[R134] a behandelaar’s modified client that adds a colleague to the aanpak in the Yjs doc gives her no key box, no access, no melding and no place in the aanpak', async () => {
    // Through the client the behandelaar is refused in Dutch …
    const geweigerd = await rik.tc.client.addAanpak(dossier, hv, {
      behandelaar: mila.userId,
      omschrijving: 'Mila helpt mee',
      startdatum: vandaag(),
    });
    expect(!geweigerd.ok && geweigerd.error.code).toBe('niet-toegestaan');
    // … so her modified client writes the document itself: a plain entry as earlier versions stored it,
    // and an aanpak signed by her own (valid) device.
    const rc = internals(rik.tc);
    const rst = rc.dossiers.get(dossier);
    if (!rst) throw new Error('dossier ontbreekt bij Rik');
    const item = await signAanpak(rc, hv, {
      id: 'vervalst-1',
      behandelaar: mila.userId,
      omschrijving: 'Mila helpt mee',
      startdatum: vandaag(),
      einddatum: null,
    });
    const w = await dossierSession(rc, rst).write(`hulpvraag:${hv}`, (doc) => {
      doc.getArray('aanpak').push([
        {
          id: 'vervalst-0',
          behandelaar: mila.userId,
          omschrijving: 'Mila helpt mee',
          startdatum: vandaag(),
          einddatum: null,
          toegevoegdDoor: ilse.userId,
          toegevoegdOp: new Date().toISOString(),
        },
      ]);
      pushAanpak(doc, item);
    });
    if (!w.ok) throw new Error(w.error.message);
    expect((await rik.tc.client.flush(30_000)).ok).toBe(true);
    const ic = internals(ilse.tc);
    await eventually(
      async () => {
        await ilse.tc.client.tick();
        return ic.dossiers.get(dossier)?.docs.get(`hulpvraag:${hv}`)?.doc.getArray('aanpakGetekend').length === 2;
      },
      'de vervalste aanpak komt bij de school aan',
      30_000,
    );
    const milaVoor = statusMeldingen(mila);
    // The IB's device reconciles access (the tick), and the process moves on: Rik reports back, the IB
    // hands the hulpvraag to the behandelaars again (AANGEMELD notifies every behandelaar).
    await ilse.tc.client.tick();
    expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
    await zet(rik, 'GEAGENDEERD');
    await zet(rik, 'RETOUR NAAR SCHAKELTEAM');
    const rikVoor = statusMeldingen(rik);
    await zet(ilse, 'AANGEMELD');
    await ilse.tc.client.tick();
    expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
    await eventually(
      async () => {
        await rik.tc.client.tick();
        return statusMeldingen(rik) > rikVoor;
      },
      'Rik krijgt de melding van AANGEMELD',
      30_000,
    );
    await mila.tc.client.tick();

    // Mila: no melding, no grant, no key box, nothing to read.
    expect(statusMeldingen(mila)).toBe(milaVoor);
    expect((await meldingenVan(mila.tc.client, {}, Date.now())).filter((m) => m.hulpvraagId === hv)).toEqual([]);
    expect(scopesOf(mila)).toEqual([]);
    const access = ic.dossiers.get(dossier)?.access;
    expect([...(access?.recipients.values() ?? [])].some((cert) => cert.body.user === mila.userId)).toBe(false);
    expect(mila.tc.client.getHulpvraag(dossier, hv).ok).toBe(false);
    // What access is planned from, and the aanpak every reader shows, name only the IB's behandelaar.
    const ist = ic.dossiers.get(dossier);
    if (!ist) throw new Error('dossier ontbreekt bij de IB');
    const input = await hulpvraagAccessInput(ic, ist, hv);
    expect(input?.input.aanpak.map((a) => a.behandelaar)).toEqual([rik.userId]);
    expect(input?.input.context.behandelaars).toEqual([rik.userId]);
    expect(behandelaarsBij(ilse)).toEqual([rik.userId]);
    await rik.tc.client.refreshViews(dossier);
    expect(behandelaarsBij(rik)).toEqual([rik.userId]);
    // The honest behandelaar keeps what the process gives him.
    expect(scopesOf(rik)).toContain(`hulpvraag:${hv}`);
    expect(await kanNaar(rik, 'GEAGENDEERD')).toBe(true);
  }, 180_000);

  it('an aanpak the IB signs with an einddatum still gives read access until that day, and not after', async () => {
    const tlv = await ilse.tc.client.createHulpvraag(dossier, { titel: 'TLV VSO', omschrijving: 'Aanvraag voor VSO' });
    if (!tlv.ok) throw new Error(tlv.error.message);
    const eind = eindOver(10);
    const a = await ilse.tc.client.addAanpak(dossier, tlv.value, {
      behandelaar: mila.userId,
      omschrijving: 'Meedenken over de aanvraag',
      startdatum: vandaag(),
      einddatum: eind,
    });
    if (!a.ok) throw new Error(a.error.message);
    const readers = ilse.tc.client.whoCanRead(dossier);
    const bijMila = readers.ok ? readers.value.find((r) => r.userId === mila.userId) : undefined;
    expect(bijMila?.scopes.filter((s) => s !== 'toegang')).toEqual([`hulpvraag:${tlv.value}`]);
    expect(bijMila?.expiresAt?.slice(0, 10)).toBe(eind);
    await eventually(
      async () => {
        await mila.tc.client.tick();
        return mila.tc.client.getHulpvraag(dossier, tlv.value).ok && statusMeldingen(mila) >= 1;
      },
      'Mila leest de aanvraag en kreeg een melding',
      30_000,
    );
    // Past the einddatum the grant has lapsed and the IB's reconcile gives nothing back.
    ibOffsetMs = 12 * DAG_MS;
    await ilse.tc.client.tick();
    expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
    expect(scopesOf(mila)).toEqual([]);
  }, 120_000);
});
