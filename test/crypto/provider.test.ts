// One suite for every CryptoProvider: known-answer vectors from the RFCs and
// drafts, plus behaviour every caller relies on (fail closed, strict inputs).
import { describe, expect, it } from 'vitest';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import type { CryptoProvider } from '../../core/crypto/provider.js';
import { toHex, utf8Encode } from '../../core/crypto/bytes.js';
import { hex } from './helpers.js';

const webcrypto = await createWebCryptoProvider();
/** A WebCrypto whose curves are missing (older browsers): the provider must fall back to noble for those. */
const curveless = await createWebCryptoProvider(
  new Proxy(globalThis.crypto.subtle, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const alg = args.find((a) => typeof a === 'object' && a !== null && 'name' in a) as { name?: string } | undefined;
        if (alg?.name === 'Ed25519' || alg?.name === 'X25519') return Promise.reject(new Error('NotSupportedError'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }),
);
const providers: [string, CryptoProvider][] = [
  ['noble', nobleProvider],
  ['webcrypto', webcrypto],
  ['webcrypto without curves', curveless],
  ['webcrypto with XChaCha via noble (the preferred provider)', await createWebCryptoProvider(undefined, { xchachaFallback: true })],
  ['webcrypto hashing everything in WebCrypto', await createWebCryptoProvider(undefined, { jsHashBelow: 0 })],
];

const SUNSCREEN = utf8Encode(
  "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
);
const KEY_80_9F = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');

const ED25519_RFC8032 = [
  {
    name: 'TEST 1',
    sk: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pk: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    sk: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pk: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    msg: '72',
    sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3',
    sk: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    pk: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    msg: 'af82',
    sig: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

describe.each(providers)('[R8] CryptoProvider %s', (_name, p) => {
  it('Ed25519 matches RFC 8032 §7.1 tests 1–3 and rejects altered signatures', async () => {
    for (const v of ED25519_RFC8032) {
      const kp = await p.ed25519KeyPair(hex(v.sk));
      expect(toHex(kp.publicKey), v.name).toBe(v.pk);
      const sig = await p.ed25519Sign(hex(v.sk), hex(v.msg));
      expect(toHex(sig), v.name).toBe(v.sig);
      expect(await p.ed25519Verify(hex(v.pk), hex(v.msg), hex(v.sig))).toBe(true);
      const bad = hex(v.sig);
      bad[10] = (bad[10] ?? 0) ^ 1;
      expect(await p.ed25519Verify(hex(v.pk), hex(v.msg), bad)).toBe(false);
      expect(await p.ed25519Verify(hex(v.pk), utf8Encode('ander bericht'), hex(v.sig))).toBe(false);
    }
  });

  it('[R27] Ed25519 verify returns false (never throws) on malformed keys and signatures', async () => {
    const v = ED25519_RFC8032[1]!;
    expect(await p.ed25519Verify(new Uint8Array(31), hex(v.msg), hex(v.sig))).toBe(false);
    expect(await p.ed25519Verify(hex(v.pk), hex(v.msg), new Uint8Array(63))).toBe(false);
    expect(await p.ed25519Verify(new Uint8Array(32).fill(0xff), hex(v.msg), hex(v.sig))).toBe(false);
    // S >= L (non-canonical scalar) must be refused under strict RFC 8032 rules.
    const highS = hex(v.sig);
    highS.fill(0xff, 32, 63);
    highS[63] = 0x1f;
    expect(await p.ed25519Verify(hex(v.pk), hex(v.msg), highS)).toBe(false);
  });

  it('X25519 matches RFC 7748 §5.2 and the §6.1 Diffie-Hellman example', async () => {
    const out = await p.x25519SharedSecret(
      hex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'),
      hex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'),
    );
    expect(toHex(out)).toBe('c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
    const alice = await p.x25519KeyPair(hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'));
    const bob = await p.x25519KeyPair(hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'));
    expect(toHex(alice.publicKey)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bob.publicKey)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(await p.x25519SharedSecret(alice.secretKey, bob.publicKey))).toBe(shared);
    expect(toHex(await p.x25519SharedSecret(bob.secretKey, alice.publicKey))).toBe(shared);
  });

  it('[R27] X25519 refuses a low-order peer key (all-zero shared secret)', async () => {
    const alice = await p.x25519KeyPair();
    await expect(p.x25519SharedSecret(alice.secretKey, new Uint8Array(32))).rejects.toThrow();
  });

  it('XChaCha20-Poly1305 matches draft-irtf-cfrg-xchacha §A.3.1, where supported', async () => {
    if (!p.aeadAlgorithms.includes('xchacha20poly1305')) {
      expect(p.name).toBe('webcrypto');
      const r = await p.aeadOpen('xchacha20poly1305', KEY_80_9F, new Uint8Array(24), new Uint8Array(32), new Uint8Array());
      expect(!r.ok && r.error.code).toBe('algorithm-unsupported');
      await expect(p.aeadSeal('xchacha20poly1305', KEY_80_9F, new Uint8Array(24), SUNSCREEN, new Uint8Array())).rejects.toThrow();
      return;
    }
    const nonce = hex('404142434445464748494a4b4c4d4e4f5051525354555657');
    const aad = hex('50515253c0c1c2c3c4c5c6c7');
    const expected =
      'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e' +
      'c0875924c1c7987947deafd8780acf49';
    const ct = await p.aeadSeal('xchacha20poly1305', KEY_80_9F, nonce, SUNSCREEN, aad);
    expect(toHex(ct)).toBe(expected);
    const back = await p.aeadOpen('xchacha20poly1305', KEY_80_9F, nonce, ct, aad);
    expect(back.ok && toHex(back.value)).toBe(toHex(SUNSCREEN));
  });

  it('AES-256-GCM matches McGrew–Viega test case 16', async () => {
    const key = hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308');
    const iv = hex('cafebabefacedbaddecaf888');
    const pt = hex(
      'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    );
    const aad = hex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
    const expected =
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662' +
      '76fc6ece0f4e1768cddf8853bb2d551b';
    const ct = await p.aeadSeal('aes256gcm', key, iv, pt, aad);
    expect(toHex(ct)).toBe(expected);
    const back = await p.aeadOpen('aes256gcm', key, iv, ct, aad);
    expect(back.ok && toHex(back.value)).toBe(toHex(pt));
  });

  it('AEAD open fails closed with aead-open-failed on a changed ciphertext, tag, AAD, nonce or key', async () => {
    for (const alg of p.aeadAlgorithms) {
      const key = p.randomBytes(32);
      const nonce = p.randomBytes(alg === 'aes256gcm' ? 12 : 24);
      const aad = utf8Encode('kop');
      const ct = await p.aeadSeal(alg, key, nonce, utf8Encode('geheim'), aad);
      const flipped = ct.slice();
      flipped[0] = (flipped[0] ?? 0) ^ 0x80;
      const tagFlipped = ct.slice();
      tagFlipped[ct.length - 1] = (tagFlipped[ct.length - 1] ?? 0) ^ 1;
      const otherNonce = nonce.slice();
      otherNonce[0] = (otherNonce[0] ?? 0) ^ 1;
      const attempts = [
        p.aeadOpen(alg, key, nonce, flipped, aad),
        p.aeadOpen(alg, key, nonce, tagFlipped, aad),
        p.aeadOpen(alg, key, nonce, ct, utf8Encode('kip')),
        p.aeadOpen(alg, key, otherNonce, ct, aad),
        p.aeadOpen(alg, p.randomBytes(32), nonce, ct, aad),
        p.aeadOpen(alg, key, nonce, ct.subarray(0, 10), aad),
      ];
      for (const r of await Promise.all(attempts)) {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.code).toBe('aead-open-failed');
      }
    }
  });

  it('SHA-256, HMAC-SHA-256 (RFC 4231 case 1) and HKDF-SHA-256 (RFC 5869 case 1) match their vectors', async () => {
    expect(toHex(await p.sha256(utf8Encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(await p.hmacSha256(new Uint8Array(20).fill(0x0b), utf8Encode('Hi There')))).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    const okm = await p.hkdfSha256(new Uint8Array(22).fill(0x0b), hex('000102030405060708090a0b0c'), hex('f0f1f2f3f4f5f6f7f8f9'), 42);
    expect(toHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });

  it('randomBytes gives the requested length (also above the 64 KiB getRandomValues quota) and different values', () => {
    const big = p.randomBytes(200_000);
    expect(big.length).toBe(200_000);
    expect(big.subarray(150_000, 150_032).some((b) => b !== 0)).toBe(true);
    const a = p.randomBytes(32);
    expect(a.length).toBe(32);
    expect(toHex(a)).not.toBe(toHex(p.randomBytes(32)));
  });
});

describe('[R8] providers agree with each other', () => {
  it('uses native WebCrypto curves on this runtime and noble where they are missing', () => {
    expect(webcrypto.native).toEqual({ ed25519: true, x25519: true });
    expect(curveless.native).toEqual({ ed25519: false, x25519: false });
  });

  it('AES-256-GCM sealed by one provider opens with the other', async () => {
    for (const [a, b] of [
      [nobleProvider, webcrypto],
      [webcrypto, nobleProvider],
    ] as const) {
      const key = a.randomBytes(32);
      const nonce = a.randomBytes(12);
      const aad = utf8Encode('kop');
      const pt = a.randomBytes(1000);
      const r = await b.aeadOpen('aes256gcm', key, nonce, await a.aeadSeal('aes256gcm', key, nonce, pt, aad), aad);
      expect(r.ok && toHex(r.value)).toBe(toHex(pt));
    }
  });

  it('Ed25519 signed by one provider verifies with the other, and key pairs and X25519 secrets agree', async () => {
    for (const [a, b] of [
      [nobleProvider, webcrypto],
      [webcrypto, nobleProvider],
    ] as const) {
      const kp = await a.ed25519KeyPair();
      expect(toHex((await b.ed25519KeyPair(kp.secretKey)).publicKey)).toBe(toHex(kp.publicKey));
      const msg = a.randomBytes(100);
      expect(await b.ed25519Verify(kp.publicKey, msg, await a.ed25519Sign(kp.secretKey, msg))).toBe(true);
      const x1 = await a.x25519KeyPair();
      const x2 = await b.x25519KeyPair();
      expect(toHex(await a.x25519SharedSecret(x1.secretKey, x2.publicKey))).toBe(
        toHex(await b.x25519SharedSecret(x2.secretKey, x1.publicKey)),
      );
    }
  });

  it('HMAC and HKDF agree for random inputs', async () => {
    const ikm = nobleProvider.randomBytes(32);
    const salt = nobleProvider.randomBytes(16);
    const info = utf8Encode('kindkluis/test');
    expect(toHex(await webcrypto.hkdfSha256(ikm, salt, info, 77))).toBe(toHex(await nobleProvider.hkdfSha256(ikm, salt, info, 77)));
    expect(toHex(await webcrypto.hmacSha256(ikm, info))).toBe(toHex(await nobleProvider.hmacSha256(ikm, info)));
  });
});

describe('ChaCha20-Poly1305 (the core of XChaCha20-Poly1305)', () => {
  it('@noble/ciphers matches the RFC 8439 §2.8.2 AEAD vector', () => {
    const nonce = hex('070000004041424344454647');
    const aad = hex('50515253c0c1c2c3c4c5c6c7');
    const ct = chacha20poly1305(KEY_80_9F, nonce, aad).encrypt(SUNSCREEN);
    expect(toHex(ct)).toBe(
      'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116' +
        '1ae10b594f09e26a7e902ecbd0600691',
    );
  });
});
