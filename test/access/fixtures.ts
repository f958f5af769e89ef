// Test world for core/access: one SWV with a school, the SWV office, a GGD, a
// voorschoolse voorziening and a second school; real keys, real certificates.
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import type { CryptoProvider, KeyPair } from '../../core/crypto/provider.js';
import { asId, type DossierId, type OrganisationId, type SwvId, type UserId } from '../../core/model/ids.js';
import type { Role } from '../../core/model/role.js';
import {
  createUserIdentity,
  issueDeviceCertificate,
  issueOrganisationCertificate,
  issueUserCertificate,
  type OrganisationCertificate,
  type UserCertificate,
  type UserIdentity,
  type UserProfile,
} from '../../core/access/certificate.js';
import { verifyDeviceChain, type DeviceChain, type VerifiedDevice } from '../../core/access/device-chain.js';
import type { OrganisationKind } from '../../core/access/roles.js';
import type { DeviceSigner } from '../../core/access/build-record.js';
import { applyAccessRecord } from '../../core/access/apply-record.js';
import { buildAccessRecord, type AccessChange } from '../../core/access/build-record.js';
import type { DossierAccess } from '../../core/access/dossier-access.js';
import type { Keyring } from '../../core/access/keyring.js';
import { unlockKeyring, mergeKeyrings } from '../../core/access/keyring.js';
import { genesisGrants } from '../../core/access/genesis.js';
import type { Envelope } from '../../core/crypto/envelope.js';
import type { AclRecordType } from '../../core/access/acl-record.js';

export const provider: CryptoProvider = nobleProvider;
export const T0 = new Date('2026-09-01T08:00:00.000Z');
export const DAY = 24 * 3600_000;
export const at = (days: number, base = T0): Date => new Date(base.getTime() + days * DAY);
const FROM = at(-30);
const UNTIL = at(365);

export interface Swv {
  readonly id: SwvId;
  readonly root: KeyPair;
}

export async function makeSwv(id: string): Promise<Swv> {
  return { id: asId<SwvId>(id), root: await provider.ed25519KeyPair() };
}

export async function makeOrg(
  swv: Swv,
  id: string,
  naam: string,
  soort: OrganisationKind,
  validUntil = UNTIL,
): Promise<OrganisationCertificate> {
  return issueOrganisationCertificate(provider, swv.root.secretKey, {
    swv: swv.id,
    organisation: asId<OrganisationId>(id),
    naam,
    soort,
    validFrom: FROM,
    validUntil,
  });
}

export interface Member {
  readonly identity: UserIdentity;
  readonly certificate: UserCertificate;
  readonly profile: UserProfile;
  readonly device: KeyPair;
  readonly chain: DeviceChain;
  readonly signer: DeviceSigner;
  readonly verified: VerifiedDevice;
  readonly userId: UserId;
  readonly organisationId: OrganisationId;
}

export interface MemberOptions {
  readonly identity?: UserIdentity;
  readonly voornaam?: string;
  readonly achternaam?: string;
  readonly validUntil?: Date;
  readonly deviceValidUntil?: Date;
}

export async function makeMember(
  swv: Swv,
  org: OrganisationCertificate,
  user: string,
  roles: readonly Role[],
  opts: MemberOptions = {},
): Promise<Member> {
  const identity = opts.identity ?? (await createUserIdentity(provider, asId<UserId>(user)));
  const { certificate, profile } = await issueUserCertificate(provider, swv.root.secretKey, {
    swv: swv.id,
    user: identity.user,
    organisation: org.body.organisation,
    roles,
    signingKey: identity.signing.publicKey,
    agreementKey: identity.agreement.publicKey,
    profile: {
      voornaam: opts.voornaam ?? 'Sanne',
      achternaam: opts.achternaam ?? `de Vries-${user}`,
      functie: roles[0] ?? 'medewerker',
      organisatie: org.body.naam,
    },
    validFrom: FROM,
    validUntil: opts.validUntil ?? UNTIL,
  });
  const device = identity.signing;
  const deviceCert = await issueDeviceCertificate(provider, identity, { validFrom: FROM, validUntil: opts.deviceValidUntil ?? UNTIL });
  const chain: DeviceChain = { organisation: org, user: certificate, device: deviceCert, profile };
  const verified = await verifyDeviceChain(provider, chain, new Map([[swv.id, swv.root.publicKey]]), T0);
  if (!verified.ok) throw new Error(`fixture chain invalid: ${verified.error.code}`);
  return {
    identity,
    certificate,
    profile,
    device,
    chain,
    signer: { chain, deviceSecretKey: device.secretKey },
    verified: verified.value,
    userId: identity.user,
    organisationId: org.body.organisation,
  };
}

export interface World {
  readonly swv: Swv;
  readonly roots: ReadonlyMap<SwvId, Uint8Array>;
  readonly orgs: Record<'schoolA' | 'schoolB' | 'bureau' | 'ggd' | 'vv' | 'ouders', OrganisationCertificate>;
  readonly ib: Member;
  readonly coo: Member;
  readonly bevoegdGezag: Member;
  readonly coordinator: Member;
  readonly loket: Member;
  readonly ggd: Member;
  readonly vv: Member;
  readonly ouder: Member;
  readonly ibB: Member;
}

export async function makeWorld(): Promise<World> {
  const swv = await makeSwv('swv-po-2801');
  const orgs = {
    schoolA: await makeOrg(swv, 'brin-12ab', 'OBS De Regenboog', 'school'),
    schoolB: await makeOrg(swv, 'brin-34cd', 'SBO De Wissel', 'school'),
    bureau: await makeOrg(swv, 'swv-bureau', 'SWV Passend Primair', 'swv'),
    ggd: await makeOrg(swv, 'ggd-west', 'GGD West', 'zorgpartner'),
    vv: await makeOrg(swv, 'kdv-zon', 'Kinderdagverblijf De Zon', 'voorschoolse-voorziening'),
    ouders: await makeOrg(swv, 'ouders', 'Ouders/verzorgers', 'ouders'),
  };
  return {
    swv,
    roots: new Map([[swv.id, swv.root.publicKey]]),
    orgs,
    ib: await makeMember(swv, orgs.schoolA, 'u-ib-a', ['intern-begeleider']),
    coo: await makeMember(swv, orgs.schoolA, 'u-coo-a', ['ondersteuningscoordinator']),
    bevoegdGezag: await makeMember(swv, orgs.schoolA, 'u-bg-a', ['bevoegd-gezag']),
    coordinator: await makeMember(swv, orgs.bureau, 'u-coord', ['swv-coordinator']),
    loket: await makeMember(swv, orgs.bureau, 'u-loket', ['swv-loket']),
    ggd: await makeMember(swv, orgs.ggd, 'u-ggd', ['professional']),
    vv: await makeMember(swv, orgs.vv, 'u-vv', ['vv-contactpersoon']),
    ouder: await makeMember(swv, orgs.ouders, 'u-ouder', ['ouder']),
    ibB: await makeMember(swv, orgs.schoolB, 'u-ib-b', ['intern-begeleider']),
  };
}

/** A dossier driven through real records: the log, the folded state and each member's keyring. */
export class DossierHarness {
  access: DossierAccess | undefined;
  readonly log: Envelope[] = [];
  private readonly counters = new Map<string, number>();
  private readonly rings = new Map<string, Keyring>();

  constructor(
    readonly world: World,
    readonly dossier: DossierId = asId<DossierId>('dos-7f3a'),
    readonly provider: CryptoProvider = nobleProvider,
  ) {}

  nextCounter(m: Member): number {
    const n = (this.counters.get(m.userId) ?? 0) + 1;
    this.counters.set(m.userId, n);
    return n;
  }

  /** The member's keyring after opening every box addressed to it. */
  async keyring(m: Member): Promise<Keyring> {
    const known = this.rings.get(m.userId) ?? new Map();
    if (this.access === undefined) return known;
    const ring = mergeKeyrings(known, await unlockKeyring(this.provider, this.access, m.identity.agreement, known));
    this.rings.set(m.userId, ring);
    return ring;
  }

  async build(type: AclRecordType, signer: Member, change: AccessChange, when: Date = T0): Promise<Envelope> {
    const built = await buildAccessRecord(this.provider, this.access, {
      type,
      dossier: this.dossier,
      signer: signer.signer,
      at: when,
      counter: this.nextCounter(signer),
      change,
      keyring: await this.keyring(signer),
    });
    if (!built.ok) throw new Error(`build failed: ${built.error.code} ${built.error.message}`);
    this.rings.set(signer.userId, built.value.keyring);
    return built.value.envelope;
  }

  async apply(envelope: Envelope, now: Date = T0): Promise<DossierAccess> {
    const next = await applyAccessRecord(this.provider, this.access, envelope, this.world.roots, now);
    if (!next.ok) throw new Error(`apply failed: ${next.error.code} ${next.error.message}`);
    this.access = next.value;
    this.log.push(envelope);
    return next.value;
  }

  async record(type: AclRecordType, signer: Member, change: AccessChange, when: Date = T0): Promise<DossierAccess> {
    return this.apply(await this.build(type, signer, change, when), when);
  }

  async genesis(creator: Member = this.world.ib, when: Date = T0): Promise<DossierAccess> {
    return this.record(
      'genesis',
      creator,
      { grants: genesisGrants(creator.organisationId, creator.userId, ['leerling']), reason: 'Nieuw dossier' },
      when,
    );
  }

  get state(): DossierAccess {
    if (this.access === undefined) throw new Error('no genesis yet');
    return this.access;
  }
}
