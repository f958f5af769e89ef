// The TLV volgnummer comes from the SWV's register on the relay [P71, R117],
// driven through the client API against a real relay on 127.0.0.1: two
// coördinatoren issuing at the same moment get their own numbers in order, a
// TLV is not issued offline, only the SWV's office draws numbers, and a
// modified client that signs a number the register did not give to that
// hulpvraag is found out by every member of the SWV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent } from '../../core/client/client-hulpvragen.js';
import { tlvClaim } from '../../core/client/client-tlv-register.js';
import type { StatusEvent } from '../../core/model/status-event.js';
import { asId, type DossierId, type HulpvraagId, type StatusEventId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { TLV } from '../workflow/fixtures.js';
import { tlvEinddatum, tlvHerinneringsdatum } from '../../core/workflow/tlv.js';
import { DEFAULT_SWV_PROCESS_CONFIG } from '../../core/workflow/definition.js';
import { fileHulpvraag, internals, startWorld, type World } from './dossier-world.js';
import { BESTUUR, readyToSubmit } from './indienen-world.js';

let world: World;
/** Moves the clocks of the IB, the coördinatoren and the bestuur (for the reminder). */
let offsetMs = 0;
const klok = () => new Date(Date.now() + offsetMs);
const vandaag = new Date().toISOString().slice(0, 10);
/** A TLV from today for the shortest period, and one a school year longer (the others in this file). */
const KORT = { ...TLV, startdatum: vandaag, einddatum: tlvEinddatum(vandaag) };
const LANG = { ...TLV, startdatum: vandaag, einddatum: tlvEinddatum(vandaag, 2) };
let ilse: Member, cor: Member, dirk: Member;
const zaken: { dossier: DossierId; hv: HulpvraagId }[] = [];

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
      now: klok,
    },
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'], now: klok },
    { naam: 'Dirk Mulder', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
    { ...BESTUUR, now: klok },
  ]);
  let bestuur: Member;
  [ilse, cor, dirk, bestuur] = world.members as [Member, Member, Member, Member];
  for (let i = 0; i < 5; i++) {
    const zaak = await fileHulpvraag(ilse, 'TLV VSO', 'Aanvraag voor passend onderwijs');
    await readyToSubmit(ilse, bestuur, zaak.dossier, zaak.hv);
    const r = await ilse.tc.client.changeStatus(zaak.dossier, zaak.hv, 'TLV aanvraag indienen');
    if (!r.ok) throw new Error(r.error.message);
    zaken.push(zaak);
  }
  expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
  for (const m of [cor, dirk]) {
    await eventually(
      async () => {
        await m.tc.client.tick();
        for (const z of zaken) await m.tc.client.refreshViews(z.dossier);
        return zaken.every((z) => {
          const v = m.tc.client.getHulpvraag(z.dossier, z.hv);
          return v.ok && v.value.status === 'TLV aanvraag indienen';
        });
      },
      `${m.naam} ziet de ingediende aanvragen`,
      60_000,
    );
  }
}, 240_000);

afterAll(async () => {
  await world?.close();
});

const tlvVan = (m: Member, z: { dossier: DossierId; hv: HulpvraagId }) => {
  const v = m.tc.client.getHulpvraag(z.dossier, z.hv);
  return v.ok ? v.value.tlv : null;
};

async function zietTlv(m: Member, z: { dossier: DossierId; hv: HulpvraagId }): Promise<void> {
  await eventually(
    async () => {
      await m.tc.client.tick();
      await m.tc.client.refreshViews(z.dossier);
      return tlvVan(m, z) !== null;
    },
    `${m.naam} ziet de TLV`,
    30_000,
  );
}

describe('TLV volgnummer from the SWV register [R117]', () => {
  it('two coördinatoren issue a TLV at the same moment: each gets its own number, 1 and 2, whatever they typed; the IB sees both confirmed', async () => {
    const [a, b] = zaken as [(typeof zaken)[number], (typeof zaken)[number]];
    // Both pass number 42, as a typed number: the client ignores it and draws from the register.
    const getypt = { ...LANG, volgnummer: 42 };
    const [ra, rb] = await Promise.all([
      cor.tc.client.changeStatus(a.dossier, a.hv, 'TLV afgegeven', undefined, { tlv: getypt }),
      dirk.tc.client.changeStatus(b.dossier, b.hv, 'TLV afgegeven', undefined, { tlv: getypt }),
    ]);
    expect(ra.ok && rb.ok, !ra.ok ? ra.error.message : !rb.ok ? rb.error.message : '').toBe(true);
    expect([tlvVan(cor, a)?.volgnummer, tlvVan(dirk, b)?.volgnummer].sort()).toEqual([1, 2]);
    for (const m of [cor, dirk]) expect((await m.tc.client.flush(30_000)).ok).toBe(true);
    for (const z of [a, b]) {
      await zietTlv(ilse, z);
      expect(await ilse.tc.client.checkVolgnummer(z.dossier, z.hv)).toEqual({ ok: true, value: 'bevestigd' });
    }
  }, 120_000);

  it('offline a TLV is refused in Dutch and nothing changes; online it gets the next number', async () => {
    const c = zaken[2] as (typeof zaken)[number];
    cor.tc.client.setOnline(false);
    const offline = await cor.tc.client.changeStatus(c.dossier, c.hv, 'TLV afgegeven', undefined, { tlv: KORT });
    expect(offline.ok ? '' : offline.error.code).toBe('offline');
    expect(offline.ok ? '' : offline.error.message).toMatch(/register van het samenwerkingsverband/);
    const v = cor.tc.client.getHulpvraag(c.dossier, c.hv);
    expect(v.ok && v.value.status).toBe('TLV aanvraag indienen');
    cor.tc.client.setOnline(true);
    await eventually(
      async () => {
        const r = await cor.tc.client.changeStatus(c.dossier, c.hv, 'TLV afgegeven', undefined, { tlv: KORT });
        return (
          r.ok || (r.error.code !== 'offline' && r.error.code !== 'geen-verbinding' ? Promise.reject(new Error(r.error.message)) : false)
        );
      },
      'de TLV wordt afgegeven zodra er verbinding is',
      30_000,
    );
    expect(tlvVan(cor, c)?.volgnummer).toBe(3);
  }, 60_000);

  it('only the SWV office draws numbers; the same claim again gets the same number and uses none', async () => {
    const ib = internals(ilse.tc).relay.conn;
    const refused = await ib!.claimTlvNumber(new Uint8Array(32).fill(7));
    expect(refused.ok ? '' : refused.error.code).toBe('tlv-register-geweigerd');
    const conn = internals(cor.tc).relay.conn!;
    const claim = new Uint8Array(32).fill(9);
    const first = await conn.claimTlvNumber(claim);
    const again = await conn.claimTlvNumber(claim);
    expect(first).toEqual({ ok: true, value: { volgnummer: 4, at: expect.any(Number), duplicate: false } });
    expect(again.ok && again.value).toMatchObject({ volgnummer: 4, duplicate: true });
    // Everyone of the SWV reads the register, and it names no hulpvraag.
    const page = await internals(ilse.tc).relay.conn!.tlvRegisterPage(0);
    expect(page.ok && page.value.entries.map((e) => e.volgnummer)).toEqual([1, 2, 3, 4]);
  }, 60_000);

  it("a modified client that signs a TLV with a number it typed, or with another TLV's number and proof, is found out by every member", async () => {
    const [a, , , d] = zaken as [(typeof zaken)[number], (typeof zaken)[number], (typeof zaken)[number], (typeof zaken)[number]];
    const core = internals(cor.tc);
    const st = core.dossiers.get(d.dossier)!;
    // Cor's client skips the register and copies hulpvraag a's number and proof onto hulpvraag d.
    const kopie = tlvVan(cor, a)!;
    expect(tlvClaim(d.hv, kopie.bewijs!)).not.toEqual(tlvClaim(a.hv, kopie.bewijs!));
    const event = {
      kind: 'status-change',
      id: asId<StatusEventId>('vervalst-1'),
      at: core.now().toISOString(),
      from: 'TLV aanvraag indienen',
      to: 'TLV afgegeven',
      tlv: { ...LANG, volgnummer: kopie.volgnummer, bewijs: kopie.bewijs },
    } as StatusEvent;
    expect((await appendEvent(core, st, d.hv, event, [], 'TLV afgegeven')).ok).toBe(true);
    expect((await cor.tc.client.flush(30_000)).ok).toBe(true);
    await zietTlv(ilse, d);
    expect(tlvVan(ilse, d)?.volgnummer).toBe(kopie.volgnummer);
    expect(await ilse.tc.client.checkVolgnummer(d.dossier, d.hv)).toEqual({ ok: true, value: 'afwijkend' });
    await zietTlv(dirk, d);
    expect(await dirk.tc.client.checkVolgnummer(d.dossier, d.hv)).toEqual({ ok: true, value: 'afwijkend' });
    // A number typed without any proof is not confirmed either.
    const e = zaken[4] as (typeof zaken)[number];
    const getypt = { ...event, id: asId<StatusEventId>('vervalst-2'), tlv: { ...LANG, volgnummer: 5 } } as StatusEvent;
    expect((await appendEvent(core, core.dossiers.get(e.dossier)!, e.hv, getypt, [], 'TLV afgegeven')).ok).toBe(true);
    expect((await cor.tc.client.flush(30_000)).ok).toBe(true);
    await zietTlv(ilse, e);
    expect(await ilse.tc.client.checkVolgnummer(e.dossier, e.hv)).toEqual({ ok: true, value: 'afwijkend' });
    // The honest TLV a keeps its confirmation.
    expect(await ilse.tc.client.checkVolgnummer(a.dossier, a.hv)).toEqual({ ok: true, value: 'bevestigd' });
  }, 90_000);
});

describe('"TLV loopt af": the school and the coördinator are reminded half a year before the end [issue 17]', () => {
  it('shows from the reminder day until the end, to the IB and the coördinatoren, never to the bestuur; nothing is sent', async () => {
    const c = zaken[2] as (typeof zaken)[number];
    await zietTlv(ilse, c);
    const bestuur = world.members[3] as Member;
    await zietTlv(bestuur, c);
    const vanaf = tlvHerinneringsdatum(KORT, DEFAULT_SWV_PROCESS_CONFIG);
    const dag = 86_400_000;
    const herinneringen = (m: Member) => m.tc.client.tlvHerinneringen().filter((h) => h.hulpvraagId === c.hv);
    try {
      offsetMs = Date.parse(`${vanaf}T12:00:00Z`) - Date.now() - dag;
      expect(herinneringen(ilse)).toEqual([]);
      offsetMs += dag;
      expect(herinneringen(ilse)).toEqual([
        { dossierId: c.dossier, hulpvraagId: c.hv, titel: 'TLV VSO', volgnummer: 3, einddatum: KORT.einddatum, vanaf },
      ]);
      expect(herinneringen(cor)).toHaveLength(1);
      expect(herinneringen(bestuur)).toEqual([]);
      // The longer TLVs (ending a school year later) do not show yet.
      expect(ilse.tc.client.tlvHerinneringen().map((h) => h.hulpvraagId)).toEqual([c.hv]);
      offsetMs = Date.parse(`${KORT.einddatum}T12:00:00Z`) - Date.now() + dag;
      expect(herinneringen(ilse)).toEqual([]);
    } finally {
      offsetMs = 0;
    }
  }, 60_000);
});
