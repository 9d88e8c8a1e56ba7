-- Up Migration

-- The claim check: each agent's report and the composed briefing of a run in progress,
-- written by the activity that made them and read by the next step by workflow id, so
-- the run's Temporal history carries ids, statuses and counts instead of the figures.
-- `json`, not `jsonb`: the text is kept as written, so the keys keep their order (the
-- briefing lists metrics in the order the agent wrote them) and the next step reads
-- exactly what the old path passed through the history.
--
-- An attempt's write overwrites only an earlier attempt's (a late write of a timed-out
-- attempt never replaces a newer one), and the fallback's (stage 1) overwrites the
-- agent's own (stage 0). The rows are removed once the run's save has the briefing.
CREATE TABLE run_reports (
  workflow_id  text NOT NULL,
  agent        text NOT NULL,
  company_id   text NOT NULL,
  stage        smallint NOT NULL CHECK (stage IN (0, 1)),
  attempt      integer NOT NULL,
  report       json NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, agent)
);

CREATE TABLE run_briefings (
  workflow_id  text PRIMARY KEY,
  company_id   text NOT NULL,
  attempt      integer NOT NULL,
  briefing     json NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE run_briefings;
DROP TABLE run_reports;
