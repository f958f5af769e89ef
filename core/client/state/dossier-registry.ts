// The dossiers this client follows, each with its state (documents, access view, trust), and those it
// purged this session. Only this object adds or drops a dossier; the "dossier onbekend" guard lives here
// once, with one Dutch message.
import type { DossierId } from '../../model/ids.js';
import { fail, type Err, type KkError } from '../../result.js';
import { newDossierState, type DossierState } from '../dossier-state.js';

/** The one answer to "this dossier is not (or no longer) on this device". */
export const unknownDossier = (): Err<KkError<'dossier-onbekend'>> =>
  fail('dossier-onbekend', 'Dit dossier is op dit apparaat niet (meer) beschikbaar.');

export class DossierRegistry {
  readonly #dossiers = new Map<DossierId, DossierState>();
  /** Dossiers purged this session (access lost): not followed again from the account's shared list. */
  readonly #purged = new Set<DossierId>();

  get(id: DossierId): DossierState | undefined {
    return this.#dossiers.get(id);
  }

  has(id: DossierId): boolean {
    return this.#dossiers.has(id);
  }

  get size(): number {
    return this.#dossiers.size;
  }

  values(): IterableIterator<DossierState> {
    return this.#dossiers.values();
  }

  /** The dossier's state, made empty on first use. */
  ensure(id: DossierId): DossierState {
    let st = this.#dossiers.get(id);
    if (!st) {
      st = newDossierState(id);
      this.#dossiers.set(id, st);
    }
    return st;
  }

  /** Stops following a dossier (its documents are destroyed by the caller). */
  forget(id: DossierId): void {
    this.#dossiers.delete(id);
  }

  /** Locking forgets every dossier; the purged set stays for the session of this client. */
  clear(): void {
    this.#dossiers.clear();
  }

  markPurged(id: DossierId): void {
    this.#purged.add(id);
  }

  /** Followed again (created or shared anew). */
  unmarkPurged(id: DossierId): void {
    this.#purged.delete(id);
  }
}
