// The sync engine's view of a relay connection, independent of the wire
// codec: the real implementation speaks core/sync/protocol over a WebSocket
// (relay-connection.ts); unit tests of outbox and backoff logic use an
// in-process fake. Integration tests always use the real relay.

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

export interface RelayEvents {
  /** Authenticated and ready for subscribe/append. */
  onReady(): void;
  /** Connection lost or refused; `fatal` = do not retry (e.g. certificate refused). */
  onClosed(reason: string, fatal: boolean): void;
  /** Records of a subscribed room in seq order, optionally preceded by the latest snapshot. */
  onRecords(room: string, records: readonly RelayRecord[], snapshot: RelaySnapshot | null, headSeq: number): void;
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
  subscribe(room: string, afterSeq: number): void;
  unsubscribe(room: string): void;
  append(ref: number, room: string, bytes: Uint8Array): void;
  snapshot(ref: number, room: string, upToSeq: number, bytes: Uint8Array): void;
  awareness(room: string, bytes: Uint8Array): void;
  close(): void;
}

export type RelayConnector = (events: RelayEvents) => RelayLink;
