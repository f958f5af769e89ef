// The relay's signature over a served log [P83, R119]: one place that says
// which bytes are signed (made by the relay, checked by the client and by the
// verifier of an exported evidence file), and the evidence file itself. The
// signature makes the relay answerable for what it says it served; it cannot
// show that a lying relay left nothing out.
import { z } from 'zod';
import { encodeCanonical } from '../crypto/canonical.js';
import { fromBase64Url, toBase64Url, toHex } from '../crypto/bytes.js';
import type { CryptoProvider, KeyPair } from '../crypto/provider.js';
import { SIGNING_CONTEXTS } from '../crypto/signing-contexts.js';
import { fail, ok, type KkError, type Result } from '../result.js';
import { MAX_SERVED_ENTRIES, msTime, RELAY_KEY_BYTES, SIGNATURE_BYTES, servedEntrySchema, type ServedLogEntry } from './protocol.js';

const SERVED_LOG_CONTEXT = SIGNING_CONTEXTS.servedLog;

/** A served log as the relay answered it: what is signed, the key and the signature. */
export interface SignedServedLog {
  readonly dossier: string;
  /** The moment of the answer (ms). */
  readonly at: number;
  /** In the answer's order: oldest hour first, then device, then part. */
  readonly entries: readonly ServedLogEntry[];
  readonly relayKey: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * The signed bytes: canonical `{ context, dossier, at, relayKey, entries }` with every entry's six
 * fields, in the answer's order, so leaving out, adding, changing or reordering an entry breaks it.
 */
const servedLogMessage = (log: Omit<SignedServedLog, 'signature'>): Uint8Array =>
  encodeCanonical({
    context: SERVED_LOG_CONTEXT,
    dossier: log.dossier,
    at: log.at,
    relayKey: log.relayKey,
    entries: log.entries.map((e) => ({ device: e.device, user: e.user, scope: e.scope, first: e.first, last: e.last, count: e.count })),
  });

/** The relay signs its answer with its identity key. */
export async function signServedLog(
  provider: CryptoProvider,
  identity: KeyPair,
  log: Omit<SignedServedLog, 'signature' | 'relayKey'>,
): Promise<SignedServedLog> {
  const unsigned = { ...log, relayKey: identity.publicKey };
  return { ...unsigned, signature: await provider.ed25519Sign(identity.secretKey, servedLogMessage(unsigned)) };
}

/** Whether `log.signature` is the relay key's signature over exactly this log. */
export const verifyServedLogSignature = (provider: CryptoProvider, log: SignedServedLog): Promise<boolean> =>
  log.relayKey.length !== RELAY_KEY_BYTES || log.signature.length !== SIGNATURE_BYTES
    ? Promise.resolve(false)
    : provider.ed25519Verify(log.relayKey, servedLogMessage(log), log.signature);

/** A short fingerprint of a relay key to compare by eye: the first 8 bytes of its SHA-256 in hex, in groups of four. */
export async function relayKeyFingerprint(provider: CryptoProvider, relayKey: Uint8Array): Promise<string> {
  const hex = toHex((await provider.sha256(relayKey)).subarray(0, 8));
  return hex.match(/.{4}/g)?.join(' ') ?? hex;
}

const SERVED_LOG_EVIDENCE_KIND = 'kindkluis-bezorglogboek';

const b64 = z.string().max(200);
/** The evidence file (JSON): the signed fields as they were answered, keys and signature in base64url. */
const evidenceSchema = z.strictObject({
  v: z.literal(1),
  soort: z.literal(SERVED_LOG_EVIDENCE_KIND),
  context: z.literal(SERVED_LOG_CONTEXT),
  dossier: z.string().min(1).max(200),
  at: msTime,
  /** For people; not signed, checked against `at`. */
  moment: z.string().max(40),
  entries: z.array(servedEntrySchema).max(MAX_SERVED_ENTRIES),
  relaySleutel: b64,
  handtekening: b64,
});

/** The evidence file of a verified answer, for the FG to keep or hand on (JSON, UTF-8). */
export function servedLogEvidence(log: SignedServedLog): string {
  const file: z.infer<typeof evidenceSchema> = {
    v: 1,
    soort: SERVED_LOG_EVIDENCE_KIND,
    context: SERVED_LOG_CONTEXT,
    dossier: log.dossier,
    at: log.at,
    moment: new Date(log.at).toISOString(),
    entries: log.entries.map((e) => ({ device: e.device, user: e.user, scope: e.scope, first: e.first, last: e.last, count: e.count })),
    relaySleutel: toBase64Url(log.relayKey),
    handtekening: toBase64Url(log.signature),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export type EvidenceErrorCode = 'bewijs-onleesbaar' | 'bewijs-handtekening-ongeldig';

/**
 * Checks an evidence file on its own: it parses, and the relay key in it signed exactly these
 * entries for this dossier at this moment. Whether that key is the relay's is for the reader to
 * compare (the fingerprint the Privacy view showed, or the relay operator's published key).
 */
export async function verifyServedLogEvidence(
  provider: CryptoProvider,
  text: string,
): Promise<Result<SignedServedLog & { readonly fingerprint: string }, KkError<EvidenceErrorCode>>> {
  const unreadable = () => fail('bewijs-onleesbaar' as const, 'Dit bestand is geen leesbaar bezorglogboek van Kindkluis.');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return unreadable();
  }
  const parsed = evidenceSchema.safeParse(json);
  if (!parsed.success) return unreadable();
  const f = parsed.data;
  const relayKey = fromBase64Url(f.relaySleutel);
  const signature = fromBase64Url(f.handtekening);
  if (!relayKey.ok || !signature.ok || f.moment !== new Date(f.at).toISOString()) return unreadable();
  const log: SignedServedLog = { dossier: f.dossier, at: f.at, entries: f.entries, relayKey: relayKey.value, signature: signature.value };
  if (!(await verifyServedLogSignature(provider, log))) {
    return fail(
      'bewijs-handtekening-ongeldig',
      'De handtekening van de server past niet bij dit bezorglogboek: het bestand is gewijzigd of niet door de server ondertekend.',
    );
  }
  return ok({ ...log, fingerprint: await relayKeyFingerprint(provider, log.relayKey) });
}
