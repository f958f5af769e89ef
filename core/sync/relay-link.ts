// The sync engine's view of a relay connection, independent of the wire
// codec: the real implementation speaks core/sync/protocol over a WebSocket
// (relay-connection.ts); unit tests of outbox and backoff logic use an
// in-process fake. Integration tests always use the real relay.

import type { Result } from '../result.js';

export interface RelayRecord {
  readonly seq: number;
  /** Encoded envelope (core/crypto/envelope.ts). */
  readonly bytes: Uint8Array;
}

export interface RelaySnapshot {
  /** The snapshot covers the room's records up to and including this seq. */
  readonly upToSeq: number;
  readonly bytes: Uint8Array;
}

/** A room whose head is past what the client had, or that the relay will not let it watch [P45]. */
export interface RoomHeads {
  readonly changed: readonly { readonly room: string; readonly headSeq: number }[];
  readonly refused: readonly { readonly room: string; readonly code: string }[];
}

export interface RelayEvents {
  /** Authenticated and ready for subscribe/append; `limits` are the ones the relay enforces (to pace by). */
  onReady(limits?: Readonly<Record<string, number>>): void;
  /** Connection lost or refused; `fatal` = do not retry (e.g. certificate refused). */
  /** `code`: the relay's refusal that closed the session, when it sent one (e.g. `apparaat-ingetrokken`). */
  onClosed(reason: string, fatal: boolean, code?: string): void;
  /** Records of a subscribed room in seq order, optionally preceded by the latest snapshot. */
  onRecords(room: string, records: readonly RelayRecord[], snapshot: RelaySnapshot | null, headSeq: number, live?: boolean): void;
  /** Pushed heads of watched rooms: a record was committed, or access to a watched room ended [P45]. */
  onHeads?(heads: RoomHeads): void;
  onAck(ref: number, seq: number): void;
  /** The relay refused an append: `code` is a protocol error code, never content. */
  onRefused(ref: number, code: string, message: string): void;
  onAwareness(room: string, bytes: Uint8Array): void;
  /** The relay says a dossier changed that this device has no subscription for (content-free). */
  onNotify?(room: string): void;
  /** The relay ended a subscription or refused a room (e.g. `toegang-ingetrokken`, `toegang-verlopen`). */
  onRoomError?(room: string, code: string, message: string, refusedSubscription?: boolean): void;
  /** Content-free notifications pushed by the relay (or answering a pull): rooms where something happened for us. */
  onNotifications?(items: readonly { readonly kind: string; readonly room: string; readonly at: number }[]): void;
}

export interface RelayLink {
  /** `withoutSnapshot`: records only, no snapshot in front of them (the device refused it, P85). */
  subscribe(room: string, afterSeq: number, withoutSnapshot?: boolean): void;
  unsubscribe(room: string): void;
  /**
   * Watch rooms without subscribing (P45); resolves with the rooms that have records after the
   * cursor given, and the refused ones. Absent on links that cannot (then every room is subscribed).
   */
  watch?(rooms: readonly { readonly room: string; readonly afterSeq: number }[]): Promise<Result<RoomHeads>>;
  unwatch?(rooms: readonly string[]): void;
  append(ref: number, room: string, bytes: Uint8Array): void;
  snapshot(ref: number, room: string, upToSeq: number, bytes: Uint8Array): void;
  awareness(room: string, bytes: Uint8Array): void;
  close(): void;
}

export type RelayConnector = (events: RelayEvents) => RelayLink;
