// The relay's register of key renewal requests (P49): each device of an SWV
// may leave one signed request for a certificate on a fresh agreement key, kept
// durably in the reserved room `#vernieuwing/<swv>` (no client can name it). The
// beheerder's device reads them, issues the certificates with the SWV root and
// publishes them in the member list [R155]. The relay checks that the logged-in
// device signed the request for itself; a request names public keys only.
import type { CryptoProvider } from '../core/crypto/provider.js';
import { encodeKeyRenewal, verifyKeyRenewal, type KeyRenewalRequest } from '../core/access/key-renewal.js';
import type { AuthenticatedDevice } from './policy.js';
import type { RelayStorage } from './storage.js';
import { forEachReservedRecord } from './reserved-rooms.js';

const ROOM_PREFIX = '#vernieuwing/';
export const keyRenewalRoom = (swv: string): string => `${ROOM_PREFIX}${swv}`;
/** Requests kept per SWV: one per device, and a device beyond this many is refused (not stored). */
export const MAX_KEY_RENEWALS_PER_SWV = 10_000;

export type KeyRenewalOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export class KeyRenewals {
  /** swv → device → newest request. */
  private readonly kept = new Map<string, Map<string, KeyRenewalRequest>>();

  constructor(
    private readonly storage: RelayStorage,
    private readonly provider: CryptoProvider,
  ) {}

  /** Reads every stored request back (verified again); the newest per device stays. */
  async load(): Promise<void> {
    await forEachReservedRecord(this.storage, ROOM_PREFIX, async (envelope) => {
      const v = await verifyKeyRenewal(this.provider, envelope);
      if (v.ok) this.remember(v.value);
    });
  }

  private remember(r: KeyRenewalRequest): void {
    const perSwv = this.kept.get(r.body.swv) ?? new Map<string, KeyRenewalRequest>();
    const prev = perSwv.get(r.body.device);
    if (prev === undefined || prev.body.at < r.body.at) perSwv.set(r.body.device, r);
    this.kept.set(r.body.swv, perSwv);
  }

  /** Verifies and stores one request of the logged-in device for itself. Nothing refused is stored. */
  async add(bytes: Uint8Array, device: AuthenticatedDevice, now: number): Promise<KeyRenewalOutcome> {
    const v = await verifyKeyRenewal(this.provider, bytes);
    if (!v.ok) return { ok: false, reason: v.error.code };
    const b = v.value.body;
    // Only for itself: another device's key, person or SWV would let one member ask for keys in another's name.
    if (b.device !== device.deviceId || b.user !== device.userId || b.swv !== device.swvId)
      return { ok: false, reason: 'niet-eigen-apparaat' };
    if (b.at > now + 5 * 60_000) return { ok: false, reason: 'tijd-ongeldig' };
    const perSwv = this.kept.get(b.swv);
    const prev = perSwv?.get(b.device);
    if (prev !== undefined && prev.body.at >= b.at) return { ok: false, reason: 'verouderd' };
    if (prev === undefined && (perSwv?.size ?? 0) >= MAX_KEY_RENEWALS_PER_SWV) return { ok: false, reason: 'te-veel' };
    const [outcome] = await this.storage.appendBatch([
      { room: keyRenewalRoom(b.swv), author: b.device, counter: b.at, envelope: encodeKeyRenewal(v.value) },
    ]);
    if (outcome === undefined || outcome.kind === 'conflict') return { ok: false, reason: 'conflict' };
    this.remember(v.value);
    return { ok: true };
  }

  records(swv: string): Uint8Array[] {
    return [...(this.kept.get(swv)?.values() ?? [])].map(encodeKeyRenewal);
  }
}
