-- Up Migration

-- Backfilled runs (`boardroom backfill`, the demo's first history) describe a past day:
-- `as_of` is the moment a run describes (its scheduled time, or the backfilled day's),
-- which `started_at` (when it ran, for its duration) no longer is.
ALTER TABLE briefing_runs DROP CONSTRAINT briefing_runs_trigger_check;
ALTER TABLE briefing_runs
  ADD CONSTRAINT briefing_runs_trigger_check CHECK (trigger IN ('schedule', 'manual', 'backfill')),
  ADD COLUMN as_of timestamptz;
UPDATE briefing_runs SET as_of = started_at;
ALTER TABLE briefing_runs ALTER COLUMN as_of SET NOT NULL;
-- "The newest briefing" is the one of the latest day, whenever it was computed.
CREATE INDEX briefings_company_date ON briefings (company_id, briefing_date DESC, created_at DESC);

-- Down Migration
DROP INDEX briefings_company_date;
ALTER TABLE briefing_runs DROP COLUMN as_of;
ALTER TABLE briefing_runs DROP CONSTRAINT briefing_runs_trigger_check;
ALTER TABLE briefing_runs
  ADD CONSTRAINT briefing_runs_trigger_check CHECK (trigger IN ('schedule', 'manual'));
