// An overlegronde asked for by a named person of the hulpvraag who is no dossier admin (the
// regierolhouder in 003): a signed item in the hulpvraag document (P25), so the admin device that
// grants it knows who really asked — a writer of the hulpvraag cannot ask in someone else's name [R92].
import { z } from 'zod';
import type { CryptoProvider } from '../crypto/provider.js';
import { utf8Encode } from '../crypto/bytes.js';
import type { DeviceRevocations } from '../access/device-chain.js';
import { asId, type HulpvraagId, type OverlegrondeId, type SwvId, type UserId } from '../model/ids.js';
import type * as Y from 'yjs';
import { isSignedEventItem, signItem, verifySignedItem, type SignedEventItem, type SignedItemKind } from './signed-event.js';

const payloadSchema = z.object({
  hv: z.string(),
  id: z.string().min(1).max(64),
  deelnemers: z.array(z.string().min(1)).max(50),
  einddatum: z.string(),
  titel: z.string().max(500),
  omschrijving: z.string().max(10_000),
  at: z.string(),
});
export type OverlegrondeVerzoekPayload = z.infer<typeof payloadSchema>;

const VERZOEK_KIND: SignedItemKind<OverlegrondeVerzoekPayload> = {
  context: utf8Encode('kindkluis/overlegrondeverzoek/v1\u0000'),
  schema: payloadSchema,
  at: (p) => p.at,
  noun: 'verzoek om een overlegronde',
};

/** The array of the hulpvraag document that holds the requests. */
export const VERZOEK_ARRAY = 'overlegrondeVerzoeken';

/** Signs a request with this device's key; the caller pushes it into the hulpvraag's Yjs doc (the request list). */
export const signVerzoek = (
  provider: CryptoProvider,
  payload: OverlegrondeVerzoekPayload,
  device: { readonly secretKey: Uint8Array; readonly chainBytes: Uint8Array },
): Promise<SignedEventItem> => signItem(provider, VERZOEK_KIND, { ...payload, deelnemers: [...payload.deelnemers] }, device);

/** A verified request: the starter is the signer, never a field the writer chose. */
export interface OverlegrondeVerzoek {
  readonly id: OverlegrondeId;
  readonly hulpvraagId: HulpvraagId;
  readonly starter: UserId;
  readonly deelnemers: readonly UserId[];
  readonly einddatum: string;
  readonly titel: string;
  readonly omschrijving: string;
}

/** The requests of this hulpvraag whose signature, chain and hulpvraag check out; the rest are ignored. */
export async function readOverlegrondeVerzoeken(
  provider: CryptoProvider,
  doc: Y.Doc,
  hulpvraagId: HulpvraagId,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  revocations?: DeviceRevocations,
): Promise<OverlegrondeVerzoek[]> {
  const out: OverlegrondeVerzoek[] = [];
  for (const raw of doc.getArray<unknown>(VERZOEK_ARRAY).toArray()) {
    if (!isSignedEventItem(raw)) continue;
    const v = await verifySignedItem(provider, VERZOEK_KIND, raw, roots, revocations);
    if (!v.ok || v.value.payload.hv !== hulpvraagId) continue;
    const p = v.value.payload;
    out.push({
      id: asId<OverlegrondeId>(p.id),
      hulpvraagId,
      starter: v.value.signer.userId,
      deelnemers: p.deelnemers.map((u) => asId<UserId>(u)),
      einddatum: p.einddatum,
      titel: p.titel,
      omschrijving: p.omschrijving,
    });
  }
  return out;
}
