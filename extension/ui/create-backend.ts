// Builds this page's UiBackend: the core/client facade on the browser's
// IndexedDB, WebCrypto (noble fallback) and the configured relay.
import type { KindkluisClient } from '../../core/client/api.js';
import type { UiBackend } from './backend.js';
import { fail } from '../../core/result.js';

const GEEN = fail('niet-beschikbaar', 'De toepassingslaag van Kindkluis is in deze versie nog niet aangesloten.');

export async function createBackend(): Promise<UiBackend> {
  const never = async () => GEEN;
  return {
    session: async () => ({ kind: 'nieuw' }),
    subscribe: () => () => undefined,
    syncState: () => null,
    createSwv: never,
    join: never,
    unlock: never,
    lock: async () => undefined,
    listHulpvragen: never,
    meldingen: async () => [],
    markGelezen: async () => undefined,
    hulpvraagTitels: () => [],
    personen: () => [],
    createDossier: never,
    addHulpvraag: never,
    dossier: never,
    saveLeerling: never,
    saveHulpvraag: never,
    changeStatus: never,
    addBijlage: never,
    readBijlage: never,
    saveLvs: never,
    saveFormulier: never,
    signFormulier: never,
    exportFormulier: never,
    saveAanpak: never,
    createOverlegronde: never,
    postMessage: never,
    editMessage: never,
    saveNotitie: never,
    grant: never,
    changeExpiry: never,
    revoke: never,
    invite: never,
    processJoinRequests: never,
    staffChange: never,
    scanIndexedDb: async () => ({ opslagplaatsen: [], bytes: 0, treffers: [] }),
    saveDraft: async () => undefined,
    loadDraft: async () => null,
  };
}

/** The facade for the background; null while the application layer is not wired in. */
export async function createClient(): Promise<KindkluisClient | null> {
  return null;
}
