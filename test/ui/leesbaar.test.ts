// Messages reach the screen in the words people use at school (issue 21): no implementation
// words, no English or validation JSON.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ALGEMENE_FOUT, leesbaar } from '../../extension/ui/leesbaar.js';
import { WITHHELD_WARNING } from '../../core/client/client-trust.js';
import { PROTOCOL_ERRORS } from '../../core/sync/protocol-errors.js';

describe('leesbaar', () => {
  it('turns raw zod issues and English exceptions into one Dutch sentence', () => {
    const r = z.object({ naam: z.string() }).safeParse({ naam: 3 });
    expect(r.success).toBe(false);
    if (!r.success) expect(leesbaar(r.error.message)).toBe(ALGEMENE_FOUT);
    expect(leesbaar("Cannot read properties of undefined (reading 'x')")).toBe(ALGEMENE_FOUT);
    expect(leesbaar('[object Object]')).toBe(ALGEMENE_FOUT);
  });

  it('names the server, not the relay, in the warnings and errors the core gives', () => {
    expect(leesbaar(WITHHELD_WARNING)).toMatch(/^De server houdt mogelijk wijzigingen achter/);
    for (const m of Object.values(PROTOCOL_ERRORS)) {
      const s = leesbaar(m);
      expect(s, m).not.toMatch(/relay|certificaat|sleutelrotatie|basissleutel/i);
    }
    expect(leesbaar('Na verwijderen krijgen alle delen nieuwe sleutels (sleutelrotatie).')).toBe(
      'Na verwijderen krijgen alle delen nieuwe sleutels.',
    );
  });

  it('reads the SWV key and certificate messages of the core as whole Dutch sentences, not doubled or with the wrong article', () => {
    expect(leesbaar('Ontgrendel eerst de basissleutel van het samenwerkingsverband (Beheer) met het wachtwoord van de basissleutel.')).toBe(
      'Ontgrendel eerst de sleutel van het samenwerkingsverband (Beheer) met de wachtwoordzin van de sleutel van het samenwerkingsverband.',
    );
    expect(leesbaar('Kies voor de basissleutel een ander wachtwoord dan uw dagelijkse wachtwoord.')).toBe(
      'Kies voor de sleutel van het samenwerkingsverband een andere wachtwoordzin dan uw dagelijkse wachtwoordzin.',
    );
    expect(leesbaar('Het wachtwoord van de basissleutel klopt niet.')).toBe(
      'De wachtwoordzin van de sleutel van het samenwerkingsverband klopt niet.',
    );
    expect(leesbaar('De certificaatketen van het apparaat is ongeldig.')).toBe('Het bewijs van aansluiting van het apparaat is ongeldig.');
    expect(leesbaar('De certificaten in de keten horen niet bij elkaar.')).toBe(
      'De bewijzen van aansluiting in de keten horen niet bij elkaar.',
    );
    expect(leesbaar('De naamgegevens horen niet bij het gebruikerscertificaat.')).toBe(
      'De naamgegevens horen niet bij het bewijs van aansluiting.',
    );
  });

  it('leaves ordinary Dutch alone', () => {
    expect(
      leesbaar('De status "TLV aanvraag indienen" kan nog niet worden gekozen: de bijlage "Ontwikkelingsperspectiefplan (OPP)" ontbreekt.'),
    ).toBe('De status "TLV aanvraag indienen" kan nog niet worden gekozen: de bijlage "Ontwikkelingsperspectiefplan (OPP)" ontbreekt.');
    expect(leesbaar('Onjuiste wachtwoordzin.')).toBe('Onjuiste wachtwoordzin.');
  });
});
