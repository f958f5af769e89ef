// The access list in `toegang`: who may create, grant, revoke; ordering by
// predecessor hash; and the checks the relay makes without any key.
import { describe, expect, it, beforeAll } from 'vitest';
import fc from 'fast-check';
import { asId, type RoomId } from '../../core/model/ids.js';
import { applyAccessRecord, foldAccessRecords } from '../../core/access/apply-record.js';
import { buildAccessRecord } from '../../core/access/build-record.js';
import { checkAppend, checkRead, checkEpoch } from '../../core/access/check-access.js';
import { effectiveRight, isAdmin } from '../../core/access/dossier-access.js';
import { genesisGrants } from '../../core/access/genesis.js';
import { createUserIdentity, issueDeviceRevocation } from '../../core/access/certificate.js';
import { verifyDeviceChain } from '../../core/access/device-chain.js';
import { decodeEnvelope, encodeEnvelope, sealEnvelope, type Envelope } from '../../core/crypto/envelope.js';
import { encodeCanonical } from '../../core/crypto/canonical.js';
import { toHex } from '../../core/crypto/bytes.js';
import { DossierHarness, T0, at, makeMember, makeWorld, provider, type Member, type World } from './fixtures.js';
import type { GrantSpec } from '../../core/access/acl-record.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

const room = (h: DossierHarness, scope: string): RoomId => asId<RoomId>(`${h.dossier}/${scope}`);
const code = (r: { ok: boolean; error?: { code: string } }): string => (r.ok ? 'ok' : (r.error?.code ?? '?'));
const userGrant = (m: Member, scope: GrantSpec['scope'], right: GrantSpec['right'], expiresAt: number | null = null): GrantSpec => ({
  principal: { kind: 'user', userId: m.userId },
  scope,
  right,
  expiresAt,
});

describe('creating a dossier', () => {
  it('[R11] an IB of a school creates a dossier; the creator and the school IB/COO become admins without expiry', async () => {
    const h = new DossierHarness(w);
    const s = await h.genesis();
    expect(s.owner).toBe('brin-12ab');
    expect(isAdmin(s, w.ib.verified, at(3650).getTime())).toBe(true);
    expect(isAdmin(s, w.coo.verified, T0.getTime())).toBe(true); // through the organisation + role principal
    expect(isAdmin(s, w.bevoegdGezag.verified, T0.getTime())).toBe(false);
    expect([...s.scopes.keys()].sort()).toEqual(['leerling', 'toegang']);
    const ring = await h.keyring(w.ib);
    expect(ring.get('leerling')?.get(0)?.length).toBe(32);
  });

  it('[R11] SWV staff, a school user without IB/COO role, or a genesis naming another school as owner cannot create a dossier', async () => {
    for (const m of [w.coordinator, w.bevoegdGezag]) {
      const h = new DossierHarness(w);
      const built = await buildAccessRecord(provider, undefined, {
        type: 'genesis',
        dossier: h.dossier,
        signer: m.signer,
        at: T0,
        counter: 1,
        change: { grants: genesisGrants(m.organisationId, m.userId) },
        keyring: new Map(),
      });
      expect(built.ok).toBe(true);
      if (!built.ok) continue;
      expect(code(await applyAccessRecord(provider, undefined, built.value.envelope, w.roots, T0))).toBe('niet-toegestaan');
    }
  });

  it('[R11] a genesis record that does not make the school IB/COO admin is refused', async () => {
    const h = new DossierHarness(w);
    const built = await buildAccessRecord(provider, undefined, {
      type: 'genesis',
      dossier: h.dossier,
      signer: w.ib.signer,
      at: T0,
      counter: 1,
      change: { grants: [userGrant(w.ib, 'toegang', 'admin')] },
      keyring: new Map(),
    });
    if (!built.ok) throw new Error(built.error.message);
    expect(code(await applyAccessRecord(provider, undefined, built.value.envelope, w.roots, T0))).toBe('acl-ongeldig');
  });
});

describe('granting and revoking', () => {
  it('[R12] an admin grants the SWV coordinator write on a hulpvraag; the coordinator cannot grant anything', async () => {
    const h = new DossierHarness(w);
    await h.genesis();
    const s = await h.record('grant', w.ib, {
      grants: [userGrant(w.coordinator, 'hulpvraag:h1', 'write')],
      recipients: [w.coordinator.certificate],
    });
    expect(effectiveRight(s, w.coordinator.verified, 'hulpvraag:h1', T0.getTime())).toBe('write');
    expect(effectiveRight(s, w.coordinator.verified, 'leerling', T0.getTime())).toBeNull();
    expect((await h.keyring(w.coordinator)).get('hulpvraag:h1')?.get(0)).toBeDefined();
    const forged = await buildAccessRecord(provider, s, {
      type: 'grant',
      signer: w.coordinator.signer,
      at: T0,
      counter: 1,
      change: { grants: [userGrant(w.ggd, 'hulpvraag:h1', 'read')], recipients: [w.ggd.certificate] },
      keyring: await h.keyring(w.coordinator),
    });
    // The builder signs anything; the state transition refuses it.
    if (!forged.ok) throw new Error(forged.error.message);
    expect(code(await applyAccessRecord(provider, s, forged.value.envelope, w.roots, T0))).toBe('geen-beheerder');
  });

  it('[R12] an admin delegates admin to the SWV coordinator, who can then grant', async () => {
    const h = new DossierHarness(w);
    await h.genesis();
    await h.record('grant', w.ib, {
      grants: [userGrant(w.coordinator, 'toegang', 'admin', at(30).getTime())],
      recipients: [w.coordinator.certificate],
    });
    const s = await h.record('grant', w.coordinator, {
      grants: [userGrant(w.ggd, 'hulpvraag:h1', 'read', at(14).getTime())],
      recipients: [w.ggd.certificate],
    });
    expect(effectiveRight(s, w.ggd.verified, 'hulpvraag:h1', T0.getTime())).toBe('read');
    expect(isAdmin(s, w.coordinator.verified, at(31).getTime())).toBe(false);
  });

  it('[R12] admin right exists only on toegang, and a grant that has already expired is refused', async () => {
    const h = new DossierHarness(w);
    const s = await h.genesis();
    for (const [g, expected] of [
      [userGrant(w.coordinator, 'leerling', 'admin'), 'acl-ongeldig'],
      [userGrant(w.coordinator, 'toegang', 'write'), 'acl-ongeldig'],
      [userGrant(w.coordinator, 'leerling', 'read', T0.getTime() - 1), 'verlopen'],
    ] as const) {
      const built = await buildAccessRecord(provider, s, {
        type: 'grant',
        signer: w.ib.signer,
        at: T0,
        counter: 9,
        change: { grants: [g], recipients: [w.coordinator.certificate] },
        keyring: await h.keyring(w.ib),
      });
      if (!built.ok) throw new Error(built.error.message);
      expect(code(await applyAccessRecord(provider, s, built.value.envelope, w.roots, T0))).toBe(expected);
    }
  });

  it('[R16] a member keys its own notities; nobody else gets them and an admin cannot grant or key them', async () => {
    const h = new DossierHarness(w);
    await h.genesis();
    await h.record('grant', w.ib, { grants: [userGrant(w.ggd, 'hulpvraag:h1', 'read')], recipients: [w.ggd.certificate] });
    const s = await h.record('grant', w.ggd, { grants: [userGrant(w.ggd, 'notities:u-ggd', 'write')] });
    expect(effectiveRight(s, w.ggd.verified, 'notities:u-ggd', T0.getTime())).toBe('write');
    expect(effectiveRight(s, w.ib.verified, 'notities:u-ggd', T0.getTime())).toBeNull();
    const holders = s.scopes.get('notities:u-ggd')?.epochs[0]?.holders;
    expect(holders).toEqual([toHex(w.ggd.certificate.body.agreementKey)]);
    expect((await h.keyring(w.ib)).get('notities:u-ggd')).toBeUndefined();
    const byAdmin = await buildAccessRecord(provider, s, {
      type: 'grant',
      signer: w.ib.signer,
      at: T0,
      counter: 50,
      change: { grants: [userGrant(w.ib, 'notities:u-ggd', 'write')] },
      keyring: await h.keyring(w.ib),
    });
    if (!byAdmin.ok) throw new Error(byAdmin.error.message);
    expect(code(await applyAccessRecord(provider, s, byAdmin.value.envelope, w.roots, T0))).toBe('niet-toegestaan');
  });

  it('[R15] a delegated admin from the SWV cannot remove the school admins, and the last school admin cannot be removed', async () => {
    const h = new DossierHarness(w);
    await h.genesis();
    const s = await h.record('grant', w.ib, {
      grants: [userGrant(w.coordinator, 'toegang', 'admin')],
      recipients: [w.coordinator.certificate, w.coo.certificate],
    });
    const schoolRole = { kind: 'organisation', organisationId: w.ib.organisationId, role: 'ondersteuningscoordinator' } as const;
    const bySwv = await buildAccessRecord(provider, s, {
      type: 'revoke',
      signer: w.coordinator.signer,
      at: T0,
      counter: 1,
      change: { revokes: [{ principal: schoolRole, scope: 'toegang' }] },
      keyring: await h.keyring(w.coordinator),
    });
    if (!bySwv.ok) throw new Error(bySwv.error.message);
    expect(code(await applyAccessRecord(provider, s, bySwv.value.envelope, w.roots, T0))).toBe('niet-toegestaan');
    // The school removes the coordinator and then tries to remove every school admin.
    await h.record('revoke', w.ib, { revokes: [{ principal: { kind: 'user', userId: w.coordinator.userId }, scope: 'toegang' }] });
    const all = await buildAccessRecord(provider, h.state, {
      type: 'revoke',
      signer: w.ib.signer,
      at: T0,
      counter: 99,
      change: {
        revokes: [
          { principal: { kind: 'user', userId: w.ib.userId }, scope: 'toegang' },
          { principal: schoolRole, scope: 'toegang' },
          { principal: { ...schoolRole, role: 'intern-begeleider' }, scope: 'toegang' },
        ],
      },
      keyring: await h.keyring(w.ib),
    });
    if (!all.ok) throw new Error(all.error.message);
    expect(code(await applyAccessRecord(provider, h.state, all.value.envelope, w.roots, T0))).toBe('laatste-beheerder');
  });
});

describe('ordering: predecessor hashes', () => {
  it('[R13] replaying an old record, or applying records out of order, is refused with `voorganger-onjuist`', async () => {
    const h = new DossierHarness(w);
    await h.genesis();
    await h.record('grant', w.ib, { grants: [userGrant(w.ggd, 'hulpvraag:h1', 'read')], recipients: [w.ggd.certificate] });
    await h.record('revoke', w.ib, { revokes: [{ principal: { kind: 'user', userId: w.ggd.userId }, scope: 'hulpvraag:h1' }] });
    const [g0, g1, g2] = h.log as [Envelope, Envelope, Envelope];
    expect(code(await applyAccessRecord(provider, h.state, g1, w.roots, T0))).toBe('voorganger-onjuist');
    expect(code(await applyAccessRecord(provider, h.state, g0, w.roots, T0))).toBe('voorganger-onjuist');
    const afterGenesis = await applyAccessRecord(provider, undefined, g0, w.roots, T0);
    if (!afterGenesis.ok) throw new Error('genesis');
    expect(code(await applyAccessRecord(provider, afterGenesis.value, g2, w.roots, T0))).toBe('voorganger-onjuist');
  });

  it('[R13] two admins writing concurrently: the relay keeps the first, the second no longer fits and is refused', async () => {
    const h = new DossierHarness(w);
    const s = await h.genesis();
    const a = await buildAccessRecord(provider, s, {
      type: 'grant',
      signer: w.ib.signer,
      at: T0,
      counter: 2,
      change: { grants: [userGrant(w.ggd, 'hulpvraag:h1', 'read')], recipients: [w.ggd.certificate] },
      keyring: await h.keyring(w.ib),
    });
    const b = await buildAccessRecord(provider, s, {
      type: 'grant',
      signer: w.ib.signer,
      at: T0,
      counter: 3,
      change: { grants: [userGrant(w.vv, 'hulpvraag:h1', 'read')], recipients: [w.vv.certificate] },
      keyring: await h.keyring(w.ib),
    });
    if (!a.ok || !b.ok) throw new Error('build');
    const first = await applyAccessRecord(provider, s, a.value.envelope, w.roots, T0);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(code(await applyAccessRecord(provider, first.value, b.value.envelope, w.roots, T0))).toBe('voorganger-onjuist');
  });

  it('[R13] a device whose clock runs behind the previous record still builds a record that fits (time never goes backwards)', async () => {
    const h = new DossierHarness(w);
    await h.genesis(w.ib, new Date(T0.getTime() + 3 * 60_000));
    const s = await h.record('grant', w.ib, { grants: [userGrant(w.ggd, 'leerling', 'read')], recipients: [w.ggd.certificate] }, T0);
    expect(s.lastAt).toBe(T0.getTime() + 3 * 60_000);
  });

  it('[R13] a record backdated into a time the signer was still valid is refused when it arrives live at the relay', async () => {
    const h = new DossierHarness(w);
    const s = await h.genesis();
    const late = await buildAccessRecord(provider, s, {
      type: 'grant',
      signer: w.ib.signer,
      at: T0,
      counter: 2,
      change: { grants: [userGrant(w.ggd, 'hulpvraag:h1', 'read')], recipients: [w.ggd.certificate] },
      keyring: await h.keyring(w.ib),
    });
    if (!late.ok) throw new Error('build');
    expect(code(await applyAccessRecord(provider, s, late.value.envelope, w.roots, at(1), { live: true }))).toBe('tijd-onjuist');
    expect(code(await applyAccessRecord(provider, s, late.value.envelope, w.roots, at(-1)))).toBe('tijd-onjuist');
    expect(code(await applyAccessRecord(provider, s, late.value.envelope, w.roots, T0, { live: true }))).toBe('ok');
  });

  it('[R13] any permutation or duplication of a log, with a forged record mixed in, folds to a prefix of the legitimate chain', async () => {
    const h = new DossierHarness(w);
    await h.genesis();
    await h.record('grant', w.ib, { grants: [userGrant(w.coordinator, 'hulpvraag:h1', 'write')], recipients: [w.coordinator.certificate] });
    await h.record('grant', w.ib, {
      grants: [userGrant(w.ggd, 'hulpvraag:h1', 'read', at(14).getTime())],
      recipients: [w.ggd.certificate],
    });
    await h.record('revoke', w.ib, { revokes: [{ principal: { kind: 'user', userId: w.ggd.userId }, scope: 'hulpvraag:h1' }] });
    await h.record('grant', w.ib, { grants: [userGrant(w.vv, 'leerling', 'read', at(20).getTime())], recipients: [w.vv.certificate] });
    const legit = [...h.log];
    const legitHashes = h.state.records.map((r) => toHex(r.hash));
    // A member forges a record on top of the legitimate head: it must never be accepted.
    const forged = await buildAccessRecord(provider, h.state, {
      type: 'grant',
      signer: w.coordinator.signer,
      at: T0,
      counter: 7,
      change: { grants: [userGrant(w.coordinator, 'toegang', 'admin')] },
      keyring: await h.keyring(w.coordinator),
    });
    if (!forged.ok) throw new Error('build');
    const pool = [...legit, forged.value.envelope];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: pool.length - 1 }), { minLength: 1, maxLength: 10 }), async (picks) => {
        const { access } = await foldAccessRecords(
          provider,
          picks.map((i) => pool[i] as Envelope),
          w.roots,
          T0,
        );
        const got = access?.records.map((r) => toHex(r.hash)) ?? [];
        expect(got).toEqual(legitHashes.slice(0, got.length));
        if (access !== undefined) expect(isAdmin(access, w.coordinator.verified, T0.getTime())).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});

describe('what the relay checks without keys', () => {
  async function dossierWithMembers(): Promise<DossierHarness> {
    const h = new DossierHarness(w);
    await h.genesis();
    await h.record('grant', w.ib, {
      grants: [
        userGrant(w.coordinator, 'hulpvraag:h1', 'write'),
        userGrant(w.ggd, 'overlegronde:o1', 'write', at(14).getTime()),
        userGrant(w.vv, 'hulpvraag:h1', 'read'),
      ],
      recipients: [w.coordinator.certificate, w.ggd.certificate, w.vv.certificate],
    });
    return h;
  }

  it('[R14] appends: acl/access only in toegang, content needs write, awareness and seen need read, strangers get nothing', async () => {
    const h = await dossierWithMembers();
    const s = h.state;
    const cases: [Member, string, Parameters<typeof checkAppend>[3], string][] = [
      [w.ib, 'toegang', 'acl', 'ok'],
      [w.ib, 'leerling', 'update', 'ok'],
      [w.ib, 'toegang', 'update', 'ok'],
      [w.coordinator, 'hulpvraag:h1', 'update', 'ok'],
      [w.coordinator, 'hulpvraag:h1', 'snapshot', 'ok'],
      [w.coordinator, 'toegang', 'access', 'ok'],
      [w.coordinator, 'toegang', 'update', 'geen-toegang'],
      [w.coordinator, 'leerling', 'awareness', 'geen-toegang'],
      [w.coordinator, 'hulpvraag:h1', 'acl', 'soort-niet-toegestaan'],
      [w.vv, 'hulpvraag:h1', 'update', 'geen-toegang'],
      [w.vv, 'hulpvraag:h1', 'awareness', 'ok'],
      [w.vv, 'hulpvraag:h1', 'seen', 'ok'],
      [w.ggd, 'overlegronde:o1', 'update', 'ok'],
      [w.ggd, 'formulieren:h1', 'update', 'geen-toegang'],
      [w.ibB, 'toegang', 'access', 'geen-toegang'],
      [w.ibB, 'leerling', 'update', 'geen-toegang'],
    ];
    for (const [m, scope, kind, expected] of cases) {
      expect(`${m.userId} ${kind} ${scope}: ${code(checkAppend(s, m.verified, room(h, scope), kind, T0))}`).toBe(
        `${m.userId} ${kind} ${scope}: ${expected}`,
      );
    }
    expect(code(checkAppend(s, w.ib.verified, asId<RoomId>('ander-dossier/leerling'), 'update', T0))).toBe('ruimte-ongeldig');
    expect(code(checkAppend(s, w.ib.verified, asId<RoomId>(`${h.dossier}/leerling/../toegang`), 'update', T0))).toBe('ruimte-ongeldig');
  });

  it('[R14] subscriptions need read right: members read toegang, the vv reads the hulpvraag but not the leerling', async () => {
    const h = await dossierWithMembers();
    const s = h.state;
    expect(code(checkRead(s, w.vv.verified, room(h, 'hulpvraag:h1'), T0))).toBe('ok');
    expect(code(checkRead(s, w.vv.verified, room(h, 'toegang'), T0))).toBe('ok');
    expect(code(checkRead(s, w.vv.verified, room(h, 'leerling'), T0))).toBe('geen-toegang');
    expect(code(checkRead(s, w.ibB.verified, room(h, 'toegang'), T0))).toBe('geen-toegang');
    expect(code(checkRead(s, w.ib.verified, room(h, 'hulpvraag:h1'), T0))).toBe('ok'); // admins read every non-notities scope
  });

  it('[R22] an expired grant gives `verlopen` at the relay at once, before any rotation', async () => {
    const h = await dossierWithMembers();
    expect(code(checkAppend(h.state, w.ggd.verified, room(h, 'overlegronde:o1'), 'update', at(13)))).toBe('ok');
    expect(code(checkAppend(h.state, w.ggd.verified, room(h, 'overlegronde:o1'), 'update', at(14)))).toBe('verlopen');
    expect(code(checkRead(h.state, w.ggd.verified, room(h, 'overlegronde:o1'), at(15)))).toBe('verlopen');
  });

  it('[R4, R145, R147] a device revocation posted in toegang by another device of its user makes the relay refuse that device, not the user’s other devices', async () => {
    const h = await dossierWithMembers();
    // The coordinator's laptop: its own keys, its own root-signed certificate for the same person [R145].
    const laptop = await makeMember(w.swv, w.orgs.bureau, 'u-coord', ['swv-coordinator'], {
      identity: await createUserIdentity(provider, w.coordinator.userId),
    });
    await h.record('grant', w.ib, { recipients: [laptop.certificate] });
    const rev = await issueDeviceRevocation(provider, laptop.identity.signing.secretKey, {
      swv: w.swv.id,
      user: w.coordinator.userId,
      device: w.coordinator.verified.deviceId,
      revokedAt: T0,
      by: 'gebruiker',
    });
    // Carried by another person's device, the user's own revocation counts for nothing [R147].
    const carried = await h.build('device-revocation', w.ib, { revocation: { revocation: rev, userCertificate: laptop.certificate } });
    expect(code(await applyAccessRecord(provider, h.state, carried, w.roots, T0))).toBe('verkeerde-ondertekenaar');
    const s = await h.record('device-revocation', laptop, { revocation: { revocation: rev, userCertificate: laptop.certificate } });
    expect(code(checkAppend(s, w.coordinator.verified, room(h, 'hulpvraag:h1'), 'update', T0))).toBe('ingetrokken');
    expect(code(checkRead(s, w.coordinator.verified, room(h, 'hulpvraag:h1'), T0))).toBe('ingetrokken');
    // Its ACL records are refused from then on too.
    const again = await buildAccessRecord(provider, s, {
      type: 'grant',
      signer: w.coordinator.signer,
      at: T0,
      counter: 50,
      change: { grants: [userGrant(w.coordinator, 'notities:u-coord', 'write')] },
      keyring: await h.keyring(w.coordinator),
    });
    if (!again.ok) throw new Error('build');
    expect(code(await applyAccessRecord(provider, s, again.value.envelope, w.roots, T0))).toBe('ingetrokken');
    // The revoked device cannot revoke the laptop back: its own chain is refused first.
    const back = await issueDeviceRevocation(provider, w.coordinator.identity.signing.secretKey, {
      swv: w.swv.id,
      user: w.coordinator.userId,
      device: laptop.verified.deviceId,
      revokedAt: T0,
      by: 'gebruiker',
    });
    const backRec = await buildAccessRecord(provider, s, {
      type: 'device-revocation',
      signer: w.coordinator.signer,
      at: T0,
      counter: 51,
      change: { revocation: { revocation: back, userCertificate: w.coordinator.certificate } },
      keyring: await h.keyring(w.coordinator),
    });
    if (!backRec.ok) throw new Error('build');
    expect(code(await applyAccessRecord(provider, s, backRec.value.envelope, w.roots, T0))).toBe('ingetrokken');
    // The laptop keeps working.
    const verified = await verifyDeviceChain(provider, laptop.chain, w.roots, T0, s.revocations);
    if (!verified.ok) throw new Error(verified.error.code);
    expect(code(checkAppend(s, verified.value, room(h, 'hulpvraag:h1'), 'update', T0))).toBe('ok');
  });

  it('[R14] checkEpoch refuses content sealed under an older epoch', async () => {
    const h = await dossierWithMembers();
    expect(code(checkEpoch(h.state, room(h, 'hulpvraag:h1'), 0))).toBe('ok');
    await h.record('rotate', w.ib, { rotate: ['hulpvraag:h1'] });
    expect(code(checkEpoch(h.state, room(h, 'hulpvraag:h1'), 0))).toBe('epoch-verouderd');
    expect(code(checkEpoch(h.state, room(h, 'hulpvraag:h1'), 1))).toBe('ok');
  });
});

describe('hostile records', () => {
  it('[R27] garbage public parts, wrong kinds and wrong rooms are refused with a code and leave the state alone', async () => {
    const h = new DossierHarness(w);
    const s = await h.genesis();
    const key = (await h.keyring(w.ib)).get('toegang')?.get(0) ?? new Uint8Array(32);
    const seal = (publicPart: Uint8Array, kind: 'acl' | 'update' = 'acl', roomId = room(h, 'toegang')) =>
      sealEnvelope(provider, {
        header: { v: 1, kind, room: roomId, epoch: 0, author: w.ib.verified.deviceId, counter: 5, alg: 'xchacha20poly1305' },
        key,
        plaintext: new Uint8Array(0),
        publicPart,
        signingSecretKey: w.ib.device.secretKey,
      });
    for (const pp of [new Uint8Array([0xff, 1, 2]), encodeCanonical({ v: 1 }), encodeCanonical({ v: 2, type: 'grant' })]) {
      expect(code(await applyAccessRecord(provider, s, await seal(pp), w.roots, T0))).toBe('acl-ongeldig');
    }
    const real = h.log[0] as Envelope;
    expect(code(await applyAccessRecord(provider, s, await seal(real.publicPart ?? new Uint8Array(), 'update'), w.roots, T0))).toBe(
      'acl-ongeldig',
    );
    // A signature-breaking bit flip anywhere in a valid next record.
    const next = await buildAccessRecord(provider, s, {
      type: 'grant',
      signer: w.ib.signer,
      at: T0,
      counter: 2,
      change: { grants: [userGrant(w.ggd, 'leerling', 'read')], recipients: [w.ggd.certificate] },
      keyring: await h.keyring(w.ib),
    });
    if (!next.ok) throw new Error('build');
    const bytes = encodeEnvelope(next.value.envelope);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), async (i) => {
        const copy = bytes.slice();
        copy[i] = (copy[i] ?? 0) ^ 0x01;
        const env = decodeEnvelope(copy);
        if (!env.ok) return true;
        return !(await applyAccessRecord(provider, s, env.value, w.roots, T0)).ok;
      }),
      { numRuns: 60 },
    );
    expect(h.state).toBe(s);
  });

  it('[R27] a record naming the wrong toegang epoch, an oversized record, or a signer from another SWV is refused', async () => {
    const h = new DossierHarness(w);
    const s = await h.genesis();
    const key = (await h.keyring(w.ib)).get('toegang')?.get(0) ?? new Uint8Array(32);
    const next = await buildAccessRecord(provider, s, {
      type: 'grant',
      signer: w.ib.signer,
      at: T0,
      counter: 2,
      change: { grants: [userGrant(w.ggd, 'leerling', 'read')], recipients: [w.ggd.certificate] },
      keyring: await h.keyring(w.ib),
    });
    if (!next.ok) throw new Error('build');
    const wrongEpoch = await sealEnvelope(provider, {
      header: { ...next.value.envelope.header, epoch: 3 },
      key,
      plaintext: new Uint8Array(0),
      publicPart: next.value.envelope.publicPart ?? new Uint8Array(0),
      signingSecretKey: w.ib.device.secretKey,
    });
    expect(code(await applyAccessRecord(provider, s, wrongEpoch, w.roots, T0))).toBe('acl-ongeldig');
    const many = Array.from({ length: 201 }, (_, i) => userGrant(w.ggd, `hulpvraag:h${i}`, 'read'));
    const big = await buildAccessRecord(provider, s, {
      type: 'grant',
      signer: w.ib.signer,
      at: T0,
      counter: 3,
      change: { grants: many, recipients: [w.ggd.certificate] },
      keyring: await h.keyring(w.ib),
    });
    if (!big.ok) throw new Error('build');
    expect(code(await applyAccessRecord(provider, s, big.value.envelope, w.roots, T0))).toBe('acl-ongeldig');
    // An IB certified by a second SWV this relay also knows cannot write into this SWV's dossier.
    const { makeSwv, makeOrg, makeMember } = await import('./fixtures.js');
    const other = await makeSwv('swv-vo-9999');
    const foreign = await makeMember(
      other,
      await makeOrg(other, 'brin-12ab', 'OBS De Regenboog', 'school'),
      'u-ib-a',
      ['intern-begeleider'],
      { identity: w.ib.identity },
    );
    const roots = new Map([...w.roots, [other.id, other.root.publicKey]]);
    const fromOther = await buildAccessRecord(provider, s, {
      type: 'grant',
      signer: foreign.signer,
      at: T0,
      counter: 4,
      change: { grants: [userGrant(w.ggd, 'leerling', 'read')], recipients: [w.ggd.certificate] },
      keyring: await h.keyring(w.ib),
    });
    if (!fromOther.ok) throw new Error('build');
    expect(code(await applyAccessRecord(provider, s, fromOther.value.envelope, roots, T0))).toBe('onbekend-swv');
  });

  it('[R3][R28] the wire bytes of an ACL record carry no names, reasons or remarks, while members can read them', async () => {
    const { decodeAclDetails } = await import('../../core/access/acl-record.js');
    const { openEnvelope } = await import('../../core/crypto/envelope.js');
    const h = new DossierHarness(w);
    await h.genesis();
    const env = await h.build('grant', w.ib, {
      grants: [userGrant(w.ggd, 'hulpvraag:h1', 'read', at(14).getTime())],
      recipients: [w.ggd.certificate],
      reason: 'Onderzoek naar leesproblemen van Pietje',
      remarks: 'Moeder belt liever na drie uur',
      names: { 'user:u-ggd': 'Karin Bakker (GGD)' },
    });
    const wire = new TextDecoder('utf-8', { fatal: false }).decode(encodeEnvelope(env));
    for (const secret of ['Pietje', 'leesproblemen', 'Moeder', 'Karin', 'Bakker', 'Sanne', 'de Vries']) expect(wire).not.toContain(secret);
    await h.apply(env);
    const key = (await h.keyring(w.ggd)).get('toegang')?.get(env.header.epoch);
    if (key === undefined) throw new Error('ggd has no toegang key');
    const plain = await openEnvelope(provider, env, { key, room: env.header.room, epoch: env.header.epoch });
    if (!plain.ok) throw new Error(plain.error.code);
    const details = decodeAclDetails(plain.value);
    expect(details.ok && details.value.reason).toBe('Onderzoek naar leesproblemen van Pietje');
    expect(details.ok && details.value.signerProfile?.achternaam).toBe('de Vries-u-ib-a');
  });

  it('[R2][R14] a user certified by two SWVs acts in a dossier only under the certificate of the dossier’s own SWV', async () => {
    const { makeSwv, makeOrg, makeMember } = await import('./fixtures.js');
    const h = new DossierHarness(w);
    await h.genesis();
    await h.record('grant', w.ib, { grants: [userGrant(w.coordinator, 'hulpvraag:h1', 'write')], recipients: [w.coordinator.certificate] });
    const vo = await makeSwv('swv-vo-2802');
    const voSelf = await makeMember(vo, await makeOrg(vo, 'swv-bureau', 'SWV VO', 'swv'), 'u-coord', ['swv-coordinator'], {
      identity: w.coordinator.identity,
    });
    expect(code(checkAppend(h.state, voSelf.verified, room(h, 'hulpvraag:h1'), 'update', T0))).toBe('geen-toegang');
    expect(code(checkAppend(h.state, w.coordinator.verified, room(h, 'hulpvraag:h1'), 'update', T0))).toBe('ok');
  });
});
