// Invitation codes as people really use them: a mistyped, used or expired code
// is answered at once with its own Dutch message instead of a long wait; two
// invitations for a new school before its first member joined both work, and
// one invitation that cannot be processed never blocks the others [R59].
// Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Onboarded } from '../../core/client/api.js';
import { invitationOfferBox, normaliseInvitationCode } from '../../core/client/onboarding.js';
import type { Result } from '../../core/result.js';
import { eventually, newClient, PASS, type TestClient } from '../sync/harness.js';
import { internals, startWorld, type World } from './dossier-world.js';

let world: World;
const extra: TestClient[] = [];

beforeAll(async () => {
  world = await startWorld([]);
}, 120_000);

afterAll(async () => {
  for (const t of extra) await t.client.close();
  await world?.close();
});

const profiel = (voornaam: string, organisatieNaam: string) => ({ voornaam, achternaam: 'Jansen', functie: 'intern begeleider', organisatieNaam, email: `${voornaam.toLowerCase()}@sim.test` });

async function joiner(now?: () => Date): Promise<TestClient> {
  const tc = await newClient(world.relay.url, now ? { now } : {});
  extra.push(tc);
  return tc;
}

/** Joins with `code` while the beheerder processes requests; every round of processing must succeed. */
async function joinAll(codes: readonly string[]): Promise<Result<Onboarded>[]> {
  const results: (Result<Onboarded> | null)[] = codes.map(() => null);
  const joining = codes.map(async (code, i) => {
    const tc = await joiner();
    results[i] = await tc.client.joinWithInvitation(code, PASS, 20_000);
  });
  await eventually(async () => {
    const r = await world.beheerder.client.processJoinRequests();
    expect(r.ok).toBe(true);
    return results.every((x) => x !== null);
  }, 'alle aanmeldingen beantwoord', 25_000);
  await Promise.all(joining);
  return results as Result<Onboarded>[];
}

describe('invitation codes [R59]', () => {
  it('a mistyped code is answered at once with its own message, not after waiting for the beheerder', async () => {
    const inv = await world.beheerder.client.createInvitation({ profile: profiel('Ilse', 'OBS De Linde'), organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] });
    if (!inv.ok) throw new Error(inv.error.message);
    const anders = inv.value.code.replace(/^./, (ch) => (ch === '2' ? '3' : '2'));
    const tc = await joiner();
    const r = await tc.client.joinWithInvitation(anders, PASS, 5_000);
    expect(r.ok ? 'ok' : r.error.code).toBe('code-onbekend');
    expect(r.ok ? '' : r.error.message).toContain('verkeerd overgenomen');
  });

  it('a used code is refused at once, and the relay no longer holds its invitation', async () => {
    const inv = await world.beheerder.client.createInvitation({ profile: profiel('Sanne', 'OBS De Linde'), organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] });
    if (!inv.ok) throw new Error(inv.error.message);
    const [eerste] = await joinAll([inv.value.code]);
    expect(eerste?.ok, eerste?.ok ? '' : eerste?.error.message).toBe(true);
    const tc = await joiner();
    const again = await tc.client.joinWithInvitation(inv.value.code, PASS, 5_000);
    expect(again.ok ? 'ok' : again.error.code).toBe('code-onbekend');
    const code = normaliseInvitationCode(inv.value.code);
    const anon = await internals(world.beheerder).anonymous();
    if (!code.ok || !anon.ok) throw new Error('geen code of verbinding');
    const left = await anon.value.mailboxGet(await invitationOfferBox(internals(world.beheerder).provider, code.value));
    anon.value.close();
    expect(left.ok && left.value).toBeNull();
  });

  it('an invitation past its 7 days is refused with its own message', async () => {
    const inv = await world.beheerder.client.createInvitation({ profile: profiel('Piet', 'OBS De Linde'), organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] });
    if (!inv.ok) throw new Error(inv.error.message);
    // The joiner comes back after 8 days; (the relay itself drops the offer after 7, P42/P43).
    const later = await joiner(() => new Date(Date.now() + 8 * 24 * 3600_000));
    const r = await later.client.joinWithInvitation(inv.value.code, PASS, 5_000);
    expect(r.ok ? 'ok' : r.error.code).toBe('code-verlopen');
  });

  it('two invitations for a new school before its first member joined both work, and later joins are not blocked', async () => {
    const ib = await world.beheerder.client.createInvitation({ profile: profiel('Ingrid', 'Kbs Het Anker'), organisation: { naam: 'Kbs Het Anker', kind: 'school' }, roles: ['intern-begeleider'] });
    if (!ib.ok) throw new Error(ib.error.message);
    // The second invitation names the school by id; nobody of it is in the member list yet, so no name comes with it.
    const bg = await world.beheerder.client.createInvitation({ profile: profiel('Bert', ''), organisation: { id: ib.value.organisationId }, roles: ['bevoegd-gezag'] });
    if (!bg.ok) throw new Error(bg.error.message);
    const [a, b] = await joinAll([ib.value.code, bg.value.code]);
    expect(a?.ok, a?.ok ? '' : a?.error.message).toBe(true);
    expect(b?.ok, b?.ok ? '' : b?.error.message).toBe(true);
    expect(b?.ok && b.value.profile.organisatieNaam).toBe('Kbs Het Anker');
    const later = await world.beheerder.client.createInvitation({ profile: profiel('Karin', 'Kbs Het Anker'), organisation: { id: ib.value.organisationId }, roles: ['intern-begeleider'] });
    if (!later.ok) throw new Error(later.error.message);
    const [c] = await joinAll([later.value.code]);
    expect(c?.ok, c?.ok ? '' : c?.error.message).toBe(true);
  });

  it('a join while the beheerder is offline waits, and the same code completes it later, also after closing the browser', async () => {
    const inv = await world.beheerder.client.createInvitation({ profile: profiel('Olga', 'OBS De Linde'), organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] });
    if (!inv.ok) throw new Error(inv.error.message);
    const tc = await joiner();
    const wacht = await tc.client.joinWithInvitation(inv.value.code, PASS, 1_500);
    expect(wacht.ok ? 'ok' : wacht.error.code).toBe('geen-antwoord');
    expect(wacht.ok ? '' : wacht.error.message).toContain('blijft staan');
    await tc.client.close();
    // The beheerder comes online and confirms; then the joiner opens the browser again and enters the same code.
    await eventually(async () => {
      const r = await world.beheerder.client.processJoinRequests();
      return r.ok && r.value > 0;
    }, 'de beheerder bevestigt de aanmelding');
    const weer = await newClient(world.relay.url, { factory: tc.factory, dbName: tc.dbName });
    extra.push(weer);
    const klaar = await weer.client.joinWithInvitation(inv.value.code, PASS, 10_000);
    expect(klaar.ok, klaar.ok ? '' : klaar.error.message).toBe(true);
  });
});
