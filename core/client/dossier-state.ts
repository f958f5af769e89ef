// What a client holds in memory for one dossier: the folded access list, the
// epoch keys it can open, one Yjs document per scope it can read, the
// verified status events and messages, awareness and the access-log events. Everything is
// rebuilt from the sealed local log at unlock; nothing here is persisted as is.
import type { SettingVerifications } from './signed-setting.js';
import { newDossierTrust, type DossierTrust } from './client-trust.js';
import { z } from 'zod';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness.js';
import type { Envelope } from '../crypto/envelope.js';
import { decodeCanonical, encodeCanonical } from '../crypto/canonical.js';
import type { DossierAccess } from '../access/dossier-access.js';
import type { DeviceRevocations } from '../access/device-chain.js';
import type { Keyring } from '../access/keyring.js';
import type { DossierId, UserId } from '../model/ids.js';
import { RELATIES } from '../workflow/selector.js';
import type { RecordedStatusEvent } from '../model/status-event.js';
import { RoomDoc } from '../sync/room-doc.js';
import type { MessageVerifications } from './signed-message.js';
import type { Scope } from '../access/rooms.js';

export interface AccessEvent {
  readonly at: number;
  readonly actor: UserId;
  readonly action: AccessEventAction;
  /** For a toestemming: which hulpvraag and which sharing (client-toestemming.ts). */
  readonly toestemming?: ToestemmingOnderwerp;
}

/**
 * What an access event records: opening the dossier, an inzage-export of it (client-export.ts),
 * or an ouder's digitale toestemming given or withdrawn (client-toestemming.ts, R118).
 */
export type AccessEventAction = 'geopend' | 'geëxporteerd' | 'toestemming-gegeven' | 'toestemming-ingetrokken';

/** What a toestemming is about: sharing one hulpvraag with the organisation of one relatie (seed 001: the school van voorkeur). */
export interface ToestemmingOnderwerp {
  readonly hv: string;
  readonly voor: (typeof RELATIES)[number];
}

export interface DossierState {
  readonly id: DossierId;
  /** The access list as the relay ordered it (acknowledged records only). */
  confirmed: DossierAccess | undefined;
  /** `confirmed` plus this device's own records still in the outbox (what we act on). */
  access: DossierAccess | undefined;
  keyring: Keyring;
  /** Keys that were replaced (an own access record the relay did not take): only to reseal our own pending changes. */
  readonly retired: Uint8Array[];
  readonly docs: Map<Scope, RoomDoc>;
  /** Per hulpvraag: `signedItemKey` (signature + payload digest) → verified event, so each event is checked once. */
  readonly verifiedEvents: Map<string, RecordedStatusEvent | null>;
  /** Signed hulpvraag settings (betrokken organisaties, coördinator, aanvrager): signature + payload digest → verified payload and signer (signed-setting.ts) [R125, R127]. */
  readonly verifiedSettings: SettingVerifications;
  /** Overlegronde messages and edits: signature + payload digest → proven to be by their `auteur` (signed-message.ts). */
  readonly verifiedMessages: MessageVerifications;
  /** The device revocations `verifiedEvents` and `verifiedMessages` were checked under (see `trustedRevocations`). */
  trustedUnder: string;
  readonly accessEvents: AccessEvent[];
  readonly awareness: Awareness;
  /** Which device first announced each awareness client id: only that device may change its state. */
  readonly awarenessOwners: Map<number, string>;
  /** Local changes made before the document was ready to be sealed are never lost: they wait here. */
  open: boolean;
  /** Rooms whose records need a key this device does not have yet. */
  readonly stalled: Set<string>;
  /** Withholding signals [R40, R41], per room: records under an epoch this device has no key for yet, and records written behind a removal. */
  readonly trust: DossierTrust;
}

export function newDossierState(id: DossierId): DossierState {
  const awareness = new Awareness(new Y.Doc());
  // Remote states are forwarded, never stored; our own local state is set by setAwareness.
  awareness.setLocalState(null);
  return {
    id,
    confirmed: undefined,
    access: undefined,
    keyring: new Map(),
    retired: [],
    docs: new Map(),
    verifiedEvents: new Map(),
    verifiedMessages: new Map(),
    verifiedSettings: new Map(),
    trustedUnder: '',
    accessEvents: [],
    awareness,
    awarenessOwners: new Map(),
    open: false,
    stalled: new Set(),
    trust: newDossierTrust(),
  };
}

/**
 * The dossier's device revocations, to check signed items under. A signature verified before a
 * revocation arrived may be one the revoked device made after its revocation time, so a changed set
 * empties the caches of verified status events and messages; the next verification re-checks them.
 */
export function trustedRevocations(st: DossierState): DeviceRevocations | undefined {
  const revocations = st.access?.revocations;
  const key =
    revocations === undefined
      ? ''
      : [...revocations]
          .map(([k, at]) => `${k}@${at}`)
          .sort()
          .join(',');
  if (key !== st.trustedUnder) {
    st.verifiedEvents.clear();
    st.verifiedMessages.clear();
    st.verifiedSettings.clear();
    st.trustedUnder = key;
  }
  return revocations;
}

// ---- plaintext wrappers inside update / snapshot envelopes ----

/** The access-list head an author had seen when writing: hash of its last record and how many records it had [P31]. */
export interface SeenHead {
  readonly hash: Uint8Array;
  readonly count: number;
}

/** An update's plaintext: the Yjs update, the author's device chain, and the access-list head the author had seen [P31]. */
export function encodeUpdatePayload(update: Uint8Array, chain: Uint8Array | null, head: SeenHead | null = null): Uint8Array {
  return encodeCanonical(head === null ? { u: update, c: chain } : { u: update, c: chain, t: { h: head.hash, n: head.count } });
}

const updateSchema = z.object({
  u: z.instanceof(Uint8Array),
  c: z.instanceof(Uint8Array).nullable(),
  t: z.object({ h: z.instanceof(Uint8Array), n: z.number().int().nonnegative() }).optional(),
});
export function decodeUpdatePayload(bytes: Uint8Array): { update: Uint8Array; chain: Uint8Array | null; head: SeenHead | null } | null {
  const v = decodeCanonical(bytes);
  if (!v.ok) return null;
  const p = updateSchema.safeParse(v.value);
  return p.success
    ? { update: p.data.u, chain: p.data.c, head: p.data.t === undefined ? null : { hash: p.data.t.h, count: p.data.t.n } }
    : null;
}

/** A snapshot's plaintext: the merged document state, and the author's device certificate so every reader can check its author [P30]. */
export const encodeSnapshotPayload = (state: Uint8Array, chain: Uint8Array | null = null): Uint8Array =>
  encodeCanonical(chain === null ? { s: state } : { s: state, c: chain });
const snapshotSchema = z.object({ s: z.instanceof(Uint8Array), c: z.instanceof(Uint8Array).optional() });
export function decodeSnapshotPayload(bytes: Uint8Array): Uint8Array | null {
  return decodeSnapshotWithAuthor(bytes)?.state ?? null;
}
export function decodeSnapshotWithAuthor(bytes: Uint8Array): { state: Uint8Array; chain: Uint8Array | null } | null {
  const v = decodeCanonical(bytes);
  if (!v.ok) return null;
  const p = snapshotSchema.safeParse(v.value);
  return p.success ? { state: p.data.s, chain: p.data.c ?? null } : null;
}

const toestemmingSchema = z.strictObject({ hv: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), voor: z.enum(RELATIES) });
const accessEventSchema = z
  .object({
    action: z.enum(['geopend', 'geëxporteerd', 'toestemming-gegeven', 'toestemming-ingetrokken']),
    at: z.number(),
    c: z.instanceof(Uint8Array).nullable().optional(),
    t: toestemmingSchema.optional(),
  })
  // A toestemming names what it is about; other actions name nothing.
  .refine((e) => (e.action === 'toestemming-gegeven' || e.action === 'toestemming-ingetrokken') === (e.t !== undefined));
/** "Opened the dossier" (or "exported it", a toestemming), with the device chain so readers who never wrote can still be named in the log. */
export const encodeAccessEvent = (
  at: number,
  chain: Uint8Array | null = null,
  action: AccessEventAction = 'geopend',
  toestemming?: ToestemmingOnderwerp,
): Uint8Array =>
  encodeCanonical({ action, at, c: chain, ...(toestemming === undefined ? {} : { t: { hv: toestemming.hv, voor: toestemming.voor } }) });
export function decodeAccessEvent(
  bytes: Uint8Array,
): { action: AccessEventAction; at: number; chain: Uint8Array | null; toestemming?: ToestemmingOnderwerp } | null {
  const v = decodeCanonical(bytes);
  if (!v.ok) return null;
  const p = accessEventSchema.safeParse(v.value);
  if (!p.success) return null;
  return { action: p.data.action, at: p.data.at, chain: p.data.c ?? null, ...(p.data.t === undefined ? {} : { toestemming: p.data.t }) };
}

export type { Envelope };
