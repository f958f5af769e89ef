// Rooms and scopes: a relay room is one scope of one dossier, `<dossierId>/<scope>`.
// Parsing is strict so a room id can never smuggle a second dossier or scope.
import type { DossierId, RoomId } from '../model/ids.js';
import { asId } from '../model/ids.js';
import { ok, fail, type Result, type KkError } from '../result.js';

import type { Scope, ScopeKind } from '../model/grant.js';

export type { Scope, ScopeKind };
export const SCOPE_KINDS = [
  'leerling',
  'toegang',
  'hulpvraag',
  'formulieren',
  'lvs',
  'overlegronde',
  'notities',
] as const satisfies readonly ScopeKind[];

/** Ids inside rooms are opaque tokens: never names, never separators. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type RoomErrorCode = 'ruimte-ongeldig';
export type RoomError = KkError<RoomErrorCode>;

const badRoom = (): Result<never, RoomError> => fail('ruimte-ongeldig', 'De ruimte-aanduiding is ongeldig.');

export function parseScope(raw: string): Result<Scope, RoomError> {
  if (raw === 'leerling' || raw === 'toegang') return ok(raw);
  const colon = raw.indexOf(':');
  if (colon < 0) return badRoom();
  const kind = raw.slice(0, colon);
  const id = raw.slice(colon + 1);
  if (!ID_PATTERN.test(id)) return badRoom();
  switch (kind) {
    case 'hulpvraag':
    case 'formulieren':
    case 'lvs':
    case 'overlegronde':
    case 'notities':
      return ok(`${kind}:${id}` as Scope);
    default:
      return badRoom();
  }
}

export function scopeKind(scope: Scope): ScopeKind {
  const colon = scope.indexOf(':');
  return (colon < 0 ? scope : scope.slice(0, colon)) as ScopeKind;
}

/** The id after the colon (`hulpvraag:<id>` → `<id>`); undefined for `leerling`/`toegang`. */
export function scopeTarget(scope: Scope): string | undefined {
  const colon = scope.indexOf(':');
  return colon < 0 ? undefined : scope.slice(colon + 1);
}

export function roomOf(dossier: DossierId, scope: Scope): RoomId {
  if (!ID_PATTERN.test(dossier)) throw new Error('Dossier-id bevat ongeldige tekens');
  return asId<RoomId>(`${dossier}/${scope}`);
}

export function parseRoom(room: string): Result<{ dossier: DossierId; scope: Scope }, RoomError> {
  const slash = room.indexOf('/');
  if (slash < 0) return badRoom();
  const dossier = room.slice(0, slash);
  if (!ID_PATTERN.test(dossier)) return badRoom();
  const scope = parseScope(room.slice(slash + 1));
  if (!scope.ok) return scope;
  return ok({ dossier: asId<DossierId>(dossier), scope: scope.value });
}

export function dossierOfRoom(room: RoomId | string): Result<DossierId, RoomError> {
  const parsed = parseRoom(room);
  return parsed.ok ? ok(parsed.value.dossier) : parsed;
}

export const toegangRoom = (dossier: DossierId): RoomId => roomOf(dossier, 'toegang');

/** The access list room that governs a content room (R122), or null for the access list itself and other rooms. */
export function accessListRoomOf(room: string): string | null {
  const parsed = parseRoom(room);
  return parsed.ok && parsed.value.scope !== 'toegang' ? roomOf(parsed.value.dossier, 'toegang') : null;
}
