// Team Schoolondersteuning (003): the IB/COO files the hulpvraag and an aanpak with the
// regierolhouder as behandelaar; the regierolhouder reports progress by status; the IB/COO closes.
import type { AccessEntry, ProcessDefinition } from '../workflow/definition.js';
import { AANVRAGER, BEHANDELAAR, COORDINATOR, SCHOOL_OWNS } from './building-blocks.js';

const IB_COO = ['intern-begeleider', 'ondersteuningscoordinator', 'schakelfunctionaris-onderwijs'] as const;

const TEAM: AccessEntry[] = [
  SCHOOL_OWNS,
  { to: COORDINATOR, scopes: ['hulpvraag', 'formulieren'], rights: ['read', 'write'] },
  { to: COORDINATOR, scopes: ['leerling'], rights: ['read'] },
  // The regierolhouder adds its own detail form (003 stap 3) and reads the school's.
  { to: BEHANDELAAR, scopes: ['hulpvraag', 'formulieren'], rights: ['read', 'write'] },
  { to: BEHANDELAAR, scopes: ['leerling'], rights: ['read'] },
];
// 003 names the schakelfunctionaris in the coördinator field, not every holder of the role in the SWV;
// at AFGEROND the coördinator and the behandelaar lose access, the content stays with the school.
const CLOSED: AccessEntry[] = [SCHOOL_OWNS];

export const TEAM_SCHOOLONDERSTEUNING: ProcessDefinition = {
  id: 'team-schoolondersteuning',
  naam: 'Team Schoolondersteuning',
  bron: ['003'],
  omschrijving:
    'Een hulpvraag uit de school die het schakelteam aan een regierolhouder (CJG, SMW, TJG, BPO of orthopedagoog) toewijst; Kindkluis registreert dat er afspraken zijn, niet de inhoud van de gesprekken.',
  starts: [{ titel: 'Team Schoolondersteuning', status: 'AANGEMELD', formulier: 'Team Schoolondersteuning', by: [...IB_COO] }],
  statuses: [
    {
      status: 'AANGEMELD',
      betekenis: 'De IB/COO heeft de hulpvraag met formulier en aanpak aangemaakt; de regierolhouder is als behandelaar uitgenodigd.',
      end: false,
      bron: 'besluit',
      access: TEAM,
      onEnter: [{ kind: 'notify', to: BEHANDELAAR }],
    },
    {
      status: 'GEAGENDEERD',
      betekenis: 'De regierolhouder bevestigt de taak; de IB/COO krijgt bericht dat de hulpvraag in behandeling is.',
      end: false,
      bron: '003',
      access: TEAM,
      onEnter: [],
    },
    {
      status: 'TUSSENTIJDSE EVALUATIE',
      betekenis: 'De regierolhouder wil met de IB/COO afstemmen over de voortgang.',
      end: false,
      bron: '003',
      access: TEAM,
      onEnter: [],
    },
    {
      status: 'RETOUR NAAR SCHAKELTEAM',
      betekenis:
        'De taak van de regierolhouder is klaar, of er is andere expertise nodig; de IB/COO beslist over afsluiten of een nieuwe regierolhouder.',
      end: false,
      bron: '003',
      access: TEAM,
      onEnter: [],
    },
    {
      status: 'AFGEROND',
      betekenis: 'De IB/COO heeft de hulpvraag afgesloten, zodat open en afgeronde hulpvragen gescheiden blijven.',
      end: true,
      bron: '003',
      access: CLOSED,
      onEnter: [{ kind: 'notify', to: BEHANDELAAR }],
    },
  ],
  transitions: [
    { from: ['AANGEMELD'], to: 'GEAGENDEERD', by: ['regierolhouder'], effects: [], bron: '003', notes: 'Ter bevestiging van de taak.' },
    { from: ['GEAGENDEERD'], to: 'TUSSENTIJDSE EVALUATIE', by: ['regierolhouder'], effects: [], bron: '003' },
    {
      from: ['TUSSENTIJDSE EVALUATIE'],
      to: 'GEAGENDEERD',
      by: ['regierolhouder'],
      effects: [],
      bron: 'besluit',
      notes: 'Na de afstemming gaat het werk door.',
    },
    { from: ['GEAGENDEERD', 'TUSSENTIJDSE EVALUATIE'], to: 'RETOUR NAAR SCHAKELTEAM', by: ['regierolhouder'], effects: [], bron: '003' },
    { from: ['RETOUR NAAR SCHAKELTEAM'], to: 'AFGEROND', by: [...IB_COO], effects: [], bron: '003' },
    {
      from: ['RETOUR NAAR SCHAKELTEAM'],
      to: 'AANGEMELD',
      by: [...IB_COO],
      effects: [],
      bron: 'besluit',
      notes:
        'Als andere expertise nodig is: de IB/COO wijst een nieuwe regierolhouder toe (coördinator en aanpak) en die bevestigt weer met GEAGENDEERD.',
    },
  ],
  automatic: [],
  withdrawal: {
    to: 'AFGEROND',
    by: [...IB_COO],
    exceptFrom: [],
    bron: 'besluit',
    notes: 'Er is geen aparte intrekstatus; de IB/COO kan de hulpvraag vanuit elke open status afsluiten met AFGEROND.',
  },
  notifyOnEveryChange: [AANVRAGER, COORDINATOR],
  notes: [
    "De werkinstructie (003) noemt geen beginstatus; wij beginnen in 'AANGEMELD' zodat de regierolhouder de taak met GEAGENDEERD kan bevestigen.",
    'Alleen de toegewezen regierolhouder (coördinator of behandelaar van de aanpak) kan de status zetten; de rol alleen is niet genoeg.',
    'Statusnamen in hoofdletters, zoals in de werkinstructie.',
    'Bij AFGEROND vervalt de toegang van de behandelaar en de coördinator: Kindkluis is hier een registratie- en monitoringstool, de inhoud blijft bij de school.',
    'De schakelfunctionaris verbinding onderwijs/jeugdhulp leest een hulpvraag alleen als hij in het veld coördinator staat (003); een vervangen coördinator verliest de toegang.',
    'De regierolhouder (behandelaar) of de coördinator kan een overlegronde starten: een beheerder-apparaat van de school geeft de deelnemers toegang bij de volgende afstemming, daarna opent de regierolhouder de overlegronde.',
  ],
};
