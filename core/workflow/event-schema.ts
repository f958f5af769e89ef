// Status events arrive from other clients (decrypted Yjs data): parse them as hostile input
// before folding. Only the shape is checked here; legality is the fold's job.
import { z } from 'zod';
import type { BijlageId, OrganisationId, StatusEventId, UserId } from '../model/ids.js';
import type { RecordedStatusEvent } from '../model/status-event.js';
import { fail, ok, type Result } from '../result.js';
import { RoleSchema } from './selector.js';

const id = <T extends string>() => z.string().min(1).max(200).transform((s) => s as T);
const isoDateTime = z.iso.datetime();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const ActorSchema = z.object({
  userId: id<UserId>(),
  organisationId: id<OrganisationId>(),
  roles: z.array(RoleSchema).max(32),
});

export const TlvAfgifteSchema = z.object({
  volgnummer: z.number().int(),
  categorie: z.string().min(1).max(100),
  startdatum: isoDate,
  einddatum: isoDate,
  deskundigen: z.tuple([
    z.object({ naam: z.string().max(200), functie: z.enum(['orthopedagoog', 'psycholoog', 'arts', 'kinderpsychiater', 'maatschappelijk-werker', 'anders']), userId: id<UserId>().optional() }),
    z.object({ naam: z.string().max(200), functie: z.enum(['orthopedagoog', 'psycholoog', 'arts', 'kinderpsychiater', 'maatschappelijk-werker', 'anders']), userId: id<UserId>().optional() }),
  ]),
});

export const RecordedStatusEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('status-change'),
    id: id<StatusEventId>(),
    at: isoDateTime,
    from: z.string().min(1).max(200),
    to: z.string().min(1).max(200),
    omschrijving: z.string().max(5000).optional(),
    tlv: TlvAfgifteSchema.optional(),
    actor: ActorSchema,
    relaySeq: z.number().int().nonnegative().optional(),
  }),
  z.object({
    kind: z.literal('bijlage-toegevoegd'),
    id: id<StatusEventId>(),
    at: isoDateTime,
    bijlageId: id<BijlageId>(),
    actor: ActorSchema,
    relaySeq: z.number().int().nonnegative().optional(),
  }),
]);

/** Strips `undefined` optionals so the result satisfies `exactOptionalPropertyTypes`. */
const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function parseRecordedStatusEvent(input: unknown): Result<RecordedStatusEvent> {
  const r = RecordedStatusEventSchema.safeParse(input);
  if (!r.success) {
    return fail('statusgebeurtenis-ongeldig', 'Een statuswijziging van een ander apparaat is onleesbaar en wordt overgeslagen.', {
      problems: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  const e = r.data;
  if (e.kind === 'bijlage-toegevoegd') return ok(compact(e) as RecordedStatusEvent);
  const tlv = e.tlv === undefined ? undefined : { ...e.tlv, deskundigen: [compact(e.tlv.deskundigen[0]), compact(e.tlv.deskundigen[1])] as const };
  return ok(compact({ ...e, tlv }) as RecordedStatusEvent);
}

/** Parses a whole log; unreadable entries are reported, the rest is kept (nothing lost on bad input). */
export function parseStatusLog(input: readonly unknown[]): { events: RecordedStatusEvent[]; unreadable: number } {
  const events: RecordedStatusEvent[] = [];
  let unreadable = 0;
  for (const item of input) {
    const r = parseRecordedStatusEvent(item);
    if (r.ok) events.push(r.value);
    else unreadable += 1;
  }
  return { events, unreadable };
}
