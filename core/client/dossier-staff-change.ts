// Staff change (002 "wisseling van personeel"): what changes in one dossier
// when a person leaves and a successor takes over. Pure: the facade applies
// the plan with its usual access and document paths.
import type { GrantSpec } from '../access/acl-record.js';
import { effectiveRight, type DossierAccess } from '../access/dossier-access.js';
import { atLeast, type PrincipalSubject } from '../access/principal.js';
import type { HulpvraagId, UserId } from '../model/ids.js';
import type { HulpvraagMeta } from './dossier-docs.js';

export interface StaffChangePlan {
  /** The successor's grants: each own, active grant of the departing person (own notities excepted), same scope, right and expiry. */
  readonly grants: readonly GrantSpec[];
  /** Changes to open hulpvragen that name the departing person: the schoolgegevens (aanvrager) and the coördinator, each its own entry. */
  readonly hulpvragen: readonly { readonly id: HulpvraagId; readonly patch: StaffPatch }[];
}

/** A staff change's edit of one hulpvraag: plain schoolgegevens, or the coördinator (a signed setting, R127). */
export type StaffPatch = Partial<HulpvraagMeta> & { readonly coordinator?: UserId };

export interface Successor {
  readonly subject: PrincipalSubject;
  readonly naam: string;
  readonly email: string;
}

export function planStaffChange(
  access: DossierAccess,
  hulpvragen: readonly {
    readonly id: HulpvraagId;
    readonly meta: HulpvraagMeta;
    readonly coordinator: UserId | null;
    readonly open: boolean;
  }[],
  van: UserId,
  naar: Successor,
  now: number,
): StaffChangePlan {
  const grants: GrantSpec[] = [];
  for (const g of access.grants) {
    if (g.principal.kind !== 'user' || g.principal.userId !== van) continue;
    if (g.expiresAt !== null && g.expiresAt <= now) continue;
    if (g.scope === `notities:${van}`) continue;
    // Already covered (e.g. the successor holds the same role at the school): nothing to add.
    if (atLeast(effectiveRight(access, naar.subject, g.scope, now), g.right)) continue;
    grants.push({ principal: { kind: 'user', userId: naar.subject.userId }, scope: g.scope, right: g.right, expiresAt: g.expiresAt });
  }
  // Schoolgegevens and the coördinator are separate changes: different people may make them.
  const changes = hulpvragen.flatMap((h) => {
    if (!h.open) return [];
    const out: { id: HulpvraagId; patch: StaffPatch }[] = [];
    if (h.meta.aanvrager === van)
      out.push({ id: h.id, patch: { aanvrager: naar.subject.userId, contactpersoon: naar.naam, email: naar.email } });
    if (h.coordinator === van) out.push({ id: h.id, patch: { coordinator: naar.subject.userId } });
    return out;
  });
  return { grants, hulpvragen: changes };
}
