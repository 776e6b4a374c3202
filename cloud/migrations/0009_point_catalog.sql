-- Edges upload a point_catalog event with the definitions of each device's points, so the hub knows the
-- unit and kind of points that SunSpec discovery found and no site file lists.
ALTER TABLE edge_events DROP CONSTRAINT edge_events_kind_check;
ALTER TABLE edge_events ADD CONSTRAINT edge_events_kind_check
  CHECK (kind IN ('audit', 'device_status', 'alarm', 'control', 'point_catalog'));

-- Site summaries and latest values read the newest catalog of each device.
CREATE INDEX edge_events_point_catalog ON edge_events (site_id, (payload->>'device'), at DESC) WHERE kind = 'point_catalog';
