export * from './finance/index.js';
