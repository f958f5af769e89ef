// Digital signatures on forms by the bevoegd gezag (002): the signer's device
// signs a hash of the canonical form content under its certificate chain, so
// anyone in the dossier sees who signed, when, and whether the form changed since.
import { z } from 'zod';
import type { CryptoProvider } from '../crypto/provider.js';
import type { DossierId, FormulierId, OrganisationId, SwvId, UserId } from '../model/ids.js';
import { asId } from '../model/ids.js';
import { encodeCanonical, decodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import { equalBytes } from '../crypto/bytes.js';
import { publicKeyFromDeviceId } from '../crypto/device-id.js';
import { ok, fail, type Result, type KkError } from '../result.js';
import { bytesSchema, timeSchema } from './certificate.js';
import type { DeviceSigner } from './build-record.js';
import {
  deviceChainFromValue,
  deviceChainSchema,
  deviceChainValue,
  verifyDeviceChain,
  type ChainErrorCode,
  type DeviceChain,
  type DeviceRevocations,
} from './device-chain.js';
import { FORM_SIGNER_ROLES } from './roles.js';
import { ID_PATTERN } from './rooms.js';
import { SIGNING_CONTEXT, hashBody, signBody, verifyBody } from './signing.js';

export interface FormSignature {
  readonly dossier: DossierId;
  readonly formulier: FormulierId;
  readonly contentHash: Uint8Array;
  readonly signedAt: number;
  /** With profile: the signature is stored inside the encrypted formulieren scope. */
  readonly signer: DeviceChain;
  readonly signature: Uint8Array;
}

export type FormSignatureErrorCode = 'geen-bevoegd-gezag' | 'handtekening-ongeldig' | 'handtekening-onleesbaar' | ChainErrorCode;
export type FormSignatureError = KkError<FormSignatureErrorCode>;

export const formContentHash = (provider: CryptoProvider, formulier: FormulierId, content: CanonicalValue): Promise<Uint8Array> =>
  hashBody(provider, SIGNING_CONTEXT.form, { formulier, content });

const signedBody = (s: Omit<FormSignature, 'signature' | 'signer'> & { device: string }): CanonicalValue => ({
  dossier: s.dossier,
  formulier: s.formulier,
  contentHash: s.contentHash,
  signedAt: s.signedAt,
  device: s.device,
});

export async function signForm(
  provider: CryptoProvider,
  input: { dossier: DossierId; formulier: FormulierId; content: CanonicalValue; signer: DeviceSigner; at: Date },
): Promise<Result<FormSignature, FormSignatureError>> {
  const chain = input.signer.chain;
  if (!chain.user.body.roles.some((r) => FORM_SIGNER_ROLES.includes(r))) {
    return fail('geen-bevoegd-gezag', 'Alleen het bevoegd gezag kan dit formulier ondertekenen.');
  }
  const base = {
    dossier: input.dossier,
    formulier: input.formulier,
    contentHash: await formContentHash(provider, input.formulier, input.content),
    signedAt: input.at.getTime(),
  };
  const signature = await signBody(
    provider,
    input.signer.deviceSecretKey,
    SIGNING_CONTEXT.form,
    signedBody({ ...base, device: chain.device.body.device }),
  );
  return ok({ ...base, signer: chain, signature });
}

export interface VerifiedFormSignature {
  readonly userId: UserId;
  readonly organisationId: OrganisationId;
  /** "Ondertekend door <voornaam achternaam>, <functie>, <organisatie>". */
  readonly voornaam: string | null;
  readonly achternaam: string | null;
  readonly functie: string | null;
  readonly organisatie: string;
  readonly signedAt: Date;
  /** False when the form content differs from what was signed. */
  readonly unchanged: boolean;
}

/**
 * Checks the signature, the chain (valid at the signing time, not revoked
 * then), the bevoegd-gezag role and optionally the organisation; then compares
 * the signed hash with the current content.
 */
export async function verifyFormSignature(
  provider: CryptoProvider,
  sig: FormSignature,
  currentContent: CanonicalValue,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  options: { expectedOrganisation?: OrganisationId; revocations?: DeviceRevocations } = {},
): Promise<Result<VerifiedFormSignature, FormSignatureError>> {
  const chain = await verifyDeviceChain(provider, sig.signer, roots, new Date(sig.signedAt), options.revocations);
  if (!chain.ok) return chain;
  const v = chain.value;
  const devicePk = publicKeyFromDeviceId(v.deviceId);
  if (!devicePk.ok) return fail('handtekening-ongeldig', 'De handtekening onder het formulier klopt niet.');
  if (!(await verifyBody(provider, devicePk.value, SIGNING_CONTEXT.form, signedBody({ ...sig, device: v.deviceId }), sig.signature))) {
    return fail('handtekening-ongeldig', 'De handtekening onder het formulier klopt niet.');
  }
  if (!v.roles.some((r) => FORM_SIGNER_ROLES.includes(r))) return fail('geen-bevoegd-gezag', 'De ondertekenaar is geen bevoegd gezag.');
  if (options.expectedOrganisation !== undefined && v.organisationId !== options.expectedOrganisation) {
    return fail('verkeerde-ondertekenaar', 'Het formulier is ondertekend door iemand van een andere organisatie.');
  }
  const unchanged = equalBytes(await formContentHash(provider, sig.formulier, currentContent), sig.contentHash);
  return ok({
    userId: v.userId,
    organisationId: v.organisationId,
    voornaam: v.profile?.voornaam ?? null,
    achternaam: v.profile?.achternaam ?? null,
    functie: v.profile?.functie ?? null,
    organisatie: v.profile?.organisatie ?? v.organisationNaam,
    signedAt: new Date(sig.signedAt),
    unchanged,
  });
}

const formSignatureSchema = z.strictObject({
  v: z.literal(1),
  dossier: z.string().regex(ID_PATTERN),
  formulier: z.string().min(1).max(200),
  contentHash: bytesSchema(32),
  signedAt: timeSchema,
  signer: deviceChainSchema,
  signature: bytesSchema(64),
});

/** For storing the signature next to the form in the (encrypted) formulieren doc. */
export const encodeFormSignature = (s: FormSignature): Uint8Array =>
  encodeCanonical({
    v: 1,
    dossier: s.dossier,
    formulier: s.formulier,
    contentHash: s.contentHash,
    signedAt: s.signedAt,
    signer: deviceChainValue(s.signer),
    signature: s.signature,
  });

export function decodeFormSignature(bytes: Uint8Array): Result<FormSignature, FormSignatureError> {
  const bad = fail('handtekening-onleesbaar', 'De handtekening onder het formulier is beschadigd.');
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok) return bad;
  const parsed = formSignatureSchema.safeParse(decoded.value);
  if (!parsed.success) return bad;
  const chain = deviceChainFromValue(parsed.data.signer);
  if (!chain.ok) return bad;
  const d = parsed.data;
  return ok({
    dossier: asId<DossierId>(d.dossier),
    formulier: asId<FormulierId>(d.formulier),
    contentHash: d.contentHash,
    signedAt: d.signedAt,
    signer: chain.value,
    signature: d.signature,
  });
}
