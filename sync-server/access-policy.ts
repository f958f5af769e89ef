// The production RelayPolicy: the real checks of core/access on the real
// certificates and signed ACL records, with signatures verified by core/crypto.
import type { CryptoProvider } from '../core/crypto/provider.js';
import type { SwvId } from '../core/model/ids.js';
import { ok } from '../core/result.js';
import { decodeDeviceChain, verifyDeviceChain, type VerifiedDevice } from '../core/access/device-chain.js';
import { applyAccessRecord } from '../core/access/apply-record.js';
import { checkAppend, checkEpoch, checkRead } from '../core/access/check-access.js';
import { authorOfDevice, checkRecordAuthor } from '../core/access/record-author.js';
import { nextAccessDeadline } from '../core/access/rotation.js';
import { vernietiging } from '../core/access/retention-record.js';
import { currentMembers, type DossierAccess } from '../core/access/dossier-access.js';
import { deviceOfCertificate } from '../core/access/certificate.js';
import type { AuthenticatedDevice, RelayPolicy } from './policy.js';

export type AccessDevice = AuthenticatedDevice & { readonly verified: VerifiedDevice };

const asRoots = (roots: ReadonlyMap<string, Uint8Array>) => roots as ReadonlyMap<SwvId, Uint8Array>;

export function createAccessPolicy(provider: CryptoProvider): RelayPolicy<AccessDevice, DossierAccess> {
  return {
    async verifyChain(bytes, roots, now) {
      const chain = decodeDeviceChain(bytes);
      if (!chain.ok) return chain;
      // The relay never needs names: a chain with a profile is refused, so none ever reaches it by accident.
      if (chain.value.profile !== undefined)
        return { ok: false, error: { code: 'keten-ongeldig', message: 'De keten bevat naamgegevens.' } };
      const verified = await verifyDeviceChain(provider, chain.value, asRoots(roots), now);
      if (!verified.ok) return verified;
      const v = verified.value;
      return ok({ deviceId: v.deviceId, userId: v.userId, swvId: v.swvId, validUntil: v.validUntil.getTime(), verified: v });
    },
    applyAcl: (access, envelope, roots, now, live) => applyAccessRecord(provider, access, envelope, asRoots(roots), now, { live }),
    addedRecipients: (before, after) =>
      [...after.recipients.entries()]
        .filter(([hex]) => !before?.recipients.has(hex))
        .map(([, cert]) => ({ user: cert.body.user, device: deviceOfCertificate(cert) })),
    checkAppend: (access, device, room, kind, now) => checkAppend(access, device.verified, room, kind, now),
    checkRead: (access, device, room, now) => checkRead(access, device.verified, room, now),
    checkEpoch: (access, room, epoch) => checkEpoch(access, room, epoch),
    checkRecord: (access, device, room, kind, epoch, now) =>
      checkRecordAuthor(access, authorOfDevice(device.verified), room, kind, epoch, now, 'live'),
    members: (access, now) => currentMembers(access, now),
    // The same deadline the clients use (next grant or certificate end) [P15, R22].
    nextExpiry: (access, now) => nextAccessDeadline(access, now)?.getTime(),
    mayNumberTlv: (device) => device.verified.organisationKind === 'swv',
    // The same moment every client purges at [P60, R82].
    deletionAt: (access) => vernietiging(access).vernietigOp,
  };
}
