// BaO-BaO (000): "Gebruik Kindkans op schoolniveau voor overleg tussen basisscholen" — the
// owning school shares a hulpvraag with a partner school for the duration of the overleg.
import type { ProcessDefinition } from '../workflow/definition.js';
import { AANVRAGER, PARTNERSCHOOL, SCHOOL, SCHOOL_OWNS } from './building-blocks.js';

export const BAO_BAO: ProcessDefinition = {
  id: 'bao-bao',
  naam: 'BaO-BaO overleg',
  bron: ['000'],
  omschrijving:
    'Overleg tussen twee basisscholen over een leerling (bijvoorbeeld bij een overstap), op schoolniveau en zonder het samenwerkingsverband.',
  starts: [{ titel: 'BaO-BaO overleg', status: 'BaO-BaO overleg voorbereiden', formulier: null, by: [...SCHOOL] }],
  statuses: [
    {
      status: 'BaO-BaO overleg voorbereiden',
      betekenis: 'De eigen school zet de hulpvraag klaar; de partnerschool ziet nog niets.',
      end: false,
      bron: 'besluit',
      access: [SCHOOL_OWNS],
      onEnter: [],
    },
    {
      status: 'BaO-BaO overleg gestart',
      betekenis: 'De partnerschool is gekoppeld en ziet de hulpvraag en de leerlinggegevens.',
      end: false,
      bron: 'besluit',
      access: [
        SCHOOL_OWNS,
        { to: PARTNERSCHOOL, scopes: ['hulpvraag'], rights: ['read', 'write'] },
        { to: PARTNERSCHOOL, scopes: ['leerling'], rights: ['read'] },
      ],
      omschrijvingVerplicht:
        'Noem de partnerschool en vermeld dat de ouders toestemming gaven om gegevens te delen (000: toestemmingsformulier).',
      onEnter: [{ kind: 'notify', to: PARTNERSCHOOL }],
    },
    {
      status: 'BaO-BaO overleg afgerond',
      betekenis: 'Het overleg is klaar; de partnerschool verliest de toegang.',
      end: true,
      bron: 'besluit',
      access: [SCHOOL_OWNS],
      onEnter: [{ kind: 'notify', to: PARTNERSCHOOL }],
    },
  ],
  transitions: [
    { from: ['BaO-BaO overleg voorbereiden'], to: 'BaO-BaO overleg gestart', by: [...SCHOOL], effects: [], bron: 'besluit' },
    { from: ['BaO-BaO overleg gestart'], to: 'BaO-BaO overleg afgerond', by: [...SCHOOL], effects: [], bron: 'besluit' },
  ],
  automatic: [],
  withdrawal: {
    to: 'BaO-BaO overleg afgerond',
    by: [...SCHOOL],
    exceptFrom: [],
    bron: 'besluit',
    notes: 'Er is geen aanvraag om in te trekken; de eigen school kan het overleg vanuit elke open status afronden.',
  },
  notifyOnEveryChange: [AANVRAGER],
  notes: [
    'De afsprakenkaart PO (000) noemt BaO-BaO alleen als toepassing, zonder statussen; alle statusnamen hier zijn ons besluit.',
    'Alleen de eigen school (eigenaar van het dossier, 000) zet de status; de partnerschool leest en reageert in de hulpvraag en in overlegronden.',
    'De partnerschool krijgt pas toegang na toestemming van de ouders (omschrijving verplicht) en verliest die bij afronden: toegang is doelgebonden en tijdelijk.',
  ],
};
