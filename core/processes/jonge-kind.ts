// Jonge Kind onderwijsadvies (001/004): the JK-specialist advises on the school for a young
// child; the voorschoolse voorziening shares its data, gets access to the dossier at
// JK Onderwijsadvies and loses it at advies afgerond.
import type { AccessEntry, ProcessDefinition } from '../workflow/definition.js';
import {
  AANVRAGER,
  COORDINATOR,
  SCHOOL_OWNS,
  SCHOOL_VAN_VOORKEUR,
  VOORSCHOOLSE_VOORZIENING,
  role,
  swvArchive,
  swvWorking,
} from './building-blocks.js';

const JK = ['jk-specialist', 'jk-contactpersoon'] as const;

/** While the VV shares data: it sees the child and adds bijlagen to the hulpvraag. */
const VV_DELEN: AccessEntry[] = [
  { to: VOORSCHOOLSE_VOORZIENING, scopes: ['hulpvraag'], rights: ['read', 'write'] },
  { to: VOORSCHOOLSE_VOORZIENING, scopes: ['leerling'], rights: ['read'] },
];
/** From JK Onderwijsadvies: "kan vanaf dan via Kindkans in het dossier" (001). */
const VV_DOSSIER: AccessEntry[] = [...VV_DELEN, { to: VOORSCHOOLSE_VOORZIENING, scopes: ['formulieren', 'lvs'], rights: ['read'] }];
/** The school of preference, once the ouders consented to sharing the dossier with it. */
const SCHOOL_VOORKEUR: AccessEntry[] = [
  { to: SCHOOL_VAN_VOORKEUR, scopes: ['hulpvraag'], rights: ['read', 'write'] },
  { to: SCHOOL_VAN_VOORKEUR, scopes: ['leerling', 'formulieren', 'lvs'], rights: ['read'] },
];
// The owner of a JK dossier is the SWV (the contactpersoon JK creates it, 001); SCHOOL_OWNS gives it full rights.
const SWV_JK = [SCHOOL_OWNS, ...swvWorking([...JK])];

export const JONGE_KIND: ProcessDefinition = {
  id: 'jonge-kind-onderwijsadvies',
  naam: 'Jonge Kind onderwijsadvies',
  bron: ['001', '004'],
  omschrijving:
    'Onderwijsadvies voor een jong kind dat van een voorschoolse voorziening naar school gaat; de JK-specialist verdiept, overlegt met ouders en betrokkenen en zoekt met de school van voorkeur een plek.',
  starts: [
    {
      titel: 'Jonge Kind onderwijsadvies',
      status: 'JK onderwijsadvies aanvraag',
      formulier: 'Aanvraag onderwijsadvies Jonge Kind',
      by: [...JK],
    },
  ],
  statuses: [
    {
      status: 'JK onderwijsadvies aanvraag',
      betekenis:
        'De contactpersoon JK heeft het dossier aangemaakt; de voorschoolse voorziening krijgt bericht en kan bijlagen toevoegen, waaronder het door ouders getekende aanvraagformulier.',
      end: false,
      bron: '001',
      access: [...SWV_JK, ...VV_DELEN],
      onEnter: [],
    },
    {
      status: 'JK bijlagen toegevoegd',
      betekenis: 'De voorschoolse voorziening heeft haar documenten toegevoegd; de JK-specialist krijgt bericht en verdiept zich.',
      end: false,
      bron: '001',
      access: [...SWV_JK, ...VV_DELEN],
      onEnter: [{ kind: 'notify', to: role('jk-specialist') }],
    },
    {
      status: 'JK Onderwijsadvies',
      betekenis:
        'Na de bespreking met ouders heeft de JK-specialist het onderwijsadvies met de afspraken toegevoegd; de voorschoolse voorziening kan nu in het dossier.',
      end: false,
      bron: '001',
      access: [...SWV_JK, ...VV_DOSSIER],
      onEnter: [{ kind: 'copy-to-ouders', document: 'onderwijsadvies' }],
    },
    {
      status: 'JK aanmelden school',
      betekenis:
        'Met toestemming van ouders is het dossier gedeeld met de school (of scholen) van voorkeur, die beoordeelt of zij de ondersteuning kan bieden.',
      end: false,
      bron: '001',
      access: [...SWV_JK, ...VV_DOSSIER, ...SCHOOL_VOORKEUR],
      omschrijvingVerplicht: 'Noem de school van voorkeur en wat u met haar afsprak.',
      onEnter: [],
    },
    {
      status: 'JK advies afgerond',
      betekenis:
        'De school van voorkeur heeft akkoord gegeven; ouders nemen contact op met de school en melden de inschrijving bij de JK-specialist.',
      end: false,
      bron: '001',
      access: [...SWV_JK, ...VV_DOSSIER, ...SCHOOL_VOORKEUR],
      onEnter: [],
    },
    {
      status: 'JK afgewezen',
      betekenis:
        'De school van voorkeur wijst de aanvraag inhoudelijk af. Er wordt een nieuwe school van voorkeur gezocht; de eerste school blijft betrokken vanwege de zorgplicht.',
      end: false,
      bron: '001',
      access: [...SWV_JK, ...VV_DOSSIER, ...SCHOOL_VOORKEUR],
      omschrijvingVerplicht: 'Noem welke school afwees en waarom (inhoudelijk); die school blijft betrokken vanwege de zorgplicht.',
      onEnter: [],
    },
    {
      status: 'advies afgerond',
      betekenis:
        'De ouders schrijven hun kind in; de omschrijving zegt vanaf wanneer en naar welke school. De voorschoolse voorziening heeft hierna geen toegang meer.',
      end: true,
      bron: '001',
      access: [SCHOOL_OWNS, ...swvArchive([...JK]), ...SCHOOL_VOORKEUR],
      omschrijvingVerplicht: 'Vermeld vanaf wanneer en naar welke school de leerling gaat (001).',
      onEnter: [],
    },
    {
      status: 'JK aanvraag ingetrokken',
      betekenis: 'De aanvraag stopt (bijvoorbeeld op verzoek van de ouders); de voorschoolse voorziening verliest de toegang.',
      end: true,
      bron: 'besluit',
      access: [SCHOOL_OWNS, ...swvArchive([...JK])],
      omschrijvingVerplicht: 'Vermeld waarom de aanvraag stopt.',
      onEnter: [],
    },
  ],
  transitions: [
    {
      from: ['JK onderwijsadvies aanvraag'],
      to: 'JK bijlagen toegevoegd',
      by: ['vv-contactpersoon', ...JK],
      effects: [],
      bron: '001',
      notes:
        'De voorschoolse voorziening kiest de status zelf nadat zij één voor één de documenten heeft toegevoegd (geen automatische overgang: bij meerdere bijlagen zou de eerste de status al doorzetten).',
    },
    {
      from: ['JK bijlagen toegevoegd', 'JK onderwijsadvies aanvraag'],
      to: 'JK Onderwijsadvies',
      by: ['jk-specialist'],
      effects: [],
      bron: '001',
      notes: 'Vanuit de aanvraag direct kan ook: als de voorschoolse voorziening geen documenten heeft, hoeft het advies niet te wachten.',
    },
    { from: ['JK Onderwijsadvies'], to: 'JK aanmelden school', by: ['jk-specialist'], effects: [], bron: '001' },
    { from: ['JK aanmelden school'], to: 'JK advies afgerond', by: ['jk-specialist'], effects: [], bron: '001' },
    { from: ['JK aanmelden school'], to: 'JK afgewezen', by: ['jk-specialist'], effects: [], bron: '001' },
    {
      from: ['JK afgewezen'],
      to: 'JK aanmelden school',
      by: ['jk-specialist'],
      // A new school of preference is linked first; grant it access now (the first school keeps it: zorgplicht).
      effects: [
        { kind: 'grant', to: SCHOOL_VAN_VOORKEUR, scopes: ['hulpvraag'], rights: ['read', 'write'] },
        { kind: 'grant', to: SCHOOL_VAN_VOORKEUR, scopes: ['leerling', 'formulieren', 'lvs'], rights: ['read'] },
      ],
      bron: 'besluit',
      notes:
        'Na een afwijzing wordt een nieuwe school van voorkeur aangemeld (001 B); de eerste school houdt toegang vanwege de zorgplicht.',
    },
    { from: ['JK advies afgerond'], to: 'advies afgerond', by: ['jk-specialist'], effects: [], bron: '001' },
  ],
  automatic: [],
  withdrawal: {
    to: 'JK aanvraag ingetrokken',
    by: [...JK],
    exceptFrom: [],
    bron: 'besluit',
    notes:
      'Het JK-proces noemt geen intrekken; de JK-specialist of contactpersoon JK kan het (namens de ouders) vanuit elke open status stoppen.',
  },
  notifyOnEveryChange: [AANVRAGER, COORDINATOR, VOORSCHOOLSE_VOORZIENING],
  toestemmingOuders: ['school-van-voorkeur'],
  notes: [
    'Eigenaar van een JK-dossier is het samenwerkingsverband: de contactpersoon JK maakt het aan voordat er een school is (001). De aanvrager is de contactpersoon JK.',
    "De voorschoolse voorziening krijgt bericht van elke statuswijziging (001: zij 'ontvangt onderstaande statussen'), ziet vanaf de aanvraag de hulpvraag (om bijlagen toe te voegen) en vanaf 'JK Onderwijsadvies' het hele dossier; bij 'advies afgerond' of intrekken vervalt haar toegang.",
    "'JK afgewezen' is geen eindstatus: er wordt een nieuwe school van voorkeur gezocht en het proces gaat terug naar 'JK aanmelden school'.",
    "Ouders en andere betrokkenen worden via een overlegronde uitgenodigd (001 stap 2); dat is geen statuswijziging. Ouders krijgen een afschrift van het onderwijsadvies bij 'JK Onderwijsadvies'.",
    "Ouders geven de digitale toestemming om het dossier met de school van voorkeur te delen vanuit hun eigen Kindkluis (ondertekend door hun apparaat). Zonder die toestemming ziet de school van voorkeur niets en krijgt ze geen berichten, kan 'JK aanmelden school' niet worden gekozen, en trekt een ouder haar in, dan vervalt de toegang van de school van voorkeur. De toestemming van één gekoppelde ouder volstaat; de intrekking van één ouder beëindigt het delen.",
  ],
};
