import { readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHelp, DATABASE_PORTS_OVERRIDE, kubernetesDir, readRepoFile, repoPathExists, repoRoot } from './deploy-files';

// docs/deploy.md compared with the repository: its links and the paths and commands it names exist.

const docPath = 'docs/deploy.md';
const doc = readRepoFile(docPath);

/** Targets of the Markdown links that point into the repository, without their #anchor. */
const repoLinks = [...doc.matchAll(/\]\(([^)\s]+)\)/g)]
  .map((match) => match[1]!)
  .filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith('#'))
  .map((target) => normalize(join(dirname(docPath), target.split('#')[0]!)));

/** Repository paths written as code, such as `cloud/deploy/postgres-init.sql` or `deploy/kubernetes/`. */
const codePaths = [...doc.matchAll(/`((?:cloud|edge-node|deploy|docs|ui|sync|demo)\/[A-Za-z0-9_./-]+)`/g)].map((match) => match[1]!);

describe('docs/deploy.md', () => {
  it('links to files that exist', () => {
    expect(repoLinks.length).toBeGreaterThan(0);
    for (const target of repoLinks) expect(repoPathExists(target), `link ${target}`).toBe(true);
  });

  it('names repository paths that exist', () => {
    expect(codePaths.length).toBeGreaterThan(0);
    for (const path of codePaths) expect(repoPathExists(path), path).toBe(true);
  });

  it('lists every Kubernetes manifest', () => {
    const manifests = readdirSync(join(repoRoot, kubernetesDir)).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    for (const file of manifests) expect(doc, file).toContain(`\`${file}\``);
  });

  it('gives the demo the override database URL', () => {
    const url = /DEMO_DATABASE_URL=(\S+)/.exec(doc)?.[1];
    expect(url).toBeDefined();
    expect(readRepoFile(DATABASE_PORTS_OVERRIDE)).toContain(`DEMO_DATABASE_URL=${url} pnpm demo`);
  });

  it('uses cloud commands that exist', () => {
    const commands = new Set([...doc.matchAll(/cloud(?:\/bin\/cloud\.mjs)? (migrate|create-admin|keys rotate|start|seed-demo)\b/g)].map((match) => match[1]!));
    expect(commands.size).toBeGreaterThan(0);
    for (const command of commands) expect(() => cliHelp('cloud', command), `cloud ${command}`).not.toThrow();
  });
});
