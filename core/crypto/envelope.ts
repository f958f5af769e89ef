// The one sealed container for every update, snapshot, awareness message, key
// box, ACL record, access event and seen-marker. Relay-readable header and
// public part; AEAD-sealed body; key-committing; signed by the author device.
//
//   subkeys    encKey ‖ commitKey = HKDF-SHA256(ikm = key, salt = nonce, info = "kindkluis/envelope/v1", 64)
//   aad        canonical({ header, publicPart | null })
//   ciphertext AEAD(header.alg, encKey, nonce, plaintext, aad)
//   commitment HMAC-SHA256(commitKey, canonical({ aad, nonce, ciphertext }))   — checked before decrypting
//   signature  Ed25519(author, canonical({ context: "kindkluis/<kind>/v1",
//                        digest: SHA256(canonical({ header, publicPart | null, nonce, ciphertext, commitment [, prev] })) }))
//   prev       optional: SHA-256 of the wire bytes of the same device's previous envelope in this room.
//              A signed envelope thereby vouches for its whole hash-linked run, so a reader opening
//              10,000 updates checks one Ed25519 signature per run instead of one per envelope
//              (core/crypto/envelope-chain.ts, PROTOCOL P26). Absent, the signed digest is exactly
//              the one without the field, so envelopes sealed before chains existed verify unchanged.
//
// Per-envelope subkeys (salted by the random nonce) keep AES-GCM far from its
// random-nonce limits and make a commitment under one key useless under another.
import type { DeviceId, RoomId } from '../model/ids.js';
import { asId } from '../model/ids.js';
import { ok, fail, type Result, type KkError } from '../result.js';
import { AEAD_NONCE_LENGTH, type AeadAlgorithm, type CryptoProvider } from './provider.js';
import { CanonicalBytes, encodeCanonical, type CanonicalValue } from './canonical.js';
import { equalBytes, utf8Encode } from './bytes.js';
import { ByteReader, ByteWriter, MalformedInput } from './binary.js';
import { deviceIdFromPublicKey, publicKeyFromDeviceId } from './device-id.js';
import { ENVELOPE_SIGNING_CONTEXTS } from './signing-contexts.js';

/** Wire codes are the index in this list: append only, never reorder. */
export const ENVELOPE_KINDS = ['update', 'snapshot', 'awareness', 'keybox', 'acl', 'access', 'seen'] as const;
export type EnvelopeKind = (typeof ENVELOPE_KINDS)[number];
const AEAD_CODES = ['xchacha20poly1305', 'aes256gcm'] as const satisfies readonly AeadAlgorithm[];

export const ENVELOPE_VERSION = 1;
/** Room ids are short opaque strings; a bound keeps hostile frames small. */
export const MAX_ROOM_BYTES = 512;
export const COMMITMENT_LENGTH = 32;
export const SIGNATURE_LENGTH = 64;
/** SHA-256 of the predecessor's wire bytes. */
export const PREV_LENGTH = 32;

export interface EnvelopeHeader {
  readonly v: 1;
  readonly kind: EnvelopeKind;
  readonly room: RoomId;
  readonly epoch: number;
  readonly author: DeviceId;
  /** Per author device and room, starting at 1 and strictly increasing. */
  readonly counter: number;
  readonly alg: AeadAlgorithm;
}

export interface Envelope {
  readonly header: EnvelopeHeader;
  /** Canonical bytes the relay may read; covered by the AAD and the signature. */
  readonly publicPart?: Uint8Array;
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly commitment: Uint8Array;
  readonly signature: Uint8Array;
  /** SHA-256 of the wire bytes of the author device's previous envelope in this room, if it links one (P26). */
  readonly prev?: Uint8Array;
}

export type EnvelopeErrorCode =
  | 'envelop-ongeldig'
  | 'envelop-versie-onbekend'
  | 'envelop-soort-onbekend'
  | 'envelop-soort-onjuist'
  | 'handtekening-ongeldig'
  | 'auteur-onbekend'
  | 'kamer-onjuist'
  | 'epoch-onjuist'
  | 'teller-herhaald'
  | 'sleutel-onjuist'
  | 'algorithm-unsupported'
  | 'aead-open-failed';
export type EnvelopeError = KkError<EnvelopeErrorCode>;

const ERRORS: Readonly<Record<EnvelopeErrorCode, string>> = {
  'envelop-ongeldig': 'Het ontvangen bericht is beschadigd of onvolledig.',
  'envelop-versie-onbekend': 'Het ontvangen bericht heeft een onbekende versie; werk Kindkluis bij.',
  'envelop-soort-onbekend': 'Het ontvangen bericht is van een onbekende soort; werk Kindkluis bij.',
  'envelop-soort-onjuist': 'Het ontvangen bericht is van een andere soort dan verwacht.',
  'handtekening-ongeldig': 'De handtekening van het bericht klopt niet; het is gewijzigd of vervalst.',
  'auteur-onbekend': 'Het bericht komt van een apparaat dat geen toegang (meer) heeft.',
  'kamer-onjuist': 'Het bericht hoort bij een ander dossieronderdeel.',
  'epoch-onjuist': 'Het bericht is versleuteld met een andere sleutelperiode.',
  'teller-herhaald': 'Dit bericht is al eerder ontvangen (herhaling).',
  'sleutel-onjuist': 'Het bericht past niet bij deze sleutel of is gewijzigd.',
  'algorithm-unsupported': 'Dit apparaat ondersteunt het versleutelalgoritme van het bericht niet.',
  'aead-open-failed': 'Het bericht kon niet worden ontsleuteld.',
};
const envFail = (code: EnvelopeErrorCode) => fail(code, ERRORS[code]);
/** The failure `openEnvelope` & co. return for `code`, with its Dutch message. */
export const envelopeFailure = (code: EnvelopeErrorCode): Result<never, EnvelopeError> => envFail(code);

const headerValue = (h: EnvelopeHeader): CanonicalValue => ({
  v: h.v,
  kind: h.kind,
  room: h.room,
  epoch: h.epoch,
  author: h.author,
  counter: h.counter,
  alg: h.alg,
});

/** The header's canonical bytes, encoded once per envelope: they go into both the AAD and the signed digest. */
const headerBytes = (h: EnvelopeHeader): CanonicalBytes => CanonicalBytes.of(headerValue(h));

const aadOf = (header: CanonicalBytes, publicPart: Uint8Array | undefined): Uint8Array =>
  encodeCanonical({ header, publicPart: publicPart ?? null });

const SUBKEY_INFO = utf8Encode('kindkluis/envelope/v1');

/** Envelope subkeys are fresh per nonce: never worth a provider's key cache. */
const SINGLE_USE = { singleUse: true } as const;

async function subkeys(p: CryptoProvider, key: Uint8Array, nonce: Uint8Array): Promise<{ encKey: Uint8Array; commitKey: Uint8Array }> {
  if (key.length !== 32) throw new Error('Envelopsleutel moet 32 bytes zijn');
  const okm = await p.hkdfSha256(key, nonce, SUBKEY_INFO, 64);
  return { encKey: okm.slice(0, 32), commitKey: okm.slice(32) };
}

const commitmentOf = (p: CryptoProvider, commitKey: Uint8Array, aad: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array) =>
  p.hmacSha256(commitKey, encodeCanonical({ aad, nonce, ciphertext }));

async function signedMessage(p: CryptoProvider, env: Omit<Envelope, 'signature'>, header: CanonicalBytes): Promise<Uint8Array> {
  const fields = {
    header,
    publicPart: env.publicPart ?? null,
    nonce: env.nonce,
    ciphertext: env.ciphertext,
    commitment: env.commitment,
  };
  // `prev` only when present: a map with the key never encodes like one without it, so a link can
  // be neither stripped from nor added to a signed envelope.
  const digest = await p.sha256(encodeCanonical(env.prev === undefined ? fields : { ...fields, prev: env.prev }));
  return encodeCanonical({ context: ENVELOPE_SIGNING_CONTEXTS[env.header.kind], digest });
}

function checkHeader(h: EnvelopeHeader): void {
  const fine =
    h.v === ENVELOPE_VERSION &&
    ENVELOPE_KINDS.includes(h.kind) &&
    AEAD_CODES.includes(h.alg) &&
    h.room.length > 0 &&
    utf8Encode(h.room).length <= MAX_ROOM_BYTES &&
    Number.isSafeInteger(h.epoch) &&
    h.epoch >= 0 &&
    Number.isSafeInteger(h.counter) &&
    h.counter >= 1 &&
    publicKeyFromDeviceId(h.author).ok;
  if (!fine) throw new Error('Ongeldige envelopkop');
}

export interface SealInput {
  readonly header: EnvelopeHeader;
  readonly key: Uint8Array;
  readonly plaintext: Uint8Array;
  readonly publicPart?: Uint8Array;
  /** The Ed25519 seed of the device named in `header.author`. */
  readonly signingSecretKey: Uint8Array;
  /** `chainHash` of this device's previous envelope in the room, to link it (P26). */
  readonly prev?: Uint8Array;
}

/** Throws on a malformed header or an algorithm the provider lacks: both are caller bugs. */
export async function sealEnvelope(p: CryptoProvider, input: SealInput): Promise<Envelope> {
  const { header, key, plaintext, publicPart, signingSecretKey, prev } = input;
  checkHeader(header);
  if (prev !== undefined && prev.length !== PREV_LENGTH) throw new Error(`prev moet ${PREV_LENGTH} bytes zijn`);
  if (!p.aeadAlgorithms.includes(header.alg)) throw new Error(`Provider ${p.name} kan ${header.alg} niet`);
  const nonce = p.randomBytes(AEAD_NONCE_LENGTH[header.alg]);
  const { encKey, commitKey } = await subkeys(p, key, nonce);
  const hb = headerBytes(header);
  const aad = aadOf(hb, publicPart);
  const ciphertext = await p.aeadSeal(header.alg, encKey, nonce, plaintext, aad, SINGLE_USE);
  const commitment = await commitmentOf(p, commitKey, aad, nonce, ciphertext);
  const unsigned = {
    header,
    ...(publicPart === undefined ? {} : { publicPart }),
    nonce,
    ciphertext,
    commitment,
    ...(prev === undefined ? {} : { prev }),
  };
  const signature = await p.ed25519Sign(signingSecretKey, await signedMessage(p, unsigned, hb));
  return { ...unsigned, signature };
}

/** Checks the author's signature; the public key is the author's DeviceId. No symmetric key needed (relay side). */
export async function verifyEnvelopeSignature(p: CryptoProvider, env: Envelope): Promise<boolean> {
  return verifyWithHeader(p, env, headerBytes(env.header));
}

async function verifyWithHeader(p: CryptoProvider, env: Envelope, header: CanonicalBytes): Promise<boolean> {
  const pk = publicKeyFromDeviceId(env.header.author);
  if (!pk.ok || env.signature.length !== SIGNATURE_LENGTH) return false;
  return p.ed25519Verify(pk.value, await signedMessage(p, env, header), env.signature);
}

export interface OpenOptions {
  readonly key: Uint8Array;
  readonly room: RoomId;
  readonly epoch: number;
  /** The kind the caller expects here (e.g. only `keybox` envelopes in a key-box slot). */
  readonly kind?: EnvelopeKind;
  /** Highest counter already accepted from this author in this room; the envelope must be above it. */
  readonly lastCounter?: number;
  /** Membership check (certified, not revoked); without it any validly signed author is accepted. */
  readonly isKnownAuthor?: (author: DeviceId) => boolean;
}

/** Fails closed: signature, author, room, epoch, counter and key commitment are all checked before decrypting. */
export function openEnvelope(p: CryptoProvider, env: Envelope, opts: OpenOptions): Promise<Result<Uint8Array, EnvelopeError>> {
  return openWithProof(p, env, opts, (hb) => verifyWithHeader(p, env, hb));
}

/**
 * `openEnvelope` with the signature check replaced by `attested`, which must resolve true only when
 * the envelope is proven to come from `header.author` unchanged: its own signature, or a hash chain
 * to a successor whose signature was verified (core/crypto/envelope-batch.ts). Every other check runs.
 */
export function openAttestedEnvelope(
  p: CryptoProvider,
  env: Envelope,
  opts: OpenOptions,
  attested: Promise<boolean>,
): Promise<Result<Uint8Array, EnvelopeError>> {
  return openWithProof(p, env, opts, () => attested);
}

async function openWithProof(
  p: CryptoProvider,
  env: Envelope,
  opts: OpenOptions,
  proof: (header: CanonicalBytes) => Promise<boolean>,
): Promise<Result<Uint8Array, EnvelopeError>> {
  const h = env.header;
  if (!p.aeadAlgorithms.includes(h.alg)) return envFail('algorithm-unsupported');
  if (env.nonce.length !== AEAD_NONCE_LENGTH[h.alg] || env.commitment.length !== COMMITMENT_LENGTH) return envFail('envelop-ongeldig');
  // Subkey derivation needs no trust in the envelope, so it runs while the signature is checked
  // (two WebCrypto jobs in flight instead of one after the other); a key error surfaces only
  // where it did before, after the signature and header checks.
  const derived = subkeys(p, opts.key, env.nonce).then(
    (keys) => ({ keys }),
    (error: unknown) => ({ error }),
  );
  const hb = headerBytes(h);
  const [signed, sub] = await Promise.all([proof(hb), derived]);
  if (!signed) return envFail('handtekening-ongeldig');
  if (opts.isKnownAuthor !== undefined && !opts.isKnownAuthor(h.author)) return envFail('auteur-onbekend');
  if (opts.kind !== undefined && h.kind !== opts.kind) return envFail('envelop-soort-onjuist');
  if (h.room !== opts.room) return envFail('kamer-onjuist');
  if (h.epoch !== opts.epoch) return envFail('epoch-onjuist');
  if (opts.lastCounter !== undefined && h.counter <= opts.lastCounter) return envFail('teller-herhaald');
  if ('error' in sub) throw sub.error;
  const { encKey, commitKey } = sub.keys;
  const aad = aadOf(hb, env.publicPart);
  if (!equalBytes(await commitmentOf(p, commitKey, aad, env.nonce, env.ciphertext), env.commitment)) return envFail('sleutel-onjuist');
  const plain = await p.aeadOpen(h.alg, encKey, env.nonce, env.ciphertext, aad, SINGLE_USE);
  return plain.ok ? plain : envFail('aead-open-failed');
}

// Wire format v1 (compact; the canonical forms above are only hashed, never sent):
//   u8 version · u8 kind · u8 alg · sized room (UTF-8) · varint epoch · 32 author public key · varint counter
//   u8 flags (bit 0: public part, bit 1: prev) [· sized publicPart] [· 32 prev]
//   · nonce (length by alg) · 32 commitment · 64 signature · sized ciphertext
const FLAG_PUBLIC_PART = 1;
const FLAG_PREV = 2;

export function encodeEnvelope(env: Envelope): Uint8Array {
  const h = env.header;
  checkHeader(h);
  const author = publicKeyFromDeviceId(h.author);
  if (!author.ok) throw new Error('Ongeldige auteur');
  const w = new ByteWriter()
    .byte(h.v)
    .byte(ENVELOPE_KINDS.indexOf(h.kind))
    .byte(AEAD_CODES.indexOf(h.alg))
    .sized(utf8Encode(h.room))
    .varint(h.epoch)
    .bytes(author.value)
    .varint(h.counter);
  w.byte((env.publicPart === undefined ? 0 : FLAG_PUBLIC_PART) | (env.prev === undefined ? 0 : FLAG_PREV));
  if (env.publicPart !== undefined) w.sized(env.publicPart);
  if (env.prev !== undefined) {
    if (env.prev.length !== PREV_LENGTH) throw new Error(`prev moet ${PREV_LENGTH} bytes zijn`);
    w.bytes(env.prev);
  }
  return w.bytes(env.nonce).bytes(env.commitment).bytes(env.signature).sized(env.ciphertext).result();
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Parses untrusted bytes without any key; refuses anything but exactly one well-formed v1 envelope. */
export function decodeEnvelope(bytes: Uint8Array): Result<Envelope, EnvelopeError> {
  const r = new ByteReader(bytes);
  try {
    if (r.byte() !== ENVELOPE_VERSION) return envFail('envelop-versie-onbekend');
    const kind = ENVELOPE_KINDS[r.byte()];
    if (kind === undefined) return envFail('envelop-soort-onbekend');
    const alg = AEAD_CODES[r.byte()];
    if (alg === undefined) return envFail('envelop-ongeldig');
    const roomBytes = r.sized(MAX_ROOM_BYTES);
    if (roomBytes.length === 0) return envFail('envelop-ongeldig');
    const room = asId<RoomId>(strictUtf8.decode(roomBytes));
    const epoch = r.varint();
    const author = deviceIdFromPublicKey(r.take(32));
    const counter = r.varint();
    if (counter < 1) return envFail('envelop-ongeldig');
    const flags = r.byte();
    if (flags > (FLAG_PUBLIC_PART | FLAG_PREV)) return envFail('envelop-ongeldig');
    const publicPart = flags & FLAG_PUBLIC_PART ? r.sized() : undefined;
    const prev = flags & FLAG_PREV ? r.take(PREV_LENGTH) : undefined;
    const nonce = r.take(AEAD_NONCE_LENGTH[alg]);
    const commitment = r.take(COMMITMENT_LENGTH);
    const signature = r.take(SIGNATURE_LENGTH);
    const ciphertext = r.sized();
    r.end();
    const header: EnvelopeHeader = { v: ENVELOPE_VERSION, kind, room, epoch, author, counter, alg };
    return ok({
      header,
      ...(publicPart === undefined ? {} : { publicPart }),
      nonce,
      ciphertext,
      commitment,
      signature,
      ...(prev === undefined ? {} : { prev }),
    });
  } catch (e) {
    if (e instanceof MalformedInput || e instanceof TypeError) return envFail('envelop-ongeldig');
    throw e;
  }
}

/** SHA-256 of the wire bytes: a stable id for hash chains (ACL predecessors, snapshot chains, `prev`). */
export async function envelopeHash(p: CryptoProvider, env: Envelope): Promise<Uint8Array> {
  return chainHash(p, encodeEnvelope(env));
}

/** `envelopeHash` of envelope bytes as received or sent (the wire form is unique, R27): the `prev` of the next. */
export function chainHash(p: CryptoProvider, wire: Uint8Array): Promise<Uint8Array> {
  return p.sha256(wire);
}
