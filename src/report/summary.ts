import { DEFAULT_CONFIG } from '../config.js';
import { activeKeys, countHeadline, countRootKeys, splitLongLived, type LongLivedSplit } from '../model/headline.js';
import { keyIdleDays } from '../model/idle.js';
import type { Gap, Snapshot } from '../model/snapshot.js';
import { daysSince } from '../model/when.js';
import { NAME_CELL_MAX, TABLE_CELL_MAX, tableCell } from '../safe-text.js';
import { paint, type Colour, type Style } from './terminal.js';

/** One access key, located, with a number of days (its age or how long it has been unused). */
export interface KeyRef {
  accountId: string;
  userName: string;
  slot: 1 | 2;
  keyId: string | null;
  days: number;
}

export interface AccountSummary {
  accountId: string;
  alias: string | null;
  users: number;
  longLived: LongLivedSplit;
  activeKeys: number;
  rootKeys: number;
  identityCenterInUse: boolean;
}

/**
 * Whether the counts are the whole truth. Any gap makes the scan incomplete; a gap that could hide
 * a user or a credential (a denied or missing credential report, authorization details, an
 * account) makes every count a minimum: the headline then reads "at least N".
 */
export interface Completeness {
  complete: boolean;
  countsAreMinimums: boolean;
  /** One short line per gap: account, API, error code. */
  reasons: string[];
}

export interface SnapshotSummary {
  collectedAt: string;
  completeness: Completeness;
  source: Snapshot['collection']['source'];
  accounts: number;
  users: number;
  longLived: LongLivedSplit;
  activeKeys: number;
  oldestActiveKey: KeyRef | null;
  /** CIS 1.14: active keys older than this many days are overdue for rotation. */
  keyRotationDays: number;
  unusedKeys: {
    thresholdDays: number;
    /** Sorted longest-unused first. */
    keys: KeyRef[];
    /** Active keys whose use cannot be told (the source said "unknown"): never counted as fine. */
    unknown: number;
  };
  rootKeys: { count: number; accountIds: string[] };
  gaps: Gap[];
  warnings: string[];
  perAccount: AccountSummary[];
}

/** `a.localeCompare(b)` (the default locale), without building a collator on every call. */
export const compareText = new Intl.Collator().compare;

function compareKeyRefs(a: KeyRef, b: KeyRef): number {
  return (
    b.days - a.days || compareText(a.accountId, b.accountId) || compareText(a.userName, b.userName) || a.slot - b.slot
  );
}

/** The first of the list in `compareKeyRefs` order (what sorting would put first); nulls are skipped. */
function firstKeyRef(refs: ReadonlyArray<KeyRef | null>): KeyRef | null {
  let first: KeyRef | null = null;
  for (const ref of refs) if (ref !== null && (first === null || compareKeyRefs(ref, first) < 0)) first = ref;
  return first;
}

/**
 * Gaps that cannot hide a user or a long-lived credential: names, providers, MFA device kinds and
 * CloudTrail usage. Every other gap (unknown ones included) may, so it makes the counts minimums.
 */
const GAPS_THAT_KEEP_COUNTS = new Set([
  'iam:ListAccountAliases',
  'iam:ListSAMLProviders',
  'iam:ListOpenIDConnectProviders',
  'iam:GetOpenIDConnectProvider',
  'iam:ListVirtualMFADevices',
  'iam:GetAccountPasswordPolicy',
  'iam:ListServerCertificates',
]);

export function gapHidesCredentials(gap: Gap): boolean {
  return !GAPS_THAT_KEEP_COUNTS.has(gap.api) && !gap.api.startsWith('cloudtrail:');
}

export function completenessOf(gaps: readonly Gap[]): Completeness {
  return {
    complete: gaps.length === 0,
    countsAreMinimums: gaps.some(gapHidesCredentials),
    reasons: gaps.map((gap) => [gap.accountId, gap.api, gap.errorCode].filter((part) => part !== null).join(' ')),
  };
}

export function summarizeSnapshot(
  snapshot: Snapshot,
  now: Date,
  options: { unusedCredentialDays?: number; keyRotationDays?: number } = {},
): SnapshotSummary {
  const thresholdDays = options.unusedCredentialDays ?? DEFAULT_CONFIG.thresholds.unusedCredentialDays;
  const headline = countHeadline(snapshot);
  let oldest: KeyRef | null = null;
  const unused: KeyRef[] = [];
  let unknown = 0;
  for (const account of snapshot.accounts) {
    for (const user of account.users) {
      for (const key of activeKeys(user.accessKeys)) {
        const ref = (days: number): KeyRef => ({
          accountId: account.accountId,
          userName: user.name,
          slot: key.slot,
          keyId: key.id,
          days,
        });
        const age = daysSince(key.lastRotated, now);
        // A key younger than the oldest so far cannot take its place: no ref is made for it.
        if (age !== null && (oldest === null || !(age < oldest.days))) oldest = firstKeyRef([oldest, ref(age)]);
        const idle = keyIdleDays(key, user.createDate, now);
        if (idle === null) unknown += 1;
        else if (idle >= thresholdDays) unused.push(ref(idle));
      }
    }
  }
  unused.sort(compareKeyRefs);
  const rootAccounts = snapshot.accounts
    .filter((account) => countRootKeys(account) > 0)
    .map((account) => account.accountId);
  return {
    collectedAt: snapshot.collection.finishedAt,
    completeness: completenessOf(snapshot.gaps),
    source: snapshot.collection.source,
    accounts: headline.accounts,
    users: headline.users,
    longLived: splitLongLived(snapshot.accounts.flatMap((account) => account.users)),
    activeKeys: headline.activeKeys,
    oldestActiveKey: oldest,
    keyRotationDays: options.keyRotationDays ?? DEFAULT_CONFIG.thresholds.keyRotationDays,
    unusedKeys: { thresholdDays, keys: unused, unknown },
    rootKeys: { count: headline.rootKeys, accountIds: rootAccounts },
    gaps: snapshot.gaps,
    warnings: snapshot.collection.warnings,
    perAccount: snapshot.accounts.map((account) => ({
      accountId: account.accountId,
      alias: account.alias,
      users: account.users.length,
      longLived: splitLongLived(account.users),
      activeKeys: account.users.reduce((sum, user) => sum + activeKeys(user.accessKeys).length, 0),
      rootKeys: countRootKeys(account),
      identityCenterInUse: account.identityCenter.inUse,
    })),
  };
}

export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
  /** Longer cells are cut with an ellipsis (default `TABLE_CELL_MAX`; names: `NAME_CELL_MAX`). */
  maxWidth?: number;
}

/**
 * A plain text table; widths are measured before colouring so ANSI codes never skew columns.
 * Every cell passes the sanitizer (controls escaped, cut to its column's width), so one hostile or
 * huge value can neither drive the terminal nor widen every row.
 */
export function renderTextTable(
  io: Colour,
  columns: readonly TableColumn[],
  rows: ReadonlyArray<ReadonlyArray<string | { text: string; style: Style }>>,
): string {
  const cells = rows.map((row) =>
    row.map((cell, index) => {
      const { text, style } = typeof cell === 'string' ? { text: cell, style: null } : cell;
      return { text: tableCell(text, columns[index]?.maxWidth ?? TABLE_CELL_MAX), style };
    }),
  );
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((row) => row[index]?.text.length ?? 0)),
  );
  const pad = (text: string, index: number): string => {
    const width = widths[index] ?? text.length;
    return columns[index]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const header = columns.map((column, index) => paint(io, 'bold', pad(column.header, index))).join('  ');
  const body = cells.map((row) =>
    row
      .map((cell, index) =>
        cell.style === null ? pad(cell.text, index) : paint(io, cell.style, pad(cell.text, index)),
      )
      .join('  ')
      .trimEnd(),
  );
  return [header.trimEnd(), ...body].join('\n');
}

/** `2026-11-23T09:33:57.787Z` → `2026-11-23 09:33 UTC`: minutes are enough to tell scans apart. */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function accountLabel(accountId: string, alias: string | null): string {
  return alias === null ? accountId : `${accountId} (${alias})`;
}

function keyLabel(key: KeyRef): string {
  const user = tableCell(key.userName, NAME_CELL_MAX);
  return `${key.accountId}/${user} key ${key.slot}${key.keyId === null ? '' : ` ${tableCell(key.keyId, NAME_CELL_MAX)}`}`;
}

const SHOWN_REASONS = 4;

/** `incomplete: a; b; c and 2 more (see the gaps below)`: what the "at least" is about. */
function incompleteLine(completeness: Completeness): string {
  const shown = tableCell(completeness.reasons.slice(0, SHOWN_REASONS).join('; '));
  const more = completeness.reasons.length - SHOWN_REASONS;
  return `incomplete: ${shown}${more > 0 ? ` and ${more} more` : ''} (see the gaps below)`;
}

/** The terminal view of a summary: what a person reads after `roleshift scan`. */
export function renderSummary(summary: SnapshotSummary, io: Colour): string {
  const count = (value: number, bad: Style = 'red'): string => paint(io, value === 0 ? 'green' : bad, String(value));
  const line = (label: string, value: string, note = ''): string =>
    `  ${label.padEnd(40)}${value}${note === '' ? '' : `  ${paint(io, 'dim', note)}`}`;
  const { longLived, completeness } = summary;
  const atLeast = completeness.countsAreMinimums ? 'at least ' : '';
  const oldest = summary.oldestActiveKey;
  const unusedCount = summary.unusedKeys.keys.length;
  const lines = [
    paint(
      io,
      'bold',
      `${summary.accounts} account${summary.accounts === 1 ? '' : 's'}, ${atLeast}${summary.users} IAM user${summary.users === 1 ? '' : 's'}`,
    ) + paint(io, 'dim', `  (${summary.source}, collected ${formatInstant(summary.collectedAt)})`),
    '',
    line(
      'IAM users with long-lived credentials',
      // A minimum is never green: "at least 0" is not the goal reached.
      paint(io, 'bold', atLeast === '' ? count(longLived.total) : paint(io, 'yellow', `${atLeast}${longLived.total}`)),
      completeness.complete ? 'goal: 0' : `goal: 0 — ${incompleteLine(completeness)}`,
    ),
    line('  console password only', String(longLived.passwordOnly)),
    line('  active access keys only', String(longLived.keysOnly)),
    line('  both', String(longLived.both)),
    line('active access keys', String(summary.activeKeys)),
    line(
      'oldest active key',
      oldest === null ? '-' : paint(io, 'yellow', `${oldest.days} days`),
      oldest === null ? '' : keyLabel(oldest),
    ),
    line(
      `keys unused ${summary.unusedKeys.thresholdDays}+ days`,
      count(unusedCount, 'yellow'),
      summary.unusedKeys.unknown > 0 ? `${summary.unusedKeys.unknown} more with unknown last use` : '',
    ),
    line('root access keys', count(summary.rootKeys.count), summary.rootKeys.accountIds.join(', ')),
    line('gaps (what could not be read)', count(summary.gaps.length, 'yellow')),
  ];
  if (summary.perAccount.length > 1) {
    lines.push(
      '',
      renderTextTable(
        io,
        [
          { header: 'account', maxWidth: NAME_CELL_MAX },
          { header: 'users', align: 'right' },
          { header: 'long-lived', align: 'right' },
          { header: 'password', align: 'right' },
          { header: 'keys', align: 'right' },
          { header: 'root keys', align: 'right' },
          { header: 'Identity Center' },
        ],
        summary.perAccount.map((account) => [
          accountLabel(account.accountId, account.alias),
          String(account.users),
          String(account.longLived.total),
          String(account.longLived.passwordOnly + account.longLived.both),
          String(account.activeKeys),
          account.rootKeys === 0 ? '0' : { text: String(account.rootKeys), style: 'red' },
          account.identityCenterInUse ? 'in use' : '-',
        ]),
      )
        .split('\n')
        .map((row) => `  ${row}`)
        .join('\n'),
    );
  }
  return lines.join('\n');
}
