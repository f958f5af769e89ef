// Status events (and other attributable facts: overlegronde messages and their
// edits) live inside a Yjs document, each with its own signature and the
// author's device chain. So a snapshot that compacts the history keeps every
// item verifiable: any client can re-check who wrote it, without the envelopes.
import { z } from 'zod';
import type { CryptoProvider } from '../crypto/provider.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, toHex, utf8Encode } from '../crypto/bytes.js';
import { decodeCanonical, encodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import { publicKeyFromDeviceId } from '../crypto/device-id.js';
import { SIGNING_CONTEXTS } from '../crypto/signing-contexts.js';
import { decodeDeviceChain, verifyDeviceChain, type DeviceRevocations, type VerifiedDevice } from '../access/device-chain.js';
import type { HulpvraagId, SwvId } from '../model/ids.js';
import type { StatusEvent, RecordedStatusEvent } from '../model/status-event.js';
import type { Actor } from '../model/user.js';
import { ok, fail, type KkError, type Result } from '../result.js';

const CONTEXT = utf8Encode(`${SIGNING_CONTEXTS.statusEvent}\u0000`);

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
  bewijs: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
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

/**
 * The key a verification result is cached under: the signature and a digest of
 * the payload. Never the signature alone: a copy of an honest item with another
 * payload (placed before it in the array) would otherwise fill the cache slot
 * first and make every reader drop the honest item, or inherit its result.
 */
export const signedItemKey = (item: Pick<SignedEventItem, 'p' | 's'>): string => `${toHex(item.s)}:${toHex(sha256(item.p))}`;

export const isSignedEventItem = (v: unknown): v is SignedEventItem =>
  typeof v === 'object' &&
  v !== null &&
  (v as SignedEventItem).p instanceof Uint8Array &&
  (v as SignedEventItem).s instanceof Uint8Array &&
  (v as SignedEventItem).c instanceof Uint8Array;

/** What a kind of signed item needs: its own signing context, a payload schema, and the moment the signer's chain must be valid at. */
export interface SignedItemKind<T> {
  /** Domain separation: a signature made for one kind never verifies as another. */
  readonly context: Uint8Array;
  readonly schema: z.ZodType<T>;
  readonly at: (payload: T) => string;
  /** "statuswijziging", "bericht": used in the Dutch error messages. */
  readonly noun: string;
}

/** The signer a verified item names, from its device chain. */
export type ItemSigner = Actor & {
  readonly deviceId: VerifiedDevice['deviceId'];
  readonly organisationKind: VerifiedDevice['organisationKind'];
};

export type SignedItemError = 'gebeurtenis-ongeldig' | 'handtekening-ongeldig' | 'certificaat-ongeldig';

/** Signs canonical bytes of `payload` under the kind's context with the device key. */
export async function signItem(
  provider: CryptoProvider,
  kind: Pick<SignedItemKind<unknown>, 'context'>,
  payload: CanonicalValue,
  device: { readonly secretKey: Uint8Array; readonly chainBytes: Uint8Array },
): Promise<SignedEventItem> {
  const p = encodeCanonical(payload);
  const s = await provider.ed25519Sign(device.secretKey, concatBytes(kind.context, p));
  return { p, s, c: device.chainBytes };
}

/** Re-verifies an item: its payload against the kind's schema, the signer's chain at the payload's own time, the signature. */
export async function verifySignedItem<T>(
  provider: CryptoProvider,
  kind: SignedItemKind<T>,
  item: SignedEventItem,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  /** The dossier's device revocations: an item its device signed at or after its revocation is refused. */
  revocations?: DeviceRevocations,
): Promise<Result<{ readonly payload: T; readonly signer: ItemSigner }, KkError<SignedItemError>>> {
  const decoded = decodeCanonical(item.p);
  const parsed = decoded.ok ? kind.schema.safeParse(decoded.value) : undefined;
  if (!parsed?.success) return fail('gebeurtenis-ongeldig', `Een ${kind.noun} is beschadigd en wordt genegeerd.`);
  const chain = decodeDeviceChain(item.c);
  if (!chain.ok) return fail('certificaat-ongeldig', `De ondertekenaar van een ${kind.noun} is onbekend.`);
  const at = Date.parse(kind.at(parsed.data));
  const verified = await verifyDeviceChain(provider, chain.value, roots, new Date(Number.isNaN(at) ? 0 : at), revocations);
  if (!verified.ok) return fail('certificaat-ongeldig', 'Het certificaat van de ondertekenaar was op dat moment niet geldig.');
  const pk = publicKeyFromDeviceId(verified.value.deviceId);
  if (!pk.ok || !(await provider.ed25519Verify(pk.value, concatBytes(kind.context, item.p), item.s))) {
    return fail('handtekening-ongeldig', `De handtekening onder een ${kind.noun} klopt niet.`);
  }
  const v = verified.value;
  return ok({
    payload: parsed.data,
    signer: {
      userId: v.userId,
      organisationId: v.organisationId,
      roles: v.roles,
      deviceId: v.deviceId,
      organisationKind: v.organisationKind,
    },
  });
}

const STATUS_KIND: SignedItemKind<z.infer<typeof payloadSchema>> = {
  context: CONTEXT,
  schema: payloadSchema,
  at: (p) => p.e.at,
  noun: 'statuswijziging',
};

export const signStatusEvent = (
  provider: CryptoProvider,
  hulpvraagId: HulpvraagId,
  event: StatusEvent,
  device: { readonly secretKey: Uint8Array; readonly chainBytes: Uint8Array },
): Promise<SignedEventItem> => signItem(provider, STATUS_KIND, { hv: hulpvraagId, e: event as unknown as CanonicalValue }, device);

export type EventCheckError = SignedItemError | 'verkeerde-hulpvraag';

/** Re-verifies an event: its signature, the author's chain at the event's own time, and the hulpvraag it belongs to. */
export async function verifyStatusEvent(
  provider: CryptoProvider,
  item: SignedEventItem,
  hulpvraagId: HulpvraagId,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  revocations?: DeviceRevocations,
): Promise<Result<RecordedStatusEvent, KkError<EventCheckError>>> {
  const r = await verifySignedItem(provider, STATUS_KIND, item, roots, revocations);
  if (!r.ok) return r;
  if (r.value.payload.hv !== hulpvraagId) return fail('verkeerde-hulpvraag', 'Een statuswijziging hoort bij een andere hulpvraag.');
  const { userId, organisationId, roles } = r.value.signer;
  return ok({ ...(r.value.payload.e as StatusEvent), actor: { userId, organisationId, roles } });
}
