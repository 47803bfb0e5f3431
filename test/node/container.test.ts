// The Containerfile and compose.yaml: always, that what they run exists — the entry point, the command's flags
// (against the CLI's own option tables), the DTA_* variables (read somewhere in src/), the healthcheck's route and
// port; and, where podman and the base images are present locally (never pulled: no registry is reachable here),
// the image built and started in a pod with PostgreSQL 15 as compose.yaml describes, healthy and ready.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { nodeCommands } from '../../src/node/cli/node-commands.ts';
import { healthRoutes } from '../../src/node/metrics/health-routes.ts';
import { Readiness } from '../../src/node/metrics/readiness.ts';
import { waitFor } from './harness.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const NODE_IMAGE = 'docker.io/library/node:22-bookworm-slim';
const PG_IMAGE = 'docker.io/library/postgres:15-bookworm';

type Yaml = string | Yaml[] | { [key: string]: Yaml };

/** The YAML compose.yaml is written in: block mappings and sequences, plain or JSON-quoted scalars, flow lists. */
function readYaml(text: string): Yaml {
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));
  let at = 0;
  const scalar = (s: string): Yaml => (s.startsWith('[') || s.startsWith('"') ? (JSON.parse(s) as Yaml) : s);
  const block = (indent: number): Yaml => {
    if (lines[at]!.text.startsWith('- ')) {
      const items: Yaml[] = [];
      while (at < lines.length && lines[at]!.indent === indent && lines[at]!.text.startsWith('- '))
        items.push(scalar(lines[at++]!.text.slice(2)));
      return items;
    }
    const map: Record<string, Yaml> = {};
    while (at < lines.length && lines[at]!.indent === indent) {
      const m = /^([\w.-]+):(?: (.*))?$/.exec(lines[at]!.text);
      if (!m) throw new Error(`compose.yaml: unreadable line "${lines[at]!.text}"`);
      at++;
      const nested = at < lines.length && lines[at]!.indent > indent;
      map[m[1]!] = m[2] !== undefined ? scalar(m[2]) : nested ? block(lines[at]!.indent) : '';
    }
    return map;
  };
  return block(0);
}

/** Containerfile instructions (continuation lines joined): [instruction, arguments]. */
function instructions(text: string): [string, string][] {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.trim().split(/\s+/);
      return [op!.toUpperCase(), rest.join(' ')];
    });
}

/** Problems with `dta <args>`: an unknown command, an unknown flag, a flag without its value. */
function commandProblems(args: readonly string[]): string[] {
  const [name, ...rest] = args;
  const command = nodeCommands[name ?? ''];
  if (!command) return [`unknown command ${name}`];
  const options: Record<string, { type: string }> = {
    home: { type: 'string' },
    help: { type: 'boolean' },
    ...command.options,
  };
  const problems: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const flag = /^--([a-z0-9-]+)$/.exec(rest[i]!)?.[1];
    if (!flag || !options[flag]) problems.push(`${name}: unknown flag ${rest[i]}`);
    else if (options[flag]!.type === 'string' && (rest[++i] === undefined || rest[i]!.startsWith('--')))
      problems.push(`${name}: ${rest[i - 1]} without a value`);
  }
  return problems;
}

/** Every file under src/, as one text (to find who reads an environment variable). */
function sourceText(dir = join(ROOT, 'src')): string {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .map((path) =>
      statSync(path).isDirectory() ? sourceText(path) : path.endsWith('.ts') ? readFileSync(path, 'utf8') : '',
    )
    .join('\n');
}

const flagValue = (args: readonly string[], flag: string) => args[args.indexOf(flag) + 1];

describe('Containerfile and compose.yaml refer to what exists', () => {
  const containerfile = instructions(readFileSync(join(ROOT, 'Containerfile'), 'utf8'));
  const one = (op: string) => containerfile.filter(([o]) => o === op).map(([, a]) => a);
  const compose = readYaml(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as Record<string, any>;
  const node = compose.services.node as Record<string, any>;
  const cmd = JSON.parse(one('CMD').at(-1)!) as string[];

  it('the entry point is the CLI, with a command and flags it has; the sources it copies exist', () => {
    expect(one('FROM')).toEqual([NODE_IMAGE]);
    const entry = JSON.parse(one('ENTRYPOINT').at(-1)!) as string[];
    expect(entry[0]).toBe('node');
    expect(existsSync(join(ROOT, entry[1]!.replace('/opt/dta/', '')))).toBe(true);
    expect(commandProblems(cmd)).toEqual([]);
    expect(commandProblems(node.command as string[])).toEqual([]);
    for (const copy of one('COPY')) {
      const source = copy.split(' ')[0]!;
      if (source !== 'dist') expect(existsSync(join(ROOT, source)), source).toBe(true); // dist/: npm run build
    }
    expect(one('USER')).toEqual(['node']);
  });

  it('the healthcheck asks /healthz on the port the command listens on, a route the node answers', async () => {
    const check = one('HEALTHCHECK')[0]!;
    const url = /fetch\('([^']+)'\)/.exec(check)?.[1];
    expect(url).toBe(`http://127.0.0.1:${flagValue(cmd, '--port')}/healthz`);
    expect(flagValue(node.command as string[], '--port')).toBe(flagValue(cmd, '--port'));
    expect(node.ports).toEqual([`127.0.0.1:${flagValue(cmd, '--port')}:${flagValue(cmd, '--port')}`]);
    const app = Fastify();
    await app.register(
      healthRoutes({ readiness: new Readiness(), metrics: undefined, access: 'open', token: undefined }),
    );
    const res = await app.inject({ method: 'GET', url: new URL(url!).pathname });
    expect([res.statusCode, res.json()]).toEqual([200, { status: 'ok' }]);
    await app.close();
  });

  it('every DTA_* variable they set is one the node reads; the database is PostgreSQL 15', () => {
    const src = sourceText();
    const env = Object.keys(node.environment as Record<string, string>);
    const fromContainerfile = one('ENV').flatMap((a) => [...a.matchAll(/(DTA_[A-Z_]+)=/g)].map((m) => m[1]!));
    for (const name of [...env, ...fromContainerfile]) {
      expect(name).toMatch(/^DTA_[A-Z_]+$/);
      expect(src.includes(`env.${name}`) || src.includes(`'${name}'`), `${name} is read in src/`).toBe(true);
    }
    expect(env).toContain('DTA_DATABASE_URL'); // a database URL alone: storage.kind = postgres
    expect(compose.services.db.image).toBe(PG_IMAGE);
    expect(node.depends_on).toEqual({ db: { condition: 'service_healthy' } });
  });
});

/** Which of podman and the base images is missing here, or undefined when all are present. */
function missing(): string | undefined {
  if (spawnSync('podman', ['--version']).status !== 0) return 'podman is not installed';
  for (const image of [NODE_IMAGE, PG_IMAGE])
    if (spawnSync('podman', ['image', 'exists', image]).status !== 0)
      return `the image ${image} is not present locally`;
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) return 'the app is not built (npm run build)';
  return undefined;
}

const podman = (...args: string[]) => execFileSync('podman', args, { encoding: 'utf8', timeout: 900_000 }).trim();

describe('the image, built and started with PostgreSQL 15', () => {
  const why = missing();
  it.skipIf(why !== undefined)(
    `builds, starts, is healthy and ready${why ? ` (skipped: ${why})` : ''}`,
    async () => {
      const tag = `localhost/dta-test:${randomBytes(4).toString('hex')}`;
      const pod = `dta-test-${randomBytes(4).toString('hex')}`;
      const password = randomBytes(12).toString('hex');
      try {
        podman('build', '--pull=never', '--format', 'docker', '-f', join(ROOT, 'Containerfile'), '-t', tag, ROOT);
        podman('pod', 'create', '--name', pod, '-p', '127.0.0.1::5556');
        const db = ['-e', 'POSTGRES_USER=dta', '-e', 'POSTGRES_DB=dta', '-e', `POSTGRES_PASSWORD=${password}`];
        podman('run', '--pull=never', '-d', '--pod', pod, '--name', `${pod}-db`, ...db, PG_IMAGE);
        await waitFor(
          () => (spawnSync('podman', ['exec', `${pod}-db`, 'pg_isready', '-U', 'dta']).status === 0 ? true : undefined),
          120_000,
          1000,
        );
        const env = [
          '-e',
          `DTA_DATABASE_URL=postgres://dta:${password}@127.0.0.1:5432/dta`,
          '-e',
          `DTA_PASSPHRASE=${password}`,
        ];
        podman('run', '--pull=never', '-d', '--pod', pod, '--name', `${pod}-node`, ...env, tag);
        const port = podman('port', `${pod}-node`, '5556/tcp').split(':').at(-1);
        const base = `http://127.0.0.1:${port}`;
        await waitFor(
          async () => ((await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined),
          180_000,
          1000,
        );
        expect(spawnSync('podman', ['healthcheck', 'run', `${pod}-node`]).status).toBe(0);
        expect((await fetch(`${base}/healthz`)).status).toBe(200);
      } finally {
        spawnSync('podman', ['pod', 'rm', '--force', pod]);
        spawnSync('podman', ['rmi', '--force', tag]);
      }
    },
    1_200_000,
  );
});
