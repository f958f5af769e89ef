// Public surface of core/access: import from here rather than from the files.
export * from './roles.js';
export * from './rooms.js';
export * from './signing.js';
export * from './certificate.js';
export * from './device-chain.js';
export * from './principal.js';
export * from './key-box.js';
export * from './acl-record.js';
export * from './dossier-access.js';
export * from './apply-record.js';
export * from './check-access.js';
export * from './keyring.js';
export * from './build-record.js';
export * from './genesis.js';
export * from './rotation.js';
export * from './readers.js';
export * from './form-signature.js';
