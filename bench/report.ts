import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { chromium, type Page } from 'playwright-core';
import { DEFAULT_CONFIG } from '../src/config.js';
import type { Snapshot, User } from '../src/model/snapshot.js';
import { NEVER, whenAt } from '../src/model/when.js';
import { embedJson, escapeHtml, renderReport } from '../src/report/html.js';
import { assessEstate } from '../src/app/assess.js';
import { reportExtras } from '../src/report/report-data.js';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../test/fixtures/build-snapshot.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/e2e/browser.js';

/**
 * `npm run bench -- report [--users N]`: the HTML report of a synthetic estate (default 10,000
 * users in 10 accounts). Measures generation (assessment + render) and, in Chromium, page load and
 * the filter, search and sort response, against two baselines in the same run: the same report at
 * a tenth of the users, and a naive page that renders every row with innerHTML and filters by
 * hiding rows. Targets: generation < 5 s, interactions < 200 ms.
 */
const NOW = new Date('2026-11-23T12:00:00Z');
const KINDS = ['dev', 'ci', 'svc', 'partner', 'etl', 'admin'] as const;

function flag(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 10) throw new Error(`--${name} needs a whole number of at least 10`);
  return value;
}

/** Deterministic, varied users: people with passwords, machines with one or two keys of all ages. */
export function syntheticEstate(users: number): Snapshot {
  const accounts = 10;
  const perAccount = Math.ceil(users / accounts);
  return buildSnapshot(
    Array.from({ length: accounts }, (_, a) => {
      const accountId = String(100000000000 + a * 111111111);
      const list: User[] = [];
      for (let i = 0; i < perAccount && a * perAccount + i < users; i += 1) {
        const kind = KINDS[(i * 7 + a) % KINDS.length] ?? 'dev';
        const n = a * perAccount + i;
        const day = (offset: number) => new Date(NOW.getTime() - offset * 86_400_000).toISOString();
        const person = kind === 'dev' || kind === 'admin';
        list.push(
          buildUser(
            `${kind}-${n.toString(36)}-${['alpha', 'beta', 'gamma', 'delta'][n % 4]}`,
            {
              path: person ? '/people/' : `/${kind}/`,
              tags: { owner: `team-${n % 37}@example.com`, purpose: `${kind} workload ${n % 11}` },
              groups: person ? ['developers'] : [],
              attachedPolicies:
                kind === 'admin'
                  ? [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' }]
                  : [],
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
                        id: `AKIA${n.toString(16).toUpperCase().padStart(16, '0')}`,
                        lastRotated: whenAt(day(n % 1500)),
                        lastUsed: n % 9 === 0 ? NEVER : whenAt(day(n % 120)),
                      }),
                      ...(n % 4 === 0
                        ? [
                            buildKey({
                              slot: 2,
                              id: `AKIB${n.toString(16).toUpperCase().padStart(16, '0')}`,
                              status: 'Inactive',
                              lastRotated: whenAt(day(n % 700)),
                              lastUsed: NEVER,
                            }),
                          ]
                        : []),
                    ],
            },
            accountId,
          ),
        );
      }
      return buildAccount(accountId, { alias: `acme-${a}`, users: list });
    }),
  );
}

/** Split in two: the assessment (classify, checks, plan) is shared with `findings`/`plan`; the render is the report's own. */
async function generate(users: number): Promise<{ html: string; seconds: number; assess: number; render: number }> {
  const snapshot = syntheticEstate(users);
  const started = performance.now();
  const assessment = await assessEstate({
    snapshot,
    config: DEFAULT_CONFIG,
    exceptions: null,
    journal: null,
    earlierCreationTimes: new Map(),
    externalIdSeed: 'bench-seed-0123456789',
    now: NOW,
  });
  const extras = reportExtras({ snapshot, now: NOW, ...assessment, exceptions: null, operations: null });
  const assessed = performance.now();
  const html = renderReport({ snapshot, now: NOW, extras, toolVersion: 'bench' });
  const done = performance.now();
  return {
    html,
    seconds: (done - started) / 1000,
    assess: (assessed - started) / 1000,
    render: (done - assessed) / 1000,
  };
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

interface Interaction {
  load: number;
  filter: number;
  search: number;
  sort: number;
}

/**
 * Times in the page itself: from dispatching the event until the count shows the result and the
 * next frame has been produced (so layout and paint are included, debounce too).
 */
async function measure(page: Page, url: string, sortSelector: string, account: string): Promise<Interaction> {
  const started = performance.now();
  await page.goto(url);
  await page.locator('#users-table tbody tr').first().waitFor();
  const load = (performance.now() - started) / 1000;
  // Strings, not functions: tsx would wrap named functions in a helper the page does not have.
  const timed = (action: string): Promise<number> =>
    page.evaluate(`(async () => {
      const count = document.getElementById('users-count');
      const before = count.textContent;
      const t0 = performance.now();
      ${action}
      await new Promise((resolve) => {
        // rAF runs before the frame's layout and paint; the timeout it schedules runs after them.
        const check = () => (count.textContent !== before ? requestAnimationFrame(() => setTimeout(resolve, 0)) : setTimeout(check, 1));
        check();
      });
      return performance.now() - t0;
    })()`);
  const frame = (action: string): Promise<number> =>
    page.evaluate(`(async () => {
      const t0 = performance.now();
      ${action}
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - t0;
    })()`);
  const filter = await timed(
    `var s = document.getElementById('filter-account'); s.value = '${account}'; s.dispatchEvent(new Event('change'));`,
  );
  await timed(`var s = document.getElementById('filter-account'); s.value = ''; s.dispatchEvent(new Event('change'));`);
  const search = await timed(
    `var s = document.getElementById('users-search'); s.value = 'gamma'; s.dispatchEvent(new Event('input'));`,
  );
  const sort = await frame(`document.querySelector('${sortSelector}').click();`);
  return { load, filter, search, sort };
}

export async function run(args: string[]): Promise<void> {
  const users = flag(args, 'users', 10_000);
  const small = Math.max(10, Math.round(users / 10));
  const dir = mkdtempSync(join(tmpdir(), 'roleshift-bench-report-'));
  try {
    process.stderr.write(`generating reports of ${users} and ${small} users...\n`);
    await generate(small); // warm the JIT so both measurements see compiled code
    const big = await generate(users);
    const baseline = await generate(small);
    const files = {
      big: join(dir, 'big.html'),
      small: join(dir, 'small.html'),
      naive: join(dir, 'naive.html'),
    };
    writeFileSync(files.big, big.html);
    writeFileSync(files.small, baseline.html);
    writeFileSync(files.naive, naivePage(syntheticEstate(users)));

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const account = '100000000000';
      const report = await measure(page, pathToFileURL(files.big).href, '#users-table th:first-child', account);
      const reportSmall = await measure(page, pathToFileURL(files.small).href, '#users-table th:first-child', account);
      const naive = await measure(page, pathToFileURL(files.naive).href, '#sort-user', account);
      const ms = (n: number) => `${n.toFixed(0)} ms`;
      const s = (n: number) => `${n.toFixed(2)} s`;
      const mb = (text: string) => `${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB`;
      const lines = [
        `report of ${users} users: generation ${s(big.seconds)} (target < 5 s) = assessment ${s(big.assess)} + render ${s(big.render)}, file ${mb(big.html)}`,
        `report of ${small} users: generation ${s(baseline.seconds)} = assessment ${s(baseline.assess)} + render ${s(baseline.render)}, file ${mb(baseline.html)}  (x${(big.seconds / baseline.seconds).toFixed(1)} for x${(users / small).toFixed(0)} users)`,
        '',
        '| page | load | account filter | search (incl. debounce) | sort |',
        '|---|---|---|---|---|',
        `| roleshift, ${users} users | ${s(report.load)} | ${ms(report.filter)} | ${ms(report.search)} | ${ms(report.sort)} |`,
        `| roleshift, ${small} users | ${s(reportSmall.load)} | ${ms(reportSmall.filter)} | ${ms(reportSmall.search)} | ${ms(reportSmall.sort)} |`,
        `| naive innerHTML table, ${users} users | ${s(naive.load)} | ${ms(naive.filter)} | ${ms(naive.search)} | ${ms(naive.sort)} |`,
        '',
        `interactions at ${users} users: worst ${ms(Math.max(report.filter, report.search, report.sort))} (target < 200 ms)`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
