// The Kindkluis client: implements the facade of api.ts on top of the sealed
// local store, the sync engine, the access list (core/access) and the
// workflow engine (core/workflow). One instance per extension context. The facade
// owns the session; each concept is a client-*.ts module working on the shared ClientCore.
import { utf8Decode, utf8Encode, fromBase64Url, toBase64Url } from '../crypto/bytes.js';
import { encodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import type { Argon2idParams } from '../crypto/keystore.js';
import type { DossierAccess } from '../access/dossier-access.js';
import { accessListRoomOf, type Scope } from '../access/rooms.js';
import type { IsoDateTime } from '../model/dates.js';
import { asId } from '../model/ids.js';
import type { BijlageId, DeviceId, DossierId, FormulierId, HulpvraagId, MessageId, OverlegrondeId, UserId } from '../model/ids.js';
import type { Leerling } from '../model/leerling.js';
import type { BijlageMeta, BijlageSoort } from '../model/hulpvraag.js';
import type { FormValue } from '../model/formulier.js';
import { ok, fail, type Result } from '../result.js';
import { openKindkluisDatabase } from '../store/database.js';
import { LocalStore } from '../store/local-store.js';
import { openLocal, sealLocal } from '../store/local-seal.js';
import { SyncEngine } from '../sync/sync-engine.js';
import { RelayConnection } from '../sync/relay-connection.js';
import { relayAddressAt } from '../sync/relay-addresses.js';
import type {
  AanpakInput,
  AccessLogEntry,
  BewaarOverzichtRegel,
  AwarenessEntry,
  ClientChange,
  ClientOptions,
  CreateSwvInput,
  DirectoryEntry,
  DossierExport,
  DossierSummary,
  FormSignatureView,
  GrantInput,
  HulpvraagInput,
  HulpvraagListItem,
  HulpvraagView,
  Invitation,
  InvitationStatus,
  InvitationInput,
  KindkluisClient,
  OrganisationEntry,
  LockState,
  Me,
  Onboarded,
  DeviceEntry,
  OverlegrondeInput,
  OverlegrondeView,
  ReaderEntry,
  StaffChangeOptions,
  StaffChangeReport,
  SyncState,
  TransitionOption,
} from './api.js';
import { handleOf } from './overlegronde-messages.js';
import { hasIdentity, loadIdentity, resetPassphrase, resumeIdentity, savePublicState, type Identity } from './identity.js';
import { accessLog, changeExpiry, grant, revoke, whoCanRead } from './client-access.js';
import { servedLog, type ServedLogView } from './client-served-log.js';
import { checkVolgnummer, type TlvInvoer, type VolgnummerStand } from './client-tlv-register.js';
import { linkOuder } from './client-ouders.js';
import { addBijlage, readBijlage } from './client-bijlagen.js';
import { exportDossier } from './client-export.js';
import { bewaarOverzicht, bewaartermijn, plaatsBewaarplicht, shredDue } from './client-retention.js';
import { bewaarbeleidVan, stelBewaarbeleidIn } from './client-bewaarbeleid.js';
import type { RetentionPolicy } from '../processes/retention.js';
import type { BewaarStand } from '../processes/retention.js';
import type { TermijnStand } from '../processes/bezwaar-tlv.js';
import { bezwaarTermijnen } from './client-termijnen.js';
import { tlvHerinneringen, type TlvHerinnering } from './client-tlv-herinnering.js';
import { geefToestemming, toestemmingStand, type ToestemmingStand, type ToestemmingVoor } from './client-toestemming.js';
import { ClientCore } from './client-core.js';
import { directory, loadDirectoryCache, organisations, refreshDirectory } from './client-directory.js';
import { discoverDossiers } from './client-discovery.js';
import { closeDossier, createDossier, getLeerling, getNotities, listDossiers, openDossier, setNotities, updateLeerling } from './client-dossiers.js';
import { formSignature, formVoorinvulling, getForm, getLvs, setFormValues, setLvs, signForm } from './client-forms.js';
import { aanwezigVoorOvergang } from './client-vereisten.js';
import type { AanwezigVoorOvergang } from '../workflow/vereisten.js';
import { openSignatureRequestsForMe, requestFormSignature, signatureRequest, type SignatureRequestView } from './client-signature-requests.js';
import { allowedTransitions, changeStatus, createHulpvraag, getHulpvraag, updateHulpvraag } from './client-hulpvragen.js';
import { flushIndex, listHulpvragen, refreshViews } from './client-index.js';
import { approveJoin, createInvitation, createSwv, hasPendingJoin, inviteDevice, joinWithInvitation, listInvitations, processJoinRequests, withdrawInvitation } from './client-onboarding.js';
import { resetRootPassphrase, unlockRootSlot } from './identity.js';
import { devices, onLockedOut, revokeDevice } from './client-devices.js';
import { endPerson } from './client-user-ends.js';
import { editMessage, getOverlegronde, markeerAfgehandeld, overlegrondenStand, postMessage, startOverlegronde } from './client-overlegronde.js';
import { awareness, receiveAwareness, setAwareness } from './client-presence.js';
import { stopGapTimers } from './client-gaps.js';
import { onRefused, onRoomError, receive, reseal, writeKey } from './client-receive.js';
import { loadDossier, purge } from './client-rooms.js';
import { addAanpak, staffChange } from './client-staffing.js';
import { onNotifications, pullNotifications, receivedNotifications, snapshotNow, tick } from './client-tick.js';

export { SNAPSHOT_THRESHOLD } from './client-tick.js';

export async function createKindkluisClient(opts: ClientOptions & { readonly kdf?: Argon2idParams }): Promise<KindkluisClient> {
  const db = await openKindkluisDatabase(opts.dbName, opts.indexedDb);
  const store = new LocalStore(db);
  const c = new Client(opts, store);
  c.state = (await hasIdentity(store)) ? 'vergrendeld' : 'geen-identiteit';
  return c;
}

class Client implements KindkluisClient {
  private readonly core: ClientCore;

  constructor(opts: ClientOptions & { readonly kdf?: Argon2idParams }, store: LocalStore) {
    this.core = new ClientCore(opts, store, flushIndex);
  }

  get state(): LockState {
    return this.core.state;
  }

  set state(s: LockState) {
    this.core.state = s;
  }

  // ================= session =================

  lockState(): LockState {
    return this.core.state;
  }

  me(): Me | null {
    return this.core.me();
  }

  async unlock(passphrase: string): Promise<Result<Me>> {
    const id = await loadIdentity(this.core.provider, this.core.store, passphrase);
    if (!id.ok) return id;
    await this.startSession(id.value.identity, id.value.sessionKey);
    const me = this.core.me();
    return me ? ok(me) : fail('geen-identiteit', 'Geen account op dit apparaat.');
  }

  sessionToken(): string | null {
    return this.core.sessionKey && this.core.id ? toBase64Url(this.core.sessionKey) : null;
  }

  async resumeSession(token: string): Promise<Result<Me>> {
    const key = fromBase64Url(token);
    if (!key.ok) return fail('sessie-ongeldig', 'De sessie is verlopen; ontgrendel Kindkluis opnieuw.');
    const id = await resumeIdentity(this.core.provider, this.core.store, key.value);
    if (!id.ok) return id.error.code === 'geen-identiteit' ? id : fail('sessie-ongeldig', 'De sessie is verlopen; ontgrendel Kindkluis opnieuw.');
    await this.startSession(id.value, key.value);
    const me = this.core.me();
    return me ? ok(me) : fail('geen-identiteit', 'Geen account op dit apparaat.');
  }

  async resetPassphrase(recoveryCode: string, newPassphrase: string): Promise<Result<Me>> {
    const reset = await resetPassphrase(this.core.provider, this.core.store, recoveryCode, newPassphrase, this.core.opts.kdf);
    if (!reset.ok) return reset;
    return this.unlock(newPassphrase);
  }

  async lock(): Promise<void> {
    await flushIndex(this.core);
    this.stopSession();
    this.core.state = (await hasIdentity(this.core.store)) ? 'vergrendeld' : 'geen-identiteit';
    this.core.emit({ kind: 'lock', state: this.core.state });
  }

  async close(): Promise<void> {
    await flushIndex(this.core).catch(() => undefined);
    await this.core.settle().catch(() => undefined);
    await this.core.retryChain;
    const engine = this.core.engine;
    this.stopSession();
    // Work already under way (a received batch, an ack, a resync, a notification) finishes its database
    // calls first: closing under it raised DatabaseClosedError. Nothing new starts once the engine stopped.
    await engine?.idle();
    await this.core.idle();
    this.core.store.close();
  }

  private stopSession(): void {
    this.core.rootKey?.secretKey.fill(0);
    this.core.rootKey = null;
    this.core.sessionKey?.fill(0);
    this.core.sessionKey = null;
    this.core.engine?.stop();
    this.core.engine = null;
    this.core.conn = null;
    if (this.core.indexTimer !== null) clearTimeout(this.core.indexTimer);
    this.core.indexTimer = null;
    for (const st of this.core.dossiers.values()) {
      stopGapTimers(st);
      for (const d of st.docs.values()) d.destroy();
      st.awareness.destroy();
    }
    this.core.dossiers.clear();
    this.core.people.clear();
    this.core.deviceCerts.clear();
    this.core.id = null;
  }

  private async startSession(id: Identity, sessionKey: Uint8Array): Promise<void> {
    this.stopSession();
    this.core.id = id;
    this.core.sessionKey = sessionKey;
    this.core.state = 'ontgrendeld';
    this.core.deviceCertValue = encodeCanonical({ b: id.chain.device.body as unknown as CanonicalValue, s: id.chain.device.signature });
    await loadDirectoryCache(this.core);
    // Every reconnect tries the next relay of the list, so a client whose relay went away moves on [P28].
    let attempt = 0;
    this.core.engine = new SyncEngine({
      store: this.core.store,
      provider: this.core.provider,
      device: { id: id.deviceId, secretKey: id.device.secretKey },
      connect: (events) => {
        const conn = new RelayConnection(
          relayAddressAt(this.core.relayUrl, attempt++),
          this.core.opts.webSocket,
          { provider: this.core.provider, chainBytes: id.publicChainBytes, deviceSecretKey: id.device.secretKey },
          {
            ...events,
            onReady: (limits) => {
              events.onReady(limits);
              this.core.background(this.afterConnect());
            },
            onNotifications: (items) => this.core.background(onNotifications(this.core, items)),
          },
        );
        this.core.conn = conn;
        return conn;
      },
      hooks: {
        writeKey: (room) => writeKey(this.core, room),
        receive: (room, records, snapshot) => receive(this.core, room, records, snapshot),
        awareness: (room, bytes) => this.core.background(receiveAwareness(this.core, room, bytes)),
        refused: (room, code, message, bytes) => onRefused(this.core, room, code, message, bytes),
        stateChanged: () => this.core.emit({ kind: 'sync', state: this.core.syncState() }),
        reseal: (room, bytes) => reseal(this.core, room, bytes),
        writeGate: (room) => accessListRoomOf(room),
        roomError: (room, code, _message, refusedSubscription) => this.core.background(onRoomError(this.core, room, code, refusedSubscription === true)),
        sessionRefused: (code) => this.core.background(onLockedOut(this.core, code)),
      },
      ...(this.core.opts.random === undefined ? {} : { random: this.core.opts.random }),
      now: this.core.now,
    });
    // Every dossier this device holds: fold the local log, purge what we lost.
    // Every dossier with any row here, also one created offline that only lives in the outbox.
    const dossierIds = new Set(await this.core.store.dossierIds());
    for (const d of dossierIds) if (d !== '') await loadDossier(this.core, asId<DossierId>(d));
    // Access that ended while this device was closed: delete the dossier's ciphertext and keys now.
    for (const st of [...this.core.dossiers.values()]) if (st.confirmed && !this.core.hasAnyAccess(st)) await purge(this.core, st.id);
    // A deletion moment that passed while this device was closed: its records and keys go before anything connects [R82].
    await shredDue(this.core);
    await this.core.engine.start();
    if (!this.core.online) this.core.engine.setOnline(false);
    this.core.emit({ kind: 'lock', state: this.core.state });
  }

  private async afterConnect(): Promise<void> {
    await refreshDirectory(this.core);
    await pullNotifications(this.core);
    await discoverDossiers(this.core);
    if (this.core.id?.beheert) await this.core.serialBeheer(() => processJoinRequests(this.core));
  }

  // ================= onboarding =================

  createSwv(input: CreateSwvInput): Promise<Result<Onboarded>> {
    return createSwv(this.core, (id, sessionKey) => this.startSession(id, sessionKey), input);
  }

  createInvitation(input: InvitationInput): Promise<Result<Invitation>> {
    return this.core.serialBeheer(() => createInvitation(this.core, input));
  }

  processJoinRequests(): Promise<Result<number>> {
    return this.core.serialBeheer(() => processJoinRequests(this.core));
  }

  joinWithInvitation(rawCode: string, passphrase: string, timeoutMs?: number, onSas?: (sas: string) => void): Promise<Result<Onboarded>> {
    return joinWithInvitation(this.core, (id, sessionKey) => this.startSession(id, sessionKey), rawCode, passphrase, timeoutMs, onSas);
  }

  hasPendingJoin(): Promise<boolean> {
    return hasPendingJoin(this.core);
  }

  invitations(): Promise<Result<readonly InvitationStatus[]>> {
    return listInvitations(this.core);
  }

  approveJoin(userId: UserId, sas: string): Promise<Result<void>> {
    return this.core.serialBeheer(() => approveJoin(this.core, userId, sas));
  }

  withdrawInvitation(userId: UserId): Promise<Result<void>> {
    return this.core.serialBeheer(() => withdrawInvitation(this.core, userId));
  }

  async unlockRoot(rootPassphrase: string): Promise<Result<void>> {
    const id = this.core.id;
    if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    const root = await unlockRootSlot(this.core.provider, this.core.store, rootPassphrase, id.roots.get(id.swvId));
    if (!root.ok) return root;
    this.core.rootKey = root.value;
    return ok(undefined);
  }

  async resetRootPassphrase(rootRecoveryCode: string, newRootPassphrase: string): Promise<Result<void>> {
    return resetRootPassphrase(this.core.provider, this.core.store, rootRecoveryCode, newRootPassphrase, this.core.opts.kdf);
  }

  lockRoot(): void {
    this.core.rootKey?.secretKey.fill(0);
    this.core.rootKey = null;
  }

  rootUnlocked(): boolean {
    return this.core.rootKey !== null;
  }

  inviteDevice(userId: UserId): Promise<Result<Invitation>> {
    return this.core.serialBeheer(() => inviteDevice(this.core, userId));
  }

  devices(): readonly DeviceEntry[] {
    return devices(this.core);
  }

  revokeDevice(deviceId: DeviceId): Promise<Result<{ readonly dossiers: number }>> {
    return revokeDevice(this.core, deviceId);
  }

  endPerson(userId: UserId, reason: 'uit-dienst' | 'rol-beeindigd'): Promise<Result<void>> {
    return endPerson(this.core, userId, reason);
  }

  organisations(): Promise<Result<readonly OrganisationEntry[]>> {
    return organisations(this.core);
  }

  directory(): readonly DirectoryEntry[] {
    return directory(this.core);
  }

  // ================= dossiers =================

  createDossier(leerling: Omit<Leerling, 'id'>): Promise<Result<DossierId>> {
    return createDossier(this.core, leerling);
  }

  listDossiers(): readonly DossierSummary[] {
    return listDossiers(this.core);
  }

  openDossier(dossierId: DossierId): Promise<Result<DossierSummary>> {
    return openDossier(this.core, dossierId);
  }

  closeDossier(dossierId: DossierId): void {
    return closeDossier(this.core, dossierId);
  }

  getLeerling(dossierId: DossierId): Result<Leerling> {
    return getLeerling(this.core, dossierId);
  }

  updateLeerling(dossierId: DossierId, patch: Partial<Omit<Leerling, 'id'>>): Promise<Result<void>> {
    return updateLeerling(this.core, dossierId, patch);
  }

  // ================= hulpvragen =================

  createHulpvraag(dossierId: DossierId, input: HulpvraagInput): Promise<Result<HulpvraagId>> {
    return createHulpvraag(this.core, dossierId, input);
  }

  getHulpvraag(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<HulpvraagView> {
    return getHulpvraag(this.core, dossierId, hulpvraagId);
  }

  refreshViews(dossierId?: DossierId): Promise<void> {
    return refreshViews(this.core, dossierId);
  }

  allowedTransitions(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<readonly TransitionOption[]> {
    return allowedTransitions(this.core, dossierId, hulpvraagId);
  }

  async presentForTransition(dossierId: DossierId, hulpvraagId: HulpvraagId): Promise<Result<AanwezigVoorOvergang>> {
    const st = this.core.dossiers.get(dossierId);
    const v = getHulpvraag(this.core, dossierId, hulpvraagId);
    if (!st || !v.ok) return v.ok ? fail('dossier-onbekend', 'Onbekend dossier.') : v;
    return ok(await aanwezigVoorOvergang(this.core, st, dossierId, hulpvraagId, v.value.titel));
  }

  changeStatus(dossierId: DossierId, hulpvraagId: HulpvraagId, to: string, omschrijving?: string, extra?: { readonly tlv?: TlvInvoer }): Promise<Result<string>> {
    return changeStatus(this.core, dossierId, hulpvraagId, to, omschrijving, extra);
  }
  checkVolgnummer(dossierId: DossierId, hulpvraagId: HulpvraagId): Promise<Result<VolgnummerStand>> {
    return checkVolgnummer(this.core, dossierId, hulpvraagId);
  }

  updateHulpvraag(dossierId: DossierId, hulpvraagId: HulpvraagId, patch: Parameters<KindkluisClient['updateHulpvraag']>[2]): Promise<Result<void>> {
    return updateHulpvraag(this.core, dossierId, hulpvraagId, patch);
  }

  addBijlage(dossierId: DossierId, hulpvraagId: HulpvraagId, file: { readonly bestandsnaam: string; readonly mediaType: string; readonly bytes: Uint8Array; readonly soort?: BijlageSoort }): Promise<Result<BijlageMeta>> {
    return addBijlage(this.core, dossierId, hulpvraagId, file);
  }

  readBijlage(dossierId: DossierId, hulpvraagId: HulpvraagId, bijlageId: BijlageId): Promise<Result<Uint8Array>> {
    return readBijlage(this.core, dossierId, hulpvraagId, bijlageId);
  }

  listHulpvragen(): Promise<Result<readonly HulpvraagListItem[]>> {
    return listHulpvragen(this.core);
  }

  // ================= overlegronde, notities, forms, lvs =================

  startOverlegronde(dossierId: DossierId, hulpvraagId: HulpvraagId, input: OverlegrondeInput): Promise<Result<OverlegrondeId>> {
    return startOverlegronde(this.core, dossierId, hulpvraagId, input);
  }

  getOverlegronde(dossierId: DossierId, overlegrondeId: OverlegrondeId): Result<OverlegrondeView> {
    return getOverlegronde(this.core, dossierId, overlegrondeId);
  }
  overlegrondenStand(dossierId: DossierId): Result<{ readonly lopend: number; readonly advies: string | null }> {
    return overlegrondenStand(this.core, dossierId);
  }

  postMessage(dossierId: DossierId, overlegrondeId: OverlegrondeId, titel: string, tekst: string, antwoordOp?: MessageId): Promise<Result<MessageId>> {
    return postMessage(this.core, dossierId, overlegrondeId, titel, tekst, antwoordOp);
  }

  postReactie(dossierId: DossierId, overlegrondeId: OverlegrondeId, onderwerp: MessageId, tekst: string): Promise<Result<MessageId>> {
    return postMessage(this.core, dossierId, overlegrondeId, '', tekst, onderwerp);
  }

  markeerAfgehandeld(dossierId: DossierId, overlegrondeId: OverlegrondeId, onderwerp: MessageId, afgehandeld: boolean): Promise<Result<void>> {
    return markeerAfgehandeld(this.core, dossierId, overlegrondeId, onderwerp, afgehandeld);
  }

  editMessage(dossierId: DossierId, overlegrondeId: OverlegrondeId, messageId: MessageId, titel: string, tekst: string): Promise<Result<void>> {
    return editMessage(this.core, dossierId, overlegrondeId, messageId, titel, tekst);
  }

  getNotities(dossierId: DossierId): Result<string> {
    return getNotities(this.core, dossierId);
  }

  setNotities(dossierId: DossierId, tekst: string): Promise<Result<void>> {
    return setNotities(this.core, dossierId, tekst);
  }

  getForm(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<Readonly<Record<string, FormValue>>> {
    return getForm(this.core, dossierId, hulpvraagId);
  }
  formVoorinvulling(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<Readonly<Record<string, FormValue>>> {
    return formVoorinvulling(this.core, dossierId, hulpvraagId);
  }

  setFormValues(dossierId: DossierId, hulpvraagId: HulpvraagId, formulierId: FormulierId, values: Readonly<Record<string, FormValue>>): Promise<Result<void>> {
    return setFormValues(this.core, dossierId, hulpvraagId, formulierId, values);
  }

  signForm(dossierId: DossierId, hulpvraagId: HulpvraagId, formulierId: FormulierId): Promise<Result<FormSignatureView>> {
    return signForm(this.core, dossierId, hulpvraagId, formulierId);
  }

  formSignature(dossierId: DossierId, hulpvraagId: HulpvraagId, formulierId: FormulierId): Promise<Result<FormSignatureView | null>> {
    return formSignature(this.core, dossierId, hulpvraagId, formulierId);
  }

  requestFormSignature(dossierId: DossierId, hulpvraagId: HulpvraagId, formulierId: FormulierId): Promise<Result<SignatureRequestView>> {
    return requestFormSignature(this.core, dossierId, hulpvraagId, formulierId);
  }

  signatureRequest(dossierId: DossierId, hulpvraagId: HulpvraagId, formulierId: FormulierId): Promise<Result<SignatureRequestView | null>> {
    return signatureRequest(this.core, dossierId, hulpvraagId, formulierId);
  }

  openSignatureRequests(): Promise<SignatureRequestView[]> {
    return openSignatureRequestsForMe(this.core);
  }

  addAanpak(dossierId: DossierId, hulpvraagId: HulpvraagId, input: AanpakInput): Promise<Result<string>> {
    return addAanpak(this.core, dossierId, hulpvraagId, input);
  }

  staffChange(van: UserId, naar: UserId, options?: StaffChangeOptions): Promise<Result<StaffChangeReport>> {
    return staffChange(this.core, van, naar, options);
  }

  getLvs(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<Readonly<Record<string, FormValue>>> {
    return getLvs(this.core, dossierId, hulpvraagId);
  }

  setLvs(dossierId: DossierId, hulpvraagId: HulpvraagId, values: Readonly<Record<string, FormValue>>): Promise<Result<void>> {
    return setLvs(this.core, dossierId, hulpvraagId, values);
  }

  // ================= access =================

  grant(dossierId: DossierId, input: GrantInput): Promise<Result<void>> {
    return grant(this.core, dossierId, input);
  }

  linkOuder(dossierId: DossierId, userId: UserId): Promise<Result<void>> {
    return linkOuder(this.core, dossierId, userId);
  }

  changeExpiry(dossierId: DossierId, userId: UserId, expiresAt: IsoDateTime | null): Promise<Result<void>> {
    return changeExpiry(this.core, dossierId, userId, expiresAt);
  }

  revoke(dossierId: DossierId, userId: UserId, reden?: string): Promise<Result<void>> {
    return revoke(this.core, dossierId, userId, reden);
  }

  whoCanRead(dossierId: DossierId): Result<readonly ReaderEntry[]> {
    return whoCanRead(this.core, dossierId);
  }

  accessLog(dossierId: DossierId): Result<readonly AccessLogEntry[]> {
    return accessLog(this.core, dossierId);
  }

  servedLog(dossierId: DossierId): Promise<Result<ServedLogView>> {
    return servedLog(this.core, dossierId);
  }

  exportDossier(dossierId: DossierId, soort: 'inzage' | 'lbt' = 'inzage'): Promise<Result<DossierExport>> {
    return exportDossier(this.core, dossierId, soort);
  }

  bewaartermijn(dossierId: DossierId): Result<BewaarStand> {
    return bewaartermijn(this.core, dossierId);
  }

  bezwaarTermijnen(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<readonly TermijnStand[]> {
    return bezwaarTermijnen(this.core, dossierId, hulpvraagId);
  }
  tlvHerinneringen(): readonly TlvHerinnering[] {
    return tlvHerinneringen(this.core);
  }
  geefToestemming(dossierId: DossierId, hulpvraagId: HulpvraagId, voor: ToestemmingVoor, gegeven: boolean): Promise<Result<void>> {
    return geefToestemming(this.core, dossierId, hulpvraagId, voor, gegeven);
  }
  toestemming(dossierId: DossierId, hulpvraagId: HulpvraagId, voor: ToestemmingVoor): Result<ToestemmingStand> {
    const st = this.core.dossiers.get(dossierId);
    if (!st) return fail('dossier-onbekend', 'Onbekend dossier.');
    return ok(toestemmingStand(this.core, st, hulpvraagId, voor));
  }

  plaatsBewaarplicht(dossierId: DossierId, input: { readonly reden: string; readonly tot: string }): Promise<Result<void>> {
    return plaatsBewaarplicht(this.core, dossierId, input);
  }

  bewaarbeleid(): RetentionPolicy {
    return bewaarbeleidVan(this.core);
  }

  stelBewaarbeleidIn(beleid: RetentionPolicy): Promise<Result<RetentionPolicy>> {
    return stelBewaarbeleidIn(this.core, beleid);
  }

  bewaarOverzicht(): readonly BewaarOverzichtRegel[] {
    return bewaarOverzicht(this.core);
  }

  // ================= drafts, awareness, sync =================

  async saveDraft(key: string, dossierId: DossierId | null, text: string): Promise<void> {
    const id = this.core.id;
    if (!id) throw new Error('Concept opslaan kan alleen ontgrendeld');
    await this.core.store.putDraft({ id: key, dossier: dossierId ?? '', updatedAt: this.core.now().getTime(), bytes: await sealLocal(this.core.provider, id.localKey, 'draft', utf8Encode(text)) });
  }

  async loadDraft(key: string): Promise<string | null> {
    const id = this.core.id;
    const row = await this.core.store.getDraft(key);
    if (!id || !row) return null;
    const opened = await openLocal(this.core.provider, id.localKey, 'draft', row.bytes);
    return opened.ok ? utf8Decode(opened.value) : null;
  }

  setAwareness(dossierId: DossierId, state: { readonly tab: string; readonly typing: boolean } | null): void {
    return setAwareness(this.core, dossierId, state);
  }

  awareness(dossierId: DossierId): readonly AwarenessEntry[] {
    return awareness(this.core, dossierId);
  }

  syncState(): SyncState {
    return this.core.syncState();
  }

  /** Support view of the sync state: ids, counts and the step in progress; never content. */
  diagnostics(): Readonly<Record<string, unknown>> {
    return { ...(this.core.engine?.diagnostics() ?? { engine: null }), submitsWaiting: this.core.submits.length, tickStep: this.core.tickStep, ik: this.core.id ? { user: this.core.id.userId, organisation: this.core.id.organisationId, roles: this.core.id.roles } : null, dossiers: this.core.dossiers.size, lock: this.core.state };
  }

  async quarantined(): Promise<number> {
    return (await this.core.store.quarantined()).length;
  }

  async flush(timeoutMs = 10_000): Promise<Result<void>> {
    const s = await this.core.settle();
    if (!s.ok) return s;
    if (!this.core.engine) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
    await this.core.engine.pump();
    return this.core.engine.flush(timeoutMs);
  }

  setOnline(online: boolean): void {
    this.core.online = online;
    this.core.engine?.setOnline(online);
  }

  setRelay(url: string): void {
    this.core.relayUrl = url;
    if (this.core.online) {
      this.core.engine?.setOnline(false);
      this.core.engine?.setOnline(true);
    }
  }

  tick(): Promise<void> {
    // Tracked, so close() lets a tick that a timer started finish its database calls.
    const running = tick(this.core);
    this.core.background(running);
    return running;
  }

  snapshotNow(dossierId: DossierId): Promise<void> {
    return snapshotNow(this.core, dossierId);
  }

  receivedNotifications(): readonly { readonly kind: string; readonly room: string; readonly at: number }[] {
    return receivedNotifications(this.core);
  }

  subscribe(listener: (change: ClientChange) => void): () => void {
    this.core.listeners.add(listener);
    return () => this.core.listeners.delete(listener);
  }

  // ---- test and demo hooks (not part of the UI contract) ----

  /** The raw local store, for privacy scans. */
  get localStore(): LocalStore {
    return this.core.store;
  }

  /** Whether this device currently holds any data of a dossier. */
  async holdsDossier(dossierId: DossierId): Promise<boolean> {
    return (await this.core.store.countDossierRows(dossierId)) > 0;
  }

  /** The merged state of one room, for convergence checks. */
  roomState(dossierId: DossierId, scope: Scope): Uint8Array | null {
    return this.core.dossiers.get(dossierId)?.docs.get(scope)?.state() ?? null;
  }

  /** Scopes of a dossier this device may read now and holds a document for. */
  readableScopes(dossierId: DossierId): Scope[] {
    const st = this.core.dossiers.get(dossierId);
    if (!st) return [];
    return [...st.docs.keys()].filter((s) => this.core.myAccess(st, s) !== null);
  }

  /** The folded access list as this device sees it (privacy checks in tests). */
  accessOf(dossierId: DossierId): DossierAccess | undefined {
    return this.core.dossiers.get(dossierId)?.access;
  }

  async savePublic(): Promise<void> {
    if (this.core.id) await savePublicState(this.core.provider, this.core.store, this.core.id);
  }
}

export type KindkluisClientImpl = Client;
export { handleOf };
