// What this client keeps about following rooms on the relay: the last snapshot it knows per room (the
// `prev` of its next one), how often a too-early subscription was refused per room, and when it last
// asked which dossiers it may read.
/** A room's last known snapshot: its hash chains the next one [P85]; `seq` is the cursor it covers. */
export interface KnownSnapshot {
  readonly hash: Uint8Array | null;
  readonly seq: number;
}

export class RoomSync {
  readonly #snapshots = new Map<string, KnownSnapshot>();
  /** Subscriptions refused as too early (own access record not stored yet), per room: retried a bounded number of times. */
  readonly #earlyRefusals = new Map<string, number>();
  /** When (ms) this client last asked the relay which dossiers it may read (client-discovery.ts); 0: never. */
  #lastDiscovery = 0;

  lastSnapshot(room: string): KnownSnapshot | undefined {
    return this.#snapshots.get(room);
  }

  rememberSnapshot(room: string, snapshot: KnownSnapshot): void {
    this.#snapshots.set(room, snapshot);
  }

  /** Counts one more too-early refusal of the room's subscription; returns how many there were. */
  countEarlyRefusal(room: string): number {
    const tries = (this.#earlyRefusals.get(room) ?? 0) + 1;
    this.#earlyRefusals.set(room, tries);
    return tries;
  }

  discoveredAt(atMs: number): void {
    this.#lastDiscovery = atMs;
  }

  /** Whether `intervalMs` has passed since the last discovery. */
  discoveryDue(nowMs: number, intervalMs: number): boolean {
    return nowMs - this.#lastDiscovery >= intervalMs;
  }
}
