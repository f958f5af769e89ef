// The relay as a public service [P29]: the WebSocket upgrade is refused for a
// web page's Origin and beyond the per-IP connection limit, and /metrics and
// /readyz tell an operator how it is doing without naming any content.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { asId, type DossierId } from '../../core/model/ids.js';
import { encodeEnvelope } from '../../core/crypto/envelope.js';
import { genesisGrants } from '../../core/access/genesis.js';
import { DossierHarness, makeWorld, type World } from '../access/fixtures.js';
import { append, codeOf, login, roomId, seal, startTestRelay } from './helpers.js';
import { originAllowed } from '../../sync-server/ws-server.js';
import { createHash } from 'node:crypto';

type Started = Awaited<ReturnType<typeof startTestRelay>>;
let w: World;
let relay: Started;

/** Opens a raw WebSocket; resolves with 'open' or the HTTP status of the refused upgrade. */
function upgrade(url: string, headers: Record<string, string> = {}): Promise<{ status: number | 'open'; ws: WebSocket }> {
  const ws = new WebSocket(url, { headers });
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ status: 'open', ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, ws }));
    ws.once('error', () => undefined);
  });
}

beforeAll(async () => {
  w = await makeWorld();
  relay = await startTestRelay(w, ['--connections-per-ip', '3']);
});
afterAll(async () => {
  await relay.stop();
});

describe('the relay as a public service [P29]', () => {
  it("[P29] refuses the upgrade from a web page's origin; the extension and Node clients (no origin) get in", async () => {
    expect(originAllowed(undefined)).toBe(true);
    expect(originAllowed('chrome-extension://abcdefghijklmnopabcdefghijklmnop')).toBe(true);
    for (const bad of ['https://evil.example', 'null', 'http://127.0.0.1:8787', 'chrome-extension://abc', 'moz-extension://x'])
      expect(originAllowed(bad)).toBe(false);

    const web = await upgrade(relay.url, { Origin: 'https://evil.example' });
    expect(web.status).toBe(403);
    const ext = await upgrade(relay.url, { Origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' });
    expect(ext.status).toBe('open');
    ext.ws.close();
    const node = await upgrade(relay.url);
    expect(node.status).toBe('open');
    node.ws.close();
  });

  it('[P29] holds at most --connections-per-ip connections from one address; a closed one frees its place', async () => {
    // Earlier sockets of this file must be gone first.
    for (let i = 0; i < 100 && relay.relay.connectionCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
    const open = await Promise.all([1, 2, 3].map(() => upgrade(relay.url)));
    expect(open.map((o) => o.status)).toEqual(['open', 'open', 'open']);
    const fourth = await upgrade(relay.url);
    expect(fourth.status).toBe(429);
    const closed = new Promise((r) => open[0]?.ws.once('close', r));
    open[0]?.ws.close();
    await closed;
    let again: Awaited<ReturnType<typeof upgrade>> | undefined;
    // The server sees the close a moment after the client does.
    for (let i = 0; i < 50 && again?.status !== 'open'; i++) {
      again = await upgrade(relay.url);
      if (again.status !== 'open') await new Promise((r) => setTimeout(r, 20));
    }
    expect(again?.status).toBe('open');
    for (const o of [...open, again]) o?.ws.close();
  });

  it('[P29] /metrics counts appends, commits, refusals by code and refused upgrades; /readyz answers', async () => {
    for (let i = 0; i < 100 && relay.relay.connectionCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
    const h = new DossierHarness(w, asId<DossierId>('dos-metrics'));
    const ib = await login(relay.url, w.ib);
    const genesis = await h.build('genesis', w.ib, { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']) }, new Date());
    expect(codeOf(await append(ib, `${h.dossier}/toegang`, encodeEnvelope(genesis)))).toBe('ack');
    await h.apply(genesis, new Date());
    const room = roomId(h, 'leerling');
    for (let i = 0; i < 5; i++) expect(codeOf(await append(ib, room, await seal(h, w.ib, room, `MARKER-metrics-${i}`)))).toBe('ack');
    expect(codeOf(await append(ib, room, await seal(h, w.coo, room, 'niet van mij')))).toBe('auteur-onjuist');
    const http = relay.url.replace('ws://', 'http://');
    const text = await (await fetch(`${http}/metrics`)).text();
    const value = (line: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${line} `))
          ?.split(' ')[1],
      );
    expect(value('kindkluis_appended_records_total')).toBeGreaterThanOrEqual(6);
    expect(value('kindkluis_commits_total')).toBeGreaterThanOrEqual(1);
    expect(value('kindkluis_commit_seconds_count')).toBe(value('kindkluis_commits_total'));
    expect(value('kindkluis_refusals_total{code="auteur-onjuist"}')).toBe(1);
    expect(value('kindkluis_upgrades_refused_total{reason="origin"}')).toBe(1);
    expect(value('kindkluis_upgrades_refused_total{reason="ip-limiet"}')).toBeGreaterThanOrEqual(1);
    expect(value('kindkluis_connections')).toBe(1);
    expect(text).not.toContain('MARKER');
    expect(text).not.toContain(h.dossier);
    const ready = await fetch(`${http}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
    ib.close();
  });

  it('[P29] an SWV over its storage quota gets a Dutch refusal for records and attachments; nothing refused is stored; access records still pass', async () => {
    const small = await startTestRelay(w, ['--swv-quota-mb', '0.01']);
    try {
      const h = new DossierHarness(w, asId<DossierId>('dos-quota'));
      const ib = await login(small.url, w.ib);
      const genesis = await h.build('genesis', w.ib, { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']) }, new Date());
      expect(codeOf(await append(ib, `${h.dossier}/toegang`, encodeEnvelope(genesis)))).toBe('ack');
      await h.apply(genesis, new Date());
      const room = roomId(h, 'leerling');
      let acked = 0;
      let refusal: Awaited<ReturnType<typeof append>> | undefined;
      for (let i = 0; i < 40 && refusal === undefined; i++) {
        const m = await append(ib, room, await seal(h, w.ib, room, 'x'.repeat(1500)));
        if (m.type === 'ack') acked++;
        else refusal = m;
      }
      expect(acked).toBeGreaterThan(3);
      expect(refusal?.type === 'error' && refusal.code).toBe('opslag-vol');
      expect(refusal?.type === 'error' && refusal.message).toMatch(/opslagruimte van uw samenwerkingsverband/);
      expect((await small.relay.opts.storage.readRecords(room, 0, 1000, 1e9)).length).toBe(acked);
      const data = new Uint8Array(5000).fill(3);
      const ref = ib.nextRef();
      ib.send({ type: 'blob-put', ref, room, hash: new Uint8Array(createHash('sha256').update(data).digest()), data });
      const blob = await ib.answer(ref);
      expect(blob.type === 'error' && blob.code).toBe('opslag-vol');
      // A revocation or grant must never be blocked by a full store.
      const grant = await h.build(
        'grant',
        w.ib,
        {
          grants: [{ principal: { kind: 'user', userId: w.ggd.userId }, scope: 'leerling', right: 'read', expiresAt: null }],
          recipients: [w.ggd.certificate],
        },
        new Date(),
      );
      expect(codeOf(await append(ib, `${h.dossier}/toegang`, encodeEnvelope(grant)))).toBe('ack');
      ib.close();
    } finally {
      await small.stop();
    }
  });
});
