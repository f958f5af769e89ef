// Which organisations a hulpvraag names (voorschoolse voorziening, school van voorkeur,
// partnerschool) decides who outside the owning school reads it, so only a dossier admin may name
// them: the list is a signed item in the hulpvraag document (P25), and every reader takes the
// newest list whose signer was an admin of the dossier when signing. Any other writer of the
// hulpvraag (a partnerschool, the SWV loket) can push a list, but it names nobody [R49, R125].
import { z } from 'zod';
import * as Y from 'yjs';
import { utf8Encode } from '../crypto/bytes.js';
import { isAdmin } from '../access/dossier-access.js';
import type { HulpvraagId } from '../model/ids.js';
import { RELATIES, type Relatie } from '../workflow/selector.js';
import type { ClientCore } from './client-core.js';
import { trustedRevocations, type DossierState } from './dossier-state.js';
import { isSignedEventItem, signedItemKey, signItem, verifySignedItem, type ItemSigner, type SignedEventItem, type SignedItemKind } from './signed-event.js';

const payloadSchema = z.object({
  hv: z.string(),
  at: z.string(),
  lijst: z.array(z.object({ organisationId: z.string().min(1).max(200), relatie: z.enum(RELATIES) })).max(50),
});
type BetrokkenPayload = z.infer<typeof payloadSchema>;

const BETROKKEN_KIND: SignedItemKind<BetrokkenPayload> = {
  context: utf8Encode('kindkluis/betrokken-organisaties/v1\u0000'),
  schema: payloadSchema,
  at: (p) => p.at,
  noun: 'lijst van betrokken organisaties',
};

/** The array of the hulpvraag document that holds the signed lists (the newest valid one counts). */
const ARRAY = 'betrokkenGetekend';

export interface BetrokkenEntry {
  readonly organisationId: string;
  readonly relatie: Relatie;
}

/** Per signed item (`signedItemKey`): its payload and signer once verified, null when it failed. */
export type BetrokkenVerifications = Map<string, { readonly payload: BetrokkenPayload; readonly signer: ItemSigner } | null>;

const items = (doc: Y.Doc): SignedEventItem[] => doc.getArray<unknown>(ARRAY).toArray().filter(isSignedEventItem);

/** Signs `lijst` for hulpvraag `hv` with this device's key; `pushBetrokken` puts it in the document. */
export async function signBetrokken(c: ClientCore, hv: HulpvraagId, lijst: readonly BetrokkenEntry[]): Promise<SignedEventItem> {
  const id = c.id;
  if (!id) throw new Error('signBetrokken zonder ontgrendelde identiteit');
  const payload = { hv, at: c.now().toISOString(), lijst: lijst.map((b) => ({ organisationId: b.organisationId, relatie: b.relatie })) };
  return signItem(c.provider, BETROKKEN_KIND, payload, { secretKey: id.device.secretKey, chainBytes: id.publicChainBytes });
}

export const pushBetrokken = (doc: Y.Doc, item: SignedEventItem): void => {
  doc.getArray<unknown>(ARRAY).push([{ p: item.p, s: item.s, c: item.c }]);
};

/** Verifies the lists of a hulpvraag not checked yet (signature, chain at their time, hulpvraag), once each. */
export async function verifyBetrokken(c: ClientCore, st: DossierState, hv: HulpvraagId, doc: Y.Doc): Promise<void> {
  const id = c.id;
  if (!id) return;
  const revocations = trustedRevocations(st);
  for (const item of items(doc)) {
    const key = signedItemKey(item);
    if (st.verifiedBetrokken.has(key)) continue;
    const r = await verifySignedItem(c.provider, BETROKKEN_KIND, item, id.roots, revocations);
    st.verifiedBetrokken.set(key, r.ok && r.value.payload.hv === hv ? r.value : null);
  }
}

/**
 * The organisations hulpvraag `hv` names: the newest verified list signed by someone who was an admin
 * of the dossier at its moment (ties: the later one in the document). Empty until one is verified.
 */
export function betrokkenOf(st: DossierState, hv: HulpvraagId, doc: Y.Doc): BetrokkenEntry[] {
  const access = st.access;
  if (!access) return [];
  let best: { at: number; lijst: BetrokkenEntry[] } | null = null;
  for (const item of items(doc)) {
    const v = st.verifiedBetrokken.get(signedItemKey(item));
    if (!v || v.payload.hv !== hv) continue;
    const at = Date.parse(v.payload.at);
    if (Number.isNaN(at) || !isAdmin(access, v.signer, at)) continue;
    if (best === null || at >= best.at) best = { at, lijst: v.payload.lijst };
  }
  return best?.lijst ?? [];
}
