// The client side of several relays [P28]: a client given two relay addresses
// on one PostgreSQL keeps working when its relay goes away. It reconnects to
// the other, sends what was not acknowledged, and a member on the other relay
// sees every change, once.
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../sync-server/config.js';
import { startRelay, type RunningRelay } from '../../sync-server/main.js';
import { silentLogger } from '../../sync-server/log.js';
import { relayAddressAt } from '../../core/sync/relay-addresses.js';
import { buildWorld, eventually } from '../sync/harness.js';
import { databaseFor } from './relay-store.js';
import { tempDir } from './helpers.js';

const running: RunningRelay[] = [];
afterAll(async () => {
  for (const r of running.splice(0)) await r.stop().catch(() => undefined);
});

async function relayOn(db: string): Promise<RunningRelay> {
  const cfg = parseConfig(['--port', '0', '--data', tempDir(), '--store', db, '--allow-swv-registration']);
  if (!cfg.ok) throw new Error(cfg.error.message);
  const r = await startRelay(cfg.value, silentLogger);
  running.push(r);
  return r;
}

describe('relay addresses [P28]', () => {
  it('reads a list separated by commas or spaces and goes round it', () => {
    expect([0, 1, 2].map((i) => relayAddressAt('wss://a.example, wss://b.example  wss://c.example', i))).toEqual([
      'wss://a.example',
      'wss://b.example',
      'wss://c.example',
    ]);
    expect([0, 1, 2, 3].map((i) => relayAddressAt('wss://a.example,wss://b.example', i))).toEqual([
      'wss://a.example',
      'wss://b.example',
      'wss://a.example',
      'wss://b.example',
    ]);
    expect(relayAddressAt('ws://127.0.0.1:8787', 5)).toBe('ws://127.0.0.1:8787');
  });

  it('a client whose relay stops moves to the other relay of the list and loses nothing', async () => {
    const db = await databaseFor(tempDir('kk-failover-db-'));
    const a = await relayOn(db);
    const b = await relayOn(db);
    // The IB knows both relays and starts on A; the coördinator knows only B.
    const { beheerder, members } = await buildWorld(`${a.url}, ${b.url}`, [
      { naam: 'Ilse Bakker', functie: 'IB', organisation: { naam: 'OBS Eik', kind: 'school' }, roles: ['intern-begeleider'] },
      { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV', kind: 'swv' }, roles: ['swv-coordinator', 'swv-loket'] },
    ]);
    const [ib, coo] = members as [(typeof members)[0], (typeof members)[0]];
    await coo.tc.client.setRelay(b.url);
    const d = await ib.tc.client.createDossier({
      voornaam: 'Noor',
      achternaam: 'Vermeulen',
      geboortedatum: '2013-01-01',
      adressen: [],
      ouders: [],
    });
    if (!d.ok) throw new Error(d.error.message);
    // Schakelvoorziening: indienen needs no signed form (002, R48); this test is about the relays.
    const h = await ib.tc.client.createHulpvraag(d.value, { titel: 'Schakelvoorziening', omschrijving: 'Voor de overstap' });
    if (!h.ok) throw new Error(h.error.message);
    expect((await ib.tc.client.changeStatus(d.value, h.value, 'SV aanvraag indienen')).ok).toBe(true);
    expect((await ib.tc.client.flush(15_000)).ok).toBe(true);
    await ib.tc.client.tick();
    expect((await ib.tc.client.flush(15_000)).ok).toBe(true);
    await eventually(async () => {
      await coo.tc.client.tick();
      const v = coo.tc.client.getHulpvraag(d.value, h.value);
      return v.ok && v.value.omschrijving === 'Voor de overstap';
    }, 'de coördinator op relay B ziet de hulpvraag die via relay A kwam');

    // Only the IB is left on A (the beheerder leaves, the coördinator moved to B): A's going away is felt.
    await beheerder.client.close();
    await eventually(() => a.relay.connectionCount === 1, 'alleen de IB is nog met relay A verbonden');
    // Relay A goes away; the IB's next edits reach B.
    await a.stop();
    for (const text of ['Na de overstap 1', 'Na de overstap 2'])
      expect((await ib.tc.client.updateHulpvraag(d.value, h.value, { omschrijving: text })).ok).toBe(true);
    expect((await ib.tc.client.flush(20_000)).ok).toBe(true);
    await eventually(async () => {
      await coo.tc.client.tick();
      const v = coo.tc.client.getHulpvraag(d.value, h.value);
      return v.ok && v.value.omschrijving === 'Na de overstap 2';
    }, 'de coördinator op relay B ziet de wijziging van na de overstap');
    for (const c of [ib.tc, coo.tc]) await c.client.close();
  }, 90_000);
});
