// Branded string ids: a DossierId cannot be passed where a UserId is expected.

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };
