// The environment-aware authorizer lives in authorizer/; this module is its public entry point.
export * from './authorizer/index.js';
