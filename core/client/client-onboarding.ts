// Onboarding: a new SWV with its root key, invitations by the beheerder, joining with
// an invitation code, and the beheerder's device answering join requests.
import { equalBytes } from '../crypto/bytes.js';
import { decodeCanonical, encodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import { deviceIdFromPublicKey } from '../crypto/device-id.js';
import {
  createUserIdentity,
  issueDeviceCertificate,
  issueOrganisationCertificate,
  issueUserCertificate,
  type OrganisationCertificate,
  type UserCertificate,
} from '../access/certificate.js';
import { encodeDeviceChain, stripProfile, type DeviceChain } from '../access/device-chain.js';
import { asId } from '../model/ids.js';
import type { OrganisationId, SwvId, UserId } from '../model/ids.js';
import { roleLabel, rolesNotFitting, type Role } from '../model/role.js';
import { ORGANISATION_KINDS } from '../model/organisation.js';
import { ok, fail, type Result } from '../result.js';
import type { RelayConnection } from '../sync/relay-connection.js';
import type { CreateSwvInput, Invitation, InvitationInput, Onboarded } from './api.js';
import { hasIdentity, loadBeheer, saveBeheer, saveIdentity, type Identity } from './identity.js';
import {
  joinRequestBox,
  invitationOfferBox,
  sealInvitationOffer,
  openInvitationOffer,
  openPendingJoin,
  sealPendingJoin,
  INVITATION_VALID_MS,
  joinResponseBox,
  newInvitationCode,
  normaliseInvitationCode,
  openJoinRequest,
  openJoinResponse,
  sealJoinRequest,
  sealJoinResponse,
} from './onboarding.js';
import type { ClientCore, StartSession } from './client-core.js';
import { newId } from './client-core.js';
import { publishDirectory, saveDirectoryCache } from './client-directory.js';

const YEAR_MS = 365 * 24 * 3600 * 1000;

export async function createSwv(c: ClientCore, startSession: StartSession, input: CreateSwvInput): Promise<Result<Onboarded>> {
  if (await hasIdentity(c.store)) return fail('al-ingesteld', 'Op dit apparaat is al een account ingesteld.');
  const p = c.provider;
  const now = c.now();
  const validity = { validFrom: new Date(now.getTime() - 60_000), validUntil: new Date(now.getTime() + 5 * YEAR_MS) };
  const root = await p.ed25519KeyPair();
  const swvId = asId<SwvId>(newId(p));
  const orgId = asId<OrganisationId>(newId(p));
  const userId = asId<UserId>(newId(p));
  const org = await issueOrganisationCertificate(p, root.secretKey, { swv: swvId, organisation: orgId, naam: input.swvNaam, soort: 'swv', ...validity });
  const ident = await createUserIdentity(p, userId);
  const issued = await issueUserCertificate(p, root.secretKey, {
    swv: swvId,
    user: userId,
    organisation: orgId,
    roles: ['swv-beheerder'],
    signingKey: ident.signing.publicKey,
    agreementKey: ident.agreement.publicKey,
    profile: { voornaam: input.beheerder.voornaam, achternaam: input.beheerder.achternaam, functie: input.beheerder.functie, organisatie: input.swvNaam },
    ...validity,
  });
  const identity = await finishIdentity(c, {
    swvId,
    swvNaam: input.swvNaam,
    root,
    rootPublic: root.publicKey,
    org,
    user: issued.certificate,
    profile: issued.profile,
    ident,
    directoryKey: p.randomBytes(32),
    email: input.beheerder.email,
  });
  const saved = await saveIdentity(p, c.store, identity, input.passphrase, c.opts.kdf);
  if (!saved.ok) return saved;
  const recoveryCode = saved.value.recoveryCode;
  const sessionKey = saved.value.sessionKey;
  await saveBeheer(p, c.store, identity.localKey, {
    organisations: [{ id: orgId, naam: input.swvNaam, kind: 'swv', cert: encodeCanonical({ b: org.body as unknown as CanonicalValue, s: org.signature }) }],
    invitations: [],
  });
  // Tell the relay this SWV's root, so it accepts our members' certificates.
  const anon = await c.anonymous();
  if (!anon.ok) return anon;
  const reg = await anon.value.registerSwv(p, swvId, root.publicKey, root.secretKey);
  anon.value.close();
  if (!reg.ok && reg.error.code !== 'swv-bestaat-al') return reg;
  c.people.set(userId, { user: issued.certificate, profile: issued.profile, organisatieNaam: input.swvNaam, email: input.beheerder.email });
  await startSession(identity, sessionKey);
  await publishDirectory(c);
  const me = c.me();
  return me ? ok({ ...me, recoveryCode }) : fail('geen-identiteit', 'Geen account.');
}

export async function finishIdentity(c: ClientCore, x: {
  swvId: SwvId;
  swvNaam: string;
  root: { publicKey: Uint8Array; secretKey: Uint8Array } | null;
  rootPublic: Uint8Array;
  org: OrganisationCertificate;
  user: UserCertificate;
  profile: DeviceChain['profile'];
  ident: { user: UserId; signing: { publicKey: Uint8Array; secretKey: Uint8Array }; agreement: { publicKey: Uint8Array; secretKey: Uint8Array } };
  directoryKey: Uint8Array;
  email: string;
}): Promise<Identity> {
  const p = c.provider;
  const device = await p.ed25519KeyPair();
  const now = c.now();
  const deviceCert = await issueDeviceCertificate(p, x.ident, {
    devicePublicKey: device.publicKey,
    validFrom: new Date(now.getTime() - 60_000),
    validUntil: new Date(Math.min(x.user.body.validUntil, now.getTime() + 5 * YEAR_MS)),
  });
  const chain: DeviceChain = { organisation: x.org, user: x.user, device: deviceCert, ...(x.profile ? { profile: x.profile } : {}) };
  return {
    swvId: x.swvId,
    swvNaam: x.swvNaam,
    userId: x.user.body.user,
    organisationId: x.user.body.organisation,
    roles: x.user.body.roles,
    device,
    deviceId: deviceIdFromPublicKey(device.publicKey),
    userSigning: x.ident.signing,
    userAgreement: x.ident.agreement,
    chain,
    publicChainBytes: encodeDeviceChain(stripProfile(chain)),
    roots: new Map([[x.swvId, x.rootPublic]]),
    localKey: p.randomBytes(32),
    directoryKey: x.directoryKey,
    root: x.root,
    email: x.email,
  };
}

export async function createInvitation(c: ClientCore, input: InvitationInput): Promise<Result<Invitation>> {
  const idr = c.requireId();
  if (!idr.ok) return idr;
  const id = idr.value;
  if (!id.root) return fail('geen-beheerder', 'Alleen de beheerder van het samenwerkingsverband kan uitnodigen.');
  const p = c.provider;
  const beheer = await loadBeheer(p, c.store, id.localKey);
  let orgId: OrganisationId;
  let organisations = beheer.organisations;
  if ('id' in input.organisation) {
    orgId = input.organisation.id;
    if (!organisations.some((o) => o.id === orgId)) return fail('organisatie-onbekend', 'Deze organisatie is niet bekend bij dit samenwerkingsverband.');
  } else {
    const existing = organisations.find((o) => 'naam' in input.organisation && o.naam === input.organisation.naam);
    if (existing) orgId = asId<OrganisationId>(existing.id);
    else {
      orgId = asId<OrganisationId>(newId(p));
      const now = c.now();
      const cert = await issueOrganisationCertificate(p, id.root.secretKey, {
        swv: id.swvId,
        organisation: orgId,
        naam: input.organisation.naam,
        soort: input.organisation.kind,
        validFrom: new Date(now.getTime() - 60_000),
        validUntil: new Date(now.getTime() + 5 * YEAR_MS),
      });
      organisations = [
        ...organisations,
        { id: orgId, naam: input.organisation.naam, kind: input.organisation.kind, cert: encodeCanonical({ b: cert.body as unknown as CanonicalValue, s: cert.signature }) },
      ];
    }
  }
  if (input.roles.length === 0) return fail('rol-ontbreekt', 'Kies minstens één rol voor de uitgenodigde.');
  const orgKind = organisations.find((o) => o.id === orgId)?.kind ?? '';
  const misfits = rolesNotFitting(input.roles, orgKind);
  if (misfits.length > 0) {
    return fail(
      'rol-past-niet',
      `${misfits.map(roleLabel).join(', ')} ${misfits.length === 1 ? 'past' : 'passen'} niet bij een organisatie van de soort "${(ORGANISATION_KINDS as Record<string, string>)[orgKind] ?? orgKind}". Kies de rollen die bij deze organisatie horen.`,
    );
  }
  const code = newInvitationCode(p);
  const userId = asId<UserId>(newId(p));
  const validUntil = input.validUntil ? Date.parse(input.validUntil) : c.now().getTime() + YEAR_MS;
  const expiresAt = c.now().getTime() + INVITATION_VALID_MS;
  // The relay keeps the offer for 7 days by its own clock: until then a joiner learns at once that the code
  // exists; a mistyped, expired or used code finds nothing and is told so at once [P43, R59].
  const anon = await c.mailboxConnection();
  if (!anon.ok) return fail('offline', 'Geen verbinding met de relay: de uitnodiging is niet aangemaakt. Probeer het opnieuw zodra u online bent.');
  try {
    const put = await anon.value.mailboxPutFor(await invitationOfferBox(p, code), await sealInvitationOffer(p, code, expiresAt), Math.ceil(INVITATION_VALID_MS / 1000));
    if (!put.ok) return fail('offline', 'De relay heeft de uitnodiging niet aangenomen. Probeer het opnieuw.');
  } finally {
    anon.value.close();
  }
  // The organisation's certified name, also when the form left it empty (a school without members yet).
  const organisatieNaam = input.profile.organisatieNaam.trim() || (organisations.find((o) => o.id === orgId)?.naam ?? '');
  await saveBeheer(p, c.store, id.localKey, {
    organisations,
    invitations: [
      ...beheer.invitations,
      { code, userId, organisationId: orgId, roles: [...input.roles], profile: { ...input.profile, organisatieNaam }, validUntil, done: false, expiresAt },
    ],
  });
  return ok({ code, userId, organisationId: orgId });
}

export async function processJoinRequests(c: ClientCore): Promise<Result<number>> {
  const idr = c.requireId();
  if (!idr.ok) return idr;
  const id = idr.value;
  if (!id.root) return ok(0);
  const p = c.provider;
  const beheer = await loadBeheer(p, c.store, id.localKey);
  const open = beheer.invitations.filter((i) => !i.done);
  if (open.length === 0) return ok(0);
  // Logged in: the replies and takes count against this SWV, not the anonymous pool and per-address budget [P21, P29].
  const anon = await c.mailboxConnection();
  if (!anon.ok) return anon;
  let done = 0;
  let expired = 0;
  const invitations = [...beheer.invitations];
  try {
    for (const inv of open) {
      // One bad request (or invitation) never stops the others: each is handled on its own [R59].
      try {
        if (inv.expiresAt !== undefined && inv.expiresAt <= c.now().getTime()) {
          const i = invitations.findIndex((x) => x.code === inv.code);
          if (i >= 0) invitations[i] = { ...inv, done: true };
          expired++;
          continue;
        }
        const sealed = await anon.value.mailboxGet(await joinRequestBox(p, inv.code));
        if (!sealed.ok || sealed.value === null) continue;
        const req = await openJoinRequest(p, inv.code, sealed.value);
        if (!req.ok) continue;
        const orgRow = beheer.organisations.find((o) => o.id === inv.organisationId);
        if (!orgRow) continue;
        const orgVal = decodeCanonical(orgRow.cert);
        if (!orgVal.ok) continue;
        const o = orgVal.value as { b: OrganisationCertificate['body']; s: Uint8Array };
        const now = c.now();
        const issued = await issueUserCertificate(p, id.root.secretKey, {
          swv: id.swvId,
          user: asId<UserId>(inv.userId),
          organisation: asId<OrganisationId>(inv.organisationId),
          roles: inv.roles as Role[],
          signingKey: req.value.signingKey,
          agreementKey: req.value.agreementKey,
          profile: { voornaam: inv.profile.voornaam, achternaam: inv.profile.achternaam, functie: inv.profile.functie, organisatie: inv.profile.organisatieNaam.trim() || orgRow.naam },
          validFrom: new Date(now.getTime() - 60_000),
          validUntil: new Date(inv.validUntil),
        });
        const response = await sealJoinResponse(p, inv.code, {
          swvId: id.swvId,
          swvNaam: id.swvNaam,
          root: id.root.publicKey,
          org: { body: o.b, signature: o.s },
          user: issued.certificate,
          profile: issued.profile,
          directoryKey: id.directoryKey,
          email: inv.profile.email,
        });
        const put = await anon.value.mailboxPut(await joinResponseBox(p, inv.code), response);
        if (!put.ok) continue;
        // Used: the offer and the request are deleted, so the code is answered as unknown from now on [P43].
        await anon.value.mailboxTake(await invitationOfferBox(p, inv.code));
        await anon.value.mailboxTake(await joinRequestBox(p, inv.code));
        c.people.set(issued.certificate.body.user, {
          user: issued.certificate,
          profile: issued.profile,
          organisatieNaam: orgRow.naam,
          email: inv.profile.email,
        });
        const i = invitations.findIndex((x) => x.code === inv.code);
        if (i >= 0) invitations[i] = { ...inv, done: true };
        done++;
      } catch {
        // Skipped this round, tried again at the next tick; the reason never reaches a screen as raw text.
        continue;
      }
    }
  } finally {
    anon.value.close();
  }
  if (expired > 0 && done === 0) await saveBeheer(p, c.store, id.localKey, { organisations: beheer.organisations, invitations });
  if (done > 0) {
    await saveBeheer(p, c.store, id.localKey, { organisations: beheer.organisations, invitations });
    await saveDirectoryCache(c);
    await publishDirectory(c);
    c.emit({ kind: 'directory' });
  }
  return ok(done);
}

/** Local meta key of a join that waits for the beheerder (sealed under the code). */
const PENDING_JOIN = 'wachtende-aanmelding';

export async function joinWithInvitation(c: ClientCore, startSession: StartSession, rawCode: string, passphrase: string, timeoutMs = 30_000): Promise<Result<Onboarded>> {
  if (await hasIdentity(c.store)) return fail('al-ingesteld', 'Op dit apparaat is al een account ingesteld.');
  const code = normaliseInvitationCode(rawCode);
  if (!code.ok) return code;
  const p = c.provider;
  const placeholder = asId<UserId>('nog-onbekend');
  // A join with this code that waited for the beheerder before (browser closed, time-out) goes on with the same keys.
  const pendingSealed = await c.store.getMeta(PENDING_JOIN);
  const pending = pendingSealed !== undefined && pendingSealed.length > 0 ? await openPendingJoin(p, code.value, pendingSealed) : null;
  const ident = pending?.ok
    ? { user: placeholder, signing: await p.ed25519KeyPair(pending.value.signing), agreement: await p.x25519KeyPair(pending.value.agreement) }
    : await createUserIdentity(p, placeholder);
  const first = await c.anonymous();
  if (!first.ok) return first;
  let anon: RelayConnection = first.value;
  try {
    if (!pending?.ok) {
      // Is there an open invitation under this code? Answered at once, not after waiting for a beheerder [P43, R59].
      const offer = await anon.mailboxGet(await invitationOfferBox(p, code.value));
      if (!offer.ok) return fail('geen-verbinding', 'Geen verbinding met de relay. Probeer het zo opnieuw.');
      const opened = offer.value === null ? null : await openInvitationOffer(p, code.value, offer.value);
      if (opened === null || !opened.ok) {
        return fail('code-onbekend', 'Onder deze code staat geen open uitnodiging: de code is verkeerd overgenomen, verlopen of al gebruikt. Controleer de code of vraag de beheerder om een nieuwe uitnodiging.');
    }
    if (opened.value.expiresAt <= c.now().getTime()) return fail('code-verlopen', 'Deze uitnodiging is verlopen. Vraag de beheerder om een nieuwe uitnodiging.');
    await c.store.putMeta(PENDING_JOIN, await sealPendingJoin(p, code.value, { signing: ident.signing.secretKey, agreement: ident.agreement.secretKey }));
    const put = await anon.mailboxPut(
      await joinRequestBox(p, code.value),
      await sealJoinRequest(p, code.value, { signingKey: ident.signing.publicKey, agreementKey: ident.agreement.publicKey }),
    );
    if (!put.ok) return put;
    }
    const deadline = Date.now() + timeoutMs;
    const box = await joinResponseBox(p, code.value);
    while (Date.now() < deadline) {
      // The relay closes an unauthenticated connection after a while (30 s by default) while the
      // beheerder may take longer to confirm: the request is stored, so polling goes on over a new one.
      if (!anon.ready) {
        anon.close();
        const again = await c.anonymous();
        if (!again.ok) {
          await new Promise((res) => setTimeout(res, 1000));
          continue;
        }
        anon = again.value;
      }
      const got = await anon.mailboxGet(box);
      if (got.ok && got.value !== null) {
        const resp = await openJoinResponse(p, code.value, got.value);
        if (!resp.ok) return resp;
        const r = resp.value;
        if (!equalBytes(r.user.body.signingKey, ident.signing.publicKey) || !equalBytes(r.user.body.agreementKey, ident.agreement.publicKey)) {
          return fail('antwoord-onjuist', 'Het certificaat van de beheerder hoort niet bij dit apparaat.');
        }
        const identity = await finishIdentity(c, {
          swvId: r.swvId,
          swvNaam: r.swvNaam,
          root: null,
          rootPublic: r.root,
          org: r.org,
          user: r.user,
          profile: r.profile,
          ident: { user: r.user.body.user, signing: ident.signing, agreement: ident.agreement },
          directoryKey: r.directoryKey,
          email: r.email,
        });
        const saved = await saveIdentity(p, c.store, identity, passphrase, c.opts.kdf);
        if (!saved.ok) return saved;
        await c.store.putMeta(PENDING_JOIN, new Uint8Array(0));
        c.people.set(r.user.body.user, { user: r.user, profile: r.profile, organisatieNaam: r.org.body.naam, email: r.email });
        await startSession(identity, saved.value.sessionKey);
        const me = c.me();
        return me ? ok({ ...me, recoveryCode: saved.value.recoveryCode }) : fail('geen-identiteit', 'Geen account.');
      }
      await new Promise((res) => setTimeout(res, 300));
    }
    return fail('geen-antwoord', 'De beheerder heeft uw aanmelding nog niet bevestigd. Uw aanmelding blijft staan: probeer het later opnieuw met dezelfde code.');
  } finally {
    anon.close();
  }
}
