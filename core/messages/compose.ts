// Creating and editing overlegronde messages: a title (for the message that
// opens an onderwerp; a reactie needs none) and a body, @mentions
// resolved against the participants, no links, the signature from the
// author's profile, and every earlier version kept on edit (000).
import type { MessageId } from '../model/ids.js';
import type { Message, MessageRevision } from '../model/message.js';
import type { Overlegronde } from '../model/overlegronde.js';
import type { User, UserProfile } from '../model/user.js';
import type { UserId } from '../model/ids.js';
import type { PiiDetector, PiiFinding } from '../privacy/detector.js';
import { fail, ok, type Result } from '../result.js';
import { findLinks, type LinkFinding } from './links.js';
import { resolveMentions, type MentionProblem } from './mentions.js';
import type { MentionParticipant } from './names.js';
import { canReactInOverlegronde } from './overlegronde-rules.js';
import { signatureFromProfile } from './signature.js';

export const MAX_TITEL_LENGTH = 150;
export const MAX_TEKST_LENGTH = 20_000;

export type Participant = MentionParticipant & { readonly id: UserId };

export interface ComposeOptions {
  /** Post even if some @mentions could not be resolved (they stay plain text). */
  readonly allowUnresolvedMentions?: boolean;
  /** The privacy check for this dossier; its findings come back as warnings. */
  readonly privacy?: PiiDetector;
}

export interface ComposeResult {
  readonly message: Message;
  readonly mentionProblems: readonly MentionProblem<UserId>[];
  /** PII found in titel or tekst; positions are relative to `field`. Saving needs the user's confirmation. */
  readonly privacyFindings: readonly (PiiFinding & { readonly field: 'titel' | 'tekst' })[];
}

type Author = Pick<User, 'id'> & Pick<UserProfile, 'voornaam' | 'achternaam' | 'functie' | 'organisatieNaam'>;
type Ronde = Pick<Overlegronde, 'id' | 'deelnemers' | 'aangemaaktDoor' | 'einddatum' | 'geslotenOp' | 'startdatum'>;

interface ContentCheck {
  readonly mentions: readonly UserId[];
  readonly mentionProblems: readonly MentionProblem<UserId>[];
  readonly privacyFindings: ComposeResult['privacyFindings'];
}

function checkContent(
  titel: string,
  tekst: string,
  ronde: Ronde,
  allProfiles: readonly Participant[],
  options: ComposeOptions,
  isReactie: boolean,
): Result<ContentCheck> {
  // Only invited people can be mentioned, whatever profiles the caller had at hand.
  const participants = allProfiles.filter((p) => p.id === ronde.aangemaaktDoor || ronde.deelnemers.includes(p.id));
  // A titel opens an onderwerp; a reactie belongs to one and needs only its text.
  if (titel.trim() === '' && !isReactie) return fail('bericht-titel-leeg', 'Geef het onderwerp een duidelijke titel.');
  if (titel.length > MAX_TITEL_LENGTH)
    return fail('bericht-titel-te-lang', `De titel is te lang (${titel.length} tekens, maximaal ${MAX_TITEL_LENGTH}).`);
  if (tekst.trim() === '') return fail('bericht-leeg', 'Het bericht is leeg.');
  if (tekst.length > MAX_TEKST_LENGTH)
    return fail('bericht-te-lang', `Het bericht is te lang (${tekst.length} tekens, maximaal ${MAX_TEKST_LENGTH}).`);
  const links: (LinkFinding & { field: string })[] = [
    ...findLinks(titel).map((l) => ({ ...l, field: 'titel' })),
    ...findLinks(tekst).map((l) => ({ ...l, field: 'tekst' })),
  ];
  const first = links[0];
  if (first)
    return fail(
      'bericht-bevat-link',
      `${links.length === 1 ? 'Het bericht bevat een link' : `Het bericht bevat ${links.length} links`} (${links.map((l) => `"${l.text}"`).join(', ')}). ${first.reason}`,
      {
        links: links.map((l) => ({ field: l.field, start: l.start, end: l.end, kind: l.kind })),
      },
    );
  const resolution = resolveMentions(`${titel}\n${tekst}`, participants);
  if (resolution.problems.length > 0 && options.allowUnresolvedMentions !== true)
    return fail('bericht-mention-onduidelijk', resolution.problems.map((p) => p.message).join(' '), {
      problemen: resolution.problems.map((p) => ({ kind: p.kind, text: p.text, candidates: p.candidates })),
    });
  const privacyFindings = options.privacy
    ? [
        ...options.privacy.scan(titel).map((f) => ({ ...f, field: 'titel' as const })),
        ...options.privacy.scan(tekst).map((f) => ({ ...f, field: 'tekst' as const })),
      ]
    : [];
  return ok({ mentions: resolution.userIds, mentionProblems: resolution.problems, privacyFindings });
}

export interface NewMessage {
  readonly id: MessageId;
  readonly overlegronde: Ronde;
  /** Profiles of the deelnemers (and creator), for @mention resolution. */
  readonly participants: readonly Participant[];
  readonly author: Author;
  readonly titel: string;
  readonly tekst: string;
  readonly antwoordOp?: MessageId;
  readonly now: Date;
}

export function composeMessage(input: NewMessage, options: ComposeOptions = {}): Result<ComposeResult> {
  const may = canReactInOverlegronde(input.overlegronde, input.author.id, input.now);
  if (!may.ok) return may;
  const signature = signatureFromProfile(input.author);
  if (!signature.ok) return signature;
  const content = checkContent(input.titel, input.tekst, input.overlegronde, input.participants, options, input.antwoordOp !== undefined);
  if (!content.ok) return content;
  const message: Message = {
    id: input.id,
    overlegrondeId: input.overlegronde.id,
    auteur: input.author.id,
    titel: input.titel.trim(),
    tekst: input.tekst,
    mentions: content.value.mentions,
    ondertekening: signature.value,
    geplaatstOp: input.now.toISOString(),
    historie: [],
    ...(input.antwoordOp !== undefined ? { antwoordOp: input.antwoordOp } : {}),
  };
  return ok({ message, mentionProblems: content.value.mentionProblems, privacyFindings: content.value.privacyFindings });
}

export interface MessageEdit {
  readonly message: Message;
  readonly overlegronde: Ronde;
  readonly participants: readonly Participant[];
  readonly editor: UserId;
  readonly titel: string;
  readonly tekst: string;
  readonly now: Date;
}

/**
 * Only the author edits, and only while the overlegronde is open. The replaced
 * version goes into `historie` with `bewerktOp` = the moment it was replaced;
 * so version k was written at geplaatstOp (k = 0) or historie[k − 1].bewerktOp.
 * The signature stays the one of the original author.
 */
export function editMessage(edit: MessageEdit, options: ComposeOptions = {}): Result<ComposeResult> {
  if (edit.editor !== edit.message.auteur) return fail('bericht-niet-van-u', 'Alleen de schrijver kan een bericht aanpassen.');
  if (edit.message.overlegrondeId !== edit.overlegronde.id) throw new Error('bericht hoort niet bij deze overlegronde');
  const may = canReactInOverlegronde(edit.overlegronde, edit.editor, edit.now);
  if (!may.ok) return may;
  const content = checkContent(
    edit.titel,
    edit.tekst,
    edit.overlegronde,
    edit.participants,
    options,
    edit.message.antwoordOp !== undefined,
  );
  if (!content.ok) return content;
  const previous: MessageRevision = { titel: edit.message.titel, tekst: edit.message.tekst, bewerktOp: edit.now.toISOString() };
  const message: Message = {
    ...edit.message,
    titel: edit.titel.trim(),
    tekst: edit.tekst,
    mentions: content.value.mentions,
    historie: [...edit.message.historie, previous],
  };
  return ok({ message, mentionProblems: content.value.mentionProblems, privacyFindings: content.value.privacyFindings });
}
