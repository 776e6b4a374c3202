-- Site summaries count devices by the newest device_status event of each device. Without this index that
-- lookup walks back through every event of the site, audit and alarm events included.
CREATE INDEX edge_events_device_status ON edge_events (site_id, (payload->>'device'), at DESC) WHERE kind = 'device_status';
