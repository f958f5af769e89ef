// TLV VSO (002 "TLV VSO"): a toelaatbaarheidsverklaring for voortgezet speciaal onderwijs.
// The same flow serves the PO TLV for SBO/SO (000), see po-tlv.ts.
import type { AccessEntry, ProcessDefinition, TransitionVereist } from '../workflow/definition.js';
import { aanvraagFlow } from './aanvraag-flow.js';
import { AANVRAGER, SCHOOL } from './building-blocks.js';

const TLV_NAMES_IN_002 = [
  'TLV voorlopige aanvraag',
  'TLV aanvraag indienen',
  'TLV aanvraag incompleet',
  'TLV vragen gesteld',
  'TLV aanvraag aangevuld',
  'TLV afgegeven',
  'TLV afwijzing toegelicht',
  'TLV aanvraag ingetrokken',
];

export interface TlvProcessOptions {
  readonly id: string;
  readonly naam: string;
  readonly bron: ProcessDefinition['bron'];
  readonly omschrijving: string;
  readonly starts: ProcessDefinition['starts'];
  readonly extraAccess?: readonly AccessEntry[];
  readonly indienenVereist?: TransitionVereist;
  readonly notes: readonly string[];
}

/**
 * 002 stap 5–7 (TLV VSO and FA): the bevoegd gezag signs the aanvraag digitally, and the
 * school adds "in ieder geval het door ouders ondertekende aanvraagformulier en het OPP".
 */
export const ONDERTEKEND_MET_OPP: TransitionVereist = { ondertekendFormulier: true, bijlagen: ['opp', 'aanvraagformulier-ouders'] };

export function tlvProcess(o: TlvProcessOptions): ProcessDefinition {
  const flow = aanvraagFlow({
    prefix: 'TLV',
    seed: '002',
    namesInSeed: TLV_NAMES_IN_002,
    intake: ['swv-loket', 'swv-coordinator'],
    vragenDoor: ['deskundige', 'swv-coordinator'],
    besluitDoor: ['commissie-toelaatbaarheid', 'swv-coordinator'],
    aangevuldMelden: ['deskundige', 'swv-coordinator'],
    ...(o.extraAccess === undefined ? {} : { extraAccess: o.extraAccess }),
    ...(o.indienenVereist === undefined ? {} : { indienenVereist: o.indienenVereist }),
  });
  return {
    id: o.id,
    naam: o.naam,
    bron: o.bron,
    omschrijving: o.omschrijving,
    starts: o.starts,
    statuses: [
      ...flow.statuses,
      {
        status: 'TLV afgegeven',
        betekenis:
          'De TLV is afgegeven, met volgnummer, categorie, looptijd en de twee deskundigen; de school stuurt de brief naar de ouders.',
        end: true,
        bron: '002',
        access: flow.closedAccess,
        recordsTlv: true,
        onEnter: [
          { kind: 'copy-to-ouders', document: 'deskundigenadvies' },
          { kind: 'copy-to-ouders', document: 'besluit' },
        ],
      },
      {
        status: 'TLV afwijzing toegelicht',
        betekenis: 'De aanvraag is afgewezen; de brief met de motivering staat in de bijlagen en de school informeert de ouders.',
        end: true,
        bron: '002',
        access: flow.closedAccess,
        omschrijvingVerplicht: 'Geef kort de reden van de afwijzing; de motivering staat in de brief in de bijlagen.',
        onEnter: [
          { kind: 'copy-to-ouders', document: 'deskundigenadvies' },
          { kind: 'copy-to-ouders', document: 'besluit' },
        ],
      },
    ],
    transitions: [
      ...flow.transitions,
      ...flow.decisions([
        {
          to: 'TLV afgegeven',
          bron: '002',
          notes: 'Ook rechtstreeks vanuit indienen: een complete aanvraag hoeft niet eerst aangevuld te worden.',
        },
        { to: 'TLV afwijzing toegelicht', bron: '002' },
      ]),
    ],
    automatic: flow.automatic,
    withdrawal: flow.withdrawal,
    notifyOnEveryChange: [AANVRAGER],
    notes: [
      ...o.notes,
      'De commissie van toelaatbaarheid (of de coördinator van het samenwerkingsverband) besluit; deskundigen stellen vragen en adviseren.',
      "Bij afgeven zijn volgnummer, categorie (labels per samenwerkingsverband), start- en einddatum (minstens één schooljaar; tijdens een schooljaar afgegeven komt de rest van dat jaar erbij) en de twee deskundigen verplicht. Het volgnummer typt niemand: bij het afgeven geeft het register van het samenwerkingsverband op de server het volgende nummer (uniek en oplopend, ook als twee collega's tegelijk afgeven), dus afgeven kan alleen met verbinding. Iedereen van het samenwerkingsverband kan op het tabblad TLV nagaan dat het register dat nummer aan deze hulpvraag gaf. Vanaf een half jaar vóór de einddatum (instelbaar per samenwerkingsverband) tot de einddatum krijgen de school en de coördinatoren een melding dat de TLV afloopt: tijd voor een herbeoordeling. Elke client rekent die zelf uit; er wordt niets verstuurd.",
      'Ouders krijgen een afschrift van het deskundigenadvies en het besluit, ook bij een afwijzing (WPO art. 18a lid 14).',
      'Na de eindstatus houdt het samenwerkingsverband leesrecht (bezwaar, herbeoordeling); de school blijft eigenaar.',
    ],
  };
}

export const TLV_VSO: ProcessDefinition = tlvProcess({
  id: 'tlv-vso',
  naam: 'TLV VSO',
  bron: ['002'],
  omschrijving:
    'Toelaatbaarheidsverklaring voor het voortgezet speciaal onderwijs, aangevraagd door de VO-school met het digitale formulier.',
  starts: [{ titel: 'TLV VSO', status: 'TLV voorlopige aanvraag', formulier: 'Aanvraag TLV VSO', by: [...SCHOOL] }],
  indienenVereist: ONDERTEKEND_MET_OPP,
  notes: [
    'Indienen kan pas als het bevoegd gezag het formulier digitaal heeft ondertekend (en het daarna niet meer is gewijzigd) en de bijlagen OPP en het door ouders ondertekende aanvraagformulier zijn toegevoegd (002 stap 5–7); anders zegt Kindkluis wat ontbreekt.',
  ],
});
