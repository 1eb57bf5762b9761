import { describe, expect, it } from 'vitest';
import { RowHeights, rowWindow } from './row-window.js';

const fixed = (height: number) => () => height;

describe('rowWindow', () => {
  it('Given 100,000 rows of 50 px and a view in the middle, When windowed, Then only the rows in view and the margins are drawn and spacers stand for the rest', () => {
    const span = rowWindow({
      count: 100_000,
      heightAt: fixed(50),
      top: 500_000,
      height: 600,
      margin: 900,
      minRows: 10,
    });
    expect(span).toEqual({ start: 9_982, end: 10_030, before: 499_100, after: (100_000 - 10_030) * 50 });
  });

  it('Given a short list, When windowed, Then every row is drawn and no spacer is needed', () => {
    expect(rowWindow({ count: 17, heightAt: fixed(50), top: 0, height: 600, margin: 900, minRows: 50 })).toEqual({
      start: 0,
      end: 17,
      before: 0,
      after: 0,
    });
  });

  it('Given a view shorter than the minimum of rows, When windowed, Then the minimum is drawn from the first row in view', () => {
    expect(rowWindow({ count: 100, heightAt: fixed(50), top: 1000, height: 100, margin: 0, minRows: 10 })).toEqual({
      start: 20,
      end: 30,
      before: 1000,
      after: 3500,
    });
  });

  it('Given rows of different heights, When windowed at the end, Then before plus the drawn rows plus after is the whole height', () => {
    const heightAt = (position: number) => 20 + (position % 7) * 10;
    const total = Array.from({ length: 1000 }, (_, p) => heightAt(p)).reduce((a, b) => a + b, 0);
    const span = rowWindow({ count: 1000, heightAt, top: total - 300, height: 300, margin: 200, minRows: 5 });
    let drawn = 0;
    for (let p = span.start; p < span.end; p += 1) drawn += heightAt(p);
    expect(span.end).toBe(1000);
    expect(span.before + drawn + span.after).toBe(total);
  });
});

describe('RowHeights', () => {
  it('Given some rows measured, When asked, Then the others are estimated at the mean of those measured, and a forgotten row again', () => {
    const heights = new RowHeights(4, 52);
    expect(heights.of(0)).toBe(52);
    heights.set(0, 40);
    heights.set(1, 60);
    expect(heights.of(0)).toBe(40);
    expect(heights.of(3)).toBe(50);
    heights.set(1, 0);
    expect(heights.of(1)).toBe(40);
    heights.forgetAll();
    expect(heights.of(0)).toBe(52);
  });
});
