// A coded refusal of a client's request: thrown by the handlers, turned into
// an `error` frame (and, when fatal, a closed connection) by the session [P1].
import type { KkError } from '../../core/result.js';
import type { ProtocolErrorCode } from '../../core/sync/protocol-errors.js';

/** A coded refusal; becomes an `error` frame. */
export interface Refusal {
  readonly code: ProtocolErrorCode;
  readonly reason?: string | null;
  readonly limit?: string | null;
  readonly fatal?: boolean;
}

export const refuse = (code: ProtocolErrorCode, extra: Omit<Refusal, 'code'> = {}): Refusal => ({ code, ...extra });

export class RefusalError extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.code);
  }
}

/** Maps an access-check error to the protocol's codes, keeping the original as `reason`. */
export function fromAccess(e: KkError, forWrite: boolean): Refusal {
  switch (e.code) {
    case 'verlopen':
      return refuse('toegang-verlopen', { reason: e.code });
    case 'ingetrokken':
      return refuse('toegang-ingetrokken', { reason: e.code });
    case 'ruimte-ongeldig':
      return refuse('ruimte-ongeldig', { reason: e.code });
    case 'soort-niet-toegestaan':
      return refuse('soort-onjuist', { reason: e.code });
    case 'epoch-verouderd':
      return refuse('epoch-verouderd', { reason: e.code });
    default:
      return refuse(forWrite ? 'geen-schrijfrecht' : 'geen-toegang', { reason: e.code });
  }
}
