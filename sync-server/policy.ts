// The access decisions the relay delegates: who a device is (certificate
// chain), how the `toegang` log folds into an access state, and whether a
// device may read or append. Production uses core/access (access-policy.ts);
// the interface lets the rest of the relay be tested on its own.
import type { Envelope, EnvelopeKind } from '../core/crypto/envelope.js';
import type { RoomId } from '../core/model/ids.js';
import type { Result, KkError } from '../core/result.js';

export interface AuthenticatedDevice {
  readonly deviceId: string;
  readonly userId: string;
  readonly swvId: string;
  /** ms; the session ends when the earliest certificate of the chain expires. */
  readonly validUntil: number;
}

export interface RelayPolicy<D extends AuthenticatedDevice = AuthenticatedDevice, A = unknown> {
  /** Decodes and verifies a device chain (without profile) against the SWV roots the relay serves. */
  verifyChain(chain: Uint8Array, roots: ReadonlyMap<string, Uint8Array>, now: Date): Promise<Result<D, KkError>>;
  /** Folds one `acl` envelope into the dossier state (undefined = no genesis yet). `live` for new appends. */
  applyAcl(
    access: A | undefined,
    envelope: Envelope,
    roots: ReadonlyMap<string, Uint8Array>,
    now: Date,
    live: boolean,
  ): Promise<Result<A, KkError>>;
  /** The devices whose certificates a record introduced as key-box recipients (checked against revoked devices, P47). */
  addedRecipients?(before: A | undefined, after: A): readonly { readonly user: string; readonly device: string }[];
  checkAppend(access: A, device: D, room: RoomId, kind: EnvelopeKind, now: Date): Result<void, KkError>;
  checkRead(access: A, device: D, room: RoomId, now: Date): Result<void, KkError>;
  /** Content must be sealed under the scope's current epoch (update/snapshot). */
  checkEpoch(access: A, room: RoomId, epoch: number): Result<void, KkError>;
  /** May this device author this update or snapshot under this epoch now: the same check every client runs on receipt [R35]. */
  checkRecord(access: A, device: D, room: RoomId, kind: 'update' | 'snapshot', epoch: number, now: Date): Result<void, KkError>;
  /** User ids that may receive notifications about this dossier. */
  members(access: A, now: Date): ReadonlySet<string>;
  /** The next moment (ms) after `now` at which a grant in this state expires, if any. */
  nextExpiry(access: A, now: Date): number | undefined;
  /** May this device draw a TLV volgnummer from its SWV's register: a person of the SWV's own office [P71]. */
  mayNumberTlv(device: D): boolean;
  /** When the dossier is to be deleted (its signed retention records plus the notice period) [P60]; undefined while none is fixed. */
  deletionAt?(access: A): number | undefined;
}
