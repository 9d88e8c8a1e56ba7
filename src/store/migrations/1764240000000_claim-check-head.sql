-- Up Migration

-- The composed briefing's head (what briefings.head holds: overviewHead), written by the
-- CEO step beside the briefing, so the save copies a run's claim-check rows into
-- briefing_runs, agent_reports, metric_points and briefings inside Postgres, in one
-- statement, instead of reading them into the worker and writing them back. A row written
-- before this column existed has no head: its save takes the worker's way, as before.
ALTER TABLE run_briefings ADD COLUMN head json;

-- Down Migration
ALTER TABLE run_briefings DROP COLUMN head;
