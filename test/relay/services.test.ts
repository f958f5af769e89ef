// SWV registration, invitation mailboxes, limits and content-free
// notifications (with a real local SMTP server), against the production relay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { asId, type DossierId } from '../../core/model/ids.js';
import { encodeEnvelope } from '../../core/crypto/envelope.js';
import { genesisGrants } from '../../core/access/genesis.js';
import { registerSwvMessage } from '../../core/sync/protocol-signing.js';
import { encodeClientMessage } from '../../core/sync/protocol-codec.js';
import { MAIL_SUBJECT } from '../../sync-server/notifier.js';
import { parseConfig } from '../../sync-server/config.js';
import { deleteDossiers } from '../../sync-server/main.js';
import { silentLogger } from '../../sync-server/log.js';
import { DossierHarness, makeMember, makeOrg, makeSwv, makeWorld, provider, type World } from '../access/fixtures.js';
import { TestClient, append, codeOf, login, roomId, seal, startTestRelay } from './helpers.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

describe('SWV registration [P20]', () => {
  it('[P20] a newcomer registers a new SWV root with proof of possession and its devices can log in', async () => {
    const relay = await startTestRelay(undefined, ['--allow-swv-registration']);
    try {
      const swv = await makeSwv('swv-nieuw-01');
      const member = await makeMember(swv, await makeOrg(swv, 'brin-55aa', 'Nieuwe school', 'school'), 'u-nieuw', ['intern-begeleider']);
      const c = await TestClient.open(relay.url);
      c.send({
        type: 'register-swv',
        swvId: swv.id,
        rootPublicKey: swv.root.publicKey,
        proof: await provider.ed25519Sign(swv.root.secretKey, registerSwvMessage(swv.id, swv.root.publicKey)),
      });
      expect(await c.wait('done')).toEqual({ type: 'done', of: 'register-swv' });
      const logged = await login(relay.url, member);
      logged.close();

      // Another key for the same id, or a proof by the wrong key, is refused.
      const other = await makeSwv('swv-nieuw-01');
      c.send({
        type: 'register-swv',
        swvId: other.id,
        rootPublicKey: other.root.publicKey,
        proof: await provider.ed25519Sign(other.root.secretKey, registerSwvMessage(other.id, other.root.publicKey)),
      });
      expect((await c.wait('error')).code).toBe('swv-bestaat-al');
      c.send({
        type: 'register-swv',
        swvId: 'swv-x',
        rootPublicKey: other.root.publicKey,
        proof: await provider.ed25519Sign(swv.root.secretKey, registerSwvMessage('swv-x', other.root.publicKey)),
      });
      expect((await c.wait('error')).code).toBe('bewijs-ongeldig');
      c.close();
    } finally {
      await relay.stop();
    }
  });

  it('[P20] the registered root survives a restart', async () => {
    const first = await startTestRelay(undefined, ['--allow-swv-registration']);
    const swv = await makeSwv('swv-blijft');
    const c = await TestClient.open(first.url);
    c.send({
      type: 'register-swv',
      swvId: swv.id,
      rootPublicKey: swv.root.publicKey,
      proof: await provider.ed25519Sign(swv.root.secretKey, registerSwvMessage(swv.id, swv.root.publicKey)),
    });
    await c.wait('done');
    c.close();
    await first.stop();
    const again = await startTestRelay(undefined, [], first.data);
    try {
      const member = await makeMember(swv, await makeOrg(swv, 'brin-66bb', 'School', 'school'), 'u-blijft', ['intern-begeleider']);
      (await login(again.url, member)).close();
    } finally {
      await again.stop();
    }
  });

  it('[P20][P29] without --allow-swv-registration the relay refuses it, also on 127.0.0.1', async () => {
    const relay = await startTestRelay(undefined);
    try {
      const swv = await makeSwv('swv-uit');
      const c = await TestClient.open(relay.url);
      c.send({
        type: 'register-swv',
        swvId: swv.id,
        rootPublicKey: swv.root.publicKey,
        proof: await provider.ed25519Sign(swv.root.secretKey, registerSwvMessage(swv.id, swv.root.publicKey)),
      });
      expect((await c.wait('error')).code).toBe('swv-registratie-uit');
      c.close();
    } finally {
      await relay.stop();
    }
  });
});

describe('invitation mailboxes [P21]', () => {
  it('[P21] anyone may put and get opaque ciphertext in a 32-byte mailbox before logging in', async () => {
    const relay = await startTestRelay(undefined);
    try {
      const box = provider.randomBytes(32);
      const c = await TestClient.open(relay.url);
      c.send({ type: 'mailbox-get', box });
      expect(await c.wait('mailbox')).toEqual({ type: 'mailbox', box, ciphertext: null });
      const ciphertext = provider.randomBytes(4000);
      c.send({ type: 'mailbox-put', box, ciphertext });
      await c.wait('done');
      const d = await TestClient.open(relay.url);
      d.send({ type: 'mailbox-get', box });
      expect((await d.wait('mailbox')).ciphertext).toEqual(ciphertext);
      // More than 16 KB does not fit the schema: refused and closed.
      d.sendRaw(encodeClientMessage({ type: 'mailbox-put', box, ciphertext: new Uint8Array(16 * 1024 + 1) }));
      expect((await d.wait('error')).code).toBe('bericht-ongeldig');
      c.close();
    } finally {
      await relay.stop();
    }
  });
});

describe('limits [P12]', () => {
  it('[P12] exceeding records per second, open rooms or frame size gets an error naming the limit; a client that keeps flooding is disconnected', async () => {
    const relay = await startTestRelay(w, ['--records-per-second', '5', '--open-rooms', '2', '--max-frame-bytes', '4096']);
    const h = new DossierHarness(w, asId<DossierId>('dos-limits'));
    try {
      let ib = await login(relay.url, w.ib);
      const genesis = await h.build('genesis', w.ib, { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']) }, new Date());
      expect(codeOf(await append(ib, `${h.dossier}/toegang`, encodeEnvelope(genesis)))).toBe('ack');
      await h.apply(genesis, new Date());
      const room = roomId(h, 'leerling');
      // Burst 2× the rate: 10 pass, the next ones are refused with the limit named, the connection stays.
      const envs = await Promise.all(Array.from({ length: 13 }, () => seal(h, w.ib, room, 'x')));
      const answers = await Promise.all(envs.map((e) => append(ib, room, e)));
      const refused = answers.filter((a) => a.type === 'error');
      expect(refused.length).toBeGreaterThan(0);
      expect(
        refused.every((a) => a.type === 'error' && a.code === 'limiet-overschreden' && a.limit === 'recordsPerSecond' && !a.fatal),
      ).toBe(true);

      // A client that keeps sending after being told is flooding and is disconnected.
      const flooder = await login(relay.url, w.coo);
      const more = await Promise.all(Array.from({ length: 40 }, () => seal(h, w.coo, room, 'y')));
      for (const e of more) flooder.send({ type: 'append', ref: flooder.nextRef(), room, envelope: e });
      const last = await flooder.wait('error', (m) => m.fatal);
      expect([last.code, last.limit]).toEqual(['limiet-overschreden', 'recordsPerSecond']);
      expect(await flooder.closed).toBe(1008);

      ib.close();
      ib = await login(relay.url, w.ib);
      ib.send({ type: 'subscribe', room, afterSeq: 0 });
      ib.send({ type: 'subscribe', room: `${h.dossier}/toegang`, afterSeq: 0 });
      ib.send({ type: 'subscribe', room: `${h.dossier}/lvs:abc`, afterSeq: 0 });
      const e = await ib.wait('error', (m) => m.limit === 'openRooms');
      expect(e.code).toBe('limiet-overschreden');

      ib.sendRaw(new Uint8Array(5000));
      expect(await ib.closed).toBe(1009);
    } finally {
      await relay.stop();
    }
  });
});

describe('notifications [P18, P19]', () => {
  let smtp: SMTPServer;
  let smtpPort: number;
  const mails: { to: string[]; raw: string }[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    smtpPort = (smtp.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => smtp.close(() => r()));
  });

  it('[P19] a burst of notifications becomes one content-free e-mail per recipient, and the badge queue gets every item', async () => {
    const relay = await startTestRelay(w, ['--smtp-url', `smtp://127.0.0.1:${smtpPort}`, '--digest-seconds', '1']);
    const h = new DossierHarness(w, asId<DossierId>('dos-meld-4711'));
    try {
      const ib = await login(relay.url, w.ib);
      const genesis = await h.build(
        'genesis',
        w.ib,
        { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']), recipients: [w.coo.certificate] },
        new Date(),
      );
      expect(codeOf(await append(ib, `${h.dossier}/toegang`, encodeEnvelope(genesis)))).toBe('ack');
      await h.apply(genesis, new Date());
      const coo = await login(relay.url, w.coo);
      coo.send({ type: 'register-email', email: 'coo@school.example' });
      await coo.wait('done');
      const room = roomId(h, 'leerling');
      for (const kind of ['status', 'mention', 'overlegronde', 'einddatum', 'status'] as const) {
        ib.send({ type: 'notify', kind, room, recipients: [w.coo.userId] });
        await ib.wait('done');
      }
      // Pushed to the open connection of the recipient as they come.
      let items = 0;
      while (items < 5) items += (await coo.wait('notifications')).items.length;
      await new Promise((r) => setTimeout(r, 2500));
      const toCoo = mails.filter((m) => m.to.includes('coo@school.example'));
      expect(toCoo.length).toBe(1);
      const raw = toCoo[0]?.raw ?? '';
      expect(raw).toContain(MAIL_SUBJECT);
      for (const leak of [
        h.dossier,
        'leerling',
        w.coo.userId,
        w.ib.userId,
        w.coo.profile.achternaam,
        'OBS De Regenboog',
        'status',
        'mention',
      ])
        expect(raw).not.toContain(leak);

      // A recipient outside the dossier is refused.
      ib.send({ type: 'notify', kind: 'status', room, recipients: [w.ibB.userId] });
      expect((await ib.wait('error')).code).toBe('ontvanger-onbekend');
      ib.close();
      coo.close();
    } finally {
      await relay.stop();
    }
  });

  it('[P18] without SMTP notifications wait in the badge queue until the recipient pulls them', async () => {
    const relay = await startTestRelay(w);
    const h = new DossierHarness(w, asId<DossierId>('dos-badge'));
    try {
      const ib = await login(relay.url, w.ib);
      const genesis = await h.build(
        'genesis',
        w.ib,
        { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']), recipients: [w.coo.certificate] },
        new Date(),
      );
      await append(ib, `${h.dossier}/toegang`, encodeEnvelope(genesis));
      await h.apply(genesis, new Date());
      ib.send({ type: 'notify', kind: 'mention', room: roomId(h, 'leerling'), recipients: [w.coo.userId] });
      await ib.wait('done');
      const coo = await login(relay.url, w.coo);
      coo.send({ type: 'notifications-pull' });
      const n = await coo.wait('notifications');
      expect(n.items.map((i) => [i.kind, i.room])).toEqual([['mention', roomId(h, 'leerling')]]);
      coo.send({ type: 'notifications-pull' });
      expect((await coo.wait('notifications')).items).toEqual([]);
      ib.close();
      coo.close();
    } finally {
      await relay.stop();
    }
  });
});

describe('retention [P22]', () => {
  it('[P22] an operator deletes a dossier whose retention has ended by id; its rooms are gone after a restart', async () => {
    const first = await startTestRelay(w);
    const h = new DossierHarness(w, asId<DossierId>('dos-weg'));
    const ib = await login(first.url, w.ib);
    const genesis = await h.build('genesis', w.ib, { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']) }, new Date());
    await append(ib, `${h.dossier}/toegang`, encodeEnvelope(genesis));
    await h.apply(genesis, new Date());
    expect(codeOf(await append(ib, roomId(h, 'leerling'), await seal(h, w.ib, roomId(h, 'leerling'), 'weg')))).toBe('ack');
    ib.close();
    await first.stop();

    const config = parseConfig(['--data', first.data, '--delete-dossier', h.dossier]);
    if (!config.ok) throw new Error(config.error.message);
    await deleteDossiers(config.value, silentLogger);

    const again = await startTestRelay(w, [], first.data);
    try {
      const c = await login(again.url, w.ib);
      c.send({ type: 'subscribe', room: roomId(h, 'leerling'), afterSeq: 0 });
      expect((await c.wait('error')).code).toBe('dossier-onbekend');
      c.close();
    } finally {
      await again.stop();
    }
  });
});
