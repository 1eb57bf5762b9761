/**
 * Which rows of a long list belong in the DOM: those in view plus a margin, found from the rows'
 * heights (measured once drawn, estimated before). The space of the rows left out is kept by
 * spacers above and below, so the scroll bar spans the whole list.
 */
export interface RowWindow {
  /** Positions in the list: [start, end). */
  start: number;
  end: number;
  /** Pixels taken by the rows before `start` and after `end`. */
  before: number;
  after: number;
}

export interface WindowRequest {
  count: number;
  heightAt: (position: number) => number;
  /** The visible band, in pixels from the top of the list. */
  top: number;
  height: number;
  /** Extra pixels drawn above and below the band, so a short scroll shows rows already there. */
  margin: number;
  /** At least this many rows, so a short list is drawn whole. */
  minRows: number;
}

export function rowWindow(request: WindowRequest): RowWindow {
  const { count, heightAt, top, height, margin, minRows } = request;
  let position = 0;
  let offset = 0;
  while (position < count && offset + heightAt(position) <= top - margin) {
    offset += heightAt(position);
    position += 1;
  }
  const start = position;
  const before = offset;
  const bottom = top + height + margin;
  while (position < count && (offset < bottom || position - start < minRows)) {
    offset += heightAt(position);
    position += 1;
  }
  const end = position;
  let after = 0;
  for (; position < count; position += 1) after += heightAt(position);
  return { start, end, before, after };
}

/** Row heights by row id: measured ones as drawn, the others at the mean of those measured. */
export class RowHeights {
  private readonly measured: Float64Array;
  private total = 0;
  private known = 0;

  constructor(
    rows: number,
    private readonly fallback: number,
  ) {
    this.measured = new Float64Array(rows);
  }

  estimate(): number {
    return this.known === 0 ? this.fallback : this.total / this.known;
  }

  of(id: number): number {
    return this.measured[id] || this.estimate();
  }

  /** A height of 0 forgets the row: it is estimated again until drawn. */
  set(id: number, height: number): void {
    const old = this.measured[id] ?? 0;
    if (old === height) return;
    this.total += height - old;
    this.known += (height > 0 ? 1 : 0) - (old > 0 ? 1 : 0);
    this.measured[id] = height;
  }

  forgetAll(): void {
    this.measured.fill(0);
    this.total = 0;
    this.known = 0;
  }
}
