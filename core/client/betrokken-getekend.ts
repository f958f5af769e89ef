// Which organisations a hulpvraag names (voorschoolse voorziening, school van voorkeur,
// partnerschool) decides who outside the owning school reads it, so only a dossier admin may name
// them: the list is a signed setting in the hulpvraag document (signed-setting.ts, P72), and every
// reader takes the newest list whose signer was an admin of the dossier when signing. Any other
// writer of the hulpvraag (a partnerschool, the SWV loket) can push a list, but it names nobody [R49, R125].
import { z } from 'zod';
import type * as Y from 'yjs';
import { utf8Encode } from '../crypto/bytes.js';
import { SIGNING_CONTEXTS } from '../crypto/signing-contexts.js';
import { isAdmin } from '../access/dossier-access.js';
import type { HulpvraagId } from '../model/ids.js';
import { RELATIES, type Relatie } from '../workflow/selector.js';
import type { ClientCore } from './client-core.js';
import type { DossierState } from './dossier-state.js';
import type { SignedEventItem } from './signed-event.js';
import { currentSetting, pushSetting, signSetting, verifySetting, type SignedSetting } from './signed-setting.js';

const payloadSchema = z.object({
  hv: z.string(),
  at: z.string(),
  lijst: z.array(z.object({ organisationId: z.string().min(1).max(200), relatie: z.enum(RELATIES) })).max(50),
});

const BETROKKEN: SignedSetting<z.infer<typeof payloadSchema>> = {
  kind: {
    context: utf8Encode(`${SIGNING_CONTEXTS.betrokken}\u0000`),
    schema: payloadSchema,
    at: (p) => p.at,
    noun: 'lijst van betrokken organisaties',
  },
  array: 'betrokkenGetekend',
  mayWrite: (access, signer, at) => isAdmin(access, signer, at),
};

export interface BetrokkenEntry {
  readonly organisationId: string;
  readonly relatie: Relatie;
}

/** Signs `lijst` for hulpvraag `hv` with this device's key; `pushBetrokken` adds it to the hulpvraag's Yjs doc. */
export const signBetrokken = (c: ClientCore, hv: HulpvraagId, lijst: readonly BetrokkenEntry[]): Promise<SignedEventItem> =>
  signSetting(c, BETROKKEN, {
    hv,
    at: c.now().toISOString(),
    lijst: lijst.map((b) => ({ organisationId: b.organisationId, relatie: b.relatie })),
  });

export const pushBetrokken = (doc: Y.Doc, item: SignedEventItem): void => pushSetting(doc, BETROKKEN, item);

/** Verifies the lists of a hulpvraag not checked yet (signature, chain at their time, hulpvraag), once each. */
export const verifyBetrokken = (c: ClientCore, st: DossierState, hv: HulpvraagId, doc: Y.Doc): Promise<void> =>
  verifySetting(c, st, BETROKKEN, hv, doc);

/**
 * The organisations hulpvraag `hv` names: the newest verified list signed by someone who was an admin
 * of the dossier at its moment. Empty until one is verified.
 */
export const betrokkenOf = (st: DossierState, hv: HulpvraagId, doc: Y.Doc): BetrokkenEntry[] =>
  currentSetting(st, BETROKKEN, hv, doc)?.lijst ?? [];
