// Sections that most SWV forms share: the leerling and school data that are
// prefilled (002: "Informatie die al bekend is over de leerling, wordt
// automatisch ingevuld") and the signature block.
import type { FormDefinitionInput } from '../form-definition.js';

type Section = FormDefinitionInput['secties'][number];

export const leerlingSectie: Section = {
  titel: 'Gegevens leerling',
  velden: [
    { key: 'leerling-naam', label: 'Naam leerling', type: 'tekst', required: true, prefill: 'leerling.naam' },
    { key: 'leerling-geboortedatum', label: 'Geboortedatum', type: 'datum', required: true, prefill: 'leerling.geboortedatum' },
    {
      key: 'leerling-adres',
      label: 'Adres',
      type: 'lange-tekst',
      required: true,
      prefill: 'leerling.adres',
      help: 'Controleer of het adres actueel is; verhuisd? Pas het aan op het leerling-tabblad.',
    },
    {
      key: 'gezagssituatie',
      label: 'Gezagssituatie',
      type: 'keuze',
      required: true,
      prefill: 'leerling.gezagssituatie',
      options: ['Beide ouders', 'Eén ouder', 'Voogd', 'Anders'],
      help: 'Laat de ouders controleren of de contactgegevens en de gezagssituatie kloppen.',
    },
    { key: 'ouders', label: 'Ouders/verzorgers en contactgegevens', type: 'lange-tekst', required: true, prefill: 'leerling.ouders' },
  ],
};

export const schoolSectie: Section = {
  titel: 'Gegevens school',
  velden: [
    { key: 'school-naam', label: 'School', type: 'tekst', required: true, prefill: 'school.naam' },
    { key: 'school-brin', label: 'BRIN/locatiecode', type: 'tekst', prefill: 'school.brin', onlyIfApplicable: true },
    { key: 'leerjaar', label: 'Groep/leerjaar', type: 'getal', required: true, prefill: 'schoolgegevens.leerjaar', min: 1, max: 8 },
    {
      key: 'doublures',
      label: 'Aantal doublures',
      type: 'getal',
      prefill: 'schoolgegevens.doublures',
      min: 0,
      max: 5,
      onlyIfApplicable: true,
    },
    { key: 'contactpersoon', label: 'Contactpersoon (aanvrager)', type: 'tekst', required: true, prefill: 'schoolgegevens.contactpersoon' },
    {
      key: 'contact-email',
      label: 'E-mailadres contactpersoon',
      type: 'email',
      required: true,
      prefill: 'schoolgegevens.email',
      help: 'Op dit adres komen de berichten over statuswijzigingen.',
    },
  ],
};

export const ondertekeningBevoegdGezag = {
  door: 'bevoegd-gezag' as const,
  label: 'Ondertekening door',
  toelichting:
    'Het bevoegd gezag ondertekent de aanvraag digitaal nadat alle gele velden zijn ingevuld; daarna kan het formulier naar Word worden geëxporteerd om aan ouders voor te leggen.',
};

export const zienswijzeOudersSectie: Section = {
  titel: 'Ouders',
  velden: [
    {
      key: 'zienswijze-ouders',
      label: 'Zienswijze ouders',
      type: 'lange-tekst',
      onlyIfApplicable: true,
      help: 'Ouders mogen hun zienswijze zelf invullen op het geprinte formulier; u mag ook zelf opschrijven wat ouders opmerken.',
    },
    { key: 'ouders-geinformeerd', label: 'Ouders zijn over de aanvraag geïnformeerd', type: 'ja-nee', required: true },
  ],
};
