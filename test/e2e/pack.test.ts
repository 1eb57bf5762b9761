import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_VERSION } from '../../src/version.js';
import { runProcess } from '../harness/run-process.js';
import { BUILT_CLI, cleanEnv, ONE_ACCOUNT_FIXTURE, REPO_ROOT, runNode } from './run-cli.js';

const NPM_TIMEOUT_MS = 300_000;

async function npm(args: readonly string[], cwd: string): Promise<string> {
  const result = await runProcess('npm', args, {
    cwd,
    env: cleanEnv({ npm_config_update_notifier: 'false' }),
    timeoutMs: NPM_TIMEOUT_MS,
  });
  if (result.status !== 0 && result.stderr.includes('ENOTCACHED')) {
    throw new Error(
      `npm ${args.join(' ')} found a package missing from the npm cache: this test installs offline from what the repository's own npm ci cached, so run npm ci and npm test with the same npm cache (npm_config_cache)`,
    );
  }
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

interface LockEntry {
  version?: string;
  dev?: boolean;
  devOptional?: boolean;
  [field: string]: unknown;
}

/**
 * A consumer project that depends on the tarball, locked to the versions roleshift's own lockfile
 * resolved. `npm ci` then needs only the package tarballs, which the repository's own `npm ci` put
 * in the npm cache: no registry metadata, which `npm ci` never caches, so the install works offline
 * on a fresh machine with an empty cache as well as on a warm one.
 */
function writeConsumer(folder: string, tarball: string): void {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const self = lock.packages[''];
  if (!self) throw new Error('package-lock.json has no root package');
  const spec = `file:../${tarball}`;
  const integrity = `sha512-${createHash('sha512')
    .update(readFileSync(join(folder, '..', tarball)))
    .digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { roleshift: spec } },
    'node_modules/roleshift': {
      version: self.version,
      resolved: spec,
      integrity,
      license: self['license'],
      dependencies: self['dependencies'],
      bin: self['bin'],
      engines: self['engines'],
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '' && !entry.dev && !entry.devOptional) packages[path] = entry;
  }
  const manifest = { name: 'consumer', private: true, dependencies: { roleshift: spec } };
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(
    join(folder, 'package-lock.json'),
    `${JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
}

/** What a user gets from the registry: the packed tarball installed into an empty folder, offline. */
describe('npm pack', () => {
  let work: string;
  let installed: string;
  // npm pack + npm ci of the tarball take minutes on a loaded machine: the hook gets the npm timeout twice.
  beforeAll(async () => {
    if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run npm run build first (npm test does)`);
    work = mkdtempSync(join(tmpdir(), 'roleshift-pack-'));
    await npm(['pack', '--ignore-scripts', '--pack-destination', work], REPO_ROOT);
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack wrote no tarball');
    installed = join(work, 'consumer');
    mkdirSync(installed);
    writeConsumer(installed, tarball);
    await npm(['ci', '--offline', '--no-audit', '--no-fund', '--omit=dev'], installed);
  }, 2 * NPM_TIMEOUT_MS);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('Given the installed package, When roleshift --version runs from its bin, Then it prints the version', async () => {
    const run = await runNode(join(installed, 'node_modules', 'roleshift', 'dist', 'cli', 'bin.js'), ['--version'], {
      cwd: installed,
    });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(TOOL_VERSION);
    expect(existsSync(join(installed, 'node_modules', '.bin', 'roleshift'))).toBe(true);
  });

  it('Given the installed package, When it scans AWS CLI files, Then it works without the source tree', async () => {
    const bin = join(installed, 'node_modules', '.bin', 'roleshift');
    const result = await runProcess(bin, ['scan', '--from', ONE_ACCOUNT_FIXTURE, '--json', '--store', 'rs.duckdb'], {
      cwd: installed,
      env: cleanEnv(),
    });
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { summary: { users: number } }).summary.users).toBe(3);
    expect(existsSync(join(installed, 'rs.duckdb'))).toBe(true);
  });

  it('Given the tarball, When listed, Then it ships the CLI and the demo estate but no tests or sources', () => {
    const files = readdirSync(join(installed, 'node_modules', 'roleshift'), { recursive: true }).map(String);
    expect(files).toContain(join('dist', 'cli', 'bin.js'));
    expect(files.some((file) => file.startsWith(join('examples', 'demo-estate')))).toBe(true);
    expect(
      files.filter((file) => file.endsWith('.test.js') || file.startsWith('src') || file.startsWith('test')),
    ).toEqual([]);
  });
});
