// Public surface of the forms: definitions, validation, prefill, signature slot and Word export.
export {
  defineForm,
  parseFormDefinition,
  formDefinitionSchema,
  allFields,
  FIELD_TYPES,
  PREFILL_SOURCES,
  SIGNER_ROLES,
} from './form-definition.js';
export type { FormDefinition, FormDefinitionInput, FormField, FieldType, PrefillSource, SignerRole } from './form-definition.js';
export { checkForm, saveFormValues, isRequired, isEmptyValue, type FormCheck, type FormIssue, type FormValues } from './validate.js';
export { prefillForm, isLeerlingVeld, leerlingWaarden, type PrefillSources } from './prefill.js';
export { checkReadyToSign, signingPayload, withOndertekening, withWaarden, type SignableValue } from './signature-slot.js';
export { exportFormToDocx, DOCX_MIME, type FormExportInput } from './export-docx.js';
export { checkFormPrivacy, fieldNeedsPrivacyCheck } from './privacy.js';
export * from './definitions/index.js';
