// Entry bundled into an extension page by store-conformance.test.ts: the store
// conformance suite of core/store with the noble crypto provider.
export { runStoreConformance, STORE_CONFORMANCE_CHECKS } from '../store/store-conformance.js';
export { nobleProvider } from '../../core/crypto/noble-provider.js';
