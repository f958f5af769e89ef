// Issue 19 goal 5, relay part: one SWV's worth of devices on one relay. 5,000
// devices across 2,000 dossiers, each device logged in with its own certified
// chain, watching its dossier's rooms (P45) and live-subscribed to the dossier
// it has open. Measured: connect time, RSS and CPU at idle, and with 1 % of the
// devices typing (2 edits/s, 20-character Y.Text inserts, pre-sealed) CPU per
// delivery and append→delivery latency to the other devices in the room, all
// against the bare ws broadcast holding the same 5,000 connections in the same
// rooms, interleaved. The relay runs with the shipped defaults (`npm run relay`
// without options): no limit is raised.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildAccessRecord } from '../../core/access/build-record.js';
import type { GrantSpec } from '../../core/access/acl-record.js';
import { genesisGrants } from '../../core/access/genesis.js';
import { roomOf } from '../../core/access/rooms.js';
import { encodeEnvelope } from '../../core/crypto/envelope.js';
import { asId, type DossierId } from '../../core/model/ids.js';
import { parseConfig } from '../../sync-server/config.js';
import type { BenchContext } from '../harness.js';
import { formatNumber } from '../harness.js';
import { connectDevice, type ClientFollows, type KindkluisExtra } from '../load/kindkluis-client.js';
import { LoadPool, type PhaseResult } from '../load/pool.js';
import type { BareExtra } from '../load/systems.js';
import type { SystemName } from '../load/messages.js';
import { startServer, type RunningServer } from '../servers/spawn.js';
import { percentile } from '../stats.js';
import type { Suite } from '../suite.js';
import { diskFloorRound, recordDiskFloor } from './relay.js';
import {
  SCHOOL,
  appendFrameBytes,
  benchWorld,
  makePerson,
  rootArgument,
  schoolCertificate,
  type Person,
  type World,
} from './relay-kindkluis.js';

const DEVICES = 5_000;
const DOSSIERS = 2_000;
const TYPING_SHARE = 0.01;
const EDITS_PER_SECOND = 2;
const CHARS_PER_EDIT = 20;
/** Load worker threads per system: 1,250 sockets each, so no single load thread is the bottleneck. */
const WORKERS = 4;
/** Devices per source address: under the shipped 256 connections per address, like schools behind their own NAT. */
const DEVICES_PER_ADDRESS = 250;
/** Connections the coordinator opens to append the 2,000 genesis records (the shipped `connectionsPerIdentity` is 8). */
const COORDINATOR_CONNECTIONS = 8;

interface Samples {
  idleCpu: number[];
  idleRss: number[];
  p50: number[];
  p99: number[];
  ackP50: number[];
  ackP99: number[];
  cpu: number[];
  rss: number[];
  delivered: number[];
  incomplete: number;
  refused: Record<string, number>;
}

interface System {
  readonly key: 'bare' | 'kindkluis';
  readonly label: string;
  readonly server: RunningServer;
  readonly pool: LoadPool;
  readonly connectMs: number;
}

/** Device i has dossier i mod 2,000 open: 1,000 dossiers with 3 devices and 1,000 with 2 (2.5 on average). */
const dossierOf = (device: number): number => device % DOSSIERS;
const dossierId = (d: number): DossierId => asId<DossierId>(`dos-swv-${d}`);

export const relaySwvSuite: Suite = {
  name: 'relay-swv',
  title: '5. One SWV on one relay: 5,000 devices across 2,000 dossiers (idle and 1 % typing, 127.0.0.1)',
  async run(ctx) {
    const repeats = ctx.pick(1, 2, 3);
    const seconds = ctx.pick(5, 10, 10);
    const shipped = parseConfig([]);
    if (!shipped.ok) throw new Error(`relay defaults: ${shipped.error.message}`);
    const perIp = shipped.value.connectionsPerIp;
    const typists = Math.round(DEVICES * TYPING_SHARE);
    // 101 is coprime to 2,000, so the 50 typists sit in 50 different dossiers.
    const senders = Array.from({ length: typists }, (_, k) => k * 101);
    const perRun = EDITS_PER_SECOND * seconds;
    const warmup = 2;
    const stride = warmup + repeats * perRun + 8;
    const roomIndex = Array.from({ length: DEVICES }, (_, i) => dossierOf(i));

    ctx.note(
      `${DEVICES} devices, ${DOSSIERS} dossiers (device i has dossier i mod ${DOSSIERS} open: 2.5 devices a dossier). Each device has its own user and device certificate under the SWV root ` +
        'and is granted `leerling` write on its dossier alone (per-user grants in the genesis record, key boxed to each member); it logs in (hello → challenge → auth), ' +
        "watches its dossier's `toegang` and `leerling` rooms (P45) and subscribes live to `leerling`, as the extension does for the dossier on screen. " +
        `The relay (lmdb, fsync before ack) runs with the shipped defaults of \`npm run relay\`: ${perIp} connections per address, ${shipped.value.preAuthFramesPerIpPerMinute} pre-auth frames per address per minute, ` +
        `${shipped.value.limits.recordsPerSecond} records/s and ${shipped.value.limits.connectionsPerIdentity} connections per device; none is raised. ` +
        `Devices connect from 127.0.0.2 upwards, ${DEVICES_PER_ADDRESS} per address (${Math.ceil(DEVICES / DEVICES_PER_ADDRESS)} addresses), like schools behind their own NAT address: from one address the shipped ${perIp} connections per address would refuse the ${perIp + 1}th device (HTTP 429), and the ${shipped.value.preAuthFramesPerIpPerMinute} pre-auth frames per address per minute (2 per login: hello, auth) would admit about ${shipped.value.preAuthFramesPerIpPerMinute / 2} logins at once and then ${shipped.value.preAuthFramesPerIpPerMinute / 120} a second. ` +
        `Bare ws broadcast: the same ${DEVICES} connections, each in its open dossier's room (no watches: the bare server has no such thing). ` +
        `Clients are spread over ${WORKERS} load worker threads per system, both systems connected at once and measured interleaved, ${repeats} run(s) each. ` +
        `Idle: server CPU (user+system, % of one core) over ${seconds} s with every device connected and silent, then RSS. Typing: ${typists} devices (1 %) in ${typists} dossiers type ${EDITS_PER_SECOND} edits/s for ${seconds} s ` +
        `(${CHARS_PER_EDIT}-character Y.Text inserts sealed and signed before the run); latency is send() → each other device in that dossier's room; CPU per delivery is server CPU over the typing run ÷ deliveries (so it includes the idle cost of holding ${DEVICES} connections for that time).`,
    );

    const dir = mkdtempSync(join(tmpdir(), 'kk-bench-swv-'));
    const systems: System[] = [];
    try {
      const setupStart = performance.now();
      const world = await benchWorld();
      const devices = await makeDevices(world);
      const relayDir = join(dir, 'relay-lmdb');
      mkdirSync(relayDir, { recursive: true });
      const relay = await startServer('kindkluis-relay', {
        args: ['--storage', 'lmdb', '--dir', relayDir, '--root', rootArgument(world), '--connections-per-ip', String(perIp)],
      });
      let follows: ClientFollows[];
      try {
        follows = await createDossiers(world, devices, relay);
      } catch (error) {
        await relay.stop();
        throw error;
      }
      ctx.log(`${DEVICES} identities and ${DOSSIERS} dossiers ready in ${formatNumber((performance.now() - setupStart) / 1000)} s`);

      const kkExtra: KindkluisExtra = {
        room: follows[0]!.live,
        epoch: follows[0]!.epoch,
        epochKey: follows[0]!.epochKey,
        clients: devices.members.map((p) => p.client),
        senders,
        follows,
        clientsPerAddress: DEVICES_PER_ADDRESS,
      };
      // The bare broadcast forwards frames of a Kindkluis append's size.
      const frameBytes = await appendFrameBytes(world, kkExtra);
      ctx.note(`Bare broadcast frames are ${frameBytes} bytes, the size of a Kindkluis append frame.`);
      const kk = await connect(ctx, 'kindkluis', 'Kindkluis relay (lmdb, fsync, shipped limits)', relay, kkExtra, stride, frameBytes);
      systems.push(kk);
      const bare = await startServer('bare-broadcast');
      const bareExtra: BareExtra = { rooms: roomIndex.map((d) => `room/${d}`) };
      systems.unshift(await connect(ctx, 'bare', 'bare ws broadcast', bare, bareExtra, stride, frameBytes));

      for (const s of systems)
        await s.pool.phase({
          mode: 'latency',
          senders,
          appendsPerSender: warmup,
          durationMs: 0,
          window: 1,
          intervalMs: 1000 / EDITS_PER_SECOND,
          maxMs: 30_000,
          roomOf: roomIndex,
        });

      const samples = new Map<string, Samples>();
      const floorP50: number[] = [];
      const floorP99: number[] = [];
      for (let r = 0; r < repeats; r++) {
        for (const s of systems) {
          const m = samples.get(s.key) ?? {
            idleCpu: [],
            idleRss: [],
            p50: [],
            p99: [],
            ackP50: [],
            ackP99: [],
            cpu: [],
            rss: [],
            delivered: [],
            incomplete: 0,
            refused: {},
          };
          samples.set(s.key, m);
          if (s.key === 'kindkluis') {
            const floor = diskFloorRound();
            floorP50.push(floor.p50);
            floorP99.push(floor.p99);
          }
          const idle0 = await s.server.cpuMicros();
          const t0 = performance.now();
          await sleep(seconds * 1000);
          const idle1 = await s.server.cpuMicros();
          m.idleCpu.push(((idle1 - idle0) / ((performance.now() - t0) * 1000)) * 100);
          m.idleRss.push((await s.server.rssBytes()) / 1e6);
          const cpu0 = await s.server.cpuMicros();
          const l = await s.pool.phase({
            mode: 'latency',
            senders,
            appendsPerSender: perRun,
            durationMs: 0,
            window: 1,
            intervalMs: 1000 / EDITS_PER_SECOND,
            maxMs: seconds * 1000 + 20_000,
            roomOf: roomIndex,
          });
          const cpu1 = await s.server.cpuMicros();
          m.rss.push((await s.server.rssBytes()) / 1e6);
          if (l.timedOut) m.incomplete++;
          for (const [code, n] of Object.entries(l.refused)) m.refused[code] = (m.refused[code] ?? 0) + n;
          m.cpu.push(l.delivered > 0 ? (cpu1 - cpu0) / l.delivered : Number.NaN);
          m.delivered.push(l.expectedDeliveries > 0 ? l.delivered / l.expectedDeliveries : Number.NaN);
          if (l.latencies.length > 0) {
            const lat = Array.from(l.latencies);
            m.p50.push(percentile(lat, 50));
            m.p99.push(percentile(lat, 99));
          }
          if (l.ackLatencies.length > 0) {
            const ack = Array.from(l.ackLatencies);
            m.ackP50.push(percentile(ack, 50));
            m.ackP99.push(percentile(ack, 99));
          }
          logRun(ctx, s.label, l, m.idleCpu.at(-1) ?? Number.NaN, m.idleRss.at(-1) ?? Number.NaN, (cpu1 - cpu0) / Math.max(1, l.delivered));
        }
      }
      if (floorP50.length > 0) recordDiskFloor(ctx, 'swv', floorP50, floorP99);
      record(ctx, systems, samples, typists, seconds);
      swvGoals(ctx, systems.length === 2);
    } finally {
      for (const s of systems) {
        await s.pool.close().catch(() => undefined);
        await s.server.stop();
      }
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

interface Devices {
  readonly coordinator: Person;
  readonly members: Person[];
}

/** The coordinator who creates the dossiers, and the 5,000 devices (one user each), made in parallel batches. */
async function makeDevices(w: World): Promise<Devices> {
  const org = await schoolCertificate(w);
  // Ids from 100,000 up, apart from the relay suite's people (a separate relay, but one SWV root).
  const coordinator = await makePerson(w, org, 100_000, ['intern-begeleider']);
  const members: Person[] = [];
  for (let i = 0; i < DEVICES; i += 100) {
    const batch = Array.from({ length: Math.min(100, DEVICES - i) }, (_, k) => makePerson(w, org, 100_001 + i + k, ['bevoegd-gezag']));
    members.push(...(await Promise.all(batch)));
  }
  return { coordinator, members };
}

/**
 * One genesis record per dossier, signed by the coordinator: the coordinator administers `toegang`, each device's
 * user gets `leerling` write on its own dossier only, with the epoch key boxed to it. Appended through the real client
 * connection over the coordinator's connections and acknowledged after fsync.
 */
async function createDossiers(w: World, devices: Devices, relay: RunningServer): Promise<ClientFollows[]> {
  const byDossier: Person[][] = Array.from({ length: DOSSIERS }, () => []);
  devices.members.forEach((p, i) => byDossier[dossierOf(i)]!.push(p));
  const creator = devices.coordinator;
  const build = async (d: number): Promise<{ room: string; envelope: Uint8Array; epoch: number; epochKey: Uint8Array }> => {
    const members = byDossier[d] ?? [];
    // The creator and the school's IB/COO roles administer `toegang` (a genesis rule); the members (role bevoegd-gezag, which
    // holds no dossier by role) get `leerling` on this dossier only.
    const grants: GrantSpec[] = [
      ...genesisGrants(SCHOOL, creator.identity.user, []),
      ...members.map((m): GrantSpec => ({
        principal: { kind: 'user', userId: m.identity.user },
        scope: 'leerling',
        right: 'write',
        expiresAt: null,
      })),
    ];
    const built = await buildAccessRecord(w.provider, undefined, {
      type: 'genesis',
      dossier: dossierId(d),
      signer: { chain: creator.chain, deviceSecretKey: creator.client.deviceSecretKey },
      at: new Date(),
      counter: 1,
      change: { grants, recipients: members.map((m) => m.chain.user), reason: 'Benchmark' },
      keyring: new Map(),
    });
    if (!built.ok) throw new Error(`genesis of dossier ${d}: ${built.error.code} ${built.error.message}`);
    const epochs = built.value.keyring.get('leerling');
    const epoch = epochs ? Math.max(...epochs.keys()) : undefined;
    const epochKey = epoch === undefined ? undefined : epochs?.get(epoch);
    if (epoch === undefined || !epochKey) throw new Error(`genesis of dossier ${d} gave no leerling key`);
    return { room: roomOf(dossierId(d), 'toegang'), envelope: encodeEnvelope(built.value.envelope), epoch, epochKey };
  };
  // In batches, so WebCrypto's work overlaps on the libuv pool.
  const records: Awaited<ReturnType<typeof build>>[] = [];
  for (let d = 0; d < DOSSIERS; d += 50)
    records.push(...(await Promise.all(Array.from({ length: Math.min(50, DOSSIERS - d) }, (_, k) => build(d + k)))));
  // Each coordinator connection sends its share at once: 250 appends stay within the shipped burst (2 × records/s).
  const per = Math.ceil(DOSSIERS / COORDINATOR_CONNECTIONS);
  const url = `ws://127.0.0.1:${relay.port}`;
  await Promise.all(
    Array.from({ length: COORDINATOR_CONNECTIONS }, async (_, c) => {
      const mine = records.slice(c * per, (c + 1) * per);
      let answered = 0;
      const refused: string[] = [];
      let done: () => void = () => undefined;
      const all = new Promise<void>((resolve) => (done = resolve));
      const answer = (): void => {
        if (++answered === mine.length) done();
      };
      const conn = await connectDevice(url, w.provider, creator.client, {
        onAck: answer,
        onRefused: (_ref, code, message) => {
          refused.push(`${code}: ${message}`);
          answer();
        },
      });
      mine.forEach((r, i) => conn.append(i + 1, r.room, r.envelope));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 120_000)));
      await Promise.race([all, timeout]);
      clearTimeout(timer);
      conn.close();
      if (refused.length > 0) throw new Error(`relay refused ${refused.length} genesis records, first: ${refused[0]}`);
      if (answered < mine.length) throw new Error(`only ${answered} of ${mine.length} genesis records answered within 120 s`);
    }),
  );
  return Array.from({ length: DEVICES }, (_, i) => {
    const d = dossierOf(i);
    const k = records[d]!;
    return {
      live: roomOf(dossierId(d), 'leerling'),
      watch: [roomOf(dossierId(d), 'toegang'), roomOf(dossierId(d), 'leerling')],
      epoch: k.epoch,
      epochKey: k.epochKey,
    };
  });
}

async function connect(
  ctx: BenchContext,
  key: System['key'],
  label: string,
  server: RunningServer,
  extra: KindkluisExtra | BareExtra,
  stride: number,
  payloadBytes: number,
): Promise<System> {
  try {
    const { pool, connectMs } = await LoadPool.start({
      system: key satisfies SystemName,
      url: `ws://127.0.0.1:${server.port}`,
      clients: DEVICES,
      workers: WORKERS,
      stride,
      payloadBytes,
      extra,
      charsPerUpdate: CHARS_PER_EDIT,
      connectTimeoutMs: 600_000,
    });
    ctx.log(`${label}: ${DEVICES} devices connected in ${formatNumber(connectMs)} ms (${server.info})`);
    return { key, label, server, pool, connectMs };
  } catch (error) {
    await server.stop();
    throw new Error(`${label}: connecting ${DEVICES} devices failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const idOf = (key: string, m: string): string => `swv.${key}.d${DEVICES}.${m}`;

function record(ctx: BenchContext, systems: readonly System[], samples: Map<string, Samples>, typists: number, seconds: number): void {
  for (const s of systems) {
    const m = samples.get(s.key);
    if (!m) continue;
    const label = (what: string): string => `${s.label}, ${DEVICES} devices / ${DOSSIERS} dossiers: ${what}`;
    ctx.record({
      id: idOf(s.key, 'connect'),
      label: label('connect and log in all devices'),
      unit: 'ms',
      better: 'lower',
      samples: [s.connectMs],
      note:
        s.key === 'kindkluis'
          ? `once per run: ${WORKERS} load threads, 25 handshakes at a time each; per device hello → challenge → auth (chain of 3 certificates checked), watch 2 rooms, subscribe 1`
          : 'once per run: the WebSocket upgrade only',
    });
    ctx.record({
      id: idOf(s.key, 'idle-cpu'),
      label: label(`server CPU at idle (${seconds} s)`),
      unit: '% of a core',
      better: 'lower',
      samples: m.idleCpu,
    });
    ctx.record({ id: idOf(s.key, 'idle-rss'), label: label('server RSS at idle'), unit: 'MB', better: 'lower', samples: m.idleRss });
    const incomplete = m.incomplete > 0 ? ` ${m.incomplete} run(s) hit the time bound before every delivery arrived.` : '';
    const refused = Object.keys(m.refused).length > 0 ? ` Refused appends: ${JSON.stringify(m.refused)}.` : '';
    if (m.p50.length > 0) {
      ctx.record({
        id: idOf(s.key, 'p50'),
        label: label(`p50 append→delivery, ${typists} typing`),
        unit: 'ms',
        better: 'lower',
        samples: m.p50,
        note: `${typists} devices × ${EDITS_PER_SECOND} edits/s for ${seconds} s, each edit to the 1–2 other devices in its dossier.${incomplete}${refused}`,
      });
      ctx.record({
        id: idOf(s.key, 'p99'),
        label: label(`p99 append→delivery, ${typists} typing`),
        unit: 'ms',
        better: 'lower',
        samples: m.p99,
      });
    }
    if (m.ackP50.length > 0) {
      const what = s.key === 'kindkluis' ? 'ack (after fsync)' : 'own echo';
      ctx.record({ id: idOf(s.key, 'ack-p50'), label: label(`p50 send→${what}`), unit: 'ms', better: 'lower', samples: m.ackP50 });
      ctx.record({ id: idOf(s.key, 'ack-p99'), label: label(`p99 send→${what}`), unit: 'ms', better: 'lower', samples: m.ackP99 });
    }
    const cpuOk = m.cpu.filter((x) => Number.isFinite(x));
    if (cpuOk.length > 0)
      ctx.record({
        id: idOf(s.key, 'cpu'),
        label: label(`server CPU per delivery, ${typists} typing`),
        unit: 'µs',
        better: 'lower',
        samples: cpuOk,
      });
    ctx.record({ id: idOf(s.key, 'rss'), label: label(`server RSS after typing`), unit: 'MB', better: 'lower', samples: m.rss });
    const share = m.delivered.filter((x) => Number.isFinite(x));
    if (share.length > 0)
      ctx.record({
        id: idOf(s.key, 'delivered'),
        label: label('share of typing deliveries that arrived'),
        unit: 'fraction',
        better: 'higher',
        samples: share,
      });
  }
  for (const m of ['connect', 'idle-cpu', 'idle-rss', 'p50', 'p99', 'ack-p50', 'cpu', 'rss'])
    ctx.compare(idOf('kindkluis', m), idOf('bare', m));
  ctx.compare(idOf('kindkluis', 'ack-p50'), 'swv.disk.fsync-p50');
}

function logRun(ctx: BenchContext, label: string, l: PhaseResult, idleCpu: number, idleRss: number, cpuPerDelivery: number): void {
  const lat = Array.from(l.latencies);
  const p = (q: number): string => (lat.length > 0 ? formatNumber(percentile(lat, q)) : '?');
  ctx.log(
    `${label}: idle ${formatNumber(idleCpu)} % CPU, ${formatNumber(idleRss)} MB; typing ${l.delivered}/${l.expectedDeliveries} delivered${l.timedOut ? ' (TIMED OUT)' : ''}, ` +
      `p50 ${p(50)} ms, p99 ${p(99)} ms, ${formatNumber(cpuPerDelivery)} µs CPU/delivery` +
      (Object.keys(l.refused).length > 0 ? `; refused ${JSON.stringify(l.refused)}` : ''),
  );
}

/** Goal 5's relay part, from the paired ratios against the bare broadcast holding the same connections. */
function swvGoals(ctx: BenchContext, measured: boolean): void {
  const kk = (m: string) => ctx.row(idOf('kindkluis', m));
  const vs = (m: string) => kk(m)?.baselines.find((b) => b.id === idOf('bare', m))?.ratio;
  const fmt = (id: string): string => {
    const r = ctx.row(id);
    return r ? `${formatNumber(r.summary.median)} ${r.unit}` : '?';
  };
  const ratioText = (m: string): string => {
    const r = vs(m);
    return r ? `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})` : 'not measured';
  };
  const delivered = kk('delivered');
  const held = measured && delivered !== undefined && delivered.summary.min >= 1;
  ctx.goal({
    id: 'swv-holds',
    text: `The relay holds ${DEVICES} devices across ${DOSSIERS} dossiers with the shipped limits (every device logged in, watching and subscribed; every typing delivery arrives)`,
    measured: measured
      ? `all connected; idle ${fmt(idOf('kindkluis', 'idle-rss'))} RSS (${ratioText('idle-rss')} bare), ${fmt(idOf('kindkluis', 'idle-cpu'))} idle CPU (bare ${fmt(idOf('bare', 'idle-cpu'))}); deliveries arrived: ${delivered ? formatNumber(delivered.summary.min) : '?'}`
      : 'not measured',
    status: measured ? (held ? 'met' : 'missed') : 'not measured',
    ...(measured && !held
      ? { why: 'some typing deliveries did not arrive within the time bound (see the delivered row and the log)' }
      : {}),
  });
  const rssOf = (key: string): number | undefined => ctx.row(idOf(key, 'idle-rss'))?.summary.median;
  const kkRss = rssOf('kindkluis');
  const bareRss = rssOf('bare');
  const perDeviceKb = kkRss !== undefined && bareRss !== undefined ? formatNumber(((kkRss - bareRss) * 1000) / DEVICES) : '?';
  // The issue sets no ratio for this part; the thresholds are those of the typing goals (2× bare), chosen here.
  const checks = [
    {
      id: 'idle-rss',
      text: `${DEVICES} devices at idle: relay RSS ≤ 2× bare broadcast (threshold chosen here; the issue sets none)`,
      why: `about ${perDeviceKb} kB more per connected device than the bare server: a RelaySession per device (its authenticated chain, rate buckets, subscription and watch sets), the access state of ${DOSSIERS} dossiers, the lmdb map's touched pages and core's crypto and protocol code; bare keeps one ws socket per device. Relay ${fmt(idOf('kindkluis', 'idle-rss'))}, bare ${fmt(idOf('bare', 'idle-rss'))}`,
    },
    {
      id: 'cpu',
      text: `${DEVICES} devices, 1 % typing: relay CPU per delivery ≤ 2× bare broadcast`,
      why:
        `each append is decoded and validated, its Ed25519 signature verified, checked against the dossier's access list, committed to lmdb with fsync, then framed per live subscriber and announced as a head to every watcher (P45); with 1–2 receivers per append none of that is shared over many deliveries as in the one-room rows, and the figure also carries the relay's idle cost of ${DEVICES} sessions over the run. ` +
        'A CPU profile of the relay during a typing run (BENCH_CPU_PROF, quick mode, loaded machine) shows its main thread about 70 % idle; of the busy time ~27 % is WebCrypto Ed25519 verify (main-thread part), ~21 % socket writes (bare pays these too), ~13 % the per-subscriber pump, ~13 % the lmdb write path, ~10 % head notices to watchers, ~6 % GC. ' +
        `Bare ${fmt(idOf('bare', 'cpu'))}, relay ${fmt(idOf('kindkluis', 'cpu'))}`,
    },
    {
      id: 'p99',
      text: `${DEVICES} devices, 1 % typing: relay p99 append→delivery ≤ 2× bare broadcast`,
      why:
        `the relay delivers only after the append's lmdb commit is on disk, and its ack (sent at the same moment) takes as long as the delivery: ack p50/p99 ${fmt(idOf('kindkluis', 'ack-p50'))} / ${fmt(idOf('kindkluis', 'ack-p99'))} against delivery ${fmt(idOf('kindkluis', 'p50'))} / ${fmt(idOf('kindkluis', 'p99'))}, so the time goes before the commit completes, not in the fan-out. ` +
        `The disk floor (one write + fdatasync) is ${fmt('swv.disk.fsync-p50')} / ${fmt('swv.disk.fsync-p99')} on this shared disk; an lmdb commit syncs twice (data, then meta page), and an append that arrives during a commit waits for it. ` +
        `Each append also crosses threads several times (main → libuv pool for the Ed25519 check → main → lmdb's write thread → fsync → main), each a scheduling wait when the 2 CPUs are busy with other users' work (see the load line); bare forwards from memory on one thread. ` +
        `Bare p99 ${fmt(idOf('bare', 'p99'))}, relay ${fmt(idOf('kindkluis', 'p99'))}; at ${formatNumber(DEVICES * TYPING_SHARE * EDITS_PER_SECOND)} appends/s the relay's main thread is mostly idle (profile above), so holding ${DEVICES} devices is not what makes the tail. That last step is an explanation from the profile and the ack rows, not separately measured`,
    },
  ];
  for (const c of checks) {
    const r = vs(c.id);
    const met = r !== undefined && r.median <= 2;
    ctx.goal({
      id: `swv-${c.id}`,
      text: c.text,
      measured: ratioText(c.id),
      status: r ? (met ? 'met' : 'missed') : 'not measured',
      ...(r && !met ? { why: c.why } : {}),
    });
  }
}
