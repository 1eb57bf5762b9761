import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Session } from 'node:inspector/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { Snapshot, User } from '../src/model/snapshot.js';
import { NEVER, whenAt } from '../src/model/when.js';
import { assessEstate, type Estate } from '../src/app/assess.js';
import { buildReportData, embedJson, escapeHtml, renderReport } from '../src/report/html.js';
import type { ReportData } from '../src/report/page-model.js';
import { lazyReportExtras } from '../src/report/report-data.js';
import { openStore } from '../src/store/store.js';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../test/fixtures/build-snapshot.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/e2e/browser.js';
import { buildEstate } from '../test/fixtures/build-estate.js';

/**
 * `npm run bench -- report [--users N] [--accounts N] [--no-serve] [--generate-only] [--allocations]`: the HTML report of a
 * synthetic estate (default 10,000 users; accounts default to one per 100 users, so 100,000 users
 * are spread over 1,000 accounts). Measures generation (assessment + render) and the size of the
 * page against the same data as plain JSON, then, in Chromium, page load and the account filter,
 * search, sort (both directions), opening a user's detail and scrolling to the middle of the
 * table, against two baselines in the same run: the same report at a tenth of the users, and a
 * naive page that renders every row with innerHTML and filters by hiding rows. Last, `roleshift
 * serve` on a store holding the estate: the time to answer the page and to load it in Chromium.
 * Targets: generation < 10 s, every interaction < 200 ms. `--generate-only` stops after the
 * generation (no browser, no serve), printing the page's sha256 and, when node runs with
 * --expose-gc, the heap the assessment keeps alive: for comparing two versions of the code.
 * `--allocations` adds the bytes the assessment and the render allocate, which unlike CPU time
 * do not move with the machine's load.
 */
const NOW = new Date('2026-11-23T12:00:00Z');
const KINDS = ['dev', 'ci', 'svc', 'partner', 'etl', 'admin'] as const;
const REPO = fileURLToPath(new URL('..', import.meta.url));

interface Options {
  users: number;
  accounts: number;
  serve: boolean;
  /** Generation only, no browser: for alternating two versions of the code in the same quarter hour. */
  generateOnly: boolean;
  /** Also measure the bytes the generation allocates (one more generation, under the heap profiler). */
  allocations: boolean;
}

function flag(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a whole number of at least 1`);
  return value;
}

function options(args: string[]): Options {
  const users = flag(args, 'users', 10_000);
  if (users < 10) throw new Error('--users needs at least 10');
  return {
    users,
    accounts: flag(args, 'accounts', Math.max(1, Math.round(users / 100))),
    serve: !args.includes('--no-serve'),
    generateOnly: args.includes('--generate-only'),
    allocations: args.includes('--allocations'),
  };
}

function syntheticUser(n: number, i: number, a: number, accountId: string): User {
  const kind = KINDS[(i * 7 + a) % KINDS.length] ?? 'dev';
  const day = (offset: number) => new Date(NOW.getTime() - offset * 86_400_000).toISOString();
  const person = kind === 'dev' || kind === 'admin';
  const key = (slot: 1 | 2) => `AKI${slot === 1 ? 'A' : 'B'}${n.toString(16).toUpperCase().padStart(16, '0')}`;
  return buildUser(
    `${kind}-${n.toString(36)}-${['alpha', 'beta', 'gamma', 'delta'][n % 4]}`,
    {
      path: person ? '/people/' : `/${kind}/`,
      // A person has IAM users in up to three neighbouring accounts; machines belong to 37 teams.
      tags: {
        owner: person ? `person-${Math.floor(a / 3)}-${i}@example.com` : `team-${n % 37}@example.com`,
        purpose: `${kind} workload ${n % 11}`,
      },
      groups: person ? ['developers'] : [],
      attachedPolicies:
        kind === 'admin' ? [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' }] : [],
      ...(person
        ? {
            password: {
              enabled: true,
              lastUsed: n % 5 === 0 ? NEVER : whenAt(day(n % 400)),
              lastChanged: NEVER,
              nextRotation: NEVER,
            },
          }
        : {}),
      mfaActive: person && n % 3 !== 0,
      accessKeys:
        person && n % 2 === 0
          ? []
          : [
              buildKey({
                id: key(1),
                lastRotated: whenAt(day(n % 1500)),
                lastUsed: n % 9 === 0 ? NEVER : whenAt(day(n % 120)),
              }),
              ...(n % 4 === 0
                ? [
                    buildKey({
                      slot: 2,
                      id: key(2),
                      status: 'Inactive',
                      lastRotated: whenAt(day(n % 700)),
                      lastUsed: NEVER,
                    }),
                  ]
                : []),
            ],
    },
    accountId,
  );
}

/** Deterministic, varied users: people with passwords, machines with one or two keys of all ages. */
export function syntheticEstate(users: number, accounts: number): Snapshot {
  const perAccount = Math.ceil(users / accounts);
  return buildSnapshot(
    Array.from({ length: accounts }, (_, a) => {
      const accountId = String(100000000000 + a * 111111111);
      const list: User[] = [];
      for (let i = 0; i < perAccount && a * perAccount + i < users; i += 1)
        list.push(syntheticUser(a * perAccount + i, i, a, accountId));
      return buildAccount(accountId, { alias: `acme-${a}`, users: list });
    }),
  );
}

/**
 * The report data as one plain JSON text would be, in bytes, summed part by part: at 100,000 users
 * that one text would be close to the longest string V8 can hold.
 */
function plainJsonBytes(data: ReportData): number {
  const { users, extras, ...rest } = data;
  const parts: unknown[] = [rest, ...users];
  if (extras) {
    const { users: extrasOfUsers, ...shared } = extras;
    parts.push(shared, ...Object.values(extrasOfUsers));
  }
  return parts.reduce<number>((sum, part) => sum + Buffer.byteLength(JSON.stringify(part)), 0);
}

interface Generated {
  html: string;
  seconds: number;
  assess: number;
  render: number;
  /** CPU seconds of this process (all its threads) for the same work: less moved by other jobs than wall time. */
  cpu: { assess: number; render: number };
  plainBytes: number;
  /** What stays alive after the assessment, measured when node runs with --expose-gc (else null). */
  assessedHeapBytes: number | null;
}

/** The heap after a full collection, when the benchmark runs with --expose-gc. */
function liveHeapBytes(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return null;
  gc();
  return process.memoryUsage().heapUsed;
}

const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

function benchEstate(snapshot: Snapshot): Estate {
  return buildEstate(snapshot, NOW, { externalIdSeed: 'bench-seed-0123456789' });
}

/** Split in two: the assessment (classify, checks, plan) is shared with `findings`/`plan`; the render is the report's own. */
async function generate(snapshot: Snapshot): Promise<Generated> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const assessment = await assessEstate(benchEstate(snapshot));
  const extras = lazyReportExtras({ snapshot, now: NOW, ...assessment, exceptions: null, operations: null });
  const assessed = performance.now();
  const cpuAssess = cpuSeconds(cpuStarted);
  // Outside both timings: a full collection costs what the heap holds.
  const assessedHeapBytes = liveHeapBytes();
  const cpuAssessed = process.cpuUsage();
  const rendering = performance.now();
  const html = renderReport({ snapshot, now: NOW, extras, toolVersion: 'bench' });
  const done = performance.now();
  return {
    html,
    seconds: (assessed - started + done - rendering) / 1000,
    assess: (assessed - started) / 1000,
    render: (done - rendering) / 1000,
    cpu: { assess: cpuAssess, render: cpuSeconds(cpuAssessed) },
    plainBytes: plainJsonBytes(buildReportData({ snapshot, now: NOW, extras, toolVersion: 'bench' })),
    assessedHeapBytes,
  };
}

type ProfileNode = { selfSize: number; children: ProfileNode[] };
const sampledBytes = (node: ProfileNode): number =>
  node.children.reduce((sum, child) => sum + sampledBytes(child), node.selfSize);

/**
 * Bytes allocated by the assessment and by the render, collected objects included, from V8's
 * sampling heap profiler: unlike CPU time, it does not move with the machine's load, and the
 * young-generation collections that are much of the generation's time follow it. A separate
 * generation, so the timed ones carry no profiler.
 */
async function allocatedBytes(snapshot: Snapshot): Promise<{ assess: number; render: number }> {
  const session = new Session();
  session.connect();
  const sampled = async <T>(work: () => Promise<T> | T): Promise<[T, number]> => {
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 16_384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    const value = await work();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    return [value, sampledBytes(profile.head as ProfileNode)];
  };
  try {
    const [assessment, assess] = await sampled(() => assessEstate(benchEstate(snapshot)));
    const [, render] = await sampled(() =>
      renderReport({
        snapshot,
        now: NOW,
        extras: lazyReportExtras({ snapshot, now: NOW, ...assessment, exceptions: null, operations: null }),
        toolVersion: 'bench',
      }),
    );
    return { assess, render };
  } finally {
    session.disconnect();
  }
}

/** The "spreadsheet" approach: every row in the DOM through innerHTML, filters hide rows. */
function naivePage(snapshot: Snapshot): string {
  const rows = snapshot.accounts.flatMap((a) =>
    a.users.map((u) => ({
      account: a.accountId,
      name: u.name,
      path: u.path,
      keys: u.accessKeys.length,
      password: u.password.enabled,
    })),
  );
  const script = `
var data = JSON.parse(document.getElementById('d').textContent);
var tbody = document.getElementById('b');
tbody.innerHTML = data.map(function (r) { return '<tr data-account="' + r.account + '"><td>' + r.account + '</td><td>' + r.name + '</td><td>' + r.path + '</td><td>' + r.keys + '</td><td>' + r.password + '</td></tr>'; }).join('');
document.getElementById('users-count').textContent = data.length;
document.getElementById('filter-account').addEventListener('change', function (e) {
  var shown = 0;
  Array.prototype.forEach.call(tbody.rows, function (tr) { var v = !e.target.value || tr.getAttribute('data-account') === e.target.value; tr.hidden = !v; if (v) shown++; });
  document.getElementById('users-count').textContent = shown;
});
document.getElementById('users-search').addEventListener('input', function (e) {
  var q = e.target.value.toLowerCase(), shown = 0;
  Array.prototype.forEach.call(tbody.rows, function (tr) { var v = tr.textContent.toLowerCase().indexOf(q) !== -1; tr.hidden = !v; if (v) shown++; });
  document.getElementById('users-count').textContent = shown;
});
document.getElementById('sort-user').addEventListener('click', function () {
  var list = Array.prototype.slice.call(tbody.rows);
  list.sort(function (a, b) { return b.cells[1].textContent.localeCompare(a.cells[1].textContent); });
  list.forEach(function (tr) { tbody.appendChild(tr); });
});`;
  const options = snapshot.accounts
    .map((a) => `<option value="${escapeHtml(a.accountId)}">${escapeHtml(a.accountId)}</option>`)
    .join('');
  return `<!doctype html><html><body><input id="users-search"><select id="filter-account"><option value="">all</option>${options}</select><span id="users-count"></span>
<table id="users-table"><thead><tr><th>Account</th><th id="sort-user">User</th><th>Path</th><th>Keys</th><th>Password</th></tr></thead><tbody id="b"></tbody></table>
<script type="application/json" id="d">${embedJson(rows)}</script><script>${script}</script></body></html>`;
}

interface Interactions {
  load: number;
  filter: number;
  search: number;
  sort: number;
  reverse: number | null;
  open: number | null;
  scroll: number | null;
}

/**
 * Times in the page itself: from dispatching the event until `done` holds and the next frame has
 * been produced (rAF runs before the frame's layout and paint; the timeout it schedules runs after
 * them), so layout and paint are included, the search's debounce too.
 */
function timed(page: Page, action: string, done: string): Promise<number> {
  // Strings, not functions: tsx would wrap named functions in a helper the page does not have.
  return page.evaluate(`(async () => {
    const t0 = performance.now();
    ${action}
    await new Promise((resolve) => {
      // Gives up after a minute, which then shows as a minute rather than hanging the run.
      const check = () => ((${done}) || performance.now() - t0 > 60000 ? requestAnimationFrame(() => setTimeout(resolve, 0)) : setTimeout(check, 1));
      check();
    });
    return performance.now() - t0;
  })()`);
}

/** An action that changes the users count, timed until the count shows the result. */
function counted(page: Page, action: string): Promise<number> {
  return timed(
    page,
    `const count = document.getElementById('users-count'); const before = count.textContent; ${action}`,
    'count.textContent !== before',
  );
}

async function measure(page: Page, url: string, sortSelector: string, account: string): Promise<Interactions> {
  const started = performance.now();
  await page.goto(url, { timeout: 600_000 });
  await page.locator('#users-table tbody tr').first().waitFor({ timeout: 600_000 });
  const load = (performance.now() - started) / 1000;
  const select = (value: string) =>
    `var s = document.getElementById('filter-account'); s.value = '${value}'; s.dispatchEvent(new Event('change'));`;
  const filter = await counted(page, select(account));
  await counted(page, select(''));
  const search = await counted(
    page,
    `var s = document.getElementById('users-search'); s.value = 'gamma'; s.dispatchEvent(new Event('input'));`,
  );
  // Sorting is synchronous in both pages: the click's own work, then the frame.
  const sortClick = `document.querySelector('${sortSelector}').click();`;
  const sort = await timed(page, sortClick, 'true');
  const reversible = (await page.locator('#users-table th.sortable').count()) > 0;
  const reverse = reversible ? await timed(page, sortClick, 'true') : null;
  const hasDetail = (await page.locator('#users-table button.link').count()) > 0;
  const open = hasDetail
    ? await timed(
        page,
        `document.querySelector('#users-table button.link').click();`,
        `document.querySelector('#users-table tr.detail-row')`,
      )
    : null;
  const firstRow = `document.querySelector('#users-table tbody tr').textContent`;
  const scrolls = await page.evaluate(
    `(() => { const v = document.getElementById('users-viewport'); return !!v && v.scrollHeight > 3 * v.clientHeight; })()`,
  );
  const scroll = scrolls
    ? await timed(
        page,
        `const v = document.getElementById('users-viewport'); const top = ${firstRow}; v.scrollTop = v.scrollHeight / 2;`,
        `${firstRow} !== top`,
      )
    : null;
  return { load, filter, search, sort, reverse, open, scroll };
}

interface Served {
  /** Until `serve` printed its address: it builds the page once before listening. */
  startup: number;
  /** The first request, then a reload with nothing changed (both answered from the page kept). */
  response: number;
  reload: number;
  /** Until the reload's headers arrived: the server's own work, before the transfer. */
  reloadHeaders: number;
  /** How the reload was sent (gzip when the client takes it). */
  encoding: string;
  bytes: number;
  interactions: Interactions;
}

function waitForUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    server.stdout?.setEncoding('utf8');
    server.stdout?.on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) resolvePromise((JSON.parse(line) as { url: string }).url);
    });
    server.once('exit', (code) => reject(new Error(`roleshift serve exited with ${code}`)));
  });
}

/** `roleshift serve` on a store holding the estate: it builds the page before listening, then answers from it while nothing changed. */
async function measureServe(snapshot: Snapshot, dir: string, browser: Browser, account: string): Promise<Served> {
  const storePath = join(dir, 'bench.duckdb');
  const store = await openStore(storePath);
  try {
    await store.saveScan(snapshot);
  } finally {
    store.close();
  }
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/bin.ts', 'serve', '--store', storePath, '--json'],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const spawned = performance.now();
    const url = await waitForUrl(server);
    const started = performance.now();
    const body = await (await fetch(url)).text();
    const response = (performance.now() - started) / 1000;
    const reloaded = performance.now();
    const reply = await fetch(url);
    // Headers arrive once the server has found the page it keeps; the rest is moving 150 MB.
    const reloadHeaders = (performance.now() - reloaded) / 1000;
    await reply.text();
    const reload = (performance.now() - reloaded) / 1000;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const interactions = await measure(page, url, '#users-table th:first-child', account);
    await page.close();
    return {
      startup: (started - spawned) / 1000,
      response,
      reload,
      reloadHeaders,
      encoding: `sent ${reply.headers.get('content-encoding') ?? 'plain'}`,
      bytes: Buffer.byteLength(body),
      interactions,
    };
  } finally {
    const exited = new Promise((resolvePromise) => server.once('exit', resolvePromise));
    server.kill('SIGINT');
    await exited;
  }
}

const ms = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(0)} ms`);
const s = (n: number) => `${n.toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const worst = (i: Interactions) => Math.max(i.filter, i.search, i.sort, i.reverse ?? 0, i.open ?? 0, i.scroll ?? 0);
const row = (name: string, i: Interactions) =>
  `| ${name} | ${s(i.load)} | ${ms(i.filter)} | ${ms(i.search)} | ${ms(i.sort)} | ${ms(i.reverse)} | ${ms(i.open)} | ${ms(i.scroll)} |`;

function generationLines(options: Options, big: Generated, small: Generated, smallUsers: number): string[] {
  const html = (g: Generated) => Buffer.byteLength(g.html);
  return [
    `report of ${options.users} users in ${options.accounts} accounts: generation ${s(big.seconds)} (target < 10 s) = assessment ${s(big.assess)} + render ${s(big.render)} (CPU ${s(big.cpu.assess)} + ${s(big.cpu.render)}); page ${mb(html(big))}, the same data as plain JSON ${mb(big.plainBytes)} (x${(big.plainBytes / html(big)).toFixed(1)})`,
    `report of ${smallUsers} users: generation ${s(small.seconds)} = assessment ${s(small.assess)} + render ${s(small.render)} (CPU ${s(small.cpu.assess)} + ${s(small.cpu.render)}); page ${mb(html(small))}, plain JSON ${mb(small.plainBytes)}  (generation x${(big.seconds / small.seconds).toFixed(1)} for x${(options.users / smallUsers).toFixed(0)} users)`,
    `peak RSS of the benchmark process after generation: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    `page of ${options.users} users: ${Buffer.byteLength(big.html)} bytes, sha256 ${createHash('sha256').update(big.html).digest('hex')}`,
    big.assessedHeapBytes === null
      ? 'live heap after the assessment: run with --expose-gc to measure it'
      : `live heap after the assessment of ${options.users} users: ${mb(big.assessedHeapBytes)}`,
  ];
}

function loadLine(atStart: readonly string[]): string {
  return `load average at the start ${atStart.join(' ')}, at the end ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`;
}

export async function run(args: string[]): Promise<void> {
  const opts = options(args);
  const smallUsers = Math.max(10, Math.round(opts.users / 10));
  const smallAccounts = Math.max(1, Math.round(opts.accounts / 10));
  const dir = mkdtempSync(join(tmpdir(), 'roleshift-bench-report-'));
  const load = loadavg().map((n) => n.toFixed(2));
  try {
    process.stderr.write(`generating reports of ${opts.users} and ${smallUsers} users (load ${load.join(' ')})...\n`);
    await generate(syntheticEstate(smallUsers, smallAccounts)); // warm the JIT so both measurements see compiled code
    const estate = syntheticEstate(opts.users, opts.accounts);
    const big = await generate(estate);
    const small = await generate(syntheticEstate(smallUsers, smallAccounts));
    const lines = generationLines(opts, big, small, smallUsers);
    if (opts.allocations) {
      const allocated = await allocatedBytes(estate);
      lines.push(
        `allocated at ${opts.users} users (sampled, collected objects included): assessment ${mb(allocated.assess)} + render ${mb(allocated.render)} = ${mb(allocated.assess + allocated.render)}`,
      );
    }
    if (opts.generateOnly) {
      process.stdout.write(`${[...lines, loadLine(load)].join('\n')}\n`);
      return;
    }
    const files = { big: join(dir, 'big.html'), small: join(dir, 'small.html'), naive: join(dir, 'naive.html') };
    writeFileSync(files.big, big.html);
    writeFileSync(files.small, small.html);
    writeFileSync(files.naive, naivePage(estate));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.setDefaultTimeout(600_000);
      const account = '100000000000';
      const head = '#users-table th:first-child';
      const report = await measure(page, pathToFileURL(files.big).href, head, account);
      const reportSmall = await measure(page, pathToFileURL(files.small).href, head, account);
      const naive = await measure(page, pathToFileURL(files.naive).href, '#sort-user', account);
      lines.push(
        '',
        '| page | load | account filter | search (incl. debounce) | sort | sort reversed | open a user | scroll to the middle |',
        '|---|---|---|---|---|---|---|---|',
        row(`roleshift, ${opts.users} users`, report),
        row(`roleshift, ${smallUsers} users`, reportSmall),
        row(`naive innerHTML table, ${opts.users} users`, naive),
        '',
        `interactions at ${opts.users} users: worst ${ms(worst(report))} (target < 200 ms)`,
      );
      if (opts.serve) {
        process.stderr.write('roleshift serve on a store holding the estate...\n');
        const served = await measureServe(estate, dir, browser, account);
        lines.push(
          `roleshift serve, ${opts.users} users: started (page built) in ${s(served.startup)}, page answered in ${s(served.response)}, a reload in ${s(served.reload)} (headers after ${s(served.reloadHeaders)}; ${mb(served.bytes)}, ${served.encoding}), loaded in Chromium in ${s(served.interactions.load)}, worst interaction ${ms(worst(served.interactions))}`,
        );
      }
    } finally {
      await browser.close();
    }
    lines.push(loadLine(load));
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
