// "Aanvraagformulier BAG" and "Aanvraag Schakelvoorziening" (002).
import { defineForm } from '../form-definition.js';
import { leerlingSectie, schoolSectie } from './common-sections.js';

export const aanvraagBag = defineForm({
  id: 'aanvraag-bag',
  naam: 'Aanvraagformulier BAG',
  versie: 1,
  hulpvraagTitels: ['BAG'],
  secties: [
    leerlingSectie,
    schoolSectie,
    {
      titel: 'Bespreking',
      velden: [
        {
          key: 'alleen-datum-reserveren',
          label: 'Ik wil nu alleen een datum voor een BAG-overleg reserveren',
          type: 'ja-nee',
          required: true,
          help: 'Het formulier kan later worden aangevuld en de bijlagen toegevoegd.',
        },
        {
          key: 'vraag',
          label: 'Vraag aan het BAG',
          type: 'lange-tekst',
          requiredWhen: { field: 'alleen-datum-reserveren', equals: false },
        },
        {
          key: 'twijfel-onderwijsniveau',
          label: 'Alleen twijfel over het onderwijsniveau',
          type: 'ja-nee',
          onlyIfApplicable: true,
          help: 'Dan is het OPP niet verplicht.',
        },
      ],
    },
  ],
  ondertekening: null,
  bijlagenChecklist: [
    'Recent geëvalueerd OPP met instemming ouders op het handelingsdeel',
    'Onderzoeksverslagen (met toestemming ouders)',
    'Verslaglegging hulpverlening (met toestemming ouders)',
    'Gespreksverslagen',
  ],
});

export const aanvraagSchakelvoorziening = defineForm({
  id: 'aanvraag-schakelvoorziening',
  naam: 'Aanvraag Schakelvoorziening',
  versie: 1,
  hulpvraagTitels: ['Schakelvoorziening'],
  secties: [
    leerlingSectie,
    schoolSectie,
    {
      titel: 'Schakelvoorziening',
      velden: [
        { key: 'reden', label: 'Reden van de aanvraag', type: 'lange-tekst', required: true },
        { key: 'doel', label: 'Doel van de plaatsing en terugkeer', type: 'lange-tekst', required: true },
        { key: 'verzuim', label: 'Verzuim (percentage of dagen)', type: 'tekst', onlyIfApplicable: true },
        { key: 'gewenste-start', label: 'Gewenste startdatum', type: 'datum', required: true },
      ],
    },
  ],
  ondertekening: null,
});
