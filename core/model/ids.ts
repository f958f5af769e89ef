// The ids of the domain. All are opaque strings; the relay sees some of them
// (room and device ids), so none may ever contain a name or other personal data.
import type { Brand } from './brand.js';

export type SwvId = Brand<string, 'SwvId'>;
export type OrganisationId = Brand<string, 'OrganisationId'>;
export type UserId = Brand<string, 'UserId'>;
export type DeviceId = Brand<string, 'DeviceId'>;
export type LeerlingId = Brand<string, 'LeerlingId'>;
export type DossierId = Brand<string, 'DossierId'>;
export type HulpvraagId = Brand<string, 'HulpvraagId'>;
export type OverlegrondeId = Brand<string, 'OverlegrondeId'>;
export type MessageId = Brand<string, 'MessageId'>;
export type FormulierId = Brand<string, 'FormulierId'>;
export type BijlageId = Brand<string, 'BijlageId'>;
export type ProcessId = Brand<string, 'ProcessId'>;
/** A relay room: one scope of one dossier, e.g. `<dossierId>/hulpvraag:<id>`. */
export type RoomId = Brand<string, 'RoomId'>;

/** Casts a string to an id; use only where the string came from a trusted constructor or a zod parse. */
export const asId = <T extends Brand<string, string>>(raw: string): T => raw as T;
// Added by domain-processes for the remaining domain objects.
export type AanpakId = Brand<string, 'AanpakId'>;
export type NotitieId = Brand<string, 'NotitieId'>;
export type StatusEventId = Brand<string, 'StatusEventId'>;
export type GrantId = Brand<string, 'GrantId'>;
// Date strings live in dates.ts; re-exported here because callers reach for them next to the ids.
export type { IsoDate, IsoDateTime } from './dates.js';
