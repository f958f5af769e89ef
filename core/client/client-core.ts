// The state one client instance holds (session, dossiers, directory, sync bookkeeping) and
// the small helpers every client module shares: the context the client-*.ts modules work on.
import type * as Y from 'yjs';
import type { CryptoProvider } from '../crypto/provider.js';
import { toBase64Url } from '../crypto/bytes.js';
import { BackgroundWork } from '../sync/background-work.js';
import type { Argon2idParams } from '../crypto/keystore.js';
import { effectiveRight } from '../access/dossier-access.js';
import { principalMatches } from '../access/principal.js';
import type { Scope } from '../access/rooms.js';
import type { DossierId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import type { LocalStore } from '../store/local-store.js';
import type { RelayConnection } from '../sync/relay-connection.js';
import type { ClientChange, ClientOptions, Me, PersonProfile, SyncState } from './api.js';
import type { DossierState } from './dossier-state.js';
import type { Identity } from './identity.js';
import { MARKER_INTERVAL_MS } from './client-seen.js';
import { GAP_RETRY_MS } from './client-gaps.js';
import { Session } from './state/session.js';
import { ClientRelay } from './state/client-relay.js';
import { Directory } from './state/directory.js';
import { DossierRegistry } from './state/dossier-registry.js';
import { AccessQueue } from './state/access-queue.js';
import { HeldRetentionPolicy } from './state/held-retention-policy.js';
import { KeyRenewalPace } from './state/key-renewal-pace.js';
import { IndexQueue } from './state/index-queue.js';
import { NotificationLog } from './state/notification-log.js';
import { PendingWrites } from './state/pending-writes.js';
import { RetentionCheckPace } from './state/retention-check-pace.js';
import { RoomSync } from './state/room-sync.js';
import { SyncDiagnostics } from './state/sync-diagnostics.js';
import { TlvRegisterAnswers } from './state/tlv-register-answers.js';

export const newId = (provider: CryptoProvider): string => toBase64Url(provider.randomBytes(12));

/** Background work must never become an unhandled rejection (e.g. the database closing under it). */

/** Starts the session of an identity (client-session.ts), handed to onboarding, which makes the identity. */
export type StartSession = (id: Identity, sessionKey: Uint8Array) => Promise<void>;

export class ClientCore {
  // The state a client holds, each part owned by one object that changes it only through its methods.
  /** Who is signed in, with which keys (and the encoded device certificate), and the lock state. */
  readonly session = new Session();
  /** When key renewal last posted its request, processed the register, and saw the waiting count. */
  readonly keyRenewalPace = new KeyRenewalPace();
  /** The sync engine, its connection, the relay list and the online choice. */
  readonly relay: ClientRelay;
  /** The member list, ended people, revoked devices and learnt device certificates. */
  readonly directory: Directory;
  /** The newest root-signed retention policy accepted, read beside the member list. */
  readonly retentionPolicy = new HeldRetentionPolicy();
  /** The followed dossiers and those purged this session. */
  readonly dossiers = new DossierRegistry();
  /** Own access changes in flight: removals, intents, retries, view rebuilds. */
  readonly accessQueue = new AccessQueue();
  /** Per room the last known snapshot and too-early refusals, and when dossiers were last discovered. */
  readonly roomSync = new RoomSync();
  /** Local changes handed to the engine whose sealing `settle()` still has to await. */
  readonly pendingWrites = new PendingWrites();
  /** Dossiers whose sealed index rows are stale, written shortly after a change. */
  readonly indexQueue: IndexQueue;
  /** The user's last sync warning, the quarantine count and where the last tick() is. */
  readonly diagnostics = new SyncDiagnostics();
  /** Content-free notifications received this session, newest last, for the UI and tests. */
  readonly notifications = new NotificationLog();
  /** When the tick last checked each dossier's retention date. */
  readonly retentionCheckPace = new RetentionCheckPace();
  /** The TLV register's answers this client got (they never change). */
  readonly tlvRegisterAnswers = new TlvRegisterAnswers();

  readonly provider: CryptoProvider;
  readonly now: () => Date;
  /** How often an open dossier's rooms get a seen marker at most (client-seen.ts); tests shorten it. */
  readonly seenMarkerIntervalMs: number;
  /** First wait before a Yjs gap is fetched again, doubled per retry (client-gaps.ts, R120); tests shorten it. */
  readonly gapRetryMs: number;
  readonly #listeners = new Set<(c: ClientChange) => void>();
  /** Beheer state changes one at a time (tick, Beheer screen, approvals): each loads, changes and saves it whole. */
  private beheerChain: Promise<unknown> = Promise.resolve();
  /** Work nobody awaits (relay events, timers, notifications): `idle()` waits for it before the database closes. */
  private readonly work = new BackgroundWork();

  /** Runs `fn` after every earlier beheer-state change has finished, so none overwrites another's save. */
  serialBeheer<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.beheerChain.then(fn, fn);
    this.beheerChain = run.catch(() => undefined);
    return run;
  }

  constructor(
    readonly opts: ClientOptions & { readonly kdf?: Argon2idParams },
    readonly store: LocalStore,
    /** Writes the sealed index (client-index.ts); passed in so that this module imports none of the concept modules. */
    private readonly indexFlush: (core: ClientCore) => Promise<void>,
  ) {
    this.provider = opts.provider;
    this.now = opts.now ?? (() => new Date());
    this.seenMarkerIntervalMs = opts.seenMarkerIntervalMs ?? MARKER_INTERVAL_MS;
    this.gapRetryMs = opts.gapRetryMs ?? GAP_RETRY_MS;
    this.directory = new Directory(this.now);
    this.relay = new ClientRelay(opts.relayUrl, opts.provider, opts.webSocket);
    this.indexQueue = new IndexQueue(() => this.background(this.indexFlush(this)));
  }

  /** The signed-in identity (read-only; `session` changes it). */
  get id(): Identity | null {
    return this.session.id;
  }

  me(): Me | null {
    const id = this.id;
    if (!id) return null;
    return {
      userId: id.userId,
      deviceId: id.deviceId,
      swvId: id.swvId,
      organisationId: id.organisationId,
      roles: id.roles,
      profile: this.profileOf(id),
      basissleutel: id.beheert,
    };
  }

  profileOf(id: Identity): PersonProfile {
    const p = id.chain.profile;
    return {
      voornaam: p?.voornaam ?? '',
      achternaam: p?.achternaam ?? '',
      functie: p?.functie ?? '',
      organisatieNaam: id.chain.organisation.body.naam,
      email: id.email,
    };
  }

  requireId(): Result<Identity> {
    return this.session.requireId();
  }

  /** A short mailbox connection, logged in while unlocked (see ClientRelay.mailboxConnection). */
  mailboxConnection(): Promise<Result<RelayConnection>> {
    return this.relay.mailboxConnection(this.id);
  }

  anonymous(): Promise<Result<RelayConnection>> {
    return this.relay.anonymous();
  }

  dossierState(id: DossierId): DossierState {
    return this.dossiers.ensure(id);
  }

  myAccess(st: DossierState, scope: Scope, at = this.now().getTime()): 'read' | 'write' | 'admin' | null {
    const id = this.id;
    if (!id || !st.access) return null;
    return effectiveRight(st.access, { userId: id.userId, organisationId: id.organisationId, roles: id.roles }, scope, at);
  }

  /** Still a member: an active grant other than one's own notities (those alone do not keep a dossier). */
  hasAnyAccess(st: DossierState): boolean {
    const id = this.id;
    if (!id || !st.access) return false;
    const at = this.now().getTime();
    const subject = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
    return st.access.grants.some(
      (g) =>
        g.scope !== `notities:${id.userId}` &&
        (g.expiresAt === null || g.expiresAt > at) &&
        principalMatches(g.principal, subject, st.access?.swv ?? ''),
    );
  }

  doc(dossierId: DossierId, scope: Scope): Result<{ st: DossierState; doc: Y.Doc }> {
    const st = this.dossiers.get(dossierId);
    const d = st?.docs.get(scope);
    if (!st || !d) return fail('niet-beschikbaar', 'Dit onderdeel van het dossier is voor u niet beschikbaar.');
    return ok({ st, doc: d.doc });
  }

  /** Content-free notification, sent once the records it is about are acknowledged (the relay checks membership). */
  notifyLater(kind: 'status' | 'mention' | 'overlegronde', room: string, users: readonly string[]): void {
    const list = [...new Set(users)].filter((u) => u !== this.id?.userId).slice(0, 50);
    if (list.length === 0 || !this.relay.engine) return;
    const engine = this.relay.engine;
    this.background(
      (async () => {
        // Dropping the notification when one flush times out left other users unaware of new work
        // (they learn of a new dossier only through it): keep re-sending the outbox and try again.
        for (let attempt = 0; attempt < 8; attempt++) {
          if (this.relay.engine !== engine) return;
          await engine.pump();
          const flushed = await engine.flush(15_000);
          if (!flushed.ok || !this.relay.conn?.ready) continue;
          const sent = await this.relay.conn.notify(kind, room, list);
          if (sent.ok) return;
          // Refused for load (notifyPerMinute): wait for the bucket to refill instead of dropping it.
          if (sent.error.code === 'limiet-overschreden') await new Promise((r) => setTimeout(r, 2_000 * 2 ** Math.min(attempt, 4)));
          else if (sent.error.code !== 'geen-verbinding') return;
        }
      })(),
    );
  }

  /**
   * Runs `task` without anyone awaiting it, and `idle()` waits for it. A failure is dropped, never an
   * unhandled rejection: each of these tasks reports what matters itself (sync state, quarantine, retries).
   */
  background(task: Promise<unknown> | undefined): void {
    this.work.add(task);
  }

  /** Resolves once no background work is running, including work started by work that finished meanwhile. */
  idle(): Promise<void> {
    return this.work.idle();
  }

  /** Waits until every local change made so far is sealed in the outbox; reports the first failure. */
  async settle(): Promise<Result<void>> {
    const results = await Promise.all(this.pendingWrites.takeAll());
    await this.relay.engine?.settled();
    return results.find((r) => !r.ok) ?? ok(undefined);
  }

  syncState(): SyncState {
    return {
      connected: this.relay.engine?.connected ?? false,
      pending: this.relay.engine?.pending ?? 0,
      quarantined: this.diagnostics.quarantined,
      // A room whose document misses updates is not current either, however far its cursor is [R120].
      behind: (this.relay.engine?.behind ?? 0) + [...this.dossiers.values()].reduce((n, st) => n + st.trust.yjsGaps.size, 0),
      lastError: this.diagnostics.lastError ?? this.relay.engine?.lastError ?? null,
    };
  }

  /** Calls `listener` with every change until the returned function is called. */
  listen(listener: (c: ClientChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(change: ClientChange): void {
    for (const l of this.#listeners) {
      try {
        l(change);
      } catch {
        // A listener's bug must not break syncing.
      }
    }
  }

  /** The dossier's index rows are stale; written shortly while signed in (see IndexQueue). */
  markDirty(d: DossierId): void {
    this.indexQueue.markDirty(d, this.id !== null);
  }
}
