-- Alarm notifications: webhooks per organization and the queue of their deliveries. The hub's
-- notification worker reads alarm_transitions and alarms, and writes webhook_deliveries.

CREATE TABLE webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
  -- The HMAC-SHA256 key of the signature header. Stored as is because every send needs it; the API
  -- returns it only when the webhook is created and when the secret is rotated.
  secret text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  events text[] NOT NULL
    CHECK (cardinality(events) > 0 AND events <@ ARRAY['alarm.raised', 'alarm.acknowledged', 'alarm.cleared', 'alarm.escalated']),
  -- Alarms below this severity are not sent.
  min_severity text NOT NULL DEFAULT 'info' CHECK (min_severity IN ('info', 'warning', 'critical')),
  -- Minutes an alarm may stay unacknowledged before `alarm.escalated` is sent; null sends none.
  escalation_minutes integer CHECK (escalation_minutes BETWEEN 1 AND 10080),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, organization_id)
);
CREATE INDEX webhooks_organization ON webhooks (organization_id);

-- One event for one webhook. event_key names the event (a transition id, an occurrence's
-- escalation), so enqueuing the same event twice, by a rescan or a second hub replica, adds nothing.
CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  webhook_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  event text NOT NULL,
  event_key text NOT NULL,
  payload jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When the next attempt is due. A worker that claims the delivery moves it past the send timeout,
  -- so no other worker claims it while the request is in flight.
  next_attempt_at timestamptz NOT NULL,
  -- HTTP status of the last attempt; null when it got no response.
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  given_up_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (webhook_id, organization_id) REFERENCES webhooks (id, organization_id) ON DELETE CASCADE,
  UNIQUE (webhook_id, event_key)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
  WHERE delivered_at IS NULL AND given_up_at IS NULL;
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC);

-- How far the notification worker has read a stream, such as alarm_transitions by recorded_seq.
-- Service state that belongs to no organization, so it has no row-level security.
CREATE TABLE notification_cursors (
  name text PRIMARY KEY,
  position bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO notification_cursors (name) VALUES ('alarm_transitions');

ALTER TABLE webhooks ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhooks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON webhooks USING (app_in_scope(organization_id));

ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON webhook_deliveries USING (app_in_scope(organization_id));
