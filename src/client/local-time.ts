import { calendarDate } from '../shared/time-zone.js';

/** `2025-03-11 07:00 (America/New_York)`: an instant as a person in `timeZone` reads it. */
export function localTime(at: Date, timeZone: string): string {
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  return `${calendarDate(at, timeZone)} ${time} (${timeZone})`;
}
