// A device is named by its Ed25519 public key (base64url, 43 chars), so anyone
// can check a device's signature from its id alone, without a lookup.
import type { DeviceId } from '../model/ids.js';
import { asId } from '../model/ids.js';
import { ok, fail, type Result, type KkError } from '../result.js';
import { fromBase64Url, toBase64Url } from './bytes.js';

export function deviceIdFromPublicKey(publicKey: Uint8Array): DeviceId {
  if (publicKey.length !== 32) throw new Error('Een apparaat-id is een publieke Ed25519-sleutel van 32 bytes');
  return asId<DeviceId>(toBase64Url(publicKey));
}

export function publicKeyFromDeviceId(id: string): Result<Uint8Array, KkError<'apparaat-id-ongeldig'>> {
  const bytes = fromBase64Url(id);
  if (!bytes.ok || bytes.value.length !== 32) return fail('apparaat-id-ongeldig', 'Het apparaat-id is ongeldig.');
  return ok(bytes.value);
}

/** Parses untrusted text into a DeviceId (same checks as publicKeyFromDeviceId). */
export function parseDeviceId(id: string): Result<DeviceId, KkError<'apparaat-id-ongeldig'>> {
  const pk = publicKeyFromDeviceId(id);
  return pk.ok ? ok(asId<DeviceId>(id)) : pk;
}
