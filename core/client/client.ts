// The Kindkluis client: the KindkluisClient of api.ts composed from the client-*.ts
// use cases, each bound to this instance's ClientCore. Signatures live once, in the
// interface; this file only says which function answers which method (issue 14:
// it was a class of one-line forwards). One instance per extension context.
import type { Argon2idParams } from '../crypto/keystore.js';
import type { DossierAccess } from '../access/dossier-access.js';
import type { Scope } from '../access/rooms.js';
import type { DossierId } from '../model/ids.js';
import { ok } from '../result.js';
import { openKindkluisDatabase } from '../store/database.js';
import { LocalStore } from '../store/local-store.js';
import type { ClientOptions, KindkluisClient } from './api.js';
import { handleOf } from './overlegronde-messages.js';
import { hasIdentity, resetRootPassphrase, savePublicState } from './identity.js';
import { ClientCore } from './client-core.js';
import { accessLog, changeExpiry, grant, revoke, whoCanRead } from './client-access.js';
import { servedLog } from './client-served-log.js';
import { checkVolgnummer } from './client-tlv-register.js';
import { linkOuder } from './client-ouders.js';
import { addBijlage, readBijlage } from './client-bijlagen.js';
import { exportDossier } from './client-export.js';
import { bewaarOverzicht, bewaartermijn, plaatsBewaarplicht } from './client-retention.js';
import { bewaarbeleidVan, stelBewaarbeleidIn } from './client-bewaarbeleid.js';
import { wachtendeSleutelvernieuwingen } from './client-key-renewal.js';
import { bezwaarTermijnen } from './client-termijnen.js';
import { tlvHerinneringen } from './client-tlv-herinnering.js';
import { geefToestemming, toestemmingStand } from './client-toestemming.js';
import { directory, organisations } from './client-directory.js';
import {
  closeDossier,
  createDossier,
  getLeerling,
  getNotities,
  listDossiers,
  openDossier,
  setNotities,
  updateLeerling,
} from './client-dossiers.js';
import { formSignature, formVoorinvulling, getForm, getLvs, setFormValues, setLvs, signForm } from './client-forms.js';
import { aanwezigVoorOvergang } from './client-vereisten.js';
import { openSignatureRequestsForMe, requestFormSignature, signatureRequest } from './client-signature-requests.js';
import {
  allowedTransitions,
  changeStatus,
  createDossierWithHulpvraag,
  createHulpvraag,
  getHulpvraag,
  updateHulpvraag,
} from './client-hulpvragen.js';
import { flushIndex, listHulpvragen, refreshViews } from './client-index.js';
import {
  approveJoin,
  createInvitation,
  createSwv,
  hasPendingJoin,
  inviteDevice,
  joinWithInvitation,
  listInvitations,
  processJoinRequests,
  withdrawInvitation,
} from './client-onboarding.js';
import { devices, revokeDevice } from './client-devices.js';
import { endPerson } from './client-user-ends.js';
import {
  editMessage,
  getOverlegronde,
  markeerAfgehandeld,
  overlegrondenStand,
  postMessage,
  startOverlegronde,
} from './client-overlegronde.js';
import { awareness, setAwareness } from './client-presence.js';
import { addAanpak, staffChange } from './client-staffing.js';
import { receivedNotifications, snapshotNow, tick } from './client-tick.js';
import {
  close,
  diagnostics,
  flush,
  lock,
  lockRoot,
  resetPassphrase,
  resumeSession,
  sessionToken,
  setOnline,
  setRelay,
  startSession,
  unlock,
  unlockRoot,
} from './client-session.js';
import { loadDraft, saveDraft } from './client-drafts.js';
import { unknownDossier } from './state/dossier-registry.js';

export { SNAPSHOT_THRESHOLD } from './client-tick.js';

/** Hooks for tests, the demo and the bench (privacy scans, convergence checks); not part of the UI contract. */
export interface ClientTestHooks {
  /** The shared state the use cases work on, for tests that must reach under the API (forgeries, held store calls). */
  readonly core: ClientCore;
  /** The raw local store, for privacy scans. */
  readonly localStore: LocalStore;
  /** Whether this device currently holds any data of a dossier. */
  holdsDossier(dossierId: DossierId): Promise<boolean>;
  /** The merged state of one room, for convergence checks. */
  roomState(dossierId: DossierId, scope: Scope): Uint8Array | null;
  /** Scopes of a dossier this device may read now and holds a document for. */
  readableScopes(dossierId: DossierId): Scope[];
  /** The folded access list as this device sees it (privacy checks in tests). */
  accessOf(dossierId: DossierId): DossierAccess | undefined;
  savePublic(): Promise<void>;
  /** Records kept aside because they failed verification. */
  quarantined(): Promise<number>;
  snapshotNow(dossierId: DossierId): Promise<void>;
  /** Content-free notifications received this session (kind, room, time), newest last. */
  receivedNotifications(): readonly { readonly kind: string; readonly room: string; readonly at: number }[];
}

/** The client as tests, the demo and the bench see it: the API plus the hooks. */
export type KindkluisClientImpl = KindkluisClient & ClientTestHooks;

/** `(core, ...args) => r` as `(...args) => r`: a use case bound to one client's core. */
type Bound<F> = F extends (c: ClientCore, ...args: infer A) => infer R ? (...args: A) => R : never;
type UseCase = (c: ClientCore, ...args: never[]) => unknown;

function bindCore<T extends Record<string, UseCase>>(c: ClientCore, useCases: T): { readonly [K in keyof T]: Bound<T[K]> } {
  return Object.fromEntries(
    Object.entries(useCases).map(([name, f]) => [
      name,
      (...args: unknown[]) => (f as (c: ClientCore, ...a: unknown[]) => unknown)(c, ...args),
    ]),
  ) as { readonly [K in keyof T]: Bound<T[K]> };
}

export async function createKindkluisClient(opts: ClientOptions & { readonly kdf?: Argon2idParams }): Promise<KindkluisClientImpl> {
  const db = await openKindkluisDatabase(opts.dbName, opts.indexedDb);
  const store = new LocalStore(db);
  const c = new ClientCore(opts, store, flushIndex);
  c.session.markLocked(await hasIdentity(store));
  const start = (id: Parameters<typeof startSession>[1], key: Uint8Array) => startSession(c, id, key);
  return {
    // Use cases whose name is the method's: each takes the core first.
    ...bindCore(c, {
      unlock,
      sessionToken,
      resumeSession,
      resetPassphrase,
      lock,
      close,
      unlockRoot,
      lockRoot,
      hasPendingJoin,
      devices,
      revokeDevice,
      endPerson,
      organisations,
      directory,
      createDossier,
      listDossiers,
      openDossier,
      closeDossier,
      getLeerling,
      updateLeerling,
      createHulpvraag,
      createDossierWithHulpvraag,
      getHulpvraag,
      refreshViews,
      allowedTransitions,
      changeStatus,
      checkVolgnummer,
      updateHulpvraag,
      addBijlage,
      readBijlage,
      listHulpvragen,
      startOverlegronde,
      getOverlegronde,
      overlegrondenStand,
      postMessage,
      markeerAfgehandeld,
      editMessage,
      getNotities,
      setNotities,
      getForm,
      formVoorinvulling,
      setFormValues,
      signForm,
      formSignature,
      requestFormSignature,
      signatureRequest,
      addAanpak,
      staffChange,
      getLvs,
      setLvs,
      grant,
      linkOuder,
      changeExpiry,
      revoke,
      whoCanRead,
      accessLog,
      servedLog,
      exportDossier,
      bewaartermijn,
      bezwaarTermijnen,
      tlvHerinneringen,
      geefToestemming,
      plaatsBewaarplicht,
      bewaarOverzicht,
      stelBewaarbeleidIn,
      wachtendeSleutelvernieuwingen,
      saveDraft,
      loadDraft,
      setAwareness,
      awareness,
      flush,
      setOnline,
      setRelay,
      diagnostics,
      snapshotNow,
      receivedNotifications,
    }),
    invitations: bindCore(c, { listInvitations }).listInvitations,
    openSignatureRequests: bindCore(c, { openSignatureRequestsForMe }).openSignatureRequestsForMe,

    lockState: () => c.session.state,
    me: () => c.me(),
    rootUnlocked: () => c.session.rootKey !== null,
    bewaarbeleid: () => bewaarbeleidVan(c),
    syncState: () => c.syncState(),
    subscribe: (listener) => {
      return c.listen(listener);
    },
    resetRootPassphrase: (code, nieuw) => resetRootPassphrase(c.provider, c.store, code, nieuw, c.opts.kdf),

    // Onboarding starts this client's session once it made the identity.
    createSwv: (input) => createSwv(c, start, input),
    joinWithInvitation: (code, passphrase, timeoutMs, onSas) => joinWithInvitation(c, start, code, passphrase, timeoutMs, onSas),
    // Beheer state changes one at a time: each loads, changes and saves it whole.
    createInvitation: (input) => c.serialBeheer(() => createInvitation(c, input)),
    processJoinRequests: () => c.serialBeheer(() => processJoinRequests(c)),
    approveJoin: (userId, sas) => c.serialBeheer(() => approveJoin(c, userId, sas)),
    withdrawInvitation: (userId) => c.serialBeheer(() => withdrawInvitation(c, userId)),
    inviteDevice: (userId) => c.serialBeheer(() => inviteDevice(c, userId)),

    postReactie: (dossierId, overlegrondeId, onderwerp, tekst) => postMessage(c, dossierId, overlegrondeId, '', tekst, onderwerp),
    presentForTransition: async (dossierId, hulpvraagId) => {
      const st = c.dossiers.get(dossierId);
      const v = getHulpvraag(c, dossierId, hulpvraagId);
      if (!st || !v.ok) return v.ok ? unknownDossier() : v;
      return ok(await aanwezigVoorOvergang(c, st, dossierId, hulpvraagId, v.value.titel));
    },
    toestemming: (dossierId, hulpvraagId, voor) => {
      const st = c.dossiers.get(dossierId);
      return st ? ok(toestemmingStand(c, st, hulpvraagId, voor)) : unknownDossier();
    },
    tick: () => {
      // Tracked, so close() lets a tick that a timer started finish its database calls.
      const running = tick(c);
      c.background(running);
      return running;
    },

    core: c,
    localStore: store,
    holdsDossier: async (dossierId) => (await store.countDossierRows(dossierId)) > 0,
    roomState: (dossierId, scope) => c.dossiers.get(dossierId)?.docs.get(scope)?.state() ?? null,
    readableScopes: (dossierId) => {
      const st = c.dossiers.get(dossierId);
      return st ? [...st.docs.keys()].filter((s) => c.myAccess(st, s) !== null) : [];
    },
    accessOf: (dossierId) => c.dossiers.get(dossierId)?.access,
    savePublic: async () => {
      if (c.id) await savePublicState(c.provider, c.store, c.id);
    },
    quarantined: async () => (await store.quarantined()).length,
  } satisfies KindkluisClientImpl;
}

export { handleOf };
