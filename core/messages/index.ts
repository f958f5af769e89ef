// Public surface of overlegronde messages, @mentions, links and signatures.
export { composeMessage, editMessage, messageVersions, MAX_TITEL_LENGTH, MAX_TEKST_LENGTH } from './compose.js';
export type { ComposeOptions, ComposeResult, NewMessage, MessageEdit, Participant } from './compose.js';
export { resolveMentions, mentionSuggestions, activeMentionQuery, mentionSegments } from './mentions.js';
export type { MentionResolution, ResolvedMention, MentionProblem, MentionSuggestion, MentionSegment } from './mentions.js';
export type { MentionParticipant } from './names.js';
export { findLinks, type LinkFinding } from './links.js';
export { signatureFromProfile, formatSignature } from './signature.js';
export {
  checkOverlegrondePeriode,
  latestEinddatum,
  canReadOverlegronde,
  canReactInOverlegronde,
  overlegrondenAdvies,
  OVERLEGRONDEN_ADVIES_VANAF,
} from './overlegronde-rules.js';
