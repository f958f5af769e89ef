// An aanpak invites a behandelaar (003: "IB/COO maakt een aanpak aan. Hiermee nodigt zij de
// behandelaar uit"), who then gets what the process gives behandelaars (access, meldingen, the
// assigned roles) until its einddatum. So an aanpak is a signed item in the hulpvraag document
// (signed-setting.ts, P87), never a plain entry: it counts only when its signer was an admin of the
// dossier at its moment, the same authority `addAanpak` has always asked. A behandelaar or another
// writer of the hulpvraag who pushes an aanpak, plain or signed by its own device, invites nobody [R134].
import { z } from 'zod';
import type * as Y from 'yjs';
import { utf8Encode } from '../crypto/bytes.js';
import { SIGNING_CONTEXTS } from '../crypto/signing-contexts.js';
import { isAdmin } from '../access/dossier-access.js';
import type { HulpvraagId } from '../model/ids.js';
import type { ClientCore } from './client-core.js';
import type { StoredAanpak } from './dossier-docs.js';
import type { DossierState } from './dossier-state.js';
import type { SignedEventItem } from './signed-event.js';
import { pushSetting, settingItems, signSetting, verifySetting, type SignedSetting } from './signed-setting.js';

const payloadSchema = z.object({
  hv: z.string(),
  at: z.string(),
  id: z.string().min(1).max(64),
  behandelaar: z.string().min(1).max(64),
  omschrijving: z.string().max(10_000),
  startdatum: z.string(),
  einddatum: z.string().nullable(),
});

const AANPAK: SignedSetting<z.infer<typeof payloadSchema>> = {
  kind: { context: utf8Encode(`${SIGNING_CONTEXTS.aanpak}\u0000`), schema: payloadSchema, at: (p) => p.at, noun: 'aanpak' },
  array: 'aanpakGetekend',
  mayWrite: (access, signer, at) => isAdmin(access, signer, at),
};

/** What one aanpak says, as `addAanpak` checked it; who added it and when come from the signature. */
export interface AanpakOpdracht {
  readonly id: string;
  readonly behandelaar: string;
  readonly omschrijving: string;
  readonly startdatum: string;
  readonly einddatum: string | null;
}

/** Signs aanpak `a` of hulpvraag `hv` with this device's key; `pushAanpak` adds it to the hulpvraag's Yjs doc. */
export const signAanpak = (c: ClientCore, hv: HulpvraagId, a: AanpakOpdracht): Promise<SignedEventItem> =>
  signSetting(c, AANPAK, {
    hv,
    at: c.now().toISOString(),
    id: a.id,
    behandelaar: a.behandelaar,
    omschrijving: a.omschrijving,
    startdatum: a.startdatum,
    einddatum: a.einddatum,
  });

export const pushAanpak = (doc: Y.Doc, item: SignedEventItem): void => pushSetting(doc, AANPAK, item);

/** Verifies the aanpak items of a hulpvraag not checked yet (signature, chain at their moment, hulpvraag), once each. */
export const verifyAanpak = (c: ClientCore, st: DossierState, hv: HulpvraagId, doc: Y.Doc): Promise<void> =>
  verifySetting(c, st, AANPAK, hv, doc);

/**
 * The aanpakken of hulpvraag `hv`, oldest first: every verified item signed by someone who was an admin
 * of the dossier at its moment, the first one per aanpak id. The one list access (`hulpvraagAccessInput`),
 * the fold's behandelaars (`hulpvraagContext`) and the view read [R134].
 */
export function aanpakOf(st: DossierState, hv: HulpvraagId, doc: Y.Doc): StoredAanpak[] {
  const seen = new Set<string>();
  return settingItems(st, AANPAK, hv, doc).flatMap(({ payload: p, signer }) => {
    if (seen.has(p.id)) return [];
    seen.add(p.id);
    return [
      {
        id: p.id,
        behandelaar: p.behandelaar,
        omschrijving: p.omschrijving,
        startdatum: p.startdatum,
        einddatum: p.einddatum,
        toegevoegdDoor: signer.userId,
        toegevoegdOp: p.at,
      },
    ];
  });
}
