// Binary frames for the relay protocol: one tag byte naming the message type,
// then the other fields as one canonical value (core/crypto/canonical.ts), so
// envelopes and keys travel as raw bytes, never base64. Every decoded frame is
// parsed exactly once with the zod union of its direction [P1].
import { encodeCanonical, decodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import { ok, fail, type Result, type KkError } from '../result.js';
import {
  clientMessageSchema,
  relayMessageSchema,
  type ClientMessage,
  type ClientMessageType,
  type RelayMessage,
  type RelayMessageType,
} from './protocol.js';
import { PROTOCOL_ERRORS } from './protocol-errors.js';

/** Wire tags: the index in the list. Append only; `hello` (0) and relay `error` (0) never move, whatever the version [P2]. */
export const CLIENT_TAGS = [
  'hello',
  'auth',
  'subscribe',
  'unsubscribe',
  'append',
  'snapshot',
  'awareness',
  'blob-put',
  'blob-get',
  'notify',
  'register-email',
  'notifications-pull',
  'register-swv',
  'mailbox-put',
  'mailbox-get',
  'end-user',
  'ended-users-get',
  'watch',
  'unwatch',
  'list-dossiers',
  'served-log-get',
  'tlv-number-claim',
  'tlv-register-get',
  'tombstone-get',
  'revoke-device',
  'revoked-devices-get',
  'key-renewal-put',
  'key-renewals-get',
] as const satisfies readonly ClientMessageType[];
export const RELAY_TAGS = [
  'error',
  'challenge',
  'ready',
  'records',
  'ack',
  'awareness',
  'blob-stored',
  'blob',
  'notifications',
  'done',
  'mailbox',
  'ended-users',
  'heads',
  'dossier-list',
  'served-log',
  'tlv-number',
  'tlv-register',
  'tombstone',
  'revoked-devices',
  'key-renewals',
] as const satisfies readonly RelayMessageType[];

export type FrameErrorCode = 'frame-ongeldig' | 'bericht-onbekend' | 'bericht-ongeldig';
export type FrameError = KkError<FrameErrorCode>;

const frameFail = (code: FrameErrorCode) => fail(code, PROTOCOL_ERRORS[code]);

function encodeWith(tags: readonly string[], message: { readonly type: string }): Uint8Array {
  const tag = tags.indexOf(message.type);
  if (tag < 0) throw new Error(`Onbekend berichttype ${message.type}`);
  const { type: _type, ...fields } = message;
  const body = encodeCanonical(fields as CanonicalValue);
  const out = new Uint8Array(body.length + 1);
  out[0] = tag;
  out.set(body, 1);
  return out;
}

function decodeWith<M>(
  tags: readonly string[],
  parse: (v: unknown) => { success: true; data: M } | { success: false },
  frame: Uint8Array,
): Result<M, FrameError> {
  if (frame.length < 2) return frameFail('frame-ongeldig');
  const type = tags[frame[0] ?? 255];
  if (type === undefined) return frameFail('bericht-onbekend');
  const body = decodeCanonical(frame.subarray(1));
  if (!body.ok) return frameFail('frame-ongeldig');
  const value = body.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array)
    return frameFail('bericht-ongeldig');
  if (Object.hasOwn(value, 'type')) return frameFail('bericht-ongeldig');
  const parsed = parse({ ...value, type });
  return parsed.success ? ok(parsed.data) : frameFail('bericht-ongeldig');
}

export const encodeClientMessage = (m: ClientMessage): Uint8Array => encodeWith(CLIENT_TAGS, m);
export const encodeRelayMessage = (m: RelayMessage): Uint8Array => encodeWith(RELAY_TAGS, m);

/** Untrusted bytes from a client → one valid message or a coded error. Never throws on input. */
export const decodeClientMessage = (frame: Uint8Array): Result<ClientMessage, FrameError> =>
  decodeWith(CLIENT_TAGS, (v) => clientMessageSchema.safeParse(v), frame);
/** Untrusted bytes from a relay → one valid message or a coded error. Never throws on input. */
export const decodeRelayMessage = (frame: Uint8Array): Result<RelayMessage, FrameError> =>
  decodeWith(RELAY_TAGS, (v) => relayMessageSchema.safeParse(v), frame);
