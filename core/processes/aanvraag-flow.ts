// The request flow the VO manual (002) describes for TLV VSO, FA, PrO and SV:
// voorlopige aanvraag → aanvraag indienen → aanvraag incompleet / vragen gesteld →
// (bijlage) aanvraag aangevuld → decision; withdrawal from every open status.
import type { Role } from '../model/role.js';
import type {
  AccessEntry,
  Bron,
  StatusDefinition,
  TransitionDefinition,
  TransitionVereist,
  AutomaticTransition,
  Withdrawal,
} from '../workflow/definition.js';
import type { EffectTemplate } from '../workflow/effects.js';
import { BEHANDELAAR, SCHOOL, SCHOOL_OWNS, role, swvArchive, swvWorking } from './building-blocks.js';

export interface AanvraagFlowOptions {
  /** Prefix of every status name: `TLV`, `FA`, `PrO`, `SV`. */
  readonly prefix: string;
  /** Which seed the names come from, and which names actually appear there (others are our decisions). */
  readonly seed: Bron;
  readonly namesInSeed: readonly string[];
  /** SWV roles that check completeness (incompleet) and ask questions. */
  readonly intake: readonly Role[];
  readonly vragenDoor: readonly Role[];
  readonly besluitDoor: readonly Role[];
  /** Who is told that the school answered (status aangevuld). */
  readonly aangevuldMelden: readonly Role[];
  /** Extra visibility while the SWV works on it (e.g. ouders in PO). */
  readonly extraAccess?: readonly AccessEntry[];
  /** What must be in the hulpvraag before the school may submit (signed form, bijlagen). */
  readonly indienenVereist?: TransitionVereist;
}

/** One decision the SWV takes on an aanvraag: the status it leads to, where the name comes from, why. */
export interface Decision {
  readonly to: string;
  readonly bron: Bron;
  readonly notes?: string;
}

export interface AanvraagFlow {
  readonly voorlopig: string;
  readonly indienen: string;
  readonly incompleet: string;
  readonly vragen: string;
  readonly aangevuld: string;
  readonly ingetrokken: string;
  readonly statuses: StatusDefinition[];
  readonly transitions: TransitionDefinition[];
  readonly automatic: AutomaticTransition[];
  readonly withdrawal: Withdrawal;
  /** Visibility while open and after the end, for the process' own decision statuses. */
  readonly openAccess: AccessEntry[];
  readonly closedAccess: AccessEntry[];
  readonly bron: (name: string) => Bron;
  /** Statuses from which the SWV may decide. */
  readonly decideFrom: readonly string[];
  /** Who decides: the `besluitDoor` roles of the options, so a process names them once. */
  readonly besluitDoor: readonly Role[];
  /** The decision transitions, each from `decideFrom` by `besluitDoor`: generated, never written out per process. */
  readonly decisions: (ds: readonly Decision[]) => TransitionDefinition[];
}

export function aanvraagFlow(o: AanvraagFlowOptions): AanvraagFlow {
  const p = o.prefix;
  const voorlopig = `${p} voorlopige aanvraag`;
  const indienen = `${p} aanvraag indienen`;
  const incompleet = `${p} aanvraag incompleet`;
  const vragen = `${p} vragen gesteld`;
  const aangevuld = `${p} aanvraag aangevuld`;
  const ingetrokken = `${p} aanvraag ingetrokken`;
  const bron = (name: string): Bron => (o.namesInSeed.includes(name) ? o.seed : 'besluit');
  // Deskundigen are assigned per case (as behandelaar through an aanpak), never every deskundige in the
  // SWV: they read and write only the aanvragen they are assigned to, until the decision (issue 17 item 8).
  const perCase = (r: Role): boolean => r === 'deskundige';
  const allRoles = [...new Set([...o.intake, ...o.vragenDoor, ...o.besluitDoor])];
  const swvRoles = allRoles.filter((r) => !perCase(r));
  const toegewezen: AccessEntry[] = allRoles.some(perCase)
    ? [
        { to: BEHANDELAAR, scopes: ['hulpvraag'], rights: ['read', 'write'] },
        { to: BEHANDELAAR, scopes: ['leerling', 'formulieren', 'lvs'], rights: ['read'] },
      ]
    : [];
  const openAccess = [SCHOOL_OWNS, ...swvWorking(swvRoles), ...toegewezen, ...(o.extraAccess ?? [])];
  const closedAccess = [SCHOOL_OWNS, ...swvArchive(swvRoles), ...(o.extraAccess ?? [])];
  const notifyAangevuld: EffectTemplate[] = o.aangevuldMelden.map((r) => ({ kind: 'notify', to: perCase(r) ? BEHANDELAAR : role(r) }));
  const statuses: StatusDefinition[] = [
    {
      status: voorlopig,
      betekenis:
        'De school bereidt de aanvraag voor (formulier, ondertekening bevoegd gezag, bijlagen); nog niet zichtbaar voor het samenwerkingsverband.',
      end: false,
      bron: bron(voorlopig),
      access: [SCHOOL_OWNS],
      onEnter: [],
    },
    {
      status: indienen,
      betekenis: 'De school heeft de aanvraag ingediend; vanaf nu ziet het samenwerkingsverband de hulpvraag.',
      end: false,
      bron: bron(indienen),
      access: openAccess,
      onEnter: o.intake.map((r) => ({ kind: 'notify', to: role(r) })),
    },
    {
      status: incompleet,
      betekenis:
        'Het samenwerkingsverband mist informatie; de omschrijving zegt wat. Een bijlage van de school zet de status op aangevuld.',
      end: false,
      bron: bron(incompleet),
      access: openAccess,
      omschrijvingVerplicht: 'Schrijf welke informatie de school nog moet toevoegen.',
      onEnter: [],
    },
    {
      status: vragen,
      betekenis: 'Er zijn vragen gesteld (document in de bijlagen); de school voegt de beantwoording als bijlage toe.',
      end: false,
      bron: bron(vragen),
      access: openAccess,
      omschrijvingVerplicht: 'Schrijf kort welke vragen er zijn en waar het vragendocument staat.',
      onEnter: [],
    },
    {
      status: aangevuld,
      betekenis: 'De school heeft informatie toegevoegd; sein dat het samenwerkingsverband verder kan.',
      end: false,
      bron: bron(aangevuld),
      access: openAccess,
      onEnter: notifyAangevuld,
    },
    {
      status: ingetrokken,
      betekenis:
        'De school zet de aanvraag niet door; de procedure stopt en alleen de school houdt de aanvraag (ook een concept dat het samenwerkingsverband nooit zag, blijft zo buiten zijn zicht).',
      end: true,
      bron: bron(ingetrokken),
      access: [SCHOOL_OWNS, ...(o.extraAccess ?? [])],
      onEnter: o.intake.map((r) => ({ kind: 'notify', to: role(r) })),
    },
  ];
  const transitions: TransitionDefinition[] = [
    {
      from: [voorlopig],
      to: indienen,
      by: [...SCHOOL],
      effects: [],
      bron: bron(indienen),
      notes: 'Alleen de eigen school dient in.',
      ...(o.indienenVereist ? { vereist: o.indienenVereist } : {}),
    },
    { from: [indienen, aangevuld], to: incompleet, by: [...o.intake], effects: [], bron: bron(incompleet) },
    { from: [indienen, aangevuld], to: vragen, by: [...o.vragenDoor], effects: [], bron: bron(vragen) },
    {
      from: [incompleet, vragen],
      to: aangevuld,
      by: [...SCHOOL],
      effects: [],
      bron: 'besluit',
      notes: 'Ook met de hand: soms vult de school het formulier aan in plaats van een bijlage toe te voegen.',
    },
  ];
  const automatic: AutomaticTransition[] = [
    {
      on: 'bijlage-toegevoegd',
      in: [incompleet, vragen],
      to: aangevuld,
      by: [...SCHOOL],
      bron: bron(aangevuld),
      notes: 'Alleen een bijlage van de school telt: het vragendocument dat het samenwerkingsverband toevoegt, zet de status niet door.',
    },
  ];
  const withdrawal: Withdrawal = {
    to: ingetrokken,
    by: [...SCHOOL],
    exceptFrom: [],
    bron: bron(ingetrokken),
    notes: `Ook vanuit '${voorlopig}': anders blijft een verlaten concept voor altijd open staan (en telt het mee bij een personeelswijziging).`,
  };
  const decideFrom = [indienen, aangevuld];
  const decisions = (ds: readonly Decision[]): TransitionDefinition[] =>
    ds.map((d) => ({
      from: [...decideFrom],
      to: d.to,
      by: [...o.besluitDoor],
      effects: [],
      bron: d.bron,
      ...(d.notes === undefined ? {} : { notes: d.notes }),
    }));
  return {
    voorlopig,
    indienen,
    incompleet,
    vragen,
    aangevuld,
    ingetrokken,
    statuses,
    transitions,
    automatic,
    withdrawal,
    openAccess,
    closedAccess,
    bron,
    decideFrom,
    besluitDoor: o.besluitDoor,
    decisions,
  };
}
