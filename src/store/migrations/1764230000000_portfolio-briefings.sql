-- Up Migration

-- The portfolio briefing of a day as it was sent (`boardroom portfolio send`): composed
-- once per workflow from the companies' newest heads, so that every channel (and a
-- retry, or a second send the same day) delivers the same figures.
CREATE TABLE portfolio_briefings (
  id             bigserial PRIMARY KEY,
  workflow_id    text NOT NULL UNIQUE,
  portfolio_date date NOT NULL,
  companies      integer NOT NULL,
  portfolio      jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Its deliveries, one row per day and channel (delivery_key portfolio:<date>:<channel>):
-- once a row says sent, no later run of that day sends on that channel again. The
-- briefings' `deliveries` ledger keys on one company's briefing, which a portfolio is not.
CREATE TABLE portfolio_deliveries (
  id            bigserial PRIMARY KEY,
  portfolio_id  bigint NOT NULL REFERENCES portfolio_briefings (id) ON DELETE CASCADE,
  workflow_id   text NOT NULL,
  portfolio_date date NOT NULL,
  channel       text NOT NULL CHECK (channel IN ('email', 'slack', 'webhook')),
  delivery_key  text NOT NULL UNIQUE,
  target        text,
  status        text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts      integer NOT NULL DEFAULT 0,
  message_id    text,
  error         text,
  error_type    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  sent_at       timestamptz
);

-- Down Migration
DROP TABLE portfolio_deliveries;
DROP TABLE portfolio_briefings;
