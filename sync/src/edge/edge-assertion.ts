/**
 * Edge assertions, which authenticate a paired edge to the hub: every request carries `Authorization: Bearer <JWT>`
 * signed with the edge's own ES256 private key. The hub verifies it with the public key stored at
 * pairing, looked up by `kid`, which is the edge node id.
 */

/** JOSE `typ` of an edge assertion, so no other token type can stand in for one. */
export const EDGE_ASSERTION_TYPE = 'edge+jwt';

/** `aud` of every edge assertion. */
export const EDGE_ASSERTION_AUDIENCE = 'simtestlab-ems-hub';

/** Maximum lifetime the hub accepts, from `iat` to `exp`. Edges sign a fresh assertion per minute. */
export const EDGE_ASSERTION_MAX_LIFETIME_S = 300;

/** Error code the hub returns once an edge is revoked, so the edge can report it and stop retrying. */
export const EDGE_REVOKED_CODE = 'edge_revoked';
