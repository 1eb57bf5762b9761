import { createHash } from 'node:crypto';
import type { Account, Snapshot, User } from '../model/snapshot.js';
import { daysSince } from '../model/when.js';
import { CLIENT_SCRIPT } from './client-bundle.generated.js';
import { extrasSource, packedReport, packReportJson, withExtras } from './page-pack.js';
import type { PageSummary, ReportData, ReportUser, UserExtrasSource } from './page-model.js';
import { allUserExtras, type LazyReportExtras, type ReportExtras } from './report-data.js';
import type { HeadlineCounts } from '../model/headline.js';
import { keyIdleDays } from '../model/idle.js';
import { compareText, summarizeSnapshot, type SnapshotSummary } from './summary.js';

export type { ReportData } from './page-model.js';

/** One scan for the trend, the last being the one shown; `roleshift history` rows fit. */
export interface HistoryPoint extends HeadlineCounts {
  scanId: string;
  collectedAt: string;
  /** The KPIs stored with the scan; the page shows the last point's (the scan shown). */
  kpis?: Record<string, number>;
}

export interface ReportInput {
  snapshot: Snapshot;
  /** When the report is generated; ages are measured from here. */
  now: Date;
  history?: readonly HistoryPoint[];
  toolVersion?: string;
  /**
   * Classification, findings, plan, exceptions and remediation (see report-data.ts); lazy ones
   * make each user's extras as the page's row is written.
   */
  extras?: ReportExtras | LazyReportExtras;
  /** The configured thresholds the page colours ages and idle keys by; the defaults when absent. */
  thresholds?: { unusedCredentialDays: number; keyRotationDays: number };
}

/** The summary as the page reads it: the unused keys as a count, not the list of every one. */
function pageSummary(summary: SnapshotSummary): PageSummary {
  const { unusedKeys, ...rest } = summary;
  return {
    ...rest,
    unusedKeys: { thresholdDays: unusedKeys.thresholdDays, count: unusedKeys.keys.length, unknown: unusedKeys.unknown },
  };
}

function reportUser(account: Account, user: User, now: Date): ReportUser {
  const keys = user.accessKeys.map((key) => ({
    slot: key.slot,
    id: key.id,
    status: key.status,
    lastRotated: key.lastRotated,
    ageDays: daysSince(key.lastRotated, now),
    lastUsed: key.lastUsed,
    lastUsedDays: daysSince(key.lastUsed, now),
    unusedDays: key.status === 'Active' ? keyIdleDays(key, user.createDate, now) : null,
    lastUsedService: key.lastUsedService,
    lastUsedRegion: key.lastUsedRegion,
  }));
  return {
    accountId: account.accountId,
    accountAlias: account.alias,
    name: user.name,
    arn: user.arn,
    path: user.path,
    groups: user.groups,
    tags: user.tags,
    password: {
      enabled: user.password.enabled,
      lastUsed: user.password.lastUsed,
      lastUsedDays: daysSince(user.password.lastUsed, now),
    },
    mfa: { active: user.mfaActive, kinds: user.mfaDevices.map((device) => device.kind) },
    keys,
    longLived: user.password.enabled || keys.some((key) => key.status === 'Active'),
  };
}

/** The snapshot's users in the page's order: by account, then by name. */
function usersInPageOrder(snapshot: Snapshot): Array<{ account: Account; user: User }> {
  const listed = snapshot.accounts.flatMap((account) => account.users.map((user) => ({ account, user })));
  return listed.sort(
    (a, b) => compareText(a.account.accountId, b.account.accountId) || compareText(a.user.name, b.user.name),
  );
}

/** The page's rows, one at a time, in the page's order. */
function* reportUsers(input: ReportInput): Generator<ReportUser, void, undefined> {
  for (const { account, user } of usersInPageOrder(input.snapshot)) yield reportUser(account, user, input.now);
}

type ReportHead = Omit<ReportData, 'users' | 'extras'> & { extras: ReportExtras | LazyReportExtras | null };

/** Everything the page shows but its users. */
function reportHead(input: ReportInput): ReportHead {
  const { snapshot, now } = input;
  return {
    reportVersion: 1,
    generatedAt: now.toISOString(),
    toolVersion: input.toolVersion ?? null,
    collection: snapshot.collection,
    summary: pageSummary(summarizeSnapshot(snapshot, now, input.thresholds)),
    history: (input.history ?? []).map((point) => ({ ...point })),
    extras: input.extras ?? null,
  };
}

function isLazy(extras: ReportExtras | LazyReportExtras): extras is LazyReportExtras {
  // ReportExtras keys its users `ACCOUNT/USER`: never a bare `of`.
  return typeof extras.users.of === 'function';
}

/** Each user's extras as the render reads them, whether made up front or on demand. */
function userExtras(extras: ReportExtras | LazyReportExtras | null): UserExtrasSource | null {
  if (extras === null) return null;
  return isLazy(extras) ? extras.users : extrasSource(extras.users);
}

export function buildReportData(input: ReportInput): ReportData {
  const { history, extras, ...head } = reportHead(input);
  const all =
    extras !== null && isLazy(extras) ? { ...extras, users: allUserExtras(input.snapshot, extras.users) } : extras;
  return { ...head, users: [...reportUsers(input)], history, extras: all };
}

/** What may not appear as itself inside a `<script>` element, and the JSON escape that stands for it. */
const SCRIPT_UNSAFE: ReadonlyMap<string, string> = new Map(
  ['<', '>', '&', '\u2028', '\u2029'].map((char) => [char, `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`]),
);

/**
 * JSON text made safe inside a `<script>` element, as pieces to be joined: `<` and `>` cannot
 * close the element or open a comment, `&` cannot start an entity, and U+2028/9 cannot break older
 * JS parsers. JSON.parse reads the escapes back to the same characters. Each character is looked
 * for with a native search, and the text is cut around the few it finds instead of replaced:
 * a replacement makes a rope of the page's 120 MB of tables, which every later search and the
 * page's join would flatten again (a third of a second each at 100,000 users).
 */
function scriptSafeParts(json: string): string[] {
  const unsafeAt: number[] = [];
  for (const char of SCRIPT_UNSAFE.keys())
    for (let at = json.indexOf(char); at >= 0; at = json.indexOf(char, at + 1)) unsafeAt.push(at);
  if (unsafeAt.length === 0) return [json];
  unsafeAt.sort((a, b) => a - b);
  const parts: string[] = [];
  let from = 0;
  for (const at of unsafeAt) {
    parts.push(json.slice(from, at), SCRIPT_UNSAFE.get(json.charAt(at)) as string);
    from = at + 1;
  }
  parts.push(json.slice(from));
  return parts;
}

/** JSON that is safe inside a `<script>` element (see `scriptSafeParts`). */
export function embedJson(value: unknown): string {
  return scriptSafeParts(JSON.stringify(value)).join('');
}

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `
:root {
  --bg: #f7f7f5; --panel: #ffffff; --text: #1d1d1f; --muted: #6b6b70; --line: #e3e3e0;
  --accent: #2b59c3; --bad: #c4302b; --warn: #b26a00; --good: #1f7a3a; --chip: #eef0f4;
  --pw: #7b4fc4; --key: #d0751b; --both: #c4302b;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #141416; --panel: #1d1d20; --text: #ececef; --muted: #9a9aa3; --line: #2e2e33;
    --accent: #7fa2ff; --bad: #ff6b60; --warn: #f0a93b; --good: #4cc872; --chip: #2a2b31;
    --pw: #a987ff; --key: #f29a45; --both: #ff6b60;
  }
}
* { box-sizing: border-box; }
html { font-size: 15px; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.45; -webkit-font-smoothing: antialiased;
}
header.top { background: var(--panel); border-bottom: 1px solid var(--line); }
.wrap { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
header.top .wrap { display: flex; align-items: baseline; gap: 16px; padding-top: 14px; padding-bottom: 14px; flex-wrap: wrap; }
.brand { font-weight: 700; letter-spacing: -0.01em; font-size: 1.15rem; }
.meta { color: var(--muted); font-size: 0.85rem; }
nav { margin-left: auto; display: flex; gap: 14px; font-size: 0.9rem; }
nav a { color: var(--muted); text-decoration: none; }
nav a:hover { color: var(--accent); }
main.wrap { padding-top: 24px; padding-bottom: 48px; }
section.section { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 20px 22px; margin-bottom: 20px; }
section.section > h2 { font-size: 1.05rem; margin: 0 0 14px; letter-spacing: -0.01em; }
.hero { display: grid; grid-template-columns: minmax(240px, 1fr) 2fr; gap: 28px; align-items: center; }
@media (max-width: 800px) { .hero { grid-template-columns: 1fr; } }
.big { font-size: 3.6rem; font-weight: 750; line-height: 1; letter-spacing: -0.03em; font-variant-numeric: tabular-nums; }
.big.bad { color: var(--bad); } .big.good { color: var(--good); }
.caption { color: var(--muted); margin-top: 6px; }
.bar { display: flex; height: 12px; border-radius: 6px; overflow: hidden; background: var(--chip); margin: 10px 0 8px; }
.bar span { display: block; height: 100%; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 0.85rem; color: var(--muted); }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; vertical-align: baseline; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 18px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .value { font-size: 1.5rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 0.82rem; }
.card .note { color: var(--muted); font-size: 0.78rem; margin-top: 2px; overflow-wrap: anywhere; }
.card.bad .value { color: var(--bad); } .card.warn .value { color: var(--warn); } .card.good .value { color: var(--good); }
.notice { border-left: 4px solid var(--warn); padding: 8px 12px; background: var(--chip); border-radius: 4px; margin: 6px 0; overflow-wrap: anywhere; }
.notice.gap { border-left-color: var(--bad); }
table { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; position: sticky; top: 0; background: var(--panel); }
th.sortable { cursor: pointer; user-select: none; }
th.sortable:hover { color: var(--text); }
th[aria-sort="ascending"]::after { content: " \\25B2"; } th[aria-sort="descending"]::after { content: " \\25BC"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: var(--chip); }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.84em; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 1px 7px; border-radius: 999px; font-size: 0.78rem; background: var(--chip); white-space: nowrap; }
.badge.bad { color: var(--bad); } .badge.warn { color: var(--warn); } .badge.good { color: var(--good); }
.key { display: block; margin: 1px 0; white-space: nowrap; }
.toolbar { display: flex; gap: 14px; align-items: center; margin-bottom: 12px; flex-wrap: wrap; }
.toolbar input[type="search"] {
  flex: 1 1 280px; max-width: 420px; padding: 7px 11px; border-radius: 7px; border: 1px solid var(--line);
  background: var(--bg); color: var(--text); font: inherit;
}
.toolbar label { color: var(--muted); font-size: 0.88rem; }
.count { color: var(--muted); font-size: 0.85rem; margin-left: auto; }
.scroll { overflow-x: auto; }
.users-viewport { max-height: 75vh; overflow: auto; overflow-anchor: none; border-bottom: 1px solid var(--line); }
#users-table { table-layout: fixed; min-width: 980px; }
#users-table td { overflow-wrap: anywhere; }
#users-table .key { white-space: normal; }
.nowrap { white-space: nowrap; }
.small { font-size: 0.8rem; }
button.link { background: none; border: 0; padding: 0; color: var(--accent); font: inherit; font-weight: 600; cursor: pointer; text-align: left; }
button.link:hover { text-decoration: underline; }
.toolbar select { font: inherit; padding: 4px 6px; border-radius: 6px; border: 1px solid var(--line); background: var(--bg); color: var(--text); }
button.copy { font: inherit; font-size: 0.82rem; padding: 3px 10px; border-radius: 6px; border: 1px solid var(--line); background: var(--chip); color: var(--text); cursor: pointer; }
.detail { padding: 8px 4px 14px; }
.detail h3 { font-size: 0.92rem; margin: 14px 0 6px; }
.detail-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
@media (max-width: 900px) { .detail-grid { grid-template-columns: 1fr; } }
.detail ul, .detail ol { margin: 4px 0; padding-left: 20px; }
.tags { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
.artifact { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; }
.artifact-head { display: flex; gap: 8px; align-items: center; padding: 6px 10px; border-bottom: 1px solid var(--line); }
.artifact-head .copy { margin-left: auto; }
.artifact pre { margin: 0; padding: 8px 10px; max-height: 260px; overflow: auto; font-size: 0.78rem; }
.histogram .hrow { display: grid; grid-template-columns: 110px 1fr 60px; gap: 10px; align-items: center; margin: 4px 0; }
.htrack { background: var(--chip); border-radius: 4px; height: 14px; overflow: hidden; }
.hbar { display: block; height: 100%; }
.hcount { text-align: right; font-variant-numeric: tabular-nums; }
#trend-chart svg { max-width: 720px; display: block; }
footer { color: var(--muted); font-size: 0.8rem; text-align: center; padding-bottom: 32px; }
`;

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** The page's only script (src/report/client, bundled at build time) and the hash its CSP allows. */
const CLIENT_SCRIPT_HASH = sha256Base64(CLIENT_SCRIPT);

/**
 * One self-contained HTML file. The Content-Security-Policy allows only this page's own script
 * (by hash) and no network at all, so even a rendering bug cannot load or run anything else.
 */
export function renderReport(input: ReportInput): string {
  const head = reportHead(input);
  // Packed and escaped one chunk at a time: at 100,000 users the page's data is over 150 MB of text.
  const json = packReportJson(packedReport(head), withExtras(reportUsers(input), userExtras(head.extras)));
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${CLIENT_SCRIPT_HASH}'`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  // One join: the page is written once, never copied again from a concatenation of its parts.
  return [
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<title>roleshift report</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top"><div class="wrap">
<span class="brand">roleshift</span>
<span class="meta" id="meta"></span>
<nav id="nav" aria-label="Sections"></nav>
</div></header>
<main class="wrap" id="main"><noscript>This report needs JavaScript to render its data.</noscript></main>
<footer>Generated by roleshift${head.toolVersion === null ? '' : ` ${escapeHtml(head.toolVersion)}`}. Self-contained: this file makes no network requests.</footer>
<script type="application/json" id="roleshift-data">`,
    ...json.flatMap(scriptSafeParts),
    `</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`,
  ].join('');
}
