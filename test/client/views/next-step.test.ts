// The guided hulpvraag (issue 21) derived from the process definitions themselves: the
// step bar, the checklist before indienen in the words the core uses when it refuses
// (core/workflow/vereisten.ts, R48), and the one next action per person.
import { describe, expect, it } from 'vitest';
import { PROCESS_DEFINITIONS } from '../../../core/processes/process-set.js';
import { TLV_VSO } from '../../../core/processes/tlv-vso.js';
import { TEAM_SCHOOLONDERSTEUNING } from '../../../core/processes/team-schoolondersteuning.js';
import { checkVereisten, vereistVoor, type AanwezigVoorOvergang } from '../../../core/workflow/vereisten.js';
import { volgendeStap, zichtbareTabs, type VolgendeStapInvoer } from '../../../core/client/views/next-step.js';
import type { ProcessDefinition } from '../../../core/workflow/definition.js';

const LEEG: AanwezigVoorOvergang = { ondertekening: 'ontbreekt', bijlageSoorten: [] };
const IB = ['intern-begeleider'] as const;

const invoer = (o: Partial<VolgendeStapInvoer>): VolgendeStapInvoer => ({
  definition: TLV_VSO,
  status: 'TLV voorlopige aanvraag',
  mogelijk: ['TLV aanvraag indienen', 'TLV aanvraag ingetrokken'],
  aanwezig: LEEG,
  formulierOntbrekend: [],
  heeftFormulier: true,
  roles: IB,
  ondertekeningGevraagd: false,
  ...o,
});

/** The step bar as the guided view shows it (the screen renders `volgendeStap(...).stappen`). */
const stapBalk = (definition: ProcessDefinition, status: string) => volgendeStap(invoer({ definition, status })).stappen;

describe('step bar from the process definition', () => {
  it('TLV VSO: voorlopige aanvraag → indienen → afgegeven, the current one marked', () => {
    expect(stapBalk(TLV_VSO, 'TLV voorlopige aanvraag')).toEqual([
      { status: 'TLV voorlopige aanvraag', stand: 'nu' },
      { status: 'TLV aanvraag indienen', stand: 'straks' },
      { status: 'TLV afgegeven', stand: 'straks' },
    ]);
  });

  it('a side road (vragen gesteld) shows up where the hulpvraag is, with the way on from there', () => {
    const s = stapBalk(TLV_VSO, 'TLV vragen gesteld');
    expect(s.map((x) => x.status)).toEqual([
      'TLV voorlopige aanvraag',
      'TLV aanvraag indienen',
      'TLV vragen gesteld',
      'TLV aanvraag aangevuld',
      'TLV afgegeven',
    ]);
    expect(s.map((x) => x.stand)).toEqual(['gedaan', 'gedaan', 'nu', 'straks', 'straks']);
  });

  it('every process and every status gets a bar that contains the status exactly once and ends in an end status (or where it is, past every end)', () => {
    for (const def of PROCESS_DEFINITIONS) {
      for (const st of def.statuses) {
        const s = stapBalk(def, st.status);
        expect(
          s.filter((x) => x.stand === 'nu').map((x) => x.status),
          `${def.id}/${st.status}`,
        ).toEqual([st.status]);
        const laatste = def.statuses.find((x) => x.status === s.at(-1)?.status);
        expect(laatste?.end, `${def.id}/${st.status}`).toBe(true);
      }
    }
  });
});

describe('checklist before indienen: the core rule, item by item [R48]', () => {
  it('names every missing requirement with the same words the refusal uses, linked to its tab', () => {
    const v = volgendeStap(invoer({ formulierOntbrekend: ['Gewenste school'] }));
    expect(v.volgende).toBe('TLV aanvraag indienen');
    expect(v.checklist.map((c) => [c.id, c.klaar, c.tab])).toEqual([
      ['formulier-volledig', false, 'formulier'],
      ['ondertekening', false, 'formulier'],
      ['bijlage:opp', false, 'hulpvraag'],
      ['bijlage:aanvraagformulier-ouders', false, 'hulpvraag'],
    ]);
    expect(v.checklist[0]?.ontbreekt).toContain('Gewenste school');
    // The refusal indienen gives for the same hulpvraag contains each checklist text.
    const weigering = checkVereisten(
      'TLV aanvraag indienen',
      vereistVoor(TLV_VSO, 'TLV voorlopige aanvraag', 'TLV aanvraag indienen'),
      LEEG,
    );
    expect(weigering.ok).toBe(false);
    for (const c of v.checklist.slice(1)) expect(!weigering.ok && weigering.error.message).toContain(c.ontbreekt);
    expect(v.actie).toEqual({ soort: 'tab', tab: 'formulier', label: 'Formulier invullen', item: 'formulier-volledig' });
  });

  it('a voided signature is named as such (the form changed after signing)', () => {
    const v = volgendeStap(invoer({ aanwezig: { ondertekening: 'vervallen', bijlageSoorten: ['opp', 'aanvraagformulier-ouders'] } }));
    expect(v.checklist.find((c) => c.id === 'ondertekening')?.ontbreekt).toContain('vervallen');
    expect(v.actie?.soort).toBe('ondertekening-vragen');
  });

  it('complete form, not signed: the IB asks for the signature; once asked, the next open item (a bijlage) is the action', () => {
    expect(volgendeStap(invoer({})).actie).toEqual({ soort: 'ondertekening-vragen', label: 'Ondertekening vragen' });
    const gevraagd = volgendeStap(invoer({ ondertekeningGevraagd: true }));
    expect(gevraagd.actie).toEqual({
      soort: 'tab',
      tab: 'hulpvraag',
      label: 'Bijlage toevoegen: Ontwikkelingsperspectiefplan (OPP)',
      item: 'bijlage:opp',
    });
    const alleenTekenen = volgendeStap(
      invoer({
        ondertekeningGevraagd: true,
        aanwezig: { ondertekening: 'ontbreekt', bijlageSoorten: ['opp', 'aanvraagformulier-ouders'] },
      }),
    );
    expect(alleenTekenen.actie).toBeNull();
    expect(alleenTekenen.wachtOp).toContain('bevoegd gezag');
  });

  it('everything there: the primary action is indienen itself, and the core agrees', () => {
    const aanwezig: AanwezigVoorOvergang = { ondertekening: 'geldig', bijlageSoorten: ['aanvraagformulier-ouders', 'opp'] };
    const v = volgendeStap(invoer({ aanwezig }));
    expect(v.checklist.every((c) => c.klaar)).toBe(true);
    expect(v.actie).toEqual({ soort: 'status', naar: 'TLV aanvraag indienen', label: 'Naar "TLV aanvraag indienen"' });
    expect(
      checkVereisten('TLV aanvraag indienen', vereistVoor(TLV_VSO, 'TLV voorlopige aanvraag', 'TLV aanvraag indienen'), aanwezig).ok,
    ).toBe(true);
  });

  it('the bevoegd gezag signs a complete form; someone without the move waits, told who moves next', () => {
    expect(volgendeStap(invoer({ roles: ['bevoegd-gezag'], mogelijk: [] })).actie?.soort).toBe('ondertekenen');
    expect(volgendeStap(invoer({ roles: ['bevoegd-gezag'], mogelijk: [], formulierOntbrekend: ['Gewenste school'] })).actie).toBeNull();
    const coo = volgendeStap(invoer({ status: 'TLV aanvraag indienen', roles: ['swv-coordinator'], mogelijk: [] }));
    expect(coo.actie).toBeNull();
    expect(coo.wachtOp).toContain('TLV afgegeven');
    // The coördinator may decide, but a TLV needs its volgnummer and deskundigen: no one-click decision.
    const besluit = volgendeStap(
      invoer({ status: 'TLV aanvraag indienen', roles: ['swv-coordinator'], mogelijk: ['TLV afgegeven', 'TLV vragen gesteld'] }),
    );
    expect(besluit.actie).toBeNull();
    expect(besluit.wachtOp).toContain('Status wijzigen');
  });

  it('a process without requirements has an empty checklist and goes straight to its next status', () => {
    const start = TEAM_SCHOOLONDERSTEUNING.starts[0]!.status;
    const bar = stapBalk(TEAM_SCHOOLONDERSTEUNING, start);
    const v = volgendeStap(
      invoer({ definition: TEAM_SCHOOLONDERSTEUNING, status: start, mogelijk: [bar[1]!.status], heeftFormulier: false }),
    );
    expect(v.checklist).toEqual([]);
    expect(v.actie).toEqual({ soort: 'status', naar: bar[1]!.status, label: `Naar "${bar[1]!.status}"` });
  });
});

describe('tabs for this person', () => {
  it('an ouder gets the reduced view; others see Formulier and TLV only where the hulpvraag has them', () => {
    expect(zichtbareTabs(['ouder'], { heeftFormulier: true, tlvProces: true })).toEqual(['hulpvraag', 'leerling', 'overlegronde']);
    expect(zichtbareTabs(IB, { heeftFormulier: false, tlvProces: false })).not.toContain('formulier');
    expect(zichtbareTabs(IB, { heeftFormulier: false, tlvProces: false })).not.toContain('tlv');
    expect(zichtbareTabs(IB, { heeftFormulier: true, tlvProces: true })).toEqual(expect.arrayContaining(['formulier', 'tlv', 'toegang']));
  });
});
