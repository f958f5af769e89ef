// Bezwaar tegen een TLV-besluit (WPO 18a; DOMAIN_NOTES): ouders (or the school)
// object within six weeks of the decision; the SWV asks the Landelijke
// Bezwaaradviescommissie TLV (LBT) for advice within 14 days of receiving it,
// sending the aanvraag, the deskundigenadvies, the besluit and the procedure,
// and decides on the bezwaar after the LBT's advice. The two deadlines are data
// too (BEZWAAR_TERMIJNEN) and `bezwaarTermijnen` turns them into dates.
import { z } from 'zod';
import type { IsoDate } from '../model/dates.js';
import { addDays } from '../workflow/school-year.js';
import type { ProcessDefinition } from '../workflow/definition.js';
import { AANVRAGER, COORDINATOR, OUDERS, SCHOOL, SCHOOL_OWNS, role, swvArchive, swvWorking } from './building-blocks.js';

const SWV_BEZWAAR = ['swv-coordinator', 'swv-loket'] as const;
const OPEN = [SCHOOL_OWNS, ...swvWorking(SWV_BEZWAAR)];
const CLOSED = [SCHOOL_OWNS, ...swvArchive(SWV_BEZWAAR)];

export const BEZWAAR_TLV: ProcessDefinition = {
  id: 'bezwaar-tlv',
  naam: 'Bezwaar tegen een TLV-besluit',
  bron: ['besluit'],
  omschrijving:
    'Bezwaar van ouders (of school) tegen een besluit over een toelaatbaarheidsverklaring: het samenwerkingsverband registreert het, vraagt binnen 14 dagen advies aan de Landelijke Bezwaaradviescommissie TLV en neemt een besluit op bezwaar.',
  starts: [{ titel: 'Bezwaar TLV', status: 'Bezwaar ontvangen', formulier: null, by: [...SCHOOL] }],
  statuses: [
    {
      status: 'Bezwaar ontvangen',
      betekenis: 'Het bezwaarschrift is binnen; de omschrijving noemt de datum van ontvangst en het bestreden besluit.',
      end: false,
      bron: 'besluit',
      access: OPEN,
      onEnter: [{ kind: 'notify', to: role('swv-coordinator') }],
    },
    {
      status: 'Advies LBT aangevraagd',
      betekenis:
        'Het samenwerkingsverband heeft de LBT om advies gevraagd, met de aanvraag, het deskundigenadvies, het besluit en de procedure (dossier voor de LBT).',
      end: false,
      bron: 'besluit',
      access: OPEN,
      omschrijvingVerplicht: 'Vermeld de datum waarop het dossier aan de LBT is gestuurd.',
      onEnter: [],
    },
    {
      status: 'Advies LBT ontvangen',
      betekenis: 'Het advies van de LBT is binnen en staat in de bijlagen.',
      end: false,
      bron: 'besluit',
      access: OPEN,
      onEnter: [],
    },
    {
      status: 'Besluit op bezwaar',
      betekenis:
        'Het samenwerkingsverband heeft op het bezwaar besloten; de brief staat in de bijlagen en de ouders krijgen een afschrift.',
      end: true,
      bron: 'besluit',
      access: CLOSED,
      omschrijvingVerplicht: 'Vermeld of het bezwaar gegrond of ongegrond is en wat er met de TLV gebeurt.',
      onEnter: [{ kind: 'copy-to-ouders', document: 'besluit' }],
    },
    {
      status: 'Bezwaar ingetrokken',
      betekenis: 'De indiener heeft het bezwaar ingetrokken.',
      end: true,
      bron: 'besluit',
      access: CLOSED,
      omschrijvingVerplicht: 'Vermeld wie het bezwaar introk en wanneer.',
      onEnter: [],
    },
  ],
  transitions: [
    { from: ['Bezwaar ontvangen'], to: 'Advies LBT aangevraagd', by: ['swv-coordinator'], effects: [], bron: 'besluit' },
    { from: ['Advies LBT aangevraagd'], to: 'Advies LBT ontvangen', by: [...SWV_BEZWAAR], effects: [], bron: 'besluit' },
    {
      from: ['Advies LBT ontvangen'],
      to: 'Besluit op bezwaar',
      by: ['swv-coordinator'],
      effects: [{ kind: 'notify', to: OUDERS }],
      bron: 'besluit',
    },
  ],
  automatic: [],
  withdrawal: { to: 'Bezwaar ingetrokken', by: ['swv-coordinator'], exceptFrom: [], bron: 'besluit' },
  notifyOnEveryChange: [AANVRAGER, COORDINATOR],
  notes: [
    'Een nieuw onderdeel van een dossier (een hulpvraag) kan alleen de school aanmaken die eigenaar is van het dossier (THREAT_MODEL R12): de school registreert het bezwaar dus op verzoek van het samenwerkingsverband of de ouders; alle verdere stappen zet de coördinator van het samenwerkingsverband.',
    'Termijnen: bezwaar binnen 6 weken na bekendmaking van het besluit; advies LBT aanvragen binnen 14 dagen na ontvangst van het bezwaar (BEZWAAR_TERMIJNEN).',
    "Het 'dossier voor de LBT' is de export van het dossier, beperkt tot aanvraag, deskundigenadvies, besluit en procedure (exportDossier met soort 'lbt').",
  ],
};

/** A deadline as data: `dagen` days after the moment `vanaf` names. */
export const TermijnSchema = z.object({
  id: z.enum(['bezwaartermijn', 'advies-lbt-aanvragen']),
  label: z.string().min(1),
  vanaf: z.enum(['besluit-tlv', 'bezwaar-ontvangen']),
  dagen: z.number().int().positive(),
  /** The status that meets the deadline (none: the deadline is for the indiener). */
  gehaaldBij: z.string().min(1).nullable(),
});
export type Termijn = z.infer<typeof TermijnSchema>;

export const BEZWAAR_TERMIJNEN: readonly Termijn[] = z.array(TermijnSchema).parse([
  {
    id: 'bezwaartermijn',
    label: 'Bezwaartermijn: 6 weken na bekendmaking van het TLV-besluit',
    vanaf: 'besluit-tlv',
    dagen: 42,
    gehaaldBij: null,
  },
  {
    id: 'advies-lbt-aanvragen',
    label: 'Advies LBT aanvragen: binnen 14 dagen na ontvangst van het bezwaar',
    vanaf: 'bezwaar-ontvangen',
    dagen: 14,
    gehaaldBij: 'Advies LBT aangevraagd',
  },
]);

export interface TermijnStand {
  readonly id: Termijn['id'];
  readonly label: string;
  readonly uiterlijk: IsoDate;
  /** `gehaald`: met on time; `te-laat`: met or still open after the date; `open`: not met, date not passed. */
  readonly stand: 'gehaald' | 'te-laat' | 'open';
}

/**
 * The deadlines of one bezwaar as dates, for reminders: from the day the TLV
 * decision was made known, the day the bezwaar was received, and when each
 * status was reached (calendar days, WPO/Awb count from the day after).
 */
export function bezwaarTermijnen(input: {
  readonly besluitTlvOp: IsoDate;
  readonly ontvangenOp: IsoDate;
  readonly bereikt: ReadonlyMap<string, IsoDate>;
  readonly vandaag: IsoDate;
}): TermijnStand[] {
  return BEZWAAR_TERMIJNEN.map((t) => {
    const start = t.vanaf === 'besluit-tlv' ? input.besluitTlvOp : input.ontvangenOp;
    const uiterlijk = addDays(start, t.dagen);
    const gehaaldOp = t.gehaaldBij === null ? input.ontvangenOp : input.bereikt.get(t.gehaaldBij);
    const stand =
      gehaaldOp !== undefined ? (gehaaldOp <= uiterlijk ? 'gehaald' : 'te-laat') : input.vandaag > uiterlijk ? 'te-laat' : 'open';
    return { id: t.id, label: t.label, uiterlijk, stand };
  });
}
