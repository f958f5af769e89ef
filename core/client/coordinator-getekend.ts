// The coördinator of a hulpvraag gets what the process gives the coördinator (access, the assigned
// roles: regierolhouder, deskundige per case), so naming one is not every writer's to do: seed 003
// lets the school's IB/COO name the schakelfunctionaris and later the regierolhouder, and seed 002
// lets the SWV fill it in. The name is a signed setting (signed-setting.ts) that counts only when
// its signer was an admin of the dossier or a member of an SWV organisation at its moment; a
// partnerschool or a behandelaar who writes the hulpvraag names nobody [R127].
import { z } from 'zod';
import type * as Y from 'yjs';
import { utf8Encode } from '../crypto/bytes.js';
import { SIGNING_CONTEXTS } from '../crypto/signing-contexts.js';
import { isAdmin, type DossierAccess } from '../access/dossier-access.js';
import { asId, type HulpvraagId, type UserId } from '../model/ids.js';
import type { Actor } from '../model/user.js';
import type { ClientCore } from './client-core.js';
import type { DossierState } from './dossier-state.js';
import type { SignedEventItem } from './signed-event.js';
import { currentSetting, pushSetting, settingHistory, signSetting, verifySetting, type SignedSetting } from './signed-setting.js';

const payloadSchema = z.object({ hv: z.string(), at: z.string(), coordinator: z.string().min(1).max(64).nullable() });

/** Whether `who` may name a hulpvraag's coördinator at `at`: a dossier admin, or someone of an SWV organisation. */
export const mayNameCoordinator = (access: DossierAccess, who: Actor & { readonly organisationKind: string }, at: number): boolean =>
  isAdmin(access, who, at) || who.organisationKind === 'swv';

const COORDINATOR: SignedSetting<z.infer<typeof payloadSchema>> = {
  kind: {
    context: utf8Encode(`${SIGNING_CONTEXTS.coordinator}\u0000`),
    schema: payloadSchema,
    at: (p) => p.at,
    noun: 'benoeming van de coördinator',
  },
  array: 'coordinatorGetekend',
  mayWrite: mayNameCoordinator,
};

export const signCoordinator = (c: ClientCore, hv: HulpvraagId, coordinator: UserId | null): Promise<SignedEventItem> =>
  signSetting(c, COORDINATOR, { hv, at: c.now().toISOString(), coordinator });

export const pushCoordinator = (doc: Y.Doc, item: SignedEventItem): void => pushSetting(doc, COORDINATOR, item);

export const verifyCoordinator = (c: ClientCore, st: DossierState, hv: HulpvraagId, doc: Y.Doc): Promise<void> =>
  verifySetting(c, st, COORDINATOR, hv, doc);

/** The coördinator now: the newest name signed by someone who could name one then, or null. */
export function coordinatorOf(st: DossierState, hv: HulpvraagId, doc: Y.Doc): UserId | null {
  const c = currentSetting(st, COORDINATOR, hv, doc)?.coordinator ?? null;
  return c === null ? null : asId<UserId>(c);
}

/** Coördinatoren named before the current one: the process takes back what the role gave them [R90]. */
export function eerderBenoemdOf(st: DossierState, hv: HulpvraagId, doc: Y.Doc): UserId[] {
  const now = coordinatorOf(st, hv, doc);
  const named = settingHistory(st, COORDINATOR, hv, doc).flatMap((p) =>
    p.coordinator === null || p.coordinator === now ? [] : [asId<UserId>(p.coordinator)],
  );
  return [...new Set(named)];
}
