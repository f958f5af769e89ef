import { describe, expect, it } from 'vitest';
import { JONGE_KIND as JK } from '../../core/processes/jonge-kind.js';
import type { WorkflowEffect } from '../../core/workflow/effects.js';
import { statusDefinition, transition } from '../../core/workflow/engine.js';
import { CONTEXT, Clock, actorWith, changeEvent, expectStatus, start, walk } from '../workflow/fixtures.js';

const VV = { kind: 'betrokken-organisatie', relatie: 'voorschoolse-voorziening' } as const;
const grantsTo = (effects: readonly WorkflowEffect[], rel: string): string[] =>
  effects
    .flatMap((e) => (e.kind === 'grant-scope' && e.to.kind === 'betrokken-organisatie' && e.to.relatie === rel ? [e.scope] : []))
    .sort();
const revokesFrom = (effects: readonly WorkflowEffect[], rel: string): string[] =>
  effects
    .flatMap((e) => (e.kind === 'revoke-scope' && e.from.kind === 'betrokken-organisatie' && e.from.relatie === rel ? [e.scope] : []))
    .sort();

describe('Jonge Kind onderwijsadvies (001/004)', () => {
  it('the contactpersoon JK starts it in "JK onderwijsadvies aanvraag"; the voorschoolse voorziening sees the hulpvraag to add bijlagen', () => {
    const s = start(JK);
    expectStatus(s, 'JK onderwijsadvies aanvraag', false);
    const vv = (statusDefinition(s.definition, s.status)?.access ?? []).filter((e) => e.to.kind === VV.kind && e.to.relatie === VV.relatie);
    expect(vv.flatMap((e) => e.scopes.map((scope) => `${scope}:${e.rights.join('+')}`))).toEqual(['hulpvraag:read+write', 'leerling:read']);
  });

  it('happy path A: VV adds bijlagen, advice, school van voorkeur agrees, advies afgerond removes the VV', () => {
    const { state, effects } = walk(JK, [
      { by: 'vv-contactpersoon', to: 'JK bijlagen toegevoegd' },
      { by: 'jk-specialist', to: 'JK Onderwijsadvies' },
      { by: 'jk-specialist', to: 'JK aanmelden school', omschrijving: 'School van voorkeur aangemeld; ouders gaven toestemming.' },
      { by: 'jk-specialist', to: 'JK advies afgerond' },
      { by: 'jk-specialist', to: 'advies afgerond', omschrijving: 'Vanaf 1 maart 2027 naar de school van voorkeur.' },
    ]);
    expectStatus(state, 'advies afgerond', true);
    // JK bijlagen toegevoegd tells the JK-specialist
    expect(effects[0]).toContainEqual({
      kind: 'notify-role',
      hulpvraagId: CONTEXT.hulpvraagId,
      role: 'jk-specialist',
      status: 'JK bijlagen toegevoegd',
    });
    // JK Onderwijsadvies: VV gets the dossier (forms, lvs), ouders a copy of the advice
    expect(grantsTo(effects[1] ?? [], 'voorschoolse-voorziening')).toEqual(['formulieren', 'lvs']);
    expect(effects[1]).toContainEqual({
      kind: 'copy-to-ouders',
      hulpvraagId: CONTEXT.hulpvraagId,
      document: 'onderwijsadvies',
      status: 'JK Onderwijsadvies',
    });
    // JK aanmelden school: the school van voorkeur gets access
    expect(grantsTo(effects[2] ?? [], 'school-van-voorkeur')).toEqual(['formulieren', 'hulpvraag', 'leerling', 'lvs']);
    // the VV hears of every status change
    for (const [i, status] of [
      'JK bijlagen toegevoegd',
      'JK Onderwijsadvies',
      'JK aanmelden school',
      'JK advies afgerond',
      'advies afgerond',
    ].entries()) {
      expect(effects[i]).toContainEqual({ kind: 'notify', hulpvraagId: CONTEXT.hulpvraagId, to: VV, status });
    }
    // advies afgerond: the VV loses every scope, the school van voorkeur keeps its access
    expect(revokesFrom(effects[4] ?? [], 'voorschoolse-voorziening')).toEqual(['formulieren', 'hulpvraag', 'leerling', 'lvs']);
    expect(revokesFrom(effects[4] ?? [], 'school-van-voorkeur')).toEqual([]);
  });

  it('branch B: the school van voorkeur refuses, the first school keeps access (zorgplicht), a new school is tried', () => {
    const { state, effects } = walk(JK, [
      { by: 'jk-specialist', to: 'JK bijlagen toegevoegd' },
      { by: 'jk-specialist', to: 'JK Onderwijsadvies' },
      { by: 'jk-specialist', to: 'JK aanmelden school', omschrijving: 'Eerste school van voorkeur; toestemming ouders.' },
      { by: 'jk-specialist', to: 'JK afgewezen', omschrijving: 'Eerste school wijst inhoudelijk af.' },
      { by: 'jk-specialist', to: 'JK aanmelden school', omschrijving: 'Tweede school van voorkeur; toestemming ouders.' },
      { by: 'jk-specialist', to: 'JK advies afgerond' },
      { by: 'jk-specialist', to: 'advies afgerond', omschrijving: 'Vanaf 1 april 2027 naar de tweede school.' },
    ]);
    expectStatus(state, 'advies afgerond', true);
    expect(revokesFrom(effects[3] ?? [], 'school-van-voorkeur')).toEqual([]);
    // re-entering JK aanmelden school grants the newly linked school
    expect(grantsTo(effects[4] ?? [], 'school-van-voorkeur')).toEqual(['formulieren', 'hulpvraag', 'leerling', 'lvs']);
    expect(JK.statuses.find((s) => s.status === 'JK afgewezen')?.end).toBe(false);
  });

  it('advies afgerond requires where and from when the leerling goes', () => {
    expect(JK.statuses.find((s) => s.status === 'advies afgerond')?.omschrijvingVerplicht).toMatch(/vanaf wanneer en naar welke school/);
  });

  it('the JK-specialist can stop it from any open status; the VV loses access', () => {
    const { state, effects } = walk(JK, [
      { by: 'vv-contactpersoon', to: 'JK bijlagen toegevoegd' },
      { by: 'jk-specialist', to: 'JK aanvraag ingetrokken', omschrijving: 'Ouders zien af van het advies.' },
    ]);
    expectStatus(state, 'JK aanvraag ingetrokken', true);
    expect(revokesFrom(effects[1] ?? [], 'voorschoolse-voorziening')).toEqual(['hulpvraag', 'leerling']);
  });

  it('a voorschoolse voorziening that is not linked to the hulpvraag cannot change its status', () => {
    const unlinked = start(JK, undefined, { ...CONTEXT, betrokkenOrganisaties: [] });
    const clock = new Clock();
    const refused = transition(
      unlinked,
      changeEvent(clock, unlinked.status, 'JK bijlagen toegevoegd'),
      actorWith('vv-contactpersoon'),
      new Date('2027-01-01'),
    );
    expect(refused.ok ? 'ok' : refused.error.code).toBe('niet-toegestaan-voor-rol');
    const linked = start(JK);
    const accepted = transition(
      linked,
      changeEvent(clock, linked.status, 'JK bijlagen toegevoegd'),
      actorWith('vv-contactpersoon'),
      new Date('2027-01-01'),
    );
    expect(accepted.ok).toBe(true);
  });
});
