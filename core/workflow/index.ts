// The workflow engine's public surface.
export * from './definition.js';
export * from './effects.js';
export * from './selector.js';
export * from './state.js';
export * from './engine.js';
export * from './fold.js';
export * from './available.js';
export * from './actor-role.js';
export * from './staff-change.js';
export * from './tlv.js';
export * from './school-year.js';
export * from './vereisten.js';
