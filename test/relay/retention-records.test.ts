// The signed retention records against a real relay [R80, R81]: members who try to make a dossier
// vanish early (a bewaartermijn of next week, a record by someone who writes nothing, a hold by
// someone who is not the FG, a date smuggled into another record) are refused and nothing is stored;
// the real records from the right people are stored and fix the date the relay will delete on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asId, type DossierId } from '../../core/model/ids.js';
import { encodeEnvelope } from '../../core/crypto/envelope.js';
import { genesisGrants } from '../../core/access/genesis.js';
import { dayOf, plusYearsDay, vernietiging } from '../../core/access/retention-record.js';
import { DossierHarness, makeMember, type Member, type World, makeWorld } from '../access/fixtures.js';
import { append, codeOf, login, startTestRelay, type TestClient } from './helpers.js';
import type { RelayMessage } from '../../core/sync/protocol.js';

let w: World;
let relay: Awaited<ReturnType<typeof startTestRelay>>;
let h: DossierHarness;
let fg: Member;
const sessions = new Map<string, TestClient>();

const now = () => new Date();
const session = async (m: Member): Promise<TestClient> => {
  let s = sessions.get(m.userId);
  if (s === undefined) sessions.set(m.userId, (s = await login(relay.url, m)));
  return s;
};
const toegang = () => `${h.dossier}/toegang`;
const reasonOf = (m: RelayMessage): string | null => (m.type === 'error' ? (m.reason ?? null) : null);

/** Builds a record as `signer` and sends it; on an ack the harness folds it in too. */
async function send(
  type: Parameters<DossierHarness['build']>[0],
  signer: Member,
  change: Parameters<DossierHarness['build']>[2],
): Promise<RelayMessage> {
  const env = await h.build(type, signer, change, now());
  const answer = await append(await session(signer), toegang(), encodeEnvelope(env));
  if (answer.type === 'ack') await h.apply(env, now());
  return answer;
}

beforeAll(async () => {
  w = await makeWorld();
  fg = await makeMember(w.swv, w.orgs.bureau, 'u-fg', ['privacy-officer']);
  relay = await startTestRelay(w);
  h = new DossierHarness(w, asId<DossierId>('dos-bewaar'));
  expect(codeOf(await send('genesis', w.ib, { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']) }))).toBe('ack');
  // The coördinator writes the leerling part; the FG reads the access list (oversight); the GGD reads the leerling part only.
  const grants = [
    {
      principal: { kind: 'user' as const, userId: w.coordinator.userId },
      scope: 'leerling' as const,
      right: 'write' as const,
      expiresAt: null,
    },
    { principal: { kind: 'user' as const, userId: w.ggd.userId }, scope: 'leerling' as const, right: 'read' as const, expiresAt: null },
    {
      principal: { kind: 'role' as const, swvId: w.swv.id, role: 'privacy-officer' as const },
      scope: 'toegang' as const,
      right: 'read' as const,
      expiresAt: null,
    },
  ];
  expect(codeOf(await send('grant', w.ib, { grants, recipients: [w.coordinator.certificate, w.ggd.certificate, fg.certificate] }))).toBe(
    'ack',
  );
}, 60_000);

afterAll(async () => {
  for (const s of sessions.values()) s.close();
  await relay.stop();
});

describe('retention records on the relay [R80, R81]', () => {
  it('refuses a bewaartermijn that would delete the dossier within a year, and one by a member who writes nothing', async () => {
    const soon = dayOf(now().getTime() + 7 * 24 * 3600_000);
    const early = await send('bewaartermijn', w.coordinator, { bewaren: { tot: soon } });
    expect([codeOf(early), reasonOf(early)]).toEqual(['toegangsrecord-geweigerd', 'acl-ongeldig']);
    const reader = await send('bewaartermijn', w.ggd, { bewaren: { tot: plusYearsDay(now().getTime(), 3) } });
    expect([codeOf(reader), reasonOf(reader)]).toEqual(['toegangsrecord-geweigerd', 'niet-toegestaan']);
    expect(h.access?.bewaren).toBeUndefined();
  });

  it('refuses a hold by anyone but the FG, and a date carried in another kind of record', async () => {
    const byIb = await send('bewaarplicht', w.ib, { bewaren: { tot: plusYearsDay(now().getTime(), 5) } });
    expect([codeOf(byIb), reasonOf(byIb)]).toEqual(['toegangsrecord-geweigerd', 'niet-toegestaan']);
    const smuggled = await send('grant', w.ib, {
      grants: [{ principal: { kind: 'user', userId: w.loket.userId }, scope: 'leerling', right: 'read', expiresAt: null }],
      recipients: [w.loket.certificate],
      bewaren: { tot: dayOf(now().getTime()) },
    });
    expect([codeOf(smuggled), reasonOf(smuggled)]).toEqual(['toegangsrecord-geweigerd', 'acl-ongeldig']);
  });

  it('stores the writer’s bewaartermijn and the FG’s hold; the later of the two fixes the deletion', async () => {
    const tot = plusYearsDay(now().getTime(), 3);
    expect(codeOf(await send('bewaartermijn', w.coordinator, { bewaren: { tot }, reason: 'Eindstatus bereikt' }))).toBe('ack');
    const plicht = plusYearsDay(now().getTime(), 4);
    expect(codeOf(await send('bewaarplicht', fg, { bewaren: { tot: plicht }, reason: 'Beroep bij de rechtbank' }))).toBe('ack');
    expect(h.access?.bewaren).toEqual({ tot, plichtTot: plicht });
    // A fresh relay process folds the same log to the same moment.
    await relay.stop();
    relay = await startTestRelay(w, [], relay.data);
    sessions.clear();
    const access = await relay.relay.withDossier(h.dossier, (st) => Promise.resolve(st.access));
    expect(access && vernietiging(access)).toEqual(h.access && vernietiging(h.access));
    expect(access && vernietiging(access).bewaarplichtTot).toBe(plicht);
  });
});
