// [R115, P52] The access log's "geopend" is reported by the client that opens a
// dossier: a modified client leaves it out. The relay notes what it serves to
// which device anyway, and the FG reads that beside the self-reported log. Here
// a second IB's device fetches and decrypts the leerling without ever reporting
// it; the FG still sees that her device received it. Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId } from '../../core/model/ids.js';
import type { ServedLogRow } from '../../core/client/api.js';
import { eventually, type Member } from '../sync/harness.js';
import { fileHulpvraag, LEERLING, startWorld, type World } from './dossier-world.js';

let world: World;
let ilse: Member, sanne: Member, fg: Member, otto: Member;
let dossier: DossierId;

beforeAll(async () => {
  world = await startWorld([
    { naam: 'Ilse Bakker', functie: 'intern begeleider', organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] },
    { naam: 'Sanne Smit', functie: 'intern begeleider', organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] },
    { naam: 'Fien Gerritsen', functie: 'functionaris gegevensbescherming', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['privacy-officer'] },
    { naam: 'Otto Veen', functie: 'intern begeleider', organisation: { naam: 'CBS Het Anker', kind: 'school' }, roles: ['intern-begeleider'] },
  ]);
  [ilse, sanne, fg, otto] = world.members as [Member, Member, Member, Member];
  ({ dossier } = await fileHulpvraag(ilse, 'TLV VSO', 'Lopende aanvraag'));
  await ilse.tc.client.openDossier(dossier);
  expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('what the relay served is evidence the client cannot withhold [R115]', () => {
  it('a device that decrypts the leerling without reporting "geopend" still shows in the FG’s served log', async () => {
    const s = sanne.tc.client;
    // Sanne's device syncs in the background and reads the leerling, and never calls openDossier: no "geopend" from her.
    await eventually(async () => {
      await s.tick();
      const l = s.getLeerling(dossier);
      return l.ok && l.value.achternaam === LEERLING.achternaam;
    }, 'Sanne leest de leerling', 60_000);

    let rows: readonly ServedLogRow[] = [];
    await eventually(async () => {
      await fg.tc.client.tick();
      const r = await fg.tc.client.servedLog(dossier);
      rows = r.ok ? r.value : [];
      return rows.some((x) => x.userId === sanne.userId && x.onderdeel === 'leerling' && x.aantal > 0);
    }, 'FG ziet wat Sanne ontving', 30_000);

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
    const conn = (otto.tc.client as unknown as { core: { conn: { servedLog(d: string): Promise<{ ok: boolean; error?: { code: string } }> } } }).core.conn;
    const direct = await conn.servedLog(dossier);
    expect(direct.ok).toBe(false);
    expect(direct.error?.code).toMatch(/geen-leesrecht|dossier-onbekend|toegang/);
    const own = await otto.tc.client.createDossier({ ...LEERLING, voornaam: 'Anker' });
    expect(own.ok).toBe(true);
  }, 60_000);
});
