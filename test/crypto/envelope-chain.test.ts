// Hash-linked runs (P26): a reader checks one signature per run of an author's
// linked envelopes. Whatever is damaged, dropped, forged or re-linked, every
// envelope must get exactly what `openEnvelope` gives it alone, and a clean run
// must cost exactly one Ed25519 verification.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { createPreferredProvider } from '../../core/crypto/preferred-provider.js';
import { chainHash, encodeEnvelope, openEnvelope, sealEnvelope, type Envelope } from '../../core/crypto/envelope.js';
import { openLinkedEnvelopes, type WireEnvelope } from '../../core/crypto/envelope-batch.js';
import { chainRuns } from '../../core/crypto/envelope-chain.js';
import { deviceIdFromPublicKey } from '../../core/crypto/device-id.js';
import { toHex, utf8Encode } from '../../core/crypto/bytes.js';
import type { CryptoProvider, KeyPair } from '../../core/crypto/provider.js';
import { asId, type DeviceId, type RoomId } from '../../core/model/ids.js';
import type { Result } from '../../core/result.js';

const room = asId<RoomId>('d-3/hulpvraag:h-1');
const key = nobleProvider.randomBytes(32);
const wrongKey = nobleProvider.randomBytes(32);
const alice = await nobleProvider.ed25519KeyPair();
const bob = await nobleProvider.ed25519KeyPair();
const idOf = (k: KeyPair) => deviceIdFromPublicKey(k.publicKey);
const preferred = await createPreferredProvider();

/** Counts Ed25519 verifications, to show what linking saves. */
function counting(p: CryptoProvider): { provider: CryptoProvider; verifies: () => number } {
  let n = 0;
  return {
    provider: { ...p, ed25519Verify: (pk, m, s) => (n++, p.ed25519Verify(pk, m, s)) },
    verifies: () => n,
  };
}

type Damage =
  | 'none'
  | 'flip-ciphertext'
  | 'flip-signature'
  | 'flip-prev'
  | 'other-room'
  | 'wrong-key'
  | 'drop'
  | 'forged-by-bob'
  | 'bob-vouches-forgery';
interface Step {
  readonly who: 'alice' | 'bob';
  /** Start a new run here (a new session of the writer). */
  readonly restart: boolean;
  readonly damage: Damage;
}

const flip = (b: Uint8Array) => {
  const c = b.slice();
  c[c.length >> 1] = (c[c.length >> 1] ?? 0) ^ 4;
  return c;
};

/**
 * Seals the plan as two writers would (each links to its own previous envelope
 * unless it restarts), then damages envelopes on the way to the reader.
 */
async function writeLog(plan: readonly Step[]): Promise<{ items: WireEnvelope[]; keys: Uint8Array[] }> {
  const tails = new Map<string, Uint8Array>();
  const counters = new Map<string, number>();
  const items: WireEnvelope[] = [];
  const keys: Uint8Array[] = [];
  for (const [i, step] of plan.entries()) {
    const writer = step.who === 'alice' ? alice : bob;
    const author = idOf(writer);
    const counter = (counters.get(author) ?? 0) + 1;
    counters.set(author, counter);
    const prev = step.restart ? undefined : tails.get(author);
    const forged = step.damage === 'forged-by-bob';
    // A forgery names Alice and links to her last envelope, but only Bob's key signs it.
    const claimed = forged ? idOf(alice) : author;
    const claimedPrev = forged ? tails.get(idOf(alice)) : prev;
    const env = await sealEnvelope(nobleProvider, {
      header: {
        v: 1,
        kind: 'update',
        room: step.damage === 'other-room' ? asId<RoomId>('d-3/leerling') : room,
        epoch: 1,
        author: claimed,
        counter: forged ? 10_000 + i : counter,
        alg: i % 2 ? 'aes256gcm' : 'xchacha20poly1305',
      },
      key,
      plaintext: utf8Encode(`wijziging ${i}`),
      signingSecretKey: forged ? bob.secretKey : writer.secretKey,
      ...(claimedPrev ? { prev: claimedPrev } : {}),
    });
    if (!forged) tails.set(author, await chainHash(nobleProvider, encodeEnvelope(env)));
    let sent: Envelope = env;
    if (step.damage === 'flip-ciphertext') sent = { ...env, ciphertext: flip(env.ciphertext) };
    if (step.damage === 'flip-signature') sent = { ...env, signature: flip(env.signature) };
    if (step.damage === 'flip-prev' && env.prev) sent = { ...env, prev: flip(env.prev) };
    if (step.damage === 'drop') continue;
    items.push({ envelope: sent, bytes: encodeEnvelope(sent) });
    keys.push(step.damage === 'wrong-key' ? wrongKey : key);
    if (step.damage === 'bob-vouches-forgery') {
      // Bob signs his own envelope but links it to one that only claims to be Alice's:
      // his signature must not vouch for another author's envelope.
      const forgery = await sealEnvelope(nobleProvider, {
        header: { v: 1, kind: 'update', room, epoch: 1, author: idOf(alice), counter: 20_000 + i, alg: 'xchacha20poly1305' },
        key,
        plaintext: utf8Encode(`vals ${i}`),
        signingSecretKey: bob.secretKey,
      });
      const forgeryBytes = encodeEnvelope(forgery);
      const bobCounter = (counters.get(idOf(bob)) ?? 0) + 1;
      counters.set(idOf(bob), bobCounter);
      const voucher = await sealEnvelope(nobleProvider, {
        header: { v: 1, kind: 'update', room, epoch: 1, author: idOf(bob), counter: bobCounter, alg: 'xchacha20poly1305' },
        key,
        plaintext: utf8Encode(`bob ${i}`),
        signingSecretKey: bob.secretKey,
        prev: await chainHash(nobleProvider, forgeryBytes),
      });
      const voucherBytes = encodeEnvelope(voucher);
      tails.set(idOf(bob), await chainHash(nobleProvider, voucherBytes));
      items.push({ envelope: forgery, bytes: forgeryBytes }, { envelope: voucher, bytes: voucherBytes });
      keys.push(key, key);
    }
  }
  return { items, keys };
}

const summary = (r: Result<Uint8Array, { code: string }> | undefined) =>
  r === undefined ? 'missing' : r.ok ? `ok:${toHex(r.value)}` : `fail:${r.error.code}`;

const stepArb = fc.record({
  who: fc.constantFrom<'alice' | 'bob'>('alice', 'alice', 'bob'),
  restart: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
  damage: fc.constantFrom<Damage>(
    'none',
    'none',
    'none',
    'none',
    'flip-ciphertext',
    'flip-signature',
    'flip-prev',
    'other-room',
    'wrong-key',
    'drop',
    'forged-by-bob',
    'bob-vouches-forgery',
  ),
});

describe('[P26] hash-linked runs', () => {
  it('chainRuns links only the same author, continues each hash at most once, and covers every index once', () => {
    const h = (n: number) => new Uint8Array(32).fill(n);
    const a = 'a' as DeviceId;
    const b = 'b' as DeviceId;
    const runs = chainRuns([
      { author: a, hash: h(1) },
      { author: b, hash: h(2), prev: h(1) }, // another author cannot continue Alice's run
      { author: a, hash: h(3), prev: h(1) },
      { author: a, hash: h(4), prev: h(1) }, // a fork: h(1) is continued already
      { author: a, hash: h(5), prev: h(3) },
      { author: a, hash: h(6), prev: h(9) }, // links to something the reader does not have
      { author: a, hash: h(7), prev: h(4) },
    ]);
    expect(runs).toEqual([[0, 2, 4], [1], [3, 6], [5]]);
    expect(chainRuns([])).toEqual([]);
  });

  for (const [name, p] of [
    ['noble', nobleProvider],
    ['preferred (WebCrypto)', preferred],
  ] as const) {
    it(`${name}: for any mix of runs, restarts, damage, drops and forgeries, every envelope gets what openEnvelope gives it alone`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 8 }), async (plan, concurrency) => {
          const { items, keys } = await writeLog(plan);
          const optionsFor = (_e: Envelope, i: number) => ({ key: keys[i]!, room, epoch: 1 });
          const linked = await openLinkedEnvelopes(p, items, { optionsFor, concurrency });
          expect(linked).toHaveLength(items.length);
          for (const [i, it] of items.entries()) {
            expect(summary(linked[i]), `#${i} ${JSON.stringify(plan)}`).toBe(
              summary(await openEnvelope(p, it.envelope, optionsFor(it.envelope, i))),
            );
          }
        }),
        { numRuns: 40 },
      );
    });
  }

  it('a clean log costs one signature check per run: 2 writers, 60 envelopes, 3 runs → 3 verifications (unlinked: 60)', async () => {
    const plan: Step[] = Array.from({ length: 60 }, (_, i) => ({ who: i % 3 === 0 ? 'bob' : 'alice', restart: i === 31, damage: 'none' }));
    const { items } = await writeLog(plan);
    const c = counting(preferred);
    const opened = await openLinkedEnvelopes(c.provider, items, { key, room, epoch: 1 });
    expect(opened.every((r) => r.ok)).toBe(true);
    expect(c.verifies()).toBe(3);
    const unlinked = await writeLog(plan.map((step) => ({ ...step, restart: true })));
    const u = counting(preferred);
    expect((await openLinkedEnvelopes(u.provider, unlinked.items, { key, room, epoch: 1 })).every((r) => r.ok)).toBe(true);
    expect(u.verifies()).toBe(60);
  });

  it('a forgery that claims a genuine predecessor is refused, and the genuine envelopes around it still open', async () => {
    const { items } = await writeLog([
      { who: 'alice', restart: false, damage: 'none' },
      { who: 'alice', restart: false, damage: 'forged-by-bob' },
      { who: 'alice', restart: false, damage: 'none' },
      { who: 'alice', restart: false, damage: 'none' },
    ]);
    const out = (await openLinkedEnvelopes(preferred, items, { key, room, epoch: 1 })).map((r) => (r.ok ? 'ok' : r.error.code));
    expect(out).toEqual(['ok', 'handtekening-ongeldig', 'ok', 'ok']);
  });

  it('a damaged envelope inside a run breaks the link after it: it alone is refused', async () => {
    const { items } = await writeLog(
      ['none', 'none', 'flip-ciphertext', 'none', 'none'].map((damage) => ({ who: 'alice', restart: false, damage: damage as Damage })),
    );
    const c = counting(preferred);
    const out = (await openLinkedEnvelopes(c.provider, items, { key, room, epoch: 1 })).map((r) => (r.ok ? 'ok' : r.error.code));
    expect(out).toEqual(['ok', 'ok', 'handtekening-ongeldig', 'ok', 'ok']);
    // Runs [0,1,2] (its signer #2 fails, so #0 and #1 are checked alone) and [3,4].
    expect(c.verifies()).toBe(4);
  });
});
