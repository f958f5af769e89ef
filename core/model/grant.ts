// Access grants: who may read/write which scope of a dossier until when. The access
// module turns grants into key boxes; the workflow emits grant/revoke effects.
import type { IsoDateTime } from './dates.js';
import type { OrganisationId, OverlegrondeId, SwvId, UserId } from './ids.js';
import type { Role } from './role.js';

/** The parts of a dossier that are encrypted separately (DESIGN §3). */
export type ScopeKind = 'leerling' | 'hulpvraag' | 'formulieren' | 'lvs' | 'overlegronde' | 'notities' | 'toegang';

/** A scope name as used in RoomIds: `leerling`, `hulpvraag:<id>`, `formulieren:<hulpvraagId>`, … */
export type Scope =
  | 'leerling'
  | 'toegang'
  | `hulpvraag:${string}`
  | `formulieren:${string}`
  | `lvs:${string}`
  | `overlegronde:${string}`
  | `notities:${string}`;

/** The scopes that belong to one hulpvraag (leerling is dossier-wide). */
export type HulpvraagScopeKind = 'leerling' | 'hulpvraag' | 'formulieren' | 'lvs';

export const overlegrondeScope = (id: OverlegrondeId): Scope => `overlegronde:${id}`;

export type Right = 'read' | 'write';

export type Principal =
  | { readonly kind: 'user'; readonly userId: UserId }
  | { readonly kind: 'organisation'; readonly organisationId: OrganisationId }
  | { readonly kind: 'role'; readonly swvId: SwvId; readonly role: Role };

export interface Grant {
  readonly principal: Principal;
  readonly scope: Scope;
  readonly rights: readonly Right[];
  /** `null` = until revoked. Access is purposeful and temporary, so most grants carry an expiry. */
  readonly expiresAt: IsoDateTime | null;
}
