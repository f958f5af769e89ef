// What only the PostgreSQL store has to prove beyond the shared conformance
// suite: migrations (once, concurrently, never down), large blobs in chunks,
// and announcements that leave only with a commit [P27].
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { APPEND_CHANNEL, BLOB_CHUNK_BYTES, PostgresStorage } from '../../sync-server/storage-postgres.js';
import { createTestDatabase } from './pg-cluster.js';

let db: { url: string; drop: () => Promise<void> };
beforeAll(async () => {
  db = await createTestDatabase(inject('pgUrl'));
});
afterAll(async () => {
  await db.drop();
});

describe('PostgreSQL storage [P27]', () => {
  it('migrates once, also when several relays start at the same moment, and refuses a newer schema', async () => {
    const stores = await Promise.all([1, 2, 3].map(() => PostgresStorage.open({ url: db.url })));
    const versions = await Promise.all(stores.map((s) => s.schemaVersion()));
    expect(new Set(versions).size).toBe(1);
    expect(versions[0]).toBeGreaterThanOrEqual(2);
    await Promise.all(stores.map((s) => s.close()));

    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query('UPDATE schema_version SET version = version + 1');
      await expect(PostgresStorage.open({ url: db.url })).rejects.toThrow(/nieuwer dan deze relay/);
      await admin.query('UPDATE schema_version SET version = version - 1');
    } finally {
      await admin.end();
    }
  });

  it('stores a 10 MB attachment in chunks and returns it byte-identical', async () => {
    const s = await PostgresStorage.open({ url: db.url });
    try {
      const data = new Uint8Array(10 * 1024 * 1024);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 256;
      const hash = new Uint8Array(32).fill(1);
      await s.putBlob('big/leerling', hash, data);
      const admin = await s.pool.query<{ n: string }>('SELECT count(*) AS n FROM blobs WHERE room = $1', ['big/leerling']);
      expect(Number(admin.rows[0]?.n)).toBe(Math.ceil(data.length / BLOB_CHUNK_BYTES));
      const back = await s.getBlob('big/leerling', hash);
      // Compared as buffers: a deep equality of ten million elements takes minutes.
      expect(back !== undefined && Buffer.from(back).equals(Buffer.from(data))).toBe(true);
      await s.putBlob('big/leerling', new Uint8Array(32).fill(2), new Uint8Array(0));
      expect(await s.getBlob('big/leerling', new Uint8Array(32).fill(2))).toEqual(new Uint8Array(0));
    } finally {
      await s.close();
    }
  });

  it('announces an append batch to listeners only when it has committed, with room and head only', async () => {
    const s = await PostgresStorage.open({ url: db.url });
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query(`LISTEN ${APPEND_CHANNEL}`);
    try {
      await s.appendBatch([
        { room: 'n/leerling', author: 'd', counter: 1, envelope: new Uint8Array([1]) },
        { room: 'n/leerling', author: 'd', counter: 2, envelope: new Uint8Array([2]) },
        { room: 'o/leerling', author: 'd', counter: 1, envelope: new Uint8Array([3]) },
      ]);
      // A replay writes nothing and announces nothing.
      await s.appendBatch([{ room: 'n/leerling', author: 'd', counter: 1, envelope: new Uint8Array([1]) }]);
      await listener.query('SELECT 1');
      const parsed = heard.map((p) => JSON.parse(p) as { r: string; s: number; i: string });
      expect(parsed.map((p) => [p.r, p.s]).sort()).toEqual([
        ['n/leerling', 2],
        ['o/leerling', 1],
      ]);
      expect(parsed.every((p) => p.i === s.instance && Object.keys(p).sort().join() === 'i,r,s')).toBe(true);
    } finally {
      await listener.end();
      await s.close();
    }
  });
});
