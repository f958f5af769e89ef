// The relay's register of revoked devices (P47): signed revocations kept
// durably in the reserved room `#intrekking/<swv>` (no client can name it: room
// ids start with a dossier id), one per device. A device revoked at or before
// now cannot log in, and its live sessions end at `revokedAt`, so it reads and
// appends nowhere in the SWV, also in dossiers made after the revocation
// [R149]. A user's own revocation counts only when the device that signed it
// is not itself revoked here, so a thief's revoked laptop cannot revoke its
// owner's other devices.
import type { CryptoProvider } from '../core/crypto/provider.js';
import type { SwvId } from '../core/model/ids.js';
import { deviceOfCertificate } from '../core/access/certificate.js';
import { verifyDeviceRevocation, type VerifiedRevocation } from '../core/access/device-chain.js';
import { decodeRevocationRecord, encodeRevocationRecord, type RevocationRecord } from '../core/access/device-revocation-record.js';
import type { RelayStorage } from './storage.js';
import { forEachReservedRecord } from './reserved-rooms.js';

const ROOM_PREFIX = '#intrekking/';
export const revocationRoom = (swv: string): string => `${ROOM_PREFIX}${swv}`;

interface Kept {
  readonly swv: string;
  readonly verified: VerifiedRevocation;
  readonly record: RevocationRecord;
}

export type RevocationOutcome =
  { readonly ok: true; readonly swv: string; readonly verified: VerifiedRevocation } | { readonly ok: false; readonly reason: string };

export class DeviceRevocations {
  private readonly kept = new Map<string, Kept>();
  private readonly key = (swv: string, user: string, device: string) => `${swv}|${user}|${device}`;

  constructor(
    private readonly storage: RelayStorage,
    private readonly provider: CryptoProvider,
    private readonly now: () => number,
  ) {}

  /** Reads every stored revocation back (verified again against today's roots). */
  async load(roots: ReadonlyMap<string, Uint8Array>): Promise<void> {
    await forEachReservedRecord(this.storage, ROOM_PREFIX, async (envelope) => {
      const v = await this.verify(envelope, roots, false);
      if (v.ok) this.remember(v.swv, v.verified, v.record);
    });
  }

  private remember(swv: string, verified: VerifiedRevocation, record: RevocationRecord): void {
    this.kept.set(this.key(swv, verified.user, verified.device), { swv, verified, record });
  }

  private async verify(
    bytes: Uint8Array,
    roots: ReadonlyMap<string, Uint8Array>,
    live: boolean,
  ): Promise<(RevocationOutcome & { ok: true; record: RevocationRecord }) | { ok: false; reason: string }> {
    const decoded = decodeRevocationRecord(bytes);
    if (!decoded.ok) return { ok: false, reason: decoded.error.code };
    const { revocation, userCertificate } = decoded.value;
    const v = await verifyDeviceRevocation(
      this.provider,
      revocation,
      roots as ReadonlyMap<SwvId, Uint8Array>,
      userCertificate ?? undefined,
    );
    if (!v.ok) return { ok: false, reason: v.error.code };
    const swv = revocation.body.swv;
    // A user's own revocation: the signing device must not be revoked itself (checked when it arrives).
    if (live && revocation.body.by === 'gebruiker' && userCertificate !== null) {
      const signerRevokedAt = this.revokedAt(swv, userCertificate.body.user, deviceOfCertificate(userCertificate));
      if (signerRevokedAt !== undefined && signerRevokedAt <= this.now()) return { ok: false, reason: 'ingetrokken' };
    }
    return { ok: true, swv, verified: v.value, record: decoded.value };
  }

  /** Verifies and stores one revocation; the first one of a device stays. Nothing refused is stored. */
  async add(bytes: Uint8Array, roots: ReadonlyMap<string, Uint8Array>, requesterSwv: string): Promise<RevocationOutcome> {
    const v = await this.verify(bytes, roots, true);
    if (!v.ok) return v;
    if (v.swv !== requesterSwv) return { ok: false, reason: 'onbekend-swv' };
    const known = this.kept.get(this.key(v.swv, v.verified.user, v.verified.device));
    if (known !== undefined) return { ok: true, swv: known.swv, verified: known.verified };
    // Stored in the canonical form we decoded, never the caller's bytes.
    const [outcome] = await this.storage.appendBatch([
      { room: revocationRoom(v.swv), author: v.verified.device, counter: 1, envelope: encodeRevocationRecord(v.record) },
    ]);
    if (outcome === undefined || outcome.kind === 'conflict') return { ok: false, reason: 'conflict' };
    this.remember(v.swv, v.verified, v.record);
    return { ok: true, swv: v.swv, verified: v.verified };
  }

  revokedAt(swv: string, user: string, device: string): number | undefined {
    return this.kept.get(this.key(swv, user, device))?.verified.revokedAt;
  }

  records(swv: string): Uint8Array[] {
    return [...this.kept.values()].filter((k) => k.swv === swv).map((k) => encodeRevocationRecord(k.record));
  }
}
