// "Aanvraagformulier TLV PrO" (002): the berekend advies from the LVS tab is
// prefilled; if it is not PrO, the school must explain why it still applies.
import { defineForm } from '../form-definition.js';
import { leerlingSectie, ondertekeningBevoegdGezag, schoolSectie } from './common-sections.js';

export const aanvraagPraktijkonderwijs = defineForm({
  id: 'aanvraag-tlv-pro',
  naam: 'Aanvraagformulier TLV PrO',
  versie: 1,
  hulpvraagTitels: ['Praktijkonderwijs', 'PrO zij-instroom'],
  secties: [
    leerlingSectie,
    schoolSectie,
    {
      titel: 'Toetsgegevens (uit het tabblad LVS)',
      velden: [
        { key: 'iq', label: 'Totaal IQ', type: 'getal', required: true, prefill: 'pro.iq', min: 40, max: 160 },
        { key: 'toetsdatum', label: 'Toetsdatum didactische toetsen', type: 'datum', required: true, prefill: 'pro.toetsdatum' },
        { key: 'dl', label: 'Didactische leeftijd (DL)', type: 'getal', required: true, prefill: 'pro.dl', min: 0 },
        {
          key: 'berekend-advies',
          label: 'Berekend advies',
          type: 'keuze',
          required: true,
          prefill: 'pro.advies',
          options: ['PrO', 'LWOO', 'Grensvlak PrO/LWOO', 'Geen PrO of LWOO'],
        },
        {
          key: 'toelichting-afwijkend-advies',
          label: 'Toelichting (berekend advies is geen PrO)',
          type: 'lange-tekst',
          requiredWhen: { field: 'berekend-advies', notEquals: 'PrO' },
          help: 'Is het berekend advies anders dan praktijkonderwijs, licht dan toe waarom u toch PrO aanvraagt (bijvoorbeeld bijzondere groep, art. 4a).',
        },
        { key: 'sociaal-emotioneel', label: 'Sociaal-emotionele problematiek', type: 'lange-tekst', onlyIfApplicable: true },
      ],
    },
    {
      titel: 'Motivering',
      velden: [
        {
          key: 'motivering',
          label: 'Motivering van de school',
          type: 'lange-tekst',
          required: true,
          help: 'Ervaringen met de leerling in het onderwijsleerproces, zoals in het onderwijskundig rapport.',
        },
        { key: 'huidige-onderwijs', label: 'Huidig onderwijs en leerweg', type: 'tekst', required: true },
        {
          key: 'zienswijze-ouders',
          label: 'Zienswijze ouders',
          type: 'lange-tekst',
          required: true,
          help: 'Voor PrO is de zienswijze van de ouders vereist bij het indienen (verplicht veld). Vul in wat de ouders vinden; hebben zij die op het geprinte formulier geschreven, neem die dan hier over.',
        },
      ],
    },
  ],
  ondertekening: ondertekeningBevoegdGezag,
  bijlagenChecklist: [
    'Onderwijskundig rapport',
    'IQ-onderzoek (niet ouder dan twee jaar)',
    'Didactische toetsgegevens',
    'Zienswijze ouders',
  ],
});
