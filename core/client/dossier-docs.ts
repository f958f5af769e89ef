// The shape of each scope's Yjs document and typed accessors for it. Only
// plain values go into the documents (strings, numbers, booleans, arrays,
// objects, bytes), so every client reads the same data from the same updates.
import * as Y from 'yjs';
import { z } from 'zod';
import type { BijlageMeta } from '../model/hulpvraag.js';
import type { Leerling } from '../model/leerling.js';
import type { FormValue } from '../model/formulier.js';
import type { Relatie } from '../workflow/selector.js';
import { isSignedEventItem, type SignedEventItem } from './signed-event.js';

export interface HulpvraagMeta {
  readonly titel: string;
  readonly processId: string;
  readonly omschrijving: string;
  readonly labels: readonly string[];
  readonly datum: string;
  readonly schoolId: string;
  readonly schoolNaam: string;
  readonly aanvrager: string;
  readonly contactpersoon: string;
  readonly email: string;
  readonly aangemaaktOp: string;
}

export interface StoredSignature {
  readonly voornaam: string;
  readonly achternaam: string;
  readonly functie: string;
  readonly organisatie: string;
}

/**
 * The author device's signature over a message's or edit's canonical fields
 * and its device chain (core/client/signed-message.ts); the payload itself is
 * rebuilt from the stored fields, so a changed field breaks the signature.
 */
export interface StoredItemSignature {
  readonly s: Uint8Array;
  readonly c: Uint8Array;
}

export interface StoredMessage {
  readonly id: string;
  readonly auteur: string;
  readonly auteurNaam: string;
  readonly titel: string;
  readonly tekst: string;
  readonly mentions: readonly string[];
  readonly geplaatstOp: string;
  /** A reply: the id of the message that opened its onderwerp (a topic has none; so have messages from before replies). */
  readonly antwoordOp?: string;
  /** From the author's profile when posted (000); absent in messages written before signatures were stored. */
  readonly ondertekening?: StoredSignature;
  /** Absent in messages written before messages were signed: those show as not verifiable. */
  readonly sig?: StoredItemSignature;
}

/**
 * One edit of a message: the whole new version. Edits live in their own
 * append-only array (not inside the message) so two devices of the author
 * editing at once both keep their version and every reader orders them alike.
 */
export interface StoredEdit {
  readonly id: string;
  readonly messageId: string;
  readonly auteur: string;
  readonly titel: string;
  readonly tekst: string;
  readonly mentions: readonly string[];
  readonly bewerktOp: string;
  readonly sig?: StoredItemSignature;
}

/**
 * A participant marks an onderwerp (the id of its opening message) afgehandeld, or reopens it.
 * Append-only like the messages; the latest proven one per onderwerp counts.
 */
export interface StoredAfhandeling {
  readonly id: string;
  readonly onderwerp: string;
  readonly afgehandeld: boolean;
  readonly auteur: string;
  readonly op: string;
  readonly sig?: StoredItemSignature;
}

export interface OverlegrondeMeta {
  readonly hulpvraagId: string;
  readonly titel: string;
  readonly omschrijving: string;
  readonly einddatum: string;
  readonly deelnemers: readonly string[];
  readonly aangemaaktDoor: string;
  readonly startdatum: string;
  readonly geslotenOp: string | null;
}

const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);
const strArr = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

// ---- leerling ----
export const readLeerling = (doc: Y.Doc): Omit<Leerling, 'id'> | null => {
  const v = doc.getMap('leerling').get('data');
  return typeof v === 'object' && v !== null ? (v as Omit<Leerling, 'id'>) : null;
};
export const writeLeerling = (doc: Y.Doc, data: Omit<Leerling, 'id'>): void => {
  doc.getMap('leerling').set('data', JSON.parse(JSON.stringify(data)) as object);
};

// ---- hulpvraag ----
export const readHulpvraagMeta = (doc: Y.Doc): HulpvraagMeta | null => {
  const m = doc.getMap('meta');
  if (!m.has('titel')) return null;
  return {
    titel: str(m.get('titel')),
    processId: str(m.get('processId')),
    omschrijving: str(m.get('omschrijving')),
    labels: strArr(m.get('labels')),
    datum: str(m.get('datum')),
    schoolId: str(m.get('schoolId')),
    schoolNaam: str(m.get('schoolNaam')),
    aanvrager: str(m.get('aanvrager')),
    contactpersoon: str(m.get('contactpersoon')),
    email: str(m.get('email')),
    aangemaaktOp: str(m.get('aangemaaktOp')),
  };
};
/** Plain fields of a hulpvraag. The coördinator is not one of them: it is a signed setting (coordinator-getekend.ts, R127). */
export const writeHulpvraagMeta = (doc: Y.Doc, patch: Partial<HulpvraagMeta>): void => {
  const m = doc.getMap('meta');
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) m.set(k, Array.isArray(v) ? [...(v as string[])] : v);
};
/**
 * Organisations involved in a hulpvraag (voorschoolse voorziening, school van voorkeur,
 * partnerschool): the process's `betrokken-organisatie` access, meldingen and moves reach them.
 * Only a dossier admin names them: the list is a signed item (betrokken-getekend.ts) [R49].
 */
export interface BetrokkenOrganisatie {
  readonly organisationId: string;
  readonly relatie: Relatie;
}
export const statusItems = (doc: Y.Doc): SignedEventItem[] => doc.getArray<unknown>('status').toArray().filter(isSignedEventItem);
export const pushStatusItem = (doc: Y.Doc, item: SignedEventItem): void => {
  doc.getArray<unknown>('status').push([{ p: item.p, s: item.s, c: item.c }]);
};
export const readBijlagen = (doc: Y.Doc): BijlageMeta[] => doc.getArray<BijlageMeta>('bijlagen').toArray();
export const pushBijlage = (doc: Y.Doc, meta: BijlageMeta): void => {
  doc.getArray<BijlageMeta>('bijlagen').push([{ ...meta }]);
};
export const readOverlegrondeIds = (doc: Y.Doc): string[] => strArr(doc.getArray('overlegronden').toArray());
export const pushOverlegrondeId = (doc: Y.Doc, id: string): void => {
  doc.getArray<string>('overlegronden').push([id]);
};

// ---- overlegronde ----
export const readOverlegrondeMeta = (doc: Y.Doc): OverlegrondeMeta | null => {
  const m = doc.getMap('meta');
  if (!m.has('titel')) return null;
  const g = m.get('geslotenOp');
  return {
    hulpvraagId: str(m.get('hulpvraagId')),
    titel: str(m.get('titel')),
    omschrijving: str(m.get('omschrijving')),
    einddatum: str(m.get('einddatum')),
    deelnemers: strArr(m.get('deelnemers')),
    aangemaaktDoor: str(m.get('aangemaaktDoor')),
    startdatum: str(m.get('startdatum')),
    geslotenOp: typeof g === 'string' ? g : null,
  };
};
export const writeOverlegrondeMeta = (doc: Y.Doc, meta: OverlegrondeMeta): void => {
  const m = doc.getMap('meta');
  for (const [k, v] of Object.entries(meta)) m.set(k, Array.isArray(v) ? [...(v as string[])] : v);
};
// Other participants write these documents: parse, and skip what does not fit.
/** The signature block of a message (000): voornaam, achternaam, functie, organisatie. */
export const signatureSchema = z.object({ voornaam: z.string(), achternaam: z.string(), functie: z.string(), organisatie: z.string() });
const itemSignatureSchema = z.object({ s: z.instanceof(Uint8Array), c: z.instanceof(Uint8Array) });
const storedMessageSchema = z.object({
  id: z.string().min(1),
  auteur: z.string(),
  auteurNaam: z.string().catch(''),
  titel: z.string(),
  tekst: z.string(),
  mentions: z.array(z.string()).catch([]),
  geplaatstOp: z.string(),
  antwoordOp: z.string().min(1).optional().catch(undefined),
  ondertekening: signatureSchema.optional().catch(undefined),
  sig: itemSignatureSchema.optional().catch(undefined),
});
const storedEditSchema = z.object({
  id: z.string().min(1),
  messageId: z.string().min(1),
  auteur: z.string(),
  titel: z.string(),
  tekst: z.string(),
  mentions: z.array(z.string()).catch([]),
  bewerktOp: z.string(),
  sig: itemSignatureSchema.optional().catch(undefined),
});
const storedAfhandelingSchema = z.object({
  id: z.string().min(1),
  onderwerp: z.string().min(1),
  afgehandeld: z.boolean(),
  auteur: z.string(),
  op: z.string(),
  sig: itemSignatureSchema.optional().catch(undefined),
});

/** The entries of an array other participants write: each parsed, what does not fit skipped. */
const parsedEntries = <S extends z.ZodType>(doc: Y.Doc, name: string, schema: S): z.infer<S>[] =>
  doc
    .getArray<unknown>(name)
    .toArray()
    .flatMap((raw) => {
      const p = schema.safeParse(raw);
      return p.success ? [p.data] : [];
    });

export const readMessages = (doc: Y.Doc): StoredMessage[] =>
  parsedEntries(doc, 'berichten', storedMessageSchema).map(({ ondertekening, sig, antwoordOp, ...rest }) => ({
    ...rest,
    ...(antwoordOp ? { antwoordOp } : {}),
    ...(ondertekening ? { ondertekening } : {}),
    ...(sig ? { sig } : {}),
  }));
export const pushMessage = (doc: Y.Doc, m: StoredMessage): void => {
  doc.getArray<StoredMessage>('berichten').push([
    {
      ...m,
      mentions: [...m.mentions],
      ...(m.ondertekening ? { ondertekening: { ...m.ondertekening } } : {}),
      ...(m.sig ? { sig: { s: m.sig.s, c: m.sig.c } } : {}),
    },
  ]);
};
export const readEdits = (doc: Y.Doc): StoredEdit[] =>
  parsedEntries(doc, 'bewerkingen', storedEditSchema).map(({ sig, ...rest }) => (sig ? { ...rest, sig } : rest));
export const pushEdit = (doc: Y.Doc, e: StoredEdit): void => {
  doc
    .getArray<StoredEdit>('bewerkingen')
    .push([{ ...e, mentions: [...e.mentions], ...(e.sig ? { sig: { s: e.sig.s, c: e.sig.c } } : {}) }]);
};
export const readAfhandelingen = (doc: Y.Doc): StoredAfhandeling[] =>
  parsedEntries(doc, 'afhandelingen', storedAfhandelingSchema).map(({ sig, ...rest }) => (sig ? { ...rest, sig } : rest));
export const pushAfhandeling = (doc: Y.Doc, a: StoredAfhandeling): void => {
  doc.getArray<StoredAfhandeling>('afhandelingen').push([{ ...a, ...(a.sig ? { sig: { s: a.sig.s, c: a.sig.c } } : {}) }]);
};

/** A message with its edits applied: versions oldest first, the last one current. */
export interface MessageHistory {
  readonly message: StoredMessage;
  /** The message's signature proves `auteur` wrote it (and then every counted edit is proven too). */
  readonly geverifieerd: boolean;
  readonly versions: readonly {
    readonly titel: string;
    readonly tekst: string;
    readonly mentions: readonly string[];
    readonly geschrevenOp: string;
  }[];
}

/** Which stored messages and edits carry a verified signature by their `auteur` (the client's cache; see signed-message.ts). */
export interface MessageTrust {
  readonly message: (m: StoredMessage) => boolean;
  readonly edit: (e: StoredEdit) => boolean;
  readonly afhandeling: (a: StoredAfhandeling) => boolean;
}
const TRUST_NOTHING: MessageTrust = { message: () => false, edit: () => false, afhandeling: () => false };

/**
 * Folds the edits into their messages. Only edits by the message's author
 * count, and for a verified message only verified ones; they are ordered by
 * time, then id, so concurrent edits from two devices give the same history on
 * every reader and the later one wins. When entries share an id (someone
 * pushed a copy), a verified one wins over an unverified one, wherever it
 * stands in the array, so a forged twin cannot hide the real message or edit.
 */
export function messageHistories(doc: Y.Doc, trust: MessageTrust = TRUST_NOTHING): MessageHistory[] {
  const chosen = new Map<string, { m: StoredMessage; v: boolean }>();
  for (const m of readMessages(doc)) {
    const cur = chosen.get(m.id);
    if (cur?.v) continue;
    const v = trust.message(m);
    if (!cur || v) chosen.set(m.id, { m, v });
  }
  const byMessage = new Map<string, StoredEdit[]>();
  for (const e of readEdits(doc)) {
    const list = byMessage.get(e.messageId) ?? [];
    list.push(e);
    byMessage.set(e.messageId, list);
  }
  const out: MessageHistory[] = [];
  for (const { m, v } of chosen.values()) {
    const edits = new Map<string, StoredEdit>();
    for (const e of byMessage.get(m.id) ?? []) {
      if (e.auteur !== m.auteur || edits.has(e.id)) continue;
      if (v && !trust.edit(e)) continue;
      edits.set(e.id, e);
    }
    const sorted = [...edits.values()].sort((a, b) =>
      a.bewerktOp < b.bewerktOp ? -1 : a.bewerktOp > b.bewerktOp ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    out.push({
      message: m,
      geverifieerd: v,
      versions: [
        { titel: m.titel, tekst: m.tekst, mentions: m.mentions, geschrevenOp: m.geplaatstOp },
        ...sorted.map((e) => ({ titel: e.titel, tekst: e.tekst, mentions: e.mentions, geschrevenOp: e.bewerktOp })),
      ],
    });
  }
  return out;
}

// ---- notities, formulieren, lvs ----
export const notitieText = (doc: Y.Doc): Y.Text => doc.getText('tekst');
export const readValues = (doc: Y.Doc): Record<string, FormValue> => doc.getMap<FormValue>('waarden').toJSON() as Record<string, FormValue>;
/** Sets the given answers and removes the cleared ones (an emptied field must not keep its old answer). */
export const writeValues = (doc: Y.Doc, values: Readonly<Record<string, FormValue>>, cleared: readonly string[] = []): void => {
  const m = doc.getMap<FormValue>('waarden');
  for (const [k, v] of Object.entries(values)) m.set(k, Array.isArray(v) ? [...(v as string[])] : v);
  for (const k of cleared) if (!(k in values)) m.delete(k);
};

// ---- form signatures (in the formulieren doc, beside the answers) ----
/** The encoded FormSignature under one form, or null; bytes so every reader re-verifies it. */
export const readFormSignature = (doc: Y.Doc, formulierId: string): Uint8Array | null => {
  const v = doc.getMap<unknown>('ondertekeningen').get(formulierId);
  return v instanceof Uint8Array ? v : null;
};
export const writeFormSignature = (doc: Y.Doc, formulierId: string, bytes: Uint8Array): void => {
  doc.getMap<Uint8Array>('ondertekeningen').set(formulierId, bytes);
};

// ---- aanpak (003) ----
/**
 * One aanpak as readers take it from its signed item (`aanpakOf`, aanpak-getekend.ts): the plain
 * `aanpak` array of earlier versions is no longer read, since any writer of the hulpvraag could add to it [R134].
 */
export interface StoredAanpak {
  readonly id: string;
  readonly behandelaar: string;
  readonly omschrijving: string;
  readonly startdatum: string;
  readonly einddatum: string | null;
  readonly toegevoegdDoor: string;
  readonly toegevoegdOp: string;
}

// ---- signature requests (in the formulieren doc): the IB asks the bevoegd gezag to sign ----
const storedSignatureRequestSchema = z.object({
  door: z.string().min(1),
  aan: z.array(z.string().min(1)).min(1).max(50),
  op: z.string().min(1),
});
export type StoredSignatureRequest = z.infer<typeof storedSignatureRequestSchema>;
/** The latest request to sign this form, or null; anything malformed (another writer's bug or attack) counts as none. */
export const readSignatureRequest = (doc: Y.Doc, formulierId: string): StoredSignatureRequest | null => {
  const parsed = storedSignatureRequestSchema.safeParse(doc.getMap<unknown>('ondertekenverzoeken').get(formulierId));
  return parsed.success ? parsed.data : null;
};
export const writeSignatureRequest = (doc: Y.Doc, formulierId: string, r: StoredSignatureRequest): void => {
  doc.getMap<unknown>('ondertekenverzoeken').set(formulierId, { door: r.door, aan: [...r.aan], op: r.op });
};
