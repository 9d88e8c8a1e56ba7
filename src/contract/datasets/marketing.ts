/**
 * The marketing datasets: campaigns and content by month and channel (campaigns.csv,
 * content.csv, or a CRM connector).
 */

/**
 * A channel name as it appears in metric keys (`leads.paid_search`): lower case, every
 * run of other characters than a-z and 0-9 turned into `_` ("Paid Search" -> paid_search).
 */
export function channelKey(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
