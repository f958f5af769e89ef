// Workflow effects become real ACL records through one function (R23), per
// process: the SWV gets access at aanvraag indienen, the voorschoolse
// voorziening loses it at advies afgerond, overlegronde participants never get forms.
import { describe, expect, it, beforeAll } from 'vitest';
import { asId, type DossierId, type HulpvraagId, type OverlegrondeId, type RoomId, type UserId } from '../../core/model/ids.js';
import { ROLES, type Role } from '../../core/model/role.js';
import type { Actor } from '../../core/model/user.js';
import { PROCESS_DEFINITIONS, JONGE_KIND, TLV_VSO } from '../../core/processes/index.js';
import { DEFAULT_SWV_PROCESS_CONFIG, type ProcessDefinition } from '../../core/workflow/definition.js';
import { startProcess, transition, transitionsFrom } from '../../core/workflow/engine.js';
import type { WorkflowEffect } from '../../core/workflow/effects.js';
import type { HulpvraagContext, WorkflowState } from '../../core/workflow/state.js';
import { accessChangesForEffects, principalsOf, type AccessEffect, type WorkflowAccessContext } from '../../core/access/workflow-access.js';
import { checkRead } from '../../core/access/check-access.js';
import { effectiveRight } from '../../core/access/dossier-access.js';
import { genesisGrants } from '../../core/access/genesis.js';
import { sealEnvelope, openEnvelope } from '../../core/crypto/envelope.js';
import { utf8Encode } from '../../core/crypto/bytes.js';
import { keyringGet } from '../../core/access/keyring.js';
import { DossierHarness, T0, at, makeMember, makeWorld, provider, type Member, type World } from './fixtures.js';

let w: World;
let jk: Member;
beforeAll(async () => {
  w = await makeWorld();
  jk = await makeMember(w.swv, w.orgs.bureau, 'u-jk', ['jk-contactpersoon', 'jk-specialist']);
});

const HV = asId<HulpvraagId>('h1');
const actorOf = (m: Member): Actor => ({ userId: m.userId, organisationId: m.organisationId, roles: m.certificate.body.roles });

function hvContext(schoolId = w.ib.organisationId): HulpvraagContext {
  return {
    hulpvraagId: HV,
    schoolId,
    aanvrager: w.ib.userId,
    coordinator: w.coordinator.userId,
    behandelaars: [],
    betrokkenOrganisaties: [
      { organisationId: w.vv.organisationId, relatie: 'voorschoolse-voorziening' },
      { organisationId: w.ibB.organisationId, relatie: 'school-van-voorkeur' },
    ],
  };
}

function accessCtx(hv: HulpvraagContext, extra: Partial<WorkflowAccessContext> = {}): WorkflowAccessContext {
  return {
    swvId: w.swv.id,
    hulpvragen: new Map([[HV, hv]]),
    ouders: [w.ouder.userId],
    overlegronden: [],
    directory: [w.ib, w.coo, w.coordinator, w.loket, w.ggd, w.vv, w.ouder, w.ibB, jk].map((m) => m.certificate),
    ...extra,
  };
}

/** Executes effects as the admin would: plan, build, apply. Returns the record type (or null if nothing changed). */
async function execute(h: DossierHarness, admin: Member, effects: readonly (WorkflowEffect | AccessEffect)[], ctx: WorkflowAccessContext, when = T0): Promise<string | null> {
  const plan = accessChangesForEffects(h.state, effects, ctx, when);
  if (plan.type === null) return null;
  await h.record(plan.type, admin, plan.change, when);
  return plan.type;
}

/** An actor that counts for `role` in this hulpvraag (its binding decides where it works). */
function actorFor(role: Role, hv: HulpvraagContext): Actor {
  switch (ROLES[role].binding) {
    case 'eigen-school':
      return { userId: hv.aanvrager, organisationId: hv.schoolId, roles: [role] };
    case 'betrokken-organisatie':
      return { userId: asId<UserId>(`u-${role}`), organisationId: hv.betrokkenOrganisaties[role === 'vv-contactpersoon' ? 0 : 1]?.organisationId ?? hv.schoolId, roles: [role] };
    case 'toegewezen':
      return { userId: hv.coordinator ?? hv.aanvrager, organisationId: w.coordinator.organisationId, roles: [role] };
    case 'swv':
      return { userId: asId<UserId>(`u-${role}`), organisationId: w.coordinator.organisationId, roles: [role] };
  }
}

function step(state: WorkflowState, to: string, actor: Actor, n: number): { state: WorkflowState; effects: readonly WorkflowEffect[] } {
  const at = new Date(T0.getTime() + n * 60_000).toISOString();
  const r = transition(state, { kind: 'status-change', id: asId(`ev-${n}-${to}`), at, from: state.status, to, omschrijving: 'Toelichting.' }, actor, new Date(Date.parse(at) + 1000));
  if (!r.ok) throw new Error(`${to}: ${r.error.code}`);
  return { state: r.value.state, effects: r.value.effects };
}

const room = (h: DossierHarness, scope: string): RoomId => asId<RoomId>(`${h.dossier}/${scope}`);

describe('workflow effects → access records', () => {
  it('[R23] TLV VSO: the SWV loket cannot see the voorlopige aanvraag and can read it from "TLV aanvraag indienen" on', async () => {
    const hv = hvContext();
    const h = new DossierHarness(w);
    await h.genesis();
    const started = startProcess(TLV_VSO, 'TLV VSO', hv, DEFAULT_SWV_PROCESS_CONFIG, actorOf(w.ib), T0);
    if (!started.ok) throw new Error(started.error.code);
    await execute(h, w.ib, started.value.effects, accessCtx(hv));
    expect(checkRead(h.state, w.ib.verified, room(h, 'formulieren:h1'), T0).ok).toBe(true);
    expect(checkRead(h.state, w.loket.verified, room(h, 'hulpvraag:h1'), T0).ok).toBe(false);
    const ingediend = step(started.value.state, 'TLV aanvraag indienen', actorOf(w.ib), 1);
    expect(await execute(h, w.ib, ingediend.effects, accessCtx(hv))).toBe('grant');
    for (const scope of ['hulpvraag:h1', 'formulieren:h1', 'leerling']) expect(checkRead(h.state, w.loket.verified, room(h, scope), T0).ok).toBe(true);
    // The loket got real key boxes through its role principal.
    expect(keyringGet(await h.keyring(w.loket), 'hulpvraag:h1', 0)).toBeDefined();
  });

  it('[R23][R19] Jonge Kind: the voorschoolse voorziening reads until "advies afgerond", then loses every scope and cannot read what follows', async () => {
    const hv = hvContext(w.coordinator.organisationId);
    const h = new DossierHarness(w);
    await h.record('genesis', jk, { grants: genesisGrants(jk.organisationId, jk.userId, ['leerling'], 'swv') });
    const started = startProcess(JONGE_KIND, 'Jonge Kind onderwijsadvies', hv, DEFAULT_SWV_PROCESS_CONFIG, actorOf(jk), T0);
    if (!started.ok) throw new Error(started.error.code);
    await execute(h, jk, started.value.effects, accessCtx(hv));
    let state = started.value.state;
    const path: [string, Role][] = [
      ['JK bijlagen toegevoegd', 'vv-contactpersoon'],
      ['JK Onderwijsadvies', 'jk-specialist'],
      ['JK aanmelden school', 'jk-specialist'],
      ['JK advies afgerond', 'jk-specialist'],
    ];
    for (const [i, [to, role]] of path.entries()) {
      const s = step(state, to, actorFor(role, hv), i + 1);
      state = s.state;
      await execute(h, jk, s.effects, accessCtx(hv));
    }
    expect(effectiveRight(h.state, w.vv.verified, 'hulpvraag:h1', T0.getTime())).not.toBeNull();
    expect(effectiveRight(h.state, w.vv.verified, 'formulieren:h1', T0.getTime())).toBe('read');
    const afgerond = step(state, 'advies afgerond', actorFor('jk-specialist', hv), 9);
    expect(await execute(h, jk, afgerond.effects, accessCtx(hv))).toBe('revoke');
    for (const scope of ['leerling', 'hulpvraag:h1', 'formulieren:h1', 'lvs:h1', 'toegang']) {
      expect(checkRead(h.state, w.vv.verified, room(h, scope), T0).ok).toBe(false);
    }
    const epoch = h.state.scopes.get('hulpvraag:h1')?.epochs.at(-1)?.epoch ?? -1;
    expect(epoch).toBeGreaterThan(0);
    const key = keyringGet(await h.keyring(jk), 'hulpvraag:h1', epoch);
    if (key === undefined) throw new Error('jk has no key');
    const env = await sealEnvelope(provider, {
      header: { v: 1, kind: 'update', room: room(h, 'hulpvraag:h1'), epoch, author: jk.verified.deviceId, counter: 1, alg: 'xchacha20poly1305' },
      key,
      plaintext: utf8Encode('inschrijving per 1 maart'),
      signingSecretKey: jk.device.secretKey,
    });
    for (const k of (await h.keyring(w.vv)).get('hulpvraag:h1')?.values() ?? []) {
      expect((await openEnvelope(provider, env, { key: k, room: env.header.room, epoch })).ok).toBe(false);
    }
    // The school van voorkeur keeps its access (zorgplicht).
    expect(checkRead(h.state, w.ibB.verified, room(h, 'hulpvraag:h1'), T0).ok).toBe(true);
  });

  it('[R23] overlegronde participants get the overlegronde and the hulpvraag until the einddatum, never formulieren; closing leaves them read only', async () => {
    const hv = hvContext();
    const h = new DossierHarness(w);
    await h.genesis();
    const started = startProcess(TLV_VSO, 'TLV VSO', hv, DEFAULT_SWV_PROCESS_CONFIG, actorOf(w.ib), T0);
    if (!started.ok) throw new Error(started.error.code);
    await execute(h, w.ib, started.value.effects, accessCtx(hv));
    const o = { id: asId<OverlegrondeId>('o1'), hulpvraagId: HV, deelnemers: [w.ggd.userId, w.ouder.userId], einddatum: at(14).toISOString() };
    const plan = accessChangesForEffects(h.state, [{ kind: 'open-overlegronde', overlegronde: o }], accessCtx(hv), T0);
    expect(plan.change.grants?.some((g) => g.scope.startsWith('formulieren:'))).toBe(false);
    await execute(h, w.ib, [{ kind: 'open-overlegronde', overlegronde: o }], accessCtx(hv));
    for (const m of [w.ggd, w.ouder]) {
      expect(effectiveRight(h.state, m.verified, 'overlegronde:o1', T0.getTime())).toBe('write');
      expect(effectiveRight(h.state, m.verified, 'hulpvraag:h1', T0.getTime())).toBe('read');
      expect(effectiveRight(h.state, m.verified, 'formulieren:h1', T0.getTime())).toBeNull();
    }
    expect(principalsOf({ kind: 'role', role: 'professional' }, hv, accessCtx(hv))).toEqual([]);
    const closed = await execute(h, w.ib, [{ kind: 'close-overlegronden', hulpvraagId: HV, at: at(2).toISOString() }], accessCtx(hv, { overlegronden: [o] }), at(2));
    expect(closed).toBe('revoke');
    expect(effectiveRight(h.state, w.ggd.verified, 'overlegronde:o1', at(3).getTime())).toBe('read');
    expect(effectiveRight(h.state, w.ggd.verified, 'overlegronde:o1', at(15).getTime())).toBeNull();
    // A downgrade keeps the same key: no rotation for a participant who may still read.
    expect(h.state.scopes.get('overlegronde:o1')?.epochs.length).toBe(1);
  });

  it('[R23] every process: starting a hulpvraag and every first step out of its start status produce records the access list accepts, never giving an overlegronde participant forms', async () => {
    const roots: string[] = [];
    for (const def of PROCESS_DEFINITIONS as readonly ProcessDefinition[]) {
      const startDef = def.starts[0];
      if (startDef === undefined) continue;
      const jkOwned = def.id === JONGE_KIND.id;
      const hv = hvContext(jkOwned ? w.coordinator.organisationId : w.ib.organisationId);
      const creator = jkOwned ? jk : w.ib;
      const starter = startDef.by.includes('intern-begeleider') ? actorOf(w.ib) : actorFor(startDef.by[0] ?? 'intern-begeleider', hv);
      const started = startProcess(def, startDef.titel, hv, DEFAULT_SWV_PROCESS_CONFIG, jkOwned ? actorOf(jk) : starter, T0);
      if (!started.ok) throw new Error(`${def.id}: ${started.error.code}`);
      for (const option of transitionsFrom(def, started.value.state.status)) {
        const h = new DossierHarness(w, asId<DossierId>(`dos-${def.id}`.slice(0, 60)));
        await h.record('genesis', creator, { grants: genesisGrants(creator.organisationId, creator.userId, ['leerling'], jkOwned ? 'swv' : 'school') });
        await execute(h, creator, started.value.effects, accessCtx(hv));
        const role = option.by[0];
        if (role === undefined) continue;
        const target = def.statuses.find((s) => s.status === option.to);
        if (target?.recordsTlv === true) continue; // needs TLV data; covered by the process tests
        const s = step(started.value.state, option.to, actorFor(role, hv), 1);
        const o = { id: asId<OverlegrondeId>('o1'), hulpvraagId: HV, deelnemers: [w.ggd.userId], einddatum: at(14).toISOString() };
        await execute(h, creator, [...s.effects, { kind: 'open-overlegronde', overlegronde: o }], accessCtx(hv));
        expect(effectiveRight(h.state, w.ggd.verified, 'formulieren:h1', T0.getTime())).toBeNull();
        roots.push(`${def.id}→${option.to}`);
      }
    }
    expect(roots.length).toBeGreaterThanOrEqual(PROCESS_DEFINITIONS.length);
  });
});
