import { createHash } from 'node:crypto';
import type { Snapshot, When } from '../model/snapshot.js';
import { daysSince } from '../model/when.js';
import type { HeadlineCounts } from './summary.js';
import { daysUnused, summarizeSnapshot, type SnapshotSummary } from './summary.js';

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
        unusedDays: key.status === 'Active' ? daysUnused(key, now) : null,
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
    history: [...(input.history ?? [])],
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

  var USER_COLUMNS = [
    { title: 'Account', sort: function (u) { return u.accountId; },
      cell: function (u) { return [h('span', { class: 'mono', text: u.accountId }), u.accountAlias ? h('div', { class: 'muted', text: u.accountAlias }) : null]; } },
    { title: 'User', sort: function (u) { return u.name.toLowerCase(); },
      cell: function (u) { return [h('strong', { text: u.name }), u.longLived ? null : h('div', { class: 'muted', text: 'no long-lived credential' })]; } },
    { title: 'Path', sort: function (u) { return u.path; }, cell: function (u) { return [h('span', { class: 'mono', text: u.path })]; } },
    { title: 'Console password', sort: function (u) { return u.password.enabled ? 1 : 0; },
      cell: function (u) {
        return u.password.enabled
          ? [h('span', { class: 'badge warn', text: 'yes' }), h('div', { class: 'muted nowrap', title: instant(u.password.lastUsed), text: usage('used', u.password.lastUsed, u.password.lastUsedDays) })]
          : [h('span', { class: 'muted', text: 'no' })];
      } },
    { title: 'MFA', sort: function (u) { return u.mfa.active ? 1 : 0; },
      cell: function (u) {
        if (!u.mfa.active) return [h('span', { class: 'badge ' + (u.password.enabled ? 'bad' : ''), text: 'none' })];
        return [h('span', { class: 'badge good', text: u.mfa.kinds.length ? u.mfa.kinds.join(', ') : 'yes' })];
      } },
    { title: 'Access keys', sort: function (u) {
        return u.keys.reduce(function (max, k) { return k.status === 'Active' && k.ageDays !== null && k.ageDays > max ? k.ageDays : max; }, -1);
      },
      cell: function (u) {
        if (u.keys.length === 0) return [h('span', { class: 'muted', text: 'none' })];
        return u.keys.map(function (k) {
          var active = k.status === 'Active';
          var tone = !active ? '' : k.ageDays !== null && k.ageDays > 90 ? 'bad' : 'warn';
          return h('span', { class: 'key' }, [
            h('span', { class: 'badge ' + tone, text: 'key ' + k.slot + (active ? '' : ' inactive') }),
            ' ',
            k.id ? h('span', { class: 'mono', text: k.id + ' ' }) : null,
            h('span', { title: instant(k.lastRotated), text: k.ageDays === null ? 'age unknown' : plural(k.ageDays, 'day') + ' old' }),
            h('span', { class: 'muted', title: instant(k.lastUsed), text: ', ' + usage('used', k.lastUsed, k.lastUsedDays) + (k.lastUsed.state === 'at' && k.lastUsedService ? ' (' + k.lastUsedService + (k.lastUsedRegion ? ', ' + k.lastUsedRegion : '') + ')' : '') }),
          ]);
        });
      } },
  ];

  function searchText(u) {
    var tags = Object.keys(u.tags).map(function (k) { return k + '=' + u.tags[k]; });
    return [u.accountId, u.accountAlias || '', u.name, u.arn, u.path].concat(u.groups, tags, u.keys.map(function (k) { return k.id || ''; })).join(' ').toLowerCase();
  }

  function renderUsers(d) {
    var state = { query: '', onlyLongLived: false, column: -1, descending: false };
    var rows = d.users.map(function (u) {
      var tr = h('tr', {}, USER_COLUMNS.map(function (c, i) { return h('td', { class: i <= 2 ? 'nowrap' : '' }, c.cell(u)); }));
      return { user: u, tr: tr, text: searchText(u) };
    });
    var tbody = h('tbody', {});
    var count = h('span', { class: 'count', id: 'users-count' });
    var headers = USER_COLUMNS.map(function (c, i) {
      return h('th', { class: 'sortable', scope: 'col', tabindex: '0', text: c.title, onclick: function () { sortBy(i); },
        onkeydown: function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(i); } } });
    });
    function sortBy(i) {
      state.descending = state.column === i ? !state.descending : false;
      state.column = i;
      headers.forEach(function (th, j) { if (j === i) th.setAttribute('aria-sort', state.descending ? 'descending' : 'ascending'); else th.removeAttribute('aria-sort'); });
      var key = USER_COLUMNS[i].sort;
      rows.sort(function (a, b) {
        var x = key(a.user), y = key(b.user);
        var order = x < y ? -1 : x > y ? 1 : 0;
        return state.descending ? -order : order;
      });
      update();
    }
    function update() {
      var terms = state.query.toLowerCase().split(/\\s+/).filter(Boolean);
      var shown = 0;
      var fragment = document.createDocumentFragment();
      rows.forEach(function (row) {
        var visible = (!state.onlyLongLived || row.user.longLived) && terms.every(function (t) { return row.text.indexOf(t) !== -1; });
        row.tr.hidden = !visible;
        if (visible) shown++;
        fragment.appendChild(row.tr);
      });
      tbody.appendChild(fragment);
      count.textContent = shown + ' of ' + plural(rows.length, 'user');
    }
    var search = h('input', { type: 'search', id: 'users-search', placeholder: 'Search users, accounts, paths, groups, tags, key ids', 'aria-label': 'Search users',
      oninput: function (e) { state.query = e.target.value; update(); } });
    var only = h('input', { type: 'checkbox', id: 'users-long-lived', onchange: function (e) { state.onlyLongLived = e.target.checked; update(); } });
    update();
    return h('div', {}, [
      h('div', { class: 'toolbar' }, [search, h('label', {}, [only, ' only users with long-lived credentials']), count]),
      h('div', { class: 'scroll' }, [h('table', { id: 'users-table' }, [h('thead', {}, [h('tr', {}, headers)]), tbody])]),
    ]);
  }

  var SECTIONS = [
    { id: 'headline', title: null, nav: 'Overview', render: renderHeadline },
    { id: 'problems', title: 'Gaps and warnings', nav: null, render: renderProblems },
    { id: 'accounts', title: 'Accounts', nav: 'Accounts', render: renderAccounts },
    { id: 'users', title: 'IAM users', nav: 'Users', render: renderUsers },
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
