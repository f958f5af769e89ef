// Sets up the Kindkluis side of the relay benchmark the way production does:
// an SWV root (given to the relay as a static root), a school, N people with
// the intern-begeleider role, each with a certified device; a dossier whose
// genesis ACL record (appended by its creator through the real client
// connection) gives the school's IB role write access to the `leerling` room.
// Every benchmark client is one of those devices.
import { webcrypto } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import type { CryptoProvider } from '../../core/crypto/provider.js';
import { deviceIdFromPublicKey } from '../../core/crypto/device-id.js';
import { encodeEnvelope, sealEnvelope } from '../../core/crypto/envelope.js';
import { toBase64Url } from '../../core/crypto/bytes.js';
import { asId, type DossierId, type OrganisationId, type SwvId, type UserId } from '../../core/model/ids.js';
import {
  createUserIdentity,
  issueDeviceCertificate,
  issueOrganisationCertificate,
  issueUserCertificate,
  type UserIdentity,
} from '../../core/access/certificate.js';
import { encodeDeviceChain, type DeviceChain } from '../../core/access/device-chain.js';
import { buildAccessRecord } from '../../core/access/build-record.js';
import { genesisGrants } from '../../core/access/genesis.js';
import { roomOf } from '../../core/access/rooms.js';
import type { Role } from '../../core/model/role.js';
import { encodeClientMessage } from '../../core/sync/protocol-codec.js';
import { connectDevice, type KindkluisClientIdentity, type KindkluisExtra } from '../load/kindkluis-client.js';
import { startServer, type RunningServer } from '../servers/spawn.js';
import { createTestDatabase, startPgCluster, type PgCluster } from '../../test/relay/pg-cluster.js';

const SWV = asId<SwvId>('swv-bench');
export const SCHOOL = asId<OrganisationId>('brin-bench');
const DAY = 24 * 3600_000;

export interface Person {
  readonly identity: UserIdentity;
  readonly chain: DeviceChain;
  readonly client: KindkluisClientIdentity;
}

export interface World {
  readonly provider: CryptoProvider;
  readonly root: { publicKey: Uint8Array; secretKey: Uint8Array };
  readonly people: Person[];
}

let world: World | undefined;

/** The bench run's SWV root (one per process) and the people made so far. */
export async function benchWorld(): Promise<World> {
  if (!world) {
    const provider = await createWebCryptoProvider(webcrypto.subtle as unknown as SubtleCrypto);
    world = { provider, root: await provider.ed25519KeyPair(), people: [] };
  }
  return world;
}

/** The bench school's organisation certificate, signed by the root. */
export function schoolCertificate(w: Omit<World, 'people'>): ReturnType<typeof issueOrganisationCertificate> {
  const now = Date.now();
  return issueOrganisationCertificate(w.provider, w.root.secretKey, {
    swv: SWV,
    organisation: SCHOOL,
    naam: 'OBS Bench',
    soort: 'school',
    validFrom: new Date(now - DAY),
    validUntil: new Date(now + 30 * DAY),
  });
}

/** The relay's `--root` argument for the bench SWV. */
export const rootArgument = (w: Omit<World, 'people'>): string => `${SWV}=${toBase64Url(w.root.publicKey)}`;

/** Person `i` of the bench school with one certified device (also used by the relay-swv suite). */
export async function makePerson(
  w: Omit<World, 'people'>,
  org: Awaited<ReturnType<typeof issueOrganisationCertificate>>,
  i: number,
  roles: readonly Role[] = ['intern-begeleider'],
): Promise<Person> {
  const p = w.provider;
  const now = Date.now();
  const validity = { validFrom: new Date(now - DAY), validUntil: new Date(now + 30 * DAY) };
  const identity = await createUserIdentity(p, asId<UserId>(`u-bench-${i}`));
  const { certificate } = await issueUserCertificate(p, w.root.secretKey, {
    swv: SWV,
    user: identity.user,
    organisation: SCHOOL,
    roles: [...roles],
    signingKey: identity.signing.publicKey,
    agreementKey: identity.agreement.publicKey,
    profile: { voornaam: 'Bench', achternaam: `Gebruiker ${i}`, functie: 'intern-begeleider', organisatie: 'OBS Bench' },
    ...validity,
  });
  const device = identity.signing;
  const deviceCert = await issueDeviceCertificate(p, identity, validity);
  const chain: DeviceChain = { organisation: org, user: certificate, device: deviceCert };
  return {
    identity,
    chain,
    client: { deviceId: deviceIdFromPublicKey(device.publicKey), chainBytes: encodeDeviceChain(chain), deviceSecretKey: device.secretKey },
  };
}

/** People 0…n−1 (person 0 creates the dossiers); made once and reused across client counts. */
async function people(n: number): Promise<World> {
  const w = await benchWorld();
  const org = await schoolCertificate(w);
  while (w.people.length < n) w.people.push(await makePerson(w, org, w.people.length));
  return w;
}

let dossierCounter = 0;

/** Creates a fresh dossier on the running relay (genesis through the real client) and returns the workers' setup. */
async function prepare(
  n: number,
  server: RunningServer,
  senders: readonly number[],
): Promise<{ extra: KindkluisExtra; payloadBytes: number; url: string }> {
  const w = await people(n);
  // Several relays on one database (P27): the clients are split across them (P28 list).
  const url = (server.ports ?? [server.port]).map((p) => `ws://127.0.0.1:${p}`).join(', ');
  const creator = w.people[0];
  if (!creator) throw new Error('no people');
  const dossier = asId<DossierId>(`dos-bench-${process.pid}-${++dossierCounter}`);
  const built = await buildAccessRecord(w.provider, undefined, {
    type: 'genesis',
    dossier,
    signer: { chain: creator.chain, deviceSecretKey: creator.client.deviceSecretKey },
    at: new Date(),
    counter: 1,
    change: { grants: genesisGrants(SCHOOL, creator.identity.user, ['leerling']), reason: 'Benchmark' },
    keyring: new Map(),
  });
  if (!built.ok) throw new Error(`genesis: ${built.error.code} ${built.error.message}`);
  const epochs = built.value.keyring.get('leerling');
  const epoch = epochs ? Math.max(...epochs.keys()) : undefined;
  const epochKey = epoch === undefined ? undefined : epochs?.get(epoch);
  if (epoch === undefined || !epochKey) throw new Error('genesis gave no key for the leerling room');
  // The creator appends the genesis record and waits for the durable ack.
  let acked: (ok: boolean, why: string) => void = () => undefined;
  const ack = new Promise<{ ok: boolean; why: string }>((resolve) => {
    acked = (ok, why) => resolve({ ok, why });
  });
  const conn = await connectDevice(`ws://127.0.0.1:${server.port}`, w.provider, creator.client, {
    onAck: () => acked(true, ''),
    onRefused: (_ref, code, message) => acked(false, `${code}: ${message}`),
  });
  conn.append(1, roomOf(dossier, 'toegang'), encodeEnvelope(built.value.envelope));
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    ack,
    new Promise<{ ok: false; why: string }>((r) => (timer = setTimeout(() => r({ ok: false, why: 'no ack within 20 s' }), 20_000))),
  ]);
  clearTimeout(timer);
  conn.close();
  if (!result.ok) throw new Error(`relay refused the genesis record: ${result.why}`);
  const room = roomOf(dossier, 'leerling');
  const extra: KindkluisExtra = { room, epoch, epochKey, clients: w.people.slice(0, n).map((p) => p.client), senders };
  return { extra, payloadBytes: await appendFrameBytes(w, extra), url };
}

/** Size of one append frame of a 16-character typing update, for the bare baseline. */
export async function appendFrameBytes(w: Omit<World, 'people'>, extra: KindkluisExtra): Promise<number> {
  const me = extra.clients[0];
  if (!me) throw new Error('no clients');
  const env = await sealEnvelope(w.provider, {
    header: { v: 1, kind: 'update', room: extra.room, epoch: extra.epoch, author: me.deviceId, counter: 1, alg: 'aes256gcm' },
    key: extra.epochKey,
    plaintext: new Uint8Array(40),
    signingSecretKey: me.deviceSecretKey,
  });
  return encodeClientMessage({ type: 'append', ref: 1, room: extra.room, envelope: encodeEnvelope(env) as Uint8Array<ArrayBuffer> }).length;
}

let cluster: Promise<PgCluster> | undefined;

/** One throwaway PostgreSQL for the whole bench run (the helper the tests use), stopped when the process exits. */
function pgCluster(): Promise<PgCluster> {
  if (cluster === undefined) {
    cluster = startPgCluster();
    void cluster.then((c) => process.once('exit', () => void c.stop()));
  }
  return cluster;
}

/** `count` relay processes on one fresh database; the result names the first port and every port. */
async function postgresRelays(count: number, common: readonly string[]): Promise<RunningServer> {
  const db = await createTestDatabase((await pgCluster()).url);
  const servers: RunningServer[] = [];
  for (let i = 0; i < count; i++)
    servers.push(await startServer('kindkluis-relay', { args: ['--storage', 'postgres', '--pg-url', db.url, ...common] }));
  const first = servers[0];
  if (first === undefined) throw new Error('no relay');
  return {
    port: first.port,
    ports: servers.map((s) => s.port),
    info: `${count} × ${first.info}`,
    async cpuMicros() {
      let total = 0;
      for (const s of servers) total += await s.cpuMicros();
      return total;
    },
    async rssBytes() {
      let total = 0;
      for (const s of servers) total += await s.rssBytes();
      return total;
    },
    async stop() {
      for (const s of servers) await s.stop();
      await db.drop();
    },
  };
}

export async function kindkluisSpecs(): Promise<{
  specs: {
    key: string;
    label: string;
    system: 'kindkluis';
    maxAppendsPerPhase: number;
    start: (dir: string) => Promise<RunningServer>;
    prepare: typeof prepare;
  }[];
  appendFrameBytes: number;
}> {
  const w = await people(1);
  const me = w.people[0]!.client;
  const probe: KindkluisExtra = {
    room: roomOf(asId<DossierId>(`dos-bench-${process.pid}-1`), 'leerling'),
    epoch: 1,
    epochKey: w.provider.randomBytes(32),
    clients: [me],
    senders: [],
  };
  const root = rootArgument(w);
  // The per-connection rate limit (200 records/s, a guard against a runaway client) is raised so it does not cap the measurement.
  const common = ['--root', root, '--records-per-second', '1000000'];
  return {
    specs: [
      {
        key: 'kindkluis-durable',
        label: 'Kindkluis relay (lmdb, fsync)',
        system: 'kindkluis',
        maxAppendsPerPhase: 400,
        start: (dir) => {
          const path = join(dir, 'relay-lmdb');
          mkdirSync(path, { recursive: true });
          return startServer('kindkluis-relay', { args: ['--storage', 'lmdb', '--dir', path, ...common] });
        },
        prepare,
      },
      {
        key: 'kindkluis-postgres',
        label: 'Kindkluis relay (PostgreSQL)',
        system: 'kindkluis',
        maxAppendsPerPhase: 400,
        start: () => postgresRelays(1, common),
        prepare,
      },
      {
        key: 'kindkluis-postgres-2',
        label: 'Kindkluis 2 relays (PostgreSQL, clients split)',
        system: 'kindkluis',
        maxAppendsPerPhase: 400,
        start: () => postgresRelays(2, common),
        prepare,
      },
      {
        key: 'kindkluis-memory',
        label: 'Kindkluis relay (memory)',
        system: 'kindkluis',
        maxAppendsPerPhase: 400,
        start: () => startServer('kindkluis-relay', { args: ['--storage', 'memory', ...common] }),
        prepare,
      },
    ],
    appendFrameBytes: await appendFrameBytes(w, probe),
  };
}
