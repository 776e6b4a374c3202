import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/*
 * A private database on the shared Postgres server for one stack, with its own owner and runtime roles
 * as docs/cloud.md has a DBA create them. The names carry a random suffix, so parallel test files never
 * share one.
 */

/** Superuser URL used to create and drop the database and roles; override with TEST_POSTGRES_ADMIN_URL. */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database and its two roles; `drop` removes all three. */
export interface PrivateDatabase {
  name: string;
  /** URL of the owner role, for `cloud migrate` (MIGRATE_DATABASE_URL). */
  ownerUrl: string;
  /** URL of the runtime role, for `cloud start` and `cloud create-admin` (DATABASE_URL). */
  runtimeUrl: string;
  drop(): Promise<void>;
}

/** Returns the admin URL pointed at `database`, as `role` without a password when `role` is given. */
function urlFor(database: string, role?: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  if (role !== undefined) {
    url.username = role;
    url.password = '';
  }
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates an empty database owned by a new owner role, and a runtime role, both without superuser rights. */
export async function createPrivateDatabase(): Promise<PrivateDatabase> {
  const suffix = randomBytes(5).toString('hex');
  const name = `ems_e2e_${suffix}`;
  const ownerRole = `ems_e2e_owner_${suffix}`;
  const runtimeRole = `ems_e2e_app_${suffix}`;
  const admin = postgres(POSTGRES_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin`SELECT 1`;
  } catch (error) {
    await admin.end();
    throw new Error(`Postgres is not reachable at ${POSTGRES_ADMIN_URL}; start it or set TEST_POSTGRES_ADMIN_URL`, { cause: error });
  }

  const drop = async () => {
    await admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`;
    await admin`DROP ROLE IF EXISTS ${admin(runtimeRole)}`;
    await admin`DROP ROLE IF EXISTS ${admin(ownerRole)}`;
    await admin.end();
  };
  try {
    await admin`CREATE ROLE ${admin(ownerRole)} LOGIN NOSUPERUSER NOBYPASSRLS`;
    await admin`CREATE ROLE ${admin(runtimeRole)} LOGIN NOSUPERUSER NOBYPASSRLS`;
    await admin`CREATE DATABASE ${admin(name)} OWNER ${admin(ownerRole)}`;
    // The owner, not PUBLIC, controls the schema, as cloud/deploy/postgres-init.sql sets it up.
    const inDatabase = postgres(urlFor(name), { max: 1, onnotice: () => {} });
    try {
      await inDatabase`REVOKE ALL ON SCHEMA public FROM PUBLIC`;
      await inDatabase`ALTER SCHEMA public OWNER TO ${inDatabase(ownerRole)}`;
    } finally {
      await inDatabase.end();
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, ownerUrl: urlFor(name, ownerRole), runtimeUrl: urlFor(name, runtimeRole), drop };
}
