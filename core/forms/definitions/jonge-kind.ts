// "Aanvraag onderwijsadvies Jonge Kind" with the parents' consent (001): the
// voorschoolse voorziening asks the JK-specialist for an advice; parents
// consent to sharing with the school(s) of preference. Signed by the ouders.
import { defineForm } from '../form-definition.js';

export const aanvraagOnderwijsadviesJongeKind = defineForm({
  id: 'aanvraag-onderwijsadvies-jonge-kind',
  naam: 'Aanvraag onderwijsadvies Jonge Kind',
  versie: 1,
  hulpvraagTitels: ['JK onderwijsadvies'],
  secties: [
    {
      titel: 'Gegevens kind',
      velden: [
        { key: 'kind-naam', label: 'Naam kind', type: 'tekst', required: true, prefill: 'leerling.naam' },
        { key: 'kind-geboortedatum', label: 'Geboortedatum', type: 'datum', required: true, prefill: 'leerling.geboortedatum' },
        { key: 'ouders', label: 'Ouders/verzorgers en contactgegevens', type: 'lange-tekst', required: true, prefill: 'leerling.ouders' },
      ],
    },
    {
      titel: 'Voorschoolse voorziening',
      velden: [
        { key: 'voorziening', label: 'Voorschoolse voorziening', type: 'tekst', required: true },
        { key: 'contactpersoon-voorziening', label: 'Contactpersoon', type: 'tekst', required: true, prefill: 'aanvrager.naam' },
        { key: 'dagdelen', label: 'Dagdelen per week', type: 'getal', required: true, min: 0, max: 10 },
      ],
    },
    {
      titel: 'Ontwikkeling en vraag',
      velden: [
        {
          key: 'ontwikkeling',
          label: 'Ontwikkeling (taal, spel, motoriek, sociaal-emotioneel, zelfredzaamheid)',
          type: 'lange-tekst',
          required: true,
        },
        { key: 'vraag', label: 'Vraag aan de JK-specialist', type: 'lange-tekst', required: true },
        { key: 'betrokken-hulp', label: 'Betrokken hulpverlening', type: 'lange-tekst', onlyIfApplicable: true },
        { key: 'school-van-voorkeur', label: 'School/scholen van voorkeur', type: 'lange-tekst', onlyIfApplicable: true },
      ],
    },
    {
      titel: 'Toestemming ouders',
      velden: [
        {
          key: 'toestemming-swv',
          label: 'Ouders geven toestemming om gegevens te delen met het samenwerkingsverband',
          type: 'ja-nee',
          required: true,
        },
        {
          key: 'toestemming-school',
          label: 'Ouders geven toestemming om het dossier te delen met de school/scholen van voorkeur',
          type: 'ja-nee',
          required: true,
          help: 'Het dossier wordt pas met een school gedeeld na toestemming van ouders.',
        },
        { key: 'toestemming-naam-ouder', label: 'Naam ouder die toestemming geeft', type: 'tekst', required: true },
        { key: 'toestemming-datum', label: 'Datum toestemming', type: 'datum', required: true },
        {
          key: 'papieren-formulier',
          label: 'Toestemming op papier gegeven (als bijlage toegevoegd)',
          type: 'ja-nee',
          onlyIfApplicable: true,
        },
      ],
    },
  ],
  ondertekening: { door: 'ouders', label: 'Ondertekening door ouder(s)/verzorger(s)' },
  bijlagenChecklist: ['Door ouders getekend formulier (bij toestemming op papier)', 'Observatieverslag voorschoolse voorziening'],
});
