/**
 * The users table's model, apart from the DOM: one row per user with its search text and
 * credential kind computed once, filters as one pass over the current order, and sort orders
 * computed once per column and direction. At 100,000 users every interaction is a pass over
 * arrays, never over the DOM.
 */
import type { Severity } from '../../model/finding.js';
import type { ReportUser, ReportUserExtras } from '../page-model.js';

export type CredentialKind = 'none' | 'keys' | 'password' | 'both';
export type SortKey = string | number;

export interface UserRow {
  user: ReportUser;
  x: ReportUserExtras | null;
  /** `ACCOUNT/NAME`: which detail is open. */
  key: string;
  /** Lower-case: names, account, path, groups, tags, key ids, class, plan and check ids. */
  text: string;
  kind: CredentialKind;
  /** Index of the worst finding's severity in SEVERITIES; -1 without findings. */
  severity: number;
}

export interface Filters {
  query: string;
  onlyLongLived: boolean;
  userClass: string;
  account: string;
  kind: string;
  /** The lowest severity a user's worst finding may have; '' for any. */
  severity: Severity | '';
}

export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export function credentialKind(user: ReportUser): CredentialKind {
  const keys = user.keys.some((key) => key.status === 'Active');
  if (user.password.enabled) return keys ? 'both' : 'password';
  return keys ? 'keys' : 'none';
}

export function searchText(user: ReportUser, x: ReportUserExtras | null): string {
  const tags = Object.keys(user.tags).map((key) => `${key}=${user.tags[key]}`);
  const parts = [
    user.accountId,
    user.accountAlias ?? '',
    user.name,
    user.arn,
    user.path,
    ...user.groups,
    ...tags,
    ...user.keys.map((key) => key.id ?? ''),
  ];
  if (x)
    parts.push(
      x.class,
      x.plan ? `${x.plan.strategy} ${x.plan.target}` : '',
      x.remediation.stage,
      x.findings.map((finding) => finding.checkId).join(' '),
    );
  return parts.join(' ').toLowerCase();
}

export function userRow(user: ReportUser, x: ReportUserExtras | null): UserRow {
  return {
    user,
    x,
    key: `${user.accountId}/${user.name}`,
    text: searchText(user, x),
    kind: credentialKind(user),
    severity: x?.worstSeverity ? SEVERITIES.indexOf(x.worstSeverity) : -1,
  };
}

/** A row test for one state of the filters: the query split and the severity looked up once. */
function rowTest(filters: Filters): (row: UserRow) => boolean {
  const terms = filters.query.toLowerCase().split(/\s+/).filter(Boolean);
  const minSeverity = filters.severity === '' ? -2 : SEVERITIES.indexOf(filters.severity);
  return (row) => {
    if (filters.onlyLongLived && !row.user.longLived) return false;
    if (filters.account && row.user.accountId !== filters.account) return false;
    if (filters.userClass && row.x?.class !== filters.userClass) return false;
    if (filters.kind && row.kind !== filters.kind) return false;
    if (minSeverity > -2 && row.severity < minSeverity) return false;
    return terms.every((term) => row.text.includes(term));
  };
}

/** The rows that pass the filters, as indexes into `rows`, in `order`. */
export function filterRows(rows: readonly UserRow[], order: ArrayLike<number>, filters: Filters): Int32Array {
  const test = rowTest(filters);
  const out = new Int32Array(order.length);
  let count = 0;
  for (let i = 0; i < order.length; i += 1) {
    const index = order[i] as number;
    if (test(rows[index] as UserRow)) {
      out[count] = index;
      count += 1;
    }
  }
  return out.subarray(0, count);
}

/** Each key's rank among the distinct keys, in the order `<` gives (UTF-16 code units for text). */
function ranks(keys: readonly SortKey[]): { rank: Uint32Array; count: number } {
  const distinct = [...new Set(keys)];
  const numeric = distinct.every((key) => typeof key === 'number');
  // The engines' own sorts: numeric for numbers, code-unit order for text; no comparator to call.
  const sorted: SortKey[] = numeric
    ? Array.from(Float64Array.from(distinct as number[]).sort())
    : distinct.map(String).sort();
  const rankOf = new Map<SortKey, number>(sorted.map((key, i) => [key, i]));
  const rank = new Uint32Array(keys.length);
  for (let i = 0; i < keys.length; i += 1) rank[i] = rankOf.get(numeric ? (keys[i] as number) : String(keys[i])) ?? 0;
  return { rank, count: sorted.length };
}

/**
 * Row indexes sorted by one column's keys, ties in row order whichever the direction. Rank and
 * row index share one float (rank * 2^k + index, exact below 2^53), so a typed-array sort with no
 * comparator does the work.
 */
export function sortOrder(keys: readonly SortKey[], descending: boolean): Int32Array {
  const { rank, count } = ranks(keys);
  const shift = 2 ** Math.ceil(Math.log2(keys.length + 1));
  const packed = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i += 1) {
    const r = rank[i] as number;
    packed[i] = (descending ? count - 1 - r : r) * shift + i;
  }
  packed.sort();
  const order = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i += 1) order[i] = (packed[i] as number) % shift;
  return order;
}

/** Sort keys and orders, each computed the first time a column is sorted and kept. */
export class SortOrders {
  private readonly keys = new Map<number, SortKey[]>();
  private readonly orders = new Map<string, Int32Array>();

  constructor(
    private readonly rows: readonly UserRow[],
    private readonly keyOf: (column: number, row: UserRow) => SortKey,
  ) {}

  order(column: number, descending: boolean): Int32Array {
    const id = `${column}:${descending}`;
    const known = this.orders.get(id);
    if (known) return known;
    let keys = this.keys.get(column);
    if (!keys) {
      keys = this.rows.map((row) => this.keyOf(column, row));
      this.keys.set(column, keys);
    }
    const order = sortOrder(keys, descending);
    this.orders.set(id, order);
    return order;
  }
}
