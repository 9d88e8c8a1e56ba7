export * from './marketing/index.js';
