-- Runs once when the compose Postgres volume is created: the owner role that `cloud migrate` uses and
-- the runtime role the hub connects as. The passwords match docker-compose.yml; change both for any
-- deployment that is more than a local trial.
CREATE ROLE ems_owner LOGIN PASSWORD 'ems_owner_password';
CREATE ROLE ems_app LOGIN PASSWORD 'ems_app_password';
CREATE DATABASE ems OWNER ems_owner;
\connect ems
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO ems_owner;
