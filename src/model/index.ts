export * from './analysis-flags.js';
export * from './evidence.js';
export * from './inventory.js';
export * from './node-kinds.js';
export * from './properties.js';
export * from './relationship-kinds.js';
export * from './run.js';
export * from './validate.js';
