import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** One login of `<out>/logins.json`. */
export const demoLoginSchema = z.strictObject({
  email: z.string(),
  password: z.string(),
  role: z.enum(['viewer', 'operator', 'site_manager', 'org_admin', 'platform_admin', 'developer']),
  abilities: z.string(),
});
export type DemoLogin = z.infer<typeof demoLoginSchema>;

/** Contents of `<out>/logins.json`: the hub's URL and the demo users' logins. */
export const demoLoginsFileSchema = z.strictObject({
  hubUrl: z.string(),
  organizationId: z.uuid(),
  sites: z.array(z.strictObject({ key: z.string(), id: z.uuid(), name: z.string() })),
  logins: z.array(demoLoginSchema),
});
export type DemoLoginsFile = z.infer<typeof demoLoginsFileSchema>;

/** Returns the path of the logins file in the output folder. */
export function loginsPath(outDir: string): string {
  return join(outDir, 'logins.json');
}

/** Reads the logins of an earlier run; an absent file returns an empty map, an unreadable one raises an error naming it. */
export function readKnownPasswords(outDir: string): Map<string, string> {
  const path = loginsPath(outDir);
  if (!existsSync(path)) return new Map();
  let parsed: DemoLoginsFile;
  try {
    parsed = demoLoginsFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new Error(`${path} is not a logins file of "cloud seed-demo": ${error instanceof Error ? error.message : String(error)}; delete it to create new passwords`, { cause: error });
  }
  return new Map(parsed.logins.map((login) => [login.email.toLowerCase(), login.password]));
}

/** Writes the logins file, readable only by its owner because it contains passwords. */
export function writeLoginsFile(outDir: string, contents: DemoLoginsFile): string {
  const path = loginsPath(outDir);
  writeFileSync(path, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
  return path;
}
