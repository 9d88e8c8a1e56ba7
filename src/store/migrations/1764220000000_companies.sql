-- Up Migration

-- The companies this boardroom serves (`boardroom companies add <workspace>`): each with
-- its workspace folder, and its own daily schedule (boardroom-daily-<id>) in its zone.
-- Removing a company removes its row and its schedule; its briefings stay.
CREATE TABLE companies (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
  name        text NOT NULL,
  currency    text NOT NULL,
  time_zone   text NOT NULL,
  workspace   text NOT NULL,
  cron        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE companies;
