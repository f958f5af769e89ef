// The one answer to "may this author have written this content record (update,
// snapshot, key box) in this room under this epoch", asked by the relay when
// the record arrives ('live') and by every client when it receives it
// ('history', at the record's position in the access log) [R35, R36, R37].
import type { EnvelopeKind } from '../crypto/envelope.js';
import type { DeviceId, OrganisationId, RoomId, SwvId, UserId } from '../model/ids.js';
import type { Role } from '../model/role.js';
import { ok, fail, type Result } from '../result.js';
import { toHex } from '../crypto/bytes.js';
import type { AccessCheckError } from './check-access.js';
import { deviceOfCertificate, type UserCertificate } from './certificate.js';
import { revocationKey, type VerifiedDevice } from './device-chain.js';
import {
  currentEpoch,
  currentRecipients,
  effectiveRight,
  hadExpiredGrant,
  subjectOfCertificate,
  type DossierAccess,
  type EpochInfo,
} from './dossier-access.js';
import { atLeast, type Right } from './principal.js';
import { parseRoom, type Scope } from './rooms.js';

/** Who wrote a record: what the author's verified chain says (relay: the session's chain; client: the chain in the payload). */
export interface RecordAuthor {
  readonly swvId: SwvId;
  readonly userId: UserId;
  readonly organisationId: OrganisationId;
  readonly roles: readonly Role[];
  readonly deviceId: DeviceId;
  /** The user's agreement key: the box its epoch key came in. */
  readonly agreementKey: Uint8Array;
  /** ms; the earliest end of the chain's certificates. */
  readonly validUntil: number;
}

export type ContentKind = Extract<EnvelopeKind, 'update' | 'snapshot' | 'keybox'>;

/**
 * 'live': a new write, judged now (the relay at append): the device is not
 * revoked, the epoch is the scope's current one, the author has the right now.
 * 'history': a stored record, judged at its epoch (a client receiving): the
 * author held that epoch's key, was a writer at some point of that epoch
 * (`EpochInfo.writers`), and its device was not revoked before the epoch began.
 */
export type AuthorCheckMode = 'live' | 'history';

export const authorOfDevice = (d: VerifiedDevice): RecordAuthor => ({
  swvId: d.swvId,
  userId: d.userId,
  organisationId: d.organisationId,
  roles: d.roles,
  deviceId: d.deviceId,
  agreementKey: d.userAgreementPublicKey,
  validUntil: d.validUntil.getTime(),
});

export const authorOfCertificate = (user: UserCertificate, deviceId: DeviceId, deviceValidUntil: number): RecordAuthor => ({
  swvId: user.body.swv,
  userId: user.body.user,
  organisationId: user.body.organisation,
  roles: user.body.roles,
  deviceId,
  agreementKey: user.body.agreementKey,
  validUntil: Math.min(user.body.validUntil, deviceValidUntil),
});

/**
 * The author held this period's key: under the agreement key of the chain it wrote with, or under another
 * root-signed certificate of the very same device in this access list (a device renewing its agreement
 * key writes with its old certificate until it switches, while keys may already be rotated to the new
 * one, PROTOCOL P49) [R155].
 */
function heldByDevice(access: DossierAccess, ep: EpochInfo, author: RecordAuthor): boolean {
  if (ep.holders.includes(toHex(author.agreementKey))) return true;
  for (const [hex, cert] of access.recipients) {
    if (cert.body.user === author.userId && deviceOfCertificate(cert) === author.deviceId && ep.holders.includes(hex)) return true;
  }
  return false;
}

/** The right a content record needs in its scope: admin for `toegang`, write elsewhere. */
export const rightToAuthor = (scope: Scope): Right => (scope === 'toegang' ? 'admin' : 'write');

export function checkRecordAuthor(
  access: DossierAccess,
  author: RecordAuthor,
  room: RoomId,
  kind: ContentKind,
  epoch: number,
  now: Date,
  mode: AuthorCheckMode,
): Result<void, AccessCheckError> {
  const parsed = parseRoom(room);
  if (!parsed.ok || parsed.value.dossier !== access.dossier) return fail('ruimte-ongeldig', 'Deze ruimte hoort niet bij dit dossier.');
  const scope = parsed.value.scope;
  // A snapshot replaces records for whoever subscribes from 0: the access list must always be folded from its records [R38].
  if (kind === 'snapshot' && scope === 'toegang')
    return fail('soort-niet-toegestaan', 'De toegangslijst wordt nooit door een momentopname vervangen.');
  if (author.swvId !== access.swv) return fail('geen-toegang', 'De auteur hoort niet bij dit samenwerkingsverband.');
  const info = access.scopes.get(scope);
  const ep = info?.epochs.find((e) => e.epoch === epoch);
  const cur = currentEpoch(info);
  if (ep === undefined || cur === undefined) return fail('epoch-onbekend', 'Onbekende sleutelperiode.');
  const revokedAt = access.revocations.get(revocationKey(author.userId, author.deviceId));
  const subject = { userId: author.userId, organisationId: author.organisationId, roles: author.roles };
  const needed = rightToAuthor(scope);
  if (mode === 'live') {
    const t = now.getTime();
    if (revokedAt !== undefined && revokedAt <= t) return fail('ingetrokken', 'Dit apparaat is ingetrokken.');
    if (author.validUntil <= t) return fail('verlopen', 'Het certificaat van dit apparaat is verlopen.');
    const have = effectiveRight(access, subject, scope, t);
    if (!atLeast(have, needed)) {
      if (have === null && hadExpiredGrant(access, subject, t)) return fail('verlopen', 'Uw toegang tot dit dossier is verlopen.');
      return fail('geen-toegang', 'U heeft geen schrijfrecht op dit dossierdeel.');
    }
    if (ep.epoch !== cur.epoch)
      return fail('epoch-verouderd', 'Het bericht is versleuteld met een verouderde sleutel; het wordt opnieuw versleuteld.');
    return ok(undefined);
  }
  // A device revoked before this key period began cannot have written in it [R36].
  if (revokedAt !== undefined && revokedAt <= ep.startedAt)
    return fail('ingetrokken', 'Dit apparaat was al ingetrokken toen deze sleutelperiode begon.');
  if (!heldByDevice(access, ep, author)) return fail('geen-lid', 'De auteur had de sleutel van deze periode niet.');
  // Write right at the record's position: a writer at some point of the epoch, not "now" (a grant may have expired since) [R37].
  if (!(ep.writers ?? []).includes(author.userId))
    return fail('geen-schrijfrecht', 'De auteur mocht in deze sleutelperiode niet schrijven.');
  if (kind === 'snapshot') {
    // A snapshot replaces everything before it for whoever subscribes later: a revoked device never does that, and
    // under an older key only someone who still writes here may (a removed member keeps the old key) [R36, R37].
    if (revokedAt !== undefined && revokedAt <= now.getTime())
      return fail('ingetrokken', 'Deze momentopname komt van een ingetrokken apparaat.');
    if (ep.epoch !== cur.epoch && !(cur.writers ?? []).includes(author.userId)) {
      return fail('epoch-verouderd', 'Deze momentopname is versleuteld met een oude sleutel door iemand die hier niet meer schrijft.');
    }
  }
  return ok(undefined);
}

/**
 * Keeps `EpochInfo.writers` of every scope's current epoch: after each accepted
 * access record, every current recipient who may author content in that scope
 * at the record's time is added (never removed: they were a writer in that period).
 */
export function withWriters(access: DossierAccess, at: number): DossierAccess {
  const scopes = new Map(access.scopes);
  let changed = false;
  const recipients = [...currentRecipients(access, at).values()];
  for (const [scope, info] of access.scopes) {
    const cur = currentEpoch(info);
    if (cur === undefined) continue;
    const before = cur.writers ?? [];
    const add = recipients
      .filter((c) => atLeast(effectiveRight(access, subjectOfCertificate(c), scope, at), rightToAuthor(scope)))
      .map((c) => c.body.user)
      .filter((u) => !before.includes(u));
    if (add.length === 0 && cur.writers !== undefined) continue;
    const next: EpochInfo = { ...cur, writers: [...new Set([...before, ...add])].sort() };
    scopes.set(scope, { scope, epochs: [...info.epochs.slice(0, -1), next] });
    changed = true;
  }
  return changed ? { ...access, scopes } : access;
}
