import type { ReportData } from '../page-model.js';
import { h } from './dom.js';
import { extrasOf } from './extras.js';
import { accountLabel, plural } from './format.js';
import { RowHeights, rowWindow } from './row-window.js';
import { type UserColumn, userColumns } from './user-columns.js';
import { renderDetail } from './user-detail.js';
import { type Filters, filterRows, SEVERITIES, SortOrders, type UserRow, userRow } from './users-view.js';

/** Rows drawn at least, so a short list is drawn whole (and the browser's find sees it all). */
const MIN_ROWS = 50;
/** A guess for rows not drawn yet; replaced by the mean of the rows drawn. */
const ROW_HEIGHT_GUESS = 52;
const SEARCH_DEBOUNCE_MS = 60;

function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

interface Drawn {
  id: number;
  elements: HTMLElement[];
}

/**
 * The users table: only the rows in view (plus a margin) are in the DOM, inside a scrolling
 * viewport whose spacers stand for the rest, so 100,000 users cost what 50 do.
 */
class UsersTable {
  readonly filters: Filters = { query: '', onlyLongLived: false, userClass: '', account: '', kind: '', severity: '' };
  private column = -1;
  private descending = false;
  private visible: Int32Array;
  private readonly open = new Set<string>();
  private readonly orders: SortOrders;
  private readonly heights: RowHeights;
  private drawn: Drawn[] = [];
  private frame = 0;
  readonly tbody = h('tbody');
  readonly count = h('span', { class: 'count', id: 'users-count' });
  readonly viewport = h('div', { class: 'users-viewport', id: 'users-viewport', tabindex: 0 });
  private readonly spacerAbove = h('div', { class: 'spacer', 'aria-hidden': 'true' });
  private readonly spacerBelow = h('div', { class: 'spacer', 'aria-hidden': 'true' });
  readonly headers: HTMLElement[];

  private readonly columns: readonly UserColumn[];

  constructor(
    private readonly rows: readonly UserRow[],
    rotationDays: number,
  ) {
    this.columns = userColumns(rotationDays);
    this.orders = new SortOrders(rows, (column, row) => this.columns[column]?.sort(row.user, row.x) ?? '');
    this.heights = new RowHeights(rows.length, ROW_HEIGHT_GUESS);
    this.visible = new Int32Array(0);
    this.headers = this.columns.map((column, i) =>
      h('th', {
        class: `sortable${column.numeric ? ' num' : ''}`,
        scope: 'col',
        tabindex: 0,
        text: column.title,
        on: {
          click: () => this.sortBy(i),
          keydown: (event) => {
            if (event.key !== 'Enter' && event.key !== ' ') return;
            event.preventDefault();
            this.sortBy(i);
          },
        },
      }),
    );
    const table = h('table', { id: 'users-table' }, [
      h(
        'colgroup',
        {},
        this.columns.map((column) => h('col', { style: `width: ${column.width}` })),
      ),
      h('thead', {}, [h('tr', {}, this.headers)]),
      this.tbody,
    ]);
    this.viewport.append(this.spacerAbove, table, this.spacerBelow);
    this.viewport.addEventListener('scroll', () => this.schedule());
    window.addEventListener('resize', () => {
      this.heights.forgetAll();
      this.draw(true, true);
    });
    this.tbody.addEventListener('click', (event) => this.toggle(event));
  }

  sortBy(column: number): void {
    this.descending = this.column === column ? !this.descending : false;
    this.column = column;
    this.headers.forEach((th, j) => {
      if (j === column) th.setAttribute('aria-sort', this.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    });
    this.refilter();
  }

  /** Applies the filters to the current order and shows the top of the result. */
  refilter(): void {
    const order =
      this.column < 0 ? Int32Array.from(this.rows, (_row, i) => i) : this.orders.order(this.column, this.descending);
    this.visible = filterRows(this.rows, order, this.filters);
    this.count.textContent = `${this.visible.length} of ${plural(this.rows.length, 'user')}`;
    this.viewport.scrollTop = 0;
    this.draw(true, false);
  }

  /**
   * Computes every column's sort order while the browser is idle after the first paint, one at a
   * time, so the first click on a header finds it ready; a click before that computes it then.
   */
  prepareSorts(): void {
    const pending = this.columns.flatMap(
      (_column, i): Array<[number, boolean]> => [
        [i, false],
        [i, true],
      ],
    );
    const idle = (next: () => void): void => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(next);
      else setTimeout(next, 50);
    };
    const step = (): void => {
      const entry = pending.shift();
      if (!entry) return;
      this.orders.order(entry[0], entry[1]);
      idle(step);
    };
    idle(step);
  }

  private toggle(event: MouseEvent): void {
    const button = (event.target as Element | null)?.closest('button.link');
    const key = button?.getAttribute('data-user');
    if (!key) return;
    if (this.open.has(key)) this.open.delete(key);
    else this.open.add(key);
    const drawn = this.drawn.find((entry) => this.rows[entry.id]?.key === key);
    if (drawn) this.heights.set(drawn.id, 0);
    this.draw(true, true);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw(false, true);
    });
  }

  private rowElements(id: number): HTMLElement[] {
    const row = this.rows[id] as UserRow;
    const elements: HTMLElement[] = [
      h(
        'tr',
        { class: 'user-row', 'data-key': row.key },
        this.columns.map((column) =>
          h('td', { class: column.numeric ? 'num' : undefined }, column.cell(row.user, row.x)),
        ),
      ),
    ];
    if (this.open.has(row.key))
      elements.push(
        h('tr', { class: 'detail-row' }, [h('td', { colspan: this.columns.length }, [renderDetail(row.user, row.x)])]),
      );
    return elements;
  }

  /** The first drawn row at or below the top of the view, and where it is: kept in place across a redraw. */
  private anchor(): { id: number; offset: number } | null {
    const top = this.viewport.getBoundingClientRect().top;
    for (const entry of this.drawn) {
      const box = (entry.elements[0] as HTMLElement).getBoundingClientRect();
      if (box.bottom > top) return { id: entry.id, offset: box.top - top };
    }
    return null;
  }

  private sumHeights(from: number, to: number): number {
    let sum = 0;
    for (let position = from; position < to; position += 1) sum += this.heights.of(this.visible[position] as number);
    return sum;
  }

  /**
   * Puts the rows of the current window in the DOM. `rebuild` redraws even when the window holds
   * the same rows (new filters, an opened detail); `keep` holds the row at the top of the view in
   * place, so heights measured on the way do not make the list jump.
   */
  private draw(rebuild: boolean, keep: boolean): void {
    const span = rowWindow({
      count: this.visible.length,
      heightAt: (position) => this.heights.of(this.visible[position] as number),
      top: this.viewport.scrollTop,
      height: this.viewport.clientHeight,
      margin: window.innerHeight,
      minRows: MIN_ROWS,
    });
    const unchanged =
      this.drawn.length === span.end - span.start &&
      this.drawn[0]?.id === this.visible[span.start] &&
      this.drawn[this.drawn.length - 1]?.id === this.visible[span.end - 1];
    if (unchanged && !rebuild) return;
    const anchor = keep ? this.anchor() : null;
    this.drawn = [];
    const fragment = document.createDocumentFragment();
    for (let position = span.start; position < span.end; position += 1) {
      const id = this.visible[position] as number;
      const elements = this.rowElements(id);
      this.drawn.push({ id, elements });
      fragment.append(...elements);
    }
    this.tbody.replaceChildren(fragment);
    this.measure();
    // Measuring moved the estimate for rows not drawn yet: size the spacers with it.
    this.spacerAbove.style.height = `${this.sumHeights(0, span.start)}px`;
    this.spacerBelow.style.height = `${this.sumHeights(span.end, this.visible.length)}px`;
    if (anchor) this.keepInPlace(anchor);
  }

  private measure(): void {
    for (const entry of this.drawn) {
      let height = 0;
      for (const element of entry.elements) height += element.offsetHeight;
      this.heights.set(entry.id, height);
    }
  }

  private keepInPlace(anchor: { id: number; offset: number }): void {
    const entry = this.drawn.find((drawn) => drawn.id === anchor.id);
    if (!entry) return;
    const top = this.viewport.getBoundingClientRect().top;
    const shift = (entry.elements[0] as HTMLElement).getBoundingClientRect().top - top - anchor.offset;
    if (Math.abs(shift) >= 1) this.viewport.scrollTop += shift;
  }
}

function select(
  id: string,
  label: string,
  options: ReadonlyArray<readonly [string, string]>,
  onChange: (value: string) => void,
): HTMLElement {
  const element = h('select', { id }, [
    h('option', { value: '', text: 'all' }),
    ...options.map(([value, text]) => h('option', { value, text })),
  ]);
  element.addEventListener('change', () => onChange(element.value));
  return h('label', {}, [`${label} `, element]);
}

const CREDENTIAL_KINDS: ReadonlyArray<readonly [string, string]> = [
  ['password', 'console password only'],
  ['keys', 'access keys only'],
  ['both', 'password and keys'],
  ['none', 'none'],
];

/** The filter selects and the long-lived checkbox; each change filters the table again. */
function filterBar(data: ReportData, rows: readonly UserRow[], table: UsersTable): HTMLElement {
  const filters = table.filters;
  const change = (apply: (value: string) => void) => (value: string) => {
    apply(value);
    table.refilter();
  };
  const accounts = data.summary.perAccount.map((a) => [a.accountId, accountLabel(a.accountId, a.alias)] as const);
  const classes = [...new Set(rows.flatMap((row) => (row.x ? [row.x.class] : [])))].sort().map((c) => [c, c] as const);
  const severities = [...SEVERITIES].reverse().map((severity) => [severity, severity] as const);
  const only = h('input', { type: 'checkbox', id: 'users-long-lived' });
  only.addEventListener('change', () => {
    filters.onlyLongLived = only.checked;
    table.refilter();
  });
  return h('div', { class: 'toolbar' }, [
    data.extras
      ? select(
          'filter-class',
          'Class',
          classes,
          change((value) => (filters.userClass = value)),
        )
      : null,
    select(
      'filter-account',
      'Account',
      accounts,
      change((value) => (filters.account = value)),
    ),
    select(
      'filter-kind',
      'Credential',
      CREDENTIAL_KINDS,
      change((value) => (filters.kind = value)),
    ),
    data.extras
      ? select(
          'filter-severity',
          'Findings at least',
          severities,
          change((value) => (filters.severity = value as Filters['severity'])),
        )
      : null,
    h('label', {}, [only, ' only users with long-lived credentials']),
  ]);
}

export function renderUsers(data: ReportData): HTMLElement {
  const rows = data.users.map((user) => userRow(user, extrasOf(data, user)));
  const table = new UsersTable(rows, data.summary.keyRotationDays);
  const search = h('input', {
    type: 'search',
    id: 'users-search',
    placeholder: 'Search users, accounts, paths, groups, tags, key ids, checks',
    'aria-label': 'Search users',
  });
  search.addEventListener(
    'input',
    debounce(() => {
      table.filters.query = search.value;
      table.refilter();
    }, SEARCH_DEBOUNCE_MS),
  );
  const body = h('div', {}, [
    h('div', { class: 'toolbar' }, [search, table.count]),
    filterBar(data, rows, table),
    table.viewport,
  ]);
  // Drawn once the section is in the page, where the viewport has a height.
  queueMicrotask(() => {
    table.refilter();
    table.prepareSorts();
  });
  return body;
}
