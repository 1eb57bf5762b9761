import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PagePack, unpackReport } from '../../src/report/page-pack.js';
import { BUILT_CLI, cleanEnv, ONE_ACCOUNT_FIXTURE, runCli } from './run-cli.js';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function get(url: string, options: { method?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolvePromise, reject) => {
    const target = new URL(url);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: options.host ? { host: options.host } : {},
        // A fresh connection each time: a kept-alive socket the server closes after its 5 s idle
        // timeout (a scan under load takes longer) would fail the next request with "socket hang up".
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The users embedded in the page's data block, unpacked as the page's script does. */
function userNames(html: string): string[] {
  const json = /<script type="application\/json" id="roleshift-data">([^<]*)<\/script>/.exec(html)?.[1];
  if (json === undefined) throw new Error('no data block in the page');
  return unpackReport(JSON.parse(json) as PagePack).users.map((user) => user.name);
}

describe('roleshift serve (built CLI)', () => {
  let work: string;
  let server: ChildProcessWithoutNullStreams;
  let url: string;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'roleshift-serve-'));
    expect((await runCli(['demo', '--store', 'rs.duckdb', '--out-dir', 'demo'], { cwd: work })).status).toBe(0);
    server = spawn(process.execPath, [BUILT_CLI, 'serve', '--store', 'rs.duckdb', '--json'], {
      cwd: work,
      env: cleanEnv(),
    });
    exited = new Promise((resolvePromise) => server.once('exit', (code) => resolvePromise(code)));
    url = await new Promise<string>((resolvePromise, reject) => {
      let out = '';
      server.stdout.setEncoding('utf8');
      server.stdout.on('data', (chunk: string) => {
        out += chunk;
        const line = out.split('\n')[0];
        if (out.includes('\n') && line !== undefined) resolvePromise((JSON.parse(line) as { url: string }).url);
      });
      server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await exited;
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('Given serve started without --port, When it prints its URL, Then it is 127.0.0.1 on a random port with a long random token', () => {
    const parsed = new URL(url);
    expect(parsed.hostname).toBe('127.0.0.1');
    expect(Number(parsed.port)).toBeGreaterThan(0);
    expect(parsed.pathname).toBe('/');
    expect(parsed.searchParams.get('token') ?? '').toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('Given the URL, When requested with and without the token, another path, another method or a foreign Host, Then only the exact GET (or its HEAD) is served', async () => {
    const base = new URL(url);
    const ok = await get(url);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/html/);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(userNames(ok.body)).toContain('github-actions-deploy');

    expect((await get(`${base.origin}/`)).status).toBe(403);
    expect((await get(`${base.origin}/?token=wrong`)).status).toBe(403);
    expect((await get(`${base.origin}/snapshot.json${base.search}`)).status).toBe(404);
    expect((await get(url, { method: 'POST' })).status).toBe(405);
    expect((await get(url, { method: 'DELETE' })).status).toBe(405);
    const head = await get(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await get(url, { host: `evil.example:${base.port}` })).status).toBe(403);
  });

  it('Given a running server, When a new scan is saved, Then the next request shows it without a restart', async () => {
    const scan = await runCli(['scan', '--from', ONE_ACCOUNT_FIXTURE, '--store', 'rs.duckdb'], { cwd: work });
    expect(scan.status).toBe(0);
    const names = userNames((await get(url)).body);
    expect(names.sort()).toEqual(['alice', 'deploy-bot', 'readonly-auditor']);
  });

  it('Given a running server, When it gets SIGINT, Then it stops with exit code 0', async () => {
    server.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});

describe('roleshift serve without a scan (built CLI)', () => {
  it('Given an empty folder, When serve starts, Then it exits 2 with one line saying to scan first, without listening', async () => {
    const work = mkdtempSync(join(tmpdir(), 'roleshift-serve-empty-'));
    try {
      const run = await runCli(['serve', '--store', 'none.duckdb'], { cwd: work });
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/no scan yet in .*none\.duckdb: run roleshift scan first/);
      // serve has no --snapshot: the hint must not name it.
      expect(run.stderr).not.toContain('--snapshot');
      expect(run.stdout).not.toContain('http://');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
