// "Personal data only in the leerling tab", per part of the dossier: every client write of free text
// asks one table (core/privacy/scope.ts scopeNeedsPrivacyCheck) through DossierSession.checkFreeText
// (core/client/dossier-session.ts). Parts others read refuse the leerling's name; the leerling tab and
// one's own notities (only the author reads them) take it. Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId, HulpvraagId, UserId } from '../../core/model/ids.js';
import type { Member } from '../sync/harness.js';
import { fileHulpvraag, startWorld, TWO_IBS, type World } from './dossier-world.js';

let world: World;
let ilse: Member, sanne: Member;
let dossier: DossierId;
let hv: HulpvraagId;

beforeAll(async () => {
  world = await startWorld(TWO_IBS);
  [ilse, sanne] = world.members as [Member, Member];
  ({ dossier, hv } = await fileHulpvraag(ilse));
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const code = (r: { ok: boolean; error?: { code: string } }): string => (r.ok ? 'ok' : (r.error?.code ?? '?'));
const NAAM = 'Fenna Kwartel';

describe('personal data per part of the dossier', () => {
  it('refuses the leerling in the reason of a grant or a revocation, which everyone in the toegang list reads', async () => {
    const c = ilse.tc.client;
    const sanneId = sanne.tc.client.me()?.userId as UserId;
    const grant = { userId: sanneId, scopes: [`hulpvraag:${hv}` as const], rights: ['read' as const], expiresAt: null };
    expect(code(await c.grant(dossier, { ...grant, reden: `Meekijken bij ${NAAM}` }))).toBe('persoonsgegevens');
    expect(code(await c.grant(dossier, { ...grant, reden: 'Meekijken bij de aanvraag' }))).toBe('ok');
    expect(code(await c.revoke(dossier, sanneId, `Niet meer nodig voor ${NAAM}`))).toBe('persoonsgegevens');
    // Sanne, IB of the same school, keeps her access through the process: the revocation is partial, not refused.
    expect(['ok', 'toegang-deels-ingetrokken']).toContain(code(await c.revoke(dossier, sanneId, 'Niet meer nodig')));
  });

  it('refuses the leerling in a hulpvraag and in an overlegronde, and takes it in the leerling tab and in one’s own notities', async () => {
    const c = ilse.tc.client;
    expect(code(await c.updateHulpvraag(dossier, hv, { omschrijving: `${NAAM} leest moeizaam` }))).toBe('persoonsgegevens');
    const eind = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const ronde = await c.startOverlegronde(dossier, hv, {
      titel: 'Overleg',
      omschrijving: `Over ${NAAM}`,
      einddatum: eind,
      deelnemers: [],
    });
    expect(code(ronde)).toBe('persoonsgegevens');
    expect(code(await c.setNotities(dossier, `Gesprek met de ouders van ${NAAM} op dinsdag`))).toBe('ok');
    expect(c.getNotities(dossier)).toEqual({ ok: true, value: `Gesprek met de ouders van ${NAAM} op dinsdag` });
    expect(code(await c.updateLeerling(dossier, { roepnaam: 'Fen' }))).toBe('ok');
  });
});
