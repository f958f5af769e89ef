// The frame codec shared by client and relay: round trips, compactness, and
// refusal (never a throw) of arbitrary bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeClientMessage,
  decodeRelayMessage,
  encodeClientMessage,
  encodeRelayMessage,
  CLIENT_TAGS,
  RELAY_TAGS,
} from '../../core/sync/protocol-codec.js';
import type { ClientMessage, RelayMessage } from '../../core/sync/protocol.js';
import { encodeCanonical, type CanonicalValue } from '../../core/crypto/canonical.js';

const b = (n: number, fill = 7) => new Uint8Array(n).fill(fill);

const clientSamples: ClientMessage[] = [
  { type: 'hello', protocolVersion: 1, chain: b(700) },
  { type: 'auth', origin: 'ws://127.0.0.1:8787', signature: b(64) },
  { type: 'subscribe', room: 'd1/leerling', afterSeq: 0 },
  { type: 'unsubscribe', room: 'd1/leerling' },
  { type: 'append', ref: 1, room: 'd1/leerling', envelope: b(300) },
  { type: 'snapshot', ref: 2, room: 'd1/leerling', coversSeq: 10, envelope: b(300) },
  { type: 'awareness', room: 'd1/leerling', envelope: b(90) },
  { type: 'blob-put', ref: 3, room: 'd1/leerling', hash: b(32), data: b(1000) },
  { type: 'blob-get', ref: 4, room: 'd1/leerling', hash: b(32) },
  { type: 'notify', kind: 'mention', room: 'd1/leerling', recipients: ['u1', 'u2'] },
  { type: 'register-email', email: 'ib@school.example' },
  { type: 'register-email', email: null },
  { type: 'notifications-pull' },
  { type: 'register-swv', swvId: 'swv1', rootPublicKey: b(32), proof: b(64) },
  { type: 'mailbox-put', box: b(32), ciphertext: b(100) },
  { type: 'mailbox-get', box: b(32) },
  { type: 'end-user', record: b(200) },
  { type: 'ended-users-get' },
  {
    type: 'watch',
    ref: 5,
    rooms: [
      { room: 'd1/leerling', afterSeq: 0 },
      { room: 'd1/toegang', afterSeq: 7 },
    ],
  },
  { type: 'unwatch', rooms: ['d1/leerling'] },
  { type: 'list-dossiers', ref: 6, after: null },
  { type: 'list-dossiers', ref: 7, after: 'd1' },
  { type: 'served-log-get', ref: 8, dossier: 'd1' },
  { type: 'tlv-number-claim', ref: 9, claim: new Uint8Array(32).fill(3) },
  { type: 'tlv-register-get', ref: 10, after: 0 },
  { type: 'tombstone-get', ref: 11, dossier: 'd1' },
  { type: 'revoke-device', record: b(600) },
  { type: 'revoked-devices-get' },
  { type: 'key-renewal-put', record: b(200) },
  { type: 'key-renewals-get' },
];
const relaySamples: RelayMessage[] = [
  { type: 'challenge', protocolVersion: 1, nonce: b(32) },
  { type: 'ready', protocolVersion: 1, deviceId: 'abc', limits: { maxFrameBytes: 10 }, serverTime: 5 },
  {
    type: 'records',
    room: 'd1/leerling',
    snapshot: { coversSeq: 3, envelope: b(50) },
    records: [{ seq: 4, envelope: b(40) }],
    headSeq: 4,
    live: true,
  },
  { type: 'ack', ref: 9, seq: 12, duplicate: false },
  { type: 'awareness', room: 'd1/leerling', envelope: b(20) },
  { type: 'blob-stored', ref: 1, hash: b(32) },
  { type: 'blob', ref: 1, hash: b(32), data: b(10) },
  { type: 'notifications', items: [{ kind: 'status', room: 'd1/leerling', at: 1 }] },
  { type: 'done', of: 'register-email' },
  { type: 'mailbox', box: b(32), ciphertext: null },
  { type: 'ended-users', records: [b(200)] },
  { type: 'heads', ref: 5, changed: [{ room: 'd1/toegang', headSeq: 9 }], refused: [{ room: 'd1/leerling', code: 'geen-toegang' }] },
  { type: 'heads', ref: null, changed: [], refused: [] },
  { type: 'dossier-list', ref: 6, ids: ['d1', 'd2'], next: 'd2' },
  {
    type: 'served-log',
    ref: 8,
    entries: [{ device: 'dev', user: 'u', scope: 'leerling', first: 1, last: 2, count: 3 }],
    at: 7,
    relayKey: b(32),
    signature: b(64),
  },
  { type: 'tlv-number', ref: 9, volgnummer: 1, at: 5, duplicate: false },
  { type: 'tlv-register', ref: 10, entries: [{ volgnummer: 1, claim: new Uint8Array(32).fill(3), at: 5, user: 'u' }], next: null },
  { type: 'tombstone', ref: 11, record: new Uint8Array([1, 2, 3]) },
  { type: 'tombstone', ref: 12, record: null },
  { type: 'revoked-devices', records: [b(600)] },
  { type: 'key-renewals', records: [b(200)] },
  {
    type: 'error',
    code: 'limiet-overschreden',
    message: 'x',
    ref: null,
    room: null,
    limit: 'recordsPerSecond',
    reason: null,
    supported: null,
    fatal: false,
  },
];

describe('protocol frame codec [P1]', () => {
  it('round-trips every client message type through bytes [P1]', () => {
    expect(new Set(clientSamples.map((m) => m.type))).toEqual(new Set(CLIENT_TAGS));
    for (const m of clientSamples) {
      const back = decodeClientMessage(encodeClientMessage(m));
      expect(back).toEqual({ ok: true, value: m });
    }
  });

  it('round-trips every relay message type through bytes [P1]', () => {
    expect(new Set(relaySamples.map((m) => m.type))).toEqual(new Set(RELAY_TAGS));
    for (const m of relaySamples) expect(decodeRelayMessage(encodeRelayMessage(m))).toEqual({ ok: true, value: m });
  });

  it('carries envelopes as raw bytes: an append frame is the envelope plus a few dozen bytes [P1]', () => {
    const frame = encodeClientMessage({ type: 'append', ref: 123456, room: 'dossier-abc/hulpvraag:hv1', envelope: b(4000) });
    expect(frame.length - 4000).toBeLessThan(80);
  });

  it('keeps hello at tag 0 and error at tag 0 so every version can refuse every other [P2]', () => {
    expect(CLIENT_TAGS[0]).toBe('hello');
    expect(RELAY_TAGS[0]).toBe('error');
  });

  it('refuses arbitrary bytes with a code and never throws [P1]', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const c = decodeClientMessage(bytes);
        const r = decodeRelayMessage(bytes);
        for (const res of [c, r]) if (!res.ok) expect(['frame-ongeldig', 'bericht-onbekend', 'bericht-ongeldig']).toContain(res.error.code);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses well-formed canonical bodies with the wrong fields for their tag [P1]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: CLIENT_TAGS.length - 1 }),
        fc.dictionary(
          fc.constantFrom('room', 'ref', 'envelope', 'x', 'type', 'afterSeq'),
          fc.oneof(fc.integer({ min: -5, max: 5 }), fc.string(), fc.constant(null)),
        ),
        (tag, body) => {
          const frame = new Uint8Array([tag, ...encodeCanonical(body)]);
          const res = decodeClientMessage(frame);
          if (res.ok) expect(res.value.type).toBe(CLIENT_TAGS[tag]);
          else expect(['frame-ongeldig', 'bericht-ongeldig']).toContain(res.error.code);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses a served-log answer without its signature, with a key or signature of the wrong length, or a negative count [P83]', () => {
    const tag = RELAY_TAGS.indexOf('served-log');
    const good = {
      ref: 8,
      entries: [{ device: 'dev', user: 'u', scope: 'leerling', first: 1, last: 2, count: 3 }],
      at: 7,
      relayKey: b(32),
      signature: b(64),
    };
    const frame = (body: Record<string, unknown>) => new Uint8Array([tag, ...encodeCanonical(body as CanonicalValue)]);
    expect(decodeRelayMessage(frame(good)).ok).toBe(true);
    const { signature: _s, ...unsigned } = good;
    const { relayKey: _k, ...keyless } = good;
    for (const bad of [
      unsigned,
      keyless,
      { ...good, relayKey: b(31) },
      { ...good, signature: b(65) },
      { ...good, at: 8.64e15 + 1 },
      { ...good, entries: [{ ...good.entries[0], first: Number.MAX_SAFE_INTEGER }] },
      { ...good, entries: [{ ...good.entries[0], count: -1 }] },
      { ...good, entries: [{ ...good.entries[0], extra: 1 }] },
    ]) {
      const res = decodeRelayMessage(frame(bad));
      expect(res.ok ? 'aangenomen' : res.error.code).toBe('bericht-ongeldig');
    }
  });

  it('refuses a body that tries to override the type of its tag [P1]', () => {
    const frame = new Uint8Array([2, ...encodeCanonical({ type: 'append', room: 'a/leerling', afterSeq: 0 })]);
    expect(decodeClientMessage(frame).ok).toBe(false);
  });
});
