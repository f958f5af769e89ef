// A filled-in form attached to a hulpvraag; the definitions and validation live in core/forms.
import type { IsoDateTime } from './dates.js';
import type { FormulierId, HulpvraagId, UserId } from './ids.js';

export type FormValue = string | number | boolean | null | readonly string[];

export interface Ondertekening {
  readonly door: UserId;
  /** Function shown on the form, e.g. "bestuurder" of the bevoegd gezag. */
  readonly functie: string;
  readonly op: IsoDateTime;
  /** Signature bytes (base64url) over the canonical form values; made by core/crypto. */
  readonly handtekening: string;
}

export interface Formulier {
  readonly id: FormulierId;
  readonly hulpvraagId: HulpvraagId;
  /** Name of the form definition, e.g. "Aanvraag TLV VSO". */
  readonly definitie: string;
  readonly waarden: Readonly<Record<string, FormValue>>;
  readonly bijgewerktOp: IsoDateTime;
  readonly bijgewerktDoor: UserId;
  /** Slot for the bevoegd gezag (002: "Het bevoegd gezag moet vervolgens de aanvraag digitaal ondertekenen"). */
  readonly ondertekening: Ondertekening | null;
}
