// A stolen device, with its keystore unlocked (an open session, a known
// passphrase). Ilse has two devices, each with its own keys and its own
// certificate from the SWV (R145): her school laptop and a laptop at home that
// the beheerder linked with a code and a controlecode (R148). The home laptop
// is stolen; she revokes it from the school laptop. The thief then holds
// everything that laptop held, and a relay that hands over every stored
// record. Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBodySchema, issueDeviceRevocation } from '../../core/access/certificate.js';
import { applyAccessRecord } from '../../core/access/apply-record.js';
import { buildAccessRecord } from '../../core/access/build-record.js';
import { encodeDeviceChain, type DeviceChain } from '../../core/access/device-chain.js';
import { keyHex, currentEpoch } from '../../core/access/dossier-access.js';
import { unlockKeyring, type Keyring } from '../../core/access/keyring.js';
import { roomOf } from '../../core/access/rooms.js';
import { SIGNING_CONTEXT, signBody } from '../../core/access/signing.js';
import { deviceIdFromPublicKey } from '../../core/crypto/device-id.js';
import { decodeEnvelope, encodeEnvelope, openEnvelope } from '../../core/crypto/envelope.js';
import { asId, type DossierId, type HulpvraagId, type RoomId } from '../../core/model/ids.js';
import type { Identity } from '../../core/client/identity.js';
import { PROTOCOL_ERRORS } from '../../core/sync/protocol-errors.js';
import { RelayConnection } from '../../core/sync/relay-connection.js';
import { eventually, joinExtraDevice, startTestRelay, wsFactory, type Member, type TestClient } from '../sync/harness.js';
import { encodeRevocationRecord } from '../../core/access/device-revocation-record.js';
import { fileHulpvraag, internals, startWorld, TWO_IBS, type World } from './dossier-world.js';
import { submitAccess } from '../../core/client/client-rooms.js';

const MARKER = 'NA-DE-DIEFSTAL-7Q2';
let world: World;
let ilse: Member;
let thuis: TestClient;
let dossier: DossierId, hv: HulpvraagId;
/** What the thief took: the unlocked keystore and the keys the device had opened. */
let buit: { id: Identity; ring: Keyring };

beforeAll(async () => {
  world = await startWorld(TWO_IBS);
  [ilse] = world.members as [Member];
  ({ dossier, hv } = await fileHulpvraag(ilse));
  thuis = await joinExtraDevice(world.beheerder, world.relay.url, ilse.userId, 'een andere wachtwoordzin voor thuis');
  // Ilse's school laptop (an admin of the dossier) shares the keys with the home laptop's own certificate.
  await eventually(
    async () => {
      await ilse.tc.client.tick();
      await thuis.client.tick();
      return thuis.client.getHulpvraag(dossier, hv).ok;
    },
    'de laptop thuis leest het dossier',
    60_000,
  );
  const id = internals(thuis).id;
  const st = internals(thuis).dossiers.get(dossier);
  if (!id || !st) throw new Error('geen identiteit thuis');
  buit = { id, ring: st.keyring };
  // The thief keeps the laptop offline, so nothing it would learn from the relay spoils the loot.
  thuis.client.setOnline(false);
}, 180_000);

afterAll(async () => {
  await thuis?.client.close();
  await world?.close();
});

describe('a thief with a revoked device’s unlocked keystore [R145–R147]', () => {
  it('the two devices have their own keys: nothing of the school laptop is on the home laptop', () => {
    const school = internals(ilse.tc).id;
    if (!school) throw new Error('Ilse is vergrendeld');
    expect(buit.id.userId).toBe(school.userId);
    expect(keyHex(buit.id.userAgreement.publicKey)).not.toBe(keyHex(school.userAgreement.publicKey));
    expect(keyHex(buit.id.userSigning.publicKey)).not.toBe(keyHex(school.userSigning.publicKey));
    expect(buit.id.deviceId).not.toBe(school.deviceId);
    // Each device's certificate names its own device: the directory lists both under one person.
    expect(
      ilse.tc.client
        .devices()
        .map((d) => d.deviceId)
        .sort(),
    ).toEqual([school.deviceId, buit.id.deviceId].sort());
  });

  it('after the revocation nothing written opens with what the stolen laptop held', async () => {
    const revoked = await ilse.tc.client.revokeDevice(buit.id.deviceId);
    expect(revoked.ok && revoked.value.dossiers).toBe(1);
    expect((await ilse.tc.client.updateLeerling(dossier, { voornaam: MARKER })).ok).toBe(true);
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
    // The home laptop's key is no longer a holder of any current key, once the relay confirmed the rotation.
    const stolenKey = keyHex(buit.id.userAgreement.publicKey);
    const stale = () =>
      [...(internals(ilse.tc).dossiers.get(dossier)?.confirmed?.scopes.values() ?? [])]
        .filter((i) => currentEpoch(i)?.holders.includes(stolenKey))
        .map((i) => i.scope);
    await eventually(async () => {
      await ilse.tc.client.tick();
      return (await ilse.tc.client.flush(5_000)).ok && stale().length === 0;
    }, 'de gestolen laptop houdt geen actuele sleutel');
    const confirmed = internals(ilse.tc).dossiers.get(dossier)?.confirmed;
    if (!confirmed) throw new Error('geen bevestigde toegangslijst');

    // A relay that hands the thief every stored record of the leerling, and the whole access list.
    const room = roomOf(dossier, 'leerling');
    const stored = await world.relay.running.relay.opts.storage.readRecords(room, 0, 10_000, Number.MAX_SAFE_INTEGER);
    const ring = await unlockKeyring(internals(thuis).provider, confirmed, buit.id.userAgreement, buit.ring);
    const keys = [...(ring.get('leerling')?.values() ?? [])];
    expect(keys.length).toBeGreaterThan(0);
    const schoolRing = internals(ilse.tc).dossiers.get(dossier)?.keyring;
    let na = 0;
    for (const r of stored) {
      const env = decodeEnvelope(r.envelope);
      if (!env.ok || env.value.header.kind !== 'update') continue;
      const at = { room: asId<RoomId>(env.value.header.room), epoch: env.value.header.epoch };
      const schoolKey = schoolRing?.get('leerling')?.get(env.value.header.epoch);
      if (!schoolKey) continue;
      const opened = await openEnvelope(internals(ilse.tc).provider, env.value, { key: schoolKey, ...at });
      if (!opened.ok || !new TextDecoder().decode(opened.value).includes(MARKER)) continue;
      na++;
      // Ilse reads her change; the thief, with every key the stolen laptop had or can still open, does not.
      for (const key of keys) expect((await openEnvelope(internals(thuis).provider, env.value, { key, ...at })).ok).toBe(false);
    }
    expect(na).toBeGreaterThan(0);
  });

  it('the stolen key cannot certify a new device: the relay refuses the chain', async () => {
    const p = internals(thuis).provider;
    const nieuw = await p.ed25519KeyPair();
    // The thief signs a device certificate for a fresh key with the stolen laptop's certified key.
    const body = deviceBodySchema.parse({
      t: 'apparaat',
      v: 1,
      user: buit.id.userId,
      userSigningKey: buit.id.userSigning.publicKey,
      device: deviceIdFromPublicKey(nieuw.publicKey),
      validFrom: Date.now() - 60_000,
      validUntil: Date.now() + 3_600_000,
    });
    const device = { body, signature: await signBody(p, buit.id.userSigning.secretKey, SIGNING_CONTEXT.device, body) };
    const chain: DeviceChain = { organisation: buit.id.chain.organisation, user: buit.id.chain.user, device };
    const conn = new RelayConnection(world.relay.url, wsFactory, {
      provider: p,
      chainBytes: encodeDeviceChain(chain),
      deviceSecretKey: nieuw.secretKey,
    });
    const login = await conn.whenReady();
    conn.close();
    expect(login.ok ? 'ok' : login.error.message).toBe(PROTOCOL_ERRORS['certificaat-geweigerd']);
  });

  it('the stolen laptop cannot revoke the school laptop: its record, on the current head, is refused and the school laptop keeps working', async () => {
    const school = internals(ilse.tc).id;
    const confirmed = internals(ilse.tc).dossiers.get(dossier)?.confirmed;
    if (!school || !confirmed) throw new Error('Ilse is vergrendeld');
    const p = internals(thuis).provider;
    // The thief signs a revocation of the school laptop with the stolen key and builds the record on the
    // relay's current head (a relay that shows the thief the access list), as the stolen device.
    const revocation = await issueDeviceRevocation(p, buit.id.userSigning.secretKey, {
      swv: buit.id.swvId,
      user: buit.id.userId,
      device: school.deviceId,
      revokedAt: new Date(),
      by: 'gebruiker',
    });
    const attempt = (keyring: Keyring) =>
      buildAccessRecord(p, confirmed, {
        type: 'device-revocation',
        signer: { chain: buit.id.chain, deviceSecretKey: buit.id.device.secretKey },
        at: new Date(),
        counter: 9_000,
        keyring,
        change: { revocation: { revocation, userCertificate: buit.id.chain.user } },
      });
    // With what the laptop held it cannot even seal one: the access list's key was rotated past it.
    const own = await attempt(await unlockKeyring(p, confirmed, buit.id.userAgreement, buit.ring));
    expect(own.ok ? 'gebouwd' : own.error.code).toBe('sleutel-ontbreekt');
    // Worst case, the current key of the access list leaked to the thief: the signature is still refused.
    const built = await attempt(internals(ilse.tc).dossiers.get(dossier)?.keyring ?? new Map());
    if (!built.ok) throw new Error(built.error.message);
    // Every client refuses it…
    const applied = await applyAccessRecord(p, confirmed, built.value.envelope, buit.id.roots, new Date());
    expect(applied.ok ? 'ok' : applied.error.code).toBe('ingetrokken');
    // …and so does the relay.
    let answer: string | null = null;
    const conn = new RelayConnection(
      world.relay.url,
      wsFactory,
      { provider: p, chainBytes: buit.id.publicChainBytes, deviceSecretKey: buit.id.device.secretKey },
      {
        onAck: () => (answer = 'opgeslagen'),
        onRefused: (_ref, code) => (answer = code),
      },
    );
    const login = await conn.whenReady();
    if (login.ok) {
      conn.append(1, roomOf(dossier, 'toegang'), encodeEnvelope(built.value.envelope));
      await eventually(async () => answer !== null, 'de relay antwoordt');
    }
    conn.close();
    expect(answer ?? 'niet-aangemeld').not.toBe('opgeslagen');
    await eventually(async () => {
      await ilse.tc.client.tick();
      return (await ilse.tc.client.flush(5_000)).ok;
    }, 'de schoollaptop is bij');
    const after = internals(ilse.tc).dossiers.get(dossier)?.confirmed;
    expect([...(after?.revocations.keys() ?? [])].some((k) => k.endsWith(`|${school.deviceId}`))).toBe(false);
    expect((await ilse.tc.client.updateLeerling(dossier, { voornaam: 'Fenna' })).ok).toBe(true);
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
  });

  it('[R149] the revoked laptop logs in nowhere, and gets no key in a dossier made after the revocation, not even from an admin device that offers it one', async () => {
    const p = internals(thuis).provider;
    const conn = new RelayConnection(world.relay.url, wsFactory, {
      provider: p,
      chainBytes: buit.id.publicChainBytes,
      deviceSecretKey: buit.id.device.secretKey,
    });
    const login = await conn.whenReady();
    conn.close();
    expect(login.ok ? 'ok' : login.error.message).toBe(PROTOCOL_ERRORS['apparaat-ingetrokken']);
    // The honest Kindkluis on the laptop, once online again, is refused and deletes what it holds.
    thuis.client.setOnline(true);
    await eventually(
      async () => !thuis.client.getLeerling(dossier).ok && (await internals(thuis).store.dossierIds()).length === 0,
      'de ingetrokken laptop wist het dossier',
      30_000,
    );
    expect(thuis.client.syncState().connected).toBe(false);
    const stolenKey = keyHex(buit.id.userAgreement.publicKey);
    const nieuw = await fileHulpvraag(ilse, 'TLV VSO', 'Aanvraag na de diefstal');
    for (let i = 0; i < 3; i++) {
      await ilse.tc.client.tick();
      expect((await ilse.tc.client.flush(10_000)).ok).toBe(true);
    }
    const core = internals(ilse.tc);
    const recipients = () => [...(core.dossiers.get(nieuw.dossier)?.confirmed?.recipients.keys() ?? [])];
    expect(recipients().length).toBeGreaterThan(0);
    expect(recipients()).not.toContain(stolenKey);
    // A device that did not hear of the revocation offers the stolen laptop's certificate anyway: the relay refuses the record.
    const st = core.dossiers.get(nieuw.dossier);
    if (!st) throw new Error('geen dossier');
    await submitAccess(core, st, nieuw.dossier, 'grant', {
      grants: [],
      recipients: [buit.id.chain.user],
      reason: 'Sleutels voor nieuwe collega’s',
    });
    await ilse.tc.client.flush(10_000);
    await eventually(async () => {
      await ilse.tc.client.tick();
      return (await ilse.tc.client.flush(5_000)).ok;
    }, 'Ilse is bij');
    expect(recipients()).not.toContain(stolenKey);
  });

  it('[R149] the register refuses a malformed revocation, and one signed by the revoked laptop, and keeps what it holds across a restart', async () => {
    const core = internals(ilse.tc);
    const conn = core.relay.conn;
    const school = core.id;
    if (!conn?.ready || !school) throw new Error('Ilse is niet verbonden');
    const before = await conn.revokedDevices();
    expect(before.ok && before.value.length).toBe(1);
    const kapot = await conn.revokeDevice(new Uint8Array([1, 2, 3]));
    expect(kapot.ok ? 'ok' : kapot.error.code).toBe('intrekking-ongeldig');
    // The stolen laptop's key signs a revocation of the school laptop; an honest connection hands it in.
    const p = internals(thuis).provider;
    const terug = await issueDeviceRevocation(p, buit.id.userSigning.secretKey, {
      swv: buit.id.swvId,
      user: buit.id.userId,
      device: school.deviceId,
      revokedAt: new Date(),
      by: 'gebruiker',
    });
    const r = await conn.revokeDevice(encodeRevocationRecord({ revocation: terug, userCertificate: buit.id.chain.user }));
    expect(r.ok ? 'ok' : r.error.code).toBe('intrekking-ongeldig');
    const after = await conn.revokedDevices();
    expect(after.ok && after.value.length).toBe(1);
    expect(ilse.tc.client.syncState().connected).toBe(true);
    // A restarted relay on the same files still refuses the stolen laptop.
    const dataDir = world.relay.dataDir;
    await world.relay.running.stop();
    const again = await startTestRelay(dataDir);
    try {
      const c2 = new RelayConnection(again.url, wsFactory, {
        provider: p,
        chainBytes: buit.id.publicChainBytes,
        deviceSecretKey: buit.id.device.secretKey,
      });
      const login = await c2.whenReady();
      c2.close();
      expect(login.ok ? 'ok' : login.error.message).toBe(PROTOCOL_ERRORS['apparaat-ingetrokken']);
    } finally {
      await again.stop();
    }
  });
});
