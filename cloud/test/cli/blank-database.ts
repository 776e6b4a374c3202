import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { ADMIN_URL } from '../support/test-database';

export interface BlankDatabase {
  ownerUrl: string;
  runtimeUrl: string;
  runtimeRole: string;
  drop(): Promise<void>;
}

function urlFor(role: string, database: string): string {
  const url = new URL(ADMIN_URL);
  url.username = role;
  url.password = '';
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates an empty database with an owner and a runtime role, as a DBA would before the first `cloud migrate`. */
export async function createBlankDatabase(label: string): Promise<BlankDatabase> {
  const suffix = `${label}_${randomBytes(4).toString('hex')}`;
  const name = `ems_test_${suffix}`;
  const ownerRole = `ems_owner_${suffix}`;
  const runtimeRole = `ems_app_${suffix}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin`SELECT 1`;
  } catch (error) {
    await admin.end();
    throw new Error(`Postgres is not reachable at ${ADMIN_URL}; start it or set TEST_POSTGRES_ADMIN_URL`, { cause: error });
  }
  await admin`CREATE ROLE ${admin(ownerRole)} LOGIN NOSUPERUSER NOBYPASSRLS`;
  await admin`CREATE ROLE ${admin(runtimeRole)} LOGIN NOSUPERUSER NOBYPASSRLS`;
  await admin`CREATE DATABASE ${admin(name)} OWNER ${admin(ownerRole)}`;
  return {
    ownerUrl: urlFor(ownerRole, name),
    runtimeUrl: urlFor(runtimeRole, name),
    runtimeRole,
    drop: async () => {
      await admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`;
      await admin`DROP ROLE IF EXISTS ${admin(runtimeRole)}`;
      await admin`DROP ROLE IF EXISTS ${admin(ownerRole)}`;
      await admin.end();
    },
  };
}
