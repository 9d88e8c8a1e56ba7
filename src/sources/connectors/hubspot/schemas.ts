/**
 * The parts of HubSpot's responses the connector relies on, as zod schemas (extra fields
 * are allowed). Field names and nesting follow HubSpot's CRM v3 API reference: objects,
 * search, batch read, pipelines and owners.
 */
import { z } from 'zod';
import { parseInstant } from './convert.js';

/** A date-time property value HubSpot sends as a string (ISO 8601 or epoch ms). */
export const Instant = z.string().refine((v) => parseInstant(v) !== undefined, {
  message: 'expected an ISO 8601 date-time',
});

const Paging = z.object({ next: z.object({ after: z.string().min(1) }).optional() }).optional();

const Properties = z.record(z.string(), z.string().nullable());

/** GET /crm/v3/pipelines/deals */
export const PipelinesResponse = z.object({
  results: z.array(
    z.object({
      id: z.string().min(1),
      label: z.string(),
      archived: z.boolean().optional(),
      stages: z.array(
        z.object({
          id: z.string().min(1),
          label: z.string(),
          displayOrder: z.number(),
          archived: z.boolean().optional(),
          metadata: z.object({
            isClosed: z.enum(['true', 'false']),
            probability: z
              .string()
              .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'expected a probability from "0" to "1"'),
          }),
        }),
      ),
    }),
  ),
});
export type Pipeline = z.output<typeof PipelinesResponse>['results'][number];

/** Properties every deal must have (the configurable ones are checked by the mapper). */
const DealProperties = Properties.and(
  z.object({
    dealname: z.string().nullable().optional(),
    dealstage: z.string().min(1),
    pipeline: z.string().min(1),
    createdate: Instant,
    closedate: Instant.nullable().optional(),
    hs_lastmodifieddate: Instant.nullable().optional(),
    notes_last_updated: Instant.nullable().optional(),
    hubspot_owner_id: z.string().nullable().optional(),
    deal_currency_code: z.string().nullable().optional(),
  }),
);

const HistoryValue = z.object({
  value: z.string(),
  timestamp: Instant,
  sourceType: z.string().optional(),
});

/** GET /crm/v3/objects/deals?properties=...&propertiesWithHistory=dealstage&associations=companies */
export const DealsPage = z.object({
  results: z.array(
    z.object({
      id: z.string().min(1),
      properties: DealProperties,
      propertiesWithHistory: z.object({ dealstage: z.array(HistoryValue) }),
      associations: z
        .object({
          companies: z
            .object({ results: z.array(z.object({ id: z.string().min(1), type: z.string() })) })
            .optional(),
        })
        .optional(),
    }),
  ),
  paging: Paging,
});
export type HubSpotDeal = z.output<typeof DealsPage>['results'][number];

/** GET /crm/v3/owners */
export const OwnersPage = z.object({
  results: z.array(
    z.object({
      id: z.string().min(1),
      email: z.string().nullable().optional(),
      firstName: z.string().nullable().optional(),
      lastName: z.string().nullable().optional(),
    }),
  ),
  paging: Paging,
});

/** POST /crm/v3/objects/companies/batch/read (200, or 207 with `errors` for missing ids) */
export const CompaniesBatch = z.object({
  status: z.string(),
  results: z.array(
    z.object({
      id: z.string().min(1),
      properties: Properties.and(z.object({ name: z.string().nullable().optional() })),
    }),
  ),
});

/** GET /crm/v3/objects/companies?limit=1 (check only) */
export const CompaniesPage = z.object({
  results: z.array(z.object({ id: z.string().min(1) })),
  paging: Paging,
});

/** POST /crm/v3/objects/contacts/search */
export const ContactsSearch = z.object({
  total: z.number().int().nonnegative(),
  results: z.array(
    z.object({
      id: z.string().min(1),
      properties: Properties.and(
        z.object({
          createdate: Instant,
          lifecyclestage: z.string().nullable().optional(),
          hs_analytics_source: z.string().nullable().optional(),
          hs_lifecyclestage_marketingqualifiedlead_date: Instant.nullable().optional(),
          hs_lifecyclestage_customer_date: Instant.nullable().optional(),
          associatedcompanyid: z.string().nullable().optional(),
        }),
      ),
    }),
  ),
  paging: Paging,
});
export type HubSpotContact = z.output<typeof ContactsSearch>['results'][number];

/** POST /crm/v3/objects/deals/search with limit 1 (check only: the total). */
export const SearchTotal = z.object({ total: z.number().int().nonnegative() });
