// The guided hulpvraag (issue 21): the step bar, the checklist before the next move and
// the one next action, derived from the process definition and what the hulpvraag holds.
// Pure: the screen and the Node tests call the same function. What a move requires is not
// decided here: the checklist asks core/workflow/vereisten.ts item by item (R48, one home).
import type { Role } from '../../model/role.js';
import { BIJLAGE_SOORTEN, type BijlageSoort } from '../../model/hulpvraag.js';
import type { ProcessDefinition } from '../../workflow/definition.js';
import { statusDefinition } from '../../workflow/engine.js';
import { ontbrekendVoorOvergang, vereistVoor, type AanwezigVoorOvergang } from '../../workflow/vereisten.js';

/** A tab of the dossier page a checklist item or action points to. */
export type DossierTab =
  | 'leerling'
  | 'basisgegevens'
  | 'schoolgegevens'
  | 'hulpvraag'
  | 'lvs'
  | 'aanpak'
  | 'tlv'
  | 'formulier'
  | 'overlegronde'
  | 'notities'
  | 'toegang';

export interface Stap {
  readonly status: string;
  readonly stand: 'gedaan' | 'nu' | 'straks';
}

export interface ChecklistItem {
  readonly id: 'formulier-volledig' | 'ondertekening' | `bijlage:${BijlageSoort}`;
  /** What is needed, in Dutch. */
  readonly label: string;
  readonly klaar: boolean;
  /** When not klaar: what is missing (the text the core gives when it refuses the move). */
  readonly ontbreekt: string | null;
  readonly tab: DossierTab;
}

export type VolgendeActie =
  | { readonly soort: 'status'; readonly naar: string; readonly label: string }
  | { readonly soort: 'tab'; readonly tab: DossierTab; readonly label: string; readonly item: ChecklistItem['id'] }
  | { readonly soort: 'ondertekening-vragen'; readonly label: string }
  | { readonly soort: 'ondertekenen'; readonly label: string };

export interface VolgendeStapInvoer {
  readonly definition: ProcessDefinition;
  readonly status: string;
  /** Statuses this person may choose now (core/workflow/available.ts via the facade). */
  readonly mogelijk: readonly string[];
  readonly aanwezig: AanwezigVoorOvergang;
  /** Required questions of the hulpvraag's form still empty; empty when there is no form. */
  readonly formulierOntbrekend: readonly string[];
  readonly heeftFormulier: boolean;
  readonly roles: readonly Role[];
  /** The bevoegd gezag was already asked to sign (and has not yet). */
  readonly ondertekeningGevraagd: boolean;
}

export interface VolgendeStap {
  readonly stappen: readonly Stap[];
  /** The status the guided path goes to next, or null at an end status. */
  readonly volgende: string | null;
  readonly checklist: readonly ChecklistItem[];
  readonly actie: VolgendeActie | null;
  /** Said when there is no action for this person (someone else moves next). */
  readonly wachtOp: string | null;
}

/** Moves out of a status, explicit and automatic, without withdrawal: the edges of the guided path. */
function edges(def: ProcessDefinition, from: string): string[] {
  return [
    ...def.transitions.filter((t) => t.from.includes(from)).map((t) => t.to),
    ...def.automatic.filter((a) => a.in.includes(from)).map((a) => a.to),
  ];
}

/** Shortest route (breadth first, in definition order) from `from` to `to`, both included; null if none. */
function route(def: ProcessDefinition, from: string, to: string): string[] | null {
  const prev = new Map<string, string | null>([[from, null]]);
  const todo = [from];
  for (let n = todo.shift(); n !== undefined; n = todo.shift()) {
    if (n === to) {
      const out: string[] = [];
      for (let x: string | null = n; x !== null; x = prev.get(x) ?? null) out.unshift(x);
      return out;
    }
    for (const m of edges(def, n)) {
      if (!prev.has(m)) {
        prev.set(m, n);
        todo.push(m);
      }
    }
  }
  return null;
}

/**
 * The end people aim for from `status`: an end status reachable from there, not the
 * withdrawal unless it is the only end, preferring one that needs no motivation (a refusal asks for one), then the
 * definition's order.
 */
function doelVanaf(def: ProcessDefinition, status: string): string | null {
  const bereikbaar = def.statuses.filter((s) => s.end && route(def, status, s.status) !== null);
  // Where withdrawing is also the normal way to finish (Team Schoolondersteuning: AFGEROND), it is the end.
  const eindes = bereikbaar.some((s) => s.status !== def.withdrawal?.to)
    ? bereikbaar.filter((s) => s.status !== def.withdrawal?.to)
    : bereikbaar;
  return (eindes.find((s) => s.omschrijvingVerplicht === undefined) ?? eindes[0])?.status ?? null;
}

/**
 * The step bar: the shortest route from the process start to the end people aim for,
 * through the current status when the hulpvraag took a side road (incompleet, vragen gesteld).
 */
function stappenVan(def: ProcessDefinition, status: string): Stap[] {
  const start = def.starts.find((s) => route(def, s.status, status) !== null)?.status ?? status;
  const naarNu = route(def, start, status) ?? [status];
  const doel = statusDefinition(def, status)?.end === true ? null : doelVanaf(def, status);
  const verder = doel === null ? [status] : (route(def, status, doel) ?? [status]);
  const pad = [...naarNu, ...verder.slice(1)];
  const i = pad.indexOf(status);
  return pad.map((s, j) => ({ status: s, stand: j < i ? 'gedaan' : j === i ? 'nu' : 'straks' }));
}

const BIJLAGE_TAB: DossierTab = 'hulpvraag';

/** The checklist for the move `from` → `to`, one item per requirement the definition names. */
export function checklistVoor(
  def: ProcessDefinition,
  from: string,
  to: string,
  aanwezig: AanwezigVoorOvergang,
  formulierOntbrekend: readonly string[],
): ChecklistItem[] {
  const vereist = vereistVoor(def, from, to);
  if (vereist === null) return [];
  const out: ChecklistItem[] = [];
  // Each item asks the core's rule on its own, so the words and the verdict are the ones indienen gives.
  const mist = (v: Parameters<typeof ontbrekendVoorOvergang>[0]): string | null => ontbrekendVoorOvergang(v, aanwezig)[0] ?? null;
  if (vereist.ondertekendFormulier) {
    const ontbreekt = formulierOntbrekend.length > 0 ? `nog niet ingevuld: ${formulierOntbrekend.join(', ')}` : null;
    out.push({
      id: 'formulier-volledig',
      label: 'Aanvraagformulier volledig ingevuld',
      klaar: ontbreekt === null && aanwezig.ondertekening !== 'geen-formulier',
      ontbreekt: ontbreekt ?? mist({ ondertekendFormulier: true, bijlagen: [] }),
      tab: 'formulier',
    });
    const sig = mist({ ondertekendFormulier: true, bijlagen: [] });
    out.push({
      id: 'ondertekening',
      label: 'Digitaal ondertekend door het bevoegd gezag',
      klaar: sig === null,
      ontbreekt: sig,
      tab: 'formulier',
    });
    // A complete form counts as such once signed, whatever was typed since reading it here.
    if (sig === null) out[0] = { ...out[0]!, klaar: true, ontbreekt: null };
  }
  for (const soort of vereist.bijlagen) {
    const ontbreekt = mist({ ondertekendFormulier: false, bijlagen: [soort] });
    out.push({
      id: `bijlage:${soort}`,
      label: `Bijlage: ${BIJLAGE_SOORTEN[soort]}`,
      klaar: ontbreekt === null,
      ontbreekt,
      tab: BIJLAGE_TAB,
    });
  }
  return out;
}

const ACTIE_LABEL: Record<ChecklistItem['id'] extends infer K ? (K extends `bijlage:${string}` ? 'bijlage' : K) : never, string> = {
  'formulier-volledig': 'Formulier invullen',
  ondertekening: 'Ondertekening vragen',
  bijlage: 'Bijlage toevoegen',
};

/** The guided view of one hulpvraag for one person. */
export function volgendeStap(i: VolgendeStapInvoer): VolgendeStap {
  const stappen = stappenVan(i.definition, i.status);
  const nu = stappen.findIndex((s) => s.stand === 'nu');
  const volgende = stappen[nu + 1]?.status ?? null;
  const checklist = volgende === null ? [] : checklistVoor(i.definition, i.status, volgende, i.aanwezig, i.formulierOntbrekend);
  const bevoegdGezag = i.roles.includes('bevoegd-gezag');
  const formulierKlaar = checklist.find((c) => c.id === 'formulier-volledig')?.klaar === true;
  const tekenen = checklist.find((c) => c.id === 'ondertekening');
  // The bevoegd gezag's one action is signing, once there is something complete to sign.
  if (bevoegdGezag && tekenen && !tekenen.klaar && formulierKlaar) {
    return { stappen, volgende, checklist, actie: { soort: 'ondertekenen', label: 'Formulier bekijken en ondertekenen' }, wachtOp: null };
  }
  if (volgende === null || !i.mogelijk.includes(volgende)) {
    const wachtOp =
      volgende === null ? null : `De volgende stap ("${volgende}") zet het samenwerkingsverband of een ander die daartoe bevoegd is.`;
    return { stappen, volgende, checklist, actie: null, wachtOp };
  }
  const open = checklist.find((c) => !c.klaar);
  if (open === undefined) {
    // A status that asks for more (a motivation, the TLV's volgnummer and deskundigen) is chosen in Status wijzigen, never in one click.
    const doel = statusDefinition(i.definition, volgende);
    if (doel?.recordsTlv === true || doel?.omschrijvingVerplicht !== undefined) {
      return {
        stappen,
        volgende,
        checklist,
        actie: null,
        wachtOp: `Volgende stap: "${volgende}". Kies die onder Status wijzigen en vul daar in wat erbij hoort.`,
      };
    }
    return { stappen, volgende, checklist, actie: { soort: 'status', naar: volgende, label: `Naar "${volgende}"` }, wachtOp: null };
  }
  if (open.id === 'ondertekening') {
    if (i.ondertekeningGevraagd) {
      const verder = checklist.find((c) => !c.klaar && c.id !== 'ondertekening');
      if (verder)
        return {
          stappen,
          volgende,
          checklist,
          actie: {
            soort: 'tab',
            tab: verder.tab,
            label: `${ACTIE_LABEL.bijlage}: ${verder.label.replace(/^Bijlage: /, '')}`,
            item: verder.id,
          },
          wachtOp: null,
        };
      return { stappen, volgende, checklist, actie: null, wachtOp: 'Het bevoegd gezag is gevraagd het formulier te ondertekenen.' };
    }
    return { stappen, volgende, checklist, actie: { soort: 'ondertekening-vragen', label: ACTIE_LABEL.ondertekening }, wachtOp: null };
  }
  const label =
    open.id === 'formulier-volledig'
      ? ACTIE_LABEL['formulier-volledig']
      : `${ACTIE_LABEL.bijlage}: ${open.label.replace(/^Bijlage: /, '')}`;
  return { stappen, volgende, checklist, actie: { soort: 'tab', tab: open.tab, label, item: open.id }, wachtOp: null };
}

/**
 * The tabs worth showing to this person for this hulpvraag: an ouder sees the reduced view
 * (the hulpvraag, their child, the overlegronde they take part in); Formulier only where the
 * titel attaches a form; TLV only in a process that records one. The Hulpvraag tab comes
 * first: it carries the step bar and the next action.
 */
export function zichtbareTabs(
  roles: readonly Role[],
  h: { readonly heeftFormulier: boolean; readonly tlvProces: boolean } | null,
): DossierTab[] {
  const ouder = roles.length > 0 && roles.every((r) => r === 'ouder');
  if (ouder) return ['hulpvraag', 'leerling', 'overlegronde'];
  const alle: DossierTab[] = [
    'hulpvraag',
    'formulier',
    'leerling',
    'basisgegevens',
    'schoolgegevens',
    'lvs',
    'aanpak',
    'tlv',
    'overlegronde',
    'notities',
    'toegang',
  ];
  return alle.filter((t) => (t === 'formulier' ? h?.heeftFormulier === true : t === 'tlv' ? h?.tlvProces === true : true));
}

/** The process records a TLV somewhere (a status with `recordsTlv`). */
export const procesMetTlv = (def: ProcessDefinition): boolean => def.statuses.some((s) => s.recordsTlv === true);
