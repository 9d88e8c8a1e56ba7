-- Up Migration

-- Each delivery of a briefing to a channel (e-mail, Slack, webhook): one row per
-- briefing, channel and delivery key, so a retried or resumed run finds the row of its
-- earlier attempt and sends nothing twice. The run's own delivery has the key
-- `<workflow id>:<channel>`; a re-send (`boardroom briefing send`) gets a key of its own
-- and kind 'resend'. No secret is ever stored: `target` is the recipients, the channel
-- name or the webhook's host.
CREATE TABLE deliveries (
  id            bigserial PRIMARY KEY,
  briefing_id   bigint NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
  company_id    text NOT NULL,
  workflow_id   text NOT NULL,
  channel       text NOT NULL CHECK (channel IN ('email', 'slack', 'webhook')),
  delivery_key  text NOT NULL,
  kind          text NOT NULL DEFAULT 'run' CHECK (kind IN ('run', 'resend', 'test')),
  target        text,
  status        text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts      integer NOT NULL DEFAULT 0,
  message_id    text,
  error         text,
  error_type    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  sent_at       timestamptz,
  UNIQUE (briefing_id, channel, delivery_key)
);
CREATE INDEX deliveries_company_recent ON deliveries (company_id, channel, updated_at DESC);

-- Down Migration
DROP TABLE deliveries;
