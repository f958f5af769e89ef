// A textarea with @mention autocomplete: typing `@` followed by letters lists
// matching participants; arrow keys choose, Enter or Tab inserts the handle.
import { useMemo, useState } from 'preact/hooks';
import type { DirectoryEntry } from '../backend.js';

export function mentionQuery(tekst: string, cursor: number): { start: number; query: string } | null {
  const voor = tekst.slice(0, cursor);
  const m = /(^|\s)@([\p{L}\p{N}._-]*)$/u.exec(voor);
  if (!m || m[2] === undefined) return null;
  return { start: cursor - m[2].length - 1, query: m[2].toLocaleLowerCase('nl') };
}

export function MentionInput(props: {
  readonly id: string;
  readonly value: string;
  readonly onInput: (v: string) => void;
  readonly kandidaten: readonly DirectoryEntry[];
  readonly describedBy?: string | undefined;
}) {
  const [cursor, setCursor] = useState(0);
  const [actief, setActief] = useState(0);
  const [gesloten, setGesloten] = useState(false);
  const q = mentionQuery(props.value, cursor);
  const lijst = useMemo(() => {
    if (!q) return [];
    return props.kandidaten
      .filter((k) => {
        const naam = `${k.profile.voornaam} ${k.profile.achternaam}`.toLocaleLowerCase('nl');
        return k.handle.replace(/^@/, '').toLocaleLowerCase('nl').startsWith(q.query) || naam.includes(q.query);
      })
      .slice(0, 8);
  }, [q?.query, props.kandidaten]);
  const open = !gesloten && q !== null && lijst.length > 0;
  const kies = (k: DirectoryEntry) => {
    if (!q) return;
    const handle = k.handle.startsWith('@') ? k.handle : `@${k.handle}`;
    const nieuw = `${props.value.slice(0, q.start)}${handle} ${props.value.slice(cursor)}`;
    props.onInput(nieuw);
    setCursor(q.start + handle.length + 1);
    setGesloten(true);
  };
  return (
    <div>
      <textarea
        id={props.id}
        value={props.value}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={`${props.id}-suggesties`}
        aria-activedescendant={open ? `${props.id}-optie-${actief}` : undefined}
        aria-describedby={props.describedBy}
        onInput={(e) => {
          setCursor(e.currentTarget.selectionStart);
          setGesloten(false);
          setActief(0);
          props.onInput(e.currentTarget.value);
        }}
        onKeyUp={(e) => {
          if (!['ArrowDown', 'ArrowUp', 'Enter', 'Tab', 'Escape'].includes(e.key)) setCursor(e.currentTarget.selectionStart);
        }}
        onClick={(e) => setCursor(e.currentTarget.selectionStart)}
        onKeyDown={(e) => {
          if (!open) return;
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActief((actief + 1) % lijst.length);
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActief((actief - 1 + lijst.length) % lijst.length);
          } else if (e.key === 'Enter' || e.key === 'Tab') {
            const k = lijst[actief];
            if (k) {
              e.preventDefault();
              kies(k);
            }
          } else if (e.key === 'Escape') {
            setGesloten(true);
          }
        }}
      />
      {open ? (
        <ul class="kk-suggesties" id={`${props.id}-suggesties`} role="listbox" aria-label="Deelnemers om te noemen">
          {lijst.map((k, i) => (
            <li
              key={k.userId}
              id={`${props.id}-optie-${i}`}
              role="option"
              aria-selected={i === actief}
              onMouseDown={(e) => {
                e.preventDefault();
                kies(k);
              }}
            >
              {k.handle} – {k.profile.voornaam} {k.profile.achternaam}, {k.profile.functie} ({k.organisatieNaam})
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
