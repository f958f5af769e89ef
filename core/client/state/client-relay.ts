// The client's link to its relay: the sync engine of the unlocked session, the connection it is on,
// the relay address list and whether the user wants to be online. Only this object changes them;
// short-lived mailbox connections (logged in or anonymous) are made here too.
import type { CryptoProvider } from '../../crypto/provider.js';
import { ok, fail, type Result } from '../../result.js';
import { RelayConnection } from '../../sync/relay-connection.js';
import { relayAddressAt } from '../../sync/relay-addresses.js';
import type { SyncEngine } from '../../sync/sync-engine.js';
import type { WebSocketFactory } from '../../sync/web-socket.js';
import type { Identity } from '../identity.js';

export class ClientRelay {
  #engine: SyncEngine | null = null;
  #conn: RelayConnection | null = null;
  #online = true;
  #relayUrl: string;

  constructor(
    relayUrl: string,
    private readonly provider: CryptoProvider,
    private readonly webSocket: WebSocketFactory,
  ) {
    this.#relayUrl = relayUrl;
  }

  /** The unlocked session's sync engine; null while locked. */
  get engine(): SyncEngine | null {
    return this.#engine;
  }

  /** The connection the engine is on now (replaced on every reconnect). */
  get conn(): RelayConnection | null {
    return this.#conn;
  }

  get online(): boolean {
    return this.#online;
  }

  get relayUrl(): string {
    return this.#relayUrl;
  }

  /** The `attempt`-th address of the relay list: every reconnect tries the next one [P28]. */
  addressAt(attempt: number): string {
    return relayAddressAt(this.#relayUrl, attempt);
  }

  /** The session's engine starts; it follows the user's online choice from the start. */
  attach(engine: SyncEngine): void {
    this.#engine = engine;
  }

  /** The engine (re)connected on `conn`. */
  connected(conn: RelayConnection): void {
    this.#conn = conn;
  }

  /** Stops the session's engine and forgets it and its connection; returns it so its work can be awaited. */
  detach(): SyncEngine | null {
    const engine = this.#engine;
    engine?.stop();
    this.#engine = null;
    this.#conn = null;
    return engine;
  }

  setOnline(online: boolean): void {
    this.#online = online;
    this.#engine?.setOnline(online);
  }

  /** Another relay address list; a connected engine reconnects to it at once. */
  setRelay(url: string): void {
    this.#relayUrl = url;
    if (this.#online) {
      this.#engine?.setOnline(false);
      this.#engine?.setOnline(true);
    }
  }

  /**
   * A short connection for a logged-in device's mailbox work: logged in when this device is unlocked, so
   * the relay counts its writes against this SWV's mailboxes and its frames outside the anonymous pool and
   * the per-address budgets shared with strangers (a whole school may share one address) [P21, P29];
   * anonymous when locked or when the login fails (the relay then still takes the write within those).
   */
  async mailboxConnection(id: Identity | null): Promise<Result<RelayConnection>> {
    if (id) {
      const auth = { provider: this.provider, chainBytes: id.publicChainBytes, deviceSecretKey: id.device.secretKey };
      const logged = await this.connectOnce(new RelayConnection(this.addressAt(0), this.webSocket, auth));
      if (logged.ok) return logged;
    }
    return this.anonymous();
  }

  async anonymous(): Promise<Result<RelayConnection>> {
    return this.connectOnce(new RelayConnection(this.addressAt(0), this.webSocket, null));
  }

  private async connectOnce(conn: RelayConnection): Promise<Result<RelayConnection>> {
    const r = await Promise.race([
      conn.whenReady(),
      new Promise<Result<void>>((res) => setTimeout(() => res(fail('geen-verbinding', 'De relay is niet bereikbaar.')), 10_000)),
    ]);
    if (!r.ok) {
      conn.close();
      return r;
    }
    return ok(conn);
  }
}
