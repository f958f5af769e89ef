// The last stop before text reaches the screen: messages from the core and the connection
// are Dutch already, but some name the implementation ("relay", "certificaat") and an
// unexpected exception can carry English or raw validation JSON. Here they become words
// people use at school, and anything technical becomes a Dutch sentence that says what to do.

/** Implementation words → the words on screen (GLOSSARY: the relay is "de server"). */
const WOORDEN: readonly (readonly [RegExp, string])[] = [
  [/\bde relay\b/gi, 'de server'],
  [/\bdeze relay\b/gi, 'deze server'],
  [/\brelays\b/gi, 'servers'],
  [/\brelay\b/gi, 'server'],
  [/\bapparaatcertificaat\b/gi, 'apparaatbewijs'],
  [/\buw certificaat\b/gi, 'uw profiel'],
  // Compounds and articles first, so the plain word's rule does not leave "de bewijs" or "het wachtwoordzin".
  [/\bde certificaatketen\b/gi, 'het bewijs van aansluiting'],
  [/\bhet gebruikerscertificaat\b/gi, 'het bewijs van aansluiting'],
  [/\bcertificaten\b/gi, 'bewijzen van aansluiting'],
  [/\bcertificaat\b/gi, 'bewijs van aansluiting'],
  [/\s*\(sleutelrotatie\)/gi, ''],
  [/\bsleutelrotatie\b/gi, 'nieuwe sleutels'],
  [/\bbasissleutel van het samenwerkingsverband\b/gi, 'sleutel van het samenwerkingsverband'],
  [/\bbasissleutel\b/gi, 'sleutel van het samenwerkingsverband'],
  [/\bhet wachtwoord\b/gi, 'de wachtwoordzin'],
  [/\been ander wachtwoord\b/gi, 'een andere wachtwoordzin'],
  [/\bwachtwoord\b/gi, 'wachtwoordzin'],
];

/** Signs of text that is not meant for people: validation JSON, English runtime errors. */
const TECHNISCH =
  /"code"\s*:|"path"\s*:|\bExpected\b|\bInvalid\b|\bundefined\b|\bNaN\b|\[object |TypeError|ReferenceError|SyntaxError|is not a function|Cannot read propert|Failed to fetch|NetworkError|\bnull\b|^\s*[[{]/;

export const ALGEMENE_FOUT =
  'Er ging iets mis in Kindkluis. Uw gegevens zijn niet gewijzigd; probeer het opnieuw. Blijft dit gebeuren, laad de pagina dan opnieuw.';

/** The message as people should read it. */
export function leesbaar(tekst: string): string {
  if (TECHNISCH.test(tekst)) return ALGEMENE_FOUT;
  let out = tekst;
  for (const [re, woord] of WOORDEN)
    out = out.replace(re, (m) => (m[0] === m[0]?.toUpperCase() && woord[0] ? woord[0].toUpperCase() + woord.slice(1) : woord));
  return out;
}
