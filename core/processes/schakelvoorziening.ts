// Schakelvoorziening (002): the manual stops after SV aanvraag indienen; the rest follows
// the FA flow by analogy (decisions recorded in the notes).
import type { ProcessDefinition } from '../workflow/definition.js';
import { aanvraagFlow } from './aanvraag-flow.js';
import { AANVRAGER, SCHOOL } from './building-blocks.js';

const flow = aanvraagFlow({
  prefix: 'SV',
  seed: '002',
  namesInSeed: ['SV voorlopige aanvraag', 'SV aanvraag indienen'],
  intake: ['swv-loket', 'swv-coordinator'],
  vragenDoor: ['swv-loket', 'swv-coordinator'],
  besluitDoor: ['swv-coordinator'],
  aangevuldMelden: ['swv-loket'],
});

export const SCHAKELVOORZIENING: ProcessDefinition = {
  id: 'schakelvoorziening',
  naam: 'Schakelvoorziening',
  bron: ['002'],
  omschrijving: 'Aanvraag van een plaats in de schakelvoorziening van het samenwerkingsverband.',
  starts: [{ titel: 'Schakelvoorziening', status: 'SV voorlopige aanvraag', formulier: 'Aanvraag Schakelvoorziening', by: [...SCHOOL] }],
  statuses: [
    ...flow.statuses,
    {
      status: 'SV afgegeven',
      betekenis: 'De plaatsing in de schakelvoorziening is toegekend.',
      end: true,
      bron: 'besluit',
      access: flow.closedAccess,
      onEnter: [{ kind: 'copy-to-ouders', document: 'besluit' }],
    },
    {
      status: 'SV afgewezen',
      betekenis: 'De plaatsing is afgewezen; de brief staat in de bijlagen.',
      end: true,
      bron: 'besluit',
      access: flow.closedAccess,
      omschrijvingVerplicht: 'Geef kort de reden van de afwijzing.',
      onEnter: [{ kind: 'copy-to-ouders', document: 'besluit' }],
    },
  ],
  transitions: [
    ...flow.transitions,
    ...flow.decisions([
      { to: 'SV afgegeven', bron: 'besluit' },
      { to: 'SV afgewezen', bron: 'besluit' },
    ]),
  ],
  automatic: flow.automatic,
  withdrawal: flow.withdrawal,
  notifyOnEveryChange: [AANVRAGER],
  notes: [
    "De handleiding (002) beschrijft alleen 'SV voorlopige aanvraag' en 'SV aanvraag indienen' en zegt dat aanvullende informatie gevraagd kan worden. De overige statussen volgen de naamgeving van het Financieel Arrangement (incompleet, vragen gesteld, aangevuld, afgegeven, afgewezen, ingetrokken), zodat scholen één patroon leren.",
    'Het besluit over plaatsing neemt de coördinator van het samenwerkingsverband; een schakelvoorziening kent geen TLV en dus geen volgnummer.',
  ],
};
