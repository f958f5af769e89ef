// "Aanvraag Financieel Arrangement" (002): extra means for support at the
// school itself, with an evaluation moment set in the allocation letter.
import { defineForm } from '../form-definition.js';
import { leerlingSectie, ondertekeningBevoegdGezag, schoolSectie, zienswijzeOudersSectie } from './common-sections.js';

export const aanvraagFinancieelArrangement = defineForm({
  id: 'aanvraag-financieel-arrangement',
  naam: 'Aanvraag Financieel Arrangement',
  versie: 1,
  hulpvraagTitels: ['Financieel Arrangement', 'Financiële arrangement'],
  secties: [
    leerlingSectie,
    schoolSectie,
    {
      titel: 'Arrangement',
      velden: [
        {
          key: 'ondersteuningsvraag',
          label: 'Ondersteuningsvraag',
          type: 'lange-tekst',
          required: true,
          help: 'Wat moet het arrangement mogelijk maken dat de school nu niet kan bieden?',
        },
        { key: 'doelen', label: 'Doelen (concreet en evalueerbaar)', type: 'lange-tekst', required: true },
        {
          key: 'inzet',
          label: 'Inzet (wie doet wat)',
          type: 'lange-tekst',
          required: true,
          help: 'Bijvoorbeeld: onderwijsassistent, ambulant begeleider, materialen.',
        },
        { key: 'uren-per-week', label: 'Uren per week', type: 'getal', required: true, min: 0, max: 40 },
        { key: 'startdatum', label: 'Startdatum', type: 'datum', required: true },
        { key: 'einddatum', label: 'Einddatum', type: 'datum', required: true },
        { key: 'begroting', label: 'Begroting (euro)', type: 'getal', onlyIfApplicable: true, min: 0 },
        {
          key: 'evaluatiemoment',
          label: 'Gewenst evaluatiemoment',
          type: 'datum',
          required: true,
          help: 'Na toekenning voegt u de evaluatie als bijlage toe; de status wordt dan "FA evaluatie toegevoegd".',
        },
        { key: 'opp-aanwezig', label: 'OPP aanwezig', type: 'ja-nee', required: true },
      ],
    },
    zienswijzeOudersSectie,
  ],
  ondertekening: ondertekeningBevoegdGezag,
  bijlagenChecklist: ['Door ouders ondertekend aanvraagformulier', 'OPP'],
});
