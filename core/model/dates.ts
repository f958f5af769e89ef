// Date strings used in the domain. Dates travel as ISO strings, not Date objects,
// because the canonical encoding (and Yjs) stores plain strings deterministically.

/** A calendar date `YYYY-MM-DD` (no time zone: schooljaren and TLV periods are calendar days). */
export type IsoDate = string;
/** A moment in UTC, `YYYY-MM-DDTHH:mm:ss.sssZ` (as `Date.prototype.toISOString`). */
export type IsoDateTime = string;
