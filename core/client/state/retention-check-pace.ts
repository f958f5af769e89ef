// When the tick last checked each dossier's retention date (client-retention.ts): the check reads every
// hulpvraag and a device may follow hundreds of dossiers, so the tick does it at most once an interval.
import type { DossierId } from '../../model/ids.js';

export class RetentionCheckPace {
  readonly #lastCheck = new Map<DossierId, number>();

  /** Claims a check of `dossier` if `intervalMs` passed since the last one; false: too soon. */
  claimCheck(dossier: DossierId, nowMs: number, intervalMs: number): boolean {
    if ((this.#lastCheck.get(dossier) ?? -Infinity) > nowMs - intervalMs) return false;
    this.#lastCheck.set(dossier, nowMs);
    return true;
  }
}
