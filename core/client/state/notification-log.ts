// The content-free notifications received this session (kind, room, time), newest last, bounded:
// kept for the UI and tests, never persisted.
export interface ReceivedNotification {
  readonly kind: string;
  readonly room: string;
  readonly at: number;
}

/** How many are kept: enough for the UI's recent list, bounded so a long session cannot grow it. */
const KEPT = 200;

export class NotificationLog {
  readonly #received: ReceivedNotification[] = [];

  add(items: readonly ReceivedNotification[]): void {
    this.#received.push(...items.map((i) => ({ kind: i.kind, room: i.room, at: i.at })));
    this.#received.splice(0, Math.max(0, this.#received.length - KEPT));
  }

  all(): ReceivedNotification[] {
    return [...this.#received];
  }
}
