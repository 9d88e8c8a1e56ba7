/**
 * The web app's address of a briefing, for what links to it from outside the app (the
 * e-mail and Slack messages, with BOARDROOM_WEB_URL in front). The app's own addresses
 * are in src/web/urls.ts, which uses this one.
 */
export function briefingPath(companyId: string, date: string): string {
  return `/companies/${encodeURIComponent(companyId)}/briefings/${encodeURIComponent(date)}`;
}

/** BOARDROOM_WEB_URL's link to a briefing; undefined without a base. */
export function briefingLink(
  base: string | undefined,
  companyId: string,
  date: string,
): string | undefined {
  return base ? `${base.replace(/\/+$/, '')}${briefingPath(companyId, date)}` : undefined;
}
