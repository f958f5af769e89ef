// PO TLV for SBO and SO (000): "Voor een TLV-aanvraag: gebruik het digitale formulier" —
// the same statuses as TLV VSO; ouders are linked to the dossier (000 "Ouders/verzorgers").
import type { ProcessDefinition } from '../workflow/definition.js';
import { OUDERS, SCHOOL, readOnly } from './building-blocks.js';
import { tlvProcess } from './tlv-vso.js';

export const PO_TLV: ProcessDefinition = tlvProcess({
  id: 'po-tlv-sbo-so',
  naam: 'PO TLV SBO/SO',
  bron: ['000', '002'],
  omschrijving:
    'Toelaatbaarheidsverklaring voor speciaal basisonderwijs of speciaal onderwijs, aangevraagd door de basisschool met het digitale formulier (een PDF of Word-bestand is niet voldoende).',
  starts: [
    { titel: 'TLV SBO', status: 'TLV voorlopige aanvraag', formulier: 'Aanvraag TLV SBO', by: [...SCHOOL] },
    { titel: 'TLV SO', status: 'TLV voorlopige aanvraag', formulier: 'Aanvraag TLV SO', by: [...SCHOOL] },
  ],
  extraAccess: [readOnly(OUDERS, ['leerling', 'hulpvraag'])],
  notes: [
    'De afsprakenkaart PO (000) noemt geen statussen; we gebruiken de TLV-statussen uit de VO-handleiding (002), zodat scholen die in beide samenwerkingsverbanden werken één werkwijze kennen.',
    'Het digitale formulier is verplicht omdat het akkoord van het bevoegd gezag via het formulier loopt (000); het formulier wordt bij de titel automatisch gekoppeld.',
    'Ouders krijgen na indienen leesrecht op de leerling en de hulpvraag (000: ouders krijgen toegang tot het dossier van hun kind en worden gekoppeld bij herbeoordelingen).',
  ],
});
