export * from './customer-success/index.js';
