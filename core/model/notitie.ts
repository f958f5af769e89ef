// "Mijn notities" (002): personal notes only their author can read (scope notities:<userId>).
import type { IsoDateTime } from './dates.js';
import type { DossierId, NotitieId, UserId } from './ids.js';

export interface Notitie {
  readonly id: NotitieId;
  readonly dossierId: DossierId;
  readonly auteur: UserId;
  readonly tekst: string;
  readonly bijgewerktOp: IsoDateTime;
}
