// The relay's register of people the SWV ended [P40, R56]: only an end signed
// by the SWV's root is kept, nothing refused reaches storage, and the register
// survives a relay restart (it is read back from storage and verified again).
import { describe, expect, it } from 'vitest';
import { nobleProvider as provider } from '../../core/crypto/noble-provider.js';
import { encodeUserEnd, issueUserEnd } from '../../core/access/user-end.js';
import { asId, type SwvId, type UserId } from '../../core/model/ids.js';
import { MemoryStorage } from '../../sync-server/storage-memory.js';
import { UserEnds } from '../../sync-server/user-ends.js';

const swv = asId<SwvId>('swv-test');
const user = asId<UserId>('ilse');

describe('the relay register of ended people [P40][R56]', () => {
  it('keeps a root-signed end across a restart, and stores nothing it refused', async () => {
    const root = await provider.ed25519KeyPair();
    const other = await provider.ed25519KeyPair();
    const roots = new Map([[swv as string, root.publicKey]]);
    const storage = new MemoryStorage();
    const ends = new UserEnds(storage, provider);
    const endedAt = new Date(Date.now() - 1000);

    const forged = await issueUserEnd(provider, other.secretKey, { swv, user, endedAt, reason: 'uit-dienst' });
    expect((await ends.add(encodeUserEnd(forged), roots)).ok).toBe(false);
    expect((await ends.add(new Uint8Array([0xff, 0, 1]), roots)).ok).toBe(false);
    expect(await storage.listRooms()).toEqual([]);
    expect(ends.endedAt(swv, user)).toBeUndefined();

    const real = await issueUserEnd(provider, root.secretKey, { swv, user, endedAt, reason: 'uit-dienst' });
    expect((await ends.add(encodeUserEnd(real), roots)).ok).toBe(true);
    expect(ends.endedAt(swv, user)).toBe(endedAt.getTime());

    const restarted = new UserEnds(storage, provider);
    await restarted.load(roots);
    expect(restarted.endedAt(swv, user)).toBe(endedAt.getTime());
    expect(restarted.records(swv)).toHaveLength(1);
    expect(restarted.records('ander-swv')).toEqual([]);
  });
});
