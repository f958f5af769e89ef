// Public surface of core/crypto: import from here rather than from the files.
export * from './provider.js';
export * from './bytes.js';
export * from './canonical.js';
export * from './device-id.js';
export { nobleProvider } from './noble-provider.js';
export * from './binary.js';
export * from './envelope.js';
export * from './webcrypto-provider.js';
export * from './keystore.js';
export * from './attachment.js';
export * from './envelope-batch.js';
export * from './envelope-chain.js';
export * from './aead-choice.js';
export * from './preferred-provider.js';
export * from './key-cache.js';
export * from './map-concurrent.js';
