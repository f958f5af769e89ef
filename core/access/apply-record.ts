// Validates one ACL record against the current access state and folds it in.
// The relay runs this on every `acl` append (ciphertext only: it reads the
// signed public part), and every client runs the same code on the same log, so
// all reach the same state. Anything that does not follow from the legitimate
// chain (replay, reorder, fork, forged signer, missing rotation) is rejected.
import { withWriters } from './record-author.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { SwvId } from '../model/ids.js';
import { equalBytes } from '../crypto/bytes.js';
import { envelopeHash, verifyEnvelopeSignature, type Envelope } from '../crypto/envelope.js';
import { ok, fail, type Result, type KkError } from '../result.js';
import { decodeAclPublicPart, type AclPublicPart } from './acl-record.js';
import type { UserCertificate } from './certificate.js';
import {
  verifyDeviceChain,
  verifyDeviceRevocation,
  verifyUserCertificate,
  deviceChainFromValue,
  type VerifiedDevice,
} from './device-chain.js';
import {
  currentEpoch,
  effectiveRight,
  entitledHolders,
  hasOwnerPrincipal,
  isAdmin,
  keyHex,
  memberListHash,
  ownerAdminRemains,
  type DossierAccess,
  type EpochInfo,
  type GrantEntry,
  type ScopeInfo,
  emptyAccess,
} from './dossier-access.js';
import { atLeast, principalKey } from './principal.js';
import { verifyUserEnd } from './user-end.js';
import { dayStart, MAX_BEWAAR_JAREN, MIN_BEWAAR_JAREN, plusYearsDay, vernietigd } from './retention-record.js';
import { DOSSIER_CREATOR_ROLES, ownerAdminRoles } from './roles.js';
import { roomOf, scopeKind, scopeTarget, type Scope } from './rooms.js';

/** Clocks differ; a record may claim a time at most this far ahead of ours. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export type AccessRecordErrorCode =
  | 'acl-ongeldig'
  | 'handtekening-ongeldig'
  | 'keten-ongeldig'
  | 'verlopen'
  | 'nog-niet-geldig'
  | 'ingetrokken'
  | 'verkeerde-ondertekenaar'
  | 'onbekend-swv'
  | 'voorganger-onjuist'
  | 'tijd-onjuist'
  | 'geen-beheerder'
  | 'niet-toegestaan'
  | 'rotatie-ontbreekt'
  | 'sleuteldozen-onjuist'
  | 'laatste-beheerder'
  | 'dossier-vernietigd';
export type AccessRecordError = KkError<AccessRecordErrorCode>;

export interface ApplyOptions {
  /**
   * Set by the relay when a record arrives live: its `at` must then also be
   * recent (within MAX_CLOCK_SKEW_MS of now), so a device cannot backdate a
   * record to a time its certificate was still valid.
   */
  readonly live?: boolean;
}

const reject = (code: AccessRecordErrorCode, message: string): Result<never, AccessRecordError> => fail(code, message);

/** Folds one `acl` envelope into the state (undefined = no genesis yet). Never mutates `access`. */
export async function applyAccessRecord(
  provider: CryptoProvider,
  access: DossierAccess | undefined,
  envelope: Envelope,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  now: Date,
  options: ApplyOptions = {},
): Promise<Result<DossierAccess, AccessRecordError>> {
  const h = envelope.header;
  if (h.kind !== 'acl' || envelope.publicPart === undefined) return reject('acl-ongeldig', 'Dit is geen toegangsrecord.');
  const pp = decodeAclPublicPart(envelope.publicPart);
  if (!pp.ok) return pp;
  const rec = pp.value;
  if (h.room !== roomOf(rec.dossier, 'toegang')) return reject('acl-ongeldig', 'Het toegangsrecord staat in de verkeerde ruimte.');
  if (!(await verifyEnvelopeSignature(provider, envelope)))
    return reject('handtekening-ongeldig', 'De handtekening van het toegangsrecord klopt niet.');

  // Order: each record names its predecessor, so a replayed or reordered record never fits.
  if (access === undefined) {
    if (rec.type !== 'genesis' || rec.prev !== null)
      return reject('voorganger-onjuist', 'Het eerste toegangsrecord moet het oprichtingsrecord zijn.');
  } else {
    if (rec.type === 'genesis' || rec.prev === null || !equalBytes(rec.prev, access.head)) {
      return reject('voorganger-onjuist', 'Het toegangsrecord sluit niet aan op het vorige record (herhaald of in de verkeerde volgorde).');
    }
    if (rec.dossier !== access.dossier) return reject('acl-ongeldig', 'Het toegangsrecord hoort bij een ander dossier.');
    if (rec.at < access.lastAt) return reject('tijd-onjuist', 'Het toegangsrecord is ouder dan het vorige record.');
  }
  const t = now.getTime();
  // After the deletion moment nothing more is added: the keys are to be destroyed, not handed out [R82].
  if (access !== undefined && vernietigd(access, rec.at))
    return reject('dossier-vernietigd', 'De bewaartermijn van dit dossier is verstreken; het dossier wordt vernietigd.');
  if (rec.at > t + MAX_CLOCK_SKEW_MS) return reject('tijd-onjuist', 'Het toegangsrecord ligt in de toekomst.');
  if (options.live === true && rec.at < t - MAX_CLOCK_SKEW_MS)
    return reject('tijd-onjuist', 'Het toegangsrecord is te oud om nu te worden toegevoegd.');

  const chain = deviceChainFromValue(rec.signer);
  if (!chain.ok) return chain;
  const signer = await verifyDeviceChain(provider, chain.value, roots, new Date(rec.at), access?.revocations);
  if (!signer.ok) return signer;
  if (signer.value.deviceId !== h.author)
    return reject('verkeerde-ondertekenaar', 'Het toegangsrecord is niet getekend door het apparaat uit de keten.');
  if (access !== undefined && signer.value.swvId !== access.swv)
    return reject('onbekend-swv', 'Het toegangsrecord komt uit een ander samenwerkingsverband.');

  const next = await transition(provider, access, rec, signer.value, chain.value.user, roots);
  if (!next.ok) return next;
  const toegang = currentEpoch(next.value.scopes.get('toegang'));
  if (toegang === undefined || h.epoch !== toegang.epoch)
    return reject('acl-ongeldig', 'Het toegangsrecord noemt de verkeerde sleutelperiode.');
  const hash = await envelopeHash(provider, envelope);
  return ok({
    ...next.value,
    head: hash,
    lastAt: rec.at,
    records: [
      ...next.value.records,
      {
        hash,
        type: rec.type,
        at: rec.at,
        signerUser: signer.value.userId,
        signerDevice: signer.value.deviceId,
        // Whom a user end concerns, for the access log and Privacy view [R57].
        ...(rec.revocation?.b.t === 'einde' ? { subject: rec.revocation.b.user } : {}),
        ...(rec.bewaren === undefined ? {} : { bewaarTot: rec.bewaren.tot }),
      },
    ],
  });
}

/** A retention record carries its day and nothing else. */
function onlyBewaren(rec: AclPublicPart): Result<string | null, AccessRecordError> {
  if (
    rec.grants.length > 0 ||
    rec.revokes.length > 0 ||
    rec.epochs.length > 0 ||
    rec.recipients.length > 0 ||
    rec.revocation !== null ||
    rec.bewaren === undefined
  ) {
    return reject('acl-ongeldig', 'Een bewaarrecord bevat alleen de bewaardatum.');
  }
  if (rec.bewaren.tot !== null && Number.isNaN(dayStart(rec.bewaren.tot)))
    return reject('acl-ongeldig', 'De bewaardatum is geen bestaande dag.');
  return ok(rec.bewaren.tot);
}

export interface RejectedRecord {
  readonly index: number;
  readonly envelope: Envelope;
  readonly error: AccessRecordError;
}

/** Folds a log in order; records that do not apply are listed (and shown as rejected), never silently dropped. */
export async function foldAccessRecords(
  provider: CryptoProvider,
  envelopes: readonly Envelope[],
  roots: ReadonlyMap<SwvId, Uint8Array>,
  now: Date,
): Promise<{ access: DossierAccess | undefined; rejected: RejectedRecord[] }> {
  let access: DossierAccess | undefined;
  const rejected: RejectedRecord[] = [];
  for (const [index, envelope] of envelopes.entries()) {
    const next = await applyAccessRecord(provider, access, envelope, roots, now);
    if (next.ok) access = next.value;
    else rejected.push({ index, envelope, error: next.error });
  }
  return { access, rejected };
}

// ---------- the state transition ----------

async function transition(
  provider: CryptoProvider,
  access: DossierAccess | undefined,
  rec: AclPublicPart,
  signer: VerifiedDevice,
  signerCert: UserCertificate,
  roots: ReadonlyMap<SwvId, Uint8Array>,
): Promise<Result<DossierAccess, AccessRecordError>> {
  const at = rec.at;
  let state: DossierAccess;
  if (access === undefined) {
    if (rec.owner === null || rec.owner !== signer.organisationId)
      return reject('niet-toegestaan', 'Alleen de eigen school kan een dossier aanmaken.');
    const creators = DOSSIER_CREATOR_ROLES[signer.organisationKind] ?? [];
    if (!signer.roles.some((r) => creators.includes(r))) {
      return reject(
        'niet-toegestaan',
        'Alleen een intern begeleider of ondersteuningscoördinator van een school (of bij Jonge Kind de JK-contactpersoon van het samenwerkingsverband) kan een dossier aanmaken.',
      );
    }
    state = emptyAccess(rec.dossier, signer.swvId, rec.owner, at);
  } else {
    if (rec.owner !== null) return reject('acl-ongeldig', 'Alleen het oprichtingsrecord noemt de eigenaar.');
    state = access;
  }

  // Who may sign what.
  const signerIsAdmin = access !== undefined && isAdmin(access, signer, at);
  const signerIsMember = access !== undefined && atLeast(effectiveRight(access, signer, 'toegang', at), 'read');
  // A writer may rotate the scopes it writes whose key a member who is no longer entitled still holds (an expired grant) [R42].
  const writerRotation =
    rec.type === 'rotate' &&
    access !== undefined &&
    rec.epochs.length > 0 &&
    rec.epochs.every((e) => {
      const cur = currentEpoch(access.scopes.get(e.scope));
      const entitled = entitledHolders(access, e.scope, at);
      const due = cur !== undefined && !cur.holders.every((h) => entitled.includes(h));
      return (
        e.scope !== 'toegang' && scopeKind(e.scope) !== 'notities' && due && atLeast(effectiveRight(access, signer, e.scope, at), 'write')
      );
    });
  switch (rec.type) {
    case 'genesis':
      break;
    case 'grant': {
      const selfNotities =
        signerIsMember &&
        rec.revokes.length === 0 &&
        rec.grants.length > 0 &&
        rec.grants.every(
          (g) =>
            g.principal.kind === 'user' &&
            g.principal.userId === signer.userId &&
            g.scope === `notities:${signer.userId}` &&
            g.right === 'write',
        );
      if (!signerIsAdmin && !selfNotities) return reject('geen-beheerder', 'Alleen een beheerder van dit dossier kan toegang geven.');
      break;
    }
    case 'revoke':
    case 'rotate':
      if (!signerIsAdmin && !writerRotation)
        return reject('geen-beheerder', 'Alleen een beheerder van dit dossier kan toegang intrekken of sleutels vernieuwen.');
      if (rec.type === 'rotate' && (rec.grants.length > 0 || rec.revokes.length > 0 || rec.epochs.length === 0)) {
        return reject('acl-ongeldig', 'Een sleutelvernieuwing bevat alleen nieuwe sleutelperiodes.');
      }
      break;
    case 'device-revocation':
      if (!signerIsMember) return reject('niet-toegestaan', 'Alleen deelnemers aan dit dossier kunnen een apparaat intrekken.');
      if (
        rec.grants.length > 0 ||
        rec.revokes.length > 0 ||
        rec.epochs.length > 0 ||
        rec.recipients.length > 0 ||
        rec.revocation?.b.t !== 'intrekking'
      ) {
        return reject('acl-ongeldig', 'Een apparaatintrekking bevat alleen de intrekking.');
      }
      break;
    case 'bewaartermijn': {
      // Whoever moves a hulpvraag to its end status fixes the date [R80]: an admin, or a writer of some part.
      const writesSome =
        access !== undefined &&
        [...access.scopes.keys()].some((sc) => sc !== 'toegang' && atLeast(effectiveRight(access, signer, sc, at), 'write'));
      if (!signerIsAdmin && !writesSome)
        return reject('niet-toegestaan', 'Alleen wie aan dit dossier schrijft, legt de bewaartermijn vast.');
      const tot = onlyBewaren(rec);
      if (!tot.ok) return tot;
      // No policy keeps a dossier shorter than a year: a member cannot make it vanish next week.
      if (
        tot.value !== null &&
        !(
          dayStart(tot.value) >= dayStart(plusYearsDay(at, MIN_BEWAAR_JAREN)) &&
          dayStart(tot.value) <= dayStart(plusYearsDay(at, MAX_BEWAAR_JAREN + 1))
        )
      ) {
        return reject(
          'acl-ongeldig',
          `Een bewaartermijn loopt minstens ${MIN_BEWAAR_JAREN} en hoogstens ${MAX_BEWAAR_JAREN} jaar na de vastlegging.`,
        );
      }
      break;
    }
    case 'bewaarplicht': {
      // Only the SWV's privacy officer places a hold [R81]; the FG reads the access list of every dossier.
      if (!signerIsMember || !signer.roles.includes('privacy-officer'))
        return reject('niet-toegestaan', 'Alleen de functionaris gegevensbescherming (FG) kan een bewaarplicht vastleggen.');
      const tot = onlyBewaren(rec);
      if (!tot.ok) return tot;
      if (tot.value === null || !(dayStart(tot.value) > at) || dayStart(tot.value) > dayStart(plusYearsDay(at, MAX_BEWAAR_JAREN))) {
        return reject('acl-ongeldig', 'Een bewaarplicht heeft een einddatum in de toekomst.');
      }
      break;
    }
    case 'user-end':
      // Signed by the SWV root, so any member may carry it into the dossier [R57].
      if (!signerIsMember)
        return reject('niet-toegestaan', 'Alleen deelnemers aan dit dossier kunnen het einde van een gebruiker vastleggen.');
      if (
        rec.grants.length > 0 ||
        rec.revokes.length > 0 ||
        rec.epochs.length > 0 ||
        rec.recipients.length > 0 ||
        rec.revocation?.b.t !== 'einde' ||
        rec.revocation.u !== null
      ) {
        return reject('acl-ongeldig', 'Een beëindiging bevat alleen het ondertekende einde van de gebruiker.');
      }
      break;
  }
  if (rec.type !== 'device-revocation' && rec.type !== 'user-end' && rec.revocation !== null)
    return reject('acl-ongeldig', 'Alleen een apparaatintrekking bevat een intrekking.');
  if (rec.type !== 'bewaartermijn' && rec.type !== 'bewaarplicht' && rec.bewaren !== undefined)
    return reject('acl-ongeldig', 'Alleen een bewaarrecord noemt een bewaardatum.');
  if (rec.type === 'genesis' && rec.revokes.length > 0) return reject('acl-ongeldig', 'Een oprichtingsrecord trekt niets in.');

  // Recipients: certified by this dossier's SWV root and valid now. The signer is always one.
  const recipients = new Map(state.recipients);
  for (const c of [signerCert, ...rec.recipients.map((v) => ({ body: v.b, signature: v.s }))]) {
    // The signer's certificate was just verified as part of its chain.
    const verified = c === signerCert ? ok(undefined) : await verifyUserCertificate(provider, c, roots, new Date(at));
    if (!verified.ok) return verified;
    if (c.body.swv !== state.swv) return reject('onbekend-swv', 'Een ontvanger komt uit een ander samenwerkingsverband.');
    recipients.set(keyHex(c.body.agreementKey), c);
  }

  // Device revocation, or the end of a person.
  let revocations = state.revocations;
  let ended = state.ended;
  if (rec.revocation?.b.t === 'einde') {
    const verified = await verifyUserEnd(provider, { body: rec.revocation.b, signature: rec.revocation.s }, roots);
    if (!verified.ok) return verified;
    if (verified.value.swv !== state.swv) return reject('onbekend-swv', 'De beëindiging komt uit een ander samenwerkingsverband.');
    const known = ended.get(verified.value.user);
    ended = new Map(ended).set(verified.value.user, known === undefined ? verified.value.endedAt : Math.min(known, verified.value.endedAt));
  } else if (rec.revocation !== null) {
    const r = rec.revocation;
    const body = r.b;
    if (body.t !== 'intrekking') return reject('acl-ongeldig', 'Onbekende soort intrekking.');
    const verified = await verifyDeviceRevocation(
      provider,
      { body, signature: r.s },
      roots,
      r.u === null ? undefined : { body: r.u.b, signature: r.u.s },
    );
    if (!verified.ok) return verified;
    // A user's own revocation is carried by the revoking device itself: its chain was just checked against this
    // dossier's revocations, so a device revoked here (a thief's) cannot revoke its owner's other devices [R147].
    if (body.by === 'gebruiker' && (r.u === null || !equalBytes(r.u.b.signingKey, signerCert.body.signingKey))) {
      return reject(
        'verkeerde-ondertekenaar',
        'Een apparaat kan alleen worden ingetrokken door een ander apparaat van dezelfde gebruiker, of door het samenwerkingsverband.',
      );
    }
    if (body.swv !== state.swv) return reject('onbekend-swv', 'De intrekking komt uit een ander samenwerkingsverband.');
    revocations = new Map(revocations).set(verified.value.key, verified.value.revokedAt);
  }

  // Grants and revokes.
  const grantKey = (g: Pick<GrantEntry, 'principal' | 'scope' | 'right'>) => `${principalKey(g.principal)}|${g.scope}|${g.right}`;
  const grants = new Map(state.grants.map((g) => [grantKey(g), g]));
  const signerOwner = signer.organisationId === state.owner;
  for (const rv of rec.revokes) {
    const pk = principalKey(rv.principal);
    const hit = [...grants.entries()].filter(([, g]) => g.scope === rv.scope && principalKey(g.principal) === pk);
    if (hit.length === 0) return reject('acl-ongeldig', 'Er is geen toegang om in te trekken.');
    if (hit.some(([, g]) => g.right === 'admin') && hasOwnerPrincipal({ ...state, recipients }, rv.principal) && !signerOwner) {
      return reject('niet-toegestaan', 'Alleen de eigen school kan een beheerder van de school intrekken.');
    }
    for (const [k] of hit) grants.delete(k);
  }
  for (const g of rec.grants) {
    // The toegang scope knows admin (owners) and read (oversight: the FG sees the list and log, no content); admin exists nowhere else.
    if (g.scope === 'toegang' ? g.right === 'write' : g.right === 'admin') {
      return reject(
        'acl-ongeldig',
        'Beheerrecht bestaat alleen op de toegangslijst; daar is alleen beheren of (voor toezicht) lezen mogelijk.',
      );
    }
    if (g.expiresAt !== null && g.expiresAt <= at) return reject('verlopen', 'De toegang zou al verlopen zijn op het moment van geven.');
    if (g.principal.kind === 'role' && g.principal.swvId !== state.swv)
      return reject('onbekend-swv', 'De rol hoort bij een ander samenwerkingsverband.');
    if (
      scopeKind(g.scope) === 'notities' &&
      !(g.principal.kind === 'user' && g.principal.userId === scopeTarget(g.scope) && g.principal.userId === signer.userId)
    ) {
      return reject('niet-toegestaan', 'Persoonlijke notities zijn alleen voor de gebruiker zelf.');
    }
    grants.set(grantKey(g), {
      principal: g.principal,
      scope: g.scope,
      right: g.right,
      expiresAt: g.expiresAt,
      grantedAt: at,
      grantedBy: signer.userId,
    });
  }
  if (rec.type === 'genesis') {
    const has = (k: string) => {
      const g = grants.get(k);
      return g !== undefined && g.expiresAt === null;
    };
    const required = [
      `${principalKey({ kind: 'user', userId: signer.userId })}|toegang|admin`,
      ...ownerAdminRoles(signer.organisationKind).map(
        (role) => `${principalKey({ kind: 'organisation', organisationId: state.owner, role })}|toegang|admin`,
      ),
    ];
    if (!required.every(has))
      return reject(
        'acl-ongeldig',
        'Het oprichtingsrecord moet de maker en de vaste beheerders van de eigenaar (IB/COO van de school) beheerrecht geven.',
      );
  }
  const after: DossierAccess = { ...state, recipients, revocations, ended, grants: [...grants.values()] };
  if (rec.revokes.length > 0 && !ownerAdminRemains(after, at))
    return reject('laatste-beheerder', 'Er moet altijd een beheerder van de eigen school overblijven.');

  // Epochs and key boxes. Non-admins may only key their own notities; nobody but
  // the owner ever keys a notities scope (an admin who made the key would know it).
  for (const e of rec.epochs) {
    const owner = scopeKind(e.scope) === 'notities' ? scopeTarget(e.scope) : undefined;
    if (owner !== undefined ? owner !== signer.userId : !signerIsAdmin && rec.type !== 'genesis' && !writerRotation) {
      return reject('niet-toegestaan', 'U mag de sleutels van dit dossierdeel niet uitdelen.');
    }
  }
  const scopes = new Map(after.scopes);
  const seen = new Set<Scope>();
  for (const e of rec.epochs) {
    if (seen.has(e.scope)) return reject('acl-ongeldig', 'Een dossierdeel staat twee keer in hetzelfde record.');
    seen.add(e.scope);
    const entitled = entitledHolders(after, e.scope, at);
    const info = scopes.get(e.scope);
    const cur = currentEpoch(info);
    const boxKeys = e.boxes.map((b) => keyHex(b.to));
    if (new Set(boxKeys).size !== boxKeys.length)
      return reject('sleuteldozen-onjuist', 'Een ontvanger heeft twee sleuteldozen voor hetzelfde dossierdeel.');
    if (entitled.length === 0) return reject('sleuteldozen-onjuist', 'Niemand heeft recht op dit dossierdeel.');
    const sameSet = (a: readonly string[], b: readonly string[]) =>
      a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
    let holders: string[];
    if (cur === undefined || e.epoch === cur.epoch + 1) {
      if (cur === undefined && e.epoch !== 0) return reject('sleuteldozen-onjuist', 'Een nieuw dossierdeel begint bij sleutelperiode 0.');
      if ((cur === undefined) !== (e.previous === null))
        return reject('sleuteldozen-onjuist', 'Een nieuwe sleutelperiode moet de vorige sleutel bevatten (en een nieuw dossierdeel niet).');
      // A new key goes to exactly the entitled members: nobody missing, nobody removed.
      if (!sameSet(boxKeys, entitled))
        return reject('sleuteldozen-onjuist', 'De nieuwe sleutel moet naar precies de huidige deelnemers gaan.');
      holders = [...entitled];
    } else if (e.epoch === cur.epoch) {
      if (e.previous !== null) return reject('sleuteldozen-onjuist', 'Binnen dezelfde sleutelperiode hoort geen vorige sleutel.');
      if (!boxKeys.every((k) => entitled.includes(k) && !cur.holders.includes(k))) {
        return reject('sleuteldozen-onjuist', 'Een sleuteldoos gaat naar iemand zonder recht of die de sleutel al heeft.');
      }
      holders = [...cur.holders, ...boxKeys].sort();
      if (!holders.every((k) => entitled.includes(k)))
        return reject('rotatie-ontbreekt', 'Dit dossierdeel heeft eerst een nieuwe sleutel nodig.');
    } else {
      return reject('sleuteldozen-onjuist', 'De sleutelperiode sluit niet aan.');
    }
    if (!equalBytes(e.members, await memberListHash(provider, after, e.scope, e.epoch, holders))) {
      return reject('sleuteldozen-onjuist', 'De ledenlijst bij de nieuwe sleutel klopt niet.');
    }
    const epochInfo: EpochInfo =
      cur !== undefined && e.epoch === cur.epoch
        ? { ...cur, holders, boxes: [...cur.boxes, ...e.boxes], members: e.members }
        : { epoch: e.epoch, startedAt: at, holders, boxes: e.boxes, previous: e.previous, members: e.members };
    const epochs =
      info === undefined ? [epochInfo] : e.epoch === cur?.epoch ? [...info.epochs.slice(0, -1), epochInfo] : [...info.epochs, epochInfo];
    scopes.set(e.scope, { scope: e.scope, epochs } satisfies ScopeInfo);
  }
  const bewaren =
    rec.type === 'bewaartermijn'
      ? { tot: rec.bewaren?.tot ?? null, plichtTot: after.bewaren?.plichtTot ?? null }
      : rec.type === 'bewaarplicht'
        ? {
            tot: after.bewaren?.tot ?? null,
            plichtTot: [after.bewaren?.plichtTot ?? null, rec.bewaren?.tot ?? null].reduce((a, b) =>
              a === null || (b !== null && b > a) ? b : a,
            ),
          }
        : after.bewaren;
  const result: DossierAccess = { ...after, scopes, ...(bewaren === undefined ? {} : { bewaren }) };

  // Every scope this record creates gets keys; a revoke leaves no removed member holding a current key.
  for (const g of rec.grants) {
    if (!scopes.has(g.scope)) return reject('sleuteldozen-onjuist', 'Een nieuw dossierdeel heeft nog geen sleutel.');
  }
  if (rec.type === 'revoke') {
    for (const [scope, info] of scopes) {
      const cur = currentEpoch(info);
      const entitled = entitledHolders(result, scope, at);
      if (cur !== undefined && entitled.length > 0 && !cur.holders.every((k) => entitled.includes(k))) {
        return reject('rotatie-ontbreekt', 'Na het intrekken moet elk dossierdeel dat de persoon kon lezen een nieuwe sleutel krijgen.');
      }
    }
  }
  return ok(withWriters(result, at));
}
