// Client side: the epoch keys this user can open, from the key boxes sealed to
// its agreement key, plus every older key reachable through "previous key under
// new key". Keys live only in memory.
import type { CryptoProvider, KeyPair } from '../crypto/provider.js';
import { equalBytes } from '../crypto/bytes.js';
import type { DossierAccess } from './dossier-access.js';
import { openKeyBox, openPreviousKey } from './key-box.js';
import type { Scope } from './rooms.js';

/** scope → epoch → 32-byte epoch key. */
export type Keyring = ReadonlyMap<Scope, ReadonlyMap<number, Uint8Array>>;

export const keyringGet = (ring: Keyring, scope: Scope, epoch: number): Uint8Array | undefined => ring.get(scope)?.get(epoch);

export function keyringWith(ring: Keyring, scope: Scope, epoch: number, key: Uint8Array): Keyring {
  const next = new Map(ring);
  next.set(scope, new Map(ring.get(scope) ?? []).set(epoch, key));
  return next;
}

export function mergeKeyrings(a: Keyring, b: Keyring): Keyring {
  let out = a;
  for (const [scope, epochs] of b) for (const [epoch, key] of epochs) out = keyringWith(out, scope, epoch, key);
  return out;
}

/** Opens every box addressed to `agreement.publicKey`, then walks each scope's chain of previous keys back. */
export async function unlockKeyring(
  provider: CryptoProvider,
  access: DossierAccess,
  agreement: KeyPair,
  known: Keyring = new Map(),
): Promise<Keyring> {
  let ring = known;
  for (const [scope, info] of access.scopes) {
    for (const e of info.epochs) {
      if (keyringGet(ring, scope, e.epoch) !== undefined) continue;
      const box = e.boxes.find((b) => equalBytes(b.to, agreement.publicKey));
      if (box === undefined) continue;
      const key = await openKeyBox(provider, box, {
        dossier: access.dossier,
        scope,
        epoch: e.epoch,
        agreementSecretKey: agreement.secretKey,
      });
      if (key.ok) ring = keyringWith(ring, scope, e.epoch, key.value);
    }
    for (let i = info.epochs.length - 1; i > 0; i--) {
      const e = info.epochs[i];
      const prev = info.epochs[i - 1];
      if (e === undefined || prev === undefined || e.previous === null) continue;
      const newKey = keyringGet(ring, scope, e.epoch);
      if (newKey === undefined || keyringGet(ring, scope, prev.epoch) !== undefined) continue;
      const old = await openPreviousKey(provider, e.previous, { dossier: access.dossier, scope, epoch: e.epoch, newKey });
      if (old.ok) ring = keyringWith(ring, scope, prev.epoch, old.value);
    }
  }
  return ring;
}
