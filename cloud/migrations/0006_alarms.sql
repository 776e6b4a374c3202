-- Alarms as the edges report them. Edges evaluate the rules of alarm_rules and upload every transition as
-- an `alarm` edge event; the hub keeps each transition once (alarm_transitions) and the state after the
-- latest one per rule (alarms). Actions that hub users take are recorded in alarm_action_requests until
-- the edge applied them. Rule ids are text because a standalone edge names rules in its site file.

-- The current state of each rule's alarm, from the transition with the highest seq of the site's edge.
CREATE TABLE alarms (
  organization_id uuid NOT NULL,
  site_id uuid NOT NULL,
  rule_id text NOT NULL CHECK (length(rule_id) BETWEEN 1 AND 100),
  name text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  -- The edge's point id, `device.point`; null for a device_offline rule without a point.
  point text,
  device text,
  state text NOT NULL CHECK (state IN ('normal', 'active_unack', 'active_ack', 'cleared_unack', 'shelved', 'out_of_service')),
  condition_active boolean NOT NULL,
  occurrence uuid,
  message text NOT NULL,
  value jsonb,
  active_since timestamptz,
  -- The acknowledgement of the current occurrence that the hub recorded first, from a hub user or an edge upload.
  acknowledged_at timestamptz,
  acknowledged_by jsonb,
  shelved_until timestamptz,
  -- seq of the transition the state comes from; transitions with a lower or equal seq only add history.
  last_seq bigint NOT NULL,
  -- The edge whose seq last_seq is: a newly paired edge counts from 1 again.
  edge_node_id uuid,
  -- Set by the notifications when they sent the escalation of the current occurrence.
  escalated_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, rule_id),
  FOREIGN KEY (site_id, organization_id) REFERENCES sites (id, organization_id) ON DELETE CASCADE
);
-- The active list and the escalation scan read alarms that are not normal.
CREATE INDEX alarms_not_normal ON alarms (site_id, severity) WHERE state <> 'normal';

ALTER TABLE alarms ENABLE ROW LEVEL SECURITY;
ALTER TABLE alarms FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON alarms USING (app_in_scope(organization_id));

-- Every transition an edge uploaded, once: resends of the same id are dropped. The runtime role may
-- only add rows (see grantRuntimeRole in src/db/migrate.ts).
CREATE TABLE alarm_transitions (
  -- The edge's transition id, which is also the id of the edge event that carried it.
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  site_id uuid NOT NULL,
  edge_node_id uuid,
  rule_id text NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  occurrence uuid,
  action text NOT NULL CHECK (action IN ('raise', 'clear', 'acknowledge', 'shelve', 'unshelve', 'shelve_expired',
                                         'remove_from_service', 'return_to_service', 'comment')),
  from_state text NOT NULL,
  to_state text NOT NULL,
  -- When it happened, by the edge's clock.
  at timestamptz NOT NULL,
  value jsonb,
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  message text NOT NULL,
  point text,
  device text,
  "user" jsonb,
  comment text,
  shelved_until timestamptz,
  -- The hub's alarm_action_requests id when a hub user asked for the action.
  request_id uuid,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  -- Order in which the hub recorded transitions, for cursors.
  recorded_seq bigint GENERATED ALWAYS AS IDENTITY,
  FOREIGN KEY (site_id, organization_id) REFERENCES sites (id, organization_id) ON DELETE CASCADE
);
-- History filters: a site and a time range, newest first, optionally one severity or state.
CREATE INDEX alarm_transitions_site_at ON alarm_transitions (site_id, at DESC, recorded_seq DESC);
CREATE INDEX alarm_transitions_organization_at ON alarm_transitions (organization_id, at DESC, recorded_seq DESC);
CREATE INDEX alarm_transitions_severity_state ON alarm_transitions (site_id, severity, to_state, at DESC);
CREATE INDEX alarm_transitions_rule ON alarm_transitions (site_id, rule_id, seq);

ALTER TABLE alarm_transitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE alarm_transitions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON alarm_transitions USING (app_in_scope(organization_id));

-- Alarm actions hub users took, kept until the edge answered, and afterwards as a record of the request.
CREATE TABLE alarm_action_requests (
  -- The requestId sent to the edge, which applies each id once.
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  site_id uuid NOT NULL,
  rule_id text NOT NULL,
  action text NOT NULL CHECK (action IN ('acknowledge', 'shelve', 'unshelve', 'comment', 'remove_from_service', 'return_to_service')),
  body jsonb NOT NULL,
  -- A RelayedUser (id, email, name) plus the role the user had at the site when they asked.
  "user" jsonb NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  -- Null until the edge answered; then its AlarmActionResult.
  delivered_at timestamptz,
  result jsonb,
  FOREIGN KEY (site_id, organization_id) REFERENCES sites (id, organization_id) ON DELETE CASCADE
);
-- The uplink sends the undelivered requests of a site, oldest first.
CREATE INDEX alarm_action_requests_undelivered ON alarm_action_requests (site_id, requested_at) WHERE delivered_at IS NULL;

ALTER TABLE alarm_action_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE alarm_action_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON alarm_action_requests USING (app_in_scope(organization_id));
