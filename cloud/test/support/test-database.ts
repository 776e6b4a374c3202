import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { connectDatabase, type Sql } from '../../src/db/connect';
import { migrate } from '../../src/db/migrate';
import { createSilentLogger } from '../../src/logger';

/** Superuser URL used to create each test file's database and roles; override with TEST_POSTGRES_ADMIN_URL. */
export const ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** An empty database with its owner and runtime roles, as a DBA creates them before `cloud migrate`. */
export interface BlankDatabase {
  name: string;
  ownerRole: string;
  runtimeRole: string;
  /** URL of the owner role, as `cloud migrate` uses. */
  ownerUrl: string;
  /** URL of the runtime role, as the service uses. */
  runtimeUrl: string;
  drop(): Promise<void>;
}

/** A migrated database with a pool of its owner role. */
export interface TestDatabase extends BlankDatabase {
  /** The owner's pool, for seeding; row-level security applies to it too. */
  owner: Sql;
}

function urlFor(role: string, database: string): string {
  const url = new URL(ADMIN_URL);
  url.username = role;
  url.password = '';
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates a private, empty database with its own owner and runtime roles, neither a superuser. */
export async function createBlankDatabase(label: string): Promise<BlankDatabase> {
  const suffix = `${label.replace(/[^a-z0-9]/g, '_').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
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
    name,
    ownerRole,
    runtimeRole,
    ownerUrl: urlFor(ownerRole, name),
    runtimeUrl: urlFor(runtimeRole, name),
    drop: async () => {
      await admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`;
      await admin`DROP ROLE IF EXISTS ${admin(runtimeRole)}`;
      await admin`DROP ROLE IF EXISTS ${admin(ownerRole)}`;
      await admin.end();
    },
  };
}

/**
 * Creates a private database for one test file and migrates it. Test files run in parallel because
 * none shares a database.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const blank = await createBlankDatabase(label);
  const owner = connectDatabase(blank.ownerUrl, { max: 4 });
  await owner`REVOKE ALL ON SCHEMA public FROM PUBLIC`;
  await migrate(owner, blank.runtimeRole, createSilentLogger());

  return {
    ...blank,
    owner,
    drop: async () => {
      await owner.end({ timeout: 5 });
      await blank.drop();
    },
  };
}
