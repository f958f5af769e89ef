// Which store the relay tests run against: lmdb under the test's data folder,
// or, in the `node-postgres` vitest project (KINDKLUIS_RELAY_STORE=postgres),
// a fresh PostgreSQL database per data folder, so a relay restarted on the same
// folder finds the same database again.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import pg from 'pg';
import { createTestDatabase } from './pg-cluster.js';

export const RELAY_STORE_ENV = 'KINDKLUIS_RELAY_STORE';
export const relayOnPostgres = (): boolean => process.env[RELAY_STORE_ENV] === 'postgres';

const databases = new Map<string, { url: string; drop: () => Promise<void> }>();
afterAll(async () => {
  for (const db of databases.values()) await db.drop();
  databases.clear();
});

/** The PostgreSQL database that stands for `data` (made on first use). */
export async function databaseFor(data: string): Promise<string> {
  let db = databases.get(data);
  if (db === undefined) databases.set(data, (db = await createTestDatabase(inject('pgUrl'))));
  return db.url;
}

/** Extra relay arguments for the store under test. */
export async function storeArgs(data: string): Promise<string[]> {
  return relayOnPostgres() ? ['--store', await databaseFor(data)] : [];
}

/** Every byte the relay stored for `data`: the lmdb files, or every row of every table. */
export async function storedBytes(data: string): Promise<Buffer> {
  if (!relayOnPostgres()) {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(data);
    return Buffer.concat(files.map((f) => readFileSync(f)));
  }
  const c = new pg.Client({ connectionString: await databaseFor(data) });
  await c.connect();
  try {
    const tables = await c.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    const parts: Buffer[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await c.query<Record<string, unknown>>(`SELECT * FROM "${table_name}"`);
      for (const row of rows.rows) for (const v of Object.values(row)) parts.push(Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8'));
    }
    return Buffer.concat(parts);
  } finally {
    await c.end();
  }
}
