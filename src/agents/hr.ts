export * from './hr/index.js';
