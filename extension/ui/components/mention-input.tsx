// A textarea with @mention autocomplete (core/messages): typing `@` and part of
// a participant's name lists matches; arrow keys choose, Enter or Tab inserts
// "@Voornaam Achternaam", the form the facade resolves by name (diacritics and
// tussenvoegsels included), Escape closes the list.
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { activeMentionQuery, mentionSuggestions } from '../../../core/messages/mentions.js';
import type { DirectoryEntry } from '../../../core/client/port.js';
import { TextArea } from './controls.js';

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
  const veld = useRef<HTMLTextAreaElement>(null);
  // After inserting a name the caret goes right behind it, not to the end of the text.
  const [caret, setCaret] = useState<number | null>(null);
  useLayoutEffect(() => {
    if (caret === null || !veld.current) return;
    veld.current.setSelectionRange(caret, caret);
    setCaret(null);
  }, [caret, props.value]);
  const q = activeMentionQuery(props.value, cursor);
  const deelnemers = useMemo(
    () => props.kandidaten.map((k) => ({ id: k.userId as string, voornaam: k.profile.voornaam, achternaam: k.profile.achternaam })),
    [props.kandidaten],
  );
  const lijst = useMemo(() => (q ? mentionSuggestions(q.query, deelnemers) : []), [q?.query, deelnemers]);
  const open = !gesloten && q !== undefined && lijst.length > 0;
  const kies = (i: number) => {
    const s = lijst[i];
    if (!q || !s) return;
    const nieuw = `${props.value.slice(0, q.start)}${s.insert}${props.value.slice(cursor)}`;
    props.onInput(nieuw);
    setCursor(q.start + s.insert.length);
    setCaret(q.start + s.insert.length);
    setGesloten(true);
  };
  const info = (userId: string) => props.kandidaten.find((k) => k.userId === userId);
  return (
    <div>
      <TextArea
        elementRef={veld}
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
            e.preventDefault();
            kies(actief);
          } else if (e.key === 'Escape') {
            setGesloten(true);
          }
        }}
      />
      {open ? (
        <ul class="kk-suggesties" id={`${props.id}-suggesties`} role="listbox" aria-label="Deelnemers om te noemen">
          {lijst.map((s, i) => {
            const k = info(s.userId);
            return (
              <li
                key={s.userId}
                id={`${props.id}-optie-${i}`}
                role="option"
                aria-selected={i === actief}
                onMouseDown={(e) => {
                  e.preventDefault();
                  kies(i);
                }}
              >
                {s.label}
                {k ? ` – ${k.profile.functie}, ${k.organisatieNaam}` : ''}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
