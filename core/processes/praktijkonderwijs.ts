// Praktijkonderwijs zij-instroom (002 "PRO zij-instroom"): the loketvergadering decides
// akkoord (PrO afgegeven), afwijzing (PrO afwijzing) or aangehouden (PrO vragen gesteld).
import type { ProcessDefinition } from '../workflow/definition.js';
import { aanvraagFlow } from './aanvraag-flow.js';
import { AANVRAGER, SCHOOL } from './building-blocks.js';

const flow = aanvraagFlow({
  prefix: 'PrO',
  seed: '002',
  namesInSeed: [
    'PrO voorlopige aanvraag',
    'PrO aanvraag indienen',
    'PrO aanvraag incompleet',
    'PrO vragen gesteld',
    'PrO aanvraag aangevuld',
  ],
  intake: ['swv-loket', 'swv-coordinator'],
  // "aangehouden" in the loketvergadering becomes PrO vragen gesteld (002 stap 11).
  vragenDoor: ['swv-loket', 'swv-coordinator'],
  besluitDoor: ['swv-loket', 'swv-coordinator'],
  aangevuldMelden: ['swv-loket'],
  // 002 stap 7: the bevoegd gezag signs; the OPP is required only in some cases, so no bijlage is.
  indienenVereist: { ondertekendFormulier: true, bijlagen: [] },
});

export const PRAKTIJKONDERWIJS: ProcessDefinition = {
  id: 'praktijkonderwijs',
  naam: 'Praktijkonderwijs (zij-instroom)',
  bron: ['002'],
  omschrijving:
    'Toelaatbaarheid tot het praktijkonderwijs voor een leerling die tussentijds instroomt; het LVS-tabblad levert IQ en DLE voor het berekend advies.',
  starts: [{ titel: 'Praktijkonderwijs', status: 'PrO voorlopige aanvraag', formulier: 'Aanvraag Praktijkonderwijs', by: [...SCHOOL] }],
  statuses: [
    ...flow.statuses,
    {
      status: 'PrO afgegeven',
      betekenis: 'Akkoord van de loketvergadering: de TLV PrO is afgegeven; de school stuurt de brief naar de ouders.',
      end: true,
      bron: '002',
      access: flow.closedAccess,
      recordsTlv: true,
      onEnter: [{ kind: 'copy-to-ouders', document: 'besluit' }],
    },
    {
      status: 'PrO afwijzing',
      betekenis:
        'De loketvergadering wijst af; de toelichting staat in de omschrijving van de statuswijziging; de aanvrager krijgt een melding (zonder inhoud) en leest de toelichting in Kindkluis.',
      end: true,
      bron: '002',
      access: flow.closedAccess,
      omschrijvingVerplicht: 'Geef de toelichting op de afwijzing (002: "Bij een afwijzing krijgt u een toelichting").',
      onEnter: [{ kind: 'copy-to-ouders', document: 'besluit' }],
    },
  ],
  transitions: [
    ...flow.transitions,
    ...flow.decisions([
      {
        to: 'PrO afgegeven',
        bron: '002',
        notes:
          'Akkoord in de loketvergadering. Er is geen aparte status "akkoord": de TLV PrO wordt direct afgegeven, met de TLV-gegevens.',
      },
      { to: 'PrO afwijzing', bron: '002', notes: 'Afwijzing in de loketvergadering.' },
    ]),
  ],
  automatic: flow.automatic,
  withdrawal: flow.withdrawal,
  notifyOnEveryChange: [AANVRAGER],
  notes: [
    "Aangehouden in de loketvergadering = 'PrO vragen gesteld' (002 stap 11); de beantwoording als bijlage zet de status op 'PrO aanvraag aangevuld'.",
    "De handleiding noemt geen intrekstatus voor PrO; naar analogie van TLV en FA is er 'PrO aanvraag ingetrokken'.",
    "De handleiding noemt als gekoppeld formulier eerst 'Aanvraag Praktijkonderwijs' en later 'Aanvraagformulier TLV PrO'; wij koppelen 'Aanvraag Praktijkonderwijs' (stap 1).",
    "'PrO afgegeven' is een TLV PrO: het legt volgnummer, categorie, looptijd en de twee deskundigen vast, net als 'TLV afgegeven'.",
  ],
};
