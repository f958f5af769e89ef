// Shared test fixtures for the workflow and process tests: actors with each role, bound the
// way the engine checks them, and a walker that applies status events one by one.
import { expect } from 'vitest';
import { asId, type BijlageId, type HulpvraagId, type OrganisationId, type StatusEventId, type UserId } from '../../core/model/ids.js';
import type { Role } from '../../core/model/role.js';
import type { RecordedStatusEvent, StatusChangeEvent, StatusEvent } from '../../core/model/status-event.js';
import type { TlvAfgifte } from '../../core/model/tlv-verklaring.js';
import type { Actor } from '../../core/model/user.js';
import { DEFAULT_SWV_PROCESS_CONFIG, type ProcessDefinition, type SwvProcessConfig } from '../../core/workflow/definition.js';
import { initialState, transition } from '../../core/workflow/engine.js';
import type { WorkflowEffect } from '../../core/workflow/effects.js';
import type { HulpvraagContext, WorkflowState } from '../../core/workflow/state.js';
import { ROLES } from '../../core/model/role.js';

export const SCHOOL_A = asId<OrganisationId>('org-school-a');
export const SCHOOL_B = asId<OrganisationId>('org-school-b');
export const SWV_ORG = asId<OrganisationId>('org-swv');
export const VV_ORG = asId<OrganisationId>('org-vv');
export const VOORKEUR_ORG = asId<OrganisationId>('org-school-voorkeur');
export const PARTNER_ORG = asId<OrganisationId>('org-school-partner');
export const ZORG_ORG = asId<OrganisationId>('org-cjg');
export const HV = asId<HulpvraagId>('hv-1');
export const IB = asId<UserId>('user-ib');
export const REGIE = asId<UserId>('user-regie');

export const CONFIG: SwvProcessConfig = { ...DEFAULT_SWV_PROCESS_CONFIG, swvCode: 'VO2505' };

export const CONTEXT: HulpvraagContext = {
  hulpvraagId: HV,
  schoolId: SCHOOL_A,
  aanvrager: IB,
  coordinator: REGIE,
  behandelaars: [REGIE],
  betrokkenOrganisaties: [
    { organisationId: VV_ORG, relatie: 'voorschoolse-voorziening' },
    { organisationId: VOORKEUR_ORG, relatie: 'school-van-voorkeur' },
    { organisationId: PARTNER_ORG, relatie: 'partnerschool' },
  ],
};

/** An actor holding `role`, placed where the role's binding makes it count for CONTEXT. */
export function actorWith(role: Role): Actor {
  switch (ROLES[role].binding) {
    case 'eigen-school':
      // The IB is the aanvrager; other school roles are colleagues at the same school.
      return { userId: role === 'intern-begeleider' ? IB : asId<UserId>(`user-${role}`), organisationId: SCHOOL_A, roles: [role] };
    case 'betrokken-organisatie':
      return { userId: asId<UserId>(`user-${role}`), organisationId: role === 'vv-contactpersoon' ? VV_ORG : VOORKEUR_ORG, roles: [role] };
    case 'toegewezen':
      return { userId: REGIE, organisationId: ZORG_ORG, roles: [role] };
    case 'swv':
      return { userId: asId<UserId>(`user-${role}`), organisationId: SWV_ORG, roles: [role] };
  }
}

export const TLV: TlvAfgifte = {
  volgnummer: 42,
  categorie: 'midden',
  startdatum: '2026-11-23',
  einddatum: '2028-07-31',
  deskundigen: [
    { naam: 'Orthopedagoog Een', functie: 'orthopedagoog' },
    { naam: 'Psycholoog Twee', functie: 'psycholoog' },
  ],
};

let eventCounter = 0;

/** Gives events increasing timestamps and ids unique across every clock in the test run. */
export class Clock {
  private n = 0;
  constructor(private readonly start = Date.parse('2026-11-23T08:00:00.000Z')) {}
  next(): { id: StatusEventId; at: string } {
    this.n += 1;
    eventCounter += 1;
    return {
      id: asId<StatusEventId>(`ev-${String(eventCounter).padStart(6, '0')}`),
      at: new Date(this.start + this.n * 60_000).toISOString(),
    };
  }
}

export function start(def: ProcessDefinition, titel = def.starts[0]?.titel ?? '', context = CONTEXT): WorkflowState {
  const s = initialState(def, titel, context, CONFIG);
  if (!s.ok) throw new Error(s.error.message);
  return s.value;
}

export function changeEvent(
  clock: Clock,
  from: string,
  to: string,
  extra: { omschrijving?: string; tlv?: TlvAfgifte } = {},
): StatusChangeEvent {
  return { kind: 'status-change', ...clock.next(), from, to, ...extra };
}

export function bijlageEvent(clock: Clock): StatusEvent {
  const { id, at } = clock.next();
  return { kind: 'bijlage-toegevoegd', id, at, bijlageId: asId<BijlageId>(`bijlage-${id}`) };
}

export const record = (event: StatusEvent, actor: Actor): RecordedStatusEvent => ({ ...event, actor });

export type Step =
  | { readonly by: Role; readonly to: string; readonly omschrijving?: string; readonly tlv?: TlvAfgifte }
  | { readonly by: Role; readonly bijlage: true };

/** Applies each step as its actor and expects every one to be accepted and to reach the named status. */
export function walk(
  def: ProcessDefinition,
  steps: readonly Step[],
  titel?: string,
): { state: WorkflowState; effects: WorkflowEffect[][]; log: RecordedStatusEvent[] } {
  const clock = new Clock();
  let state = start(def, titel);
  const effects: WorkflowEffect[][] = [];
  const log: RecordedStatusEvent[] = [];
  for (const step of steps) {
    const actor = actorWith(step.by);
    const event =
      'bijlage' in step
        ? bijlageEvent(clock)
        : changeEvent(clock, state.status, step.to, {
            omschrijving: step.omschrijving ?? 'Toelichting bij de status.',
            ...(step.tlv === undefined ? {} : { tlv: step.tlv }),
          });
    const result = transition(state, event, actor, new Date(Date.parse(event.at)));
    if (!result.ok)
      throw new Error(
        `Stap naar ${'to' in step ? step.to : 'bijlage'} door ${step.by} geweigerd: ${result.error.code} ${result.error.message}`,
      );
    state = result.value.state;
    effects.push([...result.value.effects]);
    log.push(record(event, actor));
  }
  return { state, effects, log };
}

export const isEnd = (state: WorkflowState): boolean => state.definition.statuses.find((s) => s.status === state.status)?.end === true;

export function expectStatus(state: WorkflowState, status: string, end: boolean): void {
  expect(state.status).toBe(status);
  expect(isEnd(state)).toBe(end);
}
