// Groeidocument-like form of Team Schoolondersteuning (003): the IB/COO's
// form for the hulpvraag, and the plan-do-check cycle around it.
import { defineForm } from '../form-definition.js';
import { schoolSectie } from './common-sections.js';

export const groeidocumentTeamSchoolondersteuning = defineForm({
  id: 'groeidocument-team-schoolondersteuning',
  naam: 'Team Schoolondersteuning (groeidocument)',
  versie: 1,
  hulpvraagTitels: ['Team Schoolondersteuning'],
  secties: [
    schoolSectie,
    {
      titel: 'Beginsituatie',
      velden: [
        { key: 'hulpvraag', label: 'Hulpvraag van de school', type: 'lange-tekst', required: true },
        { key: 'bevorderend', label: 'Bevorderende factoren', type: 'lange-tekst', required: true },
        { key: 'belemmerend', label: 'Belemmerende factoren', type: 'lange-tekst', required: true },
        { key: 'onderwijsbehoeften', label: 'Onderwijsbehoeften', type: 'lange-tekst', required: true },
        {
          key: 'thuissituatie',
          label: 'Relevante thuissituatie',
          type: 'lange-tekst',
          onlyIfApplicable: true,
          help: 'Alleen wat nodig is voor de hulpvraag; geen namen.',
        },
      ],
    },
    {
      titel: 'Aanpak',
      velden: [
        { key: 'doelen', label: 'Doelen', type: 'lange-tekst', required: true },
        {
          key: 'regierol',
          label: 'Regierol bij',
          type: 'keuze',
          required: true,
          options: ['CJG', 'SMW', 'TJG', 'BPO SWV', 'Orthopedagoog SWV'],
        },
        { key: 'afspraken', label: 'Afspraken', type: 'lange-tekst', required: true },
        { key: 'overig', label: 'Overig (werkafspraken voor de IB/COO)', type: 'lange-tekst', onlyIfApplicable: true },
      ],
    },
    {
      titel: 'Evaluatie',
      velden: [
        { key: 'evaluatiedatum', label: 'Datum tussentijdse evaluatie', type: 'datum', required: true },
        { key: 'evaluatie', label: 'Evaluatie en vervolg', type: 'lange-tekst', onlyIfApplicable: true },
      ],
    },
  ],
  ondertekening: null,
});
