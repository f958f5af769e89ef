// The e-mail digest queue lives in the store, not in a relay's memory [P19]:
// a digest queued before a relay is killed is still sent after it starts
// again (lmdb and PostgreSQL), and two relays on one PostgreSQL send one mail
// per user per window, never one each. Real relays, a real local SMTP server.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { asId, type DossierId } from '../../core/model/ids.js';
import { encodeEnvelope } from '../../core/crypto/envelope.js';
import { genesisGrants } from '../../core/access/genesis.js';
import { DossierHarness, makeWorld, type World } from '../access/fixtures.js';
import { append, codeOf, login, roomId, startTestRelay, tempDir } from './helpers.js';
import { spawnRelay } from './child-relay.js';
import { createTestDatabase } from './pg-cluster.js';

let w: World;
let smtp: SMTPServer;
let smtpPort: number;
const mails: { to: string[] }[] = [];
const dbs: { drop: () => Promise<void> }[] = [];

beforeAll(async () => {
  w = await makeWorld();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
  for (const db of dbs) await db.drop();
});

async function newDatabase(): Promise<string> {
  const db = await createTestDatabase(inject('pgUrl'));
  dbs.push(db);
  return db.url;
}

const mailsTo = (address: string) => mails.filter((m) => m.to.includes(address)).length;

/** Waits until `address` got a mail (or 20 s passed), then a few more poll periods, and returns how many it got. */
async function settledMailsTo(address: string): Promise<number> {
  const deadline = Date.now() + 20_000;
  while (mailsTo(address) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 2000));
  return mailsTo(address);
}

/** On the relay at `url`: a dossier with the coördinator as a member, whose address is `email`; returns a notify function. */
async function dossierWithRecipient(url: string, dossier: string, email: string) {
  const h = new DossierHarness(w, asId<DossierId>(dossier));
  const ib = await login(url, w.ib);
  const genesis = await h.build(
    'genesis',
    w.ib,
    { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']), recipients: [w.coo.certificate] },
    new Date(),
  );
  expect(codeOf(await append(ib, `${h.dossier}/toegang`, encodeEnvelope(genesis)))).toBe('ack');
  await h.apply(genesis, new Date());
  const coo = await login(url, w.coo);
  coo.send({ type: 'register-email', email });
  await coo.wait('done');
  coo.close();
  ib.close();
  return { room: roomId(h, 'leerling') };
}

async function notifyCoo(url: string, room: string): Promise<void> {
  const ib = await login(url, w.ib);
  ib.send({ type: 'notify', kind: 'status', room, recipients: [w.coo.userId] });
  await ib.wait('done');
  ib.close();
}

describe('e-mail digests in the store [P19]', () => {
  for (const store of ['lmdb', 'postgres'] as const) {
    it(`[P19] a digest queued before the relay is killed (SIGKILL) is sent once after it starts again (${store})`, async () => {
      const email = `herstart-${store}@school.example`;
      const data = tempDir('kk-digest-');
      const args = [
        ...(store === 'postgres' ? ['--store', await newDatabase()] : []),
        '--smtp-url',
        `smtp://127.0.0.1:${smtpPort}`,
        '--digest-seconds',
        '3',
      ];
      const first = await spawnRelay(w, data, args);
      try {
        const { room } = await dossierWithRecipient(first.url, `dos-herstart-${store}`, email);
        await notifyCoo(first.url, room);
      } finally {
        first.proc.kill('SIGKILL');
        await first.exited;
      }
      const again = await spawnRelay(w, data, args);
      try {
        expect(await settledMailsTo(email)).toBe(1);
      } finally {
        again.proc.kill('SIGTERM');
        await again.exited;
      }
    });
  }

  it('[P19][P27] two relays on one PostgreSQL send one mail per user per window, not one each', async () => {
    const db = await newDatabase();
    const email = 'twee-relays@school.example';
    const common = ['--store', db, '--smtp-url', `smtp://127.0.0.1:${smtpPort}`, '--digest-seconds', '3'];
    const a = await startTestRelay(w, common);
    const b = await startTestRelay(w, common);
    try {
      const { room } = await dossierWithRecipient(a.url, 'dos-twee-relays', email);
      // Both relays hear of something new for the same user within one window.
      await notifyCoo(a.url, room);
      await notifyCoo(b.url, room);
      await notifyCoo(a.url, room);
      expect(await settledMailsTo(email)).toBe(1);
      // The next notification opens a new window: one more mail, again only one.
      await notifyCoo(b.url, room);
      await notifyCoo(a.url, room);
      const deadline = Date.now() + 20_000;
      while (mailsTo(email) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 2000));
      expect(mailsTo(email)).toBe(2);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
