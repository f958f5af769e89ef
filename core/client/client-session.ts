// The session of one client: unlocking (passphrase, recovery code, a page's session token),
// starting and stopping the sync engine, the root key for Beheer, going on- and offline, and
// closing. What was the facade's own state lives on the ClientCore like every other concept.
import { fromBase64Url, toBase64Url } from '../crypto/bytes.js';
import { accessListRoomOf } from '../access/rooms.js';
import { asId, type DossierId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import { locked } from './state/session.js';
import { SyncEngine } from '../sync/sync-engine.js';
import { RelayConnection } from '../sync/relay-connection.js';
import type { Me } from './api.js';
import type { ClientCore } from './client-core.js';
import {
  hasIdentity,
  loadIdentity,
  resetPassphrase as resetKeystorePassphrase,
  resumeIdentity,
  unlockRootSlot,
  type Identity,
} from './identity.js';
import { loadDirectoryCache, refreshDirectory } from './client-directory.js';
import { discoverDossiers } from './client-discovery.js';
import { processJoinRequests } from './client-onboarding.js';
import { onLockedOut } from './client-devices.js';
import { stopGapTimers } from './client-gaps.js';
import { onRefused, onRoomError, receive, reseal, writeKey } from './client-receive.js';
import { loadDossier, purge } from './client-rooms.js';
import { shredDue } from './client-retention.js';
import { receiveAwareness } from './client-presence.js';
import { onNotifications, pullNotifications } from './client-tick.js';
import { flushIndex } from './client-index.js';

const SESSIE_ONGELDIG = 'De sessie is verlopen; ontgrendel Kindkluis opnieuw.';

export async function unlock(c: ClientCore, passphrase: string): Promise<Result<Me>> {
  const id = await loadIdentity(c.provider, c.store, passphrase);
  if (!id.ok) return id;
  await startSession(c, id.value.identity, id.value.sessionKey);
  const me = c.me();
  return me ? ok(me) : fail('geen-identiteit', 'Geen account op dit apparaat.');
}

export function sessionToken(c: ClientCore): string | null {
  return c.session.sessionKey && c.id ? toBase64Url(c.session.sessionKey) : null;
}

export async function resumeSession(c: ClientCore, token: string): Promise<Result<Me>> {
  const key = fromBase64Url(token);
  if (!key.ok) return fail('sessie-ongeldig', SESSIE_ONGELDIG);
  const id = await resumeIdentity(c.provider, c.store, key.value);
  if (!id.ok) return id.error.code === 'geen-identiteit' ? id : fail('sessie-ongeldig', SESSIE_ONGELDIG);
  await startSession(c, id.value, key.value);
  const me = c.me();
  return me ? ok(me) : fail('geen-identiteit', 'Geen account op dit apparaat.');
}

export async function resetPassphrase(c: ClientCore, recoveryCode: string, newPassphrase: string): Promise<Result<Me>> {
  const reset = await resetKeystorePassphrase(c.provider, c.store, recoveryCode, newPassphrase, c.opts.kdf);
  if (!reset.ok) return reset;
  return unlock(c, newPassphrase);
}

export async function lock(c: ClientCore): Promise<void> {
  await flushIndex(c);
  stopSession(c);
  c.session.markLocked(await hasIdentity(c.store));
  c.emit({ kind: 'lock', state: c.session.state });
}

export async function close(c: ClientCore): Promise<void> {
  await flushIndex(c).catch(() => undefined);
  await c.settle().catch(() => undefined);
  await c.accessQueue.retriesSettled();
  const engine = c.relay.engine;
  stopSession(c);
  // Work already under way (a received batch, an ack, a resync, a notification) finishes its database
  // calls first: closing under it raised DatabaseClosedError. Nothing new starts once the engine stopped.
  await engine?.idle();
  await c.idle();
  c.store.close();
}

export function lockRoot(c: ClientCore): void {
  c.session.lockRoot();
}

export async function unlockRoot(c: ClientCore, rootPassphrase: string): Promise<Result<void>> {
  const id = c.id;
  if (!id) return locked();
  const root = await unlockRootSlot(c.provider, c.store, rootPassphrase, id.roots.get(id.swvId));
  if (!root.ok) return root;
  c.session.unlockRoot(root.value);
  return ok(undefined);
}

function stopSession(c: ClientCore): void {
  c.relay.detach();
  c.indexQueue.stopTimer();
  for (const st of c.dossiers.values()) {
    stopGapTimers(st);
    for (const d of st.docs.values()) d.destroy();
    st.awareness.destroy();
  }
  c.dossiers.clear();
  c.directory.forgetSession();
  c.session.end();
}

/** Starts syncing as `id`; also what onboarding calls once it made an identity (StartSession). */
export async function startSession(c: ClientCore, id: Identity, sessionKey: Uint8Array): Promise<void> {
  stopSession(c);
  c.session.begin(id, sessionKey);
  await loadDirectoryCache(c);
  // Every reconnect tries the next relay of the list, so a client whose relay went away moves on [P28].
  let attempt = 0;
  const engine = new SyncEngine({
    store: c.store,
    provider: c.provider,
    device: { id: id.deviceId, secretKey: id.device.secretKey },
    connect: (events) => {
      const conn = new RelayConnection(
        c.relay.addressAt(attempt++),
        c.opts.webSocket,
        { provider: c.provider, chainBytes: id.publicChainBytes, deviceSecretKey: id.device.secretKey },
        {
          ...events,
          onReady: (limits) => {
            events.onReady(limits);
            c.background(afterConnect(c));
          },
          onNotifications: (items) => c.background(onNotifications(c, items)),
        },
      );
      c.relay.connected(conn);
      return conn;
    },
    hooks: {
      writeKey: (room) => writeKey(c, room),
      receive: (room, records, snapshot) => receive(c, room, records, snapshot),
      awareness: (room, bytes) => c.background(receiveAwareness(c, room, bytes)),
      refused: (room, code, message, bytes) => onRefused(c, room, code, message, bytes),
      stateChanged: () => c.emit({ kind: 'sync', state: c.syncState() }),
      reseal: (room, bytes) => reseal(c, room, bytes),
      writeGate: (room) => accessListRoomOf(room),
      roomError: (room, code, _message, refusedSubscription) => c.background(onRoomError(c, room, code, refusedSubscription === true)),
      sessionRefused: (code) => c.background(onLockedOut(c, code)),
    },
    ...(c.opts.random === undefined ? {} : { random: c.opts.random }),
    now: c.now,
  });
  c.relay.attach(engine);
  // Every dossier with any row here, also one created offline that only lives in the outbox: fold the local log.
  const dossierIds = new Set(await c.store.dossierIds());
  for (const d of dossierIds) if (d !== '') await loadDossier(c, asId<DossierId>(d));
  // Access that ended while this device was closed: delete the dossier's ciphertext and keys now.
  for (const st of [...c.dossiers.values()]) if (st.confirmed && !c.hasAnyAccess(st)) await purge(c, st.id);
  // A deletion moment that passed while this device was closed: its records and keys go before anything connects [R82].
  await shredDue(c);
  await engine.start();
  if (!c.relay.online) engine.setOnline(false);
  c.emit({ kind: 'lock', state: c.session.state });
}

async function afterConnect(c: ClientCore): Promise<void> {
  await refreshDirectory(c);
  await pullNotifications(c);
  await discoverDossiers(c);
  if (c.id?.beheert) await c.serialBeheer(() => processJoinRequests(c));
}

export async function flush(c: ClientCore, timeoutMs = 10_000): Promise<Result<void>> {
  const s = await c.settle();
  if (!s.ok) return s;
  if (!c.relay.engine) return locked();
  await c.relay.engine.pump();
  return c.relay.engine.flush(timeoutMs);
}

export function setOnline(c: ClientCore, online: boolean): void {
  c.relay.setOnline(online);
}

export function setRelay(c: ClientCore, url: string): void {
  c.relay.setRelay(url);
}

/** Support view of the sync state: ids, counts and the step in progress; never content. */
export function diagnostics(c: ClientCore): Readonly<Record<string, unknown>> {
  return {
    ...(c.relay.engine?.diagnostics() ?? { engine: null }),
    submitsWaiting: c.pendingWrites.size,
    tickStep: c.diagnostics.tickStep,
    ik: c.id ? { user: c.id.userId, organisation: c.id.organisationId, roles: c.id.roles } : null,
    dossiers: c.dossiers.size,
    lock: c.session.state,
  };
}
