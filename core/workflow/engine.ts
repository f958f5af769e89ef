// The workflow engine: a pure function from (state, event, actor, now) to the next state
// and the effects the caller must carry out. Same input, same output, on every client.
import type { Role } from '../model/role.js';
import type { StatusEvent } from '../model/status-event.js';
import type { TlvAfgifte } from '../model/tlv-verklaring.js';
import type { Actor } from '../model/user.js';
import { assertNever, fail, ok, type KkError, type Result } from '../result.js';
import { actorHoldsAnyRole } from './actor-role.js';
import type { AccessEntry, ProcessDefinition, StatusDefinition, SwvProcessConfig } from './definition.js';
import type { EffectTemplate, WorkflowEffect } from './effects.js';
import { selectorKey, type PrincipalSelector } from './selector.js';
import type { HulpvraagContext, WorkflowState } from './state.js';
import { tlvHerinneringsdatum, validateTlvAfgifte, type TlvErrorCode } from './tlv.js';

export type TransitionErrorCode =
  | 'niet-toegestaan-voor-rol'
  | 'eindstatus-bereikt'
  | 'omschrijving-verplicht'
  | 'onbekende-status'
  | 'overgang-bestaat-niet'
  | 'status-verouderd'
  | 'dubbele-gebeurtenis'
  | 'ongeldig-tijdstip'
  | 'tijdstip-in-toekomst'
  | 'tlv-gegevens-verplicht'
  | TlvErrorCode;

export type TransitionError = KkError<TransitionErrorCode>;

export interface TransitionOutcome {
  readonly state: WorkflowState;
  readonly effects: readonly WorkflowEffect[];
  /** False when the event was accepted but changes nothing (a bijlage in a status without automatic rule). */
  readonly changed: boolean;
}

/** Clock skew we tolerate between devices before an event counts as "in the future". */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export const statusDefinition = (def: ProcessDefinition, status: string): StatusDefinition | undefined =>
  def.statuses.find((s) => s.status === status);

const requireStatus = (def: ProcessDefinition, status: string): StatusDefinition => {
  const s = statusDefinition(def, status);
  if (s === undefined) throw new Error(`Status '${status}' ontbreekt in proces '${def.id}' (definitie niet gevalideerd?)`);
  return s;
};

/** A possible move from the current status: explicit transitions plus the withdrawal. */
export interface TransitionOption {
  readonly to: string;
  readonly by: readonly Role[];
  readonly effects: readonly EffectTemplate[];
  readonly withdrawal: boolean;
}

/** All moves the definition allows out of `status`, whoever makes them. */
export function transitionsFrom(def: ProcessDefinition, status: string): TransitionOption[] {
  const current = statusDefinition(def, status);
  if (current === undefined || current.end) return [];
  const options: TransitionOption[] = def.transitions
    .filter((t) => t.from.includes(status))
    .map((t) => ({ to: t.to, by: t.by, effects: t.effects, withdrawal: false }));
  const w = def.withdrawal;
  if (w !== null && !w.exceptFrom.includes(status) && status !== w.to) {
    options.push({ to: w.to, by: w.by, effects: [], withdrawal: true });
  }
  return options;
}

const notifyEffect = (to: PrincipalSelector, ctx: HulpvraagContext, status: string): WorkflowEffect => {
  switch (to.kind) {
    case 'aanvrager':
      return { kind: 'notify-aanvrager', hulpvraagId: ctx.hulpvraagId, status };
    case 'role':
      return { kind: 'notify-role', hulpvraagId: ctx.hulpvraagId, role: to.role, status };
    default:
      return { kind: 'notify', hulpvraagId: ctx.hulpvraagId, to, status };
  }
};

function templateEffects(templates: readonly EffectTemplate[], ctx: HulpvraagContext, status: string, at: string): WorkflowEffect[] {
  const out: WorkflowEffect[] = [];
  for (const t of templates) {
    switch (t.kind) {
      case 'notify':
        out.push(notifyEffect(t.to, ctx, status));
        break;
      case 'copy-to-ouders':
        out.push({ kind: 'copy-to-ouders', hulpvraagId: ctx.hulpvraagId, document: t.document, status });
        break;
      case 'close-overlegronden':
        out.push({ kind: 'close-overlegronden', hulpvraagId: ctx.hulpvraagId, at });
        break;
      case 'grant':
        for (const scope of t.scopes)
          out.push({ kind: 'grant-scope', hulpvraagId: ctx.hulpvraagId, to: t.to, scope, rights: t.rights, expiresAt: null });
        break;
      case 'revoke':
        for (const scope of t.scopes) out.push({ kind: 'revoke-scope', hulpvraagId: ctx.hulpvraagId, from: t.from, scope });
        break;
      default:
        assertNever(t, 'effect');
    }
  }
  return out;
}

/** Grants and revokes that turn the visibility of `before` into that of `after`. */
export function accessDiff(before: readonly AccessEntry[], after: readonly AccessEntry[], ctx: HulpvraagContext): WorkflowEffect[] {
  type Cell = { to: PrincipalSelector; scope: AccessEntry['scopes'][number]; rights: AccessEntry['rights'] };
  const cells = (entries: readonly AccessEntry[]): Map<string, Cell> => {
    const map = new Map<string, Cell>();
    for (const e of entries) {
      for (const scope of e.scopes) {
        const key = `${selectorKey(e.to)}|${scope}`;
        const prev = map.get(key);
        const rights = [...new Set([...(prev?.rights ?? []), ...e.rights])].sort();
        map.set(key, { to: e.to, scope, rights });
      }
    }
    return map;
  };
  const a = cells(before);
  const b = cells(after);
  const out: WorkflowEffect[] = [];
  for (const [key, cell] of b) {
    const prev = a.get(key);
    if (prev === undefined || prev.rights.join() !== cell.rights.join()) {
      out.push({ kind: 'grant-scope', hulpvraagId: ctx.hulpvraagId, to: cell.to, scope: cell.scope, rights: cell.rights, expiresAt: null });
    }
  }
  for (const [key, cell] of a) {
    if (!b.has(key)) out.push({ kind: 'revoke-scope', hulpvraagId: ctx.hulpvraagId, from: cell.to, scope: cell.scope });
  }
  return out;
}

const dedupe = (effects: readonly WorkflowEffect[]): WorkflowEffect[] => {
  const seen = new Set<string>();
  return effects.filter((e) => {
    const key = JSON.stringify(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

/** Effects of entering `to` from `from` (or from nothing, at the start). */
function enterEffects(
  state: Pick<WorkflowState, 'definition' | 'config' | 'context'>,
  from: StatusDefinition | null,
  to: StatusDefinition,
  transitionTemplates: readonly EffectTemplate[],
  actor: Actor,
  at: string,
  tlv: TlvAfgifte | null,
): WorkflowEffect[] {
  const { definition: def, context: ctx, config } = state;
  const effects: WorkflowEffect[] = [];
  for (const sel of def.notifyOnEveryChange) {
    // The aanvrager is mailed when someone else changes the status (002); nobody is mailed about his own change.
    if (sel.kind === 'aanvrager' && actor.userId === ctx.aanvrager) continue;
    if (sel.kind === 'coordinator' && (ctx.coordinator === null || actor.userId === ctx.coordinator)) continue;
    effects.push(notifyEffect(sel, ctx, to.status));
  }
  effects.push(...templateEffects(transitionTemplates, ctx, to.status, at));
  effects.push(...templateEffects(to.onEnter, ctx, to.status, at));
  effects.push(...accessDiff(from?.access ?? [], to.access, ctx));
  if (to.end) effects.push({ kind: 'close-overlegronden', hulpvraagId: ctx.hulpvraagId, at });
  if (to.recordsTlv === true && tlv !== null) {
    effects.push({
      kind: 'schedule-reminder',
      hulpvraagId: ctx.hulpvraagId,
      at: tlvHerinneringsdatum(tlv, config),
      reason: 'tlv-loopt-af',
      volgnummer: tlv.volgnummer,
      einddatum: tlv.einddatum,
    });
  }
  return dedupe(effects);
}

/** The state of a new hulpvraag with `titel`, before any status event. */
export function initialState(
  definition: ProcessDefinition,
  titel: string,
  context: HulpvraagContext,
  config: SwvProcessConfig,
): Result<WorkflowState, KkError<'onbekende-titel'>> {
  const start = definition.starts.find((s) => s.titel === titel);
  if (start === undefined) {
    return fail('onbekende-titel', `De titel '${titel}' hoort niet bij het proces '${definition.naam}'.`);
  }
  return ok({ definition, config, context, titel, status: start.status, history: [], seenEventIds: [], tlv: null });
}

export interface StartOutcome {
  readonly state: WorkflowState;
  readonly effects: readonly WorkflowEffect[];
  /** The form attached automatically because of the titel (002), or null. */
  readonly formulier: string | null;
}

/** Creating a hulpvraag: the titel decides the first status and form; the creator must be allowed to start it. */
export function startProcess(
  definition: ProcessDefinition,
  titel: string,
  context: HulpvraagContext,
  config: SwvProcessConfig,
  actor: Actor,
  now: Date,
): Result<StartOutcome, KkError<'onbekende-titel' | 'niet-toegestaan-voor-rol'>> {
  const initial = initialState(definition, titel, context, config);
  if (!initial.ok) return initial;
  const start = definition.starts.find((s) => s.titel === titel);
  if (start === undefined) throw new Error('onbereikbaar: titel is net gevonden');
  if (!actorHoldsAnyRole(actor, start.by, context)) {
    return fail('niet-toegestaan-voor-rol', `U mag met uw rol geen hulpvraag '${titel}' aanmaken.`);
  }
  const first = requireStatus(definition, start.status);
  const effects = enterEffects(initial.value, null, first, [], actor, now.toISOString(), null);
  return ok({ state: initial.value, effects, formulier: start.formulier });
}

const applyChange = (
  state: WorkflowState,
  event: StatusEvent,
  actor: Actor,
  to: StatusDefinition,
  templates: readonly EffectTemplate[],
  automatic: boolean,
  omschrijving: string | undefined,
  tlv: TlvAfgifte | null,
): TransitionOutcome => {
  const from = requireStatus(state.definition, state.status);
  const effects = enterEffects(state, from, to, templates, actor, event.at, tlv);
  const change = {
    eventId: event.id,
    from: from.status,
    to: to.status,
    at: event.at,
    by: actor.userId,
    automatic,
    ...(omschrijving === undefined ? {} : { omschrijving }),
  };
  return {
    state: {
      ...state,
      status: to.status,
      history: [...state.history, change],
      seenEventIds: [...state.seenEventIds, event.id],
      tlv: to.recordsTlv === true ? tlv : state.tlv,
    },
    effects,
    changed: true,
  };
};

/**
 * Applies one status event. Pure: `now` is passed in (the fold passes the event's own time,
 * so replaying a log never depends on the wall clock).
 */
export function transition(state: WorkflowState, event: StatusEvent, actor: Actor, now: Date): Result<TransitionOutcome, TransitionError> {
  const def = state.definition;
  const at = Date.parse(event.at);
  if (Number.isNaN(at)) return fail('ongeldig-tijdstip', 'Het tijdstip van deze statuswijziging is ongeldig.');
  if (at > now.getTime() + MAX_CLOCK_SKEW_MS) {
    return fail('tijdstip-in-toekomst', 'Het tijdstip van deze statuswijziging ligt in de toekomst; controleer de klok van het apparaat.');
  }
  if (state.seenEventIds.includes(event.id)) return fail('dubbele-gebeurtenis', 'Deze statuswijziging is al verwerkt.');
  const current = requireStatus(def, state.status);

  if (event.kind === 'bijlage-toegevoegd') {
    const rule = current.end
      ? undefined
      : def.automatic.find((a) => a.in.includes(current.status) && actorHoldsAnyRole(actor, a.by, state.context));
    if (rule === undefined) {
      return ok({ state: { ...state, seenEventIds: [...state.seenEventIds, event.id] }, effects: [], changed: false });
    }
    return ok(applyChange(state, event, actor, requireStatus(def, rule.to), [], true, undefined, null));
  }
  if (event.kind !== 'status-change') return assertNever(event, 'statusgebeurtenis');

  if (current.end) {
    return fail('eindstatus-bereikt', `De hulpvraag heeft de eindstatus '${current.status}'; de status kan niet meer veranderen.`);
  }
  if (event.from !== current.status) {
    return fail(
      'status-verouderd',
      `De status is inmiddels '${current.status}' (niet '${event.from}'); bekijk de statushistorie en kies opnieuw.`,
    );
  }
  const target = statusDefinition(def, event.to);
  if (target === undefined) return fail('onbekende-status', `De status '${event.to}' bestaat niet in het proces '${def.naam}'.`);
  const options = transitionsFrom(def, current.status).filter((o) => o.to === target.status);
  if (options.length === 0) {
    return fail(
      'overgang-bestaat-niet',
      `Van '${current.status}' naar '${target.status}' is geen statuswijziging mogelijk in het proces '${def.naam}'.`,
    );
  }
  const allowed = options.filter((o) => actorHoldsAnyRole(actor, o.by, state.context));
  const chosen = allowed[0];
  if (chosen === undefined) {
    return fail('niet-toegestaan-voor-rol', `De statuswijziging naar '${target.status}' is niet toegestaan voor uw rol.`);
  }
  const omschrijving = event.omschrijving?.trim();
  if (target.omschrijvingVerplicht !== undefined && (omschrijving === undefined || omschrijving === '')) {
    return fail(
      'omschrijving-verplicht',
      `Bij de status '${target.status}' is een omschrijving verplicht: ${target.omschrijvingVerplicht}`,
    );
  }
  let tlv: TlvAfgifte | null = null;
  if (target.recordsTlv === true) {
    if (event.tlv === undefined) {
      return fail(
        'tlv-gegevens-verplicht',
        `Bij '${target.status}' horen de TLV-gegevens: volgnummer, categorie, start- en einddatum en de twee deskundigen.`,
      );
    }
    const checked = validateTlvAfgifte(event.tlv, state.config);
    if (!checked.ok) return checked;
    tlv = checked.value;
  }
  const templates = allowed.flatMap((o) => o.effects);
  return ok(applyChange(state, event, actor, target, templates, false, omschrijving === '' ? undefined : omschrijving, tlv));
}
