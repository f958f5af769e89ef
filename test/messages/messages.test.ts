import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { activeMentionQuery, mentionSuggestions, resolveMentions } from '../../core/messages/mentions.js';
import { canReactInOverlegronde, checkOverlegrondePeriode } from '../../core/messages/overlegronde-rules.js';
import { composeMessage, editMessage, type Participant } from '../../core/messages/compose.js';
import { findLinks } from '../../core/messages/links.js';
import { formatSignature, signatureFromProfile } from '../../core/messages/signature.js';
import { createPiiDetector } from '../../core/privacy/detector.js';
import type { MessageId, OverlegrondeId, UserId, HulpvraagId } from '../../core/model/ids.js';

const uid = (s: string) => s as UserId;
const people: Participant[] = [
  { id: uid('u-daan'), voornaam: 'Daan', achternaam: 'de Vries' },
  { id: uid('u-ayse'), voornaam: 'Ayşe', achternaam: 'Öztürk' },
  { id: uid('u-anna'), voornaam: 'Anna', achternaam: 'van der Berg' },
  { id: uid('u-anna2'), voornaam: 'Anna', achternaam: 'Jansen' },
  { id: uid('u-jan'), voornaam: 'Jan', achternaam: 'Bakker-de Wit' },
];
const author = {
  id: uid('u-daan'),
  voornaam: 'Daan',
  achternaam: 'de Vries',
  functie: 'intern begeleider',
  organisatieNaam: 'OBS De Regenboog',
};
const start = '2025-03-03T08:00:00.000Z';
const ronde = {
  id: 'or-1' as OverlegrondeId,
  hulpvraagId: 'hv-1' as HulpvraagId,
  titel: 'Afstemming aanpak',
  omschrijving: 'Meedenken over de aanpak in de klas',
  aangemaaktDoor: uid('u-daan'),
  startdatum: start,
  einddatum: '2025-03-17T08:00:00.000Z',
  deelnemers: people.map((p) => p.id),
  berichten: [] as MessageId[],
};
const during = new Date('2025-03-10T12:00:00Z');
const after = new Date('2025-03-17T08:00:01Z');

describe('@mentions are resolved against the participants', () => {
  it('resolves first names, full names in any case, and names without diacritics', () => {
    const r = resolveMentions('Dag @Daan, @daan de vries en @Ozturk: kunnen jullie dit lezen? Ook @ayse öztürk.', people);
    expect(r.problems).toEqual([]);
    expect(r.mentions.map((m) => [m.text, m.userId])).toEqual([
      ['@Daan', 'u-daan'],
      ['@daan de vries', 'u-daan'],
      ['@Ozturk', 'u-ayse'],
      ['@ayse öztürk', 'u-ayse'],
    ]);
    expect(r.userIds).toEqual(['u-daan', 'u-ayse']);
  });

  it('resolves a surname without its tussenvoegsel and a double surname', () => {
    const r = resolveMentions('@Vries, @Berg en @Bakker-de Wit en @jan bakker-de wit', people);
    expect(r.mentions.map((m) => m.userId)).toEqual(['u-daan', 'u-anna', 'u-jan', 'u-jan']);
  });

  it('reports an ambiguous first name with the candidates instead of guessing', () => {
    const r = resolveMentions('@Anna wil jij dit oppakken? Of @Anna Jansen?', people);
    expect(r.mentions.map((m) => m.userId)).toEqual(['u-anna2']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: 'dubbelzinnig', text: '@Anna', candidates: ['u-anna', 'u-anna2'] });
    expect(r.problems[0]?.message).toMatch(/niet eenduidig.*Anna van der Berg, Anna Jansen/);
  });

  it('reports an unknown name and ignores e-mail addresses', () => {
    const r = resolveMentions('@Piet kan niet; mail info@swv.nl of @ alleen.', people);
    expect(r.mentions).toEqual([]);
    expect(r.problems.map((p) => [p.kind, p.text])).toEqual([['onbekend', '@Piet']]);
    expect(r.problems[0]?.message).toMatch(/geen deelnemer/);
  });

  it('suggests participants for a typed prefix, best match first', () => {
    expect(mentionSuggestions('an', people).map((s) => s.label)).toEqual(['Anna Jansen', 'Anna van der Berg']);
    expect(mentionSuggestions('oz', people).map((s) => s.insert)).toEqual(['@Ayşe Öztürk ']);
    expect(mentionSuggestions('daan de', people).map((s) => s.userId)).toEqual(['u-daan']);
    expect(mentionSuggestions('xyz', people)).toEqual([]);
    expect(mentionSuggestions('', people)).toHaveLength(5);
  });

  it('finds the mention being typed at the cursor, not inside an e-mail address', () => {
    expect(activeMentionQuery('Hoi @da', 7)).toEqual({ start: 4, query: 'da' });
    expect(activeMentionQuery('Hoi @daan de', 12)).toEqual({ start: 4, query: 'daan de' });
    expect(activeMentionQuery('mail info@sw', 12)).toBeUndefined();
    expect(activeMentionQuery('geen mention', 12)).toBeUndefined();
  });
});

describe('links are refused in overlegronde messages', () => {
  it('finds URLs, www hosts, bare domains with and without a path, and share links', () => {
    const text =
      'Zie https://example.org/a?b=1, www.swv.nl/info, kindkans.nl, example.nl/x en teams.microsoft.com/l/meetup. Ook bit.ly/abc en 1drv.ms/w/s!x.';
    expect(findLinks(text).map((l) => [l.text, l.kind])).toEqual([
      ['https://example.org/a?b=1', 'url'],
      ['www.swv.nl/info', 'www'],
      ['kindkans.nl', 'domein'],
      ['example.nl/x', 'domein'],
      ['teams.microsoft.com/l/meetup', 'deellink'],
      ['bit.ly/abc', 'deellink'],
      ['1drv.ms/w/s!x', 'deellink'],
    ]);
  });

  it('does not take abbreviations, file names, e-mail addresses or decimals for links', () => {
    expect(findLinks('O.a. het verslag.pdf en OPP.docx, d.w.z. z.s.m.; mail info@swv.nl; versie 3.2; 14.30 uur.')).toEqual([]);
  });

  it('refuses a message with a link and says why, in Dutch', () => {
    const r = composeMessage({
      id: 'm-1' as MessageId,
      overlegronde: ronde,
      participants: people,
      author,
      titel: 'Planning',
      tekst: 'Prik een datum: datumprikker.nl/abc',
      now: during,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('bericht-bevat-link');
    expect(r.error.message).toMatch(/datumprikker.*niet toegestaan in een overlegronde.*bijlage/);
  });
});

describe('messages: signature, mentions, edit history', () => {
  it('signs with voornaam, achternaam, functie and organisatie from the profile', () => {
    const r = composeMessage({
      id: 'm-1' as MessageId,
      overlegronde: ronde,
      participants: people,
      author,
      titel: 'Vraag',
      tekst: '@Anna Jansen en @Ozturk, graag jullie reactie.',
      now: during,
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.message.ondertekening).toEqual({
      voornaam: 'Daan',
      achternaam: 'de Vries',
      functie: 'intern begeleider',
      organisatie: 'OBS De Regenboog',
    });
    expect(formatSignature(r.value.message.ondertekening)).toBe('Daan de Vries\nintern begeleider, OBS De Regenboog');
    expect(r.value.message.mentions).toEqual(['u-anna2', 'u-ayse']);
    expect(r.value.message.geplaatstOp).toBe(during.toISOString());
  });

  it('refuses to post without a complete profile, naming what is missing', () => {
    const s = signatureFromProfile({ ...author, functie: ' ' });
    expect(!s.ok && s.error.message).toMatch(/profiel mist: functie/);
    const r = composeMessage({
      id: 'm-1' as MessageId,
      overlegronde: ronde,
      participants: people,
      author: { ...author, organisatieNaam: '' },
      titel: 'Vraag',
      tekst: 'Tekst',
      now: during,
    });
    expect(!r.ok && r.error.code).toBe('profiel-onvolledig');
  });

  it('refuses unclear mentions unless the writer chooses to post anyway', () => {
    const input = {
      id: 'm-1' as MessageId,
      overlegronde: ronde,
      participants: people,
      author,
      titel: 'Vraag',
      tekst: '@Anna kun jij kijken?',
      now: during,
    };
    const r = composeMessage(input);
    expect(!r.ok && r.error.code).toBe('bericht-mention-onduidelijk');
    const anyway = composeMessage(input, { allowUnresolvedMentions: true });
    expect(anyway.ok && anyway.value.mentionProblems.map((p) => p.kind)).toEqual(['dubbelzinnig']);
  });

  it('does not resolve a mention of someone who is not invited to the overlegronde', () => {
    const outsider: Participant = { id: uid('u-piet'), voornaam: 'Piet', achternaam: 'Klaassen' };
    const r = composeMessage({
      id: 'm-1' as MessageId,
      overlegronde: ronde,
      participants: [...people, outsider],
      author,
      titel: 'Vraag',
      tekst: '@Piet, kijk jij mee?',
      now: during,
    });
    expect(!r.ok && r.error.message).toMatch(/@Piet is geen deelnemer/);
  });

  it('requires a title and a body', () => {
    expect(
      composeMessage({ id: 'm-1' as MessageId, overlegronde: ronde, participants: people, author, titel: ' ', tekst: 'x', now: during }).ok,
    ).toBe(false);
    const r = composeMessage({
      id: 'm-1' as MessageId,
      overlegronde: ronde,
      participants: people,
      author,
      titel: 'Titel',
      tekst: '  ',
      now: during,
    });
    expect(!r.ok && r.error.message).toBe('Het bericht is leeg.');
  });

  it('keeps every earlier version when a message is edited, and only the author may edit', () => {
    const first = composeMessage({
      id: 'm-1' as MessageId,
      overlegronde: ronde,
      participants: people,
      author,
      titel: 'Vraag',
      tekst: 'Versie 1',
      now: during,
    });
    if (!first.ok) throw new Error(first.error.message);
    const t2 = new Date('2025-03-11T09:00:00Z');
    const t3 = new Date('2025-03-12T09:00:00Z');
    const second = editMessage({
      message: first.value.message,
      overlegronde: ronde,
      participants: people,
      editor: uid('u-daan'),
      titel: 'Vraag',
      tekst: 'Versie 2 @Jan',
      now: t2,
    });
    if (!second.ok) throw new Error(second.error.message);
    const third = editMessage({
      message: second.value.message,
      overlegronde: ronde,
      participants: people,
      editor: uid('u-daan'),
      titel: 'Vraag (aangepast)',
      tekst: 'Versie 3',
      now: t3,
    });
    if (!third.ok) throw new Error(third.error.message);
    expect(second.value.message.mentions).toEqual(['u-jan']);
    expect(third.value.message.mentions).toEqual([]);
    expect(third.value.message.historie.map((h) => h.tekst)).toEqual(['Versie 1', 'Versie 2 @Jan']);
    const other = editMessage({
      message: third.value.message,
      overlegronde: ronde,
      participants: people,
      editor: uid('u-anna'),
      titel: 'x',
      tekst: 'y',
      now: t3,
    });
    expect(!other.ok && other.error.code).toBe('bericht-niet-van-u');
  });

  it('returns privacy findings in the message as warnings', () => {
    const privacy = createPiiDetector({ voornaam: 'Sem', achternaam: 'Kramer', ouders: [] }, { now: during });
    const r = composeMessage(
      {
        id: 'm-1' as MessageId,
        overlegronde: ronde,
        participants: people,
        author,
        titel: 'Over Sem',
        tekst: 'Sem is 2 dagen ziek.',
        now: during,
      },
      { privacy },
    );
    expect(r.ok && r.value.privacyFindings.map((f) => [f.field, f.match])).toEqual([
      ['titel', 'Sem'],
      ['tekst', 'Sem'],
    ]);
  });
});

describe('the overlegronde is time-boxed (003)', () => {
  it('accepts an einddatum up to 14 days after the start and refuses a later one', () => {
    expect(checkOverlegrondePeriode(start, '2025-03-17T08:00:00.000Z').ok).toBe(true);
    const late = checkOverlegrondePeriode(start, '2025-03-17T08:00:01.000Z');
    expect(!late.ok && late.error.code).toBe('overlegronde-te-lang');
    expect(!late.ok && late.error.message).toMatch(/maximaal 14 dagen.*17 maart 2025/);
    expect(!checkOverlegrondePeriode(start, start).ok).toBe(true);
    expect(checkOverlegrondePeriode('gisteren', start).ok).toBe(false);
  });

  it('lets participants react until the einddatum, and only read after it', () => {
    expect(canReactInOverlegronde(ronde, uid('u-anna'), during).ok).toBe(true);
    const late = canReactInOverlegronde(ronde, uid('u-anna'), after);
    expect(!late.ok && late.error.code).toBe('overlegronde-verlopen');
    expect(!late.ok && late.error.message).toMatch(/nog lezen, maar niet meer reageren/);
    const post = composeMessage({
      id: 'm-9' as MessageId,
      overlegronde: ronde,
      participants: people,
      author,
      titel: 'Te laat',
      tekst: 'x',
      now: after,
    });
    expect(!post.ok && post.error.code).toBe('overlegronde-verlopen');
  });

  it('refuses outsiders and rounds closed early by the process', () => {
    expect(canReactInOverlegronde(ronde, uid('u-other'), during).ok).toBe(false);
    const closed = { ...ronde, geslotenOp: '2025-03-08T10:00:00.000Z' };
    const r = canReactInOverlegronde(closed, uid('u-anna'), during);
    expect(!r.ok && r.error.code).toBe('overlegronde-gesloten');
  });
});

describe('mention resolution on arbitrary text (property)', () => {
  it('never overlaps, always starts at an "@" and only names participants', () => {
    const pieces = fc.constantFrom(
      '@',
      'Daan',
      'daan',
      ' ',
      'de',
      'Vries',
      'Anna',
      'Jansen',
      'Öztürk',
      ',',
      '.',
      '\n',
      'info@x.nl',
      '-',
      'Wit',
      'Bakker',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 4 })), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const r = resolveMentions(text, people);
        const spans = [...r.mentions, ...r.problems].sort((a, b) => a.start - b.start);
        for (let i = 0; i < spans.length; i++) {
          const x = spans[i];
          if (!x) continue;
          expect(text[x.start]).toBe('@');
          expect(text.slice(x.start, x.end)).toBe(x.text);
          const prev = spans[i - 1];
          if (prev) expect(x.start).toBeGreaterThanOrEqual(prev.end);
        }
        for (const id of r.userIds) expect(people.map((p) => p.id)).toContain(id);
      }),
      { numRuns: 300 },
    );
  });
});
