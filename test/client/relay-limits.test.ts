// [P45] A refusal for load (rate limit, room limit) is retried and shown, never
// dropped. The client paces itself by the limits the relay announces; here a
// proxy announces limits ten times higher than the real relay enforces, so the
// relay really refuses. Every change still arrives, every room still syncs, and
// the client says that it was held back. Real relay on 127.0.0.1 behind the proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../sync-server/config.js';
import { startRelay, type RunningRelay } from '../../sync-server/main.js';
import { silentLogger } from '../../sync-server/log.js';
import { buildWorld, eventually, removeDir, type Member, type TestClient } from '../sync/harness.js';
import { startLimitsProxy, type LimitsProxy } from '../sync/limits-proxy.js';
import { LEERLING } from './dossier-world.js';
import type { DossierId } from '../../core/model/ids.js';

let proxy: LimitsProxy;
let relay: RunningRelay;
let dir: string;
let beheerder: TestClient;
let ilse: Member, sanne: Member;

beforeAll(async () => {
  proxy = await startLimitsProxy({ recordsPerSecond: 400, openRooms: 40 });
  dir = await mkdtemp(join(tmpdir(), 'kk-relay-'));
  const cfg = parseConfig([
    '--port',
    '0',
    '--data',
    dir,
    '--allow-swv-registration',
    '--origin',
    proxy.url,
    '--records-per-second',
    '40',
    '--open-rooms',
    '2',
  ]);
  if (!cfg.ok) throw new Error(cfg.error.message);
  relay = await startRelay(cfg.value, silentLogger);
  proxy.target = relay.url;
  const world = await buildWorld(proxy.url, [
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
  ]);
  beheerder = world.beheerder;
  [ilse, sanne] = world.members as [Member, Member];
}, 300_000);

afterAll(async () => {
  for (const c of [ilse?.tc, sanne?.tc, beheerder]) await c?.client.close();
  await proxy?.close();
  await relay?.stop();
  if (dir) await removeDir(dir);
});

describe('refusals for load are retried and shown [P45]', () => {
  it('a burst of writes beyond the real rate limit all arrive, and a device with more rooms than the room limit syncs them all', async () => {
    const c = ilse.tc.client;
    // Sanne is offline meanwhile: coming back, she has 4 dossiers × ≥ 5 rooms to fetch at once.
    sanne.tc.client.setOnline(false);
    const dossiers: DossierId[] = [];
    for (let i = 0; i < 4; i++) {
      const d = await c.createDossier({ ...LEERLING, voornaam: `Kind${i}` });
      if (!d.ok) throw new Error(d.error.message);
      dossiers.push(d.value);
      const hv = await c.createHulpvraag(d.value, { titel: 'TLV VSO', omschrijving: 'Aanvraag' });
      if (!hv.ok) throw new Error(hv.error.message);
    }
    // 200 changes at once: far more than the relay's 40/s (burst 80) that the client was told was 400/s.
    const first = dossiers[0]!;
    c.setOnline(false);
    const writes = await Promise.all(Array.from({ length: 200 }, (_, i) => c.setNotities(first, `notitie ${i}`)));
    expect(writes.every((w) => w.ok)).toBe(true);
    // Back online with 200 sealed changes in the outbox, sent as fast as the client thinks it may.
    c.setOnline(true);
    const flushed = await c.flush(120_000);
    expect(flushed.ok).toBe(true);
    expect(proxy.refusals.get('limiet-overschreden') ?? 0).toBeGreaterThan(0);
    // The refused appends were sent again (and counted, so support can see it), not dropped.
    expect((c.diagnostics() as { retriedWrites?: number }).retriedWrites ?? 0).toBeGreaterThan(0);

    // Sanne follows 4 dossiers × ≥ 5 rooms with a real limit of 2 rooms (she was told 40).
    const s = sanne.tc.client;
    s.setOnline(true);

    await eventually(
      async () => {
        await s.tick();
        const list = await s.listHulpvragen();
        // The hulpvragen list and each leerling room arrive separately, two rooms at a time:
        // wait for both rather than assume one implies the other.
        return list.ok && list.value.length === dossiers.length && dossiers.every((d) => s.getLeerling(d).ok);
      },
      'alle hulpvragen en leerlingen bij Sanne',
      120_000,
    );

    for (const d of dossiers) expect(s.getLeerling(d).ok).toBe(true);
    expect((s.diagnostics() as { retriedRefusals?: number }).retriedRefusals ?? 0).toBeGreaterThan(0);
    await eventually(() => s.syncState().behind === 0, 'niets meer achter', 60_000);
  }, 300_000);
});
