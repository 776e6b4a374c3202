/**
 * Readers of the deployment files (docker-compose.yml, the two Dockerfiles, deploy/kubernetes) and of
 * the facts in the code they must agree with: the CLI commands and flags, the environment variables
 * the code reads, and the HTTP routes. No Docker engine or cluster runs on the CI machines, so the
 * deploy tests compare these files with the code instead of running them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser, type Instruction, type JSONInstruction, type PropertyInstruction } from 'dockerfile-ast';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

/** Absolute path of the repository root, with a trailing slash. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export function readRepoFile(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

export function repoPathExists(path: string): boolean {
  return existsSync(join(repoRoot, path));
}

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

export interface ComposeHealthcheck {
  test?: string[] | string;
  disable?: boolean;
}

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: ComposeHealthcheck;
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Override file that publishes Postgres and Redis on loopback, for `pnpm demo`. */
export const DATABASE_PORTS_OVERRIDE = 'deploy/compose/publish-databases.yml';

/** Reads docker-compose.yml with its YAML aliases resolved, as Compose reads it. */
export function readComposeFile(): ComposeFile {
  return parseYaml(readRepoFile('docker-compose.yml')) as ComposeFile;
}

/** A volume entry of the short syntax, `SOURCE:TARGET[:ro]`. */
export interface VolumeMount {
  source: string;
  target: string;
  readOnly: boolean;
  /** A bind mount of a host path (starts with `.` or `/`), not a named volume. */
  bind: boolean;
}

export function parseVolumeMount(entry: string): VolumeMount {
  const [source, target, mode] = entry.split(':');
  if (source === undefined || target === undefined) throw new Error(`invalid volume entry "${entry}": expected SOURCE:TARGET[:MODE]`);
  return { source, target, readOnly: mode === 'ro', bind: source.startsWith('.') || source.startsWith('/') };
}

/** Collects the value of every `--flag value` pair of a command line, by flag. A flag without a value maps to ''. */
export function flagValues(args: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const [index, arg] of args.entries()) {
    if (!arg.startsWith('--')) continue;
    const next = args[index + 1];
    values.set(arg, next === undefined || next.startsWith('--') ? '' : next);
  }
  return values;
}

/** Finds the port and path of the first `http://127.0.0.1:PORT/PATH` URL in a healthcheck command. */
export function healthcheckUrl(test: readonly string[] | string): { port: number; path: string } | undefined {
  const text = Array.isArray(test) ? test.join(' ') : test;
  const match = /http:\/\/127\.0\.0\.1:(\d+)(\/[A-Za-z0-9/_.-]*)/.exec(text as string);
  return match ? { port: Number(match[1]), path: match[2]! } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Dockerfiles

export interface DockerStage {
  /** The name after `AS`, or null. */
  name: string | null;
  /** The image or earlier stage it starts from. */
  base: string;
  instructions: Instruction[];
}

/** Parses a Dockerfile into its stages, in order; the last one is the image that runs. */
export function readDockerStages(path: string): DockerStage[] {
  const dockerfile = DockerfileParser.parse(readRepoFile(path));
  const stages: DockerStage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [base, , name] = instruction.getArguments().map((argument) => argument.getValue());
      stages.push({ base: base!, name: name ?? null, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) throw new Error(`${path}: ${instruction.getKeyword()} before the first FROM`);
    stage.instructions.push(instruction);
  }
  return stages;
}

export function instructionsOf(stage: DockerStage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.getKeyword() === keyword);
}

export function argumentsOf(instruction: Instruction): string[] {
  return instruction.getArguments().map((argument) => argument.getValue());
}

/** Returns the strings of an exec-form (JSON array) instruction such as ENTRYPOINT or CMD. */
export function execFormOf(instruction: Instruction): string[] {
  return (instruction as JSONInstruction).getJSONStrings().map((value) => value.getJSONValue());
}

export function envOf(stage: DockerStage): Map<string, string> {
  const env = new Map<string, string>();
  for (const instruction of instructionsOf(stage, 'ENV')) {
    for (const property of (instruction as PropertyInstruction).getProperties()) env.set(property.getName(), property.getValue() ?? '');
  }
  return env;
}

/** A COPY instruction: its sources, its destination, and the stage named by `--from`, if any. */
export interface DockerCopy {
  sources: string[];
  destination: string;
  fromStage: string | undefined;
}

export function copiesOf(stage: DockerStage): DockerCopy[] {
  return instructionsOf(stage, 'COPY').map((instruction) => {
    const args = argumentsOf(instruction);
    const from = (instruction as unknown as { getFromFlag(): { getValue(): string | null } | null }).getFromFlag();
    return { sources: args.slice(0, -1), destination: args.at(-1)!, fromStage: from?.getValue() ?? undefined };
  });
}

/**
 * Lists the repository paths a stage contains, as paths under its WORKDIR. A COPY from the build
 * context keeps the source's path, and a COPY from an earlier stage's `/app/X` names `X`.
 */
export function runtimeContents(stage: DockerStage, workdir: string): string[] {
  const contents: string[] = [];
  for (const copy of copiesOf(stage)) {
    const destination = copy.destination.replace(/^\.\//, '');
    for (const source of copy.sources) {
      if (copy.fromStage !== undefined) {
        contents.push(source.startsWith(`${workdir}/`) ? source.slice(workdir.length + 1) : source);
      } else if (destination.endsWith('/') || destination === '') {
        contents.push(`${destination}${source.split('/').at(-1)}`);
      } else {
        contents.push(destination);
      }
    }
  }
  return contents;
}

/** Checks whether a repository path is one of `contents` or lies inside one of them. */
export function isContained(path: string, contents: readonly string[]): boolean {
  const normalized = path.replace(/\/$/, '');
  return contents.some((entry) => normalized === entry || normalized.startsWith(`${entry}/`));
}

/** Reads the patterns of .dockerignore, without comments and blank lines. */
export function dockerignorePatterns(): string[] {
  return readRepoFile('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Converts a .dockerignore pattern (Go filepath.Match plus `**`) to a regular expression on a context path. */
function dockerignoreRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/^\//, '')
    .split('/')
    .map((segment) => (segment === '**' ? '.*' : segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
    .join('/')
    .replace(/\.\*\//g, '(?:.*/)?');
  // A pattern that matches a folder also excludes everything under it.
  return new RegExp(`^${body}(?:/.*)?$`);
}

/** Checks whether .dockerignore keeps a path out of the build context. A later `!` pattern includes it again. */
export function isDockerignored(path: string, patterns: readonly string[]): boolean {
  let ignored = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (dockerignoreRegExp(negated ? pattern.slice(1) : pattern).test(path)) ignored = !negated;
  }
  return ignored;
}

// ---------------------------------------------------------------------------------------------
// The code: CLI help, environment variables, routes

const CLI_BINS = { cloud: 'cloud/bin/cloud.mjs', 'edge-node': 'edge-node/bin/edge-node.mjs' } as const;
export type CliName = keyof typeof CLI_BINS;

const helpCache = new Map<string, string>();

/**
 * Prints `<cli> <command> --help`. Throws, with the CLI's own message, when the command does not
 * exist (the CLIs exit with code 2 then).
 */
export function cliHelp(cli: CliName, command: string): string {
  const key = `${cli} ${command}`;
  const cached = helpCache.get(key);
  if (cached !== undefined) return cached;
  const help = execFileSync(process.execPath, [join(repoRoot, CLI_BINS[cli]), ...command.split(' '), '--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  helpCache.set(key, help);
  return help;
}

function listSourceFiles(dir: string): string[] {
  const absolute = join(repoRoot, dir);
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && statSync(join(absolute, file)).isFile())
    .map((file) => `${dir}/${file}`);
}

/** Source files of the folders a runtime stage copies. */
export function sourceFilesUnder(dirs: readonly string[]): string[] {
  return dirs.flatMap(listSourceFiles);
}

/**
 * Environment variable names a package's sources read: the keys of the zod schemas in
 * cloud/src/config/config.ts (upper-case keys of z.object) and every `process.env.NAME`.
 */
export function envNamesReadBy(dirs: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFilesUnder(dirs)) {
    const text = readRepoFile(file);
    for (const match of text.matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)) names.add(match[1] ?? match[2]!);
    if (file.includes('/config/')) {
      for (const match of text.matchAll(/^\s+([A-Z][A-Z0-9_]*): /gm)) names.add(match[1]!);
    }
  }
  return names;
}

/** Variables a site file substitutes with `${NAME}` or `${NAME:-default}`. */
export function siteFileVariables(path: string): Set<string> {
  return new Set([...readRepoFile(path).matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((match) => match[1]!));
}

/** Relative file URLs the sources resolve against their own module (`new URL('../x', import.meta.url)`), as repository paths. */
export function filesReadBesideSources(files: readonly string[]): { file: string; target: string }[] {
  const found: { file: string; target: string }[] = [];
  for (const file of files) {
    for (const match of readRepoFile(file).matchAll(/new URL\('([^']+)', import\.meta\.url\)/g)) {
      const target = fileURLToPath(new URL(match[1]!, `file://${join(repoRoot, file)}`)).slice(repoRoot.length);
      found.push({ file, target });
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export const kubernetesDir = 'deploy/kubernetes';

/** Parses every YAML document of a manifest file; throws on a YAML error with the file name. */
export function readManifests(file: string): KubernetesObject[] {
  const documents = parseAllDocuments(readRepoFile(`${kubernetesDir}/${file}`));
  const objects: KubernetesObject[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) throw new Error(`${kubernetesDir}/${file}: ${document.errors[0]!.message}`);
    const object = document.toJS() as KubernetesObject | null;
    if (object !== null) objects.push(object);
  }
  return objects;
}

/**
 * Paths of the hub's HTTP routes, from its OpenAPI document. Imported on demand, because it loads the
 * whole app: a broken route module then fails only the tests that need the routes.
 */
export async function cloudRoutePaths(): Promise<string[]> {
  const { cloudOpenApiDocument } = await import('../../src/docs/openapi-document');
  return Object.keys(cloudOpenApiDocument().paths as object);
}
