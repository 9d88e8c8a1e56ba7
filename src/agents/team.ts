export * from './team/index.js';
