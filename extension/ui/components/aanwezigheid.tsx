// Presence in a dossier (DESIGN §6): who else has it open, on which tab, and
// who is typing. It travels sealed under the dossier's toegang key through the
// relay, which forwards and never stores it; nothing of it reaches disk.
import { useEffect, useState } from 'preact/hooks';
import type { AwarenessEntry } from '../../../core/client/port.js';
import { useBackend } from '../context.js';

/** y-protocols drops a peer after 30 s without news: announce well within that. */
const HERHAAL_MS = 10_000;
const TYPT_MS = 4_000;

export function Aanwezigheid(props: { readonly dossierId: string; readonly tab: string; readonly tabLabel: (id: string) => string }) {
  const backend = useBackend();
  const [anderen, setAnderen] = useState<readonly AwarenessEntry[]>(() => backend.awareness(props.dossierId));
  const [typt, setTypt] = useState(false);

  useEffect(
    () =>
      backend.onAanwezigheid((id) => {
        if (id === props.dossierId) setAnderen(backend.awareness(props.dossierId));
      }),
    [props.dossierId],
  );

  // Typing anywhere on the page counts; it stops counting a few seconds after the last keystroke.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const opInvoer = () => {
      setTypt(true);
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => setTypt(false), TYPT_MS);
    };
    document.addEventListener('input', opInvoer, true);
    return () => {
      document.removeEventListener('input', opInvoer, true);
      if (timer !== null) clearTimeout(timer);
    };
  }, []);

  useEffect(() => {
    const meld = () => backend.setAwareness(props.dossierId, { tab: props.tab, typing: typt });
    meld();
    const herhaal = setInterval(() => {
      meld();
      setAnderen(backend.awareness(props.dossierId));
    }, HERHAAL_MS);
    return () => clearInterval(herhaal);
  }, [props.dossierId, props.tab, typt]);

  useEffect(() => () => backend.setAwareness(props.dossierId, null), [props.dossierId]);

  // One line per person (several pages of one person show once, typing wins).
  const perPersoon = new Map<string, AwarenessEntry>();
  for (const a of anderen) {
    const eerder = perPersoon.get(a.userId);
    if (!eerder || (a.typing && !eerder.typing)) perPersoon.set(a.userId, a);
  }
  if (perPersoon.size === 0) return null;
  return (
    <p class="kk-onderschrift" data-testid="aanwezig">
      Ook in dit dossier:{' '}
      {[...perPersoon.values()].map((a, i) => (
        <span key={a.userId}>
          {i > 0 ? ', ' : ''}
          {a.naam} ({props.tabLabel(a.tab)}
          {a.typing ? ', typt…' : ''})
        </span>
      ))}
    </p>
  );
}
