-- Energy settings of each site (tariffs, virtual meters, emission factor, night window) and the currency
-- of its organization, which every tariff of the organization's sites is priced in. Edges receive both
-- in the energy_settings shape, so cost and indicators stay known while the hub is out of reach.

ALTER TABLE organizations ADD COLUMN currency text NOT NULL DEFAULT 'EUR'
  CONSTRAINT organizations_currency_check CHECK (currency ~ '^[A-Z]{3}$');

-- At most one row per site, absent until settings are saved. `settings` is a
-- siteEnergySettingsSchema object of @simtestlab/sync; the hub validates it before it writes.
CREATE TABLE site_energy_settings (
  site_id uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  settings jsonb NOT NULL CHECK (jsonb_typeof(settings) = 'object'),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
  FOREIGN KEY (site_id, organization_id) REFERENCES sites (id, organization_id) ON DELETE CASCADE
);
CREATE INDEX site_energy_settings_organization ON site_energy_settings (organization_id);

ALTER TABLE site_energy_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE site_energy_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON site_energy_settings USING (app_in_scope(organization_id));

-- The currency comes from the organization row. Every caller of this function has the site's
-- organization in scope: the shape snapshot reads in the edge's organization, and a writer of a
-- site_energy_settings or organizations row can only write rows of its scope.
CREATE FUNCTION shape_value_energy_settings(r site_energy_settings) RETURNS jsonb
  LANGUAGE sql STABLE
  AS $$ SELECT jsonb_build_object('site_id', r.site_id::text, 'organization_id', r.organization_id::text,
    'currency', (SELECT o.currency FROM organizations o WHERE o.id = r.organization_id),
    'settings', r.settings::text) $$;

CREATE TRIGGER change_log AFTER INSERT OR UPDATE OR DELETE ON site_energy_settings
  FOR EACH ROW EXECUTE FUNCTION change_log_row_trigger('energy_settings', 'site_id', 'site_id');

-- A new organization currency changes the energy_settings row of every site of the organization
-- that has one, so each of them is logged as an update.
CREATE FUNCTION energy_settings_currency_trigger() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    settings_row site_energy_settings;
  BEGIN
    FOR settings_row IN SELECT * FROM site_energy_settings WHERE organization_id = NEW.id ORDER BY site_id LOOP
      PERFORM change_log_append('energy_settings', settings_row.organization_id, settings_row.site_id, settings_row.site_id::text,
        'update', shape_value_energy_settings(settings_row));
    END LOOP;
    RETURN NULL;
  END $$;

CREATE TRIGGER energy_settings_currency AFTER UPDATE OF currency ON organizations
  FOR EACH ROW WHEN (OLD.currency IS DISTINCT FROM NEW.currency)
  EXECUTE FUNCTION energy_settings_currency_trigger();
