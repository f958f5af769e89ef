// The domain vocabulary in one import for integrators (extension, access, store).
export type * from './ids.js';
export { asId } from './ids.js';
export type * from './brand.js';
export type * from './dates.js';
export * from './organisation.js';
export * from './role.js';
export * from './user.js';
export type * from './leerling.js';
export * from './grant.js';
export * from './tlv.js';
export type * from './status-event.js';
export * from './hulpvraag.js';
export type * from './dossier.js';
export * from './overlegronde.js';
export type * from './message.js';
export type * from './formulier.js';
export * from './lvs.js';
export type * from './notitie.js';
