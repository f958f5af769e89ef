// Test harness: a real relay on 127.0.0.1 (the same assembly as `npm run relay`)
// and clients with their own fake-indexeddb database and a `ws` socket.
import { afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { parseConfig } from '../../sync-server/config.js';
import { startRelay, type RunningRelay } from '../../sync-server/main.js';
import { silentLogger } from '../../sync-server/log.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { createKindkluisClient } from '../../core/client/client.js';
import type { KindkluisClientImpl } from '../../core/client/client.js';
import type { WebSocketLike } from '../../core/sync/web-socket.js';
import type { CryptoProvider } from '../../core/crypto/provider.js';

export const FAST_KDF = { name: 'argon2id', m: 64, t: 1, p: 1 } as const;
export const PASS = 'correct paard batterij niet';
/** The SWV root key's own passphrase (R102): never the daily one. */
export const ROOT_PASS = 'kluis in de kluis van het swv';

export interface TestRelay {
  readonly url: string;
  readonly dataDir: string;
  readonly running: RunningRelay;
  stop(): Promise<void>;
}

export async function startTestRelay(dataDir?: string, extraArgs: readonly string[] = []): Promise<TestRelay> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'kk-relay-')));
  const cfg = parseConfig(['--port', '0', '--data', dir, '--allow-swv-registration', ...extraArgs]);
  if (!cfg.ok) throw new Error(cfg.error.message);
  const running = await startRelay(cfg.value, silentLogger);
  return {
    url: running.url,
    dataDir: dir,
    running,
    async stop() {
      await running.stop();
    },
  };
}

export const wsFactory = (url: string): WebSocketLike => new WebSocket(url) as unknown as WebSocketLike;

export interface TestClient {
  readonly client: KindkluisClientImpl;
  readonly factory: IDBFactory;
  readonly dbName: string;
}

export async function newClient(
  relayUrl: string,
  opts: {
    factory?: IDBFactory;
    dbName?: string;
    now?: () => Date;
    random?: () => number;
    provider?: CryptoProvider;
    seenMarkerIntervalMs?: number;
    gapRetryMs?: number;
  } = {},
): Promise<TestClient> {
  const factory = opts.factory ?? new IDBFactory();
  const dbName = opts.dbName ?? 'kindkluis';
  const client = (await createKindkluisClient({
    indexedDb: { indexedDB: factory, IDBKeyRange },
    dbName,
    provider: opts.provider ?? nobleProvider,
    webSocket: wsFactory,
    relayUrl,
    kdf: FAST_KDF,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    ...(opts.seenMarkerIntervalMs !== undefined ? { seenMarkerIntervalMs: opts.seenMarkerIntervalMs } : {}),
    ...(opts.gapRetryMs !== undefined ? { gapRetryMs: opts.gapRetryMs } : {}),
  })) as KindkluisClientImpl;
  return { client, factory, dbName };
}

/** A relay for this test file, started by the first call and stopped (its data removed) after all tests. */
export function useTestRelay(): () => Promise<TestRelay> {
  let relay: TestRelay | undefined;
  afterAll(async () => {
    await relay?.stop();
    if (relay) await removeDir(relay.dataDir);
  });
  return async () => (relay ??= await startTestRelay());
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Polls until `check` is true (sync is asynchronous); throws with `what` on timeout. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Niet bereikt binnen ${timeoutMs} ms: ${what}`);
}

export interface Member {
  readonly naam: string;
  readonly handle: string;
  readonly tc: TestClient;
  readonly userId: import('../../core/model/ids.js').UserId;
}

export interface WorldSpec {
  readonly naam: string;
  readonly functie: string;
  readonly organisation: { readonly naam: string; readonly kind: 'school' | 'swv' | 'zorgpartner' | 'voorschoolse-voorziening' | 'ouders' };
  readonly roles: readonly import('../../core/model/role.js').Role[];
  /** This member's clock (e.g. to step past an einddatum); defaults to the real one. */
  readonly now?: () => Date;
  /** How often this member's open dossiers send seen markers (R116); default one minute. */
  readonly seenMarkerIntervalMs?: number;
  /** This member's crypto provider (the bench uses the extension's WebCrypto one); default noble. */
  readonly provider?: CryptoProvider;
  /** First wait before this member fetches a room whose document misses updates again (R120); default 2 s. */
  readonly gapRetryMs?: number;
  /** End of this member's certificate (ISO); default one year (tests that step years ahead need longer). */
  readonly validUntil?: string;
}

/** An SWV with a beheerder and the given people, all joined through the mailbox handshake. */
export async function buildWorld(relayUrl: string, specs: readonly WorldSpec[]): Promise<{ beheerder: TestClient; members: Member[] }> {
  const beheerder = await newClient(relayUrl);
  const created = await beheerder.client.createSwv({
    swvNaam: 'SWV Simulatie',
    beheerder: { voornaam: 'Bea', achternaam: 'Beheer', functie: 'beheerder', organisatieNaam: 'SWV Simulatie', email: 'bea@swv.test' },
    passphrase: PASS,
    rootPassphrase: ROOT_PASS,
  });
  if (!created.ok) throw new Error(created.error.message);
  const members: Member[] = [];
  for (const s of specs) members.push(await joinMember(beheerder, relayUrl, s));
  // Ouders are listed to staff only: an ouder sees the staff and herself, not the other ouders [R103].
  const isOuder = (spec: WorldSpec) => spec.roles.length > 0 && spec.roles.every((r) => r === 'ouder');
  const ouders = specs.filter(isOuder).length;
  for (const [i, m] of members.entries()) {
    const spec = specs[i];
    const expected = spec && isOuder(spec) ? specs.length + 1 - ouders + 1 : specs.length + 1;
    await eventually(async () => {
      await m.tc.client.tick();
      return m.tc.client.directory().length === expected;
    }, `ledenlijst bij ${m.naam}`);
  }
  return { beheerder, members };
}

/** One person invited by the beheerder and joined through the mailbox handshake (also later, after dossiers exist). */
export async function joinMember(beheerder: TestClient, relayUrl: string, s: WorldSpec): Promise<Member> {
  const [voornaam, ...rest] = s.naam.split(' ');
  const inv = await beheerder.client.createInvitation({
    profile: {
      voornaam: voornaam ?? s.naam,
      achternaam: rest.join(' '),
      functie: s.functie,
      organisatieNaam: s.organisation.naam,
      email: `${(voornaam ?? 'x').toLowerCase()}@sim.test`,
    },
    organisation: s.organisation,
    roles: s.roles,
    ...(s.validUntil === undefined ? {} : { validUntil: s.validUntil }),
  });
  if (!inv.ok) throw new Error(inv.error.message);
  const tc = await newClient(relayUrl, {
    ...(s.now ? { now: s.now } : {}),
    ...(s.seenMarkerIntervalMs !== undefined ? { seenMarkerIntervalMs: s.seenMarkerIntervalMs } : {}),
    ...(s.gapRetryMs !== undefined ? { gapRetryMs: s.gapRetryMs } : {}),
    ...(s.provider ? { provider: s.provider } : {}),
  });
  let done: import('../../core/result.js').Result<import('../../core/client/api.js').Me> | null = null;
  // The invitee's screen shows the SAS; the beheerder approves with what the invitee reads back [R100].
  let sas: string | null = null;
  const joining = tc.client.joinWithInvitation(inv.value.code, PASS, undefined, (x) => (sas = x)).then((r) => (done = r));
  await approveWhenRead(
    beheerder,
    inv.value.userId,
    () => sas,
    () => done !== null,
    `aanmelding ${s.naam}`,
  );
  await joining;
  const r = done as import('../../core/result.js').Result<import('../../core/client/api.js').Me> | null;
  if (!r?.ok) throw new Error(`aanmelding ${s.naam}: ${r ? r.error.message : 'geen antwoord'}`);
  return { naam: s.naam, handle: `${s.naam.toLowerCase().replace(/ /g, '.')}`, tc, userId: r.value.userId };
}

/**
 * Another device of a member: the beheerder invites it, a fresh browser joins with the code and its own
 * keys, and the beheerder approves with the controlecode the new screen shows [R145, R148].
 */
export async function joinExtraDevice(
  beheerder: TestClient,
  relayUrl: string,
  userId: import('../../core/model/ids.js').UserId,
  passphrase = PASS,
): Promise<TestClient> {
  const inv = await beheerder.client.inviteDevice(userId);
  if (!inv.ok) throw new Error(inv.error.message);
  const tc = await newClient(relayUrl);
  let done: import('../../core/result.js').Result<import('../../core/client/api.js').Me> | null = null;
  let sas: string | null = null;
  const joining = tc.client.joinWithInvitation(inv.value.code, passphrase, undefined, (x) => (sas = x)).then((r) => (done = r));
  await approveWhenRead(
    beheerder,
    userId,
    () => sas,
    () => done !== null,
    'extra apparaat',
  );
  await joining;
  const r = done as import('../../core/result.js').Result<import('../../core/client/api.js').Me> | null;
  if (!r?.ok) throw new Error(`extra apparaat: ${r ? r.error.message : 'geen antwoord'}`);
  return tc;
}

/**
 * The beheerder's side of a join: process requests until the invitee's screen shows a SAS, then approve with
 * exactly what it shows (as if read back over the phone) [P80, R100]; the root must be unlocked.
 */
export async function approveWhenRead(
  beheerder: TestClient,
  userId: import('../../core/model/ids.js').UserId,
  sasOnJoinerScreen: () => string | null,
  finished: () => boolean,
  what: string,
  timeoutMs?: number,
): Promise<void> {
  let approved = false;
  await eventually(
    async () => {
      await beheerder.client.processJoinRequests();
      const sas = sasOnJoinerScreen();
      if (!approved && sas !== null) {
        const r = await beheerder.client.approveJoin(userId, sas);
        if (!r.ok) throw new Error(`goedkeuren: ${r.error.message}`);
        approved = true;
      }
      return finished();
    },
    what,
    timeoutMs,
  );
}
