// Removal in Toegang (000 "Verwijder mensen die geen toegang meer nodig hebben") through the
// client facade against a real relay on 127.0.0.1: a removal removes (list, key boxes, live
// updates), or says plainly that it did not and removes nothing (issue 17, item 11) [R47].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentEpoch, keyHex } from '../../core/access/dossier-access.js';
import type { DossierId, HulpvraagId, UserId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { LEERLING, internals, startWorld, type World } from './dossier-world.js';

let world: World;
let ib: Member, sanne: Member, olga: Member, rik: Member;
let dossier: DossierId, hv: HulpvraagId;

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
    { naam: 'Olga Kwartel', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
    { naam: 'Rik Regie', functie: 'jeugdconsulent', organisation: { naam: 'CJG Noord', kind: 'zorgpartner' }, roles: ['regierolhouder'] },
  ]);
  [ib, sanne, olga, rik] = world.members as [Member, Member, Member, Member];
  const d = await ib.tc.client.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  dossier = d.value;
  const h = await ib.tc.client.createHulpvraag(dossier, {
    titel: 'Team Schoolondersteuning',
    omschrijving: 'Zorgen over concentratie in de klas',
  });
  if (!h.ok) throw new Error(h.error.message);
  hv = h.value;
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const listed = (userId: UserId): boolean => {
  const r = ib.tc.client.whoCanRead(dossier);
  return r.ok && r.value.some((x) => x.userId === userId);
};

describe('removal in Toegang [R47]', () => {
  it('removing a linked ouder takes her off the list, out of every current key box, and out of later updates', async () => {
    const link = await ib.tc.client.linkOuder(dossier, olga.userId);
    if (!link.ok) throw new Error(link.error.message);
    await eventually(async () => {
      await olga.tc.client.tick();
      await olga.tc.client.refreshViews(dossier);
      return olga.tc.client.getHulpvraag(dossier, hv).ok;
    }, 'ouder leest mee');
    expect(listed(olga.userId)).toBe(true);

    const r = await ib.tc.client.revoke(dossier, olga.userId);
    if (!r.ok) throw new Error(r.error.message);
    await ib.tc.client.flush();
    expect(listed(olga.userId)).toBe(false);
    // Key boxes: no current epoch of any scope still seals a key to her agreement key.
    const access = internals(ib.tc).dossiers.get(dossier)?.access;
    if (!access) throw new Error('geen toegangslijst');
    const haar = [...access.recipients.entries()].filter(([, cert]) => cert.body.user === olga.userId).map(([hex]) => hex);
    expect(haar.length).toBeGreaterThan(0);
    for (const info of access.scopes.values()) {
      const cur = currentEpoch(info);
      expect(cur?.holders.some((h) => haar.includes(h))).toBe(false);
      expect(cur?.boxes.some((b) => haar.includes(keyHex(b.to)))).toBe(false);
    }

    // Live: a later change reaches the colleague who stays, never the removed ouder.
    const w = await ib.tc.client.updateHulpvraag(dossier, hv, { omschrijving: 'Na de verwijdering bijgewerkt' });
    if (!w.ok) throw new Error(w.error.message);
    await eventually(async () => {
      await sanne.tc.client.tick();
      await sanne.tc.client.refreshViews(dossier);
      const v = sanne.tc.client.getHulpvraag(dossier, hv);
      return v.ok && v.value.omschrijving === 'Na de verwijdering bijgewerkt';
    }, 'collega ziet de wijziging');
    await olga.tc.client.tick();
    await olga.tc.client.refreshViews(dossier);
    const bijOlga = olga.tc.client.getHulpvraag(dossier, hv);
    expect(bijOlga.ok && bijOlga.value.omschrijving).not.toBe('Na de verwijdering bijgewerkt');
  }, 120_000);

  it("removing a colleague who also reads through the school's group grant removes her own grant and says plainly that she keeps access", async () => {
    const extra = await ib.tc.client.grant(dossier, { userId: sanne.userId, scopes: [`lvs:${hv}`], rights: ['read'], expiresAt: null });
    if (!extra.ok) throw new Error(extra.error.message);
    const r = await ib.tc.client.revoke(dossier, sanne.userId);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('toegang-deels-ingetrokken');
      expect(r.error.message).toContain('De eigen toegang van Sanne Smit is ingetrokken, maar Sanne Smit houdt toegang');
      expect(r.error.message).toContain('Intern begeleider (IB)');
    }
    expect(listed(sanne.userId)).toBe(true);
    const own =
      internals(ib.tc)
        .dossiers.get(dossier)
        ?.access?.grants.filter((g) => g.principal.kind === 'user' && g.principal.userId === sanne.userId) ?? [];
    expect(own).toEqual([]);
    // With no own grant left, a second removal changes nothing and says why.
    const nogmaals = await ib.tc.client.revoke(dossier, sanne.userId);
    expect(!nogmaals.ok && nogmaals.error.code).toBe('toegang-blijft');
  }, 60_000);

  it('removing the behandelaar whom the process names says so plainly instead of reporting a removal that the process undoes', async () => {
    const a = await ib.tc.client.addAanpak(dossier, hv, {
      behandelaar: rik.userId,
      omschrijving: 'Gesprekken met leerkracht',
      startdatum: new Date().toISOString().slice(0, 10),
    });
    if (!a.ok) throw new Error(a.error.message);
    await eventually(async () => {
      await ib.tc.client.tick();
      return listed(rik.userId);
    }, 'behandelaar heeft toegang');
    const r = await ib.tc.client.revoke(dossier, rik.userId);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('toegang-blijft');
      expect(r.error.message).toContain("'Team Schoolondersteuning'");
      expect(r.error.message).toContain('behandelaar');
    }
    expect(listed(rik.userId)).toBe(true);
  }, 60_000);
});
