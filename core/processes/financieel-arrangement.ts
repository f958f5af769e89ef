// Financieel Arrangement (002 "Financiële Arrangement"), with the evaluation that a
// bijlage after FA afgegeven represents.
import type { ProcessDefinition } from '../workflow/definition.js';
import { aanvraagFlow } from './aanvraag-flow.js';
import { AANVRAGER, SCHOOL } from './building-blocks.js';
import { ONDERTEKEND_MET_OPP } from './tlv-vso.js';

const flow = aanvraagFlow({
  prefix: 'FA',
  seed: '002',
  namesInSeed: ['FA voorlopige aanvraag', 'FA aanvraag indienen', 'FA aanvraag incompleet', 'FA vragen gesteld', 'FA aanvraag ingetrokken'],
  intake: ['swv-loket', 'swv-coordinator'],
  vragenDoor: ['swv-loket', 'swv-coordinator'],
  besluitDoor: ['swv-coordinator', 'commissie-toelaatbaarheid'],
  aangevuldMelden: ['swv-loket'],
  indienenVereist: ONDERTEKEND_MET_OPP,
});

export const FINANCIEEL_ARRANGEMENT: ProcessDefinition = {
  id: 'financieel-arrangement',
  naam: 'Financieel Arrangement',
  bron: ['002'],
  omschrijving: 'Aanvraag van extra middelen voor de ondersteuning van een leerling op de eigen school, met een evaluatie na toekenning.',
  starts: [
    { titel: 'Financieel Arrangement', status: 'FA voorlopige aanvraag', formulier: 'Aanvraag Financieel Arrangement', by: [...SCHOOL] },
  ],
  statuses: [
    ...flow.statuses,
    {
      status: 'FA afgegeven',
      betekenis:
        'Het arrangement is toegekend; de toewijzingsbrief zegt wanneer de evaluatie moet komen. Een bijlage van de school geldt als die evaluatie.',
      end: false,
      bron: '002',
      access: flow.openAccess,
      onEnter: [{ kind: 'copy-to-ouders', document: 'besluit' }],
    },
    {
      status: 'FA afgewezen',
      betekenis: 'Het arrangement is afgewezen; de brief staat in de bijlagen.',
      end: true,
      bron: '002',
      access: flow.closedAccess,
      omschrijvingVerplicht: 'Geef kort de reden van de afwijzing; de motivering staat in de brief in de bijlagen.',
      onEnter: [{ kind: 'copy-to-ouders', document: 'besluit' }],
    },
    {
      status: 'FA evaluatie toegevoegd',
      betekenis: 'De school heeft de evaluatie toegevoegd; het arrangement is afgesloten.',
      end: true,
      bron: '002',
      access: flow.closedAccess,
      onEnter: [{ kind: 'notify', to: { kind: 'role', role: 'swv-coordinator' } }],
    },
  ],
  transitions: [
    ...flow.transitions,
    ...flow.decisions([
      { to: 'FA afgegeven', bron: '002' },
      { to: 'FA afgewezen', bron: '002' },
    ]),
    {
      from: ['FA afgegeven'],
      to: 'FA evaluatie toegevoegd',
      by: [...SCHOOL],
      effects: [],
      bron: 'besluit',
      notes: 'Ook met de hand, als de evaluatie in het formulier staat in plaats van in een bijlage.',
    },
  ],
  automatic: [
    ...flow.automatic,
    {
      on: 'bijlage-toegevoegd',
      in: ['FA afgegeven'],
      to: 'FA evaluatie toegevoegd',
      by: [...SCHOOL],
      bron: '002',
      notes: '002: "Als u dan een bijlage toevoegt aan de hulpvraag, wordt verondersteld dat dit de gewenste evaluatie is."',
    },
  ],
  withdrawal: flow.withdrawal,
  notifyOnEveryChange: [AANVRAGER],
  notes: [
    "'FA afgegeven' is geen eindstatus: er volgt nog een evaluatie (002 stap 10). 'FA evaluatie toegevoegd' is de eindstatus; een vervolgarrangement is een nieuwe hulpvraag.",
    "Intrekken kan ook na 'FA afgegeven' (bijvoorbeeld als de leerling vertrekt): de regel 'intrekken vanuit elke open status' geldt zonder uitzondering.",
    "De handleiding noemt de status na een bijlage in 'FA aanvraag incompleet'/'FA vragen gesteld' niet bij naam ('de hulpvraagstatus zal automatisch veranderen'); naar analogie van TLV en PrO heet die 'FA aanvraag aangevuld'.",
    'Ouders krijgen een afschrift van het besluit (toekenning of afwijzing).',
  ],
};
