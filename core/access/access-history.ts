// The Toegang tab's history: each accepted ACL record with its public facts
// and, for members who hold the toegang key of its epoch, the encrypted
// details (who signed by name, why, remarks, display names).
import type { CryptoProvider } from '../crypto/provider.js';
import { openEnvelope, type Envelope } from '../crypto/envelope.js';
import { ok, fail, type Result, type KkError } from '../result.js';
import { decodeAclDetails, decodeAclPublicPart, type AclDetails, type AclPublicPart } from './acl-record.js';
import { keyringGet, type Keyring } from './keyring.js';

export interface AccessRecordView {
  readonly publicPart: AclPublicPart;
  /** null when this device lacks the toegang key of the record's epoch. */
  readonly details: AclDetails | null;
}

export async function openAccessRecord(provider: CryptoProvider, envelope: Envelope, keyring: Keyring): Promise<Result<AccessRecordView, KkError>> {
  if (envelope.header.kind !== 'acl' || envelope.publicPart === undefined) return fail('acl-ongeldig', 'Dit is geen toegangsrecord.');
  const pp = decodeAclPublicPart(envelope.publicPart);
  if (!pp.ok) return pp;
  const key = keyringGet(keyring, 'toegang', envelope.header.epoch);
  if (key === undefined) return ok({ publicPart: pp.value, details: null });
  const plain = await openEnvelope(provider, envelope, { key, room: envelope.header.room, epoch: envelope.header.epoch, kind: 'acl' });
  if (!plain.ok) return plain;
  const details = decodeAclDetails(plain.value);
  if (!details.ok) return details;
  return ok({ publicPart: pp.value, details: details.value });
}
