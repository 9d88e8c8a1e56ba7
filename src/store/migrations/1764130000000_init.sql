-- Up Migration

-- One row per workflow execution that wrote a briefing. The workflow id is the
-- idempotency key: a retried or resumed run inserts nothing the second time.
CREATE TABLE briefing_runs (
  workflow_id    text PRIMARY KEY,
  run_id         text NOT NULL,
  company_id     text NOT NULL,
  briefing_date  date NOT NULL,
  trigger        text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  outcome        text NOT NULL CHECK (outcome IN ('complete', 'degraded')),
  stale_agents   text[] NOT NULL DEFAULT '{}',
  failed_agents  text[] NOT NULL DEFAULT '{}',
  started_at     timestamptz NOT NULL,
  completed_at   timestamptz NOT NULL DEFAULT now(),
  duration_ms    integer NOT NULL
);
CREATE INDEX briefing_runs_company_recent ON briefing_runs (company_id, completed_at DESC);

-- The report each agent contributed to a run (ok, stale fallback, or failed).
CREATE TABLE agent_reports (
  workflow_id     text NOT NULL REFERENCES briefing_runs (workflow_id) ON DELETE CASCADE,
  agent           text NOT NULL,
  company_id      text NOT NULL,
  status          text NOT NULL CHECK (status IN ('ok', 'stale', 'failed')),
  duration_ms     integer NOT NULL,
  attempts        integer NOT NULL,
  source_calls    integer NOT NULL,
  data_as_of      timestamptz,
  health          real NOT NULL,
  metrics         jsonb NOT NULL,
  alerts          jsonb NOT NULL,
  recommendations jsonb NOT NULL,
  error           text,
  report          jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, agent)
);
-- Serves "last good report of this agent for this company" (the stale fallback).
CREATE INDEX agent_reports_last_good ON agent_reports (company_id, agent, created_at DESC)
  WHERE status = 'ok';

-- The briefing itself: structured JSON and the rendered Markdown.
CREATE TABLE briefings (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workflow_id    text NOT NULL UNIQUE REFERENCES briefing_runs (workflow_id) ON DELETE CASCADE,
  company_id     text NOT NULL,
  briefing_date  date NOT NULL,
  health         real NOT NULL,
  briefing       jsonb NOT NULL,
  markdown       text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX briefings_company_recent ON briefings (company_id, created_at DESC);

-- Every attempt of every agent activity, successful or not (observability).
CREATE TABLE agent_executions (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workflow_id    text NOT NULL,
  company_id     text NOT NULL,
  agent          text NOT NULL,
  attempt        integer NOT NULL,
  started_at     timestamptz NOT NULL,
  duration_ms    integer NOT NULL,
  success        boolean NOT NULL,
  metrics_count  integer NOT NULL DEFAULT 0,
  source_calls   integer NOT NULL DEFAULT 0,
  error          text,
  error_type     text,
  UNIQUE (workflow_id, agent, attempt)
);
CREATE INDEX agent_executions_company_agent ON agent_executions (company_id, agent, started_at DESC);

-- Down Migration
DROP TABLE agent_executions;
DROP TABLE briefings;
DROP TABLE agent_reports;
DROP TABLE briefing_runs;
