// A message in an overlegronde: title, body, @mentions, edit history, signature from the profile (000).
import type { IsoDateTime } from './dates.js';
import type { MessageId, OverlegrondeId, UserId } from './ids.js';

export interface MessageSignature {
  readonly voornaam: string;
  readonly achternaam: string;
  readonly functie: string;
  readonly organisatie: string;
}

export interface MessageRevision {
  readonly titel: string;
  readonly tekst: string;
  readonly bewerktOp: IsoDateTime;
}

export interface Message {
  readonly id: MessageId;
  readonly overlegrondeId: OverlegrondeId;
  readonly auteur: UserId;
  readonly titel: string;
  readonly tekst: string;
  /** Resolved @mentions (core/messages). */
  readonly mentions: readonly UserId[];
  readonly ondertekening: MessageSignature;
  readonly geplaatstOp: IsoDateTime;
  /** Earlier versions, oldest first (000: "Berichten kunnen aangepast worden"). */
  readonly historie: readonly MessageRevision[];
  readonly antwoordOp?: MessageId;
}
