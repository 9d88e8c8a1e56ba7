export * from './sales/index.js';
