// The SWV's own retention policy (issue 20; PROTOCOL P50) [R156], through the client API against a real
// relay on 127.0.0.1: the beheerder sets it (root unlocked), every member fixes dates with it, a policy a
// member signs herself or an older one put back is ignored, and a member puts the policy back when its
// mailbox has gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCanonical } from '../../core/crypto/canonical.js';
import { SIGNING_CONTEXT, signBody } from '../../core/access/signing.js';
import { directoryBox, sealWith } from '../../core/client/onboarding.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import type { RetentionPolicy } from '../../core/processes/retention.js';
import { eventually, ROOT_PASS, type Member } from '../sync/harness.js';
import { internals, LEERLING, startWorld, TWO_IBS, type World } from './dossier-world.js';

let world: World;
let ilse: Member, sanne: Member;
const TWEE_JAAR: RetentionPolicy = { standaardJaren: 3, perProces: { 'bao-bao': { 'BaO-BaO overleg afgerond': 2 } } };

beforeAll(async () => {
  world = await startWorld(TWO_IBS);
  [ilse, sanne] = world.members as [Member, Member];
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

/** What a member could put in the policy's mailbox: any body, signed with any key. */
async function sealedPolicy(
  m: Member,
  body: Record<string, unknown>,
  signer: Uint8Array,
): Promise<{ box: Uint8Array; sealed: Uint8Array }> {
  const id = internals(m.tc).id!;
  const bytes = encodeCanonical({
    b: body as never,
    s: await signBody(nobleProvider, signer, SIGNING_CONTEXT.retentionPolicy, body as never),
  });
  return {
    box: await directoryBox(nobleProvider, id.directoryKey, `${id.swvId}#bewaarbeleid`, 0),
    sealed: await sealWith(nobleProvider, id.directoryKey, 'kindkluis/bewaarbeleid', bytes),
  };
}

describe('the SWV retention policy [R156, P50]', () => {
  it('only the beheerder sets it, with the root unlocked and only end statuses of known processes', async () => {
    expect(code(await ilse.tc.client.stelBewaarbeleidIn(TWEE_JAAR))).toBe('geen-beheerder');
    const b = world.beheerder.client;
    b.lockRoot();
    expect(code(await b.stelBewaarbeleidIn(TWEE_JAAR))).toBe('basissleutel-vergrendeld');
    expect((await b.unlockRoot(ROOT_PASS)).ok).toBe(true);
    expect(code(await b.stelBewaarbeleidIn({ standaardJaren: 0, perProces: {} }))).toBe('bewaarbeleid-ongeldig');
    expect(code(await b.stelBewaarbeleidIn({ standaardJaren: 3, perProces: { 'bao-bao': { 'BaO-BaO overleg gestart': 2 } } }))).toBe(
      'bewaarbeleid-ongeldig',
    );
    expect(code(await b.stelBewaarbeleidIn(TWEE_JAAR))).toBe('ok');
    expect(b.bewaarbeleid()).toEqual(TWEE_JAAR);
  });

  it('every member fixes dates with it: a BaO-BaO overleg ends with a date two years on', async () => {
    await eventually(
      async () => {
        await ilse.tc.client.tick();
        return JSON.stringify(ilse.tc.client.bewaarbeleid()) === JSON.stringify(TWEE_JAAR);
      },
      'Ilse heeft het bewaarbeleid',
      30_000,
    );
    const c = ilse.tc.client;
    const d = await c.createDossier(LEERLING);
    if (!d.ok) throw new Error(d.error.message);
    const hv = await c.createHulpvraag(d.value, { titel: 'BaO-BaO overleg', omschrijving: 'Overstap' });
    if (!hv.ok) throw new Error(hv.error.message);
    for (const to of ['BaO-BaO overleg gestart', 'BaO-BaO overleg afgerond'])
      expect((await c.changeStatus(d.value, hv.value, to, 'Overleg gevoerd.')).ok).toBe(true);
    const stand = c.bewaartermijn(d.value);
    const today = new Date();
    expect(stand.ok && stand.value.soort === 'termijn' ? stand.value.tot : null).toBe(
      `${today.getUTCFullYear() + 2}${today.toISOString().slice(4, 10)}`,
    );
  });

  it('a policy a member signed herself, or an older one put back, is ignored; a gone mailbox is put back by a member', async () => {
    const me = internals(sanne.tc);
    await eventually(
      async () => {
        await sanne.tc.client.tick();
        return JSON.stringify(sanne.tc.client.bewaarbeleid()) === JSON.stringify(TWEE_JAAR);
      },
      'Sanne heeft het bewaarbeleid',
      30_000,
    );
    const conn = me.relay.conn!;
    const id = me.id!;
    // Sanne signs "one year for everything" with her own key and a version far ahead.
    const eigen = await sealedPolicy(
      sanne,
      { t: 'bewaarbeleid', swv: id.swvId, versie: Date.now() + 10 ** 9, beleid: { standaardJaren: 1, perProces: {} } },
      id.device.secretKey,
    );
    expect((await conn.mailboxPut(eigen.box, eigen.sealed)).ok).toBe(true);
    for (let i = 0; i < 2; i++) await ilse.tc.client.tick();
    expect(ilse.tc.client.bewaarbeleid()).toEqual(TWEE_JAAR);
    // The root's own older policy (version 1) put back is not taken either.
    const root = internals(world.beheerder).session.rootKey!;
    const oud = await sealedPolicy(
      sanne,
      { t: 'bewaarbeleid', swv: id.swvId, versie: 1, beleid: { standaardJaren: 5, perProces: {} } },
      root.secretKey,
    );
    expect((await conn.mailboxPut(oud.box, oud.sealed)).ok).toBe(true);
    for (let i = 0; i < 2; i++) await ilse.tc.client.tick();
    expect(ilse.tc.client.bewaarbeleid()).toEqual(TWEE_JAAR);
    // Mailboxes live 7 days (P42): when the box is gone, a member's next refresh puts the signed policy back.
    expect((await conn.mailboxTake(oud.box)).ok).toBe(true);
    await ilse.tc.client.tick();
    const terug = await conn.mailboxGet(oud.box);
    expect(terug.ok && terug.value !== null && terug.value.length > 0).toBe(true);
    // And a device that starts without it reads the policy from the box again.
    await eventually(
      async () => {
        await world.beheerder.client.tick();
        return JSON.stringify(world.beheerder.client.bewaarbeleid()) === JSON.stringify(TWEE_JAAR);
      },
      'de beheerder houdt het bewaarbeleid',
      10_000,
    );
  });
});
