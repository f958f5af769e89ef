// Epoch keys, key boxes and rotation, proven with real envelopes: a removed or
// expired member cannot read what is written afterwards; everyone who stays or
// joins keeps the history.
import { describe, expect, it, beforeAll } from 'vitest';
import { asId, type DossierId, type RoomId } from '../../core/model/ids.js';
import { sealEnvelope, openEnvelope, type Envelope } from '../../core/crypto/envelope.js';
import { utf8Decode, utf8Encode, toHex } from '../../core/crypto/bytes.js';
import { applyAccessRecord } from '../../core/access/apply-record.js';
import { decodeAclPublicPart, encodeAclPublicPart, type AclPublicPart, type GrantSpec } from '../../core/access/acl-record.js';
import { openKeyBox, openPreviousKey } from '../../core/access/key-box.js';
import { keyringGet, unlockKeyring } from '../../core/access/keyring.js';
import { nextAccessDeadline, performDueRotations, rotationsDue } from '../../core/access/rotation.js';
import { listReaders } from '../../core/access/readers.js';
import { deviceChainFromValue } from '../../core/access/device-chain.js';
import type { Scope } from '../../core/access/rooms.js';
import { DossierHarness, T0, at, makeMember, makeWorld, provider, type Member, type World } from './fixtures.js';
import type { UserCertificate } from '../../core/access/certificate.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

const userGrant = (m: Member, scope: Scope, right: GrantSpec['right'], expiresAt: number | null = null): GrantSpec => ({
  principal: { kind: 'user', userId: m.userId },
  scope,
  right,
  expiresAt,
});
const roomOfScope = (h: DossierHarness, scope: Scope): RoomId => asId<RoomId>(`${h.dossier}/${scope}`);

let counter = 100;
async function write(h: DossierHarness, m: Member, scope: Scope, text: string): Promise<Envelope> {
  const info = h.state.scopes.get(scope);
  const epoch = info?.epochs[info.epochs.length - 1]?.epoch ?? 0;
  const key = keyringGet(await h.keyring(m), scope, epoch);
  if (key === undefined) throw new Error(`${m.userId} has no key for ${scope}@${epoch}`);
  return sealEnvelope(provider, {
    header: {
      v: 1,
      kind: 'update',
      room: roomOfScope(h, scope),
      epoch,
      author: m.verified.deviceId,
      counter: counter++,
      alg: 'xchacha20poly1305',
    },
    key,
    plaintext: utf8Encode(text),
    signingSecretKey: m.device.secretKey,
  });
}

/** Tries every key the member can derive from the current access state (plus what it already had) on the envelope. */
async function tryRead(h: DossierHarness, m: Member, env: Envelope): Promise<string | null> {
  const scope = env.header.room.slice(h.dossier.length + 1) as Scope;
  const ring = await h.keyring(m);
  for (const key of ring.get(scope)?.values() ?? []) {
    const r = await openEnvelope(provider, env, { key, room: env.header.room, epoch: env.header.epoch });
    if (r.ok) return utf8Decode(r.value);
  }
  return null;
}

async function dossierWithGgd(ggdUntil: number | null = null): Promise<DossierHarness> {
  const h = new DossierHarness(w);
  await h.genesis();
  await h.record('grant', w.ib, {
    grants: [
      userGrant(w.coordinator, 'hulpvraag:h1', 'write'),
      userGrant(w.ggd, 'hulpvraag:h1', 'read', ggdUntil),
      userGrant(w.ggd, 'leerling', 'read', ggdUntil),
    ],
    recipients: [w.coordinator.certificate, w.ggd.certificate],
  });
  return h;
}

/** Re-signs a record after changing its public part: what a hostile admin device could produce. */
async function tamper(h: DossierHarness, signer: Member, env: Envelope, change: (pp: AclPublicPart) => AclPublicPart): Promise<Envelope> {
  const pp = decodeAclPublicPart(env.publicPart ?? new Uint8Array());
  if (!pp.ok) throw new Error('decode');
  const next = change(pp.value);
  const chain = deviceChainFromValue(next.signer);
  if (!chain.ok) throw new Error('chain');
  const publicPart = encodeAclPublicPart({
    ...next,
    signer: chain.value,
    recipients: next.recipients.map((r) => ({ body: r.b, signature: r.s })),
    revocation: null,
  });
  const key =
    keyringGet(await h.keyring(signer), 'toegang', env.header.epoch) ??
    keyringGet(await h.keyring(signer), 'toegang', env.header.epoch - 1);
  if (key === undefined) throw new Error('no toegang key');
  return sealEnvelope(provider, {
    header: { ...env.header, counter: env.header.counter + 1000 },
    key,
    plaintext: new Uint8Array(0),
    publicPart,
    signingSecretKey: signer.device.secretKey,
  });
}

describe('removal rotates keys', () => {
  it('[R19] a removed member cannot decrypt updates made after removal, although it could before', async () => {
    const h = await dossierWithGgd();
    const before = await write(h, w.coordinator, 'hulpvraag:h1', 'aanpak: eerst observatie in de klas');
    expect(await tryRead(h, w.ggd, before)).toBe('aanpak: eerst observatie in de klas');
    const ggdOldRing = await h.keyring(w.ggd);

    await h.record('revoke', w.ib, {
      revokes: [
        { principal: { kind: 'user', userId: w.ggd.userId }, scope: 'hulpvraag:h1' },
        { principal: { kind: 'user', userId: w.ggd.userId }, scope: 'leerling' },
      ],
    });
    const after = await write(h, w.coordinator, 'hulpvraag:h1', 'besluit: arrangement toegekend');
    expect(after.header.epoch).toBe(1);
    expect(await tryRead(h, w.coordinator, after)).toBe('besluit: arrangement toegekend');
    expect(await tryRead(h, w.ggd, after)).toBeNull();
    // Not with its old keys, not from any box or sealed previous key in the rotation record.
    const rotation = h.state.scopes.get('hulpvraag:h1')?.epochs[1];
    if (rotation === undefined) throw new Error('no epoch 1');
    for (const box of rotation.boxes) {
      expect(
        (
          await openKeyBox(provider, box, {
            dossier: h.dossier,
            scope: 'hulpvraag:h1',
            epoch: 1,
            agreementSecretKey: w.ggd.identity.agreement.secretKey,
          })
        ).ok,
      ).toBe(false);
    }
    for (const oldKey of ggdOldRing.get('hulpvraag:h1')?.values() ?? []) {
      if (rotation.previous === null) throw new Error('no previous');
      // The new key is never sealed under the old one: the old key opens nothing in the rotation.
      expect(
        (await openPreviousKey(provider, rotation.previous, { dossier: h.dossier, scope: 'hulpvraag:h1', epoch: 1, newKey: oldKey })).ok,
      ).toBe(false);
      expect((await openEnvelope(provider, after, { key: oldKey, room: after.header.room, epoch: 1 })).ok).toBe(false);
    }
    // Also the leerling scope and the toegang list were rotated, in the same single record.
    expect(h.state.scopes.get('leerling')?.epochs.length).toBe(2);
    expect(h.state.scopes.get('toegang')?.epochs.length).toBe(2);
    expect(h.state.records.at(-1)?.type).toBe('revoke');
  });

  it('[R18] the new key goes to exactly the remaining members, with the member-list hash bound in the record', async () => {
    const h = await dossierWithGgd();
    const s = await h.record('revoke', w.ib, {
      revokes: [
        { principal: { kind: 'user', userId: w.ggd.userId }, scope: 'hulpvraag:h1' },
        { principal: { kind: 'user', userId: w.ggd.userId }, scope: 'leerling' },
      ],
    });
    const e1 = s.scopes.get('hulpvraag:h1')?.epochs[1];
    expect(e1?.holders).toEqual([w.ib, w.coordinator].map((m) => toHex(m.certificate.body.agreementKey)).sort());
    expect(e1?.boxes.map((b) => toHex(b.to)).sort()).toEqual(e1?.holders);
  });

  it('[R18] a revoke without rotation, a rotation that still boxes the removed member, or a wrong member-list hash is refused', async () => {
    const h = await dossierWithGgd();
    const before = h.state;
    const good = await h.build('revoke', w.ib, { revokes: [{ principal: { kind: 'user', userId: w.ggd.userId }, scope: 'hulpvraag:h1' }] });
    const noRotation = await tamper(h, w.ib, good, (pp) => ({ ...pp, epochs: pp.epochs.filter((e) => e.scope !== 'hulpvraag:h1') }));
    const r1 = await applyAccessRecord(provider, before, noRotation, w.roots, T0);
    expect(r1.ok ? 'ok' : r1.error.code).toBe('rotatie-ontbreekt');
    // Keep the removed member's old box in the new epoch (replaying its epoch-0 box).
    const oldBox = before.scopes
      .get('hulpvraag:h1')
      ?.epochs[0]?.boxes.find((b) => toHex(b.to) === toHex(w.ggd.certificate.body.agreementKey));
    if (oldBox === undefined) throw new Error('no old box');
    const stillBoxed = await tamper(h, w.ib, good, (pp) => ({
      ...pp,
      epochs: pp.epochs.map((e) => (e.scope === 'hulpvraag:h1' ? { ...e, boxes: [...e.boxes, oldBox] } : e)),
    }));
    const r2 = await applyAccessRecord(provider, before, stillBoxed, w.roots, T0);
    expect(r2.ok ? 'ok' : r2.error.code).toBe('sleuteldozen-onjuist');
    const wrongHash = await tamper(h, w.ib, good, (pp) => ({
      ...pp,
      epochs: pp.epochs.map((e) => ({ ...e, members: new Uint8Array(32) })),
    }));
    const r3 = await applyAccessRecord(provider, before, wrongHash, w.roots, T0);
    expect(r3.ok ? 'ok' : r3.error.code).toBe('sleuteldozen-onjuist');
    const untouched = await applyAccessRecord(provider, before, good, w.roots, T0);
    expect(untouched.ok).toBe(true);
  });

  it('[R20] remaining and newly added members keep the history through the previous key sealed under the new one', async () => {
    const h = await dossierWithGgd();
    const old = await write(h, w.coordinator, 'hulpvraag:h1', 'intake: gesprek met ouders gepland');
    await h.record('revoke', w.ib, {
      revokes: [
        { principal: { kind: 'user', userId: w.ggd.userId }, scope: 'hulpvraag:h1' },
        { principal: { kind: 'user', userId: w.ggd.userId }, scope: 'leerling' },
      ],
    });
    await h.record('grant', w.ib, { grants: [userGrant(w.loket, 'hulpvraag:h1', 'read')], recipients: [w.loket.certificate] });
    const loketRing = await unlockKeyring(provider, h.state, w.loket.identity.agreement);
    expect([...(loketRing.get('hulpvraag:h1')?.keys() ?? [])].sort()).toEqual([0, 1]);
    expect(await tryRead(h, w.loket, old)).toBe('intake: gesprek met ouders gepland');
    const coordinatorFresh = await unlockKeyring(provider, h.state, w.coordinator.identity.agreement);
    expect(coordinatorFresh.get('hulpvraag:h1')?.size).toBe(2);
  });

  it('[R17] a key box opens only for its recipient and only for its own dossier, scope and epoch', async () => {
    const h = await dossierWithGgd();
    const box = h.state.scopes
      .get('hulpvraag:h1')
      ?.epochs[0]?.boxes.find((b) => toHex(b.to) === toHex(w.ggd.certificate.body.agreementKey));
    if (box === undefined) throw new Error('no box');
    const sk = w.ggd.identity.agreement.secretKey;
    expect((await openKeyBox(provider, box, { dossier: h.dossier, scope: 'hulpvraag:h1', epoch: 0, agreementSecretKey: sk })).ok).toBe(
      true,
    );
    expect(
      (
        await openKeyBox(provider, box, {
          dossier: h.dossier,
          scope: 'hulpvraag:h1',
          epoch: 0,
          agreementSecretKey: w.coordinator.identity.agreement.secretKey,
        })
      ).ok,
    ).toBe(false);
    expect((await openKeyBox(provider, box, { dossier: h.dossier, scope: 'leerling', epoch: 0, agreementSecretKey: sk })).ok).toBe(false);
    expect((await openKeyBox(provider, box, { dossier: h.dossier, scope: 'hulpvraag:h1', epoch: 1, agreementSecretKey: sk })).ok).toBe(
      false,
    );
    expect((await openKeyBox(provider, box, { dossier: asId('ander'), scope: 'hulpvraag:h1', epoch: 0, agreementSecretKey: sk })).ok).toBe(
      false,
    );
    // [R27] a low-order ephemeral key is a bad box, not a crash.
    expect(
      (
        await openKeyBox(
          provider,
          { ...box, eph: new Uint8Array(32) },
          { dossier: h.dossier, scope: 'hulpvraag:h1', epoch: 0, agreementSecretKey: sk },
        )
      ).ok,
    ).toBe(false);
  });
});

describe('expiry: rotatie nodig', () => {
  it('[R21] an expiry while no admin was online is detected as "rotatie nodig" and the next admin client rotates; [R19] the expired member cannot read what follows', async () => {
    const h = await dossierWithGgd(at(14).getTime());
    expect(rotationsDue(h.state, at(13))).toEqual([]);
    // Clients and the relay know when to look again.
    expect(nextAccessDeadline(h.state, T0)?.toISOString()).toBe(at(14).toISOString());
    const due = rotationsDue(h.state, at(15));
    expect(due.map((d) => d.scope).sort()).toEqual(['hulpvraag:h1', 'leerling', 'toegang']);
    expect(due.every((d) => d.label === 'rotatie nodig' && d.staleHolders.some((s) => s.user === w.ggd.userId))).toBe(true);
    // A non-admin writer sees it too and may rotate the scopes it writes, never toegang [R42]; here the admin does it all.
    const byCoordinator = await performDueRotations(provider, h.state, {
      signer: w.coordinator.signer,
      keyring: await h.keyring(w.coordinator),
      now: at(15),
      counter: 1,
    });
    if (!byCoordinator.ok || byCoordinator.value === null) throw new Error('de schrijver vernieuwt niets');
    const pp = decodeAclPublicPart(byCoordinator.value.envelope.publicPart ?? new Uint8Array());
    expect(pp.ok && pp.value.epochs.map((e) => e.scope)).not.toContain('toegang');
    expect(pp.ok && pp.value.epochs.length).toBeGreaterThan(0);
    const byAdmin = await performDueRotations(provider, h.state, {
      signer: w.ib.signer,
      keyring: await h.keyring(w.ib),
      now: at(15),
      counter: h.nextCounter(w.ib),
    });
    if (!byAdmin.ok || byAdmin.value === null) throw new Error('no rotation');
    await h.apply(byAdmin.value.envelope, at(15));
    expect(rotationsDue(h.state, at(15))).toEqual([]);
    expect(
      await performDueRotations(provider, h.state, { signer: w.ib.signer, keyring: byAdmin.value.keyring, now: at(15), counter: 999 }),
    ).toEqual({ ok: true, value: null });
    const secret = await write(h, w.coordinator, 'hulpvraag:h1', 'nieuw verslag na de verlopen toegang');
    expect(await tryRead(h, w.ggd, secret)).toBeNull();
    expect(await tryRead(h, w.coordinator, secret)).toBe('nieuw verslag na de verlopen toegang');
  });

  it('[R21] an admin device that lacks one scope key rotates what it can; the rest stays "rotatie nodig" for another admin', async () => {
    const h = await dossierWithGgd(at(14).getTime());
    const full = await h.keyring(w.ib);
    const partial = new Map([...full].filter(([scope]) => scope !== 'leerling'));
    const r = await performDueRotations(provider, h.state, {
      signer: w.ib.signer,
      keyring: partial,
      now: at(15),
      counter: h.nextCounter(w.ib),
    });
    if (!r.ok || r.value === null) throw new Error('no rotation');
    await h.apply(r.value.envelope, at(15));
    expect(rotationsDue(h.state, at(15)).map((d) => d.scope)).toEqual(['leerling']);
    const rest = await performDueRotations(provider, h.state, {
      signer: w.ib.signer,
      keyring: await h.keyring(w.ib),
      now: at(15),
      counter: h.nextCounter(w.ib),
    });
    if (!rest.ok || rest.value === null) throw new Error('no second rotation');
    await h.apply(rest.value.envelope, at(15));
    expect(rotationsDue(h.state, at(15))).toEqual([]);
  });

  it('[R26] the readers list shows who holds each scope key with right and end date, and flags an expired holder until rotation', async () => {
    const h = await dossierWithGgd(at(14).getTime());
    const now = listReaders(h.state, at(1));
    const hv = now.find((r) => r.scope === 'hulpvraag:h1');
    expect(hv?.readers.map((r) => [r.user, r.right, r.until?.toISOString() ?? null, r.stale])).toEqual([
      ['u-coord', 'write', at(365).toISOString(), false],
      ['u-ggd', 'read', at(14).toISOString(), false],
      ['u-ib-a', 'write', at(365).toISOString(), false],
    ]);
    const later = listReaders(h.state, at(20)).find((r) => r.scope === 'hulpvraag:h1');
    expect(later?.readers.find((r) => r.user === 'u-ggd')?.stale).toBe(true);
    expect(now.map((r) => r.scope)).toEqual(['hulpvraag:h1', 'leerling', 'toegang']);
  });
});

describe('across providers', () => {
  it('[R8][R17] records and key boxes made with the WebCrypto provider fold and open with noble, and the other way round', async () => {
    const { createWebCryptoProvider } = await import('../../core/crypto/webcrypto-provider.js');
    const web = await createWebCryptoProvider();
    expect(web.aeadAlgorithms).not.toContain('xchacha20poly1305');
    for (const [maker, reader] of [
      [web, provider],
      [provider, web],
    ] as const) {
      const h = new DossierHarness(w, asId<DossierId>('dos-cross'), maker);
      await h.genesis();
      await h.record('grant', w.ib, { grants: [userGrant(w.ggd, 'hulpvraag:h1', 'read')], recipients: [w.ggd.certificate] });
      await h.record('revoke', w.ib, { revokes: [{ principal: { kind: 'user', userId: w.ggd.userId }, scope: 'hulpvraag:h1' }] });
      const folded = await (await import('../../core/access/apply-record.js')).foldAccessRecords(reader, h.log, w.roots, T0);
      expect(folded.rejected).toEqual([]);
      if (folded.access === undefined) throw new Error('no state');
      const ring = await unlockKeyring(reader, folded.access, w.ib.identity.agreement);
      expect([...(ring.get('hulpvraag:h1')?.keys() ?? [])].sort()).toEqual([0, 1]);
      expect(toHex(ring.get('hulpvraag:h1')?.get(1) ?? new Uint8Array())).toBe(
        toHex(keyringGet(await h.keyring(w.ib), 'hulpvraag:h1', 1) ?? new Uint8Array(1)),
      );
    }
  });
});

describe('notities of a removed member', () => {
  it('[R16][R19] removing a member who keeps personal notities still removes them from the dossier and rotates the toegang key', async () => {
    const h = new DossierHarness(w);
    await h.genesis();
    await h.record('grant', w.ib, { grants: [userGrant(w.ggd, 'hulpvraag:h1', 'read')], recipients: [w.ggd.certificate] });
    await h.record('grant', w.ggd, { grants: [userGrant(w.ggd, 'notities:u-ggd', 'write')] });
    const { effectiveRight } = await import('../../core/access/dossier-access.js');
    expect(effectiveRight(h.state, w.ggd.verified, 'toegang', T0.getTime())).toBe('read');
    await h.record('revoke', w.ib, { revokes: [{ principal: { kind: 'user', userId: w.ggd.userId }, scope: 'hulpvraag:h1' }] });
    expect(effectiveRight(h.state, w.ggd.verified, 'toegang', T0.getTime())).toBeNull();
    expect(effectiveRight(h.state, w.ggd.verified, 'notities:u-ggd', T0.getTime())).toBeNull();
    const toegang = h.state.scopes.get('toegang')?.epochs.at(-1);
    expect(toegang?.epoch).toBe(1);
    expect(toegang?.holders).not.toContain(toHex(w.ggd.certificate.body.agreementKey));
    expect(rotationsDue(h.state, T0)).toEqual([]);
  });
});

describe('membership: one definition for clients and the relay', () => {
  it("[R14][R16] a user whose only active grant is their own notities is no member: not for rights, not for the relay's notification recipients", async () => {
    const { currentMembers } = await import('../../core/access/dossier-access.js');
    const { createAccessPolicy } = await import('../../sync-server/access-policy.js');
    const relayPolicy = createAccessPolicy(provider);
    const h = new DossierHarness(w);
    await h.genesis();
    await h.record('grant', w.ib, { grants: [userGrant(w.ggd, 'hulpvraag:h1', 'read')], recipients: [w.ggd.certificate] });
    await h.record('grant', w.ggd, { grants: [userGrant(w.ggd, 'notities:u-ggd', 'write')] });
    expect(currentMembers(h.state, T0).has(w.ggd.userId)).toBe(true);
    expect(relayPolicy.members(h.state, T0).has(w.ggd.userId)).toBe(true);
    await h.record('revoke', w.ib, { revokes: [{ principal: { kind: 'user', userId: w.ggd.userId }, scope: 'hulpvraag:h1' }] });
    expect(currentMembers(h.state, T0).has(w.ggd.userId)).toBe(false);
    expect(relayPolicy.members(h.state, T0).has(w.ggd.userId)).toBe(false);
    expect([...relayPolicy.members(h.state, T0)].sort()).toEqual([...currentMembers(h.state, T0)].sort());
    expect(currentMembers(h.state, T0).has(w.ib.userId)).toBe(true);
  });
});

describe('a stolen device', () => {
  it('[R4][R19][R146] after the user revokes a stolen device from her other device, its agreement key opens nothing written after the next admin sync', async () => {
    const { issueDeviceRevocation, createUserIdentity } = await import('../../core/access/certificate.js');
    const h = await dossierWithGgd();
    // 1. The GGD worker's second device: its own keys and its own certificate from the SWV [R145]; an admin shares the keys with it.
    const laptop = await makeMember(w.swv, w.orgs.ggd, 'u-ggd', w.ggd.certificate.body.roles, {
      identity: await createUserIdentity(provider, w.ggd.userId),
    });
    await h.record('grant', w.ib, { recipients: [laptop.certificate] }, at(1));
    const stolenRing = await unlockKeyring(provider, h.state, w.ggd.identity.agreement);
    // 2. From the laptop she revokes the stolen device in the dossier.
    const rev = await issueDeviceRevocation(provider, laptop.identity.signing.secretKey, {
      swv: w.swv.id,
      user: w.ggd.userId,
      device: w.ggd.verified.deviceId,
      revokedAt: at(1),
      by: 'gebruiker',
    });
    await h.record('device-revocation', laptop, { revocation: { revocation: rev, userCertificate: laptop.certificate } }, at(1));
    const newAgreement = laptop.identity.agreement;
    expect(rotationsDue(h.state, at(2)).map((d) => d.scope)).toContain('hulpvraag:h1');
    // 3. The next admin sync (any record) rotates what the revoked device held.
    const pending: UserCertificate[] = [];
    await h.record('grant', w.ib, { recipients: pending }, at(2));
    expect(rotationsDue(h.state, at(2))).toEqual([]);
    const later = await write(h, w.coordinator, 'hulpvraag:h1', 'verslag na de diefstal');
    for (const key of (await unlockKeyring(provider, h.state, w.ggd.identity.agreement, stolenRing)).get('hulpvraag:h1')?.values() ?? []) {
      expect((await openEnvelope(provider, later, { key, room: later.header.room, epoch: later.header.epoch })).ok).toBe(false);
    }
    // The user's new key reads it, and the history.
    const fresh = await unlockKeyring(provider, h.state, newAgreement);
    const k = keyringGet(fresh, 'hulpvraag:h1', later.header.epoch);
    if (k === undefined) throw new Error('no new key');
    expect((await openEnvelope(provider, later, { key: k, room: later.header.room, epoch: later.header.epoch })).ok).toBe(true);
    expect(fresh.get('hulpvraag:h1')?.has(0)).toBe(true);
  });
});
