/**
 * The team data operations and HR share: which files they read, the references
 * between them, and hours per person and week. The row schemas (people, capacity,
 * allocations, time off) are in the contract: src/contract/datasets/team.ts.
 */
export * from './datasets.js';
export * from './model.js';
export * from './load.js';
// The rows, for the code that imported them from here before they moved.
export {
  Allocation,
  CapacityRow,
  EMPLOYMENT_TYPES,
  Person,
  TIME_OFF_TYPES,
  TimeOff,
  teamShape,
  type TeamData,
} from '../../contract/datasets/team.js';
