/**
 * The runs' search attributes (BoardroomCompany, BriefingDate, BriefingOutcome,
 * StaleAgents) must be registered on the namespace before a workflow upserts them: an
 * unknown attribute fails the workflow task. These helpers check, and try to register
 * them; the caller then sets `DailyBriefingInput.searchAttributes` to the answer, so on
 * a cluster that refuses (no operator rights, Temporal Cloud) runs simply go without.
 */
import type { Client } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { BOARDROOM_SEARCH_ATTRIBUTES } from '../shared/workflow-api.js';

/** The indexed value type of each of ours, as the operator service spells it (an enum number). */
function indexedType(type: SearchAttributeType): number {
  const encoded = encodeSearchAttributeIndexedValueType(type);
  if (encoded === undefined) throw new Error(`unknown search attribute type ${type}`);
  return encoded;
}

/** Ours that the namespace lacks, or has under another type. */
async function missingSearchAttributes(
  client: Client,
  namespace: string,
): Promise<{ missing: string[]; wrongType: string[] }> {
  const res = await client.connection.operatorService.listSearchAttributes({ namespace });
  const custom = (res.customAttributes ?? {}) as Record<string, number | null | undefined>;
  const missing: string[] = [];
  const wrongType: string[] = [];
  for (const key of BOARDROOM_SEARCH_ATTRIBUTES) {
    const have = custom[key.name];
    if (have === undefined || have === null) missing.push(key.name);
    else if (Number(have) !== indexedType(key.type)) wrongType.push(key.name);
  }
  return { missing, wrongType };
}

/** Whether `namespace` has all four of the runs' search attributes, with their types. */
export async function namespaceHasSearchAttributes(
  client: Client,
  namespace: string = client.options.namespace,
): Promise<boolean> {
  const { missing, wrongType } = await missingSearchAttributes(client, namespace);
  return missing.length === 0 && wrongType.length === 0;
}

/**
 * Registers the missing search attributes on `namespace` and waits (up to `timeoutMs`)
 * until the server lists them. Returns whether all four exist afterwards; never throws
 * for a refusal (`onRefused` hears why), so the caller can run without them.
 */
export async function ensureSearchAttributes(
  client: Client,
  namespace: string = client.options.namespace,
  opts: { timeoutMs?: number; onRefused?: (reason: string) => void } = {},
): Promise<boolean> {
  const refuse = (reason: string) => {
    opts.onRefused?.(reason);
    return false;
  };
  let state: { missing: string[]; wrongType: string[] };
  try {
    state = await missingSearchAttributes(client, namespace);
  } catch (err) {
    return refuse(`cannot list the search attributes of "${namespace}": ${errorMessage(err)}`);
  }
  if (state.wrongType.length > 0) {
    return refuse(
      `namespace "${namespace}" has ${state.wrongType.join(', ')} with another type than boardroom's`,
    );
  }
  if (state.missing.length === 0) return true;
  const toAdd = BOARDROOM_SEARCH_ATTRIBUTES.filter((k) => state.missing.includes(k.name));
  try {
    await client.connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(toAdd.map((k) => [k.name, indexedType(k.type)])),
    });
  } catch (err) {
    // Another process may have added them meanwhile: check before giving up.
    if (!(await namespaceHasSearchAttributes(client, namespace).catch(() => false))) {
      return refuse(
        `cannot add search attributes ${state.missing.join(', ')} to "${namespace}": ${errorMessage(err)}`,
      );
    }
    return true;
  }
  // The server lists them once its namespace cache has caught up.
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    if (await namespaceHasSearchAttributes(client, namespace).catch(() => false)) return true;
    if (Date.now() > deadline) {
      return refuse(`search attributes added to "${namespace}" but not listed after waiting`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
