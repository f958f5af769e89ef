// A throwaway PostgreSQL cluster on 127.0.0.1 for the tests and the bench:
// initdb in a temp dir, pg_ctl start on a free port, stopped and removed
// afterwards. An existing KINDKLUIS_TEST_PG URL is used as is. Without the
// PostgreSQL binaries this fails loudly with the command that installs them:
// the Postgres tests are never skipped silently.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_ENV = 'KINDKLUIS_TEST_PG';
export const PG_HELP =
  'PostgreSQL ontbreekt: de relay-tests draaien ook tegen een echte PostgreSQL. Installeer de binaries met `sudo apt-get install -y postgresql` ' +
  `(initdb en pg_ctl onder /usr/lib/postgresql/<versie>/bin), of geef een bestaande database op met ${PG_ENV}=postgres://…`;

export interface PgCluster {
  /** Superuser URL of the cluster's `postgres` database. */
  readonly url: string;
  stop(): Promise<void>;
}

/** initdb/pg_ctl of the newest installed PostgreSQL, or undefined. */
export function findPgBin(): string | undefined {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv !== undefined && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** initdb refuses root: as uid 0 the cluster runs as the `postgres` user. */
function asPostgres(cmd: string, args: readonly string[]): { status: number | null; output: string } {
  const root = process.getuid?.() === 0;
  const r = root
    ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
    : spawnSync(cmd, args, { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}` };
}

export async function startPgCluster(): Promise<PgCluster> {
  const existing = process.env[PG_ENV];
  if (existing !== undefined && existing !== '') return { url: existing, stop: () => Promise.resolve() };
  const bin = findPgBin();
  if (bin === undefined) throw new Error(PG_HELP);
  const dir = mkdtempSync(join(tmpdir(), 'kk-pg-'));
  if (process.getuid?.() === 0) chownSync(dir, Number(asPostgresId('-u')), Number(asPostgresId('-g')));
  const data = join(dir, 'data');
  const init = asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  if (init.status !== 0) throw new Error(`initdb mislukte: ${init.output}`);
  const port = await freePort();
  const opts = `-k ${dir} -h 127.0.0.1 -p ${port} -c max_connections=200 -c shared_buffers=64MB`;
  const start = asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', '-t', '60', 'start']);
  if (start.status !== 0) throw new Error(`pg_ctl start mislukte: ${start.output}`);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

function asPostgresId(flag: '-u' | '-g'): string {
  return spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim();
}

/** A fresh, empty database in the cluster; `drop` removes it (closing its connections first). */
export async function createTestDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `kk_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
