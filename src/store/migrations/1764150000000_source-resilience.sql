-- Up Migration

-- One circuit breaker per company and API source, shared by every worker: after
-- `failure_threshold` consecutive runs in which the source failed for good, it opens
-- and agents serve their last good report without calling the source; after the
-- cooldown one probe call decides (success closes it, failure re-opens it).
CREATE TABLE source_breakers (
  company_id            text NOT NULL,
  source                text NOT NULL,
  state                 text NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open', 'half_open')),
  consecutive_failures  integer NOT NULL DEFAULT 0,
  -- The last run counted as failed: two agents sharing a source fail one run once.
  last_failed_workflow  text,
  last_error            text,
  opened_at             timestamptz,
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, source)
);

-- What an API source last returned for an agent (its data sets, in the workspace
-- shape: rows of business data, never credentials), reused while younger than the
-- source's TTL.
CREATE TABLE source_cache (
  company_id  text NOT NULL,
  agent       text NOT NULL,
  source      text NOT NULL,
  fetched_at  timestamptz NOT NULL,
  datasets    jsonb NOT NULL,
  source_calls integer NOT NULL,
  PRIMARY KEY (company_id, agent, source)
);

-- Down Migration
DROP TABLE source_cache;
DROP TABLE source_breakers;
