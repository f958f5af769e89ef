// Result values for expected failures: every failure has a string-literal code
// (for code and tests) and a Dutch message (for the user). Bugs throw instead.

export interface KkError<C extends string = string> {
  readonly code: C;
  /** Dutch, shown to the user as is. Never contains dossier content. */
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E = KkError> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });

export const fail = <C extends string>(code: C, message: string, details?: Readonly<Record<string, unknown>>): Err<KkError<C>> =>
  err(details === undefined ? { code, message } : { code, message, details });

/** Exhaustiveness guard for switches over unions. */
export function assertNever(value: never, what = 'waarde'): never {
  throw new Error(`Onverwachte ${what}: ${JSON.stringify(value)}`);
}
