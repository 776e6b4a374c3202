import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  argumentsOf,
  cliHelp,
  copiesOf,
  dockerignorePatterns,
  envNamesReadBy,
  envOf,
  execFormOf,
  filesReadBesideSources,
  flagValues,
  healthcheckUrl,
  instructionsOf,
  isContained,
  isDockerignored,
  readComposeFile,
  readDockerStages,
  readRepoFile,
  repoPathExists,
  repoRoot,
  runtimeContents,
  sourceFilesUnder,
  type CliName,
  type DockerStage,
} from './deploy-files';

// cloud/Dockerfile and edge-node/Dockerfile compared with the repository. Every path they copy exists
// and reaches the build context. The runtime stage contains what the code reads at run time and
// nothing from the build tools. The port, user, healthcheck and entry point agree with the CLI. The
// edge's healthcheck route is checked in edge-node/test/deploy/, with the edge's own routes.

interface ImageCase {
  dockerfile: string;
  cli: CliName;
  /** The workspace package the image runs. */
  packageDir: string;
}

const images: ImageCase[] = [
  { dockerfile: 'cloud/Dockerfile', cli: 'cloud', packageDir: 'cloud' },
  { dockerfile: 'edge-node/Dockerfile', cli: 'edge-node', packageDir: 'edge-node' },
];

const WORKDIR = '/app';
const RUNTIME_BASE = 'node:20-bookworm-slim';
const ignorePatterns = dockerignorePatterns();

interface PackageJson {
  name: string;
  packageManager?: string;
  dependencies?: Record<string, string>;
  exports?: Record<string, string>;
}

function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readRepoFile(`${dir}/package.json`)) as PackageJson;
}

const workspaceDirs = (parseYaml(readRepoFile('pnpm-workspace.yaml')) as { packages: string[] }).packages;
const workspaceDirByName = new Map(workspaceDirs.map((dir) => [readPackageJson(dir).name, dir]));

/** Workspace packages a package needs at run time, itself excluded: its `workspace:` dependencies, transitively. */
function workspaceDependencies(dir: string, found = new Set<string>()): Set<string> {
  for (const [name, version] of Object.entries(readPackageJson(dir).dependencies ?? {})) {
    const dependencyDir = workspaceDirByName.get(name);
    if (!version.startsWith('workspace:') || dependencyDir === undefined || found.has(dependencyDir)) continue;
    found.add(dependencyDir);
    workspaceDependencies(dependencyDir, found);
  }
  return found;
}

function runText(stage: DockerStage): string {
  return instructionsOf(stage, 'RUN')
    .map((instruction) => argumentsOf(instruction).join(' '))
    .join('\n');
}

function isDirectory(path: string): boolean {
  return repoPathExists(path) && statSync(join(repoRoot, path)).isDirectory();
}

describe.each(images)('$dockerfile', ({ dockerfile, cli, packageDir }) => {
  const stages = readDockerStages(dockerfile);
  const runtime = stages.at(-1)!;
  const buildStages = stages.slice(0, -1);
  const contents = runtimeContents(runtime, WORKDIR);
  const entrypoint = execFormOf(instructionsOf(runtime, 'ENTRYPOINT')[0]!);
  const cmd = execFormOf(instructionsOf(runtime, 'CMD')[0]!);
  const runtimeEnv = envOf(runtime);
  /** The port the default command listens on: the `--port` flag, or the PORT variable. */
  const listenPort = flagValues(cmd).get('--port') ?? runtimeEnv.get('PORT');

  describe('stages', () => {
    it('builds in separate stages from the runtime', () => {
      expect(buildStages.length).toBeGreaterThan(0);
      expect(runtime.base).toBe(RUNTIME_BASE);
      expect(runtime.name).toBe('runtime');
    });

    it('installs the compilers in a build stage', () => {
      expect(buildStages.map(runText).join('\n')).toMatch(/apt-get install -y --no-install-recommends python3 make g\+\+/);
    });

    it('installs the pnpm version of the workspace', () => {
      const packageManager = readPackageJson('.').packageManager!;
      expect(packageManager).toMatch(/^pnpm@10\./);
      expect(buildStages.map(runText).join('\n')).toContain(`npm install -g ${packageManager}`);
    });

    it('builds native modules from source', () => {
      expect(buildStages.some((stage) => envOf(stage).get('npm_config_build_from_source') === 'true')).toBe(true);
    });

    it('installs from the frozen lockfile', () => {
      for (const stage of buildStages) {
        for (const line of runText(stage).split('\n').filter((text) => text.startsWith('pnpm install'))) expect(line, stage.name!).toContain('--frozen-lockfile');
      }
    });

    it('copies every workspace manifest before installing', () => {
      const copied = copiesOf(stages[0]!).flatMap((copy) => copy.sources);
      for (const dir of workspaceDirs) expect(copied, `${dir}/package.json`).toContain(`${dir}/package.json`);
      for (const file of ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc', 'patches']) expect(copied).toContain(file);
    });

    it('builds the web app in a build stage', () => {
      const uiStage = buildStages.find((stage) => runText(stage).includes('pnpm --filter @simtestlab/ui build'));
      expect(uiStage?.name).toBeDefined();
      const distCopy = copiesOf(runtime).find((copy) => copy.fromStage === uiStage!.name);
      expect(distCopy?.sources).toEqual([`${WORKDIR}/ui/dist`]);
    });
  });

  describe('copied files', () => {
    it('copies sources that exist in the build context', () => {
      for (const stage of stages) {
        for (const copy of copiesOf(stage).filter((entry) => entry.fromStage === undefined)) {
          for (const source of copy.sources) {
            expect(repoPathExists(source), `COPY ${source}`).toBe(true);
            expect(isDockerignored(source, ignorePatterns), `.dockerignore excludes ${source}`).toBe(false);
          }
        }
      }
    });

    it('copies from stages defined earlier', () => {
      for (const [index, stage] of stages.entries()) {
        const earlier = stages.slice(0, index).map((entry) => entry.name);
        for (const copy of copiesOf(stage).filter((entry) => entry.fromStage !== undefined)) expect(earlier, `COPY --from=${copy.fromStage}`).toContain(copy.fromStage);
      }
    });

    it('takes node_modules only from a production install', () => {
      const nodeModules = copiesOf(runtime).filter((copy) => copy.sources.some((source) => source.endsWith('node_modules')));
      expect(nodeModules.length).toBeGreaterThan(0);
      for (const copy of nodeModules) {
        const stage = stages.find((entry) => entry.name === copy.fromStage);
        expect(runText(stage!), `stage ${copy.fromStage}`).toMatch(new RegExp(`pnpm install --frozen-lockfile --prod --filter @simtestlab/${packageDir}\\.\\.\\.`));
      }
    });

    it('leaves tests and build tools out of the runtime', () => {
      for (const entry of contents) expect(entry, entry).not.toMatch(/(^|\/)(test|bench|tsconfig[^/]*\.json)$/);
      expect(runText(runtime)).not.toMatch(/apt-get|pnpm|npm install/);
    });

    it('contains the package and its workspace dependencies', () => {
      expect(contents).toContain(`${packageDir}/package.json`);
      for (const dir of workspaceDependencies(packageDir)) {
        expect(contents, `${dir}/package.json`).toContain(`${dir}/package.json`);
        expect(contents, `${dir}/node_modules`).toContain(`${dir}/node_modules`);
        for (const target of Object.values(readPackageJson(dir).exports ?? {})) expect(isContained(join(dir, target), contents), `${dir} export ${target}`).toBe(true);
      }
      expect(contents).toContain(`${packageDir}/node_modules`);
      expect(contents).toContain('node_modules');
    });

    it('contains the files the sources read beside them', () => {
      const sourceDirs = contents.filter((entry) => isDirectory(entry) && !entry.endsWith('node_modules') && sourceFilesUnder([entry]).length > 0);
      expect(sourceDirs).toContain(`${packageDir}/src`);
      // edge-node demo resolves the repository root only for the default --data folder of the full
      // demo, which the image never runs: compose runs the demo with --simulators-only.
      const reads = filesReadBesideSources(sourceFilesUnder(sourceDirs)).filter((read) => read.target !== '');
      expect(reads.length).toBeGreaterThan(0);
      for (const { file, target } of reads) expect(isContained(target, contents), `${file} reads ${target}`).toBe(true);
    });
  });

  describe('runtime', () => {
    it('runs as a numeric non-root user', () => {
      const users = instructionsOf(runtime, 'USER').map((instruction) => argumentsOf(instruction)[0]!);
      expect(users).toHaveLength(1);
      expect(users[0]).toMatch(/^\d+(:\d+)?$/);
      expect(Number(users[0]!.split(':')[0])).toBeGreaterThan(0);
    });

    it('runs the CLI of the package', () => {
      expect(entrypoint).toHaveLength(2);
      expect(entrypoint[0]).toBe('node');
      expect(entrypoint[1]).toBe(`${packageDir}/bin/${cli}.mjs`);
      expect(repoPathExists(entrypoint[1]!)).toBe(true);
      expect(contents).toContain(`${packageDir}/bin`);
    });

    it('runs a documented command with documented flags', () => {
      const [command, ...args] = cmd;
      const help = cliHelp(cli, command!);
      for (const flag of flagValues(args).keys()) expect(help, `${cli} ${command} ${flag}`).toMatch(new RegExp(`${flag}\\b`));
    });

    it('exposes the port the command listens on', () => {
      const exposed = instructionsOf(runtime, 'EXPOSE').flatMap(argumentsOf);
      expect(listenPort).toBeDefined();
      expect(exposed).toEqual([listenPort]);
    });

    it('checks health on the listening port', () => {
      const healthchecks = instructionsOf(runtime, 'HEALTHCHECK');
      expect(healthchecks).toHaveLength(1);
      const url = healthcheckUrl(argumentsOf(healthchecks[0]!).join(' '));
      expect(url?.port).toBe(Number(listenPort));
    });

    it('sets only variables the code reads', () => {
      const codeNames = envNamesReadBy([`${packageDir}/src`]);
      for (const name of runtimeEnv.keys()) expect(codeNames, `ENV ${name}`).toContain(name);
      // Build stages may set only the npm configuration that pnpm and node-gyp read.
      for (const stage of buildStages) for (const name of envOf(stage).keys()) expect(name, `ENV ${name} in ${stage.name}`).toMatch(/^npm_config_/);
    });

    it('names no registry host', () => {
      const text = readRepoFile(dockerfile);
      expect(text).not.toMatch(/registry/i);
      for (const stage of stages) expect(stage.base, `FROM ${stage.base}`).not.toMatch(/^[^/]*[.:][^/]*\//);
      const urls = [...text.matchAll(/https?:\/\/([^/'"\s:]+)/g)].map((match) => match[1]);
      for (const host of urls) expect(host).toBe('127.0.0.1');
    });

    it('is the image compose builds from the root', () => {
      const builds = Object.values(readComposeFile().services).flatMap((service) => (service.build?.dockerfile === dockerfile ? [service.build] : []));
      expect(builds.length).toBeGreaterThan(0);
      for (const build of builds) expect(build.context).toBe('.');
    });
  });
});

describe('edge-node/Dockerfile demo files', () => {
  const contents = runtimeContents(readDockerStages('edge-node/Dockerfile').at(-1)!, WORKDIR);

  it.each(['ui/dist', 'edge-node/templates', 'edge-node/sites', 'edge-node/datasets'])('contains %s', (path) => {
    expect(contents).toContain(path);
  });

  it('contains the site files compose runs', () => {
    for (const [name, service] of Object.entries(readComposeFile().services)) {
      const config = flagValues(service.command ?? []).get('--config');
      if (service.build?.dockerfile !== 'edge-node/Dockerfile' || config === undefined) continue;
      expect(config, `${name} --config`).toMatch(new RegExp(`^${WORKDIR}/`));
      const repoPath = config.slice(WORKDIR.length + 1);
      expect(isContained(repoPath, contents), `${name} --config`).toBe(true);
      expect(repoPathExists(repoPath), `${name} site file ${repoPath}`).toBe(true);
    }
  });
});

describe('images together', () => {
  it('run as the same user', () => {
    // `cloud seed-demo` writes the pairing codes with mode 0600 into the demo volume, and the edge
    // image's pairing service reads them, so both must run as one uid.
    const users = images.map(({ dockerfile }) => argumentsOf(instructionsOf(readDockerStages(dockerfile).at(-1)!, 'USER')[0]!)[0]);
    expect(new Set(users).size).toBe(1);
  });
});

describe('.dockerignore', () => {
  it.each([
    ['node_modules', true],
    ['cloud/node_modules/x', true],
    ['ui/dist/index.html', true],
    ['data/demo.db', true],
    ['edge-node/test/x.test.ts', true],
    ['README.md', true],
    ['edge-node/datasets/README.md', false],
    ['cloud/src/service.ts', false],
    ['ui/server/serve-ui.ts', false],
  ])('treats %s as ignored: %s', (path, ignored) => {
    expect(isDockerignored(path, ignorePatterns)).toBe(ignored);
  });
});
