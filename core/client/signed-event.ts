// Status events (and other attributable facts) live inside the hulpvraag's Yjs
// document, each with its own signature and the author's device chain. So a
// snapshot that compacts the history keeps every event verifiable: any client
// can re-check who made each transition, without the original envelopes.
import { z } from 'zod';
import type { CryptoProvider } from '../crypto/provider.js';
import { concatBytes, utf8Encode } from '../crypto/bytes.js';
import { decodeCanonical, encodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import { publicKeyFromDeviceId } from '../crypto/device-id.js';
import { decodeDeviceChain, verifyDeviceChain } from '../access/device-chain.js';
import type { HulpvraagId, SwvId } from '../model/ids.js';
import type { StatusEvent, RecordedStatusEvent } from '../model/status-event.js';
import type { Actor } from '../model/user.js';
import { ok, fail, type Result } from '../result.js';

const CONTEXT = utf8Encode('kindkluis/statusgebeurtenis/v1\u0000');

/** As stored in the document's `status` array. */
export interface SignedEventItem {
  /** Canonical bytes of `{ hv, e }`. */
  readonly p: Uint8Array;
  /** Ed25519 signature of the author's device over CONTEXT || p. */
  readonly s: Uint8Array;
  /** The author's device chain (without profile). */
  readonly c: Uint8Array;
}

const tlvSchema = z.object({
  volgnummer: z.number().int(),
  categorie: z.string(),
  startdatum: z.string(),
  einddatum: z.string(),
  deskundigen: z.array(z.object({ naam: z.string(), functie: z.string(), userId: z.string().optional() })),
});

const eventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('status-change'),
    id: z.string().min(1).max(64),
    at: z.string(),
    from: z.string(),
    to: z.string(),
    omschrijving: z.string().max(10_000).optional(),
    tlv: tlvSchema.optional(),
  }),
  z.object({ kind: z.literal('bijlage-toegevoegd'), id: z.string().min(1).max(64), at: z.string(), bijlageId: z.string() }),
]);

const payloadSchema = z.object({ hv: z.string(), e: eventSchema });

export const isSignedEventItem = (v: unknown): v is SignedEventItem =>
  typeof v === 'object' && v !== null && (v as SignedEventItem).p instanceof Uint8Array && (v as SignedEventItem).s instanceof Uint8Array && (v as SignedEventItem).c instanceof Uint8Array;

export async function signStatusEvent(
  provider: CryptoProvider,
  hulpvraagId: HulpvraagId,
  event: StatusEvent,
  device: { readonly secretKey: Uint8Array; readonly chainBytes: Uint8Array },
): Promise<SignedEventItem> {
  const p = encodeCanonical({ hv: hulpvraagId, e: event as unknown as CanonicalValue });
  const s = await provider.ed25519Sign(device.secretKey, concatBytes(CONTEXT, p));
  return { p, s, c: device.chainBytes };
}

export type EventCheckError = 'gebeurtenis-ongeldig' | 'handtekening-ongeldig' | 'certificaat-ongeldig' | 'verkeerde-hulpvraag';

/** Re-verifies an event: its signature, the author's chain at the event's own time, and the hulpvraag it belongs to. */
export async function verifyStatusEvent(
  provider: CryptoProvider,
  item: SignedEventItem,
  hulpvraagId: HulpvraagId,
  roots: ReadonlyMap<SwvId, Uint8Array>,
): Promise<Result<RecordedStatusEvent, import('../result.js').KkError<EventCheckError>>> {
  const decoded = decodeCanonical(item.p);
  const parsed = decoded.ok ? payloadSchema.safeParse(decoded.value) : undefined;
  if (!parsed?.success) return fail('gebeurtenis-ongeldig', 'Een statuswijziging is beschadigd en wordt genegeerd.');
  if (parsed.data.hv !== hulpvraagId) return fail('verkeerde-hulpvraag', 'Een statuswijziging hoort bij een andere hulpvraag.');
  const chain = decodeDeviceChain(item.c);
  if (!chain.ok) return fail('certificaat-ongeldig', 'De ondertekenaar van een statuswijziging is onbekend.');
  const at = Date.parse(parsed.data.e.at);
  const verified = await verifyDeviceChain(provider, chain.value, roots, new Date(Number.isNaN(at) ? 0 : at));
  if (!verified.ok) return fail('certificaat-ongeldig', 'Het certificaat van de ondertekenaar was op dat moment niet geldig.');
  const pk = publicKeyFromDeviceId(verified.value.deviceId);
  if (!pk.ok || !(await provider.ed25519Verify(pk.value, concatBytes(CONTEXT, item.p), item.s))) {
    return fail('handtekening-ongeldig', 'De handtekening onder een statuswijziging klopt niet.');
  }
  const actor: Actor = { userId: verified.value.userId, organisationId: verified.value.organisationId, roles: verified.value.roles };
  return ok({ ...(parsed.data.e as StatusEvent), actor });
}
