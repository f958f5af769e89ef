// TLV rules (WEC art. 40 lid 15; WPO 18a lid 14): a period of one or more whole school
// years, the rest of the current school year added when issued during one; two deskundigen;
// a reminder before the end. The volgnummer comes from the SWV's register (core/client/client-tlv-register.ts).
import { formatDatumNl, type IsoDate } from '../model/dates.js';
import { DESKUNDIGE_FUNCTIES, type TlvAfgifte } from '../model/tlv-verklaring.js';
import { fail, ok, type KkError, type Result } from '../result.js';
import type { SwvProcessConfig } from './definition.js';
import { addDays, isIsoDate, isSchoolYearEnd, schoolYearStartYear } from './school-year.js';

/**
 * The end of a TLV that covers `schooljaren` whole school years from `startdatum`. Issued on
 * 1 August the first school year is whole; issued later, the rest of that year is added.
 */
export function tlvEinddatum(startdatum: IsoDate, schooljaren = 1): IsoDate {
  if (!Number.isInteger(schooljaren) || schooljaren < 1) throw new Error('Een TLV geldt minstens één schooljaar.');
  const y = schoolYearStartYear(startdatum);
  const startsOnFirstDay = startdatum.endsWith('-08-01');
  const lastYearStart = y + schooljaren - (startsOnFirstDay ? 1 : 0);
  return `${lastYearStart + 1}-07-31`;
}

/** The earliest end a TLV issued on `startdatum` may have: one whole school year, plus the rest of the current one. */
const minimumTlvEinddatum = (startdatum: IsoDate): IsoDate => tlvEinddatum(startdatum, 1);

/** When the "TLV loopt af" reminder fires. */
export const tlvHerinneringsdatum = (tlv: Pick<TlvAfgifte, 'einddatum'>, config: SwvProcessConfig): IsoDate =>
  addDays(tlv.einddatum, -config.tlvHerinneringDagenVoorEinde);

export type TlvErrorCode =
  | 'tlv-volgnummer-ongeldig'
  | 'tlv-categorie-onbekend'
  | 'tlv-datum-ongeldig'
  | 'tlv-einddatum-geen-schooljaareinde'
  | 'tlv-einddatum-te-vroeg'
  | 'tlv-deskundigen-ongeldig';

/** Checks a TLV before it is recorded; lists the first problem in Dutch. */
export function validateTlvAfgifte(tlv: TlvAfgifte, config: SwvProcessConfig): Result<TlvAfgifte, KkError<TlvErrorCode>> {
  if (!Number.isSafeInteger(tlv.volgnummer) || tlv.volgnummer < 1) {
    return fail('tlv-volgnummer-ongeldig', 'Het volgnummer van de TLV moet een positief geheel getal zijn.');
  }
  if (!config.tlvCategorieen.some((c) => c.code === tlv.categorie)) {
    const opties = config.tlvCategorieen.map((c) => c.label).join(', ');
    return fail('tlv-categorie-onbekend', `De categorie van de TLV is onbekend bij dit samenwerkingsverband. Kies uit: ${opties}.`);
  }
  if (!isIsoDate(tlv.startdatum) || !isIsoDate(tlv.einddatum)) {
    return fail('tlv-datum-ongeldig', 'De start- of einddatum van de TLV is geen geldige datum (jjjj-mm-dd).');
  }
  if (!isSchoolYearEnd(tlv.einddatum)) {
    return fail('tlv-einddatum-geen-schooljaareinde', 'Een TLV loopt tot het einde van een schooljaar: de einddatum moet 31 juli zijn.');
  }
  const minimum = minimumTlvEinddatum(tlv.startdatum);
  if (tlv.einddatum < minimum) {
    return fail(
      'tlv-einddatum-te-vroeg',
      `Een TLV geldt minstens één schooljaar; wordt hij tijdens een schooljaar afgegeven, dan komt de rest van dat schooljaar erbij. De einddatum moet op of na ${formatDatumNl(minimum)} liggen.`,
      { minimum },
    );
  }
  const [eerste, tweede] = tlv.deskundigen;
  if (tlv.deskundigen.length !== 2 || eerste.naam.trim() === '' || tweede.naam.trim() === '') {
    return fail('tlv-deskundigen-ongeldig', 'Een TLV berust op het advies van twee deskundigen; vul beide in.');
  }
  const sameUser = eerste.userId !== undefined && eerste.userId === tweede.userId;
  if (sameUser || eerste.naam.trim().toLowerCase() === tweede.naam.trim().toLowerCase()) {
    return fail('tlv-deskundigen-ongeldig', 'De twee deskundigen moeten verschillende personen zijn.');
  }
  if (!config.eersteDeskundigeFuncties.includes(eerste.functie)) {
    const toegestaan = config.eersteDeskundigeFuncties.map((f) => DESKUNDIGE_FUNCTIES[f].toLowerCase()).join(' of ');
    return fail('tlv-deskundigen-ongeldig', `De eerste deskundige moet een ${toegestaan} zijn.`);
  }
  return ok(tlv);
}

/** The "TLV loopt af" reminder is due on `today` (from the reminder date until the end date). */
export const tlvReminderDue = (tlv: Pick<TlvAfgifte, 'einddatum'>, config: SwvProcessConfig, today: IsoDate): boolean =>
  today >= tlvHerinneringsdatum(tlv, config) && today <= tlv.einddatum;
