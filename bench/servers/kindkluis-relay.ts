// The Kindkluis relay under test, in its own process: the production room
// logic (sync-server/relay.ts) with the production access policy and the
// production storage (lmdb, fsync before every ack) or, for comparison, the
// in-memory storage, or PostgreSQL (several relays may share it; fan-out by
// LISTEN/NOTIFY). Arguments: --storage lmdb|memory|postgres --dir PATH
// --pg-url URL --root SWV=BASE64URL --records-per-second N --connections-per-ip N
// (without it no per-address cap, as before; `npm run relay` ships 256).
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS } from '../../core/sync/protocol.js';
import { fromBase64Url } from '../../core/crypto/bytes.js';
import { Relay } from '../../sync-server/relay.js';
import { startRelayServer } from '../../sync-server/ws-server.js';
import { createAccessPolicy } from '../../sync-server/access-policy.js';
import { relayCryptoProvider } from '../../sync-server/node-crypto.js';
import { LmdbStorage } from '../../sync-server/storage-lmdb.js';
import { MemoryStorage } from '../../sync-server/storage-memory.js';
import { PostgresStorage } from '../../sync-server/storage-postgres.js';
import { PostgresFanout } from '../../sync-server/fanout-postgres.js';
import { silentLogger } from '../../sync-server/log.js';
import { failOverIpc, serveOverIpc } from './ipc.js';

/** A free port on 127.0.0.1, so the relay's allowed origin can name it before it listens. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      storage: { type: 'string', default: 'lmdb' },
      dir: { type: 'string' },
      'pg-url': { type: 'string' },
      root: { type: 'string', multiple: true, default: [] },
      'records-per-second': { type: 'string' },
      'connections-per-ip': { type: 'string' },
    },
  });
  const roots = new Map<string, Uint8Array>();
  for (const spec of values.root) {
    const [id, key] = spec.split('=');
    const bytes = fromBase64Url(key ?? '');
    if (!id || !bytes.ok) throw new Error(`bad --root ${spec}`);
    roots.set(id, bytes.value);
  }
  if (values.storage === 'lmdb' && !values.dir) throw new Error('--dir is required for lmdb');
  const storage =
    values.storage === 'memory'
      ? new MemoryStorage()
      : values.storage === 'postgres'
        ? await PostgresStorage.open({ url: values['pg-url'] ?? '' })
        : new LmdbStorage({ path: values.dir ?? '' });
  const limits = { ...DEFAULT_LIMITS, ...(values['records-per-second'] ? { recordsPerSecond: Number(values['records-per-second']) } : {}) };
  const port = await freePort();
  const relay = await Relay.open({
    storage,
    policy: createAccessPolicy(relayCryptoProvider),
    limits,
    origins: [`ws://127.0.0.1:${port}`],
    allowSwvRegistration: false,
    staticRoots: roots,
    log: silentLogger,
  });
  const fanout = storage instanceof PostgresStorage ? await PostgresFanout.start(storage, relay, silentLogger) : undefined;
  const perIp = values['connections-per-ip'];
  const server = await startRelayServer(relay, '127.0.0.1', port, perIp === undefined ? {} : { connectionsPerIp: Number(perIp) });
  const info =
    values.storage === 'memory'
      ? 'in-memory storage'
      : values.storage === 'postgres'
        ? 'PostgreSQL storage (synchronous commit before ack)'
        : 'lmdb storage (fsync before ack)';
  serveOverIpc(server.port, `Kindkluis relay, ${info}`, async () => {
    await server.close();
    await fanout?.stop();
    await storage.close();
  });
}

main().catch(failOverIpc);
