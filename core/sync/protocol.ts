// The relay wire protocol, version 1: every message either side may send, as
// zod discriminated unions per direction. Shared by the sync client and the
// relay; the binary frame codec is in protocol-codec.ts, the rules in
// docs/PROTOCOL.md (P1, P2, …).
import { z } from 'zod';
import { SIGNING_CONTEXTS } from '../crypto/signing-contexts.js';

/** The versions this code speaks; a relay answers any other `hello` with `protocolversie-niet-ondersteund` [P2]. */
export const PROTOCOL_VERSION = 1;
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [PROTOCOL_VERSION];

/** Signed by the device at login together with the relay's nonce and origin [P4]. */
export const AUTH_CONTEXT = SIGNING_CONTEXTS.auth;
/** Signed by an SWV root key to prove possession when registering it [P20]. */
export const REGISTER_SWV_CONTEXT = SIGNING_CONTEXTS.registerSwv;

export const NONCE_BYTES = 32;
export const MAILBOX_ID_BYTES = 32;
export const HASH_BYTES = 32;

/** Relay defaults; every value can be changed on the command line (see sync-server/config.ts). */
export const DEFAULT_LIMITS = {
  /** Largest frame accepted; bigger frames close the connection (1009). */
  maxFrameBytes: 11 * 1024 * 1024,
  /** Largest encoded envelope in `append`/`awareness`. */
  maxRecordBytes: 1024 * 1024,
  /** Largest attachment (encrypted) in `blob-put`, and largest snapshot envelope. */
  maxBlobBytes: 10 * 1024 * 1024 + 256 * 1024,
  /** Appends, snapshots and awareness messages per second per connection (token bucket, burst = 2×). */
  recordsPerSecond: 200,
  /** Rooms one connection may have subscribed at once. */
  openRooms: 256,
  /** Simultaneous connections of one device. */
  connectionsPerIdentity: 8,
  /** Frames per second before `ready` (hello, mailbox, register-swv). */
  preAuthFramesPerSecond: 10,
  /** Largest mailbox ciphertext. */
  mailboxBytes: 16 * 1024,
  /** Bytes of records per `records` frame when catching up. */
  batchBytes: 512 * 1024,
  /** Notifications per minute per connection. */
  notifyPerMinute: 30,
  /** Rooms one connection may watch (P45): a head notice each, no records, so far more than `openRooms`. */
  watchedRooms: 20_000,
} as const;
export type Limits = { readonly [K in keyof typeof DEFAULT_LIMITS]: number };
export type LimitName = keyof typeof DEFAULT_LIMITS;
export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as LimitName[];

// ---------- field schemas ----------

// z.custom keeps the type `Uint8Array` (any backing buffer), as decoders and Node return.
const anyBytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'bytes verwacht' });
const bytes = (max: number) => anyBytes.refine((b) => b.length <= max, { message: 'te lang' });
const exactBytes = (n: number) => anyBytes.refine((b) => b.length === n, { message: `moet ${n} bytes zijn` });
const seq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** Client-chosen request number, echoed in the answer. */
const ref = z
  .number()
  .int()
  .nonnegative()
  .max(2 ** 32 - 1);
/** Opaque room id; its structure (`<dossier>/<scope>`) is checked by the relay with core/access. */
const room = z.string().min(1).max(512);
const envelopeBytes = bytes(DEFAULT_LIMITS.maxFrameBytes);
const shortText = z.string().max(200);

export const NOTIFY_KINDS = ['status', 'mention', 'overlegronde', 'einddatum'] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

// ---------- client → relay ----------

export const helloSchema = z.strictObject({
  type: z.literal('hello'),
  protocolVersion: z.number().int().nonnegative(),
  /** `encodeDeviceChain(stripProfile(chain))` from core/access: never the profile (names). */
  chain: bytes(16 * 1024),
});
export const authSchema = z.strictObject({
  type: z.literal('auth'),
  /** The origin the client connected to (`new URL(url).origin`, e.g. `ws://127.0.0.1:8787`). */
  origin: z.string().min(1).max(300),
  /** Ed25519 by the device key over `authMessage(nonce, origin)`. */
  signature: exactBytes(64),
});
/** `withoutSnapshot`: send the records after `afterSeq`, never the snapshot in front of them (a device that refused it, P85). */
export const subscribeSchema = z.strictObject({
  type: z.literal('subscribe'),
  room,
  afterSeq: seq,
  withoutSnapshot: z.literal(true).optional(),
});
export const unsubscribeSchema = z.strictObject({ type: z.literal('unsubscribe'), room });
export const appendSchema = z.strictObject({ type: z.literal('append'), ref, room, envelope: envelopeBytes });
export const snapshotSchema = z.strictObject({
  type: z.literal('snapshot'),
  ref,
  room,
  /** The snapshot includes every record up to and including this seq. Also in the envelope's public part. */
  coversSeq: seq,
  envelope: envelopeBytes,
});
export const awarenessSchema = z.strictObject({ type: z.literal('awareness'), room, envelope: envelopeBytes });
export const blobPutSchema = z.strictObject({
  type: z.literal('blob-put'),
  ref,
  /** Any room of the dossier the attachment belongs to; membership is checked on it. */
  room,
  /** SHA-256 of `data`; the relay recomputes it. */
  hash: exactBytes(HASH_BYTES),
  data: bytes(DEFAULT_LIMITS.maxFrameBytes),
});
export const blobGetSchema = z.strictObject({ type: z.literal('blob-get'), ref, room, hash: exactBytes(HASH_BYTES) });
export const notifySchema = z.strictObject({
  type: z.literal('notify'),
  kind: z.enum(NOTIFY_KINDS),
  /** The room the change happened in: only used to check the sender is a member and for the badge. */
  room,
  /** User ids (opaque), at most 50. */
  recipients: z.array(z.string().min(1).max(64)).min(1).max(50),
});
export const registerEmailSchema = z.strictObject({
  type: z.literal('register-email'),
  /** The authenticated user's own address, or null to stop e-mail. */
  email: z.email().max(254).nullable(),
});
export const notificationsPullSchema = z.strictObject({ type: z.literal('notifications-pull') });
export const registerSwvSchema = z.strictObject({
  type: z.literal('register-swv'),
  swvId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  rootPublicKey: exactBytes(32),
  /** Ed25519 by the root key over `registerSwvMessage(swvId, rootPublicKey)`. */
  proof: exactBytes(64),
});
/** The longest a mailbox is kept (and the default) [P21]. */
export const MAILBOX_MAX_TTL_SECONDS = 7 * 24 * 3600;
export const mailboxPutSchema = z.strictObject({
  type: z.literal('mailbox-put'),
  box: exactBytes(MAILBOX_ID_BYTES),
  ciphertext: bytes(DEFAULT_LIMITS.mailboxBytes),
  /** A shorter life than the default 7 days, enforced by the relay (a device link: 15 minutes) [P42]. */
  ttlSeconds: z.number().int().min(1).max(MAILBOX_MAX_TTL_SECONDS).optional(),
});
export const mailboxGetSchema = z.strictObject({
  type: z.literal('mailbox-get'),
  box: exactBytes(MAILBOX_ID_BYTES),
  /** Delete on read: the relay answers and no longer holds the bytes [P42]. */
  take: z.boolean().optional(),
});
/** The SWV's signed end of a person (`encodeUserEnd`), handed in by any logged-in device [P40]. */
export const endUserSchema = z.strictObject({ type: z.literal('end-user'), record: bytes(1024) });
/** Asks for every signed end of a person in the requester's SWV [P40]. */
export const endedUsersGetSchema = z.strictObject({ type: z.literal('ended-users-get') });
/** A signed device revocation with the signing device's certificate (`encodeRevocationRecord`) [P47]. */
export const revokeDeviceSchema = z.strictObject({ type: z.literal('revoke-device'), record: bytes(2048) });
/** Asks for every revoked device in the requester's SWV [P47]. */
export const revokedDevicesGetSchema = z.strictObject({ type: z.literal('revoked-devices-get') });
/** Bytes of one signed request for a certificate on a fresh agreement key (`encodeKeyRenewal`) [P49]. */
export const KEY_RENEWAL_BYTES = 512;
/** A device's own signed request for a certificate on a fresh agreement key [P49]. */
export const keyRenewalPutSchema = z.strictObject({ type: z.literal('key-renewal-put'), record: bytes(KEY_RENEWAL_BYTES) });
/** Asks for the open key renewal requests of the requester's SWV (the beheerder answers them) [P49]. */
export const keyRenewalsGetSchema = z.strictObject({ type: z.literal('key-renewals-get') });
/** Rooms per `watch`/`unwatch` frame [P45]. */
export const MAX_WATCH_BATCH = 500;
/** Rooms per `watch` frame that cost one record token: a watch reads one head per room. */
export const WATCHES_PER_TOKEN = 50;
export const watchSchema = z.strictObject({
  type: z.literal('watch'),
  ref,
  /** Each room with the client's cursor: the answer names the rooms with records after it. */
  rooms: z
    .array(z.strictObject({ room, afterSeq: seq }))
    .min(1)
    .max(MAX_WATCH_BATCH),
});
export const unwatchSchema = z.strictObject({ type: z.literal('unwatch'), rooms: z.array(room).min(1).max(MAX_WATCH_BATCH) });
/** Dossier ids per `dossier-list` page [P46]. */
export const DOSSIER_PAGE = 1000;
const dossierId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** Which dossiers may this device read (their toegang room)? Paged by id [P46]. */
export const listDossiersSchema = z.strictObject({ type: z.literal('list-dossiers'), ref, after: dossierId.nullable() });
/** Asks what the relay served of one dossier, to whom and when [P52]: for readers of its access list. */
export const servedLogGetSchema = z.strictObject({ type: z.literal('served-log-get'), ref, dossier: dossierId });
/**
 * Asks the SWV's TLV register for the next volgnummer [P71]. `claim` commits to the hulpvraag
 * without naming it (SHA-256 over a context, the hulpvraag id and a random nonce); the same claim
 * again gets the same number, so a retry after a lost answer uses none.
 */
export const tlvNumberClaimSchema = z.strictObject({ type: z.literal('tlv-number-claim'), ref, claim: exactBytes(HASH_BYTES) });
/** Asks for a deleted dossier's tombstone: the signed record that fixed its retention date [P60, R83]. */
export const tombstoneGetSchema = z.strictObject({ type: z.literal('tombstone-get'), ref, dossier: dossierId });
/** Reads the SWV's TLV register from the number after `after`, a page at a time [P71]. */
export const tlvRegisterGetSchema = z.strictObject({ type: z.literal('tlv-register-get'), ref, after: z.number().int().nonnegative() });

export const clientMessageSchema = z.discriminatedUnion('type', [
  helloSchema,
  authSchema,
  subscribeSchema,
  unsubscribeSchema,
  appendSchema,
  snapshotSchema,
  awarenessSchema,
  blobPutSchema,
  blobGetSchema,
  notifySchema,
  registerEmailSchema,
  notificationsPullSchema,
  registerSwvSchema,
  mailboxPutSchema,
  mailboxGetSchema,
  endUserSchema,
  endedUsersGetSchema,
  watchSchema,
  unwatchSchema,
  listDossiersSchema,
  servedLogGetSchema,
  tlvNumberClaimSchema,
  tlvRegisterGetSchema,
  tombstoneGetSchema,
  revokeDeviceSchema,
  revokedDevicesGetSchema,
  keyRenewalPutSchema,
  keyRenewalsGetSchema,
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;

/** Allowed before `ready` [P6]. */
export const PRE_AUTH_TYPES: readonly ClientMessageType[] = ['hello', 'auth', 'register-swv', 'mailbox-put', 'mailbox-get'];

// ---------- relay → client ----------

export const challengeSchema = z.strictObject({
  type: z.literal('challenge'),
  protocolVersion: z.number().int(),
  nonce: exactBytes(NONCE_BYTES),
});
export const readySchema = z.strictObject({
  type: z.literal('ready'),
  protocolVersion: z.number().int(),
  deviceId: z.string(),
  /** The limits this relay enforces, so a client can pace itself. */
  limits: z.record(z.string(), z.number()),
  /** Relay clock (ms), for certificate and grant expiry hints. */
  serverTime: z.number().int(),
});
const relayRecord = z.strictObject({ seq: seq.min(1), envelope: envelopeBytes });
export type WireRecord = z.infer<typeof relayRecord>;
export const recordsSchema = z.strictObject({
  type: z.literal('records'),
  room,
  /** The latest snapshot (first batch of a catch-up only, when afterSeq < its coversSeq). */
  snapshot: z.strictObject({ coversSeq: seq, envelope: envelopeBytes }).nullable(),
  records: z.array(relayRecord),
  /** The room's last seq when this batch was sent. */
  headSeq: seq,
  /** True from the first batch that brings the client up to `headSeq`: later records arrive live. */
  live: z.boolean(),
});
export const ackSchema = z.strictObject({
  type: z.literal('ack'),
  ref,
  /** For `append`: the record's seq; for `snapshot`: its coversSeq. Sent only after the write is durable [P9]. */
  seq,
  /** True when this exact envelope was stored before: `seq` is the original one [P11]. */
  duplicate: z.boolean(),
});
export const awarenessOutSchema = z.strictObject({ type: z.literal('awareness'), room, envelope: envelopeBytes });
export const blobStoredSchema = z.strictObject({ type: z.literal('blob-stored'), ref, hash: exactBytes(HASH_BYTES) });
export const blobSchema = z.strictObject({
  type: z.literal('blob'),
  ref,
  hash: exactBytes(HASH_BYTES),
  data: bytes(DEFAULT_LIMITS.maxFrameBytes),
});
const notificationItem = z.strictObject({ kind: z.enum(NOTIFY_KINDS), room, at: z.number().int() });
export type NotificationItem = z.infer<typeof notificationItem>;
export const notificationsSchema = z.strictObject({ type: z.literal('notifications'), items: z.array(notificationItem) });
export const doneSchema = z.strictObject({
  type: z.literal('done'),
  /** Echo of the request this confirms: `register-email`, `register-swv`, `mailbox-put`, `notify`, `unsubscribe`. */
  of: z.string().max(40),
});
export const mailboxSchema = z.strictObject({
  type: z.literal('mailbox'),
  box: exactBytes(MAILBOX_ID_BYTES),
  /** null when empty or expired. */
  ciphertext: bytes(DEFAULT_LIMITS.mailboxBytes).nullable(),
});
/** Answer to `revoked-devices-get`: the stored revocations of the SWV (at most 10,000) [P47]. */
export const revokedDevicesSchema = z.strictObject({ type: z.literal('revoked-devices'), records: z.array(bytes(2048)).max(10_000) });
/** Answer to `key-renewals-get`: the newest request of each device of the SWV (at most 10,000) [P49]. */
export const keyRenewalsSchema = z.strictObject({
  type: z.literal('key-renewals'),
  records: z.array(bytes(KEY_RENEWAL_BYTES)).max(10_000),
});
/** Answer to `ended-users-get`: the stored signed ends of the SWV (at most 10,000) [P40]. */
export const endedUsersSchema = z.strictObject({ type: z.literal('ended-users'), records: z.array(bytes(1024)).max(10_000) });
/**
 * Heads of watched rooms [P45]: answering a `watch` (`ref` set: the rooms with records after the
 * client's cursor, and the rooms refused), or pushed when a record is committed in a watched room
 * (`ref` null). Seqs only, never records: the client fetches with a short subscription.
 */
export const headsSchema = z.strictObject({
  type: z.literal('heads'),
  ref: ref.nullable(),
  changed: z.array(z.strictObject({ room, headSeq: seq })).max(MAX_WATCH_BATCH * 4),
  refused: z.array(z.strictObject({ room, code: z.string().max(60) })).max(MAX_WATCH_BATCH),
});
export const dossierListSchema = z.strictObject({
  type: z.literal('dossier-list'),
  ref,
  ids: z.array(dossierId).max(DOSSIER_PAGE),
  /** The last id of this page when there may be more; null on the last page. */
  next: dossierId.nullable(),
});
/** Entries per `served-log` answer [P52]. */
export const MAX_SERVED_ENTRIES = 2000;
/** A moment in ms that `Date` can hold (±8.64e15): a relay's answer can never make `toISOString` throw. */
export const msTime = z.number().int().min(-8.64e15).max(8.64e15);
export const servedEntrySchema = z.strictObject({
  device: z.string().max(100),
  user: z.string().max(100),
  /** A dossier part (`leerling`, `hulpvraag:<id>`, …) or `bijlage`. */
  scope: z.string().max(120),
  first: msTime,
  last: msTime,
  count: z.number().int().nonnegative(),
});
export type ServedLogEntry = z.infer<typeof servedEntrySchema>;
/** The relay's Ed25519 identity key and signatures by it [P83]. */
export const RELAY_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
/**
 * Answer to `served-log-get`: per device, part and hour, what the relay handed out (counts, times) [P52],
 * at moment `at` (ms), signed by the relay's identity key `relayKey` over dossier, `at`, key and every
 * entry in this order [P83] (core/sync/served-log-signature.ts).
 */
export const servedLogSchema = z.strictObject({
  type: z.literal('served-log'),
  ref,
  entries: z.array(servedEntrySchema).max(MAX_SERVED_ENTRIES),
  at: msTime,
  relayKey: exactBytes(RELAY_KEY_BYTES),
  signature: exactBytes(SIGNATURE_BYTES),
});
/** Answer to `tombstone-get`: the signed `bewaartermijn` ACL envelope kept in the tombstone, or null when the dossier has none [P60]. */
export const tombstoneSchema = z.strictObject({
  type: z.literal('tombstone'),
  ref,
  record: bytes(DEFAULT_LIMITS.maxFrameBytes).nullable(),
});
/** Answer to `tlv-number-claim`, sent once the number is durable [P71]. */
export const tlvNumberSchema = z.strictObject({
  type: z.literal('tlv-number'),
  ref,
  volgnummer: z.number().int().min(1),
  /** When the register assigned it (ms). */
  at: z.number().int(),
  /** True when this claim had its number already. */
  duplicate: z.boolean(),
});
/** Entries per `tlv-register` page [P71]. */
export const TLV_REGISTER_PAGE = 1000;
const tlvRegisterEntry = z.strictObject({
  volgnummer: z.number().int().min(1),
  claim: exactBytes(HASH_BYTES),
  at: z.number().int(),
  user: z.string().max(100),
});
export type TlvRegisterEntry = z.infer<typeof tlvRegisterEntry>;
/** A page of the SWV's TLV register, by volgnummer [P71]; `next` is the last number of a full page. */
export const tlvRegisterSchema = z.strictObject({
  type: z.literal('tlv-register'),
  ref,
  entries: z.array(tlvRegisterEntry).max(TLV_REGISTER_PAGE),
  next: z.number().int().nullable(),
});
export const errorSchema = z.strictObject({
  type: z.literal('error'),
  code: z.string().max(60),
  /** Dutch, content-free. */
  message: shortText,
  /** The request this answers (append/snapshot/blob), when there is one. */
  ref: ref.nullable(),
  /** The room concerned, when there is one (e.g. the ended subscription for `toegang-ingetrokken`). */
  room: room.nullable(),
  /** For `limiet-overschreden`: which limit, and its value. */
  limit: z.string().max(40).nullable(),
  /** The underlying check's code (e.g. `onbekend-swv`, `voorganger-onjuist`), when it adds something. */
  reason: z.string().max(60).nullable(),
  /** For `protocolversie-niet-ondersteund`: what the relay speaks. */
  supported: z.array(z.number().int()).nullable(),
  /** True when the relay closes the connection after this message. */
  fatal: z.boolean(),
});

export const relayMessageSchema = z.discriminatedUnion('type', [
  challengeSchema,
  readySchema,
  recordsSchema,
  ackSchema,
  awarenessOutSchema,
  blobStoredSchema,
  blobSchema,
  notificationsSchema,
  doneSchema,
  mailboxSchema,
  errorSchema,
  endedUsersSchema,
  headsSchema,
  dossierListSchema,
  servedLogSchema,
  tlvNumberSchema,
  tlvRegisterSchema,
  tombstoneSchema,
  revokedDevicesSchema,
  keyRenewalsSchema,
]);
export type RelayMessage = z.infer<typeof relayMessageSchema>;
export type RelayMessageType = RelayMessage['type'];
export type RelayMessageOf<T extends RelayMessageType> = Extract<RelayMessage, { type: T }>;
