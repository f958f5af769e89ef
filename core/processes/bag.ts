// BAG for basisscholen (002 "BAG (voor basisscholen)"): a request that is put on the agenda of
// a meeting; BAG geagendeerd carries the meeting date in its omschrijving.
import type { ProcessDefinition } from '../workflow/definition.js';
import { aanvraagFlow } from './aanvraag-flow.js';
import { AANVRAGER, SCHOOL } from './building-blocks.js';

const flow = aanvraagFlow({
  prefix: 'BAG',
  seed: '002',
  namesInSeed: ['BAG voorlopige aanvraag', 'BAG aanvraag indienen'],
  intake: ['swv-loket', 'swv-coordinator'],
  vragenDoor: ['swv-loket', 'swv-coordinator'],
  besluitDoor: ['swv-loket', 'swv-coordinator'],
  aangevuldMelden: ['swv-loket'],
});
// Who agendeert, verplaatst and closes the bespreking: those who decide on the aanvraag.
const agenda = flow.besluitDoor;

export const BAG: ProcessDefinition = {
  id: 'bag',
  naam: 'BAG',
  bron: ['002'],
  omschrijving:
    'Een basisschool vraagt een bespreking aan; het samenwerkingsverband agendeert die en de omschrijving geeft de vergaderdatum.',
  starts: [{ titel: 'BAG', status: 'BAG voorlopige aanvraag', formulier: 'Aanvraag BAG', by: [...SCHOOL] }],
  statuses: [
    ...flow.statuses,
    {
      status: 'BAG geagendeerd',
      betekenis: 'De aanvraag staat op de agenda; de omschrijving zegt wanneer de vergadering is.',
      end: false,
      bron: '002',
      access: flow.openAccess,
      omschrijvingVerplicht:
        'Vermeld datum en tijd van de vergadering (002: "in de omschrijving daarbij zien wanneer de vergadering gepland staat").',
      onEnter: [],
    },
    {
      status: 'BAG afgerond',
      betekenis: 'De bespreking heeft plaatsgevonden; het advies staat in de bijlagen.',
      end: true,
      bron: 'besluit',
      access: flow.closedAccess,
      onEnter: [{ kind: 'copy-to-ouders', document: 'onderwijsadvies' }],
    },
  ],
  transitions: [
    ...flow.transitions,
    ...flow.decisions([{ to: 'BAG geagendeerd', bron: '002' }]),
    {
      from: ['BAG geagendeerd'],
      to: 'BAG geagendeerd',
      by: [...agenda],
      effects: [],
      bron: 'besluit',
      notes: 'Verplaatsen: opnieuw geagendeerd met een nieuwe datum in de omschrijving; de aanvrager krijgt bericht.',
    },
    {
      from: ['BAG geagendeerd'],
      to: 'BAG aanvraag incompleet',
      by: [...agenda],
      effects: [],
      bron: 'besluit',
      notes:
        '002 staat toe eerst alleen een datum te reserveren en later formulier en bijlagen aan te vullen; ontbreekt er dan nog iets, dan gaat de aanvraag terug naar incompleet.',
    },
    { from: ['BAG geagendeerd'], to: 'BAG afgerond', by: [...agenda], effects: [], bron: 'besluit' },
  ],
  automatic: flow.automatic,
  withdrawal: flow.withdrawal,
  notifyOnEveryChange: [AANVRAGER],
  notes: [
    "De handleiding (002) noemt 'BAG voorlopige aanvraag', 'BAG aanvraag indienen' en 'BAG geagendeerd'. Voor ontbrekende informatie gebruiken we 'BAG aanvraag incompleet'/'BAG vragen gesteld'/'BAG aanvraag aangevuld' zoals bij de andere aanvragen, en de bespreking eindigt in 'BAG afgerond'.",
    "Bij 'BAG geagendeerd' is de omschrijving verplicht: die bevat de vergaderdatum.",
    'Ouders krijgen een afschrift van het advies uit de bespreking.',
  ],
};
