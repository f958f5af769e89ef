// Overlegronde messages and their edits are signed by the author's device over
// their canonical fields (the signed-item machinery of signed-event.ts), so who
// wrote what stays provable inside the document, also after a snapshot.
import { z } from 'zod';
import type * as Y from 'yjs';
import type { CryptoProvider } from '../crypto/provider.js';
import { utf8Encode } from '../crypto/bytes.js';
import { encodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import { SIGNING_CONTEXTS } from '../crypto/signing-contexts.js';
import type { OverlegrondeId, SwvId } from '../model/ids.js';
import type { DeviceRevocations } from '../access/device-chain.js';
import { signItem, signedItemKey, verifySignedItem, type SignedItemKind } from './signed-event.js';
import {
  readAfhandelingen,
  readEdits,
  readMessages,
  signatureSchema,
  type MessageTrust,
  type StoredAfhandeling,
  type StoredEdit,
  type StoredMessage,
} from './dossier-docs.js';

const messagePayloadSchema = z.object({
  or: z.string(),
  id: z.string(),
  auteur: z.string(),
  auteurNaam: z.string(),
  titel: z.string(),
  tekst: z.string(),
  mentions: z.array(z.string()),
  geplaatstOp: z.string(),
  ondertekening: signatureSchema.nullable(),
  // Only in replies, so messages signed before replies existed keep their exact payload bytes.
  antwoordOp: z.string().optional(),
});
const editPayloadSchema = z.object({
  or: z.string(),
  id: z.string(),
  messageId: z.string(),
  auteur: z.string(),
  titel: z.string(),
  tekst: z.string(),
  mentions: z.array(z.string()),
  bewerktOp: z.string(),
});
const afhandelingPayloadSchema = z.object({
  or: z.string(),
  id: z.string(),
  onderwerp: z.string(),
  afgehandeld: z.boolean(),
  auteur: z.string(),
  op: z.string(),
});

/** How one kind of entry is signed: the signed-item kind, its payload (every stored field plus the ronde) and who claims it. */
interface Signable<E, P> {
  readonly kind: SignedItemKind<P>;
  readonly payload: (or: OverlegrondeId, e: E) => CanonicalValue;
}

const MESSAGE: Signable<StoredMessage, z.infer<typeof messagePayloadSchema>> = {
  kind: {
    context: utf8Encode(`${SIGNING_CONTEXTS.message}\u0000`),
    schema: messagePayloadSchema,
    at: (p) => p.geplaatstOp,
    noun: 'bericht',
  },
  payload: (or, m) => ({
    or,
    id: m.id,
    auteur: m.auteur,
    auteurNaam: m.auteurNaam,
    titel: m.titel,
    tekst: m.tekst,
    mentions: [...m.mentions],
    geplaatstOp: m.geplaatstOp,
    ondertekening: m.ondertekening ? { ...m.ondertekening } : null,
    ...(m.antwoordOp !== undefined ? { antwoordOp: m.antwoordOp } : {}),
  }),
};

const EDIT: Signable<StoredEdit, z.infer<typeof editPayloadSchema>> = {
  kind: {
    context: utf8Encode(`${SIGNING_CONTEXTS.messageEdit}\u0000`),
    schema: editPayloadSchema,
    at: (p) => p.bewerktOp,
    noun: 'berichtbewerking',
  },
  payload: (or, e) => ({
    or,
    id: e.id,
    messageId: e.messageId,
    auteur: e.auteur,
    titel: e.titel,
    tekst: e.tekst,
    mentions: [...e.mentions],
    bewerktOp: e.bewerktOp,
  }),
};

const AFHANDELING: Signable<StoredAfhandeling, z.infer<typeof afhandelingPayloadSchema>> = {
  kind: {
    context: utf8Encode(`${SIGNING_CONTEXTS.onderwerpAfgehandeld}\u0000`),
    schema: afhandelingPayloadSchema,
    at: (p) => p.op,
    noun: 'afhandeling',
  },
  payload: (or, a) => ({ or, id: a.id, onderwerp: a.onderwerp, afgehandeld: a.afgehandeld, auteur: a.auteur, op: a.op }),
};

/**
 * Verification results: `signedItemKey` (signature and payload digest) →
 * proven to be by the entry's `auteur`. The payload is rebuilt from the stored
 * fields, so a signature copied onto changed fields gets its own, failing, entry.
 */
export type MessageVerifications = Map<string, boolean>;

type Entry = StoredMessage | StoredEdit | StoredAfhandeling;
type SigningDevice = { readonly secretKey: Uint8Array; readonly chainBytes: Uint8Array };
const payloadBytes = <E extends Entry, P>(what: Signable<E, P>, or: OverlegrondeId, e: E): Uint8Array =>
  encodeCanonical(what.payload(or, e));

async function signEntry<E extends Entry, P>(
  provider: CryptoProvider,
  what: Signable<E, P>,
  or: OverlegrondeId,
  entry: E,
  device: SigningDevice,
  cache: MessageVerifications,
): Promise<E> {
  const item = await signItem(provider, what.kind, what.payload(or, entry), device);
  // Our own write: we know who signed it, no need to verify it again.
  cache.set(signedItemKey(item), true);
  return { ...entry, sig: { s: item.s, c: item.c } };
}

/** The message with the author device's signature; recorded as verified in `cache`. */
export const signMessage = (
  provider: CryptoProvider,
  or: OverlegrondeId,
  m: StoredMessage,
  device: SigningDevice,
  cache: MessageVerifications,
): Promise<StoredMessage> => signEntry(provider, MESSAGE, or, m, device, cache);

/** The edit with the author device's signature; recorded as verified in `cache`. */
export const signEdit = (
  provider: CryptoProvider,
  or: OverlegrondeId,
  e: StoredEdit,
  device: SigningDevice,
  cache: MessageVerifications,
): Promise<StoredEdit> => signEntry(provider, EDIT, or, e, device, cache);

async function verifyEntry<E extends Entry, P>(
  provider: CryptoProvider,
  what: Signable<E, P>,
  or: OverlegrondeId,
  e: E,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  cache: MessageVerifications,
  revocations: DeviceRevocations | undefined,
): Promise<void> {
  if (!e.sig) return;
  const p = payloadBytes(what, or, e);
  const key = signedItemKey({ p, s: e.sig.s });
  if (cache.has(key)) return;
  const r = await verifySignedItem(provider, what.kind, { p, s: e.sig.s, c: e.sig.c }, roots, revocations);
  // A valid signature by someone else than the claimed author proves nothing about the author.
  cache.set(key, r.ok && r.value.signer.userId === e.auteur);
}

/** The afgehandeld (or heropend) mark with the author device's signature; recorded as verified in `cache`. */
export const signAfhandeling = (
  provider: CryptoProvider,
  or: OverlegrondeId,
  a: StoredAfhandeling,
  device: SigningDevice,
  cache: MessageVerifications,
): Promise<StoredAfhandeling> => signEntry(provider, AFHANDELING, or, a, device, cache);

/**
 * Checks every signed message, edit and afhandeling of an overlegronde document not yet in
 * `cache`: the signature, the signer's device chain at the entry's own time
 * against the SWV roots, and that the signer is the entry's `auteur`.
 */
export async function verifyMessages(
  provider: CryptoProvider,
  or: OverlegrondeId,
  doc: Y.Doc,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  cache: MessageVerifications,
  revocations?: DeviceRevocations,
): Promise<void> {
  for (const m of readMessages(doc)) await verifyEntry(provider, MESSAGE, or, m, roots, cache, revocations);
  for (const e of readEdits(doc)) await verifyEntry(provider, EDIT, or, e, roots, cache, revocations);
  for (const a of readAfhandelingen(doc)) await verifyEntry(provider, AFHANDELING, or, a, roots, cache, revocations);
}

const trusted = <E extends Entry, P>(what: Signable<E, P>, or: OverlegrondeId, e: E, cache: MessageVerifications): boolean =>
  e.sig !== undefined && cache.get(signedItemKey({ p: payloadBytes(what, or, e), s: e.sig.s })) === true;

/** What the synchronous views trust: only entries `verifyMessages` (or our own signing) proved. */
export const messageTrust = (or: OverlegrondeId, cache: MessageVerifications): MessageTrust => ({
  message: (m) => trusted(MESSAGE, or, m, cache),
  edit: (e) => trusted(EDIT, or, e, cache),
  afhandeling: (a) => trusted(AFHANDELING, or, a, cache),
});
