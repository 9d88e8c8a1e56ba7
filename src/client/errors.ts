/** Nothing to show (no briefing, no schedule): the message says how to make one. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
