// An in-process stand-in for the relay, ONLY for unit tests of the engine's
// outbox, ack and backoff logic. Integration and simulation tests use the real
// relay in sync-server/.
import type { RelayConnector, RelayEvents, RelayLink } from '../../core/sync/relay-link.js';

export class FakeRelay {
  readonly logs = new Map<string, Uint8Array[]>();
  private readonly subs = new Map<RelayEvents, Set<string>>();
  /** When false, appends are received but never acknowledged (a relay that dies before fsync). */
  ackAppends = true;
  connects = 0;
  up = true;

  connector(): RelayConnector {
    return (events) => {
      this.connects++;
      const me = new Set<string>();
      let open = true;
      const link: RelayLink = {
        subscribe: (room, after) => {
          me.add(room);
          const log = this.logs.get(room) ?? [];
          const records = log.slice(after).map((bytes, i) => ({ seq: after + i + 1, bytes }));
          queueMicrotask(() => open && events.onRecords(room, records, null, log.length));
        },
        unsubscribe: (room) => me.delete(room),
        append: (ref, room, bytes) => {
          if (!this.ackAppends) return;
          const log = this.logs.get(room) ?? [];
          log.push(bytes);
          this.logs.set(room, log);
          const seq = log.length;
          queueMicrotask(() => {
            if (open) events.onAck(ref, seq);
            for (const [ev, rooms] of this.subs) if (rooms.has(room)) ev.onRecords(room, [{ seq, bytes }], null, seq);
          });
        },
        snapshot: () => undefined,
        awareness: () => undefined,
        close: () => {
          open = false;
          this.subs.delete(events);
        },
      };
      if (this.up) {
        this.subs.set(events, me);
        queueMicrotask(() => open && events.onReady());
      } else {
        queueMicrotask(() => events.onClosed('relay onbereikbaar', false));
      }
      return link;
    };
  }

  /** Drops every connection (network failure). */
  dropAll(): void {
    for (const ev of [...this.subs.keys()]) {
      this.subs.delete(ev);
      ev.onClosed('verbinding verbroken', false);
    }
  }
}
