// Assembles the production relay: lmdb storage under `--data` (or PostgreSQL with `--store`), the real
// access checks of core/access, content-free notifications, the ws server and
// periodic garbage collection. Used by cli.ts and by the integration tests,
// so the tests run exactly what `npm run relay` runs.
import { openStorage } from './open-storage.js';
import { PostgresStorage } from './storage-postgres.js';
import { PostgresFanout } from './fanout-postgres.js';
import { RelayMetrics } from './metrics.js';
import { Relay } from './relay.js';
import { createAccessPolicy, type AccessDevice } from './access-policy.js';
import { createPreferredProvider } from '../core/crypto/preferred-provider.js';
import { Notifier } from './notifier.js';
import { startRelayServer, type RelayServer } from './ws-server.js';
import { jsonLogger, type Logger } from './log.js';
import type { RelayConfig } from './config.js';
import type { DossierAccess } from '../core/access/dossier-access.js';

export interface RunningRelay {
  readonly relay: Relay<AccessDevice, DossierAccess>;
  readonly server: RelayServer;
  readonly url: string;
  stop(): Promise<void>;
}

/** `now`: an injected clock (tests that step past a retention date); production uses the system clock. */
export async function startRelay(
  config: RelayConfig,
  baseLog: Logger = jsonLogger(),
  extra: { readonly now?: () => number } = {},
): Promise<RunningRelay> {
  const metrics = new RelayMetrics();
  const log = metrics.counting(baseLog);
  const opened = await openStorage(config);
  const storage = metrics.timing(opened);
  const notifier = new Notifier({
    storage,
    ...(config.smtpUrl === undefined ? {} : { smtpUrl: config.smtpUrl }),
    ...(config.mailFrom === undefined ? {} : { from: config.mailFrom }),
    digestMs: config.digestMs,
    log,
  });
  // Origins depend on the port, which is only known after listening with --port 0: resolved lazily.
  const origins: string[] = [...config.origins];
  // Native WebCrypto with cached keys: measured faster than node:crypto importing the key per call (test/relay/measure/verify-probe.ts).
  const provider = await createPreferredProvider();
  const relay = await Relay.open<AccessDevice, DossierAccess>({
    storage,
    policy: createAccessPolicy(provider),
    provider,
    limits: config.limits,
    origins,
    allowSwvRegistration: config.allowSwvRegistration,
    staticRoots: config.swvRoots,
    notifier,
    log,
    ...(extra.now === undefined ? {} : { now: extra.now }),
    retentionMs: config.retentionMs,
    ...(config.swvQuotaBytes === undefined ? {} : { swvQuotaBytes: config.swvQuotaBytes }),
    maxMailboxes: config.anonymousMailboxes,
    mailboxesPerSwv: config.mailboxesPerSwv,
    perIp: { preAuthFramesPerMinute: config.preAuthFramesPerIpPerMinute, anonymousWritesPerMinute: config.anonymousWritesPerIpPerMinute },
  });
  // Relays sharing one PostgreSQL deliver each other's appends [P27].
  const fanout = opened instanceof PostgresStorage ? await PostgresFanout.start(opened, relay, log) : undefined;
  metrics.sources = {
    connections: () => relay.connectionCount,
    queuedAppends: () => relay.committer.queued,
    appendedRecords: () => relay.committer.records,
    commits: () => relay.committer.commits,
    swvUsage: () => storage.listSwvUsage(),
  };
  const server = await startRelayServer(relay, config.host, config.port, {
    connectionsPerIp: config.connectionsPerIp,
    trustProxy: config.trustProxy,
    metrics,
    // Ready when the database answers (and, with several relays, this one still hears the others).
    ready: async () => (opened instanceof PostgresStorage ? (await opened.ping()) && fanout?.connected === true : true),
  });
  if (config.port === 0) for (let i = 0; i < origins.length; i++) origins[i] = (origins[i] ?? '').replace(/:0$/, `:${server.port}`);
  const gc = setInterval(() => void relay.collectGarbage().catch(() => log('error', 'gc-failed', {})), config.gcIntervalMs);
  gc.unref();
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  log('info', 'relay-started', { swvRegistration: config.allowSwvRegistration, email: notifier.emailEnabled });
  return {
    relay,
    server,
    url: `ws://${host}:${server.port}`,
    async stop() {
      clearInterval(gc);
      await server.close();
      await fanout?.stop();
      await storage.close();
      log('info', 'relay-stopped', {});
    },
  };
}

/** Maintenance mode: deletes dossiers whose retention has ended, by id (no content needed), then closes the store [P22]. */
export async function deleteDossiers(config: RelayConfig, log: Logger = jsonLogger()): Promise<void> {
  const storage = await openStorage(config);
  const provider = await createPreferredProvider();
  const relay = await Relay.open<AccessDevice, DossierAccess>({
    storage,
    provider,
    policy: createAccessPolicy(provider),
    limits: config.limits,
    origins: [],
    allowSwvRegistration: false,
    staticRoots: config.swvRoots,
    log,
  });
  for (const d of config.deleteDossiers) await relay.deleteDossier(d);
  await relay.shutdown();
  await storage.close();
  log('info', 'dossiers-deleted', { count: config.deleteDossiers.length });
}
