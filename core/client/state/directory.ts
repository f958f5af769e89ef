// What this client knows about the SWV's people: the member list (one record per person, with every
// device's certificate), the people the SWV ended, the relay's register of revoked devices, and the
// device certificates learnt from records. Only this object changes them; key recipients come from here.
import { deviceOfCertificate, type UserCertificate } from '../../access/certificate.js';
import { revocationKey } from '../../access/device-chain.js';
import type { VerifiedUserEnd } from '../../access/user-end.js';
import type { DeviceId, UserId } from '../../model/ids.js';
import type { DirectoryRecord } from '../onboarding.js';

export class Directory {
  readonly #people = new Map<UserId, DirectoryRecord>();
  /** People the SWV ended (root-signed, learnt from the relay) [R57]. */
  readonly #ended = new Map<UserId, VerifiedUserEnd>();
  /** Revoked devices of this SWV from the relay's register, `revocationKey(user, device)` → revokedAt [P47, R149]. */
  readonly #revokedDevices = new Map<string, number>();
  /** Device → its person's certificate, as learnt from records (null: looked up, not known). */
  readonly #deviceCerts = new Map<DeviceId, UserCertificate | null>();

  constructor(private readonly now: () => Date) {}

  person(userId: UserId): DirectoryRecord | undefined {
    return this.#people.get(userId);
  }

  people(): DirectoryRecord[] {
    return [...this.#people.values()];
  }

  putPerson(userId: UserId, record: DirectoryRecord): void {
    this.#people.set(userId, record);
  }

  endOf(userId: UserId): VerifiedUserEnd | undefined {
    return this.#ended.get(userId);
  }

  ends(): VerifiedUserEnd[] {
    return [...this.#ended.values()];
  }

  recordEnd(userId: UserId, end: VerifiedUserEnd): void {
    this.#ended.set(userId, end);
  }

  /** Whether the register lists `device` of `user` as revoked (at any time). */
  isRevoked(user: UserId, device: DeviceId): boolean {
    return this.#revokedDevices.has(revocationKey(user, device));
  }

  recordRevocation(key: string, revokedAt: number): void {
    this.#revokedDevices.set(key, revokedAt);
  }

  deviceCert(device: DeviceId): UserCertificate | null | undefined {
    return this.#deviceCerts.get(device);
  }

  /** Devices whose certificate was learnt, with it (null: looked up, not known). */
  deviceCerts(): [DeviceId, UserCertificate | null][] {
    return [...this.#deviceCerts];
  }

  learnDeviceCert(device: DeviceId, cert: UserCertificate | null): void {
    this.#deviceCerts.set(device, cert);
  }

  forgetDeviceCert(device: DeviceId): void {
    this.#deviceCerts.delete(device);
  }

  /** Locking forgets the member list and learnt certificates; ends and revocations stay (they only ever grow). */
  forgetSession(): void {
    this.#people.clear();
    this.#deviceCerts.clear();
  }

  nameOf(userId: string): string {
    const r = this.#people.get(userId as UserId);
    return r ? `${r.profile.voornaam} ${r.profile.achternaam}` : 'onbekende gebruiker';
  }

  /** Certificates of the people in the member list, one per device, without anyone the SWV ended (they are never key recipients) [R57]. */
  certificates(): UserCertificate[] {
    const at = this.now().getTime();
    // Every device of a person is its own recipient: each has its own certificate and keys [R145, R148].
    return [...this.#people.values()]
      .flatMap((r) => [r.user, ...(r.apparaten ?? [])])
      .filter((u) => !((this.#ended.get(u.body.user)?.endedAt ?? Infinity) <= at) && !this.deviceRevoked(u, at));
  }

  /** One person's certificates, one per device (empty when not in the member list) [R148]. */
  certificatesOf(userId: UserId): UserCertificate[] {
    const r = this.#people.get(userId);
    const at = this.now().getTime();
    return r ? [r.user, ...(r.apparaten ?? [])].filter((u) => !this.deviceRevoked(u, at)) : [];
  }

  /** Whether the relay's register revoked the device this certificate belongs to at or before `at` [R149]. */
  deviceRevoked(cert: UserCertificate, at: number): boolean {
    const revokedAt = this.#revokedDevices.get(revocationKey(cert.body.user, deviceOfCertificate(cert)));
    return revokedAt !== undefined && revokedAt <= at;
  }
}
