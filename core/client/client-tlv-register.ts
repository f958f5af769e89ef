// The TLV volgnummer [P71, R117]. WPO 18a lid 14 asks for a number per SWV that
// only goes up. Two coördinatoren working offline cannot agree on "the next
// number" between themselves, so nobody picks one: the relay keeps one durable
// counter per SWV (a locked row in PostgreSQL, one write transaction in lmdb)
// and hands the next number to whoever asks, committed before it answers. A
// TLV is therefore issued online; offline the status change is refused with
// nothing changed.
//
// The relay stays blind: a claim is SHA-256 over a context, the hulpvraag id
// and a random nonce, so the register shows that the SWV issued number 42 at
// some moment, not for which hulpvraag. The nonce (`bewijs`) goes into the
// signed status event, so every member of the SWV can later check that the
// number in a TLV is the one the register gave for this hulpvraag — a client
// that typed a number of its own, or copied another TLV's, is found out.
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8Encode } from '../crypto/bytes.js';
import { SIGNING_CONTEXTS } from '../crypto/signing-contexts.js';
import type { DossierId, HulpvraagId } from '../model/ids.js';
import type { TlvAfgifte } from '../model/tlv-verklaring.js';
import { fail, ok, type Result } from '../result.js';
import type { ClientCore } from './client-core.js';
import { getHulpvraag } from './client-hulpvragen.js';

/** What a TLV is issued with: everything but the number, which only the register gives. */
export type TlvInvoer = Omit<TlvAfgifte, 'volgnummer' | 'bewijs'>;

/** The TLV data without any number a caller put in: only the register gives one. */
export const tlvZonderNummer = (t: TlvInvoer): TlvInvoer => ({
  categorie: t.categorie,
  startdatum: t.startdatum,
  einddatum: t.einddatum,
  deskundigen: t.deskundigen,
});

const NONCE_BYTES = 16;

/** The commitment the relay stores: it binds the number to one hulpvraag without naming it. */
export const tlvClaim = (hulpvraagId: HulpvraagId, bewijs: string): Uint8Array =>
  sha256(utf8Encode(`${SIGNING_CONTEXTS.tlvClaim}\u0000${hulpvraagId}\u0000${bewijs}`));

/** Draws the next volgnummer of this device's SWV for `hulpvraagId`; needs the relay. */
export async function drawVolgnummer(
  c: ClientCore,
  hulpvraagId: HulpvraagId,
): Promise<Result<{ readonly volgnummer: number; readonly bewijs: string }>> {
  const conn = c.relay.conn;
  if (!conn?.ready) {
    return fail(
      'offline',
      'Het volgnummer van een TLV geeft het register van het samenwerkingsverband uit; daarvoor is verbinding met de server nodig. Er is niets gewijzigd: probeer het opnieuw zodra er verbinding is.',
    );
  }
  const bewijs = toHex(c.provider.randomBytes(NONCE_BYTES));
  const r = await conn.claimTlvNumber(tlvClaim(hulpvraagId, bewijs));
  if (!r.ok) return r;
  return ok({ volgnummer: r.value.volgnummer, bewijs });
}

/**
 * Whether the register gave this TLV's number to this hulpvraag: `bevestigd` when the register's
 * entry for the number commits to this hulpvraag; `afwijkend` when the TLV carries no proof, the
 * register has no such entry, or it gave the number to something else.
 */
export type VolgnummerStand = 'bevestigd' | 'afwijkend';

export async function checkVolgnummer(c: ClientCore, dossierId: DossierId, hulpvraagId: HulpvraagId): Promise<Result<VolgnummerStand>> {
  const hv = getHulpvraag(c, dossierId, hulpvraagId);
  if (!hv.ok) return hv;
  const tlv = hv.value.tlv;
  if (tlv === null) return fail('geen-tlv', 'Voor deze hulpvraag is geen TLV afgegeven.');
  if (tlv.bewijs === undefined) return ok('afwijkend');
  // A register entry never changes once given, so an answer holds for the session: screens may ask on every render.
  const key = `${hulpvraagId}:${tlv.volgnummer}:${tlv.bewijs}`;
  const known = c.tlvRegisterAnswers.answerFor(key);
  if (known !== undefined) return ok(known);
  const conn = c.relay.conn;
  if (!conn?.ready) return fail('offline', 'Het register van het samenwerkingsverband is alleen online te raadplegen.');
  const page = await conn.tlvRegisterPage(tlv.volgnummer - 1);
  if (!page.ok) return page;
  const expected = toHex(tlvClaim(hulpvraagId, tlv.bewijs));
  const entries = page.value.entries.filter((e) => e.volgnummer === tlv.volgnummer);
  const stand: VolgnummerStand =
    entries.length === 1 && entries[0] !== undefined && toHex(entries[0].claim) === expected ? 'bevestigd' : 'afwijkend';
  c.tlvRegisterAnswers.remember(key, stand);
  return ok(stand);
}
