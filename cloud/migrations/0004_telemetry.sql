-- Telemetry that edges upload: rollup buckets, edge events and the sync status of each site. Uploads are
-- idempotent: rollups are keyed by (site, point, resolution, bucket start) and keep the higher revision,
-- and events are keyed by the id the edge gave them.

-- Monthly partitions of telemetry_rollups live in their own schema. The runtime role gets no USAGE on it,
-- so it reaches rollups only through the parent table and its row-level security, and the grants that
-- `cloud migrate` gives on every table of public never reach a partition.
CREATE SCHEMA telemetry_partitions;

-- No foreign key to sites: its check would run once per inserted row and slow bulk ingest down a lot.
-- The trigger telemetry_rollups_site_deleted removes the rows of a deleted site instead.
CREATE TABLE telemetry_rollups (
  organization_id uuid NOT NULL,
  site_id uuid NOT NULL,
  -- The edge's point id, `device.point`.
  point text COLLATE "C" NOT NULL CHECK (length(point) BETWEEN 1 AND 200),
  resolution text COLLATE "C" NOT NULL CHECK (resolution IN ('1m', '15m', '1h', '1d')),
  bucket_start timestamptz NOT NULL,
  bucket_end timestamptz NOT NULL,
  count integer NOT NULL CHECK (count >= 0),
  sum double precision,
  min double precision,
  max double precision,
  last double precision,
  last_ts timestamptz,
  -- Counter growth over the bucket; null for points that are not counters.
  delta double precision,
  -- Whether counter growth was spread over a gap rather than measured.
  estimated boolean NOT NULL,
  revision integer NOT NULL CHECK (revision > 0),
  received_at timestamptz NOT NULL,
  PRIMARY KEY (site_id, point, resolution, bucket_start)
) PARTITION BY RANGE (bucket_start);

ALTER TABLE telemetry_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE telemetry_rollups FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON telemetry_rollups USING (app_in_scope(organization_id));

-- Creates the missing monthly partitions (UTC months) that hold the given times, and returns how many it
-- created. It runs as the owner, so the runtime role can add partitions without owning the table. An
-- advisory lock serializes creators, and the check is repeated under it, so two uploads of the same new
-- month do not both try to create it. There is no default partition: a row of a month without a
-- partition fails the insert rather than landing in a table that later blocks creating that month.
CREATE FUNCTION telemetry_rollups_ensure_partitions(p_times timestamptz[]) RETURNS integer
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    month_start timestamptz;
    partition_name text;
    created integer := 0;
  BEGIN
    FOR month_start IN SELECT DISTINCT date_trunc('month', t, 'UTC') FROM unnest(p_times) t WHERE t IS NOT NULL ORDER BY 1 LOOP
      -- The upload contract accepts times from 2000 to 2100; anything else is a caller error, not a month to create.
      IF month_start < '2000-01-01 00:00+00' OR month_start >= '2100-01-01 00:00+00' THEN
        RAISE EXCEPTION 'bucket time % is outside 2000-01-01 to 2100-01-01', month_start;
      END IF;
      partition_name := 'telemetry_rollups_' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY_MM');
      CONTINUE WHEN to_regclass('telemetry_partitions.' || partition_name) IS NOT NULL;
      PERFORM pg_advisory_xact_lock(4712024);
      CONTINUE WHEN to_regclass('telemetry_partitions.' || partition_name) IS NOT NULL;
      -- The check above may still miss a partition that another transaction committed while this one
      -- waited for the lock, depending on when the catalog cache is refreshed, so a duplicate is skipped.
      BEGIN
        EXECUTE format(
          'CREATE TABLE telemetry_partitions.%I PARTITION OF public.telemetry_rollups FOR VALUES FROM (%L) TO (%L)',
          partition_name, month_start, month_start + interval '1 month');
        created := created + 1;
      EXCEPTION WHEN duplicate_table THEN
        NULL;
      END;
    END LOOP;
    RETURN created;
  END $$;
REVOKE ALL ON FUNCTION telemetry_rollups_ensure_partitions(timestamptz[]) FROM PUBLIC;

-- Removes the rollups of a deleted site. It runs as the owner because the runtime role may not delete
-- rollups, and row-level security still limits it to the deleting transaction's organizations.
CREATE FUNCTION telemetry_rollups_site_deleted() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  BEGIN
    DELETE FROM telemetry_rollups WHERE site_id = OLD.id;
    RETURN NULL;
  END $$;
CREATE TRIGGER telemetry_rollups_site_deleted AFTER DELETE ON sites
  FOR EACH ROW EXECUTE FUNCTION telemetry_rollups_site_deleted();

-- Events of the edge (audit entries, device status changes, alarms, control actions), append-only.
CREATE TABLE edge_events (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  site_id uuid NOT NULL,
  -- The edge that uploaded the event; kept when that edge node is deleted.
  edge_node_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('audit', 'device_status', 'alarm', 'control')),
  -- When it happened, by the edge's clock.
  at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL,
  FOREIGN KEY (site_id, organization_id) REFERENCES sites (id, organization_id) ON DELETE CASCADE
);
CREATE INDEX edge_events_site_at ON edge_events (site_id, at);

ALTER TABLE edge_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE edge_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON edge_events USING (app_in_scope(organization_id));

-- What the hub knows about each site's upload stream. Times of the edge's clock (edge_sent_at,
-- oldest_unsent_at) are stored as the edge sent them; the others are the hub's clock.
CREATE TABLE site_sync_status (
  site_id uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  edge_node_id uuid,
  last_contact_at timestamptz,
  -- When the last upload request arrived, and when the hub committed and acknowledged it.
  last_upload_at timestamptz,
  last_ack_at timestamptz,
  edge_sent_at timestamptz,
  -- last_ack_at - edge_sent_at of the last upload: positive when the edge's clock is behind.
  clock_skew_ms bigint,
  clock_skew_flagged boolean NOT NULL DEFAULT false,
  backlog_rollups bigint NOT NULL DEFAULT 0 CHECK (backlog_rollups >= 0),
  backlog_events bigint NOT NULL DEFAULT 0 CHECK (backlog_events >= 0),
  oldest_unsent_at timestamptz,
  FOREIGN KEY (site_id, organization_id) REFERENCES sites (id, organization_id) ON DELETE CASCADE
);

ALTER TABLE site_sync_status ENABLE ROW LEVEL SECURITY;
ALTER TABLE site_sync_status FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON site_sync_status USING (app_in_scope(organization_id));
