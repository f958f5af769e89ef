// Builds this page's KindkluisPort: the core/client facade on the browser's
// IndexedDB, WebCrypto (noble where a curve is missing) and the configured relay.
// Every page and the background open the same database name: the store is
// built for several contexts of one device at once.
import type { KindkluisClient, WebSocketLike } from '../../core/client/api.js';
import { createKindkluisClient } from '../../core/client/client.js';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import type { KindkluisPort } from '../../core/client/port.js';
import { createClientBackend } from './client-backend.js';
import { relayUrl } from './settings.js';

export const DB_NAME = 'kindkluis';

export async function createClient(): Promise<KindkluisClient> {
  // The client seals local data with XChaCha20-Poly1305, which WebCrypto lacks: noble runs it.
  const provider = await createWebCryptoProvider(crypto.subtle, { xchachaFallback: true });
  return createKindkluisClient({
    indexedDb: { indexedDB, IDBKeyRange },
    dbName: DB_NAME,
    provider,
    webSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
    relayUrl: await relayUrl(),
  });
}

export async function createBackend(): Promise<KindkluisPort> {
  return createClientBackend(await createClient());
}
