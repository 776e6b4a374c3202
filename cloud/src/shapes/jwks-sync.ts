import type { KeySet } from '../auth/signing-keys';
import type { Sql } from '../db/connect';

/**
 * Makes jwks_keys hold the public keys of `keys.verifying`, which the jwks shape serves to edges, and
 * changes only rows that differ, so an unchanged key set writes nothing to the change log. Every hub
 * instance runs it after loading its keys. Instances read the same keys folder, so they agree once
 * all have reloaded.
 */
export async function syncJwksKeys(sql: Sql, keys: KeySet): Promise<void> {
  const kids = keys.verifying.map((key) => key.kid);
  await sql.begin(async (tx) => {
    await tx`DELETE FROM jwks_keys WHERE kid <> ALL (${kids}::text[])`;
    for (const key of keys.verifying) {
      await tx`
        INSERT INTO jwks_keys (kid, jwk) VALUES (${key.kid}, ${tx.json(key.publicJwk as Record<string, string>)})
        ON CONFLICT (kid) DO UPDATE SET jwk = EXCLUDED.jwk WHERE jwks_keys.jwk IS DISTINCT FROM EXCLUDED.jwk`;
    }
  });
}
