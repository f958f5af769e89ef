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
import { isOuderOnly, roleLabel, rolesNotFitting, type Role } from '../model/role.js';
import { ORGANISATION_KINDS } from '../model/organisation.js';
import { ok, fail, type Result } from '../result.js';
import type { RelayConnection } from '../sync/relay-connection.js';
import type { CreateSwvInput, Invitation, InvitationInput, InvitationStatus, InvitationStatusName, Onboarded } from './api.js';
import {
  hasIdentity,
  loadBeheer,
  saveBeheer,
  saveDirectoryKeys,
  saveIdentity,
  saveRootSlot,
  type Identity,
  type JoinRequestSeen,
  type PendingInvitation,
} from './identity.js';
import {
  joinChallengeBox,
  joinRequestBox,
  joinSas,
  normaliseSas,
  openJoinChallenge,
  sealJoinChallenge,
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
  MAX_APPARATEN,
} from './onboarding.js';
import type { ClientCore, StartSession } from './client-core.js';
import { newId } from './client-core.js';
import { publishDirectory, saveDirectoryCache } from './client-directory.js';

const YEAR_MS = 365 * 24 * 3600 * 1000;

export async function createSwv(c: ClientCore, startSession: StartSession, input: CreateSwvInput): Promise<Result<Onboarded>> {
  if (await hasIdentity(c.store)) return fail('al-ingesteld', 'Op dit apparaat is al een account ingesteld.');
  // The root gets its own passphrase: one that the daily unlock also opens would put it back in the daily payload [R102].
  if (input.rootPassphrase === input.passphrase) {
    return fail('basiswachtwoord-gelijk', 'Kies voor de basissleutel een ander wachtwoord dan uw dagelijkse wachtwoord.');
  }
  const p = c.provider;
  const now = c.now();
  const validity = { validFrom: new Date(now.getTime() - 60_000), validUntil: new Date(now.getTime() + 5 * YEAR_MS) };
  const root = await p.ed25519KeyPair();
  const swvId = asId<SwvId>(newId(p));
  const orgId = asId<OrganisationId>(newId(p));
  const userId = asId<UserId>(newId(p));
  const org = await issueOrganisationCertificate(p, root.secretKey, {
    swv: swvId,
    organisation: orgId,
    naam: input.swvNaam,
    soort: 'swv',
    ...validity,
  });
  const ident = await createUserIdentity(p, userId);
  const issued = await issueUserCertificate(p, root.secretKey, {
    swv: swvId,
    user: userId,
    organisation: orgId,
    roles: ['swv-beheerder'],
    signingKey: ident.signing.publicKey,
    agreementKey: ident.agreement.publicKey,
    profile: {
      voornaam: input.beheerder.voornaam,
      achternaam: input.beheerder.achternaam,
      functie: input.beheerder.functie,
      organisatie: input.swvNaam,
    },
    ...validity,
  });
  const identity = await finishIdentity(c, {
    swvId,
    swvNaam: input.swvNaam,
    beheert: true,
    rootPublic: root.publicKey,
    org,
    user: issued.certificate,
    profile: issued.profile,
    ident,
    directoryKey: p.randomBytes(32),
    staffKey: p.randomBytes(32),
    email: input.beheerder.email,
  });
  const rootSlot = await saveRootSlot(p, c.store, root.secretKey, input.rootPassphrase, c.opts.kdf);
  if (!rootSlot.ok) return fail(rootSlot.error.code, `Basissleutel: ${rootSlot.error.message}`);
  const saved = await saveIdentity(p, c.store, identity, input.passphrase, c.opts.kdf);
  if (!saved.ok) return saved;
  const recoveryCode = saved.value.recoveryCode;
  const sessionKey = saved.value.sessionKey;
  await saveBeheer(p, c.store, identity.localKey, {
    organisations: [
      {
        id: orgId,
        naam: input.swvNaam,
        kind: 'swv',
        cert: encodeCanonical({ b: org.body as unknown as CanonicalValue, s: org.signature }),
      },
    ],
    invitations: [],
  });
  // Tell the relay this SWV's root, so it accepts our members' certificates.
  const anon = await c.anonymous();
  if (!anon.ok) return anon;
  const reg = await anon.value.registerSwv(p, swvId, root.publicKey, root.secretKey);
  anon.value.close();
  if (!reg.ok && reg.error.code !== 'swv-bestaat-al') return reg;
  c.directory.putPerson(userId, {
    user: issued.certificate,
    profile: issued.profile,
    organisatieNaam: input.swvNaam,
    email: input.beheerder.email,
  });
  await startSession(identity, sessionKey);
  // Right after the ceremony the root stays unlocked in memory for the first Beheer actions, until lockRoot or lock.
  c.session.unlockRoot(root);
  await publishDirectory(c);
  const me = c.me();
  return me ? ok({ ...me, recoveryCode, rootRecoveryCode: rootSlot.value.recoveryCode }) : fail('geen-identiteit', 'Geen account.');
}

export async function finishIdentity(
  c: ClientCore,
  x: {
    swvId: SwvId;
    swvNaam: string;
    beheert: boolean;
    rootPublic: Uint8Array;
    org: OrganisationCertificate;
    user: UserCertificate;
    profile: DeviceChain['profile'];
    ident: {
      user: UserId;
      signing: { publicKey: Uint8Array; secretKey: Uint8Array };
      agreement: { publicKey: Uint8Array; secretKey: Uint8Array };
    };
    directoryKey: Uint8Array;
    staffKey: Uint8Array | null;
    directoryEpoch?: number;
    email: string;
  },
): Promise<Identity> {
  const p = c.provider;
  // The device key is the key the SWV certified for this device: made here, never copied to another device [R145, P90].
  const device = x.ident.signing;
  const now = c.now();
  const deviceCert = await issueDeviceCertificate(p, x.ident, {
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
    staffKey: x.staffKey,
    directoryEpoch: x.directoryEpoch ?? 0,
    beheert: x.beheert,
    email: x.email,
  };
}

export async function createInvitation(c: ClientCore, input: InvitationInput): Promise<Result<Invitation>> {
  const idr = c.requireId();
  if (!idr.ok) return idr;
  const id = idr.value;
  if (!id.beheert) return fail('geen-beheerder', 'Alleen de beheerder van het samenwerkingsverband kan uitnodigen.');
  const p = c.provider;
  const beheer = await loadBeheer(p, c.store, id.localKey);
  let orgId: OrganisationId;
  let organisations = beheer.organisations;
  if ('id' in input.organisation) {
    orgId = input.organisation.id;
    if (!organisations.some((o) => o.id === orgId))
      return fail('organisatie-onbekend', 'Deze organisatie is niet bekend bij dit samenwerkingsverband.');
  } else {
    const existing = organisations.find((o) => 'naam' in input.organisation && o.naam === input.organisation.naam);
    if (existing) orgId = asId<OrganisationId>(existing.id);
    else {
      // Certifying a new organisation is a Beheer action: the root must be unlocked for it [R102].
      if (!c.session.rootKey) return rootLocked();
      orgId = asId<OrganisationId>(newId(p));
      const now = c.now();
      const cert = await issueOrganisationCertificate(p, c.session.rootKey.secretKey, {
        swv: id.swvId,
        organisation: orgId,
        naam: input.organisation.naam,
        soort: input.organisation.kind,
        validFrom: new Date(now.getTime() - 60_000),
        validUntil: new Date(now.getTime() + 5 * YEAR_MS),
      });
      organisations = [
        ...organisations,
        {
          id: orgId,
          naam: input.organisation.naam,
          kind: input.organisation.kind,
          cert: encodeCanonical({ b: cert.body as unknown as CanonicalValue, s: cert.signature }),
        },
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
  const userId = asId<UserId>(newId(p));
  const validUntil = input.validUntil ? Date.parse(input.validUntil) : c.now().getTime() + YEAR_MS;
  const offered = await postInvitationOffer(c);
  if (!offered.ok) return offered;
  const { code, expiresAt } = offered.value;
  // The organisation's certified name, also when the form left it empty (a school without members yet).
  const organisatieNaam = input.profile.organisatieNaam.trim() || (organisations.find((o) => o.id === orgId)?.naam ?? '');
  await saveBeheer(p, c.store, id.localKey, {
    organisations,
    invitations: [
      ...beheer.invitations,
      {
        code,
        userId,
        organisationId: orgId,
        roles: [...input.roles],
        profile: { ...input.profile, organisatieNaam },
        validUntil,
        done: false,
        expiresAt,
      },
    ],
  });
  return ok({ code, userId, organisationId: orgId });
}

/**
 * A fresh code whose offer the relay keeps for 7 days by its own clock: until then a joiner learns at once
 * that the code exists; a mistyped, expired or used code finds nothing and is told so at once [P43, R59].
 */
async function postInvitationOffer(c: ClientCore): Promise<Result<{ code: string; expiresAt: number }>> {
  const p = c.provider;
  const code = newInvitationCode(p);
  const expiresAt = c.now().getTime() + INVITATION_VALID_MS;
  const anon = await c.mailboxConnection();
  if (!anon.ok)
    return fail('offline', 'Geen verbinding met de relay: de uitnodiging is niet aangemaakt. Probeer het opnieuw zodra u online bent.');
  try {
    const put = await anon.value.mailboxPutFor(
      await invitationOfferBox(p, code),
      await sealInvitationOffer(p, code, expiresAt),
      Math.ceil(INVITATION_VALID_MS / 1000),
    );
    if (!put.ok) return fail('offline', 'De relay heeft de uitnodiging niet aangenomen. Probeer het opnieuw.');
  } finally {
    anon.value.close();
  }
  return ok({ code, expiresAt });
}

/**
 * Beheerder: an invitation for another device of a member. The new browser makes its own keys and joins
 * with the code like anyone else; approved with the controlecode, it gets its own certificate from the
 * root for the same person, organisation, roles and profile. No key of the member's other devices is ever
 * copied, so revoking one device leaves nothing on it that opens later work [R145, R148, P90].
 */
export async function inviteDevice(c: ClientCore, userId: UserId): Promise<Result<Invitation>> {
  const idr = c.requireId();
  if (!idr.ok) return idr;
  const id = idr.value;
  if (!id.beheert) return fail('geen-beheerder', 'Alleen de beheerder van het samenwerkingsverband koppelt een extra apparaat.');
  const person = c.directory.person(userId);
  if (!person) return fail('persoon-onbekend', 'Deze persoon staat niet in de ledenlijst van het samenwerkingsverband.');
  const ended = c.directory.endOf(userId);
  if (ended !== undefined && ended.endedAt <= c.now().getTime())
    return fail('gebruiker-beeindigd', 'Deze persoon is uit dienst gemeld; een extra apparaat kan niet meer worden gekoppeld.');
  if (c.directory.certificatesOf(userId).length >= MAX_APPARATEN + 1) {
    return fail(
      'te-veel-apparaten',
      `Deze persoon heeft al ${MAX_APPARATEN + 1} apparaten. Trek eerst een apparaat in dat niet meer wordt gebruikt.`,
    );
  }
  const p = c.provider;
  const beheer = await loadBeheer(p, c.store, id.localKey);
  const offered = await postInvitationOffer(c);
  if (!offered.ok) return offered;
  const { code, expiresAt } = offered.value;
  const u = person.user.body;
  await saveBeheer(p, c.store, id.localKey, {
    organisations: beheer.organisations,
    invitations: [
      ...beheer.invitations,
      {
        code,
        userId: u.user,
        organisationId: u.organisation,
        roles: [...u.roles],
        profile: {
          voornaam: person.profile.voornaam,
          achternaam: person.profile.achternaam,
          functie: person.profile.functie,
          organisatieNaam: person.organisatieNaam,
          email: person.email,
        },
        validUntil: u.validUntil,
        done: false,
        expiresAt,
        apparaat: true,
      },
    ],
  });
  c.emit({ kind: 'invitations' });
  return ok({ code, userId: u.user, organisationId: u.organisation });
}

/** The invitation of this person that is still open (a person may have a used one and one for another device). */
const invitationOf = (invitations: readonly PendingInvitation[], userId: string): PendingInvitation | undefined =>
  [...invitations].reverse().find((i) => i.userId === userId && !i.done && i.state === undefined) ??
  [...invitations].reverse().find((i) => i.userId === userId);

/** More distinct join requests than this under one code: the code has leaked; approval is refused [R100]. */
export const MAX_JOIN_REQUESTS = 3;

const rootLocked = <T>(): Result<T> =>
  fail(
    'basissleutel-vergrendeld',
    'Ontgrendel eerst de basissleutel van het samenwerkingsverband (Beheer) met het wachtwoord van de basissleutel.',
  );

const isOpen = (inv: PendingInvitation, now: number): boolean =>
  !inv.done && inv.state === undefined && (inv.expiresAt === undefined || inv.expiresAt > now);

/** Invitation status for Beheer, from the sealed beheer state [P80]. */
export function invitationStatus(inv: PendingInvitation, now: number): InvitationStatusName {
  if (inv.state) return inv.state;
  if (inv.done) return 'gebruikt';
  if (inv.expiresAt !== undefined && inv.expiresAt <= now) return 'verlopen';
  const requests = inv.requests ?? [];
  if (requests.length > MAX_JOIN_REQUESTS) return 'geblokkeerd';
  return requests.some((r) => r.challenged) ? 'wacht-op-goedkeuring' : 'open';
}

export async function listInvitations(c: ClientCore): Promise<Result<readonly InvitationStatus[]>> {
  const idr = c.requireId();
  if (!idr.ok) return idr;
  const id = idr.value;
  if (!id.beheert) return fail('geen-beheerder', 'Alleen de beheerder van het samenwerkingsverband ziet de uitnodigingen.');
  const p = c.provider;
  const beheer = await loadBeheer(p, c.store, id.localKey);
  const now = c.now().getTime();
  const out: InvitationStatus[] = [];
  for (const inv of beheer.invitations) {
    const status = invitationStatus(inv, now);
    const live = status === 'open' || status === 'wacht-op-goedkeuring' || status === 'geblokkeerd';
    const sas: string[] = [];
    if (live) for (const r of inv.requests ?? []) if (r.challenged) sas.push(await joinSas(p, inv.code, r, r.nonce));
    out.push({
      userId: asId<UserId>(inv.userId),
      organisationId: asId<OrganisationId>(inv.organisationId),
      organisatieNaam: inv.profile.organisatieNaam || (beheer.organisations.find((o) => o.id === inv.organisationId)?.naam ?? ''),
      profile: inv.profile,
      roles: inv.roles as Role[],
      status,
      code: live && inv.code !== '' ? inv.code : null,
      geldigTot: inv.expiresAt === undefined ? null : new Date(inv.expiresAt).toISOString(),
      sas,
      apparaat: inv.apparaat === true,
    });
  }
  return ok(out);
}

/**
 * Beheerder's device, every tick: reads the join requests under each open invitation and answers each
 * distinct one with a challenge (a fresh nonce in a box only that request's keys name), so both screens
 * can show the same SAS. It certifies nobody: that is `approveJoin`, with the root unlocked [P80, R100].
 * Returns how many new requests were seen.
 */
export async function processJoinRequests(c: ClientCore): Promise<Result<number>> {
  const idr = c.requireId();
  if (!idr.ok) return idr;
  const id = idr.value;
  if (!id.beheert) return ok(0);
  const p = c.provider;
  const beheer = await loadBeheer(p, c.store, id.localKey);
  const now = c.now().getTime();
  const active = beheer.invitations.filter((i) => !i.done && i.state === undefined);
  if (active.length === 0) return ok(0);
  // Logged in: the challenges and takes count against this SWV, not the anonymous pool and per-address budget [P21, P29].
  const anon = await c.mailboxConnection();
  if (!anon.ok) return anon;
  let seen = 0;
  let changed = false;
  const invitations = [...beheer.invitations];
  const replace = (inv: PendingInvitation, next: PendingInvitation): void => {
    const i = invitations.indexOf(inv);
    if (i >= 0) invitations[i] = next;
    changed = true;
  };
  try {
    for (const inv of active) {
      // One bad request (or invitation) never stops the others: each is handled on its own [R59].
      try {
        if (!isOpen(inv, now)) {
          await anon.value.mailboxTake(await joinRequestBox(p, inv.code));
          replace(inv, { ...inv, code: '', done: true, state: 'verlopen', requests: [] });
          continue;
        }
        let requests = [...(inv.requests ?? [])];
        // Taken, so that each request a leaked code produces shows up on its own at the next round [R100].
        const sealed = await anon.value.mailboxTake(await joinRequestBox(p, inv.code));
        if (sealed.ok && sealed.value !== null && sealed.value.length > 0) {
          const req = await openJoinRequest(p, inv.code, sealed.value);
          if (req.ok && !requests.some((r) => equalBytes(r.signingKey, req.value.signingKey))) {
            requests.push({
              signingKey: req.value.signingKey,
              agreementKey: req.value.agreementKey,
              nonce: p.randomBytes(16),
              challenged: false,
              seenAt: now,
            });
            seen++;
          }
        }
        if (requests.length > MAX_JOIN_REQUESTS) {
          if (requests.length !== (inv.requests ?? []).length) replace(inv, { ...inv, requests });
          continue;
        }
        const ttl = Math.max(1, Math.ceil(((inv.expiresAt ?? now + INVITATION_VALID_MS) - now) / 1000));
        const posted: JoinRequestSeen[] = [];
        for (const r of requests) {
          if (r.challenged) {
            posted.push(r);
            continue;
          }
          const put = await anon.value.mailboxPutFor(
            await joinChallengeBox(p, inv.code, r.signingKey),
            await sealJoinChallenge(p, inv.code, r.signingKey, r.nonce),
            ttl,
          );
          posted.push({ ...r, challenged: put.ok });
        }
        requests = posted;
        if (
          JSON.stringify(requests.map((r) => [r.challenged, r.seenAt])) !==
          JSON.stringify((inv.requests ?? []).map((r) => [r.challenged, r.seenAt]))
        ) {
          replace(inv, { ...inv, requests });
        }
      } catch {
        // Skipped this round, tried again at the next tick; the reason never reaches a screen as raw text.
        continue;
      }
    }
  } finally {
    anon.value.close();
  }
  if (changed) {
    await saveBeheer(p, c.store, id.localKey, { organisations: beheer.organisations, invitations });
    c.emit({ kind: 'invitations' });
  }
  return ok(seen);
}

/**
 * Beheerder: approves the join request whose SAS the invitee read back. Only now is the certificate issued
 * (root unlocked) and put in the response box; the offer and request are deleted [P80, R100].
 */
export async function approveJoin(c: ClientCore, userId: UserId, sasRead: string): Promise<Result<void>> {
  const idr = c.requireId();
  if (!idr.ok) return idr;
  const id = idr.value;
  if (!id.beheert) return fail('geen-beheerder', 'Alleen de beheerder van het samenwerkingsverband keurt aanmeldingen goed.');
  if (!c.session.rootKey) return rootLocked();
  const root = c.session.rootKey;
  const p = c.provider;
  const beheer = await loadBeheer(p, c.store, id.localKey);
  const inv = invitationOf(beheer.invitations, userId);
  if (!inv) return fail('uitnodiging-onbekend', 'Deze uitnodiging is niet bekend.');
  const status = invitationStatus(inv, c.now().getTime());
  if (status === 'geblokkeerd') {
    return fail(
      'code-uitgelekt',
      `Onder deze code kwamen meer dan ${MAX_JOIN_REQUESTS} aanmeldingen binnen: de code is waarschijnlijk uitgelekt. Trek de uitnodiging in en maak een nieuwe.`,
    );
  }
  if (status !== 'wacht-op-goedkeuring')
    return fail(
      'geen-aanmelding',
      status === 'open' ? 'Onder deze uitnodiging wacht nog geen aanmelding.' : 'Deze uitnodiging is niet meer open.',
    );
  const wanted = normaliseSas(sasRead);
  const matching: JoinRequestSeen[] = [];
  for (const r of inv.requests ?? []) if (r.challenged && normaliseSas(await joinSas(p, inv.code, r, r.nonce)) === wanted) matching.push(r);
  const req = matching.length === 1 ? matching[0] : undefined;
  if (!req || wanted.length !== 6) {
    return fail(
      'sas-onjuist',
      'De controlecode die de genodigde voorleest hoort bij geen aanmelding onder deze uitnodiging. Keur niets goed; trek bij twijfel de uitnodiging in.',
    );
  }
  const orgRow = beheer.organisations.find((o) => o.id === inv.organisationId);
  const orgVal = orgRow ? decodeCanonical(orgRow.cert) : undefined;
  if (!orgRow || !orgVal?.ok) return fail('organisatie-onbekend', 'De organisatie van deze uitnodiging is niet bekend.');
  const o = orgVal.value as { b: OrganisationCertificate['body']; s: Uint8Array };
  const now = c.now();
  // Another device of a member: the very same person, so the very same profile commitment [R148].
  const bestaand = inv.apparaat === true ? c.directory.person(asId<UserId>(inv.userId)) : undefined;
  if (inv.apparaat === true && !bestaand)
    return fail('persoon-onbekend', 'Deze persoon staat niet meer in de ledenlijst; het apparaat is niet gekoppeld.');
  const issued = await issueUserCertificate(p, root.secretKey, {
    swv: id.swvId,
    user: asId<UserId>(inv.userId),
    organisation: asId<OrganisationId>(inv.organisationId),
    roles: inv.roles as Role[],
    signingKey: req.signingKey,
    agreementKey: req.agreementKey,
    profile: bestaand
      ? bestaand.profile
      : {
          voornaam: inv.profile.voornaam,
          achternaam: inv.profile.achternaam,
          functie: inv.profile.functie,
          organisatie: inv.profile.organisatieNaam.trim() || orgRow.naam,
        },
    validFrom: new Date(now.getTime() - 60_000),
    validUntil: new Date(inv.validUntil),
  });
  const response = await sealJoinResponse(p, inv.code, req.agreementKey, {
    swvId: id.swvId,
    swvNaam: id.swvNaam,
    root: root.publicKey,
    org: { body: o.b, signature: o.s },
    user: issued.certificate,
    profile: issued.profile,
    directoryKey: id.directoryKey,
    email: inv.profile.email,
    // Ouders get the staff list but not the key of the ouders' pages: they are not listed to one another [R103].
    ...(id.staffKey && !isOuderOnly(inv.roles as Role[]) ? { staffKey: id.staffKey } : {}),
    // The current keys, after any rotation: a newcomer needs no delivery of keys made before she joined [P48].
    directoryEpoch: id.directoryEpoch,
  });
  const anon = await c.mailboxConnection();
  if (!anon.ok)
    return fail('offline', 'Geen verbinding met de relay: de aanmelding is niet goedgekeurd. Probeer het opnieuw zodra u online bent.');
  try {
    const ttl = Math.max(60, Math.ceil(((inv.expiresAt ?? now.getTime() + INVITATION_VALID_MS) - now.getTime()) / 1000));
    const put = await anon.value.mailboxPutFor(await joinResponseBox(p, inv.code), response, ttl);
    if (!put.ok) return fail('offline', 'De relay heeft de goedkeuring niet aangenomen. Probeer het opnieuw.');
    // Used: the offer, the request and the challenges are deleted, so the code is unknown from now on [P43].
    await anon.value.mailboxTake(await invitationOfferBox(p, inv.code));
    await anon.value.mailboxTake(await joinRequestBox(p, inv.code));
    for (const r of inv.requests ?? []) await anon.value.mailboxTake(await joinChallengeBox(p, inv.code, r.signingKey));
  } finally {
    anon.value.close();
  }
  c.directory.putPerson(
    issued.certificate.body.user,
    bestaand
      ? { ...bestaand, apparaten: [...(bestaand.apparaten ?? []), issued.certificate] }
      : { user: issued.certificate, profile: issued.profile, organisatieNaam: orgRow.naam, email: inv.profile.email },
  );
  const invitations = beheer.invitations.map((x) =>
    x === inv ? { ...x, code: '', done: true, state: 'gebruikt' as const, requests: [] } : x,
  );
  await saveBeheer(p, c.store, id.localKey, { organisations: beheer.organisations, invitations });
  await saveDirectoryCache(c);
  await publishDirectory(c);
  c.emit({ kind: 'directory' });
  c.emit({ kind: 'invitations' });
  return ok(undefined);
}

/** Beheerder: withdraws an invitation; the relay deletes its offer, so the code is answered as unknown at once. */
export async function withdrawInvitation(c: ClientCore, userId: UserId): Promise<Result<void>> {
  const idr = c.requireId();
  if (!idr.ok) return idr;
  const id = idr.value;
  if (!id.beheert) return fail('geen-beheerder', 'Alleen de beheerder van het samenwerkingsverband trekt uitnodigingen in.');
  const p = c.provider;
  const beheer = await loadBeheer(p, c.store, id.localKey);
  const inv = invitationOf(beheer.invitations, userId);
  if (!inv) return fail('uitnodiging-onbekend', 'Deze uitnodiging is niet bekend.');
  if (inv.done || inv.state !== undefined) return fail('niet-open', 'Deze uitnodiging is niet meer open.');
  const anon = await c.mailboxConnection();
  if (!anon.ok)
    return fail('offline', 'Geen verbinding met de relay: de uitnodiging is niet ingetrokken. Probeer het opnieuw zodra u online bent.');
  try {
    const taken = await anon.value.mailboxTake(await invitationOfferBox(p, inv.code));
    if (!taken.ok) return fail('offline', 'De relay heeft het intrekken niet bevestigd. Probeer het opnieuw.');
    await anon.value.mailboxTake(await joinRequestBox(p, inv.code));
    for (const r of inv.requests ?? []) await anon.value.mailboxTake(await joinChallengeBox(p, inv.code, r.signingKey));
  } finally {
    anon.value.close();
  }
  const invitations = beheer.invitations.map((x) =>
    x === inv ? { ...x, code: '', done: true, state: 'ingetrokken' as const, requests: [] } : x,
  );
  await saveBeheer(p, c.store, id.localKey, { organisations: beheer.organisations, invitations });
  c.emit({ kind: 'invitations' });
  return ok(undefined);
}

/** Local meta key of a join that waits for the beheerder (sealed under the code). */
const PENDING_JOIN = 'wachtende-aanmelding';

/**
 * Joiner: posts (or posts again) the join request and waits for the beheerder's approval, for as long as
 * `timeoutMs`; `onSas` gets the six digits to read back once the beheerder's device has seen the request.
 * The keys are kept sealed under the code, so closing the browser and entering the code again goes on
 * with the same request [R59, P80].
 */
export async function joinWithInvitation(
  c: ClientCore,
  startSession: StartSession,
  rawCode: string,
  passphrase: string,
  timeoutMs = 30_000,
  onSas?: (sas: string) => void,
): Promise<Result<Onboarded>> {
  if (await hasIdentity(c.store)) return fail('al-ingesteld', 'Op dit apparaat is al een account ingesteld.');
  const code = normaliseInvitationCode(rawCode);
  if (!code.ok) return code;
  const p = c.provider;
  const placeholder = asId<UserId>('nog-onbekend');
  // A join with this code that waited for the beheerder before (browser closed, time-out) goes on with the same keys.
  const pendingSealed = await c.store.getMeta(PENDING_JOIN);
  const pending = pendingSealed !== undefined && pendingSealed.length > 0 ? await openPendingJoin(p, code.value, pendingSealed) : null;
  const ident = pending?.ok
    ? {
        user: placeholder,
        signing: await p.ed25519KeyPair(pending.value.signing),
        agreement: await p.x25519KeyPair(pending.value.agreement),
      }
    : await createUserIdentity(p, placeholder);
  const request = { signingKey: ident.signing.publicKey, agreementKey: ident.agreement.publicKey };
  const first = await c.anonymous();
  if (!first.ok) return first;
  let anon: RelayConnection = first.value;
  const responseBox = await joinResponseBox(p, code.value);
  const challengeBox = await joinChallengeBox(p, code.value, ident.signing.publicKey);
  try {
    const answered = pending?.ok ? await anon.mailboxGet(responseBox) : null;
    if (!answered?.ok || answered.value === null || answered.value.length === 0) {
      // Is there an open invitation under this code? Answered at once, not after waiting for a beheerder [P43, R59].
      const offer = await anon.mailboxGet(await invitationOfferBox(p, code.value));
      if (!offer.ok) return fail('geen-verbinding', 'Geen verbinding met de relay. Probeer het zo opnieuw.');
      const opened = offer.value === null || offer.value.length === 0 ? null : await openInvitationOffer(p, code.value, offer.value);
      if (opened === null || !opened.ok) {
        return fail(
          'code-onbekend',
          'Onder deze code staat geen open uitnodiging: de code is verkeerd overgenomen, verlopen, ingetrokken of al gebruikt. Controleer de code of vraag de beheerder om een nieuwe uitnodiging.',
        );
      }
      if (opened.value.expiresAt <= c.now().getTime())
        return fail('code-verlopen', 'Deze uitnodiging is verlopen. Vraag de beheerder om een nieuwe uitnodiging.');
      if (!pending?.ok)
        await c.store.putMeta(
          PENDING_JOIN,
          await sealPendingJoin(p, code.value, { signing: ident.signing.secretKey, agreement: ident.agreement.secretKey }),
        );
      // Posted again on every attempt: the beheerder's device takes requests as it sees them (and knows these keys already).
      const ttl = Math.max(1, Math.ceil((opened.value.expiresAt - c.now().getTime()) / 1000));
      const put = await anon.mailboxPutFor(await joinRequestBox(p, code.value), await sealJoinRequest(p, code.value, request), ttl);
      if (!put.ok) return put;
    }
    const deadline = Date.now() + timeoutMs;
    let shown: string | null = null;
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
      if (shown === null) {
        const ch = await anon.mailboxGet(challengeBox);
        if (ch.ok && ch.value !== null && ch.value.length > 0) {
          const opened = await openJoinChallenge(p, code.value, ch.value);
          if (opened.ok && equalBytes(opened.value.signingKey, ident.signing.publicKey)) {
            shown = await joinSas(p, code.value, request, opened.value.nonce);
            onSas?.(shown);
            c.emit({ kind: 'join-sas', sas: shown });
          }
        }
      }
      const got = await anon.mailboxGet(responseBox);
      if (got.ok && got.value !== null && got.value.length > 0) {
        const resp = await openJoinResponse(p, code.value, ident.agreement, got.value);
        // An answer this device cannot open was sealed to another request's key: someone else was approved [R100, R150].
        const r = resp.ok ? resp.value : null;
        if (
          r === null ||
          !equalBytes(r.user.body.signingKey, ident.signing.publicKey) ||
          !equalBytes(r.user.body.agreementKey, ident.agreement.publicKey)
        ) {
          // Someone else's request under this code was approved: this device is not let in [R100].
          await c.store.putMeta(PENDING_JOIN, new Uint8Array(0));
          return fail(
            'niet-goedgekeurd',
            'De beheerder heeft een andere aanmelding onder deze code goedgekeurd. Neem contact op met de beheerder: de code is mogelijk door iemand anders gebruikt.',
          );
        }
        const identity = await finishIdentity(c, {
          swvId: r.swvId,
          swvNaam: r.swvNaam,
          beheert: false,
          rootPublic: r.root,
          org: r.org,
          user: r.user,
          profile: r.profile,
          ident: { user: r.user.body.user, signing: ident.signing, agreement: ident.agreement },
          directoryKey: r.directoryKey,
          staffKey: r.staffKey ?? null,
          directoryEpoch: r.directoryEpoch ?? 0,
          email: r.email,
        });
        const saved = await saveIdentity(p, c.store, identity, passphrase, c.opts.kdf);
        if (!saved.ok) return saved;
        // Keys of a later epoch are remembered beside the keystore, as a rotation's are [R151].
        if (identity.directoryEpoch > 0) {
          await saveDirectoryKeys(p, c.store, identity.localKey, {
            directoryKey: identity.directoryKey,
            staffKey: identity.staffKey,
            directoryEpoch: identity.directoryEpoch,
            since: c.now().getTime(),
          });
        }
        await c.store.putMeta(PENDING_JOIN, new Uint8Array(0));
        // The answer is for us: delete it and our challenge, so the relay no longer holds the certificate.
        await anon.mailboxTake(responseBox);
        await anon.mailboxTake(challengeBox);
        c.directory.putPerson(r.user.body.user, { user: r.user, profile: r.profile, organisatieNaam: r.org.body.naam, email: r.email });
        await startSession(identity, saved.value.sessionKey);
        const me = c.me();
        return me ? ok({ ...me, recoveryCode: saved.value.recoveryCode }) : fail('geen-identiteit', 'Geen account.');
      }
      await new Promise((res) => setTimeout(res, 300));
    }
    return fail(
      'geen-antwoord',
      shown === null
        ? 'De beheerder heeft uw aanmelding nog niet gezien. Uw aanmelding blijft staan zolang de uitnodiging geldig is: probeer het later opnieuw met dezelfde code.'
        : `De beheerder heeft uw aanmelding nog niet goedgekeurd (controlecode ${shown}). Uw aanmelding blijft staan zolang de uitnodiging geldig is: probeer het later opnieuw met dezelfde code.`,
    );
  } finally {
    anon.close();
  }
}

/** On a browser without an account: is a join waiting here (entered before, browser closed since)? */
export async function hasPendingJoin(c: ClientCore): Promise<boolean> {
  const sealed = await c.store.getMeta(PENDING_JOIN);
  return sealed !== undefined && sealed.length > 0;
}
