// Fan-out between relays that share one PostgreSQL [P27]: every committed append
// batch NOTIFYs its rooms' new heads (storage-postgres.ts); this listener hears
// the other relays' notifications and lets the local subscribers pull the new
// records from the database; a newly registered SWV root is loaded the same way.
// Notifications carry only room, seq and a process id, no content.
import pg from 'pg';
import { z } from 'zod';
import { APPEND_CHANNEL, SWV_CHANNEL, type PostgresStorage } from './storage-postgres.js';
import type { Logger } from './log.js';

export interface FanoutTarget {
  /** `seq`: the room's head after the other relay's commit. */
  remoteAppend(room: string, seq: number): void;
  announceAll(): void;
  reloadSwvRoots(): Promise<void>;
}

const Announcement = z.object({ r: z.string().max(512), s: z.number().int().nonnegative(), i: z.string().max(64) });

export class PostgresFanout {
  private client: pg.Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  /** Announcements heard from other relays, for /metrics. */
  heard = 0;
  connected = false;

  private readonly url: string;
  private readonly instance: string;

  private constructor(
    private readonly storage: Pick<PostgresStorage, 'url' | 'instance' | 'noteCommit'>,
    private readonly target: FanoutTarget,
    private readonly log: Logger,
  ) {
    this.url = storage.url;
    this.instance = storage.instance;
  }

  static async start(
    storage: Pick<PostgresStorage, 'url' | 'instance' | 'noteCommit'>,
    target: FanoutTarget,
    log: Logger,
  ): Promise<PostgresFanout> {
    const f = new PostgresFanout(storage, target, log);
    await f.connect();
    return f;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (n) => {
      if (n.channel === SWV_CHANNEL && n.payload !== this.instance) {
        this.target.reloadSwvRoots().catch(() => this.log('error', 'swv-reload-failed', {}));
        return;
      }
      if (n.channel !== APPEND_CHANNEL || n.payload === undefined) return;
      let parsed;
      try {
        parsed = Announcement.safeParse(JSON.parse(n.payload));
      } catch {
        return;
      }
      if (!parsed.success || parsed.data.i === this.instance) return;
      this.heard++;
      // Reads started before this commit was known are not shared with the pulls it triggers.
      this.storage.noteCommit();
      this.target.remoteAppend(parsed.data.r, parsed.data.s);
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.connected = false;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.log('warn', 'fanout-lost', {});
      this.retry = setTimeout(() => void this.reconnect(), 1000);
      this.retry.unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${APPEND_CHANNEL}`);
      await client.query(`LISTEN ${SWV_CHANNEL}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    this.client = client;
    this.connected = true;
  }

  private async reconnect(): Promise<void> {
    try {
      await this.connect();
      // Appends committed while nobody listened: every subscribed room pulls from the database.
      this.storage.noteCommit();
      this.target.announceAll();
      await this.target.reloadSwvRoots();
      this.log('info', 'fanout-restored', {});
    } catch {
      this.retry = setTimeout(() => void this.reconnect(), 1000);
      this.retry.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry !== undefined) clearTimeout(this.retry);
    const c = this.client;
    this.client = undefined;
    this.connected = false;
    await c?.end().catch(() => undefined);
  }
}
