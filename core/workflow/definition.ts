// A process definition is data: statuses, who may move where, what each status makes
// visible to whom, automatic transitions and effects. An SWV can add or change one
// without code; every definition is validated here before the engine uses it.
import { z } from 'zod';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import { EffectTemplateSchema, HULPVRAAG_SCOPE_KINDS, RIGHTS } from './effects.js';
import { PrincipalSelectorSchema, RELATIES, RoleSchema } from './selector.js';
import { BIJLAGE_SOORT_IDS } from '../model/hulpvraag.js';

/** One line of visibility: in this status `to` holds these rights on these scopes of the hulpvraag. */
export const AccessEntrySchema = z.object({
  to: PrincipalSelectorSchema,
  scopes: z.array(z.enum(HULPVRAAG_SCOPE_KINDS)).min(1),
  rights: z.array(z.enum(RIGHTS)).min(1),
});
export type AccessEntry = z.infer<typeof AccessEntrySchema>;

/** Where a status name or rule comes from: a seed manual (`000`…`004`) or a decision of ours (`besluit`). */
export const BronSchema = z.enum(['000', '001', '002', '003', '004', 'besluit']);
export type Bron = z.infer<typeof BronSchema>;

export const StatusDefinitionSchema = z.object({
  /** The Dutch status name, exactly as in the seed; also its identifier within the process. */
  status: z.string().trim().min(1),
  /** What the status means, in Dutch, for the UI and the generated docs. */
  betekenis: z.string().min(1),
  end: z.boolean(),
  bron: BronSchema,
  /** Who sees the hulpvraag (and which other scopes) while it has this status. */
  access: z.array(AccessEntrySchema),
  /** If set, a change to this status needs an omschrijving; the text says what to write. */
  omschrijvingVerplicht: z.string().min(1).optional(),
  /** A change to this status records a TLV (volgnummer, categorie, period, deskundigen). */
  recordsTlv: z.boolean().optional(),
  /** Effects of entering this status, whatever the route. */
  onEnter: z.array(EffectTemplateSchema),
  notes: z.string().optional(),
});
export type StatusDefinition = z.infer<typeof StatusDefinitionSchema>;

/**
 * What must be in the hulpvraag before a transition (002 stap 5–7: the bevoegd gezag signs
 * the aanvraag digitally; "in ieder geval het door ouders ondertekende aanvraagformulier en
 * het OPP"). Checked by the client that makes the move (core/workflow/vereisten.ts).
 */
export const TransitionVereistSchema = z.object({
  /** The hulpvraag's own form, signed by the bevoegd gezag, and not changed since. */
  ondertekendFormulier: z.boolean(),
  /** Bijlagen of these kinds must be present. */
  bijlagen: z.array(z.enum(BIJLAGE_SOORT_IDS)),
});
export type TransitionVereist = z.infer<typeof TransitionVereistSchema>;

export const TransitionDefinitionSchema = z.object({
  from: z.array(z.string().min(1)).min(1),
  to: z.string().min(1),
  by: z.array(RoleSchema).min(1),
  effects: z.array(EffectTemplateSchema),
  bron: BronSchema,
  notes: z.string().optional(),
  vereist: TransitionVereistSchema.optional(),
});
export type TransitionDefinition = z.infer<typeof TransitionDefinitionSchema>;

export const AutomaticTransitionSchema = z.object({
  on: z.literal('bijlage-toegevoegd'),
  in: z.array(z.string().min(1)).min(1),
  to: z.string().min(1),
  /** Only a bijlage added by these roles triggers it (a deskundige adding the questions must not). */
  by: z.array(RoleSchema).min(1),
  bron: BronSchema,
  notes: z.string().optional(),
});
export type AutomaticTransition = z.infer<typeof AutomaticTransitionSchema>;

export const ProcessStartSchema = z.object({
  /** The hulpvraag titel chosen from the list. */
  titel: z.string().trim().min(1),
  status: z.string().min(1),
  /** The form attached automatically, or null. */
  formulier: z.string().min(1).nullable(),
  /** Who may create a hulpvraag with this titel. */
  by: z.array(RoleSchema).min(1),
});
export type ProcessStart = z.infer<typeof ProcessStartSchema>;

export const WithdrawalSchema = z.object({
  /** The end status for withdrawal, e.g. *TLV aanvraag ingetrokken*. */
  to: z.string().min(1),
  by: z.array(RoleSchema).min(1),
  /** Non-end statuses from which withdrawal is not offered (normally none). */
  exceptFrom: z.array(z.string().min(1)),
  bron: BronSchema,
  notes: z.string().optional(),
});
export type Withdrawal = z.infer<typeof WithdrawalSchema>;

export const ProcessDefinitionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'id: kleine letters, cijfers en koppeltekens'),
    naam: z.string().min(1),
    bron: z.array(BronSchema).min(1),
    omschrijving: z.string().min(1),
    starts: z.array(ProcessStartSchema).min(1),
    statuses: z.array(StatusDefinitionSchema).min(1),
    transitions: z.array(TransitionDefinitionSchema),
    automatic: z.array(AutomaticTransitionSchema),
    withdrawal: WithdrawalSchema.nullable(),
    /** Told about every status change (the aanvrager is not told about his own changes). */
    notifyOnEveryChange: z.array(PrincipalSelectorSchema),
    /**
     * Organisations (by their relatie to the hulpvraag) this process shares with only while a linked
     * ouder's digitale toestemming stands (seed 001: the school van voorkeur). Until then they get no
     * access and no meldingen, a status that would share with them is refused, and withdrawing ends it.
     */
    toestemmingOuders: z.array(z.enum(RELATIES)).optional(),
    /** Decisions where the seeds leave something open, with the reason. */
    notes: z.array(z.string().min(1)),
  })
  .superRefine((def, ctx) => {
    const names = new Set<string>();
    for (const s of def.statuses) {
      if (names.has(s.status)) ctx.addIssue({ code: 'custom', message: `Status '${s.status}' komt twee keer voor.` });
      names.add(s.status);
    }
    const isEnd = new Map(def.statuses.map((s) => [s.status, s.end]));
    const known = (name: string, where: string): void => {
      if (!names.has(name)) ctx.addIssue({ code: 'custom', message: `${where}: onbekende status '${name}'.` });
    };
    const titels = new Set<string>();
    for (const st of def.starts) {
      known(st.status, `Start '${st.titel}'`);
      if (isEnd.get(st.status) === true) ctx.addIssue({ code: 'custom', message: `Start '${st.titel}' begint in een eindstatus.` });
      if (titels.has(st.titel)) ctx.addIssue({ code: 'custom', message: `Titel '${st.titel}' komt twee keer voor.` });
      titels.add(st.titel);
    }
    for (const t of def.transitions) {
      known(t.to, 'Overgang');
      for (const f of t.from) {
        known(f, 'Overgang');
        if (isEnd.get(f) === true) ctx.addIssue({ code: 'custom', message: `Overgang vanuit eindstatus '${f}' is niet toegestaan.` });
      }
    }
    for (const a of def.automatic) {
      known(a.to, 'Automatische overgang');
      for (const f of a.in) {
        known(f, 'Automatische overgang');
        if (isEnd.get(f) === true)
          ctx.addIssue({ code: 'custom', message: `Automatische overgang vanuit eindstatus '${f}' is niet toegestaan.` });
      }
    }
    if (def.withdrawal !== null) {
      known(def.withdrawal.to, 'Intrekken');
      if (isEnd.get(def.withdrawal.to) !== true)
        ctx.addIssue({ code: 'custom', message: `Intrekken moet naar een eindstatus gaan ('${def.withdrawal.to}').` });
      for (const f of def.withdrawal.exceptFrom) known(f, 'Intrekken (uitzondering)');
    }
    if (!def.statuses.some((s) => s.end)) ctx.addIssue({ code: 'custom', message: 'Een proces heeft minstens één eindstatus nodig.' });
    // Every status must be reachable from a start, and every open status must be able to reach an end.
    const edges = new Map<string, Set<string>>();
    const addEdge = (a: string, b: string): void => {
      const set = edges.get(a) ?? new Set<string>();
      set.add(b);
      edges.set(a, set);
    };
    for (const t of def.transitions) for (const f of t.from) addEdge(f, t.to);
    for (const a of def.automatic) for (const f of a.in) addEdge(f, a.to);
    if (def.withdrawal !== null) {
      for (const s of def.statuses) if (!s.end && !def.withdrawal.exceptFrom.includes(s.status)) addEdge(s.status, def.withdrawal.to);
    }
    const reach = (from: Iterable<string>): Set<string> => {
      const seen = new Set<string>(from);
      const todo = [...seen];
      for (let n = todo.pop(); n !== undefined; n = todo.pop()) {
        for (const m of edges.get(n) ?? [])
          if (!seen.has(m)) {
            seen.add(m);
            todo.push(m);
          }
      }
      return seen;
    };
    const reachable = reach(def.starts.map((s) => s.status));
    for (const s of def.statuses) {
      if (!reachable.has(s.status)) ctx.addIssue({ code: 'custom', message: `Status '${s.status}' is vanaf de start niet bereikbaar.` });
      if (!s.end && ![...reach([s.status])].some((r) => isEnd.get(r) === true)) {
        ctx.addIssue({ code: 'custom', message: `Vanuit '${s.status}' is geen eindstatus bereikbaar.` });
      }
    }
  });
export type ProcessDefinition = z.infer<typeof ProcessDefinitionSchema>;

/** Parses a definition from untrusted input (beheer page, import); lists every problem in Dutch. */
function parseProcessDefinition(input: unknown): Result<ProcessDefinition> {
  const parsed = ProcessDefinitionSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message));
  return fail('procesdefinitie-ongeldig', `De procesdefinitie is ongeldig: ${problems.join('; ')}`, { problems });
}

/**
 * Parses an SWV's own set of definitions (beheer page, import): each must be valid, and ids and
 * titels must be unique across the set, or a titel would start two processes.
 */
export function parseProcessSet(input: readonly unknown[]): Result<ProcessDefinition[]> {
  const defs: ProcessDefinition[] = [];
  for (const [i, item] of input.entries()) {
    const r = parseProcessDefinition(item);
    if (!r.ok) return fail('procesdefinitie-ongeldig', `Proces ${i + 1}: ${r.error.message}`);
    defs.push(r.value);
  }
  const ids = new Set<string>();
  const titels = new Map<string, string>();
  for (const d of defs) {
    if (ids.has(d.id)) return fail('proces-dubbel', `Het proces '${d.id}' komt twee keer voor.`);
    ids.add(d.id);
    for (const s of d.starts) {
      const other = titels.get(s.titel);
      if (other !== undefined)
        return fail('titel-dubbel', `De titel '${s.titel}' start zowel '${other}' als '${d.naam}'; een titel mag maar één proces starten.`);
      titels.set(s.titel, d.naam);
    }
  }
  return ok(defs);
}

/** Per-SWV settings the processes use (TLV categories, reminder lead time, deskundigen). */
export const SwvProcessConfigSchema = z.object({
  /** TLV categories with the SWV's own labels (DOMAIN_NOTES §2: no national naming). */
  tlvCategorieen: z.array(z.object({ code: z.string().min(1), label: z.string().min(1) })).min(1),
  /** How many days before a TLV ends the reminder fires. */
  tlvHerinneringDagenVoorEinde: z.number().int().min(1).max(730),
  /** Functions accepted for the first deskundige. */
  eersteDeskundigeFuncties: z
    .array(z.enum(['orthopedagoog', 'psycholoog', 'arts', 'kinderpsychiater', 'maatschappelijk-werker', 'anders']))
    .min(1),
  /** Short SWV code used in displayed volgnummers, e.g. `VO2505`. */
  swvCode: z.string().min(1),
});
export type SwvProcessConfig = z.infer<typeof SwvProcessConfigSchema>;

export const DEFAULT_SWV_PROCESS_CONFIG: SwvProcessConfig = {
  tlvCategorieen: [
    { code: 'laag', label: 'Categorie laag' },
    { code: 'midden', label: 'Categorie midden' },
    { code: 'hoog', label: 'Categorie hoog' },
  ],
  // Half a year: long enough for a herbeoordeling with two deskundigen before the TLV runs out.
  tlvHerinneringDagenVoorEinde: 182,
  eersteDeskundigeFuncties: ['orthopedagoog', 'psycholoog'],
  swvCode: 'SWV',
};
