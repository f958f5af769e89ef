// The signature under every message: voornaam, achternaam, functie and
// organisatie from the author's profile (000), never typed by hand, so nobody
// can sign as someone else and nobody forgets it.
import type { MessageSignature } from '../model/message.js';
import type { UserProfile } from '../model/user.js';
import { fail, ok, type Result } from '../result.js';

export function signatureFromProfile(
  profile: Pick<UserProfile, 'voornaam' | 'achternaam' | 'functie' | 'organisatieNaam'>,
): Result<MessageSignature> {
  const fields = {
    voornaam: profile.voornaam.trim(),
    achternaam: profile.achternaam.trim(),
    functie: profile.functie.trim(),
    organisatie: profile.organisatieNaam.trim(),
  };
  const missing = Object.entries(fields)
    .filter(([, v]) => v === '')
    .map(([k]) => k);
  if (missing.length > 0)
    return fail(
      'profiel-onvolledig',
      `Uw profiel mist: ${missing.join(', ')}. Vul uw profiel aan; de ondertekening onder berichten wordt daaruit gemaakt.`,
      { ontbreekt: missing },
    );
  return ok(fields);
}

/** The signature as shown under the message: "Daan de Vries\nintern begeleider, OBS De Regenboog". */
export function formatSignature(s: MessageSignature): string {
  return `${s.voornaam} ${s.achternaam}\n${s.functie}, ${s.organisatie}`;
}
