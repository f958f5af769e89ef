// The Kindkluis client: implements the facade of api.ts on top of the sealed
// local store, the sync engine, the access list (core/access) and the
// workflow engine (core/workflow). One instance per extension context.
import { composeMessage, editMessage as editCoreMessage } from '../messages/index.js';
import * as Y from 'yjs';
import { encodeAwarenessUpdate, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { equalBytes, toHex, utf8Decode, utf8Encode, fromBase64Url, toBase64Url } from '../crypto/bytes.js';
import { decodeCanonical, encodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import { decodeEnvelope, envelopeHash, openEnvelope, type Envelope, type EnvelopeKind } from '../crypto/envelope.js';
import { deviceIdFromPublicKey } from '../crypto/device-id.js';
import { encryptAttachment, decryptAttachment } from '../crypto/attachment.js';
import type { Argon2idParams } from '../crypto/keystore.js';
import {
  createUserIdentity,
  issueDeviceCertificate,
  issueOrganisationCertificate,
  issueUserCertificate,
  deviceBodySchema,
  type DeviceCertificate,
  type OrganisationCertificate,
  type UserCertificate,
} from '../access/certificate.js';
import { encodeDeviceChain, stripProfile, type DeviceChain } from '../access/device-chain.js';
import { applyAccessRecord, foldAccessRecords } from '../access/apply-record.js';
import { buildAccessRecord, type AccessChange } from '../access/build-record.js';
import type { AclRecordType, GrantSpec, RevokeSpec } from '../access/acl-record.js';
import { currentEpoch, effectiveRight, isAdmin, keyHex, type DossierAccess } from '../access/dossier-access.js';
import { keyringGet, mergeKeyrings, unlockKeyring } from '../access/keyring.js';
import { preferredAead } from '../access/key-box.js';
import { atLeast, principalKey, principalMatches, type Principal } from '../access/principal.js';
import { listReaders } from '../access/readers.js';
import { performDueRotations } from '../access/rotation.js';
import { parseRoom, roomOf, scopeKind, type Scope } from '../access/rooms.js';
import { SIGNING_CONTEXT, verifyBody } from '../access/signing.js';
import { DEFAULT_SWV_PROCESS_CONFIG } from '../workflow/definition.js';
import { initialState, statusDefinition, transition } from '../workflow/engine.js';
import { foldStatusEvents } from '../workflow/fold.js';
import { availableTransitions } from '../workflow/available.js';
import type { HulpvraagContext, WorkflowState } from '../workflow/state.js';
import { processById, processForTitel } from '../processes/index.js';
import { scanForPii, privacyLeerlingFrom } from '../privacy/index.js';
import type { IsoDateTime } from '../model/dates.js';
import { asId } from '../model/ids.js';
import type {
  BijlageId,
  DeviceId,
  DossierId,
  FormulierId,
  HulpvraagId,
  MessageId,
  OrganisationId,
  OverlegrondeId,
  RoomId,
  StatusEventId,
  SwvId,
  UserId,
} from '../model/ids.js';
import type { Leerling } from '../model/leerling.js';
import type { TlvAfgifte } from '../model/tlv.js';
import type { BijlageMeta } from '../model/hulpvraag.js';
import type { FormValue } from '../model/formulier.js';
import { roleLabel, rolesNotFitting, type Role } from '../model/role.js';
import { ORGANISATION_KINDS, type OrganisationKind } from '../model/organisation.js';
import type { StatusEvent } from '../model/status-event.js';
import type { Actor } from '../model/user.js';
import { ok, fail, type Result } from '../result.js';
import { openKindkluisDatabase } from '../store/database.js';
import { LocalStore } from '../store/local-store.js';
import { openLocal, sealLocal } from '../store/local-seal.js';
import { SyncEngine, type ReceiveOutcome, type WriteKey } from '../sync/sync-engine.js';
import { RelayConnection } from '../sync/relay-connection.js';
import type { RelayRecord, RelaySnapshot } from '../sync/relay-link.js';
import { encodeSnapshotPublicPart, decodeSnapshotPublicPart } from '../sync/protocol-signing.js';
import { openBatch } from '../sync/open-batch.js';
import { RoomDoc } from '../sync/room-doc.js';
import type {
  AanpakInput,
  AccessLogEntry,
  AwarenessEntry,
  ClientChange,
  ClientOptions,
  CreateSwvInput,
  DirectoryEntry,
  DossierSummary,
  FormSignatureView,
  GrantInput,
  HulpvraagInput,
  HulpvraagListItem,
  HulpvraagView,
  Invitation,
  InvitationInput,
  KindkluisClient,
  OrganisationEntry,
  LockState,
  Me,
  Onboarded,
  MessageView,
  OverlegrondeInput,
  OverlegrondeView,
  PersonProfile,
  ReaderEntry,
  StaffChangeReport,
  StatusHistoryEntry,
  SyncState,
  TransitionOption,
} from './api.js';
import * as docs from './dossier-docs.js';
import { coreMessageOf, handleOf, messageViewOf, participantsOf, rondeOf, takeHandles } from './overlegronde-messages.js';
import {
  decodeAccessEvent,
  decodeSnapshotPayload,
  decodeUpdatePayload,
  encodeAccessEvent,
  encodeSnapshotPayload,
  encodeUpdatePayload,
  newDossierState,
  type DossierState,
} from './dossier-state.js';
import { hasIdentity, loadBeheer, loadIdentity, resetPassphrase, resumeIdentity, saveBeheer, saveIdentity, savePublicState, type Identity } from './identity.js';
import {
  directoryBox,
  joinRequestBox,
  joinResponseBox,
  newInvitationCode,
  normaliseInvitationCode,
  openDirectoryPage,
  openJoinRequest,
  openJoinResponse,
  sealDirectory,
  sealJoinRequest,
  sealJoinResponse,
  type DirectoryRecord,
} from './onboarding.js';
import { signedItemKey, signStatusEvent, verifyStatusEvent } from './signed-event.js';
import { formSignatureIn, signFormIn } from './form-signing.js';
import { FORM_DEFINITIONS, formForHulpvraagTitel } from '../forms/definitions/index.js';
import { allFields } from '../forms/definition.js';
import { fieldNeedsPrivacyCheck } from '../forms/privacy.js';
import { saveFormValues } from '../forms/validate.js';
import { checkLvsValues, LVS_FREE_TEXT_KEYS } from '../pro/lvs-form.js';
import { aanpakExpiry, aanpakViewOf, checkAanpakInput } from './aanpak.js';
import { planStaffChange } from './staff-change.js';
import { messageTrust, signEdit, signMessage, verifyMessages } from './signed-message.js';
import { desiredGrants, notifyRecipients, reconcileAccess, recipientsFor } from './workflow-access.js';

/**
 * The SWV's privacy officer (FG) reads every dossier's access list — who may read
 * which part until when, and who opened it — never its content (DESIGN §8).
 */
const privacyOversight = (swvId: SwvId): GrantSpec & { right: 'read' } => ({
  principal: { kind: 'role', swvId, role: 'privacy-officer' },
  scope: 'toegang',
  right: 'read',
  expiresAt: null,
});

/** Records in a room since its last snapshot before a member with write right posts a new one. */
export const SNAPSHOT_THRESHOLD = 500;
const YEAR_MS = 365 * 24 * 3600 * 1000;

const newId = (provider: CryptoProvider): string => toBase64Url(provider.randomBytes(12));

/** Background work must never become an unhandled rejection (e.g. the database closing under it). */
const bg = (p: Promise<unknown> | undefined): void => {
  void p?.catch(() => undefined);
};

export async function createKindkluisClient(opts: ClientOptions & { readonly kdf?: Argon2idParams }): Promise<KindkluisClient> {
  const db = await openKindkluisDatabase(opts.dbName, opts.indexedDb);
  const store = new LocalStore(db);
  const c = new Client(opts, store);
  c.state = (await hasIdentity(store)) ? 'vergrendeld' : 'geen-identiteit';
  return c;
}

interface PendingSnapshot {
  hash: Uint8Array | null;
  seq: number;
}

class Client implements KindkluisClient {
  state: LockState = 'geen-identiteit';
  private id: Identity | null = null;
  /** The keystore's data key while unlocked: what `sessionToken` hands out instead of the passphrase. */
  private sessionKey: Uint8Array | null = null;
  private engine: SyncEngine | null = null;
  private conn: RelayConnection | null = null;
  private relayUrl: string;
  private online = true;
  private readonly listeners = new Set<(c: ClientChange) => void>();
  private readonly dossiers = new Map<DossierId, DossierState>();
  private readonly people = new Map<UserId, DirectoryRecord>();
  private readonly deviceCerts = new Map<DeviceId, UserCertificate | null>();
  private readonly snapshots = new Map<string, PendingSnapshot>();
  /** People this device removed from a dossier: removed again if a concurrent record undid it. */
  private readonly removed = new Map<DossierId, Set<UserId>>();
  private readonly retries = new Map<DossierId, { type: AclRecordType; change: AccessChange; attempts: number }[]>();
  private retryChain: Promise<void> = Promise.resolve();
  /** Why each own access record was made, so a refused one can be made again on the relay's order. */
  private readonly accessIntents = new Map<string, { type: AclRecordType; change: AccessChange; attempts: number }>();
  private submits: Promise<Result<void>>[] = [];
  /** Subscriptions refused as too early (own access record not stored yet), per room: retried a bounded number of times. */
  private readonly resubscribes = new Map<string, number>();
  /** Per dossier, the access-view rebuild in progress (see reapplyPending). */
  private readonly reapplying = new Map<DossierId, Promise<void>>();
  /** Where the last tick() is (diagnostics only). */
  private tickStep = '';
  private deviceCertValue: Uint8Array | null = null;
  private indexTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly dirtyIndex = new Set<DossierId>();
  private lastError: string | null = null;
  private quarantineCount = 0;
  private readonly provider: CryptoProvider;
  private readonly now: () => Date;

  constructor(
    private readonly opts: ClientOptions & { readonly kdf?: Argon2idParams },
    private readonly store: LocalStore,
  ) {
    this.provider = opts.provider;
    this.now = opts.now ?? (() => new Date());
    this.relayUrl = opts.relayUrl;
  }

  // ================= session =================

  lockState(): LockState {
    return this.state;
  }

  me(): Me | null {
    const id = this.id;
    if (!id) return null;
    return {
      userId: id.userId,
      deviceId: id.deviceId,
      swvId: id.swvId,
      organisationId: id.organisationId,
      roles: id.roles,
      profile: this.profileOf(id),
    };
  }

  private profileOf(id: Identity): PersonProfile {
    const p = id.chain.profile;
    return {
      voornaam: p?.voornaam ?? '',
      achternaam: p?.achternaam ?? '',
      functie: p?.functie ?? '',
      organisatieNaam: id.chain.organisation.body.naam,
      email: id.email,
    };
  }

  async unlock(passphrase: string): Promise<Result<Me>> {
    const id = await loadIdentity(this.provider, this.store, passphrase);
    if (!id.ok) return id;
    await this.startSession(id.value.identity, id.value.sessionKey);
    const me = this.me();
    return me ? ok(me) : fail('geen-identiteit', 'Geen account op dit apparaat.');
  }

  sessionToken(): string | null {
    return this.sessionKey && this.id ? toBase64Url(this.sessionKey) : null;
  }

  async resumeSession(token: string): Promise<Result<Me>> {
    const key = fromBase64Url(token);
    if (!key.ok) return fail('sessie-ongeldig', 'De sessie is verlopen; ontgrendel Kindkluis opnieuw.');
    const id = await resumeIdentity(this.provider, this.store, key.value);
    if (!id.ok) return id.error.code === 'geen-identiteit' ? id : fail('sessie-ongeldig', 'De sessie is verlopen; ontgrendel Kindkluis opnieuw.');
    await this.startSession(id.value, key.value);
    const me = this.me();
    return me ? ok(me) : fail('geen-identiteit', 'Geen account op dit apparaat.');
  }

  async resetPassphrase(recoveryCode: string, newPassphrase: string): Promise<Result<Me>> {
    const reset = await resetPassphrase(this.provider, this.store, recoveryCode, newPassphrase, this.opts.kdf);
    if (!reset.ok) return reset;
    return this.unlock(newPassphrase);
  }

  async lock(): Promise<void> {
    await this.flushIndex();
    this.stopSession();
    this.state = (await hasIdentity(this.store)) ? 'vergrendeld' : 'geen-identiteit';
    this.emit({ kind: 'lock', state: this.state });
  }

  async close(): Promise<void> {
    await this.flushIndex().catch(() => undefined);
    await this.settle().catch(() => undefined);
    await this.retryChain;
    this.stopSession();
    // Let in-flight background work finish its last database call before closing.
    await new Promise((r) => setTimeout(r, 50));
    this.store.close();
  }

  private stopSession(): void {
    this.sessionKey?.fill(0);
    this.sessionKey = null;
    this.engine?.stop();
    this.engine = null;
    this.conn = null;
    if (this.indexTimer !== null) clearTimeout(this.indexTimer);
    this.indexTimer = null;
    for (const st of this.dossiers.values()) {
      for (const d of st.docs.values()) d.destroy();
      st.awareness.destroy();
    }
    this.dossiers.clear();
    this.people.clear();
    this.deviceCerts.clear();
    this.id = null;
  }

  private async startSession(id: Identity, sessionKey: Uint8Array): Promise<void> {
    this.stopSession();
    this.id = id;
    this.sessionKey = sessionKey;
    this.state = 'ontgrendeld';
    this.deviceCertValue = encodeCanonical({ b: id.chain.device.body as unknown as CanonicalValue, s: id.chain.device.signature });
    await this.loadDirectoryCache();
    this.engine = new SyncEngine({
      store: this.store,
      provider: this.provider,
      device: { id: id.deviceId, secretKey: id.device.secretKey },
      connect: (events) => {
        const conn = new RelayConnection(
          this.relayUrl,
          this.opts.webSocket,
          { provider: this.provider, chainBytes: id.publicChainBytes, deviceSecretKey: id.device.secretKey },
          {
            ...events,
            onReady: () => {
              events.onReady();
              bg(this.afterConnect());
            },
            onNotifications: (items) => bg(this.onNotifications(items)),
          },
        );
        this.conn = conn;
        return conn;
      },
      hooks: {
        writeKey: (room) => this.writeKey(room),
        receive: (room, records, snapshot) => this.receive(room, records, snapshot),
        awareness: (room, bytes) => bg(this.receiveAwareness(room, bytes)),
        refused: (room, code, message, bytes) => this.onRefused(room, code, message, bytes),
        stateChanged: () => this.emit({ kind: 'sync', state: this.syncState() }),
        reseal: (room, bytes) => this.reseal(room, bytes),
        roomError: (room, code, _message, refusedSubscription) => bg(this.onRoomError(room, code, refusedSubscription === true)),
      },
      ...(this.opts.random === undefined ? {} : { random: this.opts.random }),
      now: this.now,
    });
    // Every dossier this device holds: fold the local log, purge what we lost.
    // Every dossier with any row here, also one created offline that only lives in the outbox.
    const dossierIds = new Set(await this.store.dossierIds());
    for (const d of dossierIds) if (d !== '') await this.loadDossier(asId<DossierId>(d));
    // Access that ended while this device was closed: delete the dossier's ciphertext and keys now.
    for (const st of [...this.dossiers.values()]) if (st.confirmed && !this.hasAnyAccess(st)) await this.purge(st.id);
    await this.engine.start();
    if (!this.online) this.engine.setOnline(false);
    this.emit({ kind: 'lock', state: this.state });
  }

  private async afterConnect(): Promise<void> {
    await this.refreshDirectory();
    await this.pullNotifications();
    if (this.id?.root) await this.processJoinRequests();
  }

  private requireId(): Result<Identity> {
    return this.id ? ok(this.id) : fail('vergrendeld', 'Kindkluis is vergrendeld: ontgrendel eerst met uw wachtwoord.');
  }

  // ================= onboarding =================

  async createSwv(input: CreateSwvInput): Promise<Result<Onboarded>> {
    if (await hasIdentity(this.store)) return fail('al-ingesteld', 'Op dit apparaat is al een account ingesteld.');
    const p = this.provider;
    const now = this.now();
    const validity = { validFrom: new Date(now.getTime() - 60_000), validUntil: new Date(now.getTime() + 5 * YEAR_MS) };
    const root = await p.ed25519KeyPair();
    const swvId = asId<SwvId>(newId(p));
    const orgId = asId<OrganisationId>(newId(p));
    const userId = asId<UserId>(newId(p));
    const org = await issueOrganisationCertificate(p, root.secretKey, { swv: swvId, organisation: orgId, naam: input.swvNaam, soort: 'swv', ...validity });
    const ident = await createUserIdentity(p, userId);
    const issued = await issueUserCertificate(p, root.secretKey, {
      swv: swvId,
      user: userId,
      organisation: orgId,
      roles: ['swv-beheerder'],
      signingKey: ident.signing.publicKey,
      agreementKey: ident.agreement.publicKey,
      profile: { voornaam: input.beheerder.voornaam, achternaam: input.beheerder.achternaam, functie: input.beheerder.functie, organisatie: input.swvNaam },
      ...validity,
    });
    const identity = await this.finishIdentity({
      swvId,
      swvNaam: input.swvNaam,
      root,
      rootPublic: root.publicKey,
      org,
      user: issued.certificate,
      profile: issued.profile,
      ident,
      directoryKey: p.randomBytes(32),
      email: input.beheerder.email,
    });
    const saved = await saveIdentity(p, this.store, identity, input.passphrase, this.opts.kdf);
    if (!saved.ok) return saved;
    const recoveryCode = saved.value.recoveryCode;
    const sessionKey = saved.value.sessionKey;
    await saveBeheer(p, this.store, identity.localKey, {
      organisations: [{ id: orgId, naam: input.swvNaam, kind: 'swv', cert: encodeCanonical({ b: org.body as unknown as CanonicalValue, s: org.signature }) }],
      invitations: [],
    });
    // Tell the relay this SWV's root, so it accepts our members' certificates.
    const anon = await this.anonymous();
    if (!anon.ok) return anon;
    const reg = await anon.value.registerSwv(p, swvId, root.publicKey, root.secretKey);
    anon.value.close();
    if (!reg.ok && reg.error.code !== 'swv-bestaat-al') return reg;
    this.people.set(userId, { user: issued.certificate, profile: issued.profile, organisatieNaam: input.swvNaam, email: input.beheerder.email });
    await this.startSession(identity, sessionKey);
    await this.publishDirectory();
    const me = this.me();
    return me ? ok({ ...me, recoveryCode }) : fail('geen-identiteit', 'Geen account.');
  }

  private async finishIdentity(x: {
    swvId: SwvId;
    swvNaam: string;
    root: { publicKey: Uint8Array; secretKey: Uint8Array } | null;
    rootPublic: Uint8Array;
    org: OrganisationCertificate;
    user: UserCertificate;
    profile: DeviceChain['profile'];
    ident: { user: UserId; signing: { publicKey: Uint8Array; secretKey: Uint8Array }; agreement: { publicKey: Uint8Array; secretKey: Uint8Array } };
    directoryKey: Uint8Array;
    email: string;
  }): Promise<Identity> {
    const p = this.provider;
    const device = await p.ed25519KeyPair();
    const now = this.now();
    const deviceCert = await issueDeviceCertificate(p, x.ident, {
      devicePublicKey: device.publicKey,
      validFrom: new Date(now.getTime() - 60_000),
      validUntil: new Date(Math.min(x.user.body.validUntil, now.getTime() + 5 * YEAR_MS)),
    });
    const chain: DeviceChain = { organisation: x.org, user: x.user, device: deviceCert, ...(x.profile ? { profile: x.profile } : {}) };
    return {
      swvId: x.swvId,
      swvNaam: x.swvNaam,
      userId: x.user.body.user,
      organisationId: x.user.body.organisation,
      roles: x.user.body.roles,
      device,
      deviceId: deviceIdFromPublicKey(device.publicKey),
      userSigning: x.ident.signing,
      userAgreement: x.ident.agreement,
      chain,
      publicChainBytes: encodeDeviceChain(stripProfile(chain)),
      roots: new Map([[x.swvId, x.rootPublic]]),
      localKey: p.randomBytes(32),
      directoryKey: x.directoryKey,
      root: x.root,
      email: x.email,
    };
  }

  private async anonymous(): Promise<Result<RelayConnection>> {
    const conn = new RelayConnection(this.relayUrl, this.opts.webSocket, null);
    const r = await Promise.race([
      conn.whenReady(),
      new Promise<Result<void>>((res) => setTimeout(() => res(fail('geen-verbinding', 'De relay is niet bereikbaar.')), 10_000)),
    ]);
    if (!r.ok) {
      conn.close();
      return r;
    }
    return ok(conn);
  }

  async createInvitation(input: InvitationInput): Promise<Result<Invitation>> {
    const idr = this.requireId();
    if (!idr.ok) return idr;
    const id = idr.value;
    if (!id.root) return fail('geen-beheerder', 'Alleen de beheerder van het samenwerkingsverband kan uitnodigen.');
    const p = this.provider;
    const beheer = await loadBeheer(p, this.store, id.localKey);
    let orgId: OrganisationId;
    let organisations = beheer.organisations;
    if ('id' in input.organisation) {
      orgId = input.organisation.id;
      if (!organisations.some((o) => o.id === orgId)) return fail('organisatie-onbekend', 'Deze organisatie is niet bekend bij dit samenwerkingsverband.');
    } else {
      const existing = organisations.find((o) => 'naam' in input.organisation && o.naam === input.organisation.naam);
      if (existing) orgId = asId<OrganisationId>(existing.id);
      else {
        orgId = asId<OrganisationId>(newId(p));
        const now = this.now();
        const cert = await issueOrganisationCertificate(p, id.root.secretKey, {
          swv: id.swvId,
          organisation: orgId,
          naam: input.organisation.naam,
          soort: input.organisation.kind,
          validFrom: new Date(now.getTime() - 60_000),
          validUntil: new Date(now.getTime() + 5 * YEAR_MS),
        });
        organisations = [
          ...organisations,
          { id: orgId, naam: input.organisation.naam, kind: input.organisation.kind, cert: encodeCanonical({ b: cert.body as unknown as CanonicalValue, s: cert.signature }) },
        ];
      }
    }
    if (input.roles.length === 0) return fail('rol-ontbreekt', 'Kies minstens één rol voor de uitgenodigde.');
    const orgKind = organisations.find((o) => o.id === orgId)?.kind ?? '';
    const misfits = rolesNotFitting(input.roles, orgKind);
    if (misfits.length > 0) {
      return fail(
        'rol-past-niet',
        `${misfits.map(roleLabel).join(', ')} ${misfits.length === 1 ? 'past' : 'passen'} niet bij een organisatie van de soort "${(ORGANISATION_KINDS as Record<string, string>)[orgKind] ?? orgKind}". Kies de rollen die bij deze organisatie horen.`,
      );
    }
    const code = newInvitationCode(p);
    const userId = asId<UserId>(newId(p));
    const validUntil = input.validUntil ? Date.parse(input.validUntil) : this.now().getTime() + YEAR_MS;
    await saveBeheer(p, this.store, id.localKey, {
      organisations,
      invitations: [
        ...beheer.invitations,
        { code, userId, organisationId: orgId, roles: [...input.roles], profile: { ...input.profile }, validUntil, done: false },
      ],
    });
    return ok({ code, userId, organisationId: orgId });
  }

  async processJoinRequests(): Promise<Result<number>> {
    const idr = this.requireId();
    if (!idr.ok) return idr;
    const id = idr.value;
    if (!id.root) return ok(0);
    const p = this.provider;
    const beheer = await loadBeheer(p, this.store, id.localKey);
    const open = beheer.invitations.filter((i) => !i.done);
    if (open.length === 0) return ok(0);
    const anon = await this.anonymous();
    if (!anon.ok) return anon;
    let done = 0;
    const invitations = [...beheer.invitations];
    try {
      for (const inv of open) {
        const sealed = await anon.value.mailboxGet(await joinRequestBox(p, inv.code));
        if (!sealed.ok || sealed.value === null) continue;
        const req = await openJoinRequest(p, inv.code, sealed.value);
        if (!req.ok) continue;
        const orgRow = beheer.organisations.find((o) => o.id === inv.organisationId);
        if (!orgRow) continue;
        const orgVal = decodeCanonical(orgRow.cert);
        if (!orgVal.ok) continue;
        const o = orgVal.value as { b: OrganisationCertificate['body']; s: Uint8Array };
        const now = this.now();
        const issued = await issueUserCertificate(p, id.root.secretKey, {
          swv: id.swvId,
          user: asId<UserId>(inv.userId),
          organisation: asId<OrganisationId>(inv.organisationId),
          roles: inv.roles as Role[],
          signingKey: req.value.signingKey,
          agreementKey: req.value.agreementKey,
          profile: { voornaam: inv.profile.voornaam, achternaam: inv.profile.achternaam, functie: inv.profile.functie, organisatie: inv.profile.organisatieNaam },
          validFrom: new Date(now.getTime() - 60_000),
          validUntil: new Date(inv.validUntil),
        });
        const response = await sealJoinResponse(p, inv.code, {
          swvId: id.swvId,
          swvNaam: id.swvNaam,
          root: id.root.publicKey,
          org: { body: o.b, signature: o.s },
          user: issued.certificate,
          profile: issued.profile,
          directoryKey: id.directoryKey,
          email: inv.profile.email,
        });
        const put = await anon.value.mailboxPut(await joinResponseBox(p, inv.code), response);
        if (!put.ok) continue;
        this.people.set(issued.certificate.body.user, {
          user: issued.certificate,
          profile: issued.profile,
          organisatieNaam: orgRow.naam,
          email: inv.profile.email,
        });
        const i = invitations.findIndex((x) => x.code === inv.code);
        if (i >= 0) invitations[i] = { ...inv, done: true };
        done++;
      }
    } finally {
      anon.value.close();
    }
    if (done > 0) {
      await saveBeheer(p, this.store, id.localKey, { organisations: beheer.organisations, invitations });
      await this.saveDirectoryCache();
      await this.publishDirectory();
    }
    return ok(done);
  }

  async joinWithInvitation(rawCode: string, passphrase: string, timeoutMs = 30_000): Promise<Result<Onboarded>> {
    if (await hasIdentity(this.store)) return fail('al-ingesteld', 'Op dit apparaat is al een account ingesteld.');
    const code = normaliseInvitationCode(rawCode);
    if (!code.ok) return code;
    const p = this.provider;
    const placeholder = asId<UserId>('nog-onbekend');
    const ident = await createUserIdentity(p, placeholder);
    const first = await this.anonymous();
    if (!first.ok) return first;
    let anon: RelayConnection = first.value;
    try {
      const put = await anon.mailboxPut(
        await joinRequestBox(p, code.value),
        await sealJoinRequest(p, code.value, { signingKey: ident.signing.publicKey, agreementKey: ident.agreement.publicKey }),
      );
      if (!put.ok) return put;
      const deadline = Date.now() + timeoutMs;
      const box = await joinResponseBox(p, code.value);
      while (Date.now() < deadline) {
        // The relay closes an unauthenticated connection after a while (30 s by default) while the
        // beheerder may take longer to confirm: the request is stored, so polling goes on over a new one.
        if (!anon.ready) {
          anon.close();
          const again = await this.anonymous();
          if (!again.ok) {
            await new Promise((res) => setTimeout(res, 1000));
            continue;
          }
          anon = again.value;
        }
        const got = await anon.mailboxGet(box);
        if (got.ok && got.value !== null) {
          const resp = await openJoinResponse(p, code.value, got.value);
          if (!resp.ok) return resp;
          const r = resp.value;
          if (!equalBytes(r.user.body.signingKey, ident.signing.publicKey) || !equalBytes(r.user.body.agreementKey, ident.agreement.publicKey)) {
            return fail('antwoord-onjuist', 'Het certificaat van de beheerder hoort niet bij dit apparaat.');
          }
          const identity = await this.finishIdentity({
            swvId: r.swvId,
            swvNaam: r.swvNaam,
            root: null,
            rootPublic: r.root,
            org: r.org,
            user: r.user,
            profile: r.profile,
            ident: { user: r.user.body.user, signing: ident.signing, agreement: ident.agreement },
            directoryKey: r.directoryKey,
            email: r.email,
          });
          const saved = await saveIdentity(p, this.store, identity, passphrase, this.opts.kdf);
          if (!saved.ok) return saved;
          this.people.set(r.user.body.user, { user: r.user, profile: r.profile, organisatieNaam: r.org.body.naam, email: r.email });
          await this.startSession(identity, saved.value.sessionKey);
          const me = this.me();
          return me ? ok({ ...me, recoveryCode: saved.value.recoveryCode }) : fail('geen-identiteit', 'Geen account.');
        }
        await new Promise((res) => setTimeout(res, 300));
      }
      return fail('geen-antwoord', 'De beheerder heeft de aanmelding nog niet bevestigd. Probeer het later opnieuw met dezelfde code.');
    } finally {
      anon.close();
    }
  }

  // ---- directory ----

  async organisations(): Promise<Result<readonly OrganisationEntry[]>> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    if (!id.root) return fail('geen-beheerder', 'Alleen de beheerder van het samenwerkingsverband beheert organisaties.');
    const beheer = await loadBeheer(this.provider, this.store, id.localKey);
    return ok(
      beheer.organisations.flatMap((o) => (o.kind in ORGANISATION_KINDS ? [{ id: asId<OrganisationId>(o.id), naam: o.naam, kind: o.kind as OrganisationKind }] : [])),
    );
  }

  directory(): readonly DirectoryEntry[] {
    return [...this.people.values()].map((r) => ({
      userId: r.user.body.user,
      organisationId: r.user.body.organisation,
      organisatieNaam: r.organisatieNaam,
      roles: r.user.body.roles,
      profile: { voornaam: r.profile.voornaam, achternaam: r.profile.achternaam, functie: r.profile.functie, organisatieNaam: r.organisatieNaam, email: r.email },
      handle: handleOf(r.profile.voornaam, r.profile.achternaam),
    }));
  }

  private async publishDirectory(): Promise<void> {
    const id = this.id;
    if (!id?.root) return;
    const pages = await sealDirectory(this.provider, id.directoryKey, [...this.people.values()]);
    const anon = await this.anonymous();
    if (!anon.ok) return;
    try {
      for (const [i, page] of pages.entries()) await anon.value.mailboxPut(await directoryBox(this.provider, id.directoryKey, id.swvId, i), page);
    } finally {
      anon.value.close();
    }
  }

  private async refreshDirectory(): Promise<void> {
    const id = this.id;
    if (!id || id.root) return;
    const anon = await this.anonymous();
    if (!anon.ok) return;
    try {
      let pages = 1;
      for (let i = 0; i < pages && i < 64; i++) {
        const got = await anon.value.mailboxGet(await directoryBox(this.provider, id.directoryKey, id.swvId, i));
        if (!got.ok || got.value === null) break;
        const page = await openDirectoryPage(this.provider, id.directoryKey, i, got.value, id.roots, this.now());
        if (!page.ok) break;
        pages = page.value.pages;
        for (const r of page.value.records) this.people.set(r.user.body.user, r);
      }
    } finally {
      anon.value.close();
    }
    await this.saveDirectoryCache();
  }

  private async saveDirectoryCache(): Promise<void> {
    const id = this.id;
    if (!id) return;
    const pages = await sealDirectory(this.provider, id.directoryKey, [...this.people.values()]);
    await this.store.putMeta('directory', await sealLocal(this.provider, id.localKey, 'directory', encodeCanonical(pages)));
  }

  private async loadDirectoryCache(): Promise<void> {
    const id = this.id;
    if (!id) return;
    const sealed = await this.store.getMeta('directory');
    if (!sealed) {
      this.people.set(id.userId, { user: id.chain.user, profile: id.chain.profile ?? { voornaam: '?', achternaam: '?', functie: '?', organisatie: '?', salt: new Uint8Array(16) }, organisatieNaam: id.chain.organisation.body.naam, email: id.email });
      return;
    }
    const opened = await openLocal(this.provider, id.localKey, 'directory', sealed);
    if (!opened.ok) return;
    const pages = decodeCanonical(opened.value);
    if (!pages.ok || !Array.isArray(pages.value)) return;
    for (const [i, page] of (pages.value as Uint8Array[]).entries()) {
      const r = await openDirectoryPage(this.provider, id.directoryKey, i, page, id.roots, this.now());
      if (r.ok) for (const rec of r.value.records) this.people.set(rec.user.body.user, rec);
    }
  }

  private nameOf(userId: string): string {
    const r = this.people.get(userId as UserId);
    return r ? `${r.profile.voornaam} ${r.profile.achternaam}` : 'onbekende gebruiker';
  }

  private certificates(): UserCertificate[] {
    return [...this.people.values()].map((r) => r.user);
  }

  // ================= dossiers: loading and access =================

  private dossierState(id: DossierId): DossierState {
    let st = this.dossiers.get(id);
    if (!st) {
      st = newDossierState(id);
      this.dossiers.set(id, st);
    }
    return st;
  }

  /** Folds the local toegang log, derives keys, loads every readable room from the local log. */
  private async loadDossier(dossierId: DossierId): Promise<void> {
    const id = this.id;
    if (!id) return;
    const st = this.dossierState(dossierId);
    const toegang = roomOf(dossierId, 'toegang');
    const rows = await this.store.readReceived(toegang);
    const acl: Envelope[] = [];
    for (const r of rows) {
      const env = decodeEnvelope(r.bytes);
      if (env.ok && env.value.header.kind === 'acl') acl.push(env.value);
    }
    const folded = await foldAccessRecords(this.provider, acl, id.roots, this.now());
    st.confirmed = folded.access;
    await this.reapplyPending(st);
    for (const r of rows) {
      const env = decodeEnvelope(r.bytes);
      if (env.ok && env.value.header.kind === 'access') await this.applyAccessEvent(st, env.value);
    }
    await this.engine?.watch(toegang);
    await this.afterAccessChange(st);
  }

  /**
   * Our own access records still in the outbox are applied on top of the
   * relay-ordered list (offline work). If the relay ordered someone else's
   * record first, ours no longer fits and is left out (the relay refuses it;
   * the workflow reconcile writes a new one).
   */
  /**
   * Rebuilds the optimistic access view. Serialised per dossier: a rebuild that started before our own
   * record reached the outbox must not finish after a later one and put back a view without it.
   */
  private reapplyPending(st: DossierState): Promise<void> {
    const prev = this.reapplying.get(st.id) ?? Promise.resolve();
    const next = prev.then(() => this.rebuildAccessView(st));
    this.reapplying.set(st.id, next.catch(() => undefined));
    return next;
  }

  private async rebuildAccessView(st: DossierState): Promise<void> {
    const id = this.id;
    if (!id) return;
    let cur = st.confirmed;
    const toegang = roomOf(st.id, 'toegang');
    // Still in the outbox, and acknowledged but not yet received back. The outbox is read first: an ack
    // moves a row from the outbox into the log atomically, so reading in this order sees every row at
    // least once (duplicates are skipped below); the other order missed a row acked in between, and the
    // writer briefly lost the right its own record had just given ("U mag dit onderdeel … niet wijzigen").
    const pending = await this.store.pending(toegang);
    const acked = await this.store.readReceived(toegang, await this.store.cursor(toegang));
    const ours = [...acked.filter((r) => !pending.some((p) => equalBytes(p.bytes, r.bytes))), ...pending];
    for (const r of ours) {
      const env = decodeEnvelope(r.bytes);
      if (!env.ok || env.value.header.kind !== 'acl') continue;
      const hash = await envelopeHash(this.provider, env.value);
      if (cur?.records.some((x) => equalBytes(x.hash, hash))) continue;
      const next = await applyAccessRecord(this.provider, cur, env.value, id.roots, this.now());
      if (next.ok) cur = next.value;
    }
    st.access = cur;
    // Rebuild the keyring from the boxes only: a key from an own record that the relay did not take
    // must not live on next to the real key of the same epoch.
    let ring: import('../access/keyring.js').Keyring = new Map();
    for (const a of [st.confirmed, st.access]) if (a) ring = await unlockKeyring(this.provider, a, id.userAgreement, ring);
    let retiredAny = false;
    for (const [scope, epochs] of st.keyring) {
      for (const [epoch, key] of epochs) {
        const now = keyringGet(ring, scope, epoch);
        if (now === undefined || !equalBytes(now, key)) {
          st.retired.push(key);
          retiredAny = true;
        }
      }
    }
    st.keyring = ring;
    if (retiredAny) bg(this.engine?.resealRooms([...st.docs.keys()].map((s) => roomOf(st.id, s))));
  }

  /** An own access change the relay did not take: made again once the relay's order is known here. */
  private queueRetry(st: DossierState, intent: { type: AclRecordType; change: AccessChange; attempts: number }): void {
    this.retries.set(st.id, [...(this.retries.get(st.id) ?? []), intent]);
    this.runRetries(st);
  }

  /** Serialised, not awaited by the receive path: each retry is built on the state at that moment. */
  private runRetries(st: DossierState): void {
    this.retryChain = this.retryChain.then(async () => {
      const queue = this.retries.get(st.id) ?? [];
      this.retries.delete(st.id);
      for (const intent of queue) {
        const r = await this.submitAccess(st, st.id, intent.type, intent.change, intent.attempts + 1);
        if (!r.ok && intent.attempts + 1 < 10 && r.error.code !== 'acl-ongeldig') this.retries.set(st.id, [...(this.retries.get(st.id) ?? []), { ...intent, attempts: intent.attempts + 1 }]);
      }
    }).catch(() => undefined);
  }

  private myAccess(st: DossierState, scope: Scope, at = this.now().getTime()): 'read' | 'write' | 'admin' | null {
    const id = this.id;
    if (!id || !st.access) return null;
    return effectiveRight(st.access, { userId: id.userId, organisationId: id.organisationId, roles: id.roles }, scope, at);
  }

  /** Still a member: an active grant other than one's own notities (those alone do not keep a dossier). */
  private hasAnyAccess(st: DossierState): boolean {
    const id = this.id;
    if (!id || !st.access) return false;
    const at = this.now().getTime();
    const subject = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
    return st.access.grants.some(
      (g) => g.scope !== `notities:${id.userId}` && (g.expiresAt === null || g.expiresAt > at) && principalMatches(g.principal, subject, st.access?.swv ?? ''),
    );
  }

  /** After the access list changed: open newly readable rooms, resync stalled ones. */
  private async afterAccessChange(st: DossierState): Promise<void> {
    if (!st.access || !this.id) return;
    for (const scope of st.access.scopes.keys()) {
      if (scope === 'toegang') continue;
      const hasKey = (st.access.scopes.get(scope)?.epochs ?? []).some((e) => keyringGet(st.keyring, scope, e.epoch) !== undefined);
      if (!hasKey || this.myAccess(st, scope) === null) continue;
      await this.ensureRoom(st, scope);
    }
    for (const room of [...st.stalled]) {
      st.stalled.delete(room);
      await this.engine?.resync(room);
    }
    await this.engine?.resealStale();
    this.markDirty(st.id);
    this.emit({ kind: 'dossier', dossierId: st.id });
  }

  /** Loads a room's document from the sealed local cache and log, then subscribes. */
  private async ensureRoom(st: DossierState, scope: Scope): Promise<RoomDoc> {
    const existing = st.docs.get(scope);
    if (existing) return existing;
    const id = this.id;
    const room = roomOf(st.id, scope);
    const doc = new RoomDoc(room, (update) => {
      if (!this.engine || !this.deviceCertValue) return;
      this.submits.push(this.engine.submit(room, 'update', encodeUpdatePayload(update, this.deviceCertValue)));
    });
    st.docs.set(scope, doc);
    doc.onChange(() => {
      this.markDirty(st.id);
      this.emit({ kind: 'dossier', dossierId: st.id });
    });
    if (id) {
      let after = 0;
      const cache = await this.store.getDocCache(room);
      if (cache) {
        const opened = await openLocal(this.provider, id.localKey, `doc:${room}`, cache.bytes);
        if (opened.ok) {
          doc.applyRemote([opened.value]);
          after = cache.seq;
        }
      }
      const rows = await this.store.readReceived(room, after);
      const pending = await this.store.pending(room);
      // Verified when they arrived; opened again here as one bounded batch (the position stands in for seq).
      const local = [...rows, ...pending].map((r, i) => ({ seq: i, bytes: r.bytes }));
      const { opened } = await openBatch(this.provider, room, local, { keyFor: (e) => keyringGet(st.keyring, scope, e), authorize: () => ok(undefined) });
      const updates: Uint8Array[] = [];
      for (const o of opened) {
        if (o.envelope.header.kind === 'snapshot') {
          const s = decodeSnapshotPayload(o.plaintext);
          if (s) updates.push(s);
        } else if (o.envelope.header.kind === 'update') {
          const u = decodeUpdatePayload(o.plaintext);
          if (u) updates.push(u.update);
        }
      }
      doc.applyRemote(updates);
    }
    await this.engine?.watch(room);
    return doc;
  }

  // ================= receiving =================

  private writeKey(room: string): Result<WriteKey> {
    const parsed = parseRoom(room);
    if (!parsed.ok) return parsed;
    const st = this.dossiers.get(parsed.value.dossier);
    const info = st?.access?.scopes.get(parsed.value.scope);
    const cur = currentEpoch(info);
    const key = cur && st ? keyringGet(st.keyring, parsed.value.scope, cur.epoch) : undefined;
    if (!cur || !key) return fail('sleutel-ontbreekt', 'Dit apparaat heeft (nog) geen sleutel voor dit dossierdeel.');
    return ok({ epoch: cur.epoch, key, alg: preferredAead(this.provider) });
  }

  private async receive(room: string, records: readonly RelayRecord[], snapshot: RelaySnapshot | null): Promise<ReceiveOutcome> {
    const parsed = parseRoom(room);
    if (!parsed.ok) return { accepted: [], rejected: records.map((r) => ({ seq: r.seq, bytes: r.bytes, code: 'ruimte-ongeldig' })) };
    const st = this.dossierState(parsed.value.dossier);
    return parsed.value.scope === 'toegang' ? this.receiveToegang(st, records) : this.receiveContent(st, parsed.value.scope, room, records, snapshot);
  }

  private async receiveToegang(st: DossierState, records: readonly RelayRecord[]): Promise<ReceiveOutcome> {
    const id = this.id;
    if (!id) return { accepted: [], rejected: [] };
    const accepted: (RelayRecord & { kind: string })[] = [];
    const rejected: { seq: number; bytes: Uint8Array; code: string }[] = [];
    const retryIntents: { type: AclRecordType; change: AccessChange; attempts: number }[] = [];
    let changed = false;
    for (const r of records) {
      const env = decodeEnvelope(r.bytes);
      if (!env.ok) {
        rejected.push({ seq: r.seq, bytes: r.bytes, code: env.error.code });
        continue;
      }
      const kind = env.value.header.kind;
      if (kind === 'acl') {
        const hash = await envelopeHash(this.provider, env.value);
        if (st.confirmed?.records.some((x) => equalBytes(x.hash, hash))) {
          accepted.push({ ...r, kind });
          continue;
        }
        // Applied in the relay's order to the confirmed list, never to our optimistic view.
        const next = await applyAccessRecord(this.provider, st.confirmed, env.value, id.roots, this.now());
        if (next.ok) {
          st.confirmed = next.value;
          changed = true;
          accepted.push({ ...r, kind });
        } else {
          rejected.push({ seq: r.seq, bytes: r.bytes, code: next.error.code });
          // Our own record that the relay stored but that does not fit the chain (a concurrent record
          // came first): make the same change again on top of the relay's order.
          const intent = this.accessIntents.get(toHex(hash));
          if (env.value.header.author === id.deviceId && intent && intent.attempts < 5) {
            this.accessIntents.delete(toHex(hash));
            retryIntents.push(intent);
          }
        }
      } else if (kind === 'access') {
        accepted.push({ ...r, kind });
        await this.applyAccessEvent(st, env.value);
      } else {
        accepted.push({ ...r, kind });
      }
    }
    if (changed || retryIntents.length > 0) {
      await this.reapplyPending(st);
      await this.afterAccessChange(st);
      if (!this.hasAnyAccess(st)) this.emit({ kind: 'access-lost', dossierId: st.id });
    }
    for (const intent of retryIntents) this.queueRetry(st, intent);
    if (changed) this.runRetries(st);
    return { accepted, rejected };
  }

  private async applyAccessEvent(st: DossierState, env: Envelope): Promise<void> {
    const key = keyringGet(st.keyring, 'toegang', env.header.epoch);
    if (!key) return;
    const plain = await openEnvelope(this.provider, env, { key, room: env.header.room, epoch: env.header.epoch });
    if (!plain.ok) return;
    const ev = decodeAccessEvent(plain.value);
    if (!ev) return;
    const actor = this.userOfDevice(st, env.header.author) ?? (await this.authorDevice(st, env, ev.chain))?.body.user ?? null;
    if (actor) st.accessEvents.push({ at: ev.at, actor, action: ev.action });
  }

  /** The user a device belongs to, from the device certificates we have seen. */
  private userOfDevice(st: DossierState, device: DeviceId): UserId | null {
    if (this.id && device === this.id.deviceId) return this.id.userId;
    const cert = this.deviceCerts.get(device);
    if (cert) return cert.body.user;
    const rec = st.access?.records.find((r) => r.signerDevice === device);
    return rec?.signerUser ?? null;
  }

  /** Checks the device certificate carried in an update against the access list's recipients. */
  private async authorDevice(st: DossierState, env: Envelope, certValue: Uint8Array | null): Promise<UserCertificate | null> {
    const author = env.header.author;
    const cached = this.deviceCerts.get(author);
    if (cached) return cached;
    if (this.id && author === this.id.deviceId) return this.id.chain.user;
    if (!certValue || !st.access) return null;
    const v = decodeCanonical(certValue);
    if (!v.ok) return null;
    const shape = v.value as { b?: unknown; s?: unknown };
    const body = deviceBodySchema.safeParse(shape.b);
    if (!body.success || !(shape.s instanceof Uint8Array) || body.data.device !== author) return null;
    const user = [...st.access.recipients.values()].find((c) => c.body.user === body.data.user && equalBytes(c.body.signingKey, body.data.userSigningKey));
    if (!user) return null;
    const cert: DeviceCertificate = { body: body.data, signature: shape.s };
    if (!(await verifyBody(this.provider, user.body.signingKey, SIGNING_CONTEXT.device, cert.body, cert.signature))) return null;
    this.deviceCerts.set(author, user);
    return user;
  }

  /** Membership at that point: the author held this epoch's key, and (for the current epoch) may still write. */
  private authorise(st: DossierState, scope: Scope, env: Envelope, user: UserCertificate): Result<void> {
    const access = st.access;
    if (!access) return fail('geen-toegangslijst', 'De toegangslijst van dit dossier ontbreekt.');
    const info = access.scopes.get(scope);
    const epoch = info?.epochs.find((e) => e.epoch === env.header.epoch);
    if (!info || !epoch) return fail('epoch-onbekend', 'Onbekende sleutelperiode.');
    if (!epoch.holders.includes(keyHex(user.body.agreementKey))) return fail('geen-lid', 'De auteur was op dat moment geen deelnemer.');
    if (currentEpoch(info)?.epoch === epoch.epoch) {
      const right = effectiveRight(access, { userId: user.body.user, organisationId: user.body.organisation, roles: user.body.roles }, scope, this.now().getTime());
      const expired = access.grants.some((g) => g.expiresAt !== null && principalKey(g.principal) === `user:${user.body.user}`);
      if (!atLeast(right, 'write') && !expired) return fail('geen-schrijfrecht', 'De auteur mocht hier niet schrijven.');
    }
    return ok(undefined);
  }

  private async receiveContent(
    st: DossierState,
    scope: Scope,
    room: string,
    records: readonly RelayRecord[],
    snapshot: RelaySnapshot | null,
  ): Promise<ReceiveOutcome> {
    const doc = await this.ensureRoom(st, scope);
    const updates: Uint8Array[] = [];
    const accepted: (RelayRecord & { kind: string })[] = [];
    const rejected: { seq: number; bytes: Uint8Array; code: string }[] = [];
    let retryFrom: number | undefined;
    if (snapshot) {
      const env = decodeEnvelope(snapshot.bytes);
      const key = env.ok ? keyringGet(st.keyring, scope, env.value.header.epoch) : undefined;
      if (env.ok && key) {
        const plain = await openEnvelope(this.provider, env.value, { key, room: room as RoomId, epoch: env.value.header.epoch });
        const state = plain.ok ? decodeSnapshotPayload(plain.value) : null;
        const user = this.deviceCerts.get(env.value.header.author) ?? (this.id && env.value.header.author === this.id.deviceId ? this.id.chain.user : null);
        if (state && (user === null || this.authorise(st, scope, env.value, user).ok)) {
          updates.push(state);
          const pp = decodeSnapshotPublicPart(env.value.publicPart);
          this.snapshots.set(room, { hash: await this.provider.sha256(snapshot.bytes), seq: pp.ok ? pp.value.coversSeq : snapshot.upToSeq });
        }
      }
    }
    // Signature, commitment and decryption once per record, a bounded window in flight (core/sync/open-batch);
    // membership is checked below, once the author's device chain from the payload is known.
    const batch = await openBatch(this.provider, room, records, { keyFor: (e) => keyringGet(st.keyring, scope, e), authorize: () => ok(undefined) });
    const openedBySeq = new Map(batch.opened.map((o) => [o.seq, o]));
    const refusedBySeq = new Map(batch.rejected.map((x) => [x.seq, x.code]));
    const opened = records.map((r) => {
      const o = openedBySeq.get(r.seq);
      if (o) return { ok: true, r, env: o.envelope, plain: o.plaintext } as const;
      const env = decodeEnvelope(r.bytes);
      return { ok: false, r, code: refusedBySeq.get(r.seq) ?? 'envelop-ongeldig', env: env.ok ? env.value : undefined } as const;
    });
    for (const o of opened) {
      if (retryFrom !== undefined) break;
      if (!o.ok) {
        const newer = o.env !== undefined && o.env.header.epoch > (currentEpoch(st.access?.scopes.get(scope))?.epoch ?? -1);
        if (o.code === 'sleutel-ontbreekt' && newer) {
          retryFrom = o.r.seq;
          st.stalled.add(room);
        } else {
          rejected.push({ seq: o.r.seq, bytes: o.r.bytes, code: o.code });
          // Our own change that went out under a key that was later retired: send it again under the real key.
          if (o.env && this.id && o.env.header.author === this.id.deviceId && o.env.header.kind === 'update') {
            const again = await this.reseal(room, o.r.bytes);
            if (again && this.engine) bg(this.engine.submit(room, 'update', again.plaintext));
          }
        }
        continue;
      }
      const kind = o.env.header.kind;
      if (kind === 'update') {
        const payload = decodeUpdatePayload(o.plain);
        const user = payload ? await this.authorDevice(st, o.env, payload.chain) : null;
        if (!payload || !user) {
          rejected.push({ seq: o.r.seq, bytes: o.r.bytes, code: 'auteur-onbekend' });
          continue;
        }
        const auth = this.authorise(st, scope, o.env, user);
        if (!auth.ok) {
          rejected.push({ seq: o.r.seq, bytes: o.r.bytes, code: auth.error.code });
          continue;
        }
        updates.push(payload.update);
      }
      accepted.push({ ...o.r, kind });
    }
    doc.applyRemote(updates);
    return retryFrom === undefined ? { accepted, rejected } : { accepted, rejected, retryFrom };
  }

  /**
   * An own pending change that must be sealed again: under an epoch that is no
   * longer current, or under a key that was retired. Returns its plaintext, or
   * null when the row is fine as it is (or cannot be opened at all).
   */
  private async reseal(room: string, bytes: Uint8Array): Promise<{ kind: EnvelopeKind; plaintext: Uint8Array } | null> {
    const parsed = parseRoom(room);
    const env = decodeEnvelope(bytes);
    if (!parsed.ok || !env.ok || env.value.header.kind !== 'update') return null;
    const st = this.dossiers.get(parsed.value.dossier);
    if (!st) return null;
    const scope = parsed.value.scope;
    const cur = currentEpoch(st.access?.scopes.get(scope));
    if (!cur) return null;
    const open = (key: Uint8Array) => openEnvelope(this.provider, env.value, { key, room: room as RoomId, epoch: env.value.header.epoch });
    const sameEpochKey = keyringGet(st.keyring, scope, env.value.header.epoch);
    if (sameEpochKey) {
      const plain = await open(sameEpochKey);
      if (plain.ok) return cur.epoch === env.value.header.epoch ? null : { kind: 'update', plaintext: plain.value };
    }
    for (const key of st.retired) {
      const plain = await open(key);
      if (plain.ok) return { kind: 'update', plaintext: plain.value };
    }
    return null;
  }

  private async onRefused(room: string, code: string, message: string, bytes?: Uint8Array): Promise<void> {
    this.lastError = message;
    const parsed = parseRoom(room);
    // A refused access record: our local view ran ahead; rebuild it from what the relay accepted,
    // then make the same change again on top of it (e.g. someone else's record came first).
    if (parsed.ok && parsed.value.scope === 'toegang') {
      await this.loadDossier(parsed.value.dossier);
      const env = bytes ? decodeEnvelope(bytes) : undefined;
      if (env?.ok && env.value.header.kind === 'acl') {
        const key = toHex(await envelopeHash(this.provider, env.value));
        const intent = this.accessIntents.get(key);
        this.accessIntents.delete(key);
        if (intent && intent.attempts < 10 && code === 'toegangsrecord-geweigerd') {
          const st = this.dossiers.get(parsed.value.dossier);
          if (st) this.queueRetry(st, intent);
        }
      }
    }
    this.emit({ kind: 'sync', state: this.syncState() });
    void code;
  }

  private async onRoomError(room: string, code: string, refusedSubscription: boolean): Promise<void> {
    const parsed = parseRoom(room);
    if (!parsed.ok) return;
    // Our own access record (a new dossier's genesis, the grant of a new hulpvraag) may not be stored
    // by the relay yet when we subscribe to the room it opens: that refusal is temporary. Subscribe
    // again shortly and at every tick, while our own view says we may read it, a bounded number of times.
    const st = this.dossiers.get(parsed.value.dossier);
    const mayRead = st !== undefined && (parsed.value.scope === 'toegang' ? st.access !== undefined : this.myAccess(st, parsed.value.scope) !== null);
    const early = code === 'dossier-onbekend' || (code === 'geen-toegang' && parsed.value.scope !== 'toegang');
    if (refusedSubscription && early && st && mayRead) {
      const tries = (this.resubscribes.get(room) ?? 0) + 1;
      this.resubscribes.set(room, tries);
      if (tries <= 30) {
        st.stalled.add(room);
        setTimeout(() => {
          if (st.stalled.delete(room)) bg(this.engine?.resync(room));
        }, Math.min(4000, 250 * tries));
        return;
      }
    }
    if (['toegang-ingetrokken', 'toegang-verlopen', 'geen-toegang'].includes(code)) {
      this.engine?.unwatch(room);
      // An explicit end of access, or the relay refusing to let us read the access list at all
      // (any member may), deletes the dossier; a refused awareness message does not.
      if (parsed.value.scope === 'toegang' && (code !== 'geen-toegang' || refusedSubscription)) {
        const st = this.dossiers.get(parsed.value.dossier);
        if (st) this.emit({ kind: 'access-lost', dossierId: st.id });
        await this.purge(parsed.value.dossier);
      }
    }
  }

  private async receiveAwareness(room: string, bytes: Uint8Array): Promise<void> {
    const parsed = parseRoom(room);
    const env = decodeEnvelope(bytes);
    if (!parsed.ok || !env.ok || env.value.header.kind !== 'awareness') return;
    const st = this.dossiers.get(parsed.value.dossier);
    if (!st) return;
    const key = keyringGet(st.keyring, parsed.value.scope, env.value.header.epoch);
    if (!key) return;
    const plain = await openEnvelope(this.provider, env.value, { key, room: room as RoomId, epoch: env.value.header.epoch });
    if (!plain.ok) return;
    try {
      applyAwarenessUpdate(st.awareness, plain.value, 'remote');
    } catch {
      return;
    }
    this.emit({ kind: 'awareness', dossierId: st.id });
  }

  // ================= writing =================

  /** Waits until every local change made so far is sealed in the outbox; reports the first failure. */
  private async settle(): Promise<Result<void>> {
    const pending = this.submits;
    this.submits = [];
    const results = await Promise.all(pending);
    await this.engine?.settled();
    return results.find((r) => !r.ok) ?? ok(undefined);
  }

  private async mutate(st: DossierState, scope: Scope, fn: (doc: Y.Doc) => void): Promise<Result<void>> {
    const right = this.myAccess(st, scope);
    if (!atLeast(right, 'write')) return fail('geen-schrijfrecht', 'U mag dit onderdeel van het dossier niet wijzigen.');
    const doc = await this.ensureRoom(st, scope);
    doc.change(fn);
    return this.settle();
  }

  private async submitAccess(st: DossierState | null, dossierId: DossierId, type: AclRecordType, change: AccessChange, attempts = 0): Promise<Result<void>> {
    const id = this.id;
    const engine = this.engine;
    if (!id || !engine) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const state = st ?? this.dossierState(dossierId);
    let built: Result<{ envelope: Envelope }> = fail('niet-gebouwd', 'Het toegangsrecord is niet gemaakt.');
    const r = await engine.submitBuilt(roomOf(dossierId, 'toegang'), 'acl', async (counter) => {
      const b = await buildAccessRecord(this.provider, state.access, {
        type,
        ...(type === 'genesis' ? { dossier: dossierId } : {}),
        signer: { chain: id.chain, deviceSecretKey: id.device.secretKey },
        at: this.now(),
        counter,
        change,
        keyring: state.keyring,
      });
      if (!b.ok) return b;
      built = ok(b.value);
      const applied = await applyAccessRecord(this.provider, state.access, b.value.envelope, id.roots, this.now());
      if (!applied.ok) return applied;
      state.access = applied.value;
      state.keyring = mergeKeyrings(state.keyring, b.value.keyring);
      this.accessIntents.set(toHex(await envelopeHash(this.provider, b.value.envelope)), { type, change, attempts });
      const { encodeEnvelope } = await import('../crypto/envelope.js');
      return ok(encodeEnvelope(b.value.envelope));
    });
    if (!r.ok) return r;
    if (!built.ok) return built;
    // The record is in the outbox now: rebuild the optimistic view (receiving may have run meanwhile).
    await this.reapplyPending(state);
    await this.afterAccessChange(state);
    return ok(undefined);
  }

  // ================= dossiers =================

  async createDossier(leerling: Omit<Leerling, 'id'>): Promise<Result<DossierId>> {
    const idr = this.requireId();
    if (!idr.ok) return idr;
    const id = idr.value;
    if (id.chain.organisation.body.soort !== 'school' || !id.roles.some((r) => r === 'intern-begeleider' || r === 'ondersteuningscoordinator')) {
      return fail('niet-toegestaan', 'Alleen een intern begeleider of ondersteuningscoördinator van een school kan een dossier aanmaken.');
    }
    if (!leerling.voornaam.trim() || !leerling.achternaam.trim()) return fail('naam-ontbreekt', 'Vul de voornaam en achternaam van de leerling in.');
    const dossierId = asId<DossierId>(newId(this.provider));
    const st = this.dossierState(dossierId);
    const ownerRole = (role: Role): Principal => ({ kind: 'organisation', organisationId: id.organisationId, role });
    const grants: GrantSpec[] = [
      { principal: { kind: 'user', userId: id.userId }, scope: 'toegang', right: 'admin', expiresAt: null },
      { principal: ownerRole('intern-begeleider'), scope: 'toegang', right: 'admin', expiresAt: null },
      { principal: ownerRole('ondersteuningscoordinator'), scope: 'toegang', right: 'admin', expiresAt: null },
      { principal: ownerRole('intern-begeleider'), scope: 'leerling', right: 'write', expiresAt: null },
      { principal: ownerRole('ondersteuningscoordinator'), scope: 'leerling', right: 'write', expiresAt: null },
      privacyOversight(id.swvId),
    ];
    const colleagues = this.certificates().filter(
      (c) =>
        c.body.user !== id.userId &&
        ((c.body.organisation === id.organisationId && c.body.roles.some((r) => r === 'intern-begeleider' || r === 'ondersteuningscoordinator')) || c.body.roles.includes('privacy-officer')),
    );
    const r = await this.submitAccess(st, dossierId, 'genesis', { grants, recipients: colleagues, reason: 'Dossier aangemaakt' });
    if (!r.ok) {
      this.dossiers.delete(dossierId);
      return r;
    }
    // Colleagues and the FG learn of the new dossier through a content-free notification of its toegang room.
    this.notifyLater('status', roomOf(dossierId, 'toegang'), colleagues.map((c) => c.body.user));
    await this.engine?.watch(roomOf(dossierId, 'toegang'));
    const w = await this.mutate(st, 'leerling', (doc) => docs.writeLeerling(doc, leerling));
    if (!w.ok) return w;
    return ok(dossierId);
  }

  listDossiers(): readonly DossierSummary[] {
    return [...this.dossiers.values()].filter((st) => st.access && this.hasAnyAccess(st)).map((st) => this.summary(st));
  }

  private summary(st: DossierState): DossierSummary {
    const leerling = st.docs.get('leerling');
    const l = leerling ? docs.readLeerling(leerling.doc) : null;
    const hv = [...st.docs.keys()].filter((s) => scopeKind(s) === 'hulpvraag').map((s) => asId<HulpvraagId>(s.slice('hulpvraag:'.length)));
    const or = [...st.docs.keys()].filter((s) => scopeKind(s) === 'overlegronde').map((s) => asId<OverlegrondeId>(s.slice('overlegronde:'.length)));
    return { id: st.id, leerlingNaam: l ? fullName(l) : null, hulpvragen: hv, overlegronden: or };
  }

  async openDossier(dossierId: DossierId): Promise<Result<DossierSummary>> {
    const st = this.dossiers.get(dossierId);
    if (!st?.access || !this.hasAnyAccess(st)) return fail('dossier-onbekend', 'Dit dossier is op dit apparaat niet (meer) beschikbaar.');
    const wasOpen = st.open;
    st.open = true;
    // The access log: who opened the dossier when (sealed; only members can read it). Once per opening:
    // views call this on every change, and logging each call made two open dossiers log each other forever.
    if (!wasOpen && this.engine && this.id) {
      bg(this.engine.submit(roomOf(dossierId, 'toegang'), 'access', encodeAccessEvent(this.now().getTime(), this.deviceCertValue)));
      st.accessEvents.push({ at: this.now().getTime(), actor: this.id.userId, action: 'geopend' });
    }
    return ok(this.summary(st));
  }

  closeDossier(dossierId: DossierId): void {
    const st = this.dossiers.get(dossierId);
    if (st) {
      st.open = false;
      this.setAwareness(dossierId, null);
    }
  }

  private doc(dossierId: DossierId, scope: Scope): Result<{ st: DossierState; doc: Y.Doc }> {
    const st = this.dossiers.get(dossierId);
    const d = st?.docs.get(scope);
    if (!st || !d) return fail('niet-beschikbaar', 'Dit onderdeel van het dossier is voor u niet beschikbaar.');
    return ok({ st, doc: d.doc });
  }

  getLeerling(dossierId: DossierId): Result<Leerling> {
    const d = this.doc(dossierId, 'leerling');
    if (!d.ok) return d;
    const l = docs.readLeerling(d.value.doc);
    return l ? ok({ ...l, id: asId(`${dossierId}-leerling`) }) : fail('niet-beschikbaar', 'De leerlinggegevens zijn nog niet binnen.');
  }

  async updateLeerling(dossierId: DossierId, patch: Partial<Omit<Leerling, 'id'>>): Promise<Result<void>> {
    const cur = this.getLeerling(dossierId);
    if (!cur.ok) return cur;
    const st = this.dossiers.get(dossierId);
    if (!st) return fail('dossier-onbekend', 'Onbekend dossier.');
    const { id: _id, ...rest } = cur.value;
    return this.mutate(st, 'leerling', (doc) => docs.writeLeerling(doc, { ...rest, ...patch }));
  }

  // ================= hulpvragen =================

  private leerlingOf(st: DossierState): Omit<Leerling, 'id'> | null {
    const d = st.docs.get('leerling');
    return d ? docs.readLeerling(d.doc) : null;
  }

  /** "Personal data only in the leerling tab": refuse free text that names the leerling or holds a BSN, address, … */
  private checkNoPii(st: DossierState, text: string): Result<void> {
    const l = this.leerlingOf(st);
    if (!l || text.trim() === '') return ok(undefined);
    const findings = scanForPii(text, privacyLeerlingFrom(l));
    if (findings.length === 0) return ok(undefined);
    return fail('persoonsgegevens', 'Deze tekst bevat persoonsgegevens van de leerling. Die horen alleen in het tabblad Leerling.');
  }

  async createHulpvraag(dossierId: DossierId, input: HulpvraagInput): Promise<Result<HulpvraagId>> {
    const idr = this.requireId();
    if (!idr.ok) return idr;
    const id = idr.value;
    const st = this.dossiers.get(dossierId);
    if (!st?.access) return fail('dossier-onbekend', 'Onbekend dossier.');
    if (!isAdmin(st.access, { userId: id.userId, organisationId: id.organisationId, roles: id.roles }, this.now().getTime())) {
      return fail('niet-toegestaan', 'Alleen de school die eigenaar is van het dossier kan een hulpvraag indienen.');
    }
    const def = processForTitel(input.titel);
    if (!def.ok) return def;
    const pii = this.checkNoPii(st, `${input.omschrijving} ${(input.labels ?? []).join(' ')}`);
    if (!pii.ok) return pii;
    const hvId = asId<HulpvraagId>(newId(this.provider));
    const ctx = this.contextFor(hvId, { schoolId: id.organisationId, aanvrager: id.userId, coordinator: null });
    const actor: Actor = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
    const { startProcess } = await import('../workflow/engine.js');
    const started = startProcess(def.value, input.titel, ctx, DEFAULT_SWV_PROCESS_CONFIG, actor, this.now());
    if (!started.ok) return started;
    // Keys for the hulpvraag's own scopes, held by the owning school.
    const school = (role: Role): Principal => ({ kind: 'organisation', organisationId: id.organisationId, role });
    const grants: GrantSpec[] = [];
    for (const kind of ['hulpvraag', 'formulieren', 'lvs'] as const) {
      for (const role of ['intern-begeleider', 'ondersteuningscoordinator'] as const) {
        grants.push({ principal: school(role), scope: `${kind}:${hvId}`, right: 'write', expiresAt: null });
      }
    }
    // The bevoegd gezag of the school signs the form (002): it reads the hulpvraag and writes the form.
    grants.push(
      { principal: school('bevoegd-gezag'), scope: `hulpvraag:${hvId}`, right: 'read', expiresAt: null },
      { principal: school('bevoegd-gezag'), scope: `formulieren:${hvId}`, right: 'write', expiresAt: null },
    );
    const bevoegdGezag = this.certificates().filter((c) => c.body.organisation === id.organisationId && c.body.roles.includes('bevoegd-gezag'));
    const acc = await this.submitAccess(st, dossierId, 'grant', { grants, recipients: bevoegdGezag, reason: 'Hulpvraag aangemaakt' });
    if (!acc.ok) return acc;
    // They learn of the dossier through a content-free notification of its toegang room.
    this.notifyLater('status', roomOf(dossierId, 'toegang'), bevoegdGezag.map((c) => c.body.user));
    const now = this.now().toISOString();
    const w = await this.mutate(st, `hulpvraag:${hvId}`, (doc) =>
      docs.writeHulpvraagMeta(doc, {
        titel: input.titel,
        processId: def.value.id,
        omschrijving: input.omschrijving,
        labels: [...(input.labels ?? [])],
        coordinator: null,
        datum: input.datum ?? now.slice(0, 10),
        schoolId: id.organisationId,
        schoolNaam: id.chain.organisation.body.naam,
        aanvrager: id.userId,
        contactpersoon: this.nameOf(id.userId),
        email: id.email,
        aangemaaktOp: now,
      }),
    );
    if (!w.ok) return w;
    return ok(hvId);
  }

  /** The workflow's view of a hulpvraag; behandelaars come from its aanpak (003), so the process's BEHANDELAAR access and notifications reach them. */
  private contextFor(hvId: HulpvraagId, m: { schoolId: string; aanvrager: string; coordinator: string | null }, doc?: Y.Doc): HulpvraagContext {
    return {
      hulpvraagId: hvId,
      schoolId: asId<OrganisationId>(m.schoolId),
      aanvrager: asId<UserId>(m.aanvrager),
      coordinator: m.coordinator === null ? null : asId<UserId>(m.coordinator),
      behandelaars: doc ? [...new Set(docs.readAanpak(doc).map((a) => asId<UserId>(a.behandelaar)))] : [],
      betrokkenOrganisaties: [],
    };
  }

  /** Status is derived: verify every signed event (once), then fold with the process definition. */
  private async workflowOf(st: DossierState, hvId: HulpvraagId): Promise<Result<{ state: WorkflowState; meta: docs.HulpvraagMeta; rejected: { at: string; actor: string; reden: string }[]; verified: Map<string, boolean> }>> {
    const id = this.id;
    const d = st.docs.get(`hulpvraag:${hvId}`);
    const meta = d ? docs.readHulpvraagMeta(d.doc) : null;
    if (!id || !d || !meta) return fail('niet-beschikbaar', 'Deze hulpvraag is (nog) niet beschikbaar.');
    const def = processById(meta.processId);
    if (!def.ok) return def;
    const init = initialState(def.value, meta.titel, this.contextFor(hvId, meta, d.doc), DEFAULT_SWV_PROCESS_CONFIG);
    if (!init.ok) return init;
    const events = [];
    const rejected: { at: string; actor: string; reden: string }[] = [];
    const verified = new Map<string, boolean>();
    for (const item of docs.statusItems(d.doc)) {
      const key = signedItemKey(item);
      let ev = st.verifiedEvents.get(key);
      if (ev === undefined) {
        const r = await verifyStatusEvent(this.provider, item, hvId, id.roots);
        ev = r.ok ? r.value : null;
        st.verifiedEvents.set(key, ev);
        if (!r.ok) rejected.push({ at: '', actor: '', reden: r.error.message });
      }
      if (ev) {
        events.push(ev);
        verified.set(ev.id, true);
      }
    }
    const folded = foldStatusEvents(init.value, events);
    for (const r of folded.rejected) rejected.push({ at: r.event.at, actor: r.event.actor.userId, reden: r.error.message });
    return ok({ state: folded.state, meta, rejected, verified });
  }

  getHulpvraag(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<HulpvraagView> {
    // Synchronous view: uses events verified so far; unverified ones are checked by refreshViews().
    const st = this.dossiers.get(dossierId);
    const d = st?.docs.get(`hulpvraag:${hulpvraagId}`);
    const meta = d ? docs.readHulpvraagMeta(d.doc) : null;
    if (!st || !d || !meta) return fail('niet-beschikbaar', 'Deze hulpvraag is (nog) niet beschikbaar.');
    const def = processById(meta.processId);
    if (!def.ok) return def;
    const init = initialState(def.value, meta.titel, this.contextFor(hulpvraagId, meta, d.doc), DEFAULT_SWV_PROCESS_CONFIG);
    if (!init.ok) return init;
    const events = docs.statusItems(d.doc).flatMap((item) => {
      const ev = st.verifiedEvents.get(signedItemKey(item));
      return ev ? [ev] : [];
    });
    const folded = foldStatusEvents(init.value, events);
    const s = folded.state;
    const history: StatusHistoryEntry[] = s.history.map((h) => ({
      at: h.at,
      from: h.from,
      to: h.to,
      actor: h.by,
      actorNaam: this.nameOf(h.by),
      ...(h.omschrijving === undefined ? {} : { omschrijving: h.omschrijving }),
      geverifieerd: true,
    }));
    return ok({
      id: hulpvraagId,
      dossierId,
      titel: meta.titel,
      processId: meta.processId,
      omschrijving: meta.omschrijving,
      labels: meta.labels,
      coordinator: meta.coordinator === null ? null : asId<UserId>(meta.coordinator),
      status: s.status,
      statusLabel: s.status,
      history,
      rejected: folded.rejected.map((r) => ({ at: r.event.at, actor: r.event.actor.userId, reden: r.error.message })),
      bijlagen: docs.readBijlagen(d.doc),
      overlegronden: docs.readOverlegrondeIds(d.doc).map((x) => asId<OverlegrondeId>(x)),
      aangemaaktOp: meta.aangemaaktOp,
      tlv: s.tlv,
      school: { naam: meta.schoolNaam, aanvrager: asId<UserId>(meta.aanvrager), contactpersoon: meta.contactpersoon, email: meta.email },
      aanpak: aanpakViewOf(docs.readAanpak(d.doc), (u) => this.nameOf(u)),
    });
  }

  /** Verifies every not yet verified status event of one dossier's documents, or of all (async). */
  async refreshViews(dossierId?: DossierId): Promise<void> {
    const targets = dossierId === undefined ? [...this.dossiers.values()] : [this.dossiers.get(dossierId)].filter((st) => st !== undefined);
    for (const st of targets) await this.refreshViewsOf(st);
  }

  allowedTransitions(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<readonly TransitionOption[]> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const st = this.dossiers.get(dossierId);
    const view = this.getHulpvraag(dossierId, hulpvraagId);
    if (!view.ok || !st) return view.ok ? fail('dossier-onbekend', 'Onbekend dossier.') : view;
    if (!atLeast(this.myAccess(st, `hulpvraag:${hulpvraagId}`), 'write')) return ok([]);
    const stateR = this.currentState(st, hulpvraagId);
    if (!stateR.ok) return stateR;
    const actor: Actor = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
    return ok(availableTransitions(stateR.value, actor).map((t) => ({ to: t.to, label: t.to })));
  }

  private currentState(st: DossierState, hvId: HulpvraagId): Result<WorkflowState> {
    const d = st.docs.get(`hulpvraag:${hvId}`);
    const meta = d ? docs.readHulpvraagMeta(d.doc) : null;
    if (!d || !meta) return fail('niet-beschikbaar', 'Deze hulpvraag is (nog) niet beschikbaar.');
    const def = processById(meta.processId);
    if (!def.ok) return def;
    const init = initialState(def.value, meta.titel, this.contextFor(hvId, meta, d.doc), DEFAULT_SWV_PROCESS_CONFIG);
    if (!init.ok) return init;
    const events = docs.statusItems(d.doc).flatMap((item) => {
      const ev = st.verifiedEvents.get(signedItemKey(item));
      return ev ? [ev] : [];
    });
    return ok(foldStatusEvents(init.value, events).state);
  }

  async changeStatus(dossierId: DossierId, hulpvraagId: HulpvraagId, to: string, omschrijving?: string, extra?: { readonly tlv?: TlvAfgifte }): Promise<Result<string>> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const st = this.dossiers.get(dossierId);
    if (!st) return fail('dossier-onbekend', 'Onbekend dossier.');
    await this.workflowOf(st, hulpvraagId);
    const cur = this.currentState(st, hulpvraagId);
    if (!cur.ok) return cur;
    if (omschrijving) {
      const pii = this.checkNoPii(st, omschrijving);
      if (!pii.ok) return pii;
    }
    const event = {
      kind: 'status-change',
      id: asId<StatusEventId>(newId(this.provider)),
      at: this.now().toISOString(),
      from: cur.value.status,
      to,
      ...(omschrijving ? { omschrijving } : {}),
      ...(extra?.tlv ? { tlv: extra.tlv } : {}),
    } as StatusEvent;
    const actor: Actor = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
    const t = transition(cur.value, event, actor, this.now());
    if (!t.ok) return t;
    return this.appendEvent(st, hulpvraagId, event, t.value.effects, t.value.state.status);
  }

  private async appendEvent(
    st: DossierState,
    hulpvraagId: HulpvraagId,
    event: StatusEvent,
    effects: readonly import('../workflow/effects.js').WorkflowEffect[],
    newStatus: string,
  ): Promise<Result<string>> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const item = await signStatusEvent(this.provider, hulpvraagId, event, { secretKey: id.device.secretKey, chainBytes: id.publicChainBytes });
    st.verifiedEvents.set(signedItemKey(item), { ...event, actor: { userId: id.userId, organisationId: id.organisationId, roles: id.roles } });
    const w = await this.mutate(st, `hulpvraag:${hulpvraagId}`, (doc) => docs.pushStatusItem(doc, item));
    if (!w.ok) return w;
    await this.runEffects(st, hulpvraagId, effects);
    return ok(newStatus);
  }

  /**
   * The one path for workflow effects: access follows the status (reconciled by
   * an admin device), notifications go to the relay content-free, an ending
   * status closes the overlegronden.
   */
  private async runEffects(st: DossierState, hvId: HulpvraagId, effects: readonly import('../workflow/effects.js').WorkflowEffect[]): Promise<void> {
    const id = this.id;
    if (!id) return;
    const meta = st.docs.get(`hulpvraag:${hvId}`);
    const m = meta ? docs.readHulpvraagMeta(meta.doc) : null;
    if (!m) return;
    const ctx = this.contextFor(hvId, m, meta?.doc);
    const recipients = new Set<string>();
    for (const e of effects) {
      for (const u of notifyRecipients(e, ctx, id.swvId, this.certificates())) if (u !== id.userId) recipients.add(u);
      if (e.kind === 'close-overlegronden') {
        for (const o of docs.readOverlegrondeIds(meta?.doc ?? new Y.Doc())) {
          const scope: Scope = `overlegronde:${o}`;
          if (atLeast(this.myAccess(st, scope), 'write')) {
            await this.mutate(st, scope, (doc) => doc.getMap('meta').set('geslotenOp', e.at));
          }
        }
      }
    }
    await this.reconcile(st);
    this.notifyLater('status', roomOf(st.id, 'toegang'), [...recipients]);
  }

  /** Content-free notification, sent once the records it is about are acknowledged (the relay checks membership). */
  private notifyLater(kind: 'status' | 'mention' | 'overlegronde', room: string, users: readonly string[]): void {
    const list = [...new Set(users)].filter((u) => u !== this.id?.userId).slice(0, 50);
    if (list.length === 0 || !this.engine) return;
    const engine = this.engine;
    bg(
      (async () => {
        // Dropping the notification when one flush times out left other users unaware of new work
        // (they learn of a new dossier only through it): keep re-sending the outbox and try again.
        for (let attempt = 0; attempt < 8; attempt++) {
          if (this.engine !== engine) return;
          await engine.pump();
          const flushed = await engine.flush(15_000);
          if (!flushed.ok || !this.conn?.ready) continue;
          const sent = await this.conn.notify(kind, room, list);
          if (sent.ok || sent.error.code !== 'geen-verbinding') return;
        }
      })(),
    );
  }

  /** A removal that a concurrent access record undid (or the relay never took) is made again. */
  private async enforceRemovals(st: DossierState): Promise<void> {
    const gone = this.removed.get(st.id);
    if (!gone || !st.confirmed || (await this.store.pending(roomOf(st.id, 'toegang'))).length > 0) return;
    for (const userId of gone) {
      const still = st.confirmed.grants.some((g) => g.principal.kind === 'user' && g.principal.userId === userId);
      if (still) await this.revoke(st.id, userId, 'Toegang ingetrokken');
    }
  }

  /**
   * People who joined after a group grant was made (a new IB at the school, a
   * successor coördinator, a new FG) match it but hold no key box: an admin
   * device seals the current keys to them. Removed people are never newcomers:
   * their certificates stay among the recipients, and user grants are not groups.
   */
  private async shareKeysWithNewcomers(st: DossierState): Promise<void> {
    const id = this.id;
    if (!id || !st.access) return;
    const now = this.now().getTime();
    if (!isAdmin(st.access, { userId: id.userId, organisationId: id.organisationId, roles: id.roles }, now)) return;
    if ((await this.store.pending(roomOf(st.id, 'toegang'))).length > 0) return;
    const people = this.certificates();
    const newcomers = new Map<string, UserCertificate>();
    for (const g of st.access.grants) {
      if (g.principal.kind === 'user' || (g.expiresAt !== null && g.expiresAt <= now)) continue;
      for (const c of recipientsFor(g.principal, id.swvId, people)) {
        const hex = keyHex(c.body.agreementKey);
        if (!st.access.recipients.has(hex) && c.body.validUntil > now) newcomers.set(hex, c);
      }
    }
    if (newcomers.size === 0) return;
    const r = await this.submitAccess(st, st.id, 'grant', { grants: [], recipients: [...newcomers.values()], reason: 'Sleutels voor nieuwe collega’s' });
    if (r.ok) this.notifyLater('status', roomOf(st.id, 'toegang'), [...newcomers.values()].map((c) => c.body.user));
  }

  /** Admin devices bring the access list in line with the statuses of all hulpvragen. */
  private async reconcile(st: DossierState): Promise<void> {
    const id = this.id;
    if (!id || !st.access) return;
    const subject = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
    if (!isAdmin(st.access, subject, this.now().getTime())) return;
    const desired = [];
    const scopes = new Set<Scope>(['leerling']);
    for (const scope of st.docs.keys()) {
      if (scopeKind(scope) !== 'hulpvraag') continue;
      const hvId = asId<HulpvraagId>(scope.slice('hulpvraag:'.length));
      for (const k of ['hulpvraag', 'formulieren', 'lvs'] as const) scopes.add(`${k}:${hvId}`);
      await this.workflowOf(st, hvId);
      const state = this.currentState(st, hvId);
      if (!state.ok) continue;
      const sd = statusDefinition(state.value.definition, state.value.status);
      if (sd) desired.push(...desiredGrants(sd.access, state.value.context, id.swvId));
    }
    // Dossiers made before the FG's oversight grant existed get it here (never taken away: toegang is no hulpvraag scope).
    desired.push({ ...privacyOversight(id.swvId), addOnly: true });
    // Genesis grants of the owning school are not the workflow's to take away.
    const ownerKeys = new Set(st.access.grants.filter((g) => g.principal.kind === 'organisation' && g.principal.role !== undefined).map((g) => `${principalKey(g.principal)}|${g.scope}`));
    const diff = reconcileAccess(st.access, desired, scopes);
    const revokes = diff.revokes.filter((r) => !ownerKeys.has(`${principalKey(r.principal)}|${r.scope}`));
    if (diff.grants.length === 0 && revokes.length === 0) return;
    const people = this.certificates();
    const recipients = new Map<string, UserCertificate>();
    for (const g of diff.grants) for (const c of recipientsFor(g.principal, id.swvId, people)) recipients.set(keyHex(c.body.agreementKey), c);
    const r = await this.submitAccess(st, st.id, revokes.length > 0 ? 'revoke' : 'grant', {
      grants: diff.grants,
      revokes,
      recipients: [...recipients.values()],
      reason: 'Toegang volgt de status',
    });
    if (r.ok) {
      this.notifyLater('status', roomOf(st.id, 'toegang'), [...recipients.values()].map((c) => c.body.user));
    }
  }

  async updateHulpvraag(
    dossierId: DossierId,
    hulpvraagId: HulpvraagId,
    patch: { readonly omschrijving?: string; readonly labels?: readonly string[]; readonly coordinator?: UserId | null },
  ): Promise<Result<void>> {
    const st = this.dossiers.get(dossierId);
    if (!st) return fail('dossier-onbekend', 'Onbekend dossier.');
    const pii = this.checkNoPii(st, `${patch.omschrijving ?? ''} ${(patch.labels ?? []).join(' ')}`);
    if (!pii.ok) return pii;
    return this.mutate(st, `hulpvraag:${hulpvraagId}`, (doc) => {
      const m = doc.getMap('meta');
      if (patch.omschrijving !== undefined) m.set('omschrijving', patch.omschrijving);
      if (patch.labels !== undefined) m.set('labels', [...patch.labels]);
      if (patch.coordinator !== undefined) m.set('coordinator', patch.coordinator);
    });
  }

  async addBijlage(
    dossierId: DossierId,
    hulpvraagId: HulpvraagId,
    file: { readonly bestandsnaam: string; readonly mediaType: string; readonly bytes: Uint8Array },
  ): Promise<Result<BijlageMeta>> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const st = this.dossiers.get(dossierId);
    if (!st) return fail('dossier-onbekend', 'Onbekend dossier.');
    const scope: Scope = `hulpvraag:${hulpvraagId}`;
    if (!atLeast(this.myAccess(st, scope), 'write')) return fail('geen-schrijfrecht', 'U mag bij deze hulpvraag geen bijlagen toevoegen.');
    const sealed = await encryptAttachment(this.provider, file.bytes);
    if (!sealed.ok) return sealed;
    const hash = fromBase64Url(sealed.value.address);
    if (!hash.ok) return hash;
    // Kept locally first (sealed), uploaded when online; the relay checks the hash.
    await this.store.putChunks(sealed.value.address, dossierId, [sealed.value.ciphertext]);
    if (this.conn?.ready) {
      const put = await this.conn.blobPut(roomOf(dossierId, scope), hash.value, sealed.value.ciphertext);
      if (!put.ok) return put;
    } else {
      await this.store.putMeta(`blob-pending:${sealed.value.address}`, utf8Encode(roomOf(dossierId, scope)));
    }
    const meta: BijlageMeta & { sleutel: Uint8Array } = {
      id: asId<BijlageId>(newId(this.provider)),
      bestandsnaam: file.bestandsnaam,
      mediaType: file.mediaType,
      grootte: file.bytes.length,
      toegevoegdOp: this.now().toISOString(),
      toegevoegdDoor: id.userId,
      adres: sealed.value.address,
      sleutel: sealed.value.key,
    };
    const w = await this.mutate(st, scope, (doc) => docs.pushBijlage(doc, meta));
    if (!w.ok) return w;
    // A bijlage may move the status automatically (e.g. vragen gesteld → aangevuld).
    const cur = this.currentState(st, hulpvraagId);
    if (cur.ok) {
      const event: StatusEvent = { kind: 'bijlage-toegevoegd', id: asId<StatusEventId>(newId(this.provider)), at: this.now().toISOString(), bijlageId: meta.id };
      const t = transition(cur.value, event, { userId: id.userId, organisationId: id.organisationId, roles: id.roles }, this.now());
      if (t.ok && t.value.changed) await this.appendEvent(st, hulpvraagId, event, t.value.effects, t.value.state.status);
    }
    const { sleutel: _k, ...plain } = meta;
    return ok(plain);
  }

  async readBijlage(dossierId: DossierId, hulpvraagId: HulpvraagId, bijlageId: BijlageId): Promise<Result<Uint8Array>> {
    const d = this.doc(dossierId, `hulpvraag:${hulpvraagId}`);
    if (!d.ok) return d;
    const meta = docs.readBijlagen(d.value.doc).find((b) => b.id === bijlageId) as (BijlageMeta & { sleutel?: Uint8Array }) | undefined;
    if (!meta?.sleutel) return fail('bijlage-onbekend', 'Deze bijlage bestaat niet (meer).');
    let chunks = await this.store.getChunks(meta.adres);
    if (!chunks) {
      const hash = fromBase64Url(meta.adres);
      if (!hash.ok || !this.conn?.ready) return fail('offline', 'De bijlage is nog niet op dit apparaat en er is geen verbinding.');
      const got = await this.conn.blobGet(roomOf(dossierId, `hulpvraag:${hulpvraagId}`), hash.value);
      if (!got.ok) return got;
      chunks = [got.value];
      await this.store.putChunks(meta.adres, dossierId, chunks);
    }
    const all = chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks);
    return decryptAttachment(this.provider, all, meta.sleutel, meta.adres);
  }

  async listHulpvragen(): Promise<Result<readonly HulpvraagListItem[]>> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    await this.flushIndex();
    const out: HulpvraagListItem[] = [];
    for (const row of await this.store.listIndex()) {
      const opened = await openLocal(this.provider, id.localKey, 'index', row.bytes);
      if (!opened.ok) continue;
      try {
        out.push(JSON.parse(utf8Decode(opened.value)) as HulpvraagListItem);
      } catch {
        continue;
      }
    }
    return ok(out.sort((a, b) => b.gewijzigdOp.localeCompare(a.gewijzigdOp)));
  }

  private markDirty(d: DossierId): void {
    this.dirtyIndex.add(d);
    if (this.indexTimer === null && this.id) this.indexTimer = setTimeout(() => bg(this.flushIndex()), 200);
  }

  /** Writes the sealed list entries and the sealed document cache of changed dossiers. */
  private async flushIndex(): Promise<void> {
    if (this.indexTimer !== null) clearTimeout(this.indexTimer);
    this.indexTimer = null;
    const id = this.id;
    if (!id) return;
    const dirty = [...this.dirtyIndex];
    this.dirtyIndex.clear();
    for (const dossierId of dirty) {
      const st = this.dossiers.get(dossierId);
      if (!st) continue;
      await this.refreshViewsOf(st);
      const leerling = this.leerlingOf(st);
      for (const scope of st.docs.keys()) {
        if (scopeKind(scope) !== 'hulpvraag') continue;
        const hvId = asId<HulpvraagId>(scope.slice('hulpvraag:'.length));
        const v = this.getHulpvraag(dossierId, hvId);
        if (!v.ok) continue;
        const meta = docs.readHulpvraagMeta(st.docs.get(scope)?.doc ?? new Y.Doc());
        const item: HulpvraagListItem = {
          hulpvraagId: hvId,
          dossierId,
          titel: v.value.titel,
          status: v.value.status,
          statusLabel: v.value.statusLabel,
          leerlingNaam: leerling ? fullName(leerling) : null,
          school: meta?.schoolNaam ?? '',
          coordinator: v.value.coordinator ? this.nameOf(v.value.coordinator) : null,
          aangemaaktOp: v.value.aangemaaktOp,
          gewijzigdOp: v.value.history.at(-1)?.at ?? v.value.aangemaaktOp,
          labels: v.value.labels,
        };
        await this.store.putIndex({ id: hvId, dossier: dossierId, bytes: await sealLocal(this.provider, id.localKey, 'index', utf8Encode(JSON.stringify(item))) });
      }
      // Sealed local cache of each room's merged state: fast opening without replaying the log.
      for (const [scope, d] of st.docs) {
        const room = roomOf(dossierId, scope);
        const seq = await this.store.cursor(room);
        await this.store.putDocCache({ room, dossier: dossierId, seq, bytes: await sealLocal(this.provider, id.localKey, `doc:${room}`, d.state()) });
      }
    }
    if (dirty.length > 0) this.emit({ kind: 'index' });
  }

  private async refreshViewsOf(st: DossierState): Promise<void> {
    for (const scope of st.docs.keys()) {
      if (scopeKind(scope) === 'hulpvraag') await this.workflowOf(st, asId<HulpvraagId>(scope.slice('hulpvraag:'.length)));
      if (scopeKind(scope) === 'overlegronde') await this.verifyMessagesOf(st, asId<OverlegrondeId>(scope.slice('overlegronde:'.length)));
    }
  }

  /** Checks the signatures of the overlegronde's messages and edits not yet checked (the view reads the results). */
  private async verifyMessagesOf(st: DossierState, overlegrondeId: OverlegrondeId): Promise<void> {
    const d = st.docs.get(`overlegronde:${overlegrondeId}`);
    if (this.id && d) await verifyMessages(this.provider, overlegrondeId, d.doc, this.id.roots, st.verifiedMessages);
  }

  // ================= overlegronde, notities, forms, lvs =================

  async startOverlegronde(dossierId: DossierId, hulpvraagId: HulpvraagId, input: OverlegrondeInput): Promise<Result<OverlegrondeId>> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const st = this.dossiers.get(dossierId);
    if (!st?.access) return fail('dossier-onbekend', 'Onbekend dossier.');
    if (!isAdmin(st.access, { userId: id.userId, organisationId: id.organisationId, roles: id.roles }, this.now().getTime())) {
      return fail('geen-beheerder', 'Alleen een beheerder van het dossier kan een overlegronde starten.');
    }
    const einde = Date.parse(input.einddatum);
    if (Number.isNaN(einde) || einde <= this.now().getTime()) return fail('einddatum-ongeldig', 'Kies een einddatum in de toekomst.');
    if (einde - this.now().getTime() > 14 * 24 * 3600 * 1000) return fail('einddatum-ongeldig', 'Een overlegronde duurt hooguit 14 dagen.');
    const pii = this.checkNoPii(st, `${input.titel} ${input.omschrijving}`);
    if (!pii.ok) return pii;
    const orId = asId<OverlegrondeId>(newId(this.provider));
    const scope: Scope = `overlegronde:${orId}`;
    const participants = input.deelnemers.filter((u) => u !== id.userId);
    const people = this.certificates();
    const recipients = people.filter((c) => participants.includes(c.body.user));
    if (recipients.length !== participants.length) return fail('deelnemer-onbekend', 'Een of meer deelnemers zijn niet bekend in de ledenlijst.');
    // Participants see the overlegronde (until its einddatum) and read the hulpvraag, never the forms.
    const grants: GrantSpec[] = [
      { principal: { kind: 'user', userId: id.userId }, scope, right: 'write', expiresAt: null },
      ...participants.flatMap((u): GrantSpec[] => [
        { principal: { kind: 'user', userId: u }, scope, right: 'write', expiresAt: einde },
        { principal: { kind: 'user', userId: u }, scope: `hulpvraag:${hulpvraagId}`, right: 'read', expiresAt: einde },
      ]),
    ];
    const names: Record<string, string> = {};
    for (const u of participants) names[`user:${u}`] = this.nameOf(u);
    const acc = await this.submitAccess(st, dossierId, 'grant', { grants, recipients, reason: 'Overlegronde gestart', names });
    if (!acc.ok) return acc;
    const w = await this.mutate(st, scope, (doc) =>
      docs.writeOverlegrondeMeta(doc, {
        hulpvraagId,
        titel: input.titel,
        omschrijving: input.omschrijving,
        einddatum: new Date(einde).toISOString(),
        deelnemers: [id.userId, ...participants],
        aangemaaktDoor: id.userId,
        startdatum: this.now().toISOString(),
        geslotenOp: null,
      }),
    );
    if (!w.ok) return w;
    const h = await this.mutate(st, `hulpvraag:${hulpvraagId}`, (doc) => docs.pushOverlegrondeId(doc, orId));
    if (!h.ok) return h;
    this.notifyLater('overlegronde', roomOf(dossierId, 'toegang'), participants);
    return ok(orId);
  }

  getOverlegronde(dossierId: DossierId, overlegrondeId: OverlegrondeId): Result<OverlegrondeView> {
    const d = this.doc(dossierId, `overlegronde:${overlegrondeId}`);
    if (!d.ok) return d;
    const meta = docs.readOverlegrondeMeta(d.value.doc);
    if (!meta) return fail('niet-beschikbaar', 'De overlegronde is nog niet binnen.');
    const inRonde = new Set([meta.aangemaaktDoor, ...meta.deelnemers]);
    // Synchronous: messages whose signature is not checked yet show as unverified until refreshViews().
    const trust = messageTrust(overlegrondeId, d.value.st.verifiedMessages);
    const berichten: MessageView[] = docs.messageHistories(d.value.doc, trust).map((h) => messageViewOf(h, (u) => inRonde.has(u)));
    return ok({
      id: overlegrondeId,
      hulpvraagId: asId<HulpvraagId>(meta.hulpvraagId),
      titel: meta.titel,
      omschrijving: meta.omschrijving,
      einddatum: meta.einddatum,
      deelnemers: meta.deelnemers.map((x) => asId<UserId>(x)),
      berichten,
      gesloten: meta.geslotenOp !== null || Date.parse(meta.einddatum) <= this.now().getTime(),
    });
  }

  /** What posting and editing share: the ronde, its participants (for @mentions), the author's profile. */
  private messageContext(dossierId: DossierId, overlegrondeId: OverlegrondeId) {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const d = this.doc(dossierId, `overlegronde:${overlegrondeId}`);
    if (!d.ok) return d;
    const meta = docs.readOverlegrondeMeta(d.value.doc);
    if (!meta) return fail('niet-beschikbaar', 'De overlegronde is nog niet binnen.');
    const directory = this.directory();
    const people = directory.map((e) => ({ userId: e.userId, voornaam: e.profile.voornaam, achternaam: e.profile.achternaam }));
    const me = directory.find((e) => e.userId === id.userId);
    const author = {
      id: id.userId,
      voornaam: me?.profile.voornaam ?? '',
      achternaam: me?.profile.achternaam ?? '',
      functie: me?.profile.functie ?? '',
      organisatieNaam: me?.organisatieNaam ?? '',
    };
    return ok({ id, st: d.value.st, doc: d.value.doc, ronde: rondeOf(overlegrondeId, meta), participants: participantsOf(meta, people), author });
  }

  async postMessage(dossierId: DossierId, overlegrondeId: OverlegrondeId, titel: string, tekst: string): Promise<Result<MessageId>> {
    const c = this.messageContext(dossierId, overlegrondeId);
    if (!c.ok) return c;
    const { id, st, ronde, participants, author } = c.value;
    // Old-style @voornaam.achternaam handles are taken first; the rest resolves by name (core/messages).
    const t = takeHandles(titel, participants);
    const x = takeHandles(tekst, participants);
    const msgId = asId<MessageId>(newId(this.provider));
    const composed = composeMessage({ id: msgId, overlegronde: ronde, participants, author, titel: t.masked, tekst: x.masked, now: this.now() });
    if (!composed.ok) return composed;
    const pii = this.checkNoPii(st, `${titel} ${tekst}`);
    if (!pii.ok) return pii;
    const m = composed.value.message;
    const mentioned = [...new Set([...t.ids, ...x.ids, ...m.mentions])];
    const stored = await signMessage(
      this.provider,
      overlegrondeId,
      { id: msgId, auteur: id.userId, auteurNaam: this.nameOf(id.userId), titel: titel.trim(), tekst, mentions: mentioned, geplaatstOp: m.geplaatstOp, ondertekening: m.ondertekening },
      { secretKey: id.device.secretKey, chainBytes: id.publicChainBytes },
      st.verifiedMessages,
    );
    const w = await this.mutate(st, `overlegronde:${overlegrondeId}`, (doc) => docs.pushMessage(doc, stored));
    if (!w.ok) return w;
    this.notifyLater('mention', roomOf(dossierId, `overlegronde:${overlegrondeId}`), mentioned.filter((u) => u !== id.userId));
    return ok(msgId);
  }

  async editMessage(dossierId: DossierId, overlegrondeId: OverlegrondeId, messageId: MessageId, titel: string, tekst: string): Promise<Result<void>> {
    const c = this.messageContext(dossierId, overlegrondeId);
    if (!c.ok) return c;
    const { id, st, doc, ronde, participants } = c.value;
    await this.verifyMessagesOf(st, overlegrondeId);
    const history = docs.messageHistories(doc, messageTrust(overlegrondeId, st.verifiedMessages)).find((h) => h.message.id === messageId);
    if (!history) return fail('bericht-onbekend', 'Dit bericht bestaat niet (meer) in deze overlegronde.');
    const t = takeHandles(titel, participants);
    const x = takeHandles(tekst, participants);
    const edited = editCoreMessage({ message: coreMessageOf(history, overlegrondeId), overlegronde: ronde, participants, editor: id.userId, titel: t.masked, tekst: x.masked, now: this.now() });
    if (!edited.ok) return edited;
    // An unproven message (forged in someone's name, or from before messages were signed) is nobody's to edit.
    if (!history.geverifieerd) return fail('bericht-niet-te-verifieren', 'Van dit bericht is niet vast te stellen wie het schreef; het kan niet bewerkt worden.');
    const pii = this.checkNoPii(st, `${titel} ${tekst}`);
    if (!pii.ok) return pii;
    const mentioned = [...new Set([...t.ids, ...x.ids, ...edited.value.message.mentions])];
    const edit = await signEdit(
      this.provider,
      overlegrondeId,
      { id: newId(this.provider), messageId, auteur: id.userId, titel: titel.trim(), tekst, mentions: mentioned, bewerktOp: this.now().toISOString() },
      { secretKey: id.device.secretKey, chainBytes: id.publicChainBytes },
      st.verifiedMessages,
    );
    const w = await this.mutate(st, `overlegronde:${overlegrondeId}`, (d) => docs.pushEdit(d, edit));
    if (!w.ok) return w;
    // Only people this message did not mention before hear of it again.
    const before = new Set(history.versions.flatMap((v) => v.mentions));
    this.notifyLater('mention', roomOf(dossierId, `overlegronde:${overlegrondeId}`), mentioned.filter((u) => u !== id.userId && !before.has(u)));
    return ok(undefined);
  }

  getNotities(dossierId: DossierId): Result<string> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const st = this.dossiers.get(dossierId);
    const d = st?.docs.get(`notities:${id.userId}`);
    return ok(d ? docs.notitieText(d.doc).toString() : '');
  }

  async setNotities(dossierId: DossierId, tekst: string): Promise<Result<void>> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const st = this.dossiers.get(dossierId);
    if (!st?.access) return fail('dossier-onbekend', 'Onbekend dossier.');
    const scope: Scope = `notities:${id.userId}`;
    if (!st.access.scopes.has(scope)) {
      const r = await this.submitAccess(st, dossierId, 'grant', {
        grants: [{ principal: { kind: 'user', userId: id.userId }, scope, right: 'write', expiresAt: null }],
        reason: 'Mijn notities',
      });
      if (!r.ok) return r;
    }
    return this.mutate(st, scope, (doc) => {
      const t = docs.notitieText(doc);
      t.delete(0, t.length);
      t.insert(0, tekst);
    });
  }

  getForm(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<Readonly<Record<string, FormValue>>> {
    const d = this.doc(dossierId, `formulieren:${hulpvraagId}`);
    return d.ok ? ok(docs.readValues(d.value.doc)) : d;
  }

  async setFormValues(dossierId: DossierId, hulpvraagId: HulpvraagId, formulierId: FormulierId, values: Readonly<Record<string, FormValue>>): Promise<Result<void>> {
    const st = this.dossiers.get(dossierId);
    if (!st) return fail('dossier-onbekend', 'Onbekend dossier.');
    // The form the hulpvraag's titel attaches (core/forms): its fields and types decide what is stored.
    const def = FORM_DEFINITIONS.find((d) => d.id === formulierId);
    const hv = st.docs.get(`hulpvraag:${hulpvraagId}`);
    const meta = hv ? docs.readHulpvraagMeta(hv.doc) : null;
    if (!def || (meta && formForHulpvraagTitel(meta.titel)?.id !== def.id)) return fail('formulier-onbekend', 'Dit formulier hoort niet bij deze hulpvraag.');
    const saved = saveFormValues(def, values);
    if (!saved.ok) return saved;
    const vrij = allFields(def).filter((f) => fieldNeedsPrivacyCheck(f)).map((f) => saved.value.values[f.key]);
    const pii = this.checkNoPii(st, vrij.filter((v): v is string => typeof v === 'string').join('\n'));
    if (!pii.ok) return pii;
    const cleared = Object.keys(values).filter((k) => !(k in saved.value.values));
    return this.mutate(st, `formulieren:${hulpvraagId}`, (doc) => docs.writeValues(doc, saved.value.values, cleared));
  }

  async signForm(dossierId: DossierId, hulpvraagId: HulpvraagId, formulierId: FormulierId): Promise<Result<FormSignatureView>> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const d = this.doc(dossierId, `formulieren:${hulpvraagId}`);
    if (!d.ok) return d;
    const school = this.schoolOf(d.value.st, hulpvraagId);
    if (!id.roles.includes('bevoegd-gezag')) return fail('geen-bevoegd-gezag', 'Alleen het bevoegd gezag van de school kan dit formulier ondertekenen.');
    if (school !== null && school !== id.organisationId) return fail('verkeerde-ondertekenaar', 'U bent bevoegd gezag van een andere school dan die van deze hulpvraag.');
    const ref = { dossierId, hulpvraagId, formulierId };
    const signer = { chain: id.chain, deviceSecretKey: id.device.secretKey };
    const w = await signFormIn(this.provider, d.value.doc, ref, signer, this.now(), (fn) => this.mutate(d.value.st, `formulieren:${hulpvraagId}`, fn));
    if (!w.ok) return w;
    const v = await this.formSignature(dossierId, hulpvraagId, formulierId);
    if (!v.ok) return v;
    return v.value ? ok(v.value) : fail('niet-opgeslagen', 'De handtekening is niet opgeslagen.');
  }

  async formSignature(dossierId: DossierId, hulpvraagId: HulpvraagId, formulierId: FormulierId): Promise<Result<FormSignatureView | null>> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const d = this.doc(dossierId, `formulieren:${hulpvraagId}`);
    if (!d.ok) return d;
    return formSignatureIn(this.provider, d.value.doc, { dossierId, hulpvraagId, formulierId }, id.roots, this.schoolOf(d.value.st, hulpvraagId));
  }

  /** The school that owns a hulpvraag (from its meta, else the dossier's owner): the only bevoegd gezag that may sign its forms. */
  private schoolOf(st: DossierState, hulpvraagId: HulpvraagId): OrganisationId | null {
    const hv = st.docs.get(`hulpvraag:${hulpvraagId}`);
    const meta = hv ? docs.readHulpvraagMeta(hv.doc) : null;
    if (meta?.schoolId) return asId<OrganisationId>(meta.schoolId);
    return st.access ? st.access.owner : null;
  }

  async addAanpak(dossierId: DossierId, hulpvraagId: HulpvraagId, input: AanpakInput): Promise<Result<string>> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const st = this.dossiers.get(dossierId);
    if (!st?.access) return fail('dossier-onbekend', 'Onbekend dossier.');
    const me = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
    if (!isAdmin(st.access, me, this.now().getTime())) return fail('niet-toegestaan', 'Alleen de school die eigenaar is van het dossier kan een aanpak toevoegen.');
    const person = this.people.get(input.behandelaar);
    if (!person) return fail('persoon-onbekend', 'De behandelaar staat niet in de ledenlijst van het samenwerkingsverband.');
    const checked = checkAanpakInput(input, this.now());
    if (!checked.ok) return checked;
    const pii = this.checkNoPii(st, input.omschrijving);
    if (!pii.ok) return pii;
    const aanpakId = newId(this.provider);
    const scope: Scope = `hulpvraag:${hulpvraagId}`;
    const w = await this.mutate(st, scope, (doc) =>
      docs.pushAanpak(doc, {
        id: aanpakId,
        behandelaar: input.behandelaar,
        omschrijving: input.omschrijving,
        startdatum: input.startdatum,
        einddatum: input.einddatum ?? null,
        toegevoegdDoor: id.userId,
        toegevoegdOp: this.now().toISOString(),
      }),
    );
    if (!w.ok) return w;
    // Where the process gives behandelaars access (003), the one workflow path grants it; otherwise they
    // get to read this hulpvraag (until the aanpak's einddatum) so they can take it up.
    await this.reconcile(st);
    const subject = { userId: person.user.body.user, organisationId: person.user.body.organisation, roles: person.user.body.roles };
    if (!atLeast(st.access ? effectiveRight(st.access, subject, scope, this.now().getTime()) : null, 'read')) {
      const g = await this.submitAccess(st, dossierId, 'grant', {
        grants: [{ principal: { kind: 'user', userId: input.behandelaar }, scope, right: 'read', expiresAt: aanpakExpiry(input.einddatum) }],
        recipients: [person.user],
        reason: 'Aanpak: behandelaar',
        names: { [`user:${input.behandelaar}`]: this.nameOf(input.behandelaar) },
      });
      if (!g.ok) return g;
    }
    this.notifyLater('status', roomOf(dossierId, 'toegang'), [input.behandelaar]);
    return ok(aanpakId);
  }

  async staffChange(van: UserId, naar: UserId): Promise<Result<StaffChangeReport>> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    if (van === naar) return fail('zelfde-persoon', 'Kies als opvolger iemand anders dan de vertrekkende medewerker.');
    const from = this.people.get(van);
    const to = this.people.get(naar);
    if (!from || !to) return fail('persoon-onbekend', 'Vertrekkende medewerker en opvolger moeten allebei in de ledenlijst staan.');
    // A successor elsewhere would carry a school's dossiers to another organisation: that is a grant per dossier, on purpose.
    if (from.user.body.organisation !== to.user.body.organisation) {
      return fail('andere-organisatie', 'De opvolger werkt bij een andere organisatie. Geef toegang dan per dossier op het tabblad Toegang.');
    }
    const now = this.now().getTime();
    const me = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
    const successor = {
      subject: { userId: naar, organisationId: to.user.body.organisation, roles: to.user.body.roles },
      naam: this.nameOf(naar),
      email: to.email,
    };
    let hulpvragen = 0;
    let dossiers = 0;
    let nietBereikbaar = 0;
    for (const st of [...this.dossiers.values()]) {
      if (!st.access || !this.hasAnyAccess(st)) continue;
      const hvs = [...st.docs.entries()].flatMap(([scope, d]) => {
        if (scopeKind(scope) !== 'hulpvraag') return [];
        const meta = docs.readHulpvraagMeta(d.doc);
        if (!meta) return [];
        const hvId = asId<HulpvraagId>(scope.slice('hulpvraag:'.length));
        const state = this.currentState(st, hvId);
        return [{ id: hvId, meta, open: !state.ok || statusDefinition(state.value.definition, state.value.status)?.end !== true }];
      });
      const plan = planStaffChange(st.access, hvs, van, successor, now);
      if (plan.grants.length === 0 && plan.hulpvragen.length === 0) continue;
      let reached = false;
      let missed = false;
      if (plan.grants.length > 0) {
        if (isAdmin(st.access, me, now)) {
          const g = await this.submitAccess(st, st.id, 'grant', {
            grants: plan.grants,
            recipients: [to.user],
            reason: 'Wisseling van personeel',
            names: { [`user:${naar}`]: successor.naam },
          });
          if (g.ok) reached = true;
          else missed = true;
        } else missed = true;
      }
      for (const h of plan.hulpvragen) {
        // Schoolgegevens are the owning school's to change; the coördinator field anyone who may edit the hulpvraag.
        if (h.patch.aanvrager !== undefined && !isAdmin(st.access, me, now)) {
          missed = true;
          continue;
        }
        const w = await this.mutate(st, `hulpvraag:${h.id}`, (doc) => docs.writeHulpvraagMeta(doc, h.patch));
        if (w.ok) {
          hulpvragen++;
          reached = true;
        } else missed = true;
      }
      if (reached) {
        dossiers++;
        this.notifyLater('status', roomOf(st.id, 'toegang'), [naar]);
      }
      if (missed) nietBereikbaar++;
    }
    return ok({ hulpvragen, dossiers, nietBereikbaar });
  }

  getLvs(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<Readonly<Record<string, FormValue>>> {
    const d = this.doc(dossierId, `lvs:${hulpvraagId}`);
    return d.ok ? ok(docs.readValues(d.value.doc)) : d;
  }

  async setLvs(dossierId: DossierId, hulpvraagId: HulpvraagId, values: Readonly<Record<string, FormValue>>): Promise<Result<void>> {
    const st = this.dossiers.get(dossierId);
    if (!st) return fail('dossier-onbekend', 'Onbekend dossier.');
    const checked = checkLvsValues(values);
    if (!checked.ok) return checked;
    const vrij = LVS_FREE_TEXT_KEYS.map((k) => checked.value.set[k]).filter((v): v is string => typeof v === 'string');
    const pii = this.checkNoPii(st, vrij.join('\n'));
    if (!pii.ok) return pii;
    return this.mutate(st, `lvs:${hulpvraagId}`, (doc) => docs.writeValues(doc, checked.value.set, checked.value.cleared));
  }

  // ================= access =================

  async grant(dossierId: DossierId, input: GrantInput): Promise<Result<void>> {
    const id = this.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const st = this.dossiers.get(dossierId);
    if (!st?.access) return fail('dossier-onbekend', 'Onbekend dossier.');
    this.removed.get(dossierId)?.delete(input.userId);
    const person = this.people.get(input.userId);
    if (!person) return fail('persoon-onbekend', 'Deze persoon staat niet in de ledenlijst van het samenwerkingsverband.');
    const right = input.rights.includes('write') ? 'write' : 'read';
    const expiresAt = input.expiresAt === null ? null : Date.parse(input.expiresAt);
    if (expiresAt !== null && (Number.isNaN(expiresAt) || expiresAt <= this.now().getTime())) return fail('einddatum-ongeldig', 'De einddatum van de toegang moet in de toekomst liggen.');
    const grants: GrantSpec[] = input.scopes.map((scope) => ({ principal: { kind: 'user', userId: input.userId }, scope, right, expiresAt }));
    const r = await this.submitAccess(st, dossierId, 'grant', {
      grants,
      recipients: [person.user],
      ...(input.reden ? { reason: input.reden } : {}),
      names: { [`user:${input.userId}`]: this.nameOf(input.userId) },
    });
    if (!r.ok) return r;
    this.notifyLater('status', roomOf(dossierId, 'toegang'), [input.userId]);
    return ok(undefined);
  }

  async changeExpiry(dossierId: DossierId, userId: UserId, expiresAt: IsoDateTime | null): Promise<Result<void>> {
    const st = this.dossiers.get(dossierId);
    if (!st?.access) return fail('dossier-onbekend', 'Onbekend dossier.');
    const mine = st.access.grants.filter((g) => g.principal.kind === 'user' && g.principal.userId === userId);
    if (mine.length === 0) return fail('geen-toegang', 'Deze persoon heeft geen eigen toegang tot dit dossier.');
    const at = expiresAt === null ? null : Date.parse(expiresAt);
    if (at !== null && (Number.isNaN(at) || at <= this.now().getTime())) return fail('einddatum-ongeldig', 'Gebruik intrekken om toegang nu te beëindigen.');
    const person = this.people.get(userId);
    return this.submitAccess(st, dossierId, 'revoke', {
      revokes: mine.map((g) => ({ principal: g.principal, scope: g.scope })),
      grants: mine.map((g) => ({ principal: g.principal, scope: g.scope, right: g.right, expiresAt: at })),
      recipients: person ? [person.user] : [],
      reason: 'Einddatum gewijzigd',
    });
  }

  async revoke(dossierId: DossierId, userId: UserId, reden?: string): Promise<Result<void>> {
    const st = this.dossiers.get(dossierId);
    if (!st?.access) return fail('dossier-onbekend', 'Onbekend dossier.');
    const seen = new Set<string>();
    const revokes: RevokeSpec[] = [];
    for (const g of st.access.grants) {
      if (g.principal.kind !== 'user' || g.principal.userId !== userId) continue;
      const k = `${g.scope}`;
      if (seen.has(k)) continue;
      seen.add(k);
      revokes.push({ principal: g.principal, scope: g.scope });
    }
    if (revokes.length === 0) return fail('geen-toegang', 'Deze persoon heeft geen eigen toegang tot dit dossier.');
    // Revoking makes the key holders no longer all entitled: the builder rotates those scopes.
    this.removed.set(dossierId, new Set([...(this.removed.get(dossierId) ?? []), userId]));
    return this.submitAccess(st, dossierId, 'revoke', { revokes, reason: reden ?? 'Toegang ingetrokken' });
  }

  whoCanRead(dossierId: DossierId): Result<readonly ReaderEntry[]> {
    const st = this.dossiers.get(dossierId);
    if (!st?.access) return fail('dossier-onbekend', 'Onbekend dossier.');
    const byUser = new Map<string, { scopes: Scope[]; rights: Set<string>; until: number | null; organisation: string }>();
    for (const sr of listReaders(st.access, this.now())) {
      for (const r of sr.readers) {
        if (r.right === null) continue;
        const e = byUser.get(r.user) ?? { scopes: [], rights: new Set<string>(), until: null, organisation: r.organisation };
        e.scopes.push(sr.scope);
        e.rights.add(r.right === 'admin' ? 'write' : r.right);
        const u = r.until?.getTime() ?? null;
        e.until = e.until === null || u === null ? (e.until ?? u) : Math.max(e.until, u);
        byUser.set(r.user, e);
      }
    }
    return ok(
      [...byUser.entries()].map(([user, e]) => ({
        userId: asId<UserId>(user),
        naam: this.nameOf(user),
        organisatie: this.people.get(user as UserId)?.organisatieNaam ?? '',
        scopes: e.scopes,
        rights: [...e.rights] as ('read' | 'write')[],
        expiresAt: e.until === null ? null : new Date(e.until).toISOString(),
      })),
    );
  }

  accessLog(dossierId: DossierId): Result<readonly AccessLogEntry[]> {
    const st = this.dossiers.get(dossierId);
    if (!st?.access) return fail('dossier-onbekend', 'Onbekend dossier.');
    const actions: Record<AclRecordType, AccessLogEntry['action']> = {
      genesis: 'toegang-gegeven',
      grant: 'toegang-gegeven',
      revoke: 'toegang-ingetrokken',
      rotate: 'sleutel-vernieuwd',
      'device-revocation': 'toegang-ingetrokken',
    };
    const entries: AccessLogEntry[] = [
      ...st.access.records.map((r) => ({
        at: new Date(r.at).toISOString(),
        actor: r.signerUser,
        actorNaam: this.nameOf(r.signerUser),
        action: actions[r.type],
      })),
      ...st.accessEvents.map((e) => ({ at: new Date(e.at).toISOString(), actor: e.actor, actorNaam: this.nameOf(e.actor), action: e.action })),
    ];
    return ok(entries.sort((a, b) => a.at.localeCompare(b.at)));
  }

  // ================= drafts, awareness, sync =================

  async saveDraft(key: string, dossierId: DossierId | null, text: string): Promise<void> {
    const id = this.id;
    if (!id) throw new Error('Concept opslaan kan alleen ontgrendeld');
    await this.store.putDraft({ id: key, dossier: dossierId ?? '', updatedAt: this.now().getTime(), bytes: await sealLocal(this.provider, id.localKey, 'draft', utf8Encode(text)) });
  }

  async loadDraft(key: string): Promise<string | null> {
    const id = this.id;
    const row = await this.store.getDraft(key);
    if (!id || !row) return null;
    const opened = await openLocal(this.provider, id.localKey, 'draft', row.bytes);
    return opened.ok ? utf8Decode(opened.value) : null;
  }

  setAwareness(dossierId: DossierId, state: { readonly tab: string; readonly typing: boolean } | null): void {
    const id = this.id;
    const st = this.dossiers.get(dossierId);
    if (!id || !st) return;
    if (state === null) {
      removeAwarenessStates(st.awareness, [st.awareness.clientID], 'local');
    } else st.awareness.setLocalState({ userId: id.userId, naam: this.nameOf(id.userId), tab: state.tab, typing: state.typing });
    const update = encodeAwarenessUpdate(st.awareness, [st.awareness.clientID]);
    bg(this.engine?.sendAwareness(roomOf(dossierId, 'toegang'), update));
  }

  awareness(dossierId: DossierId): readonly AwarenessEntry[] {
    const st = this.dossiers.get(dossierId);
    if (!st) return [];
    const out: AwarenessEntry[] = [];
    for (const [clientId, s] of st.awareness.getStates()) {
      if (clientId === st.awareness.clientID) continue;
      const v = s as { userId?: unknown; naam?: unknown; tab?: unknown; typing?: unknown };
      if (typeof v.userId !== 'string' || typeof v.tab !== 'string') continue;
      out.push({ userId: asId<UserId>(v.userId), naam: this.nameOf(v.userId), tab: v.tab, typing: v.typing === true });
    }
    return out;
  }

  syncState(): SyncState {
    return {
      connected: this.engine?.connected ?? false,
      pending: this.engine?.pending ?? 0,
      quarantined: this.quarantineCount,
      lastError: this.lastError ?? this.engine?.lastError ?? null,
    };
  }

  /** Support view of the sync state: ids, counts and the step in progress; never content. */
  diagnostics(): Readonly<Record<string, unknown>> {
    return { ...(this.engine?.diagnostics() ?? { engine: null }), submitsWaiting: this.submits.length, tickStep: this.tickStep, ik: this.id ? { user: this.id.userId, organisation: this.id.organisationId, roles: this.id.roles } : null, dossiers: this.dossiers.size, lock: this.state };
  }

  async quarantined(): Promise<number> {
    return (await this.store.quarantined()).length;
  }

  async flush(timeoutMs = 10_000): Promise<Result<void>> {
    const s = await this.settle();
    if (!s.ok) return s;
    if (!this.engine) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    await this.engine.pump();
    return this.engine.flush(timeoutMs);
  }

  setOnline(online: boolean): void {
    this.online = online;
    this.engine?.setOnline(online);
  }

  setRelay(url: string): void {
    this.relayUrl = url;
    if (this.online) {
      this.engine?.setOnline(false);
      this.engine?.setOnline(true);
    }
  }

  /** Background tick: expiry purge, notifications, pending uploads, reconcile, rotations, snapshots. */
  async tick(): Promise<void> {
    const id = this.id;
    if (!id) return;
    const now = this.now();
    for (const st of [...this.dossiers.values()]) {
      if (st.access && !this.hasAnyAccess(st)) {
        this.emit({ kind: 'access-lost', dossierId: st.id });
        await this.purge(st.id);
      }
    }
    // Leftovers of dossiers this device no longer follows (e.g. a record that arrived during a purge).
    for (const d of await this.store.dossierIds()) {
      if (!this.dossiers.has(asId<DossierId>(d))) await this.purge(asId<DossierId>(d));
    }
    if (this.engine?.connected) {
      this.tickStep = 'outbox versturen';
      await this.engine.pump();
      this.tickStep = 'meldingen ophalen';
      await this.pullNotifications();
      this.tickStep = 'bijlagen uploaden';
      await this.uploadPendingBlobs();
      this.tickStep = 'aanmeldingen en ledenlijst';
      if (id.root) await this.processJoinRequests();
      else await this.refreshDirectory();
    }
    for (const st of this.dossiers.values()) {
      if (!st.access) continue;
      if (this.retries.has(st.id)) this.runRetries(st);
      // Rooms that waited for a key: the key may have come in between; fetch them again.
      for (const room of [...st.stalled]) {
        st.stalled.delete(room);
        this.tickStep = `${room} opnieuw ophalen`;
        await this.engine?.resync(room);
      }
      this.tickStep = 'verwijderingen en afstemming';
      await this.enforceRemovals(st);
      await this.reconcile(st);
      await this.shareKeysWithNewcomers(st);
      this.tickStep = 'sleutelrotatie';
      const subject = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
      if (isAdmin(st.access, subject, now.getTime())) {
        const access = st.access;
        await this.engine?.submitBuilt(roomOf(st.id, 'toegang'), 'acl', async (counter) => {
          const rot = await performDueRotations(this.provider, access, {
            signer: { chain: id.chain, deviceSecretKey: id.device.secretKey },
            keyring: st.keyring,
            now,
            counter,
          });
          if (!rot.ok) return fail(rot.error.code, rot.error.message);
          if (rot.value === null) return fail('niets-te-doen', 'Geen vernieuwing nodig.');
          const applied = await applyAccessRecord(this.provider, st.access, rot.value.envelope, id.roots, now);
          if (!applied.ok) return applied;
          st.access = applied.value;
          st.keyring = mergeKeyrings(st.keyring, rot.value.keyring);
          const { encodeEnvelope } = await import('../crypto/envelope.js');
          return ok(encodeEnvelope(rot.value.envelope));
        });
      }
      this.tickStep = 'momentopname';
      await this.maybeSnapshot(st);
    }
    this.tickStep = 'index';
    this.quarantineCount = (await this.store.quarantined()).length;
    await this.flushIndex();
    this.tickStep = 'klaar';
  }

  private async maybeSnapshot(st: DossierState): Promise<void> {
    if (!this.engine?.connected) return;
    for (const [scope, doc] of st.docs) {
      if (!atLeast(this.myAccess(st, scope), 'write')) continue;
      const room = roomOf(st.id, scope);
      const head = await this.store.cursor(room);
      const last = this.snapshots.get(room);
      if (head - (last?.seq ?? 0) < SNAPSHOT_THRESHOLD) continue;
      const r = await this.engine.postSnapshot(
        room,
        head,
        encodeSnapshotPayload(doc.state()),
        encodeSnapshotPublicPart({ prev: (last?.hash ?? null) as Uint8Array<ArrayBuffer> | null, coversSeq: head }),
      );
      if (r.ok) this.snapshots.set(room, { hash: null, seq: head });
    }
  }

  /** Forces a snapshot of every writable room of a dossier now (tests, benchmarks). */
  async snapshotNow(dossierId: DossierId): Promise<void> {
    const st = this.dossiers.get(dossierId);
    if (!st || !this.engine) return;
    for (const [scope, doc] of st.docs) {
      if (!atLeast(this.myAccess(st, scope), 'write')) continue;
      const room = roomOf(st.id, scope);
      const head = await this.store.cursor(room);
      const last = this.snapshots.get(room);
      await this.engine.postSnapshot(room, head, encodeSnapshotPayload(doc.state()), encodeSnapshotPublicPart({ prev: (last?.hash ?? null) as Uint8Array<ArrayBuffer> | null, coversSeq: head }));
    }
  }

  private async pullNotifications(): Promise<void> {
    if (!this.conn?.ready) return;
    await this.conn.pullNotifications();
  }

  /** Content-free notifications received this session (kind, room, time), newest last; kept for the UI and tests. */
  private readonly received: { readonly kind: string; readonly room: string; readonly at: number }[] = [];

  receivedNotifications(): readonly { readonly kind: string; readonly room: string; readonly at: number }[] {
    return [...this.received];
  }

  private async onNotifications(items: readonly { readonly kind: string; readonly room: string; readonly at: number }[]): Promise<void> {
    this.received.push(...items.map((i) => ({ kind: i.kind, room: i.room, at: i.at })));
    this.received.splice(0, Math.max(0, this.received.length - 200));
    for (const it of items) {
      const parsed = parseRoom(it.room);
      if (!parsed.ok || this.dossiers.has(parsed.value.dossier)) continue;
      this.dossierState(parsed.value.dossier);
      await this.engine?.watch(roomOf(parsed.value.dossier, 'toegang'));
    }
  }

  private async uploadPendingBlobs(): Promise<void> {
    if (!this.conn?.ready) return;
    const rows = await this.store.db.meta.where('key').startsWith('blob-pending:').toArray();
    for (const row of rows) {
      const address = row.key.slice('blob-pending:'.length);
      const chunks = await this.store.getChunks(address);
      const hash = fromBase64Url(address);
      if (!chunks || !hash.ok) continue;
      const put = await this.conn.blobPut(utf8Decode(row.bytes), hash.value, concat(chunks));
      if (put.ok) await this.store.db.meta.delete(row.key);
    }
  }

  /** Deletes everything this device holds for a dossier (access expired or revoked). */
  private async purge(dossierId: DossierId): Promise<void> {
    const st = this.dossiers.get(dossierId);
    if (st) {
      for (const scope of st.docs.keys()) this.engine?.unwatch(roomOf(dossierId, scope));
      for (const d of st.docs.values()) d.destroy();
      st.awareness.destroy();
    }
    this.engine?.unwatch(roomOf(dossierId, 'toegang'));
    this.dossiers.delete(dossierId);
    await this.store.purgeDossier(dossierId);
    this.emit({ kind: 'index' });
  }

  subscribe(listener: (change: ClientChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: ClientChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch {
        // A listener's bug must not break syncing.
      }
    }
  }

  // ---- test and demo hooks (not part of the UI contract) ----

  /** The raw local store, for privacy scans. */
  get localStore(): LocalStore {
    return this.store;
  }

  /** Whether this device currently holds any data of a dossier. */
  async holdsDossier(dossierId: DossierId): Promise<boolean> {
    return (await this.store.countDossierRows(dossierId)) > 0;
  }

  /** The merged state of one room, for convergence checks. */
  roomState(dossierId: DossierId, scope: Scope): Uint8Array | null {
    return this.dossiers.get(dossierId)?.docs.get(scope)?.state() ?? null;
  }

  /** Scopes of a dossier this device may read now and holds a document for. */
  readableScopes(dossierId: DossierId): Scope[] {
    const st = this.dossiers.get(dossierId);
    if (!st) return [];
    return [...st.docs.keys()].filter((s) => this.myAccess(st, s) !== null);
  }

  /** The folded access list as this device sees it (privacy checks in tests). */
  accessOf(dossierId: DossierId): DossierAccess | undefined {
    return this.dossiers.get(dossierId)?.access;
  }

  async savePublic(): Promise<void> {
    if (this.id) await savePublicState(this.provider, this.store, this.id);
  }
}

const fullName = (l: Pick<Leerling, 'voornaam' | 'tussenvoegsel' | 'achternaam'>): string =>
  [l.voornaam, l.tussenvoegsel, l.achternaam].filter((x) => x !== undefined && x !== '').join(' ');

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export type KindkluisClientImpl = Client;
export { handleOf };
