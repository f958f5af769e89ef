// What the relay (and every client, before applying) checks for an append or a
// subscription, from the folded access state and the device's verified chain
// only — no keys, no plaintext.
import type { EnvelopeKind } from '../crypto/envelope.js';
import type { RoomId } from '../model/ids.js';
import { assertNever, ok, fail, type Result, type KkError } from '../result.js';
import { revocationKey, type VerifiedDevice } from './device-chain.js';
import { currentEpoch, effectiveRight, hadExpiredGrant, isEnded, type DossierAccess } from './dossier-access.js';
import { atLeast, type Right } from './principal.js';
import { parseRoom, type Scope } from './rooms.js';

export type AccessCheckErrorCode =
  | 'geen-toegang'
  | 'verlopen'
  | 'ingetrokken'
  | 'ruimte-ongeldig'
  | 'soort-niet-toegestaan'
  | 'epoch-verouderd'
  | 'epoch-onbekend'
  | 'geen-lid'
  | 'geen-schrijfrecht';
export type AccessCheckError = KkError<AccessCheckErrorCode>;

function scopeFor(access: DossierAccess, device: VerifiedDevice, room: RoomId, now: Date): Result<Scope, AccessCheckError> {
  const parsed = parseRoom(room);
  if (!parsed.ok || parsed.value.dossier !== access.dossier) return fail('ruimte-ongeldig', 'Deze ruimte hoort niet bij dit dossier.');
  const revokedAt = access.revocations.get(revocationKey(device.userId, device.deviceId));
  if (revokedAt !== undefined && revokedAt <= now.getTime()) return fail('ingetrokken', 'Dit apparaat is ingetrokken.');
  if (isEnded(access, device.userId, now.getTime())) return fail('ingetrokken', 'Het samenwerkingsverband heeft uw toegang beëindigd.');
  if (device.validUntil.getTime() <= now.getTime()) return fail('verlopen', 'Het certificaat van dit apparaat is verlopen.');
  if (device.swvId !== access.swv) return fail('geen-toegang', 'U heeft geen toegang tot dit dossier.');
  return ok(parsed.value.scope);
}

function need(access: DossierAccess, device: VerifiedDevice, scope: Scope, right: Right, now: Date): Result<void, AccessCheckError> {
  const have = effectiveRight(access, device, scope, now.getTime());
  if (atLeast(have, right)) return ok(undefined);
  if (have === null && hadExpiredGrant(access, device, now.getTime())) return fail('verlopen', 'Uw toegang tot dit dossier is verlopen.');
  return fail(
    'geen-toegang',
    right === 'read' ? 'U heeft geen leesrecht op dit dossierdeel.' : 'U heeft geen schrijfrecht op dit dossierdeel.',
  );
}

/**
 * May this device append an envelope of this kind to this room now?
 * - `acl`: only in `toegang`, by an admin — or by a member for the two member
 *   records (own `notities` scope, device revocation); the relay must then run
 *   `applyAccessRecord`, which decides exactly.
 * - `access` (access-log events): only in `toegang`, by any current member.
 * - `update`, `snapshot`, `keybox`: write right on the room's scope (`toegang`: admin).
 * - `seen`, `awareness`: read right (a reader must be able to prove what it saw).
 */
export function checkAppend(
  access: DossierAccess,
  device: VerifiedDevice,
  room: RoomId,
  kind: EnvelopeKind,
  now: Date,
): Result<void, AccessCheckError> {
  const scope = scopeFor(access, device, room, now);
  if (!scope.ok) return scope;
  const s = scope.value;
  switch (kind) {
    case 'acl':
    case 'access':
      if (s !== 'toegang') return fail('soort-niet-toegestaan', 'Dit soort bericht hoort alleen in de toegangslijst.');
      return need(access, device, s, 'read', now);
    case 'update':
    case 'snapshot':
    case 'keybox':
      return need(access, device, s, s === 'toegang' ? 'admin' : 'write', now);
    case 'seen':
    case 'awareness':
      return need(access, device, s, 'read', now);
    default:
      return assertNever(kind, 'berichtsoort');
  }
}

/** May this device subscribe to (pull) this room now? */
export function checkRead(access: DossierAccess, device: VerifiedDevice, room: RoomId, now: Date): Result<void, AccessCheckError> {
  const scope = scopeFor(access, device, room, now);
  if (!scope.ok) return scope;
  return need(access, device, scope.value, 'read', now);
}

/**
 * Defence in depth for the relay: content must be sealed under the scope's
 * current epoch (a write under an older key is refused; the client re-seals).
 * `acl`/`access` in `toegang` are checked by applyAccessRecord / the reader.
 */
export function checkEpoch(access: DossierAccess, room: RoomId, epoch: number): Result<void, AccessCheckError> {
  const parsed = parseRoom(room);
  if (!parsed.ok || parsed.value.dossier !== access.dossier) return fail('ruimte-ongeldig', 'Deze ruimte hoort niet bij dit dossier.');
  const cur = currentEpoch(access.scopes.get(parsed.value.scope));
  if (cur === undefined) return fail('geen-toegang', 'Dit dossierdeel heeft nog geen sleutel.');
  if (epoch !== cur.epoch)
    return fail('epoch-verouderd', 'Het bericht is versleuteld met een verouderde sleutel; het wordt opnieuw versleuteld.');
  return ok(undefined);
}
