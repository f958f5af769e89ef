// A small bounded LRU of imported CryptoKeys, so repeated WebCrypto operations
// with the same raw key skip `importKey` (a PKCS#8 Ed25519 import costs ~0.5 ms).
//
// Hygiene, because the cache holds live key material:
//   - secret keys are found by a SHA-256 fingerprint of their bytes (domain-separated),
//     never by the bytes or their hex, so no copy of a secret sits in a Map key
//     (public keys, e.g. authors' Ed25519 keys, simply by their hex);
//   - a key is only cached on its *second* use: per-envelope subkeys (HKDF output,
//     used once) are never kept, only long-lived keys (device signing key, epoch
//     key, attachment key, peer public keys) are;
//   - every cache is bounded, least recently used entries go first, `clear()` drops all;
//   - cached CryptoKeys are imported non-extractable.
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes, toHex, utf8Encode } from './bytes.js';

/** Map with least-recently-used eviction (a JS Map iterates in insertion order). */
export class LruMap<K, V> {
  readonly #entries = new Map<K, V>();
  constructor(readonly maxEntries: number) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new Error('LruMap: maxEntries moet een positief geheel getal zijn');
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Like get, without refreshing the entry's age. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}

const FINGERPRINT_TAG = utf8Encode('kindkluis/key-cache/v1/');

/** Domain-separated SHA-256 of secret key bytes: finds a cached key without keeping the bytes as a Map key. */
export function keyFingerprint(key: Uint8Array): string {
  const input = new Uint8Array(FINGERPRINT_TAG.length + key.length);
  input.set(FINGERPRINT_TAG);
  input.set(key, FINGERPRINT_TAG.length);
  return toHex(sha256(input));
}

export interface KeyCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
}

/** Whether the raw bytes are a secret (found by fingerprint) or public (found by their hex). */
export type KeyMaterial = 'secret' | 'public';

/**
 * Imported keys per purpose ("Ed25519", "AES-GCM/encrypt", …). Holds the
 * import *promise*, so concurrent calls with the same key share one import.
 */
export class CryptoKeyCache {
  readonly #keys: LruMap<string, Promise<CryptoKey>>;
  readonly #seen: LruMap<string, true>;
  /**
   * Fast path for callers that pass the same Uint8Array again (the usual case):
   * its fingerprint, next to a copy to notice a caller changing (wiping) the
   * bytes. Weak, so it lives no longer than the caller's own array.
   */
  #fingerprints = new WeakMap<Uint8Array, { readonly copy: Uint8Array; readonly id: string }>();
  #hits = 0;
  #misses = 0;

  constructor(maxKeys = 128, maxSeen = 1024) {
    this.#keys = new LruMap(maxKeys);
    this.#seen = new LruMap(maxSeen);
  }

  #idOf(raw: Uint8Array, material: KeyMaterial): string {
    if (material === 'public') return toHex(raw);
    const known = this.#fingerprints.get(raw);
    if (known !== undefined && equalBytes(known.copy, raw)) return known.id;
    const id = keyFingerprint(raw);
    this.#fingerprints.set(raw, { copy: raw.slice(), id });
    return id;
  }

  /** The cached key for these bytes, or a fresh import (cached from the second use on). A failed import is never cached. */
  get(purpose: string, raw: Uint8Array, importKey: () => Promise<CryptoKey>, material: KeyMaterial = 'secret'): Promise<CryptoKey> {
    const id = `${purpose}:${this.#idOf(raw, material)}`;
    const cached = this.#keys.get(id);
    if (cached !== undefined) {
      this.#hits++;
      return cached;
    }
    this.#misses++;
    const pending = importKey();
    if (this.#seen.has(id)) {
      this.#seen.delete(id);
      this.#keys.set(id, pending);
      pending.catch(() => {
        if (this.#keys.peek(id) === pending) this.#keys.delete(id);
      });
    } else {
      this.#seen.set(id, true);
    }
    return pending;
  }

  stats(): KeyCacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#keys.size };
  }

  clear(): void {
    this.#keys.clear();
    this.#seen.clear();
    this.#fingerprints = new WeakMap();
  }
}
