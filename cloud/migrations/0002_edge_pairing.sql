-- Edge pairing: an edge node starts with a one-time pairing code; pairing stores the public half of
-- the key pair the edge generated, and every later request is a JWT the edge signs with the private
-- half. The opaque credential of the first schema is replaced by that key pair.

ALTER TABLE edge_nodes DROP COLUMN credential_hash;
ALTER TABLE edge_nodes
  ADD COLUMN pairing_code_hash bytea UNIQUE,
  ADD COLUMN pairing_code_expires_at timestamptz,
  -- EC P-256 public JWK of the edge, set when it pairs; null until then.
  ADD COLUMN public_jwk jsonb,
  ADD COLUMN paired_at timestamptz,
  ADD COLUMN hostname text,
  -- Set when an admin revokes the edge; its requests are refused from then on.
  ADD COLUMN revoked_at timestamptz;
