// The dossiers whose sealed index rows (list entry, document cache) are out of date, and the one
// timer that writes them shortly after a change, so a burst of edits costs one write.
import type { DossierId } from '../../model/ids.js';

/** How long a change waits for others before the index is written. */
const FLUSH_DELAY_MS = 200;

export class IndexQueue {
  readonly #dirty = new Set<DossierId>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** `flush` writes the index (client-index.ts); passed in so that state imports none of the concept modules. */
  constructor(private readonly flush: () => void) {}

  /** Marks the dossier's rows as stale; a write is scheduled only while signed in (locked: nothing to seal with). */
  markDirty(dossier: DossierId, signedIn: boolean): void {
    this.#dirty.add(dossier);
    if (this.#timer === null && signedIn) this.#timer = setTimeout(this.flush, FLUSH_DELAY_MS);
  }

  /** A flush is starting now (or the session ends): the scheduled one is not needed. */
  stopTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** The stale dossiers, forgotten here: the flush writes each of them. */
  takeDirty(): DossierId[] {
    const dirty = [...this.#dirty];
    this.#dirty.clear();
    return dirty;
  }
}
