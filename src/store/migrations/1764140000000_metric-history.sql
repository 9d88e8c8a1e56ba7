-- Up Migration

-- Every metric of every successful agent report, as a time series per company: what
-- agents read as "the previous period" and what the briefing will chart. One point per
-- (company, date, agent, metric): a later run of the same date replaces it.
CREATE TABLE metric_points (
  company_id    text NOT NULL,
  as_of_date    date NOT NULL,
  agent         text NOT NULL,
  metric        text NOT NULL,
  value         numeric,
  workflow_id   text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, agent, as_of_date, metric)
);
CREATE INDEX metric_points_company_metric ON metric_points (company_id, agent, metric, as_of_date);

-- Down Migration
DROP TABLE metric_points;
