-- Up Migration

-- Which source each agent execution read, whether the cache answered, and the
-- source's breaker state: what `boardroom status` and the web view show per run.
ALTER TABLE agent_executions
  ADD COLUMN source text NOT NULL DEFAULT 'workspace',
  ADD COLUMN cache_hit boolean NOT NULL DEFAULT false,
  ADD COLUMN breaker_state text;

-- Down Migration
ALTER TABLE agent_executions DROP COLUMN breaker_state, DROP COLUMN cache_hit, DROP COLUMN source;
