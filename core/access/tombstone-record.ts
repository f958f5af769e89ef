// The record a device checks when the relay says a dossier was deleted but the
// device never saw its retention date fixed (it was offline from before the
// end status until after the deletion) [R83, P60]. The relay keeps the signed
// `bewaartermijn` record in the dossier's tombstone. The device does not take
// the relay's word: the record must be a validly signed retention record of
// this dossier, by a device of its SWV whose user could write to the dossier
// by the access list this device holds, with a date that the rule allows and
// whose deletion moment has passed. A relay cannot make one up, and a member
// cannot have made one that deletes early (the relay and every client refuse
// a retention date less than a year after it was fixed).
import type { CryptoProvider } from '../crypto/provider.js';
import { decodeEnvelope, verifyEnvelopeSignature } from '../crypto/envelope.js';
import type { SwvId } from '../model/ids.js';
import { fail, ok, type Result } from '../result.js';
import { decodeAclPublicPart } from './acl-record.js';
import { deviceChainFromValue, verifyDeviceChain } from './device-chain.js';
import { effectiveRight, isAdmin, type DossierAccess } from './dossier-access.js';
import { atLeast } from './principal.js';
import { BEWAAR_OPZEGTERMIJN_DAGEN, dayStart, MAX_BEWAAR_JAREN, MIN_BEWAAR_JAREN, plusYearsDay } from './retention-record.js';
import { roomOf } from './rooms.js';

const DAY_MS = 24 * 3600_000;
const weiger = (reden: string): Result<never> => fail('grafsteen-ongeldig', `Het bewijs van vernietiging wordt niet aanvaard: ${reden}`);

/** The moment the record says the dossier was to be deleted, when it holds up against `access` (what this device holds). */
export async function checkTombstoneRecord(
  provider: CryptoProvider,
  bytes: Uint8Array,
  access: DossierAccess,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  now: number,
): Promise<Result<{ readonly tot: string; readonly vernietigOp: number }>> {
  const env = decodeEnvelope(bytes);
  if (!env.ok || env.value.header.kind !== 'acl' || env.value.publicPart === undefined) return weiger('het is geen toegangsrecord.');
  const pp = decodeAclPublicPart(env.value.publicPart);
  if (!pp.ok) return weiger('het toegangsrecord is onleesbaar.');
  const rec = pp.value;
  if (rec.type !== 'bewaartermijn' || rec.dossier !== access.dossier || env.value.header.room !== roomOf(access.dossier, 'toegang'))
    return weiger('het is geen bewaarrecord van dit dossier.');
  if (!(await verifyEnvelopeSignature(provider, env.value))) return weiger('de handtekening klopt niet.');
  const chain = deviceChainFromValue(rec.signer);
  if (!chain.ok) return weiger('de ondertekenaar is onbekend.');
  const signer = await verifyDeviceChain(provider, chain.value, roots, new Date(rec.at), access.revocations);
  if (!signer.ok || signer.value.deviceId !== env.value.header.author || signer.value.swvId !== access.swv)
    return weiger('de ondertekenaar hoort niet bij dit samenwerkingsverband.');
  // Who may fix the date [R80]: an admin or a writer of some part, by the list this device holds.
  const writes =
    isAdmin(access, signer.value, rec.at) ||
    [...access.scopes.keys()].some((sc) => sc !== 'toegang' && atLeast(effectiveRight(access, signer.value, sc, rec.at), 'write'));
  if (!writes) return weiger('de ondertekenaar schreef niet aan dit dossier.');
  const tot = rec.bewaren?.tot ?? null;
  if (tot === null || Number.isNaN(dayStart(tot))) return weiger('het noemt geen bewaardatum.');
  if (!(
    dayStart(tot) >= dayStart(plusYearsDay(rec.at, MIN_BEWAAR_JAREN)) &&
    dayStart(tot) <= dayStart(plusYearsDay(rec.at, MAX_BEWAAR_JAREN + 1))
  ))
    return weiger('de bewaardatum past niet bij de regel.');
  const vernietigOp = dayStart(tot) + (BEWAAR_OPZEGTERMIJN_DAGEN + 1) * DAY_MS;
  if (vernietigOp > now) return weiger('de vernietigingsdatum is nog niet bereikt.');
  return ok({ tot, vernietigOp });
}
