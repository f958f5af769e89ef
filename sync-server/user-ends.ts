// The relay's register of people the SWV ended (uit dienst, rol beëindigd):
// root-signed records kept durably in the reserved room `#einde/<swv>` (no
// client can name it: room ids start with a dossier id), one per user. A user
// ended at or before now cannot log in, and live sessions end at `endedAt`,
// so they read and append nowhere in the SWV, also in dossiers made later [P40, R56].
import type { CryptoProvider } from '../core/crypto/provider.js';
import type { SwvId } from '../core/model/ids.js';
import { decodeUserEnd, encodeUserEnd, verifyUserEnd, type VerifiedUserEnd } from '../core/access/user-end.js';
import type { RelayStorage } from './storage.js';
import { forEachReservedRecord } from './reserved-rooms.js';

const ROOM_PREFIX = '#einde/';
export const userEndRoom = (swv: string): string => `${ROOM_PREFIX}${swv}`;

export type UserEndOutcome = { readonly ok: true; readonly end: VerifiedUserEnd } | { readonly ok: false; readonly reason: string };

export class UserEnds {
  private readonly ended = new Map<string, VerifiedUserEnd>();
  private readonly key = (swv: string, user: string) => `${swv}|${user}`;

  constructor(
    private readonly storage: RelayStorage,
    private readonly provider: CryptoProvider,
  ) {}

  /** Reads every stored end back (verified again against today's roots). */
  async load(roots: ReadonlyMap<string, Uint8Array>): Promise<void> {
    await forEachReservedRecord(this.storage, ROOM_PREFIX, async (envelope) => {
      const v = await this.verify(envelope, roots);
      if (v.ok) this.ended.set(this.key(v.end.swv, v.end.user), v.end);
    });
  }

  private async verify(bytes: Uint8Array, roots: ReadonlyMap<string, Uint8Array>): Promise<UserEndOutcome> {
    const decoded = decodeUserEnd(bytes);
    if (!decoded.ok) return { ok: false, reason: decoded.error.code };
    const v = await verifyUserEnd(this.provider, decoded.value, roots as ReadonlyMap<SwvId, Uint8Array>);
    return v.ok ? { ok: true, end: v.value } : { ok: false, reason: v.error.code };
  }

  /** Verifies and stores one end; the first end of a user stays (a second one is answered with it). Nothing refused is stored. */
  async add(bytes: Uint8Array, roots: ReadonlyMap<string, Uint8Array>): Promise<UserEndOutcome> {
    const v = await this.verify(bytes, roots);
    if (!v.ok) return v;
    const k = this.key(v.end.swv, v.end.user);
    const known = this.ended.get(k);
    if (known !== undefined) return { ok: true, end: known };
    // Stored in the canonical form we decoded, never the caller's bytes.
    const [outcome] = await this.storage.appendBatch([
      { room: userEndRoom(v.end.swv), author: v.end.user, counter: 1, envelope: encodeUserEnd(v.end.end) },
    ]);
    if (outcome === undefined || outcome.kind === 'conflict') return { ok: false, reason: 'conflict' };
    this.ended.set(k, v.end);
    return v;
  }

  endedAt(swv: string, user: string): number | undefined {
    return this.ended.get(this.key(swv, user))?.endedAt;
  }

  records(swv: string): Uint8Array[] {
    return [...this.ended.values()].filter((e) => e.swv === swv).map((e) => encodeUserEnd(e.end));
  }
}
