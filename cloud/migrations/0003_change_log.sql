-- Metadata sync to edge nodes. Every change to a row of a shape the hub serves (see the shapes in
-- @simtestlab/sync) is appended to change_log by an AFTER trigger, in the transaction that makes the
-- change, and announced with pg_notify on the channel shape_changes (payload: the site id, or "global"
-- for shapes without a site). Values are stored as the shape protocol sends them: a JSON object of the
-- shape's columns in Postgres text format (null stays null).

CREATE TABLE alarm_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL,
  site_id uuid NOT NULL,
  -- Null for a rule that watches no single point.
  point_id uuid,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  enabled boolean NOT NULL DEFAULT true,
  condition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (site_id, organization_id) REFERENCES sites (id, organization_id) ON DELETE CASCADE
);
CREATE INDEX alarm_rules_site ON alarm_rules (site_id);
CREATE INDEX alarm_rules_point ON alarm_rules (point_id);

-- A rule's point must belong to the rule's site.
ALTER TABLE points ADD CONSTRAINT points_id_site_key UNIQUE (id, site_id);
ALTER TABLE alarm_rules ADD FOREIGN KEY (point_id, site_id) REFERENCES points (id, site_id) ON DELETE CASCADE;

ALTER TABLE alarm_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE alarm_rules FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON alarm_rules USING (app_in_scope(organization_id));

-- The hub's public signing keys, kept equal to the loaded key set by the service, so the jwks shape
-- can serve them. Public keys only: no tenant data, so no row-level security.
CREATE TABLE jwks_keys (
  kid text PRIMARY KEY,
  jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE change_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Readers take only changes of transactions older than every transaction still running, ordered by
  -- (xid, id), because identity values are taken before commit and become visible out of order.
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  shape text NOT NULL,
  -- Null for shapes that are the same for every site (jwks).
  organization_id uuid,
  site_id uuid,
  row_key text NOT NULL,
  operation text NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
  -- The full row for insert and update; the key (and site_id where the shape has it) for delete.
  value jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_log_stream ON change_log (shape, site_id, xid, id);
CREATE INDEX change_log_created ON change_log (created_at);

ALTER TABLE change_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE change_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON change_log
  USING (app_in_scope(organization_id) OR (organization_id IS NULL AND site_id IS NULL));

-- Generation of each stream (shape and site; site_id null for global shapes). Pruning a stream's log
-- raises its generation, which changes its handle, so clients holding an older offset refetch.
CREATE TABLE change_log_generations (
  shape text NOT NULL,
  site_id uuid,
  generation integer NOT NULL DEFAULT 1,
  UNIQUE NULLS NOT DISTINCT (shape, site_id)
);

-- The site_users rows last written to change_log, so a recomputation logs only real differences, with
-- the roles they were computed from, so a change to the users row alone needs no other table.
CREATE TABLE site_users_state (
  user_id uuid NOT NULL,
  site_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  organization_role text NOT NULL,
  site_role text,
  value jsonb NOT NULL,
  PRIMARY KEY (user_id, site_id)
);
CREATE INDEX site_users_state_site ON site_users_state (site_id);

ALTER TABLE site_users_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE site_users_state FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON site_users_state USING (app_in_scope(organization_id));

-- Row values in the shapes' columns, Postgres text format. The shape endpoint's snapshots use the same
-- functions, so a snapshot row and a logged row of the same state are equal.
CREATE FUNCTION shape_value_site(r sites) RETURNS jsonb
  LANGUAGE sql STABLE
  AS $$ SELECT jsonb_build_object('id', r.id::text, 'organization_id', r.organization_id::text, 'name', r.name,
    'time_zone', r.time_zone, 'latitude', r.latitude::text, 'longitude', r.longitude::text,
    'operator_control', r.operator_control::text) $$;

CREATE FUNCTION shape_value_site_nodes(r site_nodes) RETURNS jsonb
  LANGUAGE sql STABLE
  AS $$ SELECT jsonb_build_object('id', r.id::text, 'site_id', r.site_id::text, 'parent_id', r.parent_id::text,
    'kind', r.kind, 'name', r.name) $$;

CREATE FUNCTION shape_value_devices(r devices) RETURNS jsonb
  LANGUAGE sql STABLE
  AS $$ SELECT jsonb_build_object('id', r.id::text, 'site_id', r.site_id::text, 'node_id', r.node_id::text,
    'key', r.key, 'driver', r.driver, 'config', r.config::text) $$;

CREATE FUNCTION shape_value_points(r points) RETURNS jsonb
  LANGUAGE sql STABLE
  AS $$ SELECT jsonb_build_object('id', r.id::text, 'site_id', r.site_id::text, 'device_id', r.device_id::text,
    'key', r.key, 'position', r.position::text, 'config', r.config::text) $$;

CREATE FUNCTION shape_value_alarm_rules(r alarm_rules) RETURNS jsonb
  LANGUAGE sql STABLE
  AS $$ SELECT jsonb_build_object('id', r.id::text, 'site_id', r.site_id::text, 'point_id', r.point_id::text,
    'name', r.name, 'severity', r.severity, 'enabled', r.enabled::text, 'condition', r.condition::text) $$;

CREATE FUNCTION shape_value_jwks(r jwks_keys) RETURNS jsonb
  LANGUAGE sql STABLE
  AS $$ SELECT jsonb_build_object('kid', r.kid, 'jwk', r.jwk::text) $$;

-- One site_users row. The role follows effectiveSiteRole: platform admin, then org admin, then the
-- site access role.
CREATE FUNCTION shape_value_site_users(u users, p_site uuid, p_organization_role text, p_site_role text) RETURNS jsonb
  LANGUAGE sql STABLE
  AS $$ SELECT jsonb_build_object('user_id', u.id::text, 'site_id', p_site::text, 'email', u.email, 'name', u.name,
    'role', CASE WHEN u.platform_admin THEN 'platform_admin' WHEN p_organization_role = 'org_admin' THEN 'org_admin' ELSE p_site_role END,
    'status', u.status, 'password_hash', u.password_hash, 'developer', u.developer::text) $$;

-- The site_users rows as they are now, for one user, one site, or both. A user may open a site as an
-- org admin of its organization, or as a member with explicit site access.
CREATE FUNCTION site_users_current(p_user uuid, p_site uuid)
  RETURNS TABLE (user_id uuid, site_id uuid, organization_id uuid, organization_role text, site_role text, value jsonb)
  LANGUAGE sql STABLE
  SET search_path = public, pg_temp
  AS $$
    SELECT u.id, s.id, s.organization_id, m.role, a.role, shape_value_site_users(u, s.id, m.role, a.role)
    FROM users u
    JOIN memberships m ON m.user_id = u.id
    JOIN sites s ON s.organization_id = m.organization_id
    LEFT JOIN site_access a ON a.user_id = u.id AND a.site_id = s.id
    WHERE (m.role = 'org_admin' OR a.role IS NOT NULL)
      AND (p_user IS NULL OR u.id = p_user)
      AND (p_site IS NULL OR s.id = p_site)
  $$;

-- The functions below run as the owner with every organization in scope, because a change in one
-- organization (a user disabled by their home organization's admin) changes site_users rows of sites
-- in others that the writer's scope cannot see. They set app.all_organizations on entry and put the
-- caller's value back before they return: a SET clause on the function cannot do it, because
-- Postgres 15 lets only superusers name a placeholder setting such as app.* there.
CREATE FUNCTION change_log_append(p_shape text, p_organization uuid, p_site uuid, p_key text, p_operation text, p_value jsonb)
  RETURNS void
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    caller_scope text := current_setting('app.all_organizations', true);
  BEGIN
    PERFORM set_config('app.all_organizations', 'on', true);
    INSERT INTO change_log (shape, organization_id, site_id, row_key, operation, value)
    VALUES (p_shape, p_organization, p_site, p_key, p_operation, p_value);
    -- Postgres delivers notifications at commit and folds duplicates within a transaction.
    PERFORM pg_notify('shape_changes', coalesce(p_site::text, 'global'));
    PERFORM set_config('app.all_organizations', coalesce(caller_scope, ''), true);
  END $$;
REVOKE ALL ON FUNCTION change_log_append(text, uuid, uuid, text, text, jsonb) FROM PUBLIC;

-- Row trigger of the tables that map one row to one shape row. Arguments: the shape, the column that
-- holds the site id ('id' for sites, '' for global shapes) and the key column. Moving a row to
-- another site is a delete in the old site's stream and an insert in the new one.
CREATE FUNCTION change_log_row_trigger() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    shape text := TG_ARGV[0];
    site_column text := TG_ARGV[1];
    key_column text := TG_ARGV[2];
    old_row jsonb;
    new_row jsonb;
    old_value jsonb;
    new_value jsonb;
    old_site uuid;
    new_site uuid;
    tombstone jsonb;
  BEGIN
    IF TG_OP <> 'INSERT' THEN
      old_row := to_jsonb(OLD);
      old_site := nullif(coalesce(old_row ->> site_column, ''), '')::uuid;
      EXECUTE format('SELECT shape_value_%s($1)', shape) INTO old_value USING OLD;
    END IF;
    IF TG_OP <> 'DELETE' THEN
      new_row := to_jsonb(NEW);
      new_site := nullif(coalesce(new_row ->> site_column, ''), '')::uuid;
      EXECUTE format('SELECT shape_value_%s($1)', shape) INTO new_value USING NEW;
    END IF;

    IF TG_OP = 'UPDATE' AND old_value = new_value AND old_site IS NOT DISTINCT FROM new_site THEN
      RETURN NULL;
    END IF;

    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND old_site IS DISTINCT FROM new_site) THEN
      tombstone := jsonb_build_object(key_column, old_row ->> key_column);
      IF old_value ? 'site_id' THEN
        tombstone := tombstone || jsonb_build_object('site_id', old_site::text);
      END IF;
      PERFORM change_log_append(shape, (old_row ->> 'organization_id')::uuid, old_site, old_row ->> key_column, 'delete', tombstone);
    END IF;

    IF TG_OP <> 'DELETE' THEN
      PERFORM change_log_append(
        shape, (new_row ->> 'organization_id')::uuid, new_site, new_row ->> key_column,
        CASE WHEN TG_OP = 'UPDATE' AND old_site IS NOT DISTINCT FROM new_site THEN 'update' ELSE 'insert' END,
        new_value);
    END IF;
    RETURN NULL;
  END $$;

CREATE TRIGGER change_log AFTER INSERT OR UPDATE OR DELETE ON sites
  FOR EACH ROW EXECUTE FUNCTION change_log_row_trigger('site', 'id', 'id');
CREATE TRIGGER change_log AFTER INSERT OR UPDATE OR DELETE ON site_nodes
  FOR EACH ROW EXECUTE FUNCTION change_log_row_trigger('site_nodes', 'site_id', 'id');
CREATE TRIGGER change_log AFTER INSERT OR UPDATE OR DELETE ON devices
  FOR EACH ROW EXECUTE FUNCTION change_log_row_trigger('devices', 'site_id', 'id');
CREATE TRIGGER change_log AFTER INSERT OR UPDATE OR DELETE ON points
  FOR EACH ROW EXECUTE FUNCTION change_log_row_trigger('points', 'site_id', 'id');
CREATE TRIGGER change_log AFTER INSERT OR UPDATE OR DELETE ON alarm_rules
  FOR EACH ROW EXECUTE FUNCTION change_log_row_trigger('alarm_rules', 'site_id', 'id');
CREATE TRIGGER change_log AFTER INSERT OR UPDATE OR DELETE ON jwks_keys
  FOR EACH ROW EXECUTE FUNCTION change_log_row_trigger('jwks', '', 'kid');

-- Recomputes the site_users rows of one user, one site, or both, and logs what differs from the rows
-- logged before: an insert for a user who may now open the site, an update when a column changed and
-- a delete for a user who lost access.
CREATE FUNCTION site_users_refresh(p_user uuid, p_site uuid) RETURNS void
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    pair record;
    caller_scope text := current_setting('app.all_organizations', true);
  BEGIN
    PERFORM set_config('app.all_organizations', 'on', true);
    FOR pair IN
      SELECT coalesce(cur.user_id, st.user_id) AS user_id, coalesce(cur.site_id, st.site_id) AS site_id,
             coalesce(cur.organization_id, st.organization_id) AS organization_id,
             cur.organization_role, cur.site_role, cur.value AS new_value, st.value AS old_value
      FROM site_users_current(p_user, p_site) cur
      FULL JOIN (
        SELECT s.user_id, s.site_id, s.organization_id, s.value FROM site_users_state s
        WHERE (p_user IS NULL OR s.user_id = p_user) AND (p_site IS NULL OR s.site_id = p_site)
      ) st ON st.user_id = cur.user_id AND st.site_id = cur.site_id
      ORDER BY 2, 1
    LOOP
      IF pair.new_value IS NULL THEN
        DELETE FROM site_users_state WHERE user_id = pair.user_id AND site_id = pair.site_id;
        PERFORM change_log_append('site_users', pair.organization_id, pair.site_id, pair.user_id::text, 'delete',
          jsonb_build_object('user_id', pair.user_id::text, 'site_id', pair.site_id::text));
      ELSIF pair.old_value IS NULL THEN
        INSERT INTO site_users_state (user_id, site_id, organization_id, organization_role, site_role, value)
        VALUES (pair.user_id, pair.site_id, pair.organization_id, pair.organization_role, pair.site_role, pair.new_value);
        PERFORM change_log_append('site_users', pair.organization_id, pair.site_id, pair.user_id::text, 'insert', pair.new_value);
      ELSE
        UPDATE site_users_state SET organization_role = pair.organization_role, site_role = pair.site_role, value = pair.new_value
        WHERE user_id = pair.user_id AND site_id = pair.site_id;
        CONTINUE WHEN pair.new_value = pair.old_value;
        PERFORM change_log_append('site_users', pair.organization_id, pair.site_id, pair.user_id::text, 'update', pair.new_value);
      END IF;
    END LOOP;
    PERFORM set_config('app.all_organizations', coalesce(caller_scope, ''), true);
  END $$;
REVOKE ALL ON FUNCTION site_users_refresh(uuid, uuid) FROM PUBLIC;

-- Recomputes the site_users rows of a user whose users row changed, from the roles stored with them.
-- It reads no other table, so an update of a user never waits for locks on memberships or sites.
CREATE FUNCTION site_users_refresh_user(u users) RETURNS void
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    pair record;
    new_value jsonb;
    caller_scope text := current_setting('app.all_organizations', true);
  BEGIN
    PERFORM set_config('app.all_organizations', 'on', true);
    FOR pair IN SELECT * FROM site_users_state WHERE user_id = u.id ORDER BY site_id LOOP
      new_value := shape_value_site_users(u, pair.site_id, pair.organization_role, pair.site_role);
      CONTINUE WHEN new_value = pair.value;
      UPDATE site_users_state SET value = new_value WHERE user_id = pair.user_id AND site_id = pair.site_id;
      PERFORM change_log_append('site_users', pair.organization_id, pair.site_id, u.id::text, 'update', new_value);
    END LOOP;
    PERFORM set_config('app.all_organizations', coalesce(caller_scope, ''), true);
  END $$;
REVOKE ALL ON FUNCTION site_users_refresh_user(users) FROM PUBLIC;

-- Which site_users rows a row change can affect: one user's rows at every site (users, memberships),
-- one user at one site (site_access) or every user of one site (sites). A deleted user's memberships
-- are deleted with it, and their triggers delete the rows.
CREATE FUNCTION site_users_trigger() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  BEGIN
    IF TG_TABLE_NAME = 'users' THEN
      PERFORM site_users_refresh_user(NEW);
    ELSIF TG_TABLE_NAME = 'memberships' THEN
      IF TG_OP <> 'INSERT' THEN PERFORM site_users_refresh(OLD.user_id, NULL); END IF;
      IF TG_OP <> 'DELETE' THEN PERFORM site_users_refresh(NEW.user_id, NULL); END IF;
    ELSIF TG_TABLE_NAME = 'site_access' THEN
      IF TG_OP <> 'INSERT' THEN PERFORM site_users_refresh(OLD.user_id, OLD.site_id); END IF;
      IF TG_OP <> 'DELETE' THEN PERFORM site_users_refresh(NEW.user_id, NEW.site_id); END IF;
    ELSIF TG_TABLE_NAME = 'sites' THEN
      PERFORM site_users_refresh(NULL, CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
    END IF;
    RETURN NULL;
  END $$;

CREATE TRIGGER site_users AFTER UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION site_users_trigger();
CREATE TRIGGER site_users AFTER INSERT OR UPDATE OR DELETE ON memberships
  FOR EACH ROW EXECUTE FUNCTION site_users_trigger();
CREATE TRIGGER site_users AFTER INSERT OR UPDATE OR DELETE ON site_access
  FOR EACH ROW EXECUTE FUNCTION site_users_trigger();
CREATE TRIGGER site_users AFTER INSERT OR UPDATE OR DELETE ON sites
  FOR EACH ROW EXECUTE FUNCTION site_users_trigger();

-- Deletes changes created before p_older_than and raises the generation of every stream that lost
-- rows. Runs with every organization in scope, so one call prunes the streams of all of them.
CREATE FUNCTION change_log_prune(p_older_than timestamptz) RETURNS integer
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    deleted integer;
    caller_scope text := current_setting('app.all_organizations', true);
  BEGIN
    PERFORM set_config('app.all_organizations', 'on', true);
    WITH removed AS (
      DELETE FROM change_log WHERE created_at < p_older_than RETURNING shape, site_id
    ), streams AS (
      SELECT DISTINCT shape, site_id FROM removed
    ), raised AS (
      INSERT INTO change_log_generations AS g (shape, site_id, generation)
      SELECT shape, site_id, 2 FROM streams
      ON CONFLICT (shape, site_id) DO UPDATE SET generation = g.generation + 1
      RETURNING site_id
    ), notified AS (
      -- Wakes held requests of the raised streams, so their clients learn of the new handle at once.
      SELECT pg_notify('shape_changes', coalesce(site_id::text, 'global')) FROM raised
    )
    SELECT (SELECT count(*) FROM removed) INTO deleted FROM (SELECT count(*) FROM notified) n;
    PERFORM set_config('app.all_organizations', coalesce(caller_scope, ''), true);
    RETURN deleted;
  END $$;
