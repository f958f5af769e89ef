// Linking a second device (a laptop at home next to the one at school) to an
// existing account. The linked device gets the user's identity keys, because
// key boxes are sealed to the user's agreement key, and makes its own device
// key, certified by the user, so the relay, the access log and a revocation
// can tell the two devices apart (DESIGN §5: "each device has its own key,
// certified by the user").
//
// The one-time link code (100 random bits, the invitation code format) is the
// shared secret: the unlocked device seals the identity under a key derived
// from it and puts it in a relay mailbox named by another derivation. The
// relay sees a random mailbox name and ciphertext. The code expires after
// `LINK_VALID_MS`; the new device overwrites the mailbox once it has the keys.
// Which dossiers to follow it learns from the account's shared list
// (client-account-dossiers.ts), which the linking device brings up to date first.
import { z } from 'zod';
import type { CryptoProvider } from '../crypto/provider.js';
import { equalBytes, utf8Encode } from '../crypto/bytes.js';
import type { CanonicalValue } from '../crypto/canonical.js';
import { verifyUserCertificate } from '../access/device-chain.js';
import { ok, fail, type Result } from '../result.js';
import { joinResponseFrom, joinResponseValue, openWith, responseSchema, sealWith, type JoinResponse } from './onboarding.js';

/** How long a link code works. */
export const LINK_VALID_MS = 15 * 60_000;

const LABEL = 'kindkluis/apparaatkoppeling/v1';

const derive = (provider: CryptoProvider, code: string, what: string): Promise<Uint8Array> =>
  provider.hkdfSha256(utf8Encode(code), utf8Encode(LABEL), utf8Encode(what), 32);

/** The relay mailbox that carries the sealed identity for `code`. */
export const deviceLinkBox = (provider: CryptoProvider, code: string): Promise<Uint8Array> => derive(provider, code, 'postvak');

const keyPairSchema = z.strictObject({ publicKey: z.instanceof(Uint8Array), secretKey: z.instanceof(Uint8Array) });
/** What a join response carries (certificates, SWV root, directory key), plus the user's own keys. */
const linkSchema = responseSchema.extend({
  v: z.literal(1),
  validUntil: z.number().int(),
  signing: keyPairSchema,
  agreement: keyPairSchema,
});

export interface DeviceLink extends JoinResponse {
  readonly validUntil: number;
  readonly signing: { readonly publicKey: Uint8Array; readonly secretKey: Uint8Array };
  readonly agreement: { readonly publicKey: Uint8Array; readonly secretKey: Uint8Array };
}

export async function sealDeviceLink(provider: CryptoProvider, code: string, link: DeviceLink): Promise<Uint8Array> {
  const value = {
    ...joinResponseValue(link),
    v: 1,
    validUntil: link.validUntil,
    signing: { ...link.signing },
    agreement: { ...link.agreement },
  };
  return sealWith(provider, await derive(provider, code, 'sleutel'), LABEL, value as unknown as CanonicalValue);
}

/**
 * Opens and checks what the other device sealed: not expired, the user certificate signed by the SWV
 * root it names, the organisation the certificate names, and the secret keys really the ones certified.
 */
export async function openDeviceLink(provider: CryptoProvider, code: string, sealed: Uint8Array, now: Date): Promise<Result<DeviceLink>> {
  const v = await openWith(provider, await derive(provider, code, 'sleutel'), LABEL, sealed);
  if (!v.ok) return fail('koppeling-ongeldig', 'Deze koppelcode past niet (meer): vraag op uw andere apparaat een nieuwe aan.');
  const p = linkSchema.safeParse(v.value);
  if (!p.success) return fail('koppeling-ongeldig', 'De koppeling is beschadigd: vraag op uw andere apparaat een nieuwe code aan.');
  const d = p.data;
  if (d.validUntil <= now.getTime()) return fail('koppeling-verlopen', 'Deze koppelcode is verlopen: vraag op uw andere apparaat een nieuwe aan.');
  const link: DeviceLink = { ...joinResponseFrom(d), validUntil: d.validUntil, signing: d.signing, agreement: d.agreement };
  const certified = await verifyUserCertificate(provider, link.user, new Map([[link.swvId, link.root]]), now);
  if (!certified.ok || link.user.body.swv !== link.swvId || link.org.body.organisation !== link.user.body.organisation) {
    return fail('koppeling-ongeldig', 'Het certificaat in de koppeling is niet geldig.');
  }
  const signing = await provider.ed25519KeyPair(link.signing.secretKey);
  const agreement = await provider.x25519KeyPair(link.agreement.secretKey);
  const fits =
    equalBytes(signing.publicKey, link.user.body.signingKey) &&
    equalBytes(signing.publicKey, link.signing.publicKey) &&
    equalBytes(agreement.publicKey, link.user.body.agreementKey) &&
    equalBytes(agreement.publicKey, link.agreement.publicKey);
  if (!fits) return fail('koppeling-ongeldig', 'De sleutels in de koppeling horen niet bij het certificaat.');
  return ok(link);
}
