-- Identity, tenancy and the audit log. Tenant tables carry organization_id and are guarded by row-level
-- security, forced for the table owner too. The service sets app.all_organizations and
-- app.organization_ids with set_config(..., true), so the values last only until the transaction ends.

CREATE FUNCTION app_all_organizations() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('app.all_organizations', true), '') = 'on' $$;

CREATE FUNCTION app_organization_ids() RETURNS uuid[]
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(nullif(current_setting('app.organization_ids', true), ''), '{}')::uuid[] $$;

CREATE FUNCTION app_in_scope(organization uuid) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT app_all_organizations() OR organization = ANY (app_organization_ids()) $$;

CREATE TABLE organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  password_hash text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  platform_admin boolean NOT NULL DEFAULT false,
  developer boolean NOT NULL DEFAULT false,
  -- Raised whenever memberships, site access, status or flags change; access tokens carry it.
  permissions_version integer NOT NULL DEFAULT 1,
  -- Access tokens that carry a lower permissions_version are rejected. Set to the raised
  -- permissions_version when the user is disabled or their password is reset or set, so tokens issued
  -- before stay invalid even after the user is enabled again.
  tokens_valid_from_version integer NOT NULL DEFAULT 1,
  -- The organization that invited the user. Only its org admins may change the user, and only while
  -- the user belongs to no organization they do not administer. Null for users created outside any
  -- organization: platform-level users and the admins that `cloud create-admin` creates.
  home_organization_id uuid REFERENCES organizations (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_home_organization ON users (home_organization_id);

CREATE TABLE password_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE,
  purpose text NOT NULL CHECK (purpose IN ('invite', 'reset')),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_tokens_user ON password_tokens (user_id);

CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Every token issued by rotation from one login shares the family; reuse of a spent one revokes it.
  family_id uuid NOT NULL,
  -- When the family's login happened; rotation never extends a session past a fixed age from it.
  family_started_at timestamptz NOT NULL,
  token_hash bytea NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  ip text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE memberships (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('org_admin', 'member')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, organization_id)
);
CREATE INDEX memberships_organization ON memberships (organization_id);

CREATE TABLE sites (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  time_zone text NOT NULL,
  latitude double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision CHECK (longitude BETWEEN -180 AND 180),
  address text,
  -- Whether operators may control devices here; site managers and above always may.
  operator_control boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, organization_id)
);
CREATE INDEX sites_organization ON sites (organization_id);

-- Buildings, areas and systems below a site; devices hang from any of them.
CREATE TABLE site_nodes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL,
  site_id uuid NOT NULL,
  parent_id uuid REFERENCES site_nodes (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('building', 'area', 'system')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (site_id, organization_id) REFERENCES sites (id, organization_id) ON DELETE CASCADE,
  UNIQUE (id, site_id)
);
CREATE INDEX site_nodes_site ON site_nodes (site_id);

CREATE TABLE site_access (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  site_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'operator', 'site_manager')),
  granted_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, site_id),
  FOREIGN KEY (site_id, organization_id) REFERENCES sites (id, organization_id) ON DELETE CASCADE,
  FOREIGN KEY (user_id, organization_id) REFERENCES memberships (user_id, organization_id) ON DELETE CASCADE
);
CREATE INDEX site_access_site ON site_access (site_id);

CREATE TABLE devices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL,
  site_id uuid NOT NULL,
  node_id uuid,
  key text NOT NULL,
  name text,
  driver text NOT NULL,
  -- The device as the shared model defines it (connection, polling), without its points.
  config jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (site_id, organization_id) REFERENCES sites (id, organization_id) ON DELETE CASCADE,
  FOREIGN KEY (node_id, site_id) REFERENCES site_nodes (id, site_id),
  UNIQUE (site_id, key),
  UNIQUE (id, site_id)
);

CREATE TABLE points (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL,
  site_id uuid NOT NULL,
  device_id uuid NOT NULL,
  key text NOT NULL,
  -- 0-based place in the device's points list, which the API returns in the order it was given.
  position integer NOT NULL CHECK (position >= 0),
  -- The point as the shared model defines it for the device's driver.
  config jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (device_id, site_id) REFERENCES devices (id, site_id) ON DELETE CASCADE,
  FOREIGN KEY (site_id, organization_id) REFERENCES sites (id, organization_id) ON DELETE CASCADE,
  UNIQUE (device_id, key)
);

CREATE TABLE edge_nodes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL,
  site_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  credential_hash bytea NOT NULL UNIQUE,
  last_seen_at timestamptz,
  software_version text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (site_id, organization_id) REFERENCES sites (id, organization_id) ON DELETE CASCADE
);
CREATE INDEX edge_nodes_site ON edge_nodes (site_id);

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- Null for entries outside any organization (a platform admin's change to a user without one).
  organization_id uuid,
  site_id uuid,
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'edge', 'system')),
  actor_id text,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text,
  before jsonb,
  after jsonb,
  ip text,
  user_agent text,
  request_id text
);
-- Searches page newest first by id, within an organization or, for site managers, a site.
CREATE INDEX audit_log_organization ON audit_log (organization_id, id DESC);
CREATE INDEX audit_log_site ON audit_log (site_id, id DESC);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at DESC);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id);

-- Statement triggers, because they fire even when no row matches: audit_log has no UPDATE or DELETE
-- policy, so under forced row-level security a row trigger would never fire and an UPDATE would
-- silently change nothing instead of failing.
CREATE FUNCTION audit_log_reject_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP; END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_reject_change();

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON organizations USING (app_in_scope(id));

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON memberships USING (app_in_scope(organization_id));

ALTER TABLE sites ENABLE ROW LEVEL SECURITY;
ALTER TABLE sites FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON sites USING (app_in_scope(organization_id));

ALTER TABLE site_nodes ENABLE ROW LEVEL SECURITY;
ALTER TABLE site_nodes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON site_nodes USING (app_in_scope(organization_id));

ALTER TABLE site_access ENABLE ROW LEVEL SECURITY;
ALTER TABLE site_access FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON site_access USING (app_in_scope(organization_id));

ALTER TABLE devices ENABLE ROW LEVEL SECURITY;
ALTER TABLE devices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON devices USING (app_in_scope(organization_id));

ALTER TABLE points ENABLE ROW LEVEL SECURITY;
ALTER TABLE points FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON points USING (app_in_scope(organization_id));

ALTER TABLE edge_nodes ENABLE ROW LEVEL SECURITY;
ALTER TABLE edge_nodes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON edge_nodes USING (app_in_scope(organization_id));

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON audit_log FOR SELECT
  USING (app_in_scope(organization_id) OR (organization_id IS NULL AND app_all_organizations()));
CREATE POLICY tenant_append ON audit_log FOR INSERT
  WITH CHECK (organization_id IS NULL OR app_in_scope(organization_id));
