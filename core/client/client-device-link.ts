// The facade's side of linking a second device (core/client/device-link.ts):
// the unlocked device hands out a one-time code, the new device joins with it.
import { ok, fail, type Result } from '../result.js';
import type { DeviceLinkCode, Onboarded } from './api.js';
import type { ClientCore, StartSession } from './client-core.js';
import { finishIdentity } from './client-onboarding.js';
import { syncAccountDossiers } from './client-account-dossiers.js';
import { deviceLinkBox, LINK_VALID_MS, openDeviceLink, sealDeviceLink } from './device-link.js';
import { hasIdentity, saveIdentity } from './identity.js';
import { newInvitationCode, normaliseInvitationCode } from './onboarding.js';

/** On the unlocked device: seals this account for a new device under a fresh code, valid for 15 minutes. */
export async function linkDevice(c: ClientCore): Promise<Result<DeviceLinkCode>> {
  const id = c.id;
  if (!id) return fail('vergrendeld', 'Ontgrendel Kindkluis eerst op dit apparaat.');
  const profile = id.chain.profile;
  if (!profile) return fail('geen-profiel', 'Op dit apparaat ontbreekt uw profiel; koppelen kan hier niet.');
  const p = c.provider;
  const code = newInvitationCode(p);
  const validUntil = c.now().getTime() + LINK_VALID_MS;
  // The new device learns which dossiers to follow from the account's list: bring it up to date first.
  await syncAccountDossiers(c, { now: true });
  const sealed = await sealDeviceLink(p, code, {
    validUntil,
    swvId: id.swvId,
    swvNaam: id.swvNaam,
    root: id.roots.get(id.swvId) ?? new Uint8Array(),
    org: id.chain.organisation,
    user: id.chain.user,
    profile,
    directoryKey: id.directoryKey,
    ...(id.staffKey ? { staffKey: id.staffKey } : {}),
    email: id.email,
    signing: id.userSigning,
    agreement: id.userAgreement,
  });
  const anon = await c.mailboxConnection();
  if (!anon.ok) return anon;
  try {
    // The relay drops it after 15 minutes whatever the clients' clocks say [P42, R58].
    const put = await anon.value.mailboxPutFor(await deviceLinkBox(p, code), sealed, Math.ceil(LINK_VALID_MS / 1000));
    if (!put.ok) return put;
  } finally {
    anon.value.close();
  }
  return ok({ code, geldigTot: new Date(validUntil).toISOString() });
}

/** On the new device: takes the account under `rawCode`, makes its own device key and starts syncing. */
export async function joinAsLinkedDevice(c: ClientCore, startSession: StartSession, rawCode: string, passphrase: string): Promise<Result<Onboarded>> {
  if (await hasIdentity(c.store)) return fail('al-ingesteld', 'Op dit apparaat is al een account ingesteld.');
  const normalised = normaliseInvitationCode(rawCode);
  if (!normalised.ok) return fail('code-ongeldig', 'De koppelcode is niet geldig: controleer de 20 tekens.');
  const code = normalised.value;
  const p = c.provider;
  const anon = await c.anonymous();
  if (!anon.ok) return anon;
  try {
    const box = await deviceLinkBox(p, code);
    const got = await anon.value.mailboxGet(box);
    if (!got.ok) return got;
    if (got.value === null) return fail('geen-koppeling', 'Onder deze koppelcode staat niets: controleer de code, of vraag op uw andere apparaat een nieuwe aan.');
    const link = await openDeviceLink(p, code, got.value, c.now());
    if (!link.ok) return link;
    const l = link.value;
    const identity = await finishIdentity(c, {
      swvId: l.swvId,
      swvNaam: l.swvNaam,
      beheert: false,
      rootPublic: l.root,
      org: l.org,
      user: l.user,
      profile: l.profile,
      ident: { user: l.user.body.user, signing: { ...l.signing }, agreement: { ...l.agreement } },
      directoryKey: l.directoryKey,
      staffKey: l.staffKey ?? null,
      email: l.email,
    });
    const saved = await saveIdentity(p, c.store, identity, passphrase, c.opts.kdf);
    if (!saved.ok) return saved;
    // Spend the code: delete on read, so the relay holds neither the sealed keys nor anything in their place [P42, R58].
    await anon.value.mailboxTake(box);
    c.people.set(l.user.body.user, { user: l.user, profile: l.profile, organisatieNaam: l.org.body.naam, email: l.email });
    await startSession(identity, saved.value.sessionKey);
    await syncAccountDossiers(c, { now: true });
    const me = c.me();
    return me ? ok({ ...me, recoveryCode: saved.value.recoveryCode }) : fail('geen-identiteit', 'Geen account.');
  } finally {
    anon.value.close();
  }
}
