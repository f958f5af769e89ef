// Runs the relay CLI as a child process (exactly `npm run relay`), so tests can
// kill it with SIGKILL or stop it with SIGTERM and start it again on the same data.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { toBase64Url } from '../../core/crypto/bytes.js';
import type { World } from '../access/fixtures.js';
import { storeArgs } from './relay-store.js';

export interface ChildRelay {
  readonly proc: ChildProcess;
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function spawnRelay(world: World, data: string, extra: readonly string[] = []): Promise<ChildRelay> {
  const args = [
    '--import',
    'tsx',
    'sync-server/cli.ts',
    '--port',
    '0',
    '--data',
    data,
    ...(await storeArgs(data)),
    '--swv-root',
    `${world.swv.id}:${toBase64Url(world.swv.root.publicKey)}`,
    ...extra,
  ];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('relay did not start')), 30_000);
    const lines = createInterface({ input: proc.stdout });
    lines.on('line', (line) => {
      try {
        const ev = JSON.parse(line) as { event?: string; url?: string };
        if (ev.event === 'ready' && ev.url !== undefined) {
          clearTimeout(timer);
          resolve(ev.url);
        }
      } catch {
        // not a log line
      }
    });
    void exited.then(() => reject(new Error('relay exited before it was ready')));
  });
  return { proc, url, exited };
}
