// What a status change asks the outside world to do. The engine only returns these;
// the caller executes them (grants become key boxes, notifications become content-free
// relay notify requests, reminders go to the local scheduler).
import { z } from 'zod';
import type { IsoDate, IsoDateTime } from '../model/dates.js';
import type { HulpvraagScopeKind, Right } from '../model/grant.js';
import type { HulpvraagId } from '../model/ids.js';
import type { Role } from '../model/role.js';
import { PrincipalSelectorSchema, type PrincipalSelector } from './selector.js';

export const HULPVRAAG_SCOPE_KINDS = ['leerling', 'hulpvraag', 'formulieren', 'lvs'] as const satisfies readonly HulpvraagScopeKind[];
export const RIGHTS = ['read', 'write'] as const satisfies readonly Right[];
export const ADVIES_DOCUMENTEN = ['deskundigenadvies', 'onderwijsadvies', 'besluit'] as const;
export type AdviesDocument = (typeof ADVIES_DOCUMENTEN)[number];

/**
 * Effects as written in a process definition (data). The engine turns them into
 * {@link WorkflowEffect}s bound to one hulpvraag. Grants and revokes are mostly derived
 * from the `access` of statuses; explicit ones are for the exceptional case.
 */
export const EffectTemplateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('notify'), to: PrincipalSelectorSchema }),
  /** Parents get a copy of every advice (WPO 18a lid 14). */
  z.object({ kind: z.literal('copy-to-ouders'), document: z.enum(ADVIES_DOCUMENTEN) }),
  z.object({ kind: z.literal('close-overlegronden') }),
  z.object({
    kind: z.literal('grant'),
    to: PrincipalSelectorSchema,
    scopes: z.array(z.enum(HULPVRAAG_SCOPE_KINDS)).min(1),
    rights: z.array(z.enum(RIGHTS)).min(1),
  }),
  z.object({ kind: z.literal('revoke'), from: PrincipalSelectorSchema, scopes: z.array(z.enum(HULPVRAAG_SCOPE_KINDS)).min(1) }),
]);
export type EffectTemplate = z.infer<typeof EffectTemplateSchema>;

/** The runtime effects of one transition, bound to a hulpvraag. */
export type WorkflowEffect =
  /** E-mail (content-free) to the aanvrager: the status changed (002). */
  | { readonly kind: 'notify-aanvrager'; readonly hulpvraagId: HulpvraagId; readonly status: string }
  /** Notify everyone holding a role (subject to its binding), e.g. the SWV loket at *aanvraag indienen*. */
  | { readonly kind: 'notify-role'; readonly hulpvraagId: HulpvraagId; readonly role: Role; readonly status: string }
  /** Notify another party: the voorschoolse voorziening, the behandelaar, the coördinator, the ouders. */
  | { readonly kind: 'notify'; readonly hulpvraagId: HulpvraagId; readonly to: PrincipalSelector; readonly status: string }
  /**
   * Give access to a scope of this hulpvraag. `leerling` is dossier-wide: the access layer keeps a
   * leerling grant as long as any hulpvraag still grants it to the same principal.
   */
  | {
      readonly kind: 'grant-scope';
      readonly hulpvraagId: HulpvraagId;
      readonly to: PrincipalSelector;
      readonly scope: HulpvraagScopeKind;
      readonly rights: readonly Right[];
      readonly expiresAt: IsoDateTime | null;
    }
  /** Take access away (with key rotation in the access layer). */
  | {
      readonly kind: 'revoke-scope';
      readonly hulpvraagId: HulpvraagId;
      readonly from: PrincipalSelector;
      readonly scope: HulpvraagScopeKind;
    }
  /** End every open overlegronde of the hulpvraag now (participants keep read access until their einddatum). */
  | { readonly kind: 'close-overlegronden'; readonly hulpvraagId: HulpvraagId; readonly at: IsoDateTime }
  /** Send the ouders a copy of the advice/decision document in the bijlagen. */
  | { readonly kind: 'copy-to-ouders'; readonly hulpvraagId: HulpvraagId; readonly document: AdviesDocument; readonly status: string }
  /** A local reminder, e.g. a TLV ends: time to start a herbeoordeling. */
  | {
      readonly kind: 'schedule-reminder';
      readonly hulpvraagId: HulpvraagId;
      readonly at: IsoDate;
      readonly reason: 'tlv-loopt-af';
      readonly volgnummer: number;
      readonly einddatum: IsoDate;
    };

export type WorkflowEffectKind = WorkflowEffect['kind'];
