// The manifest of an inzage-export (AVG art. 15): the SHA-256 of every file in
// the zip, signed by the exporting device under its chain device → user → SWV
// root, so whoever receives the zip can check it is complete and unaltered
// without Kindkluis (`verifyExport`, and `npm run verify-export -- file.zip`).
import { z } from 'zod';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { concatBytes, fromBase64Url, toBase64Url, toHex, utf8Decode, utf8Encode } from '../crypto/bytes.js';
import { publicKeyFromDeviceId } from '../crypto/device-id.js';
import { SIGNING_CONTEXTS } from '../crypto/signing-contexts.js';
import { decodeDeviceChain, verifyDeviceChain } from '../access/device-chain.js';
import type { DeviceId, SwvId, UserId } from '../model/ids.js';
import { ok, fail, type KkError, type Result } from '../result.js';
import { readZip, writeZip, type ZipEntry } from './stored-zip.js';

/** Domain separation: a device signature over an export manifest never verifies as anything else. */
export const EXPORT_CONTEXT = `${SIGNING_CONTEXTS.exportManifest}\u0000`;
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'handtekening.json';

export type ExportSoort = 'inzage' | 'lbt';

const manifestSchema = z.object({
  v: z.literal(1),
  soort: z.enum(['inzage', 'lbt']),
  dossier: z.string(),
  geexporteerdOp: z.string(),
  door: z.object({ userId: z.string(), deviceId: z.string(), swvId: z.string() }),
  bestanden: z.array(
    z.object({ pad: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() }),
  ),
});
export type ExportManifest = z.infer<typeof manifestSchema>;

const signatureSchema = z.object({
  v: z.literal(1),
  context: z.literal(SIGNING_CONTEXTS.exportManifest),
  /** Ed25519 by the device key over EXPORT_CONTEXT || the bytes of manifest.json. */
  handtekening: z.string(),
  /** The device chain without profile (canonical bytes, base64url). */
  keten: z.string(),
  /** The SWV root the chain ends in, so a receiver can compare it with the key the SWV publishes. */
  swvRoot: z.string(),
});

export interface ExportSigner {
  readonly secretKey: Uint8Array;
  readonly chainBytes: Uint8Array;
  readonly swvRoot: Uint8Array;
  readonly userId: UserId;
  readonly deviceId: DeviceId;
  readonly swvId: SwvId;
}

/** Builds the zip: the files as given, then manifest.json with their hashes and the device's signature over it. */
export async function sealExport(
  provider: CryptoProvider,
  files: readonly ZipEntry[],
  meta: { readonly soort: ExportSoort; readonly dossier: string; readonly at: Date },
  signer: ExportSigner,
): Promise<Uint8Array> {
  const manifest: ExportManifest = {
    v: 1,
    soort: meta.soort,
    dossier: meta.dossier,
    geexporteerdOp: meta.at.toISOString(),
    door: { userId: signer.userId, deviceId: signer.deviceId, swvId: signer.swvId },
    bestanden: files.map((f) => ({ pad: f.name, sha256: toHex(sha256(f.data)), bytes: f.data.length })),
  };
  const manifestBytes = utf8Encode(JSON.stringify(manifest, null, 2));
  const handtekening = await provider.ed25519Sign(signer.secretKey, concatBytes(utf8Encode(EXPORT_CONTEXT), manifestBytes));
  const sig = {
    v: 1,
    context: SIGNING_CONTEXTS.exportManifest,
    handtekening: toBase64Url(handtekening),
    keten: toBase64Url(signer.chainBytes),
    swvRoot: toBase64Url(signer.swvRoot),
  };
  return writeZip([
    ...files,
    { name: MANIFEST_FILE, data: manifestBytes },
    { name: SIGNATURE_FILE, data: utf8Encode(JSON.stringify(sig, null, 2)) },
  ]);
}

export type ExportCheckError = KkError<
  | 'zip-ongeldig'
  | 'manifest-ongeldig'
  | 'handtekening-ongeldig'
  | 'certificaat-ongeldig'
  | 'bestand-ontbreekt'
  | 'bestand-gewijzigd'
  | 'bestand-extra'
>;

export interface VerifiedExport {
  readonly manifest: ExportManifest;
  readonly signer: {
    readonly userId: UserId;
    readonly deviceId: DeviceId;
    readonly swvId: SwvId;
    readonly organisatie: string;
    readonly roles: readonly string[];
  };
  /** SHA-256 (hex) of the SWV root key the chain was checked against: compare it with the one the SWV publishes. */
  readonly swvRootVingerafdruk: string;
  /** True when no roots were given and the root in the file itself was used. */
  readonly wortelUitBestand: boolean;
}

const refuse = (code: ExportCheckError['code'], message: string): Result<never, ExportCheckError> => fail(code, message);

/**
 * Checks an export: the signature over manifest.json by the device its chain
 * names, the chain valid at the export's moment against `roots` (or, without
 * them, against the root in the file, reported as such), every listed file
 * present with its hash, and no file that the manifest does not list.
 */
export async function verifyExport(
  provider: CryptoProvider,
  zip: Uint8Array,
  opts: { readonly roots?: ReadonlyMap<SwvId, Uint8Array> } = {},
): Promise<Result<VerifiedExport, ExportCheckError>> {
  const files = readZip(zip);
  if (!files.ok) return files;
  const manifestBytes = files.value.get(MANIFEST_FILE);
  const sigBytes = files.value.get(SIGNATURE_FILE);
  if (!manifestBytes || !sigBytes) return refuse('manifest-ongeldig', 'Het manifest of de handtekening ontbreekt.');
  const manifest = parseJson(manifestBytes, manifestSchema);
  const sig = parseJson(sigBytes, signatureSchema);
  if (!manifest || !sig) return refuse('manifest-ongeldig', 'Het manifest of de handtekening is onleesbaar.');
  const handtekening = fromBase64Url(sig.handtekening);
  const keten = fromBase64Url(sig.keten);
  const root = fromBase64Url(sig.swvRoot);
  if (!handtekening.ok || !keten.ok || !root.ok) return refuse('manifest-ongeldig', 'De handtekening is onleesbaar.');
  const chain = decodeDeviceChain(keten.value);
  if (!chain.ok) return refuse('certificaat-ongeldig', 'De certificaatketen van het exporterende apparaat is onleesbaar.');
  const swvId = chain.value.user.body.swv;
  const roots = opts.roots ?? new Map([[swvId, root.value]]);
  const at = Date.parse(manifest.geexporteerdOp);
  const verified = await verifyDeviceChain(provider, chain.value, roots, new Date(Number.isNaN(at) ? 0 : at));
  if (!verified.ok)
    return refuse('certificaat-ongeldig', `Het certificaat van het exporterende apparaat is niet geldig: ${verified.error.message}`);
  const pk = publicKeyFromDeviceId(verified.value.deviceId);
  if (!pk.ok || !(await provider.ed25519Verify(pk.value, concatBytes(utf8Encode(EXPORT_CONTEXT), manifestBytes), handtekening.value))) {
    return refuse(
      'handtekening-ongeldig',
      'De handtekening onder het manifest klopt niet: het manifest is gewijzigd of door een ander ondertekend.',
    );
  }
  const v = verified.value;
  if (manifest.door.deviceId !== v.deviceId || manifest.door.userId !== v.userId || manifest.door.swvId !== v.swvId) {
    return refuse('handtekening-ongeldig', 'Het manifest noemt een ander apparaat dan het apparaat dat het ondertekende.');
  }
  const listed = new Set<string>();
  for (const f of manifest.bestanden) {
    listed.add(f.pad);
    const data = files.value.get(f.pad);
    if (!data) return refuse('bestand-ontbreekt', `Het bestand ${f.pad} ontbreekt.`);
    if (data.length !== f.bytes || toHex(sha256(data)) !== f.sha256)
      return refuse('bestand-gewijzigd', `Het bestand ${f.pad} is gewijzigd.`);
  }
  for (const name of files.value.keys()) {
    if (name !== MANIFEST_FILE && name !== SIGNATURE_FILE && !listed.has(name))
      return refuse('bestand-extra', `Het bestand ${name} staat niet in het manifest.`);
  }
  const rootKey = roots.get(v.swvId) ?? root.value;
  return ok({
    manifest,
    signer: { userId: v.userId, deviceId: v.deviceId, swvId: v.swvId, organisatie: v.organisationNaam, roles: v.roles },
    swvRootVingerafdruk: toHex(sha256(rootKey)),
    wortelUitBestand: opts.roots === undefined,
  });
}

function parseJson<T>(bytes: Uint8Array, schema: z.ZodType<T>): T | null {
  try {
    const p = schema.safeParse(JSON.parse(utf8Decode(bytes)));
    return p.success ? p.data : null;
  } catch {
    return null;
  }
}
