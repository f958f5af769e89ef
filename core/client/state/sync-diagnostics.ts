// What the sync state and the support view report besides the engine's own numbers: the last
// warning for the user, how many records sit in quarantine, and where the last tick() is.
export class SyncDiagnostics {
  /** A Dutch warning for the user; null: none (then the engine's own last error shows). */
  #lastError: string | null = null;
  #quarantined = 0;
  #tickStep = '';

  get lastError(): string | null {
    return this.#lastError;
  }

  report(warning: string): void {
    this.#lastError = warning;
  }

  /** Clears the warning only if it is one of `warnings` (a resolved gap must not hide another problem). */
  clearIfOneOf(...warnings: string[]): void {
    if (this.#lastError !== null && warnings.includes(this.#lastError)) this.#lastError = null;
  }

  get quarantined(): number {
    return this.#quarantined;
  }

  /** Counted from the store at every tick: the store is where quarantined records live. */
  setQuarantined(count: number): void {
    this.#quarantined = count;
  }

  get tickStep(): string {
    return this.#tickStep;
  }

  enterTickStep(step: string): void {
    this.#tickStep = step;
  }
}
