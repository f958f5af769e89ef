// The unlocked session of one client: who is signed in (identity), the keystore's data key, the SWV
// root key while unlocked for Beheer, and the lock state. Only this object changes them; the guards
// every use case needs ("unlocked?") live here once, with one Dutch message.
import { encodeCanonical, type CanonicalValue } from '../../crypto/canonical.js';
import type { KeyPair } from '../../crypto/provider.js';
import { ok, fail, type Err, type KkError, type Result } from '../../result.js';
import type { LockState } from '../api.js';
import type { Identity } from '../identity.js';

/** The one answer to "this needs an unlocked Kindkluis". */
export const locked = (): Err<KkError<'vergrendeld'>> => fail('vergrendeld', 'Kindkluis is vergrendeld.');

export class Session {
  #state: LockState = 'geen-identiteit';
  #id: Identity | null = null;
  #sessionKey: Uint8Array | null = null;
  /** The SWV root key while unlocked for Beheer actions (own passphrase), never from the daily unlock [R102]. */
  #rootKey: KeyPair | null = null;
  /** This device's certificate, canonically encoded once per session: it rides along in every update, snapshot and marker. */
  #deviceCert: Uint8Array | null = null;

  get state(): LockState {
    return this.#state;
  }

  get id(): Identity | null {
    return this.#id;
  }

  /** The keystore's data key while unlocked: what `sessionToken` hands out instead of the passphrase. */
  get sessionKey(): Uint8Array | null {
    return this.#sessionKey;
  }

  get rootKey(): KeyPair | null {
    return this.#rootKey;
  }

  /** Null before the first session; kept after `end` as it was (writes need an engine, which ends with the session). */
  get deviceCert(): Uint8Array | null {
    return this.#deviceCert;
  }

  /** The identity, or the one "vergrendeld" failure. */
  requireId(): Result<Identity> {
    return this.#id ? ok(this.#id) : locked();
  }

  /** Locked (or never set up): what the state is without a session. */
  markLocked(hasIdentity: boolean): void {
    this.#state = hasIdentity ? 'vergrendeld' : 'geen-identiteit';
  }

  begin(id: Identity, sessionKey: Uint8Array): void {
    this.#id = id;
    this.#sessionKey = sessionKey;
    this.#deviceCert = encodeCanonical({ b: id.chain.device.body as unknown as CanonicalValue, s: id.chain.device.signature });
    this.#state = 'ontgrendeld';
  }

  /** Forgets the identity and wipes the keys; the lock state is set by `markLocked` once the store says which. */
  end(): void {
    this.lockRoot();
    this.#sessionKey?.fill(0);
    this.#sessionKey = null;
    this.#id = null;
  }

  /** The same person with changed keys (directory key rotation, key renewal); never another identity. */
  replaceIdentity(next: Identity): void {
    this.#id = next;
  }

  unlockRoot(root: KeyPair): void {
    this.#rootKey = root;
  }

  lockRoot(): void {
    this.#rootKey?.secretKey.fill(0);
    this.#rootKey = null;
  }
}
