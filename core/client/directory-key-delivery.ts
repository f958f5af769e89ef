// A new directory key (and, for staff, a new staff key) delivered to one member device after the
// beheerder ended someone (PROTOCOL P48, R151): root-signed, sealed to that device's own X25519
// agreement key, in a mailbox whose name only holders of the previous directory key can compute.
import { z } from 'zod';
import type { CryptoProvider } from '../crypto/provider.js';
import { concatBytes, equalBytes, utf8Encode } from '../crypto/bytes.js';
import type { CanonicalValue } from '../crypto/canonical.js';
import { signBody, verifyBody, SIGNING_CONTEXT } from '../access/signing.js';
import type { DeviceId, SwvId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import { openWith, sealWith } from './onboarding.js';

const CONTEXT = SIGNING_CONTEXT.directoryKeyDelivery;

/** The keys one device gets for directory epoch `epoch` (the first keys, from the join, are epoch 0). */
export interface DirectoryKeyDelivery {
  readonly swv: SwvId;
  readonly epoch: number;
  readonly device: DeviceId;
  readonly directoryKey: Uint8Array;
  /** Null for an ouder's device: ouders never get the key of the ouders' pages [R103]. */
  readonly staffKey: Uint8Array | null;
}

const deliverySchema = z.strictObject({
  b: z.strictObject({
    swv: z.string(),
    epoch: z.number().int().positive(),
    device: z.string(),
    to: z.instanceof(Uint8Array),
    directoryKey: z.instanceof(Uint8Array),
    staffKey: z.instanceof(Uint8Array).optional(),
  }),
  s: z.instanceof(Uint8Array),
});

/**
 * The box of `device`'s delivery for `epoch`, named with the directory key of the epoch before: every holder
 * of that key (also the ended person) can compute the name, but only the device's agreement key opens the box.
 */
export async function directoryKeyBox(
  provider: CryptoProvider,
  previousDirectoryKey: Uint8Array,
  swvId: SwvId,
  epoch: number,
  device: DeviceId,
): Promise<Uint8Array> {
  return provider.hmacSha256(previousDirectoryKey, utf8Encode(`kindkluis/ledenlijst-sleutel/${swvId}/${epoch}/${device}`));
}

const sealingKey = (provider: CryptoProvider, shared: Uint8Array, eph: Uint8Array, to: Uint8Array): Promise<Uint8Array> =>
  provider.hkdfSha256(shared, concatBytes(eph, to), utf8Encode(CONTEXT), 32);

/** `eph (32) || nonce || sealed { b, s }`, `s` the SWV root's signature over `b`; a few hundred bytes, far below a mailbox's 16 KiB [P21]. */
export async function sealDirectoryKeyDelivery(
  provider: CryptoProvider,
  rootSecret: Uint8Array,
  agreementKey: Uint8Array,
  d: DirectoryKeyDelivery,
): Promise<Uint8Array> {
  const b = {
    swv: d.swv,
    epoch: d.epoch,
    device: d.device,
    to: agreementKey,
    directoryKey: d.directoryKey,
    ...(d.staffKey ? { staffKey: d.staffKey } : {}),
  } as unknown as CanonicalValue;
  const s = await signBody(provider, rootSecret, CONTEXT, b);
  const eph = await provider.x25519KeyPair();
  const shared = await provider.x25519SharedSecret(eph.secretKey, agreementKey);
  const key = await sealingKey(provider, shared, eph.publicKey, agreementKey);
  shared.fill(0);
  eph.secretKey.fill(0);
  return concatBytes(eph.publicKey, await sealWith(provider, key, CONTEXT, { b, s }));
}

/**
 * Opens a delivery with this device's agreement key and accepts it only when the SWV root signed it for
 * this SWV, this device and this agreement key, at exactly the epoch asked for (so an old delivery put back
 * cannot set a device back to an older key).
 */
export async function openDirectoryKeyDelivery(
  provider: CryptoProvider,
  agreement: { readonly publicKey: Uint8Array; readonly secretKey: Uint8Array },
  root: Uint8Array,
  expected: { readonly swv: SwvId; readonly epoch: number; readonly device: DeviceId },
  sealed: Uint8Array,
): Promise<Result<DirectoryKeyDelivery>> {
  const refused = fail(
    'ledenlijst-sleutel-ongeldig',
    'De nieuwe sleutel van de ledenlijst is niet door het samenwerkingsverband voor dit apparaat gemaakt en is genegeerd.',
  );
  if (sealed.length < 32 + 24 + 16) return refused;
  const eph = sealed.subarray(0, 32);
  let shared: Uint8Array;
  try {
    shared = await provider.x25519SharedSecret(agreement.secretKey, eph);
  } catch {
    return refused;
  }
  const key = await sealingKey(provider, shared, eph, agreement.publicKey);
  shared.fill(0);
  const v = await openWith(provider, key, CONTEXT, sealed.subarray(32));
  if (!v.ok) return refused;
  const p = deliverySchema.safeParse(v.value);
  if (!p.success) return refused;
  const { b, s } = p.data;
  const fits =
    b.swv === expected.swv &&
    b.epoch === expected.epoch &&
    b.device === expected.device &&
    equalBytes(b.to, agreement.publicKey) &&
    b.directoryKey.length === 32;
  if (!fits || !(await verifyBody(provider, root, CONTEXT, b as unknown as CanonicalValue, s))) return refused;
  return ok({ swv: expected.swv, epoch: b.epoch, device: expected.device, directoryKey: b.directoryKey, staffKey: b.staffKey ?? null });
}
