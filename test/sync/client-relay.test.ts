// The client against the real relay on 127.0.0.1: onboarding via the mailbox,
// a dossier, a hulpvraag whose status is derived from signed events, and sync.
import { describe, it, expect } from 'vitest';
import { useTestRelay, newClient, eventually, approveWhenRead, PASS, ROOT_PASS } from './harness.js';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';

const testRelay = useTestRelay();

describe('client with the real relay', () => {
  it('onboards an IB and a coördinator, files a hulpvraag and both see the same derived status', async () => {
    const relay = await testRelay();
    const beheer = await newClient(relay.url);
    const created = await beheer.client.createSwv({
      swvNaam: 'SWV Testregio',
      beheerder: { voornaam: 'Bea', achternaam: 'Beheer', functie: 'beheerder', organisatieNaam: 'SWV Testregio', email: 'bea@swv.test' },
      passphrase: PASS,
      rootPassphrase: ROOT_PASS,
    });
    expect(created.ok).toBe(true);
    const invIb = await beheer.client.createInvitation({
      profile: { voornaam: 'Ilse', achternaam: 'Begeleider', functie: 'IB', organisatieNaam: 'De Regenboog', email: 'ib@school.test' },
      organisation: { naam: 'De Regenboog', kind: 'school' },
      roles: ['intern-begeleider'],
    });
    const invCoo = await beheer.client.createInvitation({
      profile: { voornaam: 'Cor', achternaam: 'Dinator', functie: 'coördinator', organisatieNaam: 'SWV Testregio', email: 'cor@swv.test' },
      organisation: { naam: 'SWV Testregio', kind: 'swv' },
      roles: ['swv-coordinator', 'swv-loket'],
    });
    if (!invIb.ok || !invCoo.ok) throw new Error('uitnodiging mislukt');
    const ib = await newClient(relay.url);
    const coo = await newClient(relay.url);
    // Each invitee's screen shows a SAS; the beheerder approves each with what is read back [R100].
    const sas: (string | null)[] = [null, null];
    const done: boolean[] = [false, false];
    const joining = [
      ib.client.joinWithInvitation(invIb.value.code, PASS, undefined, (x) => (sas[0] = x)).finally(() => (done[0] = true)),
      coo.client.joinWithInvitation(invCoo.value.code, PASS, undefined, (x) => (sas[1] = x)).finally(() => (done[1] = true)),
    ];
    await Promise.all([
      approveWhenRead(
        beheer,
        invIb.value.userId,
        () => sas[0] ?? null,
        () => done[0] === true,
        'IB aangemeld',
      ),
      approveWhenRead(
        beheer,
        invCoo.value.userId,
        () => sas[1] ?? null,
        () => done[1] === true,
        'coördinator aangemeld',
      ),
    ]);
    const [jIb, jCoo] = await Promise.all(joining);
    expect(jIb?.ok, JSON.stringify(jIb)).toBe(true);
    expect(jCoo?.ok).toBe(true);
    for (const c of [ib, coo]) {
      await eventually(async () => {
        await c.client.tick();
        return c.client.directory().length === 3;
      }, 'ledenlijst compleet');
    }
    expect(
      ib.client
        .directory()
        .map((d) => d.profile.voornaam)
        .sort(),
    ).toEqual(['Bea', 'Cor', 'Ilse']);

    const dossier = await ib.client.createDossier({
      voornaam: 'Pim',
      achternaam: 'Proefkonijn',
      geboortedatum: '2012-05-01',
      adressen: [],
      ouders: [],
    });
    expect(dossier.ok, JSON.stringify(dossier)).toBe(true);
    const d = (dossier as { value: DossierId }).value;
    // Schakelvoorziening: indienen needs no signed form (002), so this test stays about sync alone [R48].
    const hv = await ib.client.createHulpvraag(d, { titel: 'Schakelvoorziening', omschrijving: 'Ondersteuningsbehoefte groot' });
    expect(hv.ok, JSON.stringify(hv)).toBe(true);
    const h = (hv as { value: HulpvraagId }).value;
    const options = ib.client.allowedTransitions(d, h);
    expect(options.ok && options.value.length > 0).toBe(true);
    const to = options.ok ? options.value.find((o) => o.to === 'SV aanvraag indienen')?.to : undefined;
    expect(to).toBe('SV aanvraag indienen');
    const changed = await ib.client.changeStatus(d, h, 'SV aanvraag indienen');
    expect(changed.ok, JSON.stringify(changed)).toBe(true);
    expect((await ib.client.flush(10_000)).ok).toBe(true);
    await ib.client.tick();
    expect((await ib.client.flush(10_000)).ok).toBe(true);

    await eventually(async () => {
      await coo.client.tick();
      await coo.client.refreshViews();
      const v = coo.client.getHulpvraag(d, h);
      return v.ok && v.value.status === 'SV aanvraag indienen';
    }, 'coördinator ziet de ingediende hulpvraag');
    const seen = coo.client.getHulpvraag(d, h);
    expect(seen.ok && seen.value.history.at(-1)?.actorNaam).toBe('Ilse Begeleider');
    // Awareness: sealed, forwarded by the relay, never stored.
    await coo.client.openDossier(d);
    await eventually(async () => {
      ib.client.setAwareness(d, { tab: 'hulpvraag', typing: true });
      await new Promise((r) => setTimeout(r, 100));
      return coo.client.awareness(d).some((a) => a.naam === 'Ilse Begeleider' && a.typing && a.tab === 'hulpvraag');
    }, 'coördinator ziet dat de IB typt');
    // Views open the dossier on every change: that is one opening in the access log, not one per call
    // (logging each call made two open dossiers log each other's log entries forever).
    for (let i = 0; i < 5; i++) await coo.client.openDossier(d);
    expect((await coo.client.flush(10_000)).ok).toBe(true);
    await eventually(async () => {
      await ib.client.tick();
      const log = ib.client.accessLog(d);
      return log.ok && log.value.some((e) => e.actor === coo.client.me()?.userId && e.action === 'geopend');
    }, 'de IB ziet dat de coördinator het dossier opende');
    const log = ib.client.accessLog(d);
    const byCoo = log.ok ? log.value.filter((e) => e.actor === coo.client.me()?.userId && e.action === 'geopend') : [];
    expect(byCoo).toHaveLength(1);
    const list = await ib.client.listHulpvragen();
    expect(list.ok && list.value[0]?.leerlingNaam).toBe('Pim Proefkonijn');
    for (const c of [beheer, ib, coo]) await c.client.close();
  });
});
