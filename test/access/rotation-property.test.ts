// Property: whatever sequence of grants, expiries and removals an admin
// performs, after every record nobody who lost access holds the current key of
// any scope, and everyone entitled who was named holds it (R18, R19, R21).
import { describe, expect, it, beforeAll } from 'vitest';
import fc from 'fast-check';
import { toHex } from '../../core/crypto/bytes.js';
import { currentEpoch, effectiveRight, entitledHolders } from '../../core/access/dossier-access.js';
import { performDueRotations } from '../../core/access/rotation.js';
import { keyringGet, unlockKeyring } from '../../core/access/keyring.js';
import type { Scope } from '../../core/access/rooms.js';
import { DossierHarness, DAY, T0, makeWorld, provider, type Member, type World } from './fixtures.js';

let w: World;
let pool: Member[];
beforeAll(async () => {
  w = await makeWorld();
  pool = [w.coordinator, w.loket, w.ggd, w.vv, w.ouder];
});

const SCOPES: Scope[] = ['leerling', 'hulpvraag:h1', 'formulieren:h1', 'overlegronde:o1'];

type Op =
  | { kind: 'grant'; who: number; scope: number; write: boolean; days: number | null }
  | { kind: 'revoke'; who: number; scope: number }
  | { kind: 'wait'; days: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('grant' as const),
    who: fc.nat({ max: 4 }),
    scope: fc.nat({ max: 3 }),
    write: fc.boolean(),
    days: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
  }),
  fc.record({ kind: fc.constant('revoke' as const), who: fc.nat({ max: 4 }), scope: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 6 }) }),
);

describe('rotation invariants', () => {
  it('[R18][R19][R21] after any sequence of grants, expiries and removals, current keys are held by exactly the entitled members', async () => {
    let records = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 7 }), async (ops) => {
        const h = new DossierHarness(w);
        await h.genesis();
        let now = T0;
        for (const op of ops) {
          if (op.kind === 'wait') {
            now = new Date(now.getTime() + op.days * DAY);
          } else {
            const m = pool[op.who] as Member;
            const scope = SCOPES[op.scope] as Scope;
            if (op.kind === 'grant') {
              await h.record(
                'grant',
                w.ib,
                {
                  grants: [
                    {
                      principal: { kind: 'user', userId: m.userId },
                      scope,
                      right: op.write ? 'write' : 'read',
                      expiresAt: op.days === null ? null : now.getTime() + op.days * DAY,
                    },
                  ],
                  recipients: [m.certificate],
                },
                now,
              );
            } else {
              const has = h.state.grants.some((g) => g.scope === scope && g.principal.kind === 'user' && g.principal.userId === m.userId);
              if (!has) continue;
              await h.record('revoke', w.ib, { revokes: [{ principal: { kind: 'user', userId: m.userId }, scope }] }, now);
            }
          }
          records += 1;
          // The admin client performs whatever rotation is due before anyone writes.
          const due = await performDueRotations(provider, h.state, {
            signer: w.ib.signer,
            keyring: await h.keyring(w.ib),
            now,
            counter: h.nextCounter(w.ib),
          });
          if (!due.ok) throw new Error(due.error.code);
          if (due.value !== null) await h.apply(due.value.envelope, now);

          for (const [scope, info] of h.state.scopes) {
            const cur = currentEpoch(info);
            if (cur === undefined) continue;
            const entitled = entitledHolders(h.state, scope, now.getTime());
            expect(cur.holders).toEqual(entitled);
            for (const m of pool) {
              const ring = await unlockKeyring(provider, h.state, m.identity.agreement);
              const canRead = effectiveRight(h.state, m.verified, scope, now.getTime()) !== null;
              expect(keyringGet(ring, scope, cur.epoch) !== undefined).toBe(canRead);
              if (!canRead) expect(cur.holders).not.toContain(toHex(m.certificate.body.agreementKey));
            }
          }
        }
      }),
      { numRuns: 30 },
    );
    // The generator really exercised the paths (fast-check's first runs are small; later ones are not).
    expect(records).toBeGreaterThan(30);
  });
});
