// The TLV register's answers this client got (client-tlv-register.ts): a register entry never changes
// once given, so an answer holds for the life of the client and screens may ask on every render.
import type { VolgnummerStand } from '../client-tlv-register.js';

export class TlvRegisterAnswers {
  /** By `hulpvraag:volgnummer:bewijs`: a changed TLV is a new question. */
  readonly #answers = new Map<string, VolgnummerStand>();

  answerFor(question: string): VolgnummerStand | undefined {
    return this.#answers.get(question);
  }

  remember(question: string, stand: VolgnummerStand): void {
    this.#answers.set(question, stand);
  }
}
