// Overlegronde messages between the facade and core/messages: the participants
// and the ronde as core/messages wants them, the old `@voornaam.achternaam`
// handles, and the view of a message folded with its edits.
import type { MessageId, OverlegrondeId, UserId } from '../model/ids.js';
import { asId } from '../model/ids.js';
import type { Message, MessageSignature } from '../model/message.js';
import type { Overlegronde } from '../model/overlegronde.js';
import type { Participant } from '../messages/compose.js';
import type { MessageView } from './api.js';
import type { MessageHistory, OverlegrondeMeta } from './dossier-docs.js';

export interface MessagePerson {
  readonly userId: UserId;
  readonly voornaam: string;
  readonly achternaam: string;
}

/** The ronde fields core/messages checks (participants, einddatum, closing). */
export function rondeOf(
  id: OverlegrondeId,
  meta: OverlegrondeMeta,
): Pick<Overlegronde, 'id' | 'deelnemers' | 'aangemaaktDoor' | 'einddatum' | 'geslotenOp' | 'startdatum'> {
  return {
    id,
    deelnemers: meta.deelnemers.map((u) => asId<UserId>(u)),
    aangemaaktDoor: asId<UserId>(meta.aangemaaktDoor),
    einddatum: meta.einddatum,
    startdatum: meta.startdatum,
    ...(meta.geslotenOp !== null ? { geslotenOp: meta.geslotenOp } : {}),
  };
}

/** Directory people who take part in the ronde (invited or its creator): the only ones a mention can reach. */
export function participantsOf(meta: OverlegrondeMeta, people: readonly MessagePerson[]): Participant[] {
  const inRonde = new Set([meta.aangemaaktDoor, ...meta.deelnemers]);
  return people.filter((p) => inRonde.has(p.userId)).map((p) => ({ id: p.userId, voornaam: p.voornaam, achternaam: p.achternaam }));
}

// "@ilse.bakker": letters/digits, at least one dot inside; not part of an e-mail address.
const HANDLE_RE = /(?<![\p{L}\p{N}._%+-])@([\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)+)/gu;
/** Lower case, no diacritics, only letters, digits and dots: how a handle is compared. */
const foldHandle = (s: string): string =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9.]+/g, '');

/** The `@voornaam.achternaam` handle the directory shows (older messages and scripts use it). */
export const handleOf = (voornaam: string, achternaam: string): string => foldHandle(`${voornaam}.${achternaam}`);

/**
 * Finds `@voornaam.achternaam` handles of participants and blanks them out
 * (same length, the "@" kept) so name resolution and the link check skip them;
 * an unknown handle stays in the text and is resolved by name ("@ilse.x" → "@ilse").
 */
export function takeHandles(text: string, participants: readonly Participant[]): { masked: string; ids: UserId[] } {
  const byHandle = new Map<string, UserId>();
  for (const p of participants) byHandle.set(handleOf(p.voornaam, p.achternaam), p.id);
  const ids: UserId[] = [];
  const masked = text.replace(HANDLE_RE, (whole: string, handle: string) => {
    const id = byHandle.get(foldHandle(handle));
    if (id === undefined) return whole;
    if (!ids.includes(id)) ids.push(id);
    return `@${' '.repeat(whole.length - 1)}`;
  });
  return { masked, ids };
}

const EMPTY_SIGNATURE: MessageSignature = { voornaam: '', achternaam: '', functie: '', organisatie: '' };

/** The current version as a core/messages Message, with the earlier versions as its historie. */
export function coreMessageOf(h: MessageHistory, overlegrondeId: OverlegrondeId): Message {
  const v = h.versions;
  const last = v[v.length - 1] ?? { titel: h.message.titel, tekst: h.message.tekst, mentions: h.message.mentions };
  return {
    id: asId<MessageId>(h.message.id),
    overlegrondeId,
    auteur: asId<UserId>(h.message.auteur),
    titel: last.titel,
    tekst: last.tekst,
    mentions: last.mentions.map((u) => asId<UserId>(u)),
    ondertekening: h.message.ondertekening ?? EMPTY_SIGNATURE,
    geplaatstOp: h.message.geplaatstOp,
    // Version k was replaced when version k + 1 was written.
    historie: v.slice(0, -1).map((x, k) => ({ titel: x.titel, tekst: x.tekst, bewerktOp: v[k + 1]?.geschrevenOp ?? x.geschrevenOp })),
    ...(h.message.antwoordOp !== undefined ? { antwoordOp: asId<MessageId>(h.message.antwoordOp) } : {}),
  };
}

/** Everyone mentioned in any version, each with the moment of the first version that mentioned them. */
export function mentionedSince(h: MessageHistory, isParticipant: (userId: string) => boolean): { userId: UserId; sinds: string }[] {
  const out: { userId: UserId; sinds: string }[] = [];
  for (const v of h.versions)
    for (const u of v.mentions)
      if (isParticipant(u) && !out.some((o) => o.userId === u)) out.push({ userId: asId<UserId>(u), sinds: v.geschrevenOp });
  return out;
}

/**
 * The view of one message; mentions outside the ronde (a tampered document) are dropped.
 * A message whose signature does not prove its `auteur` (forged, tampered, or
 * written before messages were signed) is shown flagged, without an author
 * name or signature block, and mentions nobody ("u bent genoemd" only counts proven messages).
 */
export function messageViewOf(h: MessageHistory, isParticipant: (userId: string) => boolean): MessageView {
  const m = h.message;
  const last = h.versions[h.versions.length - 1] ?? { titel: m.titel, tekst: m.tekst, mentions: m.mentions, geschrevenOp: m.geplaatstOp };
  const versies = h.versions.map((v) => ({
    titel: v.titel,
    tekst: v.tekst,
    mentions: v.mentions.filter(isParticipant).map((u) => asId<UserId>(u)),
    geschrevenOp: v.geschrevenOp,
  }));
  return {
    id: asId<MessageId>(m.id),
    auteur: asId<UserId>(m.auteur),
    auteurNaam: h.geverifieerd ? m.auteurNaam : '',
    geverifieerd: h.geverifieerd,
    titel: last.titel,
    tekst: last.tekst,
    mentions: last.mentions.filter(isParticipant).map((u) => asId<UserId>(u)),
    genoemd: h.geverifieerd ? mentionedSince(h, isParticipant) : [],
    geplaatstOp: m.geplaatstOp,
    ondertekening: h.geverifieerd && m.ondertekening ? { ...m.ondertekening } : null,
    bewerkt: h.versions.length > 1,
    bewerktOp: h.versions.length > 1 ? last.geschrevenOp : null,
    versies,
    antwoordOp: m.antwoordOp !== undefined ? asId<MessageId>(m.antwoordOp) : null,
  };
}
