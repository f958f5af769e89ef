// "Aanvraag TLV VSO" (002): attached to the hulpvraag title TLV VSO; a TLV is
// requested only through this digital form, never a PDF (000).
import { defineForm } from '../form-definition.js';
import { leerlingSectie, ondertekeningBevoegdGezag, schoolSectie, zienswijzeOudersSectie } from './common-sections.js';

export const aanvraagTlvVso = defineForm({
  id: 'aanvraag-tlv-vso',
  naam: 'Aanvraag TLV VSO',
  versie: 1,
  hulpvraagTitels: ['TLV VSO'],
  secties: [
    leerlingSectie,
    schoolSectie,
    {
      titel: 'Aanvraag',
      velden: [
        { key: 'gewenste-school', label: 'Gewenste school voor VSO', type: 'tekst', required: true },
        {
          key: 'categorie',
          label: 'Gevraagde categorie',
          type: 'keuze',
          required: true,
          options: ['laag', 'midden', 'hoog'],
          help: 'De categorieën staan in het ondersteuningsplan van het samenwerkingsverband.',
        },
        { key: 'ingangsdatum', label: 'Gewenste ingangsdatum', type: 'datum', required: true },
        {
          key: 'duur',
          label: 'Gewenste duur',
          type: 'keuze',
          required: true,
          options: ['1 schooljaar', '2 schooljaren', '3 schooljaren', 'tot het einde van de schoolloopbaan'],
          help: 'Een TLV geldt minstens één schooljaar; afgegeven tijdens een schooljaar komt de rest van dat jaar erbij.',
        },
        {
          key: 'onderwijsbehoeften',
          label: 'Onderwijs- en ondersteuningsbehoeften',
          type: 'lange-tekst',
          required: true,
          help: 'Beschrijf wat de leerling nodig heeft, niet wat de leerling mankeert. Geen namen: die staan in het leerling-tabblad.',
        },
        {
          key: 'geboden-ondersteuning',
          label: 'Geboden ondersteuning en resultaat',
          type: 'lange-tekst',
          required: true,
          help: 'Welke ondersteuning is geboden, hoe lang, en met welk effect (zie het OPP).',
        },
        { key: 'grenzen-school', label: 'Waarom kan de school de ondersteuning niet (meer) bieden?', type: 'lange-tekst', required: true },
        { key: 'opp-aanwezig', label: 'Geëvalueerd OPP met instemming ouders op het handelingsdeel', type: 'ja-nee', required: true },
        { key: 'externe-hulp', label: 'Betrokken externe hulpverlening', type: 'lange-tekst', onlyIfApplicable: true },
        {
          key: 'deskundigen',
          label: 'Deskundigen die advies gaven',
          type: 'lange-tekst',
          onlyIfApplicable: true,
          help: 'Het samenwerkingsverband vraagt advies aan twee deskundigen, de eerste doorgaans een orthopedagoog of psycholoog.',
        },
      ],
    },
    zienswijzeOudersSectie,
  ],
  ondertekening: ondertekeningBevoegdGezag,
  bijlagenChecklist: [
    'Door ouders ondertekend aanvraagformulier',
    'OPP (geëvalueerd)',
    'Relevante onderzoeksverslagen (met toestemming ouders)',
  ],
});
