// The signed served log's bytes [P83, R119]: a fixed vector, so a refactor that
// changes one byte of what the relay signs fails here (clients and exported
// files of older relays would stop verifying), checked with node's own Ed25519
// as well as noble; and what the signature binds.
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { toHex } from '../../core/crypto/bytes.js';
import {
  relayKeyFingerprint,
  servedLogEvidence,
  signServedLog,
  verifyServedLogEvidence,
  verifyServedLogSignature,
} from '../../core/sync/served-log-signature.js';
import { relayCryptoProvider } from '../../sync-server/node-crypto.js';

const LOG = {
  dossier: 'dossier-1',
  at: 1_765_000_000_000,
  entries: [
    { device: 'apparaat-a', user: 'gebruiker-a', scope: 'leerling', first: 1_764_997_200_100, last: 1_764_997_200_900, count: 7 },
    { device: 'apparaat-b', user: 'gebruiker-b', scope: 'bijlage', first: 1_764_997_300_000, last: 1_764_997_300_000, count: 1 },
  ],
};
const PUBLIC_KEY = '8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c';
const MESSAGE =
  '08050261740380e4ca91af3307636f6e74657874051a6b696e646b6c7569732f62657a6f72676c6f67626f656b2f763107646f73736965720509646f73736965722d3107656e74726965730702080605636f756e74030706646576696365050a61707061726161742d6105666972737403e4f19f90af33046c6173740384f89f90af330573636f706505086c6565726c696e670475736572050b6765627275696b65722d61080605636f756e74030106646576696365050a61707061726161742d6205666972737403a0fea590af33046c61737403a0fea590af330573636f7065050762696a6c6167650475736572050b6765627275696b65722d620872656c61794b657906208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c';
const SIGNATURE =
  'f0a7e321b511848d66e01681145155ae9b535916ea7061a4822f237bf158cfe38cbe51fc3f0bbad55d2dc92c0b04ec27b778138d9ceb299801c7885622047f0d';

describe('the signed served log [P83, R119]', () => {
  it('signs fixed bytes: canonical { context, dossier, at, relayKey, entries } under kindkluis/bezorglogboek/v1 (golden vector)', async () => {
    const key = await nobleProvider.ed25519KeyPair(new Uint8Array(32).fill(1));
    expect(toHex(key.publicKey)).toBe(PUBLIC_KEY);
    const signed = await signServedLog(nobleProvider, key, LOG);
    // What signServedLog signed is exactly MESSAGE: node's Ed25519 verifies the signature over these bytes.
    expect(await relayCryptoProvider.ed25519Verify(signed.relayKey, Uint8Array.from(Buffer.from(MESSAGE, 'hex')), signed.signature)).toBe(
      true,
    );
    expect(toHex(signed.signature)).toBe(SIGNATURE);
    // Another implementation agrees.
    expect(await verifyServedLogSignature(relayCryptoProvider, signed)).toBe(true);
    expect(await relayKeyFingerprint(nobleProvider, key.publicKey)).toBe('3475 0f98 bd59 fcfc');
  });

  it('binds the dossier, the moment, the key and every entry in its order', async () => {
    const key = await nobleProvider.ed25519KeyPair(new Uint8Array(32).fill(1));
    const signed = await signServedLog(nobleProvider, key, LOG);
    const [a, b] = LOG.entries as [(typeof LOG.entries)[0], (typeof LOG.entries)[0]];
    const other = await nobleProvider.ed25519KeyPair(new Uint8Array(32).fill(2));
    for (const changed of [
      { ...signed, dossier: 'dossier-2' },
      { ...signed, at: signed.at + 1 },
      { ...signed, entries: [b, a] },
      { ...signed, entries: [a] },
      { ...signed, entries: [a, { ...b, user: 'gebruiker-c' }] },
      { ...signed, relayKey: other.publicKey },
      { ...signed, signature: signed.signature.subarray(0, 63) },
    ]) {
      expect(await verifyServedLogSignature(relayCryptoProvider, changed)).toBe(false);
    }
    // A signature under another context (here: the login's) never verifies as a served log.
    const evidence = JSON.parse(servedLogEvidence(signed)) as Record<string, unknown>;
    expect((await verifyServedLogEvidence(nobleProvider, JSON.stringify({ ...evidence, context: 'kindkluis/auth/v1' }))).ok).toBe(false);
    expect(await verifyServedLogEvidence(nobleProvider, 'geen json')).toMatchObject({ ok: false, error: { code: 'bewijs-onleesbaar' } });
    expect((await verifyServedLogEvidence(nobleProvider, servedLogEvidence(signed))).ok).toBe(true);
  });
});
