// Wisseling van personeel (002: "Bij al deze hulpvragen wijzigt u op het tabblad
// 'schoolgegevens' de velden Aanvrager, contactpersoon en e-mailadres") in one
// step through the client facade, against a real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { processForTitel } from '../../core/processes/process-set.js';
import { eventually, type Member } from '../sync/harness.js';
import { fileHulpvraag, startWorld, type World } from './dossier-world.js';

let world: World;
let ilse: Member, sanne: Member, cor: Member, carla: Member;
let dossier: DossierId;
let open: HulpvraagId, klaar: HulpvraagId;

const isEnd = (titel: string, status: string): boolean => {
  const p = processForTitel(titel);
  return p.ok && p.value.statuses.some((s) => s.status === status && s.end);
};

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
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
    { naam: 'Carla Veen', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
  ]);
  [ilse, sanne, cor, carla] = world.members as [Member, Member, Member, Member];
  const c = ilse.tc.client;
  ({ dossier, hv: open } = await fileHulpvraag(ilse, 'TLV VSO', 'Lopende aanvraag'));
  const b = await c.createHulpvraag(dossier, { titel: 'TLV VSO', omschrijving: 'Afgesloten aanvraag' });
  if (!b.ok) throw new Error(b.error.message);
  klaar = b.value;
  for (const hv of [open, klaar]) {
    const u = await c.updateHulpvraag(dossier, hv, { coordinator: cor.userId });
    if (!u.ok) throw new Error(u.error.message);
  }
  // Cor also holds an own grant (a person, not a role): the successor should get it too.
  const g = await c.grant(dossier, {
    userId: cor.userId,
    scopes: ['leerling', `hulpvraag:${open}`],
    rights: ['read'],
    expiresAt: new Date(Date.now() + 60 * 86_400_000).toISOString(),
  });
  if (!g.ok) throw new Error(g.error.message);
  // The second hulpvraag reaches an end status (whichever one the school may choose now).
  const t = c.allowedTransitions(dossier, klaar);
  const einde = t.ok ? t.value.find((x) => isEnd('TLV VSO', x.to)) : undefined;
  if (!einde) throw new Error('geen eindstatus bereikbaar voor de school');
  const s = await c.changeStatus(dossier, klaar, einde.to, 'Ingetrokken door school');
  if (!s.ok) throw new Error(s.error.message);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('staff change: all open hulpvragen of a person to the successor in one step', () => {
  it('a departing SWV coördinator: the successor becomes coördinator of the open hulpvraag only and gets their own access', async () => {
    const voor = ilse.tc.client.whoCanRead(dossier);
    const scopesVan = (r: typeof voor, u: string) => (r.ok ? (r.value.find((x) => x.userId === u)?.scopes ?? []) : []);
    expect(scopesVan(voor, carla.userId)).not.toContain(`hulpvraag:${open}`);
    const r = await ilse.tc.client.staffChange(cor.userId, carla.userId);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toEqual({ hulpvragen: 1, dossiers: 1, nietBereikbaar: 0, ingetrokken: 0 });
    const o = ilse.tc.client.getHulpvraag(dossier, open);
    const k = ilse.tc.client.getHulpvraag(dossier, klaar);
    expect(o.ok && o.value.coordinator).toBe(carla.userId);
    expect(k.ok && k.value.coordinator).toBe(cor.userId);
    const readers = ilse.tc.client.whoCanRead(dossier);
    const carlaLeest = readers.ok ? readers.value.find((x) => x.userId === carla.userId) : undefined;
    const corLeest = readers.ok ? readers.value.find((x) => x.userId === cor.userId) : undefined;
    expect(carlaLeest?.scopes).toEqual(expect.arrayContaining(['leerling', `hulpvraag:${open}`]));
    // The departing person keeps access until someone removes them (a deliberate step with key rotation).
    expect(corLeest).toBeDefined();
    await eventually(async () => {
      await carla.tc.client.tick();
      const l = carla.tc.client.getLeerling(dossier);
      return l.ok && l.value.achternaam === 'Kwartel';
    }, 'opvolger leest het dossier');
    // Running it again changes nothing.
    const again = await ilse.tc.client.staffChange(cor.userId, carla.userId);
    expect(again.ok && again.value).toEqual({ hulpvragen: 0, dossiers: 0, nietBereikbaar: 0, ingetrokken: 0 });
  }, 120_000);

  it('a departing IB: a colleague makes herself aanvrager and contactpersoon of the open hulpvragen (schoolgegevens)', async () => {
    await eventually(async () => {
      await sanne.tc.client.tick();
      return sanne.tc.client.getHulpvraag(dossier, open).ok && sanne.tc.client.getHulpvraag(dossier, klaar).ok;
    }, 'collega heeft het dossier');
    const r = await sanne.tc.client.staffChange(ilse.userId, sanne.userId);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.hulpvragen).toBe(1);
    await eventually(async () => {
      await ilse.tc.client.tick();
      const v = ilse.tc.client.getHulpvraag(dossier, open);
      return v.ok && v.value.school.aanvrager === sanne.userId;
    }, 'nieuwe aanvrager bij de vertrekkende IB');
    const v = ilse.tc.client.getHulpvraag(dossier, open);
    expect(v.ok && [v.value.school.contactpersoon, v.value.school.email]).toEqual(['Sanne Smit', 'sanne@sim.test']);
    const k = ilse.tc.client.getHulpvraag(dossier, klaar);
    expect(k.ok && k.value.school.aanvrager).toBe(ilse.userId);
  }, 120_000);

  it('refuses a successor at another organisation, the same person or an unknown person; reports dossiers it may not change', async () => {
    const codes = [];
    for (const [van, naar] of [
      [cor.userId, sanne.userId],
      [cor.userId, cor.userId],
      [cor.userId, 'onbekend' as typeof cor.userId],
    ] as const) {
      const r = await ilse.tc.client.staffChange(van, naar);
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes).toEqual(['andere-organisatie', 'zelfde-persoon', 'persoon-onbekend']);
    // Cor (SWV) reads the open hulpvraag but may not change the school's schoolgegevens: reported, nothing changed.
    await eventually(async () => {
      await cor.tc.client.tick();
      return cor.tc.client.getHulpvraag(dossier, open).ok;
    }, 'Cor heeft het dossier');
    const vreemd = await cor.tc.client.staffChange(sanne.userId, ilse.userId);
    expect(vreemd.ok && vreemd.value).toEqual({ hulpvragen: 0, dossiers: 0, nietBereikbaar: 1, ingetrokken: 0 });
    // The beheerder may run it, but holds none of this dossier (end-to-end encrypted): nothing to do there.
    const beheer = await world.beheerder.client.staffChange(ilse.userId, sanne.userId);
    expect(beheer.ok && beheer.value).toEqual({ hulpvragen: 0, dossiers: 0, nietBereikbaar: 0, ingetrokken: 0 });
  }, 120_000);

  it('on request the departing person loses their own access in the same step (after the successor has it; keys rotate)', async () => {
    const voor = ilse.tc.client.whoCanRead(dossier);
    const scopesVan = (r: typeof voor, u: string) => (r.ok ? (r.value.find((x) => x.userId === u)?.scopes ?? []) : []);
    expect(scopesVan(voor, cor.userId)).toContain(`hulpvraag:${open}`);
    const r = await ilse.tc.client.staffChange(cor.userId, carla.userId, { toegangIntrekken: true });
    expect(r.ok && r.value).toEqual({ hulpvragen: 0, dossiers: 1, nietBereikbaar: 0, ingetrokken: 1 });
    const na = ilse.tc.client.whoCanRead(dossier);
    expect(scopesVan(na, cor.userId)).not.toContain(`hulpvraag:${open}`);
    expect(scopesVan(na, carla.userId)).toContain(`hulpvraag:${open}`);
    const log = ilse.tc.client.accessLog(dossier);
    expect(log.ok && log.value.at(-1)?.action).toBe('toegang-ingetrokken');
    expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
  }, 120_000);
});
