import { round } from '../../shared/numbers.js';

/** Hours for a message, one decimal at most: "12.5h". */
export function formatHours(h: number): string {
  return `${round(h, 1)}h`;
}
