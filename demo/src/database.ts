import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { z } from 'zod';

/*
 * The demo's database with an owner role for `cloud migrate` and a runtime role for the hub, set up
 * as cloud/deploy/postgres-init.sql does: the owner, not PUBLIC, controls the public schema. The roles'
 * passwords are random and kept in <data>/database.json, so a second run logs in with the same ones.
 */

/** URLs of the two roles. */
export interface DemoDatabase {
  ownerUrl: string;
  runtimeUrl: string;
  /** Whether this run created the database. */
  created: boolean;
}

const passwordsSchema = z.strictObject({ owner: z.string().min(1), app: z.string().min(1) });

function roleNames(database: string) {
  return { owner: `${database}_owner`, app: `${database}_app` };
}

function urlFor(adminUrl: string, database: string, role?: { name: string; password: string }): string {
  const url = new URL(adminUrl);
  if (role !== undefined) {
    url.username = encodeURIComponent(role.name);
    url.password = encodeURIComponent(role.password);
  }
  url.pathname = `/${database}`;
  return url.toString();
}

function readOrCreatePasswords(dataDir: string): z.infer<typeof passwordsSchema> {
  const path = join(dataDir, 'database.json');
  if (existsSync(path)) {
    const parsed = passwordsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (parsed.success) return parsed.data;
  }
  const passwords = { owner: randomBytes(18).toString('base64url'), app: randomBytes(18).toString('base64url') };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path, `${JSON.stringify(passwords)}\n`, { mode: 0o600 });
  return passwords;
}

/**
 * Creates the database and its roles when missing, and sets the roles' passwords to the kept ones.
 * A role that is not a superuser but has CREATEDB and CREATEROLE is granted the owner role, because
 * `CREATE DATABASE ... OWNER` requires membership in the owner. On Postgres 16 the role that creates a
 * role gets ADMIN OPTION on it, so the grant is allowed there as well. When a step fails, the roles and
 * the database this call created are dropped again.
 */
export async function ensureDemoDatabase(adminUrl: string, database: string, dataDir: string): Promise<DemoDatabase> {
  const roles = roleNames(database);
  const passwords = readOrCreatePasswords(dataDir);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const createdRoles: string[] = [];
  let created = false;
  try {
    const [caller] = await admin<{ superuser: boolean }[]>`SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`;
    for (const [name, password] of [[roles.owner, passwords.owner], [roles.app, passwords.app]] as const) {
      const [exists] = await admin`SELECT 1 FROM pg_roles WHERE rolname = ${name}`;
      // The password is a random base64url string, so quoting it as a literal is safe; DDL takes no parameters.
      if (exists) {
        await admin.unsafe(`ALTER ROLE "${name}" LOGIN PASSWORD '${password}'`);
      } else {
        await admin.unsafe(`CREATE ROLE "${name}" LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${password}'`);
        createdRoles.push(name);
      }
    }
    if (!caller?.superuser) await grantOwnerToCaller(admin, roles.owner);
    const [exists] = await admin`SELECT 1 FROM pg_database WHERE datname = ${database}`;
    if (!exists) {
      await admin`CREATE DATABASE ${admin(database)} OWNER ${admin(roles.owner)}`;
      created = true;
      const inDatabase = postgres(urlFor(adminUrl, database), { max: 1, onnotice: () => {} });
      try {
        await inDatabase`REVOKE ALL ON SCHEMA public FROM PUBLIC`;
        await inDatabase`ALTER SCHEMA public OWNER TO ${inDatabase(roles.owner)}`;
      } finally {
        await inDatabase.end();
      }
    }
  } catch (error) {
    const leftBehind = await undoCreated(admin, created ? database : null, createdRoles);
    const leftText = leftBehind.length === 0 ? '' : `; could not drop ${leftBehind.join(', ')}`;
    const privilegeHint =
      (error as { code?: unknown }).code === '42501'
        ? '; set DEMO_DATABASE_URL to a superuser URL (from Postgres 16 on, a CREATEROLE role may change only the roles it created)'
        : '';
    throw new Error(`preparing database ${database} failed: ${(error as Error).message}${leftText}${privilegeHint}`, { cause: error });
  } finally {
    await admin.end();
  }
  return {
    ownerUrl: urlFor(adminUrl, database, { name: roles.owner, password: passwords.owner }),
    runtimeUrl: urlFor(adminUrl, database, { name: roles.app, password: passwords.app }),
    created,
  };
}

/** Makes the calling role a member of the owner role, unless it already is one. */
async function grantOwnerToCaller(admin: postgres.Sql, owner: string): Promise<void> {
  const [member] = await admin`SELECT pg_has_role(current_user, ${owner}, 'MEMBER') AS yes`;
  if (member?.yes) return;
  await admin`GRANT ${admin(owner)} TO CURRENT_USER`;
}

/**
 * Drops what a failed `ensureDemoDatabase` created, so the next run starts from the same state.
 * Returns the objects it could not drop, each with the reason.
 */
async function undoCreated(admin: postgres.Sql, database: string | null, createdRoles: readonly string[]): Promise<string[]> {
  const leftBehind: string[] = [];
  const drop = async (what: string, statement: () => Promise<unknown>) => {
    try {
      await statement();
    } catch (error) {
      leftBehind.push(`${what} (${(error as Error).message})`);
    }
  };
  if (database !== null) await drop(`database ${database}`, () => admin`DROP DATABASE IF EXISTS ${admin(database)} WITH (FORCE)`);
  for (const role of [...createdRoles].reverse()) await drop(`role ${role}`, () => admin`DROP ROLE IF EXISTS ${admin(role)}`);
  return leftBehind;
}

/** Drops the database (closing its connections) and its two roles. */
export async function dropDemoDatabase(adminUrl: string, database: string): Promise<void> {
  const roles = roleNames(database);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin`DROP DATABASE IF EXISTS ${admin(database)} WITH (FORCE)`;
    await admin`DROP ROLE IF EXISTS ${admin(roles.app)}`;
    await admin`DROP ROLE IF EXISTS ${admin(roles.owner)}`;
  } finally {
    await admin.end();
  }
}
