import { createHash } from 'node:crypto';
import type { Snapshot, When } from '../model/snapshot.js';
import { daysSince } from '../model/when.js';
import type { ReportExtras } from './report-data.js';
import type { HeadlineCounts } from '../model/headline.js';
import { keyIdleDays } from '../model/idle.js';
import { summarizeSnapshot, type SnapshotSummary } from './summary.js';

/** One earlier scan for the trend; `roleshift history` rows fit. */
export interface HistoryPoint extends HeadlineCounts {
  scanId: string;
  collectedAt: string;
}

export interface ReportInput {
  snapshot: Snapshot;
  /** When the report is generated; ages are measured from here. */
  now: Date;
  history?: readonly HistoryPoint[];
  toolVersion?: string;
  /** Classification, findings, plan, exceptions and remediation (see report-data.ts). */
  extras?: ReportExtras;
}

export interface ReportKey {
  slot: 1 | 2;
  id: string | null;
  status: 'Active' | 'Inactive';
  lastRotated: When;
  ageDays: number | null;
  lastUsed: When;
  lastUsedDays: number | null;
  unusedDays: number | null;
  lastUsedService: string | null;
  lastUsedRegion: string | null;
}

export interface ReportUser {
  accountId: string;
  accountAlias: string | null;
  name: string;
  arn: string;
  path: string;
  groups: string[];
  tags: Record<string, string>;
  password: { enabled: boolean; lastUsed: When; lastUsedDays: number | null };
  mfa: { active: boolean; kinds: Array<'virtual' | 'hardware'> };
  keys: ReportKey[];
  /** A console password or an active key: this user still counts against the goal of zero. */
  longLived: boolean;
}

/**
 * Everything the page shows, as data. Sections read only this; adding a section means adding
 * a field here and a renderer to the client's `SECTIONS` list.
 */
export interface ReportData {
  reportVersion: 1;
  generatedAt: string;
  toolVersion: string | null;
  collection: Snapshot['collection'];
  summary: SnapshotSummary;
  users: ReportUser[];
  history: HistoryPoint[];
  extras: ReportExtras | null;
}

export function buildReportData(input: ReportInput): ReportData {
  const { snapshot, now } = input;
  const users: ReportUser[] = [];
  for (const account of snapshot.accounts) {
    for (const user of account.users) {
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
      users.push({
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
      });
    }
  }
  users.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.name.localeCompare(b.name));
  return {
    reportVersion: 1,
    generatedAt: now.toISOString(),
    toolVersion: input.toolVersion ?? null,
    collection: snapshot.collection,
    summary: summarizeSnapshot(snapshot, now),
    users,
    history: (input.history ?? []).map((point) => ({ ...point })),
    extras: input.extras ?? null,
  };
}

/**
 * JSON that is safe inside a `<script>` element: `<` and `>` cannot close the element or open a
 * comment, `&` cannot start an entity, and U+2028/9 cannot break older JS parsers. JSON.parse
 * reads the escapes back to the same characters.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
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
.nowrap { white-space: nowrap; }
.small { font-size: 0.8rem; }
button.link { background: none; border: 0; padding: 0; color: var(--accent); font: inherit; font-weight: 600; cursor: pointer; text-align: left; }
button.link:hover { text-decoration: underline; }
.toolbar select { font: inherit; padding: 4px 6px; border-radius: 6px; border: 1px solid var(--line); background: var(--bg); color: var(--text); }
.pager { display: flex; gap: 8px; align-items: center; justify-content: flex-end; margin-top: 10px; }
.pager button, button.copy { font: inherit; font-size: 0.82rem; padding: 3px 10px; border-radius: 6px; border: 1px solid var(--line); background: var(--chip); color: var(--text); cursor: pointer; }
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

/*
 * The page's only script. It builds every element with createElement/textContent: data never
 * passes through an HTML parser, so a hostile user name or tag stays text. Sections are a list;
 * a new one is a render function added to SECTIONS.
 */
const CLIENT_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('roleshift-data').textContent);

  function h(tag, props, children) {
    var el = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (name) {
        var value = props[name];
        if (value === undefined || value === null) return;
        if (name === 'class') el.className = value;
        else if (name === 'text') el.textContent = String(value);
        else if (name.slice(0, 2) === 'on') el.addEventListener(name.slice(2), value);
        else el.setAttribute(name, String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      el.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    });
    return el;
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
  function days(n) { return n === null ? 'unknown' : n === 0 ? 'today' : plural(n, 'day') + ' ago'; }
  /** "used 3 days ago" in the table; the exact instant is in the tooltip. */
  function usage(verb, w, n) {
    if (w.state === 'never') return 'never ' + verb;
    if (w.state === 'unknown') return verb + ' at an unknown time';
    return verb + ' ' + days(n);
  }
  function instant(w) { return w.state === 'at' ? w.at : null; }
  function account(id, alias) { return alias ? id + ' (' + alias + ')' : id; }

  function card(label, value, tone, note) {
    return h('div', { class: 'card ' + (tone || '') }, [
      h('div', { class: 'value', text: value }),
      h('div', { class: 'label', text: label }),
      note ? h('div', { class: 'note', text: note }) : null,
    ]);
  }

  function renderHeadline(d) {
    var s = d.summary, ll = s.longLived;
    var bar = h('div', { class: 'bar', role: 'img', 'aria-label': 'users by kind of long-lived credential' });
    [['both', ll.both, 'var(--both)'], ['pw', ll.passwordOnly, 'var(--pw)'], ['key', ll.keysOnly, 'var(--key)']].forEach(function (part) {
      if (part[1] === 0 || s.users === 0) return;
      var span = h('span', { title: part[0] });
      span.style.width = (100 * part[1] / s.users) + '%';
      span.style.background = part[2];
      bar.appendChild(span);
    });
    var previous = d.history.length > 1 ? d.history[d.history.length - 2] : null;
    var trend = previous ? (function () {
      var delta = ll.total - previous.usersWithLongLivedCredentials;
      return (delta === 0 ? 'unchanged' : (delta > 0 ? '+' : '') + delta) + ' since the scan of ' + previous.collectedAt.slice(0, 10);
    })() : null;
    var oldest = s.oldestActiveKey;
    return h('div', {}, [
      h('div', { class: 'hero' }, [
        h('div', {}, [
          h('div', { class: 'big ' + (ll.total === 0 ? 'good' : 'bad'), id: 'headline-count', text: ll.total }),
          h('div', { class: 'caption', text: 'IAM users with long-lived credentials. Goal: 0.' }),
          trend ? h('div', { class: 'caption', text: trend }) : null,
        ]),
        h('div', {}, [
          bar,
          h('div', { class: 'legend' }, [
            h('span', {}, [h('span', { class: 'dot', style: 'background: var(--both)' }), 'password and keys: ' + ll.both]),
            h('span', {}, [h('span', { class: 'dot', style: 'background: var(--pw)' }), 'console password only: ' + ll.passwordOnly]),
            h('span', {}, [h('span', { class: 'dot', style: 'background: var(--key)' }), 'access keys only: ' + ll.keysOnly]),
            h('span', {}, ['of ' + plural(s.users, 'IAM user') + ' in ' + plural(s.accounts, 'account')]),
          ]),
        ]),
      ]),
      h('div', { class: 'cards' }, [
        card('active access keys', s.activeKeys, s.activeKeys ? 'warn' : 'good'),
        card('oldest active key', oldest ? plural(oldest.days, 'day') : '-', oldest && oldest.days > 90 ? 'bad' : '',
          oldest ? oldest.accountId + '/' + oldest.userName + ' key ' + oldest.slot : null),
        card('keys unused ' + s.unusedKeys.thresholdDays + '+ days', s.unusedKeys.keys.length, s.unusedKeys.keys.length ? 'warn' : 'good',
          s.unusedKeys.unknown ? s.unusedKeys.unknown + ' more with unknown last use' : null),
        card('root access keys', s.rootKeys.count, s.rootKeys.count ? 'bad' : 'good', s.rootKeys.accountIds.join(', ') || null),
        card('gaps', s.gaps.length, s.gaps.length ? 'bad' : 'good', s.gaps.length ? 'some calls failed: results are incomplete' : 'every call succeeded'),
      ]),
    ]);
  }

  function renderProblems(d) {
    if (d.summary.gaps.length === 0 && d.summary.warnings.length === 0) return null;
    return h('div', {}, d.summary.gaps.map(function (g) {
      return h('div', { class: 'notice gap' }, [
        h('strong', { text: g.api }),
        ' ' + [g.accountId, g.region].filter(Boolean).join(' ') + ': ',
        h('span', { class: 'mono', text: g.errorCode }),
        ' ' + g.message,
      ]);
    }).concat(d.summary.warnings.map(function (w) { return h('div', { class: 'notice', text: w }); })));
  }

  function renderAccounts(d) {
    var rows = d.summary.perAccount.map(function (a) {
      return h('tr', {}, [
        h('td', {}, [h('span', { class: 'mono', text: a.accountId }), a.alias ? h('span', { class: 'muted', text: ' ' + a.alias }) : null]),
        h('td', { class: 'num', text: a.users }),
        h('td', { class: 'num' }, [h('span', { class: 'badge ' + (a.longLived.total ? 'bad' : 'good'), text: a.longLived.total })]),
        h('td', { class: 'num', text: a.longLived.passwordOnly + a.longLived.both }),
        h('td', { class: 'num', text: a.activeKeys }),
        h('td', { class: 'num' }, [a.rootKeys ? h('span', { class: 'badge bad', text: a.rootKeys }) : '0']),
        h('td', { text: a.identityCenterInUse ? 'in use' : '-' }),
      ]);
    });
    return h('div', { class: 'scroll' }, [h('table', {}, [
      h('thead', {}, [h('tr', {}, ['Account', 'IAM users', 'Long-lived', 'Console password', 'Active keys', 'Root keys', 'Identity Center'].map(function (t, i) {
        return h('th', { class: i > 0 && i < 6 ? 'num' : '', text: t });
      }))]),
      h('tbody', {}, rows),
    ])]);
  }

  var X = data.extras;
  var SEVERITY_ORDER = ['info', 'low', 'medium', 'high', 'critical'];
  var SEVERITY_TONE = { info: '', low: '', medium: 'warn', high: 'bad', critical: 'bad' };
  var MACHINE_CLASSES = ['ci-cd', 'workload', 'third-party'];
  function extrasOf(u) { return X ? X.users[u.accountId + '/' + u.name] || null : null; }
  function credentialKind(u) {
    var keys = u.keys.some(function (k) { return k.status === 'Active'; });
    return u.password.enabled && keys ? 'both' : u.password.enabled ? 'password' : keys ? 'keys' : 'none';
  }
  function debounce(fn, ms) {
    var timer = null;
    return function () { var args = arguments; clearTimeout(timer); timer = setTimeout(function () { fn.apply(null, args); }, ms); };
  }
  function severityBadge(s) { return h('span', { class: 'badge sev ' + (SEVERITY_TONE[s] || ''), text: s }); }
  function refs(f) {
    return h('span', { class: 'muted' }, [
      f.cis.length ? 'CIS ' + f.cis.join(', ') : null,
      f.cis.length && f.securityHub.length ? ' \\u00b7 ' : null,
      f.securityHub.length ? 'Security Hub ' + f.securityHub.join(', ') : null,
    ]);
  }
  function svg(tag, attrs, children) {
    var el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs).forEach(function (name) { el.setAttribute(name, String(attrs[name])); });
    (children || []).forEach(function (c) { el.appendChild(c); });
    return el;
  }

  /** People, machines and accepted exceptions among the users still holding long-lived credentials. */
  function renderSplit(d) {
    if (!X) return null;
    var people = 0, machines = 0, other = 0, excepted = 0;
    d.users.forEach(function (u) {
      if (!u.longLived) return;
      var x = extrasOf(u);
      if (!x) return;
      if (x.exception && !x.exception.expired) excepted++;
      else if (x.class === 'human') people++;
      else if (MACHINE_CLASSES.indexOf(x.class) !== -1) machines++;
      else other++;
    });
    return h('div', { class: 'cards', id: 'headline-split' }, [
      card('people', people, people ? 'bad' : 'good', 'move to IAM Identity Center'),
      card('machines', machines, machines ? 'bad' : 'good', 'move to roles: OIDC, compute roles, Roles Anywhere, ExternalId'),
      card('break-glass and unclassified', other, other ? 'warn' : 'good', 'review by hand'),
      card('accepted exceptions', excepted, '', X.hasExceptionsRegister ? 'in the register, not expired' : 'no exceptions register'),
    ]);
  }

  /** The KPIs of kpisToRecord (src/assess/kpis.ts) in reading order, each with its label and unit. */
  var KPI_CARDS = [
    ['users_long_lived_total', 'IAM users with long-lived credentials', 'goal: 0'],
    ['users_long_lived_humans', 'people with long-lived credentials', 'goal: 0, through the identity provider'],
    ['users_long_lived_machines', 'machines with long-lived credentials', 'roles, or a registered exception'],
    ['users_long_lived_break_glass', 'break-glass users', ''],
    ['users_long_lived_unknown', 'unclassified users', 'review by hand'],
    ['active_access_keys', 'active access keys', ''],
    ['human_idp_share', 'human access through the identity provider', ''],
    ['days_to_remediation_median', 'days from CreateUser to remediation, median', ''],
    ['days_to_remediation_p90', 'days from CreateUser to remediation, p90', ''],
    ['remediated_users', 'users remediated', 'deleted or registered as exceptions'],
    ['exceptions', 'registered exceptions', ''],
    ['exception_review_age_max_days', 'days since the oldest exception review', ''],
    ['exceptions_never_reviewed', 'exceptions never reviewed', ''],
  ];

  /** Shown inside the share's note rather than as cards of their own. */
  var KPIS_IN_NOTES = ['human_idp_events', 'human_iam_user_events'];

  function kpiNote(name, kpis) {
    if (name !== 'human_idp_share') return '';
    var idp = kpis.human_idp_events || 0;
    return idp + ' of ' + (idp + (kpis.human_iam_user_events || 0)) + ' human events in CloudTrail';
  }

  function kpiValue(name, value) {
    return name === 'human_idp_share' ? Math.round(value * 100) + '%' : Math.round(value * 100) / 100;
  }

  /** The KPIs stored with the newest scan, when the scan computed them; a KPI the list does not know still shows. */
  function renderKpis(d) {
    var last = d.history.length ? d.history[d.history.length - 1] : null;
    var kpis = last && last.kpis ? last.kpis : null;
    if (!kpis || Object.keys(kpis).length === 0) return null;
    var named = KPI_CARDS.map(function (entry) { return entry[0]; }).concat(KPIS_IN_NOTES);
    var listed = KPI_CARDS.filter(function (entry) { return kpis[entry[0]] !== undefined; }).map(function (entry) {
      return card(entry[1], kpiValue(entry[0], kpis[entry[0]]), '', entry[2] || kpiNote(entry[0], kpis));
    });
    var others = Object.keys(kpis).sort().filter(function (name) { return named.indexOf(name) < 0; }).map(function (name) {
      return card(name.split('_').join(' '), kpiValue(name, kpis[name]), '');
    });
    return h('div', { class: 'cards', id: 'kpis' }, listed.concat(others));
  }

  /** The goal line over the stored scans: an inline SVG, no library. */
  function renderTrend(d) {
    var kpis = renderKpis(d);
    var chart = renderTrendChart(d);
    return kpis ? h('div', {}, [chart, kpis]) : chart;
  }
  function renderTrendChart(d) {
    if (d.history.length < 2) return h('p', { class: 'muted', text: d.history.length ? 'One scan stored so far: the trend appears after the next scan.' : 'No stored scans: run roleshift scan to keep score over time.' });
    var points = d.history.map(function (p) { return { x: p.collectedAt, y: p.usersWithLongLivedCredentials }; });
    var width = 640, height = 140, pad = 28;
    var max = Math.max.apply(null, points.map(function (p) { return p.y; }).concat([1]));
    function px(i) { return pad + (width - 2 * pad) * (points.length === 1 ? 0 : i / (points.length - 1)); }
    function py(v) { return height - pad - (height - 2 * pad) * v / max; }
    var path = points.map(function (p, i) { return (i ? 'L' : 'M') + px(i).toFixed(1) + ' ' + py(p.y).toFixed(1); }).join(' ');
    var children = [
      svg('line', { x1: pad, y1: py(0), x2: width - pad, y2: py(0), stroke: 'var(--good)', 'stroke-dasharray': '4 4' }),
      svg('path', { d: path, fill: 'none', stroke: 'var(--bad)', 'stroke-width': 2.5 }),
    ];
    points.forEach(function (p, i) {
      var dot = svg('circle', { cx: px(i), cy: py(p.y), r: 3.5, fill: 'var(--bad)' });
      var title = svg('title', {});
      title.textContent = p.x.slice(0, 10) + ': ' + p.y;
      dot.appendChild(title);
      children.push(dot);
    });
    var first = svg('text', { x: pad, y: height - 6, 'font-size': 11, fill: 'var(--muted)' });
    first.textContent = points[0].x.slice(0, 10);
    var last = svg('text', { x: width - pad, y: height - 6, 'font-size': 11, fill: 'var(--muted)', 'text-anchor': 'end' });
    last.textContent = points[points.length - 1].x.slice(0, 10);
    var top = svg('text', { x: 2, y: py(max) + 4, 'font-size': 11, fill: 'var(--muted)' });
    top.textContent = String(max);
    var zero = svg('text', { x: 2, y: py(0) + 4, 'font-size': 11, fill: 'var(--good)' });
    zero.textContent = '0';
    children.push(first, last, top, zero);
    return h('div', { id: 'trend-chart' }, [
      svg('svg', { viewBox: '0 0 ' + width + ' ' + height, width: '100%', role: 'img', 'aria-label': 'users with long-lived credentials per scan' }, children),
      h('div', { class: 'caption', text: plural(points.length, 'scan') + ': ' + points[0].y + ' \\u2192 ' + points[points.length - 1].y + ' users with long-lived credentials (goal: the dashed line at 0)' }),
    ]);
  }

  var AGE_BUCKETS = [[0, 30, '0-30 days'], [31, 90, '31-90'], [91, 180, '91-180'], [181, 365, '181-365'], [366, 730, '1-2 years'], [731, Infinity, 'over 2 years']];
  function renderHistogram(d) {
    var counts = AGE_BUCKETS.map(function () { return 0; }), unknown = 0;
    d.users.forEach(function (u) {
      u.keys.forEach(function (k) {
        if (k.status !== 'Active') return;
        if (k.ageDays === null) { unknown++; return; }
        for (var i = 0; i < AGE_BUCKETS.length; i++) if (k.ageDays >= AGE_BUCKETS[i][0] && k.ageDays <= AGE_BUCKETS[i][1]) { counts[i]++; break; }
      });
    });
    var max = Math.max.apply(null, counts.concat([unknown, 1]));
    var rows = AGE_BUCKETS.map(function (b, i) { return [b[2], counts[i], b[0] > 90 ? 'var(--bad)' : b[0] > 30 ? 'var(--warn)' : 'var(--good)']; });
    if (unknown) rows.push(['age unknown', unknown, 'var(--muted)']);
    return h('div', { class: 'histogram', id: 'key-age-histogram' }, rows.map(function (r) {
      var bar = h('span', { class: 'hbar' });
      bar.style.width = (100 * r[1] / max) + '%';
      bar.style.background = r[2];
      return h('div', { class: 'hrow' }, [h('span', { class: 'hlabel', text: r[0] }), h('span', { class: 'htrack' }, [bar]), h('span', { class: 'hcount', text: r[1] })]);
    }).concat([h('div', { class: 'caption', text: 'Active access keys by age. CIS 1.14 asks for rotation every 90 days; the goal is no keys at all.' })]));
  }

  var USER_COLUMNS = [
    { title: 'User', sort: function (u) { return u.name.toLowerCase(); },
      cell: function (u) {
        return [h('button', { class: 'link', type: 'button', 'data-user': u.accountId + '/' + u.name, text: u.name }),
          h('div', { class: 'muted mono', text: u.accountId + (u.accountAlias ? ' ' + u.accountAlias : '') })];
      } },
    { title: 'Class', sort: function (u, x) { return x ? x.class : ''; },
      cell: function (u, x) { return x ? [h('span', { class: 'badge', text: x.class }), h('div', { class: 'muted', text: Math.round(x.confidence * 100) + '% sure' })] : [h('span', { class: 'muted', text: '-' })]; } },
    { title: 'Credentials', sort: function (u) { return ['none', 'keys', 'password', 'both'].indexOf(credentialKind(u)); },
      cell: function (u) {
        var out = [];
        if (u.password.enabled) out.push(h('span', { class: 'key' }, [h('span', { class: 'badge warn', text: 'password' }), ' ', h('span', { class: 'muted', title: instant(u.password.lastUsed), text: usage('used', u.password.lastUsed, u.password.lastUsedDays) }), u.mfa.active ? null : h('span', { class: 'badge bad', text: 'no MFA' })]));
        u.keys.forEach(function (k) {
          var active = k.status === 'Active';
          var tone = !active ? '' : k.ageDays !== null && k.ageDays > 90 ? 'bad' : 'warn';
          out.push(h('span', { class: 'key' }, [
            h('span', { class: 'badge ' + tone, text: 'key ' + k.slot + (active ? '' : ' inactive') }), ' ',
            h('span', { title: instant(k.lastRotated), text: k.ageDays === null ? 'age unknown' : plural(k.ageDays, 'day') + ' old' }),
          ]));
        });
        return out.length ? out : [h('span', { class: 'muted', text: 'none' })];
      } },
    { title: 'Key age', num: true, sort: function (u) {
        return u.keys.reduce(function (max, k) { return k.status === 'Active' && k.ageDays !== null && k.ageDays > max ? k.ageDays : max; }, -1);
      },
      cell: function (u) {
        var age = u.keys.reduce(function (max, k) { return k.status === 'Active' && k.ageDays !== null && k.ageDays > max ? k.ageDays : max; }, -1);
        return [age < 0 ? '-' : String(age)];
      } },
    { title: 'Last used', sort: function (u) { return lastUsedDays(u); },
      cell: function (u) {
        var n = lastUsedDays(u);
        return [h('span', { class: n === Infinity ? 'muted' : '', text: n === Infinity ? 'never / unknown' : days(n) })];
      } },
    { title: 'Findings', sort: function (u, x) { return x ? SEVERITY_ORDER.indexOf(x.worstSeverity) * 1000 + x.findings.length : -1; },
      cell: function (u, x) { return x && x.findings.length ? [severityBadge(x.worstSeverity), ' ', String(x.findings.length)] : [h('span', { class: 'muted', text: x ? 'none' : '-' })]; } },
    { title: 'Plan target', sort: function (u, x) { return x && x.plan ? x.plan.strategy : ''; },
      cell: function (u, x) { return x && x.plan ? [h('span', { class: 'badge', text: x.plan.strategy }), h('div', { class: 'muted small', text: x.plan.target })] : ['-']; } },
    { title: 'Exception', sort: function (u, x) { return x && x.exception ? x.exception.expires : ''; },
      cell: function (u, x) { return x && x.exception ? [h('span', { class: 'badge ' + (x.exception.expired ? 'bad' : ''), text: (x.exception.expired ? 'expired ' : 'until ') + x.exception.expires.slice(0, 10) })] : [h('span', { class: 'muted', text: '-' })]; } },
    { title: 'Remediation', sort: function (u, x) { return x ? x.remediation.stage : ''; },
      cell: function (u, x) { return x ? [h('span', { class: 'badge ' + (x.remediation.stage === 'failed' ? 'bad' : x.remediation.stage === 'not started' ? '' : 'good'), text: x.remediation.stage })] : ['-']; } },
  ];
  function lastUsedDays(u) {
    var best = Infinity;
    if (u.password.lastUsedDays !== null) best = u.password.lastUsedDays;
    u.keys.forEach(function (k) { if (k.lastUsedDays !== null && k.lastUsedDays < best) best = k.lastUsedDays; });
    return best;
  }

  function searchText(u, x) {
    var tags = Object.keys(u.tags).map(function (k) { return k + '=' + u.tags[k]; });
    var parts = [u.accountId, u.accountAlias || '', u.name, u.arn, u.path].concat(u.groups, tags, u.keys.map(function (k) { return k.id || ''; }));
    if (x) parts.push(x.class, x.plan ? x.plan.strategy + ' ' + x.plan.target : '', x.remediation.stage, x.findings.map(function (f) { return f.checkId; }).join(' '));
    return parts.join(' ').toLowerCase();
  }

  function copyButton(text) {
    return h('button', { class: 'copy', type: 'button', text: 'Copy', onclick: function (e) {
      var button = e.currentTarget;
      function done(ok) { button.textContent = ok ? 'Copied' : 'Select and copy'; setTimeout(function () { button.textContent = 'Copy'; }, 1500); }
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      else done(false);
    } });
  }

  function renderDetail(u, x) {
    var parts = [
      h('div', { class: 'detail-grid' }, [
        h('div', {}, [
          h('h3', { text: 'Identity' }),
          h('div', { class: 'mono small', text: u.arn }),
          h('div', { class: 'muted', text: 'path ' + u.path + (u.groups.length ? ' \\u00b7 groups ' + u.groups.join(', ') : '') }),
          Object.keys(u.tags).length ? h('div', { class: 'tags' }, Object.keys(u.tags).map(function (k) { return h('span', { class: 'badge', text: k + '=' + u.tags[k] }); })) : null,
          h('h3', { text: 'Credentials' }),
          h('ul', {}, [h('li', { text: u.password.enabled ? 'console password, ' + usage('used', u.password.lastUsed, u.password.lastUsedDays) + (u.mfa.active ? ', MFA ' + (u.mfa.kinds.join(', ') || 'on') : ', no MFA') : 'no console password' })]
            .concat(u.keys.map(function (k) {
              return h('li', {}, [h('span', { class: 'mono', text: (k.id || 'key ' + k.slot) + ' ' }), k.status + ', ' + (k.ageDays === null ? 'age unknown' : plural(k.ageDays, 'day') + ' old') + ', ' + usage('used', k.lastUsed, k.lastUsedDays) + (k.lastUsedService ? ' (' + k.lastUsedService + (k.lastUsedRegion ? ', ' + k.lastUsedRegion : '') + ')' : '')]);
            }))),
        ]),
        x ? h('div', {}, [
          h('h3', { text: 'Why ' + x.class + ' (' + Math.round(x.confidence * 100) + '% confidence)' }),
          x.evidence.length ? h('ul', { class: 'evidence' }, x.evidence.map(function (e) {
            return h('li', {}, [h('span', { class: 'badge', text: e.source }), ' ', (e.weight >= 0 ? '+' : '') + e.weight.toFixed(2) + ' ' + e.supports + ': ', h('span', { text: e.detail })]);
          })) : h('p', { class: 'muted', text: 'No evidence either way.' }),
          x.exception ? h('p', {}, [h('strong', { text: 'Exception: ' }), x.exception.reason + ' (owner ' + x.exception.owner + ', ' + (x.exception.expired ? 'expired ' : 'expires ') + x.exception.expires + ')']) : null,
          h('p', {}, [h('strong', { text: 'Remediation: ' }), x.remediation.stage + (x.remediation.at ? ' since ' + x.remediation.at.slice(0, 16).replace('T', ' ') : ''), x.remediation.lastError ? h('div', { class: 'notice gap', text: x.remediation.lastError }) : null]),
        ]) : null,
      ]),
    ];
    if (x) {
      parts.push(h('h3', { text: 'Findings' }));
      parts.push(x.findings.length ? h('table', { class: 'findings' }, [h('tbody', {}, x.findings.map(function (f) {
        return h('tr', {}, [h('td', {}, [severityBadge(f.severity)]), h('td', {}, [h('strong', { text: f.title }), h('div', { text: f.message }), h('div', { class: 'muted small', text: 'Fix: ' + f.remediation })]), h('td', { class: 'nowrap' }, [h('div', { class: 'mono small', text: f.checkId }), refs(f)])]);
      }))]) : h('p', { class: 'muted', text: 'No findings.' }));
      if (x.plan) {
        parts.push(h('h3', { text: 'Plan: ' + x.plan.target + ' (' + x.plan.risk + ' risk)' }));
        if (x.plan.blockers.length) parts.push(h('div', {}, x.plan.blockers.map(function (b) { return h('div', { class: 'notice', text: 'Blocker: ' + b }); })));
        parts.push(h('ol', {}, x.plan.steps.map(function (s) { return h('li', { text: s }); })));
        x.plan.artifacts.forEach(function (a) {
          var text = a.text !== null ? a.text : JSON.stringify(a.value, null, 2);
          parts.push(h('div', { class: 'artifact' }, [h('div', { class: 'artifact-head' }, [h('strong', { text: a.title }), h('span', { class: 'muted', text: ' ' + a.kind }), copyButton(text)]), h('pre', { text: text })]));
        });
      }
    }
    return h('div', { class: 'detail' }, parts);
  }

  var PAGE_SIZE = 100;
  function renderUsers(d) {
    var state = { query: '', onlyLongLived: false, cls: '', account: '', kind: '', severity: '', column: -1, descending: false, page: 0, open: {} };
    var rows = d.users.map(function (u, i) {
      var x = extrasOf(u);
      return { user: u, x: x, text: searchText(u, x), kind: credentialKind(u), sev: x && x.worstSeverity ? SEVERITY_ORDER.indexOf(x.worstSeverity) : -1, keys: USER_COLUMNS.map(function (c) { return c.sort(u, x); }), index: i };
    });
    var filtered = rows;
    var tbody = h('tbody', {});
    var count = h('span', { class: 'count', id: 'users-count' });
    var pager = h('div', { class: 'pager' });
    var headers = USER_COLUMNS.map(function (c, i) {
      return h('th', { class: 'sortable' + (c.num ? ' num' : ''), scope: 'col', tabindex: '0', text: c.title, onclick: function () { sortBy(i); },
        onkeydown: function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(i); } } });
    });
    function sortBy(i) {
      state.descending = state.column === i ? !state.descending : false;
      state.column = i;
      headers.forEach(function (th, j) { if (j === i) th.setAttribute('aria-sort', state.descending ? 'descending' : 'ascending'); else th.removeAttribute('aria-sort'); });
      var sign = state.descending ? -1 : 1;
      rows.sort(function (a, b) {
        var x = a.keys[i], y = b.keys[i];
        return (x < y ? -sign : x > y ? sign : 0) || a.index - b.index;
      });
      refilter();
    }
    function refilter() {
      var terms = state.query.toLowerCase().split(/\\s+/).filter(Boolean);
      var minSeverity = state.severity === '' ? -2 : SEVERITY_ORDER.indexOf(state.severity);
      filtered = rows.filter(function (row) {
        if (state.onlyLongLived && !row.user.longLived) return false;
        if (state.account && row.user.accountId !== state.account) return false;
        if (state.cls && (!row.x || row.x.class !== state.cls)) return false;
        if (state.kind && row.kind !== state.kind) return false;
        if (minSeverity > -2 && row.sev < minSeverity) return false;
        for (var t = 0; t < terms.length; t++) if (row.text.indexOf(terms[t]) === -1) return false;
        return true;
      });
      state.page = 0;
      draw();
    }
    /** Only one page is in the DOM: 10,000 users stay as fast as 100. */
    function draw() {
      var pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
      if (state.page >= pages) state.page = pages - 1;
      var fragment = document.createDocumentFragment();
      filtered.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE).forEach(function (row) {
        var key = row.user.accountId + '/' + row.user.name;
        fragment.appendChild(h('tr', { class: 'user-row', 'data-key': key }, USER_COLUMNS.map(function (c) { return h('td', { class: c.num ? 'num' : '' }, c.cell(row.user, row.x)); })));
        if (state.open[key]) fragment.appendChild(h('tr', { class: 'detail-row' }, [h('td', { colspan: USER_COLUMNS.length }, [renderDetail(row.user, row.x)])]));
      });
      tbody.textContent = '';
      tbody.appendChild(fragment);
      count.textContent = filtered.length + ' of ' + plural(rows.length, 'user');
      pager.textContent = '';
      if (pages > 1) {
        pager.appendChild(h('button', { type: 'button', id: 'users-prev', disabled: state.page === 0 ? 'disabled' : null, text: '\\u2190 previous', onclick: function () { state.page--; draw(); } }));
        pager.appendChild(h('span', { class: 'muted', text: ' page ' + (state.page + 1) + ' of ' + pages + ' ' }));
        pager.appendChild(h('button', { type: 'button', id: 'users-next', disabled: state.page === pages - 1 ? 'disabled' : null, text: 'next \\u2192', onclick: function () { state.page++; draw(); } }));
      }
    }
    tbody.addEventListener('click', function (e) {
      var button = e.target.closest('button.link');
      if (!button) return;
      var key = button.getAttribute('data-user');
      state.open[key] = !state.open[key];
      draw();
    });
    function select(id, label, values, field) {
      return h('label', {}, [label + ' ', h('select', { id: id, onchange: function (e) { state[field] = e.target.value; refilter(); } },
        [h('option', { value: '', text: 'all' })].concat(values.map(function (v) { return h('option', { value: v[0], text: v[1] }); })))]);
    }
    var accounts = d.summary.perAccount.map(function (a) { return [a.accountId, account(a.accountId, a.alias)]; });
    var classes = X ? Object.keys(rows.reduce(function (set, r) { if (r.x) set[r.x.class] = 1; return set; }, {})).sort().map(function (c) { return [c, c]; }) : [];
    var search = h('input', { type: 'search', id: 'users-search', placeholder: 'Search users, accounts, paths, groups, tags, key ids, checks', 'aria-label': 'Search users',
      oninput: debounce(function (e) { state.query = e.target.value; refilter(); }, 60) });
    var only = h('input', { type: 'checkbox', id: 'users-long-lived', onchange: function (e) { state.onlyLongLived = e.target.checked; refilter(); } });
    refilter();
    return h('div', {}, [
      h('div', { class: 'toolbar' }, [search, count]),
      h('div', { class: 'toolbar' }, [
        X ? select('filter-class', 'Class', classes, 'cls') : null,
        select('filter-account', 'Account', accounts, 'account'),
        select('filter-kind', 'Credential', [['password', 'console password only'], ['keys', 'access keys only'], ['both', 'password and keys'], ['none', 'none']], 'kind'),
        X ? select('filter-severity', 'Findings at least', SEVERITY_ORDER.slice().reverse().map(function (s) { return [s, s]; }), 'severity') : null,
        h('label', {}, [only, ' only users with long-lived credentials']),
      ]),
      h('div', { class: 'scroll' }, [h('table', { id: 'users-table' }, [h('thead', {}, [h('tr', {}, headers)]), tbody])]),
      pager,
    ]);
  }

  function renderRoles(d) {
    if (!X) return null;
    if (X.roles.length === 0) return h('p', { class: 'muted', text: 'No trust-policy findings: every role trust policy passed the checks.' });
    return h('div', { class: 'scroll' }, [h('table', { id: 'roles-table' }, [
      h('thead', {}, [h('tr', {}, ['Role', 'Severity', 'Finding', 'References'].map(function (t) { return h('th', { text: t }); }))]),
      h('tbody', {}, X.roles.reduce(function (out, r) {
        r.findings.forEach(function (f, i) {
          out.push(h('tr', {}, [
            h('td', {}, i === 0 ? [h('strong', { text: r.roleName }), h('div', { class: 'muted mono', text: r.accountId }), r.description ? h('div', { class: 'muted small', text: r.description }) : null] : []),
            h('td', {}, [severityBadge(f.severity)]),
            h('td', {}, [h('strong', { text: f.title }), h('div', { text: f.message })]),
            h('td', { class: 'nowrap' }, [h('div', { class: 'mono small', text: f.checkId }), refs(f)]),
          ]));
        });
        return out;
      }, [])),
    ])]);
  }

  function renderOtherFindings(d) {
    if (!X || X.otherFindings.length === 0) return null;
    return h('div', { class: 'scroll' }, [h('table', { id: 'other-findings' }, [
      h('thead', {}, [h('tr', {}, ['Severity', 'Where', 'Finding', 'References'].map(function (t) { return h('th', { text: t }); }))]),
      h('tbody', {}, X.otherFindings.map(function (f) {
        return h('tr', {}, [h('td', {}, [severityBadge(f.severity)]), h('td', {}, [h('span', { class: 'mono', text: f.accountId || '' }), h('div', { text: f.resourceName })]),
          h('td', {}, [h('strong', { text: f.title }), h('div', { text: f.message })]), h('td', { class: 'nowrap' }, [h('div', { class: 'mono small', text: f.checkId }), refs(f)])]);
      })),
    ])]);
  }

  function renderExceptions(d) {
    if (!X) return null;
    if (!X.hasExceptionsRegister) return h('p', { class: 'muted', text: 'No exceptions register: every IAM user with credentials counts against the goal. Write roleshift.exceptions.yaml to accept the ones that must stay.' });
    if (X.exceptions.length === 0) return h('p', { class: 'muted', text: 'The exceptions register is empty.' });
    return h('div', { class: 'scroll' }, [h('table', { id: 'exceptions-table' }, [
      h('thead', {}, [h('tr', {}, ['User', 'Reason', 'Owner', 'Expires', 'Review'].map(function (t) { return h('th', { text: t }); }))]),
      h('tbody', {}, X.exceptions.map(function (e) {
        return h('tr', {}, [
          h('td', {}, [h('strong', { text: e.userName }), h('div', { class: 'muted mono', text: e.accountId }), e.userFound ? null : h('span', { class: 'badge warn', text: 'user not in the estate' })]),
          h('td', { text: e.reason }), h('td', { text: e.owner }),
          h('td', {}, [h('span', { class: 'badge ' + (e.expired ? 'bad' : ''), text: (e.expired ? 'expired ' : '') + e.expires })]),
          h('td', {}, [e.reviewOverdueDays === null ? h('span', { class: 'muted', text: 'not due' }) : h('span', { class: 'badge bad', text: e.reviewOverdueDays < 0 ? 'due: never reviewed' : 'overdue ' + plural(e.reviewOverdueDays, 'day') })]),
        ]);
      })),
    ])]);
  }

  function renderRemediation(d) {
    if (!X) return null;
    var stages = {};
    d.users.forEach(function (u) { var x = extrasOf(u); if (x) stages[x.remediation.stage] = (stages[x.remediation.stage] || 0) + 1; });
    var order = ['not started', 'in progress', 'switched off', 'rolled back', 'deleted', 'restored', 'failed'];
    return h('div', {}, [
      h('div', { class: 'cards', id: 'remediation-stages' }, order.filter(function (s) { return stages[s]; }).map(function (s) {
        return card(s, stages[s], s === 'failed' ? 'bad' : s === 'deleted' ? 'good' : '');
      })),
      X.hasJournal ? null : h('p', { class: 'muted', text: 'No remediation journal in the store yet: roleshift remediate start switches keys off reversibly and records every step.' }),
      X.operations.length ? h('div', { class: 'scroll' }, [h('table', { id: 'operations-table' }, [
        h('thead', {}, [h('tr', {}, ['When', 'User', 'Operation', 'Status'].map(function (t) { return h('th', { text: t }); }))]),
        h('tbody', {}, X.operations.slice(0, 200).map(function (o) {
          return h('tr', {}, [h('td', { class: 'nowrap', text: o.createdAt.slice(0, 16).replace('T', ' ') }), h('td', {}, [h('strong', { text: o.userName }), ' ', h('span', { class: 'muted mono', text: o.accountId })]),
            h('td', { text: o.kind }), h('td', {}, [h('span', { class: 'badge ' + (o.lastError ? 'bad' : o.status === 'done' ? 'good' : 'warn'), text: o.status }), o.lastError ? h('div', { class: 'muted', text: o.lastError }) : null])]);
        })),
      ])]) : null,
    ]);
  }

  var SECTIONS = [
    { id: 'headline', title: null, nav: 'Overview', render: function (d) { return h('div', {}, [renderHeadline(d), renderSplit(d)]); } },
    { id: 'trend', title: 'Trend: users with long-lived credentials per scan', nav: 'Trend', render: renderTrend },
    { id: 'problems', title: 'Gaps and warnings', nav: null, render: renderProblems },
    { id: 'accounts', title: 'Accounts', nav: 'Accounts', render: renderAccounts },
    { id: 'users', title: 'IAM users', nav: 'Users', render: renderUsers },
    { id: 'key-ages', title: 'Access key age', nav: 'Key ages', render: renderHistogram },
    { id: 'roles', title: 'Trust-policy findings per role', nav: 'Roles', render: renderRoles },
    { id: 'account-findings', title: 'Root and account findings', nav: null, render: renderOtherFindings },
    { id: 'exceptions', title: 'Exceptions', nav: 'Exceptions', render: renderExceptions },
    { id: 'remediation', title: 'Remediation', nav: 'Remediation', render: renderRemediation },
  ];

  var main = document.getElementById('main');
  var nav = document.getElementById('nav');
  SECTIONS.forEach(function (section) {
    var body = section.render(data);
    if (!body) return;
    main.appendChild(h('section', { class: 'section', id: section.id }, [section.title ? h('h2', { text: section.title }) : null, body]));
    if (section.nav) nav.appendChild(h('a', { href: '#' + section.id, text: section.nav }));
  });
  document.getElementById('meta').textContent =
    plural(data.summary.accounts, 'account') + ' \\u00b7 scanned ' + data.collection.finishedAt.replace('T', ' ').slice(0, 16) + ' UTC from ' +
    data.collection.source + ' \\u00b7 report ' + data.generatedAt.replace('T', ' ').slice(0, 16) + ' UTC';
})();
`;

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/**
 * One self-contained HTML file. The Content-Security-Policy allows only this page's own script
 * (by hash) and no network at all, so even a rendering bug cannot load or run anything else.
 */
export function renderReport(input: ReportInput): string {
  const data = buildReportData(input);
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256Base64(CLIENT_SCRIPT)}'`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
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
<footer>Generated by roleshift${data.toolVersion === null ? '' : ` ${escapeHtml(data.toolVersion)}`}. Self-contained: this file makes no network requests.</footer>
<script type="application/json" id="roleshift-data">${embedJson(data)}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
